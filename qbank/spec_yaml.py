"""Reading a spec file's YAML with bounds, so that a hostile file fails in one line.

PyYAML's safe loader runs no code, but on its own it lets a spec file:

* hang the build: ``/dev/zero`` or a FIFO is read forever, and a
  "billion laughs" document (anchors of aliases of aliases) loads as a small
  shared graph that pydantic and the pinned-parameter check then walk in full;
* crash it: 5,000 levels of ``[[[...]]]`` end in RecursionError, and a
  timestamp that is not a date (``2026-02-30``) in a ValueError traceback;
* change it silently: a key written twice keeps the last value.

So the file is read only if it is a regular file, and at most
``MAX_SPEC_BYTES`` of it; its event stream is scanned first (libyaml's parser
keeps its own stack, so this cannot recurse) for nesting deeper than
``MAX_DEPTH`` and for more than ``MAX_NODES`` values once aliases are
expanded; only then is it composed.  The loader refuses duplicate keys,
keeps timestamps as the text written (the paper prints the date as written;
``qbank.spec`` checks it is a calendar date) and turns a constructor's
ValueError into a YAML error with a line number.  Every refusal is a
``QbankError`` naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from qbank.errors import QbankError

# The largest spec in banks/ is 1.6 KB; 1 MB is hundreds of exams' worth.
MAX_SPEC_BYTES = 1_000_000
# A spec nests about six levels (items, an item, params, a matrix, its rows).
MAX_DEPTH = 50
# Values in the document with every alias expanded; a long spec has a few thousand.
MAX_NODES = 100_000

# libyaml's parser when PyYAML was built with it (several times faster).
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = object()  # an anchor whose node is still being read


def _shown_key(key: Any) -> str:
    text = repr(key)
    return text if len(text) <= 60 else text[:50] + "…"


class _SpecConstruction:
    """What the spec's loader does beyond the safe loader (see the module docstring)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # '<<: *defaults' may be overridden: that is its purpose
                key = self.construct_object(key_node, deep=deep)
                line = key_node.start_mark.line + 1
                try:
                    first = first_lines.get(key)
                except TypeError:
                    continue  # unhashable: the safe constructor refuses it
                if first is not None:
                    raise _SpecYamlError(f"duplicate key {_shown_key(key)} at line {line} "
                                         f"(first at line {first})")
                first_lines[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            # e.g. '!!int abc': the safe constructor lets int() fail unguarded.
            raise ConstructorError(None, None, f"cannot read this value as {node.tag} "
                                   f"({error})", node.start_mark) from None


def loader_class(base: type) -> type:
    """The spec's loader on ``base``: libyaml's CSafeLoader, or PyYAML's SafeLoader."""
    loader = type(f"Spec{base.__name__}", (_SpecConstruction, base), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp",
                           lambda self, node: self.construct_scalar(node))
    return loader


SpecLoader = loader_class(_Base)


class _SpecYamlError(Exception):
    """A bound the spec file exceeds; the message is the whole explanation."""


def read_spec_text(path: Path) -> str:
    """The text of the spec at ``path``: a regular UTF-8 file of at most ``MAX_SPEC_BYTES``."""
    # O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise QbankError(f"{path}: no such exam spec") from None
    except OSError as error:
        raise QbankError(f"{path}: cannot read the spec ({error.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise QbankError(f"{path}: is a folder, not an exam spec")
        if not stat.S_ISREG(mode):
            raise QbankError(f"{path}: not a regular file; an exam spec is a YAML file")
        data = b""  # one byte past the limit says the file is too large
        while len(data) <= MAX_SPEC_BYTES:
            block = os.read(fd, MAX_SPEC_BYTES + 1 - len(data))
            if not block:
                break
            data += block
    except OSError as error:
        raise QbankError(f"{path}: cannot read the spec ({error.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_SPEC_BYTES:
        raise QbankError(f"{path}: larger than {MAX_SPEC_BYTES:,} bytes; "
                         "an exam spec is a few kilobytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QbankError(f"{path}: cannot read the spec (not UTF-8 text: byte "
                         f"0x{data[error.start]:02x} at offset {error.start})") from None


def _check_shape(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH or more than MAX_NODES values, aliases expanded."""
    count = 0  # values so far, each alias counted as the values it stands for
    frames: list[list] = []  # per open collection: [count at its start, anchor, its depth]
    anchors: dict[str, Any] = {}  # anchor -> (values, depth), or _OPEN while being read
    too_deep, handful = f"nested more than {MAX_DEPTH} levels deep", "an exam spec needs a handful"
    for event in yaml.parse(text, Loader=SpecLoader):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            count += 1
            if event.anchor is not None:
                anchors[event.anchor] = (1, 0)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            if len(frames) >= MAX_DEPTH:
                raise _SpecYamlError(f"line {event.start_mark.line + 1}: {too_deep}; {handful}")
            if event.anchor is not None:
                anchors[event.anchor] = _OPEN
            frames.append([count, event.anchor, 1])
            count += 1
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            start, anchor, depth = frames.pop()
            if anchor is not None:
                anchors[anchor] = (count - start, depth)
            if frames:
                frames[-1][2] = max(frames[-1][2], depth + 1)
        elif kind is yaml.AliasEvent:
            target = anchors.get(event.anchor, (1, 0))  # undefined: the composer says so
            if target is _OPEN:
                raise _SpecYamlError(f"line {event.start_mark.line + 1}: alias "
                                     f"*{event.anchor} refers to the value that contains it")
            values, depth = target
            if len(frames) + depth > MAX_DEPTH:
                raise _SpecYamlError(f"line {event.start_mark.line + 1}: {too_deep} once "
                                     f"aliases are expanded; {handful}")
            if frames and depth:
                frames[-1][2] = max(frames[-1][2], depth + 1)
            count += values
        elif kind is yaml.DocumentStartEvent:
            anchors.clear()
        else:
            continue
        if count > MAX_NODES:
            raise _SpecYamlError(f"line {event.start_mark.line + 1}: more than {MAX_NODES:,} "
                                 "values once aliases are expanded; an exam spec needs a few "
                                 "hundred")


def load_spec_yaml(text: str, source: str) -> Any:
    """The data of a spec's YAML ``text``, or a one-line ``QbankError`` naming ``source``."""
    try:
        _check_shape(text)
        loader = SpecLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _SpecYamlError as error:
        raise QbankError(f"{source}: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        if isinstance(error, yaml.reader.ReaderError):  # a raw control character
            where = f" at line {text.count(chr(10), 0, error.position) + 1}"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise QbankError(f"{source}: malformed YAML{where}: {problem}") from None

"""Hostile exam specs: one line naming the file and the key, exit 2, nothing written, no hang.

Each family is what ``yaml.safe_load`` and the schema once let through or
crashed on: duplicate keys, alias bombs, deep nesting, special files,
impossible dates, text pdflatex cannot set, runaway lengths.  The bounds are
``qbank.spec_yaml`` and ``qbank.spec``'s constants; the printable characters
are ``qbank.user_text.TYPESET``, checked here against the installed TeX.
"""

from __future__ import annotations

import os
import shutil
import time
import unicodedata

import pytest
import yaml
from click.testing import CliRunner

from qbank import spec_yaml
from qbank.build import build_exam
from qbank.cli import cli
from qbank.errors import QbankError
from qbank.spec import load_spec
from qbank.user_text import TYPESET, installed_codepoints
from tests.time_limit import time_limit

ITEMS = "items:\n  - type: params.mlp\n    points: 3\n"


def refused(tmp_path, text: str | bytes, limit: float = 5.0) -> str:
    """Build ``text`` as a spec through the CLI; its one error line, after checking
    exit code 2, no traceback, and that nothing but the spec is in ``tmp_path``."""
    spec = tmp_path / "exam.yaml"
    if isinstance(text, bytes):
        spec.write_bytes(text)
    else:
        spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with time_limit(limit):
        result = CliRunner().invoke(cli, ["build", str(spec), "--out", str(out), "--tex-only"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qbank: error: "), result.stderr
    assert "Traceback" not in result.output and str(spec) in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exam.yaml"]
    return lines[0].removeprefix(f"qbank: error: {spec}: ")


# 1. Duplicate keys ---------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("title: T\ncourse: A\ncourse: B\n" + ITEMS,
     "duplicate key 'course' at line 3 (first at line 2)"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: 3\n    format: open\n    points: 4\n",
     "duplicate key 'points' at line 6 (first at line 4)"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: 3\n    params:\n"
     "      n_classes: 10\n      n_classes: 12\n",
     "duplicate key 'n_classes' at line 7 (first at line 6)"),
    ("title: T\nitems:\n  - {type: params.mlp, points: 1, points: 2}\n",
     "duplicate key 'points' at line 3 (first at line 3)"),
    (ITEMS + "title: T\ntitle: U\n", "duplicate key 'title' at line 5 (first at line 4)"),
])
def test_duplicate_keys_are_refused_with_both_lines(tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_a_merge_key_may_still_be_overridden(tmp_path):
    spec = tmp_path / "exam.yaml"
    spec.write_text("title: T\nitems:\n  - &mlp {type: params.mlp, points: 1}\n"
                    "  - <<: *mlp\n    points: 5\n")
    assert [item.points for item in load_spec(spec).items] == [1, 5]


def test_the_spec_loader_keeps_libyaml_when_pyyaml_has_it():
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(spec_yaml.SpecLoader, yaml.CSafeLoader)


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Every bound holds with PyYAML's own parser too (an install without libyaml)."""
    if request.param == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    if request.param == "pure-python":
        monkeypatch.setattr(spec_yaml, "SpecLoader", spec_yaml.loader_class(yaml.SafeLoader))


def _load(text: str):
    return spec_yaml.load_spec_yaml(text, "exam.yaml")


def test_duplicates_refused_by_either_parser(loader):
    with pytest.raises(QbankError, match=r"duplicate key 'b' at line 3 \(first at line 2\)"):
        _load("a: 1\nb: 2\nb: 3\n")


# 2. Alias bombs and size ------------------------------------------------------

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else 'lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi"))


@pytest.mark.parametrize("where", ["top level", "params"])
def test_billion_laughs_ends_within_a_second(tmp_path, where):
    item = "title: T\nitems:\n  - type: params.mlp\n    points: 1\n    params:\n"
    if where == "top level":
        text = LAUGHS + item + "      n_classes: *i\n"
    else:
        text = item + "".join(f"      {line}\n" for line in LAUGHS.splitlines())
    started = time.perf_counter()
    message = refused(tmp_path, text, limit=1.0)
    assert time.perf_counter() - started < 1.0
    assert f"more than {spec_yaml.MAX_NODES:,} values once aliases are expanded" in message


@pytest.mark.parametrize("text, fragment", [
    ("x: &a [1, *a]\n", "alias *a refers to the value that contains it"),
    ("x: &a {b: [*a]}\n", "alias *a refers to the value that contains it"),
    # Two anchors of 30 levels, one inside the other: 61 levels once expanded.
    ("a: &a " + "[" * 30 + "]" * 30 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n",
     "nested more than 50 levels deep once aliases are expanded"),
])
def test_aliases_that_recurse_or_nest_deep_are_refused(loader, text, fragment):
    with pytest.raises(QbankError, match=fragment.replace("*", r"\*")):
        _load(text)


def test_reused_aliases_within_the_bounds_still_load(loader):
    assert _load("a: &a {x: 1}\nb: [*a, *a]\n") == {"a": {"x": 1}, "b": [{"x": 1}] * 2}


def test_a_spec_larger_than_the_limit_is_refused(tmp_path):
    text = "title: T\n" + ITEMS + "# " + "x" * spec_yaml.MAX_SPEC_BYTES + "\n"
    assert refused(tmp_path, text) == (f"larger than {spec_yaml.MAX_SPEC_BYTES:,} bytes; "
                                       "an exam spec is a few kilobytes")


def test_many_values_are_refused_quickly(loader, request):
    started = time.perf_counter()
    with pytest.raises(QbankError, match="more than 100,000 values"):
        _load("x: [" + "1, " * 300_000 + "1]\n")
    if "libyaml" in request.node.name:  # PyYAML's own parser takes ~20 µs a value
        assert time.perf_counter() - started < 1.0


# 3. Dates, nesting, empty type, special files ---------------------------------

@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "2026-00-10",
                                  "'2026-02-30'", "2026-02-30 10:00"])
def test_impossible_dates_are_refused(tmp_path, date):
    shown = date.strip("'").split()[0]
    assert refused(tmp_path, f"title: T\ndate: {date}\n" + ITEMS) == \
        f"date: {shown} is not a calendar date"


@pytest.mark.parametrize("date, printed", [
    ("2026-11-30", "2026-11-30"), ("2026-1-5", "2026-1-5"), ("2028-02-29", "2028-02-29"),
    ("2026-11-30 10:00", "2026-11-30 10:00"), ("30 November 2026", "30 November 2026"),
])
def test_dates_are_kept_as_written(tmp_path, date, printed):
    spec = tmp_path / "exam.yaml"
    spec.write_text(f"title: T\ndate: {date}\n" + ITEMS)
    assert load_spec(spec).date == printed


@pytest.mark.parametrize("shape", ["flow sequences", "flow mappings", "block sequences",
                                   "block mappings"])
def test_5000_levels_of_nesting_are_refused(tmp_path, shape):
    deep = {"flow sequences": "[" * 5000 + "]" * 5000,
            "flow mappings": "{a: " * 5000 + "1" + "}" * 5000,
            "block sequences": "\n" + "- " * 5000 + "1",
            # Indentation grows by a column a level: 60 levels stay small.
            "block mappings": "".join(f"\n{' ' * level}a:" for level in range(1, 60)) + " 1",
            }[shape]
    message = refused(tmp_path, "title: T\n" + ITEMS + "x: " + deep + "\n")
    # libyaml stops flow sequences at its own limit of 1,000 levels, in its words.
    assert "nested more than 50 levels deep" in message or \
        message.endswith("exceeded maximum nesting depth")


@pytest.mark.parametrize("text, message", [
    ("title: T\nitems:\n  - type: \"\"\n    points: 1\n",
     "items[0].type: string should have at least 1 character (got '')"),
    ("title: T\nitems:\n  - choose: 1\n    from: [params.mlp, \"\"]\n    points: 1\n",
     "items[0].from[1]: string should have at least 1 character (got '')"),
    ("title: T\nitems:\n  - type: " + "x" * 1000 + "\n    points: 1\n",
     "items[0].type: string should have at most 100 characters (got 'xxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…, 1,000 characters)"),
    ("title: T\nseed: !!int abc\n" + ITEMS, "malformed YAML at line 2, column 7: cannot read "
     "this value as tag:yaml.org,2002:int (invalid literal for int() with base 10: 'abc')"),
    ("title: T\n? [a, b]\n: 1\n" + ITEMS, "malformed YAML at line 2, column 3: found "
     "unhashable key"),
    ("title: a\x07b\n" + ITEMS, "malformed YAML at line 1: unacceptable character #x0007: "
     "control characters are not allowed"),
])
def test_odd_values_are_one_line(tmp_path, text, message):
    if "#x0007" in message and not hasattr(yaml, "CSafeLoader"):
        message = message.replace("control", "special")  # PyYAML's own wording
    assert refused(tmp_path, text) == message


def test_undecodable_bytes_are_one_line(tmp_path):
    assert refused(tmp_path, b"title: caf\xe9\n" + ITEMS.encode()) == \
        "cannot read the spec (not UTF-8 text: byte 0xe9 at offset 10)"


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "folder"])
def test_special_files_are_refused_without_reading_them(tmp_path, kind):
    if kind == "/dev/zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero")
        path = "/dev/zero"
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "exam.yaml"
        os.mkfifo(path)  # no writer: opening it for reading would wait forever
    else:
        path = tmp_path / "exam.yaml"
        path.mkdir()
    with time_limit(2.0), pytest.raises(QbankError) as error:
        load_spec(path)
    expected = "is a folder, not an exam spec" if kind == "folder" else \
        "not a regular file; an exam spec is a YAML file"
    assert str(error.value) == f"{path}: {expected}"


def test_special_files_through_the_cli_write_nothing(tmp_path):
    out = tmp_path / "out"
    with time_limit(2.0):
        result = CliRunner().invoke(cli, ["build", "/dev/zero", "--out", str(out), "--tex-only"])
    assert result.exit_code == 2
    assert result.stderr.strip() == \
        "qbank: error: /dev/zero: not a regular file; an exam spec is a YAML file"
    assert not out.exists()


# 4. Text that reaches LaTeX ---------------------------------------------------

FIELDS = {"title": "title: {}\n", "course": "title: T\ncourse: {}\n",
          "date": "title: T\ndate: {}\n", "instructions": "title: T\ninstructions: {}\n"}


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("escape, shown, described", [
    ("\\U0001F600", "'😀'", "U+1F600 GRINNING FACE"),
    ("\\u8003", "'考'", "U+8003 CJK UNIFIED IDEOGRAPH-8003"),
    ("\\u0627", "'ا'", "U+0627 ARABIC LETTER ALEF"),
    ("\\u03b2", "'β'", "U+03B2 GREEK SMALL LETTER BETA"),
    ("\\u202e", "'\\u202e'", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("q\\u0308", "'\\u0308'", "U+0308 COMBINING DIAERESIS"),   # q̈ has no precomposed form
    ("\\u2009", "'\\u2009'", "U+2009 THIN SPACE"),
])
def test_characters_outside_the_set_are_named(tmp_path, field, escape, shown, described):
    text = FIELDS[field].format(f'"Exam {escape} 1"') + ITEMS
    assert refused(tmp_path, text) == (f"{field}: cannot typeset {shown} ({described}); "
                                       "qbank's papers set Latin-script European languages")


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("escape, shown", [("\\0", "'\\x00'"), ("\\a", "'\\x07'"),
                                           ("\\e", "'\\x1b'"), ("\\r", "'\\r'")])
def test_control_characters_are_refused(tmp_path, field, escape, shown):
    code = ord(eval(shown))
    message = refused(tmp_path, FIELDS[field].format(f'"a{escape}b"') + ITEMS)
    assert message.startswith(f"{field}: cannot typeset {shown} (U+{code:04X}, "
                              "a control character); ")


@pytest.mark.parametrize("field", ["title", "course", "date"])
def test_one_line_fields_refuse_inner_tabs_and_line_breaks(tmp_path, field):
    message = refused(tmp_path, FIELDS[field].format('"a\\tb"') + ITEMS)
    assert message == (f"{field}: cannot typeset '\\t' (U+0009, a control character); "
                       "only the instructions may hold tabs and line breaks")


def test_nfc_tabs_newlines_and_block_titles_are_accepted(tmp_path):
    spec = tmp_path / "exam.yaml"
    spec.write_text('title: |\n  Cafe\u0301 Prüfung\ncourse: "Cafe\\u0301"\n'
                    'instructions: "Answer\\tall.\\nŁódź, Ærøskøbing – “quoted” … 5 €"\n' + ITEMS,
                    encoding="utf-8")
    spec = load_spec(spec)
    assert spec.title == "Café Prüfung" and spec.course == "Café"
    assert spec.instructions == "Answer\tall.\nŁódź, Ærøskøbing – “quoted” … 5 €"


def test_the_committed_set_is_what_the_installed_latex_declares():
    installed = installed_codepoints()
    if installed is None:
        pytest.skip("kpsewhich cannot find the .dfu files (TeX is not installed)")
    assert TYPESET == installed | set(range(0x20, 0x7F)), \
        "the installed LaTeX differs: run python -m qbank.user_text and review the diff"


def test_the_set_covers_european_latin_and_its_punctuation():
    for char in "àâçéèêëîïôûùüÿæœÀÇÉÆŒäöüßÄÖÜåøÅØáíóúñ¿¡ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťžůČŘŠŽőűşţșțğı" \
                "–—‘’‚“”„…€£«»‹›·°±×÷§¶©®™•†‡":
        assert ord(char) in TYPESET, char


def _printable_sample() -> list[str]:
    """Every accepted character that NFC leaves alone (U+2126 OHM SIGN becomes Greek Ω)."""
    return [chr(code) for code in sorted(TYPESET)
            if unicodedata.normalize("NFC", chr(code)) == chr(code) and code != 0x20]


@pytest.mark.tex
def test_every_accepted_character_typesets(tmp_path):
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex is not installed")
    chars = _printable_sample()
    # Title, course and date between them hold every character once; the
    # instructions hold all of them again.  A lost glyph is a TeX error here.
    look = tmp_path / "look"
    look.mkdir()
    (look / "local.tex.j2").write_text("\\tracinglostchars=3\n")
    title, course, date = chars[:190], chars[190:380], chars[380:]
    assert len(date) <= 95

    def quoted(part):
        return yaml.safe_dump("x " + "".join(part) + " x", allow_unicode=True,
                              default_style='"', width=10**6).splitlines()[0]
    spec = tmp_path / "exam.yaml"
    spec.write_text(f"title: {quoted(title)}\ncourse: {quoted(course)}\ndate: {quoted(date)}\n"
                    f"instructions: {quoted(' '.join(chars))}\ntemplates: look\n" + ITEMS,
                    encoding="utf-8")
    loaded = load_spec(spec)
    assert loaded.title + loaded.course + loaded.date == "".join(
        f"x {''.join(part)} x" for part in (title, course, date))
    result = build_exam(spec, variants=1, out=tmp_path / "out")
    assert (result.out_dir / "variant-001" / "questions.pdf").stat().st_size > 0


# 5. Lengths and answer space ----------------------------------------------------

@pytest.mark.parametrize("field, limit", [("title", 200), ("course", 200), ("date", 100),
                                          ("instructions", 5000)])
def test_text_fields_are_bounded(tmp_path, field, limit):
    spec = tmp_path / "exam.yaml"
    spec.write_text(FIELDS[field].format("a" * limit) + ITEMS)
    assert len(getattr(load_spec(spec), field)) == limit
    spec.unlink()
    message = refused(tmp_path, FIELDS[field].format("a" * (limit + 1)) + ITEMS)
    assert message.startswith(f"{field}: string should have at most {limit} characters")


def test_250000_characters_of_instructions_are_one_short_line(tmp_path):
    message = refused(tmp_path, "title: T\ninstructions: " + "a " * 125_000 + "\n" + ITEMS)
    assert message.startswith("instructions: string should have at most 5000 characters")
    assert message.endswith("…, 249,999 characters)") and len(message) < 200


@pytest.mark.parametrize("space", ["25cm", "250mm", "9.8in", "700pt", "0.5cm"])
def test_answer_space_that_fits_on_a4_is_accepted(tmp_path, space):
    spec = tmp_path / "exam.yaml"
    spec.write_text(ITEMS.join(["title: T\n", f"    answer_space: {space}\n"]))
    assert load_spec(spec).items[0].answer_space == space


@pytest.mark.parametrize("space", ["99999cm", "25.5cm", "251mm", "10in", "720pt",
                                   "9" * 400 + "cm"])
def test_answer_space_taller_than_a4_is_refused(tmp_path, space):
    message = refused(tmp_path, ITEMS.join(["title: T\n", f"    answer_space: {space}\n"]))
    assert message.startswith("items[0].answer_space: at most 25cm fits on an A4 page (got '")

"""The hidden folders of a build: made, moved into place, swept after a crash.

A build writes into ``.NAME.partial-PID-XXXXXX`` beside its destination
``NAME`` and, on a rebuild, moves the previous build aside into
``.NAME.old-PID-XXXXXX`` for the instant of the swap.  The pid of the build
is in the name so that a later build can tell a folder whose owner is gone
(it was killed with SIGKILL, or the machine went down) from one of a build
still running beside it: ``sweep_leftovers`` removes only the former.  A
leftover ``.old-`` folder holds the previous build; when the destination is
missing (the crash came between the two renames) it is put back rather than
removed.

The folders are made with ``mkdir``, not ``tempfile.mkdtemp``: mkdtemp's
mode 0700 would become the finished build folder's mode, while every other
folder and file in it follows the umask.

A file-system failure (read-only, full, not a folder at all, as in /proc)
becomes a one-line ``BuildError`` naming the path and the cause.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from qbank.errors import BuildError

PARTIAL, OLD = "partial", "old"
_OWNED = re.compile(r"(\d+)-[0-9a-f]{6}")


def write_error(error: OSError, path: Path | str | None = None) -> BuildError:
    """``cannot write PATH: CAUSE``; PATH is ``path`` or the file the error names."""
    where = path if path is not None else (error.filename or "the build folder")
    cause = error.strerror or str(error)
    return BuildError(f"cannot write {where}: {cause}")


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Re-raise an OSError inside the block as one of writing ``path``.

    A failed ``write`` or ``close`` names no file, pikepdf names a Python
    object and ``shutil.copyfile`` the source; the message should name the
    file that could not be written.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error


def write_text(path: Path, text: str) -> None:
    """``path.write_text`` whose failure names ``path`` (a failed write names no file)."""
    with writing(path):
        path.write_text(text, encoding="utf-8")


def new_folder(destination: Path, kind: str) -> Path:
    """A new, empty ``.NAME.KIND-PID-XXXXXX`` beside ``destination``, mode as the umask says."""
    while True:
        folder = destination.with_name(
            f".{destination.name}.{kind}-{os.getpid()}-{secrets.token_hex(3)}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def owner_alive(pid: int) -> bool:
    """Whether process ``pid`` (the owner recorded in a hidden folder's name) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _leftovers(destination: Path) -> list[tuple[str, Path]]:
    """(kind, folder) of every hidden folder of ``destination`` whose build is gone."""
    found = []
    try:
        entries = list(destination.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        for kind in (PARTIAL, OLD):
            prefix = f".{destination.name}.{kind}-"
            if not entry.name.startswith(prefix):
                continue
            owner = _OWNED.fullmatch(entry.name[len(prefix):])
            if owner and not owner_alive(int(owner[1])):
                found.append((kind, entry))
    return found


def sweep_leftovers(destination: Path) -> list[str]:
    """Remove (or restore) what interrupted builds of ``destination`` left; say what was done.

    A folder that cannot be removed (a read-only file system) is left as it
    is: the build itself will then fail with the reason.
    """
    removed, reports = 0, []
    for kind, folder in _leftovers(destination):
        previous = folder / destination.name
        if kind == OLD and previous.is_dir() and not destination.exists():
            try:
                previous.rename(destination)
            except OSError:
                continue  # keep it: it is the only copy of the previous build
            reports.append(f"restored the previous build {destination} from an interrupted run")
            shutil.rmtree(folder, ignore_errors=True)
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    if removed:
        builds = "build" if removed == 1 else "builds"
        reports.append(f"removed {removed} stale partial {builds} from an interrupted run")
    return reports


def create_partial(destination: Path) -> Path:
    """The partial folder of a new build of ``destination`` (its parent made if need be)."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        return new_folder(destination, PARTIAL)
    except OSError as error:
        raise write_error(error, destination) from error


def move_into_place(partial: Path, destination: Path) -> None:
    """Replace ``destination`` by ``partial``; on failure the previous build stays where it was."""
    aside = None
    try:
        if destination.exists():
            aside = new_folder(destination, OLD)
            destination.rename(aside / destination.name)
        partial.rename(destination)
    except BaseException as error:
        if aside is not None:
            _put_back(aside / destination.name, destination)
        if isinstance(error, OSError):
            raise write_error(error, destination) from error
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _put_back(previous: Path, destination: Path) -> None:
    """Undo the first half of a swap; if even this fails, the next build's sweep does it."""
    with suppress(OSError):
        if previous.exists() and not destination.exists():
            previous.rename(destination)
        previous.parent.rmdir()

"""Runs pdflatex, without shell escape, as many passes as a document needs.

A document that reads back what TeX wrote on an earlier pass (the question
paper's "page x of y", the gallery's table of contents) gets a first pass in
draft mode, which writes the ``.aux`` file but no PDF, and further passes
while the ``.aux`` or ``.toc`` file still changes, up to ``MAX_PASSES``.  Any
other document (the solution papers) is done in one pass.  Running pdflatex
directly rather than through latexmk saves a Perl start-up per document and
lets the build read the terminal as it goes: every typeset variant prints a
line that advances the progress bar.

When TeX fails, the error is mapped back to the question it came from through
the ``% qbank-question:`` markers the master templates put before each
question, so the report names the variant and the question type, followed by
the relevant lines of the log.  When TeX could not write its output (a full disk)
the report is one line naming the file and the cause instead.

Each pdflatex runs in a process group of its own, and ``RunningTex.cancel``
kills the whole group: whatever TeX started dies with it, and a Ctrl-C at the
terminal reaches qbank alone, which stops TeX and cleans up (see
``qbank.build.signals``).  A run interrupted by any exception in the thread
that waits on it (a signal in the main thread of ``compile_to``) is killed
before the exception goes on.  Should qbank itself be killed with SIGKILL,
TeX dies at its next line of terminal output, which goes to qbank's pipe.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qbank.build.folders import owner_alive, write_error
from qbank.errors import BuildError, QbankError

PDFLATEX = ("pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
            "-file-line-error")
MAX_PASSES = 4
REREAD_SUFFIXES = (".aux", ".toc")
# What the master templates use that is only known after a pass.
READS_BACK = ("\\qbanklastpage", "\\tableofcontents", "\\pageref", "\\ref")
# Long terminal lines keep "file:line: message" and our own lines unbroken.
TEX_ENV = {**os.environ, "max_print_line": "10000", "error_line": "254", "half_error_line": "238"}
VARIANT_DONE = re.compile(r"^qbank: typeset variant (\S+)")
MARKER = re.compile(r"^% qbank-question: variant (\S+) slot (\d+) type (\S+) seed (\d+)")
VARIANT_START = re.compile(r"^\\qbankbeginvariant\{([^}]*)\}")
FILE_LINE_ERROR = re.compile(r"^[^:\n]*\.tex:(\d+): (.*)$", re.MULTILINE)
# What pdfTeX says when a write fails: the PDF ("fwrite() failed", "fflush() failed
# (No space left on device)") or a \openout ("I can't write on file `x.aux'").
WRITE_FAILED = re.compile(r"\bf\w+\(\) failed(?: \(([^)]*)\))?|I can't write on file `([^']*)'")
# Below this much free space, a failed write is taken for a full disk.
NEARLY_FULL = 64 * 1024 * 1024
INSTALL_HINT = ("install TeX Live: bash .ci/setup in a qbank checkout, or apt-get install "
                "texlive-latex-base texlive-latex-recommended texlive-latex-extra "
                "texlive-fonts-recommended lmodern")


def require_pdflatex() -> None:
    """Fail early, before any work, when TeX is not installed."""
    if shutil.which("pdflatex") is None:
        raise QbankError(f"pdflatex not found; {INSTALL_HINT} (or use --tex-only)")


def pdflatex_version() -> str:
    """pdflatex's banner line: part of the build cache's key, so an upgrade recompiles."""
    result = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True,
                            errors="replace")
    return result.stdout.splitlines()[0] if result.stdout else "unknown pdflatex"


@dataclass(frozen=True)
class CompileJob:
    """One .tex file to turn into a PDF; ``label`` says which paper or chunk it is."""

    tex_path: Path
    label: str
    # TEXINPUTS for a spec's own templates folder (its logo), or None.
    search_path: str | None = None


@dataclass(frozen=True)
class Compiled:
    pdf: Path
    passes: int


class RunningTex:
    """The pdflatex processes of a build, so that one failure can stop the others."""

    def __init__(self):
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen] = set()
        self.cancelled = False

    def start(self, *args, **kwargs) -> subprocess.Popen:
        with self._lock:
            if self.cancelled:
                raise BuildError("build cancelled")
            process = subprocess.Popen(*args, start_new_session=True, **kwargs)
            self._processes.add(process)
            return process

    def finished(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.discard(process)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for process in self._processes:
                kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process group of a TeX run that has not been waited for yet."""
    if process.returncode is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _where(tex_source: str, line_number: int) -> str:
    """'variant 002, question 2 (params.mlp, seed 123)' for the line's question."""
    variant, question = None, "the paper's header or instructions"
    for number, line in enumerate(tex_source.splitlines(), start=1):
        if number > line_number:
            break
        start = VARIANT_START.match(line)
        if start:
            variant, question = start[1], "the paper's header or instructions"
        match = MARKER.match(line)
        if match:
            variant = match[1]
            question = f"question {match[2]} ({match[3]}, seed {match[4]})"
    return question if variant is None else f"variant {variant}, {question}"


def _log_excerpt(log_text: str, max_lines: int = 8) -> list[str]:
    lines = log_text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!") or FILE_LINE_ERROR.match(line):
            return [l for l in lines[index:index + max_lines] if l.strip()]
    return [l for l in lines[-max_lines:] if l.strip()]


def explain_failure(job: CompileJob, log_text: str) -> str:
    source = job.tex_path.read_text(encoding="utf-8")
    match = FILE_LINE_ERROR.search(log_text)
    where = _where(source, int(match[1])) if match else "an unknown place"
    message = match[2] if match else "see the log"
    excerpt = "\n".join("    " + line for line in _log_excerpt(log_text))
    return f"TeX failed on {job.label}, {where}: {message}\n{excerpt}"


def reads_back(tex_source: str) -> bool:
    """Whether the document uses something only a previous pass can tell it."""
    return any(command in tex_source for command in READS_BACK)


def _reread_state(tex_path: Path) -> tuple:
    files = (tex_path.with_suffix(suffix) for suffix in REREAD_SUFFIXES)
    return tuple(path.read_bytes() if path.exists() else None for path in files)


def _environment(job: CompileJob) -> dict:
    return TEX_ENV if job.search_path is None else {**TEX_ENV, "TEXINPUTS": job.search_path}


def _one_pass(job: CompileJob, running: RunningTex, on_variant: Callable[[str], None], *,
              draft: bool) -> None:
    """Run pdflatex once; raise BuildError when it fails."""
    command = [*PDFLATEX, *(["-draftmode"] if draft else []), job.tex_path.name]
    process = running.start(command, cwd=job.tex_path.parent,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace",
                            env=_environment(job))
    tail: deque[str] = deque(maxlen=40)
    try:
        for line in process.stdout:
            done = VARIANT_DONE.match(line)
            if done:
                on_variant(done[1])
            tail.append(line)
        process.wait()
    except BaseException:
        kill(process)
        process.wait()
        raise
    finally:
        process.stdout.close()
        running.finished(process)
    if running.cancelled:
        raise BuildError("build cancelled")
    if process.returncode != 0 or not (draft or job.tex_path.with_suffix(".pdf").exists()):
        _raise_write_failure(job, "".join(tail))
        log = job.tex_path.with_suffix(".log")
        log_text = log.read_text(errors="replace") if log.exists() else "".join(tail)
        raise BuildError(explain_failure(job, log_text))


def _raise_write_failure(job: CompileJob, terminal: str) -> None:
    """One line for a TeX run that failed because it could not write a file."""
    failed = WRITE_FAILED.search(terminal)
    if failed is None:
        return
    target = job.tex_path.parent / (failed[2] or job.tex_path.with_suffix(".pdf").name)
    try:
        usage = os.statvfs(job.tex_path.parent)
        full = usage.f_bavail * usage.f_frsize < NEARLY_FULL
    except OSError:
        full = False
    cause = failed[1] or (os.strerror(errno.ENOSPC) if full else f"TeX says: {failed[0]}")
    raise BuildError(f"cannot write {target}: {cause}")


def compile_pdf(job: CompileJob, *, running: RunningTex | None = None,
                on_variant: Callable[[str, int], None] = lambda label, number: None) -> Compiled:
    """Compile ``job.tex_path`` in its own folder with as many passes as it needs.

    ``on_variant(label, pass_number)`` is called as each variant is typeset.
    """
    running = running or RunningTex()
    if not reads_back(job.tex_path.read_text(encoding="utf-8")):
        _one_pass(job, running, lambda label: on_variant(label, 1), draft=False)
        return Compiled(job.tex_path.with_suffix(".pdf"), 1)
    before = _reread_state(job.tex_path)
    # With nothing to read back yet, a second pass is certain: the first only
    # has to write the .aux file, which pdfTeX's draft mode does without a PDF.
    draft = all(state is None for state in before)
    passes = 0
    while True:
        passes += 1
        _one_pass(job, running, lambda label: on_variant(label, passes), draft=draft)
        after = _reread_state(job.tex_path)
        if not draft and (after == before or passes == MAX_PASSES):
            return Compiled(job.tex_path.with_suffix(".pdf"), passes)
        before, draft = after, False


def compile_to(tex_source: str | Callable[[], str], out: Path, label: str) -> Path:
    """One standalone document to ``out``, compiled in a temporary folder.

    ``out`` appears (atomically) only when TeX succeeded; a failure leaves it
    as it was.  The hidden file that becomes ``out`` is made first, so an
    unwritable destination (read-only, full, in /proc) is a one-line
    BuildError before any TeX run; pass ``tex_source`` as a function to put
    off the work of rendering it until then too.
    """
    require_pdflatex()
    partial = _reserve(out)
    try:
        with tempfile.TemporaryDirectory(prefix="qbank-tex-") as folder:
            tex_path = Path(folder) / "document.tex"
            source = tex_source() if callable(tex_source) else tex_source
            tex_path.write_text(source, encoding="utf-8")
            pdf = compile_pdf(CompileJob(tex_path, label)).pdf
            try:
                shutil.copyfile(pdf, partial)
                partial.replace(out)
            except OSError as error:  # copyfile names its source; the failure is out's
                raise OSError(error.errno, error.strerror, str(out)) from error
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        raise write_error(error, error.filename or out) from error
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
    return out


def _reserve(out: Path) -> Path:
    """An empty hidden file beside ``out`` (``.NAME.partial-PID``), or why there cannot be one.

    Such files of processes that are gone (killed with SIGKILL) are removed first.
    """
    prefix = f".{out.name}.partial-"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        for entry in out.parent.iterdir():
            owner = entry.name[len(prefix):]
            if entry.name.startswith(prefix) and owner.isdigit() and not owner_alive(int(owner)):
                entry.unlink(missing_ok=True)
        partial = out.with_name(f"{prefix}{os.getpid()}")
        partial.touch()
    except OSError as error:
        raise write_error(error, out) from error
    return partial

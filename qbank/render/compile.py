"""Compiles LaTeX to PDF with latexmk/pdflatex, without shell escape.

latexmk decides how many passes a paper needs (the grade table and "page x of
y" need a second one).  When TeX fails, the error is mapped back to the
question it came from through the ``% qbank-question:`` markers the master
templates put before each question, so the report names the variant and the
question type, followed by the relevant lines of the log.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from qbank.errors import BuildError, QbankError

PDFLATEX = "pdflatex -no-shell-escape -interaction=nonstopmode -halt-on-error -file-line-error %O %S"
LATEXMK = ("latexmk", "-pdf", "-quiet", f"-pdflatex={PDFLATEX}")
MARKER = re.compile(r"^% qbank-question: slot (\d+) type (\S+) seed (\d+)")
FILE_LINE_ERROR = re.compile(r"^[^:\n]*\.tex:(\d+): (.*)$", re.MULTILINE)
INSTALL_HINT = ("install TeX Live: apt-get install texlive-latex-base texlive-latex-recommended "
                "texlive-latex-extra texlive-fonts-recommended texlive-science latexmk")


def require_latexmk() -> None:
    """Fail early, before any work, when TeX is not installed."""
    for tool in ("latexmk", "pdflatex"):
        if shutil.which(tool) is None:
            raise QbankError(f"{tool} not found; {INSTALL_HINT} (or use --tex-only)")


@dataclass(frozen=True)
class CompileJob:
    """One .tex file to turn into a PDF; ``label`` says which paper it is."""

    tex_path: Path
    label: str


def _question_at(tex_source: str, line_number: int) -> str:
    """'question 2 (params.mlp, seed 123)' for the question containing that line."""
    found = "the paper's header or instructions"
    for number, line in enumerate(tex_source.splitlines(), start=1):
        if number > line_number:
            break
        match = MARKER.match(line)
        if match:
            found = f"question {match[1]} ({match[2]}, seed {match[3]})"
    return found


def _log_excerpt(log_text: str, max_lines: int = 8) -> list[str]:
    lines = log_text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!") or FILE_LINE_ERROR.match(line):
            return [l for l in lines[index:index + max_lines] if l.strip()]
    return [l for l in lines[-max_lines:] if l.strip()]


def explain_failure(job: CompileJob, log_text: str) -> str:
    source = job.tex_path.read_text(encoding="utf-8")
    match = FILE_LINE_ERROR.search(log_text)
    where = _question_at(source, int(match[1])) if match else "an unknown place"
    message = match[2] if match else "see the log"
    excerpt = "\n".join("    " + line for line in _log_excerpt(log_text))
    return f"TeX failed on {job.label}, {where}: {message}\n{excerpt}"


def compile_pdf(job: CompileJob) -> Path:
    """Compile ``job.tex_path`` in its own folder; return the PDF path or raise BuildError."""
    folder = job.tex_path.parent
    result = subprocess.run([*LATEXMK, job.tex_path.name], cwd=folder,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            errors="replace")
    pdf = job.tex_path.with_suffix(".pdf")
    if result.returncode != 0 or not pdf.exists():
        log = job.tex_path.with_suffix(".log")
        log_text = log.read_text(errors="replace") if log.exists() else result.stdout + result.stderr
        raise BuildError(explain_failure(job, log_text))
    return pdf

"""Wall time of ``qbank build`` against the TeX floor, and peak memory.

For each requested number of variants of a spec (default: the sample exam),
prints the wall time of a full build (question and solution PDFs per variant)
and of a ``--tex-only`` build, then the floor: one pdflatex pass over a single
document holding the bodies of every paper of the largest build.  Peak memory
is the largest resident set of the build process and its TeX children.

Run:  .venv/bin/python benchmarks/build_speed.py [--variants 10 100] [--spec FILE]
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QBANK = [sys.executable, "-m", "qbank"]


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_children_mb() -> float:
    # ru_maxrss of children is in KiB on Linux: the largest single child so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def combined_document(build_dir: Path) -> str:
    """One document with the body of every paper, under the first paper's preamble."""
    papers = sorted(build_dir.glob("variant-*/*.tex"))
    first = papers[0].read_text(encoding="utf-8")
    preamble = first[:first.index(r"\begin{document}")]
    bodies = []
    for paper in papers:
        text = paper.read_text(encoding="utf-8")
        body = re.search(r"\\begin{document}(.*)\\end{document}", text, re.S)[1]
        bodies.append(body + "\n\\newpage\n")
    return preamble + "\\begin{document}\n" + "".join(bodies) + "\\end{document}\n"


def tex_floor(build_dir: Path) -> tuple[float, int]:
    """Seconds of one pdflatex pass over all the build's papers, and their count."""
    with tempfile.TemporaryDirectory() as folder:
        tex = Path(folder) / "all.tex"
        tex.write_text(combined_document(build_dir), encoding="utf-8")
        seconds = timed(["pdflatex", "-no-shell-escape", "-interaction=batchmode",
                         tex.name], Path(folder))
    return seconds, len(list(build_dir.glob("variant-*/*.tex")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--spec", default=str(ROOT / "banks" / "dl-test-3.yaml"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for count in args.variants:
            tex_only = timed([*QBANK, "build", args.spec, "--variants", str(count),
                              "--out", str(out / f"tex-{count}"), "--tex-only"], ROOT)
            full = timed([*QBANK, "build", args.spec, "--variants", str(count),
                          "--out", str(out / f"pdf-{count}")], ROOT)
            print(f"{count:6d} variants: build {full:8.1f} s ({full / count:.3f} s/variant), "
                  f"--tex-only {tex_only:6.2f} s")
        largest = max(args.variants)
        floor, papers = tex_floor(out / f"tex-{largest}")
        print(f"floor: one pdflatex pass over the {papers} papers of the {largest}-variant "
              f"build: {floor:.1f} s")
        print(f"peak memory of one process (qbank or TeX): {peak_children_mb():.0f} MB")


if __name__ == "__main__":
    main()

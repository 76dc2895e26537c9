"""Wall time and peak memory of `qbank build`, against the TeX floor, in one run.

For each requested number of variants of a spec (default: the sample exam at
10, 100 and 1,000 variants), prints the wall time of a full build from scratch
(question and solution PDFs per variant, the two print-ready PDFs, manifest
and answer key; `--force`, so no cache) and the peak memory of the build: the
largest total resident memory of qbank and its TeX processes together, sampled
every 20 ms.  Then the rebuild time of the largest build with nothing changed
(every chunk from the cache), and the floor: one pdflatex pass, in one process,
over one document holding every question and solution page of the largest
build, i.e. the same TeX with no start-ups, no second pass and no splitting.

Run:  .venv/bin/python benchmarks/build_speed.py [--variants 10 100 1000] [--spec FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QBANK = [sys.executable, "-m", "qbank"]
BEGIN, END = "\\begin{document}\n", "\\end{document}\n"


def _tree_rss_kib(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as statm:
                pages = int(statm.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak MB (process tree) of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
    return seconds, peak / 1024


def floor_document(build_dir: Path) -> str:
    """Every variant's question and solution pages in one document (solutions' class options)."""
    variants = sorted(build_dir.glob("variant-*"))
    opening = (variants[0] / "solutions.tex").read_text(encoding="utf-8")
    opening = opening[:opening.index(BEGIN) + len(BEGIN)]
    bodies = []
    for paper in ("questions", "solutions"):
        for variant in variants:
            text = (variant / f"{paper}.tex").read_text(encoding="utf-8")
            bodies.append(text[text.index(BEGIN) + len(BEGIN):text.rindex(END)])
    return opening + "".join(bodies) + END


def tex_floor(build_dir: Path) -> tuple[float, int]:
    """Seconds of one pdflatex pass over the floor document, and its page count."""
    with tempfile.TemporaryDirectory() as folder:
        tex = Path(folder) / "floor.tex"
        tex.write_text(floor_document(build_dir), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=batchmode", tex.name],
                       cwd=folder, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        info = subprocess.run(["pdfinfo", "floor.pdf"], cwd=folder, capture_output=True,
                              text=True).stdout
    pages = next((int(line.split()[-1]) for line in info.splitlines()
                  if line.startswith("Pages:")), 0)
    return seconds, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--spec", default=str(ROOT / "banks" / "dl-test-3.yaml"))
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; spec {Path(args.spec).name}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        timings = {}
        for count in args.variants:
            target = out / f"build-{count}"
            seconds, peak = run_measured([*QBANK, "build", args.spec, "--variants", str(count),
                                          "--out", str(target), "--force"], ROOT)
            timings[count] = seconds
            print(f"build {count:5d} variants: {seconds:7.2f} s ({1000 * seconds / count:6.1f} "
                  f"ms/variant), peak memory {peak:5.0f} MB")
        largest = max(args.variants)
        target = out / f"build-{largest}"
        rebuild, _ = run_measured([*QBANK, "build", args.spec, "--variants", str(largest),
                                   "--out", str(target)], ROOT)
        print(f"rebuild {largest} variants, nothing changed: {rebuild:.2f} s")
        floor, pages = tex_floor(target)
        print(f"floor: one pdflatex pass over all {pages} pages of the {largest}-variant build: "
              f"{floor:.2f} s")
        print(f"build / floor at {largest} variants: {timings[largest] / floor:.2f}x")


if __name__ == "__main__":
    main()

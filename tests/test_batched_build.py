"""Batched builds change speed, not content.

Variants typeset many to a TeX document and cut apart must print exactly the
pages that typesetting each paper on its own prints; page numbers, headers and
totals are per variant; the print-ready PDFs are the variants in order; and
the build cache reuses exactly the chunks whose source did not change.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from qbank.build import Progress, build_exam
from qbank.build.chunks import MAX_CHUNK, MIN_CHUNK, chunk_size
from qbank.build.pdfs import page_counts
from qbank.errors import BuildError
from qbank.render.compile import reads_back

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "banks" / "dl-test-3.yaml"
HAS_TEX = all(shutil.which(tool) for tool in ("pdflatex", "pdftotext"))
needs_tex = pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")


def _pages(pdf: Path) -> list[str]:
    """The text of each page, whitespace-normalised (pdftotext ends pages with \\f)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


class _Recorder(Progress):
    def __init__(self):
        self.total, self.done = None, 0

    def start(self, total):
        self.total = total

    def advance(self, units=1):
        self.done += units


@pytest.fixture(scope="module")
def batched_and_single(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batched")
    progress = _Recorder()
    batched = build_exam(SAMPLE, variants=5, seed=21, out=folder / "batched", chunk=2,
                         progress=progress)
    single = build_exam(SAMPLE, variants=5, seed=21, out=folder / "single", chunk=1)
    return batched, single, progress


@needs_tex
def test_batched_pages_equal_one_paper_at_a_time(batched_and_single):
    batched, single, _ = batched_and_single
    assert (batched.chunk_count, single.chunk_count) == (6, 10)
    for name in ("answer-key.csv", "manifest.json"):
        assert filecmp.cmp(batched.out_dir / name, single.out_dir / name, shallow=False)
    for label in ("001", "002", "003", "004", "005"):
        for paper in ("questions", "solutions"):
            relative = Path(f"variant-{label}") / paper
            assert filecmp.cmp(batched.out_dir / f"{relative}.tex",
                               single.out_dir / f"{relative}.tex", shallow=False)
            pages = _pages(batched.out_dir / f"{relative}.pdf")
            assert pages == _pages(single.out_dir / f"{relative}.pdf")
            assert len(pages) >= 2


@needs_tex
def test_every_page_carries_its_own_variant_and_page_number(batched_and_single):
    batched, _, _ = batched_and_single
    for label in ("001", "002", "003", "004", "005"):
        questions = _pages(batched.out_dir / f"variant-{label}" / "questions.pdf")
        for number, page in enumerate(questions, start=1):
            assert page.endswith(f"Page {number} of {len(questions)}")
            assert f"Variant {label}" in page
        assert "Question 1 2 3 4 5 6 Total Marks 4 2 3 2 2 3 16" in questions[0]
        solutions = _pages(batched.out_dir / f"variant-{label}" / "solutions.pdf")
        for number, page in enumerate(solutions, start=1):
            assert page.endswith(f"Page {number}") and f"Variant {label}" in page


@needs_tex
def test_print_ready_pdfs_are_the_variants_in_order(batched_and_single):
    batched, single, _ = batched_and_single
    for out_dir in (batched.out_dir, single.out_dir):
        for paper in ("questions", "solutions"):
            expected = [page for label in ("001", "002", "003", "004", "005")
                        for page in _pages(out_dir / f"variant-{label}" / f"{paper}.pdf")]
            assert _pages(out_dir / f"all-{paper}.pdf") == expected


@needs_tex
def test_progress_ends_exactly_full(batched_and_single):
    _, _, progress = batched_and_single
    # Questions read their page count back (two passes), solutions take one.
    assert progress.total == 5 * (2 + 1) and progress.done == progress.total


@needs_tex
def test_rebuild_recompiles_only_changed_chunks(tmp_path):
    out = tmp_path / "exam"
    first = build_exam(SAMPLE, variants=4, seed=3, out=out, chunk=2)
    assert (first.chunk_count, first.chunks_reused) == (4, 0)
    before = (out / "all-solutions.pdf").read_bytes()

    progress = _Recorder()
    again = build_exam(SAMPLE, variants=4, seed=3, out=out, chunk=2, progress=progress)
    assert (again.chunk_count, again.chunks_reused) == (4, 4)
    assert (out / "all-solutions.pdf").read_bytes() == before
    assert progress.done == progress.total

    more = build_exam(SAMPLE, variants=6, seed=3, out=out, chunk=2)
    assert (more.chunk_count, more.chunks_reused) == (6, 4)
    assert len(_pages(out / "variant-006" / "questions.pdf")) >= 2

    forced = build_exam(SAMPLE, variants=6, seed=3, out=out, chunk=2, force=True)
    assert (forced.chunk_count, forced.chunks_reused) == (6, 0)
    # The cache holds the latest build's chunks only.
    assert len(list((out / ".cache").glob("*.pdf"))) == 6


def test_chunk_size_shares_variants_between_workers_within_limits():
    assert chunk_size(3, 2) == MIN_CHUNK
    assert chunk_size(100, 2) == 50
    assert chunk_size(1000, 2) == MAX_CHUNK
    assert chunk_size(1000, 2, requested=1) == 1


def test_page_counts_must_name_the_chunk_variants_in_order(tmp_path):
    aux = tmp_path / "questions.aux"
    aux.write_text("\\relax\n\\qbankpages{001}{4}\n\\newlabel{x}{{1}{1}}\n\\qbankpages{002}{3}\n")
    assert page_counts(aux, ["001", "002"]) == [4, 3]
    with pytest.raises(BuildError, match="expected"):
        page_counts(aux, ["001", "002", "003"])


def test_only_documents_that_read_back_get_a_second_pass():
    from qbank.assemble import assemble
    from qbank.render.documents import render_papers
    from qbank.spec import load_spec

    spec = load_spec(SAMPLE)
    questions, solutions = render_papers(spec, next(assemble(spec, 1, 1)))
    assert reads_back(questions) and not reads_back(solutions)


@needs_tex
def test_duplex_pads_each_variant_to_whole_sheets(tmp_path):
    out = tmp_path / "exam"
    plain = build_exam(SAMPLE, variants=3, seed=5, out=out, chunk=2)
    singles = {paper: [len(_pages(out / f"variant-{label}" / f"{paper}.pdf"))
                       for label in ("001", "002", "003")] for paper in ("questions", "solutions")}
    assert plain.chunk_count == 4
    duplex = build_exam(SAMPLE, variants=3, seed=5, out=out, chunk=2, duplex=True)
    assert duplex.chunks_reused == 4  # only the joined PDFs change
    for paper, counts in singles.items():
        pages = _pages(out / f"all-{paper}.pdf")
        assert len(pages) == sum(count + count % 2 for count in counts)
        start = 0
        for count in counts:
            assert pages[start].endswith("Page 1") or "Page 1 of" in pages[start]
            if count % 2:
                assert pages[start + count] == ""   # the blank back of the last sheet
            start += count + count % 2

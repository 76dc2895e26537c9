"""The ``qbank`` command line: thin click commands that parse, delegate and print.

Heavy modules (numpy, jinja2, pydantic, the question types) are imported inside
the commands, so ``qbank --help`` answers at once.  Every user error -- a bad
option, an unknown type id, a broken spec -- ends as one line on stderr and a
non-zero exit (2 for bad input, 1 for a failed build), never as a traceback.
"""

from __future__ import annotations

import json
import sys

import click



class _Count(click.IntRange):
    """An IntRange whose error says 'not a valid integer' rather than '... range'."""

    name = "integer"


SEED = _Count(min=0)
POSITIVE = _Count(min=1)


def _fail(message: str, code: int) -> None:
    click.echo(f"qbank: error: {message}", err=True)
    sys.exit(code)


class _OneLineErrors(click.Group):
    """A click group that reports every user error as one line and an exit code.

    Click's own usage errors print three lines (usage, hint, error); a
    lecturer scripting a batch wants one.  QbankError carries its exit code.
    """

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        """Run a command; every way it can fail ends in one line and an exit code.

        A stopping signal (``qbank.build.signals``) exits 128 + its number
        (130 Ctrl-C, 143 SIGTERM).  A standard output that cannot be written
        (``> /dev/full``, a full disk) is one line and exit 1; a closed pipe
        (``| head -1``) ends quietly with exit 1, as click has it.  Any other
        OSError is the environment's, so one line and exit 1 too.
        """
        import os

        from qbank.build.signals import Interrupted
        from qbank.errors import QbankError

        def drop_stdout() -> None:
            """Point stdout at /dev/null: else Python fails on it again at exit, with a
            message of its own and status 120."""
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass  # not a real file (click's test runner)

        try:
            result = super().main(args=args, prog_name=prog_name or "qbank",
                                  standalone_mode=False, **extra)
            sys.stdout.flush()  # a failed write shows here, not in Python's exit
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            _fail("aborted", 130)
        except click.ClickException as error:
            _fail(error.format_message().replace("\n", " "), error.exit_code)
        except QbankError as error:
            _fail(str(error), error.exit_code)
        except Interrupted as stop:
            _fail(str(stop), stop.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            drop_stdout()
            sys.exit(1)
        except OSError as error:
            if error.filename is None:
                # Every file qbank writes is named in its errors (qbank.build.folders);
                # a write that names none is one to a standard stream.
                drop_stdout()
                _fail(f"cannot write to standard output: {error.strerror or error}", 1)
            _fail(f"{error.filename}: {error.strerror or error}", 1)
        if standalone_mode:
            # click hands back ctx.exit(code) as the result when not standalone.
            sys.exit(result if isinstance(result, int) else 0)
        return result


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.version_option(package_name="qbank")
@click.pass_context
def cli(ctx):
    """Randomised deep-learning exam questions with worked solutions.

    \b
    qbank list                          the question types
    qbank show params.mlp --seed 7      one variant, question and solution
    qbank generate params.mlp --seed 7  the same as JSON (or --format tex)
    qbank build banks/dl-test-3.yaml    an exam: PDFs, manifest, answer key
    qbank gallery                       every type in one PDF, to browse
    qbank drill --topic attention       students: questions in the terminal, checked
    qbank practice --format html        students: a practice set that checks answers
    qbank check params.mlp --seed 7 --answer 88689   is this answer right?
    """
    if ctx.invoked_subcommand is None:
        # Bare `qbank` asks what it can do: the help on stdout, exit 0 -- not the help
        # flattened into one error line, which is what click's usage error would give.
        click.echo(ctx.get_help())
        ctx.exit(0)


@cli.command("list")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True, help="Plain table or a JSON list.")
def list_types(output_format):
    """List every registered question type."""
    from qbank.registry import all_types

    rows = [qtype.metadata() for qtype in all_types().values()]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    columns = ("id", "title", "topic", "kind", "source")
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())
    click.echo(f"\n{len(rows)} question types")


@cli.command()
@click.argument("type_id")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the variant.")
@click.option("--width", type=_Count(min=40, max=400), default=88, show_default=True,
              help="Wrap text to this many columns.")
def show(type_id, seed, width):
    """Print one variant's question and worked solution as text."""
    from qbank.registry import get_type
    from qbank.render.documents import render_fragments
    from qbank.render.plaintext import latex_to_text

    qtype = get_type(type_id)
    fragments = render_fragments(qtype.draw(seed))
    rule = "═" * width
    click.echo(f"{qtype.title}\n{qtype.id} · seed {seed} · source {qtype.source}\n{rule}")
    click.echo(latex_to_text(fragments.question, width))
    click.echo(f"\nWorked solution\n{'─' * width}")
    click.echo(latex_to_text(fragments.solution, width))


@cli.command()
@click.argument("type_id")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed of the first variant.")
@click.option("--count", type=POSITIVE, default=1, show_default=True,
              help="Number of variants, for seeds SEED, SEED+1, ...")
@click.option("--format", "output_format", type=click.Choice(["json", "tex"]), default="json",
              show_default=True, help="JSON (JSON Lines when --count > 1) or LaTeX.")
def generate(type_id, seed, count, output_format):
    """Print variant(s) of a question type as JSON or LaTeX."""
    from qbank.registry import get_type

    qtype = get_type(type_id)
    for offset in range(count):
        variant = qtype.draw(seed + offset)
        if output_format == "json":
            from qbank.parts import part_json

            record = {**variant.to_json(), "parts": [part_json(part)
                                                     for part in qtype.parts(variant)]}
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        from qbank.render.documents import render_fragments

        fragments = render_fragments(variant)
        click.echo(f"% {qtype.id} seed {variant.seed}: question\n{fragments.question}\n"
                   f"% {qtype.id} seed {variant.seed}: solution\n{fragments.solution}\n")


class _BarProgress:
    """Adapts qbank.build.Progress to click's progress bar."""

    def __init__(self):
        self.bar = None

    def start(self, total):
        self.bar = click.progressbar(length=total, label="Typesetting", show_pos=True,
                                     file=sys.stderr)
        self.bar.__enter__()

    def advance(self, units=1):
        self.bar.update(units)

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--variants", type=POSITIVE, default=None,
              help="Number of exam variants [default: the spec's, else 3].")
@click.option("--seed", type=SEED, default=None, help="Exam seed [default: the spec's].")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Build folder [default: output/SPEC-NAME].")
@click.option("--tex-only", is_flag=True, help="Write the LaTeX sources, skip PDF compilation.")
@click.option("--jobs", type=POSITIVE, default=None,
              help="Parallel TeX runs [default: number of CPUs].")
@click.option("--chunk", type=POSITIVE, default=None,
              help="Variants typeset per TeX document [default: an even share per job, "
                   "10 to 250]; 1 compiles every paper on its own.")
@click.option("--force", is_flag=True,
              help="Recompile every chunk instead of reusing unchanged ones from the last build.")
@click.option("--duplex", is_flag=True,
              help="Add a blank page after each variant with an odd page count in "
                   "all-questions.pdf and all-solutions.pdf, for double-sided printing.")
def build(spec, variants, seed, out, tex_only, jobs, chunk, force, duplex):
    """Build an exam spec into question and solution PDFs per variant.

    Also writes all-questions.pdf and all-solutions.pdf (every variant, ready to
    print), answer-key.csv and manifest.json.  Ctrl-C or SIGTERM stops the TeX runs,
    removes the unfinished build and exits 130 or 143; the previous build stays.
    """
    from pathlib import Path

    from qbank.build import build_exam, combined_pdf_name, default_out_dir
    from qbank.build.signals import stop_on_signals

    destination = Path(out) if out is not None else default_out_dir(Path(spec))
    progress = _BarProgress()
    try:
        with stop_on_signals(f"the unfinished build was removed and {destination} left "
                             "as it was"):
            result = build_exam(spec, variants=variants, seed=seed, out=out,
                                tex_only=tex_only, jobs=jobs, chunk=chunk, force=force,
                                duplex=duplex, progress=progress,
                                on_stage=lambda message: click.echo(message, err=True))
    finally:
        progress.close()
    made = "LaTeX sources" if tex_only else f"{result.pdf_count} PDFs"
    click.echo(f"Built {result.variant_count} variant(s), {made}, in {result.out_dir}/")
    if not tex_only:
        reused = (f"; {result.chunks_reused} of {result.chunk_count} chunks unchanged, "
                  "taken from the last build") if result.chunks_reused else ""
        click.echo(f"  to print:   {result.out_dir / combined_pdf_name('questions')}, "
                   f"{combined_pdf_name('solutions')}{reused}")
    click.echo(f"  answer key: {result.out_dir / 'answer-key.csv'}")
    sheet = "marking-sheet.tex" if tex_only else "marking-sheet.pdf"
    click.echo(f"  marking:    {result.out_dir / sheet}")
    click.echo(f"  manifest:   {result.out_dir / 'manifest.json'}")


@cli.command()
@click.argument("type_id")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the variant.")
@click.option("--answer", "answers", required=True, multiple=True,
              help='A part\'s answer as LABEL=VALUE (repeat for each part), or a bare VALUE for '
                   'a question of one part: 0.665, 2/3, 66.5%, "[0.1, 0.9]", "[1, 2; 3, 4]", '
                   'B, true, "1-B 2-A 3-C", or an expression such as "2*sigmoid(2*x) - 1".')
def check(type_id, seed, answers):
    """Check the answers to one variant, part by part.

    Prints a verdict line per part and the score in the parts' weights; exits
    0 when every part is right, 1 when not, 2 when an answer cannot be read
    or names an unknown part.
    """
    from qbank.checker.answers import check_command

    lines, code = check_command(type_id, seed, answers)
    click.echo("\n".join(lines))
    click.get_current_context().exit(code)


def _fresh_seed(seed):
    """The given seed, or a new one (printed, so the set can be had again)."""
    if seed is not None:
        return seed
    import secrets

    return secrets.randbelow(10**6)


def _selected(topics, type_ids):
    from qbank.practice.selection import matching_types

    return matching_types(tuple(topics), tuple(type_ids))


@cli.command()
@click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable).")
@click.option("--type", "type_ids", multiple=True, help="Only this type id (repeatable).")
@click.option("--count", type=_Count(min=1, max=500), default=10, show_default=True,
              help="Number of questions.")
@click.option("--seed", type=SEED, default=None, help="Seed of the set [default: a new one].")
@click.option("--format", "output_format", type=click.Choice(["pdf", "html"]), default="pdf",
              show_default=True, help="PDF, or one offline HTML page that checks answers.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="File to write [default: output/practice-SEED.pdf or .html].")
def practice(topics, type_ids, count, seed, output_format, out):
    """A practice set: fresh questions, answers and worked solutions at the back."""
    from itertools import islice
    from pathlib import Path

    from qbank.practice.selection import questions

    pool = _selected(topics, type_ids)
    seed = _fresh_seed(seed)
    chosen = list(islice(questions(pool, seed), count))
    out = Path(out) if out else Path("output") / f"practice-{seed}.{output_format}"
    if output_format == "pdf":
        from qbank.build.signals import stop_on_signals
        from qbank.practice.pdf import build_practice_pdf

        click.echo(f"Typesetting {count} question(s), seed {seed}...", err=True)
        with stop_on_signals(f"{out} was not written"):
            build_practice_pdf(chosen, seed, out)
    else:
        from qbank.build.folders import write_error
        from qbank.practice.html_set import write_practice_html

        try:
            write_practice_html(chosen, seed, out)
        except OSError as error:
            raise write_error(error, out) from error
    click.echo(f"Practice set: {out} (seed {seed})")


@cli.command()
@click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable).")
@click.option("--type", "type_ids", multiple=True, help="Only this type id (repeatable).")
@click.option("--count", type=_Count(min=1, max=500), default=5, show_default=True,
              help="Number of questions.")
@click.option("--seed", type=SEED, default=None, help="Seed of the drill [default: a new one].")
@click.option("--width", type=_Count(min=40, max=400), default=88, show_default=True,
              help="Wrap text to this many columns.")
def drill(topics, type_ids, count, seed, width):
    """Answer questions in the terminal; each answer is checked. q or Ctrl-C ends."""
    from qbank.checker.expected import is_checked
    from qbank.practice.drill import run_drill
    from qbank.practice.selection import questions

    pool = _selected(topics, type_ids)
    seed = _fresh_seed(seed)
    click.echo(f"Drill: {count} question(s), seed {seed}. Type q to stop.")
    run_drill(questions(pool, seed, keep=is_checked), count,
              read=_read_line, say=click.echo, width=width)


def _read_line(prompt: str) -> str:
    """input(), but a piped answer is echoed so the transcript reads like a session."""
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    if not sys.stdin.isatty():
        click.echo(line.rstrip("\n"))
    return line.rstrip("\n")


@cli.command()
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of every variant.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="PDF to write [default: output/gallery.pdf].")
def gallery(seed, out):
    """Build one PDF with a variant of every question type, to browse the bank."""
    from qbank.build.signals import stop_on_signals
    from qbank.gallery import build_gallery

    click.echo("Compiling the gallery (one TeX run for every type)...", err=True)
    with stop_on_signals("nothing was written"):
        written = build_gallery(seed, out)
    click.echo(f"Gallery: {written}")


def main() -> None:
    """Console-script entry point."""
    cli.main()

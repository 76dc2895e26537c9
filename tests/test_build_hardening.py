"""Interrupted and failing builds leave nothing behind and end in one line.

Everything here is real: ``qbank`` runs as a subprocess and is sent real
signals, TeX processes are found in /proc, full and read-only file systems are
tmpfs mounts (skipped where mounting is not permitted).  Exit codes: 130 for
SIGINT, 143 for SIGTERM, 1 for a file-system failure (an output path that
cannot be written is the environment's problem, like a full disk, not a typo
in a spec), 1 and no message for a closed pipe.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qbank.build import build_exam
from qbank.build.folders import sweep_leftovers
from qbank.errors import BuildError

REPO = Path(__file__).resolve().parents[1]
HAS_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live (pdflatex)")
IS_ROOT = os.geteuid() == 0
NO_SPACE = os.strerror(errno.ENOSPC)
PARTIAL = r"\.exam\.partial-\d+-[0-9a-f]{6}"


# --- helpers -------------------------------------------------------------------------

def _spec(tmp_path: Path) -> Path:
    spec = tmp_path / "banks" / "exam.yaml"
    spec.parent.mkdir(exist_ok=True)
    shutil.copyfile(REPO / "banks" / "dl-test-3.yaml", spec)
    return spec


def _default_sigint():
    # A parent that ignores SIGINT (a script's background job) would pass that on.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _qbank(*args, cwd: Path, **options) -> subprocess.CompletedProcess:
    options = {"capture_output": True, **options}
    return subprocess.run([sys.executable, "-m", "qbank", *map(str, args)], cwd=cwd,
                          text=True, timeout=120, **options)


def _start(*args, cwd: Path) -> subprocess.Popen:
    logs = cwd / "logs"
    logs.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "qbank", *map(str, args)], cwd=cwd,
                            stdout=(logs / "stdout").open("w"), stderr=(logs / "stderr").open("w"),
                            text=True, preexec_fn=_default_sigint)


def _error_line(stderr: str) -> str:
    """The one error line, which must be the last line, with no traceback anywhere."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("qbank: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], stderr
    return errors[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(command name, state, parent pid) from /proc, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    state, parent = text[text.rindex(")") + 2:].split()[:2]
    return name, state, int(parent)


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _live_tex(pids, under: Path) -> set[int]:
    """Live pdflatex among ``pids``, and any pdflatex working in a folder under ``under``."""
    found = set()
    for pid in set(pids) | set(_pids()):
        info = _proc_stat(pid)
        if info is None or info[0] != "pdflatex" or info[1] == "Z":
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        if pid in pids or cwd.startswith(str(under)):
            found.add(pid)
    return found


def _wait_for_tex(process: subprocess.Popen, cwd: Path, timeout: float = 60) -> set[int]:
    """The pdflatex children of ``process``, once the first chunk went to TeX."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = {pid for pid in _pids() if (info := _proc_stat(pid))
                    and info[0] == "pdflatex" and info[2] == process.pid}
        if children:
            return children
        if process.poll() is not None:
            pytest.fail(f"the build ended before TeX started:\n{(cwd / 'logs/stderr').read_text()}")
        time.sleep(0.02)
    process.kill()
    pytest.fail("TeX did not start")


def _end_tex(pids, under: Path) -> None:
    """Test hygiene after SIGKILL: TeX should die at its next line to the closed pipe."""
    deadline = time.monotonic() + 5
    while _live_tex(pids, under) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in _live_tex(pids, under):
        os.kill(pid, signal.SIGKILL)


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- 1. signals ------------------------------------------------------------------------

@needs_tex
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_tex_removes_the_partial_build_and_keeps_the_previous(tmp_path, signum,
                                                                             code):
    spec, out = _spec(tmp_path), tmp_path / "output" / "exam"
    previous = _previous_build(spec, out)
    build = _start("build", spec, "--variants", 200, "--chunk", 20, "--out", out, cwd=tmp_path)
    tex = _wait_for_tex(build, tmp_path)
    build.send_signal(signum)
    signalled = time.monotonic()
    while _live_tex(tex, tmp_path) and time.monotonic() < signalled + 1:
        time.sleep(0.02)
    assert not _live_tex(tex, tmp_path), "TeX still running a second after the signal"
    assert build.wait(timeout=20) == code
    line = _error_line((tmp_path / "logs" / "stderr").read_text())
    assert line == (f"qbank: error: interrupted by {signal.Signals(signum).name}; the unfinished "
                    f"build was removed and {out} left as it was")
    assert os.listdir(out.parent) == ["exam"]
    assert _snapshot(out) == previous


@needs_tex
def test_after_sigkill_the_next_build_sweeps_the_partial_folder(tmp_path):
    spec, out = _spec(tmp_path), tmp_path / "output" / "exam"
    build = _start("build", spec, "--variants", 200, "--chunk", 20, "--out", out, cwd=tmp_path)
    tex = _wait_for_tex(build, tmp_path)
    build.kill()
    build.wait(timeout=20)
    _end_tex(tex, tmp_path)
    [left] = os.listdir(out.parent)
    assert re.fullmatch(rf"\.exam\.partial-{build.pid}-[0-9a-f]{{6}}", left)
    again = _qbank("build", spec, "--variants", 2, "--tex-only", "--out", out, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "removed 1 stale partial build from an interrupted run" in again.stderr.splitlines()
    assert os.listdir(out.parent) == ["exam"]


@pytest.mark.parametrize("leftover, destination_exists, kept, report", [
    (".exam.partial-{dead}-0a1b2c", True, False,
     "removed 1 stale partial build from an interrupted run"),
    (".exam.old-{dead}-0a1b2c", True, False,
     "removed 1 stale partial build from an interrupted run"),
    (".exam.partial-{alive}-0a1b2c", True, True, None),   # a build running beside us
    (".exam.partial-x8_k2q1z", True, True, None),          # no pid: not ours to judge
    (".other.partial-{dead}-0a1b2c", True, True, None),    # another destination's
    (".exam.old-{dead}-0a1b2c", False, False,
     "restored the previous build {out} from an interrupted run"),
], ids=["dead partial", "dead old", "live partial", "no pid", "other destination",
        "old with the only copy"])
def test_sweeping_removes_only_the_leftovers_of_dead_builds(tmp_path, leftover,
                                                            destination_exists, kept, report):
    out = tmp_path / "exam"
    folder = tmp_path / leftover.format(dead=_dead_pid(), alive=os.getpid())
    (folder / "exam").mkdir(parents=True)
    (folder / "exam" / "manifest.json").write_text("{}")
    if destination_exists:
        out.mkdir()
    reports = sweep_leftovers(out)
    assert folder.exists() == kept
    assert reports == ([report.format(out=out)] if report else [])
    if not destination_exists:
        assert (out / "manifest.json").read_text() == "{}"


def test_a_build_sweeps_and_says_so_but_spares_a_running_build(tmp_path):
    spec, out = _spec(tmp_path), tmp_path / "exam"
    stale = tmp_path / f".exam.partial-{_dead_pid()}-0a1b2c"
    running = tmp_path / f".exam.partial-{os.getpid()}-3d4e5f"
    stale.mkdir()
    running.mkdir()
    stages = []
    build_exam(spec, variants=1, tex_only=True, out=out, on_stage=stages.append)
    assert stages[0] == "removed 1 stale partial build from an interrupted run"
    assert sorted(os.listdir(tmp_path)) == [running.name, "banks", "exam"]


# --- 2. file systems that cannot be written --------------------------------------------

@pytest.fixture
def tmpfs(tmp_path):
    """mount(size) -> a fresh tmpfs; remount(point, "ro"/"rw").  Skips where not permitted."""
    mounted = []

    def mount(size: str) -> Path:
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                               str(point)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=True)


def _remount(point: Path, mode: str) -> None:
    done = subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount {mode}: {done.stderr.strip()}")


class _ReadOnlyParent:
    """chmod 0555 for a normal user; root ignores modes, so chattr +i for root."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> str:
        if not IS_ROOT:
            self.folder.chmod(0o555)
            return os.strerror(errno.EACCES)
        done = subprocess.run(["chattr", "+i", str(self.folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"root ignores folder modes and chattr +i failed: {done.stderr.strip()}")
        return os.strerror(errno.EPERM)

    def __exit__(self, *exc_info):
        if IS_ROOT:
            subprocess.run(["chattr", "-i", str(self.folder)], check=True)
        else:
            self.folder.chmod(0o755)


def _previous_build(spec: Path, out: Path) -> dict[str, bytes]:
    build_exam(spec, variants=2, tex_only=True, out=out)
    return _snapshot(out)


def _assert_failed_cleanly(done, out: Path, previous: dict, expected: str) -> None:
    assert done.returncode == 1, done.stderr
    assert re.fullmatch(expected, _error_line(done.stderr)), done.stderr
    assert os.listdir(out.parent) == ["exam"]
    assert _snapshot(out) == previous


def test_a_read_only_parent_folder_is_one_line_and_keeps_the_previous_build(tmp_path):
    spec, out = _spec(tmp_path), tmp_path / "locked" / "exam"
    previous = _previous_build(spec, out)
    with _ReadOnlyParent(out.parent) as cause:
        done = _qbank("build", spec, "--tex-only", "--out", out, cwd=tmp_path)
    _assert_failed_cleanly(done, out, previous,
                           re.escape(f"qbank: error: cannot write {out}: {cause}"))


def test_a_rebuild_on_a_read_only_file_system_is_one_line(tmp_path, tmpfs):
    spec, out = _spec(tmp_path), tmpfs("16m") / "exam"
    previous = _previous_build(spec, out)
    _remount(out.parent, "ro")
    try:
        done = _qbank("build", spec, "--tex-only", "--out", out, cwd=tmp_path)
    finally:
        _remount(out.parent, "rw")
    _assert_failed_cleanly(done, out, previous, re.escape(
        f"qbank: error: cannot write {out}: {os.strerror(errno.EROFS)}"))


@pytest.mark.parametrize("options", [
    ["--tex-only", "--variants", 3000],  # the LaTeX sources and the manifest fill it
    pytest.param(["--variants", 20], marks=needs_tex),  # TeX and the cut PDFs fill it
], ids=["LaTeX sources", "PDFs"])
def test_a_full_disk_is_one_line_naming_the_file(tmp_path, tmpfs, options):
    spec, out = _spec(tmp_path), tmpfs("3m") / "exam"
    previous = _previous_build(spec, out)
    done = _qbank("build", spec, *options, "--out", out, cwd=tmp_path)
    _assert_failed_cleanly(done, out, previous, (
        rf"qbank: error: cannot write {re.escape(str(out.parent))}/{PARTIAL}/\S+: {NO_SPACE}"))


def test_a_failed_swap_puts_the_previous_build_back(tmp_path, monkeypatch):
    # The second of the two renames cannot be made to fail for real once the first
    # succeeded in the same folder; this one failure is simulated.
    spec, out = _spec(tmp_path), tmp_path / "output" / "exam"
    build_exam(spec, variants=2, tex_only=True, out=out)
    previous = _snapshot(out)
    real_rename = Path.rename

    def rename(self, target):
        if self.name.startswith(".exam.partial-"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(BuildError, match=re.escape(f"cannot write {out}: Input/output error")):
        build_exam(spec, variants=3, tex_only=True, out=out)
    assert os.listdir(out.parent) == ["exam"]
    assert _snapshot(out) == previous


# --- 3. the manifest names the spec the same way from any folder -------------------------

def test_the_manifest_is_byte_identical_from_any_working_folder(tmp_path, monkeypatch):
    spec = _spec(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    build_exam("banks/exam.yaml", variants=2, tex_only=True, out="one")
    monkeypatch.chdir(tmp_path / "elsewhere")
    build_exam("../banks/exam.yaml", variants=2, tex_only=True, out="two")
    first = (tmp_path / "one" / "manifest.json").read_bytes()
    assert first == (tmp_path / "elsewhere" / "two" / "manifest.json").read_bytes()
    header = json.loads(first)
    assert header["spec"] == "exam.yaml"
    assert header["spec_sha256"] == hashlib.sha256(spec.read_bytes()).hexdigest()


# --- 4. modes follow the umask -----------------------------------------------------------

@pytest.mark.parametrize("umask, tex_only", [
    (0o022, True), (0o002, True), pytest.param(0o002, False, marks=needs_tex)],
    ids=["022 LaTeX", "002 LaTeX", "002 PDFs"])
def test_every_folder_and_file_of_a_build_follows_the_umask(tmp_path, umask, tex_only):
    spec, out = _spec(tmp_path), tmp_path / "output" / "exam"
    saved = os.umask(umask)
    try:
        build_exam(spec, variants=2, tex_only=tex_only, out=out, jobs=1)
    finally:
        os.umask(saved)
    paths = [out, *out.rglob("*")]
    assert tex_only or (out / ".cache").is_dir()
    modes = {str(path.relative_to(out)): stat.S_IMODE(path.stat().st_mode) for path in paths}
    wanted = {str(path.relative_to(out)): (0o777 if path.is_dir() else 0o666) & ~umask
              for path in paths}
    assert modes == wanted


# --- 5. outputs that cannot be written ----------------------------------------------------

@pytest.mark.parametrize("args, tex", [
    (["build", "SPEC", "--tex-only", "--out", "/proc/qbank-x"], False),
    (["practice", "--count", 1, "--seed", 1, "--out", "/proc/qbank-x.pdf"], True),
    (["practice", "--format", "html", "--count", 1, "--seed", 1, "--out",
      "/proc/qbank-x.html"], False),
    (["gallery", "--out", "/proc/qbank-x.pdf"], True),
], ids=["build", "practice pdf", "practice html", "gallery"])
def test_an_output_path_that_cannot_be_written_is_one_line_exit_1(tmp_path, args, tex):
    if tex and not HAS_TEX:
        pytest.skip("needs TeX Live (pdflatex)")
    args = [str(_spec(tmp_path)) if arg == "SPEC" else arg for arg in args]
    done = _qbank(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert _error_line(done.stderr) == (f"qbank: error: cannot write {args[-1]}: "
                                        f"{os.strerror(errno.ENOENT)}")


@needs_tex
def test_a_practice_pdf_removes_what_a_killed_one_left_beside_it(tmp_path):
    out = tmp_path / "sets" / "set.pdf"
    out.parent.mkdir()
    stale, running = (out.with_name(f".set.pdf.partial-{pid}")
                      for pid in (_dead_pid(), os.getpid()))
    stale.touch()
    running.touch()
    done = _qbank("practice", "--count", 1, "--seed", 1, "--out", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(out.parent)) == [running.name, "set.pdf"]


@pytest.mark.parametrize("args", [["list"], ["generate", "params.mlp", "--count", 50]],
                         ids=["list", "generate"])
def test_a_full_standard_output_is_one_line_exit_1(tmp_path, args):
    with open("/dev/full", "w") as full:
        done = _qbank(*args, cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                      capture_output=False)
    assert done.returncode == 1
    assert _error_line(done.stderr) == f"qbank: error: cannot write to standard output: {NO_SPACE}"


def test_a_closed_pipe_ends_quietly(tmp_path):
    # 3,000 lines are far more than a pipe holds, so qbank is still writing when it closes.
    generate = subprocess.Popen([sys.executable, "-m", "qbank", "generate", "params.mlp",
                                 "--count", "3000"], cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    assert json.loads(generate.stdout.readline())["type"] == "params.mlp"
    generate.stdout.close()
    assert generate.wait(timeout=60) == 1
    assert generate.stderr.read() == ""

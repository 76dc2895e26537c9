"""`.ci/setup` installs everything a build reads, and pyproject.toml everything qbank imports.

CI runs on a machine where packages installed by hand years ago are still
present, so a build passing there proves nothing about a lecturer's fresh one.
These tests ask the machine instead: pdflatex's ``-recorder`` lists every file
a paper holding every registered type really read; ``dpkg -S`` names the Debian
package of each, and each must be on setup's apt line or a dependency of one
there (``apt-cache depends --recurse``, without recommends, which setup's
``--no-install-recommends`` does not bring).  A new ``\\usepackage`` from a
package setup does not install then fails here, not in a lecturer's first build.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from qbank.build import build_exam
from qbank.choice import supports_choice
from qbank.gallery import gallery_tex
from qbank.registry import all_types

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / ".ci" / "setup"
ON_DEBIAN = all(shutil.which(tool) for tool in ("dpkg", "dpkg-query", "apt-cache"))
HAS_TEX = shutil.which("pdflatex") is not None
# TeX's own generated files (formats, ls-R databases, font maps, texmf.cnf
# assembled by update-texmf), which tex-common writes at install time and no
# package owns.
GENERATED = ("/var/lib/texmf/", "/var/cache/fonts/", "/etc/texmf/web2c/texmf.cnf")


def _setup_lists(option: str, *extra: str) -> list[str]:
    result = subprocess.run(["bash", str(SETUP), option, *extra], check=True,
                            capture_output=True, text=True)
    return result.stdout.split()


def _everything_spec(folder: Path) -> Path:
    """A spec with every registered type once, and one asked as multiple choice."""
    # Enough points for every part of a type to get at least half a mark.
    items = [{"type": type_id, "points": 5} for type_id in all_types()]
    choice = next(type_id for type_id, qtype in all_types().items() if supports_choice(qtype))
    items.append({"type": choice, "points": 1, "format": "choice"})
    path = folder / "everything.yaml"
    path.write_text(yaml.safe_dump({"title": "Every type", "course": "Coverage",
                                    "date": "2026-12-01", "instructions": "All of them.",
                                    "items": items}), encoding="utf-8")
    return path


def _files_read_by_tex(tex_path: Path) -> set[str]:
    subprocess.run(["pdflatex", "-recorder", "-no-shell-escape", "-interaction=nonstopmode",
                    "-halt-on-error", tex_path.name], cwd=tex_path.parent, check=True,
                   capture_output=True)
    recorded = tex_path.with_suffix(".fls").read_text(errors="replace").splitlines()
    inputs = {line[len("INPUT "):] for line in recorded if line.startswith("INPUT ")}
    # Files of the build itself (.aux, .tex) are relative or in the build folder.
    return {path for path in inputs
            if path.startswith("/") and not path.startswith(str(tex_path.parent))}


def _owning_packages(paths: set[str]) -> dict[str, str]:
    """Debian package of every path (dpkg -S), trying the resolved path for symlinks."""
    owners: dict[str, str] = {}
    for path in sorted(paths):
        for candidate in dict.fromkeys((path, str(Path(path).resolve()))):
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                # "texlive-latex-extra: /usr/share/.../exam.cls" (a file may have two owners)
                owners[path] = result.stdout.split(":")[0].split(",")[0].strip()
                break
    return owners


def _installed_by_setup(packages: list[str]) -> set[str]:
    """The packages and everything they depend on, recursively, without recommends."""
    result = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *packages],
        check=True, capture_output=True, text=True)
    names = {line.strip() for line in result.stdout.splitlines()
             if line and not line.startswith(" ")}
    return {name.split(":")[0] for name in names if not name.startswith("<")}


@pytest.fixture(scope="module")
def tex_inputs(tmp_path_factory) -> set[str]:
    folder = tmp_path_factory.mktemp("coverage")
    build_exam(_everything_spec(folder), out=folder / "exam", tex_only=True)
    variant = folder / "exam" / "variant-001"
    gallery = folder / "gallery.tex"
    gallery.write_text(gallery_tex(seed=3), encoding="utf-8")
    read: set[str] = set()
    for tex in (variant / "questions.tex", variant / "solutions.tex",
                folder / "exam" / "marking-sheet.tex", gallery):
        read |= _files_read_by_tex(tex)
    return read


@pytest.mark.tex
@pytest.mark.skipif(not (ON_DEBIAN and HAS_TEX), reason="needs Debian's dpkg and apt-cache "
                    "and TeX Live (run .ci/setup first)")
def test_every_file_tex_reads_comes_from_a_package_setup_installs(tex_inputs):
    assert any(path.endswith("/exam.cls") for path in tex_inputs), "recorder saw no exam.cls"
    owners = _owning_packages(tex_inputs)
    unowned = sorted(path for path in tex_inputs - set(owners) if not path.startswith(GENERATED))
    assert not unowned, f"files no Debian package owns: {unowned[:5]}"
    covered = _installed_by_setup(_setup_lists("--list-packages"))
    missing: dict[str, list[str]] = {}
    for path, package in sorted(owners.items()):
        if package not in covered:
            missing.setdefault(package, []).append(Path(path).name)
    assert not missing, "TeX reads files of packages .ci/setup does not install: " + "; ".join(
        f"{package} ({len(names)} files, e.g. {', '.join(names[:3])})"
        for package, names in missing.items())


@pytest.mark.tex
@pytest.mark.skipif(not (ON_DEBIAN and HAS_TEX), reason="needs Debian's dpkg and apt-cache "
                    "and TeX Live (run .ci/setup first)")
def test_setup_checks_every_class_and_package_the_papers_load(tex_inputs):
    """Each .sty/.cls a template loads by name is in setup's kpsewhich list, with its owner."""
    checked = dict(entry.split(":") for entry in _setup_lists("--list-tex-files"))
    sources = (ROOT / "qbank").rglob("*.tex.j2")
    loaded = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for kind, names in re.findall(r"\\(usepackage|documentclass)(?:\[[^]]*\])?\{([^}]*)\}",
                                      text):
            suffix = ".cls" if kind == "documentclass" else ".sty"
            loaded |= {name.strip() + suffix for name in names.split(",")}
    assert loaded - set(checked) == set(), "add these to TEX_FILES in .ci/setup"
    owners = _owning_packages({path for path in tex_inputs
                               if Path(path).name in checked})
    wrong = sorted(f"{Path(path).name} comes from {package}" for path, package in owners.items()
                   if checked[Path(path).name] != package)
    assert not wrong, f"fix the packages named in TEX_FILES of .ci/setup: {wrong}"


def _third_party_imports(folder: Path) -> set[str]:
    names = set()
    for source in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name for name in names
            if name not in sys.stdlib_module_names and name not in ("qbank", "tests")}


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
            for requirement in requirements}


def _distributions(module: str) -> set[str]:
    found = metadata.packages_distributions().get(module)
    assert found, f"{module} is imported but not installed in this environment"
    return {name.lower().replace("_", "-") for name in found}


def test_every_module_qbank_imports_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _requirement_names(project["dependencies"])
    undeclared = sorted(module for module in _third_party_imports(ROOT / "qbank")
                        if not _distributions(module) & declared)
    assert not undeclared, f"imported by qbank, missing from dependencies: {undeclared}"


def test_every_module_the_tests_import_is_declared_for_them():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _requirement_names(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared |= _requirement_names(extra)
    modules = _third_party_imports(ROOT / "tests") | _third_party_imports(ROOT / "benchmarks")
    undeclared = []
    for module in sorted(modules):
        found = metadata.packages_distributions().get(module)
        if found is None:
            continue  # an optional extra not installed here (torch): its tests skip
        if not {name.lower().replace("_", "-") for name in found} & declared:
            undeclared.append(module)
    assert not undeclared, f"imported by tests or benchmarks, not declared: {undeclared}"

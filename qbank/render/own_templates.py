"""A lecturer's own folder of master templates, named by a spec's ``templates:`` key.

A template in the folder replaces qbank's of the same file name (``header.tex.j2``
for a university's title block, ``local.tex.j2`` for extra packages and macros),
so a department's look needs no fork.  Any other file in the folder (a logo)
is an asset: TeX finds it through ``TEXINPUTS`` when the papers are compiled,
and its bytes are part of the build cache's key, so a new logo recompiles.

A ``.tex.j2`` file whose name qbank does not know is refused rather than
ignored: a misspelt ``heder.tex.j2`` would otherwise change nothing, silently.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from qbank.errors import QbankError
from qbank.render.environment import master_template_names

TEMPLATE_SUFFIX = ".tex.j2"


def check_folder(folder: Path, where: str) -> Path:
    """The folder, resolved, once it exists and overrides only templates qbank has."""
    if not folder.is_dir():
        raise QbankError(f"{where}: no such folder {folder}")
    known = master_template_names()
    for path in sorted(folder.iterdir()):
        if path.name.endswith(TEMPLATE_SUFFIX) and path.name not in known:
            raise QbankError(f"{where}: {path.name} in {folder} overrides no qbank template; "
                             f"known: {', '.join(known)}")
    return folder.resolve()


def assets(folder: Path) -> list[Path]:
    """The folder's files that are not templates, in name order."""
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and not path.name.endswith(TEMPLATE_SUFFIX))


def assets_digest(folder: Path) -> str:
    """SHA-256 over the assets' names and bytes, for the build cache's key."""
    digest = hashlib.sha256()
    for path in assets(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def tex_search_path(folder: Path) -> str:
    """A ``TEXINPUTS`` value that looks in the folder (and below) before TeX's own tree."""
    return f"{folder}//:"

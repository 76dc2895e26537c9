"""Building exams: specs to per-variant and print-ready PDFs, fast and all-or-nothing.

``exam`` runs a build; ``chunks`` groups variants into TeX documents,
``typeset`` compiles them on worker threads, ``cache`` keeps compiled chunks
between builds, ``pdfs`` cuts and joins the PDFs, ``progress`` reports,
``folders`` makes, replaces and sweeps the hidden build folders, and
``signals`` turns SIGINT, SIGTERM and SIGHUP into a clean stop.

The names below are loaded on first use, not on import: ``qbank.render.compile``
and ``qbank.cli`` use the small ``folders`` and ``signals`` modules, and an
eager import of ``exam`` here would load pikepdf for them and import
``qbank.render.compile`` back while it is still being defined.
"""

from importlib import import_module

__all__ = ["BuildResult", "Progress", "build_exam", "combined_pdf_name", "default_out_dir"]

_HOMES = {"BuildResult": "exam", "build_exam": "exam", "combined_pdf_name": "exam",
          "default_out_dir": "exam", "Progress": "progress"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'qbank.build' has no attribute {name!r}")
    return getattr(import_module(f"qbank.build.{_HOMES[name]}"), name)

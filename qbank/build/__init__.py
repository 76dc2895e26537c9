"""Building exams: specs to per-variant and print-ready PDFs, fast and all-or-nothing.

``exam`` runs a build; ``chunks`` groups variants into TeX documents,
``typeset`` compiles them on worker threads, ``cache`` keeps compiled chunks
between builds, ``pdfs`` cuts and joins the PDFs, and ``progress`` reports.
"""

from qbank.build.exam import BuildResult, build_exam, combined_pdf_name, default_out_dir
from qbank.build.progress import Progress

__all__ = ["BuildResult", "Progress", "build_exam", "combined_pdf_name", "default_out_dir"]

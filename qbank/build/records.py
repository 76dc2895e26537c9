"""manifest.json and answer-key.csv, written one variant at a time.

A build streams variants, so its records are written as they come rather than
assembled in memory at the end: memory stays flat however many variants there
are.  The manifest is the same JSON, byte for byte, that ``json.dumps`` with
``indent=1`` would give for the whole document.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from qbank.assemble import (ANSWER_KEY_COLUMNS, ExamVariant, answer_key_rows, manifest_entry,
                            manifest_header)

MANIFEST = "manifest.json"
ANSWER_KEY = "answer-key.csv"


def _dumps(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False)


class ExamRecords:
    def __init__(self, folder: Path, spec, spec_source: str, exam_seed: int, count: int):
        self._manifest = (folder / MANIFEST).open("w", encoding="utf-8")
        self._key_file = (folder / ANSWER_KEY).open("w", encoding="utf-8", newline="")
        self._key = csv.writer(self._key_file, lineterminator="\n")
        self._key.writerow(ANSWER_KEY_COLUMNS)
        header = _dumps(manifest_header(spec, spec_source, exam_seed, count))
        self._manifest.write(header[:-2] + ',\n "variants": [')
        self._separator = "\n"

    def add(self, variant: ExamVariant) -> None:
        entry = _dumps(manifest_entry(variant)).replace("\n", "\n  ")
        self._manifest.write(f"{self._separator}  {entry}")
        self._separator = ",\n"
        self._key.writerows(answer_key_rows(variant))

    def close(self) -> None:
        self._manifest.write("\n ]\n}\n")
        self._manifest.close()
        self._key_file.close()

    def __enter__(self) -> "ExamRecords":
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._manifest.closed:
            self.close()

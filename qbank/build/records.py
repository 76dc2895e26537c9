"""manifest.json and answer-key.csv, written one variant at a time.

A build streams variants, so its records are written as they come rather than
assembled in memory at the end: memory stays flat however many variants there
are.  The manifest is the same JSON, byte for byte, that ``json.dumps`` with
``indent=1`` would give for the whole document.

A write that fails (a full disk) is reported with the file's name: a failed
``write`` or ``close`` of an open file otherwise names no file at all.
"""

from __future__ import annotations

import csv
import json
from contextlib import suppress
from pathlib import Path

from qbank.assemble import (ANSWER_KEY_COLUMNS, ExamVariant, answer_key_rows, manifest_entry,
                            manifest_header)
from qbank.build.folders import writing

MANIFEST = "manifest.json"
ANSWER_KEY = "answer-key.csv"


def _dumps(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False)


class ExamRecords:
    def __init__(self, folder: Path, spec, spec_source: str, exam_seed: int, count: int,
                 spec_sha256: str | None = None):
        self._manifest_path, self._key_path = folder / MANIFEST, folder / ANSWER_KEY
        self._manifest = self._manifest_path.open("w", encoding="utf-8")
        try:
            self._key_file = self._key_path.open("w", encoding="utf-8", newline="")
        except BaseException:
            self._manifest.close()
            raise
        self._key = csv.writer(self._key_file, lineterminator="\n")
        header = _dumps(manifest_header(spec, spec_source, exam_seed, count, spec_sha256))
        with writing(self._key_path):
            self._key.writerow(ANSWER_KEY_COLUMNS)
        with writing(self._manifest_path):
            self._manifest.write(header[:-2] + ',\n "variants": [')
        self._separator = "\n"

    def add(self, variant: ExamVariant) -> None:
        entry = _dumps(manifest_entry(variant)).replace("\n", "\n  ")
        with writing(self._manifest_path):
            self._manifest.write(f"{self._separator}  {entry}")
        self._separator = ",\n"
        with writing(self._key_path):
            self._key.writerows(answer_key_rows(variant))

    def close(self) -> None:
        with writing(self._manifest_path):
            self._manifest.write("\n ]\n}\n")
            self._manifest.close()
        with writing(self._key_path):
            self._key_file.close()

    def __enter__(self) -> "ExamRecords":
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is None:
            if not self._manifest.closed:
                self.close()
            return
        # The build failed already: release the files without hiding why.
        for file in (self._manifest, self._key_file):
            with suppress(OSError):
                file.close()

"""A problem found in an import file: where it is and what to do about it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geo.spreadsheet_cells import safe_row

REPORT_HEADER = ["file", "row", "field", "reason", "fix"]


@dataclass(frozen=True)
class Problem:
    """One problem: file, row as the user numbers it (None = whole file), field, reason, fix."""

    file: str
    row: int | None
    field: str
    reason: str
    fix: str

    def as_list(self) -> list[str]:
        """The problem as report cells."""
        row = "—" if self.row is None else str(self.row)
        return [self.file, row, self.field, self.reason, self.fix]


def write_report(problems: list[Problem], path: Path) -> None:
    """Write the problems as a UTF-8 CSV (with BOM, so Excel shows the Chinese text)."""
    with Path(path).open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(REPORT_HEADER)
        # reasons quote the user's own cells, which may look like formulas
        writer.writerows(safe_row(p.as_list()) for p in problems)

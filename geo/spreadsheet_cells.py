"""Spreadsheet cells that cannot run: text starting like a formula is written as plain text.

Excel, WPS and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` as a formula (and a
leading tab or CR can hide one) — an imported address `=HYPERLINK(…)` would become a live link
in a download (CSV/formula injection, OWASP). Every CSV/XLSX gridcmd writes passes its cells
through `safe_cell`: such text gets a leading apostrophe, the mark spreadsheets use for "this
is text". Numbers are left alone, so -3 stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """One row of cells through `safe_cell`."""
    return [safe_cell(v) for v in values]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with its text cells (and text column labels) through `safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out

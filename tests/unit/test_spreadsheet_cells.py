"""safe_cell: text that a spreadsheet would run gets a leading apostrophe; numbers stay numbers."""

from __future__ import annotations

import pandas as pd

from geo.spreadsheet_cells import safe_cell, safe_frame, safe_row


def test_formula_starts_are_neutralised_and_other_text_is_not():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    for text in ("一号楼", "A-1", "", "'=already"):
        assert safe_cell(text) == text


def test_numbers_stay_numbers():
    assert safe_cell(-3) == -3 and safe_cell(-2.5) == -2.5
    frame = safe_frame(pd.DataFrame({"n": [-1, 2], "t": ["=x", "y"], "-h": ["a", "b"]}))
    assert frame["n"].tolist() == [-1, 2]
    assert frame["t"].tolist() == ["'=x", "y"]
    assert list(frame.columns) == ["n", "t", "'-h"]
    assert safe_row(["=a", 1, None]) == ["'=a", 1, None]

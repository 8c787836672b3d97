"""Server-side paging of the ranking table: which page and which order the table asks for.

The drawer's ranking reads one page of the 12345 ranking at a time (the whole ranking of a
city is thousands of rows): the DataTable pages and sorts "custom", and these plain
functions turn its page_current / sort_by into the query's limit, offset and sort.
"""

from __future__ import annotations

import math
from typing import Any

from geo.operations import RANKING_SORTS

# Columns the ranking cannot sort on: they are computed for the page's rows only.
UNSORTED_COLUMNS = ("top_categories", "repeat_buildings")


def page_number(page_current: Any) -> int:
    """The table's page (0-based); anything but a whole number ≥ 0 is the first page."""
    return page_current if isinstance(page_current, int) and page_current >= 0 else 0


def page_window(page_current: Any, page_rows: int) -> tuple[int, int]:
    """(limit, offset) of the table's page."""
    return page_rows, page_number(page_current) * page_rows


def sort_of(sort_by: Any) -> tuple[str | None, bool]:
    """(column, descending) of the table's sort_by; (None, False) (best first) when it names
    no column the server sorts on."""
    if not isinstance(sort_by, list) or not sort_by or not isinstance(sort_by[0], dict):
        return None, False
    column = sort_by[0].get("column_id")
    if column not in RANKING_SORTS:
        return None, False
    return column, sort_by[0].get("direction") == "desc"


def page_count(total: int, page_rows: int) -> int:
    """How many pages `total` rows fill (at least one)."""
    return max(1, math.ceil(total / page_rows))


def unsorted_header_css() -> list[dict]:
    """DataTable css hiding the sort arrows of the columns the server cannot sort on."""
    return [{"selector": f'th[data-dash-column="{column}"] .column-header--sort',
             "rule": "display: none"} for column in UNSORTED_COLUMNS]

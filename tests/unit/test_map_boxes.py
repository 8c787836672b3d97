"""The command map's on-demand boxes and legend layout, from their plain functions (no
browser): the ticket batch box opens only from its title-bar entry, only for dispatchers, and
a legend label too long for half the legend's width takes a whole row."""

from __future__ import annotations

import pytest

from dashboard.map.legend import is_wide, legend_box
from dashboard.tickets import panel
from layers import REGISTRY


def test_the_batch_box_is_closed_in_the_page_and_its_entry_shown_to_dispatchers_only():
    box = next(c for c in panel.layout("zh").children if getattr(c, "id", None) == panel.BATCH)
    assert box.className == panel.BATCH_CLOSED and "gc-hidden" in box.className.split()
    shown, hidden = panel.entry_button("zh", True), panel.entry_button("zh", False)
    assert "gc-hidden" not in shown.className.split() and not shown.hidden
    assert "gc-hidden" in hidden.className.split() and hidden.hidden
    assert shown.id == hidden.id == panel.BATCH_ENTRY  # same input on every page
    assert shown.title == "框选区域或画多边形，批量派遣其中待派遣的工单"
    assert panel.entry_button("en", True).title.startswith("Draw a box")


@pytest.mark.parametrize(("trigger", "before", "may", "after"), [
    (panel.BATCH_ENTRY, panel.BATCH_CLOSED, True, panel.BATCH_OPEN),
    (panel.BATCH_ENTRY, panel.BATCH_OPEN, True, panel.BATCH_CLOSED),  # the entry toggles
    (panel.BATCH_CLOSE, panel.BATCH_OPEN, True, panel.BATCH_CLOSED),
    (panel.BATCH_CLOSE, panel.BATCH_CLOSED, True, panel.BATCH_CLOSED),
    # a role that may not dispatch never opens it, whatever the page sends
    (panel.BATCH_ENTRY, panel.BATCH_CLOSED, False, panel.BATCH_CLOSED),
    (panel.BATCH_ENTRY, panel.BATCH_OPEN, False, panel.BATCH_CLOSED),
    # hostile or stale class names from the browser: a known state comes back
    (panel.BATCH_ENTRY, "gc-ticket-batch gc-open x\" onclick=\"", True, panel.BATCH_OPEN),
    (panel.BATCH_ENTRY, None, True, panel.BATCH_OPEN),
    (None, panel.BATCH_CLOSED, True, panel.BATCH_OPEN),
    ("zones-entry", 12, False, panel.BATCH_CLOSED),
])
def test_the_batch_box_opens_and_closes_from_its_entry_and_its_close_button(
        trigger, before, may, after):
    assert panel.batch_state(trigger, before, may) == after


@pytest.mark.parametrize(("label", "wide"), [
    ("物业", False), ("2小时内到期", False), ("公共设施", False), ("Road", False),
    ("Secondary", False), ("代管(临时党支部)", True), ("聚合·含未响应/超时", True),
    ("Awaiting dispatch", True), ("Community, village, grid names", True), ("", False),
    ("\u202e<script>alert(1)</script>", True),
])
def test_long_legend_labels_take_a_whole_row(label, wide):
    assert is_wide(label) is wide


def test_the_town_view_legend_marks_its_long_rows_wide():
    blocks = legend_box(REGISTRY.all(), [layer.id for layer in REGISTRY.all()
                                         if layer.default_visible], "zh", 13)
    entries = [entry for block in blocks[1:] for entry in block.children[1:]]
    wide = {entry.children[1].children for entry in entries
            if "gc-legend-wide" in entry.className.split()}
    assert {"聚合·含未响应/超时", "聚合·全部办结", "代管(临时党支部)"} <= wide
    assert all(is_wide(label) for label in wide)
    narrow = [entry for entry in entries if "gc-legend-wide" not in entry.className.split()]
    assert len(narrow) >= 12  # most rows share a line: the legend fits 1080 p

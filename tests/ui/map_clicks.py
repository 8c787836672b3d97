"""Clicking the command map where a shape is really on top (not under a marker, another
layer's shape, the legend or a box), so the click or hover lands on it. The shapes carry
data-code (assets/map_styles.js)."""

from __future__ import annotations

CASE_MARKERS = "path.gc-cases[data-code]"

# For each shape of `selector` (at most `most`): the first point of an n × n lattice over its
# box (a polygon's box centre may lie outside it; n = 2 is the centre alone) that lies in the
# clear area (x between xmin and xmax, y below ymin) and where the shape is the top element.
_TOPMOST = """([selector, n, xmin, xmax, ymin, most]) => {
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    search: for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
      const x = r.x + r.width * i / n, y = r.y + r.height * j / n;
      if (x > xmin && x < xmax && y > ymin && document.elementFromPoint(x, y) === el) {
        found.push({x, y, code: el.getAttribute('data-code')});
        break search;
      }
    }
    if (found.length >= most) { break; }
  }
  return found;
}"""
_ANYWHERE = 1e9


def topmost_points(page, selector: str, lattice: int = 8, *, xmin: float = -_ANYWHERE,
                   xmax: float = _ANYWHERE, ymin: float = -_ANYWHERE,
                   most: int = 1) -> list[dict]:
    """Points ({x, y, code}) where shapes of `selector` are on top, one per shape."""
    return page.evaluate(_TOPMOST, [selector, lattice, xmin, xmax, ymin, most])


def topmost_point(page, selector: str, lattice: int = 8) -> dict | None:
    """The first point ({x, y, code}) where a shape of `selector` is on top, or None."""
    found = topmost_points(page, selector, lattice)
    return found[0] if found else None


def open_zones_box_on_a_case(page, server: str, markers: str = CASE_MARKERS) -> str:
    """Open the map, click a case marker that is on top and wait for the zones box to open;
    the clicked case's code."""
    page.goto(server + "/")
    # locators, not wait_for_function: the page's CSP forbids evaluating strings
    page.locator(markers).first.wait_for(state="attached", timeout=20_000)
    point = topmost_point(page, markers, lattice=4)
    assert point, "no case marker is clickable"
    page.mouse.click(point["x"], point["y"])
    page.locator("#zones-panel.gc-open").wait_for(timeout=20_000)
    return point["code"]

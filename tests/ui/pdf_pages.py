"""Reading exported PDFs as a person sees them: page sizes (pypdf) and pixels (pdftoppm)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import psycopg

from dashboard.export.fit import fit_view, pad
from dashboard.export.print_view import TOWN_MARGIN
from geo.kpi_extent import kpi_extent
from geo.params import Bbox
from geo.timewindow import parse_window

DPI = 96  # one raster pixel per CSS pixel of the print view


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page, as a PDF reader shows it (rotation applied)."""
    from pypdf import PdfReader

    sizes = []
    for page in PdfReader(pdf).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if (page.get("/Rotate") or 0) % 180:
            width, height = height, width
        sizes.append((width, height))
    return sizes


class Raster:
    """One PDF page as RGB pixels (pdftoppm's PPM output at DPI)."""

    def __init__(self, pdf: Path, number: int) -> None:
        data = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number),
                               "-singlefile", str(pdf)], capture_output=True, check=True).stdout
        header, rest = data.split(b"\n", 1)
        assert header == b"P6"
        dims, rest = rest.split(b"\n", 1)
        self.width, self.height = (int(v) for v in dims.split())
        _, self.pixels = rest.split(b"\n", 1)  # maxval 255

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        i = (y * self.width + x) * 3
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]

    def any_near(self, x: float, y: float, radius: int, test) -> bool:
        """Whether a pixel within `radius` of (x, y) passes `test(rgb)`."""
        for py in range(max(0, int(y) - radius), min(self.height, int(y) + radius + 1)):
            for px in range(max(0, int(x) - radius), min(self.width, int(x) + radius + 1)):
                if test(self.rgb(px, py)):
                    return True
        return False


def dark(rgb: tuple[int, int, int]) -> bool:
    """The town boundary's dark slate (#263238), antialiased."""
    return max(rgb) < 110


def saturated(rgb: tuple[int, int, int]) -> bool:
    """A case dot's colour (red, orange, purple), not the grey lines around it."""
    return max(rgb) - min(rgb) > 70


def town_view_bbox(conn: psycopg.Connection) -> Bbox:
    """The bbox the print view fits when none is asked: the town's extent, padded."""
    return pad(kpi_extent(conn, "residents", parse_window(None, None)), TOWN_MARGIN)


def town_extremes(conn: psycopg.Connection) -> dict[str, tuple[float, float]]:
    """The town boundary's westmost, eastmost, southmost and northmost vertices (lng, lat)."""
    rows = conn.execute("""
        WITH p AS (SELECT (ST_DumpPoints(geom)).geom AS g FROM towns)
        SELECT 'west', ST_X(g), ST_Y(g) FROM (SELECT g FROM p ORDER BY ST_X(g) LIMIT 1) a
        UNION ALL SELECT 'east', ST_X(g), ST_Y(g)
          FROM (SELECT g FROM p ORDER BY ST_X(g) DESC LIMIT 1) b
        UNION ALL SELECT 'south', ST_X(g), ST_Y(g) FROM (SELECT g FROM p ORDER BY ST_Y(g) LIMIT 1) c
        UNION ALL SELECT 'north', ST_X(g), ST_Y(g)
          FROM (SELECT g FROM p ORDER BY ST_Y(g) DESC LIMIT 1) d""").fetchall()
    return {name: (lng, lat) for name, lng, lat in rows}


def to_page(points: list[tuple[float, float]], bbox: Bbox,
            size: tuple[int, int]) -> list[tuple[float, float]]:
    """Where (lng, lat) points fall on a print page of `size` CSS pixels fitted to `bbox`."""
    (lat0, lng0), zoom, _ = fit_view(bbox, size)
    world = 256.0 * 2.0 ** zoom

    def x(lng: float) -> float:
        return (lng + 180.0) / 360.0

    def y(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)

    return [((x(lng) - x(lng0)) * world + size[0] / 2, (y(lat) - y(lat0)) * world + size[1] / 2)
            for lng, lat in points]

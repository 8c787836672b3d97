"""Snapshot parameters (layers, bbox, size, window, title, output file), checked up front."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.errors import BadParameter
from geo.params import Bbox, one_of, parse_bbox
from geo.timewindow import window_from
from layers.metrics import METRICS
from layers.model import Layer
from layers.registry import Registry

DEFAULT_SIZE = (1920, 1080)
MIN_SIZE = (320, 240)
MAX_SIZE = (3840, 2160)  # 4K UHD, 8.3 Mpx: larger renders stalled the server (issue 17)
MAX_TITLE = 120
FORMATS = ("png", "pdf")
LANGS = ("zh", "en")
NO_OVERLAY = "none"
# PDF paper, landscape: (width, height) in millimetres and in CSS pixels at 96 dpi.
PAPERS = {"A4": ((297, 210), (1122, 793)), "A3": ((420, 297), (1587, 1122))}
DEFAULT_PAPER = "A4"


@dataclass(frozen=True)
class SnapshotParams:
    """What one snapshot shows; `layers`/`bbox` None mean the defaults (see print view)."""

    layers: tuple[str, ...] | None = None
    bbox: Bbox | None = None
    size: tuple[int, int] = DEFAULT_SIZE
    since: str | None = None
    until: str | None = None
    title: str | None = None
    h3: str | None = None  # an H3 metric drawn as an overlay with its legend
    lang: str | None = None  # zh or en; None: the server's GRIDCMD_LANG
    paper: str | None = None  # PDF only: A4 (default) or A3, always landscape

    def query(self) -> dict[str, str]:
        """The print view's query parameters (only those that are set)."""
        args: dict[str, str] = {"size": f"{self.size[0]}x{self.size[1]}"}
        if self.layers is not None:
            args["layers"] = ",".join(self.layers)
        if self.bbox is not None:
            args["bbox"] = ",".join(repr(v) for v in self.bbox)
        for name in ("since", "until", "title", "h3", "lang"):
            value = getattr(self, name)
            if value:
                args[name] = value
        return args


def default_layers(registry: Registry) -> tuple[str, ...]:
    """The default-visible area and line layers, in drawing order.

    Lines (rivers, roads) are the offline map's own basemap: without them a snapshot has no
    landmarks. Point layers are left out unless asked for, since a town view would be crowded,
    except those declared `in_snapshots`: the place-name labels, and the 12345 tickets (drawn
    as clusters coloured by their worst ticket: where the trouble is). Cases stay opt-in: they
    are health data at a building.
    """
    return tuple(layer.id for layer in registry
                 if (layer.kind in ("polygon", "line") or layer.in_snapshots)
                 and layer.default_visible)


def chosen_layers(params: SnapshotParams, registry: Registry) -> tuple[Layer, ...]:
    """The layers to draw, in the registry's drawing order (bottom first)."""
    wanted = set(params.layers if params.layers is not None else default_layers(registry))
    return tuple(layer for layer in registry if layer.id in wanted)


def parse_layers(text: str | None, registry: Registry) -> tuple[str, ...] | None:
    """'a,b' as registry ids (None when not given); an unknown id is named in the error."""
    if text is None or not text.strip():
        return None
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [layer_id for layer_id in wanted if layer_id not in registry]
    if unknown:
        known = ", ".join(layer.id for layer in registry)
        raise BadParameter("layers", f"unknown layer {unknown[0]!r}; known layers: {known}")
    return tuple(dict.fromkeys(wanted))  # first occurrence wins; order does not matter


def parse_size(text: str | None) -> tuple[int, int]:
    """'WxH' in pixels within 320x240 … 3840x2160; default 1920x1080."""
    if text is None or not text.strip():
        return DEFAULT_SIZE
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise BadParameter("size", f"not WIDTHxHEIGHT in pixels: {text[:40]!r}") from None
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise BadParameter("size", f"must lie within {MIN_SIZE[0]}x{MIN_SIZE[1]} and "
                                   f"{MAX_SIZE[0]}x{MAX_SIZE[1]}; got {width}x{height}")
    return width, height


def parse_title(text: str | None) -> str | None:
    """The map title, at most 120 characters; None for the default."""
    if text is None or not text.strip():
        return None
    if len(text) > MAX_TITLE:
        raise BadParameter("title", f"at most {MAX_TITLE} characters")
    return text.strip()


def parse_h3(text: str | None) -> str | None:
    """An H3 overlay metric (population, floating_ratio, cases, tickets, coverage) or None."""
    if text is None or not text.strip() or text.strip() == NO_OVERLAY:
        return None
    metric = text.strip()
    if metric not in METRICS:
        raise BadParameter("h3", f"unknown metric {metric[:40]!r}; known metrics: "
                                 f"{', '.join(METRICS)}")
    return metric


def parse_lang(text: str | None) -> str | None:
    """'zh' or 'en' (None: the server's language)."""
    return one_of("lang", text, text.strip().lower() if text else "", LANGS, "zh or en")


def parse_paper(text: str | None) -> str | None:
    """'A4' or 'A3' (any case) for a PDF's landscape paper; None: the default, A4."""
    return one_of("paper", text, text.strip().upper() if text else "", PAPERS,
                   "A4 or A3 (landscape)")


def parse_params(args: Mapping[str, str | None], registry: Registry) -> SnapshotParams:
    """SnapshotParams from query or CLI strings; BadParameter names the first bad one."""
    layers = parse_layers(args.get("layers"), registry)
    bbox_text = args.get("bbox")
    bbox = parse_bbox(bbox_text) if bbox_text is not None and bbox_text.strip() else None
    size = parse_size(args.get("size"))
    window_from(args)  # checked here, applied by the API the print view reads
    since, until = (args.get("since") or None), (args.get("until") or None)
    return SnapshotParams(layers=layers, bbox=bbox, size=size, since=since, until=until,
                          title=parse_title(args.get("title")), h3=parse_h3(args.get("h3")),
                          lang=parse_lang(args.get("lang")), paper=parse_paper(args.get("paper")))


def check_out(path: str | Path) -> Path:
    """The output file: .png or .pdf, in a folder that exists."""
    out = Path(path)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise BadParameter("out", f"must end in .png or .pdf: {str(path)[:80]!r}")
    if not out.parent.is_dir():
        raise BadParameter("out", f"folder does not exist: {str(out.parent)[:80]!r}")
    return out


def paper_for(paper: str | None) -> tuple[str, tuple[int, int]]:
    """The PDF paper's name (A4 unless A3 is asked) and its landscape page in CSS pixels.

    The print view is laid out at exactly that size, so the PDF page shows what a PNG of the
    same size shows: the whole asked bbox inside the map frame, nothing cut off or rescaled.
    """
    name = paper or DEFAULT_PAPER
    return name, PAPERS[name][1]


def page_css(paper: str) -> str:
    """An @page rule fixing the paper and orientation; added last, so no other stylesheet's
    @page (the call list's A4 portrait, say) can turn a map page portrait."""
    width, height = PAPERS[paper][0]
    return f"@page {{ size: {width}mm {height}mm; margin: 0; }}"

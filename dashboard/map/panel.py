"""The drill-down side panel: its layout and the rendering of one region record (no Dash callbacks).

Every function here takes the plain record of geo.regions.region_record and returns Dash
components, so the panel can be tested without a browser or a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from dash import dcc, html

from dashboard.i18n import STRINGS, t
from dashboard.language import attr
from dashboard.map import ids
from dashboard.map.panel_charts import case_curve_figure, ticket_trend_figure
from geo.place_names import shown_name
from geo.timewindow import TOWN_TZ

MANAGEMENT_ORDER = ("property", "quasi", "three_no")
CASE_ORDER = ("confirmed", "asymptomatic", "close_contact", "secondary_contact")
# Static pictures: the panel is read, not explored; no toolbar, no hover machinery.
GRAPH_CONFIG = {"displayModeBar": False, "staticPlot": True}
_TINY = timedelta(microseconds=1)
PERSONS_SHOWN = 50
EXPORT_FORMATS = (("GeoJSON", "geojson"), ("GPKG", "gpkg"), ("CSV", "csv"), ("Excel", "xlsx"))


def _unmask_options(lang: str) -> list[dict]:
    return [{"label": t("panel.unmask", lang), "value": "on"}]


# Translated by the one language callback (dashboard/language.py): the switch's words had
# stayed Chinese on the English page.
UNMASK_OPTIONS = attr(ids.PANEL_UNMASK, "options", _unmask_options)
ATTRIBUTES = (UNMASK_OPTIONS,)


def layout(lang: str = "zh", may_unmask: bool = False) -> html.Aside:
    """The (closed) panel placed over the map; the callbacks fill its body.

    The unmask switch is always there (callbacks need their inputs) but shown only to roles
    that may unmask; the server checks the role again on every use.
    """
    return html.Aside(id=ids.PANEL, className="gc-drill", children=[
        html.Button("×", id=ids.PANEL_CLOSE, className="gc-drill-close", n_clicks=0,
                    title="关闭 / Close"),
        dcc.Checklist(id=ids.PANEL_UNMASK, className="gc-drill-unmask", value=[],
                      options=UNMASK_OPTIONS.value(lang),
                      style=None if may_unmask else {"display": "none"}),
        html.Div(id=ids.PANEL_BODY, className="gc-drill-body"),
    ])


def figure_id(name: str) -> str:
    """DOM id of one headline figure of the panel (tests read them)."""
    return f"drill-{name}"


def label(prefix: str, value: str, lang: str) -> str:
    """Display name of a stored category/kind/role value; the raw value if none is known."""
    key = f"{prefix}.{value}"
    return t(key, lang) if key in STRINGS else value


def number(value: Any) -> str:
    """An integer with thousands separators; '–' when unknown."""
    if value is None:
        return "–"
    if isinstance(value, Decimal | float):
        value = round(value)
    return f"{int(value):,}"


def distance(metres: Any) -> str:
    """'480 m' under a kilometre, else '1.2 km'."""
    if metres is None:
        return "–"
    metres = float(metres)
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"


def days_ago(moment: datetime | None, lang: str, now: datetime | None = None) -> str:
    """'X 天前' / 'X days ago' (whole days), 'today' under a day; '–' when unknown."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    days = ((now or datetime.now(UTC)) - moment).days
    return t("panel.today", lang) if days < 1 else t("panel.days_ago", lang, days=days)


def inversion_ratio(registered: Any, floating: Any) -> float | None:
    """Floating per registered resident (> 1 is 倒挂); None without registered residents."""
    registered, floating = int(registered or 0), int(floating or 0)
    return round(floating / registered, 2) if registered else None


def render_panel(record: Mapping[str, Any], lang: str, now: datetime | None = None) -> list:
    """Children of the panel body for one region record."""
    return [
        breadcrumb(record, lang),
        html.H2(shown_name(record["name"], lang), className="gc-drill-name"),
        *_official_name(record, lang),
        html.Div(_window_text(record, lang), className="gc-drill-window"),
        people_section(record, lang),
        management_section(record.get("compounds"), record.get("caretaker_compounds"), lang),
        counts_section("panel.units", record.get("units"), "unit", lang, "units"),
        counts_section("panel.open_tickets", record.get("open_tickets"), "ticket", lang,
                       "open-tickets"),
        _chart("panel.ticket_trend", ticket_trend_figure(record.get("ticket_trend") or [], lang),
               lang, "ticket-trend"),
        counts_section("panel.cases", record.get("cases"), "case", lang, "cases",
                       order=CASE_ORDER),
        _chart("panel.case_curve", case_curve_figure(record.get("case_curve") or [], lang),
               lang, "case-curve"),
        resources_section(record.get("resources") or [], lang),
        staff_section(record.get("staff") or [], lang),
        persons_section(record.get("persons") or [], lang),
        freshness_section(record, lang, now),
        download_section(record, lang),
    ]


def _official_name(record: Mapping[str, Any], lang: str) -> list:
    """Under an English title, the region's official (Chinese) name, as on its documents."""
    name = record.get("name") or ""
    return [html.Div(name, className="gc-drill-name-zh")] if shown_name(name, lang) != name else []


def breadcrumb(record: Mapping[str, Any], lang: str) -> html.Nav:
    """town → community → grid → compound → building; every parent re-selects its region."""
    crumbs: list = []
    for parent in record.get("parents") or []:
        crumbs.append(html.Button(
            shown_name(parent["name"], lang), n_clicks=0, className="gc-crumb",
            title=label("region", parent["kind"], lang),
            id={"type": ids.PANEL_CRUMB, "kind": parent["kind"], "code": parent["code"]}))
        crumbs.append(html.Span("›", className="gc-crumb-sep"))
    crumbs.append(html.Span(shown_name(record["name"], lang), className="gc-crumb gc-crumb-here",
                            title=label("region", record["kind"], lang)))
    return html.Nav(crumbs, className="gc-breadcrumb")


def people_section(record: Mapping[str, Any], lang: str) -> html.Section:
    """Residents, households, registered vs floating with the 倒挂 ratio, and the flags."""
    ratio = inversion_ratio(record.get("registered"), record.get("floating"))
    inverted = ratio is not None and ratio > 1
    headline = html.Div(className="gc-figures", children=[
        _figure("residents", t("panel.residents", lang), record.get("residents")),
        _figure("households", t("panel.households", lang), record.get("households")),
        _figure("buildings", t("panel.buildings", lang), record.get("buildings")),
    ])
    split = html.Div(className="gc-split", children=[
        html.Span([t("panel.registered", lang), " ", _value("registered",
                                                            record.get("registered"))]),
        html.Span([t("panel.floating", lang), " ", _value("floating", record.get("floating"))]),
        html.Span(t("panel.inversion", lang, ratio="–" if ratio is None else f"{ratio:.2f}"),
                  id=figure_id("inversion"),
                  className="gc-inversion" + (" gc-alert" if inverted else "")),
    ])
    rows = [(t(f"panel.{name}", lang), record.get(key), key)
            for name, key in (("rented", "rented_households"), ("elderly", "elderly"),
                              ("children", "children"), ("vulnerable", "vulnerable_households"))]
    return _section(t("panel.people", lang), [headline, split, _rows(rows)])


def management_section(counts: Mapping[str, int] | None, caretaker: Any,
                       lang: str) -> html.Section:
    """Compounds by management type; 三无 stands out, with how many are under 代管."""
    counts = counts or {}
    rows = []
    for management in MANAGEMENT_ORDER:
        n = counts.get(management, 0)
        extra = ""
        if management == "three_no" and caretaker:
            extra = "（" + t("panel.caretaker_n", lang, n=caretaker) + "）"
        rows.append(html.Li(
            [html.Span(label("value.management", management, lang) + extra),
             _value(f"compounds-{management}", n)],
            className="gc-row" + (" gc-three-no" if management == "three_no" and n else "")))
    return _section(t("panel.compounds", lang), [html.Ul(rows, className="gc-rows")])


def counts_section(title_key: str, counts: Mapping[str, int] | None, prefix: str, lang: str,
                   name: str, order: Sequence[str] = ()) -> html.Section:
    """A titled list of counts by category, largest first (or in `order`), '无' when empty."""
    counts = counts or {}
    if order:
        keys = [k for k in order if counts.get(k)] + sorted(k for k in counts if k not in order)
    else:
        keys = sorted(counts, key=lambda k: (-counts[k], k))
    rows = [(label(prefix, key, lang), counts[key], f"{name}-{key}") for key in keys]
    total = sum(int(v) for v in counts.values())
    title = [t(title_key, lang), " ", html.Span(number(total), className="gc-total",
                                                 id=figure_id(name))]
    body = _rows(rows) if rows else html.Div(t("panel.none", lang), className="gc-empty")
    return _section(title, [body])


def resources_section(resources: Sequence[Mapping[str, Any]], lang: str) -> html.Section:
    """Per resource kind: how many inside, and the nearest with its distance."""
    items = []
    for r in resources:
        nearest = (t("panel.nearest", lang, name=r["name"], distance=distance(r.get("metres")))
                   if r.get("name") else t("panel.none", lang))
        items.append(html.Li(className="gc-row gc-resource", children=[
            html.Span(label("resource", r["kind"], lang), className="gc-resource-kind"),
            html.Span(t("panel.inside", lang, n=r.get("inside", 0)), className="gc-inside"),
            html.Div(nearest, className="gc-nearest"),
        ]))
    return _section(t("panel.resources", lang), [html.Ul(items, className="gc-rows")])


def staff_section(staff: Sequence[Mapping[str, Any]], lang: str) -> html.Section:
    """The grid worker first, then building heads (names and phones masked unless unmasked)."""
    items = [html.Li(className="gc-row gc-staff", children=[
        html.Span(label("role", s["role"], lang), className="gc-role"),
        html.Span(s["name"]),
        html.Span(s.get("phone") or "–", className="gc-phone"),
    ]) for s in staff]
    body = html.Ul(items, className="gc-rows") if items else html.Div(
        t("panel.none", lang), className="gc-empty")
    return _section(t("panel.staff", lang), [body])


def persons_section(persons: Sequence[Mapping[str, Any]], lang: str) -> html.Section | None:
    """A building's residents (room, name, phone, ID number), masked unless unmasked."""
    if not persons:
        return None
    shown = persons[:PERSONS_SHOWN]
    items = [html.Li(className="gc-row gc-person", children=[
        html.Span(p.get("room") or "–", className="gc-room"),
        html.Span(p.get("name") or "–"),
        html.Span(p.get("phone") or "–", className="gc-phone"),
        html.Span(p.get("id_number") or "–", className="gc-id-number"),
    ]) for p in shown]
    more = len(persons) - len(shown)
    extra = [html.Div(t("panel.more", lang, n=more), className="gc-empty")] if more > 0 else []
    return _section(t("panel.persons", lang, n=len(persons)),
                    [html.Ul(items, className="gc-rows"), *extra])


def freshness_section(record: Mapping[str, Any], lang: str,
                      now: datetime | None = None) -> html.Section:
    """Newest and median update of the households' forms, as 'X 天前'."""
    newest, median = record.get("newest_update"), record.get("median_update")
    return _section(t("panel.freshness", lang), [
        html.Div(t("panel.newest", lang, ago=days_ago(newest, lang, now)),
                 id=figure_id("newest"), title=_when(newest)),
        html.Div(t("panel.median", lang, ago=days_ago(median, lang, now)),
                 id=figure_id("median"), title=_when(median)),
    ])


def export_links(kind: str, code: str, window: Mapping[str, Any] | None,
                 lang: str = "zh") -> list[tuple[str, str]]:
    """(label, href) of the region's building data in each export format, for the window."""
    query = {key: value.isoformat() if isinstance(value, datetime) else str(value)
             for key, value in (window or {}).items()
             if key in ("since", "until") and value}
    if lang == "en":
        query["lang"] = "en"  # the tables get English headers; Chinese is the default
    suffix = "?" + urlencode(query) if query else ""
    base = f"/export/region/{quote(kind, safe='')}/{quote(code, safe='')}"
    return [(caption, f"{base}.{fmt}{suffix}") for caption, fmt in EXPORT_FORMATS]


def download_section(record: Mapping[str, Any], lang: str) -> html.Section:
    """A row of download links (GeoJSON · GPKG · CSV · Excel) for the region and window."""
    links: list = []
    for caption, href in export_links(record["kind"], str(record["code"]),
                                      record.get("window"), lang):
        if links:
            links.append(html.Span(" · ", className="gc-download-sep"))
        links.append(html.A(caption, href=href, download="", className="gc-download"))
    return _section(t("panel.download", lang), [html.Div(links, id=figure_id("downloads"),
                                                         className="gc-downloads")])


def message(text: str) -> list:
    """Panel body showing only a message (region not found, bad window)."""
    return [html.Div(text, className="gc-drill-message")]


def _window_text(record: Mapping[str, Any], lang: str) -> str:
    window = record.get("window") or {}
    since, until = window.get("since"), window.get("until")
    if not isinstance(since, datetime) or not isinstance(until, datetime):
        return ""
    # `until` is exclusive: the last day inside the window is the day before it at midnight.
    last = (until.astimezone(TOWN_TZ) - _TINY).date()
    return t("panel.window", lang, since=since.astimezone(TOWN_TZ).date().isoformat(),
             until=last.isoformat())


def _when(moment: datetime | None) -> str:
    return moment.astimezone(TOWN_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def _section(title: Any, children: list) -> html.Section:
    return html.Section([html.H3(title, className="gc-drill-h"), *children],
                        className="gc-drill-section")


def _figure(name: str, caption: str, value: Any) -> html.Div:
    return html.Div([_value(name, value, "gc-fig-value"),
                     html.Div(caption, className="gc-fig-caption")], className="gc-fig")


def _value(name: str, value: Any, class_name: str = "gc-value") -> html.Span:
    # data-value carries the bare number so tests and scripts need not parse "1,234".
    raw = "" if value is None else str(int(value))
    return html.Span(number(value), id=figure_id(name), className=class_name,
                     **{"data-value": raw})


def _rows(rows: Sequence[tuple[str, Any, str]]) -> html.Ul:
    return html.Ul([html.Li([html.Span(caption), _value(name, value)], className="gc-row")
                    for caption, value, name in rows], className="gc-rows")


def _chart(title_key: str, figure: dict, lang: str, name: str) -> html.Section:
    return _section(t(title_key, lang), [
        dcc.Graph(id=figure_id(name), figure=figure, config=GRAPH_CONFIG,
                  className="gc-drill-chart", style={"height": "130px"}),
    ])

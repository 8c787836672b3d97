"""The one language mechanism of the Dash pages (command map and wall).

A static label is written in a layout as `tr(key, lang)`: a span whose pattern-matching id
`{"t": key, "at": place, "v": values}` names its i18n key, so ONE callback (`switch_language`,
below) re-writes every such span when the page's language changes — adding a label needs the
key in `dashboard/i18n/<area>.py` and `tr(key, lang)` in the layout, nothing else.

What cannot be a span (a placeholder, a title, a tab label, a radio list's options) is one
`Attr(component id, property, key or function of the language)` in the page's ATTRIBUTES list;
the layout reads the same declaration (`attr.value(lang)`), and the same callback writes it.

Callbacks that render data in the chosen language (tooltips, tables, the panel) keep taking
the language component as an Input or State: their words are part of the data they draw.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import ALL, Dash, Input, Output, ctx, html, no_update

from dashboard.i18n import normalise, t

TEXT = "t"  # the id key holding the i18n key of a translated span
TEXT_IDS = {TEXT: ALL, "at": ALL, "v": ALL}  # every translated span of a page


def text_id(key: str, at: str = "", values: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The pattern id of the span showing `key` (`at` tells two spans of one key apart)."""
    return {TEXT: key, "at": at, "v": json.dumps(dict(values), sort_keys=True) if values else ""}


def tr(key: str, lang: str | None, at: str = "", **values: object) -> html.Span:
    """`key` in `lang` ({placeholders} from `values`), re-written when the language switches."""
    return html.Span(t(key, lang, **values), id=text_id(key, at, values))


def text_of(span_id: Mapping[str, Any], lang: str | None) -> str:
    """The text a translated span shows in `lang` (from its id alone)."""
    values = json.loads(span_id["v"]) if span_id.get("v") else {}
    return t(span_id[TEXT], lang, **values)


@dataclass(frozen=True)
class Attr:
    """A translated property of a component that keeps its own id (placeholder, title, …)."""

    component: str
    prop: str
    text: str | Callable[[str], Any]  # an i18n key, or a function of the language (options)
    values: tuple[tuple[str, object], ...] = ()  # {placeholders} of the key

    def value(self, lang: str | None) -> Any:
        lang = normalise(lang)
        if callable(self.text):
            return self.text(lang)
        return t(self.text, lang, **dict(self.values))


def attr(component: str, prop: str, text: str | Callable[[str], Any], **values: object) -> Attr:
    return Attr(component, prop, text, tuple(sorted(values.items())))


def texts(outputs: Sequence[Mapping[str, Any]], lang: str | None) -> list:
    """The texts of the translated spans `outputs` (Dash's outputs_list entries) in `lang`.

    The list comes from the browser: an id naming no key, or values that do not fit it, leaves
    that span as it is (no_update) instead of failing the whole switch."""
    shown: list = []
    for output in outputs:
        try:
            shown.append(text_of(output["id"], lang))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            shown.append(no_update)
    return shown


def register(app: Dash, language: Input, attributes: Sequence[Attr] = ()) -> None:
    """Re-write every translated span and attribute of `app`'s page when `language` changes."""
    seen = {(a.component, a.prop) for a in attributes}
    if len(seen) != len(attributes):
        raise ValueError("a translated attribute is declared twice")

    @app.callback(
        Output(TEXT_IDS, "children"),
        *[Output(a.component, a.prop) for a in attributes],
        language,
        prevent_initial_call=True,  # the layout is drawn in the page's language already
    )
    def switch_language(lang):
        lang = normalise(lang)
        if not attributes:  # one output: outputs_list is that output's list itself
            return texts(ctx.outputs_list, lang)
        return (texts(ctx.outputs_list[0], lang), *[a.value(lang) for a in attributes])

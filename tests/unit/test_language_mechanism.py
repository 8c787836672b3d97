"""The one language mechanism (dashboard/language.py), through Dash's real callback endpoint:
a label added in one place follows the switch; the command map's layout carries every
translated span and attribute exactly once."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from dash import Dash, Input, dcc, html

from dashboard import i18n, language
from dashboard.language import attr, text_id, tr
from dashboard.map import page as map_page
from dashboard.settings import Settings
from layers import REGISTRY

HELLO = {"zh": "你好，{name}", "en": "Hello, {name}"}
# ARCHITECTURE.md's example, word for word
HINT = {"zh": "输入地址、小区或网格", "en": "Type an address, compound or grid"}


def _app(monkeypatch) -> Dash:
    # the test-sized example of ARCHITECTURE.md: a new key, a tr() span, an Attr
    monkeypatch.setitem(i18n.STRINGS, "search.hint", HINT)
    monkeypatch.setitem(i18n.STRINGS, "demo.hello", HELLO)
    hint = attr("q", "title", "search.hint")
    app = Dash("lang_test")
    app.layout = html.Div([
        dcc.RadioItems(id="lang", value="zh", options=["zh", "en"]),
        html.H1(tr("demo.hello", "zh", name="马驹桥"), id="greeting"),
        html.Div(tr("search.hint", "zh"), className="gc-search-hint"),
        html.Button("?", id="q", title=hint.value("zh")),
    ])
    language.register(app, Input("lang", "value"), [hint])
    return app


def _switch(app: Dash, lang: object, span_ids: list[dict]) -> tuple[int, dict]:
    (output, spec), = app.callback_map.items()
    body = {"output": output, "changedPropIds": ["lang.value"],
            "inputs": [{"id": "lang", "property": "value", "value": lang}], "state": [],
            "outputs": [[{"id": i, "property": "children"} for i in span_ids],
                        {"id": "q", "property": "title"}]}
    answer = app.server.test_client().post("/_dash-update-component", json=body)
    return answer.status_code, answer.get_json() or {}


def _key(span_id: dict) -> str:
    return json.dumps(span_id, sort_keys=True, separators=(",", ":"))


def test_a_new_label_follows_the_switch(monkeypatch):
    app = _app(monkeypatch)
    hint = app.layout.children[2].children
    assert (hint.children, hint.id) == (HINT["zh"], {"t": "search.hint", "at": "", "v": ""})
    assert app.layout.children[3].title == HINT["zh"]
    greeting = app.layout.children[1].children
    assert greeting.children == "你好，马驹桥"
    assert greeting.id == text_id("demo.hello", values={"name": "马驹桥"})
    status, answer = _switch(app, "en", [greeting.id, hint.id])
    assert status == 200
    spans = answer["response"]
    assert spans[_key(hint.id)]["children"] == HINT["en"]
    assert spans[_key(greeting.id)]["children"] == "Hello, 马驹桥"
    assert spans["q"]["title"] == HINT["en"]
    status, answer = _switch(app, "zh", [greeting.id, hint.id])
    assert answer["response"][_key(greeting.id)]["children"] == "你好，马驹桥"
    assert answer["response"]["q"]["title"] == HINT["zh"]


def test_an_unknown_language_is_chinese_and_forged_span_ids_are_left_alone(monkeypatch):
    app = _app(monkeypatch)
    good = text_id("demo.hello", values={"name": "x"})
    forged = [{"t": "no.such.key", "at": "", "v": ""},
              {"t": "demo.hello", "at": "", "v": "{not json"},
              {"t": "demo.hello", "at": "", "v": json.dumps({"wrong": 1})},
              {"t": "demo.hello", "at": "", "v": "[1, 2]"}]
    status, answer = _switch(app, "fr' OR 1=1 --", [good, *forged])
    assert status == 200
    texts = [value["children"] for value in answer["response"].values() if "children" in value]
    assert texts == ["你好，x"]  # the forged ones get no update; nothing fails
    assert answer["response"]["q"]["title"] == HINT["zh"]


def test_an_attribute_declared_twice_is_refused():
    twice = [attr("q", "placeholder", "title"), attr("q", "placeholder", "layers")]
    with pytest.raises(ValueError, match="declared twice"):
        language.register(Dash("twice"), Input("lang", "value"), twice)


def _walk(node, found: list) -> None:
    if isinstance(node, list | tuple):
        for child in node:
            _walk(child, found)
        return
    if not hasattr(node, "to_plotly_json"):
        return
    found.append(node)
    for prop in ("children", "label"):
        _walk(getattr(node, prop, None), found)


def test_the_command_map_has_each_translated_span_and_attribute_once():
    components: list = []
    _walk(map_page.layout(Settings(), REGISTRY), components)
    ids = [json.dumps(c.id, sort_keys=True) if isinstance(c.id, dict) else c.id
           for c in components if getattr(c, "id", None) is not None]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    spans = [c.id for c in components if isinstance(getattr(c, "id", None), dict)
             and language.TEXT in c.id]
    assert len(spans) >= 30  # title, headings, buttons, the zones box, KPI labels …
    # every declared attribute is on a component of the page (else the switch would fail)
    by_id = {c.id: c for c in components if isinstance(getattr(c, "id", None), str)}
    for declared in map_page.attributes(REGISTRY):
        assert declared.component in by_id, declared
        shown = getattr(by_id[declared.component], declared.prop)
        assert shown == declared.value("zh"), declared

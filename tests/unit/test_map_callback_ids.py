"""Every callback of the command map names components of its page, with properties they have.

The browser made this check at load from a second copy of the whole layout that Dash put into
the page (its validation layout). The map no longer ships it (dashboard/app.py
`suppress_callback_exceptions`: the batch box's drawing tool is mounted only when the box
opens, and the copy cost the first paint), so the check is made here instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from dash.development.base_component import Component

from dashboard.app import close_app, create_app
from dashboard.map import page as map_page
from dashboard.settings import Settings
from dashboard.tickets import panel as ticket_panel
from layers import REGISTRY

NO_DATABASE = "postgresql://postgres@127.0.0.1:1/none"  # the pool never connects here
# Components a callback mounts later, with the callback that does.
MOUNTED_LATER = (ticket_panel.draw_control(),)  # open_or_close_batch (tickets/panel_callbacks.py)


def _components(node: object) -> Iterator[Component]:
    if isinstance(node, list | tuple):
        for child in node:
            yield from _components(child)
    elif isinstance(node, Component):
        yield node
        for name in node._prop_names:
            yield from _components(getattr(node, name, None))


def _dependencies(callback: dict) -> Iterator[tuple[str, dict]]:
    from dash._utils import split_callback_id

    outputs = split_callback_id(callback["output"])
    for kind, deps in (("Output", outputs if isinstance(outputs, list) else [outputs]),
                       ("Input", callback["inputs"]), ("State", callback["state"])):
        for dep in deps:
            yield kind, dep


def _has_prop(component: Component, prop: str) -> bool:
    return prop in component._prop_names or any(
        prop.startswith(wildcard) for wildcard in component._valid_wildcard_attributes)


def test_every_map_callback_names_a_component_of_the_page_and_one_of_its_properties():
    app = create_app(Settings(), database_url=NO_DATABASE)
    try:
        page = [map_page.layout(Settings(), REGISTRY), *MOUNTED_LATER]
        by_id = {c.id: c for c in _components(page) if isinstance(getattr(c, "id", None), str)}
        checked = 0
        for callback in app._callback_list:
            for kind, dep in _dependencies(callback):
                component_id = dep["id"]
                if not isinstance(component_id, str) or component_id.startswith("{"):
                    continue  # pattern-matching: any number of components, none included
                prop = dep["property"].split("@")[0]
                assert component_id in by_id, f"{kind}({component_id!r}, {prop!r})"
                assert _has_prop(by_id[component_id], prop), f"{kind}({component_id!r}, {prop!r})"
                checked += 1
        assert checked > 100  # every callback of the page took part
    finally:
        close_app(app)

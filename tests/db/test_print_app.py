"""The export process's app (`create_print_app`): the print view over the layer and H3 API,
behind the same guard, and none of the routes a one-off export never serves."""

from __future__ import annotations

from dashboard.app import close_app, create_print_app
from dashboard.settings import Settings


def test_print_app_serves_the_print_view_and_layers_only(settings: Settings,
                                                         shared_demo_url: str) -> None:
    app = create_print_app(settings, database_url=shared_demo_url)
    try:
        rules = {rule.rule for rule in app.server.url_map.iter_rules()}
        assert "/api/layers/<layer_id>" in rules and "/api/h3/<metric_id>" in rules
        assert any(rule.startswith("/print/") for rule in rules)
        # nothing of the command map, the wall, the phone, OGC or the ticket loop
        assert not any(rule.startswith(("/wall", "/m/", "/ogc", "/api/tickets", "/api/zones"))
                       for rule in rules)
        assert "/_dash-layout" not in rules
        client = app.server.test_client()
        # the same guard: no session, no print page and no layer
        assert client.get("/print/").status_code in (302, 401)
        assert client.get("/api/layers/grids?bbox=116.5,39.7,116.6,39.8&zoom=13"
                          ).status_code == 401
    finally:
        close_app(app)

"""Before sign-in (issue 17, items 11 and 14): the sign-in redirect stays on this server,
large bodies are refused unread, and /healthz tells strangers no table sizes."""

from __future__ import annotations

import pytest

from dashboard.auth.guard import ANONYMOUS_BODY_MAX
from dashboard.auth.login import safe_next
from dashboard.settings import Settings
from tests.clients import api_client, login_form

pytestmark = pytest.mark.db

HOSTILE_NEXT = [
    "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "//evil.example",
    "/\\evil.example", "/%5Cevil.example", "\\\\evil.example", "https://evil.example/",
    "http:evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "/%20/evil.example",
    "/%E3%80%80/evil.example", "evil.example", "",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_this_server(settings: Settings, shared_demo_url, hostile):
    with api_client(settings, shared_demo_url, None) as client:
        page = client.get(f"/login?next={hostile}").get_data(as_text=True)
        answer = client.post(f"/login?next={hostile}", data=login_form(page, "commander"))
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/", answer.headers["Location"]


def test_local_paths_survive_the_sign_in_redirect():
    assert safe_next("/wall/?lang=en") == "/wall/?lang=en"
    assert safe_next("/print/calllist?level=II") == "/print/calllist?level=II"


def test_a_large_anonymous_body_is_refused_before_sign_in(settings: Settings, shared_demo_url):
    with api_client(settings, shared_demo_url, None) as client:
        page = client.get("/login").get_data(as_text=True)
        form = login_form(page, "commander") | {"padding": "x" * (ANONYMOUS_BODY_MAX + 1)}
        assert client.post("/login", data=form).status_code == 413
        assert client.post("/export/briefing.pdf", data="x" * 100_000).status_code == 413
        # a normal sign-in form still works
        assert client.post("/login", data=login_form(page, "commander")).status_code == 303


def test_signed_in_bodies_have_a_larger_limit(settings: Settings, shared_demo_url):
    small = settings.model_copy(update={"max_body_mb": 0.5})
    with api_client(small, shared_demo_url, "commander") as client:
        # a 50 KB (bad) briefing config is read and judged, not refused for its size
        answer = client.post("/export/briefing.pdf", data="title = 1\n" + "#" * 50_000,
                             content_type="application/toml")
        assert answer.status_code == 400 and answer.get_json()["parameter"] != "config"
        # past GRIDCMD_MAX_BODY_MB any route refuses the body unread
        answer = client.post("/api/zones/publish", data="[" + " " * 600_000 + "]",
                             content_type="application/json")
        assert answer.status_code == 413


def test_healthz_gives_row_counts_to_signed_in_callers_only(settings: Settings,
                                                            shared_demo_url):
    with api_client(settings, shared_demo_url, None) as client:
        anonymous = client.get("/healthz").get_json()
    with api_client(settings, shared_demo_url, "wall") as client:
        wall = client.get("/healthz").get_json()
    with api_client(settings, shared_demo_url, "commander") as client:
        signed_in = client.get("/healthz").get_json()
    assert set(anonymous) == {"status", "database", "data_as_of"}
    assert anonymous["status"] == "ok" and anonymous["data_as_of"]
    assert signed_in["counts"]["buildings"] > 0 and wall["counts"]["buildings"] > 0

"""Sign-in throttling (issue 17, item 2): per address and per (address, name), progressive,
shared through PostgreSQL by every server process; one answer whatever the name."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import psycopg
import pytest

from dashboard.settings import Settings
from geo.database import drop_database
from geo.users import authenticate, set_disabled
from tests.clients import PASSWORD, api_client, login_form, sign_in, username
from tests.conftest import _clone
from tests.ui.serving import serve

pytestmark = pytest.mark.db


@pytest.fixture
def users_db_url(admin_url: str, empty_template: str, settings: Settings) -> Iterator[str]:
    """A fresh migrated database holding the test users (the throttle table starts empty)."""
    name, url = _clone(admin_url, empty_template, settings)
    yield url
    drop_database(admin_url, name)


def _error(page: str) -> str:
    found = re.search(r'<p class="gc-login-error" role="alert">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_unknown_wrong_and_disabled_names_get_one_message(settings, users_db_url):
    with psycopg.connect(users_db_url) as conn:
        set_disabled(conn, username("admin"), True)
    messages = set()
    with api_client(settings, users_db_url, None) as client:
        for i, (name, password) in enumerate([
                ("nobody-at-all", PASSWORD),                 # unknown
                (username("commander"), "wrong-password-1"),  # wrong password
                (username("admin"), PASSWORD)]):              # disabled, right password
            client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i + 1}"
            page = client.get("/login").get_data(as_text=True)
            answer = client.post("/login", data=login_form(page, name, password))
            assert answer.status_code == 401
            messages.add(_error(answer.get_data(as_text=True)))
    assert len(messages) == 1 and "" not in messages, messages


def test_a_much_tried_real_name_answers_like_a_much_tried_unknown_one(settings, users_db_url):
    # Before issue 17 a real name said "locked" after five failures, an unknown one never did.
    answers = {}
    with api_client(settings, users_db_url, None) as client:
        for address, name in (("10.2.0.1", username("commander")), ("10.2.0.2", "nobody-x")):
            client.environ_base["REMOTE_ADDR"] = address
            seen = []
            for i in range(7):
                page = client.get("/login").get_data(as_text=True)
                answer = client.post("/login", data=login_form(page, name, f"wrong-{i}-pw"))
                seen.append((answer.status_code, _error(answer.get_data(as_text=True))))
            answers[name] = seen
    real, unknown = answers[username("commander")], answers["nobody-x"]
    assert real[:3] == unknown[:3] and {status for status, _ in real[:3]} == {401}
    # Later answers depend on how fast the machine is (waits of 5, 10, 20 s): whichever they
    # are, every 401 is the one "wrong name or password" and every 429 one "too many".
    failed = unknown[0][1]
    assert all(answer == (401, failed) or answer[0] == 429 for answer in real + unknown), answers
    assert len({message for status, message in real + unknown if status == 429}) <= 1


def test_an_unknown_name_takes_as_long_as_a_wrong_password(users_db_url):
    def timed(name: str) -> float:
        with psycopg.connect(users_db_url) as conn:
            started = time.perf_counter()
            assert authenticate(conn, name, "wrong-password-123") is None
            return time.perf_counter() - started

    # Interleaved, and the fastest of each kept: a busy machine only ever adds time.
    known, unknown = [], []
    for _ in range(6):
        known.append(timed(username("commander")))
        unknown.append(timed("no-such-user-here"))
    # Both verify an argon2 hash (a dummy one for the unknown name): the same order of time.
    assert min(unknown) > 0.5 * min(known), (known, unknown)


def test_the_wait_doubles_per_address_and_name_and_a_success_clears_it(settings,
                                                                       users_db_url):
    with api_client(settings, users_db_url, None) as client:
        client.environ_base["REMOTE_ADDR"] = "10.1.1.1"
        statuses = [sign_in(client, username("commander"), f"wrong-{i}-pass") for i in range(4)]
        assert statuses == [401, 401, 401, 429]
        page = client.get("/login").get_data(as_text=True)
        answer = client.post("/login", data=login_form(page, "commander", "wrong-again-1"))
        wait = int(answer.headers["Retry-After"])
        assert answer.status_code == 429 and 1 <= wait <= 5
        time.sleep(wait + 0.2)
        assert sign_in(client, username("commander"), "still-wrong-1") == 401
        page = client.get("/login").get_data(as_text=True)
        answer = client.post("/login", data=login_form(page, "commander", "wrong-again-2"))
        assert answer.status_code == 429 and 6 <= int(answer.headers["Retry-After"]) <= 10
        # Another name from the same address is not held up by the first name's count.
        assert sign_in(client, username("official")) == 303


def test_two_server_processes_share_the_throttle(users_db_url, tmp_path):
    def attempt(base: str, name: str) -> int:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=30).read().decode()
        form = urlencode(login_form(page, name, "wrong-password-x")).encode()
        try:
            return opener.open(f"{base}/login", data=form, timeout=30).status
        except urllib.error.HTTPError as exc:
            return exc.code

    with serve(users_db_url, tmp_path / "a.log", login_attempts_per_min="4") as first, \
            serve(users_db_url, tmp_path / "b.log", login_attempts_per_min="4") as second:
        # Four different names: only the per-address count can stop the fifth attempt.
        assert [attempt(first, f"guess-{i}") for i in range(4)] == [401] * 4
        assert attempt(second, "guess-4") == 429

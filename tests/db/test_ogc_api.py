"""OGC API – Features under /ogc/ through the app's own guard: documents, paging, filters,
per-collection access of department tokens, audit rows, the rate limit, the "<5" rule."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import psycopg
import pytest
from openapi_spec_validator import validate

from dashboard.app import close_app, create_app
from dashboard.settings import Settings
from geo.ogc_collections import COLLECTIONS
from geo.tokens import create_token
from geo.users import UserError
from tests.clients import WALL_TOKEN, api_client
from tests.db.ogc_fixtures import UNITS_ONLY, bearer, ogc_database

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def ogc_db(admin_url, demo_template, settings):
    with ogc_database(admin_url, demo_template, settings) as found:
        yield found


@pytest.fixture(scope="module")
def client(ogc_db, settings):
    url, tokens = ogc_db
    app = create_app(settings, database_url=url)
    try:
        yield app.server.test_client(), tokens
    finally:
        close_app(app)


def _get(client, path, token):
    return client.get(path, headers=bearer(token))


def _local(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_landing_conformance_and_a_valid_openapi_document(client):
    c, tokens = client
    landing = _get(c, "/ogc/", tokens["all"])
    assert landing.status_code == 200
    links = {link["rel"]: link for link in landing.get_json()["links"]}
    assert set(links) >= {"self", "service-desc", "service-doc", "conformance", "data"}
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert _get(c, "/ogc", tokens["all"]).status_code == 200
    conf = _get(c, "/ogc/conformance", tokens["all"]).get_json()["conformsTo"]
    assert {s.rsplit("/", 1)[1] for s in conf} == {"core", "geojson", "oas30"}
    api = _get(c, _local(links["service-desc"]["href"]), tokens["all"])
    assert api.status_code == 200 and api.mimetype == "application/vnd.oai.openapi+json"
    document = json.loads(api.get_data(as_text=True))
    validate(document)  # raises on an invalid OpenAPI 3.0 document
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"], limit["minimum"]) == (100, 10000, 1)
    doc = _get(c, _local(links["service-doc"]["href"]), tokens["all"])
    assert doc.status_code == 200 and doc.mimetype == "text/html"


def test_collections_describe_every_declared_one_with_extents(client):
    c, tokens = client
    listed = _get(c, "/ogc/collections", tokens["all"]).get_json()["collections"]
    assert [d["id"] for d in listed] == list(COLLECTIONS)
    assert {"communities", "grids", "compounds", "buildings", "units", "shops", "context",
            "tickets", "h3_population_r8", "h3_floating_ratio_r7", "h3_tickets_r9",
            "h3_coverage_r9"} <= {d["id"] for d in listed}
    for d in listed:
        west, south, east, north = d["extent"]["spatial"]["bbox"][0]
        assert 116 < west < east < 117 and 39 < south < north < 40, d["id"]
        assert d["titles"]["zh"] and d["titles"]["en"]
        assert any(link["rel"] == "items" for link in d["links"])
        windowed = d["id"] in ("tickets", "h3_tickets_r7", "h3_tickets_r8", "h3_tickets_r9")
        assert ("temporal" in d["extent"]) == windowed, d["id"]
    one = _get(c, "/ogc/collections/tickets", tokens["all"]).get_json()
    first, last = one["extent"]["temporal"]["interval"][0]
    assert first < last and first.endswith("Z")
    assert _get(c, "/ogc/collections/persons", tokens["all"]).status_code == 404


def test_items_page_through_next_links_in_code_order(client, ogc_db):
    c, tokens = client
    with psycopg.connect(ogc_db[0]) as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM compounds ORDER BY code")]
    first = _get(c, "/ogc/collections/compounds/items", tokens["all"])
    assert first.status_code == 200 and first.mimetype == "application/geo+json"
    body = first.get_json()
    assert body["numberReturned"] == min(100, len(codes))
    assert body["numberMatched"] == len(codes)
    seen, path, pages = [], "/ogc/collections/compounds/items?limit=37", 0
    while path:
        page = _get(c, path, tokens["all"]).get_json()
        pages += 1
        seen += [f["id"] for f in page["features"]]
        assert all(f["properties"]["management"] in ("property", "quasi", "three_no")
                   for f in page["features"])
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        path = _local(nxt[0]) if nxt else None
    assert seen == codes and pages >= len(codes) // 37
    lng, lat = body["features"][0]["geometry"]["coordinates"][0][0]
    assert 116 < lng < 117 and 39 < lat < 40  # longitude first


@pytest.mark.parametrize("query, parameter", [
    ("limit=0", "limit"), ("limit=10001", "limit"), ("limit=ten", "limit"),
    ("bbox=1,2,3", "bbox"), ("bbox=116.6,39.7,116.5,39.8", "bbox"),
    ("datetime=yesterday", "datetime"), ("datetime=2026-11-02T00:00:00", "datetime"),
    ("datetime=../..", "datetime"), ("colour=red", "colour"), ("f=html", "f"),
])
def test_bad_or_unknown_parameters_answer_400_naming_them(client, query, parameter):
    c, tokens = client
    answer = _get(c, f"/ogc/collections/tickets/items?{query}", tokens["all"])
    assert answer.status_code == 400
    assert answer.get_json()["parameter"] == parameter


def test_bbox_and_datetime_counts_equal_our_own_sql(client, ogc_db):
    c, tokens = client
    bbox = (116.53, 39.73, 116.57, 39.76)
    with psycopg.connect(ogc_db[0]) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        in_box = conn.execute(
            "SELECT count(*) FROM buildings WHERE ST_Intersects(geom,"
            " ST_MakeEnvelope(%s, %s, %s, %s, 4326))", bbox).fetchone()[0]
        since, until = conn.execute(
            "SELECT min(received_at) + (max(received_at) - min(received_at)) / 3,"
            " min(received_at) + (max(received_at) - min(received_at)) / 2 FROM incidents"
        ).fetchone()
        in_window = conn.execute("SELECT count(*) FROM incidents WHERE received_at"
                                 " BETWEEN %s AND %s", [since, until]).fetchone()[0]
        after = conn.execute("SELECT count(*) FROM incidents WHERE received_at >= %s",
                             [since]).fetchone()[0]
    assert in_box > 0 and 0 < in_window < after
    box = ",".join(map(str, bbox))
    answer = _get(c, f"/ogc/collections/buildings/items?bbox={box}&limit=1", tokens["all"])
    assert answer.get_json()["numberMatched"] == in_box
    iso = [t.isoformat().replace("+00:00", "Z") for t in (since, until)]
    for window, expected in ((f"{iso[0]}/{iso[1]}", in_window), (f"{iso[0]}/..", after)):
        got = _get(c, f"/ogc/collections/tickets/items?datetime={window}&limit=10000",
                   tokens["all"]).get_json()
        assert got["numberMatched"] == expected, window
        assert got["numberReturned"] == min(expected, 10000)
        assert all(iso[0] <= f["properties"]["received_at"][:19] for f in got["features"])


def test_one_feature_by_its_code_and_404s(client, ogc_db):
    c, tokens = client
    with psycopg.connect(ogc_db[0]) as conn:
        code = conn.execute("SELECT min(code) FROM buildings").fetchone()[0]
    one = _get(c, f"/ogc/collections/buildings/items/{code}", tokens["all"])
    assert one.status_code == 200 and one.mimetype == "application/geo+json"
    feature = one.get_json()
    assert feature["id"] == code and feature["geometry"]["type"] == "Polygon"
    assert _get(c, "/ogc/collections/buildings/items/nope", tokens["all"]).status_code == 404
    assert _get(c, "/ogc/collections/nope/items", tokens["all"]).status_code == 404
    assert _get(c, "/ogc/nothing/here", tokens["all"]).status_code == 404


def test_department_tokens_read_only_their_collections(client, settings, ogc_db):
    c, tokens = client
    listed = _get(c, "/ogc/collections", tokens["some"]).get_json()["collections"]
    assert [d["id"] for d in listed] == list(UNITS_ONLY)
    assert _get(c, "/ogc/collections/units/items", tokens["some"]).status_code == 200
    for path in ("/ogc/collections/buildings", "/ogc/collections/buildings/items",
                 "/ogc/collections/h3_population_r8/items", "/ogc/collections/tickets/items/x"):
        assert _get(c, path, tokens["some"]).status_code == 403, path
    assert c.get("/ogc/collections").status_code == 401  # no sign-in: 401, not a login page
    assert _get(c, "/ogc/", "not-a-token").status_code == 401
    assert c.get(f"/ogc/?token={WALL_TOKEN}").status_code == 403  # the wall holds no OGC
    with api_client(settings, ogc_db[0], "commander") as signed_in:
        listed = signed_in.get("/ogc/collections").get_json()["collections"]
        assert len(listed) == len(COLLECTIONS)


def test_every_request_is_audited_with_collection_bbox_and_count(client, ogc_db):
    c, tokens = client
    _get(c, "/ogc/collections/units/items?limit=7&bbox=116.4,39.6,116.7,39.9", tokens["some"])
    with psycopg.connect(ogc_db[0]) as conn:
        username, role, target, detail = conn.execute(
            "SELECT username, role, target, detail FROM audit_log WHERE action = 'ogc_read'"
            " ORDER BY id DESC LIMIT 1").fetchone()
    assert username.startswith("token:") and role == "department" and target == "units"
    assert detail["bbox"] == "116.4,39.6,116.7,39.9" and detail["count"] == 7
    assert detail["label"] == "区市场监管局"


def test_the_rate_limit_answers_429_per_token(ogc_db):
    url, tokens = ogc_db
    settings = Settings(database_url=url, ogc_requests_per_min=3)
    app = create_app(settings, database_url=url)
    try:
        c = app.server.test_client()
        with psycopg.connect(url) as conn:  # tokens of their own: fresh budgets
            token, other = (create_token(conn, "department", "tests", "限流",
                                         collections=("grids",))[1] for _ in range(2))
        statuses = [_get(c, "/ogc/conformance", token).status_code for _ in range(5)]
        assert statuses[:3] == [200] * 3 and statuses[3:] == [429, 429], statuses
        assert int(_get(c, "/ogc/", token).headers["Retry-After"]) >= 1
        assert _get(c, "/ogc/conformance", other).status_code == 200  # its own budget
    finally:
        close_app(app)


def test_h3_collections_keep_the_under_five_rule(client):
    c, tokens = client
    for collection in ("h3_tickets_r9", "h3_population_r9", "h3_coverage_r8"):
        features = _get(c, f"/ogc/collections/{collection}/items?limit=10000",
                        tokens["all"]).get_json()["features"]
        assert features, collection
        for f in features:
            assert f["geometry"]["type"] == "Polygon" and len(f["id"]) == 15
            if collection == "h3_tickets_r9":
                value = f["properties"]["value"]
                assert (value is None and f["properties"]["label"] == "<5") or value >= 5
        if collection == "h3_tickets_r9":
            assert any(f["properties"]["value"] is None for f in features)
    cell = features[0]["id"]
    one = _get(c, f"/ogc/collections/h3_coverage_r8/items/{cell}", tokens["all"])
    assert one.status_code == 200 and one.get_json()["id"] == cell


def test_tokens_name_only_declared_collections(ogc_db):
    with psycopg.connect(ogc_db[0]) as conn, pytest.raises(UserError, match="persons"):
        create_token(conn, "department", "tests", "公安", collections=("grids", "persons"))


def test_vector_tiles_of_the_dense_layers(client):
    c, tokens = client
    sets = _get(c, "/ogc/collections/buildings/tiles", tokens["all"]).get_json()["tilesets"]
    template = sets[0]["links"][0]["href"]
    assert template.endswith("/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    tile = _get(c, "/ogc/collections/buildings/tiles/WebMercatorQuad/15/12434/26992",
                tokens["all"])
    assert tile.status_code == 200 and tile.mimetype == "application/vnd.mapbox-vector-tile"
    assert len(tile.data) > 1000
    assert _get(c, "/ogc/collections/buildings/tiles/WebMercatorQuad/10/388/843",
                tokens["all"]).status_code == 204  # below the layer's tile zoom: empty
    assert _get(c, "/ogc/collections/buildings/tiles/WebMercatorQuad/3/9/0",
                tokens["all"]).status_code == 400
    assert _get(c, "/ogc/collections/h3_population_r8/tiles", tokens["all"]).status_code == 404
    assert _get(c, "/ogc/collections/buildings/tiles/WebMercatorQuad/15/12434/26992",
                tokens["some"]).status_code == 403

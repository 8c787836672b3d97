"""Real GDAL (Debian's gdal-bin) reads /ogc/ of a running `gridcmd serve`: ogrinfo lists the
collections, ogr2ogr copies buildings page by page into a GeoPackage equal to the table, bbox
and datetime filters count what our SQL counts, a token reads only its collections, and no
answer carries a person's or staff member's name, phone or ID number."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request

import numpy as np
import psycopg
import pyogrio
import pytest
import shapely

from geo.ogc_collections import COLLECTIONS
from tests.db.ogc_fixtures import UNITS_ONLY, bearer, ogc_database
from tests.json_nodes import json_nodes
from tests.ui.serving import serve

pytestmark = [pytest.mark.db,
              pytest.mark.skipif(shutil.which("ogr2ogr") is None,
                                 reason="gdal-bin is installed by scripts/system-deps.sh")]

PAGE_SIZE = 1500  # smaller than the town's ~20,000 buildings: the copy follows `next` links


@pytest.fixture(scope="module")
def server(admin_url, demo_template, settings, tmp_path_factory):
    with ogc_database(admin_url, demo_template, settings) as (url, tokens):
        log = tmp_path_factory.mktemp("ogc") / "serve.log"
        with serve(url, log) as base:
            yield base, url, tokens


def _gdal(tool: str, *args: str, token: str | None = None) -> subprocess.CompletedProcess:
    auth = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"] if token else []
    return subprocess.run([tool, *auth, *args], capture_output=True, text=True, timeout=300)


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=bearer(token))
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_ogrinfo_lists_every_collection_a_token_may_read(server):
    base, _, tokens = server
    listed = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{base}/ogc", token=tokens["all"])
    assert listed.returncode == 0, listed.stderr
    assert re.findall(r"^\d+: (\S+)", listed.stdout, re.M) == list(COLLECTIONS)
    some = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{base}/ogc", token=tokens["some"])
    assert re.findall(r"^\d+: (\S+)", some.stdout, re.M) == list(UNITS_ONLY)
    assert _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{base}/ogc").returncode != 0  # no token


def test_ogr2ogr_copies_buildings_page_by_page_into_an_equal_geopackage(server, tmp_path):
    base, url, tokens = server
    out = tmp_path / "buildings.gpkg"
    copied = _gdal("ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{base}/ogc", "buildings",
                   "-oo", f"PAGE_SIZE={PAGE_SIZE}", token=tokens["all"])
    assert copied.returncode == 0, copied.stderr
    got = pyogrio.read_dataframe(out, layer="buildings")
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT code, ST_AsBinary(geom) FROM buildings ORDER BY code"
                            ).fetchall()
        pages = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'ogc_read' AND target = 'buildings'"
            " AND detail->>'cursor' IS NOT NULL").fetchone()[0]
    assert len(rows) > PAGE_SIZE * 5 and pages >= len(rows) // PAGE_SIZE
    assert len(got) == len(rows)
    got = got.set_index("code").loc[[code for code, _ in rows]]
    stored = shapely.from_wkb([bytes(wkb) for _, wkb in rows])
    for mine, theirs in zip(stored, got.geometry.values, strict=True):
        a, b = shapely.get_coordinates(mine), shapely.get_coordinates(theirs)
        assert a.shape == b.shape and np.abs(a - b).max() < 1e-7


def _features(base: str, token: str, collection: str, *args: str) -> list[dict]:
    copied = _gdal("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"OAPIF:{base}/ogc", collection,
                   "-oo", "PAGE_SIZE=5000", *args, token=token)
    assert copied.returncode == 0, copied.stderr
    return json.loads(copied.stdout)["features"]


def test_bbox_and_datetime_filters_count_what_our_sql_counts(server):
    base, url, tokens = server
    bbox = (116.53, 39.73, 116.57, 39.76)
    with psycopg.connect(url) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        in_box = conn.execute("SELECT count(*) FROM buildings WHERE ST_Intersects(geom,"
                              " ST_MakeEnvelope(%s, %s, %s, %s, 4326))", bbox).fetchone()[0]
        since, until = conn.execute(
            "SELECT date_trunc('day', min(received_at) + (max(received_at) - min(received_at))"
            " / 3), date_trunc('day', min(received_at) + (max(received_at) - min(received_at))"
            " / 2) FROM incidents").fetchone()
        in_window = conn.execute("SELECT count(*) FROM incidents WHERE received_at"
                                 " BETWEEN %s AND %s", [since, until]).fetchone()[0]
    assert in_box > 0 and in_window > 0
    boxed = _features(base, tokens["all"], "buildings", "-spat", *map(str, bbox))
    assert len(boxed) == in_box
    iso = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in (since, until)]
    timed = _features(base, tokens["all"], "tickets",
                      "-where", f"received_at >= '{iso[0]}' AND received_at <= '{iso[1]}'")
    assert len(timed) == in_window
    with psycopg.connect(url) as conn:  # GDAL sent both filters to the server
        sent = conn.execute(
            "SELECT count(*) FILTER (WHERE detail->>'bbox' IS NOT NULL AND target = 'buildings'),"
            " count(*) FILTER (WHERE detail->>'datetime' IS NOT NULL AND target = 'tickets')"
            " FROM audit_log WHERE action = 'ogc_read'").fetchone()
    assert sent[0] >= 1 and sent[1] >= 1


def test_a_token_without_a_collection_gets_403(server):
    base, _, tokens = server
    status, body = _get(f"{base}/ogc/collections/buildings/items", tokens["some"])
    assert status == 403 and b"buildings" in body
    refused = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{base}/ogc", "buildings",
                    token=tokens["some"])
    assert refused.returncode != 0
    assert _get(f"{base}/ogc/collections/units/items?limit=1", tokens["some"])[0] == 200


def test_no_ogc_answer_carries_personal_data(server):
    base, url, tokens = server
    texts = []
    for path in ("/ogc/", "/ogc/api", "/ogc/api.html", "/ogc/conformance", "/ogc/collections"):
        status, body = _get(base + path, tokens["all"])
        assert status == 200
        texts.append(body.decode())
    for collection in COLLECTIONS:
        nxt = f"{base}/ogc/collections/{collection}/items?limit=10000"
        while nxt:
            status, body = _get(nxt, tokens["all"])
            assert status == 200, collection
            texts.append(body.decode())
            page = json.loads(body)
            nxt = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    values = set()
    for text in texts:
        if text.lstrip().startswith("{"):
            values.update(v for v in json_nodes(json.loads(text)) if isinstance(v, str))
    raw = "\n".join(texts)
    # every 11-character (phone) and 18-character (ID number) window of every run of digits
    digits = {run[i:i + n] for run in re.findall(r"[\dXx]{11,}", raw) for n in (11, 18)
              for i in range(len(run) - n + 1)}
    with psycopg.connect(url) as conn:
        persons = conn.execute("SELECT name, phone, id_number FROM persons").fetchall()
        staff = conn.execute("SELECT name, phone FROM staff").fetchall()
    assert len(persons) > 1000 and len(staff) > 50
    names = {row[0] for row in persons} | {row[0] for row in staff}
    numbers = {v for row in persons for v in row[1:] if v} | {p for _, p in staff if p}
    assert not names & values, sorted(names & values)[:5]
    assert not numbers & digits, sorted(numbers & digits)[:5]


def test_a_vector_tile_opens_in_gdal_with_every_building_it_touches(server, tmp_path):
    base, url, tokens = server
    z, y, x = 15, 12434, 26992
    status, body = _get(f"{base}/ogc/collections/buildings/tiles/WebMercatorQuad/{z}/{y}/{x}",
                        tokens["all"])
    assert status == 200
    path = tmp_path / "tile.mvt"
    path.write_bytes(body)
    info = _gdal("ogrinfo", "-ro", "-so", "-al", str(path), "-oo", f"X={x}", "-oo", f"Y={y}",
                 "-oo", f"Z={z}")
    assert info.returncode == 0, info.stderr
    with psycopg.connect(url) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM buildings WHERE ST_Intersects(geom, ST_Transform("
            "ST_TileEnvelope(%s, %s, %s, margin => 64.0 / 4096), 4326))", [z, x, y]).fetchone()[0]
    assert expected > 50
    assert f"Feature Count: {expected}" in info.stdout
    assert re.search(r"^address: String", info.stdout, re.M)  # properties became attributes

"""PIPL: a snapshot PDF never carries personal data, whichever layers it draws."""

from __future__ import annotations

import subprocess
from urllib.parse import urlencode

import psycopg
import pytest

from tests.ui.serving import signed_in_get

pytestmark = pytest.mark.ui


def test_a_pdf_of_every_point_layer_holds_no_names_or_phones(server, ui_db_url, tmp_path):
    with psycopg.connect(ui_db_url) as conn:
        lng, lat = conn.execute("SELECT ST_X(geom), ST_Y(geom) FROM staff WHERE role ="
                                " 'grid_worker' ORDER BY code LIMIT 1").fetchone()
        bbox = (lng - 0.004, lat - 0.003, lng + 0.004, lat + 0.003)
        staff = conn.execute(
            "SELECT name, phone FROM staff WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
            list(bbox)).fetchall()
    assert staff
    query = urlencode({"layers": "staff,units,cases,tickets,resources,buildings",
                       "bbox": ",".join(f"{v:.6f}" for v in bbox), "size": "1200x800",
                       "title": "隐私检查"})
    status, kind, body = signed_in_get(f"{server}/export/snapshot.pdf?{query}")
    assert status == 200 and kind == "application/pdf"
    pdf = tmp_path / "snapshot.pdf"
    pdf.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "隐私检查" in text  # the text layer is there to be searched
    for name, phone in staff:
        assert name not in text
        assert not phone or phone not in text

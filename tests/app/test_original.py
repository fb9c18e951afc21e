"""The original file of an opened item: a link at its page, served only from what the archive read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.detail import add_original_route, original_href, original_link
from index.store import Archive
from ingest.pipeline import ingest_paths
from radslag.safe import set_masking

MINUTES = """Protokoll Trygghetsrådet i Ljusdal 2024-03-12

1. Klotter vid stationen
Klotter vid stationen har ökat. Kommunen sanerar inom ett dygn.
"""


def test_link_opens_a_pdf_at_the_items_page(tmp_path):
    pdf = tmp_path / "protokoll.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    item = SimpleNamespace(id=12, source=str(pdf), pages=[7, 8])
    assert original_href(item) == "original/12#page=7"
    link = original_link(item, "sv")
    assert 'href="original/12#page=7"' in link and "Originalfilen: protokoll.pdf, sidorna 7–8" in link
    text = SimpleNamespace(id=3, source=str(tmp_path / "a.txt"), pages=[1])
    assert original_href(text) == "original/3"  # pages mean nothing to a text file
    assert original_link(text, "sv") == ""  # not there: no link


@pytest.fixture
def served(tmp_settings, tmp_path):
    """An archive holding one text file, and a client of an app that serves its originals."""
    source = tmp_path / "ljusdal-2024-03-12.txt"
    source.write_text(MINUTES, encoding="utf-8")
    report = ingest_paths([str(source)], tmp_settings)
    assert not report.failed
    with Archive(tmp_settings.db_path) as arc:
        item = arc.items()[0]
    server = FastAPI()
    add_original_route(server, tmp_settings)
    return TestClient(server), item, source


def test_original_served_by_item_id_only(served):
    client, item, source = served
    got = client.get(f"/original/{item.id}")
    assert got.status_code == 200 and got.content == source.read_bytes()
    assert got.headers["content-type"].startswith("text/plain") and got.headers["content-disposition"].startswith("inline")
    assert got.headers["content-security-policy"] == "sandbox" and got.headers["x-content-type-options"] == "nosniff"
    for wrong in (str(item.id + 999), "abc", "-1", "1e3"):
        answer = client.get(f"/original/{wrong}")
        assert answer.status_code == 404 and "Originalfilen finns inte" in answer.text
    assert client.get("/original/..%2F..%2Fetc%2Fpasswd").status_code == 404  # no path is ever taken from the request
    source.unlink()
    assert client.get(f"/original/{item.id}").status_code == 404  # gone from where it was read


def test_original_not_served_while_masking(served):
    client, item, _ = served
    set_masking(True, "sv")
    try:
        assert client.get(f"/original/{item.id}").status_code == 404
    finally:
        set_masking(False, "sv")
    assert client.get(f"/original/{item.id}").status_code == 200


def test_original_behind_the_apps_login(tmp_settings, served):
    _, item, _ = served
    server = FastAPI()
    server.auth, server.tokens, server.cookie_id = [("anna", "pw")], {"tok": "anna"}, "c1"  # as Gradio's App keeps them
    add_original_route(server, tmp_settings, auth=("anna", "pw"))
    client = TestClient(server)
    assert client.get(f"/original/{item.id}").status_code == 401
    client.cookies.set("access-token-c1", "wrong")
    assert client.get(f"/original/{item.id}").status_code == 401
    client.cookies.set("access-token-c1", "tok")
    assert client.get(f"/original/{item.id}").status_code == 200

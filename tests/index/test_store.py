"""The SQLite archive: schema, transactions, idempotence, filters."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from index.store import SCHEMA_VERSION, Archive
from index.timeline import all_terms_expression
from radslag.errors import FilterError
from radslag.types import AgendaItem, Document, Entity, Filters, MeetingMeta, Passage, Section, TopicTag


def make_doc(source="a.txt", text="1. Klotter\nKlotter i centrum.\n2. Övrigt\nInget.", digest="h1"):
    return Document(source=source, text=text, reader="txt", content_hash=digest, size=len(text))


def make_items(n=2):
    return [AgendaItem(number=str(i + 1), title=f"Punkt {i + 1}", text=f"Text {i + 1} om klotter", start=i * 10,
                       end=i * 10 + 9) for i in range(n)]


def meta(body="Trygghetsråd", municipality="Hallstahammar", date="2021-09-15", kind="minutes"):
    return MeetingMeta(kind=kind, body=body, municipality=municipality, date=dt.date.fromisoformat(date))


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "a.sqlite") as arc:
        yield arc


def test_schema_version_is_recorded(archive):
    assert archive.schema_version == SCHEMA_VERSION == 3


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "x.sqlite"
    Archive(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="nyare"):
        Archive(path)


def test_write_then_status_unchanged_then_replace(archive):
    doc = make_doc()
    assert archive.document_status(doc.source, doc.content_hash) == "new"
    mid, status, removed = archive.write_document(doc, meta(), make_items())
    assert status == "ingested" and removed == []
    assert archive.document_status(doc.source, doc.content_hash) == "unchanged"
    assert archive.document_status(doc.source, "other") == "changed"
    # same bytes under another name are not archived twice
    assert archive.document_status("copy/a.txt", doc.content_hash) == "unchanged"

    item_ids = archive.item_ids(mid)
    pids = archive.write_passages([Passage(item_id=item_ids[0], ordinal=0, text="Text 1", start=0, end=6)])
    archive.write_enrichment(item_ids[0], [Entity("centrum", "LOC", 0, 7)], [TopicTag("klotter", "Klotter", 0.9)])

    changed = make_doc(digest="h2")
    mid2, status2, removed2 = archive.write_document(changed, meta(), make_items(3))
    assert status2 == "replaced"
    assert removed2 == pids  # the caller removes these vectors
    assert archive.count("meetings") == 1 and archive.count("items") == 3
    assert archive.count("passages") == 0 and archive.count("entities") == 0 and archive.count("item_topics") == 0
    # the keyword index follows the replacement: 3 rows, none left over
    assert archive.keyword_matches('"text"') == set(archive.item_ids(mid2))


def test_failed_write_leaves_archive_untouched(archive):
    archive.write_document(make_doc(), meta(), make_items())
    before = (archive.count("documents"), archive.count("items"))
    bad_items = make_items() + [AgendaItem(number="3", title=None, text="x", start=0, end=1)]  # NOT NULL title
    with pytest.raises(sqlite3.IntegrityError):
        archive.write_document(make_doc(digest="h2"), meta(), bad_items)
    assert (archive.count("documents"), archive.count("items")) == before
    # the old version is still there, intact
    assert archive.document_status("a.txt", "h1") == "unchanged"


def test_document_without_items_is_refused(archive):
    with pytest.raises(ValueError):
        archive.write_document(make_doc(), meta(), [])
    assert archive.count("documents") == 0


def test_filters_fold_swedish_letters(archive):
    archive.write_document(make_doc("a.txt", digest="1"), meta(body="Trygghetsråd", municipality="Västerås"), make_items())
    archive.write_document(make_doc("b.txt", digest="2"), meta(body="Förebyggande rådet", municipality="Arboga",
                                                                date="2021-05-25"), make_items())
    assert [m.body for m in archive.meetings(Filters(body="TRYGGHETSRÅD"))] == ["Trygghetsråd"]
    assert [m.municipality for m in archive.meetings(Filters(municipality="västerås"))] == ["Västerås"]
    assert [m.body for m in archive.meetings(Filters(since="2021-06-01"))] == ["Trygghetsråd"]
    assert [m.body for m in archive.meetings(Filters(until="2021-06-01"))] == ["Förebyggande rådet"]
    assert len(archive.items(Filters(body="rådet"))) == 2


def test_filter_sets_are_cached_until_the_archive_changes(archive, tmp_path):
    archive.write_document(make_doc("a.txt", digest="1"), meta(municipality="Västerås"), make_items())
    west = Filters(municipality="Västerås")
    first = archive.allowed_item_ids(west)
    assert first == archive.filter_item_ids(west) and archive.allowed_item_ids(None) is None
    assert archive.allowed_item_ids(west) is first  # resolved once
    archive.write_document(make_doc("b.txt", digest="2"), meta(municipality="Västerås"), make_items())
    second = archive.allowed_item_ids(west)
    assert second == archive.filter_item_ids(west) and len(second) > len(first)
    # a write by another connection (another process's ingest) is seen too
    with Archive(archive.path) as other:
        other.write_document(make_doc("c.txt", digest="3"), meta(municipality="Västerås"), make_items())
    assert archive.allowed_item_ids(west) == archive.filter_item_ids(west) and len(archive.allowed_item_ids(west)) > len(second)


def test_items_carry_enrichment_as_json_lists(archive):
    mid, _, _ = archive.write_document(make_doc(), meta(), make_items())
    first = archive.items(meeting_id=mid)[0]
    archive.write_enrichment(first.id, [Entity("Polisen", "ORG", 0, 7, "Polisen")],
                             [TopicTag("klotter", "Klotter och skadegörelse", 0.5), TopicTag("lagesbild", "Lägesbild", 0.8)])
    row = archive.item(first.id)
    assert row.entities == [Entity("Polisen", "ORG", 0, 7, "Polisen")]
    assert [t.id for t in row.topics] == ["lagesbild", "klotter"]  # by score
    assert archive.filter_item_ids(Filters(topic="klotter")) == {first.id}
    assert archive.filter_item_ids(Filters(entity="polisen")) == {first.id}
    assert archive.filter_item_ids(Filters()) is None and archive.filter_item_ids(None) is None
    assert archive.items(Filters(topic="nattvandring")) == []
    # meetings with a topic or entity filter: those with such an item
    assert [m.id for m in archive.meetings(Filters(topic="klotter"))] == [mid]
    assert archive.meetings(Filters(entity="Kommunen")) == []


def test_settings_roundtrip(archive):
    archive.set_setting("model", {"name": "e5", "dim": 384})
    assert archive.get_setting("model") == {"name": "e5", "dim": 384}
    assert archive.get_setting("missing", 3) == 3


def test_version_1_archive_is_migrated_in_place(tmp_path):
    """An archive written before meetings.year existed opens, gains the column and keeps its data."""
    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
        " size INTEGER NOT NULL DEFAULT 0, reader TEXT NOT NULL, kind TEXT NOT NULL, encoding TEXT, text TEXT NOT NULL,"
        " pages TEXT NOT NULL DEFAULT '[]', front_matter TEXT NOT NULL DEFAULT '{}', warnings TEXT NOT NULL DEFAULT '[]',"
        " ingested_at TEXT NOT NULL);"
        "CREATE TABLE meetings (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id)"
        " ON DELETE CASCADE, kind TEXT NOT NULL, body TEXT, municipality TEXT, date TEXT, time TEXT, place TEXT,"
        " chair TEXT, secretary TEXT, next_meeting TEXT, title TEXT, participants TEXT NOT NULL DEFAULT '[]',"
        " provenance TEXT NOT NULL DEFAULT '{}');"
        "INSERT INTO documents VALUES (1, 'a.txt', 'h', 1, 'txt', 'minutes', NULL, 'x', '[]', '{}', '[]', 'now');"
        "INSERT INTO meetings (id, document_id, kind, body, date) VALUES (1, 1, 'minutes', 'Trygghetsråd', '2021-09-15');"
        "PRAGMA user_version = 1;"
    )
    conn.close()
    with Archive(path) as arc:
        assert arc.schema_version == SCHEMA_VERSION
        assert [(m.body, m.year, m.month) for m in arc.meetings()] == [("Trygghetsråd", 2021, 9)]
        assert arc.count("followups") == 0  # tables added since version 1 exist


def test_passage_ids_are_never_reused(archive):
    """Passage ids are vector ids: after a replacement the new passages get fresh ids."""
    mid, _, _ = archive.write_document(make_doc(), meta(), make_items())
    item = archive.items(meeting_id=mid)[0]
    old = archive.write_passages([Passage(item.id, 0, "a", 0, 1), Passage(item.id, 1, "b", 1, 2)])
    mid, _, removed = archive.write_document(make_doc(digest="h2"), meta(), make_items())
    assert removed == old
    item = archive.items(meeting_id=mid)[0]
    new = archive.write_passages([Passage(item.id, 0, "c", 0, 1)])
    assert not set(new) & set(old)


def test_keyword_index_is_reanalysed_when_the_analysis_changes(archive):
    from index.keyword import analyzer_fingerprint

    archive.write_document(make_doc(), meta(), make_items())
    assert archive.refresh_keyword_index() == 2  # first call records the fingerprint
    assert archive.get_setting("keyword_analyzer") == analyzer_fingerprint()
    assert archive.refresh_keyword_index() == 0
    archive.set_setting("keyword_analyzer", "older-analysis")
    assert not archive.keyword_current()
    assert archive.refresh_keyword_index() == 2
    assert len(archive.keyword_matches(all_terms_expression("klotter"))) == 2


def _v2_archive(path):
    """An archive as schema 2 wrote it: items without ``sections``."""
    Archive(path).close()
    conn = sqlite3.connect(path)
    conn.executescript(
        "PRAGMA foreign_keys = OFF; CREATE TABLE items_old AS SELECT * FROM items; DROP TABLE items;"
        "CREATE TABLE items (id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id)"
        " ON DELETE CASCADE, ordinal INTEGER NOT NULL, number TEXT, title TEXT NOT NULL, text TEXT NOT NULL,"
        " start INTEGER NOT NULL, end INTEGER NOT NULL, pages TEXT NOT NULL DEFAULT '[]', dnr TEXT,"
        " heading_source TEXT NOT NULL, UNIQUE (meeting_id, ordinal)); DROP TABLE items_old;"
        "INSERT INTO documents VALUES (1, 'a.txt', 'h', 1, 'txt', 'minutes', NULL, 'x', '[]', '{}', '[]', 'now');"
        "INSERT INTO meetings (id, document_id, kind, body, date, year) VALUES (1, 1, 'minutes', 'Råd', NULL, 2020);"
        "INSERT INTO items (id, meeting_id, ordinal, title, text, start, end, heading_source)"
        " VALUES (1, 1, 0, 'Klotter', 'Klotter.', 0, 1, 'whole');"
        "PRAGMA user_version = 2;"
    )
    conn.close()


def test_version_2_archive_gains_item_sections(tmp_path):
    path = tmp_path / "v2.sqlite"
    _v2_archive(path)
    with Archive(path) as arc:
        assert arc.schema_version == SCHEMA_VERSION
        [item] = arc.items()
        assert item.title == "Klotter" and item.sections == [] and item.year == 2020 and item.month is None


def test_sections_are_written_and_read(archive):
    items = make_items()
    items[0].sections = [Section("beslut", "Beslut", 3, 9), Section("yrkanden", "Yrkanden", 9, 10)]
    mid, _, _ = archive.write_document(make_doc(), meta(), items)
    first, second = archive.items(meeting_id=mid)
    assert first.sections == items[0].sections and second.sections == []


def test_filter_values_are_checked_where_they_are_made():
    with pytest.raises(FilterError, match="2021-13-01"):
        Filters(since="2021-13-01")
    with pytest.raises(FilterError, match="21-9-1"):
        Filters(until="21-9-1")
    with pytest.raises(FilterError, match="protokoll"):
        Filters(kind="protokoll")
    with pytest.raises(FilterError, match="'%'"):
        Filters(body="%")
    with pytest.raises(FilterError, match="efter"):
        Filters(since="2022-01-01", until="2021-01-01")


def test_body_rule_is_word_prefixes_of_the_council_name(archive):
    """One rule for body: each filter word begins a word of '<municipality> <body>'; no wildcards."""
    archive.write_document(make_doc("a.txt", digest="1"), meta(body="Trygghetsrådet", municipality="Hallstahammar"),
                           make_items())
    archive.write_document(make_doc("b.txt", digest="2"), meta(body="Brottsförebyggande rådet", municipality="Arboga"),
                           make_items())
    archive.write_document(make_doc("c.txt", digest="3"), meta(body="KS_AU 100%", municipality="Kungsbacka"),
                           make_items())

    def bodies(**kw):
        return sorted(m.body for m in archive.meetings(Filters(**kw)))

    assert bodies(body="trygghetsråd") == ["Trygghetsrådet"]
    assert bodies(body="Hallstahammars trygghetsråd") == ["Trygghetsrådet"]  # municipality word, genitive
    assert bodies(body="Arboga trygghetsråd") == []
    assert bodies(body="rådet") == ["Brottsförebyggande rådet"]  # a word's start, not any substring
    assert bodies(body="förebyggande") == []
    assert bodies(body="ks_au") == ["KS_AU 100%"]
    assert bodies(body="100%") == ["KS_AU 100%"]  # '%' is no wildcard: only the word "100" counts
    assert bodies(municipality="hallstahammar") == ["Trygghetsrådet"]
    assert bodies(municipality="trygghetsrådet") == []  # municipality looks at the municipality only


def test_year_or_month_only_meetings_pass_date_filters_by_overlap(archive):
    archive.write_document(make_doc("a.txt", digest="1"), MeetingMeta(kind="minutes", body="Råd", year=2021),
                           make_items())
    archive.write_document(make_doc("b.txt", digest="2"), MeetingMeta(kind="minutes", body="Råd"), make_items())
    archive.write_document(make_doc("c.txt", digest="3"), MeetingMeta(kind="minutes", body="Råd", year=2022, month=5),
                           make_items())
    sources = lambda **kw: sorted(m.source for m in archive.meetings(Filters(**kw)))  # noqa: E731
    assert sources(since="2021-06-01", until="2021-12-31") == ["a.txt"]
    assert sources(since="2022-01-01") == ["c.txt"]
    assert sources(since="2022-05-31", until="2022-05-31") == ["c.txt"]
    assert sources(since="2022-06-01") == [] and sources(until="2022-04-30") == ["a.txt"]
    assert sources(until="2020-12-31") == []
    month = next(m for m in archive.meetings() if m.source == "c.txt")
    assert (month.year, month.month, month.date, month.date_precision) == (2022, 5, None, "month")
    assert [m.date_precision for m in archive.meetings() if m.source != "c.txt"] == ["year", None]


def test_store_parts_schema_and_upgrade_run_at_open(tmp_path):
    """A part's SCHEMA and _upgrade are applied on open, idempotently."""
    import sqlite3

    from index.store import Archive
    from index.store.base import StorePart

    class NotesPart(StorePart):
        SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"

        def _upgrade(self, conn: sqlite3.Connection) -> None:
            self._ensure_column(conn, "items", "note_id", "INTEGER")

    class NotedArchive(NotesPart, Archive):
        pass

    for _ in range(2):  # the second open must not fail on existing tables/columns
        with NotedArchive(tmp_path / "a.sqlite") as a:
            tables = {r[0] for r in a._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            columns = {r[1] for r in a._conn.execute("PRAGMA table_info(items)")}
    assert "notes" in tables
    assert "note_id" in columns


def test_a_meeting_filter_limits_items_entities_and_followups_alike(archive):
    """``meeting_ids`` is one condition of ``Archive._where``: every read that takes it filters the same way,
    and with the other filters."""
    from radslag.types import FollowUp

    kept, _, _ = archive.write_document(make_doc(), meta(), make_items())
    other, _, _ = archive.write_document(make_doc("b.txt", digest="h2"), meta(date="2022-01-20"), make_items())
    polisen = Entity("Polisen", "ORG", 0, 7, "Polisen")
    promise = FollowUp(who="Polisen", what="återkommer", due=None, sentence="Polisen återkommer.", start=0, end=19,
                       cue="återkommer")
    for mid in (kept, other):
        for it in archive.items(meeting_id=mid):
            archive.write_enrichment(it.id, [polisen], [TopicTag("klotter", "Klotter och skadegörelse", 0.5)])
        archive.replace_followups({it.id: [promise] for it in archive.items(meeting_id=mid)})
    for filters in (None, Filters(topic="klotter"), Filters(since="2021-01-01")):
        assert {it.meeting_id for it in archive.items(filters)} == {kept, other}
        assert {it.meeting_id for it in archive.items(filters, meeting_ids=[kept])} == {kept}
        assert {m.meeting_id for m in archive.entity_mentions(filters=filters, meeting_ids=[kept])} == {kept}
        assert {f.meeting_id for f in archive.followups(filters, meeting_ids=[kept])} == {kept}
        assert len(archive.followups(filters, meeting_ids=[kept])) == 2
    assert archive.items(Filters(since="2022-01-01"), meeting_ids=[kept]) == []  # both conditions hold
    assert archive.items(meeting_ids=[]) == [] and archive.followups(meeting_ids=[]) == []


def _org_archive(path):
    """An archive of many organisation texts whose mentions hold no name, the name to be set, or another,
    plus a person and a place written like an organisation (never renamed)."""
    arc = Archive(path)
    mid, _, _ = arc.write_document(make_doc(), meta(), make_items(3))
    for n, item_id in enumerate(arc.item_ids(mid)):
        entities = []
        for t in range(60):
            text = f"Org {t}"
            held = (None, f"Namn {t}", f"Annat {t}")[(t + n) % 3]
            entities.append(Entity(text, "ORG", t, t + 1, held))
        entities += [Entity("Org 1", "PER", 0, 5, None), Entity("Org 2", "LOC", 0, 5, "Plats")]
        arc.write_enrichment(item_id, entities, [])
    return arc


@pytest.mark.parametrize("update_from", [True, False])
def test_set_org_canonical_matches_an_update_per_text_in_one_statement(tmp_path, monkeypatch, update_from):
    """The names set in one ``UPDATE`` (joined to a temporary table, or correlated on an SQLite without
    ``UPDATE ... FROM``) are those an update per text sets; other labels and texts left out keep theirs."""
    names = {f"Org {t}": f"Namn {t}" for t in range(0, 60, 2)} | {"Saknas": "Ingen"}
    with _org_archive(tmp_path / "old.sqlite") as old:
        with old._tx() as c:
            c.executemany("UPDATE entities SET canonical = ? WHERE label = 'ORG' AND text = ? AND canonical IS NOT ?",
                          [(name, text, name) for text, name in names.items()])
        expected = old._conn.execute("SELECT id, text, label, canonical FROM entities ORDER BY id").fetchall()
    if not update_from:
        monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 32, 0))
    with _org_archive(tmp_path / "new.sqlite") as new:
        before = new._conn.execute("SELECT id, text, label, canonical FROM entities ORDER BY id").fetchall()
        statements = []
        new._conn.set_trace_callback(statements.append)
        new.set_org_canonical(names)
        new.set_org_canonical({})
        new._conn.set_trace_callback(None)
        got = new._conn.execute("SELECT id, text, label, canonical FROM entities ORDER BY id").fetchall()
    assert [tuple(r) for r in got] == [tuple(r) for r in expected]
    assert got != before  # the names changed something
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE")]) == 1

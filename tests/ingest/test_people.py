"""Person and organisation canonicalisation, people listings and entity counts."""

from __future__ import annotations

import datetime as dt

import pytest

from index.people import entity_counts, people
from index.store import Archive
from ingest.people import canonical_forms, cluster_names, name_tokens, org_rule_canonical
from ingest.pipeline import canonicalize
from radslag.types import (AgendaItem, Document, Entity, EntityCount, EntityMention, Filters, MeetingMeta,
                           Participant)


def test_name_tokens_strip_roles():
    assert name_tokens("kommunchef Carin Becker") == ["Carin", "Becker"]
    assert name_tokens("Per Ersgård kommunpolisen") == ["Per", "Ersgård"]
    assert name_tokens("Kommunpolis Stefan Persson,") == ["Stefan", "Persson"]


def test_name_variants_merge():
    forms = [
        "Carin Becker",
        "Carin Becker-Åström",
        "kommunchef Carin Becker",
        "CARIN BECKER",
        "Carin Beckers",
        "Carins",
        "Carin Andersson",
        "Per Ersgård kommunpolisen",
        "Per Ersgård",
        "Anna Gunstad Bäckman",
        "Anna Bäckman",
    ]
    m = cluster_names(forms)
    becker = {m[f] for f in forms[:5]}
    assert becker == {"Carin Becker-Åström"}
    assert m["Carin Andersson"] == "Carin Andersson"  # same first name, other person
    assert m["Carins"] == "Carins"  # two Carins: a lone first name stays unresolved
    assert m["Per Ersgård kommunpolisen"] == m["Per Ersgård"] == "Per Ersgård"
    assert m["Anna Bäckman"] == m["Anna Gunstad Bäckman"] == "Anna Gunstad Bäckman"


def test_lone_name_joins_the_only_match():
    m = cluster_names(["Carin Becker", "Carins", "Becker", "Staffan Jansson"])
    assert m["Carins"] == m["Becker"] == "Carin Becker"


def _archive(tmp_path) -> tuple[Archive, list[int]]:
    archive = Archive(tmp_path / "archive.sqlite")
    item_ids: list[int] = []
    meetings = [
        ("a.txt", "Hallstahammar", "Trygghetsråd", dt.date(2021, 9, 15), [
            "Kommunchef Carin Becker öppnar. Polisen och polisens insatser. Jonna Lindman (M), ordförande.",
        ], [Participant("Carin Becker", role="kommunchef"), Participant("Joar Larsson", role="säkerhetssamordnare")]),
        ("b.txt", "Hallstahammar", "Trygghetsråd", dt.date(2022, 3, 1), [
            "Carin Becker-Åström och Polismyndigheten. Mötet den 4 juni. Hallstahammars kommun.",
        ], []),
        ("c.txt", "Arboga", "Förebyggande rådet", dt.date(2021, 5, 25), [
            "Carin Becker från Arboga.",
        ], []),
    ]
    for source, muni, body, date, texts, participants in meetings:
        text = "\n\n".join(texts)
        doc = Document(source=source, text=text, reader="txt", content_hash=source)
        meta = MeetingMeta(kind="minutes", body=body, municipality=muni, date=date, participants=participants)
        items = [AgendaItem(number=str(i + 1), title="t", text=t, start=0, end=len(t)) for i, t in enumerate(texts)]
        meeting_id, _, _ = archive.write_document(doc, meta, items)
        item_ids += archive.item_ids(meeting_id)
    return archive, item_ids


def _ents(text: str, spec: list[tuple[str, str, str | None]]) -> list[Entity]:
    out, pos = [], 0
    for surface, label, canonical in spec:
        start = text.index(surface, pos)
        out.append(Entity(surface, label, start, start + len(surface), canonical))
        pos = start + len(surface)
    return out


def test_canonicalize_people_and_counts(tmp_path):
    archive, (i1, i2, i3) = _archive(tmp_path)
    t1, t2, t3 = (archive.item(i).text for i in (i1, i2, i3))
    archive.write_enrichment(i1, _ents(t1, [
        ("Kommunchef", "ROLE", "kommunchef"), ("Carin Becker", "PER", None), ("Polisen", "ORG", None),
        ("polisens", "ORG", None), ("Jonna Lindman", "PER", None), ("M", "PARTY", "M"), ("ordförande", "ROLE", "ordförande"),
    ]), [])
    archive.write_enrichment(i2, _ents(t2, [
        ("Carin Becker-Åström", "PER", None), ("Polismyndigheten", "ORG", None), ("4 juni", "DATE", "--06-04"),
        ("Hallstahammars kommun", "LOC", None),
    ]), [])
    archive.write_enrichment(i3, _ents(t3, [("Carin Becker", "PER", None), ("Arboga", "LOC", None)]), [])
    canonicalize(archive)
    mentions = archive.entity_mentions()
    canon = {(m.text, m.label): m.canonical for m in mentions}
    assert canon[("Carin Becker-Åström", "PER")] == "Carin Becker-Åström"
    assert canon[("Polisen", "ORG")] == canon[("polisens", "ORG")] == canon[("Polismyndigheten", "ORG")] == "Polisen"
    assert canon[("4 juni", "DATE")] == "2022-06-04"
    assert canon[("Arboga", "LOC")] == "Arboga kommun"
    # Hallstahammar's Carin Becker merges across variants; Arboga's stays apart
    per = [m.canonical for m in mentions if m.label == "PER" and m.text.startswith("Carin")]
    assert sorted(per) == ["Carin Becker", "Carin Becker-Åström", "Carin Becker-Åström"]

    listed = {(p.name, p.municipality): p for p in people(archive)}
    carin = listed[("Carin Becker-Åström", "Hallstahammar")]
    assert carin.aliases == ["Carin Becker", "Carin Becker-Åström"]
    assert carin.roles == ["kommunchef"]
    assert carin.mentions == 2 and carin.meetings == 2
    assert carin.first_seen == "2021-09-15" and carin.last_seen == "2022-03-01"
    assert carin.bodies == ["Trygghetsråd"]
    jonna = listed[("Jonna Lindman", "Hallstahammar")]
    assert jonna.party == "M" and jonna.roles == ["ordförande"]
    joar = listed[("Joar Larsson", "Hallstahammar")]  # only a participant
    assert joar.mentions == 0 and joar.roles == ["säkerhetssamordnare"]
    # another municipality's Carin Becker stays a separate person (one bare mention,
    # so only listed without the evidence filter)
    assert ("Carin Becker", "Arboga") not in listed
    assert ("Carin Becker", "Arboga") in {(p.name, p.municipality) for p in people(archive, min_evidence=False)}
    arboga = people(archive, Filters(body="förebyggande rådet"), min_evidence=False)
    assert arboga and all(p.bodies == ["Förebyggande rådet"] for p in arboga)

    orgs = entity_counts(archive, label="ORG")
    assert orgs[0] == EntityCount(entity="Polisen", label="ORG", mentions=3, items=2, meetings=2)
    by_year = entity_counts(archive, label="PER", by="year")
    assert EntityCount("Carin Becker-Åström", "PER", 1, 1, 1, year="2022") in by_year
    by_body = entity_counts(archive, by="body")
    assert any(r.body == "Förebyggande rådet" and r.entity == "Arboga kommun" for r in by_body)
    with pytest.raises(ValueError):
        entity_counts(archive, by="month")
    archive.close()


@pytest.mark.slow
def test_extract_then_canonicalize(extractor, tmp_path):
    archive, (i1, i2, _) = _archive(tmp_path)
    for item_id in (i1, i2):
        archive.write_enrichment(item_id, extractor.extract(archive.item(item_id).text), [])
    canonicalize(archive)
    names = {m.canonical for m in archive.entity_mentions(labels=["PER"])}
    assert "Carin Becker-Åström" in names and "Carin Becker" not in names
    orgs = {m.canonical for m in archive.entity_mentions(labels=["ORG"])}
    assert "Polisen" in orgs and "Polismyndigheten" not in orgs
    archive.close()


def test_single_unsupported_name_is_not_listed_as_a_person(tmp_path):
    with Archive(tmp_path / "a.sqlite") as arc:
        meta = MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Hallstahammar",
                           date=dt.date(2021, 9, 15), participants=[Participant("Joar Larsson", "säkerhetssamordnare")])
        mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), meta,
                                       [AgendaItem("1", "Lägesbild", "Badkort delas ut. Per Ersgård kommunpolisen.", 0, 1)])
        [item_id] = arc.item_ids(mid)
        arc.write_enrichment(item_id, [Entity("Badkort", "PER", 0, 7), Entity("Per Ersgård", "PER", 19, 30),
                                       Entity("kommunpolisen", "ROLE", 31, 44, "kommunpolis")], [])
        names = {p.name for p in people(arc)}
        everyone = {p.name for p in people(arc, min_evidence=False)}
    assert {"Joar Larsson", "Per Ersgård"} <= names and "Badkort" not in names
    assert "Badkort" in everyone


def test_year_only_meetings_count_in_first_and_last_seen(tmp_path):
    """A meeting known only by its year is not dropped from a person's period."""
    with Archive(tmp_path / "a.sqlite") as arc:
        for n, (date, year) in enumerate([(None, 2019), (dt.date(2021, 9, 15), None)]):
            meta = MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Hallstahammar", date=date, year=year,
                               participants=[Participant("Joar Larsson", "säkerhetssamordnare")])
            arc.write_document(Document(f"m{n}.txt", "x", "txt", f"h{n}"), meta, [AgendaItem("1", "Punkt", "x", 0, 1)])
        [joar] = people(arc)
    assert (joar.first_seen, joar.last_seen, joar.meetings) == ("2019", "2021-09-15", 2)


def test_only_person_names_are_listed_and_partial_first_names_merge(tmp_path):
    """Issue 10: "Lokalbehov", "Ellevio", "J" and "Köpings Bostäder (AB)" are not persons;
    "Britt Rane-Andersson" is "Maj-Britt Rane Andersson"."""
    from radslag.names import looks_like_person

    m = cluster_names(["Maj-Britt Rane Andersson", "Britt Rane-Andersson", "Britt Lind", "Maj Lind"])
    assert m["Britt Rane-Andersson"] == m["Maj-Britt Rane Andersson"] == "Maj-Britt Rane Andersson"
    assert m["Britt Lind"] == "Britt Lind" and m["Maj Lind"] == "Maj Lind"  # one shared surname is not enough
    with Archive(tmp_path / "a.sqlite") as arc:
        meta = MeetingMeta(kind="minutes", body="Socialnämnden", municipality="Köping", date=dt.date(2025, 10, 16),
                           participants=[Participant("Köpings Bostäder (AB)", "ordförande"),
                                         Participant("Maj-Britt Rane Andersson", "ordförande")])
        text = "Lokalbehov. Lokalbehov. Ellevio och Ellevio. J (S). Britt Rane-Andersson (S) yrkar bifall."
        mid, _, _ = arc.write_document(Document("k.txt", text, "txt", "k"), meta,
                                       [AgendaItem("1", "Punkt", text, 0, len(text))])
        [item_id] = arc.item_ids(mid)
        ents = [Entity("Lokalbehov", "PER", 0, 10), Entity("Lokalbehov", "PER", 12, 22),
                Entity("Ellevio", "PER", 24, 31), Entity("Ellevio", "PER", 35, 42), Entity("J", "PER", 44, 45),
                Entity("S", "PARTY", 47, 48, "S"), Entity("Britt Rane-Andersson", "PER", 51, 71),
                Entity("S", "PARTY", 73, 74, "S")]
        arc.write_enrichment(item_id, ents, [])
        canonicalize(arc)
        listed = people(arc)
        everyone = {p.name for p in people(arc, min_evidence=False)}
    assert [p.name for p in listed] == ["Maj-Britt Rane Andersson"]
    assert listed[0].councils == ["Köping – Socialnämnden"] and listed[0].party == "S"
    assert {"Lokalbehov", "Ellevio"} <= everyone  # still there when every tagger hit is asked for
    assert looks_like_person("Carin Becker-Åström") and not looks_like_person("Region Västmanland")


def _org(i: int, text: str, canonical: str | None = None) -> EntityMention:
    return EntityMention(id=i, item_id=i, meeting_id=i, text=text, label="ORG", start=0, end=len(text),
                         canonical=canonical, municipality="Arboga", body=None, date="2022-03-02", year=2022)


def test_organisation_names_do_not_depend_on_ingest_order():
    """An organisation's name is a function of its text and the set of organisation texts: one that was
    named before its bare form was ingested is renamed when it arrives, and the other way round."""
    first = dict(canonical_forms([_org(1, "Fyrens")]))
    assert first == {1: "Fyrens"}  # no bare form yet
    # the stored name from the first ingest (and a rule's alias name) is not what decides
    both = [_org(1, "Fyrens", first[1]), _org(2, "Fyren"), _org(3, "Polisens", "Polisen")]
    assert dict(canonical_forms(both)) == {1: "Fyren", 2: "Fyren", 3: "Polisen"}
    assert dict(canonical_forms(list(reversed(both)))) == dict(canonical_forms(both))
    # the bare form gone again (its meeting removed): the genitive is its own name again
    assert dict(canonical_forms([_org(1, "Fyrens", "Fyren")])) == {1: "Fyrens"}


def test_rule_organisation_names_are_read_from_the_text():
    """What extraction stored for a rule's organisation is what the rules give its text alone."""
    assert org_rule_canonical("Polismyndighetens") == "Polisen"
    assert org_rule_canonical("Kulturnämndens") == "Kulturnämnden"
    assert org_rule_canonical("Fyrens") is None  # a name only the model finds


def test_canonicalize_reads_the_scopes_of_the_plan(tmp_path, monkeypatch):
    """With the links stage's plan, canonicalize reads its councils and scopes (not the archive's, nor a
    scope computed again per council): a person group is named when the plan puts its meetings in a scope
    being relinked, and left alone when it does not."""
    from index.threads import LinkPlan, meeting_scopes

    archive, (i1, i2, i3) = _archive(tmp_path)
    t1, t2, t3 = (archive.item(i).text for i in (i1, i2, i3))
    archive.write_enrichment(i1, _ents(t1, [("Carin Becker", "PER", None), ("Polisen", "ORG", None)]), [])
    archive.write_enrichment(i2, _ents(t2, [("Carin Becker-Åström", "PER", None)]), [])
    archive.write_enrichment(i3, _ents(t3, [("Carin Becker", "PER", None)]), [])
    councils, scope_of = meeting_scopes(archive)
    read = []
    monkeypatch.setattr(Archive, "meeting_councils", lambda self: read.append(1) or councils)
    elsewhere = LinkPlan(councils, {mid: "planerat" for mid in scope_of}, set(), set())
    canonicalize(archive, set(scope_of.values()), plan=elsewhere)  # the archive's scopes: not the plan's
    assert all(m.canonical is None for m in archive.entity_mentions() if m.label == "PER")
    canonicalize(archive, {"planerat"}, plan=elsewhere)
    per = sorted(m.canonical for m in archive.entity_mentions() if m.label == "PER")
    assert per == ["Carin Becker", "Carin Becker-Åström", "Carin Becker-Åström"]
    assert read == []  # the plan's councils, not read again

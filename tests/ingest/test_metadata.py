"""Tests for ingest.metadata on the real seed texts and small fixtures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.metadata import _cell_row, _prose_paragraphs, extract_metadata, find_municipality, load_municipalities
from ingest.readers import read_document
from radslag.config import CORPUS_DIR
from radslag.types import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "text"


def meta_for(rel: str):
    path = CORPUS_DIR / rel
    return extract_metadata(read_document(path, str(path)))


def people(meta):
    return {p.name: p for p in meta.participants}


def test_municipality_list_complete():
    munis = load_municipalities()
    assert len(munis) == 290 and len({m.name for m in munis}) == 290
    assert len({m.county for m in munis}) == 21
    official = {m.name: m.official for m in munis}
    assert official["Hallstahammar"] == "Hallstahammars kommun"
    assert official["Arboga"] == "Arboga kommun"
    assert official["Västerås"] == "Västerås stad"
    assert official["Stockholm"] == "Stockholms stad"
    assert official["Göteborg"] == "Göteborgs Stad"
    assert official["Gotland"] == "Region Gotland"
    assert find_municipality("kungsbacka").name == "Kungsbacka"
    assert find_municipality("Hallstahammars kommun").name == "Hallstahammar"
    assert find_municipality("vasteras").name == "Västerås"


def test_hallstahammar_2021():
    m = meta_for("hallstahammar-trygghetsrad-2021-09-15.txt")
    assert (m.kind, m.body, m.municipality) == ("minutes", "Trygghetsråd", "Hallstahammar")
    assert m.date == dt.date(2021, 9, 15) and m.provenance["date"] == "text:Datum och tid"
    assert m.time == "17.30-19.00" and m.place == "Digitalt via Teams"
    ps = people(m)
    assert ps["Anna Gunstad Bäckman"].party == "C" and ps["Hans Strandlund"].party == "M"
    assert ps["Anna Gunstad Bäckman"].group == "Förtroendevalda"
    assert ps["Joar Larsson"].role == "säkerhetssamordnare"
    assert ps["Anna Landehag"].role.startswith("förvaltningschef") and ps["Anna Landehag"].group == "Gäster"
    assert m.secretary == "Anne Alamaa"
    assert m.chair == "Anna Gunstad Bäckman" and "svag" in m.provenance["chair"]
    assert "17 november" in m.next_meeting
    for field in ("kind", "body", "municipality", "date", "place", "time", "secretary", "next_meeting", "title"):
        assert m.provenance.get(field), field


def test_arboga():
    m = meta_for("arboga-forebyggande-radet-2021.txt")
    assert (m.kind, m.body, m.municipality) == ("minutes", "Förebyggande rådet", "Arboga")
    assert m.date is None and "2021" in m.provenance["date"] and m.provenance["date"].startswith("year_only")
    assert m.chair == "Jonna Lindman" and m.secretary == "Sara Hallman Jecic"
    ps = people(m)
    assert ps["Stefan Persson"].role == "kommunpolis"
    assert ps["Jonna Lindman"].party == "M" and ps["Jonna Lindman"].role == "ordförande"
    assert ps["Andreas Ahlsén"].role == "säkerhetssamordnare"
    assert m.place == "Kommunstyrelsensalen" and m.time == "08.30-10.30"


def test_hallstahammar_2019_is_minutes_not_agenda():
    m = meta_for("hallstahammar-trygghetsrad-2019.txt")
    assert (m.kind, m.body, m.municipality) == ("minutes", "Trygghetsråd", "Hallstahammar")
    assert m.date is None and "2019" in m.provenance["date"]
    assert m.next_meeting == "4 juni kl.17.00-19.00"
    assert m.secretary == "Lina Marklund"


def test_citizen_promise():
    m = meta_for("hallstahammar-medborgarloften-2019.txt")
    assert (m.kind, m.municipality) == ("citizen_promise", "Hallstahammar")
    assert "2019" in m.provenance["date"]
    assert m.title == "Medborgarlöften för ett tryggare Hallstahammar"


def test_vasteras_news():
    m = meta_for("vasteras-trygghetsrad-2021.txt")
    assert (m.kind, m.municipality) == ("news", "Västerås")
    assert m.body in ("Västerås trygghetsråd", "Trygghetsrådet")
    assert m.date == dt.date(2021, 4, 22)


@pytest.mark.parametrize(
    "name,body,date,chair,secretary",
    [
        ("fg-2025-10-15-protokoll.md", "Nämnden för Förskola & Grundskola", "2025-10-15", "Emanuel Forsell", "Lars Sundbom"),
        ("ks-2025-10-21-protokoll.md", "Kommunstyrelsen", "2025-10-21", "Lisa Andersson", "Patrik Johansson"),
        ("bygg-au-2025-10-28-protokoll.md", "Byggnadsnämndens arbetsutskott", "2025-10-28", "Thure Sandén", "Sofia Johansson"),
    ],
)
def test_kungsbacka(name, body, date, chair, secretary):
    m = meta_for(f"kungsbacka/{name}")
    assert (m.kind, m.municipality, m.body) == ("minutes", "Kungsbacka", body)
    assert m.date == dt.date.fromisoformat(date) and m.provenance["date"] == "text:Datum"
    assert (m.chair, m.secretary) == (chair, secretary)
    assert m.provenance["municipality"] == "front_matter"
    assert len(m.participants) >= 5 and all(p.name[0].isupper() for p in m.participants)


def test_agenda_fixture_is_agenda():
    path = FIXTURES / "kallelse-trygghetsrad-2024-03-12.txt"
    m = extract_metadata(read_document(path, str(path)))
    assert m.kind == "agenda"
    assert m.date == dt.date(2024, 3, 12) and m.place == "Kommunhuset, sal Östra"
    assert m.municipality == "Hallstahammar" and m.body == "Trygghetsrådet i Hallstahammar"


def _extract_text(numbers: str, head: str = "PROTOKOLLSUTDRAG") -> str:
    # A one-item extract set in a narrow column: every sentence wrapped over short lines.
    return (
        f"ARVIKA KOMMUN\t{head}\n\nKommunstyrelsen\tSammanträdesdatum 2024-06-03\n\n"
        "§ 118\tTrygghetsskapande åtgärder i centrum\n\nDnr KS 2024/00312\n\nÄrendebeskrivning\n\n"
        "Under våren har det förekommit flera allvarliga\nvåldshändelser i centrum. Kommunen och polisen\n"
        "har tillsammans tagit fram ett förslag med\nförstärkt bevakning fredagar och lördagar.\n\n"
        f"Kommunstyrelsens beslut\n\n{numbers}\n\nJustering\n\n"
        "Ordförande\t……………\nClaes Pettersson\n\nANSLAG/BEVIS\n\nOrgan\tKommunstyrelsen\n"
    )


def test_minutes_extract_is_minutes_not_agenda():
    numbers = "1. Åtgärderna genomförs\nenligt förslaget.\n2. Medel anvisas ur\nkommunstyrelsens medel."
    m = extract_metadata(Document(source="x.txt", text=_extract_text(numbers), reader="txt", content_hash="0"))
    assert m.kind == "minutes" and "prosa:1" in m.provenance["kind"]
    # Prose is read by paragraph: the wrapped description counts, the numbered decision does not.
    assert _prose_paragraphs(_extract_text(numbers)) == 1
    assert _prose_paragraphs("Kort rad.\nOch en till.") == 0


def test_body_in_a_header_set_in_capitals():
    text = ("Bollnäs kommun\nPROTOKOLL FOLKHÄLSORÅDET\n\nDatum: tisdag 13 februari 2024\n\n"
            "§ 1 Mötets öppnande\nBeslut: Maria Hedlund utses att justera protokollet.\n")
    m = extract_metadata(Document(source="x.txt", text=text, reader="txt", content_hash="0"))
    assert m.body == "Folkhälsorådet"
    # A municipality line in capitals is still no body.
    m = extract_metadata(Document(source="x.txt", text=text.replace("PROTOKOLL FOLKHÄLSORÅDET", "BOLLNÄS KOMMUN"),
                                  reader="txt", content_hash="0"))
    assert m.body is None


def test_fallbacks_front_matter_file_name_sidecar(tmp_path):
    # Front matter date when the text has none.
    doc = Document(source="x.md", text="Trygghetsråd\n\nVi pratade om klotter i parken.", reader="markdown",
                   content_hash="0", front_matter={"datum": "2022-05-03", "kommun": "arboga"})
    m = extract_metadata(doc)
    assert m.date == dt.date(2022, 5, 3) and m.provenance["date"] == "front_matter"
    assert m.municipality == "Arboga" and m.provenance["municipality"] == "front_matter"
    # File name date.
    doc = Document(source=str(tmp_path / "sala-rad-2020-02-11.txt"), text="Anteckningar\n\nInget datum här.",
                   reader="txt", content_hash="0")
    m = extract_metadata(doc)
    assert m.date == dt.date(2020, 2, 11) and m.provenance["date"] == "file_name"
    # Sidecar fills what nothing else gives; references to other meetings are ignored.
    src = tmp_path / "anteckning.txt"
    src.write_text("x", encoding="utf-8")
    (tmp_path / "anteckning.txt.meta.json").write_text(
        json.dumps({"date": "2023-01-31", "municipality": "Mora", "body": "EST-gruppen"}), encoding="utf-8")
    doc = Document(source=str(src), text="Minnesanteckningar\n\nAnteckningar från mötet den 25 maj 2021 godkänns.",
                   reader="txt", content_hash="0")
    m = extract_metadata(doc)
    assert m.date == dt.date(2023, 1, 31) and m.provenance["date"] == "sidecar"
    assert m.municipality == "Mora" and m.provenance["municipality"] == "sidecar"


def test_long_date_and_ambiguous_municipality():
    text = ("Protokoll fört vid sammanträde med Trygghetsrådet den 15 sept. 2021\n\n"
            "Ann-Marie-Lund och Nora Berg deltog. Nästa möte den 3 november 2021.\n\n"
            "Trygghetsrådet i Lunds kommun diskuterade klotter.")
    m = extract_metadata(Document(source="p.txt", text=text, reader="txt", content_hash="0"))
    assert m.date == dt.date(2021, 9, 15) and m.provenance["date"] == "text:lång datumform"
    assert m.municipality == "Lund"


def test_names_signed_side_by_side_are_two_names_not_one():
    """Riksbank's "Vid protokollet" block signs two names in one row of cells."""
    text = ("Protokoll\nDirektionen\n2025-03-19\n\n§ 1 Beslut\nBeslutades.\n\n"
            "Vid protokollet\nJesper Johansson\tStefania Mammos\n")
    m = extract_metadata(Document("riksbank.txt", text, "txt", "r"))
    assert m.secretary == "Jesper Johansson, Stefania Mammos"


def _meta(text: str, source: str = "x.txt"):
    return extract_metadata(Document(source=source, text=text, reader="txt", content_hash="0"))


def test_body_with_a_hanging_hyphen_named_by_its_last_member():
    """"Folkhälso- och brottsförebyggande rådet": the last member alone is a body's name, so the whole is."""
    head = "VÄSTRA BYNS KOMMUN\n{body}\nMinnesanteckningar\n\nTid: onsdag 5/3-25\n\n"
    tail = "1 – Inledning\nOrdföranden hälsade välkommen.\n"
    for body in ("Folkhälso- och brottsförebyggande rådet", "Fritids-, kultur- och tillgänglighetsrådet",
                 "Miljö- och byggnadsnämndens arbetsutskott", "Idrotts- & folkhälsorådet"):
        m = _meta(head.format(body=body) + tail)
        assert m.body == body and m.provenance["body"] == "text:rubrik", body
    # Negatives: the last member alone names no body ("Ungdomsfrågor", a bare "rådet", a förvaltning).
    for line in ("Barn- och ungdomsfrågor", "Kultur- och rådet", "Kultur- och fritidsförvaltningen"):
        assert _meta(head.format(body=line) + tail).body is None, line


def test_general_meeting_of_a_company_is_its_own_body():
    """"fört vid årsstämma i X AB": the annual general meeting, not the company's board, is the organ."""
    text = ("EKBY BOSTÄDER AB\n\nPROTOKOLL\n\nfört vid årsstämma i Ekby Bostäder AB (org.nr 556000-0000) i "
            "Rådhuset,\nkl. 15.00, onsdagen den 7 maj 2025.\n\n1.\tStämmans öppnande\nStämman öppnas.\n\n"
            "2.\tVal av ordförande vid stämman\nAnna Ek väljs.\n")
    m = _meta(text)
    assert m.body == "Årsstämma i Ekby Bostäder AB" and m.provenance["body"] == "text:rubrik"
    # Wrapped over two lines, an extra stämma, and a page header naming the company: still the stämma.
    wrapped = text.replace("årsstämma i Ekby Bostäder AB", "extra bolagsstämma i Ekby\nBostäder AB")
    doc = Document(source="x.txt", text=wrapped, reader="txt", content_hash="0",
                   front_matter={"page_header": ["Ekby Bostäder AB"]})
    assert extract_metadata(doc).body == "Extra bolagsstämma i Ekby Bostäder AB"
    # "med aktieägarna" is left out of the name.
    owners = text.replace("årsstämma i Ekby", "ordinarie bolagsstämma med aktieägarna i Ekby")
    assert _meta(owners).body == "Ordinarie bolagsstämma i Ekby Bostäder AB"
    # Negatives: the verb "stämma" and a board meeting are no general meeting.
    board = text.replace("PROTOKOLL\n\nfört vid årsstämma", "PROTOKOLL\nStyrelsen för Ekby Bostäder AB\n\nfört vid "
                         "styrelsesammanträde")
    assert "årsstämma" not in board
    assert _meta(board).body == "Styrelsen för Ekby Bostäder AB"
    verb = text.replace("fört vid årsstämma i Ekby Bostäder AB", "Uppgifterna ska överensstämma i Ekby Bostäder AB")
    assert _meta(verb).body != "Överensstämma i Ekby Bostäder AB"
    assert "stämma" not in (_meta(verb).body or "").lower()
    # A stämma of a name that is no body's name gives no body from this rule.
    plain = text.replace("årsstämma i Ekby Bostäder AB", "årsstämma i föreningen")
    assert _meta(plain.replace("EKBY BOSTÄDER AB\n\n", "")).body is None


def test_general_meeting_only_as_the_documents_own_meeting():
    """A stämma named in an agenda row or an item's title is a matter for the meeting, not its body."""
    notice = ("Ekby kommun\nKALLELSE\nKommunstyrelsen\n2025-04-02\n\nTid\tOnsdag 9 april 2025 kl. 13.00\n\n"
              "Ärenden\n1\tVal av justerare\n2\tInstruktion till ombud vid årsstämma i Ekby Energi AB\n"
              "3\tDelegationsbeslut\n")
    assert _meta(notice).body == "Kommunstyrelsen"
    extract = ("Ekby kommun\nPROTOKOLLSUTDRAG\nKommunstyrelsen\nSammanträdesdatum 2025-04-09\n\n"
               "Instruktion till ombud vid årsstämma i Ekby Energi AB\n\n§ 45\tDnr KS 2025/88\n\n"
               "Kommunstyrelsen beslutar att utse Eva Ek till ombud.\n")
    assert _meta(extract).body == "Kommunstyrelsen"
    # Without a body line either: an agenda row names no body; the item title at a line's start is
    # the document's own heading only when no body's line stands in the title block.
    assert _meta(notice.replace("Kommunstyrelsen\n", "")).body != "Årsstämma i Ekby Energi AB"
    row = notice.replace("Kommunstyrelsen\n", "").replace("Instruktion till ombud vid årsstämma", "Årsstämma")
    assert _meta(row).body != "Årsstämma i Ekby Energi AB"
    assert _meta(extract.replace("Instruktion till ombud vid årsstämma", "Årsstämma")).body == "Kommunstyrelsen"
    # Positives: the document's own description, with the company's letterhead in mixed case above it.
    call = "Ekby Energi AB\nKallelse till årsstämma i Ekby Energi AB\n\nTid: 28 april 2025 kl. 16.00\n"
    assert _meta(call).body == "Årsstämma i Ekby Energi AB"
    minutes = "Ekby Energi AB\nProtokoll fört vid extra bolagsstämma i Ekby Energi AB den 5 maj 2025\n"
    assert _meta(minutes).body == "Extra bolagsstämma i Ekby Energi AB"


def test_kungorelse_is_an_agenda():
    """A kungörelse announces a fullmäktige meeting and its ärenden: an agenda."""
    text = ("Ekby kommun\tKUNGÖRELSE\n\n2025-12-04\n\nKommunfullmäktige\n\n"
            "Kommunfullmäktige sammanträder måndagen den 15 december 2025 kl. 18.30 i Folkets hus, Ekby.\n\n"
            "Ärenden\n\n1. Upprop och val av justerare\n2. Allmänhetens frågestund\n3. Skattesats för år 2026\n"
            "4. Mål och budget 2026\n\nSammanträdet är offentligt och sänds direkt på kommunens webbplats. "
            "Handlingarna finns tillgängliga i\nkommunhusets reception och på webbplatsen från den 8 december.\n"
            "Allmänheten hälsas välkommen!\n\nEkby kommun · Torget 1 · 696 81 Ekby · 0583-810 00 · ekby.se\n")
    m = _meta(text)
    assert m.kind == "agenda" and "rubrik:kungörelse" in m.provenance["kind"]
    assert m.body == "Kommunfullmäktige"
    # Without the word the same notice is not called an agenda by its title, but its shape
    # still reads as one: the address footer, a row of fields, is no prose.
    m = _meta(text.replace("KUNGÖRELSE", "INFORMATION"))
    assert "rubrik:" not in m.provenance["kind"] and m.kind == "agenda"


def test_kungorelse_without_a_meeting_is_no_agenda():
    """"Kungörelse" names any public notice: only with an agenda's shape (ärenden listed) is it an agenda."""
    plan = ("Ekby kommun\nKUNGÖRELSE\n\nGranskning av detaljplan för del av Ekby 3:18, Norra kvarteret\n\n"
            "Samhällsbyggnadskontoret har upprättat ett förslag till detaljplan för del av fastigheten Ekby 3:18. "
            "Planens syfte är att möjliggöra nya bostäder i anslutning till befintlig bebyggelse.\n\n"
            "Planförslaget finns tillgängligt under granskningstiden 2 juni till 23 juni 2025 i kommunhusets "
            "entré samt på kommunens webbplats.\n\nDen som vill lämna synpunkter på förslaget ska göra det "
            "skriftligen senast den 23 juni 2025 till Samhällsbyggnadsnämnden.\n\nSamhällsbyggnadsnämnden\n")
    m = _meta(plan)
    assert m.kind != "agenda" and "kungörelse" not in m.provenance["kind"]
    # The same word over a fullmäktige meeting's ärenden is an agenda's title.
    meeting = ("Ekby kommun\nKUNGÖRELSE\n\nKommunfullmäktige sammanträder måndagen den 15 december 2025 "
               "kl. 18.30 i Folkets hus.\n\n1. Val av justerare\n2. Skattesats 2026\n3. Budget 2026\n")
    m = _meta(meeting)
    assert m.kind == "agenda" and "rubrik:kungörelse" in m.provenance["kind"]


def test_rows_of_fields_are_no_prose():
    assert _cell_row("Ekby kommun · Torget 1 · 696 81 Ekby · 0583-810 00 · ekby.se")
    assert _cell_row("Ekby kommun\tTorget 1\t696 81 Ekby")
    # Negatives: one separator, spaced dashes in a sentence.
    assert not _cell_row("Fullmäktige sammanträder den 15 december i Folkets hus · Ekby, och alla är välkomna.")
    assert not _cell_row("Ett långt stycke – med två tankstreck – är fortfarande prosa när det är en mening.")


def test_letterhead_in_capitals_read_in_the_documents_own_spelling():
    """"EKBY BOSTÄDER AB" is no name in sentence case; the document's own "Ekby Bostäder AB" is."""
    text = ("EKBY BOSTÄDER AB\n\nPROTOKOLL\n\nStyrelsesammanträde, onsdagen den 7 maj 2025.\n\n"
            "1.\tMötets öppnande\nOrdföranden öppnar mötet. Ekby Bostäder AB har fått ny revisor.\n")
    m = _meta(text)
    assert m.body == "Ekby Bostäder AB" and m.provenance["body"] == "text:rubrik"
    # Negatives: written only in capitals there is nothing to read it by; a name in
    # sentence case already (KOMMUNSTYRELSEN) is read as before; a town is no body.
    assert _meta(text.replace("Ekby Bostäder AB har", "Bolaget har")).body is None
    assert _meta(text.replace("EKBY BOSTÄDER AB", "KOMMUNSTYRELSEN")).body == "Kommunstyrelsen"
    town = text.replace("EKBY BOSTÄDER AB", "EKBY KOMMUN").replace("Ekby Bostäder AB har", "Ekby kommun har")
    assert _meta(town).body is None


def test_labelled_date_written_short_day_first():
    """"Tid: onsdag 17/9-25": a labelled date value written day/month-year is the meeting date."""
    text = "VÄSTRA BYNS KOMMUN\nKulturrådet\nMinnesanteckningar\n\nTid: onsdag {d}, kl. 13.00–15.30\n\nPunkt 1\n"
    for written, date in (("17/9-25", dt.date(2025, 9, 17)), ("3/11 2024", dt.date(2024, 11, 3))):
        m = _meta(text.format(d=written), source="anteckningar.txt")
        assert m.date == date and m.provenance["date"] == "text:Tid", written
    # Negatives: no such day, a fraction, and the short form outside a label.
    for written in ("31/2-25", "1/2-dag", "kl. 13"):
        assert _meta(text.format(d=written), source="anteckningar.txt").date is None, written
    other = "Kulturrådet\nMinnesanteckningar\n\nVi ses igen 19/11-25 i kommunhuset.\n"
    assert _meta(other, source="anteckningar.txt").date is None
    # Negatives: a day and a time are no date with a year ("17/9 13.00" is not 2013, "17/9-18.30" not 2018);
    # the file name's date stands.
    timed = "VÄSTRA BYNS KOMMUN\nKulturrådet\nMinnesanteckningar\n\nTid: {d}\n\nPunkt 1\n"
    for written in ("onsdag 17/9 13.00–15.00", "17/9 18.30", "måndag 3/11 09.00", "17/9-18.30", "3/11 2024:30"):
        m = _meta(timed.format(d=written), source="anteckningar-2025-09-24.txt")
        assert m.date == dt.date(2025, 9, 24) and m.provenance["date"] != "text:Tid", written


def test_officers_signed_in_columns():
    """A signature block in cells: the name in the label's column, below the label or above it."""
    notice = ("Ekby kommun\tKALLELSE\n\nKulturnämnden\n\n1. Val av justerare\n2. Budget 2026\n3. Information\n\n"
              "Anna Berg (S)\tOlle Nord\nOrdförande\tSekreterare\n\nEkby kommun · Torget 1 · 123 45 Ekby · ekby.se\n")
    m = _meta(notice)
    assert (m.chair, m.secretary) == ("Anna Berg", "Olle Nord")
    assert m.provenance["chair"] == "text:underskrift ordförande (kolumn)"
    # Such a signature is no evidence of minutes: the kind's signals leave it out.
    assert m.kind == "agenda" and "sekreterare" not in m.provenance["kind"]
    minutes = ("PROTOKOLL\n\nfört vid sammanträde med Kulturnämnden den 7 maj 2025.\n\n1. Mötets öppnande\n"
               "Ordföranden öppnar mötet.\n\nVid protokollet\tJusteras\n\n……………\t……………\nOlle Nord\tAnna Berg\n")
    m = _meta(minutes)
    assert m.secretary == "Olle Nord" and m.provenance["secretary"] == "text:Vid protokollet (kolumn)"
    assert m.kind == "minutes" and "sekreterare" not in m.provenance["kind"]
    # Negatives: a row of another width, a role cell in a participant table.
    assert _meta(notice.replace("Anna Berg (S)\tOlle Nord", "Anna Berg (S)")).chair is None
    table = ("PROTOKOLL\nKulturnämnden\n\nNamn\tParti\tRoll\nAnna Berg\tS\tOrdförande\nOlle Nord\tM\tLedamot\n\n"
             "1. Mötets öppnande\nMötet öppnas.\n")
    assert _meta(table).chair is None


def test_officers_under_a_signature_rule_and_vid_anteckningarna():
    """"Sekreterare<TAB>………… Paragrafer §§ 1–9" over "Maja Kvist": the name printed under the rule."""
    text = ("PROTOKOLL\nKulturnämnden\n\nUnderskrifter\n\nSekreterare\t…………………………………Paragrafer §§ 1–9\nMaja Kvist\n\n"
            "Ordförande\t…………………………………\nGun Ek\n\n§ 1 Mötets öppnande\nMötet öppnas.\n")
    m = _meta(text)
    assert (m.chair, m.secretary) == ("Gun Ek", "Maja Kvist") and m.provenance["secretary"] == "text:Sekreterare"
    # Negatives: no name under the rule; a rule of two dots is no rule.
    assert _meta(text.replace("Maja Kvist\n", "\n")).secretary is None
    assert _meta(text.replace("Sekreterare\t…………………………………", "Sekreterare ..")).secretary is None
    notes = "Kulturrådet\nMinnesanteckningar\n\n1 – Inledning\nVälkommen.\n\nVid anteckningarna: Hanna Öhman\n"
    assert _meta(notes).secretary == "Hanna Öhman"


def test_forwarded_email_dates_are_the_messages_not_the_meetings():
    """An e-mail's header dates the message; the quoted notes' "Datum" dates the meeting."""
    notes = ("Minnesanteckningar, Folkhälsorådet, Östra Lunds kommun\nDatum: tisdag 4 mars 2025, kl. 9.00\n"
             "Plats: Stadshuset\n\n1. Välkomna\nAnna hälsade välkommen.\n")
    quoted = "\n".join("> " + x if x else ">" for x in notes.split("\n"))
    outlook = ("Från: Eva Ek <eva.ek@example.se>\nSkickat: den 7 mars 2025 10:12\nTill: radet@example.se\n"
               "Ämne: VB: Minnesanteckningar 4 mars\n\nHej,\nhär kommer anteckningarna.\n\n"
               "-----Ursprungligt meddelande-----\nFrån: Per Ek <per.ek@example.se>\n"
               "Skickat: den 5 mars 2025 08:47\nTill: Eva Ek\nÄmne: Minnesanteckningar 4 mars\n\n")
    m = _meta(outlook + quoted, source="mejl.txt")
    assert m.date == dt.date(2025, 3, 4) and m.provenance["date"] == "text:Datum"
    assert m.place == "Stadshuset"  # the quoted notes' labels read as written
    # A header that names its date "Datum" (another mail program) is still the message's.
    other = ("Ämne: Anteckningar\nFrån: Per Ek\nDatum: 2025-03-07 10:12\nTill: Eva Ek\n\n"
             "Folkhälsorådet\nMinnesanteckningar\n\nRådet sammanträdde den 4 mars 2025 i Stadshuset.\n")
    assert _meta(other, source="mejl.txt").date == dt.date(2025, 3, 4)
    # Negatives: "Datum"/"Till" lines without a sender and a subject are no mail header; a
    # blank line ends the header, so the notes' own Datum right after it is the meeting's.
    plain = "Folkhälsorådet\nMinnesanteckningar\nDatum: 2025-03-04\nTill: alla ledamöter\nKopia: förvaltningen\n"
    assert _meta(plain, source="a.txt").date == dt.date(2025, 3, 4)
    after = "Från: Per Ek\nSkickat: 2025-03-07\nÄmne: Anteckningar\n\nDatum: 2025-03-04\nFolkhälsorådet\n"
    m = _meta(after, source="a.txt")
    assert m.date == dt.date(2025, 3, 4) and m.provenance["date"] == "text:Datum"


def test_a_certified_extracts_signing_date_is_not_the_meetings():
    """"Rätt utdraget intygar … Ekby den 14 mars 2025" dates the certifying, after the meeting."""
    head = "Ekby kommun\tPROTOKOLLSUTDRAG\n\nBarn- och utbildningsnämnden{cell}\n\n"
    body = "§ 12\tSkolskjuts\n\nNämnden beslutar att godkänna förslaget.\n\n"
    sign = "{label}\n\n…………………………\nEva Ek, nämndsekreterare\nEkby den 14 mars 2025\n"
    certified = head.format(cell="") + body + sign.format(label="Rätt utdraget intygar")
    m = _meta(certified, source="utdrag-2025-03-11.txt")
    assert m.date == dt.date(2025, 3, 11) and m.provenance["date"] == "file_name"
    m = _meta(head.format(cell="\t2025-03-11") + body + sign.format(label="Rätt utdraget intygar"), source="u.txt")
    assert m.date == dt.date(2025, 3, 11) and m.provenance["date"] == "text:rubrik"
    for label in ("Justerat", "Protokollet är justerat", "Anslaget under tiden"):
        assert _meta(head.format(cell="") + body + sign.format(label=label), source="u.txt").date is None, label
    # Negatives: a place-and-date line under "Vid protokollet" or "Justerare" (the people, not the
    # act) signs the minutes and still dates the meeting when nothing better does.
    for label in ("Vid protokollet", "Justerare"):
        m = _meta(head.format(cell="") + body + sign.format(label=label), source="u.txt")
        assert m.date == dt.date(2025, 3, 14) and m.provenance["date"] == "text:lång datumform", label


def test_a_meeting_date_label_in_a_header_cell_beats_a_signature_date():
    """"Socialnämnden<TAB>Sammanträdesdatum 2025-03-11" names the meeting's date; the signing is later."""
    text = ("Ekby kommun\tPROTOKOLL\n\nSocialnämnden\t{cell} 2025-03-11\n\n§ 12\tSkolskjuts\n\n"
            "Nämnden beslutar att godkänna förslaget.\n\n{tid}Vid protokollet\n\nEva Ek\nEkby den 14 mars 2025\n")
    for label in ("Sammanträdesdatum", "Mötesdatum"):
        m = _meta(text.format(cell=label, tid=""), source="p.txt")
        assert m.date == dt.date(2025, 3, 11) and m.provenance["date"] == f"text:{label}", label
    # The value in the next cell reads too.
    m = _meta(text.format(cell="Sammanträdesdatum\t", tid=""), source="p.txt")
    assert m.date == dt.date(2025, 3, 11)
    # Negatives: a bare "Datum" in a header cell dates the document (a kallelse a week before);
    # the labelled "Tid" line gives the meeting.
    m = _meta(text.format(cell="Datum", tid="Tid\tTisdagen den 18 mars 2025 kl. 09.00\n\n"), source="p.txt")
    assert m.date == dt.date(2025, 3, 18) and m.provenance["date"] == "text:Tid"
    assert _meta(text.format(cell="Datum", tid=""), source="p.txt").provenance["date"] != "text:Datum"


def test_adjusting_and_notice_lines_give_no_long_or_bare_date():
    """"Justering: … den 18 mars 2025" in the title block dates the adjusting, not the meeting."""
    text = ("Ekby kommun\nProtokoll\nSocialnämnden\n{line}\n\n§ 12\tSkolskjuts\n\n"
            "Nämnden sammanträdde den 11 mars{year} i stadshuset.\n")
    for line in ("Justering: Stadshuset den 18 mars 2025", "Justerat den 18 mars 2025",
                 "Anslaget uppsatt den 18 mars 2025", "Plats och tid för justering: Stadshuset 18 mars 2025"):
        m = _meta(text.format(line=line, year=" 2025"), source="p.txt")
        assert m.date == dt.date(2025, 3, 11) and m.provenance["date"] == "text:lång datumform", line
    # A bare "18 mars" on such a line neither (the year from the file name).
    m = _meta(text.format(line="Justering 18 mars", year=""), source="p-2025.txt")
    assert m.date == dt.date(2025, 3, 11) and m.provenance["date"].startswith("text:dag och månad"), m.provenance
    # Negatives: the title block's own date line still dates the meeting; "Protokoll" there is
    # the document's name, not a cue of another meeting's record; "mötet" before the date still is.
    for line in ("Sammanträde den 10 mars 2025", "Protokoll 10 mars 2025"):
        assert _meta(text.format(line=line, year=" 2025"), source="p.txt").date == dt.date(2025, 3, 10), line
    assert _meta(text.format(line="Protokoll från mötet 4 mars 2025", year=" 2025"),
                 source="p.txt").date == dt.date(2025, 3, 11)
    assert _meta(text.format(line="Sammanträde 10 mars", year=""), source="p-2025.txt").date == dt.date(2025, 3, 10)


def test_a_date_label_that_names_the_notice_or_the_adjusting_is_not_the_meetings():
    """"Datum då anslaget sätts upp 2025-03-18" starts with "Datum" but dates the notice."""
    text = ("Ekby kommun\nProtokoll\nSocialnämnden\n\n§ 12\tSkolskjuts\n\n"
            "Nämnden sammanträdde den 11 mars 2025 i stadshuset.\n\nANSLAG/BEVIS\n{lines}\n")
    for line in ("Datum då anslaget sätts upp\t2025-03-18", "Datum för anslags nedtagande 2025-04-09",
                 "Datum för justering: 2025-03-18", "Tid för justering: 18 mars 2025 kl. 10"):
        m = _meta(text.format(lines=line), source="p.txt")
        assert m.date == dt.date(2025, 3, 11) and m.provenance["date"] == "text:lång datumform", line
    # Negatives: the block's own meeting-date label, and a plain "Datum", still date the meeting.
    for line in ("Sammanträdesdatum\t2025-03-10\nDatum då anslaget sätts upp\t2025-03-18", "Datum: 2025-03-10"):
        assert _meta(text.format(lines=line), source="p.txt").date == dt.date(2025, 3, 10), line

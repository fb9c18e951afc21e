"""Tests for ingest.segment: golden files on the real corpus and one rule per test."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.readers import read_document
from ingest.segment import segment
from radslag.types import AgendaItem, Document, Heading

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).parent / "golden"
KUNGSBACKA = sorted((CORPUS / "kungsbacka").glob("*-protokoll.md"))


def _doc(text: str, headings: list[Heading] | None = None) -> Document:
    """A Document built from a synthetic string."""
    return Document(source="test.txt", text=text, reader="txt", content_hash="x", headings=headings or [])


def _read(rel: str) -> Document:
    return read_document(ROOT / rel, rel)


def _norm(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s[:-1].rstrip() if s.endswith(".") else s


def _check_invariants(doc: Document, items: list[AgendaItem]) -> None:
    assert items, "segment must never return an empty list"
    prev_end = 0
    for it in items:
        assert 0 <= it.start <= it.end <= len(doc.text)
        assert it.start >= prev_end, "items overlap or are out of order"
        prev_end = it.end
        assert it.text in doc.text[it.start : it.end]
        assert it.title.strip()
        if doc.pages:
            assert it.pages == doc.pages_for(it.start, it.end)


# ---------------------------------------------------------------- goldens


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_golden(golden: Path) -> None:
    spec = json.loads(golden.read_text(encoding="utf-8"))
    doc = _read(spec["source"])
    items = segment(doc)
    _check_invariants(doc, items)
    assert [_norm(i.title) for i in items] == [_norm(t) for t in spec["titles"]]
    assert [i.number for i in items] == spec["numbers"]
    if "dnr" in spec:
        assert [i.dnr for i in items] == spec["dnr"]
    if "heading_source" in spec:
        assert {i.heading_source for i in items} - {"preamble"} == {spec["heading_source"]}


def test_arboga_subheadings_and_page_break() -> None:
    doc = _read("corpus/arboga-forebyggande-radet-2021.txt")
    items = segment(doc)
    item3, item7, item9 = items[2], items[6], items[8]
    assert re.search(r"upp mot\s+resacentrum", item3.text), "item 3 must continue across the page break"
    for sub in ("Socialförvaltningen", "Näringsliv", "Barn- och utbildningsförvaltningen", "Samhällsbyggnadsenheten"):
        assert sub in item7.text
    assert item9.text == "Ingen övrig fråga noteras."  # signature block cut


def test_hallstahammar_2021_stacked_margin_headings() -> None:
    doc = _read("corpus/hallstahammar-trygghetsrad-2021-09-15.txt")
    by_title = {i.title: i for i in segment(doc)}
    assert by_title["Lägesbild"].text.startswith("Säkerhetssamordnaren Joar Larsson")
    assert "klotter" in by_title["Övrigt"].text
    assert "klotter" not in by_title["Lägesbild"].text
    assert by_title["Laget runt – hur har vi upplevt sommaren?"].text.startswith("Sammanfattningsvis")
    # The section after the stack continues the previous item across the page break.
    samverkan = by_title["Samverkan mellan tre förvaltningar"].text
    assert "familjer om fonder och stiftelser" in samverkan
    assert "yrkeskriminella" in samverkan
    assert "Vid tangenterna" not in by_title["Nästa möte"].text
    assert "Datum och tid" not in " ".join(by_title)  # preamble is no item


def test_hallstahammar_2019_subheadings_stay_inside() -> None:
    items = segment(_read("corpus/hallstahammar-trygghetsrad-2019.txt"))
    third = items[2].text
    for sub in ("Lägesbild", "Hur jobbar vi i samverkan", "Utmaningar framåt"):
        assert re.search(rf"^{sub}$", third, re.M)
    assert not any("Catarina inleder" in i.text for i in items)
    assert items[0].heading_source == "bullet"


# ------------------------------------------------------------- Kungsbacka


def _toc_entries(path: Path) -> list[tuple[int, str]]:
    """Parse the table of contents of a Kungsbacka protocol from the raw file.

    Independent of the segmenter: running lines (repeated on many pages) and
    page markers are dropped, then each ``§ N Dnr X`` entry runs up to its dot
    leader and page number.
    """
    raw = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    counts = Counter(line.strip() for line in raw.split("\n") if line.strip())
    lines = [
        ln
        for ln in raw.split("\n")
        if not ln.startswith("<!--") and counts[ln.strip()] < 5 and not ln.startswith("KUNGSBACKA KOMMUN")
    ]
    text = "\n".join(lines)
    start = text.index("\nInnehåll\n")
    end = re.search(r"^§ \d+ {3,}Dnr", text, re.M).start()  # first body heading
    entries = re.findall(r"^§ (\d+) Dnr \S+\n(.*?)\.{2,}\s*\d+\s*$", text[start:end], re.M | re.S)
    return [(int(n), _norm(t)) for n, t in entries]


@pytest.mark.parametrize("path", KUNGSBACKA, ids=lambda p: p.stem)
def test_kungsbacka_items_match_table_of_contents(path: Path) -> None:
    toc = _toc_entries(path)
    assert len(toc) >= 10
    doc = read_document(path, str(path.relative_to(ROOT)))
    items = segment(doc)
    _check_invariants(doc, items)
    assert len(items) == len(toc)
    assert [i.number for i in items] == [f"§ {n}" for n, _ in toc]
    assert [_norm(i.title) for i in items] == [t for _, t in toc]
    assert all(i.dnr and re.fullmatch(r"[A-Z]+-\d{4}-\d+", i.dnr) for i in items)
    last = items[-1].text
    for receipt in ("Undertecknat", "twoday", "Transaktionsidentitet", "Ciceron"):
        assert receipt not in last
    assert all(i.pages and i.pages[0] >= 4 for i in items), "ToC pages must not start items"


def test_kungsbacka_paragraph_refs_inside_text_are_not_items() -> None:
    doc = _read("corpus/kungsbacka/ifo-2025-10-16-protokoll.md")
    items = segment(doc)
    assert "§ 5 SoL" in next(i.text for i in items if i.number == "§ 129")
    doc = _read("corpus/kungsbacka/kultur-2025-10-22-protokoll.md")
    assert "§176 upphör" in next(i.text for i in segment(doc) if i.number == "§ 95")


# ------------------------------------------------------- synthetic rules


def test_numbered_list_items() -> None:
    text = "Minnesanteckningar\n\n1. Mötets öppnande\n\nOrdföranden öppnar mötet.\n\n2) Lägesbild\n\nPolisen berättar om läget i centrum.\n\n3. Övrigt\n\nInga övriga frågor."
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [("1", "Mötets öppnande"), ("2", "Lägesbild"), ("3", "Övrigt")]
    assert items[1].text == "Polisen berättar om läget i centrum."
    assert {i.heading_source for i in items} == {"numbered"}


def test_inner_numbered_list_stays_inside_item() -> None:
    text = (
        "1. Inledning\n\nOrdföranden hälsar välkommen.\n\n"
        "2. Trygghetsvandring\n\nGruppen föreslår tre platser:\n1. Torget vid stationen\n2. Parken bakom skolan\n3. Gångtunneln\nBeslut fattas senare.\n\n"
        "3. Övriga frågor\n\nInga frågor."
    )
    items = segment(_doc(text))
    assert [i.title for i in items] == ["Inledning", "Trygghetsvandring", "Övriga frågor"]
    assert "Gångtunneln" in items[1].text


def test_numbers_must_increase() -> None:
    text = "1. Början\n\nText om början av mötet.\n\n2. Mitten\n\nText om mitten av mötet.\n\n1. Återfall\n\nDetta är inte en ny punkt utan en lista.\n\n3. Slutet\n\nText om slutet."
    titles = [i.title for i in segment(_doc(text))]
    assert titles == ["Början", "Mitten", "Slutet"]


def test_numbered_headings_set_apart_outweigh_numbered_lines_above_their_text() -> None:
    # Item 1 holds numbered paragraphs ("2. Skolans arbete" directly above its
    # text, with more body than the real items); the outer headings stand
    # between blank lines and carry the chain (the isolation bonus).
    body = ("Gruppen går igenom läget i området och konstaterar att arbetet fortsätter enligt plan under hösten. "
            "Flera åtgärder har genomförts och fler planeras till våren. ") * 3
    short = ("Polisen redogör för läget i centrum och på torget under sommaren, med färre anmälningar om "
             "skadegörelse än förra året och fler trygghetsvandringar.")
    text = (
        "Minnesanteckningar\n\n1. Inledning\n\nOrdföranden hälsar välkommen och går igenom dagordningen.\n\n"
        f"2. Skolans arbete\n{body}\n\n3. Fritidsgårdens arbete\n{body}\n\n"
        f"2. Lägesbild\n\n{short}\n\n3. Övrigt\n\n{short}\n\n4. Avslut\n\n{short}"
    )
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Inledning"), ("2", "Lägesbild"), ("3", "Övrigt"), ("4", "Avslut"),
    ]
    assert "Skolans arbete" in items[0].text and "Fritidsgårdens arbete" in items[0].text


def test_numbered_list_skips_at_most_one_number() -> None:
    # "7." after "3." is a gap of four: a stray line inside item 3, not item 7.
    text = (
        "Minnesanteckningar\n\n1. Inledning\n\nOrdföranden hälsar välkommen.\n\n"
        "2. Lägesbild\n\nPolisen redogör för läget.\n\n"
        "3. Ekonomi\n\nBudgeten följs.\n\n7. Avrundning\nDetta är en rad med mer text.\n\nSlut på mötet."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [("1", "Inledning"), ("2", "Lägesbild"), ("3", "Ekonomi")]
    assert "7. Avrundning" in items[2].text
    # One skipped number is allowed: "1, 2, 4" keeps item 4.
    skip = text.replace("3. Ekonomi", "4. Ekonomi").replace("\n\n7. Avrundning\nDetta är en rad med mer text.", "")
    assert [i.number for i in segment(_doc(skip))] == ["1", "2", "4"]


def test_short_numbered_list_starts_at_one_or_two() -> None:
    # Two numbered lines from 5 are no item structure (an extract, a quoted list);
    # a list starting anywhere needs three headings numbered one by one.
    text = "Minnesanteckningar\n\n5. Ekonomi\n\nBudgeten följs upp i höst.\n\n6. Lägesbild\n\nPolisen redogör för läget."
    items = segment(_doc(text))
    assert len(items) == 1 and items[0].number is None and items[0].heading_source == "whole"
    from2 = text.replace("5. Ekonomi", "2. Ekonomi").replace("6. Lägesbild", "3. Lägesbild")
    assert [i.number for i in segment(_doc(from2))] == ["2", "3"]
    run = text + "\n\n7. Övrigt\n\nInga övriga frågor."
    assert [i.number for i in segment(_doc(run))] == ["5", "6", "7"]


def test_paragraph_headings_with_dnr_and_title_on_next_line() -> None:
    text = (
        "Protokoll\n\n§ 12  Dnr 2024-00013\nBudget för 2025\n\nBeslut\nNämnden godkänner budgeten.\n\n"
        "1. att anta budgeten\n2. att anmäla beslutet\n\n§ 13 Val av justerare\n\nAnna Andersson väljs."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title, i.dnr) for i in items] == [
        ("§ 12", "Budget för 2025", "2024-00013"),
        ("§ 13", "Val av justerare", None),
    ]
    assert items[0].text.startswith("Beslut\nNämnden godkänner")
    assert "1. att anta budgeten" in items[0].text
    assert {i.heading_source for i in items} == {"paragraph"}


def test_number_before_paragraph_sign_is_an_item_number() -> None:
    # "33 §  Title" (number first) under Roman section headings; bare register dnr below the title.
    text = (
        "Protokoll\n\nI. Inledande ärenden\n\n31 § Upprop och val av justerare\n\nArbetsutskottets beslut\n\n"
        "Anna Andersson utses att justera.\n\nII. Beslutsärenden\n\n33 § Lokal samverkansöverenskommelse\n\n"
        "KS 2024/45\n\nÄrendebeskrivning\n\nEn ny överenskommelse har tagits fram.\n\n"
        "34 § Kameraövervakning\n\nKS 2023/210\n\nArbetsutskottets beslut\n\nKameror införs."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title, i.dnr) for i in items] == [
        ("§ 31", "Upprop och val av justerare", None),
        ("§ 33", "Lokal samverkansöverenskommelse", "KS 2024/45"),
        ("§ 34", "Kameraövervakning", "KS 2023/210"),
    ]
    assert "II. Beslutsärenden" in items[0].text  # a section heading stays inside, never an item
    assert "6 § kommunallagen" not in [i.title for i in segment(_doc(
        "§ 1 Upprop\n\nText.\n\n6 § kommunallagen gäller.\n\n§ 2 Avslutning\n\nMötet avslutas."))]


def test_joint_paragraph_heading_is_one_item_numbered_by_its_first_paragraph() -> None:
    text = (
        "Protokoll\n\n§ 40 Allmänhetens frågestund\n\nInga frågor ställdes.\n\n"
        "§§ 41–42 Avsägelser och fyllnadsval\nDnr KS 2024/0087\n\nFullmäktige beviljar avsägelsen.\n\n"
        "§ 43 Interpellation om otrygghet\n\nInterpellationen besvaras."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title, i.dnr) for i in items] == [
        ("§ 40", "Allmänhetens frågestund", None),
        ("§ 41", "Avsägelser och fyllnadsval", "KS 2024/0087"),
        ("§ 43", "Interpellation om otrygghet", None),
    ]
    assert "avsägelsen" not in items[0].text


def test_table_rows_with_a_body_cell_are_items() -> None:
    # Nr / Ärende / Beslut: each row is a whole item, its last cell the body.
    text = (
        "Brottsförebyggande rådet\n\nDatum: 2023-11-08\n\nNr\tÄrende\tBeslut/åtgärd\n"
        "1\tMötets öppnande\tOrdföranden öppnar mötet.\n"
        "2\tLägesbild från polisen\tLugnt i tätorten. Informationen noteras.\n"
        "3\tMötets avslutande\tOrdföranden avslutar mötet.\n"
    )
    doc = _doc(text)
    items = segment(doc)
    assert [(i.number, i.title) for i in items] == [
        ("1", "Mötets öppnande"), ("2", "Lägesbild från polisen"), ("3", "Mötets avslutande"),
    ]
    assert items[1].text == "Lugnt i tätorten. Informationen noteras."
    _check_invariants(doc, items)
    # An agenda-table row (title, case number, page) keeps its cells out of the title and no body.
    agenda = "Kallelse\n\n1\tVal av justerare\t2024/12-KS\t3\n\nText om justering här.\n\n2\tBudget\t2024/13-KS\t4\n\nBudgeten behandlas."
    assert [(i.number, i.title, i.dnr) for i in segment(_doc(agenda))] == [
        ("1", "Val av justerare", "2024/12-KS"), ("2", "Budget", "2024/13-KS"),
    ]


def test_decimal_sub_point_is_not_joined_to_the_item_title() -> None:
    text = (
        "Minnesanteckningar\n\nPunkt 1: Mötets öppnande\n\nOrdföranden hälsar välkommen.\n\n"
        "Punkt 2: Lägesbild från samverkansparterna\n2.1 Polisen\n\nPolisen redovisar färre rån.\n\n"
        "2.2 Räddningstjänsten\n\nElva anlagda bränder.\n\nPunkt 3: Övrigt\n\nInget att rapportera."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Mötets öppnande"), ("2", "Lägesbild från samverkansparterna"), ("3", "Övrigt"),
    ]
    assert items[1].text.startswith("2.1 Polisen")


def test_title_wrapped_across_a_blank_line_after_a_function_word() -> None:
    text = (
        "Protokoll\n\n§ 88\tUTÖKAD FÄLTVERKSAMHET\n\nSN 2024/198\n\nFältverksamheten förstärks.\n\n"
        "§ 89\tYTTRANDE OM SERVERINGSTILLSTÅND FÖR\n\nGLASBRUKSFESTEN\n\nSN 2024/205\n\n"
        "Bakgrund\n\nFörvaltningen tillstyrker.\n\n§ 90\tDELÅRSRAPPORT\n\nSN 2024/150\n\nRapporten godkänns."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title, i.dnr) for i in items] == [
        ("§ 88", "UTÖKAD FÄLTVERKSAMHET", "SN 2024/198"),
        ("§ 89", "YTTRANDE OM SERVERINGSTILLSTÅND FÖR GLASBRUKSFESTEN", "SN 2024/205"),
        ("§ 90", "DELÅRSRAPPORT", "SN 2024/150"),
    ]
    assert items[1].text.startswith("Bakgrund")


def test_paragraph_scheme_dominates_numbered_lines() -> None:
    text = "§ 1 Upprop\n\nNärvarande antecknas.\n\n1. Första underpunkt\n\nText om den.\n\n2. Andra underpunkt\n\nMer text.\n\n§ 2 Avslutning\n\nMötet avslutas."
    assert [i.number for i in segment(_doc(text))] == ["§ 1", "§ 2"]


def test_keyword_items() -> None:
    text = "Punkt 1 Mötets öppnande\n\nMötet öppnas kl 18.\n\nPunkt 2\nLägesbild\n\nPolisen redogör för läget.\n\nPunkt 3: Övrigt\n\nInget att rapportera."
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [("1", "Mötets öppnande"), ("2", "Lägesbild"), ("3", "Övrigt")]


def test_table_of_contents_lines_are_not_items() -> None:
    text = (
        "Innehåll\n\n§ 1 Dnr KS-2024-1\nVal av justerare ........................ 3\n\n"
        "§ 2 Dnr KS-2024-2\nBudget ..................................... 4\n\n"
        "Justerandes signatur\n\n"
        "§ 1                Dnr KS-2024-1\nVal av justerare\n\nAnna väljs till justerare.\n\n"
        "§ 2                Dnr KS-2024-2\nBudget\n\nBudgeten godkänns av nämnden."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title) for i in items] == [("§ 1", "Val av justerare"), ("§ 2", "Budget")]
    assert items[0].text == "Anna väljs till justerare."


def test_table_of_contents_of_an_extract() -> None:
    # An extract keeps the full ToC but only one paragraph; the ToC chain is
    # longer than the real one, so only the ToC rule keeps it out.
    text = (
        "Protokollsutdrag\n\nInnehållsförteckning\n"
        "§ 1 Val av justerare ........ 2\n§ 2 Budget 2025 ........ 3\n§ 3 Övriga frågor ........ 4\n\n"
        "§ 2   Dnr KS 2024/17\nBudget 2025\n\nKommunstyrelsen godkänner budgeten för 2025."
    )
    items = segment(_doc(text))
    assert [(i.number, i.title, i.dnr) for i in items] == [("§ 2", "Budget 2025", "KS 2024/17")]


def test_bold_and_markdown_headings() -> None:
    bold = "Anteckningar\n\n**Lägesbild**\n\nPolisen berättar.\n\n**Skolan**\n\nRektorn berättar om skolan."
    assert [(i.title, i.heading_source) for i in segment(_doc(bold))] == [("Lägesbild", "bold"), ("Skolan", "bold")]
    md = "# Trygghetsråd 2024\n\n## Lägesbild\n\nPolisen berättar.\n\n### Detaljer\n\nMer.\n\n## Övrigt\n\nInget."
    items = segment(_doc(md))
    assert [i.title for i in items] == ["Lägesbild", "Övrigt"]
    assert "### Detaljer" in items[0].text


def test_bold_bullet_headings() -> None:
    text = "Agenda\n\n- **Presentation**\n\nAlla presenterade sig.\n\n- **Diskussion om rådet**\n\nVi diskuterade formerna."
    items = segment(_doc(text))
    assert [(i.title, i.heading_source) for i in items] == [
        ("Presentation", "bullet"),
        ("Diskussion om rådet", "bullet"),
    ]


def test_labelled_bold_bullets_are_items_under_one_markdown_heading(tmp_path: Path) -> None:
    # "- **Label:** text" under a single "## Anteckningar": the labels head the items, text on the same line.
    md = tmp_path / "bra.md"
    md.write_text(
        "# BRÅ 2022 – anteckningar\n\nMötet hölls den 3 mars.\n\n## Anteckningar\n\n"
        "- **Lägesbild från polisen:** Lugnare i centrum än under hösten.\n"
        "- **Medborgarlöftet**: Belysningen i parken är åtgärdad.\n"
        "- **Nästa möte:** Den 2 juni kl. 14.00.\n",
        encoding="utf-8",
    )
    doc = read_document(md, "bra.md")
    items = segment(doc)
    assert [(i.number, i.title) for i in items] == [
        (None, "Lägesbild från polisen"), (None, "Medborgarlöftet"), (None, "Nästa möte"),
    ]
    assert items[0].text == "Lugnare i centrum än under hösten."
    _check_invariants(doc, items)


def test_short_heading_lines_followed_by_prose() -> None:
    text = (
        "Trygghetsrådet\n\nDatum: 2024-05-02\n\n"
        "Hur jobbar vi i samverkan\n\nVi har flera grupper som arbetar förebyggande i kommunen.\n\n"
        "Utmaningar framåt\n\nAtt få fler att anmäla brott till polisen är viktigt."
    )
    items = segment(_doc(text))
    assert [i.title for i in items] == ["Hur jobbar vi i samverkan", "Utmaningar framåt"]
    assert {i.heading_source for i in items} == {"heading_line"}


def test_short_line_ending_sentence_is_not_heading() -> None:
    text = "Lägesbild\n\nPolisen redogör för läget i kommunen under sommaren.\nDet var lugnt.\n\nFlera insatser gjordes i centrum.\n\nÖvrigt\n\nInga frågor togs upp på mötet."
    assert [i.title for i in segment(_doc(text))] == ["Lägesbild", "Övrigt"]


def test_cue_heading_without_blank_line() -> None:
    text = "Anteckningar\n\nLägesbild\nPolisen berättar om läget i kommunen.\n\nÖvrigt\nInga övriga frågor togs upp idag."
    assert [i.title for i in segment(_doc(text))] == ["Lägesbild", "Övrigt"]


def test_margin_headings_from_layout() -> None:
    text = "Protokoll\n\nInledning\nOrdföranden öppnar mötet.\n\nLägesbild\nPolisen berättar om läget."
    heads = [
        Heading("Inledning", text.index("Inledning"), text.index("Inledning") + 9, "margin"),
        Heading("Lägesbild", text.index("Lägesbild"), text.index("Lägesbild") + 9, "margin"),
    ]
    items = segment(_doc(text, heads))
    assert [(i.title, i.heading_source) for i in items] == [("Inledning", "margin"), ("Lägesbild", "margin")]
    assert items[1].text == "Polisen berättar om läget."
    assert items[0].start == text.index("Inledning")


def test_stacked_headings_label_last_sections() -> None:
    text = (
        "Inledning\n\nOrdföranden hälsar alla välkomna till mötet.\n\n"
        "Skolan\n\n\nRektorn berättar om läget på skolan. Eleverna har haft\nett bra läsår och om\n"
        " Polisen\n\n\nFritiden\n\n"
        "lovet som gick lugnt. Inga incidenter rapporterades.\n\n\n"
        "Polisen berättar att sommaren har varit lugn i kommunen.\n\n\n"
        "Fritidsgårdarna har haft öppet hela sommaren med många besökare."
    )
    items = segment(_doc(text))
    assert [i.title for i in items] == ["Inledning", "Skolan", "Polisen", "Fritiden"]
    assert "lovet som gick lugnt" in items[1].text
    assert items[2].text.startswith("Polisen berättar")
    assert items[3].text.startswith("Fritidsgårdarna")
    assert items[2].heading_source == "margin"


def test_wrapped_heading_lines_are_joined() -> None:
    text = "Rubrik\n\nSamverkan mellan\ntre förvaltningar\n\nVåra gäster berättar om samverkan mellan förvaltningarna.\n\nÖvrigt\n\nInga frågor."
    assert segment(_doc(text))[0].title == "Samverkan mellan tre förvaltningar"


def test_receipt_and_signature_are_cut() -> None:
    body = "Text om ärendet som behandlades. " * 30
    text = (
        f"§ 1 Val av justerare\n\n{body}\n\n§ 2 Budget\n\nBudgeten godkänns.\n\n"
        "Vid protokollet\n\nAnna Andersson\nSekreterare\n\n"
        "Undertecknat av följande personer\nAnna Andersson\nDatum: 2024-01-01\nUnderskriftstjänst: twoday"
    )
    items = segment(_doc(text))
    assert items[-1].text == "Budgeten godkänns."
    assert "Undertecknat" not in text[items[-1].start : items[-1].end]


def test_unstructured_text_is_one_item() -> None:
    text = "Första mötet genomfört\n\nRådet träffades för första gången i april och diskuterade trygghet i staden."
    items = segment(_doc(text))
    assert len(items) == 1
    assert items[0].title == "Första mötet genomfört"
    assert items[0].heading_source == "whole"
    assert items[0].text.startswith("Rådet träffades")


def test_single_stray_heading_does_not_hide_text() -> None:
    para = "Kommunen och polisen har under året arbetat med trygghetsfrågor i flera stadsdelar. "
    text = "Nyhet\n\n" + "\n\n".join([para * 3] * 6) + "\n\nBildtext\n\nPå bilden syns rådets medlemmar vid mötet i april."
    items = segment(_doc(text))
    assert len(items) == 1 and items[0].heading_source == "whole"


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "   ", "1.", "§", "§ 1", "1. ", "Bara en rad", "**", "- **", "# ", "Nästa möte", "\x00\n§§ 1-2\n.....3"],
)
def test_odd_inputs_never_fail(text: str) -> None:
    doc = _doc(text)
    items = segment(doc)
    _check_invariants(doc, items)


def test_empty_text_gives_whole_item() -> None:
    (item,) = segment(_doc(""))
    assert item.title == "Hela dokumentet" and item.text == "" and item.heading_source == "whole"


def test_broken_headings_do_not_raise() -> None:
    doc = _doc("Lite text här.", [Heading("X", 50, 10, "margin"), Heading("", 0, 1, "margin")])
    items = segment(doc)
    _check_invariants(doc, items)


def test_prose_preamble_becomes_an_item_but_attendance_does_not():
    prose = ("Kommunen och polisen har kommit överens om nya medborgarlöften för året som kommer. "
             "Löftena handlar om konkreta aktiviteter för att öka tryggheten i centrum och minska brotten.\n\n")
    numbered = "1. Belysning\n\nFler lampor i parken.\n\n2. Klotter\n\nSanering inom ett dygn.\n"
    items = segment(Document("a.txt", prose + numbered, "txt", "h"))
    assert [i.title for i in items] == ["Inledning", "Belysning", "Klotter"]
    assert items[0].heading_source == "preamble" and items[0].number is None
    assert items[0].text == prose.strip()
    attendance = ("Beslutande\tLedamöter\nAnna Andersson (S), ordförande, deltar inte vid § 3 p.g.a. jäv.\n"
                  "Bertil Berg (M), vice ordförande, ersätter Cecilia Ek (M) under hela mötet.\n\n")
    items = segment(Document("b.txt", attendance + numbered, "txt", "h"))
    assert [i.title for i in items] == ["Belysning", "Klotter"]

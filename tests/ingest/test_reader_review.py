"""Counter-examples a review found to the segmenter and PDF-reader rules learnt on set 13.

Each rule of that round (a list document's end matter, a case-number cell ending a title, a
case number in parentheses, a lower-case line after a blank, labelled heading rows, underlined
words) was right on the set and wrong on a document nobody had seen. Every test runs on
invented text: the counter-example as the negative, the rule's own case as the positive.
"""

from __future__ import annotations

import os

import pytest

from ingest.segment import segment
from ingest.segment.core import _list_below_heads, _list_document, _markup_scheme, _split_lines, _trailer_limit
from radslag.types import Document


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(text: str, source: str = "t.txt"):
    return [i for i in segment(_doc(text, source)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# A list document's end matter is end matter only when it closes the document
# --------------------------------------------------------------------------

_AGENDA_THEN_MINUTES = (
    "# Protokoll\n\nFritidsnämnden, Ådalens kommun\n\nTid och plats: Stadshuset, 3 juni 2025 kl. 9.00\n\n"
    "Dagordning\n\n1. Mötets öppnande\n2. Bidrag till föreningar\n3. Simhallens öppettider\n4. Övriga frågor\n\n"
    "{cue}\n\n"
    "## Mötets öppnande\n\nOrdföranden öppnade mötet och hälsade ledamöterna välkomna till sammanträdet.\n\n"
    "## Bidrag till föreningar\n\nFörvaltningen redovisade ansökningarna om bidrag. Nämnden beslutade att "
    "bevilja bidrag till sju föreningar enligt förvaltningens förslag.\n\n"
    "## Simhallens öppettider\n\nNämnden beslutade att simhallen ska hålla öppet till kl. 21 på vardagar.\n\n"
    "## Övriga frågor\n\nInga övriga frågor togs upp och ordföranden avslutade mötet.\n\n{cue}\n"
)


@pytest.mark.parametrize("cue", ["Justerandes sign", "Underskrifter"])
def test_a_signature_cue_between_an_agenda_and_headed_minutes_cuts_nothing(cue):
    items = _items(_AGENDA_THEN_MINUTES.format(cue=cue), "t.md")
    assert [i.title for i in items] == ["Mötets öppnande", "Bidrag till föreningar", "Simhallens öppettider",
                                        "Övriga frågor"]
    assert all(i.text for i in items)  # each heading keeps its text (the agenda rows had none)


def test_headings_after_a_signature_cue_outweigh_the_agenda_list():
    text = _AGENDA_THEN_MINUTES.format(cue="Justerandes sign")
    agenda = text[: text.index("## Mötets")]  # the agenda alone, closed by the cue: a list document
    listed = _list_document(_split_lines(agenda), _trailer_limit(_split_lines(agenda)))
    assert [h.title for h in listed] == ["Mötets öppnande", "Bidrag till föreningar", "Simhallens öppettider",
                                         "Övriga frågor"]
    lines = _split_lines(text)
    heads = _markup_scheme(lines, _trailer_limit(lines))
    assert len(heads) == 4 and not _list_below_heads(heads, listed, lines)  # the headings stay the items


def test_prose_after_a_signature_cue_keeps_a_short_list_from_being_the_items():
    # No headings under the cue: the minutes are prose, so the document stays whole.
    text = (
        "Fritidsnämnden, Ådalens kommun\n\nDagordning\n\n1. Mötets öppnande\n2. Bidrag\n3. Simhallen\n\n"
        "Justerandes sign\n\n"
        + "Nämnden gick igenom ansökningarna om bidrag och beslutade enligt förvaltningens förslag. " * 6
        + "\n"
    )
    assert len(segment(_doc(text))) == 1
    lines = _split_lines(text)
    assert _list_document(lines, _trailer_limit(lines)) is None  # the list is no list document


def test_a_notice_closed_by_its_signatures_is_still_a_list():
    text = (
        "Ådalens kommun\tKUNGÖRELSE\n\nKommunfullmäktige\n\nKommunfullmäktige sammanträder den 9 juni 2025.\n\n"
        "Ärenden\n\n1. Val av justerare\n2. Årsredovisning 2024\n3. Taxa för simhallen\n4. Motioner\n\n"
        "Sammanträdet är offentligt.\n\nAnna Berg\tOla Lind\nOrdförande\tSekreterare\n\n"
        "Ådalens kommun · Storgatan 1 · 870 10 Ådalen · adalen.se\n"
    )
    assert [i.title for i in _items(text)] == ["Val av justerare", "Årsredovisning 2024", "Taxa för simhallen",
                                               "Motioner"]


# --------------------------------------------------------------------------
# A row whose title a case-number or empty cell ends: the later cells are the item's text
# --------------------------------------------------------------------------

_DECISION_ROWS = (
    "Ovanåkers kommun\tPROTOKOLL\nMiljöutskottet\t2025-06-10\n\n"
    "§ 8\tTillsynsplan för 2026\tMU 2025/118\tUtskottet föreslår nämnden att anta planen\n\n"
    "Planen bygger på behovsutredningen och tar upp tillsyn av lantbruk.\n\n"
    "§ 9\tInformation om badvattenprover\t\tInformationen noteras.\n\n"
    "Proverna från sommaren visar god kvalitet vid alla badplatser.\n"
)


def test_the_decision_cell_after_the_case_number_is_the_items_text():
    items = _items(_DECISION_ROWS)
    assert [(i.title, i.dnr) for i in items] == [("Tillsynsplan för 2026", "MU 2025/118"),
                                                 ("Information om badvattenprover", None)]
    assert items[0].text.startswith("Utskottet föreslår nämnden att anta planen")
    assert "behovsutredningen" in items[0].text
    assert items[1].text.startswith("Informationen noteras.")


# --------------------------------------------------------------------------
# A law's number in parentheses is no case number
# --------------------------------------------------------------------------


def test_a_statute_number_in_parentheses_stays_in_the_title():
    text = (
        "Ale kommun\nPROTOKOLL\nMiljönämnden\n\n"
        "§ 21 Val av justerare\nPer Ek justerar.\n\n"
        "§ 22 Taxa enligt plan- och bygglagen (2010:900)\nEn ny taxa föreslås.\n\n"
        "§ 23 Tillsyn enligt lagen (SFS 1993:1617)\nTillsynen redovisas.\n\n"
        "§ 24 Bygglov för förskola (MN 2025/310)\nBygglov beviljas.\n"
    )
    assert [(i.title, i.dnr) for i in _items(text)] == [
        ("Val av justerare", None),
        ("Taxa enligt plan- och bygglagen (2010:900)", None),
        ("Tillsyn enligt lagen (SFS 1993:1617)", None),
        ("Bygglov för förskola", "MN 2025/310"),  # a registry's number still is one
    ]


def test_a_year_colon_number_is_a_case_number_where_the_document_labels_such_numbers():
    from ingest.segment.core import _paren_case_number

    assert _paren_case_number("Taxa (Dnr 2010:900)") == ("Taxa", "2010:900")  # labelled
    assert _paren_case_number("Taxa (2010:900)", colon_numbers=True) == ("Taxa", "2010:900")
    assert _paren_case_number("Taxa (2010:900)") == ("Taxa (2010:900)", None)


# --------------------------------------------------------------------------
# A lower-case line after a blank continues a title only when the title line was wrapped
# --------------------------------------------------------------------------

_NOTES = (
    "Ådalens kommun\nKALLELSE\nBarn- och utbildningsnämnden\n\nTid: tisdag 13 maj 2025 kl. 13.00\n\n"
    "Föredragningslista\n\n1. Val av justerare\n\n2. Information om skolvalet {a}\n\nmuntlig föredragning\n\n"
    "3. Budgetuppföljning april\n\nhandlingar bifogas\n\n4. Delegationsbeslut\n\n"
)


def test_a_lower_case_note_under_a_complete_title_is_no_title():
    items = _items(_NOTES.format(a="2025"))
    assert [i.title for i in items][:3] == ["Val av justerare", "Information om skolvalet 2025",
                                            "Budgetuppföljning april"]


def test_a_title_ending_in_a_comma_goes_on_after_the_blank():
    items = _items(_NOTES.format(a="2025,"))
    assert items[1].title == "Information om skolvalet 2025, muntlig föredragning"


def test_where_the_layout_wraps_across_blanks_a_lower_case_line_goes_on():
    # "… brister i" / blank / "läkemedelshanteringen": this document puts a blank between wrapped lines.
    text = (
        "Ådalens kommun\nPROTOKOLL\nSocialutskottet\n\n"
        "§ 5\tRapport om brister i\n\nläkemedelshanteringen\n\nRapporten godkänns.\n\n"
        "§ 6\tYttrande över klagomål\n\npå hemtjänsten i Torup\n\nYttrandet antas.\n"
    )
    assert [i.title for i in _items(text)] == ["Rapport om brister i läkemedelshanteringen",
                                               "Yttrande över klagomål på hemtjänsten i Torup"]


# --------------------------------------------------------------------------
# Labelled heading rows: a label recurs at (nearly) every number; a repeated title does not
# --------------------------------------------------------------------------


def test_a_title_repeated_at_two_numbers_of_five_is_no_row_label():
    text = (
        "Ljusdals kommun\nPROTOKOLL\nKommunstyrelsen\n\n"
        "Val av justerare\t§ 10\nEva Ek justerar.\n\n"
        "Information\t§ 11\nFöredragande\tKommundirektör Anna Berg\nInformationen noteras.\n\n"
        "Budgetuppföljning april 2025\t§ 12\nDnr KS 2025/40\nUtfallet redovisas.\n\n"
        "Information\t§ 13\nFöredragande\tRäddningschef Per Holm\nInformationen noteras.\n\n"
        "Delegationsbeslut\t§ 14\nDelegationsbeslut redovisas.\n"
    )
    titles = [i.title for i in _items(text)]
    assert titles[1].startswith("Information") and titles[3].startswith("Information")
    assert titles[0] == "Val av justerare" and titles[4] == "Delegationsbeslut"


def test_a_label_at_every_number_is_a_row_label():
    text = (
        "Ljusdals kommun\nKulturutskottet\n\n"
        "Paragraf\t§ 14\nÄrende\tVal av justerare\n\nAnna Berg justerar.\n\n"
        "Paragraf\t§ 15\nÄrende\tBidrag till studieförbunden\n\nBidraget beviljas.\n\n"
        "Paragraf\t§ 16\nÄrende\tPlan för biblioteken\n\nPlanen antas.\n"
    )
    assert [i.title for i in _items(text)] == ["Val av justerare", "Bidrag till studieförbunden",
                                               "Plan för biblioteken"]


# --------------------------------------------------------------------------
# PDF: an underlined link is no emphasis
# --------------------------------------------------------------------------

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
_FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def _notes_pdf(path, link_annotations: bool) -> None:
    fpdf = pytest.importorskip("fpdf")
    if not (os.path.exists(_FONT) and os.path.exists(_FONT_BOLD)):
        pytest.skip("DejaVu fonts not installed")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("s", "", _FONT)
    pdf.add_font("s", "B", _FONT_BOLD)

    def line(y, text, style="", link=""):
        pdf.set_font("s", style, 11)
        pdf.set_xy(25, y)
        pdf.cell(pdf.get_string_width(text) + 0.5, 6, text, link=link)

    y = 25
    line(y, "Minnesanteckningar, Pensionärsrådet, 2025-05-06")
    y += 12
    notes = [
        ("Välkommen", ["Ordföranden hälsade alla välkomna till mötet."]),
        ("Färdtjänst", ["Handläggaren berättade om de nya reglerna.", "Mer information finns på",
                        "@www.adalen.se/fardtjanst", "Rådet tackade för informationen."]),
        ("Seniorveckan", ["Anmälan sker till", "@eva.lund@adalen.se", "senast den 1 juni."]),
        ("Nästa möte", ["Nästa möte hålls den 9 september."]),
    ]
    if link_annotations:
        notes[1][1][2] = "@Läs mer om färdtjänsten"  # a link that reads as words, marked by its annotation
        notes[2][1][1] = "@Anmälningsformuläret"
    for head, body in notes:
        line(y, head, "B")
        y += 7
        for b in body:
            if b.startswith("@"):
                line(y, b[1:], "U", link="https://adalen.se/a" if link_annotations else "")
            else:
                line(y, b)
            y += 6
        y += 6
    pdf.output(str(path))


@pytest.mark.parametrize("link_annotations", [False, True])
def test_an_underlined_link_is_no_heading(tmp_path, link_annotations):
    from ingest.readers.pdf import read_pdf

    _notes_pdf(tmp_path / "n.pdf", link_annotations)
    doc = read_pdf(tmp_path / "n.pdf", "n.pdf")
    assert [h.text for h in doc.headings] == ["Välkommen", "Färdtjänst", "Seniorveckan", "Nästa möte"]
    titles = [i.title for i in segment(doc) if i.heading_source != "preamble"]
    assert titles[:4] == ["Välkommen", "Färdtjänst", "Seniorveckan", "Nästa möte"]
    assert not any("adalen" in t or "Läs mer" in t or "Anmälningsformuläret" in t for t in titles)

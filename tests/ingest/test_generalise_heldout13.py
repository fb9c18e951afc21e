"""Reader rules found on the thirteenth held-out set (tests/data/heldout13), each on a small case of its own.

The set's misses were layouts no earlier set had: a title printed above its bare `§ N  Dnr …` line
(Båstad), heading blocks of labelled rows `Paragraf § 89` / `Diarienummer …` / `Ärende <title>`
(Hylte), a kungörelse whose items are a bare numbered list with the case number in parentheses at
a title's end (Askersund), `3 – Title` items in a hard-wrapped CP1252 text (Nordmaling), a ruled
table `§ | Ärende | Diarienummer | Beslut` (Hagfors), underlined `1.`–`12.` titles (Trosa) and
pandoc Markdown with backslash line breaks (Krokom). The rules are general and learnt from the
document: the title-first layout from at least two bare numbers over no title of their own; the
label cell from its repetition at every number; the end of a title cell from a case-number or an
empty cell in the row; a hard wrap from the lines whose sentence runs on in lower case; an
underline from a rule that spans exactly the words above it. Every test runs on invented text in
other municipalities' shapes, never on the held-out files, and each has a negative case.
"""

from __future__ import annotations

import os

import pytest

from ingest.segment import segment
from radslag.types import Document


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(text: str, **kw):
    return [(i.number, i.title, i.dnr) for i in segment(_doc(text, **kw)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# "3 – Title": a number, a spaced dash and a title, in a hard-wrapped text
# --------------------------------------------------------------------------

_DASH_NOTES = (
    "ÖVERKALIX KOMMUN\nRådet för trygghet\nAnteckningar\n\n"
    "Tid: tisdag 4/3-25, kl. 09.00\n"
    "Deltagare:\n"
    "  Eva Nilsson, ordförande\n  Per Ek, kommunpolis\n  Ida Berg, rektor\n  Ola Lind, fältare\n"
    "  Kim Sjö, sekreterare\n  Bo Ahl, räddningstjänst\n\n"
    "1 – Mötets öppnande\n"
    "Ordföranden öppnade mötet och hälsade alla välkomna till dagens träff, som\n"
    "hölls i kommunhusets stora sal för första gången sedan ombyggnaden i höstas.\n\n"
    "2 – Lägesbild från räddningstjänsten och samverkan kring\n"
    "Under vintern har antalet bränder i bostäder legat på samma nivå som förra\n"
    "året och inga personer har skadats allvarligt under perioden i kommunen. Två\n"
    "övningar har hållits tillsammans med skolorna och hemtjänsten under februari.\n\n"
    "3 – Skolans arbete mot mobbning och kränkningar\n"
    "Skolan har tagit fram en ny plan. Eleverna har varit med och tagit fram den\n"
    "tillsammans med personal från elevhälsan och fritidsgården i centrum av byn.\n\n"
    "4 – Fritidsgårdens öppettider och nya lokaler\n"
    "Fritidsgården har fått fler besökare sedan kvällarna blev längre och personal\n"
    "från socialtjänsten finns nu på plats två kvällar varje vecka under vintern.\n\n"
    "5 – Nästa möte\n"
    "Nästa möte hålls i maj.\n"
)


def test_dash_numbered_items_in_hard_wrapped_text():
    items = _items(_DASH_NOTES)
    assert [(n, t) for n, t, _ in items] == [
        ("1", "Mötets öppnande"),
        ("2", "Lägesbild från räddningstjänsten och samverkan kring"),
        ("3", "Skolans arbete mot mobbning och kränkningar"),
        ("4", "Fritidsgårdens öppettider och nya lokaler"),
        ("5", "Nästa möte"),
    ]


def test_dash_number_inside_text_is_no_item():
    # A number and a dash in running text ("15 – 20 personer"), or before a lower-case word, opens nothing.
    text = (
        "Rådet för trygghet\n\n1. Öppnande\nMötet öppnades.\n\n2. Lägesbild\nPolisen rapporterade. Vid helgerna samlades\n"
        "15 – 20 personer i centrum. Nya träffar ordnas varje\n3 – 4 veckor.\n\n3. Nästa möte\nI maj.\n"
    )
    assert [(n, t) for n, t, _ in _items(text)] == [("1", "Öppnande"), ("2", "Lägesbild"), ("3", "Nästa möte")]


# --------------------------------------------------------------------------
# Title first: the bold title above a bare "§ N  Dnr …" line, a sub-heading below it
# --------------------------------------------------------------------------

_TITLE_FIRST = (
    "Lekebergs kommun\tPROTOKOLL\nVård- och omsorgsnämnden\t4 mars 2025\n\n"
    "Plats och tid\tKommunhuset, kl. 13.00\n\n"
    "Ny rutin för trygghetslarm\n\n"
    "§ 12\tDnr VON 2025/031\n\n"
    "Bakgrund\n\n"
    "Larmen byts ut under våren. Förvaltningen har tagit fram en ny rutin.\n\n"
    "Vård- och omsorgsnämndens beslut\n\n"
    "Nämnden antar rutinen.\n\n"
    "Ekonomisk uppföljning februari\n\n"
    "§ 13\tDnr VON 2025/002\n\n"
    "Bakgrund\n\n"
    "Prognosen visar ett litet underskott.\n\n"
    "Vård- och omsorgsnämndens beslut\n\n"
    "Nämnden godkänner uppföljningen.\n\n"
    "Beslutet skickas till\n\n"
    "Kommunstyrelsen\n\n"
    "Delegationsbeslut under februari\n\n"
    "§ 14\n\n"
    "Bakgrund\n\n"
    "Förteckningen redovisas.\n\n"
    "Vård- och omsorgsnämndens beslut\n\n"
    "Redovisningen läggs till handlingarna.\n"
)


def test_title_printed_above_bare_number():
    assert _items(_TITLE_FIRST) == [
        ("§ 12", "Ny rutin för trygghetslarm", "VON 2025/031"),
        ("§ 13", "Ekonomisk uppföljning februari", "VON 2025/002"),
        ("§ 14", "Delegationsbeslut under februari", None),
    ]


def test_title_below_number_is_kept():
    # The usual layout: the title under the number; the line above the number is the item before's text.
    text = (
        "Lekebergs kommun\nVård- och omsorgsnämnden\n\n"
        "§ 12\tDnr VON 2025/031\n\nNy rutin för trygghetslarm\n\nBakgrund\n\nLarmen byts ut.\n\n"
        "Kommunstyrelsen\n\n"
        "§ 13\tDnr VON 2025/002\n\nEkonomisk uppföljning februari\n\nBakgrund\n\nPrognosen visar ett underskott.\n"
    )
    assert [(n, t) for n, t, _ in _items(text)] == [
        ("§ 12", "Ny rutin för trygghetslarm"), ("§ 13", "Ekonomisk uppföljning februari")]


def test_one_bare_number_over_a_sub_heading_is_no_layout():
    # Only one number stands bare over a sub-heading: no title-first layout is learnt from one case.
    text = (
        "Lekebergs kommun\nVård- och omsorgsnämnden\n\n"
        "§ 12\tDnr VON 2025/031\n\nNy rutin för trygghetslarm\n\nBakgrund\n\nLarmen byts ut.\n\n"
        "Kommunstyrelsen\n\n"
        "§ 13\n\nBakgrund\n\nPrognosen visar ett underskott.\n\n"
        "§ 14\tDnr VON 2025/040\n\nDelegationsbeslut\n\nBakgrund\n\nFörteckningen redovisas.\n"
    )
    assert [n for n, t, _ in _items(text)] == ["§ 12", "§ 13", "§ 14"]
    assert _items(text)[1][1] != "Kommunstyrelsen"


# --------------------------------------------------------------------------
# Labelled heading rows: "Paragraf<TAB>§ N" / "Diarienummer<TAB>…" / "Ärende<TAB>Title"
# --------------------------------------------------------------------------

_LABEL_ROWS = (
    "Ljusdals kommun\nKulturutskottet\nProtokoll 2025-05-06\n\n"
    "Nummer\t§ 14\nÄmne\tVal av justerare\n\nUtskottets beslut\n\nAnna Berg justerar.\n\n"
    "Nummer\t§ 15\nAkt\tKUN 2025/0102\nÄmne\tBidrag till studieförbunden för året och för\n\n"
    "kommande år\n\nBakgrund\n\nStudieförbunden söker bidrag.\n\nUtskottets beslut\n\nBidraget beviljas.\n\n"
    "Nummer\t§ 16\nAkt\tKUN 2025/0077\nÄmne\tPlan för biblioteken,\n\nrevidering\n\n"
    "Bakgrund\n\nPlanen ses över.\n\nUtskottets beslut\n\nPlanen antas.\n"
)


def test_labelled_heading_rows_give_title_and_case_number():
    assert _items(_LABEL_ROWS) == [
        ("§ 14", "Val av justerare", None),
        ("§ 15", "Bidrag till studieförbunden för året och för kommande år", "KUN 2025/0102"),
        ("§ 16", "Plan för biblioteken, revidering", "KUN 2025/0077"),
    ]


def test_title_left_of_number_is_no_label():
    # "Title<TAB>§ N" rows whose left cells differ are titles with the number in a right column.
    text = (
        "Ljusdals kommun\nKulturutskottet\n\n"
        "Val av justerare\t§ 14\nFöredragande\tAnna Berg\n\nAnna Berg justerar.\n\n"
        "Studieförbunden\t§ 15\nFöredragande\tOla Ek\n\nStudieförbunden söker bidrag.\n"
    )
    items = _items(text)
    assert [n for n, _, _ in items] == ["§ 14", "§ 15"]
    assert items[0][1].startswith("Val av justerare") and items[1][1].startswith("Studieförbunden")


def test_capitalised_line_after_gap_does_not_join_title():
    # Only a line in lower case goes on with the title across a blank line.
    text = (
        "Ljusdals kommun\nKulturutskottet\n\n"
        "§ 14\nVal av justerare\n\nAnna Berg justerar\n\n"
        "§ 15\nBidrag till studieförbunden,\n\nStudieförbunden söker\n\nBidraget beviljas.\n"
    )
    assert [(n, t) for n, t, _ in _items(text)] == [("§ 14", "Val av justerare"), ("§ 15", "Bidrag till studieförbunden,")]


# --------------------------------------------------------------------------
# A notice whose items are a bare numbered list, the case number in parentheses at a title's end
# --------------------------------------------------------------------------

_NOTICE = (
    "Vadstena kommun\tKUNGÖRELSE\n\n2025-03-01\n\nKommunfullmäktige\n\n"
    "Kommunfullmäktige sammanträder tisdagen den 11 mars 2025 kl. 18.00 i rådhuset.\n\n"
    "Ärenden\n\n"
    "1. Val av justerare\n"
    "2. Årsredovisning för 2024 (KS 2025/041)\n"
    "3. Motion om fler laddplatser vid badplatsen i Vadstena och vid\n"
    "hamnen (Dnr KS 2024/377)\n"
    "4. Avsägelse från uppdrag (Anna Ek, S)\n"
    "5. Anmälan av nya motioner\n\n"
    "Handlingarna finns tillgängliga i kommunhusets reception och på kommunens webbplats från\n"
    "den 4 mars. Sammanträdet är offentligt och sänds direkt på webbplatsen. Allmänheten hälsas\n"
    "varmt välkommen till sammanträdet i rådhusets stora sal!\n\n"
    "Karin Dahl\tOla Berg\nOrdförande\tSekreterare\n\n"
    "Vadstena kommun · Rådhustorget 1 · 592 80 Vadstena · 0143-150 00 · vadstena.se\n"
)


def test_notice_list_with_case_numbers_in_parentheses():
    assert _items(_NOTICE) == [
        ("1", "Val av justerare", None),
        ("2", "Årsredovisning för 2024", "KS 2025/041"),
        ("3", "Motion om fler laddplatser vid badplatsen i Vadstena och vid hamnen", "KS 2024/377"),
        ("4", "Avsägelse från uppdrag (Anna Ek, S)", None),
        ("5", "Anmälan av nya motioner", None),
    ]


def test_list_with_long_text_after_it_stays_whole():
    # A text that merely holds a short list, with more prose after it than end matter, is no notice.
    text = (
        "Nyheter från kommunen\n\nTre saker händer i vår:\n\n1. Ny badplats\n2. Nya laddplatser\n3. Ny hamn\n\n"
        + "Arbetet med badplatsen börjar i april och ska vara klart till midsommar enligt planen. " * 5
        + "\n\nKarin Dahl\nOrdförande\n"
    )
    assert len(segment(_doc(text))) == 1


# --------------------------------------------------------------------------
# A ruled table § | Ärende | Diarienummer | Beslut: only the title cell is the title
# --------------------------------------------------------------------------

_TABLE_ROWS = (
    "Ovanåkers kommun\tPROTOKOLL\nMiljöutskottet\t2025-06-10\n\n"
    "§ 7\tVal av justerare\n\n"
    "§ 8\tTillsynsplan för 2026\tMU 2025/118\tUtskottet föreslår nämnden att anta planen\n\n"
    "Planen bygger på behovsutredningen och tar upp tillsyn av lantbruk.\n\n"
    "§ 9\tInformation om badvattenprover\t\tInformationen noteras.\n\n"
    "Proverna från sommaren visar god kvalitet vid alla badplatser.\n\n"
    "§ 10\tYttrande över detaljplan för Edsbyn\tMU 2025/140\n\n"
    "Planen medger nya bostäder norr om centrum.\n"
)


def test_table_row_cells_after_case_number_are_other_columns():
    assert _items(_TABLE_ROWS) == [
        ("§ 7", "Val av justerare", None),
        ("§ 8", "Tillsynsplan för 2026", "MU 2025/118"),
        ("§ 9", "Information om badvattenprover", None),
        ("§ 10", "Yttrande över detaljplan för Edsbyn", "MU 2025/140"),
    ]
    # the cells after the one that ended the title (the decision column) are the item's text, not lost
    texts = [i.text for i in segment(_doc(_TABLE_ROWS)) if i.heading_source != "preamble"]
    assert texts[1].startswith("Utskottet föreslår nämnden att anta planen") and "behovsutredningen" in texts[1]
    assert texts[2].startswith("Informationen noteras.")


def test_title_cells_without_case_number_or_empty_cell_stay_joined():
    # Two cells side by side with no empty cell and no case number between them: both are title.
    text = (
        "Ovanåkers kommun\nMiljöutskottet\n\n"
        "§ 7\tVal av justerare\n\nAnna Berg justerar.\n\n"
        "§ 8\tTillsynsplan\tlantbruk 2026\n\nPlanen antas.\n"
    )
    assert [(n, t) for n, t, _ in _items(text)] == [("§ 7", "Val av justerare"), ("§ 8", "Tillsynsplan lantbruk 2026")]


# --------------------------------------------------------------------------
# Pandoc Markdown: a backslash at a line's end is a hard line break, not text
# --------------------------------------------------------------------------


def test_markdown_hard_break_backslash_is_markup(tmp_path):
    from ingest.readers.text import read_markdown

    md = (
        "**Åre kommun**\\\n**PROTOKOLL**\n\nRådet för funktionshinderfrågor\n\n"
        "**§ 5 Tillgänglighet i badhuset**\\\n*Dnr KS 2025/88*\n\nBadhuset har fått en ny lift.\n\n"
        "**§ 6 Övriga frågor**\n\nSökvägen C:\\\\data\\\\ ligger kvar.\n"
    )
    path = tmp_path / "p.md"
    path.write_text(md, encoding="utf-8")
    doc = read_markdown(path, "p.md")
    assert "\\\n" not in doc.text and "**§ 5 Tillgänglighet i badhuset**\n" in doc.text
    assert "C:\\\\data\\\\ ligger" in doc.text  # an escaped backslash and one inside a line stay
    items = [(i.number, i.title, i.dnr) for i in segment(doc) if i.heading_source != "preamble"]
    assert items == [("§ 5", "Tillgänglighet i badhuset", "KS 2025/88"), ("§ 6", "Övriga frågor", None)]


# --------------------------------------------------------------------------
# PDF: underlined titles are emphasis, like bold ones; a ruling line is not an underline
# --------------------------------------------------------------------------

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def _underlined_pdf(path, rule_under_text: bool) -> None:
    fpdf = pytest.importorskip("fpdf")
    if not os.path.exists(_FONT):
        pytest.skip("DejaVu fonts not installed")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("serif", "", _FONT)
    pdf.set_font("serif", size=11)
    pdf.set_xy(25, 25)
    pdf.cell(0, 6, "PROTOKOLL fört vid årsstämma i Gnosjö Energi AB den 3 maj 2025", new_x="LMARGIN", new_y="NEXT")
    y = 45
    entries = [
        ("1.", "Stämmans öppnande", "Ordföranden Per Lind öppnar stämman och hälsar ägarens ombud"),
        ("2.", "Val av ordförande vid stämman", "Per Lind väljs till ordförande och Eva Ek som sekreterare"),
        ("3.", "Godkännande av dagordning", "Den föreslagna dagordningen godkänns av stämman"),
    ]
    for num, title, body in entries:
        pdf.set_xy(25, y)
        pdf.cell(10, 6, num)
        pdf.set_xy(35, y)
        if rule_under_text:
            pdf.cell(0, 6, title)
            pdf.line(20, y + 4.85, 190, y + 4.85)  # a ruling line where an underline would be, the page's width
        else:
            pdf.set_font("serif", "U", 11)  # the writer's own underline
            pdf.cell(0, 6, title)
            pdf.set_font("serif", "", 11)
        pdf.set_xy(35, y + 6)
        pdf.cell(0, 6, body)
        y += 20
    pdf.output(str(path))


def test_underlined_titles_are_headings(tmp_path):
    from ingest.readers.pdf import read_pdf

    _underlined_pdf(tmp_path / "u.pdf", rule_under_text=False)
    doc = read_pdf(tmp_path / "u.pdf", "u.pdf")
    assert {h.text.replace("\t", " ") for h in doc.headings} >= {"1. Stämmans öppnande", "2. Val av ordförande vid stämman"}
    titles = [(i.number, i.title) for i in segment(doc) if i.heading_source != "preamble"]
    assert titles == [("1", "Stämmans öppnande"), ("2", "Val av ordförande vid stämman"), ("3", "Godkännande av dagordning")]


def test_ruling_line_under_a_row_is_no_underline(tmp_path):
    from ingest.readers.pdf import read_pdf

    _underlined_pdf(tmp_path / "r.pdf", rule_under_text=True)
    doc = read_pdf(tmp_path / "r.pdf", "r.pdf")
    assert not any("Stämmans öppnande" in h.text for h in doc.headings)

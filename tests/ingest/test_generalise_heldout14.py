"""Reader rules found on the fourteenth held-out set (tests/data/heldout14), each on a small case of its own.

The set's item misses were layouts no earlier set had: a Word table with one row per item and no
header row, number | content, the content cell holding the title, the case number and the text
(Storfors); `Ärende 3 av 9` numbers in small grey type above each title (Vilhelmina); a page band
holding the body and the meeting's `§§ 12–18` range on every page (Älvdalen); notes quoted `> ` line
by line in a forwarded e-mail (Pajala). The rules are general and learnt from the document: an item
table from its numbering sequence and its cells of several paragraphs, with or without a header row;
"N av M" numbers from a sequence that counts up to its M; page furniture from its repetition across
pages; a quoted block from the prefix its lines share. Every test runs on invented text or documents
in other municipalities' shapes, never on the held-out files, and each has a negative case.
"""

from __future__ import annotations

import pytest

from ingest.readers import read_document
from ingest.segment import segment
from radslag.types import Document


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(doc: Document):
    return [(i.number, i.title, i.dnr) for i in segment(doc) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# A Word table, one row per item, number | content, without a header row
# --------------------------------------------------------------------------


def _item_table_docx(path, rows, header=None, single_paragraph=False):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("Filipstads kommun\tProtokoll\t2025-03-12")
    p = d.add_paragraph()
    p.add_run("Tekniska nämnden").bold = True
    d.add_paragraph("Plats och tid: Stadshuset, kl. 13.00–15.30")
    table = d.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = header
    for number, title, dnr, text in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(number).bold = True
        cell = cells[1]
        if single_paragraph:
            cell.paragraphs[0].text = title
            continue
        cell.paragraphs[0].add_run(title).bold = True
        if dnr:
            cell.add_paragraph().add_run(f"Dnr {dnr}").italic = True
        cell.add_paragraph(text)
        cell.add_paragraph().add_run("Beslut").bold = True
        cell.add_paragraph("Nämnden beslutar enligt förslaget.")
    d.add_paragraph("Vid protokollet")
    d.add_paragraph("Lena Holm")
    d.save(path)


_TN_ROWS = [
    ("§ 12", "Val av justerare", None, "Ordföranden föreslår Per Ek."),
    ("§ 13", "Gatubelysning på landsbygden", "TN 2025/14", "Förvaltningen har inventerat 412 armaturer."),
    ("§ 14", "Taxa för vatten och avlopp 2026", "TN 2025/22", "Taxan höjs med 4,5 procent."),
]


def test_item_table_without_header_row_reads_number_and_title(tmp_path):
    path = tmp_path / "tn.docx"
    _item_table_docx(path, _TN_ROWS)
    items = _items(read_document(path, "tn.docx"))
    assert items == [
        ("§ 12", "Val av justerare", None),
        ("§ 13", "Gatubelysning på landsbygden", "TN 2025/14"),
        ("§ 14", "Taxa för vatten och avlopp 2026", "TN 2025/22"),
    ]


def test_item_table_with_header_row_still_read(tmp_path):
    path = tmp_path / "tn.docx"
    _item_table_docx(path, _TN_ROWS, header=("Paragraf", "Ärende"))
    assert [t for _, t, _ in _items(read_document(path, "tn.docx"))] == [
        "Val av justerare", "Gatubelysning på landsbygden", "Taxa för vatten och avlopp 2026"]


def test_number_table_of_single_paragraph_cells_keeps_its_rows(tmp_path):
    # One paragraph per cell: the rows stay tab lines (the segmenter reads them whole), as before.
    path = tmp_path / "tn.docx"
    _item_table_docx(path, _TN_ROWS, single_paragraph=True)
    text = read_document(path, "tn.docx").text
    assert "§ 12\tVal av justerare\n§ 13\tGatubelysning på landsbygden" in text


def test_table_whose_numbers_do_not_count_up_is_no_item_table(tmp_path):
    # 12, 14, 13: not a numbering sequence, so the row stays one tab line with its whole cell.
    path = tmp_path / "tn.docx"
    _item_table_docx(path, [_TN_ROWS[0], _TN_ROWS[2], _TN_ROWS[1]])
    text = read_document(path, "tn.docx").text
    assert "§ 12\tVal av justerare Ordföranden föreslår Per Ek." in text


# --------------------------------------------------------------------------
# "Ärende 3 av 9": a number with the count it runs up to
# --------------------------------------------------------------------------


def _counted(n_of: list[tuple[int, int]]) -> str:
    titles = ["Val av justerare", "Budgetuppföljning", "Riktlinjer för färdtjänst", "Meddelanden"]
    parts = ["Sorsele kommun\tPROTOKOLL\nOmsorgsnämnden\t2025-04-02\n\nPlats och tid\tKommunhuset\n\n"]
    for (n, m), title in zip(n_of, titles):
        dnr = f"\tDnr ON 2025/{n}0" if n % 2 == 0 else ""
        parts.append(f"Ärende {n} av {m}{dnr}\n\n{title}\n\nÄrendet\n\nFörvaltningen redovisar ärendet.\n\n"
                     "Omsorgsnämndens beslut\n\nNämnden beslutar enligt förslaget.\n\n")
    return "".join(parts)


def test_numbers_counting_up_to_a_shared_total_are_item_numbers():
    assert _items(_doc(_counted([(1, 4), (2, 4), (3, 4), (4, 4)]))) == [
        ("1", "Val av justerare", None),
        ("2", "Budgetuppföljning", "ON 2025/20"),
        ("3", "Riktlinjer för färdtjänst", None),
        ("4", "Meddelanden", "ON 2025/40"),
    ]


@pytest.mark.parametrize("n_of", [
    [(1, 4), (2, 5), (3, 4), (4, 4)],  # the counts differ: no shared total
    [(1, 3), (2, 3), (3, 3), (4, 3)],  # a number above the total
    [(1, 4), (3, 4), (2, 4), (4, 4)],  # the numbers do not rise
])
def test_counts_that_are_no_sequence_make_no_numbers(n_of):
    assert not [n for n, _, _ in _items(_doc(_counted(n_of))) if n]


def test_a_single_count_in_the_text_is_no_item():
    text = ("Omsorgsnämnden\n\n§ 1 Val av justerare\nPer Ek utses.\n\n§ 2 Färdtjänst\nFörslaget har tre delar.\n"
            "Punkt 2 av 3 gäller avgifterna och remitteras.\n\n§ 3 Meddelanden\nInga.\n")
    assert [n for n, _, _ in _items(_doc(text))] == ["§ 1", "§ 2", "§ 3"]


# --------------------------------------------------------------------------
# "§§ 5–8" naming the meeting's paragraphs in a page band
# --------------------------------------------------------------------------


def _front(n: int) -> str:
    return (f"Sammanträdesdatum 2025-03-04\n\nOrsa kommun\n\n§§ 5–{n}\nByggnadsnämnden\n\nProtokoll\n\n"
            "Plats och tid\tKommunhuset, sammanträdesrum Born, kl. 09.00–11.30\n\n"
            "Beslutande\tKarin Ek (C), ordförande\nPer Olsson (S)\nAnna Berg (M)\n\n"
            "Övriga närvarande\tLisa Holm, sekreterare\n\nUtses att justera\tEva Ek (S)\n\n")


_BN_BODY = (
    "§ 5\tVal av justerare\n\nBeslut\n\n1. Eva Ek utses att justera protokollet.\n\n"
    "§ 6\tBygglov för nybyggnad av garage på\tBN 2025-000114\nfastigheten Born 3:12\n\n"
    "Ansökan avser ett garage.\n\nBeslut\n\n1. Bygglov beviljas.\n2. Avgiften fastställs.\n\n"
    "§ 7\tTillsynsplan 2026\tBN 2025-000120\n\nPlanen prioriterar skolor.\n\nBeslut\n\n1. Planen antas.\n\n"
    "§ 8\tMeddelanden\n\nBeslut\n\n1. Meddelandena läggs till handlingarna.\n"
)


def test_range_line_whose_paragraphs_all_follow_is_no_item():
    # The page band of page 1 ("§§ 5–8" over the body's name) is kept as text above the front page.
    assert _items(_doc(_front(8) + _BN_BODY)) == [
        ("§ 5", "Val av justerare", None),
        ("§ 6", "Bygglov för nybyggnad av garage på fastigheten Born 3:12", "BN 2025-000114"),
        ("§ 7", "Tillsynsplan 2026", "BN 2025-000120"),
        ("§ 8", "Meddelanden", None),
    ]


def test_range_with_a_paragraph_not_found_again_is_left_alone():
    # "§§ 5–9" but no § 9 follows: the range is not shown to be the meeting's, the rule keeps out.
    assert _items(_doc(_front(9) + _BN_BODY))[0][:2] == ("§ 5", "Byggnadsnämnden")


def test_joint_heading_for_paragraphs_without_their_own_stays_an_item():
    # "§§ 6–7" with no § 6 or § 7 of its own after it: one heading for two paragraphs.
    text = ("Byggnadsnämnden\n\n§ 5\tVal av justerare\n\nEva Ek utses.\n\n"
            "§§ 6–7\tBygglov på fastigheterna Born 3:12 och Born 3:13\n\nTvå ansökningar.\n\n"
            "§ 8\tMeddelanden\n\nInga.\n")
    assert [(n, t) for n, t, _ in _items(_doc(text))] == [
        ("§ 5", "Val av justerare"),
        ("§ 6", "Bygglov på fastigheterna Born 3:12 och Born 3:13"),
        ("§ 8", "Meddelanden"),
    ]


# --------------------------------------------------------------------------
# Notes quoted "> " line by line in a forwarded e-mail
# --------------------------------------------------------------------------

_MAIL = """Från: Stina Berg <stina.berg@example.se>
Skickat: den 3 mars 2025 09:10
Till: rådet@example.se
Ämne: VB: Anteckningar folkhälsorådet

Hej! Här kommer anteckningarna från förra veckans möte i rådet, som Olle skrev ihop efter
mötet. Säg till om något behöver ändras innan de läggs ut på kommunens webbplats.

Vänliga hälsningar
Stina

-- 
Stina Berg
Folkhälsostrateg

-----Ursprungligt meddelande-----
Från: Olle Lind <olle.lind@example.se>
Ämne: Anteckningar folkhälsorådet

> Anteckningar, Folkhälsorådet, Övertorneå kommun
> Datum: tisdag 25 februari 2025
>
> 1. Mötets öppnande
> Olle hälsade alla välkomna och gick igenom
> dagordningen som skickats ut med kallelsen.
>
> 2. Rapport från skolhälsovården
> Skolsköterskorna berättade att besöken har
> ökat under vintern och att fler elever söker
> stöd för sömnproblem och oro inför proven.
> Rådet vill få en ny rapport i början av
> hösten med siffror för hela läsåret.
>
> 3. Föreningarnas lovaktiviteter
> Fritidsgården och idrottsföreningarna har
> planerat aktiviteter för alla dagar under
> sportlovet, och bussen till badhuset går.
>
> 4. Nästa möte
> Den 6 maj klockan 13.00.
"""


def test_notes_quoted_in_a_forwarded_mail_are_read_as_items():
    assert [(n, t) for n, t, _ in _items(_doc(_MAIL))] == [
        ("1", "Mötets öppnande"),
        ("2", "Rapport från skolhälsovården"),
        ("3", "Föreningarnas lovaktiviteter"),
        ("4", "Nästa möte"),
    ]


def test_quoted_block_lines_keep_their_offsets():
    from ingest.segment.lines import split_lines

    text = "Hej\n> 1. Öppnande\n>\n>> Ett äldre citat\nSlut"
    lines = split_lines(text)
    assert [ln.text for ln in lines] == ["Hej", "1. Öppnande", "", "Ett äldre citat", "Slut"]
    assert [ln.quoted for ln in lines] == [False, True, True, True, False]
    one = lines[1]
    assert text[one.start + one.lead: one.start + one.lead + len(one.text)] == "1. Öppnande"


def test_one_or_two_lines_starting_with_a_mark_are_no_quoted_block():
    from ingest.segment.lines import split_lines

    lines = split_lines("Text\n> 5 procent av budgeten\n> 3 personer\nText")
    assert [ln.text for ln in lines][1:3] == ["> 5 procent av budgeten", "> 3 personer"]
    assert not any(ln.quoted for ln in lines)

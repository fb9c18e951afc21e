"""Reader rules found on the ninth held-out set (tests/data/heldout9), each on a small case of its own.

The set's misses were a kallelse whose agenda is a ruled table with a header row ("Nr / Ärende /
Diarienummer / Föredragande": the header was read as a heading and the rows' other cells as
title words), a protocol that prints each case number on a line of its own above the § heading
(read as the last line of the item before), a personalutskott read as its parent board, a
räddningstjänst (a body of several municipalities whose name shows no "förbund") read as one of
its member towns, and a section heading that stood over the footer on two pages of five and was
taken off those pages as a running line. The rules are general: a table's header row is learnt
from the rows under it and its columns are kept apart; where case numbers stand relative to the
headings is learnt from the whole document; a body's part named with the body in the genitive
keeps its full name; a front page naming several towns bare with no header naming one has no
municipality of its own; a line used more often as text than at its place in the page band is no
furniture. Every test runs on invented text in other municipalities' shapes, never on the
held-out files, and each has a negative case.
"""

from __future__ import annotations

import pytest

from ingest.metadata import extract_metadata
from ingest.readers.pdf.extract import Word
from ingest.readers.pdf.furniture import strip_furniture
from ingest.readers.pdf.geometry import Row, Seg
from ingest.segment import segment
from ingest.segment.core import _list_document, _split_lines, _table_header, _trailer_limit
from radslag.types import Document, Heading


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(text: str, **kw):
    return [(i.number, i.title, i.dnr) for i in segment(_doc(text, **kw)) if i.heading_source != "preamble"]


def _texts(text: str, **kw):
    return [i.text for i in segment(_doc(text, **kw)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# A kallelse whose agenda is a table with a header row
# --------------------------------------------------------------------------


_KALLELSE = (
    "Vimmerby kommun\tKALLELSE\n\nSocialnämnden\t2025-02-03\n\nKallelse till sammanträde\n\n"
    "Tid\tTisdag 11 februari 2025 kl. 09.00\n\nPlats\tRådhuset, Vimmerby\n\n"
    "Dagordning\n\n"
    "{header}"
    "1{sep}Val av justerare\n\n"
    "2{sep}Budgetuppföljning januari 2025{sep}SN 2025/4{sep}Eva Lund, ekonom\n\n"
    "3{sep}Riktlinjer för bistånd enligt{sep}SN 2024/210{sep}Ola Ek,\nsocialchef\n\n"
    "4{sep}Yttrande över remiss om ny lag om{sep}SN 2025/9{sep}Kim Berg, jurist\nsocialtjänst\n\n"
    "5{sep}Information från förvaltningen{sep}Ola Ek,\nsocialchef\n"
)


@pytest.mark.parametrize("header", [
    "Nr{sep}Ärende{sep}Diarienummer{sep}Föredragande\n\n",
    "Punkt{sep}Ärende{sep}Dnr{sep}Ansvarig\n\n",
    "Nr{sep}Ämne{sep}Dnr{sep}Handläggare\n",
])
@pytest.mark.parametrize("sep", ["\t", "    "])
def test_a_table_with_a_header_row_keeps_its_columns_apart(header, sep):
    text = _KALLELSE.replace("{header}", header).replace("{sep}", sep)
    assert _items(text) == [
        ("1", "Val av justerare", None),
        ("2", "Budgetuppföljning januari 2025", "SN 2025/4"),
        # "Ola Ek," ends unfinished: the line under it is that cell's, not the title's
        ("3", "Riktlinjer för bistånd enligt", "SN 2024/210"),
        ("4", "Yttrande över remiss om ny lag om socialtjänst", "SN 2025/9"),
        ("5", "Information från förvaltningen", None),
    ]


def test_rows_numbered_with_a_full_stop_under_a_header_row():
    text = _KALLELSE.replace("{header}", "Nr\tÄrende\tDnr\tFöredragande\n\n").replace("{sep}", "\t")
    for n in "12345":
        text = text.replace(f"\n{n}\t", f"\n{n}.\t")
    items = _items(text)
    assert [i[0] for i in items] == ["1", "2", "3", "4", "5"]
    assert items[1] == ("2", "Budgetuppföljning januari 2025", "SN 2025/4")


def test_a_header_row_in_bold_is_no_layout_heading():
    # A PDF reader reports the bold header row (and the kallelse's bold headings) as layout headings.
    text = _KALLELSE.replace("{header}", "Nr\tÄrende\tDnr\tFöredragande\n\n").replace("{sep}", "\t")
    bold = ["Kallelse till sammanträde", "Dagordning", "Nr\tÄrende\tDnr\tFöredragande"]
    heads = [Heading(t, text.index(t), text.index(t) + len(t), "bold") for t in bold]
    doc = Document(source="t.pdf", text=text, reader="pdf", content_hash="x", headings=heads)
    items = [(i.number, i.title) for i in segment(doc) if i.heading_source != "preamble"]
    assert items[:2] == [("1", "Val av justerare"), ("2", "Budgetuppföljning januari 2025")]
    assert len(items) == 5


@pytest.mark.parametrize("line, below", [
    ("Nr\tÄrende\tDiarienummer\tFöredragande", "1\tVal av justerare"),
    ("§\tÄrende\tDnr", "§ 12\tBudget 2026\tKS 2025/3"),
    ("Punkt   Ämne   Ansvarig", "1   Lägesbild   Polisen"),
])
def test_a_header_row_stands_over_numbered_rows(line, below):
    lines = _split_lines(f"{line}\n\n{below}\n")
    assert _table_header(lines, 0)


@pytest.mark.parametrize("line, below", [
    ("Ordförande\tSekreterare\tJusterare", "Anna Berg\tOla Lind\tKim Ek"),  # signatures, no rows
    ("Nr\tÄrende\tDnr", "Nämnden har gått igenom ärendena."),  # prose under it
    ("Nr\tÄrende", "1\tVal av justerare"),  # two cells: a heading row, not a table's header
    ("Budget 2026\tKS 2025/3\tEva Lund", "1\tVal av justerare"),  # digits: a row, not names of columns
    ("Beslut: bifall\tYrkande\tVotering", "1\tVal av justerare"),  # punctuation: text
])
def test_lines_that_are_no_header_row(line, below):
    lines = _split_lines(f"{line}\n{below}\n")
    assert not _table_header(lines, 0)


def test_without_a_header_row_a_case_number_cell_ends_the_title():
    # No header, but a case-number cell inside a row ends its title: the cells after it are later
    # columns (heldout13), and the line under a row whose last cell ends unfinished ("Ola Ek," /
    # "socialchef") goes on with that cell, not with the title.
    text = _KALLELSE.replace("{header}", "").replace("{sep}", "\t")
    lines = _split_lines(text)
    heads = _list_document(lines, _trailer_limit(lines))
    assert (heads[1].title, heads[1].dnr) == ("Budgetuppföljning januari 2025", "SN 2025/4")
    assert (heads[2].title, heads[2].dnr) == ("Riktlinjer för bistånd enligt", "SN 2024/210")
    assert (heads[3].title, heads[3].dnr) == ("Yttrande över remiss om ny lag om socialtjänst", "SN 2025/9")
    # Row 5 ("Information från förvaltningen<TAB>Ola Ek,") has no case-number cell, so nothing in the row
    # sets its cells apart; its title is not asserted (it still takes in the presenter: a known miss).


# --------------------------------------------------------------------------
# Case numbers on a line of their own above the headings
# --------------------------------------------------------------------------


_ABOVE = (
    "Eslövs kommun\tPROTOKOLL\n\nKommunstyrelsen\n\nSammanträdesdatum 2025-03-04\n\n"
    "§ 20\tVal av justerare\n\nAnna Berg utses att justera.\n\n"
    "{a}\n\n§ 21\tBudget 2026\n\nKommunstyrelsen föreslår fullmäktige att anta budgeten.\n\n"
    "{b}\n\n§ 22\tRiktlinjer för lokalförsörjning\n\nRiktlinjerna antas.\n\n"
    "{c}\n\n§ 23\tDelegationsbeslut\n\nRedovisningen läggs till handlingarna.\n"
)


@pytest.mark.parametrize("a, b, c, want", [
    ("Dnr KS 2025/101", "Dnr KS 2025/102", "Dnr KS 2024/77", ["KS 2025/101", "KS 2025/102", "KS 2024/77"]),
    ("KS 2025/101", "KS 2025/102", "", ["KS 2025/101", "KS 2025/102", None]),  # bare, one item has none
    ("Diarienummer: 2025.101", "Diarienummer: 2025.102", "Diarienummer: 2025.103",
     ["2025.101", "2025.102", "2025.103"]),
])
def test_case_numbers_above_the_headings_belong_to_the_item_below(a, b, c, want):
    text = _ABOVE.format(a=a, b=b, c=c)
    items = _items(text)
    assert [i[2] for i in items] == [None, *want]
    texts = _texts(text)
    assert not any(x and x in t for t in texts for x in (a, b, c))  # no item keeps the line in its text


def test_one_case_number_above_a_heading_is_no_pattern():
    text = _ABOVE.format(a="Dnr KS 2025/101", b="", c="")
    assert [i[2] for i in _items(text)] == [None, None, None, None]
    assert _texts(text)[0].endswith("Dnr KS 2025/101")  # stays where it stands


def test_case_number_lines_ending_items_stay_there_where_headings_have_their_own():
    # Case numbers under the titles, and each item ending with an earlier case's number on a
    # line of its own: those lines stand directly above the next heading but are no pattern.
    text = (
        "Socialnämnden\n\nSammanträdesdatum 2025-03-04\n\n"
        "§ 5\tBudget 2026\nDnr SN 2025/11\n\nBudgeten antas.\n\nTidigare ärende:\nSN 2023/40\n\n"
        "§ 6\tRiktlinjer för bistånd\nDnr SN 2025/12\n\nRiktlinjerna antas.\n\nTidigare ärende:\nSN 2022/7\n\n"
        "§ 7\tDelegationsbeslut\nDnr SN 2025/13\n\nRedovisningen läggs till handlingarna.\n"
    )
    assert [i[2] for i in _items(text)] == ["SN 2025/11", "SN 2025/12", "SN 2025/13"]


def test_case_numbers_under_the_titles_stay_with_the_heading_above():
    # Items with no text of their own: each case number line is also directly above the next
    # heading, but the document's case numbers stand under the titles.
    text = (
        "Socialnämnden\n\nSammanträdesdatum 2025-03-04\n\n"
        "§ 5\tBudget 2026\nDnr SN 2025/11\n\n"
        "§ 6\tRiktlinjer för bistånd\nDnr SN 2025/12\n\n"
        "§ 7\tDelegationsbeslut\nDnr SN 2025/13\n\nRedovisningen läggs till handlingarna.\n"
    )
    assert [i[2] for i in _items(text)] == ["SN 2025/11", "SN 2025/12", "SN 2025/13"]


# --------------------------------------------------------------------------
# Meeting facts: a board's part keeps its name, a body of several towns has none of its own
# --------------------------------------------------------------------------


_BODY = "Plats och tid\tKommunhuset, kl. 13.00\n\n§ 1 Val av justerare\n\nText.\n"


@pytest.mark.parametrize("name", [
    "Kommunstyrelsens personalutskott", "Kommunfullmäktiges valberedning", "Socialnämndens individutskott",
    "Regionstyrelsens presidium", "Kommunstyrelsens beredning för hållbar utveckling",
])
def test_a_boards_part_keeps_its_full_name(name):
    meta = extract_metadata(_doc(_BODY, front_matter={"page_header": ["Eslövs kommun\tProtokoll",
                                                                      f"{name}\t2025-03-04"]}))
    assert meta.body == name


@pytest.mark.parametrize("line", ["Kommunstyrelsens beslut", "Socialnämndens yttrande"])
def test_a_boards_decision_heading_is_no_body(line):
    meta = extract_metadata(_doc(_BODY, front_matter={"page_header": [f"{line}\t2025-03-04",
                                                                      "Kommunstyrelsen"]}))
    assert meta.body == "Kommunstyrelsen"


_JOINT = (
    "Protokoll från styrelsens sammanträde\n\nOnsdag 9 april 2025\n\n"
    "Plats och tid\tStationen i Ludvika, kl. 09.00–11.00\n\n"
    "Beslutande\tLedamöter\nAnna Berg (S), ordförande, Ludvika\nOla Lind (M), vice ordförande, Smedjebacken\n"
    "{third}\n\n"
    "§ 1 Mötets öppnande\n\nOrdföranden öppnar mötet.\n\n§ 2 Budget 2026\n\nStyrelsen antar budgeten.\n"
)


def test_a_body_of_several_towns_has_no_municipality_of_its_own():
    text = _JOINT.format(third="Kim Ek (C), Hedemora")
    meta = extract_metadata(_doc(text, front_matter={"page_header": ["Brandkåren Södra Dalarna\tPROTOKOLL"]}))
    assert meta.municipality is None


def test_a_municipality_named_by_its_header_or_officially_is_kept():
    text = _JOINT.format(third="Kim Ek (C), Hedemora")
    meta = extract_metadata(_doc(text, front_matter={"page_header": ["Ludvika kommun\tPROTOKOLL"]}))
    assert meta.municipality == "Ludvika"
    text = _JOINT.format(third="Kim Ek (C), Hedemora\n\nAnslag på Ludvika kommuns anslagstavla")
    meta = extract_metadata(_doc(text, front_matter={"page_header": ["Kultursamverkan\tPROTOKOLL"]}))
    assert meta.municipality == "Ludvika"
    # The archive's file name naming one of the towns is the document's own name for it too.
    meta = extract_metadata(_doc(_JOINT.format(third="Kim Ek (C), Hedemora"), source="ludvika/styrelsen-2025-04-09.txt",
                                 front_matter={"page_header": ["Kultursamverkan\tPROTOKOLL"]}))
    assert meta.municipality == "Ludvika"


def test_two_towns_on_a_front_page_are_no_body_of_several():
    text = _JOINT.format(third="Kim Ek (C)")
    meta = extract_metadata(_doc(text, front_matter={"page_header": ["Kulturnämnden\tPROTOKOLL"]}))
    assert meta.municipality in ("Ludvika", "Smedjebacken")


# --------------------------------------------------------------------------
# A section heading that happens to stand over the footer on some pages is no furniture
# --------------------------------------------------------------------------


def _row(text: str, top: float) -> Row:
    words, x = [], 50.0
    for w in text.split():
        words.append(Word(w, x, x + 6 * len(w), top, top + 10, 10.0, False))
        x += 6 * len(w) + 4
    return Row([Seg(words)])


def _pages(heading: str, over_footer: set[int], n: int = 5, header: str = "Eslövs kommun Protokoll"):
    pages = []
    for p in range(1, n + 1):
        rows = [_row(header, 30), _row(f"Brödtext på sidan {p}.", 300), _row(heading, 400),
                _row(f"Beslutet fattas på sidan {p}.", 420)]
        if p in over_footer:
            rows.append(_row(heading, 740))
            rows.append(_row(f"Nämnden beslutar enligt förslaget {p}.", 755))
        rows.append(_row("Justerandes sign Utdragsbestyrkande", 780))
        pages.append(rows)
    return pages


def test_a_heading_used_as_text_is_kept_where_it_stands_over_the_footer():
    pages = _pages("Bygg- och miljönämndens beslut", {2, 4})
    out = strip_furniture(pages, [800.0] * 5)
    kept = [[r.text for r in rows] for rows in out.pages]
    assert "Bygg- och miljönämndens beslut" in kept[1][-3:]  # over the footer on page 2, kept
    assert "Bygg- och miljönämndens beslut" not in out.running_lines
    assert "Justerandes sign Utdragsbestyrkande" in out.running_lines  # the footer still goes
    assert not any("Justerandes sign" in t for rows in kept for t in rows)


def test_a_running_line_that_also_stands_in_the_text_is_still_furniture():
    # The header's own words stand as text on every page (a distribution list), but the header is
    # at its place on every page: furniture.
    pages = _pages("Kommunstyrelsen", set(), header="Kommunstyrelsen")
    for rows in pages:  # and once more in a distribution list: more often as text than as header
        rows.insert(3, _row("Kommunstyrelsen", 500))
    out = strip_furniture(pages, [800.0] * 5)
    assert "Kommunstyrelsen" in out.running_lines
    assert all([r.text for r in rows].count("Kommunstyrelsen") == 2 for rows in out.pages[1:])

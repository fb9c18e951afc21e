"""Reader rules found on the eighth held-out set (tests/data/heldout8), each on a small case of its own.

The set's two misses were a protocol whose item headings are ruled table rows (the § number, the
title, and a small "Dnr" label over the case number in a third cell: the label went into the
title), and Markdown notes whose items are an ordered list with bold titles and indented text
("1. **Mötets öppnande**", read as no list at all). The rules are general: a case-number label
alone in a cell or on a line of its own is neither title nor number; an ordered-list entry in bold
is a numbered line whose bold span is the whole title (or a run-in title before its text); a
numbered line indented deeper than the list's own entries is nested in one; a line ending in a
function word whose sentence goes on below opens the text, not the title; a numbered list that is
one Markdown section's content (a lead-in above it, a heading after it) stays in that section.
Every test runs on invented text in other municipalities' shapes, never on the held-out files, and
each has a negative case.
"""

from __future__ import annotations

import pytest

from ingest.segment import segment
from ingest.segment.casenum import is_label_only
from radslag.types import Document


def _doc(text: str, source: str = "t.md", reader: str = "markdown") -> Document:
    return Document(source=source, text=text, reader=reader, content_hash="x")


def _items(text: str, source: str = "t.md", reader: str = "markdown"):
    return [(i.number, i.title, i.dnr) for i in segment(_doc(text, source, reader)) if i.heading_source != "preamble"]


def _texts(text: str, source: str = "t.md", reader: str = "markdown"):
    return [i.text for i in segment(_doc(text, source, reader)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# A case-number label in a cell of its own (a heading laid out as a table row)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Dnr", "Dnr:", "DNR.", "Diarienummer", "Diarienummer:", "Ärendenr.", " Diarienr "])
def test_a_label_alone_is_a_label(text):
    assert is_label_only(text)


@pytest.mark.parametrize("text", [
    "Dnr KS 2025/12", "Dnr: 2025/12", "Dnrs", "Diarieföring", "Ärende", "Rutin för diarienummer", "",
])
def test_a_label_with_a_number_or_a_word_is_no_lone_label(text):
    assert not is_label_only(text)


# An individual and family board in another template: the label cell over the number, beside it,
# on a line of its own under the title, with a colon, and a label cell with no number at all.
_ROWS = (
    "Umeå kommun\tPROTOKOLL\n\nIndividnämnden\n\nSammanträdesdatum 2025-05-06\n\n"
    "§ 12\tBudget 2026\tDiarienummer:\n\tIN 2025/0101\n\n"
    "Ärendet\n\nBudgeten omfattar 412 miljoner kronor.\n\n"
    "§ 13\tYttrande över remiss om ändrade\tDnr\nföreskrifter för färdtjänst\tIN 2025/0120\n\n"
    "Ärendet\n\nRemissen kommer från Trafikverket.\n\n"
    "§ 14\tTaxor 2026\tÄrendenr\tIN 2025/0133\n\n"
    "Ärendet\n\nTaxorna räknas upp med prisindex.\n\n"
    "§ 15\tUppföljning av internkontroll\n\tDnr:\n\tIN 2025/0140\n\n"
    "Ärendet\n\nTre av sju kontrollmoment är gjorda.\n\n"
    "§ 16\tInformation från förvaltningen\tDnr\n\n"
    "Ärendet\n\nFörvaltningschefen informerar.\n\n"
    "§ 17\tRutin för diarienummer\n\n"
    "Ärendet\n\nRutinen ändras så att alla handlingar registreras.\n"
)


def test_a_label_cell_over_beside_or_under_is_neither_title_nor_case_number():
    assert _items(_ROWS, "t.pdf", "pdf") == [
        ("§ 12", "Budget 2026", "IN 2025/0101"),
        ("§ 13", "Yttrande över remiss om ändrade föreskrifter för färdtjänst", "IN 2025/0120"),
        ("§ 14", "Taxor 2026", "IN 2025/0133"),
        ("§ 15", "Uppföljning av internkontroll", "IN 2025/0140"),
        ("§ 16", "Information från förvaltningen", None),  # an empty number cell: the label goes, no number
        ("§ 17", "Rutin för diarienummer", None),  # the word in a title is no label cell
    ]
    texts = _texts(_ROWS, "t.pdf", "pdf")
    assert texts[3] == "Ärendet\n\nTre av sju kontrollmoment är gjorda."  # the label line is not body text


# --------------------------------------------------------------------------
# Markdown and text notes: items as an ordered list
# --------------------------------------------------------------------------

_BOLD_LIST = """# Folkhälsorådet i Lerums kommun

Anteckningar från mötet 12 mars 2025

## Minnesanteckningar

1) **Välkomna**
   Ordföranden öppnar mötet

2) __Läget i skolorna__
   Rektorerna redogör för elevhälsan
   och för frånvaron under vintern.

3) **Föräldrastöd**
   Kursen Älskade förbannade tonåring startar i april

4) **Nästa möte**
   Nästa möte hålls i juni.
"""


def test_an_ordered_list_with_bold_titles_and_indented_text_is_the_items():
    # The bold span is the whole title: the text under it (no final full stop) is body, not title.
    assert _items(_BOLD_LIST) == [
        ("1", "Välkomna", None), ("2", "Läget i skolorna", None),
        ("3", "Föräldrastöd", None), ("4", "Nästa möte", None),
    ]
    assert _texts(_BOLD_LIST)[0] == "Ordföranden öppnar mötet"


_MARKED = """# Folkhälsorådet Mölndal

Anteckningar 12 mars 2025

{a}
Ordföranden öppnar mötet

{b}
Rektorerna redogör för elevhälsan

{c}
Nästa möte hålls i juni
"""


@pytest.mark.parametrize("a,b,c", [
    ("**1. Välkomna**", "**2. Läget i skolorna**", "**3. Nästa möte**"),  # the number inside the bold line
    ("### 1. Välkomna", "### 2. Läget i skolorna", "### 3. Nästa möte"),  # Markdown headings
    ("1) **Välkomna**", "2) **Läget i skolorna**", "3) **Nästa möte**"),
])
def test_a_title_delimited_by_markup_never_takes_in_the_line_under_it(a, b, c):
    text = _MARKED.format(a=a, b=b, c=c)
    assert _items(text) == [("1", "Välkomna", None), ("2", "Läget i skolorna", None), ("3", "Nästa möte", None)]
    assert _texts(text)[0] == "Ordföranden öppnar mötet"


def test_a_plain_numbered_title_still_wraps():
    text = (
        "Trygghetsrådet Mölndal\nDatum: 3 april 2025\n\n1. Yttrande över förslag till\n   detaljplan för Eken\n\n"
        "   Rådet tillstyrker förslaget.\n\n2. Lägesbild\n\n   Lugnt i centrum.\n\n3. Övriga frågor\n\n   Inga.\n"
    )
    assert _items(text, "t.txt", "txt")[0] == ("1", "Yttrande över förslag till detaljplan för Eken", None)


_RUN_IN = """# Trygghetsrådet Ale

Anteckningar 4 mars 2025

1. **Mötets öppnande.** Ordföranden öppnar mötet och hälsar alla välkomna.

2. **Lägesbild:** Polisen redogör för läget i kommunen under vintern.

3. **Övriga frågor** – Inga övriga frågor.
"""


def test_a_run_in_bold_title_heads_its_item_and_the_rest_of_the_line_is_its_text():
    assert _items(_RUN_IN) == [("1", "Mötets öppnande", None), ("2", "Lägesbild", None), ("3", "Övriga frågor", None)]
    assert _texts(_RUN_IN) == [
        "Ordföranden öppnar mötet och hälsar alla välkomna.",
        "Polisen redogör för läget i kommunen under vintern.",
        "Inga övriga frågor.",
    ]
    # A tight list of run-in lines is an agenda-like list: its text stays with the entries.
    tight = _RUN_IN.replace("\n\n2.", "\n2.").replace("\n\n3.", "\n3.")
    assert [t for t in _texts(tight)] == _texts(_RUN_IN)


def test_run_in_titles_with_long_text_set_apart_by_blank_lines_are_items():
    more = (" Inbrotten i fritidshus längs kusten har ökat, och skadegörelsen i centrum har minskat"
            " sedan belysningen byttes ut förra hösten.")
    text = _RUN_IN.replace("välkomna.", "välkomna." + more).replace("vintern.", "vintern." + more)
    assert _items(text) == [("1", "Mötets öppnande", None), ("2", "Lägesbild", None), ("3", "Övriga frågor", None)]


def test_run_in_titles_set_apart_by_blank_lines_outweigh_the_headings_around_them():
    # A loose list of run-in titles carries its text on its lines: no inner list (whose lines weigh
    # less) but the notes' own items, between a "## Anteckningar" heading and a "## Nästa möte" one.
    text = _RUN_IN.replace("Anteckningar 4 mars 2025\n", "Anteckningar 4 mars 2025\n\n## Deltagare\n\nAnna Berg, Per Ek\n\n## Anteckningar\n")
    text += "\n## Nästa möte\n\nDen 4 juni i kommunhuset.\n"
    assert [t for _, t, _ in _items(text)][:3] == ["Mötets öppnande", "Lägesbild", "Övriga frågor"]


def test_a_bold_word_opening_a_sentence_is_emphasis_not_a_title():
    text = (
        "# Trygghetsrådet Ale\n\n## Beslut\n\n"
        "1. **Budgeten** antas enligt förslaget.\n\n2. **Uppföljningen** sker i maj.\n\n"
        "3. **Rapporten** läggs till handlingarna.\n"
    )
    assert [n for n, _, _ in _items(text)] == [None]


_PLAIN = """Folkhälsorådet Härryda
Datum: 3 april 2025

1. Mötets öppnande
   Ordföranden öppnar mötet.

2. Lägesbild
   Polisen redogör för läget. Det har varit lugnt.

3. Budget för 2026
   Rådet beslutar att
   1. budgeten antas,
   2. uppföljning sker i maj.

4. Övriga frågor
   Inga.
"""


def test_a_plain_list_with_indented_text_and_points_inside_an_entry():
    # "Rådet beslutar att" opens the text (its sentence goes on below), and the indented points
    # 1.–2. inside entry 3 are not items.
    assert _items(_PLAIN, "t.txt", "txt") == [
        ("1", "Mötets öppnande", None), ("2", "Lägesbild", None),
        ("3", "Budget för 2026", None), ("4", "Övriga frågor", None),
    ]
    assert _texts(_PLAIN, "t.txt", "txt")[2].startswith("Rådet beslutar att")


def test_a_title_wrapped_in_its_block_is_still_joined():
    text = _PLAIN.replace("3. Budget för 2026\n   Rådet beslutar att", "3. Budget för\n   trygghetsarbetet 2026\n   Rådet beslutar att")
    assert _items(text, "t.txt", "txt")[2] == ("3", "Budget för trygghetsarbetet 2026", None)


_NESTED = """Trygghetsrådet Borås
Datum: 3 april 2025

1. Mötets öppnande
   Ordföranden öppnar mötet.

2. Budget för 2026
   Rådet föreslår:

   1. Budgeten antas.

   2. Uppföljning sker i maj.

3. Övriga frågor
   Inga.
"""


@pytest.mark.parametrize("text", [
    _NESTED,  # a loose inner list under a lead-in ending in a colon
    _NESTED.replace("   Rådet föreslår:\n\n", "").replace(".\n\n   2.", ".\n   2."),  # a tight one under the title
])
def test_points_indented_under_an_entry_are_not_items(text):
    assert _items(text, "t.txt", "txt") == [
        ("1", "Mötets öppnande", None), ("2", "Budget för 2026", None), ("3", "Övriga frågor", None),
    ]


def test_the_same_points_at_the_lists_own_indentation_are_a_list():
    # Without the indentation nothing sets them apart: the counting decides (no item is lost).
    flat = _NESTED.replace("   1. Budgeten", "1. Budgeten").replace("   2. Uppföljning", "2. Uppföljning")
    assert [n for n, _, _ in _items(flat, "t.txt", "txt")][-1] == "3"


def test_a_nested_bold_list_stays_inside_its_entry():
    text = (
        "# Trygghetsrådet Lerum\n\n1. **Mötets öppnande**\nOrdföranden öppnar mötet.\n\n"
        "2. **Budget**\nRådet beslutar:\n\n   1. **Budgeten antas**\n   2. **Uppföljning i maj**\n\n"
        "3. **Övriga frågor**\nInga.\n"
    )
    assert _items(text) == [("1", "Mötets öppnande", None), ("2", "Budget", None), ("3", "Övriga frågor", None)]


_SECTIONS = """# Trygghetsrådet Lerum

## Inledning

Ordföranden hälsar välkommen. Anteckningar förs av samordnaren.

## Budget för trygghetsarbetet

Rådet föreslår att kommunstyrelsen beslutar enligt följande.

1. **Budgeten för 2026 antas**
   Budgeten omfattar 400 000 kronor.

2. **Samordnaren får i uppdrag att följa upp**
   Uppföljningen redovisas i september.

## Övriga frågor

Inga övriga frågor.
"""


@pytest.mark.parametrize("text", [_SECTIONS, _SECTIONS.replace("**", "")])
def test_numbered_points_inside_a_markdown_section_stay_in_it(text):
    assert _items(text) == [
        (None, "Inledning", None), (None, "Budget för trygghetsarbetet", None), (None, "Övriga frågor", None),
    ]


def test_a_list_directly_under_its_heading_is_the_items_even_with_a_heading_after_it():
    text = (
        "# Trygghetsrådet Lerum\n\n## Deltagare\n\nAnna Berg, Per Ek\n\n## Anteckningar\n\n"
        "1. **Mötets öppnande**\n   Ordföranden öppnar mötet.\n\n2. **Lägesbild**\n   Lugnt i centrum.\n\n"
        "3. **Skolorna**\n   Rektorerna informerar.\n\n## Nästa möte\n\nDen 4 juni.\n"
    )
    assert [t for _, t, _ in _items(text)][:3] == ["Mötets öppnande", "Lägesbild", "Skolorna"]


def test_numbered_decision_points_in_bold_under_paragraph_headings_stay_inside():
    text = (
        "Kommunfullmäktige\n\n§ 39\tÅrsredovisning 2024\n\nBeslut\n\n"
        "1. **Årsredovisningen för 2024 godkänns.**\n\n2. **Ansvarsfrihet beviljas.**\n\n"
        "§ 40\tMotion om gatubelysning\n\nBeslut\n\n1. **Motionen avslås.**\n\n2. **Frågan utreds.**\n\n"
        "§ 41\tAvsägelse\n\nBeslut\n\nAvsägelsen godkänns.\n"
    )
    assert [n for n, _, _ in _items(text, "t.txt", "txt")] == ["§ 39", "§ 40", "§ 41"]

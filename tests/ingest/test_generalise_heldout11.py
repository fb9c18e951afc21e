"""Reader rules found on the eleventh held-out set (tests/data/heldout11), each on a small case of its own.

The set's misses were a layout with the title at the left and the § number right-aligned on the
same line, the title's wrapped words and the case number in the next row (title cut, or joined
with "Dnr …"); a kallelse whose "Föredragande: …" line ending in a long name was read as an
unfinished sentence, so the numbered row under it was dropped; a hard-wrapped text whose heading
took in the first line of its text; and three bodies no pattern knew (a utskott named with an
adjective, "Kommunstyrelsens allmänna utskott"; a compound on -direktionen, "Förbundsdirektionen";
a council named "X- och Y-rådet"). The rules are general and learnt from the document: the row
under a right-hand-§ heading whose right cell is a case number continues the title in its left
cell; a label line whose value ends in a capitalised word is a record, not a sentence; a plain
text's wrap width is read from its own lines, and a line whose next word would have fitted was
ended by the writer. Every test runs on invented text in other municipalities' shapes, never on
the held-out files, and each has a negative case.
"""

from __future__ import annotations

import pytest

from ingest.metadata import _is_body_line
from ingest.segment import segment
from radslag.types import Document


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(text: str, **kw):
    return [(i.number, i.title, i.dnr) for i in segment(_doc(text, **kw)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# Body names
# --------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Kommunstyrelsens allmänna utskott",
    "Socialnämndens sociala utskott",
    "Kommunstyrelsens tekniska beredning",
    "Förbundsdirektionen",
    "Regiondirektionen",
    "Kultur- och fritidsrådet",
    "Folkhälso- och trygghetsrådet",
])
def test_body_lines_in_new_shapes(line):
    assert _is_body_line(line)


@pytest.mark.parametrize("line", [
    "Kommunstyrelsens allmänna sammanträde",  # no council word at the end
    "Kommunstyrelsens beslut",
    "Bygg- och miljörådgivning",  # -råd inside a longer word
    "Direktionens beslut",
])
def test_body_line_negatives(line):
    assert not _is_body_line(line)


# --------------------------------------------------------------------------
# Title at the left, § at the right: the next row continues the title, its right cell the case number
# --------------------------------------------------------------------------


_TITLELEFT = (
    "Mönsterås kommun\tPROTOKOLL\n\n"
    "Val av justerare\t§ 3\n\nAnna Berg utses att justera.\n\n"
    "Val av ersättare i barn- och utbildningsnämnden efter\t§ 4\n\n"
    "Per Holm (M)\tDnr KS 2024/311\n\nBakgrund\n\nPer Holm har avsagt sig uppdraget.\n\n"
    "Val av revisor i Mönsteråsbostäder AB\t§ 5\n\nDnr KS 2024/312\n\nValberedningen föreslår Eva Ek.\n\n"
    "Avsägelse från uppdrag som ledamot i kommunens\t§ 6\n\n"
    "pensionärsråd\tDnr KS 2024/318\n\nAvsägelsen godkänns.\n\n"
    "Övriga frågor\t§ 7\n\nInga frågor.\n"
)


def test_title_row_below_a_right_hand_number():
    got = _items(_TITLELEFT)
    assert got == [
        ("§ 3", "Val av justerare", None),
        ("§ 4", "Val av ersättare i barn- och utbildningsnämnden efter Per Holm (M)", "KS 2024/311"),
        ("§ 5", "Val av revisor i Mönsteråsbostäder AB", "KS 2024/312"),
        ("§ 6", "Avsägelse från uppdrag som ledamot i kommunens pensionärsråd", "KS 2024/318"),
        ("§ 7", "Övriga frågor", None),
    ]


def test_title_row_below_negatives():
    # A row with no case number in its right cell, and a sentence in the left cell, stay text.
    text = (
        "Val av justerare\t§ 3\n\nAnna Berg utses att justera.\n\n"
        "Budget 2025\t§ 4\n\nNämnden beslutar.\tBilaga 1\n\n"
        "Taxa för vatten och avlopp 2025\t§ 5\n\nNämnden antar taxan för år 2025 enligt förvaltningens förslag och ger förvaltningen i"
        " uppdrag\tDnr KS 2024/9\n"
    )
    got = _items(text)
    assert got[1][:2] == ("§ 4", "Budget 2025")
    assert got[2][:2] == ("§ 5", "Taxa för vatten och avlopp 2025")


# --------------------------------------------------------------------------
# A label line ending in a name is a record, not a sentence that goes on into the next number
# --------------------------------------------------------------------------


_KALLELSE = (
    "Boxholms kommun\tKALLELSE\n\nKultur- och fritidsnämnden\n\nFöredragningslista\n\n"
    "1.\tMötets öppnande\n"
    "2.\tTaxor för badhuset 2026\tKFN 2025/12\n"
    "Föredragande: Verksamhetsutvecklare Karl-Johan Wik\n"
    "3.\tBidrag till studieförbunden\tKFN 2025/14\n"
    "Handläggare: Planarkitekt Sara Lindgren\n"
    "4.\tMeddelanden\n"
)


def test_numbered_row_under_a_label_line_ending_in_a_name():
    got = _items(_KALLELSE)
    assert [n for n, _, _ in got] == ["1", "2", "3", "4"]
    assert got[2] == ("3", "Bidrag till studieförbunden", "KFN 2025/14")


def test_a_sentence_ending_in_lower_case_still_continues():
    # "Beslut: … med" is a sentence going on: "5. …" under it opens no item.
    text = (
        "1. Mötets öppnande\n\nOrdföranden öppnar mötet.\n\n"
        "2. Avgifter\n\nBeslut: Nämnden beslutar att höja avgiften för simhallen med\n"
        "5. Procent räknat på dagens nivå enligt bilagan.\n\n"
        "3. Övrigt\n\nInget.\n"
    )
    got = _items(text)
    assert [n for n, _, _ in got] == ["1", "2", "3"]


# --------------------------------------------------------------------------
# Hard-wrapped plain text: a heading does not take in a line whose first word would have fitted
# --------------------------------------------------------------------------


_WRAPPED = (
    "HÖÖRS KOMMUN\nTrygghetsrådet\nMINNESANTECKNINGAR\n\n"
    "1) Mötets öppnande\n"
    "Ordföranden hälsar alla välkomna och öppnar mötet. Dagordningen godkänns\n"
    "utan ändringar.\n\n"
    "2) Lägesbild från räddningstjänsten och polisen\n"
    "Räddningstjänsten har under sommaren haft fler larm om bränder i naturen\n"
    "än normalt och har därför förstärkt beredskapen under helgerna i juli och\n"
    "augusti med en extra styrka i Höör och en i Tjörnarp under dagtid samt\n"
    "än normalt och polisen rapporterar att antalet anmälda stölder har ökat\n"
    "något jämfört med förra året.\n\n"
    "3) Trygghetsvandring i Tjörnarp och Sätofta\n"
    "Vandringen hölls i augusti och samlade ett trettiotal deltagare från byarna\n"
    "och från föreningslivet i kommunen.\n\n"
    "4) Övriga frågor\n"
    "Inga övriga frågor anmäldes och ordföranden tackar samtliga för ett gott\n"
    "samarbete under året som gått.\n"
)


def test_hard_wrapped_heading_keeps_its_own_line():
    got = _items(_WRAPPED)
    assert [t for _, t, _ in got] == [
        "Mötets öppnande",
        "Lägesbild från räddningstjänsten och polisen",
        "Trygghetsvandring i Tjörnarp och Sätofta",
        "Övriga frågor",
    ]


def test_a_wrapped_heading_in_hard_wrapped_text_is_joined():
    # Negative: a heading that filled its line (the next word would not fit) goes on below.
    text = _WRAPPED.replace(
        "3) Trygghetsvandring i Tjörnarp och Sätofta\n",
        "3) Trygghetsvandring i Tjörnarp och Sätofta tillsammans med polisen och\nräddningstjänsten\n\n",
    )
    got = _items(text)
    assert got[2][1] == "Trygghetsvandring i Tjörnarp och Sätofta tillsammans med polisen och räddningstjänsten"


def test_text_with_long_paragraph_lines_has_no_wrap_width():
    # Negative: unwrapped paragraphs (one line each) give no width; a two-line heading is joined.
    text = (
        "1) Mötets öppnande\nOrdföranden hälsar alla välkomna.\n\n"
        "2) Lägesbild från räddningstjänsten och\npolisen i kommunen\n\n"
        + "Räddningstjänsten har under sommaren haft fler larm om bränder i naturen än normalt. " * 3 + "\n\n"
        "3) Övriga frågor\nInga.\n"
    )
    got = _items(text)
    assert got[1][1] == "Lägesbild från räddningstjänsten och polisen i kommunen"

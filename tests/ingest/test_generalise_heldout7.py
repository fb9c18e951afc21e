"""Reader rules found on the seventh held-out set (tests/data/heldout7), each on a small case of its own.

The set's two misses were a kallelse whose agenda rows (a bare number, the title, a case-number
column) stand tight under the list heading with no header row, and a region's compact case numbers
(``Diarienummer RV250312``). The rules are general: an agenda-list run holding the rest of the
document outweighs the headings that only introduce it, a row may be numbered by a bare number in
such a run, a cell border is a tab or three spaces, and a register code glued to a run of digits is
a case number after a label or alone in its cell. Every test runs on invented text in other
municipalities' shapes, never on the held-out files, and each has a negative case.
"""

from __future__ import annotations

import pytest

from ingest.readers import read_document
from ingest.segment import segment
from ingest.segment.casenum import case_number_at_start, find_labelled, is_case_number_line
from radslag.types import Document


def _doc(text: str, source: str = "t.txt", **kw) -> Document:
    return Document(source=source, text=text, reader="txt", content_hash="x", **kw)


def _items(text: str, **kw):
    return [(i.number, i.title, i.dnr) for i in segment(_doc(text, **kw)) if i.heading_source != "preamble"]


# --------------------------------------------------------------------------
# Compact case numbers: a register code glued to one run of digits
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text,dnr,rest", [
    ("Diarienummer SN250044", "SN250044", ""),              # a label before the compact number
    ("Dnr: RS20250312 Årsredovisning", "RS20250312", "Årsredovisning"),
    ("Ärendenummer 240517", "240517", ""),                    # after a label the code may be missing
    ("TN20250019", "TN20250019", ""),                         # alone: a cell or a line of its own
    ("KS2025/0019", "KS2025/0019", ""),                        # the separated forms as before
    ("RS 2025-00312", "RS 2025-00312", ""),
    ("KS.2025.0019 Budget", "KS.2025.0019", "Budget"),          # a full stop after the register code
])
def test_a_compact_case_number_after_a_label_or_standing_alone(text, dnr, rest):
    assert case_number_at_start(text) == (dnr, rest)


@pytest.mark.parametrize("text", [
    "SN250044 Budget 2026",          # unlabelled and followed by words: maybe a code in a title
    "ISO14001",                      # too few digits for year and serial
    "SE556000123401",                # a VAT number: too many digits
    "Dnr 2024 års budget",           # a year alone after a label
    "Växel 021-17 30 00", "0157-43 00 00", "642 81 Flen", "85 000 kr", "Sida 2 av 3", "2025-04-14",
    "COVID19 i äldreomsorgen",
])
def test_plain_numbers_and_codes_in_words_are_no_compact_case_numbers(text):
    assert case_number_at_start(text)[0] is None and not is_case_number_line(text)
    assert find_labelled(text)[0] is None


def test_a_compact_case_number_under_the_title_belongs_to_the_heading():
    text = (
        "Region Exempel\nRegionfullmäktige – Protokoll\n\n"
        "§ 41\tDelårsrapport per augusti 2025\n\tDiarienummer RF250488\n\n"
        "Sammanfattning\n\nPrognosen visar ett underskott på 120 miljoner kronor.\n\n"
        "§ 42\tInvesteringsplan 2026–2028\n\tDnr RF250502\n\nSammanfattning\n\nPlanen omfattar 1 450 miljoner kronor.\n\n"
        "§ 43\tAnmälningsärenden\n\nSammanfattning\n\nTelefon 021-17 30 00 till växeln.\n"
    )
    assert _items(text) == [
        ("§ 41", "Delårsrapport per augusti 2025", "RF250488"),
        ("§ 42", "Investeringsplan 2026–2028", "RF250502"),
        ("§ 43", "Anmälningsärenden", None),
    ]
    # Unlabelled under a title and followed by words it is text, not the case number.
    code_in_text = "§ 1\tCertifiering\n\nIS0140010 Miljöledning införs under året.\n\n§ 2\tTaxa\n\nTaxan antas.\n"
    assert [d for _, _, d in _items(code_in_text)] == [None, None]


# --------------------------------------------------------------------------
# A kallelse: agenda rows tight under the list heading, no header row
# --------------------------------------------------------------------------

_KALLELSE_HEAD = (
    "Vara kommun\tKALLELSE\n\nKultur- och fritidsnämnden\tDatum 2025-04-28\n\n"
    "Kallelse till kultur- och fritidsnämnden\n\nTid\tTisdagen den 6 maj 2025 kl. 18.00\nPlats\tKommunhuset\n"
    "Ledamot som är förhindrad meddelar detta till sekreteraren och kallar själv in sin ersättare.\n\n"
)
_KALLELSE_TAIL = "\nAnna Berg (S), ordförande\nPer Ek, sekreterare\n"
_EXPECTED = [
    ("1", "Val av justerare", None),
    ("2", "Godkännande av dagordningen", None),
    ("3", "Verksamhetsberättelse 2024", "KFN 2025/14"),
    ("4", "Bidrag till föreningar", "KFN 2025/3"),
    ("5", "Meddelanden", None),
]


@pytest.mark.parametrize("rows", [
    # a number cell and a case-number column (a PDF table read with tabs)
    "1\tVal av justerare\n2\tGodkännande av dagordningen\n3\tVerksamhetsberättelse 2024\tKFN 2025/14\n"
    "4\tBidrag till föreningar\tKFN 2025/3\n5\tMeddelanden\n",
    # "1. Titel   KFN 2025/14" in a text file: the column border is three spaces
    "1. Val av justerare\n2. Godkännande av dagordningen\n3. Verksamhetsberättelse 2024   KFN 2025/14\n"
    "4. Bidrag till föreningar   KFN 2025/3\n5. Meddelanden\n",
    # a bare number set apart by spaces
    "1   Val av justerare\n2   Godkännande av dagordningen\n3   Verksamhetsberättelse 2024   KFN 2025/14\n"
    "4   Bidrag till föreningar   KFN 2025/3\n5   Meddelanden\n",
])
@pytest.mark.parametrize("list_heading", ["Föredragningslista\n\n", "Ärenden\n", ""])
def test_agenda_rows_without_a_header_row_are_the_items_of_a_kallelse(rows, list_heading):
    assert _items(_KALLELSE_HEAD + list_heading + rows + _KALLELSE_TAIL) == _EXPECTED


def test_bare_numbered_rows_without_case_numbers_and_with_a_compact_case_number_cell():
    rows = "1 Val av justerare\n2 Godkännande av dagordningen\n3 Verksamhetsberättelse 2024\n4 Meddelanden\n"
    assert [(n, t) for n, t, _ in _items(_KALLELSE_HEAD + "Föredragningslista\n\n" + rows + _KALLELSE_TAIL)] == [
        ("1", "Val av justerare"), ("2", "Godkännande av dagordningen"),
        ("3", "Verksamhetsberättelse 2024"), ("4", "Meddelanden"),
    ]
    compact = "1\tVal av justerare\n2\tÅrsredovisning 2024\tRV250312\n3\tMeddelanden\n"
    assert _items(_KALLELSE_HEAD + compact + _KALLELSE_TAIL) == [
        ("1", "Val av justerare", None), ("2", "Årsredovisning 2024", "RV250312"), ("3", "Meddelanden", None),
    ]


def test_a_kallelse_in_word_and_markdown_reads_its_rows_as_items(tmp_path):
    # The same shape through the readers: a Word table of rows (number, title, case-number cell) under a
    # bold list heading, and a Markdown list under "## Föredragningslista"; neither has a header row.
    import docx

    d = docx.Document()
    d.add_heading("Kallelse till miljönämnden", 1)
    d.add_paragraph("Tid: tisdag 13 maj 2025 kl. 09.00")
    d.add_paragraph("Föredragningslista").runs[0].bold = True
    table = d.add_table(rows=0, cols=3)
    for row in [("1", "Val av justerare", ""), ("2", "Tillsynsplan 2025", "MN 2025/7"),
                ("3", "Taxa för livsmedelskontroll", "MN2025/0019"), ("4", "Meddelanden", "")]:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    d.add_paragraph("Eva Lind, ordförande")
    d.save(tmp_path / "k.docx")
    md = tmp_path / "k.md"
    md.write_text(
        "# Kallelse till socialnämnden\n\n**Tid:** onsdag 7 maj 2025 kl. 13.00\n\n## Föredragningslista\n\n"
        "1. Val av justerare\n2. Ekonomisk uppföljning april 2025   SN 2025/41\n3. Delegationsbeslut\n\nVälkomna!\n",
        encoding="utf-8",
    )
    got = {p.suffix: [(i.number, i.title, i.dnr) for i in segment(read_document(p, p.name))]
           for p in (tmp_path / "k.docx", md)}
    assert got == {
        ".docx": [("1", "Val av justerare", None), ("2", "Tillsynsplan 2025", "MN 2025/7"),
                  ("3", "Taxa för livsmedelskontroll", "MN2025/0019"), ("4", "Meddelanden", None)],
        ".md": [("1", "Val av justerare", None), ("2", "Ekonomisk uppföljning april 2025", "SN 2025/41"),
                ("3", "Delegationsbeslut", None)],
    }


_NOTES = (
    "Exempelby kommun\nMinnesanteckningar Folkhälsorådet\n\nTid: onsdag 20 november 2024\n\n"
    "Lägesbild\n\nFolkhälsosamordnaren gick igenom drogvaneundersökningen för 2024.\n\n"
    "Psykisk hälsa bland unga\n\nUngdomsmottagningen har längre väntetider än tidigare.\n\n"
)


@pytest.mark.parametrize("inner", [
    "Övrigt\n\n1 Julfika\n2 Budget\n3 Nästa år\n4 Lokaler\n",
    "Övrigt\n\n1. Julfika\n2. Budget\n3. Nästa år\n4. Lokaler\n",
])
def test_a_short_numbered_list_below_topic_headings_stays_inside_the_last_topic(inner):
    # Two topics with text of their own stand above the list: they are the items, the list is text.
    titles = [t for _, t, _ in _items(_NOTES + inner)]
    assert titles[:2] == ["Lägesbild", "Psykisk hälsa bland unga"] and "Julfika" not in titles


def test_a_numbered_list_under_the_third_heading_of_notes_stays_inside_it():
    # Three headings above the list are more than a title and a list heading: topics of notes.
    text = (
        "# Trygghetsrådet\n\n## Lägesbild\n\nLugnt i centrum.\n\n## Skolstart\n\nPolisen finns vid skolorna.\n\n"
        "## Att göra\n\n1 Julfika\n2 Budget\n3 Nästa år\n4 Lokaler\n5 Belysning\n"
    )
    assert [t for _, t, _ in _items(text, source="t.md")] == ["Lägesbild", "Skolstart", "Att göra"]


def test_bare_numbers_are_list_rows_only_in_a_run_from_one():
    # Lines opening with a count ("2 Bilar …") do not start at 1: no list, the text stays whole.
    text = "Budget 2025\n\nInledning\n\nNämnden redovisar följande.\n\n2 Bilar köps in\n3 Hus renoveras\n4 Skolor byggs\n"
    assert [n for n, _, _ in _items(text)] == [None]

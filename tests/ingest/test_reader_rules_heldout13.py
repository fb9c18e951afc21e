"""Reader rules found on the thirteenth held-out set (tests/data/heldout13), each on invented text.

Every case here is made up in another municipality's words; none is taken from the held-out files.
Each rule has a negative case showing where it must not fire.
"""

from __future__ import annotations

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

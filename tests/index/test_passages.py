"""Splitting agenda items into token-bounded, overlapping passages."""

from __future__ import annotations

import pytest

from index.passages import split_item



SENTENCES = [
    "Kommunpolisen redogjorde för lägesbilden i centrum under sommaren.",
    "Skadegörelsen vid Kolbäcks skola har minskat sedan kamerorna sattes upp.",
    "Ungdomar som kör EPA-traktorer samlas på torget på fredagskvällarna.",
    "Fältgruppen har förstärkts med två personer fram till oktober.",
    "Trygghetsvandringen i Eriksberg genomfördes med tjugo deltagare.",
    "Föreningarna erbjuder lovaktiviteter för barn och unga i alla stadsdelar.",
]


def _long_item(paragraphs: int = 12) -> str:
    body = "\n\n".join(" ".join(SENTENCES[(i + j) % len(SENTENCES)] for j in range(5)) for i in range(paragraphs))
    return "§ 7 Lägesbild och trygghetsfrågor\n" + body


def _ntok(tokenizer, text):
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


@pytest.mark.slow  # uses the real e5 tokenizer
def test_short_item_is_one_passage_with_exact_offsets(e5_embedder):
    doc = "Protokoll\n\n§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n\n§ 2 Nästa"
    start = doc.index("§ 1")
    text = "§ 1 Mötets öppnande\nOrdföranden öppnade mötet."
    [p] = split_item(5, text, start, e5_embedder.tokenizer, 200, 40)
    assert (p.item_id, p.ordinal) == (5, 0)
    assert doc[p.start:p.end] == p.text == text


@pytest.mark.slow  # uses the real e5 tokenizer
def test_long_item_gives_overlapping_bounded_passages(e5_embedder):
    tok = e5_embedder.tokenizer
    prefix = "Rubrik på dokumentet\n\n"
    text = _long_item()
    doc = prefix + text + "\n\n§ 8 Övrigt"
    passages = split_item(9, text, len(prefix), tok, 120, 30)
    assert len(passages) >= 4
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    for p in passages:
        assert doc[p.start:p.end] == p.text
        assert _ntok(tok, p.text) <= 120 + 2  # window re-tokenised alone may gain a token or two
    for a, b in zip(passages, passages[1:]):
        assert b.start < a.end, "consecutive passages overlap"
        assert b.start > a.start
    assert passages[0].text.startswith("§ 7 Lägesbild")
    assert passages[-1].end == len(prefix) + len(text)
    # Cuts fall on sentence or paragraph ends, not inside words.
    assert all(p.text.rstrip()[-1] in ".!?" for p in passages[:-1])
    assert all(p.text[0].isupper() or p.text[0] == "§" for p in passages)


@pytest.mark.slow  # uses the real e5 tokenizer
def test_no_overlap_covers_text_once(e5_embedder):
    text = _long_item(8)
    passages = split_item(1, text, 0, e5_embedder.tokenizer, 100, 0)
    assert len(passages) > 2
    for a, b in zip(passages, passages[1:]):
        assert a.end <= b.start and text[a.end:b.start].strip() == ""


@pytest.mark.slow  # uses the real e5 tokenizer
def test_text_without_boundaries_is_cut_anyway(e5_embedder):
    text = "ord" * 2000  # one giant word
    passages = split_item(1, text, 10, e5_embedder.tokenizer, 64, 8)
    assert len(passages) > 5 and all(_ntok(e5_embedder.tokenizer, p.text) <= 70 for p in passages)
    assert passages[0].start == 10 and passages[-1].end == 10 + len(text)


@pytest.mark.slow  # uses the real e5 tokenizer
def test_blank_item_gives_no_passages(e5_embedder):
    assert split_item(1, "  \n ", 0, e5_embedder.tokenizer, 100, 10) == []


# -- what is embedded: the context line (fast, no model) -------------------------------------------


@pytest.mark.parametrize("dated", [True, False])
def test_embedding_texts_carry_meeting_and_item_context(tmp_path, dated):
    import datetime as dt

    from index.passages import embedding_texts, passage_context
    from index.store import Archive
    from radslag.types import AgendaItem, Document, MeetingMeta, Passage

    text = "5. Fokusgrupp motorburen ungdom\nGruppen har arbetat systematiskt.\nLångt senare: fortsatt arbete."
    meta = MeetingMeta(kind="minutes", body="Förebyggande rådet", municipality="Arboga",
                       date=dt.date(2021, 9, 15) if dated else None, year=2021)
    item = AgendaItem(number="5", title="Fokusgrupp motorburen ungdom", text=text[32:], start=32, end=len(text))
    with Archive(tmp_path / "a.sqlite") as arc:
        mid, _, _ = arc.write_document(Document("arboga.txt", text, "txt", "h"), meta, [item])
        (item_id,) = arc.item_ids(mid)
        first = Passage(item_id=item_id, ordinal=0, text="Fokusgrupp motorburen ungdom\nGruppen har arbetat systematiskt.",
                        start=3, end=70)
        later = Passage(item_id=item_id, ordinal=1, text="Långt senare: fortsatt arbete.", start=70, end=len(text))
        head, tail = embedding_texts(arc, [first, later])
        stored = arc.item(item_id)
    when = "2021-09-15" if dated else "2021"
    assert passage_context(stored) == f"Arboga Förebyggande rådet, {when}. 5 Fokusgrupp motorburen ungdom"
    # the first passage already begins with the title: the line gives only where and when
    assert head == f"Arboga Förebyggande rådet, {when}\n" + first.text
    assert tail == f"Arboga Förebyggande rådet, {when}. 5 Fokusgrupp motorburen ungdom\n" + later.text

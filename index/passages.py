"""Split agenda items into passages sized for the embedding model.

An item's text (its title prepended as the first line by the caller) is
tokenised once, with offsets. Short items become one passage; longer ones are
cut into overlapping windows of at most ``max_tokens`` tokens. Each cut is
placed at the strongest boundary (paragraph > line > sentence > clause > word)
in the second half of the window, and the next window starts at a boundary
inside the overlap zone, so passages begin and end on whole sentences where
the text allows it. Offsets are character offsets into ``Document.text``.
"""

from __future__ import annotations

from typing import Any

from radslag.types import Passage

_SENTENCE_END = ".!?…:;"


def _boundary_strength(text: str, prev_end: int, next_start: int) -> int:
    """Score the gap between two tokens: 4 paragraph, 3 line, 2 sentence, 1 clause, 0 word."""
    gap = text[prev_end:next_start]
    if gap.strip():
        return 0
    if "\n" in gap:
        return 4 if gap.count("\n") >= 2 else 3
    before = text[prev_end - 1] if prev_end > 0 else ""
    if before in _SENTENCE_END:
        return 2
    if before in ",–—)":
        return 1
    return 0


def split_item(
    item_id: int, text: str, start: int, tokenizer: Any, max_tokens: int, overlap: int
) -> list[Passage]:
    """Split one agenda item into passages.

    Args:
        item_id: The item's id in the archive.
        text: The item text (title as first line), a verbatim slice of
            ``Document.text`` beginning at ``start`` when offsets are to be exact.
        start: Offset of ``text`` in ``Document.text``.
        tokenizer: A Hugging Face fast tokenizer (offsets mapping needed).
        max_tokens: Most content tokens per passage, excluding the prompt and
            special tokens (the caller subtracts those from the model limit).
        overlap: Tokens shared by consecutive passages (approximate; snapped
            to a boundary).

    Returns:
        Passages in order, ``ordinal`` from 0; empty for blank text. For every
        passage ``text[p.start - start:p.end - start] == p.text``.
    """
    if not text.strip():
        return []
    max_tokens = max(int(max_tokens), 8)
    overlap = max(0, min(int(overlap), max_tokens // 2))
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    raw = list(enc["offset_mapping"])
    n = len(raw)
    if n <= max_tokens:
        s = len(text) - len(text.lstrip())
        e = len(text.rstrip())
        return [Passage(item_id=item_id, ordinal=0, text=text[s:e], start=start + s, end=start + e)]

    # Token spans trimmed of whitespace (Metaspace offsets include the space
    # before a word); whitespace-only tokens collapse to their end.
    ts = [0] * n
    te = [0] * n
    for i, (a, b) in enumerate(raw):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a == b:
            a = b = raw[i][1]
        ts[i], te[i] = a, b
    # score[i]: how good a cut before token i is; -1 inside a word.
    score = [-1] * (n + 1)
    for i in range(1, n):
        prev_end = max(te[i - 1], te[i - 2] if i >= 2 else 0)
        if ts[i] > prev_end:
            score[i] = _boundary_strength(text, prev_end, ts[i])

    def passage(ordinal: int, first: int, last: int) -> Passage:
        a, b = ts[first], max(te[first : last + 1])
        return Passage(item_id=item_id, ordinal=ordinal, text=text[a:b], start=start + a, end=start + b)

    passages: list[Passage] = []
    first = 0
    while True:
        hard = first + max_tokens
        if hard >= n:
            passages.append(passage(len(passages), first, n - 1))
            break
        # End: the strongest boundary in the second half of the window, latest wins.
        lo = first + max(1, max_tokens // 2)
        best, cut = -1, hard
        for i in range(hard, lo - 1, -1):
            if score[i] > best:
                best, cut = score[i], i
                if best == 4:
                    break
        passages.append(passage(len(passages), first, cut - 1))
        if overlap == 0:
            first = cut
            continue
        # Next start: inside the overlap zone, the earliest of the strongest boundaries.
        zone_lo = max(first + 1, cut - overlap)
        best, nxt = -1, zone_lo
        for i in range(zone_lo, cut):
            if score[i] > best:
                best, nxt = score[i], i
        first = nxt
    return passages


# -- what the embedding model sees --------------------------------------------------------------

#: Version of the text embedded for a passage; part of the embedder's
#: fingerprint (:data:`index.embeddings.PASSAGE_FORMAT`), so an index embedded
#: under another format is refused with "run radslag reindex", never mixed.
#: ``ctx1``: a context line (municipality, body, date, item title) + the passage.
PASSAGE_FORMAT = "ctx1"


def passage_context(item: Any, with_title: bool = True) -> str:
    """The context line embedded before each passage of ``item``.

    ``"<municipality> <body>, <date>. <number> <title>"`` from the item's
    meeting, whatever of it is known (an item read from a file without a
    body or date simply has a shorter line). A passage alone ("Gruppen har
    arbetat systematiskt ...") does not say what it is about or where; the
    meeting and item title do, as a whole-document vector would.
    ``with_title=False`` leaves out the number and title.
    """
    where = " ".join(x for x in (getattr(item, "municipality", None), getattr(item, "body", None)) if x)
    when = getattr(item, "date", None) or (str(item.year) if getattr(item, "year", None) else "")
    head = ", ".join(x for x in (where, when) if x)
    title = ""
    if with_title:
        title = " ".join(x for x in (getattr(item, "number", None), getattr(item, "title", None)) if x)
    return ". ".join(x for x in (head, title) if x)


def embedding_text(text: str, context: str) -> str:
    """A passage as embedded: its context line, then the passage text."""
    if not context:
        return text
    return f"{context}\n{text}"


def embedding_texts(archive: Any, passages: list[Passage]) -> list[str]:
    """The texts to embed for stored ``passages`` (each with its item's context line).

    The item title is left out of the line when the passage already begins
    with it (an item's first passage holds its title), so it is not counted
    twice.
    """
    ids = sorted({p.item_id for p in passages})
    items = {it.id: it for it in archive.items(item_ids=ids, enrichment=False)} if ids else {}
    out = []
    for p in passages:
        item = items.get(p.item_id)
        if item is None:
            out.append(p.text)
            continue
        title = (item.title or "").strip()
        context = passage_context(item, with_title=not (title and p.text.lstrip().startswith(title)))
        out.append(embedding_text(p.text, context))
    return out


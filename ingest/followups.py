"""Follow-ups (uppföljningar): commitments made in a meeting and whether they were answered.

Detection is rule based: the item text is split into sentences and a sentence
is a follow-up when one of the cue patterns in ``ingest/data/followups.yaml``
matches and no exclusion pattern does ("Vi tar med oss frågan", "Kommunchefen
Carin Becker ska undersöka detta närmare och återkoppla", "Nämnden ger
förvaltningen i uppdrag att …"). From the sentence we extract *who* (the
actor: a person, role, organisation or "vi"), *what* (the commitment clause)
and *due* (a deadline when stated: "till nästa möte", "i oktober", a date).

Answered-ness: a follow-up is ``besvarad`` (answered) when an item in a later
meeting of the same body (same body and municipality, compared case-folded)

1. covers the commitment lexically: the idf-weighted share of the content
   terms of *what* (or of *what* plus the preceding context sentence,
   whichever covers more) that occur in the later item is at least
   :data:`LEXICAL_THRESHOLD` with at least :data:`MIN_SHARED_TERMS` shared
   terms, or
2. is the direct successor of the follow-up's item in an issue thread
   (``thread_links``) *and* covers it at least :data:`THREAD_LEXICAL_THRESHOLD`
   (a thread link alone only says the issue came back, not that the
   promise was kept), or
3. is close in embedding space: cosine between the commitment (query
   embedding) and the item vector is at least :data:`DENSE_THRESHOLD` (only
   when item vectors are given or an embedder can be loaded).

The first later meeting with such an item answers the follow-up and that item
is recorded. Otherwise the status is ``öppen``. Follow-ups in undated
meetings stay ``öppen`` because "later" cannot be decided.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "followups.yaml"
#: Cues whose sentences are passive: the actor is not named.
_PASSIVE_CUES = {"utskick", "aterrapporteras"}

STATUS_OPEN = "öppen"
STATUS_ANSWERED = "besvarad"

#: Minimum idf-weighted coverage of the commitment's content terms in a later item.
LEXICAL_THRESHOLD = 0.45
#: Lower coverage that suffices when the later item is the direct thread successor.
THREAD_LEXICAL_THRESHOLD = 0.30
#: Minimum number of shared content terms for a lexical answer.
MIN_SHARED_TERMS = 2
#: Minimum cosine between the commitment embedding and a later item vector.
DENSE_THRESHOLD = 0.86


# A small Swedish stop list for the lexical answer test (analysed forms are
# compared, so the list is analysed too when used).
_STOPWORDS = """
att och det som en ett är av för på med till i om har de den var vi kan ska sig så inte men
från eller när man också även detta dessa där här hur vad vilka vilken alla andra efter
under vid nu då mer mycket många lite bara kommer komma tar ta oss sin sina deras dom
fråga frågan frågor möte mötet nästa återkoppla återkopplar återkommer undersöka närmare
tas tog skickar vidare organisationen gör göra blir bli varit vara finns fick få
""".split()


@dataclass
class FollowUp:
    """A commitment found in an agenda item's text.

    Attributes:
        who: The actor ("Kommunchefen Carin Becker", "Polisen", "vi",
            "förvaltningen"), or None when the sentence is passive.
        what: The commitment clause.
        due: The deadline phrase when stated ("till nästa möte", "i oktober").
        sentence: The whole sentence, whitespace collapsed.
        start: Offset of the sentence in the text given to :func:`detect_followups`.
        end: End offset of the sentence.
        cue: Id of the cue pattern that matched.
        context: The preceding sentence in the same paragraph (often names
            what "frågan" or "detta" refers to).
    """

    who: str | None
    what: str
    due: str | None
    sentence: str
    start: int
    end: int
    cue: str = ""
    context: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- cue data ---------------------------------------------------------------------


@dataclass
class _Rules:
    cues: list[tuple[str, re.Pattern[str]]]
    exclude: list[re.Pattern[str]]
    subject_verbs: re.Pattern[str]
    non_subjects: set[str]
    pronoun_actors: set[str]
    due: list[re.Pattern[str]]


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> _Rules:
    """Load and compile the cue-phrase file (cached)."""
    data = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    flags = re.IGNORECASE | re.UNICODE
    return _Rules(
        cues=[(c["id"], re.compile(c["pattern"], flags)) for c in data["cues"]],
        exclude=[re.compile(p, flags) for p in data.get("exclude", [])],
        subject_verbs=re.compile(r"\b" + data["subject_verbs"] + r"\b", flags),
        non_subjects={w.casefold() for w in data.get("non_subjects", [])},
        pronoun_actors={w.casefold() for w in data.get("pronoun_actors", [])},
        due=[re.compile(p, flags) for p in data.get("due", [])],
    )


# -- sentence splitting -------------------------------------------------------------

_PARA_BREAK = re.compile(r"\n[ \t\u00a0]*\n|\n(?=[ \t\u00a0]*(?:[-•*▪–]|\d+\.)\s)")
_SENT_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[\"“«(]?[A-ZÅÄÖÉ])")
_BULLET = re.compile(r"^\s*(?:[-•*▪–]|\*\*)\s*")


@dataclass
class Sentence:
    """A sentence with offsets into the source text."""

    text: str
    start: int
    end: int
    paragraph: int
    bullet: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split minutes text into sentences with offsets.

    Paragraph breaks (blank lines, also lines holding only spaces) and bullet
    lines always end a sentence; inside a paragraph, sentences end at ``.``,
    ``!``, ``?`` followed by space and a capital letter. Single line breaks
    inside a paragraph are joined (PDF text breaks lines mid-sentence).
    """
    out: list[Sentence] = []
    para_start = 0
    paragraph = 0
    bounds = [m.start() for m in _PARA_BREAK.finditer(text)] + [len(text)]
    for bound in bounds:
        chunk = text[para_start:bound]
        bullet = bool(_BULLET.match(chunk.lstrip("\n")))
        pos = 0
        pieces = []
        for m in _SENT_END.finditer(chunk):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(chunk)))
        for s, e in pieces:
            raw = chunk[s:e]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            start = para_start + s + lead
            end = start + len(stripped)
            clean = " ".join(_BULLET.sub("", stripped).replace("**", "").split())
            if not clean:
                continue
            if out and s == 0 and not bullet and clean[0].islower() and not out[-1].bullet:
                # A paragraph starting in lower case continues the previous
                # sentence (a PDF page or column break, not a new paragraph).
                prev = out[-1]
                out[-1] = Sentence(f"{prev.text} {clean}", prev.start, end, prev.paragraph, prev.bullet)
                continue
            out.append(Sentence(clean, start, end, paragraph, bullet))
        para_start = bound
        paragraph += 1
    return out


# -- detection ----------------------------------------------------------------------


def _clean_clause(text: str) -> str:
    return text.strip(" \t:;,.").strip()


def _find_who(sentence: str, rules: _Rules) -> tuple[str | None, int]:
    """Return ``(actor, offset where the commitment clause starts)``."""
    verb = rules.subject_verbs.search(sentence)
    if verb is not None:
        prefix = sentence[: verb.start()].strip(" -–•,")
        words = prefix.split()
        if words and words[0].casefold() not in rules.non_subjects and words[0].casefold() not in ("en", "ett"):
            if " som " in f" {prefix} ":
                prefix = prefix.split(" som ")[0].strip()
                words = prefix.split()
            if 0 < len(words) <= 6:
                return prefix, verb.start()
        # Inverted word order: "Detta tar vi med oss", "På nästa möte ska deltagarna".
        after = sentence[verb.end() :].split()
        if after and after[0].casefold().strip(",.") in rules.pronoun_actors:
            return after[0].strip(",.").lower() if after[0].casefold() in ("vi", "dom", "de") else after[0].strip(",."), 0
    m = re.search(r"\bvi\b", sentence, re.IGNORECASE)
    if m:
        return "vi", 0
    return None, 0


def _find_due(sentence: str, rules: _Rules) -> str | None:
    for pattern in rules.due:
        m = pattern.search(sentence)
        if m:
            return m.group().strip()
    return None


def detect_followups(text: str, rules_path: str | None = None) -> list[FollowUp]:
    """Find commitments in an agenda item's text.

    Args:
        text: The item text (or any minutes text).
        rules_path: Another cue-phrase file (tests, other languages).

    Returns:
        Follow-ups in text order; offsets refer to ``text``.
    """
    rules = load_rules(rules_path)
    sentences = split_sentences(text)
    found: list[FollowUp] = []
    consumed: set[int] = set()
    for idx, sent in enumerate(sentences):
        if idx in consumed:
            continue
        s = sent.text
        if any(p.search(s) for p in rules.exclude):
            continue
        match = None
        cue_id = ""
        for cid, pattern in rules.cues:
            match = pattern.search(s)
            if match:
                cue_id = cid
                break
        if match is None:
            continue
        groups = match.groupdict()
        who: str | None = None
        clause_start = 0
        if groups.get("who"):
            who = _clean_clause(groups["who"])
        else:
            who, clause_start = _find_who(s, rules)
        if cue_id in _PASSIVE_CUES:
            who = None  # "En inbjudan kommer att skickas ut", "… ska återrapporteras"
        if who and who.casefold() in ("vi", "dom", "de"):
            who = who.casefold()
        if groups.get("what") is not None and cue_id in ("uppdrag", "uppdrar_at"):
            what = _clean_clause(groups["what"])
        else:
            what = _clean_clause(s[clause_start:]) if clause_start else _clean_clause(s)
        if not what or len(what.split()) < 2:
            # "… ger förvaltningen i uppdrag att:" followed by a bullet list.
            following = []
            for j in range(idx + 1, min(idx + 8, len(sentences))):
                if not sentences[j].bullet:
                    break
                following.append(sentences[j].text)
                consumed.add(j)
            what = _clean_clause(" ".join(following)) or _clean_clause(s)
        context = ""
        if idx > 0 and sentences[idx - 1].paragraph >= sent.paragraph - 1:
            context = sentences[idx - 1].text
        found.append(
            FollowUp(
                who=who,
                what=what,
                due=_find_due(s, rules),
                sentence=s,
                start=sent.start,
                end=sent.end,
                cue=cue_id,
                context=context,
            )
        )
    return found


# -- storage ------------------------------------------------------------------------


def _analyzed_terms(text: str) -> list[str]:
    from index.keyword import analyze

    stop = _stop_terms()
    return [t for t in analyze(text).split() if t not in stop and len(t) > 2 and not t.isdigit()]


@lru_cache(maxsize=1)
def _stop_terms() -> frozenset[str]:
    from index.keyword import analyze

    return frozenset(analyze(" ".join(_STOPWORDS)).split())


def _same_body_key(row: dict[str, Any]) -> tuple[str, str]:
    return ((row.get("body") or "").casefold().strip(), (row.get("municipality") or "").casefold().strip())


def _thread_successors(archive, item_id: int) -> set[int]:
    """Items directly linked from ``item_id`` in a thread (empty when threads are not built)."""
    try:
        rows = archive.conn.execute(
            "SELECT dst_item_id FROM thread_links WHERE src_item_id = ?", (item_id,)
        ).fetchall()
    except Exception:  # threads table absent
        return set()
    return {r[0] for r in rows}


def assess(
    archive,
    settings=None,
    *,
    vectors: dict[int, Any] | None = None,
    meeting_ids: list[int] | None = None,
    lexical_threshold: float = LEXICAL_THRESHOLD,
    dense_threshold: float = DENSE_THRESHOLD,
    embed: bool = False,
) -> list[dict[str, Any]]:
    """Detect follow-ups and decide whether each was answered, without storing.

    Args:
        archive: The open archive.
        settings: Settings (used only when ``embed`` is true).
        vectors: Precomputed item vectors (L2-normalised) by item id. The
            embedding test runs only when these are given and ``embed`` is
            true (the commitment itself must be embedded with the same
            model); otherwise only the thread and lexical tests run.
        meeting_ids: Restrict detection to these meetings (answers may come
            from any later meeting of the same body).
        lexical_threshold: See :data:`LEXICAL_THRESHOLD`.
        dense_threshold: See :data:`DENSE_THRESHOLD`.
        embed: Embed commitments with ``index.embeddings.load_embedder``.

    Returns:
        One dict per follow-up with the :class:`FollowUp` fields plus
        ``item_id``, ``meeting_id``, ``ordinal``, ``date``, ``body``,
        ``municipality``, ``source``, ``item_title``, ``status``,
        ``answered_by_item_id``, ``answered_date``, ``answered_reason`` and
        ``answered_score``.
    """
    if meeting_ids is None:
        items = archive.items()
    else:
        # Only the bodies of the wanted meetings matter (answers come from the same body).
        keys = {
            (r[0], r[1])
            for r in archive.conn.execute(
                "SELECT coalesce(body, ''), coalesce(municipality, '') FROM meetings"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(meeting_ids)),),
            )
        }
        mids = [
            r[0]
            for r in archive.conn.execute("SELECT id, coalesce(body, ''), coalesce(municipality, '') FROM meetings")
            if (r[1], r[2]) in keys
        ]
        items = [i for mid in mids for i in archive.items(meeting_id=mid)]
    by_body: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in items:
        by_body.setdefault(_same_body_key(row), []).append(row)
    wanted = set(meeting_ids) if meeting_ids is not None else None

    # Document frequencies per body for idf weighting.
    terms_of: dict[int, set[str]] = {}
    df_by_body: dict[tuple[str, str], Counter] = {}
    for key, rows in by_body.items():
        df: Counter = Counter()
        for row in rows:
            terms = set(_analyzed_terms(f"{row['title']}\n{row['text']}"))
            terms_of[row["id"]] = terms
            df.update(terms)
        df_by_body[key] = df

    embedder = None
    if embed and vectors is not None:
        try:
            from index.embeddings import load_embedder

            embedder = load_embedder(settings)
        except Exception:  # noqa: BLE001 - the dense test is optional
            embedder = None

    results: list[dict[str, Any]] = []
    for row in items:
        if wanted is not None and row["meeting_id"] not in wanted:
            continue
        fus = detect_followups(row["text"])
        if not fus:
            continue
        key = _same_body_key(row)
        later = [r for r in by_body[key] if row["date"] and r["date"] and r["date"] > row["date"]]
        later.sort(key=lambda r: (r["date"], r["meeting_id"], r["ordinal"]))
        threaded = _thread_successors(archive, row["id"])
        df = df_by_body[key]
        n_docs = max(1, len(by_body[key]))
        qvecs = None
        if embedder is not None and later:
            qvecs = embedder.encode_queries([f"{f.context} {f.what}".strip() for f in fus])
        for ordinal, fu in enumerate(fus):
            rec = fu.to_json()
            rec.update(
                item_id=row["id"],
                meeting_id=row["meeting_id"],
                ordinal=ordinal,
                date=row["date"],
                body=row["body"],
                municipality=row["municipality"],
                source=row["source"],
                item_title=row["title"],
                status=STATUS_OPEN,
                answered_by_item_id=None,
                answered_date=None,
                answered_reason=None if row["date"] else "odaterat möte (undated meeting)",
                answered_score=None,
            )
            # Two views of the commitment: its own clause, and the clause with
            # the preceding sentence ("Vi tar med oss frågan" needs context).
            views = [set(_analyzed_terms(fu.what)), set(_analyzed_terms(f"{fu.context} {fu.what}"))]
            views = [v for v in views if v]
            q_terms = set().union(*views) if views else set()
            weight = {t: math.log((n_docs + 1) / (df.get(t, 0) + 0.5)) for t in q_terms}
            best: tuple[str, float, dict[str, Any], str] | None = None
            for cand in later:
                if best is not None and cand["meeting_id"] != best[2]["meeting_id"]:
                    break  # the first answering meeting wins
                scores: list[tuple[float, str, float]] = []
                cand_terms = terms_of.get(cand["id"], set())
                for view in views:
                    shared = view & cand_terms
                    coverage = sum(weight[t] for t in shared) / (sum(weight[t] for t in view) or 1.0)
                    if len(shared) >= MIN_SHARED_TERMS and coverage >= lexical_threshold:
                        scores.append((coverage, f"ordlikhet {coverage:.2f}", coverage))
                    elif cand["id"] in threaded and coverage >= THREAD_LEXICAL_THRESHOLD:
                        scores.append((coverage, f"trådlänk + ordlikhet {coverage:.2f}", coverage))
                if qvecs is not None and vectors and cand["id"] in vectors:
                    cos = float(qvecs[ordinal] @ vectors[cand["id"]])
                    if cos >= dense_threshold:
                        scores.append((cos, f"likhet {cos:.2f}", cos))
                if scores:
                    top = max(scores)
                    if best is None or top[0] > best[1]:
                        best = (top[1], top[0], cand, top[1])
                        best_score = top[2]
            if best is not None:
                rec.update(
                    status=STATUS_ANSWERED,
                    answered_by_item_id=best[2]["id"],
                    answered_date=best[2]["date"],
                    answered_reason=best[0],
                    answered_score=round(best_score, 4),
                )
            results.append(rec)
    return results


def build_followups(archive, settings=None, vectors: dict[int, Any] | None = None) -> int:
    """Detect all follow-ups, decide their status and store them.

    Replaces the contents of the ``followups`` table in one transaction.
    Build threads first (:func:`index.threads.build_threads`) so thread links
    count as answers.

    Returns:
        The number of follow-ups stored.
    """
    rows = assess(archive, settings, vectors=vectors, embed=vectors is not None and settings is not None)
    with archive.transaction() as c:
        c.execute("DELETE FROM followups")
        c.executemany(
            "INSERT INTO followups(item_id, meeting_id, ordinal, who, what, due, sentence, start, end, cue,"
            " context, status, answered_by_item_id, answered_reason, answered_score)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    r["item_id"], r["meeting_id"], r["ordinal"], r["who"], r["what"], r["due"], r["sentence"],
                    r["start"], r["end"], r["cue"], r["context"], r["status"], r["answered_by_item_id"],
                    r["answered_reason"], r["answered_score"],
                )
                for r in rows
            ],
        )
    return len(rows)


def followups(
    archive,
    body: str | None = None,
    status: str | None = None,
    *,
    municipality: str | None = None,
    since: str | None = None,
    until: str | None = None,
    meeting_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Read stored follow-ups with their meeting, oldest first.

    Args:
        archive: The open archive.
        body: Case-insensitive substring of the body (as in ``Archive.meetings``).
        status: ``öppen`` or ``besvarad`` (``open``/``answered`` accepted too).
        municipality, since, until: Meeting filters.
        meeting_ids: Only follow-ups made in these meetings.
    """
    status = {"open": STATUS_OPEN, "answered": STATUS_ANSWERED, "oppen": STATUS_OPEN}.get(status or "", status)
    from index.store import meeting_filters

    where_sql, args = meeting_filters(body=body, municipality=municipality, since=since, until=until)
    where = [where_sql]
    if status:
        where.append("f.status = ?")
        args.append(status)
    if meeting_ids is not None:
        ids = list(meeting_ids) or [-1]
        where.append(f"f.meeting_id IN ({','.join('?' * len(ids))})")
        args.extend(ids)
    rows = archive.conn.execute(
        "SELECT f.*, m.date, m.body, m.municipality, d.source, i.title AS item_title, i.number AS item_number,"
        " (SELECT m2.date FROM items i2 JOIN meetings m2 ON m2.id = i2.meeting_id"
        "   WHERE i2.id = f.answered_by_item_id) AS answered_date"
        " FROM followups f JOIN items i ON i.id = f.item_id JOIN meetings m ON m.id = f.meeting_id"
        " JOIN documents d ON d.id = m.document_id"
        f" WHERE {' AND '.join(where)} ORDER BY m.date IS NULL, m.date, f.meeting_id, i.ordinal, f.ordinal",
        args,
    ).fetchall()
    return [dict(r) for r in rows]


def has_followups(archive) -> bool:
    """Whether the followups table exists and has rows."""
    try:
        return archive.conn.execute("SELECT 1 FROM followups LIMIT 1").fetchone() is not None
    except Exception:  # noqa: BLE001 - table absent
        return False


__all__ = [
    "FollowUp",
    "STATUS_OPEN",
    "STATUS_ANSWERED",
    "assess",
    "build_followups",
    "detect_followups",
    "followups",
    "has_followups",
    "split_sentences",
]

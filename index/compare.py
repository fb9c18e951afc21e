"""Compare municipalities: how often a topic comes up in a council, against councils of its kind elsewhere.

"Sticker Hallstahammars kommun ut på något sätt om man jämför med andra
kommuner?" For one topic, every council gets, per year and over all years:

* the share of its **meetings** at which the topic came up (at least one
  agenda item tagged with it), and
* the share of its **agenda items** tagged with it,

each with a 95 % Wilson score interval (:func:`wilson`). Each council is set
against the pooled councils of the **same kind in other municipalities**
over the same years (kinds: ``index/data/council_kinds.yaml``; a council of
no listed kind is compared with councils of the same normalised name).

The verdict uses meetings, not items: items of one meeting are not
independent draws (one long discussion splits into several items), meetings
roughly are. A council "comes up more often" only when its whole interval
lies above the peers' interval (and "less often" below); overlapping
intervals are "no clear difference". With fewer than :data:`MIN_MEETINGS`
meetings on either side the answer is, plainly, that the archive holds too
few meetings to compare. Non-overlap of two 95 % intervals is a cautious
rule (it errs towards "no clear difference"), which suits small archives.

Only meetings of ``kind`` (minutes by default: news items and citizen
promises are not meetings) with a known year count; undated ones are
reported in a note.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import yaml

from index.store import Archive
from radslag.councils import council_key, normal_body, split_key
from radslag.errors import RadslagError
from radslag.i18n import t
from radslag.taxonomy import load_taxonomy
from radslag.types import Filters

#: z of a two-sided 95 % interval.
Z95 = 1.959963984540054
#: Fewest meetings (of a council, or of its peers, in a row's period) for a verdict.
MIN_MEETINGS = 4
#: Verdicts (``CompareRow.verdict``).
VERDICTS = ("more", "less", "same", "few", "few_peers", "no_peers_year", "no_peers")
KINDS_FILE = Path(__file__).parent / "data" / "council_kinds.yaml"
#: ``CompareRow.year`` of the row over all years.
ALL_YEARS = None


# -- the interval -----------------------------------------------------------------------


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion ``successes / n``.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the
    plain ``p ± z·sqrt(p(1-p)/n)`` it stays within 0..1 and is not empty at
    0 of n or n of n, which matters for a council with a handful of meetings.

    Returns:
        ``(low, high)``, or None when ``n`` is 0 (nothing to estimate).

    Raises:
        ValueError: When ``successes`` is outside ``0..n``.

    Example:
        >>> [round(x, 4) for x in wilson(81, 263)]  # Newcombe (1998), table I
        [0.2553, 0.3662]
    """
    if n == 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} outside 0..{n}")
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # clamp rounding noise at the ends (0 of n gives exactly 0 in exact arithmetic)
    return max(0.0, centre - half), min(1.0, centre + half)


# -- kinds of council -------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilKind:
    """A kind of council (``index/data/council_kinds.yaml``), or one normalised body name."""

    id: str
    sv: str
    en: str
    words: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


@lru_cache(maxsize=1)
def council_kinds() -> tuple[CouncilKind, ...]:
    """The kinds listed in the data file, in order."""
    data = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))
    return tuple(CouncilKind(k["id"], k["sv"], k["en"], tuple(w.casefold() for w in k["words"]))
                 for k in data["kinds"])


def kind_of(body: str | None, municipality: str | None = None) -> CouncilKind:
    """The kind of a council from its body name: the first listed kind one of whose
    words begins a word of the normalised name, else the normalised name itself."""
    name = normal_body(body, municipality)
    words = name.split()
    for kind in council_kinds():
        if any(w.startswith(prefix) for w in words for prefix in kind.words):
            return kind
    return CouncilKind(f"body:{name}", name or "–", name or "–")


# -- the comparison ---------------------------------------------------------------------


@dataclass
class Share:
    """``successes`` of ``n`` with its share and 95 % Wilson interval (None when n is 0)."""

    successes: int
    n: int
    share: float | None = None
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, successes: int, n: int) -> "Share":
        interval = wilson(successes, n)
        if interval is None:
            return cls(successes, n)
        return cls(successes, n, successes / n, *interval)


@dataclass
class CompareRow:
    """One council in one year (``year`` None: all years of the comparison) against its peers.

    Attributes:
        council: The council's key (``hallstahammar/trygghetsråd``); ``name`` as shown.
        kind, kind_label: Its kind and the kind's label.
        meetings: Meetings at which the topic came up, of the meetings held.
        items: Items tagged with the topic, of all items.
        peers: Councils of the same kind in other municipalities with meetings in the period.
        peer_meetings, peer_items: The same shares pooled over those councils.
        verdict: One of :data:`VERDICTS` (on meetings).
        min_meetings: Fewest meetings on either side the verdict asked for.
    """

    council: str
    name: str
    municipality: str | None
    body: str | None
    kind: str
    kind_label: str
    year: int | None
    meetings: Share
    items: Share
    peers: list[str] = field(default_factory=list)
    peer_meetings: Share = field(default_factory=lambda: Share(0, 0))
    peer_items: Share = field(default_factory=lambda: Share(0, 0))
    verdict: str = "no_peers"
    min_meetings: int = MIN_MEETINGS

    def flat(self) -> dict[str, Any]:
        """One flat record (CSV/JSON): shares rounded to 4 decimals."""
        out: dict[str, Any] = {k: getattr(self, k) for k in
                               ("council", "name", "municipality", "body", "kind", "kind_label", "year")}
        for prefix, share in (("meetings", self.meetings), ("items", self.items),
                              ("peer_meetings", self.peer_meetings), ("peer_items", self.peer_items)):
            out[f"{prefix}_topic"] = share.successes
            out[f"{prefix}_total"] = share.n
            for part in ("share", "low", "high"):
                value = getattr(share, part)
                out[f"{prefix}_{part}"] = None if value is None else round(value, 4)
        out["peers"] = self.peers
        out["verdict"] = self.verdict
        return out


@dataclass
class Comparison:
    """The answer of :func:`compare`.

    Attributes:
        topic, topic_label: The topic compared.
        rows: Councils in focus, each year then all years, by kind and name.
        notes: What the user should know (undated meetings left out, no tags yet, ...).
        kind: The document kind counted as meetings (None: every kind).
        min_meetings: Fewest meetings on either side for a verdict.
    """

    topic: str
    topic_label: str
    lang: str
    rows: list[CompareRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kind: str | None = "minutes"
    min_meetings: int = MIN_MEETINGS

    def rule(self) -> str:
        """How the comparison is made, in one paragraph of plain words."""
        return t("w_cmp_rule", self.lang, n=self.min_meetings)

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "topic_label": self.topic_label, "kind": self.kind,
                "min_meetings": self.min_meetings, "rule": self.rule(), "notes": self.notes,
                "rows": [r.flat() | {"verdict_text": verdict_text(r, self.lang)} for r in self.rows]}

    def to_csv(self, out: TextIO | None = None, sep: str = ",") -> str:
        """CSV of the flat rows (peers as a JSON list, the verdict in words too); returned and written to ``out``."""
        from index.export import safe_cell

        buf = io.StringIO()
        rows = [r.flat() | {"verdict_text": verdict_text(r, self.lang)} for r in self.rows]
        columns = list(rows[0]) if rows else list(CompareRow("", "", None, None, "", "", None, Share(0, 0),
                                                                     Share(0, 0)).flat()) + ["verdict_text"]
        writer = csv.DictWriter(buf, fieldnames=columns, delimiter=sep, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: safe_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
                             for k, v in r.items()})
        text = buf.getvalue()
        if out is not None:
            out.write(text)
        return text


def _topic(topic: str, lang: str) -> tuple[str, str]:
    """(id, label) of a topic given by id or label."""
    wanted = (topic or "").strip().casefold()
    for tp in load_taxonomy():
        if wanted in (tp.id.casefold(), tp.label("sv").casefold(), tp.label("en").casefold()):
            return tp.id, tp.label(lang)
    known = ", ".join(tp.id for tp in load_taxonomy())
    raise RadslagError(t("w_cmp_err_topic", lang, topic=topic, known=known))


def _verdict(own: Share, peers: Share, n_peers: int, n_kind: int, minimum: int) -> str:
    if n_kind == 0:
        return "no_peers"
    if n_peers == 0:
        return "no_peers_year"
    if own.n < minimum:
        return "few"
    if peers.n < minimum:
        return "few_peers"
    if own.low > peers.high:
        return "more"
    if own.high < peers.low:
        return "less"
    return "same"


def compare(
    archive: Archive,
    topic: str,
    *,
    focus: Filters | None = None,
    kind: str | None = "minutes",
    since: str | None = None,
    until: str | None = None,
    min_meetings: int = MIN_MEETINGS,
    lang: str = "sv",
) -> Comparison:
    """Compare councils on how often ``topic`` comes up, each against its kind elsewhere.

    Args:
        archive: The open archive.
        topic: Topic id or label.
        focus: Which councils get rows (municipality, body or council); None: every council.
            Peers are always taken from the whole archive.
        kind: Document kind counted as a meeting (None: every kind).
        since, until: ISO days (or years) bounding the meetings counted, on both sides.
        min_meetings: Fewest meetings on either side for a verdict.
        lang: Language of labels and notes.

    Raises:
        RadslagError: For an unknown topic, or when no council in focus has meetings.
    """
    topic_id, label = _topic(topic, lang)
    result = Comparison(topic=topic_id, topic_label=label, lang=lang, kind=kind, min_meetings=min_meetings)
    scope = Filters(kind=kind, since=since, until=until)
    meetings = archive.meetings(scope)
    undated = [m for m in meetings if m.year is None]
    if undated:
        result.notes.append(t("w_cmp_note_undated", lang, n=len(undated)))
    meetings = [m for m in meetings if m.year is not None]
    tagged = archive.filter_item_ids(Filters(topic=topic_id, kind=kind, since=since, until=until)) or set()
    if not archive.filter_item_ids(Filters(topic=topic_id)) and archive.count("item_topics") == 0:
        result.notes.append(t("w_cmp_note_untagged", lang))

    # per council and year: meetings held, meetings with the topic, items, items with the topic
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    info: dict[str, tuple[str | None, str | None]] = {}
    by_meeting: dict[int, tuple[str, int]] = {}
    for m in meetings:
        key = council_key(m.municipality, m.body)
        info.setdefault(key, (m.municipality, m.body))
        by_meeting[m.id] = (key, m.year)
        counts[(key, m.year)][0] += 1
    topic_meetings: set[int] = set()
    for ref in archive.item_refs(filters=scope):
        where = by_meeting.get(ref.meeting_id)
        if where is None:
            continue
        counts[where][2] += 1
        if ref.id in tagged:
            counts[where][3] += 1
            if ref.meeting_id not in topic_meetings:
                topic_meetings.add(ref.meeting_id)
                counts[where][1] += 1

    names = {c.key: c.name for c in archive.councils()}
    kinds = {key: kind_of(body, mun) for key, (mun, body) in info.items()}
    municipality_of = {key: split_key(key)[0] for key in info}
    in_focus = set(info)
    if focus is not None and (focus.municipality or focus.body or focus.council):
        wanted = {m.id for m in archive.meetings(replace(focus, kind=kind, since=since, until=until))}
        in_focus = {by_meeting[i][0] for i in wanted if i in by_meeting}
    if not in_focus:
        raise RadslagError(t("w_cmp_err_no_meetings", lang))

    for key in sorted(in_focus, key=lambda k: (kinds[k].id, names.get(k, k))):
        peers = sorted(k for k in info if kinds[k].id == kinds[key].id and municipality_of[k] != municipality_of[key])
        own_years = sorted({y for (k, y) in counts if k == key})
        total_own, total_peer = [0, 0, 0, 0], [0, 0, 0, 0]
        total_peers: set[str] = set()
        for year in own_years:
            own = counts[(key, year)]
            active = [p for p in peers if (p, year) in counts]
            pooled = [sum(counts[(p, year)][i] for p in active) for i in range(4)]
            total_own = [a + b for a, b in zip(total_own, own)]
            total_peer = [a + b for a, b in zip(total_peer, pooled)]
            total_peers.update(active)
            result.rows.append(_row(key, names, info, kinds, year, own, pooled, active, len(peers), min_meetings,
                                    lang))
        if len(own_years) > 1:
            result.rows.append(_row(key, names, info, kinds, ALL_YEARS, total_own, total_peer, sorted(total_peers),
                                    len(peers), min_meetings, lang))
    return result


def _row(key: str, names: dict[str, str], info: dict, kinds: dict, year: int | None, own: list[int],
         pooled: list[int], active: list[str], n_kind: int, minimum: int, lang: str) -> CompareRow:
    municipality, body = info[key]
    meetings, items = Share.of(own[1], own[0]), Share.of(own[3], own[2])
    peer_meetings, peer_items = Share.of(pooled[1], pooled[0]), Share.of(pooled[3], pooled[2])
    return CompareRow(
        council=key, name=names.get(key, key), municipality=municipality, body=body, kind=kinds[key].id,
        kind_label=kinds[key].label(lang), year=year, meetings=meetings, items=items,
        peers=[names.get(p, p) for p in active], peer_meetings=peer_meetings, peer_items=peer_items,
        verdict=_verdict(meetings, peer_meetings, len(active), n_kind, minimum), min_meetings=minimum,
    )


# -- words ------------------------------------------------------------------------------


def percent(value: float | None, lang: str) -> str:
    """``37 %`` (Swedish, with a space) or ``37%``; ``–`` for None."""
    if value is None:
        return "–"
    number = f"{100 * value:.0f}"
    return f"{number} %" if lang == "sv" else f"{number}%"


def share_text(share: Share, lang: str) -> str:
    """``2 av 7 (29 %, 8–64 %)``."""
    if share.n == 0:
        return t("w_cmp_none", lang)
    low, high = percent(share.low, lang).rstrip(" %"), percent(share.high, lang)
    return t("w_cmp_share", lang, k=share.successes, n=share.n, share=percent(share.share, lang),
             low=low, high=high)


def year_label(row: CompareRow, lang: str) -> str:
    return str(row.year) if row.year is not None else t("w_cmp_all_years", lang)


def verdict_text(row: CompareRow, lang: str) -> str:
    """The row's verdict as one plain sentence."""
    return t(f"w_cmp_verdict_{row.verdict}", lang, n=row.min_meetings, kind=row.kind_label,
             meetings=row.meetings.n, peer_meetings=row.peer_meetings.n, year=year_label(row, lang))


def summary(comparison: Comparison) -> list[str]:
    """One sentence per council in focus (over all its years), the answer in words."""
    lang = comparison.lang
    last: dict[str, CompareRow] = {}
    for row in comparison.rows:
        last[row.council] = row  # the all-years row comes last when there is one
    out = []
    for row in last.values():
        out.append(t("w_cmp_summary", lang, name=row.name, years=year_label(row, lang), topic=comparison.topic_label,
                     share=share_text(row.meetings, lang), peers=share_text(row.peer_meetings, lang),
                     n_peers=len(row.peers), kind=row.kind_label[:1].upper() + row.kind_label[1:],
                     verdict=verdict_text(row, lang)))
    return out


def dumps(comparison: Comparison) -> str:
    """The comparison as indented JSON."""
    return json.dumps(comparison.to_json(), ensure_ascii=False, indent=2)

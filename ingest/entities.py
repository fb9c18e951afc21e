"""Named entities in agenda items: efselab's model plus rules for minutes.

The pipeline is ``spacy.blank("sv")`` with efselab's tokeniser, the
``efselab_tagger`` component (:mod:`ingest.nlp`: PER, LOC, ORG) and the
``radslag_rules`` component added after it. The rules come from data files
in ``ingest/data/entities/`` and ``ingest/data/municipalities.tsv`` and find
what the statistical model misses or cuts in municipal minutes.

Label set (``Entity.label``):

========== ============================================ =====================
label      what                                         ``canonical``
========== ============================================ =====================
PER        person ("Jonna Lindman")                     set by ingest.people
ORG        organisation, authority, company, region,    alias table name
           police unit ("Region Västmanland",           ("Polismyndigheten" →
           "Lokalpolisområde Västra Mälardalen")        "Polisen")
LOC        place; municipalities are LOC too, with      "Hallstahammars kommun"
           canonical set to the official name
DATE       "15 september 2021", "2021-09-15",           ISO date where
           "4 juni" (the "den" is not part of it),      complete ("2021-09-15"),
           "augusti 2025", "hösten 2021", "v. 12"       "--06-04", "2025-08",
                                                        "v12"
PARAGRAPH  "§ 12", "§§ 94-109"                          "§ 12", "§§ 94-109"
DNR        the number after "Dnr" ("KS-2025-00620") or  the number
           a bare "KS 2024/123"
PARTY      the tag inside brackets after a name: "M" in tag ("MP" for "Mp")
           "Jonna Lindman (M)"; ingest.people links it
           to the person right before
ROLE       role or title ("kommunpolisen",              base form
           "bitr lokalpolisområdeschef")                ("kommunpolis")
========== ============================================ =====================

Rules overrule the model where they are more certain: a rule span that
overlaps a model entity removes the model entity, or trims it ("Per Ersgård
kommunpolisen" → PER "Per Ersgård" + ROLE "kommunpolisen"). The exception is
a municipality name written alone ("Lund"), which never overrules a person.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from radslag.config import Settings
from radslag.types import Entity

from ingest import nlp as _nlp  # registers the efselab_tagger factory

DATA_DIR = Path(__file__).resolve().parent / "data"
ENTITY_DATA = DATA_DIR / "entities"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.tsv"

LABELS = ("PER", "ORG", "LOC", "DATE", "PARAGRAPH", "DNR", "PARTY", "ROLE")

# Inflection endings accepted after a role base form (definite, plural,
# genitive). Longest first so the regex takes the whole word.
_ROLE_SUFFIX = r"(?:ernas|arnas|ornas|erna|arna|orna|ens|ets|er|ar|or|en|et|na|ns|n|t|s)?"
_B = r"(?<![\w-])"
_E = r"(?![\w-])"
_UP = "A-ZÅÄÖÉÜ"
_LOW = "a-zåäöéüæø"


# -- data files ------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _tsv(path: Path) -> list[dict[str, str]]:
    rows = _lines(path)
    if not rows:
        return []
    reader = csv.DictReader(rows, delimiter="\t")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


@dataclass(frozen=True)
class Lexicons:
    """All rule data, read from the data files once."""

    parties: dict[str, str]  # tag as written -> canonical tag
    party_names: dict[str, str]  # canonical tag -> party name
    roles: tuple[str, ...]
    role_heads: tuple[str, ...]
    organisations: tuple[tuple[str, str, bool], ...]  # alias, canonical, case-insensitive
    regions: dict[str, str]  # region name -> county
    police: dict[str, str]  # alias -> canonical
    months: dict[str, int]
    ambiguous_places: frozenset[str]
    municipalities: tuple[tuple[str, str, str], ...]  # name, official, county
    name_stopwords: frozenset[str]
    structures: dict[str, tuple[str, ...]] = None  # kind -> words (structures.tsv)


@functools.lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Read the rule data files (cached)."""
    parties: dict[str, str] = {}
    party_names: dict[str, str] = {}
    first_tag: dict[str, str] = {}
    for row in _tsv(ENTITY_DATA / "parties.tsv"):
        canonical = first_tag.setdefault(row["name"], row["tag"])
        parties[row["tag"]] = canonical
        party_names.setdefault(canonical, row["name"])
    organisations = tuple(
        (r["alias"], r["canonical"], r.get("case", "ci") != "cs") for r in _tsv(ENTITY_DATA / "organisations.tsv")
    )
    municipalities = tuple(
        (r["name"], r.get("official") or f"{r['name']} kommun", r.get("county", ""))
        for r in _tsv(MUNICIPALITIES_FILE)
        if r.get("name")
    )
    return Lexicons(
        parties=parties,
        party_names=party_names,
        roles=tuple(_lines(ENTITY_DATA / "roles.txt")),
        role_heads=tuple(_lines(ENTITY_DATA / "role_heads.txt")),
        organisations=organisations,
        regions={r["name"]: r.get("county", "") for r in _tsv(ENTITY_DATA / "regions.tsv")},
        police={r["alias"]: r["canonical"] for r in _tsv(ENTITY_DATA / "police.tsv")},
        months={r["word"]: int(r["month"]) for r in _tsv(ENTITY_DATA / "dates.tsv")},
        ambiguous_places=frozenset(_lines(ENTITY_DATA / "ambiguous_places.txt")),
        municipalities=municipalities,
        name_stopwords=frozenset(w.casefold() for w in _lines(ENTITY_DATA / "name_stopwords.txt")),
        structures=_structures(),
    )


def _structures() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in _tsv(ENTITY_DATA / "structures.tsv"):
        out.setdefault(row["kind"], []).append(row["word"])
    return {k: tuple(v) for k, v in out.items()}


def _alternation(words: Iterable[str], flexible_space: bool = True) -> str:
    parts = sorted(set(words), key=len, reverse=True)
    escaped = [re.escape(p) for p in parts]
    if flexible_space:
        escaped = [e.replace(r"\ ", r"\s+") for e in escaped]
    return "|".join(escaped) if escaped else r"(?!x)x"


# -- rules -------------------------------------------------------------------------


@dataclass
class RuleSpan:
    """A span found by a rule, before it is mapped to tokens."""

    start: int
    end: int
    label: str
    canonical: str | None
    priority: int  # 1 = weak (never overrules a person), 2-5 = stronger


class Rules:
    """Compiled rule patterns over raw text (character offsets)."""

    def __init__(self, lex: Lexicons):
        self.lex = lex
        month_words = [w for w, m in lex.months.items() if m > 0]
        season_words = [w for w, m in lex.months.items() if m == 0]
        months = _alternation(month_words)
        year = r"(?:19|20)\d\d"
        self.date_iso = re.compile(rf"{_B}({year})-([01]\d)-([0-3]\d){_E}")
        self.date_day_month = re.compile(
            rf"{_B}([0-3]?\d)(?::[ae])?\s+({months})\.?(?:\s+({year}))?(?![\w-])", re.IGNORECASE
        )
        self.date_month_year = re.compile(
            rf"{_B}({months}|{_alternation(season_words)})\s+({year}){_E}", re.IGNORECASE
        )
        self.date_week = re.compile(rf"{_B}(?:[vV]\.\s?|[vV]\s|[Vv]ecka\s+)(\d{{1,2}})(?:\s+({year}))?{_E}")
        self.paragraph = re.compile(
            r"(§§?)\s*(\d{1,4}[a-z]?(?:\s*[-–]\s*\d{1,4})?(?:\s*(?:,|och|samt)\s*\d{1,4}(?![\d:/.-])(?:\s*[-–]\s*\d{1,4})?)*)"
        )
        ident = rf"(?:[{_UP}]{{1,6}}[ -]?\d{{2,4}}[-/.:]\d{{1,6}}(?:[-/.]\d{{1,6}})*|\d{{2,4}}[-/.:]\d{{1,6}}(?:[-/.]\d{{1,6}})*)"
        self.dnr_prefixed = re.compile(
            rf"{_B}(?:[Dd]nr|DNR|[Dd]iarienr|[Dd]iarienummer|[Dd]iarienummer)[.:]?\s*({ident}){_E}"
        )
        self.dnr_bare = re.compile(rf"{_B}([{_UP}]{{2,6}}[ -](?:19|20)\d\d[-/]\d{{2,6}}){_E}")
        tags = _alternation(lex.parties, flexible_space=False)
        self.party = re.compile(rf"\(\s*({tags})\s*\)")
        name_word = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*"
        self.name_before_party = re.compile(
            rf"{_B}({name_word}(?:[ \t]+(?:{name_word}|af|von|van|de|der|da)){{1,4}})[ \t]*\(\s*(?:{tags})\s*\)"
        )
        self.role = re.compile(rf"{_B}({_alternation(lex.roles)}){_ROLE_SUFFIX}{_E}", re.IGNORECASE)
        self.role_compound = re.compile(
            rf"{_B}([{_UP}{_LOW}][{_LOW}]{{2,}}(?:{_alternation(lex.role_heads)})){_ROLE_SUFFIX}{_E}"
        )
        self.role_bases = {r.casefold() for r in lex.roles}
        org_ci = [a for a, _, ci in lex.organisations if ci]
        org_cs = [a for a, _, ci in lex.organisations if not ci]
        self.org_canonical = {a.casefold(): c for a, c, _ in lex.organisations}
        self.org_ci = re.compile(rf"{_B}({_alternation(org_ci)})(s?){_E}", re.IGNORECASE)
        self.org_cs = re.compile(rf"{_B}({_alternation(org_cs)})(s?){_E}")
        self.org_generic = re.compile(
            rf"{_B}((?:[{_UP}][{_LOW}]*-\s+(?:och|&)\s+[{_LOW}]+|[{_UP}][{_LOW}]*)"
            rf"(?:förvaltningen|nämnden|styrelsen|fullmäktige|rådet|förbundet|myndigheten|verket|utskottet))(s?){_E}"
        )
        self.region = re.compile(rf"{_B}({_alternation(lex.regions)})(s?){_E}")
        self.police_alias = re.compile(rf"{_B}({_alternation(lex.police)})(s?){_E}")
        self.police_canonical = {a.casefold(): c for a, c in lex.police.items()}
        direction = r"(?:Västra|Östra|Norra|Södra|Mellersta|Nordvästra|Nordöstra|Sydvästra|Sydöstra|Centrala|Stora|Lilla)"
        self.police_area = re.compile(
            rf"{_B}([Ll]okalpolisområde|[Pp]olisområde|[Pp]olisregion)\s+"
            rf"((?:{direction}\s+)?[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*(?:\s+(?:län|stad|[Nn]ord|[Ss]yd|[Öö]st|[Vv]äst|[Cc]entrum))?)"
            rf"(?<!s)(s?){_E}"
        )
        st = lex.structures or {}
        word = rf"[{_UP}][{_LOW}]+"
        self.room = re.compile(rf"{_B}([{_UP}][{_LOW}]+(?:{_alternation(st.get('room', ()))})){_E}")
        self.street = re.compile(
            rf"{_B}([{_UP}][{_LOW}]+(?:{_alternation(st.get('street', ()))})(?:[ \t]+\d{{1,4}}[A-Za-z]?(?![\d:.,]\d))?){_E}"
        )
        self.direction_place = re.compile(rf"{_B}((?:{_alternation(st.get('direction', ()))})[ \t]+{word}){_E}")
        self.council_of = re.compile(
            rf"{_B}((?:{_alternation(st.get('council_of', ()))})[ \t]+för[ \t]+{word}"
            rf"(?:[ \t]*(?:&|och)[ \t]*{word})?)(?<!s)(s?){_E}"
        )
        # capitalised, or a "kommun-" compound ("kommunfullmäktige"): a lower-case
        # "trygghetsrådet" in running text is a reference, not the name
        self.council_word = re.compile(
            rf"{_B}((?=[{_UP}]|kommun)(?:[{_UP}{_LOW}][{_LOW}]{{2,}})?(?i:{_alternation(st.get('council', ()))})(?:et|en)?)"
            rf"(s?){_E}"
        )
        counties = {c for _, _, c in lex.municipalities if c} | {c for c in lex.regions.values() if c}
        self.county = re.compile(rf"{_B}({_alternation(counties)})(s?){_E}")
        self.municipality_official: dict[str, str] = {}
        self.municipality_bare: dict[str, str] = {}
        for name, official, _ in lex.municipalities:
            self.municipality_official[official.casefold()] = official
            self.municipality_official[f"{name} kommun".casefold()] = official
            if official.endswith(" stad"):
                self.municipality_official[f"{name} stad".casefold()] = official
            if name not in lex.ambiguous_places:
                self.municipality_bare[name] = official
        self.muni_official = re.compile(
            rf"{_B}({_alternation(self.municipality_official)})(s?){_E}", re.IGNORECASE
        )
        # Bare names: a genitive "-s" only when no capitalised word follows
        # ("Hallstahammars Bordtennisklubb" is a club, not the place).
        self.muni_bare = re.compile(
            rf"{_B}({_alternation(self.municipality_bare)})(s(?![ \t]+[{_UP}]))?{_E}"
        )

        # "Västerås trygghetsråd": the municipality's own council, one name
        self.muni_council = re.compile(
            rf"{_B}((?:{_alternation(self.municipality_bare)})[ \t]+[{_LOW}]*"
            rf"(?:{_alternation(st.get('council', ()))})(?:et|en)?)(s?){_E}"
        )

    # -- public -------------------------------------------------------------

    def find(self, text: str) -> list[RuleSpan]:
        """Return all rule matches in ``text`` (overlapping; see :func:`resolve`)."""
        out: list[RuleSpan] = []
        add = out.append
        for m in self.date_iso.finditer(text):
            add(RuleSpan(m.start(), m.end(), "DATE", m.group(0), 4))
        for m in self.date_day_month.finditer(text):
            day, month = int(m.group(1)), self.lex.months.get(m.group(2).casefold(), 0)
            if not (1 <= day <= 31 and month):
                continue
            canon = f"{m.group(3)}-{month:02d}-{day:02d}" if m.group(3) else f"--{month:02d}-{day:02d}"
            add(RuleSpan(m.start(), m.end(), "DATE", canon, 4))
        for m in self.date_month_year.finditer(text):
            month = self.lex.months.get(m.group(1).casefold(), 0)
            canon = f"{m.group(2)}-{month:02d}" if month else f"{m.group(1).casefold()} {m.group(2)}"
            add(RuleSpan(m.start(), m.end(), "DATE", canon, 4))
        for m in self.date_week.finditer(text):
            week = int(m.group(1))
            if 1 <= week <= 53:
                canon = f"{m.group(2)}-v{week:02d}" if m.group(2) else f"v{week:02d}"
                add(RuleSpan(m.start(), m.end(), "DATE", canon, 4))
        for m in self.paragraph.finditer(text):
            numbers = re.sub(r"\s*([-–])\s*", "-", m.group(2))
            numbers = re.sub(r"\s+", " ", numbers)
            add(RuleSpan(m.start(), m.end(), "PARAGRAPH", f"{m.group(1)} {numbers}", 5))
        for m in self.dnr_prefixed.finditer(text):
            add(RuleSpan(m.start(1), m.end(1), "DNR", m.group(1), 5))
        for m in self.dnr_bare.finditer(text):
            add(RuleSpan(m.start(1), m.end(1), "DNR", m.group(1), 5))
        for m in self.party.finditer(text):
            add(RuleSpan(m.start(1), m.end(1), "PARTY", self.lex.parties[m.group(1)], 5))
        for m in self.name_before_party.finditer(text):
            span = self._trim_name(text, m.start(1), m.end(1))
            if span:
                add(RuleSpan(span[0], span[1], "PER", None, 2))
        for m in self.role.finditer(text):
            base = re.sub(r"\s+", " ", m.group(1)).casefold()
            add(RuleSpan(m.start(), m.end(), "ROLE", base, 2))
        for m in self.role_compound.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ROLE", m.group(1).casefold(), 2))
        for pattern in (self.org_ci, self.org_cs):
            for m in pattern.finditer(text):
                canon = self.org_canonical.get(re.sub(r"\s+", " ", m.group(1)).casefold(), m.group(1))
                add(RuleSpan(m.start(), m.end(), "ORG", canon, 3))
        for m in self.org_generic.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", re.sub(r"\s+", " ", m.group(1)), 2))
        for m in self.region.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", m.group(1), 3))
        for m in self.police_alias.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", self.police_canonical[m.group(1).casefold()], 3))
        for m in self.police_area.finditer(text):
            kind = m.group(1)[0].upper() + m.group(1)[1:]
            name = re.sub(r"\s+", " ", m.group(2))
            add(RuleSpan(m.start(), m.end(), "ORG", f"{kind} {name}", 3))
        for m in self.room.finditer(text):
            add(RuleSpan(m.start(), m.end(), "LOC", m.group(1), 4))
        for m in self.street.finditer(text):
            add(RuleSpan(m.start(), m.end(), "LOC", re.sub(r"\s+", " ", m.group(1)), 3))
        for m in self.direction_place.finditer(text):
            add(RuleSpan(m.start(), m.end(), "LOC", re.sub(r"\s+", " ", m.group(1)), 3))
        for m in self.council_of.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", re.sub(r"\s+", " ", m.group(1)), 3))
        for m in self.council_word.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", m.group(1), 2))
        for m in self.muni_council.finditer(text):
            add(RuleSpan(m.start(), m.end(), "ORG", re.sub(r"\s+", " ", m.group(1)), 3))
        for m in self.county.finditer(text):
            add(RuleSpan(m.start(), m.end(), "LOC", m.group(1), 3))
        for m in self.muni_official.finditer(text):
            canon = self.municipality_official[re.sub(r"\s+", " ", m.group(1)).casefold()]
            add(RuleSpan(m.start(), m.end(), "LOC", canon, 3))
        for m in self.muni_bare.finditer(text):
            add(RuleSpan(m.start(), m.end(), "LOC", self.municipality_bare[m.group(1)], 1))
        return out

    def is_role_word(self, word: str) -> bool:
        """Whether ``word`` is a role (any inflection), e.g. "Kommunpolisen"."""
        return bool(self.role.fullmatch(word) or self.role_compound.fullmatch(word))

    def _trim_name(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Drop leading role words and stop words from a name before a party tag."""
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        while words:
            w = text[words[0][0] : words[0][1]]
            if w.casefold() in self.lex.name_stopwords or self.is_role_word(w):
                words.pop(0)
            else:
                break
        if len(words) < 2:
            return None
        return words[0][0], words[-1][1]


def resolve(spans: list[RuleSpan]) -> list[RuleSpan]:
    """Pick non-overlapping rule spans: higher priority first, then longer."""
    chosen: list[RuleSpan] = []
    for span in sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


@functools.lru_cache(maxsize=1)
def get_rules() -> Rules:
    """The compiled rules (cached per process)."""
    return Rules(load_lexicons())


# -- spaCy component ----------------------------------------------------------------


def _strip_edges(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


class RulesComponent:
    """Add rule entities to ``doc.ents``, overruling the model where certain."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.rules = get_rules()

    def __call__(self, doc: Doc) -> Doc:
        found = resolve(self.rules.find(doc.text))
        rule_spans: list[tuple[Span, int]] = []
        for r in found:
            span = doc.char_span(r.start, r.end, label=r.label, kb_id=r.canonical or "", alignment_mode="expand")
            if span is not None and len(span):
                rule_spans.append((span, r.priority))
        kept_model: list[Span] = []
        weak_dropped: set[int] = set()
        for ent in doc.ents:
            overlaps = [(s, p) for s, p in rule_spans if s.start < ent.end and ent.start < s.end]
            if not overlaps:
                kept_model.append(self._clean_model_entity(doc, ent))
                continue
            if all(p == 1 for _, p in overlaps):
                if ent.label_ == "PER":
                    weak_dropped.update(id(s) for s, _ in overlaps)
                    kept_model.append(ent)
                continue
            if any(s.label_ == ent.label_ for s, _ in overlaps):
                continue  # the rule found the same kind of thing; trust its extent
            covered = set()
            for s, _ in overlaps:
                covered.update(range(s.start, s.end))
            # longest run of uncovered tokens inside the model entity
            best: tuple[int, int] = (0, 0)
            run_start = None
            for i in range(ent.start, ent.end + 1):
                if i < ent.end and i not in covered:
                    run_start = i if run_start is None else run_start
                    continue
                if run_start is not None and i - run_start > best[1] - best[0]:
                    best = (run_start, i)
                run_start = None
            start, end = _strip_edges(doc, *best)
            if end > start and any(t.text[:1].isupper() for t in doc[start:end]):
                kept_model.append(Span(doc, start, end, label=ent.label_))
        spans = [s for s, _ in rule_spans if id(s) not in weak_dropped] + [s for s in kept_model if s is not None]
        doc.ents = spacy.util.filter_spans(spans)
        return doc

    def _clean_model_entity(self, doc: Doc, ent: Span) -> Span | None:
        start, end = _strip_edges(doc, ent.start, ent.end)
        if end <= start:
            return None
        if start == ent.start and end == ent.end:
            return ent
        return Span(doc, start, end, label=ent.label_)


@Language.factory("radslag_rules")
def make_rules(nlp: Language, name: str) -> RulesComponent:
    """Create the ``radslag_rules`` component (rules from ingest/data)."""
    return RulesComponent(nlp, name)


def build_pipeline(settings: Settings, progress: bool = True) -> Language:
    """Build the Swedish entity pipeline (builds efselab once if needed).

    Args:
        settings: Run-time settings (``cache_dir`` holds the efselab build).
        progress: Show build progress if efselab must be built.

    Returns:
        ``spacy.blank("sv")`` with efselab's tokeniser, ``efselab_tagger``
        and ``radslag_rules``.
    """
    folder = _nlp.ensure_efselab(settings, progress=progress)
    pipeline = spacy.blank("sv")
    pipeline.tokenizer = _nlp.EfselabTokenizer(pipeline.vocab)
    pipeline.add_pipe("efselab_tagger", config={"models_dir": str(folder)})
    pipeline.add_pipe("radslag_rules", after="efselab_tagger")
    return pipeline


def doc_entities(doc: Doc) -> list[Entity]:
    """Turn ``doc.ents`` into :class:`Entity` records (offsets into doc.text)."""
    return [
        Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char, canonical=e.kb_id_ or None)
        for e in doc.ents
    ]


class EntityExtractor:
    """Extract entities from agenda item texts.

    Args:
        settings: Run-time settings.
        progress: Show build progress if efselab must be built first.

    Attributes:
        load_seconds: Time spent building the pipeline and loading weights.
    """

    def __init__(self, settings: Settings, progress: bool = True):
        import time

        started = time.perf_counter()
        self.settings = settings
        self.nlp = build_pipeline(settings, progress=progress)
        self.load_seconds = time.perf_counter() - started

    def extract(self, text: str) -> list[Entity]:
        """Entities of one text."""
        return self.extract_many([text])[0]

    def extract_many(self, texts: list[str]) -> list[list[Entity]]:
        """Entities of each text, offsets into that text (batched with nlp.pipe)."""
        batch = max(1, int(self.settings.batch_size))
        return [doc_entities(doc) for doc in self.nlp.pipe(texts, batch_size=batch)]

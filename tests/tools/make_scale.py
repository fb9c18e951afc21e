"""Generate a large synthetic archive of municipal minutes with planted ground truth.

``python tests/tools/make_scale.py ARCHIVE_DIR --items 100000`` fills a real
archive (``index.store.Archive``, the store's public write API) with
councils × municipalities × years of minutes and prints a JSON summary.

* Text: agenda items whose paragraphs are real sentences from the team's
  corpus (``corpus/*.txt``, ``corpus/kungsbacka/*.md``), so the Swedish
  vocabulary, sentence lengths and word frequencies are those of real
  minutes; two procedural items open every meeting.
* Ground truth: every council (municipality, body) follows one recurring
  issue from :data:`ISSUES`. The issue's item is planted in every
  ``PLANT_EVERY``-th meeting of the council, worded from the issue's marker
  word (a word no corpus sentence used as filler contains), with a follow-up
  promise. :func:`generate` returns the planted items, so a keyword search
  for a marker must find exactly them.
* Speed: the keyword analysis (``index.keyword.analyze``, which the
  store's ``write_document`` runs on every title and text) is most of the
  cost of writing an item. Item texts here are joined corpus sentences, and
  the analysis of a text is the analyses of its sentences joined (it works
  word by word), so :class:`SentenceAnalysis` analyses each distinct
  sentence once and hands ``write_document`` the joined result; every
  ``CHECK_EVERY``-th text is also analysed whole and compared, so a change
  in the analysis that breaks this shortcut stops the generator instead of
  writing a different keyword index. Meetings go in one transaction per
  batch.
* Passages: one per paragraph (the first one carries the heading), written
  with ``Archive.write_passages``; offsets point into the document text.
* Vectors (:func:`write_vectors`): embedding a million passages with the real
  model is out of reach on this machine, so passage vectors are
  random-but-clustered unit vectors (a cluster per planted issue, random
  cluster centres for the filler), stored through ``index.vectors.VectorIndex``
  under the real embedder's identity so the product opens the index as its own.
  Dense relevance is therefore not measured on these archives; latency, memory
  and approximate-search recall are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from radslag.types import AgendaItem, Document, MeetingMeta, Participant, Passage  # noqa: E402

CORPUS = ROOT / "corpus"
#: Synthetic municipality and body names: a test tool's fixture, not product data.
MUNICIPALITIES = [
    "Alingsås", "Arboga", "Borås", "Eskilstuna", "Falun", "Gävle", "Hallstahammar", "Halmstad",
    "Härnösand", "Jönköping", "Kalmar", "Karlstad", "Kiruna", "Kungsbacka", "Köping", "Lidköping",
    "Luleå", "Lund", "Motala", "Norrtälje", "Nyköping", "Piteå", "Sala", "Skövde", "Sundsvall",
    "Trollhättan", "Uddevalla", "Umeå", "Varberg", "Visby", "Västerås", "Växjö", "Ystad", "Örebro",
    "Östersund", "Avesta", "Bollnäs", "Enköping", "Fagersta", "Hudiksvall",
]
#: Syllables of the synthetic municipality names added when an archive is too big for
#: :data:`MUNICIPALITIES` to hold it at a realistic pace (see :func:`n_municipalities`).
NAME_HEADS = ["Björk", "Ek", "Gran", "Hassel", "Sjö", "Berg", "Ström", "Mal", "Norr", "Söder", "Väster",
              "Öster", "Ny", "Hög", "Sand", "Sten", "Tall", "Ås", "Fur", "Hav", "Rön", "Al", "Ask", "Lin"]
NAME_TAILS = ["by", "köping", "vik", "sund", "torp", "hamn", "holm", "dal", "berga", "stad", "fors", "näs"]
#: At most this many meetings per council (about six a year over twenty years,
#: as real councils meet); a larger archive gets more municipalities, as the
#: national archive has (290), instead of one council meeting weekly for twenty years.
MAX_MEETINGS_PER_COUNCIL = 120
BODIES = ["Trygghetsrådet", "Brottsförebyggande rådet", "Socialnämnden", "Tekniska nämnden",
          "Barn- och utbildningsnämnden"]
PROCEDURAL = [("Mötets öppnande", "Ordföranden hälsade alla välkomna och förklarade mötet öppnat."),
              ("Val av justerare", "Till att justera dagens protokoll valdes en av ledamöterna.")]
PLACES = ["Torget", "Resecentrum", "Storgatan", "Norrby", "Parkstråket", "Hamnen", "Stationsområdet"]
#: Recurring issues: (marker word, heading, sentences). The marker is in every planted item's body.
ISSUES = [
    ("epatraktorer", "Buskörning med epatraktorer", [
        "Polisen rapporterar fortsatt buskörning med epatraktorer vid {place} under helgkvällarna.",
        "Boende har återigen klagat på epatraktorer som kör i hög fart genom {place}."]),
    ("laddstolpar", "Skadegörelse på laddstolpar", [
        "Flera laddstolpar vid {place} har vandaliserats sedan förra mötet.",
        "Kostnaden för att reparera laddstolpar har ökat och försäkringsbolaget har hört av sig."]),
    ("nattvandrarna", "Nattvandrarna i centrum", [
        "Nattvandrarna har gått i centrum och vid {place} varje fredag under perioden.",
        "Föreningen som samordnar nattvandrarna behöver fler vuxna frivilliga."]),
    ("gatubelysningen", "Trasig gatubelysningen i gångtunnlar", [
        "Felanmälningar om gatubelysningen vid {place} har ökat under den mörka årstiden.",
        "Gatubelysningen i gångtunnlarna byts till LED under året."]),
    ("fyrverkerier", "Fyrverkerier vid nyår", [
        "Det har förekommit att fyrverkerier avfyrats mot människor vid {place}.",
        "Räddningstjänsten påminner om reglerna för fyrverkerier i tätbebyggt område."]),
    ("klotterplank", "Klotterplank och sanering", [
        "Ett lagligt klotterplank vid {place} föreslås som försök under sommaren.",
        "Saneringen av klotter på kommunens fastigheter sker inom ett dygn, klotterplank diskuterades."]),
]
PLANT_EVERY = 3
FOLLOWUP = "Kommunen ska återkomma till rådet med en lägesrapport om {marker} vid nästa möte."
DIM = 384
NOISE = 0.03  # as bench/speed.py: cosine to the centre ~0.86, to a neighbour ~0.74
#: Planted issues sit tighter (item-to-item cosine ~0.97), above index.threads' e5 link
#: threshold (0.94), so the same issue's items in a council form a thread as real ones do.
PLANTED_NOISE = 0.008
N_CENTRES = 2000


@dataclasses.dataclass
class Planted:
    """One planted item of a recurring issue (ground truth)."""

    marker: str
    source: str
    number: str
    municipality: str
    body: str
    date: dt.date
    item_id: int | None = None


@dataclasses.dataclass
class ScaleReport:
    """What :func:`generate` wrote."""

    meetings: int
    items: int
    passages: int
    councils: int
    seconds: float
    planted: list[Planted]
    passage_clusters: dict[int, int]  # passage id -> cluster (issue index, or ISSUES + filler centre)


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_PIECE = re.compile(r"(?<=[.!?])\s+")
#: Every this many texts the sentence-wise analysis is checked against the whole text's.
CHECK_EVERY = 500


class SentenceAnalysis:
    """Patch the store's ``analyze`` with a sentence-wise cached one while generating (see module doc).

    Use as a context manager; the real function is put back on exit.
    """

    def __init__(self) -> None:
        import index.store as store

        self._store = store
        self._real = store.analyze
        self._cache: dict[str, str] = {}
        self.calls = 0
        self.checked = 0

    def _piece(self, piece: str) -> str:
        got = self._cache.get(piece)
        if got is None:
            got = self._cache[piece] = self._real(piece)
        return got

    def __call__(self, text: str) -> str:
        self.calls += 1
        out = " ".join(a for a in map(self._piece, _PIECE.split(text)) if a)
        if self.calls % CHECK_EVERY == 1:
            whole = self._real(text)
            if whole != out:
                raise RuntimeError(f"sentence-wise analysis differs from the whole text's: {text[:80]!r}")
            self.checked += 1
        return out

    def __enter__(self) -> "SentenceAnalysis":
        self._store.analyze = self
        return self

    def __exit__(self, *exc) -> None:
        self._store.analyze = self._real


def corpus_sentences(folder: Path = CORPUS) -> list[str]:
    """Real sentences of the corpus usable as filler (40-260 characters, mostly words, no marker)."""
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(folder.glob("*.txt")) + sorted(folder.glob("kungsbacka/*.md")) if p.name not in ("SOURCES.txt", "SOURCE.md")]
    markers = [m for m, _, _ in ISSUES]
    out: list[str] = []
    for text in texts:
        for sent in _SENTENCE.split(" ".join(text.split())):
            sent = sent.strip()
            letters = sum(ch.isalpha() for ch in sent)
            low = sent.casefold()
            if 40 <= len(sent) <= 260 and letters > 0.75 * len(sent) and not any(m[:6] in low for m in markers):
                out.append(sent)
    if len(out) < 100:
        raise RuntimeError(f"too few corpus sentences in {folder}: {len(out)}")
    return sorted(set(out))


def municipalities(n: int = len(MUNICIPALITIES)) -> list[str]:
    """The first ``n`` municipality names: :data:`MUNICIPALITIES`, then synthetic ones.

    A synthetic name never begins with one of the listed names (nor one of
    them with it), so a municipality filter such as "Lund" still matches
    one municipality.
    """
    names = list(MUNICIPALITIES)
    folded = [m.casefold() for m in MUNICIPALITIES]
    for tail in NAME_TAILS:
        for head in NAME_HEADS:
            if len(names) >= n:
                return names[:n]
            name = head + tail
            low = name.casefold()
            if not any(low.startswith(f) or f.startswith(low) for f in folded) and name not in names:
                names.append(name)
    if len(names) < n:
        raise ValueError(f"at most {len(names)} municipalities, {n} asked for")
    return names[:n]


def n_municipalities(n_meetings: int) -> int:
    """Municipalities for ``n_meetings``: :data:`MUNICIPALITIES`, more when a council would exceed
    :data:`MAX_MEETINGS_PER_COUNCIL` meetings."""
    per_municipality = MAX_MEETINGS_PER_COUNCIL * len(BODIES)
    return max(len(MUNICIPALITIES), -(-n_meetings // per_municipality))


def councils(n_municipalities: int = len(MUNICIPALITIES)) -> list[tuple[str, str]]:
    """Every (municipality, body) pair (the listed municipalities first, so their indexes never change)."""
    return [(m, b) for m in municipalities(n_municipalities) for b in BODIES]


def issue_of(council_index: int) -> int:
    """The recurring issue a council follows."""
    return council_index % len(ISSUES)


def meetings(n_meetings: int, seed: int = 0, years: tuple[int, int] = (2005, 2024),
             tag: str = "") -> Iterator[tuple[Document, MeetingMeta, list[AgendaItem], Planted | None, int]]:
    """Yield ``(document, meta, items, planted or None, issue index)`` for ``n_meetings`` meetings.

    Meetings are spread evenly over the councils and, per council, over the
    years; a council's ``k``-th meeting carries its issue when
    ``k % PLANT_EVERY == 0``.
    """
    rng = random.Random(seed)
    sents = corpus_sentences()
    pairs = councils(n_municipalities(n_meetings))
    per = [n_meetings // len(pairs) + (1 if c < n_meetings % len(pairs) else 0) for c in range(len(pairs))]
    span = (dt.date(years[1], 12, 31) - dt.date(years[0], 1, 1)).days
    for c, (municipality, body) in enumerate(pairs):
        issue = issue_of(c)
        marker, heading, lines = ISSUES[issue]
        for k in range(per[c]):
            date = dt.date(years[0], 1, 1) + dt.timedelta(days=int(k * span / max(per[c], 1)) + rng.randint(0, 9))
            chosen = list(PROCEDURAL)
            for _ in range(rng.randint(3, 5)):
                paras = ["\n".join([" ".join(rng.sample(sents, rng.randint(2, 4)))]) for _ in range(rng.randint(1, 2))]
                title = " ".join(rng.choice(sents).split()[:rng.randint(3, 6)]).rstrip(".,:;")
                chosen.append((title, "\n\n".join(paras)))
            planted_at = None
            if k % PLANT_EVERY == 0:
                place = rng.choice(PLACES)
                body_text = " ".join(s.format(place=place) for s in lines) + " " + FOLLOWUP.format(marker=marker)
                planted_at = rng.randint(2, len(chosen))
                chosen.insert(planted_at, (heading, body_text + "\n\n" + " ".join(rng.sample(sents, 2))))
            header = f"{body} i {municipality} kommun\nProtokoll {date.isoformat()}\n\n"
            text_parts, items, pos = [header], [], len(header)
            for n, (title, body_text) in enumerate(chosen, start=1):
                block = f"§ {n} {title}\n{body_text}\n\n"
                items.append(AgendaItem(number=str(n), title=title, text=body_text, start=pos,
                                        end=pos + len(block), heading_source="numbered"))
                text_parts.append(block)
                pos += len(block)
            text = "".join(text_parts)
            source = f"scale{tag}/{municipality}/{body}/{date.isoformat()}-{k}.txt"
            doc = Document(source=source, text=text, reader="txt",
                           content_hash=hashlib.sha256(text.encode()).hexdigest(), size=len(text.encode()))
            meta = MeetingMeta(kind="minutes", body=body, municipality=municipality, date=date,
                               participants=[Participant(name="Karin Lund", role="ordförande")],
                               title=f"{body} {date.isoformat()}")
            planted = None
            if planted_at is not None:
                planted = Planted(marker, source, str(planted_at + 1), municipality, body, date)
            yield doc, meta, items, planted, issue


def item_passages(item_id: int, item: AgendaItem) -> list[Passage]:
    """One passage per paragraph; the first carries the heading (as index.vectors splits items)."""
    body_start = item.start + len(f"§ {item.number} {item.title}\n")
    out, cursor = [], 0
    for n, para in enumerate(item.text.split("\n\n")):
        at = item.text.index(para, cursor)
        cursor = at + len(para)
        start = item.start if n == 0 else body_start + at
        text = f"§ {item.number} {item.title}\n{para}" if n == 0 else para
        out.append(Passage(item_id=item_id, ordinal=n, text=text, start=start, end=body_start + cursor))
    return out


def generate(archive, n_items: int, seed: int = 0, batch: int = 500, tag: str = "", bulk: bool = False) -> ScaleReport:
    """Write about ``n_items`` agenda items into ``archive`` (whole meetings, so a few more).

    Args:
        bulk: Write each batch of meetings with ``Archive.write_new_documents``
            (one ``executemany`` per table) instead of one ``write_document``
            per meeting; the same rows either way.

    Returns:
        A :class:`ScaleReport` with the planted ground truth (item ids filled in).
    """
    t0 = time.perf_counter()
    n_meetings = max(1, round(n_items / 6.0))  # 2 procedural + 3-5 items + the planted one a third of the time
    rng = np.random.default_rng(seed)
    planted: list[Planted] = []
    clusters: dict[int, int] = {}
    counts = {"meetings": 0, "items": 0, "passages": 0}
    pending: list[tuple] = []

    def flush() -> None:
        with archive.transaction():
            if bulk:  # the store's bulk path: executemany in one transaction
                written = archive.write_new_documents([(doc, meta, items) for doc, meta, items, _, _ in pending])
            for n, (doc, meta, items, plant, issue) in enumerate(pending):
                if bulk:
                    ids = written[n][1]
                else:
                    meeting_id, _, _ = archive.write_document(doc, meta, items)
                    ids = archive.item_ids(meeting_id)
                passages = [p for item_id, item in zip(ids, items) for p in item_passages(item_id, item)]
                pids = archive.write_passages(passages)
                planted_id = None
                if plant is not None:
                    planted_id = ids[int(plant.number) - 1]
                    plant.item_id = planted_id
                    planted.append(plant)
                filler = rng.integers(len(ISSUES), len(ISSUES) + N_CENTRES, len(pids))
                for pid, p, f in zip(pids, passages, filler):
                    clusters[pid] = issue if p.item_id == planted_id else int(f)
                counts["meetings"] += 1
                counts["items"] += len(items)
                counts["passages"] += len(pids)
        pending.clear()

    # as an ingest starts: the keyword index in step with today's analysis, recorded (on an empty
    # archive nothing is re-analysed); without the record the first real ingest re-analyses every item
    archive.refresh_keyword_index()
    with SentenceAnalysis():
        for entry in meetings(n_meetings, seed=seed, tag=tag):
            pending.append(entry)
            if len(pending) >= batch:
                flush()
        flush()
    return ScaleReport(meetings=counts["meetings"], items=counts["items"], passages=counts["passages"],
                       councils=len(councils(n_municipalities(n_meetings))), seconds=round(time.perf_counter() - t0, 2), planted=planted,
                       passage_clusters=clusters)


def cluster_centres(n: int = len(ISSUES) + N_CENTRES, seed: int = 1) -> np.ndarray:
    """Random unit cluster centres (the first ``len(ISSUES)`` are the planted issues')."""
    c = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def clustered_vectors(clusters: np.ndarray, seed: int = 2) -> np.ndarray:
    """Unit vectors: the given cluster's centre plus Gaussian noise, normalised."""
    centres = cluster_centres()
    rng = np.random.default_rng(seed)
    out = np.empty((len(clusters), DIM), dtype=np.float32)
    for lo in range(0, len(clusters), 100_000):
        cl = clusters[lo: lo + 100_000]
        c = centres[cl]
        noise = np.where(cl < len(ISSUES), PLANTED_NOISE, NOISE).astype(np.float32)[:, None]
        v = c + rng.standard_normal(c.shape, dtype=np.float32) * noise
        out[lo: lo + len(c)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def write_vectors(settings, embedder, passage_clusters: dict[int, int], seed: int = 2):
    """Store clustered synthetic vectors for the passages under ``embedder``'s identity.

    Returns:
        The saved :class:`index.vectors.VectorIndex`.
    """
    from index.vectors import VectorIndex

    ids = np.fromiter(passage_clusters.keys(), dtype=np.int64, count=len(passage_clusters))
    cl = np.fromiter(passage_clusters.values(), dtype=np.int64, count=len(passage_clusters))
    if embedder.dim != DIM:
        raise ValueError(f"model dim {embedder.dim} != {DIM}")
    vi = VectorIndex(settings, embedder.dim, embedder.name, embedder.fingerprint,
                     np.round(embedder.probe_vectors, 6).tolist())
    vi.add(ids, clustered_vectors(cl, seed))
    vi.save()
    return vi


def main() -> None:
    import argparse
    import json

    from index.store import Archive

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archive_dir")
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from radslag.config import load_settings

    settings = load_settings(archive_dir=args.archive_dir)
    with Archive(settings.db_path) as archive:
        rep = generate(archive, args.items, seed=args.seed)
    print(json.dumps({"meetings": rep.meetings, "items": rep.items, "passages": rep.passages,
                      "councils": rep.councils, "planted": len(rep.planted), "seconds": rep.seconds}))


if __name__ == "__main__":
    main()

"""Generate a synthetic, labelled series of safety-council minutes.

``python tests/tools/make_series.py [OUT_DIR]`` writes eight meetings of
"Trygghetsrådet i Exempelstad" (2022-02-10 … 2023-11-16) as plain-text
minutes plus ``labels.json`` into ``tests/data/synthetic/`` (default).

The series has recurring issues (motorburen ungdom, klotter, narkotika i
centrum, belysning) worded differently each time, one-off items, procedural
items, follow-up promises, some answered in a later meeting and some not,
and negatives (sentences that look like but are not commitments).

``labels.json`` holds:

* ``threads``: lists of item refs (``"<date>#<item number>"``) that deal
  with the same issue, first mention first. True links are consecutive pairs.
* ``followups``: one entry per commitment with the sentence, who, due,
  status (``öppen``/``besvarad``) and ``answered_by`` (an item ref or null).
* ``negatives``: sentences that must not be detected as follow-ups.

The module also offers :func:`load_series` (parse the text files back into
stage records), :func:`write_series` (write them into an ``Archive``, with
topics from a small lexicon) and :func:`generate_archive` (a large random
archive for benchmarks, thousands of meetings per minute).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from radslag.types import AgendaItem, Document, Entity, MeetingMeta, Participant, TopicTag  # noqa: E402

DEFAULT_OUT = ROOT / "tests" / "data" / "synthetic"
BODY = "Trygghetsrådet"
MUNICIPALITY = "Exempelstad"

DATES = [
    "2022-02-10", "2022-05-12", "2022-09-15", "2022-11-17",
    "2023-02-09", "2023-05-11", "2023-09-14", "2023-11-16",
]

PARTICIPANTS = [
    ("Karin Lund", "ordförande", "S"),
    ("Erik Holm", "kommunpolis", None),
    ("Sara Nilsson", "säkerhetssamordnare", None),
    ("Ali Hassan", "fältsekreterare", None),
    ("Maria Berg", "rektor Centrumskolan", None),
]

# Each meeting: list of (title, text). Item 1 and 2 are procedural.
MEETINGS: list[list[tuple[str, str]]] = [
    # 1. 2022-02-10
    [
        ("Lägesbild motorburen ungdom", (
            "Polisen berättar om lägesbilden. Under hösten har det varit mycket buskörning med epatraktorer "
            "och mopedbilar kring Torget på fredagskvällarna, ofta med hög musik. Boende har klagat på störningar "
            "och farliga omkörningar.\n\n"
            "Polisen tar med sig frågan om fler trafikkontroller vid Torget på helgerna."
        )),
        ("Klotter och skadegörelse", (
            "Säkerhetssamordnaren Sara Nilsson redovisar att klotter på fasader och elskåp i centrum har ökat. "
            "Kommunens egna fastigheter saneras inom ett dygn, men privata fastighetsägare tar bort klottret "
            "betydligt långsammare.\n\n"
            "Kommunen ska undersöka om fastighetsägarna kan samverka kring klottersanering och återkomma till rådet."
        )),
        ("Trygghetsvandring i Norrby", (
            "En trygghetsvandring genomfördes i Norrby i januari tillsammans med bostadsbolaget. "
            "Deltagarna pekade ut mörka gångtunnlar och buskage som skymmer sikten."
        )),
    ],
    # 2. 2022-05-12
    [
        ("Uppföljning motorburen ungdom", (
            "Polisen återkopplar från förra mötet: trafikkontroller vid Torget har genomförts fyra helger i rad "
            "och flera epatraktorer har rapporterats för otillåten trimning. Buskörningen har minskat något."
        )),
        ("Narkotikahandel vid Resecentrum", (
            "Fältsekreteraren Ali Hassan berättar att ungdomar uppger att det är lätt att köpa cannabis vid "
            "Resecentrum på kvällstid. Polisen bekräftar att narkotikahandeln i centrum är ett fokusområde. "
            "Flera i rådet påpekar att Resecentrum är dåligt upplyst.\n\n"
            "Vi tar med oss frågan om bättre belysning vid Resecentrum."
        )),
        ("Trygghetsmätning 2022", (
            "Kommunen har deltagit i polisens trygghetsmätning under våren. Resultaten sammanställs under sommaren.\n\n"
            "På nästa möte ska deltagarna ta del av resultaten från trygghetsmätningen."
        )),
    ],
    # 3. 2022-09-15
    [
        ("Resultat från trygghetsmätningen", (
            "Säkerhetssamordnaren presenterar resultaten från trygghetsmätningen. Andelen som känner sig otrygga "
            "i centrum på kvällen har ökat, medan otryggheten i Norrby har minskat."
        )),
        ("Sanering av klotter hos privata fastighetsägare", (
            "Kommunen har undersökt saken och kallat fastighetsägarna i centrum till ett möte. Fastighetsägarna "
            "har enats om att anlita samma saneringsfirma så att klotter tas bort inom 48 timmar."
        )),
        ("Droger i centrum", (
            "Polisen har gjort flera beslag av narkotika i centrumområdet och kring Resecentrum under sommaren. "
            "Socialtjänstens fältgrupp har ökat sin närvaro på kvällarna.\n\n"
            "Socialtjänsten återkopplar i nästa möte om hur många ungdomar som nåtts av fältgruppen."
        )),
        ("Ny kommunpolis", (
            "Erik Holm presenterar sig som ny kommunpolis i Exempelstad. Han har tidigare arbetat i grannkommunen."
        )),
    ],
    # 4. 2022-11-17
    [
        ("Belysning i centrum och vid Resecentrum", (
            "Tekniska förvaltningen berättar att belysningen vid Resecentrum och i Parkstråket har förbättrats "
            "med nya armaturer under hösten, efter rådets önskemål om bättre belysning."
        )),
        ("Mopedbilar och epatraktorer", (
            "Problemen med motorburen ungdom har återkommit under hösten. Mopedbilar kör i hög fart på "
            "parkeringen vid Torget och spelar hög musik sent på kvällarna."
        )),
        ("Trygghetsvandring våren 2023", (
            "Rådet planerar en trygghetsvandring i centrum i april.\n\n"
            "En separat inbjudan till trygghetsvandringen kommer att skickas ut till rådets medlemmar."
        )),
    ],
    # 5. 2023-02-09
    [
        ("Klotter på skolor", (
            "Rektor Maria Berg berättar att Centrumskolan och Norrbyskolan drabbats av omfattande graffiti under "
            "vintern. Skadegörelsen kostar skolorna stora summor.\n\n"
            "Nämnden ger förvaltningen i uppdrag att ta fram en handlingsplan mot klotter och återredovisa den i oktober."
        )),
        ("Narkotika bland unga", (
            "Polisen redovisar att fler unga under 18 år misstänks för narkotikabrott i centrum. Langningen sker "
            "ofta via sociala medier och överlämningen vid Resecentrum."
        )),
        ("Medborgarlöften 2023", (
            "Kommunen och polisen har tecknat nya medborgarlöften för 2023 med fokus på ökad närvaro i centrum."
        )),
    ],
    # 6. 2023-05-11
    [
        ("Buskörning på Storgatan", (
            "Boende på Storgatan klagar på buskörning med epatraktorer och mopedbilar. Polisen har gjort "
            "hastighetskontroller men ungdomarna återkommer.\n\n"
            "Kommunpolisen ska kontakta Trafikverket om hastighetsdämpande åtgärder på Storgatan."
        )),
        ("Narkotikahandeln vid Resecentrum", (
            "Polisen och fältgruppen berättar att handeln med cannabis vid Resecentrum har flyttat till "
            "parken bakom stationen sedan kamerorna sattes upp."
        )),
        ("Sommarlovsaktiviteter", (
            "Kultur- och fritidsförvaltningen presenterar sommarens gratisaktiviteter för barn och unga."
        )),
    ],
    # 7. 2023-09-14
    [
        ("Motorburen ungdom i sommar", (
            "Sommaren har präglats av motorburen ungdom: epatraktorer har samlats vid Torget och på Storgatan "
            "nästan varje helg med hög musik. Polisen har rapporterat flera förare."
        )),
        ("Belysning i Parkstråket", (
            "Flera lampor i Parkstråket är trasiga igen och området upplevs mörkt. Tekniska förvaltningen "
            "lovar att byta armaturerna under hösten."
        )),
        ("Nattvandring", (
            "Föreningen Nattvandrarna saknar vuxna som kan gå på helgerna.\n\n"
            "Vi tar med oss frågan om fler nattvandrare till helgerna.\n\n"
            "Kommunen bjuder in fastighetsägaren för Resecentrum till nästa råd."
        )),
    ],
    # 8. 2023-11-16
    [
        ("Handlingsplan mot klotter", (
            "Förvaltningen redovisar handlingsplanen mot klotter som rådet efterfrågade. Planen innebär snabb "
            "sanering, polisanmälan av all skadegörelse och samarbete med skolorna om graffiti."
        )),
        ("Resecentrum och narkotikan", (
            "Fastighetsägaren för Resecentrum deltar och berättar om nya kameror och väktare. Polisen bedömer att "
            "narkotikahandeln vid Resecentrum har minskat men finns kvar i parken."
        )),
        ("Trafiksäkerhet vid skolorna", (
            "Rektorerna tar upp att föräldrar kör för fort vid skolornas avlämningsplatser på morgonen."
        )),
    ],
]

PROCEDURAL = [
    ("Närvaro", "Närvarande enligt deltagarlistan. Ordföranden Karin Lund hälsar alla välkomna."),
    ("Föregående minnesanteckningar", "Förra mötets anteckningar godkänns och läggs till handlingarna."),
]
CLOSING = ("Övriga frågor", "Inga övriga frågor. Nästa möte {next} kl. 17.30 i kommunhuset.")

# (meeting index, item title) per thread, first mention first.
THREADS = {
    "motorburen ungdom": [(0, "Lägesbild motorburen ungdom"), (1, "Uppföljning motorburen ungdom"),
                          (3, "Mopedbilar och epatraktorer"), (5, "Buskörning på Storgatan"),
                          (6, "Motorburen ungdom i sommar")],
    "klotter": [(0, "Klotter och skadegörelse"), (2, "Sanering av klotter hos privata fastighetsägare"),
                (4, "Klotter på skolor"), (7, "Handlingsplan mot klotter")],
    "narkotika i centrum": [(1, "Narkotikahandel vid Resecentrum"), (2, "Droger i centrum"),
                            (4, "Narkotika bland unga"), (5, "Narkotikahandeln vid Resecentrum"),
                            (7, "Resecentrum och narkotikan")],
    "belysning": [(3, "Belysning i centrum och vid Resecentrum"), (6, "Belysning i Parkstråket")],
    "trygghetsmätning": [(1, "Trygghetsmätning 2022"), (2, "Resultat från trygghetsmätningen")],
}

# (meeting index, sentence start, who, due, status, answered_by (meeting index, title) or None)
FOLLOWUPS = [
    (0, "Polisen tar med sig frågan om fler trafikkontroller", "Polisen", None, "besvarad", (1, "Uppföljning motorburen ungdom")),
    (0, "Kommunen ska undersöka om fastighetsägarna", "Kommunen", None, "besvarad", (2, "Sanering av klotter hos privata fastighetsägare")),
    (1, "Vi tar med oss frågan om bättre belysning", "vi", None, "besvarad", (3, "Belysning i centrum och vid Resecentrum")),
    (1, "På nästa möte ska deltagarna ta del av resultaten", "deltagarna", "På nästa möte", "besvarad", (2, "Resultat från trygghetsmätningen")),
    (2, "Socialtjänsten återkopplar i nästa möte", "Socialtjänsten", "i nästa möte", "öppen", None),
    (3, "En separat inbjudan till trygghetsvandringen", None, None, "öppen", None),
    (4, "Nämnden ger förvaltningen i uppdrag att ta fram en handlingsplan", "förvaltningen", "i oktober", "besvarad", (7, "Handlingsplan mot klotter")),
    (5, "Kommunpolisen ska kontakta Trafikverket", "Kommunpolisen", None, "öppen", None),
    (6, "Vi tar med oss frågan om fler nattvandrare", "vi", None, "öppen", None),
    (6, "Kommunen bjuder in fastighetsägaren för Resecentrum", "Kommunen", "till nästa råd", "besvarad", (7, "Resecentrum och narkotikan")),
]

NEGATIVES = [
    "Polisen berättar om lägesbilden.",
    "Förra mötets anteckningar godkänns och läggs till handlingarna.",
    "Inga övriga frågor.",
    "Tekniska förvaltningen lovar att byta armaturerna under hösten.",  # a promise, but reported, not made by the council
    "Han har tidigare arbetat i grannkommunen.",
    "Kommunen har undersökt saken och kallat fastighetsägarna i centrum till ett möte.",
]

TOPIC_LEXICON = {
    "motorburen_ungdom": ("motorburen ungdom", ("epatraktor", "mopedbil", "buskörning", "motorburen", "a-traktor")),
    "klotter": ("klotter och skadegörelse", ("klotter", "graffiti", "skadegörelse")),
    "narkotika": ("narkotika", ("narkotika", "cannabis", "droger", "langning")),
    "belysning": ("belysning", ("belysning", "armatur", "lampor", "mörk")),
    "trygghetsmatning": ("trygghetsmätning", ("trygghetsmätning",)),
}


def ref(meeting_index: int, title: str) -> str:
    """Item ref ``"<date>#<number>"`` for a title in a meeting."""
    titles = [t for t, _ in PROCEDURAL] + [t for t, _ in MEETINGS[meeting_index]] + [CLOSING[0]]
    return f"{DATES[meeting_index]}#{titles.index(title) + 1}"


def render_meeting(index: int) -> str:
    """The text of meeting ``index`` as plain-text minutes."""
    date = DATES[index]
    nxt = DATES[index + 1] if index + 1 < len(DATES) else "meddelas senare"
    people = ", ".join(f"{n} ({r})" for n, r, _ in PARTICIPANTS)
    lines = [f"{BODY} i {MUNICIPALITY}", "", "Minnesanteckningar", f"Datum: {date}", f"Deltagare: {people}", ""]
    items = PROCEDURAL + MEETINGS[index] + [(CLOSING[0], CLOSING[1].format(next=nxt))]
    for n, (title, text) in enumerate(items, start=1):
        lines += [f"{n}. {title}", "", text, ""]
    return "\n".join(lines)


def labels() -> dict:
    """The ground truth for the series."""
    return {
        "body": BODY,
        "municipality": MUNICIPALITY,
        "meetings": [f"{d}.txt" for d in DATES],
        "threads": {name: [ref(m, t) for m, t in members] for name, members in THREADS.items()},
        "followups": [
            {
                "item": ref(m, next(t for t, txt in MEETINGS[m] if sentence in txt)),
                "sentence": sentence,
                "who": who,
                "due": due,
                "status": status,
                "answered_by": ref(*answered) if answered else None,
            }
            for m, sentence, who, due, status, answered in FOLLOWUPS
        ],
        "negatives": NEGATIVES,
    }


def write_files(out: Path = DEFAULT_OUT) -> list[Path]:
    """Write the minutes and ``labels.json`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, date in enumerate(DATES):
        p = out / f"{date}.txt"
        p.write_text(render_meeting(i), encoding="utf-8")
        paths.append(p)
    (out / "labels.json").write_text(json.dumps(labels(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return paths


# -- reading back ----------------------------------------------------------------------

_HEAD = re.compile(r"^(\d+)\. (.+)$", re.M)


def parse_minutes(text: str, source: str) -> tuple[Document, MeetingMeta, list[AgendaItem]]:
    """Parse a generated minutes file into stage records (a tiny segmenter)."""
    date = re.search(r"^Datum: (\d{4}-\d{2}-\d{2})", text, re.M)
    first = text.splitlines()[0]
    body, _, municipality = first.partition(" i ")
    people = re.search(r"^Deltagare: (.+)$", text, re.M)
    participants = []
    if people:
        for part in people.group(1).split("), "):
            name, _, role = part.rstrip(")").partition(" (")
            participants.append(Participant(name=name.strip(), role=role or None))
    heads = list(_HEAD.finditer(text))
    items = []
    for n, h in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        items.append(AgendaItem(number=h.group(1), title=h.group(2).strip(), text=text[h.end():end].strip(),
                                start=h.start(), end=end, heading_source="numbered"))
    doc = Document(source=source, text=text, reader="txt",
                   content_hash=hashlib.sha256(text.encode()).hexdigest(), size=len(text.encode()))
    meta = MeetingMeta(kind="minutes", body=body.strip(), municipality=municipality.strip() or None,
                       date=dt.date.fromisoformat(date.group(1)) if date else None,
                       participants=participants, title=f"{body} {date.group(1) if date else ''}".strip())
    return doc, meta, items


def load_series(folder: Path = DEFAULT_OUT) -> list[tuple[Document, MeetingMeta, list[AgendaItem]]]:
    """Parse every ``*.txt`` in ``folder`` (sorted by name)."""
    return [parse_minutes(p.read_text(encoding="utf-8"), p.name) for p in sorted(folder.glob("*.txt"))]


def tag_topics(text: str) -> list[TopicTag]:
    """Lexicon topics for synthetic items (a stand-in for ingest.topics)."""
    low = text.casefold()
    tags = []
    for tid, (label, words) in TOPIC_LEXICON.items():
        hits = sum(low.count(w) for w in words)
        if hits:
            tags.append(TopicTag(id=tid, label=label, score=min(1.0, 0.5 + 0.1 * hits)))
    return tags


def place_entities(text: str) -> list[Entity]:
    """Place entities for a few known synthetic places (a stand-in for ingest.entities)."""
    out = []
    for place in ("Torget", "Resecentrum", "Storgatan", "Norrby", "Parkstråket", "Exempelstad"):
        for m in re.finditer(rf"\b{place}\w*", text):
            out.append(Entity(text=m.group(), label="LOC", start=m.start(), end=m.end(), canonical=place))
    return out


def write_series(archive, folder: Path = DEFAULT_OUT, enrich: bool = True) -> dict[str, int]:
    """Write the series into ``archive``; return item ids by ref ``"<date>#<n>"``."""
    refs: dict[str, int] = {}
    for doc, meta, items in load_series(folder):
        meeting_id, _, _ = archive.write_document(doc, meta, items)
        for row in archive.items(meeting_id=meeting_id):
            key = f"{meta.date.isoformat()}#{row.number}"
            refs[key] = row.id
            if enrich:
                archive.write_enrichment(row.id, place_entities(row.text), tag_topics(f"{row.title} {row.text}"))
    return refs


# -- large random archives ----------------------------------------------------------------


def generate_archive(archive, n_meetings: int, seed: int = 7, bodies: int = 100) -> dict[str, float]:
    """Fill ``archive`` with ``n_meetings`` random meetings spread over ``bodies`` councils.

    Items are drawn from the synthetic series with random municipality
    names; every meeting gets 5-7 items and lexicon topics. Writes happen in
    batched transactions.
    """
    import time

    rng = random.Random(seed)
    pool = [it for m in MEETINGS for it in m]
    t0 = time.perf_counter()
    start = dt.date(2015, 1, 1)
    per_body = max(1, n_meetings // bodies)
    written = 0
    bodies_left = [(b, per_body if b < bodies - 1 else n_meetings - per_body * (bodies - 1)) for b in range(bodies)]
    batch: list[tuple[Document, MeetingMeta, list[AgendaItem]]] = []

    def flush() -> None:
        with archive.transaction():  # 500 meetings a transaction
            for doc, meta, items in batch:
                meeting_id, _, _ = archive.write_document(doc, meta, items)
                for item_id, item in zip(archive.item_ids(meeting_id), items):
                    archive.write_enrichment(item_id, [], tag_topics(f"{item.title} {item.text}"))
        batch.clear()

    for b, count in bodies_left:
        municipality = f"Kommun{b:03d}"
        for k in range(count):
            date = start + dt.timedelta(days=int(k * 3650 / max(per_body, 1)) + rng.randint(0, 20))
            chosen = PROCEDURAL + rng.sample(pool, rng.randint(3, 5))
            text_parts, items, pos = [], [], 0
            for n, (title, body_text) in enumerate(chosen, start=1):
                block = f"{n}. {title}\n\n{body_text}\n\n"
                items.append(AgendaItem(number=str(n), title=title, text=body_text, start=pos,
                                        end=pos + len(block), heading_source="numbered"))
                text_parts.append(block)
                pos += len(block)
            text = "".join(text_parts)
            source = f"gen/{municipality}/{date.isoformat()}-{k}.txt"
            doc = Document(source=source, text=text, reader="txt",
                           content_hash=hashlib.sha256(source.encode()).hexdigest())
            meta = MeetingMeta(kind="minutes", body="Trygghetsråd", municipality=municipality, date=date,
                               participants=[Participant(name=n, role=r) for n, r, _ in PARTICIPANTS[:3]])
            batch.append((doc, meta, items))
            written += 1
            if len(batch) == 500:
                flush()
    flush()
    return {"meetings": written, "seconds": round(time.perf_counter() - t0, 2)}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for path in write_files(target):
        print(path)
    print(target / "labels.json")

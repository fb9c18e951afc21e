"""How a file was understood: the logic behind ``radslag inspect FILE``.

:func:`inspect_file` reads one file and returns a JSON-safe dict: meeting
facts with their sources, the items (number, case number, title, heading
source, pages, sections), the document's own agenda list, the page furniture
the reader removed and the warnings. :func:`render` turns it into plain
Swedish text. The labels of the rendering are in :data:`LABELS` (string
table: Swedish first, English for ``lang="en"``).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from ingest.metadata import extract_metadata
from ingest.readers import read_document
from ingest.segment import analyze
from ingest.segment.flat import running_phrases

__all__ = ["inspect_file", "inspect_document", "render", "LABELS"]

#: String table for :func:`render` (move to radslag/data/ui.yaml when wired into the CLI).
LABELS: dict[str, dict[str, str]] = {
    "file": {"sv": "Fil", "en": "File"},
    "reader": {"sv": "Läsare", "en": "Reader"},
    "pages": {"sv": "Sidor", "en": "Pages"},
    "meeting": {"sv": "Mötet", "en": "Meeting"},
    "kind": {"sv": "Typ", "en": "Kind"},
    "body": {"sv": "Organ", "en": "Body"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "date": {"sv": "Datum", "en": "Date"},
    "place": {"sv": "Plats", "en": "Place"},
    "chair": {"sv": "Ordförande", "en": "Chair"},
    "secretary": {"sv": "Sekreterare", "en": "Secretary"},
    "source": {"sv": "källa", "en": "source"},
    "missing": {"sv": "saknas", "en": "missing"},
    "items": {"sv": "Ärenden", "en": "Items"},
    "dnr": {"sv": "Dnr", "en": "Case no."},
    "sections": {"sv": "Avsnitt", "en": "Sections"},
    "page": {"sv": "s.", "en": "p."},
    "agenda": {"sv": "Ärendelista i dokumentet", "en": "The document's agenda list"},
    "no_agenda": {"sv": "Ingen ärendelista hittades", "en": "No agenda list found"},
    "furniture": {"sv": "Borttaget som sidhuvud/sidfot", "en": "Removed as page header/footer"},
    "warnings": {"sv": "Varningar", "en": "Warnings"},
    "flattened": {"sv": "Texten saknade radbrytningar; ärenden delades vid nummer i löptexten",
                  "en": "The text had lost its line breaks; items were cut at inline numbers"},
}


def _date(meta) -> str | None:
    if meta.date:
        return meta.date.isoformat()
    if meta.year and getattr(meta, "month", None):
        return f"{meta.year:04d}-{meta.month:02d}"
    return str(meta.year) if meta.year else None


def inspect_document(doc) -> dict[str, Any]:
    """The structure of an already read document (see :func:`inspect_file`)."""
    meta = extract_metadata(doc)
    st = analyze(doc)
    prov = meta.provenance
    facts = {
        field: {"value": value, "source": prov.get(field)}
        for field, value in (
            ("kind", meta.kind), ("body", meta.body), ("municipality", meta.municipality), ("date", _date(meta)),
            ("place", meta.place), ("chair", meta.chair), ("secretary", meta.secretary),
        )
    }
    items = []
    for it in st.items:
        items.append({
            "number": it.number,
            "dnr": it.dnr,
            "title": it.title,
            "heading_source": it.heading_source,
            "pages": it.pages,
            "start": it.start,
            "end": it.end,
            "chars": len(it.text),
            "sections": [asdict(s) for s in it.sections],
        })
    warnings = list(doc.warnings) + [w for w in st.warnings if w not in doc.warnings]
    return {
        "source": doc.source,
        "reader": doc.reader,
        "pages": len(doc.pages),
        "meeting": facts,
        "participants": len(meta.participants),
        "items": items,
        "agenda": [asdict(e) for e in st.agenda],
        "scheme": st.scheme,
        "flattened": st.flattened,
        # Lines the reader removed, and in flattened text the running phrases learnt
        # from repetition (they stay in the text but are skipped when finding items).
        "furniture": [str(x) for x in (doc.front_matter.get("running_lines") or [])]
        + (running_phrases(doc.text or "") if st.flattened else []),
        "warnings": warnings,
    }


def inspect_file(path: str | Path) -> dict[str, Any]:
    """Read ``path`` and return how it was understood.

    Raises:
        IngestError: when the file cannot be read (same reasons as ingest).
    """
    path = Path(path)
    return inspect_document(read_document(path, str(path)))


def render(info: dict[str, Any], lang: str = "sv") -> str:
    """Plain-text rendering of :func:`inspect_file`'s result."""

    def t(key: str) -> str:
        return LABELS[key].get(lang) or LABELS[key]["sv"]

    out = [f"{t('file')}: {info['source']}  ({t('reader')}: {info['reader']}, {t('pages')}: {info['pages']})", ""]
    out.append(f"{t('meeting')}:")
    for field, fact in info["meeting"].items():
        value = fact["value"] if fact["value"] not in (None, "") else f"({t('missing')})"
        src = f"  [{t('source')}: {fact['source']}]" if fact["source"] else ""
        out.append(f"  {t(field)}: {value}{src}")
    out.append("")
    out.append(f"{t('items')} ({len(info['items'])}):")
    for it in info["items"]:
        head = " ".join(x for x in (it["number"], it["title"]) if x)
        extra = []
        if it["dnr"]:
            extra.append(f"{t('dnr')} {it['dnr']}")
        if it["pages"]:
            extra.append(f"{t('page')} {it['pages'][0]}" + (f"–{it['pages'][-1]}" if len(it["pages"]) > 1 else ""))
        extra.append(it["heading_source"])
        out.append(f"  {head}  ({', '.join(extra)})")
        if it["sections"]:
            out.append(f"    {t('sections')}: " + ", ".join(s["title"] for s in it["sections"]))
    out.append("")
    if info["agenda"]:
        out.append(f"{t('agenda')} ({len(info['agenda'])}):")
        for e in info["agenda"]:
            out.append("  " + " ".join(str(x) for x in (e["number"], e["title"]) if x))
    else:
        out.append(t("no_agenda"))
    if info["flattened"]:
        out.append(t("flattened"))
    if info["furniture"]:
        out.append("")
        out.append(f"{t('furniture')} ({len(info['furniture'])}):")
        for line in sorted(set(info["furniture"]))[:20]:
            out.append(f"  {line}")
    if info["warnings"]:
        out.append("")
        out.append(f"{t('warnings')}:")
        for w in info["warnings"]:
            out.append(f"  - {w}")
    return "\n".join(out) + "\n"

"""How a file was understood: the logic behind ``radslag inspect FILE``.

:func:`inspect_file` reads one file and returns a JSON-safe dict: meeting
facts with their sources, the items (number, case number, title, heading
source, pages, sections), the document's own agenda list, the page furniture
the reader removed and the warnings. :func:`render` turns it into plain
Swedish text (English with ``lang="en"``), its labels from the string table
(``cli_inspect_*`` in radslag/data/ui.yaml).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from ingest.metadata import extract_metadata
from ingest.readers import read_document
from ingest.segment import analyze
from ingest.segment.flat import running_phrases
from radslag.i18n import has, kind_label, t

__all__ = ["inspect_file", "inspect_document", "render"]

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


def heading_label(source: str | None, lang: str) -> str:
    """How an item's heading was found, in words where the string table has them."""
    if not source:
        return ""
    key = f"cli_inspect_heading_{source}"
    return t(key, lang) if has(key) else t("cli_inspect_heading_other", lang, source=source)


def _value(field: str, value, lang: str) -> str:
    if value in (None, ""):
        return f"({t('cli_inspect_missing', lang)})"
    return kind_label(value, lang) if field == "kind" else str(value)


def render(info: dict[str, Any], lang: str = "sv") -> str:
    """Plain text of :func:`inspect_file`'s result, labels from the string table (``cli_inspect_*``)."""
    out = [t("cli_inspect_file", lang, source=info["source"], reader=info["reader"],
             pages=", " + t("sum_n_pages", lang, n=info["pages"]) if info["pages"] else ""), ""]
    out.append(t("cli_inspect_meeting", lang))
    for field, fact in info["meeting"].items():
        src = f"  [{t('cli_inspect_source', lang, source=fact['source'])}]" if fact.get("source") else ""
        out.append(f"  {t(f'cli_inspect_{field}', lang)}: {_value(field, fact['value'], lang)}{src}")
    out += ["", t("cli_inspect_items", lang, n=len(info["items"]))]
    for it in info["items"]:
        head = " ".join(x for x in (it["number"], it["title"]) if x)
        extra = []
        if it["dnr"]:
            extra.append(t("cli_inspect_dnr", lang, dnr=it["dnr"]))
        if it["pages"]:
            pages = str(it["pages"][0]) + (f"–{it['pages'][-1]}" if len(it["pages"]) > 1 else "")
            extra.append(t("cli_inspect_page", lang, pages=pages))
        extra.append(heading_label(it.get("heading_source"), lang))
        out.append(f"  {head}  ({', '.join(x for x in extra if x)})")
        if it["sections"]:
            out.append("    " + t("cli_inspect_sections", lang, sections=", ".join(s["title"] for s in it["sections"])))
    out.append("")
    if info["agenda"]:
        out.append(t("cli_inspect_agenda", lang, n=len(info["agenda"])))
        for e in info["agenda"]:
            out.append("  " + " ".join(str(x) for x in (e["number"], e["title"]) if x))
    else:
        out.append(t("cli_inspect_no_agenda", lang))
    if info["flattened"]:
        out.append(t("cli_inspect_flattened", lang))
    if info["furniture"]:
        out += ["", t("cli_inspect_furniture", lang, n=len(info["furniture"]))]
        out += [f"  {line}" for line in sorted(set(info["furniture"]))[:20]]
    if info["warnings"]:
        out += ["", t("cli_inspect_warnings", lang)]
        out += [f"  - {w}" for w in info["warnings"]]
    return "\n".join(out) + "\n"

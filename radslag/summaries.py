"""Human summaries of runs, the same in the command line and the app.

Each function takes a result record (duck-typed, so the floor imports
neither ``ingest`` nor ``index``) and returns lines in the string table's
language: the per-file report of an ingest ("inläst: protokoll.pdf (12
punkter, protokoll)"), its closing line ("Klart: 10 inlästa, 0 misslyckade")
and the closing line of a reindex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from radslag.i18n import kind_label, t

#: File outcomes in the order a summary lists them.
STATUSES = ("ingested", "unchanged", "replaced", "failed")


@dataclass
class Line:
    """One line of a report: ``level`` is ``info``, ``error`` or ``note``."""

    level: str
    text: str


def ingest_counts(report: Any, lang: str) -> str:
    """'Klart: 10 inlästa, 0 oförändrade, 0 ersatta, 0 misslyckade'."""
    counts = report.counts()
    parts = [t(f"sum_{s}", lang, n=counts.get(s, 0)) for s in STATUSES]
    return t("sum_done", lang, what=", ".join(parts))


def file_line(result: Any, lang: str) -> Line:
    """One file's outcome: what was read, or why it failed (by name, with the reason code)."""
    if result.status == "failed":
        return Line("error", t("sum_file_failed", lang, source=result.source, message=result.message,
                               reason=result.reason))
    if result.status in ("ingested", "replaced"):
        return Line("info", t(f"sum_file_{result.status}", lang, source=result.source,
                              items=t("sum_n_items", lang, n=result.items), kind=kind_label(result.kind, lang)))
    return Line("info", t("sum_file_unchanged", lang, source=result.source))


def ingest_lines(report: Any, lang: str, *, unchanged: bool = False) -> list[Line]:
    """Every file's line (unchanged files only with ``unchanged``), then the notes, then the total."""
    lines = [file_line(f, lang) for f in report.files if unchanged or f.status != "unchanged"]
    lines += [Line("note", t("sum_note", lang, note=note)) for note in report.notes]
    lines.append(Line("info", ingest_counts(report, lang)))
    return lines


def reindex_line(counts: dict[str, Any], lang: str) -> str:
    """'Klart: 268 passager och 268 vektorer för 150 punkter (exakt index, modell …)'."""
    return t("sum_reindex", lang, passages=t("sum_n_passages", lang, n=counts.get("passages", 0)),
             vectors=t("sum_n_vectors", lang, n=counts.get("vectors", 0)),
             items=t("sum_n_items", lang, n=counts.get("items", 0)),
             index=t(f"sum_index_{counts.get('index_type') or 'flat'}", lang), model=counts.get("model") or "–")


def modes_text(modes_used: list[str], lang: str) -> str:
    """How a search ran, in words: 'nyckelord och semantik'."""
    if set(modes_used) >= {"keyword", "dense"}:
        return t("sum_mode_hybrid", lang)
    return t(f"sum_mode_{modes_used[0]}", lang) if modes_used else t("sum_mode_none", lang)


def search_summary(result: Any, lang: str) -> str:
    """'10 träffar · sökt med nyckelord och semantik · 31 ms (modellen laddades på 2,1 s)'."""
    text = t("sum_search", lang, hits=t("sum_n_hits", lang, n=len(result.hits)),
             modes=modes_text(result.modes_used, lang), ms=f"{result.elapsed_ms:.0f}")
    if getattr(result, "load_ms", 0) > 100:
        text += " " + t("sum_search_loaded", lang, s=f"{result.load_ms / 1000:.1f}".replace(".", "," if lang == "sv" else "."))
    return text

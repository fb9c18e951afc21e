"""Words kept and page furniture removed by the PDF reader, page by page.

The reference is ``pdftotext -layout`` (poppler-utils) on the same file: for
every page the words pdftotext finds there are compared with the words the
reader put into that page's span of ``Document.text`` plus the words it
removed from that page as furniture (``front_matter["page_furniture"]``).

* ``kept_share``: share of the non-furniture reference words found in the
  page text (multiset of casefolded ``\\w+`` tokens; a word the reader joined
  across a hyphenated line break counts as its two halves).
* ``furniture_share``: share of the reference words the reader removed as
  page furniture.
* ``lost``: reference words found neither in the text nor in the furniture.
* ``extra``: words in the page text that pdftotext does not have on that page.
* ``leaked_furniture``: whole lines of the text (outside page 1, whose
  running header is kept once as the title), among the first or last four
  lines of a page, that equal a line poppler
  (``pdftotext -bbox``) places at the same height in the top or bottom fifth
  of at least half of the pages, or a page-number form found in those bands.
  An independent check: it uses poppler's words, not the reader's rules.

Prints one JSON object: per file and overall.

Usage: python bench/pdfwords.py [FILES_OR_FOLDERS ...]
(default: corpus/real and the PDF test fixtures)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.readers.pdf import read_pdf  # noqa: E402
from radslag.errors import IngestError  # noqa: E402
from radslag.types import Document  # noqa: E402

_WORD = re.compile(r"\w+")
_PAGE_NO = re.compile(
    r"^(?:(?:sida|page|s\.)\s*)?\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3}|\s*[(\[]\s*\d{1,3}\s*[)\]])?$", re.I
)


def tokens(text: str) -> list[str]:
    """Casefolded word tokens (NFKC, so ligatures compare equal)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return _WORD.findall(text.casefold())


def pdftotext_pages(path: Path) -> list[str]:
    """The page texts of ``pdftotext -layout`` (split at form feeds)."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def _bbox_lines(path: Path) -> list[tuple[float, list[tuple[float, str]]]]:
    """Per page: its height and its lines as (top, text), from ``pdftotext -bbox``."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages: list[tuple[float, list[tuple[float, str]]]] = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.S):
        rows: dict[int, list[tuple[float, str]]] = {}
        for w in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page.group(2)):
            rows.setdefault(round(float(w.group(2)) / 3), []).append((float(w.group(1)), html_unescape(w.group(3))))
        lines = [(key * 3.0, " ".join(t for _, t in sorted(ws))) for key, ws in sorted(rows.items())]
        pages.append((float(page.group(1)), lines))
    return pages


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def reference_furniture(path: Path, band: float = 0.2) -> set[str]:
    """Lines poppler shows at a page edge that repeat at the same height on at
    least half of the pages, and page-number forms there.

    Only the run of such lines touching the top or bottom edge counts: a
    section heading that happens to stand at the same height on many pages,
    below the page's own item heading, is content.
    """
    pages = _bbox_lines(path)
    seen: dict[str, set[tuple[int, int]]] = {}
    for p, (height, lines) in enumerate(pages):
        for top, text in lines:
            if top < band * height or top > (1 - band) * height:
                seen.setdefault(" ".join(text.split()), set()).add((p, round(top / 4)))
    need = max(2, (len(pages) + 1) // 2)
    repeated: set[tuple[str, int]] = set()
    for text, where in seen.items():
        at = Counter(y for _, y in where).most_common(1)[0][0]
        pages_at = {p for p, y in where if abs(y - at) <= 1}
        if len(pages_at) >= need and any(ch.isalnum() for ch in text):
            repeated.update((text, y) for p, y in where if abs(y - at) <= 1)
    furniture: set[str] = set()
    for height, lines in pages:
        edge_top = [(t, " ".join(x.split())) for t, x in lines if t < band * height]
        edge_bottom = [(t, " ".join(x.split())) for t, x in lines if t > (1 - band) * height][::-1]
        for edge in (edge_top, edge_bottom):
            for top, text in edge:
                if _PAGE_NO.match(text) or (text, round(top / 4)) in repeated:
                    furniture.add(text)
                else:
                    break
    return furniture


def _match(ref: Counter[str], got: Counter[str]) -> tuple[int, Counter[str], Counter[str]]:
    """Matched count, unmatched reference words, unmatched reader words (hyphen joins allowed)."""
    common = ref & got
    missing = ref - common
    extra = got - common
    matched = sum(common.values())
    for word in list(extra.elements()):
        for k in range(2, len(word) - 1):
            a, b = word[:k], word[k:]
            if missing[a] > 0 and missing[b] > 0 and (a != b or missing[a] > 1):
                missing[a] -= 1
                missing[b] -= 1
                extra[word] -= 1
                matched += 2
                break
    return matched, +missing, +extra


def compare(doc: Document, ref_pages: list[Counter[str]]) -> dict[str, Any]:
    """Words kept and furniture removed, page by page, against reference page words.

    Args:
        doc: The document as the reader made it.
        ref_pages: The reference words of each page (``tokens`` of pdftotext's page).

    Returns:
        Totals, the worst page, examples of lost words and per-page
        ``kept_share`` (share of the page's non-furniture words found in the
        page's own span of the text).
    """
    furniture: dict[int, list[str]] = {}
    for entry in doc.front_matter.get("page_furniture", []):
        furniture.setdefault(int(entry["page"]), []).append(entry["text"])
    total = {"ref": 0, "kept": 0, "furniture": 0, "lost": 0, "extra": 0}
    worst = (1.0, 0)
    lost_examples: list[str] = []
    per_page: list[float] = []
    for span in doc.pages:
        ref = ref_pages[span.number - 1] if span.number <= len(ref_pages) else Counter()
        got = Counter(tokens(doc.text[span.start : span.end]))
        furn = Counter(tokens("\n".join(furniture.get(span.number, []))))
        kept, missing, extra = _match(ref, got)
        furn_hit, missing, _ = _match(missing, furn)
        n_ref = sum(ref.values())
        total["ref"] += n_ref
        total["kept"] += kept
        total["furniture"] += furn_hit
        total["lost"] += sum(missing.values())
        total["extra"] += sum(extra.values())
        body = n_ref - furn_hit
        share = kept / body if body else 1.0
        per_page.append(round(share, 4))
        if share < worst[0]:
            worst = (share, span.number)
        if missing and len(lost_examples) < 12:
            lost_examples.extend(f"p{span.number}:{w}" for w in list(missing.elements())[: 12 - len(lost_examples)])
    body = total["ref"] - total["furniture"]
    return {
        "pages": len(doc.pages),
        "ref_words": total["ref"],
        "kept_share": round(total["kept"] / body, 4) if body else 1.0,
        "furniture_share": round(total["furniture"] / total["ref"], 4) if total["ref"] else 0.0,
        "furniture_words": total["furniture"],
        "lost": total["lost"],
        "extra": total["extra"],
        "worst_page": {"page": worst[1], "kept_share": round(worst[0], 4)},
        "lost_examples": lost_examples,
        "per_page_kept_share": per_page,
    }


def measure(path: Path) -> dict[str, Any]:
    """Word and furniture figures for one PDF, against pdftotext run now."""
    try:
        doc = read_pdf(path, str(path))
    except IngestError as exc:
        return {"file": path.name, "error": exc.reason}
    figures = compare(doc, [Counter(tokens(page)) for page in pdftotext_pages(path)])
    figures.pop("per_page_kept_share")
    ref_furn = reference_furniture(path)
    leaked = []
    for span in doc.pages[1:]:
        lines = [" ".join(ln.split()) for ln in doc.text[span.start : span.end].split("\n") if ln.strip()]
        for s in lines[:4] + lines[4:][-4:]:
            if s in ref_furn:
                leaked.append(f"p{span.number}:{s}")
    return {"file": path.name, **figures, "leaked_furniture": len(leaked), "leaked_examples": leaked[:6]}


def collect(args: list[str]) -> list[Path]:
    paths: list[Path] = []
    for arg in args:
        p = Path(arg)
        paths.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "corpus" / "real"), str(ROOT / "tests" / "fixtures" / "pdf")])
    args = ap.parse_args()
    files = [measure(p) for p in collect(args.paths)]
    ok = [f for f in files if "error" not in f]
    ref = sum(f["ref_words"] for f in ok)
    furn = sum(f["furniture_words"] for f in ok)
    lost = sum(f["lost"] for f in ok)
    overall = {
        "files": len(ok),
        "errors": len(files) - len(ok),
        "pages": sum(f["pages"] for f in ok),
        "ref_words": ref,
        "kept_share": round(1 - lost / (ref - furn), 4) if ref > furn else 1.0,
        "furniture_share": round(furn / ref, 4) if ref else 0.0,
        "lost": lost,
        "extra": sum(f["extra"] for f in ok),
        "leaked_furniture": sum(f["leaked_furniture"] for f in ok),
        "min_file_kept_share": min((f["kept_share"] for f in ok), default=1.0),
    }
    print(json.dumps({"reference": "pdftotext -layout", "overall": overall, "files": files}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

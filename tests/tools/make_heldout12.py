"""Write the twelfth held-out structure set: a kommunfullmäktige, a kommunstyrelse's ekonomiutskott, an
arbetsmarknadsnämnd, a miljö- och byggnämnd, a kultur- och turismnämnd, the revisorer, a landsbygdsberedning and a
kallelse in eight templates of sets 1, 10 and 11, and council notes (Word, plain text and a new Markdown form).

Run ``python tests/tools/make_heldout12.py`` to regenerate ``tests/data/heldout12/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout12/gold/``. The content lives in
``tests/tools/data/heldout12_meetings.yaml``; the records, templates and the set writer are imported from
``make_heldout.py`` … ``make_heldout11.py``. Like sets 7–11 the set aims to be representative of what Swedish
municipalities publish, weighted to common shapes, in municipalities none of the earlier sets used. Each label
comes from the same record its document is rendered from; none was made by running the reader, and the author
of this file did not read the reader's code (see ``tests/data/heldout12/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout8 as h8  # noqa: E402
import make_heldout10 as h10  # noqa: E402
import make_heldout11 as h11  # noqa: E402
from make_heldout import Meeting, sv_weekday  # noqa: E402

CONTENT = Path(__file__).resolve().parent / "data" / "heldout12_meetings.yaml"
MEETINGS: list[Meeting] = h8.load_meetings(CONTENT)
# Every PDF template is met again as it is: set 1's Ciceron-like (with its Ärendelista) and W3D3-like ones, set
# 10's KF, prefix, one-line region and grouped kallelse ones, and set 11's one-row byggnadsnämnd and title-left
# ones.
PDF_RENDERERS: dict = {
    "heldout12-ciceron": h.render_ciceron,
    "heldout12-w3d3": h.render_w3d3,
    "heldout12-kfdiarie": h10.render_kfdiarie,
    "heldout12-kspref": h10.render_kspref,
    "heldout12-region": h10.render_region,
    "heldout12-kallelsegrupper": h10.render_kallelsegrupper,
    "heldout12-bnrow": h11.render_bnrow,
    "heldout12-titleleft": h11.render_titleleft,
}
MONTHS_SHORT = ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."]


def sv_date_short(iso: str) -> str:
    """'2025-11-27' -> '27 nov. 2025' (the abbreviated month many note-takers write)."""
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS_SHORT[int(month) - 1]} {year}"


def render_estmd(m: Meeting) -> str:
    """EST notes in Markdown: the organisation in bold, the group as '#', the date as 'torsdag 27 nov. 2025' in
    a facts table; items as level-3 headings '### 3. Title' with their notes as paragraphs below."""
    f = m.front
    out = [f"**{f['org']}**", "", f"# {m.body} (EST)", "", "| | |", "|---|---|",
           f"| Datum | {sv_weekday(m.date)} {sv_date_short(m.date)} |", f"| Tid | {f['tid']} |",
           f"| Plats | {f['plats']} |", "", f"Deltagare: {f['deltagare']}", ""]
    for it in m.items:
        out += [f"### {it.number}. {it.title}", ""]
        for line in it.desc:
            out += [line, ""]
    out += [f"*Antecknat av {f['sekreterare']}*", ""]
    return "\n".join(out)


TEXT_RENDERERS = {"heldout12-bratxt": h11.render_bratxt, "heldout12-estmd": render_estmd}


def main() -> None:
    h.write_set_main("heldout12", MEETINGS, TEXT_RENDERERS, h11.render_rffdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()

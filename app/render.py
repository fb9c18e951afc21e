"""HTML and Markdown the app shows: hits, items, meetings, notes, timeline plots.

Every string that comes from a document (text, titles, names, file names,
metadata) goes through :mod:`radslag.safe` (``html_text``/``md_text``, which
also mask personal data when the app masks it), and every piece of HTML built
here passes :func:`radslag.safe.clean_html` last.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from index.search import SearchResult, display_title, highlight_spans
from radslag.i18n import kind_label, t
from radslag.safe import clean_html, html_text, md_text, plain, shown
from radslag.types import Item, Meeting


def highlight(text: str, query: str) -> str:
    """``text`` as HTML with the words of ``query`` in ``<mark>``."""
    value = plain(shown(text))  # mask the whole text before cutting it, so no piece of a number escapes
    out, last = [], 0
    for start, end in highlight_spans(value, query):
        out.append(html.escape(value[last:start]))
        out.append(f"<mark>{html.escape(value[start:end])}</mark>")
        last = end
    out.append(html.escape(value[last:]))
    return "".join(out)


def note(text: str) -> str:
    """A highlighted note (an error or a caveat) as HTML."""
    return clean_html(f'<div class="note">{html_text(text)}</div>')


def file_name(source: str | None) -> str:
    """The file name of a source path (no folders shown)."""
    return Path(source or "").name or "–"


def render_hits(result: SearchResult, lang: str) -> str:
    """HTML cards for a search result."""
    parts = [f'<div class="note">{html_text(n)}</div>' for n in result.notes]
    if not result.hits:
        parts.append(f"<p>{html_text(t('no_hits', lang))}</p>")
        return clean_html("\n".join(parts))
    parts.append(
        f"<p>{html_text(t('app_hits', lang, n=len(result.hits), modes='+'.join(result.modes_used), ms=f'{result.elapsed_ms:.0f}'))}</p>"
    )
    for h in result.hits:
        topics = "".join(f"<span>{html_text(tp['label'])}</span>" for tp in h.topics[:5])
        parts.append(
            f'<div class="hit" data-item="{int(h.item_id)}" data-meeting="{int(h.meeting_id)}">'
            f"<h4>{h.rank}. {html_text(display_title(h.item_number, h.item_title))}</h4>"
            f'<div class="meta">{html_text(h.date or t("unknown_date", lang))} · {html_text(h.body or "–")} · '
            f"{html_text(h.municipality or '–')} · {html_text(kind_label(h.kind, lang))} · "
            f"{html_text(file_name(h.source))}</div>"
            f'<div class="snippet">{highlight(h.snippet, result.query)}</div>'
            f'<div class="topics">{topics}</div></div>'
        )
    return clean_html("\n".join(parts))


def render_item(item: Item, lang: str) -> str:
    """Markdown view of one whole agenda item (document strings escaped)."""
    pages = f" · {t('app_pages', lang)} {', '.join(map(str, item.pages))}" if item.pages else ""
    lines = [
        f"### {md_text(display_title(item.number, item.title))}",
        f"**{md_text(item.date or t('unknown_date', lang))}** · {md_text(item.body or '–')} · "
        f"{md_text(item.municipality or '–')} · {md_text(file_name(item.source))}{pages}",
        "",
        md_text(item.text),
    ]
    if item.topics:
        lines += ["", f"**{t('app_topics', lang)}:** " + ", ".join(md_text(tp.label) for tp in item.topics)]
    people = sorted({e.canonical or e.text for e in item.entities if e.label == "PER"})
    orgs = sorted({e.canonical or e.text for e in item.entities if e.label == "ORG"})
    if people:
        lines.append(f"**{t('app_people', lang)}:** " + ", ".join(md_text(p) for p in people))
    if orgs:
        lines.append(f"**{t('app_orgs', lang)}:** " + ", ".join(md_text(o) for o in orgs))
    return "\n".join(lines)


def render_meeting(meeting: Meeting, items: list[Item], lang: str) -> str:
    """Markdown view of a whole meeting: metadata and every agenda item (document strings escaped)."""
    m = meeting
    lines = [
        f"## {md_text(m.body or t('app_meeting', lang))} – {md_text(m.date or t('unknown_date', lang))}",
        f"{md_text(m.municipality or '–')} · {md_text(kind_label(m.kind, lang))} · {md_text(file_name(m.source))}",
    ]
    for key, value in (("app_place", m.place), ("app_chair", m.chair), ("app_secretary", m.secretary)):
        if value:
            lines.append(f"**{t(key, lang)}:** {md_text(value)}")
    if m.participants:
        people = [p.name + (f" ({p.party})" if p.party else "") + (f", {p.role}" if p.role else "")
                  for p in m.participants]
        lines.append(f"**{t('app_participants', lang)}:** " + "; ".join(md_text(p) for p in people))
    if m.next_meeting:
        lines.append(f"**{t('app_next_meeting', lang)}:** {md_text(m.next_meeting)}")
    for item in items:
        lines += ["", f"### {md_text(display_title(item.number, item.title))}", "", md_text(item.text)]
    return "\n".join(lines)


def timeline_figure(rows: list[dict[str, Any]], title: str, lang: str):
    """Plotly bar chart: items per period, coloured by body."""
    import plotly.graph_objects as go

    fig = go.Figure()
    bodies = sorted({r["body"] or "–" for r in rows})
    for body in bodies:
        sel = [r for r in rows if (r["body"] or "–") == body]
        fig.add_bar(x=[r["period"] for r in sel], y=[r["item_count"] for r in sel], name=shown(body),
                    hovertext=[t("app_hover", lang, m=r["meeting_count"], n=r["item_count"]) for r in sel])
    fig.update_layout(title=title, barmode="stack", xaxis_title=t("app_period", lang),
                      yaxis_title=t("app_col_items", lang), height=320, margin=dict(l=40, r=20, t=50, b=40),
                      legend_title=t("app_body", lang))
    # chronological, undated last (periods are ISO strings, so they sort as text)
    periods = sorted({r["period"] for r in rows}, key=lambda p: (not p[:1].isdigit(), p))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    return fig

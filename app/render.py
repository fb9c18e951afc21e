"""HTML and Markdown the app shows: hits, items, meetings, notes, timeline plots.

Every string that comes from a document (text, titles, names, file names,
metadata) goes through :mod:`radslag.safe` (``html_text``/``md_text``, which
also mask personal data when the app masks it), and every piece of HTML built
here passes :func:`radslag.safe.clean_html` last.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.search import SearchResult, display_title, highlight_spans
from radslag.councils import council_name
from radslag.i18n import kind_label, t
from radslag.safe import clean_html, html_text, plain, shown
from radslag.summaries import search_summary
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


def render_hits(result: SearchResult, lang: str, dates: dict[int, str] | None = None,
                ocr: dict[int, dict] | None = None) -> str:
    """HTML cards for a search result.

    ``dates`` gives each item's date as precisely as known (``2021 (år)``),
    ``ocr`` the OCR mark of items read by OCR (shown as a badge).
    """
    dates, ocr = dates or {}, ocr or {}
    parts = [f'<div class="note">{html_text(n)}</div>' for n in result.notes]
    if not result.hits:
        parts.append(f"<p>{html_text(t('no_hits', lang))}</p>")
        if result.nearest:  # asked for: the closest items, marked as below the cutoff
            parts.append(f'<p class="nearest">{html_text(t("nearest_head", lang))}</p>')
            parts.extend(_cards(result, result.nearest, lang, dates, ocr))
        return clean_html("\n".join(parts))
    parts.append(f'<p class="count">{html_text(search_summary(result, lang))}</p>')
    parts.extend(_cards(result, result.hits, lang, dates, ocr))
    return clean_html("\n".join(parts))


def _cards(result: SearchResult, hits: list, lang: str, dates: dict[int, str], ocr: dict[int, dict]) -> list[str]:
    """One HTML card per hit."""
    parts = []
    for h in hits:
        topics = "".join(f"<span>{html_text(tp['label'])}</span>" for tp in h.topics[:5])
        parts.append(
            f'<div class="hit" data-item="{int(h.item_id)}" data-meeting="{int(h.meeting_id)}">'
            f"<h4>{open_link(h.item_id, html_text(display_title(h.item_number, h.item_title)), h.meeting_id, result.query)}</h4>"
            f'<div class="meta">{html_text(dates.get(h.item_id) or h.date or t("unknown_date", lang))} · '
            f"{html_text(council_name(h.municipality, h.body))} · {html_text(kind_label(h.kind, lang))} · "
            f"{html_text(file_name(h.source))}</div>"
            f"{ocr_badge(ocr.get(h.item_id), lang)}"
            f'<div class="snippet">{highlight(h.snippet, result.query)}</div>'
            f'<div class="topics">{topics}</div></div>'
        )
    return parts


#: One colour per council, the same in every plot (councils in the archive's order pick them in turn).
PALETTE = ("#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#953800",
           "#57606a", "#6639ba", "#116329", "#a40e26")
#: Where a period sits on the time axis, and how wide its bar is (days).
_PLACE = {"meeting": (None, 6), "month": ("-15", 24), "quarter": (None, 80), "year": ("-07-01", 300)}


def council_colours(keys: list[str]) -> dict[str, str]:
    """A colour for each council key, in the given (stable) order."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def period_date(period: str, precision: str | None) -> str | None:
    """Where a period label sits on a time axis: the day itself, or the middle of its month, quarter or year."""
    if precision is None or not period[:1].isdigit():
        return None
    if precision == "quarter" or "-Q" in period:
        year, q = period.split("-Q")
        return f"{year}-{3 * int(q) - 1:02d}-15"
    if len(period) == 10:
        return period
    if len(period) == 7:
        return period + "-15"
    return period[:4] + "-07-01"


def timeline_figure(rows: list[dict[str, Any]], title: str, lang: str, colours: dict[str, str] | None = None):
    """Plotly bars of items per period on a time axis, one colour per council; undated rows left out.

    Periods are placed by time (gaps show), counts are whole numbers, and a
    timeline without mentions says "Inga omnämnanden" instead of drawing
    empty axes. Returns the figure; :func:`undated_note` says what was left out.
    """
    import plotly.graph_objects as go

    bars, layout = _timeline_parts(rows, title, lang, colours)
    return go.Figure(data=bars, layout=layout)


@lru_cache(maxsize=1)
def _plotly_template_json() -> str:
    """The default plotly template as JSON (what ``Figure.to_json`` puts in every figure's layout)."""
    import plotly.io as pio

    return json.dumps(pio.templates[pio.templates.default].to_plotly_json(), ensure_ascii=False)


def timeline_plot(rows: list[dict[str, Any]], title: str, lang: str, colours: dict[str, str] | None = None):
    """:func:`timeline_figure` as the app's plot sends it, without building the figure.

    Returns Gradio's plot payload holding the JSON ``timeline_figure(...).to_json()``
    writes (the same object; tested). Building and validating the plotly
    figure and writing it out again was about 2 ms of every search's CPU.
    """
    from gradio.components.plot import PlotData

    bars, layout = _timeline_parts(rows, title, lang, colours)
    body = json.dumps(layout, ensure_ascii=False)
    body = body[:-1] + (", " if layout else "") + '"template": ' + _plotly_template_json() + "}"
    return PlotData(type="plotly", plot='{"data": ' + json.dumps(bars, ensure_ascii=False) + ', "layout": ' + body + "}")


def _timeline_parts(rows: list[dict[str, Any]], title: str, lang: str,
                    colours: dict[str, str] | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The bars and layout of :func:`timeline_figure`, as plain data."""
    colours = dict(colours or {})
    dated = [r for r in rows if period_date(r["period"], r.get("precision")) and r["item_count"]]
    councils: dict[str, str] = {}
    for r in dated:
        key = r.get("council_key") or r.get("body") or "–"
        councils.setdefault(key, r.get("council") or r.get("body") or "–")
    for key in councils:
        colours.setdefault(key, PALETTE[len(colours) % len(PALETTE)])
    # built as plain data and validated once: add_bar/update_layout per call cost ~5x the CPU of a search's
    # plot (plotly parses every magic-underscore keyword), measured under load in bench/load.py
    bars = []
    top = 0
    for key, name in councils.items():
        sel = [r for r in dated if (r.get("council_key") or r.get("body") or "–") == key]
        width = [_PLACE.get(r.get("precision") or "meeting", (None, 6))[1] * 86_400_000 for r in sel]
        bars.append({
            "type": "bar", "x": [period_date(r["period"], r.get("precision")) for r in sel],
            "y": [r["item_count"] for r in sel], "width": width, "name": plain(shown(name)),
            # a year-only meeting spans its year: see-through, so dated bars under it still show
            "marker": {"color": colours[key],
                       "opacity": [0.4 if r.get("precision") == "year" else 1.0 for r in sel]},
            "hovertext": [f"{r['period']}: " + t("app_hover2", lang, m=t("app_n_meetings", lang, n=r["meeting_count"]),
                                                  n=t("app_n_items", lang, n=r["item_count"])) for r in sel],
            "hoverinfo": "text",
        })
        top = max([top, *[r["item_count"] for r in sel]])
    step = max(1, -(-top // 5))
    layout: dict[str, Any] = {
        # the title carries the query: a lone surrogate in it would fail the whole answer
        "title": {"text": plain(title)}, "barmode": "stack", "height": 320,
        "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
        "legend": {"title": {"text": t("app_council", lang)}},
        "xaxis": {"type": "date", "title": {"text": t("app_time_axis", lang)}, "tickformat": "%Y-%m"},  # no English months
        "yaxis": {"title": {"text": t("app_col_items", lang)}, "tick0": 0, "dtick": step, "tickformat": "d",
                  "rangemode": "tozero"},
    }
    if not dated:
        layout["xaxis"]["visible"] = False
        layout["yaxis"]["visible"] = False
        layout["annotations"] = [{"text": t("app_no_mentions", lang), "showarrow": False, "x": 0.5, "y": 0.5,
                                  "xref": "paper", "yref": "paper", "font": {"size": 16, "color": "#57606a"}}]
    return bars, layout


def undated_note(rows: list[dict[str, Any]], lang: str) -> str:
    """'Utan datum (inte i diagrammet): 2 punkter – Arboga – Förebyggande rådet' (empty when all are dated)."""
    undated = [r for r in rows if not period_date(r["period"], r.get("precision")) and r["item_count"]]
    if not undated:
        return ""
    parts = [f"{t('app_n_items', lang, n=r['item_count'])} – {r.get('council') or r.get('body') or '–'}"
             for r in undated]
    return t("app_undated", lang, what="; ".join(parts))


# -- issue history ----------------------------------------------------------------------


def open_link(item_id: int, text_html: str, meeting_id: int | None = None, query: str | None = None) -> str:
    """A link that opens item ``item_id`` in place (and is a shareable address without JavaScript)."""
    from urllib.parse import urlencode

    params = {"item": int(item_id)}
    if query:
        params = {"q": query, **params}
    meeting = f' data-meeting="{int(meeting_id)}"' if meeting_id is not None else ""
    return (f'<a class="open-item" data-item="{int(item_id)}"{meeting} '
            f'href="?{html.escape(urlencode(params), quote=True)}">{text_html}</a>')


def _followup_html(f, lang: str) -> str:
    who = f"{html_text(f.who)}: " if f.who else ""
    due = f" ({html_text(f.due)})" if f.due else ""
    if f.answered:
        where = html_text(f.answered_title or "")
        if f.answered_by_item_id:
            where = open_link(f.answered_by_item_id, where)
        status = (f'<span class="status answered">{html_text(t("app_hist_answered", lang))}</span> '
                  + html_text(t("app_hist_answered_when", lang, when=f.answered_when or t("unknown_date", lang),
                                council=f.answered_council or "")) + f" – {where}")
    else:
        status = f'<span class="status open">{html_text(t("app_hist_open", lang))}</span>'
    return (f'<li><span class="label">{html_text(t("app_hist_promised", lang))}:</span> '
            f"{who}{html_text(f.what)}{due} – {status}</li>")


def _linked_html(link, lang: str) -> str:
    from index.history import ELSEWHERE, SAME_DNR

    reason = link.reason
    if reason.startswith(SAME_DNR):  # "samma diarienummer KS 2021/12"
        reason = t("app_hist_reason_dnr", lang) + reason[len(SAME_DNR):]
    elif reason == ELSEWHERE:
        reason = t("app_hist_reason_elsewhere", lang)
    return (f"<li>{html_text(link.when or t('unknown_date', lang))} · {html_text(link.council)} · "
            f"{open_link(link.item_id, html_text(link.title), link.meeting_id)} "
            f'<span class="reason">({html_text(reason)})</span></li>')


def render_history(history, lang: str, query: str | None = None) -> str:
    """HTML of an :class:`index.history.IssueHistory`: one card per item, dated, with promises and links."""
    from index.search import display_title
    from radslag.periods import when_label

    where = history.council or t("history_all_councils", lang)
    meetings = len({e.meeting_id for e in history.entries})
    parts = [f'<h3 class="history-title">{html_text(t("history_title", lang, subject=history.subject, council=where))}</h3>']
    parts.append(f'<p class="count">{html_text(t("app_hist_count", lang, items=t("app_n_items", lang, n=len(history.entries)), meetings=t("app_n_meetings", lang, n=meetings)))}</p>')
    for n in history.notes:
        parts.append(f'<div class="note">{html_text(n)}</div>')
    if not history.entries:
        parts.append(f'<p class="empty">{html_text(t("history_none", lang))}</p>')
    for e in history.entries:
        council = "" if history.council_key else f" · {html_text(e.council)}"
        pages = f" · {html_text(t('app_page_short', lang, pages=', '.join(map(str, e.pages))))}" if e.pages else ""
        title = open_link(e.item_id, html_text(display_title(e.item_number, e.item_title)), e.meeting_id, query)
        parts.append(
            f'<div class="entry" data-item="{int(e.item_id)}" data-meeting="{int(e.meeting_id)}">'
            f'<div class="when"><time>{html_text(when_label(e, lang))}</time>{council}</div>'
            f"<h4>{title}</h4>"
            + (f'<blockquote class="snippet">{highlight(e.snippet, history.query or "")}</blockquote>' if e.snippet else "")
            + (f'<ul class="promises">{"".join(_followup_html(f, lang) for f in e.followups)}</ul>' if e.followups else "")
            + (f'<div class="linked"><span class="label">{html_text(t("app_hist_linked", lang))}:</span><ul>'
               f'{"".join(_linked_html(link, lang) for link in e.linked)}</ul></div>' if e.linked else "")
            + f'<div class="meta">{html_text(file_name(e.source))}{pages}</div></div>'
        )
    if history.elsewhere:
        parts.append(f'<h4 class="elsewhere">{html_text(t("history_elsewhere", lang))}</h4><ul class="elsewhere">'
                     + "".join(_linked_html(link, lang) for link in history.elsewhere) + "</ul>")
    parts.append(f'<p class="rule">{html_text(t("app_hist_rule_topic" if history.topic else "app_hist_rule_query", lang))}</p>')
    return clean_html("\n".join(parts))


# -- one item, one meeting (open in place) ------------------------------------------------

#: Section kinds shown first, as the item's decision.
DECISION_KINDS = ("beslut",)


def _paragraphs(text: str, query: str | None = None) -> str:
    """``text`` as HTML paragraphs (blank lines split them, line breaks kept), query words marked."""
    out = []
    for block in [b for b in (text or "").split("\n\n") if b.strip()]:
        lines = [highlight(line, query) if query else html_text(line) for line in block.strip("\n").split("\n")]
        out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)


def item_parts(item: Item) -> list[tuple[str | None, str | None, str]]:
    """The item's text cut at its sections: ``(kind, heading, text)``, the part before the first with no kind.

    Section offsets are in the document; the body text ends where the item ends.
    """
    body_start = item.end - len(item.text)
    cuts = []
    for s in sorted(item.sections or [], key=lambda s: s.start):
        rel = s.start - body_start
        if 0 <= rel <= len(item.text):
            cuts.append((rel, s))
    if not cuts:
        return [(None, None, item.text)]
    parts = []
    if item.text[:cuts[0][0]].strip():
        parts.append((None, None, item.text[:cuts[0][0]]))
    for i, (rel, s) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(item.text)
        chunk = item.text[rel:end]
        # the heading as written starts the chunk: show it once, as the heading
        if chunk.lstrip().startswith(s.title):
            chunk = chunk.lstrip()[len(s.title):].lstrip(" :\t")
        parts.append((s.kind, s.title, chunk))
    return parts


def ocr_badge(mark: dict | None, lang: str) -> str:
    """The "OCR-text, säkerhet 87 %" badge of an item read by OCR (empty when not)."""
    if not mark:
        return ""
    from radslag.i18n import percent

    return (f'<span class="badge ocr" title="{html_text(t("app_ocr_hint", lang))}">'
            f'{html_text(t("app_ocr_badge", lang, confidence=percent(mark.get("confidence") or 0, lang)))}</span>')


def _facts(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr><th scope="row">{html_text(k)}</th><td>{v}</td></tr>' for k, v in rows if v)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def source_label(source: str | None, pages: list[int] | None, lang: str) -> str:
    """"fil.pdf, sida 3" (or "sidor 3–4"): the original file and where in it."""
    name = file_name(source)
    if not pages:
        return name
    span = str(pages[0]) if len(pages) == 1 else f"{pages[0]}–{pages[-1]}"
    return t("app_source_pages", lang, file=name, pages=span, n=len(pages))


def render_item_view(item: Item, meeting: Meeting | None, lang: str, query: str | None = None,
                     ocr: dict | None = None) -> str:
    """HTML of one opened item: title, OCR badge, meeting facts, the decision first, then the text."""
    from radslag.councils import council_name
    from radslag.periods import when_label

    title = html_text(display_title(item.number, item.title))
    facts = [
        (t("app_col_date", lang), html_text(when_label(item, lang))),
        (t("app_council", lang), html_text(council_name(item.municipality, item.body))),
        (t("app_col_kind", lang), html_text(kind_label(item.kind, lang))),
    ]
    if meeting is not None:
        facts += [(t("app_place", lang), html_text(meeting.place or "")),
                  (t("app_chair", lang), html_text(meeting.chair or ""))]
    facts += [(t("app_dnr", lang), html_text(item.dnr or "")),
              (t("app_col_file", lang), html_text(source_label(item.source, item.pages, lang)))]
    parts = item_parts(item)
    decisions = [p for p in parts if p[0] in DECISION_KINDS and p[2].strip()]
    out = [f'<div class="item-view" data-item="{int(item.id)}" data-meeting="{int(item.meeting_id)}">',
           f"<h3>{title}</h3>", ocr_badge(ocr, lang), _facts(facts)]
    for _, heading, text in decisions:
        out.append(f'<div class="decision"><h4>{html_text(heading or t("app_decision", lang))}</h4>'
                   f"{_paragraphs(text, query)}</div>")
    out.append('<div class="item-text">')
    for kind, heading, text in parts:
        if kind in DECISION_KINDS and text.strip():
            continue  # shown above
        if heading:
            out.append(f"<h5>{html_text(heading)}</h5>")
        out.append(_paragraphs(text, query))
    out.append("</div>")
    if item.topics:
        out.append(f'<p class="topics"><b>{html_text(t("app_topics", lang))}:</b> '
                   + "".join(f"<span>{html_text(tp.label)}</span>" for tp in item.topics) + "</p>")
    people = sorted({e.canonical or e.text for e in item.entities if e.label == "PER"})
    orgs = sorted({e.canonical or e.text for e in item.entities if e.label == "ORG"})
    if people:
        out.append(f'<p><b>{html_text(t("app_people", lang))}:</b> {html_text(", ".join(people))}</p>')
    if orgs:
        out.append(f'<p><b>{html_text(t("app_orgs", lang))}:</b> {html_text(", ".join(orgs))}</p>')
    out.append("</div>")
    return clean_html("".join(out))


def render_meeting_view(meeting: Meeting, items: list[Item], lang: str, marked: int | None = None) -> str:
    """HTML of a whole meeting: a short facts table, then every item, the ``marked`` one highlighted."""
    from radslag.councils import council_name
    from radslag.periods import when_label

    m = meeting
    people = "; ".join(p.name + (f" ({p.party})" if p.party else "") + (f", {p.role}" if p.role else "")
                       for p in m.participants)
    facts = [
        (t("app_col_date", lang), html_text(when_label(m, lang))),
        (t("app_time", lang), html_text(m.time or "")),
        (t("app_council", lang), html_text(council_name(m.municipality, m.body))),
        (t("app_col_kind", lang), html_text(kind_label(m.kind, lang))),
        (t("app_place", lang), html_text(m.place or "")),
        (t("app_chair", lang), html_text(m.chair or "")),
        (t("app_secretary", lang), html_text(m.secretary or "")),
        (t("app_participants", lang), html_text(people)),
        (t("app_next_meeting", lang), html_text(m.next_meeting or "")),
        (t("app_col_file", lang), html_text(file_name(m.source))),
    ]
    heading = t("app_meeting_title", lang, council=council_name(m.municipality, m.body), when=when_label(m, lang))
    out = [f'<div class="meeting-view" data-meeting="{int(m.id)}">', f"<h3>{html_text(heading)}</h3>",
           _facts(facts), f'<p class="count">{html_text(t("app_n_items", lang, n=len(items)))}</p>']
    for item in items:
        mark = " marked" if marked is not None and item.id == marked else ""
        label = (f' <span class="badge chosen">{html_text(t("app_marked", lang))}</span>' if mark else "")
        out.append(f'<div class="meeting-item{mark}" data-item="{int(item.id)}">'
                   f"<h4>{html_text(display_title(item.number, item.title))}{label}</h4>"
                   f"{_paragraphs(item.text)}</div>")
    out.append("</div>")
    return clean_html("".join(out))

"""Ämnen: the topic explorer (heatmap over time or bodies) and one topic's timeline."""

from __future__ import annotations

import gradio as gr

from app.common import colours, download_path
from app.render import timeline_figure, undated_note
from index.store import Archive
from index.timeline import timeline
from index.topics import topic_counts
from radslag.config import Settings
from radslag.filters import ALL, parse_filters
from radslag.i18n import t
from radslag.periods import chronological
from radslag.safe import shown
from radslag.taxonomy import load_taxonomy

TAB_ID = "amnen"
LABEL = "app_topics"


def topic_heatmap(settings: Settings, by: str, body: str):
    """Heatmap of tagged items per topic and period (or body), for one body or all."""
    import plotly.graph_objects as go

    lang = settings.language
    filters = parse_filters(body=body)
    with Archive(settings.db_path) as arc:
        rows = topic_counts(arc, by=by, filters=filters)
    unknown = t("unknown_date", lang)
    column = [str((shown(r.body) if by == "body" else r.period) or unknown) for r in rows]
    labels = sorted({r.label for r in rows})
    periods = sorted(set(column), key=lambda p: chronological(None if p == unknown else p))
    z = [[0] * len(periods) for _ in labels]
    for r, col in zip(rows, column):
        z[labels.index(r.label)][periods.index(col)] += r.items
    fig = go.Figure(go.Heatmap(z=z, x=periods, y=labels, colorscale="YlOrRd",
                               hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>"))
    title = t("app_heat_title", lang) + (f" – {shown(filters.body)}" if filters.body else "")
    fig.update_layout(title=title, height=max(360, 22 * len(labels) + 120), margin=dict(l=220, r=20, t=50, b=60))
    fig.update_xaxes(type="category")
    return fig


def topic_timeline(settings: Settings, topic: str, by: str) -> tuple:
    """Timeline of one topic: (figure, CSV path, mention rule)."""
    lang = settings.language
    filters = parse_filters(topic=topic)
    if not filters.topic:
        return None, None, t("app_pick_topic", lang)
    with Archive(settings.db_path) as arc:
        tl = timeline(arc, topic=filters.topic, by=by, settings=settings)
        palette = colours(arc)
    path = download_path(f"tidslinje-{filters.topic}.csv")
    tl.to_csv(path)
    label = next((tp.label(lang) for tp in load_taxonomy() if tp.id == filters.topic), filters.topic)
    rows = [vars(r) for r in tl.rows]
    note = "  \n".join(x for x in (t("app_rule_topic", lang), undated_note(rows, lang)) if x)
    return timeline_figure(rows, t("app_topic_title", lang, topic=label), lang, palette), str(path), note


def build(ctx) -> None:
    """The topic tab: heatmap per period or body, and one topic's timeline with its CSV."""
    L, on = ctx.L, ctx.on
    with gr.Row():
        by = gr.Radio([(L("app_quarter"), "quarter"), (L("app_year"), "year"), (L("app_month"), "month"),
                       (L("app_body"), "body")], value="year", label=L("app_per"))
        heat_body = ctx.picker("bodies", L("app_heat_body"), value=ALL)
        heat_btn = gr.Button(L("app_show_heat"), variant="primary")
    heat = gr.Plot(label=L("app_explorer"))
    heat_btn.click(on(topic_heatmap), [by, heat_body], heat)
    with gr.Row():
        one_topic = ctx.picker("topics", L("app_topic_timeline"), value=ALL)
        tl_by = gr.Radio([(L("app_meeting"), "meeting"), (L("app_month"), "month"),
                          (L("app_quarter"), "quarter"), (L("app_year"), "year")],
                         value="meeting", label=L("app_period"))
        tl_btn = gr.Button(L("app_show_timeline"))
    topic_plot = gr.Plot(label=L("app_topic_timeline"))
    topic_note = gr.Markdown()
    topic_dl = gr.DownloadButton(L("app_dl_topic"), size="sm")
    tl_btn.click(on(topic_timeline), [one_topic, tl_by], [topic_plot, topic_dl, topic_note])

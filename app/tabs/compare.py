"""Jämför kommuner: how often a topic comes up in each council, against councils of its kind elsewhere."""

from __future__ import annotations

import gradio as gr

from app.common import download_path, slug
from index.compare import Comparison, compare, share_text, summary, verdict_text, year_label
from index.councils import resolve_filters
from index.store import Archive
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.filters import ALL
from radslag.i18n import t
from radslag.safe import clean_html, html_text, md_text, shown

TAB_ID = "jamfor"
LABEL = "w_tab_compare"


def figure(comparison: Comparison):
    """Plotly chart: each council's share of meetings with the topic (dots) and its peers' (diamonds),
    with the 95 % Wilson intervals as error bars; one category per council and year."""
    import plotly.graph_objects as go

    lang = comparison.lang
    rows = [r for r in comparison.rows if r.meetings.n]
    labels = [f"{shown(r.name)} · {year_label(r, lang)}" for r in rows]
    fig = go.Figure()

    def bars(shares):
        return dict(type="data", symmetric=False,
                    array=[100 * (s.high - s.share) if s.n else 0 for s in shares],
                    arrayminus=[100 * (s.share - s.low) if s.n else 0 for s in shares])

    own = [r.meetings for r in rows]
    fig.add_scatter(x=labels, y=[100 * s.share for s in own], mode="markers", name=t("w_cmp_plot_own", lang),
                    error_y=bars(own), marker=dict(size=10),
                    hovertext=[share_text(s, lang) for s in own], hoverinfo="text")
    peer = [r.peer_meetings for r in rows]
    fig.add_scatter(x=labels, y=[100 * s.share if s.n else None for s in peer], mode="markers",
                    name=t("w_cmp_plot_peers", lang), error_y=bars(peer), marker=dict(size=10, symbol="diamond"),
                    hovertext=[share_text(s, lang) for s in peer], hoverinfo="text")
    fig.update_layout(title=t("w_cmp_title", lang, topic=comparison.topic_label), height=380,
                      yaxis=dict(title=t("w_cmp_plot_y", lang), range=[0, 100]), scattermode="group",
                      margin=dict(l=50, r=20, t=50, b=80))
    fig.update_xaxes(type="category")
    return fig


def table_rows(comparison: Comparison) -> list[list[str]]:
    """Rows for the table: council, year, own share, items, peers, their share, verdict."""
    lang = comparison.lang
    return [[shown(r.name), year_label(r, lang), share_text(r.meetings, lang), share_text(r.items, lang),
             ", ".join(shown(p) for p in r.peers) or "–", share_text(r.peer_meetings, lang), verdict_text(r, lang)]
            for r in comparison.rows]


def run_compare(settings: Settings, topic: str, municipality: str) -> tuple:
    """Compare; returns (summary HTML, figure, table rows, CSV file)."""
    lang = settings.language
    if not topic or topic == ALL:
        return clean_html(f'<div class="note">{html_text(t("w_cmp_pick_topic", lang))}</div>'), None, [], None
    try:
        with Archive(settings.db_path) as arc:
            focus = resolve_filters(arc, municipality=None if municipality in (None, "", ALL) else municipality)
            result = compare(arc, topic, focus=focus, lang=lang)
    except RadslagError as exc:
        return clean_html(f'<div class="note">{html_text(str(exc))}</div>'), None, [], None
    parts = [f'<div class="note">{html_text(n)}</div>' for n in result.notes]
    parts += [f"<p>{html_text(line)}</p>" for line in summary(result)]
    parts.append(f'<p class="rule">{html_text(result.rule())}</p>')
    path = download_path(f"jamforelse-{slug(result.topic)}.csv")
    path.write_text("\ufeff" + result.to_csv(sep=";"), encoding="utf-8")
    return clean_html("\n".join(parts)), figure(result), table_rows(result), str(path)


def build(ctx) -> None:
    """The comparison tab: topic and municipality pickers, the answer in words, the plot and the table."""
    L = ctx.L
    gr.Markdown(md_text(L("w_cmp_intro")))
    with gr.Row():
        topic = ctx.picker("topics", L("app_topic"), value=ALL)
        municipality = ctx.picker("municipalities", L("app_municipality"), value=ALL)
        go_btn = gr.Button(L("w_cmp_go"), variant="primary", elem_id="cmp-go")
    answer = gr.HTML(elem_id="cmp-answer")
    plot = gr.Plot(label=L("w_cmp_plot_label"))
    table = gr.Dataframe(headers=[L("w_cmp_col_council"), L("w_cmp_col_year"), L("w_cmp_col_meetings"),
                                  L("w_cmp_col_items"), L("w_cmp_col_peers"), L("w_cmp_col_peer_meetings"),
                                  L("w_cmp_col_verdict")], wrap=True, elem_id="cmp-table")
    download = gr.DownloadButton(L("w_cmp_dl"), size="sm")
    go_btn.click(ctx.on(run_compare), [topic, municipality], [answer, plot, table, download])

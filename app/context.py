"""What every tab's ``build(ctx)`` gets: settings, labels, handler binding, shared pickers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from radslag.config import Settings
from radslag.i18n import t


@dataclass
class Context:
    """The app being built.

    Attributes:
        settings: Run-time settings (archive, language, masking).
        blocks: The ``gr.Blocks`` the tabs are built into (for ``blocks.load`` events).
        options: Picker choices at build time (:func:`app.choices`).
        pickers: Dropdowns whose choices come from the archive, with the key of
            :func:`app.choices` they show; refreshed after every ingest.
        shared: Components one tab offers others (e.g. ``"query"``), by name.
    """

    settings: Settings
    blocks: gr.Blocks
    options: dict[str, list]
    pickers: list[tuple[gr.Dropdown, str]] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """The language of every label (``sv`` or ``en``)."""
        return self.settings.language

    def L(self, key: str, **kwargs: object) -> str:  # noqa: N802 - short on purpose: every label goes through it
        """The label ``key`` from the string table in the app's language."""
        return t(key, self.settings.language, **kwargs)

    def on(self, handler: Callable) -> Callable:
        """``handler`` with the settings bound as its first argument."""
        return functools.partial(handler, self.settings)

    def picker(self, key: str, label: str, value: Any = None, **kwargs: Any) -> gr.Dropdown:
        """A dropdown over ``options[key]`` that is refreshed after every ingest."""
        choices = self.options[key]
        if value is None and choices:
            first = choices[0]
            value = first[1] if isinstance(first, tuple) else first
        box = gr.Dropdown(choices, value=value, label=label, **kwargs)
        self.pickers.append((box, key))
        return box

"""Rådslag's Gradio app (a thin shim over the package :mod:`app`).

Run with ``radslag serve`` (or ``python search_app.py``). The app itself, one
module per tab, lives in ``app/``; the names below stay importable from here.
"""

from __future__ import annotations

from app import CSS, TABS, build_app, ensure_archive, frontend_i18n, main  # noqa: F401
from app.common import choices  # noqa: F401
from app.detail import item_view, meeting_view  # noqa: F401
from app.render import render_hits, render_item_view, render_meeting_view, timeline_figure  # noqa: F401
from app.tabs.archive import list_meetings  # noqa: F401
from app.tabs.brief import make_brief  # noqa: F401
from app.tabs.followups import list_followups  # noqa: F401
from app.tabs.history import show_history  # noqa: F401
from app.tabs.search import open_item, open_meeting, run_search  # noqa: F401
from app.tabs.topics import topic_heatmap, topic_timeline  # noqa: F401

if __name__ == "__main__":
    main()

"""Rådslag's Gradio app: one module per tab under :mod:`app.tabs`, rendering in :mod:`app.render`.

Run with ``radslag serve`` (or ``python search_app.py``). With no archive yet,
the bundled ``corpus/`` is ingested first, with progress shown in the
terminal. Binds 127.0.0.1 by default; Gradio analytics are off.

A new tab is a module under ``app/tabs/`` (see :mod:`app.tabs`) and one line
in :data:`TABS`.
"""

from __future__ import annotations

import importlib
import os
import threading
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Gradio's queue summarises its event log (a pandas DataFrame of up to 10,000 events, grouped, with
# percentiles) after every event by default, for its API page: 3-7 ms of CPU per search, growing with
# the log. Summarised every 500 events over the last 2,000 instead.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "500")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "2000")

import gradio as gr  # noqa: E402

from app.common import choices  # noqa: E402
from app.context import Context  # noqa: E402
from index.store import Archive  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from radslag.config import CORPUS_DIR, Settings, load_settings  # noqa: E402
from radslag.i18n import t  # noqa: E402
from radslag.summaries import ingest_lines  # noqa: E402

#: The tabs in the order shown: module names under ``app/tabs/``. One line per tab.
TABS = [
    "search",
    "history",
    "topics",
    "brief",
    "followups",
    "watch",
    "compare",
    "archive",
    "add",
]

#: Seconds between checks for documents ingested elsewhere (e.g. ``radslag ingest`` into the same archive).
REFRESH_S = 15

CSS = """
.hit {border:1px solid #d0d7de; border-radius:8px; padding:10px 14px; margin:8px 0; background:#fff}
.hit h4 {margin:0 0 4px 0; font-size:1.05em}
.hit .meta {color:#57606a; font-size:0.9em; margin-bottom:6px}
.hit .snippet {line-height:1.45}
.hit mark {background:#fff3b0; padding:0 1px}
.hit .topics span {display:inline-block; background:#eef4ff; border-radius:10px; padding:1px 8px; margin:2px 4px 0 0; font-size:0.85em}
.note {color:#9a6700}
.hit, .entry {cursor:pointer}
.hit:hover, .entry:hover {border-color:#0969da}
.entry {border-left:4px solid #d0d7de; padding:6px 12px; margin:10px 0}
.entry .when {font-weight:600; color:#24292f}
.entry h4 {margin:2px 0 4px 0}
.entry blockquote {margin:4px 0; color:#333; border-left:none; padding:0}
.entry ul {margin:4px 0 4px 18px; padding:0}
.entry .meta, .hit .meta, .rule, .count {color:#57606a; font-size:0.9em}
.status {border-radius:8px; padding:0 6px; font-size:0.85em}
.status.open {background:#fff1e5; color:#953800}
.status.answered {background:#dafbe1; color:#116329}
.label {font-weight:600}
.reason {color:#57606a; font-size:0.9em}
.badge {display:inline-block; border-radius:10px; padding:1px 8px; font-size:0.85em; margin:2px 0 6px 0}
.badge.ocr {background:#fff8c5; color:#7d4e00}
.badge.chosen {background:#ddf4ff; color:#0550ae; margin-left:6px}
table.facts {border-collapse:collapse; margin:6px 0 10px 0; font-size:0.92em}
table.facts th, table.facts td {border:1px solid #d0d7de !important; padding:3px 10px !important; vertical-align:top}
table.facts th {text-align:left; color:#57606a; font-weight:600; background:#f6f8fa !important; white-space:nowrap}
table.facts td {background:#fff !important}
a.original {display:inline-block; margin:4px 0; font-weight:600}
.decision {background:#f6f8fa; border-left:4px solid #1a7f37; padding:6px 12px; margin:8px 0}
.decision h4 {margin:0 0 4px 0}
.meeting-item {border-top:1px solid #d0d7de; padding:4px 0; cursor:pointer}
.meeting-item.marked {background:#ddf4ff; border-left:4px solid #0969da; padding-left:8px}
.detail-column {align-self:flex-start}
.item-view .topics span {display:inline-block; background:#eef4ff; border-radius:10px; padding:1px 8px; margin:2px 4px 0 0; font-size:0.85em}
"""


#: Words Gradio's frontend draws itself (the upload box), by its translation key: the string table's key.
FRONTEND_WORDS = {
    "upload_text.drop_file": "app_upload_drop",
    "common.or": "app_upload_or",
    "upload_text.click_to_upload": "app_upload_click",
}


def gradio_locales() -> list[str]:
    """The languages Gradio's frontend ships words for (its asset files ``sv-<hash>.js``, …), with en and sv."""
    import re

    assets = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
    found = {"en", "sv"}
    pattern = re.compile(r"^([a-z]{2}(?:-[A-Z]{2})?)-[A-Za-z0-9_-]{8}\.js$")
    try:
        for path in assets.iterdir():
            match = pattern.match(path.name)
            if match:
                found.add(match.group(1))
    except OSError:
        pass
    return sorted(found)


def frontend_i18n(lang: str) -> gr.I18n:
    """Gradio's own words (:data:`FRONTEND_WORDS`) in the app's language, whatever the browser's.

    Gradio's frontend picks its words by the browser's language, so a Swedish
    app in an English browser showed "Drop File Here" (and an English one in a
    Swedish browser "Släpp fil här"). The same words are given for every
    language Gradio knows, as flat keys, which its lookup finds before its own
    nested ones.
    """
    words = {key: t(name, lang) for key, name in FRONTEND_WORDS.items()}
    return gr.I18n(**{locale: dict(words) for locale in gradio_locales()})


def ensure_archive(settings: Settings, corpus: Path = CORPUS_DIR) -> None:
    """Ingest ``corpus`` when the archive has no meetings yet (progress on stderr)."""
    with Archive(settings.db_path) as arc:
        empty = arc.count("meetings") == 0
    if empty and corpus.exists():
        print(t("sum_first_ingest", settings.language, corpus=corpus), flush=True)
        # sources are stored as given: relative to where the app was started when possible
        given = os.path.relpath(corpus) if corpus.resolve().is_relative_to(Path.cwd()) else str(corpus)
        report = ingest_paths([given], settings, progress=True)
        for line in ingest_lines(report, settings.language):  # the same summary as `radslag ingest`
            print(line.text, file=sys.stderr if line.level != "info" else sys.stdout, flush=True)


def tab_modules() -> list:
    """The modules of :data:`TABS`, imported."""
    return [importlib.import_module(f"app.tabs.{name}") for name in TABS]


#: Per database: (file state, stamp) of the last count, shared by every browser tab.
_STAMPS: dict[str, tuple[tuple, list[int]]] = {}


def _file_state(db_path: Path) -> tuple:
    """(mtime, size) of the database and its write-ahead log: changes with every write."""
    state = []
    for path in (Path(db_path), Path(f"{db_path}-wal")):
        try:
            st = path.stat()
            state.append((st.st_mtime_ns, st.st_size))
        except OSError:
            state.append(None)
    return tuple(state)


def archive_stamp(settings: Settings) -> list[int]:
    """What changes when documents are ingested: counts of documents, meetings and items.

    The archive is opened and counted only when its files changed since the
    last count (the picker timer asks every :data:`REFRESH_S` seconds per browser tab).
    """
    key = str(settings.db_path)
    state = _file_state(settings.db_path)  # taken before opening: a later write is seen on the next tick
    cached = _STAMPS.get(key)
    if cached and cached[0] == state:
        return list(cached[1])
    with Archive(settings.db_path) as arc:
        stamp = [arc.count("documents"), arc.count("meetings"), arc.count("items")]
    _STAMPS[key] = (state, stamp)
    return list(stamp)


def refresh_pickers(settings: Settings, keys: list[str], stamp: list[int] | None, force: bool = False) -> tuple:
    """New choices for every archive-backed picker when the archive changed (else no update)."""
    now = archive_stamp(settings)
    if now == stamp and not force:
        return (stamp, *[gr.update() for _ in keys])
    options = choices(settings)
    return (now, *[gr.update(choices=options[key]) for key in keys])


def wire_refresh(ctx: Context) -> None:
    """Pickers follow the archive: on page load, every :data:`REFRESH_S` seconds, after every in-app ingest."""
    settings = ctx.settings
    boxes = [box for box, _ in ctx.pickers]
    keys = [key for _, key in ctx.pickers]
    stamp = gr.State(archive_stamp(settings))

    def check(old):
        return refresh_pickers(settings, keys, old)

    def force(old):
        return refresh_pickers(settings, keys, old, force=True)

    timer = gr.Timer(REFRESH_S)
    timer.tick(check, [stamp], [stamp, *boxes], show_progress="hidden", queue=False)
    # on page load only when the archive changed since the app was built (the stamp's start value)
    ctx.blocks.load(check, [stamp], [stamp, *boxes], show_progress="hidden")
    for event in ctx.shared.get("ingest_events", []):
        event.then(force, [stamp], [stamp, *boxes], show_progress="hidden")


_WARM: dict[tuple, dict] = {}
_WARM_LOCK = threading.Lock()


def start_warm_up(settings: Settings) -> dict:
    """Load the embedding model and vector index in the background, once per archive and model.

    Returns the shared state: ``{"done": bool, "error": str | None}``. The first
    search then runs as fast as the next; until the model is there, keyword
    search answers (the search says so).
    """
    key = (str(settings.archive_dir), str(getattr(settings, "model", "")))
    with _WARM_LOCK:
        if key in _WARM:
            return _WARM[key]
        state = _WARM[key] = {"done": False, "error": None}
    if not settings.embed or not settings.index_dir.exists():
        state["done"] = True
        return state

    def run() -> None:
        from radslag.serve import warm_up

        try:
            state["error"] = warm_up(settings)
        except Exception as exc:  # noqa: BLE001 - shown to the user, the app keeps serving keyword search
            state["error"] = str(exc)
        state["done"] = True

    print(t("app_loading_model", settings.language), flush=True)
    threading.Thread(target=run, name="radslag-warm-up", daemon=True).start()
    return state


def model_status(settings: Settings, state: dict) -> tuple:
    """(status text update, timer update): "Laddar modellen …" until loaded, then hidden (or why it failed)."""
    lang = settings.language
    if not state["done"]:
        return gr.update(value=t("app_loading_model", lang), visible=True), gr.update(active=True)
    if state["error"]:
        return gr.update(value=t("app_model_failed", lang, reason=state["error"]), visible=True), gr.update(active=False)
    return gr.update(value="", visible=False), gr.update(active=False)


def build_app(settings: Settings) -> gr.Blocks:
    """Build the Blocks app over the archive named by ``settings``: every tab of :data:`TABS`."""
    lang = settings.language
    with gr.Blocks(title=t("app_title", lang)) as blocks:
        ctx = Context(settings=settings, blocks=blocks, options=choices(settings))
        gr.Markdown("# Rådslag\n" + t("app_intro", lang))
        warm = start_warm_up(settings)
        first_text, _ = model_status(settings, warm)
        status = gr.Markdown(first_text.get("value", ""), visible=first_text.get("visible", False),
                             elem_id="model-status", elem_classes=["note"])
        watch = gr.Timer(1.0, active=not warm["done"])
        watch.tick(lambda: model_status(settings, warm), None, [status, watch], show_progress="hidden", queue=False)
        blocks.load(lambda: model_status(settings, warm), None, [status, watch], show_progress="hidden")
        with gr.Tabs(elem_id="tabs"):
            for module in tab_modules():
                with gr.Tab(ctx.L(module.LABEL), id=module.TAB_ID):
                    module.build(ctx)
        wire_refresh(ctx)
    return blocks


def main(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860,
         corpus: Path = CORPUS_DIR, block: bool = True) -> gr.Blocks:
    """Ensure an archive, build the app and launch it (``radslag serve`` adds login, limits and masking)."""
    settings = settings or load_settings()
    ensure_archive(settings, corpus)
    blocks = build_app(settings)
    print(t("serve_running", settings.language, host=host, port=port), flush=True)
    blocks.launch(server_name=host, server_port=port, prevent_thread_lock=True, css=CSS,
                  footer_links=[], quiet=True, i18n=frontend_i18n(settings.language))
    from app.detail import add_original_route

    add_original_route(blocks.app, settings)  # /original/<item id>: the item's own file, at its page
    if block:
        blocks.block_thread()
    return blocks

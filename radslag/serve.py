"""Launching the app: where it listens, who may log in, how many are served at once.

``radslag serve`` and ``./run.sh app`` start the Gradio app through
:func:`serve`. It

- binds 127.0.0.1 unless told otherwise, and refuses any other address
  without a login (a password from ``RADSLAG_PASSWORD`` or the file named by
  ``RADSLAG_PASSWORD_FILE``; never from the command line) unless
  ``--no-auth`` says so explicitly;
- checks the port before anything slow happens, so a busy port is one
  Swedish sentence and exit status :data:`EXIT_PORT_BUSY`, not a traceback;
- runs searches concurrently (Gradio's queue, :func:`concurrency` from the CPU
  cores) over one shared embedding model, loaded before the first request;
- serves no file outside what the app itself made (Gradio's own rules, the
  archive and model cache blocked besides), limits uploads in size, and
  deletes the files it made for downloads after ``download_keep_s``;
- switches personal-data masking on for everything the app renders when the
  setting says so (:func:`radslag.safe.set_masking`).
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from radslag.config import CORPUS_DIR, Settings
from radslag.errors import RadslagError
from radslag.i18n import t

log = logging.getLogger(__name__)

#: Exit status when a non-loopback address is asked for without a login.
EXIT_EXPOSED = 2
#: Exit status when the port is taken or the address cannot be bound.
EXIT_PORT_BUSY = 3


class ServeError(RadslagError):
    """The app cannot start; ``exit_code`` says why to scripts, the message to people."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


# -- exposure ------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached only from this computer (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, None)
    except OSError:
        return False  # unknown name: treated as exposed; binding it fails later with a clear message
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def login(settings: Settings, lang: str = "sv") -> tuple[str, str] | None:
    """The app's ``(user, password)`` from the settings, or None when no password is set.

    ``RADSLAG_PASSWORD_FILE`` wins over ``RADSLAG_PASSWORD``; its first line is
    the password (a trailing line break is not part of it).

    Raises:
        ServeError: The password file cannot be read, or a password is empty.
    """
    password, source = settings.auth_password, "RADSLAG_PASSWORD"
    if settings.auth_password_file:
        path = Path(settings.auth_password_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ServeError(t("serve_password_file", lang, path=path, error=_reason(exc, lang)),
                             EXIT_EXPOSED) from None
        password, source = (lines[0] if lines else ""), str(path)
        if not password:
            raise ServeError(t("serve_password_empty", lang, source=source), EXIT_EXPOSED)
    if password is None:
        return None
    if not password.strip():
        raise ServeError(t("serve_password_empty", lang, source=source), EXIT_EXPOSED)
    return settings.auth_user, password


def _reason(exc: Exception, lang: str) -> str:
    import errno

    known = {errno.ENOENT: "serve_err_missing", errno.EACCES: "serve_err_access", errno.EISDIR: "serve_err_folder"}
    if isinstance(exc, OSError) and exc.errno in known:
        return t(known[exc.errno], lang)
    if isinstance(exc, UnicodeDecodeError):
        return t("serve_err_encoding", lang)
    return str(exc)


def check_exposure(host: str, settings: Settings, *, no_auth: bool = False,
                   lang: str = "sv") -> tuple[str, str] | None:
    """The login to use on ``host``; refuses a non-loopback host without one.

    Raises:
        ServeError: ``host`` is reachable from other computers, no password is
            configured and ``no_auth`` was not given (exit :data:`EXIT_EXPOSED`).
    """
    auth = login(settings, lang)
    if auth is None and not no_auth and not is_loopback(host):
        raise ServeError(t("serve_refuse_open", lang, host=host), EXIT_EXPOSED)
    return auth


def check_port(host: str, port: int, lang: str = "sv") -> None:
    """Fail early, in words, when ``host:port`` cannot be bound (taken, or no such address).

    Raises:
        ServeError: With exit status :data:`EXIT_PORT_BUSY`.
    """
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ServeError(t("serve_bad_host", lang, host=host, port=port, error=exc.strerror or exc),
                         EXIT_PORT_BUSY) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # as uvicorn binds: a socket in TIME_WAIT does not count as busy, a listener does
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise _bind_error(host, port, exc, lang) from None


def _bind_error(host: str, port: int, exc: OSError, lang: str) -> ServeError:
    import errno

    if exc.errno == errno.EADDRINUSE or "empty port" in str(exc):
        return ServeError(t("serve_port_busy", lang, host=host, port=port, other=port + 1), EXIT_PORT_BUSY)
    return ServeError(t("serve_bad_host", lang, host=host, port=port, error=exc.strerror or exc), EXIT_PORT_BUSY)


# -- load -----------------------------------------------------------------------------


def cpu_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def concurrency(settings: Settings) -> int:
    """How many requests the app handles at once.

    A search spends much of its time outside the Python interpreter lock
    (ONNX/torch encoding, FAISS, SQLite) and waiting on I/O, so several per
    core overlap well; 4 per core, at least 8 and at most 64, unless
    ``app_concurrency`` says otherwise. ``bench/load.py`` measures it.
    """
    if settings.app_concurrency and settings.app_concurrency > 0:
        return settings.app_concurrency
    return max(8, min(64, 4 * cpu_cores()))


def warm_up(settings: Settings) -> str | None:
    """Load the shared embedding model and vector index before the first request.

    Returns:
        None when ready, else the reason the dense side is not available (the
        app still serves keyword search).
    """
    try:
        from index.search import DenseSearcher

        DenseSearcher.get(settings)
    except RadslagError as exc:
        return str(exc)
    return None


# -- files made for downloads -----------------------------------------------------------

_DOWNLOADS: dict[str, Any] = {"dir": None, "keep_s": 3600.0, "janitor": None}
_DOWNLOADS_LOCK = threading.Lock()


def _gradio_cache() -> str | None:
    """Gradio's cache folder when Gradio is loaded (files inside it are served as they are), else None."""
    if "gradio" not in sys.modules:
        return None
    try:
        from gradio.utils import get_upload_folder

        folder = Path(get_upload_folder())
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)
    except (ImportError, OSError):
        return None


def download_dir() -> Path:
    """This process's folder for files made for downloads (deleted at exit).

    Inside Gradio's cache folder when the app runs: Gradio serves a file from
    there as it is, where it hashed and copied every other file it was handed
    (three downloads a search: about 2 ms of the app's CPU per search).
    """
    with _DOWNLOADS_LOCK:
        if _DOWNLOADS["dir"] is None or not Path(_DOWNLOADS["dir"]).is_dir():
            _DOWNLOADS["dir"] = Path(tempfile.mkdtemp(prefix=f"radslag-downloads-{os.getpid()}-",
                                                      dir=_gradio_cache()))
            atexit.register(shutil.rmtree, _DOWNLOADS["dir"], True)
        return _DOWNLOADS["dir"]


def download_file(name: str) -> Path:
    """A new, empty path named ``name`` for a download (its own subfolder, so names may repeat).

    Gradio serves it (from its cache folder, see :func:`download_dir`); it is deleted after
    ``download_keep_s`` by the janitor that :func:`serve` starts.
    """
    folder = Path(tempfile.mkdtemp(dir=download_dir()))
    return folder / (Path(name).name or "radslag.txt")


def sweep_downloads(older_than_s: float | None = None) -> int:
    """Delete download files older than ``older_than_s`` (default ``download_keep_s``); return how many."""
    folder = _DOWNLOADS["dir"]
    if folder is None or not Path(folder).is_dir():
        return 0
    limit = time.time() - (_DOWNLOADS["keep_s"] if older_than_s is None else older_than_s)
    removed = 0
    for sub in Path(folder).iterdir():
        try:
            if sub.stat().st_mtime < limit:
                shutil.rmtree(sub) if sub.is_dir() else sub.unlink()
                removed += 1
        except OSError:
            continue  # taken by another sweep or still being written: next round
    return removed


def _start_janitor(keep_s: float) -> None:
    with _DOWNLOADS_LOCK:
        _DOWNLOADS["keep_s"] = float(keep_s)
        if _DOWNLOADS["janitor"] is not None:
            return
        period = max(1.0, min(60.0, keep_s / 2))

        def run() -> None:
            while True:
                time.sleep(period)
                sweep_downloads()

        _DOWNLOADS["janitor"] = threading.Thread(target=run, name="radslag-downloads", daemon=True)
        _DOWNLOADS["janitor"].start()


# -- Gradio's queue: woken by work, not polling --------------------------------------

#: Longest an idle queue sleeps between its own checks (it is woken at once by a request or a finished job).
QUEUE_IDLE_S = 0.05
#: How often running jobs' progress is sent (Gradio's default is 0.01 s, also while nothing runs).
PROGRESS_EVERY_S = 0.05


class _WakeableAsyncio:
    """``asyncio`` as :mod:`gradio.queueing` sees it, with the idle poll's sleep made wakeable.

    Gradio's queue looks for work every millisecond while idle
    (``Queue.sleep_when_free``): about 40 ms of CPU a second in an idle app,
    and a thousand wake-ups a second that take the interpreter lock from
    running searches. Sleeps of exactly that length wait instead on a per-loop
    event that a new request or a finished job of any queue on that loop sets
    (:func:`quiet_queue`), for at most :data:`QUEUE_IDLE_S`; every other sleep
    is asyncio's own.
    """

    def __init__(self, real, poll_s: float):
        self._real = real
        self._poll_s = poll_s
        self._events: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()  # a closed loop goes

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def _event(self):
        loop = self._real.get_running_loop()
        event = self._events.get(loop)
        if event is None:
            event = self._events[loop] = self._real.Event()
        return event

    def wake(self) -> None:
        """Wake the idle queues of the running loop (called on that loop)."""
        self._event().set()

    async def sleep(self, delay, result=None):
        if delay != self._poll_s:  # only the idle poll's own sleep (Queue.sleep_when_free) is replaced
            return await self._real.sleep(delay, result)
        event = self._event()
        try:
            await self._real.wait_for(event.wait(), QUEUE_IDLE_S)
        except self._real.TimeoutError:
            pass
        event.clear()
        return result


def _relies_on(queueing: Any) -> bool:
    """Whether this Gradio's queue still polls the way :func:`quiet_queue` replaces (else it is left alone)."""
    import inspect

    queue_cls = getattr(queueing, "Queue", None)
    try:
        source = inspect.getsource(queue_cls.start_processing)  # type: ignore[union-attr]
    except (AttributeError, OSError, TypeError):
        return False
    return ("asyncio.sleep(self.sleep_when_free)" in source and hasattr(queue_cls, "push")
            and hasattr(queue_cls, "process_events"))


def quiet_queue(queue: Any) -> bool:
    """Make Gradio's queues (``queue``: a built app's ``gr.Blocks._queue``) wait for work instead of polling.

    A request (``Queue.push``) and a finished job (``Queue.process_events``) of
    any queue wake the loop it runs on (patched once on the class, so Gradio's
    other queues in the process, e.g. its monitoring page, are woken too);
    without them a queue looks every :data:`QUEUE_IDLE_S` seconds, so a missed
    wake-up costs at most that. Returns False, changes nothing and logs why
    when this Gradio's queue does not poll as relied on (a Gradio upgrade).
    """
    from gradio import queueing

    if not _relies_on(queueing) or not hasattr(queue, "progress_update_sleep_when_free"):
        log.warning("Gradio's queue is not the one radslag.serve.quiet_queue knows; it keeps polling")
        return False
    shim = queueing.asyncio if isinstance(queueing.asyncio, _WakeableAsyncio) else None
    if shim is None:
        shim = _WakeableAsyncio(queueing.asyncio, float(queue.sleep_when_free))
        queueing.asyncio = shim
        cls = queueing.Queue
        push, process = cls.push, cls.process_events

        async def woken_push(self, *args, **kwargs):
            try:
                return await push(self, *args, **kwargs)
            finally:
                shim.wake()

        async def woken_process(self, *args, **kwargs):
            try:
                return await process(self, *args, **kwargs)
            finally:
                shim.wake()

        cls.push, cls.process_events = woken_push, woken_process
    queue.progress_update_sleep_when_free = max(PROGRESS_EVERY_S, queue.progress_update_sleep_when_free)
    return True


# -- launch ----------------------------------------------------------------------------


def launch_options(settings: Settings, host: str, port: int, auth: tuple[str, str] | None) -> dict[str, Any]:
    """Keyword arguments for ``gr.Blocks.launch`` (host, port, login, upload and path limits)."""
    blocked = {str(Path(p).expanduser().resolve()) for p in (settings.archive_dir, settings.cache_dir)}
    return {
        "server_name": host,
        "server_port": port,
        "auth": [auth] if auth else None,
        "auth_message": t("serve_auth_on", settings.language, user=auth[0]) if auth else None,
        "max_file_size": f"{max(1, settings.upload_max_mb)}mb",
        "allowed_paths": [],
        "blocked_paths": sorted(blocked),
        "show_error": False,  # a failing handler shows no exception text (paths, SQL) to users
        "share": False,
        "quiet": True,
        "footer_links": [],
    }


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, corpus: Path = CORPUS_DIR,
          no_auth: bool = False, block: bool = True):
    """Check exposure and port, prepare the archive and model, and launch the app.

    Args:
        settings: Run-time settings (archive, language, login, load and masking).
        host: Address to bind; anything but loopback needs a login or ``no_auth``.
        port: TCP port.
        corpus: Ingested first when the archive has no meetings.
        no_auth: Open a non-loopback host without a login (said so on start).
        block: Wait until the server stops (False: return the running app).

    Returns:
        The running ``gr.Blocks`` app (when ``block`` is False).

    Raises:
        ServeError: Refused exposure, unreadable password file, busy port.
    """
    lang = settings.language
    auth = check_exposure(host, settings, no_auth=no_auth, lang=lang)
    check_port(host, port, lang)

    from radslag.safe import set_masking

    set_masking(settings.masks("app"), lang)
    import search_app  # Gradio and the models load only when serving

    search_app.ensure_archive(settings, Path(corpus))
    warm_up(settings)
    _start_janitor(settings.download_keep_s)
    app = search_app.build_app(settings)
    keep = max(1, int(settings.download_keep_s))
    app.delete_cache = (max(1, min(600, keep // 2)), keep)  # Gradio's copies of downloads and uploads
    limit = concurrency(settings)
    app.queue(default_concurrency_limit=limit, max_size=max(64, 8 * limit))
    if os.environ.get("RADSLAG_QUEUE_POLL", "0").strip().lower() in ("0", "false", "no", "off", ""):
        quiet_queue(app._queue)  # before launch starts its loops; RADSLAG_QUEUE_POLL=1 keeps Gradio's poll (A/B)
    options = launch_options(settings, host, port, auth)
    try:
        # never blocks here: the address is printed once the server really listens
        app.launch(prevent_thread_lock=True, css=getattr(search_app, "CSS", None),
                   i18n=search_app.frontend_i18n(lang), **options)  # Gradio's own words in the app's language
    except OSError as exc:
        raise _bind_error(host, port, exc, lang) from None
    from app.detail import add_original_route
    from app.tabs.watch import add_feed_routes

    add_feed_routes(app.app, settings, auth)  # /feeds/<id>.atom of saved searches, behind the same login
    add_original_route(app.app, settings, auth)  # /original/<item id>: the item's own file, at its page
    if auth is None and not is_loopback(host):
        print(t("serve_open_warning", lang, host=host, port=port), file=sys.stderr, flush=True)
    if settings.masks("app"):
        print(t("serve_masking", lang), flush=True)
    print(t("serve_running", lang, host=host, port=port), flush=True)
    if block:
        try:
            app.block_thread()
        finally:
            sweep_downloads(0)
    return app


def main(settings: Settings, **options) -> None:
    """:func:`serve` for the command line: a refusal is its message and exit status, no traceback."""
    try:
        serve(settings, **options)
    except ServeError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        sys.exit(exc.exit_code)

"""Parse files in worker processes, each file under a time and a memory limit.

:func:`parse_files` is the step before the archive write: for every file it
reads the bytes once and hashes them with the metadata sidecar (in this
process, so unchanged files are skipped without parsing), then has a worker
process read the document, extract its metadata and segment it. Results
stream back one file at a time as they finish.

One hostile file cannot stop a batch:

* a file over a size, page, unpacked-size or paragraph limit is refused
  before it is parsed (:class:`ingest.readers.ReadLimits`);
* a worker gets ``file_timeout_s`` wall-clock seconds per file, plus
  ``page_timeout_s`` per page once the page count is known (a PDF's pages
  before they are read; for text and Word files every
  :data:`CHARS_PER_PAGE` characters of text once it is read), plus
  ``ocr_page_timeout_s`` per scanned page before OCR reads it
  (:mod:`ingest.ocr`); past that it is killed and the file reported as too
  slow to read;
* a worker's address space is capped at ``file_memory_mb`` (``RLIMIT_AS``):
  an allocation past it fails, the file is reported as too large to read and
  the worker replaced;
* a worker that dies (segfault, killed by the system) becomes an error for
  its file and is replaced; an unexpected exception in a parser becomes an
  ``internal`` error with the traceback in :attr:`ParseOutcome.detail`.

Peak memory is bounded by this process plus ``workers × file_memory_mb``
plus the largest file (``max_file_mb``), whatever the input.

Workers are forked from a *forkserver* that has imported only the readers
(PDFium, python-docx, the metadata and segment modules), never the
caller's models: starting one costs a fork, not an interpreter start, and a
parent that has torch loaded is never forked.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_ready
from pathlib import Path
from typing import Any

from ingest.readers import FileData, FileEntry, ReadLimits, load_file
from radslag.errors import IngestError
from radslag.types import AgendaItem, Document, MeetingMeta

__all__ = ["ParseOutcome", "IsolationLimits", "parse_files", "parse_document", "default_workers"]

log = logging.getLogger(__name__)

_MB = 1 << 20
#: Modules the forkserver imports once, so that every worker starts warm.
PRELOAD = [
    "ingest.isolate",
    "ingest.readers.pdf",
    "ingest.readers.docx",
    "ingest.readers.text",
    "ingest.metadata",
    "ingest.segment",
    "pypdfium2",
    "docx",
]

#: Characters counted as one page of a text or Word file for the time limit.
CHARS_PER_PAGE = 3000

#: Seconds a new worker may take to start before its first file's clock runs.
STARTUP_S = 60.0

#: ``(path, source, data, on_pages) -> (Document, MeetingMeta, items)``; runs in a worker.
ParseFn = Callable[[Path, str, FileData, ReadLimits, Callable[[int], None]], tuple[Document, MeetingMeta, list[AgendaItem]]]


@dataclass
class ParseOutcome:
    """What became of one file.

    Attributes:
        path: The file.
        source: The path as given at ingest.
        status: ``parsed``, ``unchanged`` (``skip`` said so; not parsed) or
            ``failed``.
        digest: SHA-256 of the file and its sidecar (None when the file
            could not be read); also ``document.content_hash``.
        document: The document (``parsed`` only).
        meta: Its metadata (``parsed`` only).
        items: Its agenda items (``parsed`` only).
        error: Why it failed (``failed`` only): ``reason`` is a short code
            (``too_large``, ``too_slow``, ``crashed``, ``internal``, or a
            reader's reason such as ``corrupt_pdf``), ``message`` names the
            file and, for a limit, the limit and its setting.
        detail: Traceback of an ``internal`` error, for logs.
        seconds: Wall-clock seconds the file took in its worker.
        worker_peak_rss: Peak resident memory (bytes) of the worker that
            parsed the file, up to and including it (None when unknown).
    """

    path: Path
    source: str
    status: str
    digest: str | None = None
    document: Document | None = None
    meta: MeetingMeta | None = None
    items: list[AgendaItem] = field(default_factory=list)
    error: IngestError | None = None
    detail: str | None = None
    seconds: float = 0.0
    worker_peak_rss: int | None = None

    @property
    def reason(self) -> str | None:
        return self.error.reason if self.error else None


def default_workers() -> int:
    """One worker per CPU core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class IsolationLimits:
    """Per-file limits of :func:`parse_files` (see :class:`radslag.config.Settings`).

    Attributes:
        read: Size, page, unpacked-size and paragraph limits.
        timeout_s: Wall-clock seconds per file.
        page_timeout_s: Extra seconds per PDF page.
        memory_bytes: Address space per worker.
        workers: Number of worker processes.
    """

    read: ReadLimits = ReadLimits()
    timeout_s: float = 60.0
    page_timeout_s: float = 2.0
    memory_bytes: int = 640 * _MB
    workers: int = 1

    @classmethod
    def from_settings(cls, settings: Any) -> "IsolationLimits":
        return cls(
            read=ReadLimits.from_settings(settings),
            timeout_s=float(settings.file_timeout_s),
            page_timeout_s=float(settings.page_timeout_s),
            memory_bytes=int(settings.file_memory_mb * _MB),
            workers=int(settings.ingest_workers) or default_workers(),
        )


# ---------------------------------------------------------------------------
# Worker side
# ---------------------------------------------------------------------------


def parse_document(
    path: Path, source: str, data: FileData, limits: ReadLimits, on_pages: Callable[[int], None]
) -> tuple[Document, MeetingMeta, list[AgendaItem]]:
    """Read, describe and segment one file (the default worker job).

    Args:
        path: The file.
        source: The path as given at ingest.
        data: The file's bytes and digest from :func:`ingest.readers.load_file`.
        limits: Read limits.
        on_pages: Called with a PDF's page count before its pages are read,
            and with the text's length in pages for files without pages;
            ``on_pages(0, ocr=n)`` before ``n`` scanned pages are read by OCR.

    Returns:
        The document (``content_hash`` is the digest with the sidecar), its
        metadata and its agenda items.
    """
    from ingest.metadata import extract_metadata
    from ingest.readers import read_document
    from ingest.segment import segment

    doc = read_document(path, source, data=data, limits=limits, on_pages=on_pages,
                        on_ocr_pages=_ocr_pages_callback(on_pages))
    if not doc.pages:
        # Text and Word files have no pages: their size in pages of text buys the same time.
        on_pages(max(1, len(doc.text) // CHARS_PER_PAGE))
    doc.content_hash = data.digest
    doc.size = data.size
    return doc, extract_metadata(doc), segment(doc)


def _ocr_pages_callback(on_pages: Callable[..., None]) -> Callable[[int], None]:
    """Report pages about to be OCR'd as ``on_pages(0, ocr=n)`` (the worker's callback takes it)."""

    def on_ocr_pages(n: int) -> None:
        try:
            on_pages(0, ocr=n)
        except TypeError:  # a one-argument callback (e.g. bench/fuzz.py): no deadline to extend
            pass

    return on_ocr_pages


def _peak_rss() -> int | None:
    """This process's peak resident set size in bytes (Linux ``VmHWM``)."""
    return _status_kb(os.getpid(), "VmHWM")


def _status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _limit_memory(memory_bytes: int) -> None:
    """Cap the address space (Linux enforces ``RLIMIT_AS``; elsewhere only the time limit holds)."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash is reported, not dumped
    if memory_bytes > 0:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ValueError, OSError):  # e.g. macOS refuses to lower RLIMIT_AS
            pass


def _worker_main(pipe: Any, limits: IsolationLimits) -> None:
    """Serve parse jobs until the parent closes the pipe or sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)  # pdfminer warns about every oddity of a broken file
    _limit_memory(limits.memory_bytes)
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path_str, source, cwd, digest, raw_hash, sidecar, parse = job
        try:
            payload = pipe.recv_bytes()
            pipe.send(("start",))  # the file's clock starts now, not while this process started
        except (EOFError, OSError):
            return
        started = time.perf_counter()
        fatal = False
        detail = None
        try:
            os.chdir(cwd)
            data = FileData(Path(path_str), payload, raw_hash, digest, Path(sidecar) if sidecar else None)
            del payload
            result = parse(Path(path_str), source, data, limits.read, lambda n, ocr=0: pipe.send(("pages", n, ocr)))
            del data
            error = None
        except IngestError as exc:
            result, error = None, (exc.reason, exc.message)
        except MemoryError:
            result, error, fatal = None, ("memory", ""), True
        except Exception as exc:  # a parser bug must not stop the batch
            result = None
            error = ("internal", f"{type(exc).__name__}: {str(exc)[:300]}")
            detail = traceback.format_exc(limit=20)
        elapsed = time.perf_counter() - started
        try:
            pipe.send(("done", result, error, detail, elapsed, _peak_rss(), fatal))
        except MemoryError:
            result = None
            fatal = True
            pipe.send(("done", None, ("memory", ""), None, elapsed, _peak_rss(), fatal))
        except Exception as exc:  # e.g. a result that cannot be pickled
            pipe.send(("done", None, ("internal", f"{type(exc).__name__}: {str(exc)[:300]}"),
                       traceback.format_exc(limit=20), elapsed, _peak_rss(), fatal))
        if fatal:
            return  # after a MemoryError the interpreter's state is suspect: start afresh


# ---------------------------------------------------------------------------
# Parent side
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start processes without the caller's ``__main__``.

    multiprocessing re-imports the main script in every worker (and the
    forkserver) when it can find it, which would load whatever the caller
    loaded (torch, gradio) and run an unguarded script's top level. The
    workers need only :mod:`ingest`, so the main module's ``__file__`` and
    ``__spec__`` are hidden while a worker starts.
    """
    main = sys.modules.get("__main__")
    saved = {key: main.__dict__[key] for key in ("__file__", "__spec__") if main and key in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None
        yield
    finally:
        if main is not None:
            main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


#: Start method for workers; None picks forkserver (spawn where there is none).
#: ``bench/fuzz.py`` sets it to compare start costs.
START_METHOD: str | None = None


def _context() -> Any:
    """A forkserver context preloaded with the readers (spawn where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    if START_METHOD is not None:
        ctx = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            ctx.set_forkserver_preload(PRELOAD)
        return ctx
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass
class _Job:
    path: Path
    source: str
    digest: str
    started: float = 0.0
    deadline: float = 0.0
    pages: int | None = None
    ocr_pages: int = 0


class _Worker:
    def __init__(self, ctx: Any, limits: IsolationLimits) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child_end, limits), daemon=True, name="radslag-parse")
        with _main_hidden():
            self.process.start()
        child_end.close()
        self.pipe = parent_end
        self.job: _Job | None = None

    def submit(self, job: _Job, data: FileData, parse: ParseFn, limits: IsolationLimits) -> None:
        self.pipe.send((os.fspath(job.path), job.source, os.getcwd(), data.digest, data.raw_hash,
                        os.fspath(data.sidecar) if data.sidecar else None, parse))
        self.pipe.send_bytes(data.data)  # raw bytes: no pickled copy of a large file
        job.started = time.monotonic()
        job.deadline = job.started + limits.timeout_s + STARTUP_S
        self.job = job

    def kill(self) -> int | None:
        """Kill the process; return its peak RSS read just before."""
        peak = _status_kb(self.process.pid, "VmHWM") if self.process.pid else None
        self.process.kill()
        self.process.join(5)
        self.pipe.close()
        return peak

    def stop(self) -> None:
        try:
            self.pipe.send(None)
        except OSError:
            pass
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.pipe.close()


class _Pool:
    """Up to ``size`` workers, started when there is work for them."""

    def __init__(self, size: int, limits: IsolationLimits, parse: ParseFn) -> None:
        self.size = max(1, size)
        self.limits = limits
        self.parse = parse
        self.ctx = _context()
        self.workers: list[_Worker] = []

    @property
    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def has_room(self) -> bool:
        return len(self.busy) < self.size

    def submit(self, job: _Job, data: FileData) -> ParseOutcome | None:
        """Hand ``job`` to an idle or new worker; an outcome only when no worker can take it."""
        for attempt in range(2):
            worker = next((w for w in self.workers if w.job is None), None) if attempt == 0 else None
            if worker is None:
                worker = _Worker(self.ctx, self.limits)
                self.workers.append(worker)
            try:
                worker.submit(job, data, self.parse, self.limits)
                return None
            except OSError as exc:  # the worker died while idle (or could not start): try a fresh one
                self._drop(worker, kill=True)
                error = exc
        return _failed(job, "crashed", f"Ingen läsprocess kunde startas för {job.source} "
                                       f"(could not start a reader process): {error}")

    def _drop(self, worker: _Worker, kill: bool) -> int | None:
        self.workers.remove(worker)
        if kill:
            return worker.kill()
        worker.stop()
        return None

    def collect(self) -> Iterator[ParseOutcome]:
        """Wait until a worker finishes, dies or runs out of time; yield those outcomes."""
        busy = self.busy
        if not busy:
            return
        now = time.monotonic()
        timeout = max(0.0, min(w.job.deadline for w in busy) - now)
        handles: list[Any] = [w.pipe for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait_ready(handles, timeout=timeout))
        for worker in busy:
            job = worker.job
            assert job is not None
            if worker.pipe in ready or worker.pipe.poll():
                try:
                    message = worker.pipe.recv()
                except (EOFError, OSError):
                    message = None
                if message is None:
                    yield self._crashed(worker, job)
                elif message[0] == "start":
                    job.started = time.monotonic()
                    job.deadline = job.started + self.limits.timeout_s
                elif message[0] == "pages":
                    job.pages = max(job.pages or 0, int(message[1]))
                    job.ocr_pages = max(job.ocr_pages, int(message[2]))
                    job.deadline = (job.started + self.limits.timeout_s + self.limits.page_timeout_s * job.pages
                                    + self.limits.read.ocr.page_timeout_s * job.ocr_pages)
                else:
                    worker.job = None
                    if message[-1]:  # the worker quits after this file (a MemoryError)
                        self._drop(worker, kill=True)
                    yield self._finished(job, message)
            elif worker.process.sentinel in ready:
                yield self._crashed(worker, job)
        now = time.monotonic()
        for worker in self.busy:
            job = worker.job
            if job is not None and now >= job.deadline and not worker.pipe.poll():
                peak = self._drop(worker, kill=True)
                yield _failed(job, "too_slow", _too_slow_message(job, self.limits), seconds=now - job.started,
                              peak=peak)

    def _finished(self, job: _Job, message: tuple) -> ParseOutcome:
        _, result, error, detail, seconds, peak, _ = message
        if error is None:
            doc, meta, items = result
            return ParseOutcome(job.path, job.source, "parsed", job.digest, doc, meta, list(items),
                                seconds=seconds, worker_peak_rss=peak)
        reason, text = error
        if reason == "memory":
            return _failed(job, "too_large", _memory_message(job, self.limits), seconds=seconds, peak=peak)
        if reason == "internal":
            name = _name(job)
            return _failed(job, "internal", f"Oväntat fel vid läsning av {name} (unexpected error): {text}",
                           detail=detail, seconds=seconds, peak=peak)
        return _failed(job, reason, text, seconds=seconds, peak=peak)

    def _crashed(self, worker: _Worker, job: _Job) -> ParseOutcome:
        worker.process.join(5)
        code = worker.process.exitcode
        self._drop(worker, kill=True)
        seconds = time.monotonic() - job.started
        name = _name(job)
        if code is not None and code < 0:
            try:
                sig = signal.Signals(-code).name
            except ValueError:
                sig = f"signal {-code}"
            if -code == signal.SIGKILL:
                message = (f"Läsningen av {name} avbröts av systemet ({sig}), troligen av minnesbrist "
                           f"(the reader was killed by the system, probably out of memory)")
            else:
                message = (f"Läsaren kraschade på {name} ({sig}) – filen är troligen skadad "
                           f"(the reader crashed on this file: {sig})")
        else:
            message = f"Läsaren avslutades oväntat på {name} (status {code}) (the reader exited unexpectedly)"
        return _failed(job, "crashed", message, seconds=seconds)

    def close(self) -> None:
        for worker in list(self.workers):
            self._drop(worker, kill=worker.job is not None)


def _name(job: _Job) -> str:
    return job.source


def _failed(job: _Job, reason: str, message: str, *, detail: str | None = None, seconds: float = 0.0,
            peak: int | None = None) -> ParseOutcome:
    return ParseOutcome(job.path, job.source, "failed", job.digest, error=IngestError(reason, message),
                        detail=detail, seconds=seconds, worker_peak_rss=peak)


def _too_slow_message(job: _Job, limits: IsolationLimits) -> str:
    allowed = job.deadline - job.started
    if job.pages:
        rule = (f"{limits.timeout_s:g} s (RADSLAG_FILE_TIMEOUT) + {limits.page_timeout_s:g} s × {job.pages} sidor "
                "(RADSLAG_PAGE_TIMEOUT)")
    else:
        rule = "RADSLAG_FILE_TIMEOUT"
    if job.ocr_pages:
        rule += (f" + {limits.read.ocr.page_timeout_s:g} s × {job.ocr_pages} sidor med OCR "
                 "(RADSLAG_OCR_PAGE_TIMEOUT)")
    return (f"För långsam att läsa: {_name(job)} tog mer än {allowed:.0f} s, gränsen är {rule} "
            f"(too slow to read: more than {allowed:.0f} s)")


def _memory_message(job: _Job, limits: IsolationLimits) -> str:
    mb = limits.memory_bytes / _MB
    return (f"För stor att läsa: {_name(job)} behövde mer än {mb:.0f} MB minne (RADSLAG_FILE_MEMORY_MB) "
            f"(too large to read: needed more than {mb:.0f} MB of memory)")


def _entry(item: FileEntry | tuple[Path, str]) -> FileEntry:
    if isinstance(item, FileEntry):
        return item
    path, source = item
    return FileEntry(Path(path), str(source))


def parse_files(
    files: Iterable[FileEntry | tuple[Path, str]],
    settings: Any,
    *,
    skip: Callable[[str, str], bool] | None = None,
    workers: int | None = None,
    parse: ParseFn = parse_document,
) -> Iterator[ParseOutcome]:
    """Parse files in isolated worker processes; yield each outcome as it is known.

    Outcomes come in the order files finish, not the order given. A file
    that cannot be read (missing, unreadable, a FIFO, over the size limit),
    a problem from :func:`ingest.readers.walk_files`, and a file ``skip``
    accepts are reported at once without a worker. The batch always goes on:
    every file gets exactly one outcome.

    Closing the iterator early (``break``, an exception in the caller) stops
    and removes the workers.

    Args:
        files: ``(path, source)`` pairs or :class:`~ingest.readers.FileEntry`
            items (e.g. from :func:`ingest.readers.walk_files`).
        settings: :class:`radslag.config.Settings` (limits and worker count).
        skip: ``skip(source, digest) -> bool`` called here, in the calling
            process, with the digest of the file and its sidecar; True
            reports the file ``unchanged`` without parsing it.
        workers: Worker count; defaults to ``settings.ingest_workers``, or
            one per core when that is 0.
        parse: The job run in a worker for each file (a module-level
            function; tests use it to run a hanging or crashing job).

    Yields:
        One :class:`ParseOutcome` per file.
    """
    limits = IsolationLimits.from_settings(settings)
    pool = _Pool(workers or limits.workers, limits, parse)
    pending = iter(files)
    more = True
    try:
        while True:
            while more and pool.has_room():
                try:
                    entry = _entry(next(pending))
                except StopIteration:
                    more = False
                    break
                if entry.error is not None:
                    yield ParseOutcome(entry.path, entry.source, "failed", error=entry.error)
                    continue
                try:
                    data = load_file(entry.path, limits.read)
                except IngestError as exc:
                    yield ParseOutcome(entry.path, entry.source, "failed", error=exc)
                    continue
                if skip is not None and skip(entry.source, data.digest):
                    yield ParseOutcome(entry.path, entry.source, "unchanged", data.digest)
                    continue
                refused = pool.submit(_Job(entry.path, entry.source, data.digest), data)
                del data  # the worker has the bytes now
                if refused is not None:
                    yield refused
            if not pool.busy:
                if not more:
                    return
                continue
            yield from pool.collect()
    finally:
        pool.close()

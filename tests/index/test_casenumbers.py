"""One case-number parser for threads and search (index.casenumbers.case_numbers).

The cases below are those where threads' ``case_key`` and search's
``query_case_numbers`` read a case number differently before they shared
the parser; the comment says which reading was kept and why.
"""

from __future__ import annotations

import pytest

from index.casenumbers import case_numbers
from index.fusion import _same_case, query_case_numbers
from index.threads import case_key


@pytest.mark.parametrize("text, want", [
    # a code printed after the number (Meetings Plus), as threads read it: the gold data holds both
    # "2026.134 BUN" and "2026.134 KUN", two registries' cases (search read no letters)
    ("2026.134 BUN", [("BUN", 2026, 134)]),
    ("2021.123 KS", [("KS", 2021, 123)]),
    ("2024/120-KS", [("KS", 2024, 120)]),  # search found no number at all
    # further digit groups and codes joined by "/" or ".", stored by the reader: threads' reading
    # (search found no number)
    ("2025/14-041", [("", 2025, 14)]),
    ("KS/2022/0154/214", [("KS", 2022, 154)]),
    ("KS.2025.0019", [("KS", 2025, 19)]),
    ("BUN/2023:25", [("BUN", 2023, 25)]),
    ("KS KF/2023:3", [("KF", 2023, 3)]),  # two codes: the one next to the number (threads joined them: "KSKF")
    ("KS 2023-00000123", [("KS", 2023, 123)]),  # zeros are padding (search refused eight digits)
    # a list keeps each number's code, as search read it (threads joined every letter: "KSKS", "BNOCHFG")
    ("KS-2024-00215, KS-2023-00412", [("KS", 2024, 215), ("KS", 2023, 412)]),
    ("BN-2023-00211 och FG-2025-00614", [("BN", 2023, 211), ("FG", 2025, 614)]),
    # every label of ingest/data/case_numbers.yaml is no code (threads kept "ÄRENDENRKS")
    ("Ärendenr KS 2021/123", [("KS", 2021, 123)]),
    ("Diarie-nr 2021/123", [("", 2021, 123)]),
    # a date is no case number, as search read it (threads read year 2021, number 9)
    ("2021-09-15", []),
    ("möte 2021.09.15", []),
    # a lower-case word after the number is text, as search read it (threads: "KOMMUNSTYRELSEN")
    ("2021/123 kommunstyrelsen", [("", 2021, 123)]),
    # a code typed in lower case before the number still counts (both read it so)
    ("ks 2025/620", [("KS", 2025, 620)]),
])
def test_the_readings_threads_and_search_disagreed_on(text, want):
    assert case_numbers(text) == want
    assert query_case_numbers(text) == want
    assert case_key(text) == (want[0] if want else None)


def test_threads_and_search_read_every_stored_form_alike():
    """Each printed form of one case gives the same key, and a query in any form finds it."""
    forms = ["KS 2021/123", "KS-2021-00123", "2021.123 KS", "KS2021/123", "KS.2021.123", "KS/2021/123",
             "Dnr KS 2021/123", "2021/123-KS"]
    assert {case_key(f) for f in forms} == {("KS", 2021, 123)}
    for query in forms:
        assert all(_same_case(query_case_numbers(query), dnr) for dnr in forms)
    assert not _same_case(query_case_numbers("2021.123 BUN"), "2021.123 KS")  # another registry's case
    assert _same_case(query_case_numbers("2021/123"), "2021.123 KS")  # no letters: any registry


@pytest.mark.parametrize("query, want", [
    ("2026.134 BUN", [("BUN", 2026, 134, True)]),
    ("2026.134 BUN, 2026.135 KUN", [("BUN", 2026, 134, True), ("KUN", 2026, 135, True)]),
    ("2026.134 BUN 2026.135", [("BUN", 2026, 134, True), ("BUN", 2026, 135, False)]),
    ("2024/120-KS", [("KS", 2024, 120, True)]),
    ("2021/123 I Köping", [("", 2021, 123, False)]),  # one letter
    ("2021/123 EU-projekt", [("", 2021, 123, False)]),  # a word joined by a hyphen
    ("2021/123 ANDT-arbete", [("", 2021, 123, False)]),
    ("2026.134 BUN bygglov", [("", 2026, 134, False)]),  # a word follows
    ("KS 2021/123 EU-projekt", [("KS", 2021, 123, False)]),
])
def test_a_query_takes_a_code_after_the_number_only_at_its_end_or_before_punctuation(query, want):
    """A stored field takes any capitalised word after the number ('2021/123 EU' of a heading); a query
    only one of two letters or more that ends it or stands before punctuation or another number."""
    from index.casenumbers import query_case_numbers as query_numbers
    assert query_numbers(query) == want
    assert case_numbers(query)[0][1:] == want[0][1:3]  # the stored reading finds the same numbers

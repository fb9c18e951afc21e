"""The floor's shared rules: filter parsing and name matching, period bucketing, stop words, kinds."""

from __future__ import annotations

import pytest

from radslag.errors import FilterError
from radslag.filters import ALL, name_matches, parse_filters
from radslag.i18n import kind_label
from radslag.lang import minutes_words, stopwords
from radslag.periods import chronological, period_of, when
from radslag.types import DOCUMENT_KINDS, Filters


def test_parse_blanks_and_all_mean_no_filter():
    assert parse_filters(body="  ", municipality=ALL, kind=None, since="") == Filters()
    assert not parse_filters()
    assert parse_filters(body=" Hallstahammars   trygghetsråd ").body == "Hallstahammars trygghetsråd"


def test_topic_label_becomes_its_id_and_unknown_topic_is_named():
    assert parse_filters(topic="Motorburen ungdom").topic == "motorburen-ungdom"
    assert parse_filters(topic="GRAFFITI AND VANDALISM").topic == "klotter-skadegorelse"
    assert parse_filters(topic="motorburen-ungdom").topic == "motorburen-ungdom"
    with pytest.raises(FilterError, match="'väder'"):
        parse_filters(topic="väder")


@pytest.mark.parametrize("field, value", [
    ("since", "2021-02-30"), ("since", "2021-9-15"), ("until", "15/9/2021"), ("until", "igår"),
    ("kind", "protokoll"), ("body", "%"), ("municipality", "_-_"), ("entity", "()"),
])
def test_bad_values_are_errors_that_name_them(field, value):
    with pytest.raises(FilterError) as err:
        parse_filters(**{field: value})
    assert repr(value) in str(err.value) or value in str(err.value)


def test_name_rule():
    assert name_matches("trygghetsråd", "Västerås Trygghetsrådet")
    assert name_matches("VÄSTERÅS", "Västerås Trygghetsråd")
    assert name_matches("Hallstahammars", "Hallstahammar Trygghetsråd")  # genitive
    assert not name_matches("råd", "Västerås Trygghetsråd")  # not inside a word
    assert not name_matches("trygghetsråd arboga", "Västerås Trygghetsråd")  # every word must match
    assert name_matches(None, "anything") and name_matches("", None)
    assert not name_matches("x", None)


def test_periods_one_rule():
    assert [period_of("2021-09-15", by) for by in ("meeting", "month", "quarter", "year")] == [
        "2021-09-15", "2021-09", "2021-Q3", "2021"]
    assert period_of(None, "year", 2021) == "2021"
    assert period_of(None, "quarter", 2021) is None and period_of(None, "meeting", 2021) is None
    assert period_of(None, "year") is None
    with pytest.raises(ValueError):
        period_of("2021-09-15", "week")
    assert when(None, 2019) == "2019" and when("2021-01-02", 2021) == "2021-01-02" and when(None, None) is None
    # known to the month: in its month, quarter and year, not as a meeting day
    assert [period_of(None, by, 2021, 5) for by in ("meeting", "month", "quarter", "year")] == [
        None, "2021-05", "2021-Q2", "2021"]
    assert when(None, 2021, 5) == "2021-05"
    assert sorted(["2021-Q3", None, "2019", "2021-Q1"], key=chronological) == ["2019", "2021-Q1", "2021-Q3", None]


def test_stop_word_lists():
    assert {"och", "är", "vi"} <= stopwords()
    assert {"möte", "beslut", "återkoppla"} <= minutes_words()
    assert "klotter" not in stopwords() | minutes_words()


def test_one_list_of_kinds_and_a_label_for_each():
    assert DOCUMENT_KINDS == ("minutes", "agenda", "news", "citizen_promise", "other")
    for kind in DOCUMENT_KINDS:
        assert kind_label(kind, "sv") != kind_label(kind, "en") or kind == "other"
    assert kind_label(None, "en") == "other"

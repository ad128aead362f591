"""Half-year periods and council terms: parsing, Helsinki bounds, neighbours."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.workflow.compilations.periods import (
    CouncilTerm,
    InvalidPeriod,
    Period,
    council_term,
    latest_ended,
    parse_period,
    period_of,
    periods_between,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-H1", Period(2026, 1)), ("2026-h2", Period(2026, 2)), (" 2025 - H2 ", Period(2025, 2)),
])
def test_parse(text, expected):
    assert parse_period(text) == expected
    assert str(expected) == expected.code


@pytest.mark.parametrize("text", ["", "2026", "2026-H3", "2026-H0", "26-H1", "2026H1x", "H1-2026", "1999-H1"])
def test_parse_refuses(text):
    with pytest.raises(InvalidPeriod):
        parse_period(text)


def test_bounds_are_helsinki_midnights_in_utc():
    # Helsinki is UTC+2 in winter and UTC+3 in summer.
    start, end = Period(2026, 1).bounds()
    assert start == datetime(2025, 12, 31, 22, tzinfo=timezone.utc)
    assert end == datetime(2026, 6, 30, 21, tzinfo=timezone.utc)
    start, end = Period(2026, 2).bounds()
    assert start == datetime(2026, 6, 30, 21, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 31, 22, tzinfo=timezone.utc)


def test_labels_and_days():
    assert Period(2026, 1).label == "1.1.–30.6.2026"
    assert Period(2026, 2).label == "1.7.–31.12.2026"
    assert Period(2026, 2).first_day == date(2026, 7, 1) and Period(2026, 2).last_day == date(2026, 12, 31)


def test_neighbours_and_order():
    assert Period(2026, 1).previous() == Period(2025, 2)
    assert Period(2026, 2).previous() == Period(2026, 1)
    assert Period(2025, 2).next() == Period(2026, 1)
    assert Period(2025, 2) < Period(2026, 1) < Period(2026, 2)
    assert periods_between(Period(2025, 2), Period(2026, 2)) == [Period(2025, 2), Period(2026, 1), Period(2026, 2)]
    assert periods_between(Period(2026, 2), Period(2026, 1)) == []


def test_period_of_uses_helsinki_time():
    # 30.6. 22:30 UTC is already 1.7. in Helsinki.
    assert period_of(datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)) == Period(2026, 2)
    assert period_of(datetime(2026, 6, 30, 20, 59, tzinfo=timezone.utc)) == Period(2026, 1)
    assert period_of(date(2026, 1, 1)) == Period(2026, 1)
    assert latest_ended(date(2026, 3, 1)) == Period(2025, 2)
    assert latest_ended(date(2026, 10, 1)) == Period(2026, 1)


@pytest.mark.parametrize(("day", "term"), [
    (date(2025, 6, 1), CouncilTerm(2025, 2029)), (date(2025, 5, 31), CouncilTerm(2021, 2025)),
    (date(2029, 5, 31), CouncilTerm(2025, 2029)), (date(2029, 6, 1), CouncilTerm(2029, 2033)),
    (date(2026, 11, 23), CouncilTerm(2025, 2029)),
])
def test_council_term(day, term):
    assert council_term(day) == term


def test_term_periods():
    term = CouncilTerm(2025, 2029)
    assert term.label == "2025–2029"
    assert len(term.periods()) == 8
    assert term.periods()[0] == Period(2025, 2) and term.periods()[-1] == Period(2029, 1)
    assert term.periods(up_to=Period(2026, 2)) == [Period(2025, 2), Period(2026, 1), Period(2026, 2)]

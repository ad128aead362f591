"""Compilation figures on hand-made frames with answers worked out by hand."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from app.workflow.compilations.statistics import (
    NONE,
    breakdown,
    compare,
    percent_change,
    processing_times,
    report_frame,
    term_table,
    term_totals,
)

T0 = datetime(2026, 2, 1, 8, tzinfo=timezone.utc)


def row(number, *, days_to_first=None, days_to_close=None, **fields):  # type: ignore[no-untyped-def]
    base = {"number": number, "created_at": T0, "nature": "negative", "phenomenon": "social_problems",
            "themes": [], "national_phenomena": [], "division": "PSP", "unit": "U1", "municipalities": ["297"],
            "significance": None, "status": "received", "escalation_level": "unit", "forum": None,
            "first_handled_at": T0 + timedelta(days=days_to_first) if days_to_first is not None else None,
            "closed_at": T0 + timedelta(days=days_to_close) if days_to_close is not None else None}
    base.update(fields)
    return base


FOUR = report_frame([
    row("SR-1", nature="positive", themes=["housing", "income"], significance=3, days_to_first=2, days_to_close=10,
        status="resolved", forum="f1", escalation_level="county"),
    row("SR-2", themes=["housing"], significance=3, days_to_first=4, status="in_handling"),
    row("SR-3", phenomenon="client_work", municipalities=["county"], significance=1, days_to_first=1,
        days_to_close=3, status="closed"),
    row("SR-4", municipalities=["297", "749"], unit="U2"),
])


def as_dict(table: pd.DataFrame, value: str = "count") -> dict:
    return dict(zip(table["code"], table[value]))


def test_single_valued_breakdown_lists_every_category_in_order():
    table = breakdown(FOUR, "nature", ["positive", "negative", "other"])
    assert list(table["code"]) == ["positive", "negative", "other"]
    assert as_dict(table) == {"positive": 1, "negative": 3, "other": 0}
    assert as_dict(table, "share") == {"positive": 0.25, "negative": 0.75, "other": 0.0}


def test_list_breakdown_counts_reports_per_item_and_reports_without_items():
    table = breakdown(FOUR, "themes", ["housing", "income", "service_needs"])
    assert as_dict(table) == {"housing": 2, "income": 1, "service_needs": 0, NONE: 2}
    assert list(table["code"])[-1] == NONE
    assert as_dict(table, "share")["housing"] == 0.5
    assert table["share"].sum() == pytest.approx(1.25)  # SR-1 counts under two themes


def test_municipalities_with_the_whole_county_and_several_per_report():
    assert as_dict(breakdown(FOUR, "municipalities")) == {"297": 3, "749": 1, "county": 1}


def test_missing_values_and_unknown_codes():
    table = breakdown(FOUR, "significance", ["1", "2", "3", "4"])
    assert as_dict(table) == {"1": 1, "2": 0, "3": 2, "4": 0, NONE: 1}
    forums = breakdown(FOUR, "forum")
    assert as_dict(forums) == {"f1": 1, NONE: 3}
    assert list(breakdown(FOUR, "unit", ["U9"])["code"]) == ["U9", "U1", "U2"]


def test_order_by_count_keeps_none_last():
    table = breakdown(FOUR, "themes", ["income", "housing", "service_needs"], by_count=True)
    assert list(table["code"]) == ["housing", "income", "service_needs", NONE]


def test_empty_period():
    empty = report_frame([])
    table = breakdown(empty, "nature", ["positive", "negative"])
    assert as_dict(table) == {"positive": 0, "negative": 0}
    assert as_dict(table, "share") == {"positive": 0.0, "negative": 0.0}
    assert list(breakdown(empty, "themes")["code"]) == []
    times = processing_times(empty)
    assert times["first_handling"] == {"count": 0, "median_days": None, "mean_days": None, "max_days": None}
    assert times["not_handled"] == 0 and times["open"] == 0


def test_one_report():
    one = report_frame([row("SR-1", themes=["income"], days_to_first=3, days_to_close=30, status="resolved")])
    assert as_dict(breakdown(one, "themes", ["income", "housing"])) == {"income": 1, "housing": 0}
    assert as_dict(breakdown(one, "themes", ["income"]), "share") == {"income": 1.0}
    times = processing_times(one)
    assert times["first_handling"] == {"count": 1, "median_days": 3.0, "mean_days": 3.0, "max_days": 3.0}
    assert times["resolution"]["median_days"] == 30.0
    assert times["not_handled"] == 0 and times["open"] == 0


def test_processing_times_of_the_reports_that_got_there():
    times = processing_times(FOUR)
    # first handling after 2, 4 and 1 days; SR-4 not handled yet
    assert times["first_handling"] == {"count": 3, "median_days": 2.0, "mean_days": 2.3, "max_days": 4.0}
    # resolved after 10 and 3 days
    assert times["resolution"] == {"count": 2, "median_days": 6.5, "mean_days": 6.5, "max_days": 10.0}
    assert times["not_handled"] == 1 and times["open"] == 2


def test_processing_times_count_calendar_days_on_the_helsinki_clock():
    """An anonymous report's arrival is stored as its day: counting hours would make it look slower."""
    evening = datetime(2026, 2, 1, 21, 30, tzinfo=timezone.utc)  # 23.30 in Helsinki
    frame = report_frame([row("SR-1", created_at=evening, first_handled_at=evening + timedelta(hours=1)),
                          row("SR-2", first_handled_at=T0 + timedelta(hours=36)),
                          row("SR-3", created_at=datetime(2026, 3, 28, 22, tzinfo=timezone.utc),  # 29.3. 00.00,
                              first_handled_at=datetime(2026, 3, 29, 22, tzinfo=timezone.utc))])  # DST: 23 hours
    assert processing_times(frame)["first_handling"] == {"count": 3, "median_days": 1.0, "mean_days": 1.0,
                                                         "max_days": 1.0}


def test_change_against_the_previous_period():
    previous = report_frame([row("SR-0", nature="positive"), row("SR-00", nature="other"),
                             row("SR-000", nature="other")])
    table = compare(breakdown(FOUR, "nature", ["positive", "negative"]), breakdown(previous, "nature", ["positive", "negative"]))
    assert list(table["code"]) == ["positive", "negative", "other"]
    assert as_dict(table, "previous") == {"positive": 1, "negative": 0, "other": 2}
    assert as_dict(table, "change") == {"positive": 0, "negative": 3, "other": -2}
    assert as_dict(table, "change_pct") == {"positive": 0.0, "negative": None, "other": -100.0}
    assert as_dict(table, "count")["other"] == 0


def test_change_against_an_empty_previous_period():
    table = compare(breakdown(FOUR, "nature", ["positive"]), breakdown(report_frame([]), "nature", ["positive"]))
    assert as_dict(table, "previous") == {"positive": 0, "negative": 0}
    assert as_dict(table, "change_pct") == {"positive": None, "negative": None}


@pytest.mark.parametrize(("now", "then", "expected"), [(3, 2, 50.0), (1, 3, -66.7), (0, 0, None), (5, 0, None), (2, 2, 0.0)])
def test_percent_change(now, then, expected):
    assert percent_change(now, then) == expected


def test_term_table_side_by_side_with_trend():
    frames = {
        "2025-H2": report_frame([row("a", nature="positive")]),
        "2026-H1": report_frame([row("b"), row("c", nature="positive")]),
        "2026-H2": report_frame([row("d"), row("e"), row("f"), row("g", nature="positive")]),
    }
    table = term_table(frames, "nature", ["positive", "negative", "other"]).set_index("code")
    assert list(table.columns[:3]) == ["2025-H2", "2026-H1", "2026-H2"]
    assert table.loc["negative", ["2025-H2", "2026-H1", "2026-H2"]].tolist() == [0, 1, 3]
    assert table.loc["negative", "change"] == 3 and table.loc["negative", "slope"] == 1.5
    assert table.loc["positive", "slope"] == 0.0 and table.loc["other", "change"] == 0
    totals = term_totals(frames).iloc[0]
    assert [totals[p] for p in frames] == [1, 2, 4] and totals["change"] == 3 and totals["slope"] == 1.5


def test_term_table_with_one_half_year_has_no_slope():
    table = term_table({"2025-H2": report_frame([row("a")])}, "nature", ["negative"])
    assert table.iloc[0]["slope"] == 0.0 and table.iloc[0]["change"] == 0

"""Figures of a half-yearly compilation: pure pandas functions of a frame of report rows.

Nothing here touches the database or the app, so every figure can be checked on a hand-made
frame. A frame has one row per report with the columns in REPORT_COLUMNS; multi-valued
fields (themes, confirmed national phenomena, municipalities) hold lists of codes. Categories are codes;
labels are attached by the caller.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

NONE = "none"
"""The category of a report that has no value for a field (no theme, no forum, not assessed)."""

REPORT_COLUMNS = (
    "number", "created_at", "first_handled_at", "closed_at", "feedback_given_at", "nature", "phenomenon", "themes",
    "national_phenomena", "division", "unit", "municipalities", "significance", "status",
    "escalation_level", "forum", "channel", "population_group", "profession_group",
)
LIST_COLUMNS = ("themes", "national_phenomena", "municipalities")
TIME_COLUMNS = ("created_at", "first_handled_at", "closed_at", "feedback_given_at")
SECONDS_PER_DAY = 86400.0


def report_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame with exactly REPORT_COLUMNS, times as UTC, lists as lists; empty input gives an empty frame."""
    frame = pd.DataFrame(list(rows), columns=list(REPORT_COLUMNS))
    for column in TIME_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in LIST_COLUMNS:
        frame[column] = [list(value) if isinstance(value, (list, tuple)) else [] for value in frame[column]]
    frame["significance"] = frame["significance"].astype("Int64")
    return frame


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column's values, one per report (or per list item), missing ones as NONE, all as text."""
    series = frame[column]
    if column in LIST_COLUMNS:
        series = series.map(lambda items: items if items else [NONE]).explode()
    series = series.astype(object).where(series.notna(), NONE)
    return series.map(str)


def breakdown(frame: pd.DataFrame, column: str, categories: Sequence[str] = (), *,
              by_count: bool = False) -> pd.DataFrame:
    """Counts and shares of the reports per category of a column.

    Every given category appears, with 0 if no report has it; a category met in the data but
    not given is added after them, and NONE (no value) comes last and only when it occurs.
    The share is of reports, so for list columns (a report with two themes counts for both)
    the shares may add up to more than 1. `by_count` orders the rows by count, most first.
    """
    counts = _values(frame, column).value_counts() if len(frame) else pd.Series(dtype="int64")
    order = [str(c) for c in categories]
    order += sorted(code for code in counts.index if code not in order and code != NONE)
    if NONE in counts.index:
        order.append(NONE)
    result = pd.DataFrame({"code": order, "count": [int(counts.get(code, 0)) for code in order]})
    if by_count and len(result):
        rank = {code: position for position, code in enumerate(order)}
        result = result.assign(_none=result["code"].eq(NONE), _rank=result["code"].map(rank))
        result = result.sort_values(["_none", "count", "_rank"], ascending=[True, False, True])
        result = result.drop(columns=["_none", "_rank"]).reset_index(drop=True)
    total = len(frame)
    result["share"] = result["count"] / total if total else 0.0
    return result


def compare(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """A breakdown with the previous period's counts beside it: previous, change and change_pct.

    Keeps the current breakdown's order and adds categories seen only in the previous period
    (with count 0). change_pct is None where the previous count is 0.
    """
    before = dict(zip(previous["code"], previous["count"]))
    extra = previous[~previous["code"].isin(current["code"])].assign(count=0, share=0.0)
    merged = pd.concat([current, extra], ignore_index=True) if len(extra) else current.copy()
    merged["previous"] = [int(before.get(code, 0)) for code in merged["code"]]
    merged["change"] = merged["count"] - merged["previous"]
    merged["change_pct"] = pd.Series([percent_change(now, then) for now, then in zip(merged["count"], merged["previous"])],
                                     index=merged.index, dtype=object)
    return merged


def percent_change(now: int, then: int) -> float | None:
    """Change from `then` to `now` in per cent, one decimal; None when there was nothing before."""
    if not then:
        return None
    return round((now - then) / then * 100, 1)


def _durations(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar days on the Helsinki clock: an anonymous report's arrival is stored only as its day, so
    counting hours would make its handling look up to a day slower than a named one's."""
    def days(moments: pd.Series) -> pd.Series:
        return moments.dt.tz_convert("Europe/Helsinki").dt.normalize()
    return ((days(end) - days(start)).dt.total_seconds() / SECONDS_PER_DAY).round().dropna()


def _summary(days: pd.Series) -> dict[str, Any]:
    if days.empty:
        return {"count": 0, "median_days": None, "mean_days": None, "max_days": None}
    return {"count": int(days.size), "median_days": round(float(days.median()), 1),
            "mean_days": round(float(days.mean()), 1), "max_days": round(float(days.max()), 1)}


def processing_times(frame: pd.DataFrame) -> dict[str, Any]:
    """Days from receipt to first handling, to the first feedback to the reporter and to resolution (resolved or
    closed), of the reports that got there."""
    return {
        "first_handling": _summary(_durations(frame["created_at"], frame["first_handled_at"])),
        "feedback": _summary(_durations(frame["created_at"], frame["feedback_given_at"])),
        "resolution": _summary(_durations(frame["created_at"], frame["closed_at"])),
        "not_handled": int(frame["first_handled_at"].isna().sum()),
        "open": int(frame["closed_at"].isna().sum()),
    }


def term_table(frames: Mapping[str, pd.DataFrame], column: str, categories: Sequence[str] = ()) -> pd.DataFrame:
    """Counts per category in every half-year side by side, with the trend over them.

    `frames` maps period codes, in time order, to their report frames. The result has a row
    per category ('code'), a column per period, 'change' (last minus first) and 'slope', the
    least-squares change per half-year (0 with fewer than two periods).
    """
    periods = list(frames)
    tables = [breakdown(frames[p], column, categories).set_index("code")["count"].rename(p) for p in periods]
    table = pd.concat(tables, axis=1).fillna(0).astype("int64") if tables else pd.DataFrame()
    table = table.reset_index(names="code") if len(table.columns) else pd.DataFrame({"code": list(categories)})
    return _with_trend(table, periods)


def term_totals(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Reports per half-year as a one-row table with the same trend columns as term_table()."""
    periods = list(frames)
    table = pd.DataFrame([{"code": "total", **{p: len(frames[p]) for p in periods}}])
    return _with_trend(table, periods)


def _with_trend(table: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    table = table.copy()
    if not periods:
        table["change"], table["slope"] = 0, 0.0
        return table
    values = table[periods].to_numpy(dtype=float)
    table["change"] = (values[:, -1] - values[:, 0]).astype("int64")
    table["slope"] = [_slope(row) for row in values]
    return table


def slope(values: Sequence[float]) -> float:
    """The least-squares change per step of a series, as in the term tables (0 with fewer than two values)."""
    return _slope(np.asarray(values, dtype=float))


def _slope(values: np.ndarray) -> float:
    if values.size < 2:
        return 0.0
    positions = np.arange(values.size, dtype=float)
    return round(float(np.polyfit(positions, values, 1)[0]), 2)

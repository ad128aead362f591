"""The breakdowns that can point at a small group of people are protected like places."""
from __future__ import annotations

import pytest

from app.workflow.compilations import disclosure


def content_with(key: str) -> dict:  # type: ignore[type-arg]
    rows = [{"code": "a", "label": "A", "count": 2, "previous": 12},
            {"code": "b", "label": "B", "count": 30, "previous": 20},
            {"code": "c", "label": "C", "count": 9, "previous": 11}]
    return {"total": 41, "previous_total": 43, "breakdowns": [{"key": key, "title": key, "rows": rows}],
            "municipalities": [], "highlights": [], "reports": []}


@pytest.mark.parametrize("key", ["forum", "channel", "division", "municipalities"])
def test_a_small_count_of_a_forum_a_partner_or_a_place_is_hidden_with_its_complement(key):
    rows = disclosure.publishable(content_with(key), limit=5)["breakdowns"][0]["rows"]
    assert [r["count"] for r in rows] == ["<5", 30, ".."], "the 2 and the smallest other count"
    assert [r["previous"] for r in rows] == [12, 20, 11]


def test_a_theme_is_not_a_group_of_people_so_its_small_count_is_shown():
    rows = disclosure.publishable(content_with("themes"), limit=5)["breakdowns"][0]["rows"]
    assert [r["count"] for r in rows] == [2, 30, 9]

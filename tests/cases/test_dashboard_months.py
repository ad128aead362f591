"""The dashboard counts months on the Helsinki clock, not in UTC, and reuses its counts for a while."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from types import SimpleNamespace

from app.extensions import db
from app.workflow.cases.dashboard import build_dashboard, month_buckets

UTC = timezone.utc


def test_month_buckets_start_at_helsinki_midnight_across_daylight_saving():
    buckets = month_buckets(datetime(2026, 11, 15, tzinfo=UTC), 2)
    assert [(label, start, end) for label, start, end in buckets] == [
        ("9/2026", datetime(2026, 8, 31, 21, tzinfo=UTC), datetime(2026, 9, 30, 21, tzinfo=UTC)),
        ("10/2026", datetime(2026, 9, 30, 21, tzinfo=UTC), datetime(2026, 10, 31, 22, tzinfo=UTC)),
        ("11/2026", datetime(2026, 10, 31, 22, tzinfo=UTC), datetime(2026, 11, 30, 22, tzinfo=UTC)),
    ]
    assert [label for label, _, _ in month_buckets(datetime(2027, 1, 5, tzinfo=UTC), 1)] == ["12/2026", "1/2027"]


def test_a_report_sent_after_midnight_in_helsinki_counts_in_the_new_month(app_ctx, unit, create_report):
    for moment in (datetime(2026, 11, 30, 21, 59, tzinfo=UTC), datetime(2026, 11, 30, 22, 30, tzinfo=UTC),
                   datetime(2026, 12, 3, 9, tzinfo=UTC)):
        create_report(unit, now=moment)
    db.session.commit()
    data = build_dashboard(now=datetime(2026, 12, 10, tzinfo=UTC))
    assert data.by_month == [("11/2026", 1), ("12/2026", 2)]


def test_the_dashboards_counts_are_reused_for_the_configured_time(app, app_ctx, unit, monkeypatch, create_report):
    from app.workflow.cases import dashboard
    from app.workflow.cases.dashboard import cached_figures

    def file(description: str) -> None:
        create_report(unit, description=description)
        db.session.commit()

    monkeypatch.setitem(app.extensions, "sora_dashboard_figures", {})
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    file("Ensimmäinen.")
    counted = cached_figures()
    file("Toinen.")
    assert cached_figures() is counted and sum(counted.by_status_and_level.values()) == 1
    later = time.monotonic() + 61
    monkeypatch.setattr(dashboard, "time", SimpleNamespace(monotonic=lambda: later))
    assert sum(cached_figures().by_status_and_level.values()) == 2, "counted again once the time is up"
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 0)
    file("Kolmas.")
    assert sum(cached_figures().by_status_and_level.values()) == 3, "0 counts on every request"

"""Harvesting 22 counties' open data of one half-year and building the situation at a glance (issue 19, point 6:
at most 2 s in total).

    .venv/bin/python bench/harvest.py [--period 2026-H1] [--database URL] [--runs 3]

A local HTTP server (127.0.0.1, a thread) publishes 22 counties' open data as a county's SoRa does: an index
and the half-year's JSON export each (app.workflow.comparison.synthetic.example_export, ~50-60 kB, every
municipality of the county). A fresh database (a temporary SQLite file, or --database) gets the 22 sources;
then each run times the whole harvest (44 fetches, schema validation, storing) from an empty comparison, and
the situation at a glance if the views' module provides it (app.workflow.comparison.views: the first of
`situation_at_a_glance`, `situation`, `tilannekuva` found); otherwise it says it timed the harvest alone.
A second harvest of the same bytes (which stores nothing) is timed as well. Exit status 1 if a run's total
is over the target.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "comparison"))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402

TARGET_SECONDS = 2.0
SITUATION_NAMES = ("situation_at_a_glance", "situation", "tilannekuva")
COUNTIES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17",
            "18", "19", "20", "21", "90")


def situation_function():  # type: ignore[no-untyped-def]
    """The views branch's situation at a glance, if this checkout has it."""
    try:
        views = importlib.import_module("app.workflow.comparison.views")
    except ImportError:
        return None, None
    for name in SITUATION_NAMES:
        if callable(getattr(views, name, None)):
            return f"app.workflow.comparison.views.{name}", getattr(views, name)
    return None, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026-H1")
    parser.add_argument("--database", default="", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--counties", type=int, default=len(COUNTIES), help="how many of the 22 (for a quick check)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sora-bench-harvest-") as workdir:
        url = args.database or f"sqlite:///{Path(workdir) / 'bench.db'}"
        return run(url, args.period, args.runs, COUNTIES[:args.counties])


def run(url: str, period: str, runs: int, counties: tuple[str, ...]) -> int:
    from harvest_files import county_server

    from app.extensions import db
    from app.models import HarvestedExport, HarvestSource
    from app.workflow.comparison import harvest

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    name, situation = situation_function()
    totals = []
    with app.app_context(), county_server() as server:
        upgrade()
        db.session.execute(sa.delete(HarvestedExport))
        db.session.execute(sa.delete(HarvestSource))
        sizes = []
        for code in counties:
            document = server.good(code, period, reports=400)
            harvest.add_source(server.publish(code, {period: document}, area=None), None)
            sizes.append(len(server.files[f"/{code}/{period}.json"]))
        db.session.commit()
        print(f"counties: {len(counties)}, half-year {period}, files {min(sizes) // 1000}-{max(sizes) // 1000} kB "
              f"({sum(sizes) // 1000} kB), database: {sa.engine.make_url(url).get_backend_name()}")
        print(f"situation at a glance: {name or 'not in this checkout (app.workflow.comparison.views): harvest alone'}")
        for number in range(1, runs + 1):
            with app.app_context():
                db.session.execute(sa.delete(HarvestedExport))
                db.session.commit()
                started = time.perf_counter()
                results = harvest.run_harvest()
                harvested = time.perf_counter() - started
                assert sum(len(r.added) for r in results) == len(counties), [r.problems for r in results]
                drawn = 0.0
                if situation is not None:
                    started_view = time.perf_counter()
                    situation(**({"period": period} if "period" in inspect.signature(situation).parameters else {}))
                    drawn = time.perf_counter() - started_view
                started = time.perf_counter()
                again = harvest.run_harvest()
                repeated = time.perf_counter() - started
                assert not any(r.added for r in again)
                totals.append(harvested + drawn)
                print(f"  run {number}: harvest {harvested:.2f} s, situation {drawn:.2f} s, "
                      f"total {harvested + drawn:.2f} s; the same files again {repeated:.2f} s")
    worst = max(totals)
    print(f"median total {statistics.median(totals):.2f} s, worst {worst:.2f} s "
          f"(target {TARGET_SECONDS:.1f} s): {'met' if worst <= TARGET_SECONDS else 'NOT met'}")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

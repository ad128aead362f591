"""Filing throughput and latency: SoRa's POST /api/v1/reports against a minimal Flask INSERT endpoint.

    .venv/bin/python bench/filing.py [--seconds 8] [--workers 4] [--clients 1 8 32] [--warm-up 1.5]

Both apps run under Gunicorn with the same workers on the same PostgreSQL database (BENCH_DATABASE_URL,
default sora_bench on 127.0.0.1, dropped and created anew), and are measured in the same run, level by level
in turn. SoRa files anonymous reports into the demo organisation, so routing, notifications and the outbox
do their real work. The target: SoRa reaches at least 60 % of the minimal endpoint's throughput.

A third series, "checked", sends the same report with a personal identity code in its description: SoRa
parses and validates the whole report (its unit, themes and municipalities looked up) and refuses it with
400, storing nothing. It is the ceiling of any filing that checks what it stores.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.load import (  # noqa: E402
    Result,
    database_url,
    describe,
    gunicorn,
    post_json,
    recreate_database,
    run_load,
)
from bench.minimal_app import metadata  # noqa: E402

TARGET = 0.60


def prepare(url: str) -> str:
    """A migrated database with the demo organisation; the code of the unit the reports are filed for."""
    from flask_migrate import upgrade

    from app import create_app
    from app.demo import seed_demo
    from app.extensions import db
    from app.workflow.reports.catalog import active_units

    recreate_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        seed_demo(0, "bench-password")
        db.session.commit()
        unit = next(unit.code for unit in active_units() if unit.municipality and unit.municipality.name == "Kuopio")
        metadata.create_all(db.engine)
        db.engine.dispose()
    return unit


def report(unit: str, serial: int) -> dict[str, object]:
    return {"unit": unit, "nature": "negative", "phenomenon": "social_problems", "themes": ["housing", "income"],
            "population_group": "working_age", "significance": 3, "profession_group": "social_welfare",
            "description": f"Vertailuraportti {serial}: kohtuuhintaisia vuokra-asuntoja ei löydy, ja asiakkaiden "
                           "vuokrat ylittävät asumistuen rajat.",
            "proposed_actions": "Lisää kohtuuhintaista vuokra-asumista.", "available_to_help": True}


def refused(unit: str, serial: int) -> dict[str, object]:
    """A report SoRa must refuse only after checking every field: its description names a client."""
    return {**report(unit, serial), "description": f"Asiakas 131052-308T, vertailu {serial}."}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per app and level")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="Gunicorn workers per app")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per app and level")
    parser.add_argument("--warm-up", type=float, default=1.5, help="seconds of warm-up per app before measuring")
    args = parser.parse_args()

    url = database_url()
    unit = prepare(url)
    sora_env = {"SORA_DATABASE_URL": url, "SORA_SECRET_KEY": "bench", "SORA_FILING_RATE_LIMIT": "100000000 per hour",
                "SORA_MAIL_SERVER": ""}
    print(f"Filing benchmark: {args.workers} Gunicorn sync workers per app, {args.seconds:g} s per level, "
          f"PostgreSQL {sa.engine.make_url(url).render_as_string(hide_password=True)}, {os.cpu_count()} cores")
    results: dict[str, list[Result]] = {"minimal": [], "sora": [], "checked": []}
    with gunicorn("bench.minimal_app:create_app()", {"BENCH_DATABASE_URL": url}, args.workers) as minimal_port, \
            gunicorn("app:create_app()", sora_env, args.workers) as sora_port:
        senders = {
            "minimal": (lambda serial: post_json(minimal_port, "/insert", report(unit, serial)), 201),
            "sora": (lambda serial: post_json(sora_port, "/api/v1/reports", report(unit, serial)), 201),
            "checked": (lambda serial: post_json(sora_port, "/api/v1/reports", refused(unit, serial)), 400),
        }
        for name, (send, expected) in senders.items():  # warm-up: imports, pools, caches
            run_load(send, expected, clients=4, seconds=args.warm_up, max_requests=200)
        for clients in args.clients:
            for name, (send, expected) in senders.items():
                result = run_load(send, expected, clients, args.seconds, args.max_requests)
                results[name].append(result)
                print(f"{clients:3d} clients  {name:8s}{describe(result)}", flush=True)

    print()
    print("| clients | minimal req/s | SoRa req/s | SoRa / minimal | checked req/s | checked / minimal "
          "| minimal p50 / p95 ms | SoRa p50 / p95 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = 1.0
    for minimal, sora, checked in zip(results["minimal"], results["sora"], results["checked"]):
        share = sora.throughput / minimal.throughput
        worst = min(worst, share)
        print(f"| {sora.clients} | {minimal.throughput:.0f} | {sora.throughput:.0f} | {share:.0%} | "
              f"{checked.throughput:.0f} | {checked.throughput / minimal.throughput:.0%} | "
              f"{minimal.percentile(0.5):.1f} / {minimal.percentile(0.95):.1f} | "
              f"{sora.percentile(0.5):.1f} / {sora.percentile(0.95):.1f} |")

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(sa.text("SELECT count(*) FROM report"))
        rows = connection.scalar(sa.text("SELECT count(*) FROM bench_row"))
    engine.dispose()
    failed = sum(r.errors for rs in results.values() for r in rs)
    print(f"\nStored: {stored} reports, {rows} minimal rows (warm-up included); failed requests: {failed}.")
    verdict = "meets" if worst >= TARGET else "MISSES"
    print(f"SoRa's filing reaches at least {worst:.0%} of the minimal endpoint: {verdict} the {TARGET:.0%} target.")
    return 0 if worst >= TARGET and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

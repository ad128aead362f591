"""The phenomenon view at 100,000 reports: a national phenomenon's reports per half-year and municipality, the
findings and the indicators, side by side (issue 17, point 6: at most 500 ms).

    .venv/bin/python bench/phenomenon_view.py [--size 100000] [--requests 20] [--reuse]

A PostgreSQL database of its own (BENCH_DATABASE_URL's name + _<size>, by default
sora_bench_phenomena_100000 on 127.0.0.1) gets the demo organisation and users and --size reports over two
years in bulk (bench/inbox_dashboard.insert_reports, without the text indexes this page never reads), each
coded with one or two national phenomena (four in five confirmed), ten indicators per phenomenon with ten
years for every municipality, the county and Finland, and a phenomenon group naming each phenomenon. After
VACUUM ANALYZE each page is requested through the Flask test client as the social director (exact counts)
and as a county-wide welfare coordinator (counts under disclosure control): the overview, a phenomenon for
the whole county and for Kuopio. It prints the median and p95 of --requests timed requests after three
warm-ups, with the SQL statements and their time, and whether the p95 meets the target (exit status 1 if not).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.inbox_dashboard import BATCH, DIRECTOR, counting, insert_reports, log_in, prepare  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/sora_bench_phenomena"
COORDINATOR = "hyte.alue@bench.example"
TARGET_MS = 500
PAGES = (
    (DIRECTOR, "overview", "/phenomena/national/"),
    (DIRECTOR, "homelessness, county", "/phenomena/national/homelessness"),
    (DIRECTOR, "homelessness, Kuopio", "/phenomena/national/homelessness?area=297"),
    (COORDINATOR, "homelessness, county", "/phenomena/national/homelessness"),
    (COORDINATOR, "mental health, Kuopio", "/phenomena/national/mental_health?area=297"),
)


def add_coding_and_indicators(seed: int = 17) -> None:
    """Codings for every report, indicators for every phenomenon and area, a group per phenomenon."""
    from app.codes import AreaKind, IndicatorSource, Role
    from app.extensions import db
    from app.models import (
        Indicator,
        IndicatorValue,
        Municipality,
        NationalPhenomenon,
        PhenomenonGroup,
        Proposal,
        Report,
        ReportNationalPhenomenon,
        RoleAssignment,
        User,
    )

    rng = random.Random(seed)
    phenomena = list(db.session.scalars(sa.select(NationalPhenomenon).order_by(NationalPhenomenon.position)))
    rows = []
    for report_id in db.session.scalars(sa.select(Report.id)):
        for phenomenon in rng.sample(phenomena, rng.choice((1, 1, 2))):
            confirmed = rng.random() < 0.8
            rows.append({"report_id": report_id, "national_phenomenon_id": phenomenon.id, "confirmed": confirmed,
                         "source": "handler" if confirmed else "reporter"})
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(ReportNationalPhenomenon), rows[start:start + BATCH])
    areas = ([(AreaKind.MUNICIPALITY, code) for code in db.session.scalars(sa.select(Municipality.code))]
             + [(AreaKind.COUNTY, "13"), (AreaKind.COUNTRY, "FI")])
    values = []
    for phenomenon in phenomena:
        for number in range(10):
            indicator = Indicator(source=IndicatorSource.SOTKANET, source_code=f"{phenomenon.position}{number:03d}",
                                  title=f"{phenomenon.label_fi}: mittari {number + 1}", national_phenomenon=phenomenon)
            db.session.add(indicator)
            db.session.flush()
            values += [{"indicator_id": indicator.id, "area_kind": kind, "area_code": code, "year": year,
                        "value": round(rng.uniform(1, 40), 1)} for kind, code in areas for year in range(2015, 2025)]
        group = PhenomenonGroup(name=f"{phenomenon.label_fi}: työryhmän havainnot", description="Kuvaus.",
                                observations="Havainnot.", national_phenomena=[phenomenon])
        group.proposals = [Proposal(text="Ehdotus.", position=0)]
        db.session.add(group)
    db.session.execute(sa.insert(IndicatorValue), values)
    coordinator = User(email=COORDINATOR, name="Koordinaattori", password_hash=db.session.scalar(
        sa.select(User.password_hash).where(User.email == DIRECTOR)))
    coordinator.roles = [RoleAssignment(role=Role.WELFARE_COORDINATOR)]
    db.session.add(coordinator)
    db.session.commit()


def fill(size: int) -> None:
    """The reports without the text indexes this page never reads, then their codings and the indicators."""
    insert_reports(size, datetime.now(timezone.utc), text_indexes=False)
    add_coding_and_indicators()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    app = prepare(url, args.size, args.reuse, fill)
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    clients = {}
    for email in {page[0] for page in PAGES}:
        clients[email] = app.test_client()
        log_in(clients[email], email)
    print(f"\n| page ({args.size:,} reports) | median ms | p95 ms | statements | SQL ms | p95 ≤ {TARGET_MS} ms |")
    print("|---|---:|---:|---:|---:|:---:|")
    missed = False
    for email, label, path in PAGES:
        who = "director" if email == DIRECTOR else "coordinator"
        for _ in range(3):
            assert clients[email].get(path).status_code == 200, path
        times, statements, sql = [], [], []
        for _ in range(args.requests):
            with counting(engine, set()) as log:
                started = time.perf_counter()
                response = clients[email].get(path)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
            statements.append(len(log))
            sql.append(sum(seconds for _, _, seconds in log) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        ok = p95 <= TARGET_MS
        missed |= not ok
        print(f"| {who}: {label} | {statistics.median(times):.1f} | {p95:.1f} | {statistics.median(statements):.0f} "
              f"| {statistics.median(sql):.1f} | {'yes' if ok else '**no**'} |", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

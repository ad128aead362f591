"""Inbox and dashboard response times with 1,000 and with 100,000 reports in the database.

    .venv/bin/python bench/inbox_dashboard.py [--sizes 1000 100000] [--requests 20] [--explain] [--reuse]

For each size a database of its own (BENCH_DATABASE_URL's name + _1000 and so on, by default
sora_bench_inbox_1000 on 127.0.0.1, dropped and created anew unless --reuse) gets the demo organisation and
users, then that many reports over the last two years, inserted in bulk with SQLAlchemy core (filing them one
by one would take hours): statuses by age as a county would have them, one to three themes, a tenth for named
municipalities. After VACUUM ANALYZE (what autovacuum does in production) each page is requested through the
Flask test client, logged in as the social director (who sees everything) and as a handler (one service area's
reports): the inbox's first page without and with a filter, and the dashboard, each page on both databases in
turn, request by request, so both see the same machine. It prints the median of --requests timed requests
(after three warm-ups), the number of SQL statements and their time, the CPU a request costs (this process's
and its PostgreSQL backend's, from /proc, so the server must run on this machine; unlike the clock, it barely
moves with other people's load), and whether each page meets the target: **the larger database costs at most
twice the smaller** (median response time; exit status 1 if not). --explain prints PostgreSQL's plan of every
statement of each page at the largest size.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.load import backend_cpu_seconds, deadline_columns, recreate_database  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/sora_bench_inbox"
TARGET = 2.0
PASSWORD = "bench-password"
DIRECTOR = "sosiaalijohtaja@sora.example"
HANDLER = "kasittelija@sora.example"
PAGES = (
    (DIRECTOR, "inbox", "/cases/"),
    (DIRECTOR, "inbox, in handling", "/cases/?status=in_handling"),
    (DIRECTOR, "inbox, housing in Kuopio", "/cases/?theme=housing&municipality=297"),
    (DIRECTOR, "dashboard", "/cases/dashboard"),
    (HANDLER, "inbox", "/cases/"),
    (HANDLER, "inbox, received", "/cases/?status=received"),
    (DIRECTOR, "search: päihdepalvelut", "/cases/?q=p%C3%A4ihdepalvelut"),
    (DIRECTOR, "search: kotihoito asunto", "/cases/?q=kotihoito+asunto"),
    (DIRECTOR, "search: a number", "/cases/?q=sr+2026+44"),
    (HANDLER, "search: päihdepalvelut", "/cases/?q=p%C3%A4ihdepalvelut"),
)
SEARCH_P95_MS = 300
EXPORT_ROWS = 10_000
EXPORT_SECONDS = 5.0
BATCH = 5_000
FRESH = ("director", "dashboard's counts afresh")
"""Counting the dashboard's figures without the page: what a request pays once a minute per process."""


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)


def status_for(age_days: float, rng: random.Random) -> tuple[str, str]:
    """(status, escalation level) of a report of this age: new ones wait, old ones are mostly done."""
    if age_days < 14:
        status = rng.choices(["received", "in_handling", "waiting_for_reporter"], [5, 4, 1])[0]
    elif age_days < 120:
        status = rng.choices(["received", "in_handling", "waiting_for_reporter", "forwarded", "resolved", "closed"],
                             [1, 4, 1, 2, 3, 1])[0]
    else:
        status = rng.choices(["in_handling", "forwarded", "resolved", "closed"], [1, 1, 6, 3])[0]
    level = "unit" if status in ("received", "in_handling", "waiting_for_reporter") else \
        rng.choices(["unit", "county", "national", "ministry"], [5, 4, 2, 1])[0]
    return status, level


def insert_reports(count: int, now: datetime, seed: int = 2026,
                   texts: Callable[[random.Random, dict[str, Any]], tuple[str, str | None]] | None = None,
                   *, text_indexes: bool = True) -> None:
    """`count` reports over the last two years, with their themes and municipalities, in bulk.

    `texts(rng, template)` gives a report's description and proposal (default: the template's own).
    `text_indexes=False` leaves the search index and the similar reports' term counts empty, for a
    benchmark that reads neither (building them is most of the time at 100,000 reports)."""
    from app.codes import NodeKind, Role
    from app.demo_texts import REPORT_TEMPLATES
    from app.extensions import db
    from app.models import (
        Forum,
        Municipality,
        OrgNode,
        Report,
        ReportNumberCounter,
        Theme,
        User,
        report_municipality,
        report_theme,
    )
    from app.workflow.cases.routing import handling_node, role_holders
    from app.workflow.compilations.periods import HELSINKI

    rng = random.Random(seed)
    units = list(db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT).order_by(OrgNode.code)))
    handlers = role_holders(db.session.scalars(sa.select(User)), Role.HANDLER)
    handling = {unit.id: getattr(handling_node(unit, handlers), "id", None) for unit in units}  # type: ignore[arg-type]
    themes = {t.code: t.id for t in db.session.scalars(sa.select(Theme))}
    forums: dict[str, list[int]] = {}
    for forum in db.session.scalars(sa.select(Forum).order_by(Forum.code)):
        forums.setdefault(forum.level.value, []).append(forum.id)
    municipalities = list(db.session.scalars(sa.select(Municipality.id)))
    moments = sorted(now - timedelta(days=rng.uniform(0, 730)) for _ in range(count))
    sequences: dict[int, int] = {}
    reports, theme_links, municipality_links = [], [], []
    for report_id, created in enumerate(moments, start=1):
        template = rng.choice(REPORT_TEMPLATES)
        description, proposed = texts(rng, template) if texts else (template["description"],
                                                                     template["proposed_actions"])
        unit = rng.choice(units)
        year = created.astimezone(HELSINKI).year
        sequences[year] = sequences.get(year, 0) + 1
        age = (now - created).total_seconds() / 86400
        status, level = status_for(age, rng)
        handled = None if status == "received" else created + timedelta(days=rng.uniform(0.5, min(age, 10)))
        closed = created + timedelta(days=rng.uniform(min(age, 10), age)) if status in ("resolved", "closed") else None
        # As the workflow leaves them: a forum took the report forward to its level, a question remembers
        # where the report was.
        forum = rng.choice(forums[level]) if status == "forwarded" or level != "unit" else None
        scope = rng.random()
        reports.append({
            "id": report_id, "number": f"SR-{year}-{sequences[year]:05d}", "year": year, "sequence": sequences[year],
            "tracking_hash": secrets.token_hex(32), "unit_id": unit.id, "profession_group": "social_welfare",
            "nature": template["nature"], "phenomenon": template["phenomenon"],
            "population_group": template["population_group"] or None, "whole_county": 0.8 < scope <= 0.9,
            "significance": template["significance"], "description": description,
            "proposed_actions": proposed or None, "status": status, "escalation_level": level,
            "forum_id": forum, "resume_status": "in_handling" if status == "waiting_for_reporter" else None,
            "handling_node_id": handling[unit.id], "unread_answer": status == "in_handling" and rng.random() < 0.05,
            "first_handled_at": handled, **deadline_columns(created, status, handled, closed), "closed_at": closed,
            "created_at": created, "updated_at": closed or handled or created, "version": 1,
        })
        theme_links += [{"report_id": report_id, "theme_id": themes[code]} for code in template["themes"]
                        if code in themes]
        if scope <= 0.8:  # as filing does: the unit's municipality unless others or the whole county are chosen
            municipality_links.append({"report_id": report_id, "municipality_id": unit.municipality_id})
        elif scope > 0.9:
            municipality_links += [{"report_id": report_id, "municipality_id": m}
                                   for m in rng.sample(municipalities, 2)]
    for table, rows in ((Report.__table__, reports), (report_theme, theme_links),
                        (report_municipality, municipality_links)):
        for start in range(0, len(rows), BATCH):
            db.session.execute(sa.insert(table), rows[start:start + BATCH])
    db.session.add_all(ReportNumberCounter(year=year, last_value=last) for year, last in sequences.items())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('report', 'id'), :last)"),
                           {"last": count})
    if text_indexes:
        from app.workflow.phenomena.term_index import backfill
        from app.workflow.search.index import rebuild

        rebuild(db.session.connection())  # what each filing's flush does, for the reports inserted in bulk
        backfill(db.session.connection())  # and the term counts of similar reports
    db.session.commit()


def prepare(url: str, size: int, reuse: bool,  # type: ignore[no-untyped-def]
            fill: Callable[[int], None] | None = None):
    """A database of its own for `size` (the URL's name + _size) with the demo organisation, users and
    `size` reports; the app serving it. With `reuse`, a database left by an earlier run is only migrated.
    `fill(size)` inserts the reports (default: insert_reports, text indexes included)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.demo import seed_organisation, seed_users
    from app.extensions import db
    from app.models import Report
    from app.workflow.admin.county import setup_county

    target = make_url(url)
    url = target.set(database=f"{target.database}_{size}").render_as_string(hide_password=False)
    if not (reuse and _exists(url)):
        recreate_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TRACKING_KEY": "bench",
                      "LOGIN_RATE_LIMIT": "1000 per minute", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        if db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == size:
            print(f"  reusing {size:,} reports in {target.database}_{size}", flush=True)
            return app
        setup_county("13")
        seed_organisation()
        seed_users(PASSWORD)
        db.session.commit()
        started = time.perf_counter()
        (fill or (lambda count: insert_reports(count, datetime.now(timezone.utc))))(size)
        loaded = time.perf_counter() - started
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(f"  {size:,} reports inserted in {loaded:.1f} s", flush=True)
    return app


def _exists(url: str) -> bool:
    target = make_url(url)
    admin = sa.create_engine(target.set(database="postgres"))
    try:
        with admin.connect() as connection:
            return bool(connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                          {"name": target.database}))
    finally:
        admin.dispose()


@contextmanager
def counting(engine: sa.Engine, backends: set[int]) -> Iterator[list[tuple[str, Any, float]]]:
    """Every statement run inside the block: (SQL, parameters, seconds); `backends` gets the server
    process of each connection used."""
    statements: list[tuple[str, Any, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        backends.add(cursor.connection.info.backend_pid)
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters, time.perf_counter() - conn.info.pop("bench_started")))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)


def log_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def measure(apps: dict[int, Any], requests: int, explain: bool) -> dict[int, dict[tuple[str, str], dict[str, float]]]:
    """Each page on every size in turn, request by request (alternating which goes first), so the sizes
    share whatever load the machine has at that moment and their ratio does not drift with it."""
    from app.extensions import db

    results: dict[int, dict[tuple[str, str], dict[str, float]]] = {size: {} for size in apps}
    clients, engines = {}, {}
    for size, app in apps.items():
        for email in {page[0] for page in PAGES}:
            clients[(size, email)] = app.test_client()
            log_in(clients[(size, email)], email)
        with app.app_context():
            engines[size] = db.engine
    backends: dict[int, set[int]] = {size: set() for size in apps}
    largest = max(apps)
    for email, label, path in PAGES:
        for size in apps:
            with counting(engines[size], backends[size]):
                for _ in range(3):
                    assert clients[(size, email)].get(path).status_code == 200, path
        times: dict[int, list[float]] = {size: [] for size in apps}
        python = dict.fromkeys(apps, 0.0)
        backend_before = {size: sum(backend_cpu_seconds(pid) for pid in backends[size]) for size in apps}
        with ExitStack() as stack:
            statements = {size: stack.enter_context(counting(engines[size], backends[size])) for size in apps}
            for number in range(requests):
                for size in (sorted(apps) if number % 2 == 0 else sorted(apps, reverse=True)):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = clients[(size, email)].get(path)
                    python[size] += time.process_time() - cpu_started
                    times[size].append(time.perf_counter() - started)
                    assert response.status_code == 200, path
        who = "director" if email == DIRECTOR else "handler"
        for size in apps:
            backend = sum(backend_cpu_seconds(pid) for pid in backends[size]) - backend_before[size]
            results[size][(who, label)] = {
                "median_ms": statistics.median(times[size]) * 1000,
                "p90_ms": sorted(times[size])[int(0.9 * requests)] * 1000,
                "p95_ms": sorted(times[size])[min(requests - 1, int(0.95 * requests))] * 1000,
                "statements": len(statements[size]) / requests,
                "sql_ms": sum(s[2] for s in statements[size]) / requests * 1000,
                "cpu_ms": (python[size] + backend) / requests * 1000, "backend_cpu_ms": backend / requests * 1000,
            }
        if explain:
            show_plans(apps[largest], statements[largest][: len(statements[largest]) // requests], f"{who}: {label}")
    for size, app in apps.items():
        with app.app_context():
            from app.workflow.cases.dashboard import count_figures

            fresh = []
            for _ in range(max(3, requests // 4)):
                started = time.perf_counter()
                count_figures()
                fresh.append(time.perf_counter() - started)
            db.session.remove()
        results[size][FRESH] = {"median_ms": statistics.median(fresh) * 1000, "p90_ms": max(fresh) * 1000,
                                "p95_ms": max(fresh) * 1000,
                                "statements": 4, "sql_ms": float("nan"), "cpu_ms": float("nan"),
                                "backend_cpu_ms": float("nan")}
    return results


def measure_export(app, client) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    """(rows, seconds to the first byte, seconds to the last) of the inbox's CSV export of about EXPORT_ROWS
    reports: the newest ones, found by a date range that holds that many."""
    from app.extensions import db
    from app.models import Report
    from app.workflow.cases.deadlines import HELSINKI

    with app.app_context():
        newest = list(db.session.scalars(sa.select(Report.created_at).order_by(Report.created_at.desc())
                                         .limit(EXPORT_ROWS)))
        db.session.remove()
    start = newest[-1].astimezone(HELSINKI).date().isoformat()
    started = time.perf_counter()
    response = client.get(f"/cases/export.csv?received_from={start}", buffered=False)
    assert response.status_code == 200
    chunks = response.iter_encoded()
    lines = next(chunks).count(b"\n")
    first_byte = time.perf_counter() - started
    for chunk in chunks:
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    response.close()
    return lines - 1, first_byte, total


def show_plans(app, statements: list[tuple[str, Any, float]], title: str) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    print(f"\n=== {title}")
    with app.app_context(), db.engine.connect() as connection:
        for statement, parameters, seconds in sorted(statements, key=lambda s: -s[2])[:4]:
            print(f"--- {seconds * 1000:.1f} ms: {' '.join(statement.split())[:300]}")
            plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
            print("\n".join(row[0] for row in plan))


def _sql(row: dict[str, float]) -> str:
    return "" if row["sql_ms"] != row["sql_ms"] else f" ({row['sql_ms']:.1f})"


def _cpu(small: dict[str, float], large: dict[str, float]) -> str:
    if small["cpu_ms"] != small["cpu_ms"]:
        return ""
    return (f"{small['cpu_ms']:.1f} ({small['backend_cpu_ms']:.1f}) / {large['cpu_ms']:.1f} "
            f"({large['backend_cpu_ms']:.1f}), {large['cpu_ms'] / small['cpu_ms']:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000, 100_000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page and size")
    parser.add_argument("--explain", action="store_true", help="print the plans of each page's slowest statements")
    parser.add_argument("--reuse", action="store_true", help="keep the reports of an earlier run (only migrate)")
    args = parser.parse_args()
    url = database_url()

    apps = {}
    for size in args.sizes:
        print(f"== {size:,} reports", flush=True)
        apps[size] = prepare(url, size, args.reuse)
    figures = measure(apps, args.requests, args.explain)
    largest = max(args.sizes)
    exporter = apps[largest].test_client()
    log_in(exporter, DIRECTOR)
    export_rows, export_first, export_total = measure_export(apps[largest], exporter)
    for size, app in apps.items():
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        print(f"== {size:,} reports", flush=True)
        for (who, label), row in figures[size].items():
            print(f"  {who:8} {label:26} median {row['median_ms']:7.1f} ms  p90 {row['p90_ms']:7.1f} ms  "
                  f"{row['statements']:4.0f} statements{_sql(row)}  CPU {row['cpu_ms']:.1f} ms", flush=True)

    small, large = args.sizes
    print(f"\n| page | {small:,}: median ms (SQL) | {large:,}: median ms (SQL) | statements | ratio | ≤ {TARGET:g}× "
          f"| CPU ms (PostgreSQL's) {small:,} / {large:,}, ratio |")
    print("|---|---:|---:|---:|---:|:---:|---:|")
    failed = 0
    for key in figures[small]:
        a, b = figures[small][key], figures[large][key]
        ratio = b["median_ms"] / a["median_ms"]
        ok = ratio <= TARGET
        failed += not ok and key != FRESH
        verdict = "(cached)" if key == FRESH else "yes" if ok else "**no**"
        print(f"| {key[0]}: {key[1]} | {a['median_ms']:.1f}{_sql(a)} | {b['median_ms']:.1f}{_sql(b)} | "
              f"{a['statements']:.0f} / {b['statements']:.0f} | {ratio:.2f} | {verdict} | {_cpu(a, b)} |")
    print(f"\n{'Every page meets' if not failed else f'{failed} page(s) miss'} the target: "
          f"{large:,} reports cost at most {TARGET:g}× {small:,}.")
    print(f"\n| search | {small:,}: p95 ms | {large:,}: p95 ms | ≤ {SEARCH_P95_MS} ms at {large:,} | "
          f"median ratio | ≤ {TARGET:g}× |")
    print("|---|---:|---:|:---:|---:|:---:|")
    for key in figures[small]:
        if not key[1].startswith("search"):
            continue
        a, b = figures[small][key], figures[large][key]
        fast = b["p95_ms"] <= SEARCH_P95_MS
        ratio = b["median_ms"] / a["median_ms"]
        failed += not fast
        print(f"| {key[0]}: {key[1]} | {a['p95_ms']:.1f} | {b['p95_ms']:.1f} | {'yes' if fast else '**no**'} | "
              f"{ratio:.2f} | {'yes' if ratio <= TARGET else '**no**'} |")
    export_ok = export_total <= EXPORT_SECONDS
    failed += not export_ok
    print(f"\nCSV export of {export_rows:,} rows at {large:,} reports: first bytes after {export_first:.2f} s, "
          f"all after {export_total:.2f} s ({'meets' if export_ok else 'misses'} the target of {EXPORT_SECONDS:g} s).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

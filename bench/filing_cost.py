"""What one filing costs: SQL statements, Python CPU and PostgreSQL CPU, SoRa against the minimal endpoint.

    .venv/bin/python bench/filing_cost.py [--filings 200]

Both apps answer in this process through Flask's test client (no HTTP, no Gunicorn), one request after
another on the database bench/filing.py uses (made anew the same way). PostgreSQL's CPU is read from
/proc for the backend of the one connection each app uses, so the server must run on this machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.filing import prepare, refused, report  # noqa: E402
from bench.load import backend_cpu_seconds, database_url  # noqa: E402


def measure(name: str, post, filings: int) -> None:  # type: ignore[no-untyped-def]
    """post(serial) sends one filing; the first ten warm up imports, caches and prepared statements."""
    statements, backends = [0], set()

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        statements[0] += 1

    def remember(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        backends.add(dbapi_connection.info.backend_pid)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    sa.event.listen(sa.engine.Engine, "connect", remember)
    try:
        for serial in range(10):
            post(serial)
        statements[0] = 0
        backend_before = sum(backend_cpu_seconds(pid) for pid in backends)
        python_before = time.process_time()
        for serial in range(10, 10 + filings):
            post(serial)
        python = time.process_time() - python_before
        backend = sum(backend_cpu_seconds(pid) for pid in backends) - backend_before
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
        sa.event.remove(sa.engine.Engine, "connect", remember)
    print(f"| {name} | {statements[0] / filings:.0f} | {python / filings * 1000:.1f} | {backend / filings * 1000:.2f} |",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=200)
    args = parser.parse_args()

    url = database_url()
    unit = prepare(url)
    os.environ["BENCH_DATABASE_URL"] = url
    from app import create_app
    from bench.minimal_app import create_app as create_minimal_app

    minimal = create_minimal_app().test_client()
    sora = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "MAIL_SERVER": "",
                       "FILING_RATE_LIMIT": "100000000 per hour"}).test_client()

    def send(client, path: str, body=report, expected: int = 201):  # type: ignore[no-untyped-def]
        def post(serial: int) -> None:
            response = client.post(path, json=body(unit, serial))
            assert response.status_code == expected, response.get_data(as_text=True)
        return post

    print(f"Per filing, {args.filings} filings one after another (SQL statements without the pool's ping):\n")
    print("| | SQL statements | Python CPU ms | PostgreSQL CPU ms |")
    print("|---|---:|---:|---:|")
    measure("minimal endpoint", send(minimal, "/insert"), args.filings)
    measure("SoRa", send(sora, "/api/v1/reports"), args.filings)
    measure("SoRa, checked and refused (nothing stored)", send(sora, "/api/v1/reports", refused, 400), args.filings)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the benchmarks share: a PostgreSQL database to own, Gunicorn servers, and a bounded load generator.

All traffic goes to 127.0.0.1; every run is bounded by a request count and a time limit.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/sora_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)


def backend_cpu_seconds(pid: int) -> float:
    """CPU time a PostgreSQL backend on this machine has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's own database (never a shared one: the name must start with sora_bench)."""
    target = make_url(url)
    assert target.database and target.database.startswith("sora_bench"), "use a database named sora_bench*"
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def deadline_columns(created: datetime, status: str, handled: datetime | None,
                     closed: datetime | None) -> dict[str, datetime | None]:
    """The deadline columns a bulk-inserted report needs, as filing and handling would have set them.

    Due dates follow the app's own rule with the default settings; feedback counts as given when the
    report was closed or taken forward.
    """
    from app.workflow.cases.deadlines import DeadlineSettings, due_dates

    first_handling_due, feedback_due = due_dates(created, DeadlineSettings())
    return {"first_handling_due_at": first_handling_due, "feedback_due_at": feedback_due,
            "feedback_given_at": closed or (handled if status == "forwarded" else None)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], workers: int) -> Iterator[int]:
    """Serve app_spec with Gunicorn (sync workers) on a free local port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--backlog", "256", app_spec],
        cwd=ROOT, env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app_spec} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Result:
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def post_json(port: int, path: str, body: dict[str, object]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def run_load(send: Callable[[int], int], expected: int, clients: int, seconds: float, max_requests: int) -> Result:
    """`clients` threads send back to back for `seconds` (and at most max_requests in all)."""
    latencies: list[float] = []
    errors = 0
    count = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        nonlocal errors, count
        sequence = 0
        while time.monotonic() < stop_at:
            with lock:
                if count >= max_requests:
                    return
                count += 1
            started = time.perf_counter()
            try:
                ok = send(number * 1_000_000 + sequence) == expected
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            sequence += 1
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(clients, len(latencies), errors, time.perf_counter() - began, latencies)


def describe(result: Result) -> str:
    return (f"{result.throughput:8.1f} req/s  p50 {result.percentile(0.50):7.1f} ms  "
            f"p95 {result.percentile(0.95):7.1f} ms  ({result.requests} ok, {result.errors} failed)")


def median(values: list[float]) -> float:
    return statistics.median(values)

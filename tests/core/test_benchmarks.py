"""The benchmarks still run: each once at a tiny size, so a schema change cannot break them unnoticed.

They measure nothing here; their figures belong to bench/README.md.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.config import ROOT


def bench(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env={**os.environ, **(env or {})})


def test_the_compilation_benchmark_runs_to_the_pdf(tmp_path: Path):
    result = bench("compilation_pdf.py", "--reports", "20", "--out", str(tmp_path / "kooste.pdf"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "reports in 2026-H1: 20, previous: 10, database: sqlite" in result.stdout
    for stage in ("query", "statistics", "disclosure", "charts", "html", "pdf", "total"):
        assert re.search(rf"^  {stage} +\d+\.\d\d s", result.stdout, re.MULTILINE), stage
    assert (tmp_path / "kooste.pdf").read_bytes().startswith(b"%PDF-")


@pytest.fixture
def bench_database() -> Iterator[Callable[[str], str]]:
    """bench_database("filing") -> the URL of a database named after the test database, dropped afterwards.

    Two people's test runs use two test databases, so their benchmark databases differ too.
    """
    test_url = make_url(os.environ["TEST_DATABASE_URL"])
    names: list[str] = []

    def named(purpose: str, *suffixes: str) -> str:
        name = f"sora_bench_{test_url.database}_{purpose}"
        names.extend([name, *(f"{name}_{suffix}" for suffix in suffixes)])
        return test_url.set(database=name).render_as_string(hide_password=False)

    yield named
    admin = sa.create_engine(test_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def ran_through(result: subprocess.CompletedProcess[str]) -> None:
    """Whether the target is met says nothing at a tiny size: the exit status may be 1, but nothing may crash."""
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr[-3000:]


@pytest.mark.postgres_only
def test_the_filing_benchmark_runs(bench_database):
    result = bench("filing.py", "--seconds", "0.3", "--clients", "1", "--workers", "1", "--warm-up", "0.2",
                   "--max-requests", "20", env={"BENCH_DATABASE_URL": bench_database("filing")})
    ran_through(result)
    assert re.search(r"^\| 1 \| \d+ \| \d+ \| \d+% \|", result.stdout, re.MULTILINE), result.stdout
    assert "failed requests: 0." in result.stdout


@pytest.mark.postgres_only
def test_the_inbox_and_dashboard_benchmark_runs(bench_database):
    result = bench("inbox_dashboard.py", "--sizes", "20", "40", "--requests", "1",
                   env={"BENCH_DATABASE_URL": bench_database("inbox", "20", "40")})
    ran_through(result)
    for page in ("director: inbox", "director: dashboard", "handler: inbox, received"):
        assert re.search(rf"^\| {page} \| \d+\.\d \(\d+\.\d\) \|", result.stdout, re.MULTILINE), page


@pytest.mark.postgres_only
def test_the_similar_reports_benchmark_runs(bench_database):
    result = bench("similar_reports.py", "--reports", "300", "--cases", "5", "--signals", "1",
                   env={"BENCH_DATABASE_URL": bench_database("similar")})
    ran_through(result)
    for what in ("director: similar reports", "handler: similar reports", "working group: weak-signals page"):
        assert re.search(rf"^\| {what} \| \d+\.\d \| \d+\.\d \|", result.stdout, re.MULTILINE), what


@pytest.mark.postgres_only
def test_the_phenomenon_view_benchmark_runs(bench_database):
    result = bench("phenomenon_view.py", "--size", "300", "--requests", "2",
                   env={"BENCH_DATABASE_URL": bench_database("phenomena", "300")})
    ran_through(result)
    for page in ("director: overview", "director: homelessness, Kuopio", "coordinator: homelessness, county"):
        assert re.search(rf"^\| {page} \| \d+\.\d \| \d+\.\d \| \d+ \|", result.stdout, re.MULTILINE), page


def test_the_harvest_benchmark_runs():
    result = bench("harvest.py", "--counties", "3", "--runs", "1")
    ran_through(result)
    assert "counties: 3, half-year 2026-H1" in result.stdout
    assert re.search(r"^  run 1: harvest \d+\.\d\d s", result.stdout, re.MULTILINE), result.stdout

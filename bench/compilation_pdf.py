"""Benchmark: a half-year of 5,000 reports from the database to the finished, published PDF.

Run from the project root:  .venv/bin/python bench/compilation_pdf.py [--reports 5000] [--out /tmp/kooste.pdf]
It builds a throw-away SQLite database (or uses --database-url), fills it with the demo
organisation and N reports in 2026-H1 (and N/2 in 2025-H2 for the comparison), and times
each stage: query, statistics, disclosure control (what is published: excerpts and protected
figures), charts, HTML and PDF rendering, in wall-clock and CPU seconds, and counts the pages.
Peak memory is the process's maximum resident set size. Not a test: the figures go to bench/README.md.
"""
from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from app import create_app  # noqa: E402
from app.codes import (  # noqa: E402
    EscalationLevel,
    CompilationStatus,
    NodeKind,  # noqa: E402
    ReportStatus,
)
from app.demo import seed_organisation  # noqa: E402
from app.demo_texts import REPORT_TEMPLATES  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Forum,
    Municipality,
    OrgNode,
    Report,
    Theme,
    report_municipality,
    report_theme,
)
from app.workflow.admin.county import setup_county  # noqa: E402
from app.workflow.compilations import disclosure  # noqa: E402
from app.workflow.compilations import export as compilation_export  # noqa: E402
from app.workflow.compilations.content import assemble_content, load_period  # noqa: E402
from app.workflow.compilations.periods import Period  # noqa: E402
from bench.load import deadline_columns  # noqa: E402

PERIOD = Period(2026, 1)
T = TypeVar("T")


def fill(count: int, period: Period, start_sequence: int, rng: random.Random) -> int:
    """Insert `count` reports spread over the period with core inserts (filing one by one would time the filing)."""
    units = list(db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT)))
    themes = {t.code: t.id for t in db.session.scalars(sa.select(Theme))}
    places = [m.id for m in db.session.scalars(sa.select(Municipality))]
    forums = [(f.id, f.level) for f in db.session.scalars(sa.select(Forum))]
    begin, end = period.bounds()
    span = (end - begin).total_seconds()
    rows, theme_rows, place_rows = [], [], []
    first_id = (db.session.scalar(sa.select(sa.func.max(Report.id))) or 0) + 1
    for index in range(count):
        template = rng.choice(REPORT_TEMPLATES)
        unit = rng.choice(units)
        created = begin + timedelta(seconds=rng.uniform(0, span - 1))
        status = rng.choice(list(ReportStatus))
        handled = created + timedelta(days=rng.uniform(0.2, 20)) if status != ReportStatus.RECEIVED else None
        closed = handled + timedelta(days=rng.uniform(1, 60)) if status in (ReportStatus.RESOLVED, ReportStatus.CLOSED) else None
        forum = rng.choice(forums) if status == ReportStatus.FORWARDED else None
        report_id = first_id + index
        sequence = start_sequence + index
        whole = rng.random() < 0.08
        rows.append({
            "id": report_id, "number": f"SR-{period.year}-{sequence:05d}", "year": period.year, "sequence": sequence,
            "tracking_hash": "0" * 64, "unit_id": unit.id, "nature": template["nature"],
            "phenomenon": template["phenomenon"], "population_group": template["population_group"],
            "whole_county": whole, "significance": template["significance"], "description": template["description"],
            "proposed_actions": template["proposed_actions"] or None, "status": status.value,
            "escalation_level": (forum[1] if forum else EscalationLevel.UNIT).value,
            "forum_id": forum[0] if forum else None, "unread_answer": False,
            "resume_status": ReportStatus.IN_HANDLING.value if status == ReportStatus.WAITING_FOR_REPORTER else None,
            "first_handled_at": handled, **deadline_columns(created, status.value, handled, closed),
            "closed_at": closed,
            "created_at": created, "updated_at": created, "version": 1,
        })
        theme_rows += [{"report_id": report_id, "theme_id": themes[c]} for c in template["themes"] if c in themes]
        if not whole:
            chosen = {unit.municipality_id} | ({rng.choice(places)} if rng.random() < 0.1 else set())
            place_rows += [{"report_id": report_id, "municipality_id": m} for m in chosen]
    db.session.execute(sa.insert(Report.__table__), rows)
    db.session.execute(sa.insert(report_theme), theme_rows)
    db.session.execute(sa.insert(report_municipality), place_rows)
    db.session.commit()
    return count


def published_content(content: dict) -> dict:  # type: ignore[type-arg]
    """The content as approval freezes it (operations.perform): protected figures and excerpts only."""
    snapshot = disclosure.publishable(content)
    snapshot.update(status=CompilationStatus.PUBLISHED.value, published_at="2026-09-15T09:00:00+00:00",
                    approved_by="Asiakaskokemusjaosto")
    return snapshot


def timed(timings: dict[str, tuple[float, float]], stage: str, work: Callable[[], T]) -> T:
    """Run one stage, keeping its wall-clock and CPU seconds (CPU time tells more on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    timings[stage] = (time.perf_counter() - wall, time.process_time() - cpu)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sora-bench-") as workdir:
        run(args.reports, args.database_url or f"sqlite:///{Path(workdir) / 'bench.db'}", Path(workdir), args.out)


def run(reports: int, url: str, workdir: Path, out: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "COMPILATION_FILES_DIR": str(workdir)})
    with app.app_context():
        upgrade()
        setup_county("13")
        seed_organisation()
        db.session.commit()
        if not db.session.scalar(sa.select(sa.func.count(Report.id))):
            rng = random.Random(5000)
            fill(reports, PERIOD, 1, rng)
            fill(reports // 2, PERIOD.previous(), 1, rng)
        db.session.remove()

        timings: dict[str, tuple[float, float]] = {}
        data = timed(timings, "query", lambda: load_period(PERIOD))
        content = timed(timings, "statistics", lambda: assemble_content(data))
        published = timed(timings, "disclosure", lambda: published_content(content))
        svgs = timed(timings, "charts", lambda: compilation_export.build_charts(published))
        html = timed(timings, "html", lambda: compilation_export.render_html(published, chart_svgs=svgs))
        pdf = timed(timings, "pdf", lambda: compilation_export.html_to_pdf(html))
        db.engine.dispose()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(wall for wall, _cpu in timings.values())
    rest = total - timings["pdf"][0]
    print(f"reports in {PERIOD.code}: {content['total']}, previous: {content['previous_total']}, "
          f"database: {url.split(':')[0]}")
    for stage, (seconds, cpu) in timings.items():
        print(f"  {stage:<11}{seconds:9.2f} s  {seconds / total:6.1%}  (CPU {cpu:.2f} s)")
    print(f"  {'total':<11}{total:9.2f} s  (CPU {sum(cpu for _wall, cpu in timings.values()):.2f} s)")
    print(f"rest / pdf: {rest / timings['pdf'][0]:.1%} (target < 50 %)")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"PDF: {pages} pages, {len(pdf) / 1e6:.1f} MB, HTML: {len(html) / 1e6:.1f} MB; peak RSS {peak:.0f} MiB")
    if out:
        Path(out).write_bytes(pdf)


if __name__ == "__main__":
    main()

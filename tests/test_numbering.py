"""Report numbers: per year, gap-free, unique under concurrent filing, unused on rollback."""
from __future__ import annotations

import multiprocessing
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app import create_app
from app.codes import Nature, Phenomenon
from app.extensions import db
from app.models import OrgNode, Report
from app.workflow.filing import ReportInput, file_report
from app.workflow.numbering import format_number, parse_number
from helpers import sora_test_config


def report_input(unit: OrgNode, text: str = "Jonot mielenterveyspalveluihin ovat pitkät.") -> ReportInput:
    return ReportInput(unit=unit, nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES, description=text)


def test_format_and_parse():
    assert format_number("SR", 2026, 42) == "SR-2026-00042"
    assert parse_number("SR-2026-00042", "SR") == (2026, 42)
    assert parse_number(" sr-2026-42 ", "SR") == (2026, 42)
    assert parse_number("XX-2026-00042", "SR") is None
    assert parse_number("SR-26-1", "SR") is None
    assert parse_number("", "SR") is None
    assert parse_number("pshva-sr-2026-00042", "PSHVA-SR") == (2026, 42), "prefixes may hold dashes"


def test_sequence_restarts_each_year_in_helsinki_time(app_ctx, unit):
    late_2026_utc = datetime(2026, 12, 31, 21, 30, tzinfo=timezone.utc)  # 23.30 in Helsinki
    new_year_utc = datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc)  # 00.30 on 1 January 2027
    numbers = [
        file_report(report_input(unit), now=late_2026_utc).report.number,
        file_report(report_input(unit), now=late_2026_utc).report.number,
        file_report(report_input(unit), now=new_year_utc).report.number,
    ]
    db.session.commit()
    assert numbers == ["SR-2026-00001", "SR-2026-00002", "SR-2027-00001"]


def test_rolled_back_filing_gives_its_number_back(app_ctx, unit):
    now = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
    file_report(report_input(unit), now=now)
    db.session.commit()
    file_report(report_input(unit), now=now)
    db.session.rollback()
    unit = db.session.get(OrgNode, unit.id)
    third = file_report(report_input(unit), now=now).report.number
    db.session.commit()
    assert third == "SR-2026-00002"


def _file_many(database_url: str, unit_id: int, count: int, worker: int, results: multiprocessing.Queue) -> None:
    app = create_app(sora_test_config(database_url))
    numbers = []
    with app.app_context():
        for index in range(count):
            unit = db.session.get(OrgNode, unit_id)
            filed = file_report(report_input(unit, f"Työntekijä {worker} raportti {index}"))
            if index % 4 == 3:
                db.session.rollback()  # a filing that fails after taking its number
                continue
            db.session.commit()
            numbers.append(filed.report.number)
    results.put(numbers)


def test_concurrent_filings_from_several_processes(app_ctx, unit, database_url):
    """Eight processes file at once; the committed numbers are exactly 1..N with no gaps."""
    processes, per_process = 8, 12
    unit_id = unit.id
    db.session.commit()  # end this session's transaction: on SQLite it would hold the write lock
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_file_many, args=(database_url, unit_id, per_process, worker, results))
        for worker in range(processes)
    ]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    numbers = [number for batch in collected for number in batch]
    committed = processes * (per_process - per_process // 4)
    assert len(numbers) == committed == len(set(numbers))

    db.session.expire_all()
    sequences = sorted(db.session.scalars(sa.select(Report.sequence)))
    assert sequences == list(range(1, committed + 1))
    assert sorted(numbers) == sorted(db.session.scalars(sa.select(Report.number)))


@pytest.mark.parametrize("bad_time", [datetime(2026, 1, 1, 12)])
def test_naive_times_are_refused(app_ctx, unit, bad_time):
    with pytest.raises(Exception, match="naive datetime"):
        file_report(report_input(unit), now=bad_time)
        db.session.flush()
    db.session.rollback()

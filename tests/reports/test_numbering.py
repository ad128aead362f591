"""Report numbers: per year, gap-free, unique under concurrent filing, unused on rollback."""
from __future__ import annotations

import dataclasses

import multiprocessing
import threading
from dataclasses import replace
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from helpers import sora_test_config, worker_processes

from app import create_app
from app.codes import AuditAction, Nature, Phenomenon
from app.extensions import db
from app.models import AuditEntry, HeldFiling, OrgNode, OutboxMessage, Report
from app.workflow.reports.filing import AlreadyFiled, ReportInput, file_report
from app.workflow.reports.numbering import format_number, parse_number


def report_input(unit: OrgNode, text: str = "Jonot mielenterveyspalveluihin ovat pitkät.") -> ReportInput:
    return ReportInput(unit=unit, nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES, description=text)


def named(data: ReportInput) -> ReportInput:
    return dataclasses.replace(data, reporter_name="Niina Nimellinen", reporter_email="niina@koti.example")


def test_format_and_parse():
    assert format_number("SR", 2026, 42) == "SR-2026-00042"
    assert format_number("SR", 2026, 17, "A") == "SR-2026-A00017"
    assert parse_number("sr 2026 a17", "SR") == (2026, 17, "A") and parse_number("SR-2026-A00017", "SR").series == "A"
    assert parse_number("SR-2026-B00017", "SR") is None
    assert parse_number("SR-2026-00042", "SR") == (2026, 42, "")
    assert parse_number(" sr-2026-42 ", "SR") == (2026, 42, "")
    assert parse_number("XX-2026-00042", "SR") is None
    assert parse_number("SR-26-1", "SR") is None
    assert parse_number("", "SR") is None
    assert parse_number("pshva-sr-2026-00042", "PSHVA-SR") == (2026, 42, ""), "prefixes may hold dashes"


@pytest.mark.parametrize("prefix", ["S R", "S&R", "SR/", "-SR", "SR--X", ""])
def test_a_prefix_that_html_or_a_url_would_change_is_refused_at_start(database_url, prefix):
    with pytest.raises(ValueError, match="REPORT_NUMBER_PREFIX"):
        create_app({**sora_test_config(database_url), "REPORT_NUMBER_PREFIX": prefix})


def test_plain_prefixes_are_accepted(database_url):
    for prefix in ("SR", "PSHVA-SR", "sr2"):
        assert create_app({**sora_test_config(database_url), "REPORT_NUMBER_PREFIX": prefix})


def test_the_number_is_taken_last_so_concurrent_filings_wait_only_for_the_commit(app_ctx, org):
    """After the counter is locked only the report's number and its mail are written; the rest was flushed before.

    A named report: an anonymous one writes no notice or mail until it is released."""
    statements: list[str] = []

    def collect(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()[:3]).lower())

    sa.event.listen(db.engine, "before_cursor_execute", collect)
    try:
        file_report(dataclasses.replace(report_input(org["unit"]), reporter_name="Eeva",
                                        reporter_email="eeva@koti.example"))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", collect)
    counter = [i for i, text in enumerate(statements) if text.startswith("update report_number_counter")]
    assert statements[counter[-1] + 1:] == ["update report set", "update outbox_message set"]
    before = statements[:counter[0]]  # the first filing of a year creates the counter between the two
    assert {"insert into report", "insert into report_event", "insert into notification",
            "insert into outbox_message"} <= set(before)
    db.session.commit()


def test_no_provisional_number_is_left_anywhere(app_ctx, org):
    filed = file_report(ReportInput(unit=org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES,
                                    description="Jonot ovat pitkät.", reporter_name=org["employee"].name,
                                    reporter_email=org["employee"].email), author=org["employee"])
    number = filed.report.number
    db.session.commit()
    db.session.expire_all()
    report = db.session.scalar(sa.select(Report))
    assert (report.number, report.sequence, report.version) == (number, 1, 1)
    assert parse_number(number, "SR") == (report.year, 1, "")
    mail = list(db.session.scalars(sa.select(OutboxMessage)))
    assert {m.kind for m in mail} == {"new_report_action", "new_report_information", "acknowledgement"}
    for message in mail:
        assert number in message.subject and number in message.body_text and number in message.body_html
        assert "pending" not in message.subject + message.body_text + message.body_html
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_FILED))
    assert entry.report_number == number


def test_sequence_restarts_each_year_in_helsinki_time(app_ctx, unit):
    late_2026_utc = datetime(2026, 12, 31, 21, 30, tzinfo=timezone.utc)  # 23.30 in Helsinki
    new_year_utc = datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc)  # 00.30 on 1 January 2027
    numbers = [
        file_report(report_input(unit), now=late_2026_utc).number,
        file_report(named(report_input(unit)), now=late_2026_utc).number,
        file_report(report_input(unit), now=late_2026_utc).number,
        file_report(report_input(unit), now=new_year_utc).number,
        file_report(named(report_input(unit)), now=new_year_utc).number,
    ]
    db.session.commit()
    assert numbers == ["SR-2026-A00001", "SR-2026-00001", "SR-2026-A00002", "SR-2027-A00001", "SR-2027-00001"], \
        "anonymous reports have a series of their own"


def test_rolled_back_filing_gives_its_number_back(app_ctx, unit):
    now = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
    file_report(report_input(unit), now=now)
    db.session.commit()
    file_report(report_input(unit), now=now)
    db.session.rollback()
    unit = db.session.get(OrgNode, unit.id)
    third = file_report(report_input(unit), now=now).number
    db.session.commit()
    assert third == "SR-2026-A00002"


def _file_many(database_url: str, unit_id: int, count: int, worker: int, results: multiprocessing.Queue) -> None:
    app = create_app(sora_test_config(database_url))
    numbers = []
    with app.app_context():
        for index in range(count):
            unit = db.session.get(OrgNode, unit_id)
            data = report_input(unit, f"Työntekijä {worker} raportti {index}")
            filed = file_report(named(data) if index % 2 else data)
            if index % 4 == 3:
                db.session.rollback()  # a filing that fails after taking its number
                continue
            db.session.commit()
            numbers.append(filed.number)
    results.put(numbers)


def test_concurrent_filings_from_several_processes(app_ctx, unit, database_url):
    """Eight processes file at once, named and anonymous reports in turn; in each series the committed
    numbers are exactly 1..N with no gaps."""
    processes, per_process = 8, 12
    unit_id = unit.id
    db.session.commit()  # end this session's transaction: on SQLite it would hold the write lock
    context = worker_processes()
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
    anonymous = processes * (per_process // 2)
    assert sorted(db.session.scalars(sa.select(Report.sequence))) == list(range(1, committed - anonymous + 1))
    assert sorted(db.session.scalars(sa.select(HeldFiling.sequence))) == list(range(1, anonymous + 1))
    assert sorted(numbers) == sorted([*db.session.scalars(sa.select(Report.number)),
                                      *db.session.scalars(sa.select(HeldFiling.number))])


def test_a_form_sent_twice_at_once_files_once(app, unit):
    """The second copy waits for the first's commit, then ends in AlreadyFiled with the first's number."""
    unit_id = unit.id
    db.session.commit()
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def send(name: str) -> None:
        with app.app_context():
            try:
                data = replace(report_input(db.session.get(OrgNode, unit_id)), submission_key="same-form")
                outcome[name] = file_report(data).number
                if name == "first":
                    first_flushed.set()
                    first_may_commit.wait(10)
                db.session.commit()
            except AlreadyFiled as earlier:
                db.session.rollback()
                outcome[name] = earlier
            finally:
                first_flushed.set()
                db.session.remove()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert first_flushed.wait(10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second copy waits while the first is not committed"
    first_may_commit.set()
    first.join(10)
    second.join(10)
    assert isinstance(outcome["second"], AlreadyFiled) and outcome["second"].number == outcome["first"]
    db.session.expire_all()
    assert list(db.session.scalars(sa.select(HeldFiling.number))) == [outcome["first"]]
    file_report(report_input(db.session.get(OrgNode, unit_id)))
    db.session.commit()
    assert sorted(db.session.scalars(sa.select(HeldFiling.sequence))) == [1, 2], "the second copy took no number"


@pytest.mark.parametrize("bad_time", [datetime(2026, 1, 1, 12)])
def test_naive_times_are_refused(app_ctx, unit, bad_time):
    with pytest.raises(Exception, match="naive datetime"):
        file_report(report_input(unit), now=bad_time)
        db.session.flush()
    db.session.rollback()

"""Demo data, reference data, and the Alembic migrations matching the models."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.codes import NodeKind, ReportStatus, Role
from app.extensions import db
from app.models import Municipality, OrgNode, Report, User, include_name


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_migrations_match_the_models(app_ctx):
    """The test database was built by `flask db upgrade`; autogenerate must find nothing to add."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_seed_demo_builds_a_plausible_county_and_is_idempotent(app, app_ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--reports", "30"])
    assert first.exit_code == 0, first.output
    assert "tyontekija@sora.example" in first.output and "sora-demo" in first.output

    assert count(Municipality) == 19
    assert db.session.scalar(sa.select(Municipality.code).where(Municipality.name == "Kuopio")) == "297"
    units = db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT)).all()
    assert 38 <= len(units) <= 45
    assert all(unit.municipality is not None and unit.division is not None for unit in units)
    assert {unit.municipality.name for unit in units} == set(db.session.scalars(sa.select(Municipality.name)))
    roles = {assignment.role for user in db.session.scalars(sa.select(User)) for assignment in user.roles}
    assert roles == set(Role)
    assert count(Report) == 30
    reports = db.session.scalars(sa.select(Report)).all()
    assert {report.status for report in reports} == set(ReportStatus), "every status is represented"
    assert all(report.handling_node is not None for report in reports), "every demo unit has handlers above it"
    assert len({report.created_at.year for report in reports}) >= 2, "spread over two years"
    assert any(report.is_anonymous for report in reports) and any(not r.is_anonymous for r in reports)
    from app.codes import CodingSource
    from app.models import ReportNationalPhenomenon

    codings = db.session.scalars(sa.select(ReportNationalPhenomenon)).all()
    confirmed = [c for c in codings if c.confirmed]
    assert len(confirmed) > len(codings) / 2, "most of the demo's coding is confirmed, so the figures show"
    assert any(not c.confirmed and c.source == CodingSource.REPORTER for c in codings), "some wait for a handler"

    before = (count(OrgNode), count(User), count(Report))
    second = runner.invoke(args=["seed-demo", "--reports", "30"])
    assert second.exit_code == 0, second.output
    assert (count(OrgNode), count(User), count(Report)) == before


def test_demo_users_can_log_in(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    from helpers import login

    login(client, "sosiaalijohtaja@sora.example", app.config["DEMO_PASSWORD"])
    assert "Kirjaudu ulos" in client.get("/").get_data(as_text=True)


def test_seed_reference_is_repeatable(app, app_ctx):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    assert count(Municipality) == 19


def test_migrations_step_down_and_up_with_data(app, app_ctx, unit, create_report):
    """The latest migration can be undone and redone on a database that holds reports."""
    from flask_migrate import downgrade, upgrade

    from app.codes import Nature

    number = create_report(unit, nature=Nature.POSITIVE, description="Yhteisvastaanotto toimii hyvin.").number
    db.session.commit()
    db.session.remove()
    downgrade(revision="3903c7d6f1be")
    upgrade()
    db.session.remove()
    assert db.session.scalar(sa.select(Report.number)) == number
    db.session.remove()  # on SQLite an open transaction holds the write lock
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, db.metadata) == []


def test_anonymous_reports_filed_before_whole_day_deadlines_lose_their_minute(app, app_ctx, unit, create_report):
    """The data migration moves an old anonymous report's deadlines to the end of their day; named ones keep theirs."""
    from datetime import UTC, datetime, timedelta

    from flask_migrate import downgrade, upgrade

    from app.codes import Nature

    received = datetime(2026, 3, 10, 8, 17, tzinfo=UTC)
    anonymous = create_report(unit, nature=Nature.NEGATIVE, now=received)
    named = create_report(unit, nature=Nature.NEGATIVE, reporter_name="Eeva Työntekijä", now=received)
    old_style = {"first_handling_due_at": received + timedelta(days=7), "feedback_due_at": received + timedelta(days=90)}
    db.session.execute(sa.update(Report).where(Report.id == anonymous.id).values(**old_style))
    db.session.commit()
    ids, named_due = (anonymous.id, named.id), (named.first_handling_due_at, named.feedback_due_at)
    db.session.remove()
    downgrade(revision="a6c3e9263f15")
    upgrade()
    db.session.remove()
    anonymous, named = (db.session.get(Report, report_id) for report_id in ids)
    assert anonymous.first_handling_due_at == datetime(2026, 3, 17, 21, 59, 59, tzinfo=UTC)  # 23.59.59 in Helsinki
    assert anonymous.feedback_due_at == datetime(2026, 6, 8, 20, 59, 59, tzinfo=UTC)  # summer time
    assert (named.first_handling_due_at, named.feedback_due_at) == named_due

"""The suite's own undoing (conftest.DatabaseState): what one test writes never reaches the next."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import ClockEvent, Forum, Municipality, Report, Theme, User


def counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Municipality, Theme, Forum, ClockEvent, User, Report)}


def test_undo_empties_written_tables_and_puts_edited_reference_rows_back(app_ctx, org, database_state,
                                                                         create_report):
    before = {name: rows for name, rows in database_state.snapshot.items()}
    reference_counts = {k: v for k, v in counts().items() if k not in ("user_account", "report")}
    create_report(unit=org["unit"])
    theme = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    theme.label_fi, theme.active = "Muokattu", False
    db.session.delete(db.session.scalar(sa.select(ClockEvent).limit(1)))
    db.session.add(Theme(code="own", label_fi="Oma", label_en="Own"))
    db.session.commit()
    db.session.remove()

    database_state.undo()

    assert counts() == {**reference_counts, "forum": reference_counts["forum"] - 1, "user_account": 0, "report": 0}
    db.session.rollback()  # SQLite: the session's transaction holds the write lock another connection needs
    with db.engine.connect() as connection:
        assert {t.name: database_state._rows(connection, t) for t in database_state.reference} == before
    assert db.session.scalar(sa.select(Theme.label_fi).where(Theme.code == "housing")) == "Asuminen"

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


def test_replay_puts_back_what_the_first_build_wrote_and_builds_again_on_another_state(app_ctx, org, database_state,
                                                                                      create_report):
    built = []

    def build():  # type: ignore[no-untyped-def]
        built.append(1)
        report = create_report(unit=org["unit"], description="Rakennettu kerran.")
        org["employee"].name = "Muutettu Nimi"
        db.session.commit()
        return {"report": report, "count": 1}

    name = "test_replay"
    database_state._saved.pop(name, None)
    first = database_state.replay(name, build)
    first_number = first["report"].number
    db.session.remove()
    database_state.undo()
    org = helpers_org(database_state)

    again = database_state.replay(name, build)
    assert built == [1], "the second time the rows are put back, not built"
    assert again["report"].number == first_number and again["count"] == 1
    assert again["report"].description == "Rakennettu kerran."
    assert db.session.get(User, org["employee"].id).name == "Muutettu Nimi"
    db.session.remove()
    database_state.undo()

    org = helpers_org(database_state)
    create_report(unit=org["unit"])  # a database unlike the first build's: built afresh
    db.session.commit()
    database_state.replay(name, build)
    assert built == [1, 1]
    database_state._saved.pop(name, None)


def helpers_org(database_state):  # type: ignore[no-untyped-def]
    """The `org` fixture's people and units again, as the next test's fixture would make them."""
    from helpers import add_org
    from werkzeug.security import generate_password_hash

    return add_org(generate_password_hash("x", method="scrypt:1024:8:1"))

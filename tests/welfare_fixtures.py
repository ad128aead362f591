"""Two published half-years and a draft, with coordinators: shared by the welfare tests and the browser journey."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from helpers import add_report, code_confirmed

from app.codes import CompilationAction, ExcerptContext, Nature, Phenomenon, Role
from app.extensions import db
from app.models import Municipality, RoleAssignment, Theme
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period

H2_2025, H1_2026 = Period(2025, 2), Period(2026, 1)
LATER = datetime(2027, 3, 1, tzinfo=timezone.utc)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=timezone.utc)


def municipality(name: str) -> Municipality:
    return db.session.scalar(sa.select(Municipality).where(Municipality.name == name))


def coordinator(create_user, email: str, place: str | None):  # type: ignore[no-untyped-def]
    user = create_user(email, name=f"Koordinaattori {place or 'alue'}", roles=[])
    user.roles = [RoleAssignment(role=Role.WELFARE_COORDINATOR, municipality=municipality(place) if place else None)]
    db.session.commit()
    return user


def publish(period: Period, org, summary: str, texts: dict, highlights: list[str]):  # type: ignore[no-untyped-def]
    compilation = compilations.open_compilation(period, org["working_group"])
    compilations.save_texts(compilation, org["working_group"], summary, texts)
    for number in highlights:  # each excerpt names its municipality, so the municipality's package has it
        highlight = compilations.highlight_report(compilation, org["working_group"], number)
        compilations.edit_highlight(compilation, org["working_group"], highlight.id, highlight.excerpt,
                                    ExcerptContext.MUNICIPALITY)
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()
    return compilation


@pytest.fixture
def no_disclosure_threshold(app, monkeypatch):  # type: ignore[no-untyped-def]
    """Threshold 1 hides nothing: for tests of how packages merge and scope figures, not of disclosure control
    (the compilation tests cover that)."""
    monkeypatch.setitem(app.config, "DISCLOSURE_THRESHOLD", 1)


@pytest.fixture
def published(org, create_user, database_state):  # type: ignore[no-untyped-def]
    """2025-H2 and 2026-H1 published, 2026-H2 a draft; reports in Kuopio (U-KUO), Varkaus (U-VAR) and county-wide.

    Built once (publishing computes each compilation's content) and put back for the later tests.
    """
    return database_state.replay("welfare_fixtures.published", lambda: _published(org, create_user))


def _published(org, create_user):  # type: ignore[no-untyped-def]
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}

    def file(unit, when, **fields):  # type: ignore[no-untyped-def]
        return add_report(unit, now=when, **{"nature": Nature.NEGATIVE, "phenomenon": Phenomenon.SOCIAL_PROBLEMS,
                                             **fields})

    code_confirmed(file(org["unit"], at(2025, 9, 1), themes=[themes["housing"]],
                        description="Vuokrat nousivat syksyllä."), "homelessness")
    housing = code_confirmed(file(org["unit"], at(2026, 2, 1), themes=[themes["housing"], themes["income"]],
                                  description="Asunnottomuus uhkaa nuoria aikuisia Kuopiossa.",
                                  proposed_actions="Nuorille omat tukiasunnot.", reporter_name="Raili Raportoija"),
                             "homelessness", "economic_situation")
    code_confirmed(file(org["unit"], at(2026, 3, 1), themes=[themes["housing"]],
                        description="Toinen asumisen raportti."), "homelessness")
    varkaus = code_confirmed(file(org["other_unit"], at(2026, 4, 1), themes=[themes["substance_use_and_mental_health"]],
                                  description="Päihdepalveluihin jonotetaan Varkaudessa."),
                             "mental_health", "substances_and_addictions")
    file(org["other_unit"], at(2026, 5, 1), whole_county=True, nature=Nature.POSITIVE,
         phenomenon=Phenomenon.CLIENT_WORK, description="Jalkautuva työ toimii koko alueella.")
    perform(Action.START_HANDLING, housing, org["handler"], now=at(2026, 2, 3))
    perform(Action.TAKE_FORWARD, housing, org["handler"], forum=org["forum"], note="Viety työryhmään.",
            now=at(2026, 2, 10))
    db.session.commit()
    publish(H2_2025, org, "Syksyn yhteenveto.", {"housing": ("Vuokrat nousevat.", "Kohtuuhintaisia asuntoja.")}, [])
    publish(H1_2026, org, "Kevään yhteenveto: asuminen ja päihteet.",
            {"housing": ("Nuorten asunnottomuus kasvaa.", "Tukiasuntoja nuorille."),
             "substance_use_and_mental_health": ("Jonot päihdepalveluihin.", "Matalan kynnyksen palvelu.")},
            [housing.number, varkaus.number])
    draft = compilations.open_compilation(Period(2026, 2), org["working_group"])
    compilations.save_texts(draft, org["working_group"], "LUONNOKSEN TEKSTI", {})
    db.session.commit()
    return {"housing": housing, "varkaus": varkaus,
            "kuopio": coordinator(create_user, "hyte.kuo@t.example", "Kuopio"),
            "county": coordinator(create_user, "hyte.alue@t.example", None)}

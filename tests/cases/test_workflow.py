"""The case workflow: routing, the transition table walked for every role and status, concurrency."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import sqlalchemy as sa
from helpers import ROLES, VIEWERS, add_report, place

from app.codes import (
    EscalationLevel,
    EventKind,
    Nature,
    NodeKind,
    NotificationKind,
    Phenomenon,
    ReportStatus,
    Role,
)
from app.extensions import db
from app.models import Notification, OrgNode, Report, User, utcnow
from app.workflow.cases.operations import answer_question, perform
from app.workflow.cases.transitions import (
    CASE_HANDLERS,
    INTERRUPTED,
    REPORTER,
    TRANSITIONS,
    Action,
    ReporterAction,
    remembered,
)
from app.workflow.core.errors import ConcurrentChange, Refusal
from app.workflow.core.permissions import (
    allowed_actions,
    can,
    can_see_reporter,
    can_view,
)


def new_report(unit: OrgNode, name: str | None = "Nimetty Raportoija") -> Report:
    report = add_report(unit, nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_SERVICES,
                        description="Palveluun pääsee vasta kuukausien jonon jälkeen.", reporter_name=name)
    db.session.commit()
    return report


def notified(report: Report, kind: NotificationKind) -> set[str]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.report_id == report.id,
                                                            Notification.kind == kind))
    return {row.user.email for row in rows}


def test_new_report_is_routed_to_the_next_level(org):
    report = new_report(org["unit"])
    assert report.handling_node == org["area"]
    assert notified(report, NotificationKind.FOR_ACTION) == {"h@t.example"}
    assert notified(report, NotificationKind.FOR_INFORMATION) == {"s@t.example", "d@t.example"}


def test_routing_falls_back_up_the_tree_and_finally_to_the_social_director(org):
    lonely = OrgNode(code="U-LONE", name="Yksikkö ilman käsittelijää", kind=NodeKind.UNIT,
                     parent=org["other_unit"].parent, municipality=org["other_unit"].municipality)
    db.session.add(lonely)
    db.session.commit()
    report = new_report(lonely)
    assert report.handling_node == org["other_unit"].parent, "handlers of the unit's service area"

    db.session.delete(db.session.get(User, org["other_handler"].id))
    division_handler = User(email="dh@t.example", name="Divisioonan Käsittelijä")
    db.session.add(division_handler)
    db.session.flush()
    from app.models import RoleAssignment

    db.session.add(RoleAssignment(user=division_handler, role=Role.HANDLER, org_node=org["area"].parent))
    db.session.commit()
    assert new_report(lonely).handling_node == org["area"].parent, "climbs to the division"

    db.session.delete(db.session.get(User, division_handler.id))
    db.session.commit()
    orphan = new_report(lonely)
    assert orphan.handling_node is None
    assert notified(orphan, NotificationKind.FOR_ACTION) == {"d@t.example"}


def test_configured_handling_node_wins(org):
    org["unit"].handling_node = org["other_unit"].parent
    db.session.commit()
    assert new_report(org["unit"]).handling_node == org["other_unit"].parent


def test_routing_loads_only_the_people_it_may_choose_and_chooses_as_from_everyone(org):
    from app.demo import seed_organisation, seed_users
    from app.models import RoleAssignment
    from app.workflow.cases.operations import active_users, routing_users
    from app.workflow.cases.routing import route

    seed_organisation()
    seed_users("demo-password")
    units = list(db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT)))
    configured = next(unit for unit in units if unit not in (org["unit"], org["other_unit"]))
    configured.handling_node = org["other_unit"].parent
    away = User(email="away@t.example", name="Poissa Oleva", active=False)
    away.roles = [RoleAssignment(role=Role.HANDLER, org_node=org["area"]),
                  RoleAssignment(role=Role.SOCIAL_DIRECTOR)]
    several = User(email="many@t.example", name="Monta Roolia")
    several.roles = [RoleAssignment(role=Role.SUPERVISOR, org_node=org["unit"]),
                     RoleAssignment(role=Role.HANDLER, org_node=org["area"]),
                     RoleAssignment(role=Role.WORKING_GROUP)]
    db.session.add_all([away, several])
    db.session.commit()

    everyone = active_users()
    for unit in units:
        loaded = routing_users(unit)
        assert route(unit, loaded) == route(unit, everyone), unit.code
        assert len(loaded) < len(everyone)
        assert all(user.active for user in loaded)
    assert route(org["unit"], routing_users(org["unit"])).responsible == [org["handler"], several]


ACTORS = {"handler", "social_director"}


@pytest.mark.parametrize(("action", "status"), list(itertools.product(Action, ReportStatus)))
def test_every_action_from_every_status_for_every_role(org, action, status):
    report = new_report(org["unit"])
    transition = TRANSITIONS[action]
    for role in ROLES:
        place(report, status)  # test set-up: place the report in the status under test
        report.last_step_at = utcnow() - timedelta(days=365)  # a question has waited long enough to go on without
        db.session.commit()
        user = org[role]
        expected = status in transition.sources and role in ACTORS
        assert can(user, action, report) is expected, (action, status, role)
        events_before, resume = len(report.events), report.resume_status
        try:
            perform(action, report, user, note="Merkintä", forum=org["forum"])
        except Refusal:
            assert not expected, (action, status, role)
            db.session.rollback()
            assert report.status == status and len(report.events) == events_before, "nothing changed"
            continue
        assert expected, (action, status, role)
        assert report.status == transition.next_status(status, resume)
        event = report.events[-1]
        assert (event.kind, event.from_status, event.to_status, event.actor_id) == (
            transition.event, status, report.status, user.id)
        db.session.rollback()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_report_and_its_reporter(org, role):
    report = new_report(org["unit"])
    assert can_view(org[role], report) is (role in VIEWERS)
    assert can_see_reporter(org[role], report) is (role in {"handler", "social_director"})


def test_a_case_from_start_to_resolution(org):
    report = new_report(org["unit"])
    handler, forum = org["handler"], org["forum"]
    perform(Action.START_HANDLING, report, handler)
    perform(Action.ADD_NOTE, report, handler, note="Soitin yksikön esihenkilölle.", is_public=False)
    perform(Action.ASK_REPORTER, report, handler, note="Koskeeko tämä myös iäkkäitä asiakkaita?")
    assert report.status == ReportStatus.WAITING_FOR_REPORTER and report.open_question.note.startswith("Koskeeko")
    answer_question(report, "Kyllä, erityisesti kotihoidon asiakkaita.")
    assert report.status == ReportStatus.IN_HANDLING and report.unread_answer
    assert notified(report, NotificationKind.ANSWER) == {"h@t.example"}
    perform(Action.TAKE_FORWARD, report, handler, note="Käsitellään työryhmässä.", is_public=True, forum=forum)
    assert (report.status, report.forum, report.escalation_level) == (ReportStatus.FORWARDED, forum, EscalationLevel.COUNTY)
    perform(Action.RESOLVE, report, handler, note="Jonotilanne korjattiin lisäresurssilla.")
    db.session.commit()
    assert report.status == ReportStatus.RESOLVED and report.closed_at is not None
    assert report.first_handled_at is not None
    kinds = [event.kind for event in report.events]
    assert kinds == [EventKind.SUBMITTED, EventKind.START_HANDLING, EventKind.NOTE, EventKind.QUESTION,
                     EventKind.ANSWER, EventKind.TAKE_FORWARD, EventKind.RESOLVE]
    internal = [event for event in report.events if not event.is_public]
    assert [event.note for event in internal] == ["Soitin yksikön esihenkilölle."]


def test_required_notes_and_forums(org):
    report = new_report(org["unit"])
    perform(Action.START_HANDLING, report, org["handler"])
    with pytest.raises(Refusal, match="Kirjoita merkintä"):
        perform(Action.RESOLVE, report, org["handler"], note="  ")
    with pytest.raises(Refusal, match="Valitse foorumi"):
        perform(Action.TAKE_FORWARD, report, org["handler"], forum=None)
    with pytest.raises(Refusal, match="avointa kysymystä"):
        answer_question(report, "Vastaus ilman kysymystä")


def test_stale_page_and_simultaneous_change_are_refused(org):
    report = new_report(org["unit"])
    seen_version = report.version
    perform(Action.START_HANDLING, report, org["handler"], expected_version=seen_version)
    db.session.commit()
    with pytest.raises(ConcurrentChange, match="Joku muu ehti muuttaa raporttia"):
        perform(Action.CLOSE, report, org["social_director"], note="Ei jatkotoimia.", expected_version=seen_version)
    db.session.rollback()

    # Another transaction changes the row after this session read it: the flush must notice.
    report = db.session.get(Report, report.id)
    db.session.execute(sa.text("UPDATE report SET version = version + 1 WHERE id = :id"), {"id": report.id})
    with pytest.raises(ConcurrentChange):
        perform(Action.RESOLVE, report, org["handler"], note="Ratkaistu.")
    db.session.rollback()
    assert db.session.get(Report, report.id).status == ReportStatus.IN_HANDLING


def test_responsibility_for_many_reports_agrees_with_responsible_users(app_ctx, org):
    from app.workflow.cases.routing import responsibility, responsible_users

    users = list(db.session.scalars(sa.select(User)))
    lookup = responsibility(users)
    for node in [*db.session.scalars(sa.select(OrgNode)), None]:
        assert lookup(node) == responsible_users(node, users), node


# The table's fields, every row from every status it starts from: what the row says is what happens.
ROWS_AND_SOURCES = [(action, status) for action in Action for status in ReportStatus
                    if status in TRANSITIONS[action].sources]


@pytest.mark.parametrize(("action", "status"), ROWS_AND_SOURCES)
def test_each_row_changes_what_its_fields_say(org, action, status):
    report = new_report(org["unit"])
    place(report, status)
    report.last_step_at = utcnow() - timedelta(days=365)  # a question has waited long enough to go on without
    db.session.commit()
    transition = TRANSITIONS[action]
    before = {"forum": report.forum, "level": report.escalation_level, "closed_at": report.closed_at,
              "resume": report.resume_status}
    now = utcnow()
    event = perform(action, report, org["social_director"], note="Merkintä", forum=org["forum"], now=now)
    db.session.commit()
    assert report.status == transition.next_status(status, before["resume"])
    assert (report.first_handled_at == now) is transition.starts_handling
    if transition.closes:
        assert report.closed_at == now
    elif transition.reopens:
        assert report.closed_at is None
    else:
        assert report.closed_at == before["closed_at"]
    if transition.remembers_status:
        assert report.resume_status == remembered(status) != ReportStatus.WAITING_FOR_REPORTER
    elif report.status == ReportStatus.WAITING_FOR_REPORTER:
        assert report.resume_status == before["resume"] is not None
    else:
        assert report.resume_status is None, "leaving the wait forgets the interrupted status"
    if transition.needs_forum:
        assert (report.forum, report.escalation_level, event.forum) == (org["forum"], org["forum"].level, org["forum"])
    else:
        assert (report.forum, report.escalation_level, event.forum) == (before["forum"], before["level"], None)


@pytest.mark.parametrize("action", [action for action in Action if TRANSITIONS[action].needs_forum])
def test_a_row_that_needs_a_forum_refuses_none_and_one_out_of_use(org, action):
    report = new_report(org["unit"])
    perform(Action.START_HANDLING, report, org["handler"])
    db.session.commit()
    org["forum"].active = False
    for forum in (None, org["forum"]):
        with pytest.raises(Refusal, match="Valitse foorumi"):
            perform(action, report, org["handler"], note="Merkintä", forum=forum)
        assert report.status == ReportStatus.IN_HANDLING and report.forum is None


def test_the_table_names_its_actors():
    answer = TRANSITIONS[ReporterAction.ANSWER]
    assert answer.actors == {REPORTER} and answer.target is INTERRUPTED
    assert answer.sources == {ReportStatus.WAITING_FOR_REPORTER}
    assert all(TRANSITIONS[action].actors == CASE_HANDLERS for action in Action)
    assert set(TRANSITIONS) == {*Action, *ReporterAction}


@pytest.mark.parametrize("status", list(ReportStatus))
def test_no_user_takes_the_reporters_row(org, status):
    report = new_report(org["unit"])
    place(report, status)
    db.session.commit()
    for role in ROLES:
        assert not can(org[role], ReporterAction.ANSWER, report), (status, role)
        assert ReporterAction.ANSWER not in allowed_actions(org[role], report)


@pytest.mark.parametrize("status", [status for status in ReportStatus if status != ReportStatus.WAITING_FOR_REPORTER])
def test_the_answer_row_refuses_a_report_that_waits_for_nothing(org, status):
    report = new_report(org["unit"])
    place(report, status)
    db.session.commit()
    events_before = len(report.events)
    with pytest.raises(Refusal, match="Raportissa ei ole avointa kysymystä."):
        answer_question(report, "Vastaus")
    assert (report.status, len(report.events), report.unread_answer) == (status, events_before, False)


@pytest.mark.parametrize("interrupted", sorted(TRANSITIONS[Action.ASK_REPORTER].sources))
def test_the_answer_returns_to_the_status_the_question_interrupted(org, interrupted):
    report = new_report(org["unit"])
    if interrupted != ReportStatus.RECEIVED:
        perform(Action.START_HANDLING, report, org["handler"])
    if interrupted == ReportStatus.FORWARDED:
        perform(Action.TAKE_FORWARD, report, org["handler"], forum=org["forum"])
    assert report.status == interrupted
    perform(Action.ASK_REPORTER, report, org["handler"], note="Koskeeko tämä myös iäkkäitä?")
    db.session.commit()
    assert report.resume_status == remembered(interrupted)
    with pytest.raises(Refusal, match="Kirjoita vastauksesi."):
        answer_question(report, "   ")
    assert report.status == ReportStatus.WAITING_FOR_REPORTER and not report.unread_answer

    event = answer_question(report, "Kyllä, kotihoidon asiakkaita.")
    db.session.commit()
    expected = ReportStatus.IN_HANDLING if interrupted == ReportStatus.RECEIVED else interrupted
    assert (report.status, report.resume_status, report.unread_answer) == (expected, None, True)
    assert (event.kind, event.from_status, event.to_status, event.actor_id, event.is_public, event.note) == (
        EventKind.ANSWER, ReportStatus.WAITING_FOR_REPORTER, expected, None, True, "Kyllä, kotihoidon asiakkaita.")
    with pytest.raises(Refusal, match="Raportissa ei ole avointa kysymystä."):
        answer_question(report, "Toinen vastaus")


# The database refuses a report whose columns contradict its status, whoever writes it.
INCONSISTENT = {
    "waiting_without_resume_status": ("waiting_has_resume_status",
                                      {"status": ReportStatus.WAITING_FOR_REPORTER, "resume_status": None}),
    "resume_status_while_not_waiting": ("waiting_has_resume_status",
                                        {"status": ReportStatus.IN_HANDLING, "resume_status": ReportStatus.FORWARDED}),
    "resolved_without_closed_at": ("closed_has_closed_at", {"status": ReportStatus.RESOLVED, "closed_at": None}),
    "closed_without_closed_at": ("closed_has_closed_at", {"status": ReportStatus.CLOSED, "closed_at": None}),
    "closed_at_while_open": ("closed_has_closed_at", {"status": ReportStatus.IN_HANDLING, "closed_at": "now"}),
    "forwarded_without_forum": ("forwarded_has_forum", {"status": ReportStatus.FORWARDED, "forum_id": None}),
    "escalated_without_forum": ("escalated_through_forum",
                                {"status": ReportStatus.IN_HANDLING, "escalation_level": EscalationLevel.NATIONAL}),
    "received_but_handled": ("received_not_handled", {"status": ReportStatus.RECEIVED, "first_handled_at": "now"}),
}


@pytest.mark.parametrize("case", list(INCONSISTENT))
def test_the_database_refuses_a_status_its_columns_contradict(org, case):
    report = new_report(org["unit"])
    db.session.execute(sa.update(Report).where(Report.id == report.id).values(status=ReportStatus.RECEIVED))
    db.session.commit()
    constraint, columns = INCONSISTENT[case]
    values = {key: utcnow() if value == "now" else value for key, value in columns.items()}
    with pytest.raises(sa.exc.IntegrityError, match=f"ck_report_{constraint}"):
        db.session.execute(sa.update(Report).where(Report.id == report.id).values(**values))
    db.session.rollback()
    assert db.session.get(Report, report.id).status == ReportStatus.RECEIVED

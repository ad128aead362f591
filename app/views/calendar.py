"""The HYTE annual clock: the year view, the iCalendar feed and the administrator's event editing."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms.compilations import ClockEventForm
from app.models import ClockEvent, Compilation, Municipality, Recurrence, utcnow
from app.views.lifecycle import on_refusal
from app.workflow.admin import site_settings
from app.workflow.compilations import annual_clock, clock_events
from app.workflow.compilations.clock_events import EventInput
from app.workflow.compilations.periods import HELSINKI, council_term
from app.workflow.core import permissions
from app.workflow.core.errors import Refusal
from app.workflow.reports import catalog

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

FEED_YEARS = (-1, 0, 1, 2)


def _today() -> date:
    return utcnow().astimezone(HELSINKI).date()


def _municipality() -> Municipality | None:
    code = request.args.get("municipality", "").strip()
    if not code:
        return None
    found = db.session.scalar(sa.select(Municipality).where(Municipality.code == code))
    if found is None:
        abort(404)
    return found


def _year() -> int:
    text = request.args.get("year", "")
    year = int(text) if text.isdigit() else _today().year
    if not 2000 <= year <= 2999:
        abort(404)
    return year


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    municipality, year = _municipality(), _year()
    clock = clock_events.clock_of(municipality)
    first = clock_events.first_term_start()
    occurrences = annual_clock.occurrences(clock, year, first)
    deadlines = annual_clock.deadlines(clock, year, first)
    statuses = dict(db.session.execute(sa.select(Compilation.period, Compilation.status)).all())
    published = {period: moment.astimezone(HELSINKI).date() for period, moment in db.session.execute(
        sa.select(Compilation.period, Compilation.published_at).where(Compilation.published_at.is_not(None)))}
    today = _today()
    months = [{"name": format_date(date(year, m, 1), "LLLL"), "events": [o for o in occurrences if o.day.month == m],
               "deadlines": [d for d in deadlines if d.day.month == m]} for m in range(1, 13)]
    return render_template("calendar/index.html", months=months, year=year, municipality=municipality,
                           municipalities=catalog.municipalities(), term=council_term(_today(), first),
                           year_term=council_term(date(year, 12, 31), first),
                           change_year=annual_clock.is_term_change_year(year, first), statuses=statuses,
                           state=lambda d: annual_clock.deadline_state(d.day, published.get(d.period.code), today),
                           published=published,
                           can_edit=permissions.can_edit_clock(current_user))


@bp.get("/hyte.ics")
def feed() -> ResponseReturnValue:
    """The clock as an iCalendar feed to subscribe to; public, as it holds only the shared calendar."""
    municipality = _municipality()
    clock = clock_events.clock_of(municipality)
    first = clock_events.first_term_start()
    place = municipality.name if municipality else (site_settings.county().name or _("Hyvinvointialue"))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SoRa//hyte-vuosikello//FI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Hyte-vuosikello: %(place)s", place=place))
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    stamp = utcnow()
    scope = municipality.code if municipality else "county"
    for offset in FEED_YEARS:
        year = _today().year + offset
        for occurrence in annual_clock.occurrences(clock, year, first):
            calendar.add_component(_all_day(f"{occurrence.event.code}-{occurrence.day.isoformat()}-{scope}@sora",
                                            occurrence.day, occurrence.event.name, occurrence.event.description, stamp))
        for deadline in annual_clock.deadlines(clock, year, first):
            calendar.add_component(_all_day(
                f"deadline-{deadline.period.code}-{deadline.day.isoformat()}-{scope}@sora", deadline.day,
                _("Puolivuotiskooste %(period)s hyväksyttävä", period=deadline.period.label),
                _("Määräpäivä tulee tapahtumasta: %(event)s.", event=deadline.event.name), stamp))
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f"inline; filename=hyte-vuosikello-{scope}.ics"
    return response


def _all_day(uid: str, day: date, summary: str, description: str, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _admin() -> None:
    if not permissions.can_edit_clock(current_user):
        abort(403)


@bp.get("/events")
@login_required
def events() -> ResponseReturnValue:
    _admin()
    municipality = _municipality()
    return _render_events(municipality, ClockEventForm(formdata=None))


def _render_events(municipality: Municipality | None, form: ClockEventForm, status: int = 200) -> ResponseReturnValue:
    rows = clock_events.events_of(municipality)
    inherited = [] if municipality is None else [
        e for e in clock_events.events_of(None) if e.code not in {r.code for r in rows}]
    forms = {e.id: ClockEventForm(formdata=None, obj=e, recurrence=e.recurrence.value) for e in rows}
    return render_template("calendar/events.html", municipality=municipality, rows=rows, forms=forms,
                           inherited=inherited, form=form, municipalities=catalog.municipalities()), status


def _input(form: ClockEventForm) -> EventInput:
    return EventInput(name=form.name.data or "", description=form.description.data or "",
                      recurrence=Recurrence(form.recurrence.data), month=form.month.data, day=form.day.data,
                      compilation_lead_days=form.compilation_lead_days.data, code=form.code.data or "")


@bp.post("/events")
@login_required
def add_event() -> ResponseReturnValue:
    _admin()
    municipality = _municipality()
    form = ClockEventForm()
    if not form.validate_on_submit():
        return _render_events(municipality, form, 400)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        flash(str(refusal), "error")
        return _render_events(_municipality(), form, 400)

    on_refusal(shown_again)
    clock_events.save_event(None, _input(form), municipality)
    flash(_("Tapahtuma lisätty vuosikelloon."), "info")
    return redirect(url_for("calendar.events", municipality=municipality.code if municipality else None))


@bp.post("/events/<int:event_id>")
@login_required
def edit_event(event_id: int) -> ResponseReturnValue:
    _admin()
    event = db.session.get(ClockEvent, event_id)
    if event is None or not event.active:
        abort(404)
    municipality = event.municipality
    back = url_for("calendar.events", municipality=municipality.code if municipality else None)
    if request.form.get("remove"):  # CSRFProtect has checked the token of every POST
        clock_events.remove_event(event)
        flash(_("Tapahtuma poistettu vuosikellosta."), "info")
        return redirect(back)
    form = ClockEventForm()
    if not form.validate_on_submit():
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "error")
        return redirect(back)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        flash(str(refusal), "error")
        return redirect(back)

    on_refusal(shown_again)
    clock_events.save_event(event, _input(form), municipality)
    flash(_("Tapahtuma tallennettu."), "info")
    return redirect(back)

"""Phenomenon groups (ilmiöt) and what came of their proposals: thin handlers over phenomena/groups.py
and phenomena/follow_ups.py (parse, call one operation, render)."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.codes import FollowUpStatus
from app.forms.phenomena import AttachForm, ChooseGroupForm, FollowUpForm, GroupForm, ProposalForm
from app.models import CompilationThemeText, PhenomenonGroup, Proposal, ProposalFollowUp
from app.views.lifecycle import on_refusal
from app.workflow.core import permissions
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import follow_ups, groups
from app.workflow.phenomena.similarity import similar_reports
from app.workflow.reports import catalog

bp = Blueprint("groups", __name__, url_prefix="/phenomena/groups")


def _worker() -> None:
    if not permissions.works_on_groups(current_user):
        abort(403)


def _group(group_id: int) -> PhenomenonGroup:
    group = groups.find_group(current_user, group_id)
    if group is None:
        abort(404)
    return group


def _flashed(back: str) -> Callable[[Refusal], ResponseReturnValue]:
    def shown(refusal: Refusal) -> ResponseReturnValue:
        flash(str(refusal), "error")
        return redirect(back)

    return shown


def _form_errors(form: object) -> str:
    return " ".join(str(m) for ms in form.errors.values() for m in ms)  # type: ignore[attr-defined]


def _text(form: GroupForm) -> groups.GroupText:
    return groups.GroupText(form.name.data or "", form.description.data or "", form.observations.data or "",
                            tuple(form.national_phenomena.data or ()))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    _worker()
    found = groups.visible_groups(current_user)
    return render_template("phenomena/groups.html", groups=found, counts=groups.report_counts(g.id for g in found))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """A new group; `?report=<id>&report=<id>&name=...` starts it with those reports (a weak signal's)."""
    _worker()
    if request.method == "GET":
        reports = groups.prefilled_reports(current_user, request.args.getlist("report"))
        form = GroupForm(name=request.args.get("name", "").strip()[:200], reports=[str(r.id) for r in reports])
        form.reports.choices = [(str(r.id), r.number) for r in reports]
        return render_template("phenomena/group_form.html", form=form, group=None, reports=reports)
    form = GroupForm()
    reports = groups.prefilled_reports(current_user, form.reports.data or [])
    form.reports.choices = [(str(r.id), r.number) for r in reports]

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        return render_template("phenomena/group_form.html", form=form, group=None, reports=reports,
                               error=str(refusal)), refusal.status_code

    if not form.validate_on_submit():
        return render_template("phenomena/group_form.html", form=form, group=None, reports=reports,
                               error=_form_errors(form) or _("Tarkista kentät.")), 400
    on_refusal(shown_again)
    group = groups.create_group(current_user, _text(form), form.reports.data or [])
    flash(_("Ilmiö luotu."), "info")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.get("/<int:group_id>")
@login_required
def show(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    reports = groups.visible_reports(current_user, group)
    internal = permissions.sees_internal_follow_ups(current_user)
    return render_template(
        "phenomena/group.html", group=group, reports=reports, total=len(group.reports),
        counts=groups.municipality_counts(reports), attach_form=AttachForm(), proposal_form=ProposalForm(),
        follow_ups=follow_ups.for_proposals([p.id for p in group.proposals], internal=internal),
        editable=permissions.can_edit_group(current_user, group),
        records_follow_ups=permissions.records_follow_ups(current_user),
        similar=similar_reports([r.id for r in reports], current_user) if reports else [])


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    if not permissions.can_edit_group(current_user, group):
        abort(403)
    if request.method == "GET":
        form = GroupForm(obj=group, national_phenomena=[p.code for p in group.national_phenomena],
                         version=str(group.version))
        return render_template("phenomena/group_form.html", form=form, group=group, reports=[])
    form = GroupForm()
    if not form.validate_on_submit():
        return render_template("phenomena/group_form.html", form=form, group=group, reports=[],
                               error=_form_errors(form) or _("Tarkista kentät.")), 400

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current = _group(group_id)
        form.version.data = str(current.version)
        return render_template("phenomena/group_form.html", form=form, group=current, reports=[],
                               error=str(refusal)), refusal.status_code

    on_refusal(shown_again)
    groups.update_group(group, current_user, _text(form), expected_version=form.expected_version)
    flash(_("Ilmiön tekstit tallennettu."), "info")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/<int:group_id>/reports")
@login_required
def attach(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    back = url_for("groups.show", group_id=group_id, _anchor="reports")
    form = AttachForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(back)
    on_refusal(_flashed(back))
    report = groups.attach_report(group, current_user, form.report.data)
    flash(_("Raportti %(number)s lisätty ilmiöön.", number=report.number), "info")
    return redirect(back)


@bp.post("/<int:group_id>/reports/<int:report_id>/remove")
@login_required
def detach(group_id: int, report_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    back = url_for("groups.show", group_id=group_id, _anchor="reports")
    on_refusal(_flashed(back))  # a POST-only button: CSRFProtect has checked its token before the view runs
    report = groups.detach_report(group, current_user, report_id)
    flash(_("Raportti %(number)s poistettu ilmiöstä. Raportti itse ei muuttunut.", number=report.number), "info")
    return redirect(back)


@bp.post("/from-case/<number>")
@login_required
def attach_from_case(number: str) -> ResponseReturnValue:
    """The case page's "Lisää ilmiöön": the report goes into the chosen group, and the case page shows it."""
    _worker()
    back = url_for("cases.detail", number=number, _anchor="phenomena")
    form = ChooseGroupForm()
    form.group.choices = [(str(g.id), g.name) for g in groups.visible_groups(current_user)]
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(back)
    group = _group(int(form.group.data))
    on_refusal(_flashed(back))
    groups.attach_report(group, current_user, number)
    flash(_("Raportti lisätty ilmiöön %(name)s.", name=group.name), "info")
    return redirect(back)


@bp.post("/<int:group_id>/proposals")
@login_required
def add_proposal(group_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    back = url_for("groups.show", group_id=group_id, _anchor="proposals")
    form = ProposalForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(back)
    on_refusal(_flashed(back))
    groups.add_proposal(group, current_user, form.text.data)
    flash(_("Ehdotus lisätty."), "info")
    return redirect(back)


@bp.post("/<int:group_id>/proposals/<int:proposal_id>")
@login_required
def change_proposal(group_id: int, proposal_id: int) -> ResponseReturnValue:
    group = _group(group_id)
    back = url_for("groups.show", group_id=group_id, _anchor=f"proposal-{proposal_id}")
    on_refusal(_flashed(back))
    if request.form.get("remove"):
        groups.remove_proposal(group, current_user, proposal_id)
        flash(_("Ehdotus poistettu."), "info")
        return redirect(url_for("groups.show", group_id=group_id, _anchor="proposals"))
    form = ProposalForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(back)
    groups.edit_proposal(group, current_user, proposal_id, form.text.data)
    flash(_("Ehdotus tallennettu."), "info")
    return redirect(back)


# What came of a proposal --------------------------------------------------------------------------

def _recorder() -> None:
    if not permissions.records_follow_ups(current_user):
        abort(403)


def _follow_up_input(form: FollowUpForm) -> follow_ups.FollowUpInput:
    return follow_ups.FollowUpInput(
        forum=catalog.forum_by_code(form.forum.data or ""), decision_body=form.decision_body.data or "",
        dated_on=form.dated_on.data, response=form.response.data or "",
        status=FollowUpStatus(form.status.data), public=bool(form.public.data))


def _back_of(proposal: Proposal | None, theme_text: CompilationThemeText | None) -> str:
    if proposal is not None:
        return url_for("groups.show", group_id=proposal.group_id, _anchor=f"proposal-{proposal.id}")
    assert theme_text is not None
    return url_for("results.show", code=theme_text.compilation.period, _anchor=f"theme-{theme_text.theme.code}") \
        if theme_text.compilation.publication is not None \
        else url_for("compilations.detail", code=theme_text.compilation.period, _anchor="themes")


def _follow_up_page(form: FollowUpForm, *, proposal: Proposal | None, theme_text: CompilationThemeText | None,
                    follow_up: ProposalFollowUp | None = None) -> ResponseReturnValue:
    """The form for a new follow-up, or to bring one up to date."""
    if request.method == "POST" and form.validate_on_submit():
        def shown_again(refusal: Refusal) -> ResponseReturnValue:
            return render_template("phenomena/follow_up_form.html", form=form, proposal=proposal,
                                   theme_text=theme_text, follow_up=follow_up, back=_back_of(proposal, theme_text),
                                   error=str(refusal)), refusal.status_code

        on_refusal(shown_again)
        if follow_up is None:
            follow_ups.record_follow_up(current_user, _follow_up_input(form), proposal=proposal, theme_text=theme_text)
        else:
            follow_ups.update_follow_up(follow_up, current_user, _follow_up_input(form))
        flash(_("Seuranta kirjattu."), "info")
        return redirect(_back_of(proposal, theme_text))
    error = (_form_errors(form) or _("Tarkista kentät.")) if request.method == "POST" else None
    return render_template("phenomena/follow_up_form.html", form=form, proposal=proposal, theme_text=theme_text,
                           follow_up=follow_up, back=_back_of(proposal, theme_text), error=error), \
        400 if error else 200


@bp.route("/proposals/<int:proposal_id>/follow-ups/new", methods=["GET", "POST"])
@login_required
def follow_up_new(proposal_id: int) -> ResponseReturnValue:
    _recorder()
    proposal = follow_ups.find_proposal(proposal_id)
    if proposal is None or groups.find_group(current_user, proposal.group_id) is None:
        abort(404)
    return _follow_up_page(FollowUpForm(), proposal=proposal, theme_text=None)


@bp.route("/theme-proposals/<int:theme_text_id>/follow-ups/new", methods=["GET", "POST"])
@login_required
def theme_follow_up_new(theme_text_id: int) -> ResponseReturnValue:
    _recorder()
    theme_text = follow_ups.find_theme_text(theme_text_id)
    if theme_text is None:
        abort(404)
    return _follow_up_page(FollowUpForm(), proposal=None, theme_text=theme_text)


@bp.route("/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@login_required
def follow_up_edit(follow_up_id: int) -> ResponseReturnValue:
    _recorder()
    follow_up = follow_ups.find_follow_up(follow_up_id)
    if follow_up is None:
        abort(404)
    form = FollowUpForm() if request.method == "POST" else FollowUpForm(
        forum=follow_up.forum.code if follow_up.forum else "", decision_body=follow_up.decision_body or "",
        dated_on=follow_up.dated_on, response=follow_up.response, status=follow_up.status.value,
        public=follow_up.public)
    return _follow_up_page(form, proposal=follow_up.proposal, theme_text=follow_up.theme_text, follow_up=follow_up)

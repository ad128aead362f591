"""The administrator's pages (pääkäyttäjä): audit log, organisation, people and roles, forums and themes, API tokens."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.codes import OPEN_STATUSES, EscalationLevel, NodeKind, Role
from app.extensions import db, login_manager
from app.forms.admin import (
    AuditFilterForm,
    EmptyForm,
    ForumForm,
    HandOverForm,
    NationalPhenomenonForm,
    MoveReportsForm,
    OrgImportConfirmForm,
    OrgImportForm,
    OrgNodeForm,
    RoleForm,
    SettingsForm,
    ThemeForm,
    UserForm,
    UserSearchForm,
)
from app.forms.county import CountyForm
from app.forms.fields import options, query_status
from app.forms.partners import PartnerSettingsForm
from app.forms.welfare import ApiTokenForm
from app.models import (
    ApiToken,
    Forum,
    NationalPhenomenon,
    OrgImportJob,
    OrgNode,
    Report,
    RoleAssignment,
    Theme,
    User,
)
from app.views.lifecycle import on_refusal, streamed
from app.workflow.admin import api_tokens, org_csv, site_settings
from app.workflow.admin.audit_export import csv_lines as audit_export_csv
from app.workflow.admin.county import logo_data_uri
from app.workflow.admin.forums_and_themes import (
    ForumInput,
    ThemeInput,
    next_theme_position,
    save_forum,
    save_theme,
)
from app.workflow.admin.organisation import (
    NodeInput,
    holders,
    move_open_reports,
    open_reports_at,
    retire_node,
    save_node,
)
from app.workflow.admin.people import (
    UserInput,
    add_role,
    hand_over,
    remove_role,
    save_user,
    scope_text,
    set_active,
)
from app.workflow.auth import account_links
from app.workflow.core import permissions
from app.workflow.core.audit import (
    AuditFilters,
    audit_query,
    entries_naming_reporters,
    describe,
    describe_target,
    field_label,
    show_value,
)
from app.workflow.phenomena import coding
from app.workflow.reports import catalog
from app.workflow.welfare import national_export

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


@bp.before_request
def _administrators_only() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        refused: ResponseReturnValue = login_manager.unauthorized()
        return refused
    if not permissions.administers(current_user):
        abort(403)
    return None


Coded = TypeVar("Coded", OrgNode, Forum, Theme, NationalPhenomenon)


def _by_code(model: type[Coded], code: str) -> Coded:
    row: Coded = db.first_or_404(sa.select(model).where(model.code == code))
    return row


def _shown_again(page: Callable[[str, int], ResponseReturnValue]) -> None:
    """If the operation refuses, show `page(message, status)` again: after the rollback, on fresh rows,
    with the form as the user typed it."""
    on_refusal(lambda refusal: page(str(refusal), refusal.status_code))


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("admin/index.html")


# ---- audit log ------------------------------------------------------------------------------

def _audit_filters() -> tuple[AuditFilterForm, AuditFilters]:
    """The page's filters from the query string; a field with an error is left out, not refused."""
    form = AuditFilterForm(request.args)
    form.validate()
    fields = {name: form[name].data for name in ("actor", "action", "report_number", "date_from", "date_to")
              if not form[name].errors and form[name].data}
    return form, AuditFilters(**fields)


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    form, filters = _audit_filters()
    sees_reporters = permissions.can_see_reporters_in_audit(current_user)
    page = db.paginate(audit_query(filters, sees_reporters=sees_reporters), page=form.page.number,
                       per_page=PER_PAGE, error_out=False)
    hidden = set() if sees_reporters else entries_naming_reporters(list(page.items))
    return render_template("admin/audit.html", form=form, page=page, describe=describe,
                           describe_target=describe_target, hidden_actors=hidden,
                           args={k: v for k, v in request.args.items() if k != "page"}), query_status(form)


@bp.get("/audit/export.csv")
def audit_export() -> ResponseReturnValue:
    """The log as filtered on the page, streamed; the export itself is logged with the request's commit.
    A refused filter refuses the export: the page may leave it out, but a file should not silently hold more."""
    form, filters = _audit_filters()
    if form.errors:
        abort(400)
    return streamed(audit_export_csv(current_user, filters), "text/csv; charset=utf-8",
                    "sora-lokitiedot.csv")


# ---- organisation ---------------------------------------------------------------------------

@bp.get("/org")
def org() -> ResponseReturnValue:
    reports = dict(db.session.execute(sa.select(Report.unit_id, sa.func.count()).group_by(Report.unit_id)).all())
    open_handled = dict(db.session.execute(
        sa.select(Report.handling_node_id, sa.func.count()).where(Report.status.in_(OPEN_STATUSES))
        .group_by(Report.handling_node_id)).all())
    people: dict[tuple[int | None, Role], list[str]] = {}
    for assignment in db.session.scalars(sa.select(RoleAssignment).options(selectinload(RoleAssignment.user))
                                         .where(RoleAssignment.org_node_id.is_not(None))):
        people.setdefault((assignment.org_node_id, assignment.role), []).append(assignment.user.name)
    return render_template("admin/org.html", nodes=catalog.all_nodes(), reports=reports, open_handled=open_handled,
                           people=people, Role=Role, import_form=OrgImportForm())


def _node_input(form: OrgNodeForm) -> NodeInput:
    return NodeInput(
        code=form.code.data, name=form.name.data, kind=NodeKind(form.kind.data),
        parent=catalog.node_by_code(form.parent.data), municipality=catalog.municipality_by_code(form.municipality.data),
        handling_node=catalog.node_by_code(form.handling_node.data), active=bool(form.active.data),
    )


def _node_page(node: OrgNode | None, form: OrgNodeForm, error: str | None = None,
               status: int = 200) -> ResponseReturnValue:
    move_form = MoveReportsForm()
    return render_template(
        "admin/org_node.html", node=node, form=form, error=error, retire_form=EmptyForm(), move_form=move_form,
        open_reports=open_reports_at(node) if node else [],
        supervisors=holders(node, Role.SUPERVISOR) if node else [],
        handlers=holders(node, Role.HANDLER) if node else [],
    ), status


@bp.route("/org/new", methods=["GET", "POST"])
@bp.route("/org/<code>", methods=["GET", "POST"])
def org_node(code: str | None = None) -> ResponseReturnValue:
    node = _by_code(OrgNode, code) if code else None
    form = _filled_node_form(node) if node is not None and request.method == "GET" else OrgNodeForm()
    if not form.validate_on_submit():
        return _node_page(node, form, status=400 if form.errors else 200)
    _shown_again(lambda error, status: _node_page(node, form, error, status))
    saved = save_node(node, _node_input(form), current_user)
    flash(_("Yksikön %(name)s tiedot on tallennettu.", name=saved.name), "info")
    return redirect(url_for("admin.org_node", code=saved.code))


@bp.post("/org/<code>/retire")
def org_retire(code: str) -> ResponseReturnValue:
    node = _by_code(OrgNode, code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = node.name
    outcome = retire_node(node, current_user)
    if outcome == "deleted":
        flash(_("%(name)s poistettiin.", name=name), "info")
        return redirect(url_for("admin.org"))
    flash(_("%(name)s poistettiin käytöstä. Sitä ei poistettu kokonaan, koska siihen liittyy raportteja tai "
            "sen alla on yksiköitä.", name=name), "info")
    return redirect(url_for("admin.org_node", code=code))


@bp.post("/org/<code>/move-reports")
def org_move_reports(code: str) -> ResponseReturnValue:
    node = _by_code(OrgNode, code)
    form = MoveReportsForm()
    if not form.validate_on_submit():
        return _node_page(node, _filled_node_form(node), _("Valitse yksikkö, jolle raportit siirretään."), 400)
    _shown_again(lambda error, status: _node_page(node, _filled_node_form(node), error, status))
    moved = move_open_reports(node, _by_code(OrgNode, form.to_node.data), current_user)
    flash(_("Siirrettiin %(count)d avointa raporttia.", count=moved), "info")
    return redirect(url_for("admin.org_node", code=code))


def _filled_node_form(node: OrgNode) -> OrgNodeForm:
    """The node's stored values in its form, whatever the request carried."""
    return OrgNodeForm(formdata=None, data={
        "code": node.code, "name": node.name, "kind": node.kind.value,
        "parent": node.parent.code if node.parent else "",
        "municipality": node.municipality.code if node.municipality else "",
        "handling_node": node.handling_node.code if node.handling_node else "", "active": node.active})


@bp.get("/org/export.csv")
def org_export() -> ResponseReturnValue:
    text = org_csv.export_csv(current_user)
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=organisaatio.csv"})


@bp.post("/org/import")
def org_import() -> ResponseReturnValue:
    """Step one: check the uploaded file and show every problem, or what would change. Nothing changes."""
    form = OrgImportForm()
    if not form.validate_on_submit():
        flash(" ".join(str(m) for messages in form.errors.values() for m in messages), "error")
        return redirect(url_for("admin.org"))
    data = form.file.data.read(org_csv.MAX_BYTES + 1)
    result = org_csv.check_file(data)
    confirm = OrgImportConfirmForm(formdata=None, content=org_csv.decode(data)) if result.ok else None
    return render_template("admin/org_import.html", result=result, confirm_form=confirm, field_label=field_label,
                           show_value=show_value, filename=form.file.data.filename), 200 if result.ok else 400


@bp.post("/org/import/confirm")
def org_import_confirm() -> ResponseReturnValue:
    """Step two: check the same file again and apply it."""
    form = OrgImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    result = org_csv.check_file((form.content.data or "").encode("utf-8"))
    if not result.ok:
        return render_template("admin/org_import.html", result=result, confirm_form=None, filename="",
                               field_label=field_label, show_value=show_value), 409
    if org_csv.runs_as_job(result):
        job = org_csv.queue_import(form.content.data or "", current_user)
        return redirect(url_for("admin.org_import_job", job_id=job.id))
    org_csv.apply_plan(result, current_user)
    if result.changes:
        flash(_("Organisaatio päivitettiin: %(created)d uutta, %(updated)d muutettua, %(deactivated)d käytöstä "
                "poistettua ja %(deleted)d poistettua.", created=result.count("create"),
                updated=result.count("update"), deactivated=result.count("deactivate"),
                deleted=result.count("delete")), "info")
    else:
        flash(_("Tiedosto vastasi jo organisaatiota: mitään ei muutettu."), "info")
    return redirect(url_for("admin.org"))


@bp.get("/org/import/<int:job_id>")
def org_import_job(job_id: int) -> ResponseReturnValue:
    """A large file's import, applied by the scheduler: its state, and its result once it has one."""
    job = db.session.get(OrgImportJob, job_id)
    if job is None:
        abort(404)
    return render_template("admin/org_import_job.html", job=job)


# ---- people ---------------------------------------------------------------------------------

@bp.get("/users")
def users() -> ResponseReturnValue:
    form = UserSearchForm(request.args)
    form.validate()
    query = sa.select(User).options(selectinload(User.roles)).order_by(User.name, User.id)
    if form.q.data and not form.q.errors:
        term = form.q.data.lower()
        query = query.where(sa.or_(sa.func.lower(User.name).contains(term, autoescape=True),
                                   sa.func.lower(User.email).contains(term, autoescape=True)))
    if form.role.data and not form.role.errors:
        query = query.where(User.id.in_(sa.select(RoleAssignment.user_id).where(RoleAssignment.role == form.role.data)))
    if not form.inactive.data:
        query = query.where(User.active.is_(True))
    page = db.paginate(query, page=form.page.number, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", form=form, page=page, scope_text=scope_text,
                           args={k: v for k, v in request.args.items() if k != "page"}), query_status(form)


def _user_page(user: User | None, form: UserForm, error: str | None = None, status: int = 200,
               role_form: RoleForm | None = None, hand_over_form: HandOverForm | None = None) -> ResponseReturnValue:
    hand_over_form = hand_over_form or HandOverForm()
    others = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.name)).all()
    hand_over_form.successor.choices = options([("", _("— valitse —")),
                                                *[(str(u.id), f"{u.name} <{u.email}>") for u in others if u is not user]])
    return render_template("admin/user.html", user=user, form=form, error=error, role_form=role_form or RoleForm(),
                           hand_over_form=hand_over_form, button_form=EmptyForm(), scope_text=scope_text), status


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int | None = None) -> ResponseReturnValue:
    account = _user_or_404(user_id) if user_id is not None else None
    form = UserForm(obj=account) if request.method == "GET" else UserForm()
    if not form.validate_on_submit():
        return _user_page(account, form, status=400 if form.errors else 200)
    _shown_again(lambda error, status: _user_page(account, form, error, status))
    saved = save_user(account, UserInput(form.name.data, form.email.data, form.password.data or None), current_user)
    if account is None:
        flash(_("Käyttäjä %(name)s on lisätty, ja osoitteeseen %(email)s lähti kutsu, jonka linkistä hän asettaa "
                "salasanansa.", name=saved.name, email=saved.email), "info")
    else:
        flash(_("Käyttäjän %(name)s tiedot on tallennettu.", name=saved.name), "info")
    return redirect(url_for("admin.user", user_id=saved.id))


@bp.post("/users/<int:user_id>/invite")
def user_invite(user_id: int) -> ResponseReturnValue:
    account = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    account_links.invite(account, current_user)
    flash(_("Kutsu lähti osoitteeseen %(email)s. Linkki toimii %(days)d päivää.", email=account.email,
            days=current_app.config["INVITATION_DAYS"]), "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/roles")
def user_add_role(user_id: int) -> ResponseReturnValue:
    account = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(account, UserForm(obj=account), _("Tarkista rooli."), 400, role_form=form)
    _shown_again(lambda error, status: _user_page(account, UserForm(obj=account), error, status, role_form=form))
    add_role(account, Role(form.role.data), catalog.node_by_code(form.org_node.data),
             catalog.municipality_by_code(form.municipality.data), current_user)
    flash(_("Rooli lisättiin."), "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/roles/<int:assignment_id>/remove")
def user_remove_role(user_id: int, assignment_id: int) -> ResponseReturnValue:
    account = _user_or_404(user_id)
    assignment = db.session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.user is not account or not EmptyForm().validate_on_submit():
        abort(404)
    _shown_again(lambda error, status: _user_page(account, UserForm(obj=account), error, status))
    remove_role(assignment, current_user)
    flash(_("Rooli poistettiin."), "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int) -> ResponseReturnValue:
    account = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    _shown_again(lambda error, status: _user_page(account, UserForm(obj=account), error, status))
    set_active(account, request.form.get("active") == "1", current_user)
    flash(_("Tunnus on käytössä.") if account.active else _("Tunnus poistettiin käytöstä."), "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/hand-over")
def user_hand_over(user_id: int) -> ResponseReturnValue:
    account = _user_or_404(user_id)
    form = HandOverForm()
    others = db.session.scalars(sa.select(User.id).where(User.active.is_(True))).all()
    form.successor.choices = options([(str(i), "") for i in others])
    if not form.validate_on_submit():
        return _user_page(account, UserForm(obj=account), _("Valitse, kenelle tehtävät siirretään."), 400,
                          hand_over_form=form)
    successor = _user_or_404(int(form.successor.data))
    _shown_again(lambda error, status: _user_page(account, UserForm(obj=account), error, status,
                                                  hand_over_form=form))
    moved = hand_over(account, successor, current_user, deactivate=bool(form.deactivate.data))
    flash(_("Tehtävät siirrettiin käyttäjälle %(name)s. Avoimia raportteja siirtyi %(count)d.",
            name=successor.name, count=moved), "info")
    return redirect(url_for("admin.user", user_id=user_id))


# ---- forums and themes ----------------------------------------------------------------------

@bp.get("/forums")
def forums() -> ResponseReturnValue:
    rows = db.session.scalars(sa.select(Forum).options(selectinload(Forum.municipality))
                              .order_by(Forum.level, Forum.name)).all()
    return render_template("admin/forums.html", forums=rows)


@bp.route("/forums/new", methods=["GET", "POST"])
@bp.route("/forums/<code>", methods=["GET", "POST"])
def forum(code: str | None = None) -> ResponseReturnValue:
    row = _by_code(Forum, code) if code else None
    if row is not None and request.method == "GET":
        form = ForumForm(data={"code": row.code, "name": row.name, "level": row.level.value, "active": row.active,
                               "municipality": row.municipality.code if row.municipality else ""})
    else:
        form = ForumForm()
    if not form.validate_on_submit():
        return render_template("admin/forum.html", forum=row, form=form), 400 if form.errors else 200
    data = ForumInput(form.code.data, form.name.data, EscalationLevel(form.level.data),
                      catalog.municipality_by_code(form.municipality.data), bool(form.active.data))
    _shown_again(lambda error, status: (render_template("admin/forum.html", forum=row, form=form, error=error), status))
    saved = save_forum(row, data, current_user)
    flash(_("Foorumin %(name)s tiedot on tallennettu.", name=saved.name), "info")
    return redirect(url_for("admin.forums"))


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    """Deadlines, reminders, digests, the other channels' links and the county's guidance."""
    form = SettingsForm() if request.method == "POST" else SettingsForm.from_settings(site_settings.current())
    if not form.validate_on_submit():
        return render_template("admin/settings.html", form=form, restore=EmptyForm()), 400 if form.errors else 200
    changed = site_settings.save(form.to_settings(), current_user)
    flash(_("Asetukset tallennettu.") if changed else _("Asetukset olivat jo näin."), "info")
    return redirect(url_for("admin.settings"))


@bp.route("/county", methods=["GET", "POST"])
def county() -> ResponseReturnValue:
    """The county's names, logo and colours, as the header, the mail and the PDFs show them."""
    current = site_settings.county()
    form = CountyForm() if request.method == "POST" else CountyForm(data={
        "name_fi": current.name_fi, "name_sv": current.name_sv, "name_en": current.name_en,
        "colour": current.colour, "colour_dark": current.colour_dark})

    def page(message: str | None = None, status: int = 200) -> ResponseReturnValue:
        return render_template("admin/county.html", form=form, identity=current, message=message), status

    if not form.validate_on_submit():
        return page(status=400 if form.errors else 200)
    _shown_again(page)
    values = {"COUNTY_NAME": form.name_fi.data, "COUNTY_NAME_SV": form.name_sv.data or "",
              "COUNTY_NAME_EN": form.name_en.data or "", "COUNTY_COLOUR": (form.colour.data or "").lower(),
              "COUNTY_COLOUR_DARK": (form.colour_dark.data or "").lower()}
    if form.remove_logo.data:
        values["COUNTY_LOGO"] = ""
    elif form.logo.data:
        values["COUNTY_LOGO"] = logo_data_uri(form.logo.data.read())
    changed = site_settings.save_identity(values, current_user)
    flash(_("Alueen tiedot tallennettu.") if changed else _("Alueen tiedot olivat jo näin."), "info")
    return redirect(url_for("admin.county"))


@bp.route("/partners", methods=["GET", "POST"])
def partners() -> ResponseReturnValue:
    """The partners' channel: on or off, the node whose handlers take its reports, residents or not."""
    values = site_settings.current()
    form = PartnerSettingsForm() if request.method == "POST" else PartnerSettingsForm(data={
        "enabled": bool(values["PARTNER_CHANNEL"]), "handling_node": values["PARTNER_HANDLING_NODE"] or "",
        "residents": bool(values["PARTNER_RESIDENTS"])})
    if not form.validate_on_submit():
        return render_template("admin/partners.html", form=form), 400 if form.errors else 200
    changed = site_settings.save({"PARTNER_CHANNEL": bool(form.enabled.data),
                                  "PARTNER_HANDLING_NODE": form.handling_node.data or "",
                                  "PARTNER_RESIDENTS": bool(form.residents.data)}, current_user)
    flash(_("Asetukset tallennettu.") if changed else _("Asetukset olivat jo näin."), "info")
    return redirect(url_for("admin.partners"))


@bp.post("/settings/restore")
def restore_settings() -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    site_settings.restore_defaults(current_user)
    flash(_("Asetukset palautettu oletuksiin."), "info")
    return redirect(url_for("admin.settings"))


@bp.get("/themes")
def themes() -> ResponseReturnValue:
    rows = db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.code)).all()
    return render_template("admin/themes.html", themes=rows)


@bp.route("/themes/new", methods=["GET", "POST"])
@bp.route("/themes/<code>", methods=["GET", "POST"])
def theme(code: str | None = None) -> ResponseReturnValue:
    row = _by_code(Theme, code) if code else None
    if request.method == "GET":
        form = ThemeForm(data={"code": row.code, "label_fi": row.label_fi, "label_en": row.label_en,
                               "label_sv": row.label_sv or "", "position": row.position, "active": row.active}
                         if row else {"position": next_theme_position(), "active": True})
    else:
        form = ThemeForm()
    if not form.validate_on_submit():
        return render_template("admin/theme.html", theme=row, form=form), 400 if form.errors else 200
    data = ThemeInput(form.code.data, form.label_fi.data, form.label_en.data or "",
                      form.position.data if form.position.data is not None else next_theme_position(),
                      bool(form.active.data), form.label_sv.data or "")
    _shown_again(lambda error, status: (render_template("admin/theme.html", theme=row, form=form, error=error), status))
    saved = save_theme(row, data, current_user)
    flash(_("Teeman %(name)s tiedot on tallennettu.", name=saved.label_fi), "info")
    return redirect(url_for("admin.themes"))


# ---- THL's national phenomena: a versioned classification ----------------------------------------

@bp.get("/national-phenomena")
def national_phenomena() -> ResponseReturnValue:
    rows = coding.all_phenomena()
    return render_template("admin/national_phenomena.html", phenomena=rows, version=coding.classification_version(),
                           counts={p.id: coding.coded_reports(p) for p in rows}, button_form=EmptyForm())


def _phenomenon_input(form: NationalPhenomenonForm, code: str) -> coding.PhenomenonInput:
    return coding.PhenomenonInput(code, form.label_fi.data, form.label_en.data or "", form.label_sv.data or "",
                                  form.explanation_fi.data, form.explanation_en.data or "",
                                  form.explanation_sv.data or "")


@bp.route("/national-phenomena/new", methods=["GET", "POST"])
@bp.route("/national-phenomena/<code>", methods=["GET", "POST"])
def national_phenomenon(code: str | None = None) -> ResponseReturnValue:
    """Add a phenomenon (a new version) or improve the texts of one (the same version: its meaning stays)."""
    row = _by_code(NationalPhenomenon, code) if code else None
    if request.method == "GET" and row is not None:
        form = NationalPhenomenonForm(data={name: getattr(row, name) or "" for name in (
            "code", "label_fi", "label_en", "label_sv", "explanation_fi", "explanation_en", "explanation_sv")})
    else:
        form = NationalPhenomenonForm()

    def page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
        return render_template("admin/national_phenomenon.html", phenomenon=row, form=form, error=error,
                               version=coding.classification_version()), status

    if row is None and request.method == "POST" and not form.code.data:
        form.validate()
        form.code.errors = [*form.code.errors, _("Anna koodi.")]
        return page(status=400)
    if not form.validate_on_submit():
        return page(status=400 if form.errors else 200)
    _shown_again(page)
    if row is None:
        added = coding.add_phenomenon(_phenomenon_input(form, form.code.data), current_user)
        flash(_("Ilmiö %(name)s on lisätty luokitukseen. Luokituksen versio on nyt %(version)d.",
                name=added.label_fi, version=added.added_in_version), "info")
    else:
        changed = coding.edit_texts(row, _phenomenon_input(form, row.code), current_user)
        flash(_("Ilmiön %(name)s tiedot on tallennettu.", name=row.label_fi) if changed
              else _("Tiedot olivat jo näin."), "info")
    return redirect(url_for("admin.national_phenomena"))


@bp.post("/national-phenomena/<code>/retire")
def retire_national_phenomenon(code: str) -> ResponseReturnValue:
    row = _by_code(NationalPhenomenon, code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":  # retiring cannot be undone, so one click is not enough
        flash(_("Vahvista poisto rastittamalla, että se on lopullinen."), "error")
        return redirect(url_for("admin.national_phenomena"))
    version = coding.retire_phenomenon(row, current_user)
    flash(_("Ilmiö %(name)s on poistettu luokituksesta. Sillä koodatut raportit säilyttävät sen. "
            "Luokituksen versio on nyt %(version)d.", name=row.label_fi, version=version), "info")
    return redirect(url_for("admin.national_phenomena"))


# ---- API tokens --------------------------------------------------------------------------------

def _tokens_page(form: ApiTokenForm | None = None, *, created: ApiToken | None = None, secret: str | None = None,
                 error: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/api_tokens.html", tokens=api_tokens.all_tokens(), form=form or ApiTokenForm(),
                           button_form=EmptyForm(), created=created, secret=secret, error=error,
                           national_periods=national_export.published_periods()), status


@bp.get("/api-tokens", endpoint="api_tokens")
def api_tokens_list() -> ResponseReturnValue:
    return _tokens_page()


@bp.post("/api-tokens")
def api_tokens_create() -> ResponseReturnValue:
    """The token is shown in this answer only: never flashed (the session cookie) nor stored."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=400)
    _shown_again(lambda error, status: _tokens_page(form, error=error, status=status))
    token, secret = api_tokens.create_token(form.name.data, current_user)
    return _tokens_page(ApiTokenForm(formdata=None), created=token, secret=secret, status=201)


@bp.post("/api-tokens/<int:token_id>/revoke")
def api_tokens_revoke(token_id: int) -> ResponseReturnValue:
    token = db.session.get(ApiToken, token_id)
    if token is None or not EmptyForm().validate_on_submit():
        abort(404)
    _shown_again(lambda error, status: _tokens_page(error=error, status=status))
    api_tokens.revoke_token(token, current_user)
    flash(_("Avain ”%(name)s” peruttiin. Sillä ei enää saa tietoja.", name=token.name), "info")
    return redirect(url_for("admin.api_tokens"))

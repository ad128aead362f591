"""The administrator's pages end to end: access, organisation with CSV, people and roles, forums, themes."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from helpers import ROLES, csrf_token, file_via_form, login, release_all

from app.codes import AuditAction, Role
from app.extensions import db
from app.models import (
    HeldFiling,
    AuditEntry,
    Forum,
    Notification,
    OrgNode,
    OutboxMessage,
    Report,
    RoleAssignment,
    Theme,
    User,
)

PAGES = ["/admin/", "/admin/audit", "/admin/org", "/admin/org/new", "/admin/org/U-KUO", "/admin/org/export.csv",
         "/admin/users", "/admin/users/new", "/admin/forums", "/admin/forums/new", "/admin/themes",
         "/admin/themes/housing"]


def admin_client(app, org):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, org["admin"].email)
    return client


def post(client, path: str, page: str | None = None, **data):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, page or path), **data})


def entries(action: AuditAction) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_gets_in(app, org, role):
    client = app.test_client()
    login(client, org[role].email)
    for path in PAGES:
        assert client.get(path).status_code == (200 if role == "admin" else 403), (role, path)
    if role != "admin":
        response = client.post("/admin/org/U-KUO/retire", data={"csrf_token": csrf_token(client, "/")})
        assert response.status_code == 403
        assert db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "U-KUO")) is not None
    menu = client.get("/").get_data(as_text=True)
    assert ("Ylläpito" in menu) is (role == "admin")


def test_visitors_are_sent_to_login(client, org):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


# ---- organisation ---------------------------------------------------------------------------

def test_edit_a_node_and_its_rules(app, org):
    client = admin_client(app, org)
    created = post(client, "/admin/org/new", code="U-SII", name="Aikuissosiaalityö, Siilinjärvi", kind="unit",
                   parent=org["area"].code, municipality="749", handling_node="", active="y")
    assert created.status_code == 302
    unit = db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "U-SII"))
    assert unit.parent_id == org["area"].id and unit.municipality.name == "Siilinjärvi" and unit.active
    assert "U-SII" in client.get("/report/new").get_data(as_text=True), "the form offers the new unit"

    refused = post(client, "/admin/org/new", code="U-X", name="Ilman kuntaa", kind="unit",
                   parent=org["area"].code, municipality="", active="y")
    assert refused.status_code == 409 and "Valitse työyksikön kunta." in refused.get_data(as_text=True)
    wrong_level = post(client, "/admin/org/new", code="U-Y", name="Väärä taso", kind="unit",
                       parent=org["area"].parent.code, municipality="297", active="y")
    assert wrong_level.status_code == 409 and "kuuluu palvelualue-tasoon" in wrong_level.get_data(as_text=True)
    taken = post(client, "/admin/org/new", code="U-KUO", name="Kaksoiskappale", kind="unit",
                 parent=org["area"].code, municipality="297", active="y")
    assert taken.status_code == 409 and "on jo käytössä" in taken.get_data(as_text=True)

    renamed = post(client, "/admin/org/U-SII", name="Aikuissosiaalityö, Siilinjärvi ja Tervo", code="U-SII",
                   kind="unit", parent=org["area"].code, municipality="749",
                   handling_node=org["other_unit"].parent.code, active="y")
    assert renamed.status_code == 302
    db.session.expire_all()
    assert unit.name.endswith("ja Tervo") and unit.handling_node_id == org["other_unit"].parent_id
    change = entries(AuditAction.ORG_CHANGED)[-1]
    assert change.actor_id == org["admin"].id and change.target == "org_node U-SII"
    assert change.details["name"] == ["Aikuissosiaalityö, Siilinjärvi", "Aikuissosiaalityö, Siilinjärvi ja Tervo"]
    assert "ja Tervo" in client.get("/admin/audit?action=org_changed").get_data(as_text=True)


def test_a_unit_with_reports_is_deactivated_and_an_empty_one_deleted(app, org, create_unit):
    file_via_form(app.test_client())
    empty = create_unit("U-TYHJA", municipality="Tervo")
    client = admin_client(app, org)
    assert post(client, "/admin/org/U-TYHJA/retire", page="/admin/org/U-TYHJA").status_code == 302
    assert db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "U-TYHJA")) is None, empty

    response = post(client, "/admin/org/U-KUO/retire", page="/admin/org/U-KUO")
    assert response.status_code == 302
    unit = db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "U-KUO"))
    db.session.refresh(unit)
    assert unit is not None and not unit.active
    assert 'value="U-KUO"' not in client.get("/report/new").get_data(as_text=True), "no longer offered"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldFiling)) == 1, "a held filing is kept"


def test_open_reports_of_a_node_move_to_another(app, org):
    reporter = app.test_client()
    file_via_form(reporter)
    file_via_form(reporter)
    release_all()  # a held report is not moved: it is routed when it is released
    client = admin_client(app, org)
    target = org["other_unit"].parent
    response = post(client, f"/admin/org/{org['area'].code}/move-reports", page=f"/admin/org/{org['area'].code}",
                    to_node=target.code)
    assert response.status_code == 302
    reports = db.session.scalars(sa.select(Report)).all()
    assert {report.handling_node_id for report in reports} == {target.id}
    assert all(any("Käsittelyvastuu siirretty" in (e.note or "") and not e.is_public for e in r.events) for r in reports)
    notified = db.session.scalars(sa.select(Notification.report_id).where(
        Notification.user_id == org["other_handler"].id)).all()
    assert sorted(notified) == sorted(r.id for r in reports)
    mailed = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "handed_over")).all()
    assert sorted((m.recipient, m.report_id) for m in mailed) == sorted(("h2@t.example", r.id) for r in reports)
    assert mailed[0].subject.startswith("Sosiaalinen raportti siirretty käsiteltäväksesi: SR-")
    other = app.test_client()
    login(other, org["other_handler"].email)
    assert other.get(f"/cases/{reports[0].number}").status_code == 200


CSV_HEADER = "code;name;kind;parent;municipality;active;handling_node;supervisors;handlers"


def upload(client, text: str, name: str = "org.csv"):  # type: ignore[no-untyped-def]
    return client.post("/admin/org/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/admin/org"), "file": (io.BytesIO(text.encode("utf-8")), name)})


def confirm(client, preview_html: str):  # type: ignore[no-untyped-def]
    content = re.search(r'<textarea name="content" hidden readonly>(.*?)</textarea>', preview_html, re.S).group(1)
    import html

    return client.post("/admin/org/import/confirm", data={
        "csrf_token": csrf_token(client, "/admin/org"), "content": html.unescape(content)})


def tree_snapshot() -> list[tuple]:  # type: ignore[type-arg]
    db.session.expire_all()
    return sorted((n.code, n.name, n.active, n.parent_id, n.municipality_id, n.handling_node_id)
                  for n in db.session.scalars(sa.select(OrgNode)))


def roles_snapshot() -> list[tuple]:  # type: ignore[type-arg]
    return sorted((a.user_id, a.role.value, a.org_node_id) for a in db.session.scalars(sa.select(RoleAssignment)))


def test_export_then_import_changes_nothing(app, org):
    client = admin_client(app, org)
    exported = client.get("/admin/org/export.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    text = exported.data.decode("utf-8-sig")
    assert text.splitlines()[0] == CSV_HEADER
    assert f"U-KUO;Aikuissosiaalityö, Kuopio;unit;{org['area'].code};297;yes;;s@t.example;" in text
    assert entries(AuditAction.EXPORTED)[-1].actor_id == org["admin"].id

    before = (tree_snapshot(), roles_snapshot())
    preview = upload(client, text)
    assert preview.status_code == 200 and "vastaa jo tallennettua organisaatiota" in preview.get_data(as_text=True)
    assert (tree_snapshot(), roles_snapshot()) == before


def test_a_file_with_problems_lists_them_all_and_changes_nothing(app, org):
    client = admin_client(app, org)
    before = (tree_snapshot(), roles_snapshot())
    text = "\n".join([
        CSV_HEADER,
        "D-UUSI;Uusi toimiala;division;;;yes;;;",
        "A-UUSI;Uusi alue;service_area;D-UUSI;;yes;;;",
        "U-UUSI;Uusi yksikkö;unit;A-UUSI;Mordor;yes;;;",
        "U-TOINEN;Toinen;unit;A-UUSI;Kuopio;ehkä;;;nobody@t.example",
    ])
    response = upload(client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Mitään ei muutettu" in page
    assert re.search(r"<td>4</td><td>Tuntematon kunta ”Mordor”", page)
    assert re.search(r"<td>5</td><td>Sarakkeessa active", page) and "nobody@t.example" in page
    assert "Vahvista muutokset" not in page
    assert (tree_snapshot(), roles_snapshot()) == before


def test_import_previews_then_applies_and_a_second_import_changes_nothing(app, org):
    file_via_form(app.test_client())  # U-KUO has a report: it may only be deactivated
    client = admin_client(app, org)
    division, area = org["area"].parent, org["area"]
    other_area_code = org["other_unit"].parent.code
    text = "\n".join([
        CSV_HEADER,
        f"{division.code};{division.name};division;;;yes;;;",
        f"{area.code};Aikuisten sosiaalipalvelut;service_area;{division.code};;yes;;;h@t.example h2@t.example",
        f"U-SII;Aikuissosiaalityö, Siilinjärvi;unit;{area.code};Siilinjärvi;yes;;s2@t.example;",
    ])
    before = tree_snapshot()
    preview = upload(client, text)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Vahvista muutokset" in page
    assert "Uusia yksiköitä: 1" in page and "Käytöstä poistettavia (niihin liittyy raportteja): 1" in page
    assert tree_snapshot() == before, "the preview changes nothing"

    applied = confirm(client, page)
    assert applied.status_code == 302
    nodes = {n.code: n for n in db.session.scalars(sa.select(OrgNode))}
    assert nodes[area.code].name == "Aikuisten sosiaalipalvelut"
    assert nodes["U-SII"].municipality.name == "Siilinjärvi" and nodes["U-SII"].parent_id == area.id
    assert not nodes["U-KUO"].active, "a unit with reports is deactivated, never deleted"
    assert "U-VAR" not in nodes and other_area_code not in nodes, "empty nodes missing from the file go"
    handlers = {a.user.email for a in db.session.scalars(sa.select(RoleAssignment).where(
        RoleAssignment.org_node_id == area.id, RoleAssignment.role == Role.HANDLER))}
    assert handlers == {"h@t.example", "h2@t.example"}
    supervisors = {a.user.email for a in db.session.scalars(sa.select(RoleAssignment).where(
        RoleAssignment.org_node_id == nodes["U-SII"].id))}
    assert supervisors == {"s2@t.example"}
    imported = entries(AuditAction.ORG_IMPORTED)[-1]
    assert imported.details == {"created": 1, "updated": 1, "deactivated": 1, "deleted": 2}

    after = (tree_snapshot(), roles_snapshot())
    again = upload(client, text)
    assert "vastaa jo tallennettua organisaatiota" in again.get_data(as_text=True)
    assert confirm_nothing(client, text).status_code == 302
    assert (tree_snapshot(), roles_snapshot()) == after, "importing the same file twice changes nothing"


def confirm_nothing(client, text: str):  # type: ignore[no-untyped-def]
    return client.post("/admin/org/import/confirm", data={"csrf_token": csrf_token(client, "/admin/org"),
                                                          "content": text})


def test_import_confirmation_checks_the_file_again(app, org):
    client = admin_client(app, org)
    response = client.post("/admin/org/import/confirm", data={
        "csrf_token": csrf_token(client, "/admin/org"), "content": CSV_HEADER + "\nX;;unit;;;yes;;;"})
    assert response.status_code == 409 and "Nimi puuttuu" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "X")) is None


# ---- people ---------------------------------------------------------------------------------

def test_create_a_user_give_roles_and_deactivate(app, org):
    client = admin_client(app, org)
    created = post(client, "/admin/users/new", name="Uusi Käsittelijä", email="uusi@t.example",
                   password="pitkä ja hyvä salasana")
    assert created.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "uusi@t.example"))
    assert user.password_hash and "pitkä" not in user.password_hash
    page = f"/admin/users/{user.id}"
    duplicate = post(client, "/admin/users/new", name="Toinen", email="UUSI@t.example")
    assert duplicate.status_code == 409 and "on jo toisella käyttäjällä" in duplicate.get_data(as_text=True)

    no_scope = post(client, f"{page}/roles", page=page, role="handler", org_node="", municipality="")
    assert no_scope.status_code == 409 and "Valitse organisaation yksikkö" in no_scope.get_data(as_text=True)
    wrong = post(client, f"{page}/roles", page=page, role="social_director", org_node="U-KUO", municipality="")
    assert wrong.status_code == 409
    assert post(client, f"{page}/roles", page=page, role="handler", org_node=org["area"].code,
                municipality="").status_code == 302
    assert post(client, f"{page}/roles", page=page, role="welfare_coordinator", org_node="",
                municipality="297").status_code == 302
    db.session.expire_all()
    assert {(a.role, a.org_node_id, a.municipality.code if a.municipality else None) for a in user.roles} == {
        (Role.HANDLER, org["area"].id, None), (Role.WELFARE_COORDINATOR, None, "297")}
    assert "Hyvinvointikoordinaattori (Kuopio)" in client.get("/admin/users?role=welfare_coordinator").get_data(as_text=True)

    newcomer = app.test_client()
    login(newcomer, "uusi@t.example", "pitkä ja hyvä salasana")
    assert newcomer.get("/cases/").status_code == 200

    assignment = next(a for a in user.roles if a.role == Role.WELFARE_COORDINATOR)
    assert post(client, f"{page}/roles/{assignment.id}/remove", page=page).status_code == 302
    assert post(client, f"{page}/active", page=page, active="0").status_code == 302
    db.session.expire_all()
    assert not user.active and db.session.get(User, user.id) is not None, "deactivated, never deleted"
    assert newcomer.get("/cases/").status_code == 302, "a deactivated user is logged out"
    details = [e.details for e in entries(AuditAction.USER_CHANGED)]
    assert {"password": ["", "***"]} not in details and all("pitkä" not in str(d) for d in details)
    assert {"active": [True, False]} in details
    assert "uusi@t.example" not in client.get("/admin/users").get_data(as_text=True)
    assert "uusi@t.example" in client.get("/admin/users?inactive=y").get_data(as_text=True)


def test_the_administrator_cannot_lock_everyone_out(app, org):
    client = admin_client(app, org)
    admin = org["admin"]
    page = f"/admin/users/{admin.id}"
    refused = post(client, f"{page}/active", page=page, active="0")
    assert refused.status_code == 409 and "omaa tunnustasi" in refused.get_data(as_text=True)
    assignment = admin.roles[0]
    refused = post(client, f"{page}/roles/{assignment.id}/remove", page=page)
    assert refused.status_code == 409 and "ainoa käytössä oleva pääkäyttäjä" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert admin.active and admin.has_role(Role.ADMIN)


def test_a_departed_handlers_work_moves_to_a_successor_in_one_step(app, org, create_user):
    reporter = app.test_client()
    file_via_form(reporter)
    file_via_form(reporter)
    release_all()
    report = db.session.scalars(sa.select(Report)).first()
    successor = create_user("seuraaja@t.example", name="Seppo Seuraaja", roles=[(Role.EMPLOYEE, None)])
    successor_client = app.test_client()
    login(successor_client, successor.email)
    assert successor_client.get(f"/cases/{report.number}").status_code == 404

    client = admin_client(app, org)
    departed = org["handler"]
    page = f"/admin/users/{departed.id}"
    response = post(client, f"{page}/hand-over", page=page, successor=str(successor.id), deactivate="y")
    assert response.status_code == 302
    db.session.expire_all()
    assert not departed.active and not departed.has_role(Role.HANDLER)
    assert any(a.role == Role.HANDLER and a.org_node_id == org["area"].id for a in successor.roles)
    assert successor_client.get(f"/cases/{report.number}").status_code == 200
    notified = db.session.scalars(sa.select(Notification).where(Notification.user_id == successor.id)).all()
    assert len(notified) == 2
    mailed = db.session.scalars(sa.select(OutboxMessage.recipient).where(OutboxMessage.kind == "handed_over")).all()
    assert mailed == ["seuraaja@t.example"] * 2
    entry = entries(AuditAction.HANDED_OVER)[-1]
    assert entry.details["to_user"] == "seuraaja@t.example" and entry.details["open_reports"] == 2

    group = org["working_group"]
    nothing = post(client, f"/admin/users/{group.id}/hand-over", page=f"/admin/users/{group.id}",
                   successor=str(successor.id), deactivate="y")
    assert nothing.status_code == 409 and "ei ole käsittelijän tai esihenkilön tehtäviä" in nothing.get_data(as_text=True)
    db.session.expire_all()
    assert group.active, "a refused hand-over changes nothing"


# ---- forums and themes ----------------------------------------------------------------------

def test_forums_are_added_edited_and_taken_out_of_use(app, org):
    client = admin_client(app, org)
    assert post(client, "/admin/forums/new", code="kuopio-hyte", name="Kuopion HYTE-työryhmä", level="county",
                municipality="297", active="y").status_code == 302
    forum = db.session.scalar(sa.select(Forum).where(Forum.code == "kuopio-hyte"))
    assert forum.municipality.name == "Kuopio" and forum.active
    assert post(client, "/admin/forums/kuopio-hyte", code="kuopio-hyte", name="Kuopion HYTE-työryhmä",
                level="national", municipality="").status_code == 302
    db.session.expire_all()
    assert forum.level.value == "national" and forum.municipality is None and not forum.active
    report_client = app.test_client()
    file_via_form(report_client)
    number = db.session.scalar(sa.select(Report.number))
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert "kuopio-hyte" not in handler.get(f"/cases/{number}").get_data(as_text=True)
    assert entries(AuditAction.FORUM_CHANGED)[-1].details["active"] == [True, False]


def test_themes_are_edited(app, org):
    client = admin_client(app, org)
    response = post(client, "/admin/themes/housing", code="housing", label_fi="Asuminen ja asunnottomuus",
                    label_en="Housing", position="9", active="y")
    assert response.status_code == 302
    choices = app.test_client().get("/api/v1/choices").get_json()
    housing = next(t for t in choices["themes"] if t["code"] == "housing")
    assert housing == {"code": "housing", "label": "Asuminen ja asunnottomuus"}
    assert "national_phenomena" not in client.get("/admin/themes/housing").get_data(as_text=True)
    assert post(client, "/admin/themes/housing", code="housing", label_fi="Asuminen ja asunnottomuus",
                label_en="Housing", position="9").status_code == 302
    assert "housing" not in [t["code"] for t in app.test_client().get("/api/v1/choices").get_json()["themes"]]
    assert post(client, "/admin/themes/new", code="digital_services", label_fi="Digitaaliset palvelut",
                label_en="Digital services", position="", active="y").status_code == 302
    assert db.session.scalar(sa.select(Theme).where(Theme.code == "digital_services")).active
    clash = post(client, "/admin/themes/new", code="income", label_fi="Toinen", active="y")
    assert clash.status_code == 409
    entry = entries(AuditAction.THEME_CHANGED)[0]
    assert entry.details["label_fi"] == ["Asuminen", "Asuminen ja asunnottomuus"]


def test_a_large_import_runs_as_a_job_outside_the_request(app, org, monkeypatch):
    from app import jobs
    from app.models import OrgImportJob

    monkeypatch.setitem(app.config, "ORG_IMPORT_INLINE_CHANGES", 2)
    client = admin_client(app, org)
    exported = client.get("/admin/org/export.csv").get_data(as_text=True)
    rows = "".join(f"U-NEW{n};Uusi yksikkö {n};unit;{org['area'].code};297;yes;;;\r\n" for n in range(5))
    preview = upload(client, exported + rows)
    assert preview.status_code == 200
    before = tree_snapshot()
    queued = confirm(client, preview.get_data(as_text=True))
    assert queued.status_code == 302 and "/admin/org/import/" in queued.headers["Location"]
    assert tree_snapshot() == before, "the request changed nothing: the job does"
    page = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert 'id="import-state"' in page and "jonossa" in page

    assert jobs.run("org_imports") == 1
    db.session.expire_all()
    assert {"U-NEW0", "U-NEW4"} <= {node[0] for node in tree_snapshot()}
    job = db.session.scalar(sa.select(OrgImportJob))
    assert job.state == "done" and job.content is None and job.result["created"] == 5
    done = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert "5 uutta" in done
    assert jobs.run("org_imports") == 0, "a job is applied once"

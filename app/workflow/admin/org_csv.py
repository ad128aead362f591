"""The organisation tree as CSV: export, and an import that checks the whole file before changing anything.

One row per node (division, service area or work unit). The file describes the whole tree:

    code;name;kind;parent;municipality;active;handling_node;supervisors;handlers

Reading, checking and planning are pure functions over plain values (`NodeState`), so they
are tested without a database; `load_states()` and `apply_plan()` are the only parts that
touch it. Applying the same file twice changes nothing the second time. A node missing from
the file is deleted if nothing refers to it, otherwise taken out of use (never deleted while
reports refer to it). The supervisors and handlers columns are optional: when present they
say exactly who holds those roles at each node; when absent, roles are left as they are.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.codes import AuditAction, NodeKind, Role
from app.extensions import db
from app.models import HeldFiling, Municipality, OrgImportJob, OrgNode, Report, RoleAssignment, User, utcnow
from app.workflow.admin.organisation import parent_problem, retire_nodes
from app.workflow.core import spreadsheets
from app.workflow.core.audit import record

COLUMNS = ("code", "name", "kind", "parent", "municipality", "active", "handling_node", "supervisors", "handlers")
REQUIRED_COLUMNS = ("code", "name", "kind", "parent", "municipality")
ROLE_COLUMNS = {"supervisors": Role.SUPERVISOR, "handlers": Role.HANDLER}
MAX_BYTES = 2_000_000

KINDS = {
    **{kind.value: kind for kind in NodeKind},
    "toimiala": NodeKind.DIVISION, "palvelualue": NodeKind.SERVICE_AREA,
    "työyksikkö": NodeKind.UNIT, "tyoyksikko": NodeKind.UNIT, "yksikkö": NodeKind.UNIT,
}
TRUE = {"", "yes", "y", "true", "1", "kyllä", "k", "x"}
FALSE = {"no", "n", "false", "0", "ei", "e"}
_EMAIL_SEPARATORS = re.compile(r"[\s,;]+")
CODE_PATTERN = re.compile(r"[^/\x00-\x1f]+")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no CSV a spreadsheet saves holds (tab, line feed and carriage return are fine)."""
"""A code becomes part of a page address, so it may not hold a slash or control characters."""


@dataclass(frozen=True)
class NodeState:
    """A node as the file and the comparison see it: codes, not database rows."""

    code: str
    name: str
    kind: NodeKind
    parent: str | None = None
    municipality: str | None = None
    """Statistics Finland's municipality number."""
    active: bool = True
    handling_node: str | None = None
    supervisors: frozenset[str] = frozenset()
    handlers: frozenset[str] = frozenset()
    has_reports: bool = False
    """Only for nodes already stored: reports were filed in it or are handled at it."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class ParsedFile:
    rows: list[tuple[int, NodeState]] = field(default_factory=list)
    columns: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What the file is checked against: the stored nodes, municipalities and people."""

    nodes: Mapping[str, NodeState]
    municipalities: Mapping[str, str]
    """Municipality number and lower-case name, each mapped to the number."""
    emails: frozenset[str]
    """Lower-case e-mail addresses of every account, active or not."""


@dataclass(frozen=True)
class Change:
    line: int | None
    code: str
    kind: str
    """'create', 'update', 'delete' or 'deactivate'."""
    fields: Mapping[str, tuple[object, object]] = field(default_factory=dict)
    state: NodeState | None = None


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    manage_roles: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


# ---- reading --------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252 as older Excel saves CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    return max(";,\t", key=header_line.count)


def emails_in(cell: str) -> frozenset[str]:
    return frozenset(part.lower() for part in _EMAIL_SEPARATORS.split(cell.strip()) if part)


def read(text: str, context: Context) -> ParsedFile:
    """Parse the file and check every row against the context; all problems, with line numbers."""
    parsed = ParsedFile()
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        parsed.problems.append(Problem(1, _("Tiedosto on tyhjä.")))
        return parsed
    if _BINARY.search(text):
        parsed.problems.append(Problem(1, _("Tiedosto ei ole CSV-tekstiä: siinä on ohjausmerkkejä. "
                                            "Tallenna tiedosto taulukko-ohjelmasta CSV-muodossa.")))
        return parsed
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    try:
        _read_rows(reader, parsed, context)
    except csv.Error:  # a field past csv's limit, or quoting no spreadsheet writes
        parsed.problems.append(Problem(reader.line_num or 1, _(
            "Riviä %(line)d ei voi lukea CSV-muodossa (esimerkiksi liian pitkä kenttä tai rikkinäiset lainausmerkit).",
            line=reader.line_num or 1)))
    return parsed


def _read_rows(reader: Any, parsed: ParsedFile, context: Context) -> None:
    header = [name.strip().lower() for name in next(iter(reader))]
    unknown = [name for name in header if name and name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown:
        parsed.problems.append(Problem(1, _("Tuntemattomat sarakkeet: %(names)s. Sallitut: %(allowed)s.",
                                            names=", ".join(unknown), allowed=", ".join(COLUMNS))))
    if missing:
        parsed.problems.append(Problem(1, _("Sarakkeet puuttuvat: %(names)s.", names=", ".join(missing))))
    if duplicated:
        parsed.problems.append(Problem(1, _("Sarake on kahdesti: %(names)s.", names=", ".join(duplicated))))
    if parsed.problems:
        return
    parsed.columns = frozenset(header)
    seen: dict[str, int] = {}
    declared: dict[str, NodeKind | None] = {}
    placed: list[tuple[int, str, NodeKind | None, str | None, str | None]] = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            parsed.problems.append(Problem(line, _("Rivillä on %(found)d kenttää, otsikkorivillä %(expected)d.",
                                                   found=len(values), expected=len(header))))
            continue
        cells = {name: spreadsheets.from_csv_cell(value.strip()) for name, value in zip(header, values)}
        code = cells["code"]
        if code in seen:
            parsed.problems.append(Problem(line, _("Koodi %(code)s on jo rivillä %(line)d.", code=code,
                                                   line=seen[code])))
            continue
        if code:
            seen[code] = line
            declared[code] = KINDS.get(cells["kind"].lower())
            placed.append((line, code, declared[code], cells["parent"] or None, cells.get("handling_node") or None))
        state, problems = _row(cells, context)
        parsed.problems.extend(Problem(line, message) for message in problems)
        if state is not None:
            parsed.rows.append((line, state))
    if not seen and not parsed.problems:
        parsed.problems.append(Problem(1, _("Tiedostossa ei ole yhtään yksikköä.")))
    _check_tree(parsed, placed, declared)


def _row(cells: Mapping[str, str], context: Context) -> tuple[NodeState | None, list[str]]:
    problems: list[str] = []
    code, name = cells["code"], cells["name"]
    if not code:
        problems.append(_("Koodi puuttuu."))
    elif len(code) > 64 or not CODE_PATTERN.fullmatch(code):
        problems.append(_("Koodi %(code)s ei kelpaa: enintään 64 merkkiä, ei kauttaviivaa.", code=code))
    if not name:
        problems.append(_("Nimi puuttuu."))
    elif len(name) > 200:
        problems.append(_("Nimi on liian pitkä: enintään 200 merkkiä."))
    kind = KINDS.get(cells["kind"].lower())
    if kind is None:
        problems.append(_("Tuntematon taso ”%(kind)s”: käytä division, service_area tai unit.", kind=cells["kind"]))
    municipality = None
    if cells["municipality"]:
        municipality = context.municipalities.get(cells["municipality"].lower())
        if municipality is None:
            problems.append(_("Tuntematon kunta ”%(name)s”.", name=cells["municipality"]))
    elif kind == NodeKind.UNIT:
        problems.append(_("Työyksikön kunta puuttuu."))
    active_text = cells.get("active", "").lower()
    if active_text not in TRUE | FALSE:
        problems.append(_("Sarakkeessa active pitää olla yes tai no, nyt ”%(value)s”.", value=cells["active"]))
    people: dict[str, frozenset[str]] = {}
    for column in ROLE_COLUMNS:
        people[column] = emails_in(cells.get(column, ""))
        unknown = sorted(people[column] - context.emails)
        if unknown:
            message = (_("Sarakkeessa supervisors (esihenkilöt) on osoitteita, joilla ei ole SoRa-tunnusta: "
                         "%(emails)s. Lisää henkilöt ensin käyttäjiksi.", emails=", ".join(unknown))
                       if column == "supervisors" else
                       _("Sarakkeessa handlers (käsittelijät) on osoitteita, joilla ei ole SoRa-tunnusta: "
                         "%(emails)s. Lisää henkilöt ensin käyttäjiksi.", emails=", ".join(unknown)))
            problems.append(message)
    stored = context.nodes.get(code)
    if stored is not None and kind is not None and stored.kind != kind:
        problems.append(_("Yksikön %(code)s tasoa ei voi muuttaa (%(old)s → %(new)s). Tee uusi yksikkö uudella "
                          "koodilla.", code=code, old=stored.kind.label, new=kind.label))
    if problems or kind is None:
        return None, problems
    return NodeState(
        code=code, name=name, kind=kind, parent=cells["parent"] or None, municipality=municipality,
        active=active_text not in FALSE, handling_node=cells.get("handling_node") or None,
        supervisors=people["supervisors"], handlers=people["handlers"],
    ), []


def _check_tree(parsed: ParsedFile, placed: list[tuple[int, str, NodeKind | None, str | None, str | None]],
                kinds: Mapping[str, NodeKind | None]) -> None:
    """Parents and handling nodes must be rows of the same file, at the right level.

    Every row with a code takes part, those with other problems too (kind None if unreadable),
    so one bad row neither hides its own tree problems nor makes its children look orphaned.
    """
    for line, code, kind, parent, handling_node in placed:
        if parent is not None and parent not in kinds:
            parsed.problems.append(Problem(line, _("Ylempää tasoa %(code)s ei ole tiedostossa.", code=parent)))
        elif kind is not None and (parent is None or kinds[parent] is not None):
            problem = parent_problem(kind, kinds[parent] if parent else None)
            if problem:
                parsed.problems.append(Problem(line, problem))
        if handling_node is not None:
            if handling_node == code:
                parsed.problems.append(Problem(line, _("Yksikkö ei voi käsitellä omia raporttejaan.")))
            elif handling_node not in kinds:
                parsed.problems.append(Problem(line, _("Käsittelevää yksikköä %(code)s ei ole tiedostossa.",
                                                       code=handling_node)))
    parsed.problems.sort(key=lambda problem: problem.line)


# ---- planning -------------------------------------------------------------------------------

COMPARED = ("name", "parent", "municipality", "active", "handling_node")


def plan(parsed: ParsedFile, context: Context) -> Plan:
    """What applying the file would change; nothing when it has problems or matches the stored tree."""
    result = Plan(problems=list(parsed.problems), manage_roles=bool(parsed.columns & set(ROLE_COLUMNS)))
    if result.problems:
        return result
    in_file = set()
    for line, state in parsed.rows:
        in_file.add(state.code)
        stored = context.nodes.get(state.code)
        compared = COMPARED + tuple(c for c in ROLE_COLUMNS if c in parsed.columns)
        if stored is None:
            result.changes.append(Change(line, state.code, "create", state=state))
            continue
        fields = {name: (getattr(stored, name), getattr(state, name)) for name in compared
                  if getattr(stored, name) != getattr(state, name)}
        if fields:
            result.changes.append(Change(line, state.code, "update", fields=fields, state=state))
    missing = {code: state for code, state in context.nodes.items() if code not in in_file}
    for code in _deepest_first(missing):
        if not _kept(code, missing):
            result.changes.append(Change(None, code, "delete", state=missing[code]))
        elif missing[code].active:
            result.changes.append(Change(None, code, "deactivate", state=missing[code]))
    return result


def _kept(code: str, missing: Mapping[str, NodeState]) -> bool:
    """A node missing from the file stays, out of use, when it or a node below it has reports.

    Nodes of the file never sit below a missing one: their parents must be in the file.
    """
    return missing[code].has_reports or any(node.parent == code and _kept(node.code, missing)
                                            for node in missing.values())


def _deepest_first(nodes: Mapping[str, NodeState]) -> list[str]:
    depth = {NodeKind.UNIT: 0, NodeKind.SERVICE_AREA: 1, NodeKind.DIVISION: 2}
    return sorted(nodes, key=lambda code: (depth[nodes[code].kind], code))


# ---- writing --------------------------------------------------------------------------------

def to_csv(states: Iterable[NodeState]) -> str:
    """The tree in the import format: semicolons and a byte-order mark, as Finnish Excel expects."""
    out = io.StringIO()
    writer = spreadsheets.CsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for state in states:
        writer.writerow((state.code, state.name, state.kind.value, state.parent or "", state.municipality or "",
                         "yes" if state.active else "no", state.handling_node or "",
                         " ".join(sorted(state.supervisors)), " ".join(sorted(state.handlers))))
    return "\ufeff" + out.getvalue()


# ---- the database side ----------------------------------------------------------------------

def load_context() -> Context:
    municipalities: dict[str, str] = {}
    for municipality in db.session.scalars(sa.select(Municipality)):
        municipalities[municipality.code] = municipality.code
        municipalities[municipality.name.lower()] = municipality.code
    emails = frozenset(email.lower() for email in db.session.scalars(sa.select(User.email)))
    return Context(nodes={state.code: state for state in load_states()}, municipalities=municipalities, emails=emails)


def load_states() -> list[NodeState]:
    """The stored tree in tree order (division, its areas, their units), each with its role holders."""
    nodes = db.session.scalars(sa.select(OrgNode).options(
        selectinload(OrgNode.parent), selectinload(OrgNode.municipality), selectinload(OrgNode.handling_node))).all()
    with_reports = set(db.session.scalars(sa.select(Report.unit_id).distinct())) | set(
        db.session.scalars(sa.select(Report.handling_node_id).where(Report.handling_node_id.is_not(None)).distinct())) | set(
        db.session.scalars(sa.select(HeldFiling.unit_id).distinct()))  # as retire_nodes counts them
    people: dict[tuple[int, Role], set[str]] = {}
    rows = db.session.execute(sa.select(RoleAssignment.org_node_id, RoleAssignment.role, User.email)
                              .join(User).where(RoleAssignment.org_node_id.is_not(None),
                                                RoleAssignment.role.in_(ROLE_COLUMNS.values())))
    for node_id, role, email in rows:
        people.setdefault((node_id, role), set()).add(email.lower())
    by_id = {node.id: node for node in nodes}

    def path(node: OrgNode) -> tuple[str, ...]:
        chain = [node]
        while chain[-1].parent_id is not None and chain[-1].parent_id in by_id:
            chain.append(by_id[chain[-1].parent_id])
        return tuple(n.code for n in reversed(chain))

    return [
        NodeState(
            code=node.code, name=node.name, kind=node.kind, parent=node.parent.code if node.parent else None,
            municipality=node.municipality.code if node.municipality else None, active=node.active,
            handling_node=node.handling_node.code if node.handling_node else None,
            supervisors=frozenset(people.get((node.id, Role.SUPERVISOR), ())),
            handlers=frozenset(people.get((node.id, Role.HANDLER), ())),
            has_reports=node.id in with_reports,
        )
        for node in sorted(nodes, key=path)
    ]


def export_csv(actor: User) -> str:
    text = to_csv(load_states())
    record(AuditAction.EXPORTED, actor=actor, details={"what": "org_tree", "rows": text.count("\r\n") - 1})
    return text


def check_file(data: bytes) -> Plan:
    """Read, check and plan an uploaded file against the stored tree; changes nothing."""
    if len(data) > MAX_BYTES:
        return Plan(problems=[Problem(1, _("Tiedosto on liian suuri (enintään 2 Mt)."))])
    context = load_context()
    return plan(read(decode(data), context), context)


def apply_plan(result: Plan, actor: User) -> Plan:
    """Carry out a checked plan; flush. Every node change is logged, and the import as a whole."""
    if not result.ok:
        raise ValueError("a plan with problems is never applied")
    nodes = {node.code: node for node in db.session.scalars(sa.select(OrgNode))}
    municipalities = {m.code: m for m in db.session.scalars(sa.select(Municipality))}
    users = {user.email.lower(): user for user in db.session.scalars(sa.select(User).options(selectinload(User.roles)))}
    placed = [change for change in result.changes if change.kind in ("create", "update")]
    with db.session.no_autoflush:  # the tree is consistent only once every row is in place
        for change in placed:
            state = change.state
            assert state is not None
            node = nodes.get(change.code)
            if node is None:
                node = nodes[change.code] = OrgNode(code=change.code, kind=state.kind)
                db.session.add(node)
            node.name = state.name
            node.municipality = municipalities[state.municipality] if state.municipality else None
            node.active = state.active
        for change in placed:
            state = change.state
            assert state is not None
            nodes[change.code].parent = nodes[state.parent] if state.parent else None
            nodes[change.code].handling_node = nodes[state.handling_node] if state.handling_node else None
    db.session.flush()
    for change in placed:
        state = change.state
        assert state is not None
        if result.manage_roles:
            for column, role in ROLE_COLUMNS.items():
                _set_holders(nodes[change.code], role, {users[email] for email in getattr(state, column)})
        details = ({"created": True} if change.kind == "create" else
                   {name: [_listed(before), _listed(after)] for name, (before, after) in change.fields.items()})
        record(AuditAction.ORG_CHANGED, actor=actor, target=f"org_node {change.code}", details=details)
    db.session.flush()
    retire_nodes([nodes[change.code] for change in result.changes if change.kind in ("delete", "deactivate")], actor)
    record(AuditAction.ORG_IMPORTED, actor=actor, details={
        kind: result.count(key) for kind, key in
        (("created", "create"), ("updated", "update"), ("deactivated", "deactivate"), ("deleted", "delete"))})
    db.session.flush()
    return result


def _listed(value: object) -> object:
    return sorted(value) if isinstance(value, frozenset) else value


def _set_holders(node: OrgNode, role: Role, wanted: set[User]) -> None:
    current = list(db.session.scalars(
        sa.select(RoleAssignment).where(RoleAssignment.org_node_id == node.id, RoleAssignment.role == role)))
    for assignment in current:
        if assignment.user not in wanted:
            assignment.user.roles.remove(assignment)
    have = {assignment.user for assignment in current}
    for user in wanted - have:
        user.roles.append(RoleAssignment(role=role, org_node=node))


# ---- large files: applied by the scheduler, outside any request -------------------------------
# Deleting thousands of nodes takes a minute, which inside a request would hold a web worker and
# SQLite's write lock that long. A file with more changes than ORG_IMPORT_INLINE_CHANGES is queued
# instead; the job (app.jobs, "org_imports") checks it again and applies it in its own transaction.

def runs_as_job(result: Plan) -> bool:
    return len(result.changes) > current_app.config["ORG_IMPORT_INLINE_CHANGES"]


def queue_import(text: str, actor: User) -> OrgImportJob:
    """Queue a checked file for the scheduler; flush."""
    job = OrgImportJob(content=text, requested_by_id=actor.id, state="queued")
    db.session.add(job)
    db.session.flush()
    return job


def counts(result: Plan) -> dict[str, int]:
    return {kind: result.count(key) for kind, key in
            (("created", "create"), ("updated", "update"), ("deactivated", "deactivate"), ("deleted", "delete"))}


def apply_queued(job: OrgImportJob) -> None:
    """Check the queued file again against the tree as it is now and apply it; flush. Problems found
    now (someone changed the tree meanwhile) leave everything as it was and are the job's result."""
    actor = db.session.get(User, job.requested_by_id)
    assert actor is not None and job.content is not None
    result = check_file(job.content.encode("utf-8"))
    if result.ok:
        apply_plan(result, actor)
        job.state, job.result = "done", counts(result)
    else:
        job.state = "failed"
        job.result = {"problems": [[problem.line, problem.message] for problem in result.problems]}
    job.content = None  # the file is not kept once it is applied
    job.finished_at = utcnow()
    db.session.flush()

"""The handler's inbox: the reports a user may see, filtered, searched, sorted by any column, with counts per status."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.visitors import InternalTraversal

from app.codes import EscalationLevel, Nature, Phenomenon, ReportStatus
from app.extensions import db
from app.models import (
    Municipality,
    OrgNode,
    Report,
    Theme,
    User,
    report_municipality,
    report_theme,
    utcnow,
)
from app.workflow.cases.deadlines import (
    HELSINKI,
    DeadlineSettings,
    due_soon_condition,
    next_due_column,
    overdue_condition,
    stalled_condition,
)
from app.workflow.core.permissions import visible_reports_filter
from app.workflow.search.query import search_condition


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    phenomenon: str = ""
    nature: str = ""
    theme: str = ""
    municipality: str = ""
    unit: str = ""
    level: str = ""
    unread: bool = False
    overdue: bool = False
    due_soon: bool = False
    stalled: bool = False
    q: str = ""
    """The search box: a report number in any spacing or case, or words of the text (search/query.py)."""
    received_from: date | None = None
    received_to: date | None = None
    """Days on the Helsinki clock, both included."""
    sort: str = ""
    now: datetime | None = None
    settings: DeadlineSettings = field(default_factory=DeadlineSettings)
    number_prefix: str = "SR"


COLUMNS = ("number", "received", "unit", "phenomenon", "status", "level", "deadline")
"""The inbox's columns, each sortable both ways: `sort=unit` ascending, `sort=-unit` descending."""
SORTS = ("", "oldest", *COLUMNS, *(f"-{column}" for column in COLUMNS))
DUE_SOON = timedelta(days=7)
FEW = 500
"""Up to this many matching reports a page (times the page's number) is found by looking them all up and
sorting them; beyond it, by walking the reports newest or oldest first until the page is full. Walking reads
about (all reports / matching) rows per report shown, so it suits many matches; looking up suits few."""


def _filtered(user: User, filters: InboxFilters, *, with_status: bool = True, walking: bool = False,
              found: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """The visible reports under the filters. `walking`: the query walks an index in order and stops after
    one page, so each report's theme and municipality are looked up by key; otherwise it reads every
    matching report (counts, the deadline order, few matches) and takes them from the link tables' indexes.
    `found`: the search's condition if the caller made it already (see searched())."""
    query = sa.select(Report).where(visible_reports_filter(user))
    if filters.overdue:
        query = query.where(overdue_condition(filters.now or utcnow()))
    if filters.due_soon:
        query = query.where(due_soon_condition(filters.now or utcnow(), DUE_SOON))
    if filters.stalled:
        query = query.where(stalled_condition(filters.now or utcnow(), filters.settings))
    found = searched(filters, found)
    if found is not None:
        query = query.where(found)
    if filters.received_from:
        query = query.where(Report.created_at >= _day_start(filters.received_from))
    if filters.received_to:
        query = query.where(Report.created_at < _day_start(filters.received_to + timedelta(days=1)))
    if with_status and filters.status:
        query = query.where(Report.status == filters.status)
    if filters.phenomenon:
        query = query.where(Report.phenomenon == filters.phenomenon)
    if filters.nature:
        query = query.where(Report.nature == filters.nature)
    if filters.level:
        query = query.where(Report.escalation_level == filters.level)
    if filters.unread:
        query = query.where(Report.unread_answer.is_(True))
    if filters.unit:
        query = query.where(Report.unit_id == sa.select(OrgNode.id).where(OrgNode.code == filters.unit).scalar_subquery())
    if walking:
        return _linked_by_key(query, filters)
    if filters.theme and filters.municipality:
        return query.where(IdAmong(Report.id, _with_theme_in_municipality(filters.theme, filters.municipality)))
    if filters.theme:
        query = query.where(Report.id.in_(
            sa.select(report_theme.c.report_id).join(Theme).where(Theme.code == filters.theme)))
    if filters.municipality:
        query = query.where(sa.or_(
            Report.whole_county.is_(True),
            Report.id.in_(sa.select(report_municipality.c.report_id).join(Municipality)
                          .where(Municipality.code == filters.municipality)),
        ))
    return query


def searched(filters: InboxFilters, found: sa.ColumnElement[bool] | None = None) -> sa.ColumnElement[bool] | None:
    """The search box's condition (None without one), or the one the caller made for it already."""
    if found is not None or not filters.q:
        return found
    return search_condition(filters.q, filters.number_prefix)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, HELSINKI)


def _position(column: sa.ColumnElement, members: list) -> sa.ColumnElement[int]:  # type: ignore[type-arg]
    """A coded column in the order its list is written (the workflow's order of statuses, and so on)."""
    return sa.case(*[(column == member.value, position) for position, member in enumerate(members)], else_=len(members))


def _sort_keys(column: str) -> list[sa.ColumnElement]:  # type: ignore[type-arg]
    if column == "number":
        return [Report.year, Report.series, Report.sequence]
    if column == "unit":
        return [sa.select(OrgNode.name).where(OrgNode.id == Report.unit_id).scalar_subquery()]
    if column == "phenomenon":
        return [_position(Report.phenomenon, list(Phenomenon)), _position(Report.nature, list(Nature))]
    if column == "status":
        return [_position(Report.status, list(ReportStatus))]
    if column == "level":
        return [_position(Report.escalation_level, list(EscalationLevel))]
    return [Report.created_at]


def _theme_id(code: str) -> sa.ScalarSelect[int]:
    return sa.select(Theme.id).where(Theme.code == code).scalar_subquery()


def _municipality_id(code: str) -> sa.ScalarSelect[int]:
    return sa.select(Municipality.id).where(Municipality.code == code).scalar_subquery()


def _linked_by_key(query: sa.Select, filters: InboxFilters) -> sa.Select:
    """A report concerns a municipality if it is among the report's municipalities or the report concerns
    the whole county. The link row is joined by its key (at most one per report), not collected first,
    so the newest matching reports are found without reading all of a municipality's reports."""
    if filters.theme:
        query = query.where(sa.exists().where(report_theme.c.report_id == Report.id,
                                              report_theme.c.theme_id == _theme_id(filters.theme)))
    if filters.municipality:
        named = report_municipality.alias("named_municipality")
        query = query.outerjoin(named, sa.and_(named.c.report_id == Report.id,
                                               named.c.municipality_id == _municipality_id(filters.municipality)))
        query = query.where(sa.or_(Report.whole_county.is_(True), named.c.report_id.is_not(None)))
    return query


def _with_theme_in_municipality(theme: str, municipality: str) -> sa.CompoundSelect:
    """Ids of the reports with the theme that concern the municipality, from the link tables' indexes: the
    theme's reports merged in id order with the municipality's, and with the whole-county reports. Either
    set alone is a large share of all reports; their intersection is small, and only its reports are read."""
    theme_id = _theme_id(theme)
    whole_county = Report.__table__.alias("whole_county_report")
    return sa.union_all(
        sa.select(report_theme.c.report_id)
        .join(report_municipality, report_municipality.c.report_id == report_theme.c.report_id)
        .where(report_theme.c.theme_id == theme_id,
               report_municipality.c.municipality_id == _municipality_id(municipality)),
        sa.select(report_theme.c.report_id)
        .join(whole_county, whole_county.c.id == report_theme.c.report_id)
        .where(report_theme.c.theme_id == theme_id, whole_county.c.whole_county),
    )


class IdAmong(sa.ColumnElement[bool]):
    """`id IN (ids)`; on PostgreSQL `id = ANY(ARRAY(ids))`, which looks the reports up by key in id order
    whatever the planner expects of the ids' number (for `IN` it may choose to read the whole table)."""

    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: sa.ColumnElement[int], ids: sa.CompoundSelect | sa.Select) -> None:
        self.column = column
        self.ids = ids


@compiles(IdAmong)
def _id_in(element: IdAmong, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(IdAmong, "postgresql")
def _id_any_array(element: IdAmong, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY({compiler.process(element.ids, **kw)}))"


def inbox_query(user: User, filters: InboxFilters, *, walking: bool = True,
                found: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """Newest first by default, or by any column either way. The nearest deadline first puts closed
    reports last. Only the arrival order walks an index; every other order sorts the matching reports."""
    column, descending = filters.sort.lstrip("-"), filters.sort.startswith("-")
    if filters.sort in ("", "-received"):
        return _filtered(user, filters, walking=walking, found=found).order_by(Report.created_at.desc(),
                                                                               Report.id.desc())
    if filters.sort in ("oldest", "received"):
        return _filtered(user, filters, walking=walking, found=found).order_by(Report.created_at, Report.id)
    if column == "deadline":
        due = next_due_column()
        return _filtered(user, filters, found=found).order_by(due.is_(None), due.desc() if descending else due,
                                                              Report.id)
    keys = [key.desc() if descending else key for key in _sort_keys(column)]
    return _filtered(user, filters, found=found).order_by(*keys, Report.id.desc() if descending else Report.id)


SEARCH_CAP = 1_000
"""A text search that finds more reports than this is counted only this far: its matches are read at most
SEARCH_CAP + 1 for the tabs, which then say "over 1,000", and the page is taken among all its matches. Exact
counts of a result that grows with the database would grow with it (a word in a tenth of 100,000 reports is
8,000 matches read a request). A number search finds one report at most; the plain inbox is counted exactly
by the index. Exports are not capped (inbox_export.py takes every match)."""


@dataclass(frozen=True)
class InboxCounts:
    """The counts the inbox's tabs and page show. Exact, except for a text search that found more than the
    cap (`over` is then the cap): its total is over the cap (None), its statuses are not counted (None), and
    the chosen status's count is known up to the cap (None above it)."""

    by_status: dict[ReportStatus, int | None]
    total: int | None
    page_total: int | None
    """The chosen status's count, or the total without a chosen status; None: over the cap."""
    over: int | None = None


def inbox_page(user: User, filters: InboxFilters, page: int, per_page: int) -> tuple[Pagination, InboxCounts]:
    """One page of the inbox and the counts per status, with a single counting query: the page's total
    is the count of the chosen status, or of all of them (counting grows with the reports; paging does not).
    A search is read once (_searched_counts), and its page walks like any other filter's when it finds many;
    a search that finds more than SEARCH_CAP is counted that far only (_capped_page)."""
    found = searched(filters)
    if found is None:
        by_status = status_counts(user, filters)
    else:
        counted = _searched_counts(user, filters, found)
        if counted is None:
            return _capped_page(user, filters, found, page, per_page)
        by_status, found = counted
    total = sum(n for status, n in by_status.items() if status.value == filters.status or not filters.status)
    query = inbox_query(user, filters, walking=total > FEW * page, found=found)
    # The page shows each report's unit: loaded in one query, not one lazy load per unit.
    result = db.paginate(query.options(selectinload(Report.unit)), page=page, per_page=per_page,
                         error_out=False, count=False)
    result.total = total
    return result, InboxCounts(dict(by_status), sum(by_status.values()), total)


def _searched_counts(user: User, filters: InboxFilters, found: sa.ColumnElement[bool]
                     ) -> tuple[dict[ReportStatus, int], sa.ColumnElement[bool]] | None:
    """The counts per status of a search, and the condition its page is taken by: the reports it finds
    under every other filter but the status, read once with their status (one pass through the search
    index), counted here, and named by their ids for the page. On PostgreSQL the ids are a constant array:
    the planner then knows how many match (its estimate for several words together is far off: for
    "päihdepalvelut" 802 against 8,205 at 100,000 reports, so it checked every report's text while walking)
    and checks each report against a hash of them, so a page of many matches walks the newest reports and
    stops, instead of sorting them all. None when the search finds more than SEARCH_CAP: at most
    SEARCH_CAP + 1 matches are read, in no order, so reading stops there."""
    subquery = _filtered(user, filters, with_status=False, found=found).subquery()
    # The status as the stored code, not the enum: a thousand rows cost less read plainly.
    statuses = db.session.execute(sa.select(subquery.c.id, sa.type_coerce(subquery.c.status, sa.String))
                                  .limit(SEARCH_CAP + 1)).all()
    if len(statuses) > SEARCH_CAP:
        return None
    counted = Counter(status for _, status in statuses)
    counts = {status: counted.get(status.value, 0) for status in ReportStatus}
    return counts, IdListed(Report.id, sorted(report_id for report_id, _ in statuses))


def _capped_page(user: User, filters: InboxFilters, found: sa.ColumnElement[bool], page: int,
                 per_page: int) -> tuple[Pagination, InboxCounts]:
    """A search over the cap. With a chosen status that has at most SEARCH_CAP matches (read that far), its
    count is known and its page is taken among their ids, as under the cap. Otherwise the page is exactly
    the page of all the matches (the search's own condition, hashed on PostgreSQL, see Hashed), read one
    report further to know whether another page follows; the number of pages is not known."""
    by_status: dict[ReportStatus, int | None] = dict.fromkeys(ReportStatus)
    if filters.status:
        subquery = _filtered(user, filters, found=found).subquery()
        ids = db.session.scalars(sa.select(subquery.c.id).limit(SEARCH_CAP + 1)).all()
        if len(ids) <= SEARCH_CAP:
            total = by_status[ReportStatus(filters.status)] = len(ids)
            query = inbox_query(user, filters, walking=total > FEW * page, found=IdListed(Report.id, sorted(ids)))
            result = db.paginate(query.options(selectinload(Report.unit)), page=page, per_page=per_page,
                                 error_out=False, count=False)
            result.total = total
            return result, InboxCounts(by_status, None, total, over=SEARCH_CAP)
    query = inbox_query(user, filters, walking=True, found=Hashed(found))
    peeking = _PeekingPagination(select=query.options(selectinload(Report.unit)), session=db.session(),
                                 page=page, per_page=per_page, max_per_page=None, error_out=False, count=False)
    # Enough for the pager: a next page exactly when one more report follows.
    peeking.total = (page - 1) * per_page + len(peeking.items) + peeking.more
    return peeking, InboxCounts(by_status, None, None, over=SEARCH_CAP)


class _PeekingPagination(SelectPagination):
    """A page read one row further: `more` says whether another page follows, without counting."""

    more: bool = False

    def _query_items(self) -> list:  # type: ignore[type-arg]
        select = self._query_args["select"].limit(self.per_page + 1).offset(self._query_offset)
        items = list(self._query_args["session"].execute(select).unique().scalars())
        self.more = len(items) > self.per_page
        return items[:self.per_page]


class Hashed(sa.ColumnElement[bool]):
    """A condition with a subquery (the search's `id IN (SELECT ... FROM report_search ...)`), which
    PostgreSQL checks against a hash of the subquery's rows, read once: `(condition) IS TRUE` keeps the
    planner from turning it into a join. As a join, with its estimate for several words far too low (802
    against 8,205 for "päihdepalvelut"), it walks the newest reports checking each one's text (0.16 ms a
    report, 740 ms a page); hashed, it reads the matching ids from the index and walks the reports against
    them (15-20 ms at 100,000 reports). Elsewhere the condition as it is."""

    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]

    def __init__(self, condition: sa.ColumnElement[bool]) -> None:
        self.condition = condition


@compiles(Hashed)
def _plain(element: Hashed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return compiler.process(element.condition, **kw)


@compiles(Hashed, "postgresql")
def _hashed(element: Hashed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"({compiler.process(element.condition, **kw)}) IS TRUE"


class IdListed(sa.ColumnElement[bool]):
    """`id` is one of the listed ids, written into the statement as numbers. On PostgreSQL as a constant
    array, `id = ANY('{1,2,3}'::integer[])`, which the planner counts and checks through a hash (a bound
    array would be unknown to a prepared statement's generic plan). Not cached: the ids are the statement."""

    inherit_cache = False
    type = sa.Boolean()
    _is_implicitly_boolean = True

    def __init__(self, column: sa.ColumnElement[int], ids: list[int]) -> None:
        self.column = column
        self.ids = [int(report_id) for report_id in ids]


@compiles(IdListed)
def _id_listed(element: IdListed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    if not element.ids:
        return "1 != 1"
    return f"{compiler.process(element.column, **kw)} IN ({', '.join(map(str, element.ids))})"


@compiles(IdListed, "postgresql")
def _id_listed_array(element: IdListed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"{compiler.process(element.column, **kw)} = ANY('{{{','.join(map(str, element.ids))}}}'::integer[])"


def status_counts(user: User, filters: InboxFilters, *,
                  found: sa.ColumnElement[bool] | None = None) -> dict[ReportStatus, int]:
    """Counts per status under every filter except the status itself, for the inbox tabs."""
    subquery = _filtered(user, filters, with_status=False, found=found).subquery()
    rows = sa.select(subquery.c.status, sa.func.count()).group_by(subquery.c.status)
    counts = {ReportStatus(status): count for status, count in db.session.execute(rows)}
    return {status: counts.get(status, 0) for status in ReportStatus}

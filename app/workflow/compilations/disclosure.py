"""Disclosure control: what a published table may show without pointing at a person.

Statistical offices' rule, used by everything SoRa publishes (the compilation and its
municipality parts, the welfare packages, the national export):

- a count from 1 to threshold-1 in a cell that singles out a municipality or a unit is shown as
  "<5" (the threshold is the site setting DISCLOSURE_THRESHOLD, default 5);
- so that the small value cannot be worked out from the column's total, its complement is
  suppressed too: cells are added, smallest first, until at least two are hidden and the hidden
  ones together reach the threshold; a complement is not small, so it shows ".." instead;
- a municipality's part adds up to its row in the county table, so a municipality hidden there
  (even as a complement) gets no part of its own, and one whose previous half-year is hidden
  there has its part's previous column hidden;
- a percentage change is shown only where both half-years have at least PERCENT_MINIMUM reports
  in that row; otherwise the counts speak for themselves;
- a municipality with fewer reports than the threshold gets no part of its own, only a line in
  a short shared section.

`protect()` marks what would be hidden (the draft shows the working group exactly that), and
`publishable()` turns content into what is published: marked cells replaced by "<5" or "..",
no report text but the excerpts the group chose, no date, no unit. Both are idempotent, so an
old snapshot read through `publishable()` is as safe as a new one.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from flask import current_app, has_app_context

DEFAULT_THRESHOLD = 5
PERCENT_MINIMUM = 10
SINGLING_KEYS = frozenset({"municipalities", "division", "unit", "forum", "channel"})
"""County-level breakdowns whose rows are places, parts of the organisation, forums (a unit's own meeting
is one) or the partners who reported (a parish, a school): each can point at a small group of people."""
UNPUBLISHED_KEYS = frozenset({"unit"})
"""Breakdowns the working group sees in the draft but that are never published: units are below any chosen level."""
COLUMNS = ("count", "previous")
NOT_A_PLACE = frozenset({"county", "none"})
"""Rows of a place breakdown that single out nobody (the whole county, no municipality); they may still
be hidden as another cell's complement."""
HIGHLIGHT_FIELDS = ("position", "excerpt", "context", "context_level", "period_label", "phenomenon", "nature",
                    "themes", "theme_codes", "municipality_codes")
"""All a published excerpt carries: no report number, no date, no unit, no handling history."""


def threshold() -> int:
    """The site's threshold (DISCLOSURE_THRESHOLD); 5 outside an app."""
    if not has_app_context():
        return DEFAULT_THRESHOLD
    from app.workflow.admin import site_settings

    value = site_settings.current().get("DISCLOSURE_THRESHOLD") or current_app.config.get("DISCLOSURE_THRESHOLD")
    try:
        return max(1, int(value or DEFAULT_THRESHOLD))  # 1 hides nothing: only for tests of other rules
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD


COMPLEMENT_LABEL = ".."
"""A cell hidden only so that a small one cannot be worked out (its complement): its value is not small,
so it is not labelled "<5" (as statistical offices mark a confidential cell)."""


def label(limit: int) -> str:
    return f"<{limit}"


def label_of(value: Any, limit: int) -> str:
    """What a hidden cell shows: "<5" for a small count, ".." for a complement (or a cell already hidden)."""
    if is_suppressed(value):
        return str(value)
    return label(limit) if small(value, limit) else COMPLEMENT_LABEL


def is_suppressed(value: Any) -> bool:
    """A published cell hidden by the rule carries its label (a string) instead of a number."""
    return isinstance(value, str)


def small(value: Any, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < limit


def hidden_cells(values: list[Any], limit: int, exempt: frozenset[int] = frozenset()) -> set[int]:
    """Indexes of one column's cells to hide: the small ones and their complement.

    If anything is hidden, at least two cells are, and together they reach `limit`, so neither
    the total minus the shown cells nor a difference of two totals gives a small count away.
    """
    hidden = {i for i, v in enumerate(values) if i not in exempt and (small(v, limit) or is_suppressed(v))}
    if not hidden:
        return hidden

    def known(i: int) -> int:
        return values[i] if isinstance(values[i], int) else 0

    candidates = sorted((i for i, v in enumerate(values) if i not in hidden and isinstance(v, int) and v > 0),
                        key=lambda i: (values[i], i))
    while candidates and (len(hidden) < 2 or sum(known(i) for i in hidden) < limit):
        hidden.add(candidates.pop(0))
    return hidden


def protect_rows(rows: list[dict[str, Any]], limit: int, *, whole: bool,
                 exempt_codes: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Mark the cells of a breakdown's rows to hide (row["suppressed"] lists the columns).

    `whole`: the cells single out a place, so every small cell is hidden, but for the rows of
    `exempt_codes` (in a county-wide breakdown by municipality, the whole county and "no
    municipality" single out nobody). In a municipality's part every cell singles it out, the
    "none" row too. Otherwise (a county-wide breakdown by theme, say) only the percentage rule applies.
    """
    for row in rows:
        row["suppressed"] = sorted(set(row.get("suppressed", [])))
    if whole:
        exempt = frozenset(i for i, r in enumerate(rows) if r.get("code") in exempt_codes)
        for column in COLUMNS:
            for i in hidden_cells([r.get(column) for r in rows], limit, exempt):
                if column not in rows[i]["suppressed"]:
                    rows[i]["suppressed"].append(column)
    for row in rows:
        count, previous = row.get("count"), row.get("previous")
        if not (isinstance(count, int) and isinstance(previous, int)
                and count >= PERCENT_MINIMUM and previous >= PERCENT_MINIMUM) or row["suppressed"]:
            row["change_pct"] = None
    return rows


def protect(content: dict[str, Any], limit: int | None = None) -> dict[str, Any]:
    """The content with every cell to hide marked; the numbers stay for the working group's draft."""
    limit = threshold() if limit is None else limit
    content = copy.deepcopy(content)
    content["disclosure"] = {"threshold": limit, "label": label(limit), "complement_label": COMPLEMENT_LABEL,
                             "percent_minimum": PERCENT_MINIMUM}
    for item in content.get("breakdowns", []):
        protect_rows(item["rows"], limit, whole=item["key"] in SINGLING_KEYS, exempt_codes=NOT_A_PLACE)
    places = next((i["rows"] for i in content.get("breakdowns", []) if i["key"] == "municipalities"), [])
    hidden_now = {r["code"] for r in places if "count" in r.get("suppressed", [])}
    hidden_before = {r["code"] for r in places if "previous" in r.get("suppressed", [])}
    total, before = content.get("total"), content.get("previous_total")
    if not (isinstance(total, int) and isinstance(before, int) and min(total, before) >= PERCENT_MINIMUM):
        content["total_change_pct"] = None
    shared, parts = [], []
    for part in content.get("municipalities", []):
        # A part's figures add up to its county row: hidden there (even as a complement), they would give the
        # hidden cell away from the county's total, so the part goes to the shared section, or (for the
        # previous half-year) its whole previous column is hidden.
        if (small(part.get("total"), limit) or part.get("total") == 0 or part.get("small")
                or part["code"] in hidden_now):
            part["small"] = True
            shared.append(part)
        else:
            part["small"] = False
        part["suppressed"] = [key for key in ("total", "previous_total", "own")
                              if small(part.get(key), limit) or is_suppressed(part.get(key))]
        if part["code"] in hidden_now and "own" not in part["suppressed"]:
            part["suppressed"].append("own")
        before_hidden = part["code"] in hidden_before
        if before_hidden and "previous_total" not in part["suppressed"]:
            part["suppressed"].append("previous_total")
        for item in part.get("breakdowns", []):
            if before_hidden:
                for row in item["rows"]:
                    row["suppressed"] = [*row.get("suppressed", []), "previous"]
            protect_rows(item["rows"], limit, whole=True)
        parts.append(part)
    content["municipalities"] = parts
    for group in content.get("groups", []):
        protect_group(group, limit)
    content["small_municipalities"] = [{"code": p["code"], "name": p["name"], "mark": label_of(p.get("total"), limit)}
                                       for p in shared]
    return content


def protect_group(group: dict[str, Any], limit: int) -> dict[str, Any]:
    """A phenomenon group's reports per municipality are place cells: small ones are hidden with their complement.

    A group is often small, so its total can give a hidden cell away: it is hidden too when it is itself
    small, or when the hidden cells together stay under the threshold (no complement could be found).
    """
    rows = protect_rows(group.get("municipalities", []), limit, whole=True, exempt_codes=NOT_A_PLACE)
    hidden = [r["count"] for r in rows if "count" in r["suppressed"] and isinstance(r.get("count"), int)]
    group["suppressed"] = ["total"] if (small(group.get("total"), limit) or is_suppressed(group.get("total"))
                                        or (hidden and sum(hidden) < limit)) else []
    return group


def _publishable_group(group: dict[str, Any], limit: int) -> dict[str, Any]:
    """A group as published: its texts, protected counts and the chosen excerpts; no report numbers."""
    shown = {k: v for k, v in group.items() if k not in ("report_numbers", "highlights", "municipalities")}
    if "total" in group.get("suppressed", []):
        shown["total"] = label_of(group.get("total"), limit)
    shown["municipalities"] = [_hide(r, limit) for r in group.get("municipalities", [])]
    shown["highlights"] = [{k: h.get(k) for k in HIGHLIGHT_FIELDS} for h in group.get("highlights", [])]
    return shown


def _hide(row: dict[str, Any], limit: int) -> dict[str, Any]:
    hidden = row.get("suppressed", [])
    if not hidden:
        return row
    row = dict(row)
    for column in hidden:
        row[column] = label_of(row.get(column), limit)
    if "count" in hidden:
        row["share"] = None
    row["change"] = None
    row["change_pct"] = None
    return row


def publishable(content: dict[str, Any], limit: int | None = None) -> dict[str, Any]:
    """What is published of the content: protected figures, chosen excerpts, coarse context only."""
    if content.get("publishable"):
        return content
    marked = protect(content, limit)
    limit = marked["disclosure"]["threshold"]
    marked["publishable"] = True
    marked["breakdowns"] = [{**item, "rows": [_hide(r, limit) for r in item["rows"]]}
                            for item in marked.get("breakdowns", []) if item["key"] not in UNPUBLISHED_KEYS]
    parts = []
    for part in marked.get("municipalities", []):
        if part["small"]:
            continue
        shown = {k: v for k, v in part.items() if k != "report_numbers"}
        for key in part.get("suppressed", []):
            shown[key] = label_of(part.get(key), limit)
        shown["breakdowns"] = [{**item, "rows": [_hide(r, limit) for r in item["rows"]]} for item in part["breakdowns"]]
        parts.append(shown)
    marked["municipalities"] = parts
    marked["reports"] = []
    marked["highlights"] = [{k: h.get(k) for k in HIGHLIGHT_FIELDS} for h in marked.get("highlights", [])]
    marked["groups"] = [_publishable_group(g, limit) for g in marked.get("groups", [])]
    # What came of the previous half-year's proposals: only the follow-ups marked public are published.
    marked["previous_follow_ups"] = [
        {**item, "follow_ups": [f for f in item["follow_ups"] if f.get("public")]}
        for item in marked.get("previous_follow_ups", []) if any(f.get("public") for f in item["follow_ups"])]
    return marked


def hidden_in(content: dict[str, Any]) -> list[dict[str, Any]]:
    """What the draft's publication would hide, for the working group: (where, row, column, value)."""
    marked = protect(content) if "disclosure" not in content else content
    found = []

    def collect(where: str, items: Iterable[dict[str, Any]]) -> None:
        for item in items:
            for row in item["rows"]:
                for column in row.get("suppressed", []):
                    found.append({"where": where, "title": item["title"], "label": row["label"], "column": column,
                                  "value": row.get(column)})

    collect("", [i for i in marked.get("breakdowns", []) if i["key"] not in UNPUBLISHED_KEYS])
    for part in marked.get("municipalities", []):
        if not part.get("small"):
            collect(part["name"], part.get("breakdowns", []))
    return found

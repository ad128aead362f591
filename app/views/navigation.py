"""Where a view may send the browser next."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import request, url_for

if TYPE_CHECKING:
    from app.models import User


def safe_next(target: str | None) -> str:
    """A path on this site, or the front page: never another host, however the target is disguised."""
    cleaned = "".join(ch for ch in (target or "") if ch.isprintable() and ch != "\\").strip()
    parts = urlsplit(cleaned)
    if not cleaned.startswith("/") or cleaned.startswith("//") or parts.scheme or parts.netloc:
        return url_for("main.index")
    return cleaned


def opened_here() -> bool:
    """Whether the user opened this page themselves, not another site: only then may a GET mark things read.

    Browsers say so in Sec-Fetch-Site; a link on another site (``cross-site``) shows the page but leaves
    the unread marks as they were, so no page elsewhere can clear a handler's "new answer". A browser
    that sends no such header is taken at its word, as before.
    """
    return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}


def start_page(user: User) -> str:
    """Where a user's work is: the first of their roles in this order decides (an explicit `next` goes first)."""
    from app.codes import Role
    from app.workflow.core import permissions

    if permissions.sees_all(user) and user.has_role(Role.SOCIAL_DIRECTOR):
        return url_for("cases.dashboard")
    if user.has_role(Role.HANDLER):
        return url_for("cases.inbox")
    if permissions.sees_compilations(user) and (user.has_role(Role.WORKING_GROUP) or user.has_role(Role.REVIEW_BODY)):
        return url_for("compilations.index")
    if permissions.pulls_welfare_content(user):
        return url_for("welfare.index")
    if permissions.administers(user):
        return url_for("admin.index")
    if permissions.uses_inbox(user):  # a supervisor follows the reports of their units
        return url_for("cases.inbox")
    return url_for("reports.new")


def after_login(user: User, target: str | None) -> str:
    """The page asked for before the login, or the user's start page."""
    return safe_next(target) if target else start_page(user)

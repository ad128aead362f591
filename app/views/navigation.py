"""Where a view may send the browser next."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


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

"""Where a view may send the browser next."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """A path on this site, or the front page: never another host, however the target is disguised."""
    cleaned = "".join(ch for ch in (target or "") if ch.isprintable() and ch != "\\").strip()
    parts = urlsplit(cleaned)
    if not cleaned.startswith("/") or cleaned.startswith("//") or parts.scheme or parts.netloc:
        return url_for("main.index")
    return cleaned

"""Keeps client addresses out of the request log: an address next to a filing time could name an anonymous reporter."""
from __future__ import annotations

import ipaddress
import logging
import re

_CANDIDATE = re.compile(r"[0-9A-Fa-f:.]{2,}")


def _redact(match: re.Match[str]) -> str:
    token = match.group(0).strip(".:") if match.group(0) != "::1" else match.group(0)
    try:
        ipaddress.ip_address(token)
    except ValueError:
        return match.group(0)
    return "-"


def redact_addresses(text: str) -> str:
    return _CANDIDATE.sub(_redact, text)


class RedactAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_addresses(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install() -> None:
    """Attach the filter to the loggers that see requests (Werkzeug's dev server, Gunicorn's logs)."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactAddresses) for existing in logger.filters):
            logger.addFilter(RedactAddresses())

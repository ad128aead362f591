"""Keeps client addresses out of the request log: an address next to a filing time could name an anonymous reporter.

Nor does the log keep the reporter's own requests (filing, tracking, answering) at all: each of
its lines has a time, and the time of a filing to the second, set beside the logins of the audit
log, could name the reporter as well as an address could. Staff see those moments only to the day.
"""
from __future__ import annotations

import ipaddress
import logging
import re

_CANDIDATE = re.compile(r"\[?[0-9A-Fa-f:.]{2,}(?:%\w+)?\]?(?::\d{1,5})?")
# The request line ("POST /report/new HTTP/1.1") of a filing, a tracking look-up or an answer, by form or API.
_REPORTER_REQUEST = re.compile(
    r'(?:^|[\s"])POST (?:/report/new|/partners/report|/track(?:/answer)?|/api/v1/reports(?:/track|/answer)?)(?:[?\s"]|$)')


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _redact(match: re.Match[str]) -> str:
    """An address in any of its written forms: plain, IPv4-mapped, bracketed, with a port or a zone."""
    token = match.group(0)
    host = token
    if token.startswith("["):
        host = token[1:].split("]")[0]
    elif token.count(":") == 1 and "." in token:  # 192.0.2.7:51514
        host = token.split(":")[0]
    host = host.split("%")[0]
    for candidate in (host, host.rstrip(".:"), host.strip(".")):
        if _is_address(candidate):
            return "-"
    return token


def redact_addresses(text: str) -> str:
    return _CANDIDATE.sub(_redact, text)


def is_reporter_request(text: str) -> bool:
    return _REPORTER_REQUEST.search(text) is not None


class RedactAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.lstrip().startswith("* "):  # the server's own start-up lines name its address, not a client's
            return True
        if is_reporter_request(message):
            return False
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

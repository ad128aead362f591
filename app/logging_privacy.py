"""Keeps client addresses out of the logs, and the reporter's own requests out of them altogether.

Every log line has its time, and the time of a filing, a tracking look-up or an answer to the
second, set beside the logins of the audit log, can name an anonymous reporter as well as an
address could. So those requests (every method, every status, however the request line was
written) leave no line in any log: not Werkzeug's (with or without its colour codes), not
Gunicorn's access or error log, not the app's. Two layers decide it:

- the request itself: the outermost WSGI layer marks each request that goes to a reporter's route
  (the path as the server decoded it, any trailing slash) and Flask's routing confirms it by
  endpoint; the mark lasts in its thread until the next request begins there, which covers the
  server's access line written after the app has answered;
- the line: a request line naming a reporter's path is dropped too, after the colour codes are
  stripped, an absolute-form target reduced to its path and percent-encoding decoded (for lines
  the app never saw, such as a request the server refused as malformed).

An exception on a reporter's route is still logged for the operators, with its traceback (code
locations and exception types only: an exception's message may quote what was typed), with no
client data and dated only to the day; it is held back and written with the other such errors at
the next midnight (Helsinki time) or when the process ends, so its place among the timed lines of
the log does not tell its time either.
"""
from __future__ import annotations

import atexit
import ipaddress
import logging
import re
import threading
import traceback
import urllib.parse
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wsgi import ClosingIterator

HELSINKI = ZoneInfo("Europe/Helsinki")

REPORTER_ENDPOINTS = frozenset({"reports.new", "reports.receipt", "reports.track", "reports.answer",
                                "reports.status", "reports.close_tracking", "partners.new",
                                "api.create_report", "api.track_report", "api.answer_report"})
"""The reporter's own requests: filing, the receipt, tracking and answering, by form or API."""
REPORTER_PATHS = ("/report/new", "/report/receipt", "/partners/report", "/track", "/track/answer", "/track/status",
                  "/track/close",
                  "/api/v1/reports", "/api/v1/reports/track", "/api/v1/reports/answer")

_CANDIDATE = re.compile(r"\[?[0-9A-Fa-f:.]{2,}(?:%\w+)?\]?(?::\d{1,5})?")
_COLOUR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The target of any request line: `GET /x HTTP/1.1`, `POST http://host/x HTTP/1.1`, a bare method and path.
_TARGET = re.compile(r"\b[A-Z]{3,10} +(\S+)")
_SERVER_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")

_current = threading.local()


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


_LINK_SECRET = re.compile(r"(/password/set/)[^\s?\"/]+")


def redact_addresses(text: str) -> str:
    """Addresses out, and the secret of a one-time password link: a log line must not open an account."""
    return _CANDIDATE.sub(_redact, _LINK_SECRET.sub(r"\1-", text))


def normal_path(target: str) -> str:
    """A request target as routing sees it: no scheme and host, no query, no path parameters, decoded, one
    slash, no trailing one."""
    if "://" in target:
        target = urllib.parse.urlsplit(target).path or "/"
    target = target.split("?", 1)[0].split("#", 1)[0]
    for _ in range(3):  # /report/%256Eew decoded twice is still a filing for a lenient server
        decoded = urllib.parse.unquote(target)
        if decoded == target:
            break
        target = decoded
    target = re.sub(r";[^/]*", "", target)  # path parameters (/report/new;x): a proxy may route them as the path
    target = re.sub(r"/{2,}", "/", target)
    return target.rstrip("/").lower() or "/"


def is_reporter_path(path: str) -> bool:
    return normal_path(path) in REPORTER_PATHS


def is_reporter_request(text: str) -> bool:
    """Whether a log line is about a request to a reporter's route, however the line was written."""
    plain = _COLOUR.sub("", text)
    return any(is_reporter_path(target.strip('"')) for target in _TARGET.findall(plain))


def mark_request(reporter: bool) -> None:
    """Called at the start of every request in its thread, and again once routing knows the endpoint."""
    _current.reporter = reporter


def in_reporter_request() -> bool:
    return getattr(_current, "reporter", False)


def _day_start(created: float) -> float:
    """Midnight of the record's day on the log's own clock (local time), so the line reads 00:00:00."""
    return datetime.fromtimestamp(created).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


class _HeldErrors:
    """Exceptions of reporters' requests, written at the next midnight or at exit, dated to their day."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: list[tuple[logging.Logger, logging.LogRecord]] = []
        self._timer: threading.Timer | None = None

    def hold(self, logger: logging.Logger, record: logging.LogRecord) -> None:
        with self._lock:
            self._held.append((logger, record))
            if self._timer is None:
                now = datetime.now(HELSINKI)
                midnight = datetime.combine(now.date() + timedelta(days=1), time.min, HELSINKI)
                self._timer = threading.Timer((midnight - now).total_seconds() + 1, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        with self._lock:
            held, self._held, self._timer = self._held, [], None
        for logger, record in held:
            record.sora_released = True
            logger.handle(record)


HELD_ERRORS = _HeldErrors()
atexit.register(HELD_ERRORS.flush)


def _without_client_data(record: logging.LogRecord) -> None:
    """Keep the traceback's code locations and exception types; drop messages, paths and the time of day."""
    lines = ["Exception on a reporter's request (filing, tracking or answering); details left out"]
    if record.exc_info and record.exc_info[1] is not None:
        error: BaseException | None = record.exc_info[1]
        chain: list[BaseException] = []
        while error is not None and len(chain) < 10:
            chain.append(error)
            error = error.__cause__ or error.__context__
        for error in reversed(chain):
            lines.append("Traceback (most recent call last):")
            lines.extend(traceback.format_list(traceback.extract_tb(error.__traceback__)))
            lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
    record.msg, record.args = "\n".join(line.rstrip("\n") for line in lines), None
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    record.created = _day_start(record.created)
    record.msecs = 0.0
    record.relativeCreated = 0.0


class RedactAddresses(logging.Filter):
    """Attached to the loggers and handlers that see requests; drops or rewrites what they must not keep."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "sora_released", False):  # a held error, now written
            return True
        if in_reporter_request():
            if record.exc_info or record.levelno >= logging.ERROR:
                if not getattr(record, "sora_held", False):
                    record.sora_held = True
                    _without_client_data(record)
                    HELD_ERRORS.hold(logging.getLogger(record.name), record)
            return False
        message = record.getMessage()
        if message.lstrip().startswith("* "):  # the server's own start-up lines name its address, not a client's
            return True
        if is_reporter_request(message):
            return False
        redacted = redact_addresses(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class MarkReporterRequests:
    """The outermost WSGI layer: marks the thread for the whole request, before anything can log."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        mark_request(is_reporter_path(environ.get("PATH_INFO", "")) or is_reporter_request(
            f"{environ.get('REQUEST_METHOD', 'GET')} {environ.get('RAW_URI') or environ.get('REQUEST_URI') or ''}"))
        # The servers write their access line before they close the response (Werkzeug while sending it,
        # Gunicorn after it): the mark is taken off only then.
        return ClosingIterator(self.wsgi_app(environ, start_response), [lambda: mark_request(False)])


def _attach(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(existing, RedactAddresses) for existing in target.filters):
        target.addFilter(RedactAddresses())


def install(app_logger: logging.Logger | None = None) -> None:
    """Attach the filter to the loggers that see requests and to every handler they and the root write through."""
    loggers = [logging.getLogger(name) for name in _SERVER_LOGGERS] + [logging.getLogger()]
    if app_logger is not None:
        loggers.append(app_logger)
    for logger in loggers:
        _attach(logger)
        for handler in logger.handlers:
            _attach(handler)

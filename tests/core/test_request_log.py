"""The request log of a real server keeps no client address next to a filing."""
from __future__ import annotations

import http.cookiejar
import logging
import re
import threading
import urllib.parse
import urllib.request

import pytest
from helpers import valid_report
from werkzeug.serving import make_server

from app.logging_privacy import redact_addresses


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('127.0.0.1 - - [22/Nov/2026 10:12:33] "POST /report/new HTTP/1.1" 302 -',
         '- - - [22/Nov/2026 10:12:33] "POST /report/new HTTP/1.1" 302 -'),
        ("::1 - - [x]", "- - - [x]"),
        ("from 2001:db8::7 at 10:12", "from - at 10:12"),
        ("version 1.2.3", "version 1.2.3"),
    ],
)
def test_addresses_are_redacted(line, expected):
    assert redact_addresses(line) == expected


def test_live_server_log_has_no_client_address(app, unit, caplog):
    caplog.set_level(logging.INFO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.open(f"{base}/guidance").read()
        form = opener.open(f"{base}/report/new").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        fields = valid_report(reporter_name="", reporter_email="")
        fields["csrf_token"] = token
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        receipt = opener.open(urllib.request.Request(f"{base}/report/new", data=body)).read().decode()
        assert "Kiitos raportistasi" in receipt
    finally:
        server.shutdown()
        thread.join(timeout=10)
    request_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /guidance" in line for line in request_lines), "the server did log the requests"
    assert not any("/report/new" in line for line in request_lines), "the filing's time is not logged, nor the form's"
    assert not any("127.0.0.1" in line for line in request_lines)
    assert "127.0.0.1" not in caplog.text.replace(f"127.0.0.1:{server.server_port}", "")


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ('- - - [22/Nov/2026 10:12:33] "POST /report/new HTTP/1.1" 200 -', False),
        ('- - - [22/Nov/2026 10:12:33] "POST /track HTTP/1.1" 200 -', False),
        ('- - - [22/Nov/2026 10:12:33] "POST /track/answer HTTP/1.1" 200 -', False),
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /api/v1/reports HTTP/1.1" 201 64 "-" "-"', False),  # Gunicorn
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /api/v1/reports/answer HTTP/1.1" 200 64', False),
        ('- - - [22/Nov/2026 10:12:33] "GET /report/new HTTP/1.1" 200 -', False),  # opening the form, beside a login
        ('- - - [22/Nov/2026 10:12:33] "\x1b[35m\x1b[1mPOST /report/new HTTP/1.1\x1b[0m" 400 -', False),  # colour
        ('- - [22/Nov/2026:10:12:33 +0200] "POST http://sora.test/report/new HTTP/1.1" 302 0', False),  # absolute
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /report/%6Eew HTTP/1.1" 200 0', False),  # percent-encoded
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /track/ HTTP/1.1" 308 0', False),  # trailing slash
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /report/new;x HTTP/1.1" 404 0', False),  # a path parameter
        ('- - [22/Nov/2026:10:12:33 +0200] "POST /track;jsessionid=1/answer HTTP/1.1" 404 0', False),
        ('- - [22/Nov/2026:10:12:33 +0200] "POST //api/v1/reports/answer?x=1 HTTP/1.1" 409 0', False),
        ('code 400, message Bad request syntax (\'POST /track/answer HTTP/1.1 x\')', False),
        ('- - - [22/Nov/2026 10:12:33] "GET /guidance HTTP/1.1" 200 -', True),
        ('- - - [22/Nov/2026 10:12:33] "POST /cases/SR-2026-00042/start_handling HTTP/1.1" 302 -', True),
        ('- - - [22/Nov/2026 10:12:33] "POST /my-reports/SR-2026-00042/answer HTTP/1.1" 302 -', True),
    ],
)
def test_the_reporters_own_requests_leave_no_line(line, kept):
    """A filing's or an answer's time to the second, beside the logins of the audit log, could name an
    anonymous reporter; staff know those moments only to the day. A named author's own list is theirs."""
    from app.logging_privacy import RedactAddresses

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, line, None, None)
    assert RedactAddresses().filter(record) is kept


@pytest.mark.parametrize(
    "line",
    ["::ffff:192.0.2.7 - - [x] GET /", "192.0.2.7:51514 connected", "[2001:db8::7]:443 x", "fe80::1%eth0 x",
     "from 203.0.113.9."],
)
def test_every_written_form_of_an_address_is_redacted(line):
    redacted = redact_addresses(line)
    for part in ("192.0.2.7", "2001:db8", "fe80::1", "203.0.113.9"):
        assert part not in redacted, redacted


def test_the_servers_own_address_stays_in_its_start_up_line():
    import logging as std_logging

    from app.logging_privacy import RedactAddresses

    record = std_logging.LogRecord("werkzeug", std_logging.INFO, __file__, 1, " * Running on http://127.0.0.1:5000",
                                   None, None)
    assert RedactAddresses().filter(record) and record.getMessage() == " * Running on http://127.0.0.1:5000"
    request = std_logging.LogRecord("werkzeug", std_logging.INFO, __file__, 1, '127.0.0.1 - - [x] "GET / HTTP/1.1"',
                                    None, None)
    assert RedactAddresses().filter(request) and "127.0.0.1" not in request.getMessage()


def test_an_exception_on_a_reporters_route_is_logged_later_dated_to_the_day_without_client_data(app, monkeypatch):
    """Operators still get the traceback; not the typed text, the path, the address or the moment."""
    from app import logging_privacy
    from app.views import reports

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    typed = "Salainen kuvaus 131052-308T"

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError(typed)  # an exception's message may quote what the reporter typed

    logging_privacy.HELD_ERRORS.flush()  # what earlier tests in this process left held
    keeper = Keep()
    app.logger.addHandler(keeper)
    monkeypatch.setattr(reports, "find_by_tracking_code", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    try:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/track").get_data(as_text=True))
        assert client.post("/track", data={"csrf_token": token.group(1), "number": "SR-2026-00001",
                                           "code": "AAAAA"}).status_code == 500
        assert records == [], "nothing is written at the moment of the request"
        logging_privacy.mark_request(False)
        logging_privacy.HELD_ERRORS.flush()
    finally:
        app.logger.removeHandler(keeper)
    assert len(records) == 1
    text = logging.Formatter("%(asctime)s %(message)s").format(records[0])
    assert "Traceback" in text and "ValueError" in text and "reports.py" in text, text
    for secret in ("Salainen", "131052", "/track", "203.0.113.9", "SR-2026"):
        assert secret not in text, text
    assert text[10:19] == " 00:00:00", "dated to the day"

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
    assert any("GET /report/new" in line for line in request_lines), "the server did log the requests"
    assert not any("POST /report/new" in line for line in request_lines), "the filing's time is not logged"
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
        ('- - - [22/Nov/2026 10:12:33] "GET /report/new HTTP/1.1" 200 -', True),
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

"""Cookies, headers, passwords, logins and escaping."""
from __future__ import annotations

import pytest
from helpers import PASSWORD, csrf_token, file_via_form, login

from app.extensions import db
from app.models import User


def test_session_cookie_is_httponly_and_samesite(client, create_user):
    user = create_user()
    login(client, user.email)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_passwords_are_hashed_with_a_modern_algorithm(app_ctx):
    user = User(email="hash@test.example", name="Hash")
    user.set_password(PASSWORD)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_wrong_password_and_inactive_user_are_refused(client, create_user):
    user = create_user("pois@test.example")
    token = csrf_token(client, "/login")
    wrong = client.post("/login", data={"csrf_token": token, "email": user.email, "password": "väärä"})
    assert wrong.status_code == 401 and "Sähköposti tai salasana on väärin." in wrong.get_data(as_text=True)
    user.active = False
    db.session.commit()
    refused = client.post("/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert refused.status_code == 401


def test_login_starts_a_new_session(client, create_user):
    """Session fixation: whatever the session held before login is not carried over."""
    user = create_user()
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id") == user.get_id() == f"{user.id}.0"


def test_login_attempts_are_limited(app, client, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    user = create_user()
    token = csrf_token(client, "/login")
    codes = [client.post("/login", data={"csrf_token": token, "email": user.email, "password": "x"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_logout_needs_a_post_with_csrf(client, create_user):
    user = create_user()
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302
    assert client.get("/my-reports").status_code == 302


def test_markup_in_text_is_shown_as_text(client, unit):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = file_via_form(client, description=f"Kuvaus {script}", proposed_actions=script).get_data(as_text=True)
    import re

    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    page = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code},
                       follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
    assert "<script>alert" not in text and "<img src=x" not in text


def test_security_headers_everywhere(client):
    for path in ("/", "/guidance", "/login", "/track", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "/%09/evil.example", "/\\evil.example", "https://evil.example/", "/%0d%0aX: y",
               "javascript:alert(1)"],
)
def test_open_redirects_are_ignored(client, create_user, target):
    user = create_user()
    token = csrf_token(client, "/login")
    response = client.post(f"/login?next={target}", data={"csrf_token": token, "email": user.email,
                                                          "password": PASSWORD})
    from urllib.parse import urlsplit

    location = response.headers["Location"]
    assert response.status_code == 302
    assert location.startswith("/") and not location.startswith("//") and not urlsplit(location).netloc
    assert "\r" not in location and "\n" not in location


def test_a_local_next_page_is_kept(client, create_user):
    user = create_user()
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/my-reports", data={"csrf_token": token, "email": user.email,
                                                            "password": PASSWORD})
    assert response.headers["Location"] == "/my-reports"


def test_unknown_accounts_cost_the_same_hashing_work(app_ctx, monkeypatch):
    """Login time must not reveal which e-mail addresses have accounts."""
    from app.models import users

    calls: list[str] = []
    real = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda stored, pw: calls.append(stored) or real(stored, pw))
    assert users.password_matches(None, "anything") is False
    inactive = User(email="x@t.example", name="X", active=False)
    inactive.set_password("secret")
    assert users.password_matches(inactive, "secret") is False
    assert len(calls) == 2 and all(stored.startswith("scrypt:") for stored in calls)


def test_secure_cookies_follow_one_setting(database_url):
    from helpers import sora_test_config

    from app import create_app

    config = sora_test_config(database_url)
    config["SESSION_COOKIE_SECURE"] = True
    secure = create_app(config)
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True


def test_environment_values_are_text_unless_typed():
    from app.config import from_environment

    parsed = from_environment({"SORA_SECRET_KEY": "123456", "SORA_SESSION_COOKIE_SECURE": "true",
                               "SORA_REPORT_NUMBER_PREFIX": "42"})
    assert parsed == {"SECRET_KEY": "123456", "SESSION_COOKIE_SECURE": True, "REPORT_NUMBER_PREFIX": "42"}
    with pytest.raises(ValueError, match="SORA_PROXY_HOPS must be JSON"):
        from_environment({"SORA_PROXY_HOPS": "two"})

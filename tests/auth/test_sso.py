"""Single sign-on through a real OpenID Connect provider running in the test process."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from helpers import PASSWORD, csrf_token, login
from joserfc.jwk import RSAKey
from oidcprovider import OidcProvider

from app.codes import AuditAction
from app.config import from_environment
from app.extensions import db
from app.models import AuditEntry, User
from app.workflow.auth.oidc import OidcSettings

CLIENT_ID = "sora-test"
CLIENT_SECRET = "sora-test-secret"
BUTTON = "Kirjaudu Pohjois-Savon hyvinvointialueen tunnuksella"
SUBJECT = "a1b2c3-subject"

UNKNOWN = "Sähköpostiosoitteellasi ei ole SoRa-tunnusta"
INACTIVE = "SoRa-tunnuksesi ei ole käytössä"
FAILED = "Kirjautuminen tunnistuspalvelun kautta epäonnistui"


@pytest.fixture(scope="session")
def provider() -> Iterator[OidcProvider]:
    server = OidcProvider(CLIENT_ID, CLIENT_SECRET)
    server.start()
    yield server
    server.stop()


def sso_config(issuer: str) -> dict[str, object]:
    return {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_BUTTON_LABEL": BUTTON}


@pytest.fixture
def sso(app_ctx: Flask, provider: OidcProvider, monkeypatch: pytest.MonkeyPatch) -> OidcProvider:
    """Single sign-on on for this test only, signing in Maija unless the test says otherwise."""
    for key, value in sso_config(provider.issuer).items():
        monkeypatch.setitem(app_ctx.config, key, value)
    provider.reset(sub=SUBJECT, email="Maija.Meikalainen@Test.Example", email_verified=True, name="Maija Meikäläinen")
    return provider


def sign_in(client: FlaskClient, next_url: str | None = None):  # type: ignore[no-untyped-def]
    """The browser's round trip: SoRa -> the provider's authorization endpoint -> SoRa's callback."""
    start = client.get("/login/sso", query_string={"next": next_url} if next_url else None)
    assert start.status_code == 302, start.get_data(as_text=True)
    answer = requests.get(start.location, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("https", "sora.test", "/login/sso/callback")
    return client.get(f"{back.path}?{back.query}")


def entries(action: AuditAction) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def refused_with(client: FlaskClient, response, message: str) -> None:  # type: ignore[no-untyped-def]
    """Sent back to the login page with the message, and no session."""
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    page = client.get(response.location).get_data(as_text=True)
    assert message in page
    assert client.get("/my-reports").status_code == 302
    assert not entries(AuditAction.LOGIN)


def test_off_by_default_no_button_and_no_routes(client: FlaskClient, app: Flask) -> None:
    assert not app.config["OIDC_ISSUER"]
    page = client.get("/login").get_data(as_text=True)
    assert "/login/sso" not in page and "Tai kirjaudu SoRa-tunnuksella" not in page
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404


def test_login_page_shows_the_button_and_local_accounts_still_work(sso: OidcProvider, client: FlaskClient,
                                                                    create_user) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login?next=/my-reports").get_data(as_text=True)
    assert BUTTON in page
    assert 'href="/login/sso?next=/my-reports"' in page or 'href="/login/sso?next=%2Fmy-reports"' in page
    assert 'name="password"' in page
    create_user("paikallinen@test.example")
    login(client, "paikallinen@test.example")
    assert client.get("/my-reports").status_code == 200


def test_existing_user_signs_in_with_a_fresh_session(sso: OidcProvider, client: FlaskClient, create_user) -> None:  # type: ignore[no-untyped-def]
    user = create_user("maija.meikalainen@test.example", name="Maija Meikäläinen")
    with client.session_transaction() as session:
        session["language"] = "en"
        session["planted"] = "fixation"
    response = sign_in(client, next_url="/my-reports")

    assert response.status_code == 302 and response.location == "/my-reports"
    assert client.get("/my-reports").status_code == 200
    with client.session_transaction() as session:
        assert session["language"] == "en"
        assert "planted" not in session
        assert not [key for key in session if key.startswith("_state_") or key == "sso_next"]
    assert client.get_cookie("remember_token") is None  # remember-me is not offered for single sign-on

    request = sso.authorization_requests[-1]
    assert request["code_challenge_method"] == "S256" and request["scope"] == "openid email profile"
    db.session.refresh(user)
    assert user.sso_subject == SUBJECT
    [entry] = entries(AuditAction.LOGIN)
    assert entry.actor_id == user.id
    assert entry.details == {"method": "sso", "sso_linked": True}
    assert not entries(AuditAction.LOGIN_FAILED)


def test_a_locked_password_login_does_not_stop_single_sign_on(sso: OidcProvider, app: Flask, client: FlaskClient,
                                                             create_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "2 per 15 minutes")
    user = create_user("maija.meikalainen@test.example", name="Maija Meikäläinen")
    token = csrf_token(client, "/login")
    for password in ("arvaus", "arvaus", PASSWORD):
        answer = client.post("/login", data={"csrf_token": token, "email": user.email, "password": password})
    assert answer.status_code == 429, "the password login of the account is locked"
    response = sign_in(client, next_url="/my-reports")
    assert response.status_code == 302 and response.location == "/my-reports"
    assert client.get("/my-reports").status_code == 200


def test_linked_subject_is_preferred_to_the_email(sso: OidcProvider, client: FlaskClient, create_user) -> None:  # type: ignore[no-untyped-def]
    user = create_user("maija.uusi@test.example")
    user.sso_subject = SUBJECT
    db.session.commit()
    sign_in(client)  # the provider still says Maija.Meikalainen@...: the subject decides
    assert client.get("/my-reports").status_code == 200
    assert entries(AuditAction.LOGIN)[0].details == {"method": "sso"}


def test_email_linked_to_another_subject_is_refused(sso: OidcProvider, client: FlaskClient, create_user) -> None:  # type: ignore[no-untyped-def]
    user = create_user("maija.meikalainen@test.example")
    user.sso_subject = "someone-else"
    db.session.commit()
    refused_with(client, sign_in(client), "on jo liitetty toiseen tunnistuspalvelun tunnukseen")
    [entry] = entries(AuditAction.LOGIN_FAILED)
    assert entry.target == "user maija.meikalainen@test.example"
    assert entry.details == {"reason": "sso_subject_mismatch", "method": "sso"}


def test_unknown_email_is_refused_and_no_account_is_created(sso: OidcProvider, client: FlaskClient, app_ctx) -> None:  # type: ignore[no-untyped-def]
    refused_with(client, sign_in(client), UNKNOWN)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    [entry] = entries(AuditAction.LOGIN_FAILED)
    assert entry.actor_id is None and entry.target is None
    assert entry.details == {"reason": "unknown_account", "method": "sso"}


def test_deactivated_account_is_refused(sso: OidcProvider, client: FlaskClient, create_user) -> None:  # type: ignore[no-untyped-def]
    user = create_user("maija.meikalainen@test.example")
    user.active = False
    db.session.commit()
    refused_with(client, sign_in(client), INACTIVE)
    db.session.refresh(user)
    assert user.sso_subject is None
    assert entries(AuditAction.LOGIN_FAILED)[0].details == {"reason": "inactive", "method": "sso"}


def test_unverified_email_is_refused_unless_configured(sso: OidcProvider, client: FlaskClient, create_user,  # type: ignore[no-untyped-def]
                                                       app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    create_user("maija.meikalainen@test.example")
    sso.identity["email_verified"] = False
    refused_with(client, sign_in(client), "ei kertonut vahvistettua sähköpostiosoitettasi")
    assert entries(AuditAction.LOGIN_FAILED)[0].details == {"reason": "no_email", "method": "sso"}

    monkeypatch.setitem(app.config, "OIDC_REQUIRE_VERIFIED_EMAIL", False)
    del sso.identity["email_verified"]  # e.g. a provider that never sends the claim
    sign_in(client)
    assert client.get("/my-reports").status_code == 200


@pytest.mark.parametrize("tampering", [
    {"nonce": "not-the-nonce-sora-sent"},
    {"aud": "another-client", "azp": CLIENT_ID},
    {"aud": "another-client"},
    {"iss": "https://idp.other.example"},
    {"exp": 1_000_000_000, "iat": 999_999_000},
    {"nonce": None},
    "signature",
], ids=["nonce", "audience-with-azp", "audience", "issuer", "expired", "no-nonce", "signature"])
def test_invalid_id_token_is_refused(sso: OidcProvider, client: FlaskClient, create_user, tampering) -> None:  # type: ignore[no-untyped-def]
    user = create_user("maija.meikalainen@test.example")
    if tampering == "signature":
        sso.signing_key = RSAKey.generate_key(2048, parameters={"kid": sso.key.kid})
    else:
        sso.overrides = tampering
    refused_with(client, sign_in(client), FAILED)
    assert sso.token_requests == 1
    db.session.refresh(user)
    assert user.sso_subject is None
    [entry] = entries(AuditAction.LOGIN_FAILED)
    assert entry.details == {"reason": "sso_failed", "method": "sso"} and entry.target is None


def test_callback_without_its_own_state_is_refused(sso: OidcProvider, app: Flask, create_user) -> None:  # type: ignore[no-untyped-def]
    """A code fetched in one browser cannot log in another (login CSRF): the state lives in the session."""
    create_user("maija.meikalainen@test.example")
    attacker, victim = app.test_client(), app.test_client()
    start = attacker.get("/login/sso")
    back = urlsplit(requests.get(start.location, allow_redirects=False, timeout=10).headers["Location"])
    refused_with(victim, victim.get(f"{back.path}?{back.query}"), FAILED)
    assert sso.token_requests == 0


def test_provider_error_answer_is_refused(sso: OidcProvider, client: FlaskClient) -> None:
    client.get("/login/sso")
    with client.session_transaction() as session:
        state = next(key for key in session if key.startswith("_state_sso_")).removeprefix("_state_sso_")
    refused_with(client, client.get(f"/login/sso/callback?error=access_denied&state={state}"), FAILED)


@pytest.mark.parametrize("target, expected", [("/my-reports", "/my-reports"), ("//evil.example/x", "/"),
                                              ("https://evil.example/", "/")])
def test_next_is_kept_only_on_this_site(sso: OidcProvider, client: FlaskClient, create_user, target, expected) -> None:  # type: ignore[no-untyped-def]
    create_user("maija.meikalainen@test.example")
    assert sign_in(client, next_url=target).location == expected


def test_unreachable_provider_gives_a_message(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for key, value in sso_config(f"http://127.0.0.1:{port}").items():
        monkeypatch.setitem(app.config, key, value)
    response = client.get("/login/sso?next=/my-reports")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == {"next": ["/my-reports"]}
    assert "Tunnistuspalveluun ei juuri nyt saada yhteyttä" in client.get(response.location).get_data(as_text=True)


def test_settings_come_from_the_environment_and_half_settings_are_refused() -> None:
    environ = {"SORA_OIDC_ISSUER": "https://idp.example/realms/ps", "SORA_OIDC_CLIENT_ID": "sora",
               "SORA_OIDC_CLIENT_SECRET": "s", "SORA_OIDC_REQUIRE_VERIFIED_EMAIL": "false"}
    settings = OidcSettings.from_config(from_environment(environ))
    assert settings is not None and not settings.require_verified_email
    assert settings.discovery_url == "https://idp.example/realms/ps/.well-known/openid-configuration"
    assert settings.scopes == "openid email profile" and settings.button_label is None
    assert OidcSettings.from_config({"OIDC_ISSUER": ""}) is None
    with pytest.raises(ValueError, match="OIDC_CLIENT_ID"):
        OidcSettings.from_config({"OIDC_ISSUER": "https://idp.example"})
    with pytest.raises(ValueError, match="openid"):
        OidcSettings.from_config({**{k: v for k, v in from_environment(environ).items()}, "OIDC_SCOPES": "email"})


def test_unlinking_lets_a_new_identity_link_again(sso: OidcProvider, client: FlaskClient, create_user, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """E.g. the county moved to another identity provider: the administrator unlinks, the person signs on again."""
    user = create_user("maija.meikalainen@test.example")
    user.sso_subject = "old-provider-subject"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["sso-unlink", "MAIJA.meikalainen@test.example"])
    assert result.exit_code == 0 and "liitos poistettu" in result.output
    assert entries(AuditAction.USER_CHANGED)[0].details == {"sso_linked": [True, False]}
    sign_in(client)
    db.session.refresh(user)
    assert user.sso_subject == SUBJECT
    assert app.test_cli_runner().invoke(args=["sso-unlink", "nobody@test.example"]).exit_code != 0

"""The OpenID Connect client for single sign-on, built from the configuration when a request needs it.

Off unless OIDC_ISSUER is set. The client is made at request time, not in create_app(), so a
changed configuration (a test, or instance/config.py after a reload) takes effect without
touching the factory; clients are kept per setting, since each caches the provider's metadata
and keys.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth, OAuthError
from flask import Flask, current_app
from joserfc.errors import JoseError

DISCOVERY_PATH = "/.well-known/openid-configuration"
TIMEOUT_SECONDS = 10


class ProviderError(ValueError):
    """The identity provider's answer cannot be trusted (e.g. its discovery document names another issuer)."""


# Every way a sign-in can fail on the provider's side or in checking its answer: a refusal or
# cancellation, a forged or stale state, a bad ID token, an unreachable or malformed provider.
FAILURES = (OAuthError, JoseError, requests.RequestException, ValueError)


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    """The provider's issuer URL, or its full discovery URL."""
    client_id: str
    client_secret: str
    scopes: str
    button_label: str | None
    require_verified_email: bool

    @property
    def discovery_url(self) -> str:
        if DISCOVERY_PATH in self.issuer:
            return self.issuer
        return self.issuer.rstrip("/") + DISCOVERY_PATH

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> OidcSettings | None:
        """The settings, or None when single sign-on is off. A half-filled configuration is an error."""
        issuer = (config.get("OIDC_ISSUER") or "").strip()
        if not issuer:
            return None
        settings = cls(
            issuer=issuer,
            client_id=(config.get("OIDC_CLIENT_ID") or "").strip(),
            client_secret=config.get("OIDC_CLIENT_SECRET") or "",
            scopes=" ".join((config.get("OIDC_SCOPES") or "openid email profile").split()),
            button_label=(config.get("OIDC_BUTTON_LABEL") or "").strip() or None,
            require_verified_email=bool(config.get("OIDC_REQUIRE_VERIFIED_EMAIL", True)),
        )
        if not settings.client_id or not settings.client_secret:
            raise ValueError("OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too")
        if "openid" not in settings.scopes.split():
            raise ValueError("OIDC_SCOPES must include openid")
        return settings


def settings() -> OidcSettings | None:
    return OidcSettings.from_config(current_app.config)


def check_configuration(app: Flask) -> None:
    """Refuse to start with a half-filled single sign-on configuration."""
    OidcSettings.from_config(app.config)


def client(current: OidcSettings) -> FlaskOAuth2App:
    """The Authlib client for these settings: authorization code with PKCE (S256); state and nonce by Authlib."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    clients: dict[OidcSettings, FlaskOAuth2App] = app.extensions.setdefault("sora_oidc_clients", {})
    if current not in clients:
        oauth = OAuth()
        oauth.app = app  # not init_app(): the registry needs no place in app.extensions
        clients[current] = oauth.register(
            "sso",
            client_id=current.client_id,
            client_secret=current.client_secret,
            server_metadata_url=current.discovery_url,
            client_kwargs={"scope": current.scopes, "code_challenge_method": "S256",
                           "default_timeout": TIMEOUT_SECONDS},
        )
    return clients[current]


def claims_options(current: OidcSettings, oidc_client: FlaskOAuth2App) -> dict[str, dict[str, Any]]:
    """What the ID token must say beyond Authlib's own checks: our client among its audience, the provider as issuer."""
    issuer = oidc_client.load_server_metadata().get("issuer")
    if not issuer or (DISCOVERY_PATH not in current.issuer and issuer.rstrip("/") != current.issuer.rstrip("/")):
        raise ProviderError(f"the discovery document names issuer {issuer!r}, not {current.issuer!r}")
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [current.client_id]},
    }

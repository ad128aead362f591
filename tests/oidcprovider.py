"""A real OpenID Connect provider for the tests, served over HTTP on a free local port in a thread.

It publishes discovery and keys, and its authorization endpoint answers at once for `identity`,
as if that person had just signed in. The token endpoint checks the client secret, the redirect
address and the PKCE verifier before it returns an RS256-signed ID token (joserfc, the JOSE
library Authlib itself builds on). A test changes the next ID token's claims with `overrides`
(None removes a claim) or signs it with `signing_key` to see SoRa refuse it.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server


class OidcProvider:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "sora-test-1", "use": "sig"})
        self.identity: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}
        self.signing_key: RSAKey | None = None
        self.authorization_requests: list[dict[str, str]] = []
        self.token_requests = 0
        self._codes: dict[str, dict[str, str]] = {}
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def reset(self, **identity: Any) -> None:
        self.identity = identity
        self.overrides = {}
        self.signing_key = None
        self.authorization_requests.clear()
        self.token_requests = 0
        self._codes.clear()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                                  "nonce": nonce, **self.identity}
        for name, value in self.overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = self.signing_key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _app(self) -> Flask:
        app = Flask(__name__)

        @app.get("/.well-known/openid-configuration")
        def discovery():  # type: ignore[no-untyped-def]
            return jsonify({
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            })

        @app.get("/jwks")
        def jwks():  # type: ignore[no-untyped-def]
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():  # type: ignore[no-untyped-def]
            params = request.args.to_dict()
            self.authorization_requests.append(params)
            required = ("redirect_uri", "state", "nonce", "code_challenge")
            if (params.get("response_type") != "code" or params.get("client_id") != self.client_id
                    or params.get("code_challenge_method") != "S256" or not all(params.get(p) for p in required)
                    or "openid" not in params.get("scope", "").split()):
                abort(400)
            code = secrets.token_urlsafe(16)
            self._codes[code] = params
            return redirect(f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}")

        @app.post("/token")
        def token():  # type: ignore[no-untyped-def]
            self.token_requests += 1
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (self.client_id, self.client_secret):
                return jsonify({"error": "invalid_client"}), 401
            granted = self._codes.pop(request.form.get("code", ""), None)
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (granted is None or request.form.get("grant_type") != "authorization_code"
                    or request.form.get("redirect_uri") != granted["redirect_uri"]
                    or challenge != granted["code_challenge"]):
                return jsonify({"error": "invalid_grant"}), 400
            return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                            "id_token": self.id_token(granted["nonce"])})

        return app

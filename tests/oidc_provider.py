"""A real OpenID Connect provider for the tests: an Authlib authorization server (authorization
code grant with the OpenID Connect extension and PKCE), a discovery document and a JWKS holding
an RSA key made when it starts, served over HTTP on a free localhost port in a thread.

Our app talks to it exactly as to Entra ID or Google: discovery, then the browser to /authorize,
then the code to /token over HTTP. Its sign-in page is a plain form: type a known login.

`provider.tamper` changes what the next tokens say, for the tests of bad tokens:
{"aud": "someone-else"}, {"nonce": "wrong"}, {"iss": "http://elsewhere"}, {"sign_with_other_key": True},
{"expired": True}.
"""
import secrets
import threading
import time
from html import escape

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError, OAuth2Error
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server


class Client:
    """One registered relying party (our app), as an Authlib ClientMixin."""

    def __init__(self, client_id, secret, redirect_uris):
        self.client_id, self.secret, self.redirect_uris = client_id, secret, list(redirect_uris)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(self.secret, client_secret or "")

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class Code(dict):
    """An issued authorization code, as Authlib's AuthorizationCodeMixin (plus the OIDC parts)."""

    def get_redirect_uri(self):
        return self["redirect_uri"]

    def get_scope(self):
        return self["scope"]

    def get_nonce(self):
        return self.get("nonce")

    def get_auth_time(self):
        return self["auth_time"]

    def get_acr(self):
        return None

    def get_amr(self):
        return self["user"].get("amr")

    @property
    def code_challenge(self):
        return self.get("code_challenge")

    @property
    def code_challenge_method(self):
        return self.get("code_challenge_method")


class PKCERequired(CodeChallenge):
    """As Entra ID can be set to: every authorization request must carry an S256 code challenge."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class Provider:
    def __init__(self, client_id="council-app", client_secret=None, redirect_uris=()):
        self.key = RSAKey.generate_key(2048, parameters={"kid": f"test-{secrets.token_hex(4)}", "use": "sig"},
                                       private=True)
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid}, private=True)
        self.client = Client(client_id, client_secret or secrets.token_urlsafe(24), redirect_uris)
        self.users = {}  # login -> claims (sub, email, email_verified, name, amr)
        self.codes = {}
        self.tamper = {}
        self.token_requests = []  # what our app sent to /token (form fields), for the PKCE test
        self.issuer = None
        self._server = self._thread = None
        self.app = self._make_app()

    # --- People at the provider -------------------------------------------------------------

    def add_user(self, login, email, email_verified=True, sub=None, amr=None, name=None):
        claims = {"sub": sub or f"sub-{secrets.token_hex(6)}", "email": email, "name": name or login}
        if email_verified is not None:
            claims["email_verified"] = email_verified
        if amr is not None:
            claims["amr"] = amr
        self.users[login] = claims
        return claims

    # --- The Authlib server -----------------------------------------------------------------

    def _make_app(self):
        provider = self
        app = Flask("test_oidc_provider")
        app.config.update(SECRET_KEY=secrets.token_hex(16), SESSION_COOKIE_NAME="test_provider_session")

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):
                data = req.payload.data
                provider.codes[code] = Code(
                    code=code, client_id=req.client.client_id, redirect_uri=req.payload.redirect_uri,
                    scope=req.payload.scope, nonce=data.get("nonce"), user=req.user, auth_time=int(time.time()),
                    code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found["client_id"] == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code["code"], None)

            def authenticate_user(self, authorization_code):
                return authorization_code["user"]

        class OpenIDExtension(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.get("nonce") == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.other_key if provider.tamper.get("sign_with_other_key") else provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_client_claims(self, client):
                claims = {"iss": provider.tamper.get("iss", provider.issuer),
                          "aud": [provider.tamper.get("aud", client.get_client_id())]}
                if provider.tamper.get("expired"):  # issued an hour ago, expired ten minutes ago
                    now = int(time.time())
                    claims.update(iat=now - 3600, exp=now - 600, auth_time=now - 3600)
                return claims

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.key.kid}

            def get_authorization_code_claims(self, authorization_code):
                claims = super().get_authorization_code_claims(authorization_code)
                if "nonce" in provider.tamper:
                    claims["nonce"] = provider.tamper["nonce"]
                return claims

            def generate_user_info(self, user, scope):
                info = {"sub": user["sub"], "name": user["name"]}
                if "email" in scope:
                    info.update({k: user[k] for k in ("email", "email_verified") if k in user})
                return UserInfo(info)

        server = AuthorizationServer(app, query_client=lambda cid: provider.client if cid == provider.client.client_id
                                     else None, save_token=lambda token, req: None)
        server.register_grant(CodeGrant, [OpenIDExtension(require_nonce=True), PKCERequired()])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = provider.issuer
            return jsonify(issuer=base, authorization_endpoint=f"{base}/authorize", token_endpoint=f"{base}/token",
                           jwks_uri=f"{base}/jwks", response_types_supported=["code"],
                           subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"],
                           scopes_supported=["openid", "email", "profile"], code_challenge_methods_supported=["S256"],
                           token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"])

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([provider.key]).as_dict(private=False))

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            user = provider.users.get(request.form.get("login", "")) if request.method == "POST" else None
            try:
                grant = server.get_consent_grant(end_user=user)
            except OAuth2Error as exc:  # a bad request from the client: shown, as a real provider would
                return f"<h1>Bad request</h1><p>{escape(exc.get_error_description() or exc.error)}</p>", 400
            if user is None:
                return _login_page("Unknown login" if request.method == "POST" else "")
            return server.create_authorization_response(grant=grant, grant_user=user)

        @app.post("/token")
        def token():
            provider.token_requests.append(request.form.to_dict())
            return server.create_token_response()

        return app

    # --- Serving ----------------------------------------------------------------------------

    def start(self):
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._server.server_close()


def _login_page(error=""):
    problem = f'<p role="alert">{escape(error)}</p>' if error else ""
    return (f'<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>'
            f'<main><h1>Test identity provider: sign in</h1>{problem}<form method="post">'
            f'<label for="login">Login</label> <input id="login" name="login" autocomplete="username">'
            f'<button type="submit">Sign in to the provider</button></form></main></body></html>')

"""Staff single sign-on through OpenID Connect, with Authlib's Flask client. Services flush;
callers commit.

The council's identity provider (Entra ID, Google Workspace...) is found from OIDC_ISSUER's
discovery document. Sign-in is the authorization code flow with PKCE (S256), `state` and `nonce`
(Authlib keeps them in the signed Flask session between the two legs). The ID token's signature
is checked against the provider's JWKS, and its iss, aud, exp and nonce against what we expect.

SSO never creates an account. It finds an existing staff account by the (issuer, subject) pair
stored at the person's first SSO sign-in; that first time, by an email address the provider says
is verified, in one of OIDC_ALLOWED_EMAIL_DOMAINS. Residents keep password sign-in only.
"""
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import current_app, session, url_for
from joserfc.errors import JoseError
from requests import RequestException

from app.accounts.models import User
from app.audit import record
from app.common.masking import mask_email
from app.extensions import db

NEXT_KEY = "sso_next"  # where to go after sign-in, checked with safe_next when used
# Set in the Flask session of a staff session whose sign-in used the provider's multi-factor
# check in place of our TOTP step (OIDC_MFA_REPLACES_TOTP); read by app/common/auth.py.
IDP_MFA_KEY = "sso_idp_mfa"
CLIENT_NAME = "council_sso"

TRY_AGAIN = "Something went wrong while you were signing in with your council account. Try again."
NO_ACCOUNT = ("There is no staff account for the council account you signed in with. Single sign-on "
              "is for council staff who already have an account: ask an administrator to invite you.")


class SsoRefused(Exception):
    """Sign-in refused: `reason` goes in the audit log, `message` on the page, `status` the HTTP status."""

    def __init__(self, reason: str, message: str = TRY_AGAIN, status: int = 400, user: User | None = None,
                 email: str | None = None):
        super().__init__(reason)
        self.reason, self.message, self.status, self.user, self.email = reason, message, status, user, email


def enabled() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def _client():
    """The Authlib client for the configured provider, made once per app and settings (tests
    point the one app at a provider they start, so the settings are part of the key)."""
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"], config["OIDC_SCOPES"])
    cached = current_app.extensions.get("sso_client")
    if cached is not None and cached[0] == key:
        return cached[1]
    oauth = OAuth()
    oauth.app = current_app._get_current_object()  # not init_app: one OAuth per settings, kept below
    client = oauth.register(
        CLIENT_NAME, client_id=config["OIDC_CLIENT_ID"], client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256",
                       "default_timeout": config["OIDC_TIMEOUT_SECONDS"]})
    current_app.extensions["sso_client"] = (key, client)
    return client


def redirect_uri() -> str:
    """Built on BASE_URL (never the Host header): it must equal the URI registered at the provider."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.sso_callback")


def start(next_url: str | None):
    """The redirect to the provider's sign-in page (state, nonce and PKCE verifier kept in the session)."""
    # One sign-in at a time per browser: Authlib keeps each started one in the cookie session for
    # an hour, so repeated presses would otherwise grow the cookie past what browsers keep.
    for key in [k for k in session if k.startswith(f"_state_{CLIENT_NAME}_")]:
        session.pop(key)
    session[NEXT_KEY] = next_url
    try:
        return _client().authorize_redirect(redirect_uri())
    except (RequestException, ValueError, KeyError, RuntimeError) as exc:
        current_app.logger.warning("single sign-on: provider discovery failed: %s", type(exc).__name__)
        raise SsoRefused("provider unreachable", "Council account sign-in is not working at the moment. "
                         "Try again later, or sign in with your email address and password.", 502) from exc


def _claims_options() -> dict:
    config = current_app.config
    return {"iss": {"essential": True, "value": config["OIDC_ISSUER"]},
            "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
            "sub": {"essential": True}, "exp": {"essential": True}}


def finish(args) -> dict:
    """Exchange the callback's code for tokens and return the validated ID token's claims."""
    if args.get("error"):
        raise SsoRefused(f"provider returned an error: {args.get('error')[:60]}")
    client = _client()
    try:
        token = client.authorize_access_token(claims_options=_claims_options())
    except MismatchingStateError as exc:
        raise SsoRefused("state did not match", "Your sign-in could not be completed: it may have taken too "
                         "long, or been started in another window. Try again.") from exc
    except AuthlibBaseError as exc:
        raise SsoRefused(f"provider refused the code: {str(exc.error)[:60]}") from exc
    except JoseError as exc:
        claim = getattr(exc, "claim", None)
        raise SsoRefused(f"ID token rejected: {exc.error or type(exc).__name__}{f' ({claim})' if claim else ''}"[:120]) \
            from exc
    except (RequestException, ValueError, KeyError, TypeError, RuntimeError) as exc:
        current_app.logger.warning("single sign-on: token exchange failed: %s", type(exc).__name__)
        raise SsoRefused(f"token exchange failed: {type(exc).__name__}", status=502) from exc
    claims = token.get("userinfo")
    if not claims:
        raise SsoRefused("no ID token")
    return dict(claims)


def _verified(claims) -> bool:
    # Google sends email_verified; Entra ID sends xms_edov ("email domain owner verified") when
    # it is added as an optional claim. Either must be JSON true, not just present.
    return claims.get("email_verified") is True or claims.get("xms_edov") is True


def match_user(claims: dict) -> User:
    """The active staff account these claims belong to, linking it on first use; else SsoRefused."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    email = (claims.get("email") or "").strip().lower()
    user = User.query.filter_by(oidc_issuer=issuer, oidc_subject=subject).one_or_none()
    if user is None:
        user = _link_by_email(issuer, subject, email, _verified(claims))
    if not user.is_staff:
        raise SsoRefused("not a staff account", NO_ACCOUNT, 403, user=user, email=email)
    if not user.active:
        raise SsoRefused("account deactivated", "Your account has been deactivated. Ask an administrator "
                         "if you need it again.", 403, user=user, email=email)
    return user


def _link_by_email(issuer: str, subject: str, email: str, verified: bool) -> User:
    if not email:
        raise SsoRefused("no email address in the ID token", NO_ACCOUNT, 403)
    if not verified:
        raise SsoRefused("email address not verified by the provider", NO_ACCOUNT, 403, email=email)
    domain = email.rpartition("@")[2]
    if domain not in current_app.config["OIDC_ALLOWED_EMAIL_DOMAINS"]:
        raise SsoRefused("email domain not allowed", NO_ACCOUNT, 403, email=email)
    user = User.query.filter_by(email=email).one_or_none()
    if user is None or not user.is_staff:
        raise SsoRefused("no staff account for this email", NO_ACCOUNT, 403, user=user, email=email)
    if user.oidc_subject is not None:
        # Already linked to another identity: a re-used or renamed address must not take it over.
        raise SsoRefused("account already linked to another identity", NO_ACCOUNT, 403, user=user, email=email)
    user.link_sso(issuer, subject)
    db.session.flush()
    record("account.sso_linked", actor=user, subject=user, detail={"email": mask_email(email)})
    return user


def idp_mfa(claims: dict) -> bool:
    """Whether the provider's multi-factor sign-in stands in for our TOTP step."""
    config = current_app.config
    amr = claims.get("amr")
    return bool(config["OIDC_MFA_REPLACES_TOTP"] and isinstance(amr, list)
                and set(map(str, amr)) & set(config["OIDC_MFA_AMR_VALUES"]))


def unlink(user: User, acting: User):
    """An admin undoes a link (e.g. made to the wrong person); the next SSO sign-in links by email again."""
    issuer = user.oidc_issuer
    user.unlink_sso()
    db.session.flush()
    record("account.sso_unlinked", actor=acting, subject=user, detail={"issuer": issuer})

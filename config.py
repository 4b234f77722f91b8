"""Settings, all read from environment variables.

Development needs nothing set: SQLite in the instance folder, emails written to an outbox
folder, background work done in-process. Production (`APP_ENV=production`) refuses to start
without SECRET_KEY.
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


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # None means "SQLite file in the instance folder"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")  # set => RQ workers do background work
    # Without Redis: "thread" runs a request's background work on its own thread so the page
    # returns at once; "sync" runs it before the response (the tests see its result at once).
    IN_PROCESS_JOBS = os.environ.get("IN_PROCESS_JOBS", "thread")
    # At most this many such threads per process; more work waits its turn (read once).
    IN_PROCESS_JOB_WORKERS = _int("IN_PROCESS_JOB_WORKERS", 2)
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northbrook Council")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Have your say")
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    TIMEZONE = "Europe/London"

    # Email: "outbox" writes .eml files to instance/outbox and logs them; "smtp" sends.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Northbrook Council <noreply@northbrook.example>")

    # Cookies: HttpOnly and SameSite=Lax always; Secure in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a long consultation form must not expire mid-answer
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # bigger bodies get a friendly 413 page

    PASSWORD_MIN_LENGTH = 12
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = _int("LOGIN_LOCKOUT_MINUTES", 15)
    INVITE_VALID_HOURS = _int("INVITE_VALID_HOURS", 72)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # "What happened to my response": reference look-ups allowed per address (Flask-Limiter syntax).
    MY_RESPONSE_RATE_LIMIT = os.environ.get("MY_RESPONSE_RATE_LIMIT", "10 per minute;30 per hour")

    # Groups smaller than this are shown as "fewer than N" in every aggregate table.
    SMALL_NUMBER_THRESHOLD = _int("SMALL_NUMBER_THRESHOLD", 10)
    # Citizens' Panel sign-ups not confirmed within this many days are erased by
    # `flask panel purge-unconfirmed` (run it daily from cron).
    PANEL_UNCONFIRMED_RETENTION_DAYS = _int("PANEL_UNCONFIRMED_RETENTION_DAYS", 30)
    SURGERY_LINK_MAX_AGE_DAYS = _int("SURGERY_LINK_MAX_AGE_DAYS", 400)  # residents' change/cancel links
    # Theme engine: "light" (default) or "minilm" when the optional embeddings are installed.
    NLP_VECTORISER = os.environ.get("NLP_VECTORISER", "light")
    # NLP_SENTENCE_MODEL (read by nlp itself): a local directory holding another
    # sentence-transformers model to use with "minilm" instead of all-MiniLM-L6-v2.
    NLP_SPACY_MODEL = os.environ.get("NLP_SPACY_MODEL")  # a trained pipeline, only if installed


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    IN_PROCESS_JOBS = "sync"
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    BASE_URL = "http://localhost"


def config_from_env():
    return ProductionConfig if os.environ.get("APP_ENV") == "production" else Config

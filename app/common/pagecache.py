"""Whole-page cache and ETags for anonymous visitors to public pages.

A public page (PUBLIC_ENDPOINTS) is the same for every visitor who is not signed in, so the
first anonymous visit renders it and the next ones, for up to PUBLIC_PAGE_CACHE_SECONDS, get
the stored copy: no queries, no templates. Flask-Caching keeps the copies in Redis when
REDIS_URL is set (shared by every worker and server), in each process's memory otherwise.

Never personal:
- only GET, only visitors with no signed-in session and no remember cookie, and no flash
  message waiting; a page is stored only if it set no cookie and left the session unchanged,
  and only when rendered for an anonymous visitor (checked again after the view ran);
- the per-response values are never shared: the CSP nonce is stored as a marker and each
  visitor gets a fresh one; on the response form (FORM_ENDPOINTS) so are the CSRF token
  (generated for this visitor's session as the uncached page would) and the one-time
  submission key.

Fresh: any commit that changes something public (anything but responses, sign-ins and logs,
IGNORED_TABLES) bumps a version number, and a copy of an older version is never served; what
the version can't see (a consultation opening by the clock, response counts) waits at most the
TTL. Other processes see a change up to PAGE_CACHE_LOCAL_SECONDS later (see _local). Every
public page and API answer carries an ETag: a client sending If-None-Match gets a bodiless 304.
"""
import hashlib
import re
import secrets
import time

from flask import current_app, g, has_app_context, request, session
from flask_caching import Cache
from sqlalchemy import event, inspect
from sqlalchemy.orm import RelationshipProperty, Session

cache = Cache()

PUBLIC_ENDPOINTS = {
    "main.index", "main.privacy", "main.accessibility",
    "consultations.index", "consultations.show", "consultations.public_results",
    "actions.progress", "actions.progress_chart", "actions.you_said_we_did_index", "actions.ysyw_show",
    "actions.action_show",
    "places.index", "places.show", "places.compass_image",
    "api.openapi", "api.consultations", "api.consultation", "api.consultation_themes", "api.you_said_we_did",
    "api.you_said_we_did_one", "api.plans", "api.actions", "api.action",
}
FORM_ENDPOINTS = {"consultations.respond"}
# Rows written by residents responding, signing in and by logging: they change no public page
# straight away (counts may lag by the TTL), and bumping on each would empty the cache per POST.
IGNORED_TABLES = {"responses", "answers", "about_you", "user_sessions", "users", "audit_events", "login_throttles",
                  "outbound_emails", "staff_invites", "recovery_codes", "action_import_drafts", "panel_members",
                  "panel_equality", "surgery_bookings", "security_keys", "security_key_challenges",
                  "consultation_events", "action_plan_events", "response_import_drafts",
                  # Shared-goal answers: results are public only once a round has closed.
                  "tracker_responses", "tracker_answers", "tracker_about_you",
                  # Statement votes: the summary is public only once an officer publishes it.
                  "deliberation_participants", "deliberation_votes", "deliberation_about_you",
                  "deliberation_results"}
VERSION_KEY = "pagecache:version"
NONCE_MARK, CSRF_MARK, KEY_MARK = "@@pc-nonce@@", "@@pc-csrf@@", "@@pc-key@@"
_KEY_INPUT = re.compile(r'(name="submission_key" type="hidden" value=")([A-Za-z0-9_-]{20,64})(")')
# Each process also keeps the pages it served for PAGE_CACHE_LOCAL_SECONDS (default 2), so a
# popular page costs no Redis round trip either; a change made elsewhere shows that much later.
_local: dict = {}
LOCAL_MAX = 500
MAX_QUERY = 200  # longer query strings are not cached (nobody fills the cache with variants)


def init_app(app):
    seconds = app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 30)
    redis_url = app.config.get("REDIS_URL")
    config = {"CACHE_DEFAULT_TIMEOUT": seconds, "CACHE_KEY_PREFIX": app.config.get("PAGE_CACHE_PREFIX", "hys:")}
    if redis_url and seconds > 0:
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    else:  # also when switched off (0): then nothing is read or written (page_cache_enabled)
        config["CACHE_TYPE"] = "SimpleCache"
    cache.init_app(app, config=config)
    app.extensions["page_cache_enabled"] = seconds > 0
    app.extensions["page_cache_shared"] = bool(redis_url) and seconds > 0
    app.before_request(_serve)
    app.after_request(_store)


def _anonymous() -> bool:
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and remember not in request.cookies and "_flashes" not in session


def _cache_key() -> str | None:
    if request.method != "GET" or request.endpoint not in PUBLIC_ENDPOINTS | FORM_ENDPOINTS:
        return None
    if len(request.query_string) > MAX_QUERY or not _anonymous():
        return None
    return "page:" + request.full_path


def _read(key):
    """(version, entry): the entry only if it belongs to the current version. An entry past its
    freshness is still returned to everyone but one request, which renders the page again
    (so an expiry doesn't send every worker to the database at once)."""
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and local[0] > now:
        return local[1], local[2]
    try:
        version, entry = cache.get_many(VERSION_KEY, key)
    except Exception:  # Redis away: render the page as if there were no cache
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None, None
    if not entry or entry.get("version") != version:
        return version, None
    if entry["fresh_until"] < time.time():
        if cache.add("lock:" + key, 1, timeout=30):
            g.page_cache_lock = "lock:" + key
            return version, None
        return version, entry
    if len(_local) >= LOCAL_MAX:
        _local.clear()
    _local[key] = (now + current_app.config.get("PAGE_CACHE_LOCAL_SECONDS", 2), version, _prepare(entry))
    return version, entry


_MARKS = re.compile("(" + "|".join(re.escape(m) for m in (NONCE_MARK, CSRF_MARK, KEY_MARK)) + ")")


def _prepare(entry):
    """Adds to the entry its body as encoded pieces with the markers (str) between them."""
    if "parts" not in entry:
        pieces = _MARKS.split(entry["body"])
        entry["parts"] = [piece if i % 2 else piece.encode() for i, piece in enumerate(pieces)]
        entry["marks"] = set(pieces[1::2])
    return entry


def _serve():
    key = _cache_key()
    if key is None:
        return None
    g.page_cache_key = key
    if not current_app.extensions.get("page_cache_enabled"):
        return None
    g.page_cache_version, entry = _read(key)
    if entry is None:
        return None
    g.page_cache_hit = True
    if entry["etag"] and request.endpoint not in FORM_ENDPOINTS and entry["etag"] in request.if_none_match:
        response = current_app.response_class(status=304)
        response.set_etag(entry["etag"])
        return response
    values = {}
    for mark in _prepare(entry)["marks"]:
        if mark == NONCE_MARK:
            from app.common.security import csp_nonce

            values[mark] = csp_nonce().encode()
        elif mark == CSRF_MARK and request.endpoint in FORM_ENDPOINTS:
            from flask_wtf.csrf import generate_csrf

            values[mark] = generate_csrf().encode()
        elif mark == KEY_MARK and request.endpoint in FORM_ENDPOINTS:
            from app.consultations.responses import new_submission_key

            values[mark] = new_submission_key().encode()
    # The body was encoded once, split at its markers (_prepare): a hit only joins bytes.
    body = b"".join(part if type(part) is bytes else values.get(part) or part.encode() for part in entry["parts"])
    response = current_app.response_class(body, status=200, mimetype=entry["mimetype"])
    if entry["etag"] and request.endpoint not in FORM_ENDPOINTS:
        response.set_etag(entry["etag"])
    return response


def _store(response):
    key = g.get("page_cache_key")
    if key is None or g.get("page_cache_hit") or response.status_code != 200 or response.direct_passthrough:
        return response
    from flask_login import current_user

    is_form = request.endpoint in FORM_ENDPOINTS
    if current_user.is_authenticated or not _anonymous() or ("Set-Cookie" in response.headers and not is_form):
        return response
    if session.modified and not is_form:
        return response
    body = response.get_data(as_text=True)
    nonce = g.get("csp_nonce")
    if nonce:
        body = body.replace(nonce, NONCE_MARK)
    if is_form:
        body = _form_template(body)
        if body is None:
            return response
    etag = None if is_form else hashlib.sha256(body.encode()).hexdigest()[:32]
    if current_app.extensions.get("page_cache_enabled"):
        try:
            seconds = current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 30)
            # Kept past its freshness so that, while one request renders it again, the others
            # are served this copy (see _read).
            cache.set(key, {"version": g.get("page_cache_version"), "body": body, "mimetype": response.mimetype,
                            "etag": etag, "fresh_until": time.time() + seconds}, timeout=seconds * 4)
            if g.get("page_cache_lock"):
                cache.delete(g.page_cache_lock)
        except Exception:
            current_app.logger.warning("page cache unavailable", exc_info=True)
    if etag:
        response.set_etag(etag)
        response.make_conditional(request)
    return response


def _form_template(body):
    """The form page with this visitor's CSRF token and submission key swapped for markers, or
    None if it isn't the blank form (a signed-in resident's answers, the "closed" page)."""
    found = _KEY_INPUT.search(body)
    if found is None:
        return None
    body = _KEY_INPUT.sub(lambda m: m.group(1) + KEY_MARK + m.group(3), body)
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(token, CSRF_MARK)
    return body


def shared_version() -> str | None:
    """The current version as every process sees it (Redis), read now; None with no shared cache
    or when Redis can't be reached. For things kept per process that must never be older than
    the last public change (app/consultations/respond_cache.py)."""
    if not current_app.extensions.get("page_cache_shared"):
        return None
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # never bumped (or Redis emptied): start one, so there is one to compare
            cache.add(VERSION_KEY, secrets.token_hex(8), timeout=0)
            version = cache.get(VERSION_KEY)
    except Exception:
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None
    return version


# --- invalidation: a commit that changed something public starts a new version ---------------

def _changes_public(obj, whole_row) -> bool:
    table = getattr(obj, "__tablename__", None)
    if not table or table in IGNORED_TABLES:
        return False
    if whole_row:
        return True
    # A new response joins its consultation's `responses`, which marks the consultation dirty:
    # only changes to its own columns, or to links with public rows, count.
    state = inspect(obj)
    for prop in state.mapper.attrs:
        if isinstance(prop, RelationshipProperty) and prop.mapper.local_table.name in IGNORED_TABLES:
            continue
        if state.attrs[prop.key].history.has_changes():
            return True
    return False


@event.listens_for(Session, "before_flush")
def _note_public_changes(db_session, flush_context, instances):
    if db_session.info.get("public_changed"):
        return
    changed = [(obj, True) for obj in (*db_session.new, *db_session.deleted)]
    if any(_changes_public(obj, whole) for obj, whole in changed + [(obj, False) for obj in db_session.dirty]):
        db_session.info["public_changed"] = True


@event.listens_for(Session, "after_commit")
def _bump_version(db_session):
    if db_session.info.pop("public_changed", False) and has_app_context() \
            and current_app.extensions.get("page_cache_enabled"):
        _local.clear()
        try:
            cache.set(VERSION_KEY, secrets.token_hex(8), timeout=0)
        except Exception:
            current_app.logger.warning("page cache version not bumped", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_changes(db_session):
    db_session.info.pop("public_changed", None)

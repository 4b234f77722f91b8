"""Probes for load balancers and process supervisors.

`/healthz` says only that this process answers (liveness: restart it if not); `/readyz` says it
can do its work, checking the database and, when background work uses Redis, Redis
(readiness: send it traffic only if so). Neither touches the session or shows anything personal,
so both are safe to leave open; they name which dependency failed, never why.
"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db, limiter

bp = Blueprint("health", __name__)


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        current_app.logger.warning("readiness: database check failed", exc_info=True)
        db.session.rollback()
        return False


def _redis_ok(url: str) -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001
        current_app.logger.warning("readiness: Redis check failed", exc_info=True)
        return False


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": _database_ok()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_ok(current_app.config["REDIS_URL"])
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "failed" for name, ok in checks.items()}}
    return jsonify(body), 200 if ready else 503

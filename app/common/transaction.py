"""The request or CLI command owns the transaction: services flush, callers `commit()`.

`commit()` also starts the background jobs the services queued with `after_commit()`, so a
job never runs against data that was rolled back, and never before it is visible.
"""
import logging

from flask import current_app

from app.extensions import db

log = logging.getLogger(__name__)
_PENDING = "pending_jobs"


def after_commit(func, *args, **kwargs):
    """Queue `func(*args, **kwargs)` to run once the current transaction commits."""
    db.session.info.setdefault(_PENDING, []).append((func, args, kwargs))


def commit():
    db.session.commit()
    pending = db.session.info.pop(_PENDING, [])
    for func, args, kwargs in pending:
        enqueue(func, *args, **kwargs)


def rollback():
    db.session.rollback()
    db.session.info.pop(_PENDING, None)


def enqueue(func, *args, **kwargs):
    """Run on an RQ worker when REDIS_URL is set, otherwise here and now.

    If Redis can't be reached the work runs here instead: the request has already committed,
    so failing now would show the user an error for an action that succeeded and leave the
    job (e.g. a theme analysis) queued for ever. In-process failures are logged, never raised.
    """
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            Queue("default", connection=Redis.from_url(redis_url, socket_connect_timeout=5)).enqueue(
                "app.common.jobs.run_job", f"{func.__module__}:{func.__qualname__}", args, kwargs,
                job_timeout=1800,
            )
            return
        except RedisError:
            log.exception("could not queue %s on Redis; running it in this process", func.__qualname__)
    try:
        func(*args, **kwargs)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the job's own failure must not undo the request
        db.session.rollback()
        log.exception("background job %s failed", func.__qualname__)

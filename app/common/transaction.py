"""The request or CLI command owns the transaction: services flush, callers `commit()`.

`commit()` also starts the background jobs the services queued with `after_commit()`, so a
job never runs against data that was rolled back, and never before it is visible.

Where a job runs: on an RQ worker when REDIS_URL is set; otherwise in this process. In a web
request, in-process jobs run on a background thread with their own app context and database
session (IN_PROCESS_JOBS="thread", the default), so the officer's browser is not held while,
say, a theme analysis runs and its status page can show progress. The threads come from one
pool of IN_PROCESS_JOB_WORKERS (default 2): a burst of requests queues its work instead of
starting a thread each and running many analyses at once. CLI commands, and
IN_PROCESS_JOBS="sync" (the tests), run them straight after the commit.
"""
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures

from flask import current_app, has_request_context

from app.extensions import db

log = logging.getLogger(__name__)
_PENDING = "pending_jobs"
_pool: ThreadPoolExecutor | None = None
_futures: set[Future] = set()
_pool_lock = threading.Lock()


def after_commit(func, *args, **kwargs):
    """Queue `func(*args, **kwargs)` to run once the current transaction commits."""
    db.session.info.setdefault(_PENDING, []).append((func, args, kwargs))


def commit():
    db.session.commit()
    pending = db.session.info.pop(_PENDING, [])
    if pending:
        _dispatch(pending)


def rollback():
    db.session.rollback()
    db.session.info.pop(_PENDING, None)


def enqueue(func, *args, **kwargs):
    """Start `func(*args, **kwargs)` now, as commit() starts queued jobs."""
    _dispatch([(func, args, kwargs)])


def _dispatch(jobs):
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        jobs = _queue_on_redis(redis_url, jobs)
    if not jobs:
        return
    if has_request_context() and current_app.config.get("IN_PROCESS_JOBS", "thread") == "thread":
        # Pool threads are joined at interpreter exit, so a clean shutdown finishes the work.
        future = _job_pool().submit(_run_in_thread, current_app._get_current_object(), jobs)
        with _pool_lock:
            _futures.add(future)
        future.add_done_callback(_forget)
    else:
        for func, args, kwargs in jobs:
            _run_here(func, args, kwargs)


def _queue_on_redis(redis_url, jobs):
    """Queue the jobs for RQ workers; returns those that could not be queued.

    If Redis can't be reached they run in this process instead: the request has already
    committed, so failing now would show the user an error for an action that succeeded and
    leave the job (e.g. a theme analysis) "queued" for ever.
    """
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    queue = Queue("default", connection=Redis.from_url(redis_url, socket_connect_timeout=5))
    for index, (func, args, kwargs) in enumerate(jobs):
        try:
            queue.enqueue("app.common.jobs.run_job", f"{func.__module__}:{func.__qualname__}", args, kwargs,
                          job_timeout=1800)
        except RedisError:
            log.exception("could not queue background work on Redis at %s; running it in this process",
                          redis_url)
            return jobs[index:]
    return []


def _run_here(func, args, kwargs):
    """In-process failures are logged, never raised: the user's action has already succeeded."""
    try:
        func(*args, **kwargs)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the job's own failure must not undo the request
        db.session.rollback()
        log.exception("background job %s failed", func.__qualname__)
        from app.operations.metrics import JOB_FAILURES

        JOB_FAILURES.labels("in_process").inc()


def _job_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=max(1, int(current_app.config.get("IN_PROCESS_JOB_WORKERS", 2))),
                                       thread_name_prefix="in-process-jobs")
        return _pool


def _forget(future):
    with _pool_lock:
        _futures.discard(future)


def _run_in_thread(app, jobs):
    with app.app_context():  # its own session, removed when the context ends
        for func, args, kwargs in jobs:
            _run_here(func, args, kwargs)


def wait_for_jobs(timeout: float = 60) -> bool:
    """Wait for in-process background jobs to finish (for tests and benchmarks).

    Returns False if some were still running or queued after `timeout` seconds.
    """
    with _pool_lock:
        pending = list(_futures)
    return not wait_for_futures(pending, timeout).not_done

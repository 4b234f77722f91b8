"""What an RQ worker runs: `rq worker --url $REDIS_URL default` (see README).

Each job gets its own app context and commits its own work.
"""
import importlib

_app = None


def _get_app():
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def use_app(app) -> None:
    """Run this process's jobs in `app` (None: build one from the environment when needed).

    Lets a test drive a real RQ worker in-process against the test app and its database.
    """
    global _app
    _app = app


def run_job(dotted: str, args, kwargs):
    module_name, _, qualname = dotted.partition(":")
    func = importlib.import_module(module_name)
    for part in qualname.split("."):
        func = getattr(func, part)
    from app.extensions import db

    with _get_app().app_context():
        try:
            func(*args, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            from app.operations.metrics import JOB_FAILURES

            JOB_FAILURES.labels("worker").inc()
            raise

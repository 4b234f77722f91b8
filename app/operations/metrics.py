"""Prometheus metrics: request counts and latencies by route, queue depth, job failures.

Served at /metrics in Prometheus text format, only to the addresses in METRICS_ALLOWED (the
monitoring server); anyone else gets a plain 404. Route labels are Flask endpoint names, never
URLs, so ids and tokens never reach the metrics store.

Under gunicorn each worker is its own process: set PROMETHEUS_MULTIPROC_DIR to an empty
directory (deploy/gunicorn.conf.py does) and every worker's figures are added up at scrape time.
"""
import ipaddress
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from app.extensions import limiter

bp = Blueprint("metrics", __name__)

REQUESTS = Counter("council_http_requests_total", "HTTP requests answered",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("council_http_request_seconds", "Time to answer an HTTP request",
                    ["endpoint", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
JOB_FAILURES = Counter("council_background_job_failures_total", "Background jobs that raised",
                       ["runner"])
# Audit events (app/audit) by kind and outcome, so alerts can fire on bursts of refused sign-ins,
# codes or access (deploy/prometheus/have-your-say-alerts.yml). Names only: never who or from where.
SECURITY_EVENTS = Counter("council_security_events_total", "Security and personal-data events recorded",
                          ["event", "outcome"])


def _allowed(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for item in current_app.config.get("METRICS_ALLOWED", "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            if ip in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            current_app.logger.warning("METRICS_ALLOWED: %r is not an address or network", item)
    return False


class _BacklogCollector:
    """Read at scrape time: work waiting, from the database and (when used) Redis."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        from sqlalchemy import func, select

        from app.extensions import db
        from app.notifications.models import OutboundEmail

        outbox = GaugeMetricFamily("council_email_outbox", "Emails waiting to be sent", labels=["status"])
        with self.app.app_context():
            counts = dict(db.session.execute(select(OutboundEmail.status, func.count())
                                             .group_by(OutboundEmail.status)).all())
            db.session.remove()
        for status in ("queued", "failed", "gave_up"):
            outbox.add_metric([status], counts.get(status, 0))
        yield outbox
        redis_url = self.app.config.get("REDIS_URL")
        if redis_url:
            from redis import Redis
            from rq import Queue

            queue = Queue("default", connection=Redis.from_url(redis_url, socket_connect_timeout=1))
            yield GaugeMetricFamily("council_queue_depth", "Background jobs waiting on the RQ queue",
                                    value=queue.count)
            yield GaugeMetricFamily("council_queue_failed", "Jobs in RQ's failed-job registry",
                                    value=queue.failed_job_registry.count)


@bp.get("/metrics")
@limiter.exempt
def metrics():
    if not _allowed(request.remote_addr):
        abort(404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, JOB_FAILURES, SECURITY_EVENTS):
            registry.register(collector)
    registry.register(_BacklogCollector(current_app._get_current_object()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


def register(app):
    app.register_blueprint(bp)

    @app.before_request
    def _start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        if started is not None and request.endpoint != "metrics.metrics":
            endpoint = request.endpoint or "unknown"  # 404s have no endpoint
            LATENCY.labels(endpoint, request.method).observe(time.perf_counter() - started)
            REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        return response


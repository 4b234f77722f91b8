"""Request ids, JSON logs and Prometheus metrics, over real HTTP to the app."""
import json
import logging

from app import create_app
from app.common.logs import configure_logging
from tests.conftest import Settings


def test_every_response_carries_a_request_id_and_keeps_a_proxys(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second and len(first) >= 16
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert kept.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    # An id that could forge log lines or fields is replaced, not echoed.
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" level="ERROR'})
    assert "level" not in forged.headers["X-Request-ID"]


def test_json_logs_name_the_request(db, capfd):
    class JsonLogs(Settings):
        LOG_FORMAT = "json"

    app = create_app(JsonLogs)

    @app.get("/test-only/log")
    def _log_something():
        logging.getLogger("app.test").info("hello from a request")
        return "ok"

    response = app.test_client().get("/test-only/log", headers={"X-Request-ID": "req-abcdef123456"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("message") == "hello from a request"]
    configure_logging("text")
    assert ours and ours[0]["request_id"] == "req-abcdef123456"
    assert ours[0]["level"] == "INFO" and ours[0]["logger"] == "app.test"


def test_metrics_are_served_only_to_allowed_addresses(db):
    class Monitored(Settings):
        METRICS_ALLOWED = "10.1.2.0/24, ::1"

    client = create_app(Monitored).test_client()
    client.get("/healthz")
    client.get("/no-such-page")
    refused = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert refused.status_code == 404
    allowed = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.7"})
    assert allowed.status_code == 200
    text = allowed.get_data(as_text=True)
    assert 'council_http_requests_total{endpoint="health.healthz",method="GET",status="200"}' in text
    assert 'endpoint="unknown",method="GET",status="404"' in text
    assert "council_http_request_seconds_bucket" in text
    assert 'council_email_outbox{status="queued"} 0.0' in text
    assert allowed.headers["Cache-Control"] == "no-store"

"""Liveness and readiness probes, over real HTTP to the app and a real database and Redis."""
import os

from app import create_app
from tests.conftest import Settings, skip_or_fail


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok"}


def test_readyz_says_unavailable_when_redis_is_down(db):
    class Broken(Settings):
        REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = create_app(Broken).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable",
                                    "checks": {"database": "ok", "redis": "failed"}}


def test_readyz_checks_a_live_redis(db):
    url = os.environ.get("REDIS_TEST_URL")
    if not url:
        skip_or_fail("REDIS_TEST_URL not set")

    class WithRedis(Settings):
        REDIS_URL = url

    response = create_app(WithRedis).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}

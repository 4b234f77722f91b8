"""Issue 14, finding 5: limits counted per peer address in each process's memory. Behind the
council's reverse proxy every resident shared one limit, and each worker kept its own count."""
from tests.conftest import REDIS_TEST_URL, redis_or_skip


def _ask_for_manage_link(app, address="victim@example.org"):
    return app.test_client().post("/panel/manage", data={"email": address}).status_code


def test_two_app_processes_share_one_count_through_redis(limited_app):
    """Two create_app() objects, as two waitress workers would make, with only REDIS_URL set.
    (The limiter extension is one object per process, so the second app re-opens the storage
    from its settings: in memory that count would start again from nothing.)"""
    from redis import Redis
    from rq import Queue

    url = redis_or_skip(REDIS_TEST_URL)
    queue = Queue("default", connection=Redis.from_url(url))  # with REDIS_URL, emails go to RQ
    queue.empty()
    try:
        first = limited_app(REDIS_URL=url, RATELIMIT_STORAGE_URI=None)
        assert [_ask_for_manage_link(first) for _ in range(3)] == [302, 302, 302]
        second = limited_app(REDIS_URL=url, RATELIMIT_STORAGE_URI=None)
        assert second.config["RATELIMIT_STORAGE_URI"] == url
        assert _ask_for_manage_link(second) == 429
        assert _ask_for_manage_link(second, "someone-else@example.org") == 302
    finally:
        queue.empty()


def test_without_redis_each_process_counts_alone(limited_app, db):
    """Why Redis matters: the same two steps with memory storage let the fourth email through."""
    first = limited_app(REDIS_URL=None, RATELIMIT_STORAGE_URI=None)
    assert first.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert [_ask_for_manage_link(first) for _ in range(3)] == [302, 302, 302]
    second = limited_app(REDIS_URL=None, RATELIMIT_STORAGE_URI=None)
    assert _ask_for_manage_link(second) == 302


def _respond(client, consultation, forwarded_for):
    return client.post(f"/consultations/{consultation.id}/respond", data={},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_behind_a_trusted_proxy_each_resident_has_their_own_limit(limited_app):
    from tests import factories

    consultation = factories.consultation(status="open")
    app = limited_app(TRUSTED_PROXIES=1)
    proxy = app.test_client()
    proxy.environ_base["REMOTE_ADDR"] = "10.0.0.5"  # every request arrives from the proxy
    assert {_respond(proxy, consultation, "203.0.113.1") for _ in range(20)} == {200}
    assert _respond(proxy, consultation, "203.0.113.1") == 429
    assert _respond(proxy, consultation, "203.0.113.2") == 200  # another resident, same proxy
    # The proxy appends the address it saw: whatever the client wrote before it is not believed.
    assert _respond(proxy, consultation, "198.51.100.9, 203.0.113.1") == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(limited_app):
    from tests import factories

    consultation = factories.consultation(status="open")
    app = limited_app()
    assert app.config["TRUSTED_PROXIES"] == 0
    client = app.test_client()
    assert {_respond(client, consultation, f"203.0.113.{n}") for n in range(20)} == {200}
    assert _respond(client, consultation, "203.0.113.99") == 429  # a made-up header dodges nothing

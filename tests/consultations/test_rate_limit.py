"""The public response POST is rate-limited per address (Flask-Limiter), as the README says."""
import pytest

from app import create_app
from app.extensions import limiter
from tests.conftest import Settings


class Limited(Settings):
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"


@pytest.fixture()
def limited_client(db):
    # The limiter is one shared object: switch it back off so no other test is limited.
    app = create_app(Limited)
    try:
        yield app.test_client()
    finally:
        limiter.reset()
        limiter.enabled = False


def test_response_posts_are_limited_per_address(limited_client, open_consultation):
    url = f"/consultations/{open_consultation.id}/respond"
    for _ in range(20):
        assert limited_client.post(url, data={}).status_code == 200  # errors shown, not limited
    refused = limited_client.post(url, data={})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert limited_client.get(url).status_code == 200  # reading the form is never limited

"""Absolute links, always built on BASE_URL.

Never on the request's Host header: a visitor chooses that header, so a link built from it (in an
email, a calendar file or an API's "next page") could point wherever they like.
"""
from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    """BASE_URL + the endpoint's path; works in requests, CLI commands and background jobs."""
    base = current_app.config["BASE_URL"].rstrip("/")
    values.pop("_external", None)
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)

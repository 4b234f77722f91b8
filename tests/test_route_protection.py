"""Walks app.url_map: every staff route refuses anonymous users and residents."""
import re

import pytest

from tests.conftest import login
from tests import factories

# Blueprints whose pages residents and the public may see (anything else must be under /staff).
PUBLIC_PREFIXES = ("/static", "/consultations", "/you-said-we-did", "/actions", "/progress", "/panel",
                   "/surgeries", "/api", "/sign-in", "/sign-out", "/create-account", "/account",
                   "/invitation", "/privacy", "/accessibility", "/b/", "/unsubscribe", "/")


def _fill(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)


def _staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff")]


def test_every_route_is_public_by_design_or_under_staff(app):
    for rule in app.url_map.iter_rules():
        assert rule.rule.startswith("/staff") or rule.rule.startswith(PUBLIC_PREFIXES), rule.rule


def test_there_are_staff_routes_to_check(app):
    assert len(_staff_rules(app)) >= 5


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_users_are_sent_to_sign_in(app, client, method):
    for rule in _staff_rules(app):
        if method not in rule.methods:
            continue
        response = client.open(_fill(rule), method=method)
        assert response.status_code == 302, (rule.rule, response.status_code)
        assert "/sign-in" in response.headers["Location"], rule.rule


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_residents_are_refused(app, client, method):
    login(client, factories.user(role="resident"))
    for rule in _staff_rules(app):
        if method in rule.methods:
            assert client.open(_fill(rule), method=method).status_code == 403, rule.rule


def test_admin_pages_refuse_officers_and_councillors(app, client):
    for role in ("officer", "councillor"):
        login(client, factories.user(role=role))
        for rule in _staff_rules(app):
            if rule.rule.startswith("/staff/admin") and "GET" in rule.methods:
                assert client.get(_fill(rule)).status_code == 403, (role, rule.rule)
        client.get("/sign-out")

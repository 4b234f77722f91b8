"""Admins add, change and remove the partner organisations listed on ward pages."""
import pytest

from app.extensions import db as _db
from app.wards.models import Partner
from tests import factories
from tests.conftest import login


@pytest.fixture()
def wards(db):
    return factories.ward("Hollybush"), factories.ward("Riverside")


def _data(chosen, **changes):
    data = {"name": "Friends of Hollybush Park", "description": "Volunteers who look after the park.",
            "website": "https://friends.example.org", "contact": "hello@friends.example.org",
            "wards": [str(w.id) for w in chosen]}
    data.update(changes)
    return data


def test_admin_adds_changes_and_removes_a_partner(admin_client, client, wards):
    hollybush, riverside = wards
    assert admin_client.get("/staff/admin/wards/partners/new").status_code == 200
    response = admin_client.post("/staff/admin/wards/partners/new", data=_data([hollybush]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/admin/wards/partners")
    partner = Partner.query.one()
    assert [w.name for w in partner.wards] == ["Hollybush"]
    assert "Friends of Hollybush Park" in admin_client.get("/staff/admin/wards/partners").get_data(as_text=True)

    form = admin_client.get(f"/staff/admin/wards/partners/{partner.id}").get_data(as_text=True)
    assert 'value="https://friends.example.org"' in form and "checked" in form
    admin_client.post(f"/staff/admin/wards/partners/{partner.id}",
                      data=_data([riverside], name="Friends of the Parks", website=""))
    _db.session.expire_all()
    partner = Partner.query.one()
    assert (partner.name, partner.website, [w.name for w in partner.wards]) == ("Friends of the Parks", "",
                                                                                 ["Riverside"])
    assert "Friends of the Parks" in client.get(f"/wards/{riverside.slug}").get_data(as_text=True)
    assert "Friends of the Parks" not in client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)

    assert "Are you sure" in admin_client.get(f"/staff/admin/wards/partners/{partner.id}/delete").get_data(as_text=True)
    assert admin_client.post(f"/staff/admin/wards/partners/{partner.id}/delete").status_code == 302
    assert Partner.query.count() == 0
    assert _db.session.get(type(riverside), riverside.id) is not None  # the wards stay


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Enter the organisation&#39;s name"),
    ({"description": ""}, "Say what the organisation does"),
    ({"website": "javascript:alert(1)"}, "Enter the website starting with https://"),
    ({"website": "friends"}, "Enter the website starting with https://"),
    ({"wards": []}, "Select at least one ward"),
    ({"wards": ["999999"]}, "Select wards from the list"),
    ({"wards": ["not-a-number"]}, "Select wards from the list"),
    ({"description": "d" * 1001}, "What they do must be 1000 characters or fewer"),
])
def test_bad_partner_input_gets_errors_and_keeps_what_was_typed(admin_client, wards, changes, message):
    response = admin_client.post("/staff/admin/wards/partners/new", data=_data(wards, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html and message in html
    if changes.get("name") != "":
        assert 'value="Friends of Hollybush Park"' in html
    assert Partner.query.count() == 0


def test_partner_names_are_unique_whatever_the_case(admin_client, wards):
    admin_client.post("/staff/admin/wards/partners/new", data=_data(wards))
    response = admin_client.post("/staff/admin/wards/partners/new",
                                 data=_data(wards, name="FRIENDS of hollybush park"))
    assert response.status_code == 400 and "There is already a partner with this name" in response.get_data(as_text=True)
    assert Partner.query.count() == 1
    partner = Partner.query.one()  # saving it under its own name is fine
    assert admin_client.post(f"/staff/admin/wards/partners/{partner.id}", data=_data(wards)).status_code == 302


def test_partner_text_is_escaped_on_the_ward_page(admin_client, client, wards):
    admin_client.post("/staff/admin/wards/partners/new",
                      data=_data(wards, name="<b>Bold</b> group", description="<script>x()</script>",
                                 contact="<a href=//evil.example>call</a>"))
    html = client.get(f"/wards/{wards[0].slug}").get_data(as_text=True)
    assert "<b>Bold</b>" not in html and "<script>x()" not in html and "<a href=//evil" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; group" in html


@pytest.mark.parametrize("role", ["officer", "councillor", "resident"])
def test_only_admins_manage_partners(client, wards, role):
    login(client, factories.user(role=role))
    assert client.get("/staff/admin/wards/partners").status_code == 403
    assert client.post("/staff/admin/wards/partners/new", data=_data(wards)).status_code == 403
    assert Partner.query.count() == 0


def test_missing_partner_is_a_404(admin_client, wards):
    assert admin_client.get("/staff/admin/wards/partners/12345").status_code == 404
    assert admin_client.post("/staff/admin/wards/partners/12345/delete").status_code == 404

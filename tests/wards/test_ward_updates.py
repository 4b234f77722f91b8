"""Ward updates: who may post, change and delete them; validation; escaping; order on the page."""
from datetime import timedelta

import pytest

from app.common.timeutil import utcnow
from app.extensions import db as _db
from app.wards.models import WardUpdate
from tests import factories
from tests.conftest import login

GOOD = {"title": "Bin collections over Christmas", "text": "Collections move by one day.\n\nCheck the calendar.",
        "link": "https://www.northbrook.example/bins"}


@pytest.fixture()
def wards(db):
    return factories.ward("Hollybush"), factories.ward("Riverside")


@pytest.fixture()
def helen(wards):
    return factories.user(role="councillor", name="Helen Marsh", ward=wards[0])


def _new(client, ward, data=GOOD):
    return client.post(f"/staff/wards/{ward.slug}/updates/new", data=data)


def test_councillor_posts_in_own_ward_and_it_shows_newest_first(client, wards, helen):
    hollybush, _ = wards
    login(client, helen)
    assert client.get(f"/staff/wards/{hollybush.slug}/updates/new").status_code == 200
    _new(client, hollybush, {"title": "Older news", "text": "First."})
    WardUpdate.query.one().created_at = utcnow() - timedelta(days=2)
    _db.session.commit()
    response = _new(client, hollybush)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/wards/{hollybush.slug}#updates")
    html = client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    assert html.index("Bin collections over Christmas") < html.index("Older news")
    assert "Councillor Helen Marsh" in html and "<p class=\"govuk-body\">Check the calendar.</p>" in html
    assert 'href="https://www.northbrook.example/bins"' in html


def test_councillor_cannot_post_in_another_ward(client, wards, helen):
    _, riverside = wards
    login(client, helen)
    assert client.get(f"/staff/wards/{riverside.slug}/updates/new").status_code == 403
    assert _new(client, riverside).status_code == 403
    assert WardUpdate.query.count() == 0
    assert "Post an update" not in client.get(f"/wards/{riverside.slug}").get_data(as_text=True)
    assert "Post an update" in client.get(f"/wards/{wards[0].slug}").get_data(as_text=True)


def test_councillor_without_a_ward_posts_nowhere(client, wards):
    login(client, factories.user(role="councillor"))
    assert _new(client, wards[0]).status_code == 403
    assert "not linked to a ward" in client.get("/staff/wards/").get_data(as_text=True)


def test_officer_posts_in_any_ward(officer_client, wards, officer):
    for ward in wards:
        assert _new(officer_client, ward).status_code == 302
    assert {u.ward_id for u in WardUpdate.query} == {w.id for w in wards}
    assert all(u.author_id == officer.id for u in WardUpdate.query)


def test_residents_and_anonymous_visitors_cannot_post(client, wards):
    hollybush = wards[0]
    anonymous = _new(client, hollybush)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    login(client, factories.user(role="resident"))
    assert client.get(f"/staff/wards/{hollybush.slug}/updates/new").status_code == 403
    assert _new(client, hollybush).status_code == 403
    assert WardUpdate.query.count() == 0
    assert "Post an update" not in client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"title": "", "text": "Words"}, "Enter a title"),
    ({"title": "   ", "text": "Words"}, "Enter a title"),
    ({"title": "T", "text": ""}, "Enter the update"),
    ({"title": "x" * 121, "text": "Words"}, "Title must be 120 characters or fewer"),
    ({"title": "T", "text": "w" * 1001}, "The update must be 1000 characters or fewer"),
    ({"title": "T", "text": "Words", "link": "javascript:alert(1)"}, "Enter the link starting with https://"),
    ({"title": "T", "text": "Words", "link": "www.example.org"}, "Enter the link starting with https://"),
    ({"title": "T", "text": "Words", "link": "https://exa mple.org"}, "Enter the link starting with https://"),
    ({"title": "T", "text": "Words", "link": "http://[::1"}, "Enter the link starting with https://"),
])
def test_bad_input_gets_errors_beside_the_field_and_keeps_what_was_typed(officer_client, wards, data, message):
    response = _new(officer_client, wards[0], {"title": "", "text": "", "link": "", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and message in html and "govuk-error-message" in html
    assert "<title>Error:" in html
    if data.get("text") and data["text"].strip():
        assert data["text"][:50] in html
    assert WardUpdate.query.count() == 0


def test_exactly_1000_characters_with_windows_line_ends_is_accepted(officer_client, wards):
    text = ("a" * 499) + "\r\n" + ("b" * 500)  # 1,000 characters once the line end counts as one
    assert _new(officer_client, wards[0], {"title": "T", "text": text}).status_code == 302
    assert len(WardUpdate.query.one().text) == 1000


def test_update_text_is_escaped(client, officer_client, wards):
    hollybush = wards[0]
    _new(officer_client, hollybush, {"title": "<script>alert('t')</script>",
                                     "text": "<img src=x onerror=alert(1)>\nline two & more"})
    html = client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;<br>line two &amp; more" in html


def test_author_changes_and_deletes_own_update(client, wards, helen):
    hollybush = wards[0]
    login(client, helen)
    _new(client, hollybush)
    update = WardUpdate.query.one()
    form = client.get(f"/staff/wards/updates/{update.id}/edit").get_data(as_text=True)
    assert "Bin collections over Christmas" in form
    bad = client.post(f"/staff/wards/updates/{update.id}/edit", data={"title": "", "text": "Kept text"})
    assert bad.status_code == 400 and "Kept text" in bad.get_data(as_text=True)
    _db.session.expire_all()
    assert WardUpdate.query.one().text == GOOD["text"]  # nothing half-saved
    assert client.post(f"/staff/wards/updates/{update.id}/edit",
                       data={"title": "New title", "text": "New text", "link": ""}).status_code == 302
    _db.session.expire_all()
    changed = WardUpdate.query.one()
    assert (changed.title, changed.text, changed.link) == ("New title", "New text", None)
    assert changed.updated_at is not None
    assert "(changed " in client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    assert "Are you sure" in client.get(f"/staff/wards/updates/{update.id}/delete").get_data(as_text=True)
    assert client.post(f"/staff/wards/updates/{update.id}/delete").status_code == 302
    assert WardUpdate.query.count() == 0


def test_others_cannot_change_an_update_but_an_admin_can_take_it_down(client, app, wards, helen):
    hollybush = wards[0]
    login(client, helen)
    _new(client, hollybush)
    update_id = WardUpdate.query.one().id
    for other in (factories.user(role="councillor", ward=hollybush), factories.user(role="officer")):
        other_client = app.test_client()
        login(other_client, other)
        assert other_client.get(f"/staff/wards/updates/{update_id}/edit").status_code == 403
        assert other_client.post(f"/staff/wards/updates/{update_id}/edit",
                                 data={"title": "Hacked", "text": "Hacked"}).status_code == 403
        assert other_client.post(f"/staff/wards/updates/{update_id}/delete").status_code == 403
        assert "Change<span" not in other_client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    _db.session.expire_all()
    assert WardUpdate.query.one().title == GOOD["title"]
    admin_client = app.test_client()
    login(admin_client, factories.user(role="admin"))
    assert admin_client.post(f"/staff/wards/updates/{update_id}/delete").status_code == 302
    assert WardUpdate.query.count() == 0
    assert client.get(f"/staff/wards/updates/{update_id}/edit").status_code == 404


def test_councillor_who_moves_ward_can_no_longer_change_old_updates(client, wards, helen):
    login(client, helen)
    _new(client, wards[0])
    update_id = WardUpdate.query.one().id
    helen.ward = wards[1]
    _db.session.commit()
    assert client.post(f"/staff/wards/updates/{update_id}/edit", data=GOOD).status_code == 403


def test_older_updates_are_on_later_pages(client, officer, wards):
    from app.wards import updates

    hollybush = wards[0]
    for n in range(updates.PAGE_SIZE + 2):
        update = updates.post(hollybush, officer, f"Update number {n:02d}", "Text", None)
        update.created_at = utcnow() - timedelta(days=n)
    _db.session.commit()
    first = client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    assert "Update number 00" in first and "Update number 11" not in first and "Older updates" in first
    second = client.get(f"/wards/{hollybush.slug}?page=2").get_data(as_text=True)
    assert "Update number 11" in second and "Update number 00" not in second and "Newer updates" in second


def test_updates_index_lists_the_wards_a_councillor_may_post_in(client, wards, helen):
    login(client, helen)
    html = client.get("/staff/wards/").get_data(as_text=True)
    assert "Post an update for Hollybush" in html and "Post an update for Riverside" not in html

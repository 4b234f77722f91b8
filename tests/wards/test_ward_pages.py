"""The public ward pages: what each section shows, for which ward, and the ward index."""
import pytest

from app.actions.models import Action, ActionPlan, ThemeResponse, YouSaidWeDid
from app.common.timeutil import utcnow
from app.extensions import db as _db
from app.themes.models import Theme, ThemeActionLink
from app.wards.models import Partner
from tests import factories
from tests.surgeries.conftest import make_surgery


@pytest.fixture()
def wards(db):
    return factories.ward("Hollybush"), factories.ward("Riverside")


def _section(html, start_id, end_id=None):
    """The page's HTML from the heading with id=start_id up to the one with id=end_id."""
    start = html.index(f'id="{start_id}"')
    return html[start:html.index(f'id="{end_id}"', start)] if end_id else html[start:]


def _split(section, marker="For the whole borough"):
    at = section.index(marker)
    return section[:at], section[at:]


def test_open_consultations_split_into_ward_and_borough_wide(client, wards):
    hollybush, riverside = wards
    factories.consultation(title="Borough budget", borough_wide=True)
    factories.consultation(title="Hollybush play areas", borough_wide=False, wards=[hollybush])
    factories.consultation(title="Two wards parking", borough_wide=False, wards=[hollybush, riverside])
    factories.consultation(title="Riverside path", borough_wide=False, wards=[riverside])
    factories.consultation(status="draft", title="Secret draft", borough_wide=False, wards=[hollybush])
    factories.consultation(status="closed", title="Closed one", borough_wide=True)

    html = client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    ward_part, borough_part = _split(_section(html, "consultations", "actions"))
    assert "Hollybush play areas" in ward_part and "Two wards parking" in ward_part
    assert "Borough budget" not in ward_part and "Borough budget" in borough_part
    assert "Hollybush play areas" not in borough_part
    for absent in ("Riverside path", "Secret draft", "Closed one"):
        assert absent not in html

    html = client.get(f"/wards/{riverside.slug}").get_data(as_text=True)
    ward_part, borough_part = _split(_section(html, "consultations", "actions"))
    assert "Riverside path" in ward_part and "Two wards parking" in ward_part
    assert "Hollybush play areas" not in html and "Borough budget" in borough_part


def test_councillors_and_next_surgeries_are_the_wards_own(client, wards):
    hollybush, riverside = wards
    helen = factories.user(role="councillor", name="Helen Marsh", ward=hollybush, title="Cabinet Member for Children")
    factories.user(role="councillor", name="Rita River", ward=riverside)
    factories.user(role="councillor", name="Gone Away", ward=hollybush, active=False)
    make_surgery(helen, ward=hollybush, days_ahead=5)
    make_surgery(helen, ward=hollybush, days_ahead=-5)  # over: not shown

    html = client.get(f"/wards/{hollybush.slug}").get_data(as_text=True)
    section = _section(html, "councillors", "updates")
    assert "Councillor Helen Marsh" in section and "Cabinet Member for Children" in section
    assert "Rita River" not in html and "Gone Away" not in html
    assert section.count('href="/surgeries/') == 1 + 1  # the one upcoming surgery, and "All surgeries"
    assert f"/surgeries/ward/{hollybush.slug}" in section
    empty = client.get(f"/wards/{riverside.slug}").get_data(as_text=True)
    assert "There are no surgeries planned in Riverside yet" in empty


def _plan_with(*titles):
    plan = ActionPlan(title="Fairer Plan")
    for i, title in enumerate(titles):
        plan.actions.append(Action(title=title, number=f"1.{i + 1}", position=i, status="on_track"))
    _db.session.add(plan)
    _db.session.commit()
    return plan.actions


def _theme(consultation, label="Damp"):
    question = consultation.free_text_questions[0]
    theme = Theme(question=question, label=label, size=3)
    _db.session.add(theme)
    _db.session.commit()
    return theme


def test_actions_are_those_tied_to_the_wards_own_consultations(client, wards, officer):
    hollybush, riverside = wards
    via_theme, via_ysyw, borough, suggested = _plan_with("Fix damp", "Light the path", "Borough thing",
                                                         "Only suggested")
    ward_c = factories.consultation(status="published", title="Hollybush homes", borough_wide=False,
                                    wards=[hollybush])
    borough_c = factories.consultation(status="published", title="Everyone", borough_wide=True)
    damp, other, borough_theme = _theme(ward_c), _theme(ward_c, "Other"), _theme(borough_c)
    link = ThemeActionLink(theme=damp, action=via_theme)
    link.confirm(officer)
    _db.session.add_all([link, ThemeActionLink(theme=other, action=suggested),
                        ThemeActionLink(theme=borough_theme, action=borough, status="confirmed")])
    page = YouSaidWeDid(consultation=ward_c, published_at=utcnow())
    page.responses.append(ThemeResponse(kind="we_are_doing", text="Lights", action=via_ysyw))
    _db.session.add(page)
    _db.session.commit()

    section = _section(client.get(f"/wards/{hollybush.slug}").get_data(as_text=True), "actions", "partners")
    assert "Fix damp" in section and "Light the path" in section and "On track" in section
    assert "Borough thing" not in section and "Only suggested" not in section
    other = _section(client.get(f"/wards/{riverside.slug}").get_data(as_text=True), "actions", "partners")
    assert "Fix damp" not in other and "No actions are linked" in other

    page.withdraw()
    _db.session.commit()
    section = _section(client.get(f"/wards/{hollybush.slug}").get_data(as_text=True), "actions", "partners")
    assert "Light the path" not in section and "Fix damp" in section  # results are still published


def test_you_said_we_did_lists_published_pages_for_the_ward_and_borough(client, wards):
    hollybush, riverside = wards
    for title, borough_wide, ward_list, published in [("Hollybush homes", False, [hollybush], True),
                                                      ("Borough parks", True, [], True),
                                                      ("Riverside path", False, [riverside], True),
                                                      ("Hollybush draft page", False, [hollybush], False)]:
        c = factories.consultation(status="closed", title=title, borough_wide=borough_wide, wards=ward_list)
        _db.session.add(YouSaidWeDid(consultation=c, published_at=utcnow() if published else None))
    _db.session.commit()
    ward_part, borough_part = _split(_section(client.get(f"/wards/{hollybush.slug}").get_data(as_text=True),
                                              "you-said"))
    assert "Hollybush homes" in ward_part and "Borough parks" in borough_part
    assert "Borough parks" not in ward_part
    assert "Riverside path" not in ward_part + borough_part and "Hollybush draft page" not in ward_part


def test_partners_show_on_their_wards_only(client, wards):
    hollybush, riverside = wards
    _db.session.add(Partner(name="Friends of Hollybush Park", description="Litter picks.",
                                     website="https://friends.example.org", contact="hi@friends.example.org",
                                     wards=[hollybush]))
    _db.session.commit()
    section = _section(client.get(f"/wards/{hollybush.slug}").get_data(as_text=True), "partners", "you-said")
    assert "Friends of Hollybush Park" in section and 'href="https://friends.example.org"' in section
    assert "hi@friends.example.org" in section
    assert "Friends of Hollybush Park" not in client.get(f"/wards/{riverside.slug}").get_data(as_text=True)


def test_ward_index_lists_every_ward_and_finds_one_by_postcode(client, wards):
    from app.wards.models import Postcode

    hollybush, riverside = wards
    _db.session.add(Postcode(postcode="NB1 2AB", ward_id=riverside.id))
    _db.session.commit()
    html = client.get("/wards").get_data(as_text=True)
    assert f'href="/wards/{hollybush.slug}"' in html and f'href="/wards/{riverside.slug}"' in html
    found = client.get("/wards?postcode=nb12ab")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/wards/{riverside.slug}")
    for typed, message in [("", "Enter a postcode"), ("<b>zz</b>", "Enter a real postcode"),
                           ("ZZ9 9ZZ", "We could not find that postcode")]:
        bad = client.get("/wards", query_string={"postcode": typed})
        html = bad.get_data(as_text=True)
        assert bad.status_code == 400 and "There is a problem" in html and message in html
        assert "<b>zz</b>" not in html
    assert 'value="ZZ9 9ZZ"' in client.get("/wards?postcode=ZZ9+9ZZ").get_data(as_text=True)


def test_home_page_and_footer_link_to_the_wards(client, wards):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/wards"') >= 2


@pytest.mark.parametrize("url", ["/wards/no-such-ward", "/wards/" + "x" * 500, "/wards/hollybush?page=-1",
                                 "/wards/hollybush?page=abc", "/wards/hollybush?page=99999999999",
                                 "/wards/%00", "/wards/caf%C3%A9", "/wards?postcode=%00", "/wards?postcode=" + "A" * 300])
def test_odd_addresses_never_fail(client, wards, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_every_part_of_an_empty_ward_says_so(client, wards):
    html = client.get(f"/wards/{wards[0].slug}").get_data(as_text=True)
    for message in ("No councillor for Hollybush is listed here yet", "There are no updates for Hollybush yet",
                    "not listed any partner organisations", "None published for consultations about Hollybush"):
        assert message in html

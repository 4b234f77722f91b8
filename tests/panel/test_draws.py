"""The draw: quotas met, household rule, reproducible, fair, infeasible quotas explained;
invitations, replies, replacements and consultation mail-outs."""
import re

from app.common.transaction import commit
from app.extensions import db
from app.panel import draws
from app.panel.models import Draw, DrawSelection, PanelMailout
from app.panel.sortition import Candidate, InfeasibleQuotas, draw_panel
from tests.panel.conftest import member

import pytest


def _pool(young=10, old=10):
    return [member(age_band="18_24") for _ in range(young)] + [member(age_band="65_74") for _ in range(old)]


def test_quotas_are_met_and_recorded(db, officer):
    _pool()
    draw = draws.create_draw("Jury", 6, {"age_band": {"18_24": (4, 4)}}, 11, True, officer)
    assert draw.status == "queued" and not draw.selections
    commit()  # runs the queued lottery in-process (no REDIS_URL in tests)
    assert draw.status == "done" and draw.progress == 100 and draw.panels_used >= 1
    ages = [s.member.age_band for s in draw.selections]
    assert len(ages) == 6 and ages.count("18_24") == 4
    assert draw.quotas_met and draw.seed == "11" and draw.pool_size == 20
    # Young members: 4 of 6 places among 10 -> 0.4 each; older: 2 among 10 -> 0.2 (maximin is exact here).
    assert draw.probability_min == pytest.approx(0.2, abs=1e-4)
    assert draw.probability_max == pytest.approx(0.4, abs=1e-4)
    assert all(r["met"] for r in draws.quota_report(draw)["rows"])


def test_at_most_one_person_per_household(db, officer):
    household = [member(address_line="7 Mill Road", postcode="NB1 1AA") for _ in range(4)]
    others = [member() for _ in range(3)]
    for seed in range(5):
        draw = draws.create_draw("Jury", 4, {}, seed, True, officer)
        commit()
        chosen = {s.member_id for s in draw.selections}
        assert len(chosen & {m.id for m in household}) == 1
        assert chosen >= {m.id for m in others}


def test_same_seed_same_draw():
    people = [Candidate(i, {"age": "a" if i % 3 else "b", "sex": "f" if i % 2 else "m"}, f"h{i // 2}")
              for i in range(60)]
    quotas = {"age": {"b": (4, 6)}, "sex": {"f": (5, 7)}}
    first = draw_panel(people, 12, quotas, seed=42)
    again = draw_panel(list(reversed(people)), 12, quotas, seed=42)
    other = [draw_panel(people, 12, quotas, seed=s).selected for s in range(43, 48)]
    assert first.selected == again.selected and first.probabilities == again.probabilities
    assert any(selection != first.selected for selection in other)


def test_no_quotas_gives_everyone_the_same_chance():
    people = [Candidate(i, {}) for i in range(30)]
    result = draw_panel(people, 10, {}, seed=1)
    assert result.probability_min == pytest.approx(1 / 3, abs=1e-4) == pytest.approx(result.probability_max, abs=1e-4)


@pytest.mark.parametrize("size,quotas,message", [
    (6, {"age_band": {"18_24": (5, None)}}, "Only 3 members in Age: 18 to 24 can be drawn, but the minimum is 5."),
    (4, {"age_band": {"18_24": (3, None), "65_74": (3, None)}}, "The minimums for age add up to 6, more than the 4"),
    (6, {"age_band": {"18_24": (None, 1), "65_74": (None, 2)}}, "The maximums for age allow at most 3 people"),
    (6, {"age_band": {"18_24": (3, 2)}}, "The minimum for Age: 18 to 24 (3) is more than its maximum (2)."),
    (50, {}, "Only 13 members can be drawn, but you asked for 50."),
])
def test_infeasible_quotas_are_explained(db, officer, size, quotas, message):
    _pool(young=3)
    with pytest.raises(InfeasibleQuotas) as caught:
        draws.create_draw("Jury", size, quotas, 1, True, officer)
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_clashing_quotas_name_the_characteristics(db, officer):
    for _ in range(5):
        member(age_band="18_24", sex="male")
    for _ in range(5):
        member(age_band="65_74", sex="female")
    with pytest.raises(InfeasibleQuotas) as caught:
        draws.create_draw("Jury", 4, {"age_band": {"18_24": (4, 4)}, "sex": {"female": (2, 4)}}, 1, True, officer)
    assert "Relaxing the quotas for age or sex" in caught.value.problems[0]


def test_draw_pages_and_infeasible_message_without_500(officer_client):
    _pool(young=3)
    page = officer_client.get("/staff/panel/draws/new").get_data(as_text=True)
    assert "q-age_band-1-min" in page
    bad = {"title": "Jury", "size": "6", "q-age_band-1-min": "5"}  # index 1 = 18 to 24
    page = officer_client.post("/staff/panel/draws/new", data=bad).get_data(as_text=True)
    assert "The group can&#39;t be drawn" in page and "but the minimum is 5" in page
    for data in ({"title": "x" * 100_000, "size": "abc", "q-age_band-0-min": "lots", "seed": "x"},
                 {"size": "-4", "q-sex-0-min": "9", "q-sex-0-max": "2"}, {}, {"action": "suggest", "size": "20"}):
        assert officer_client.post("/staff/panel/draws/new", data=data).status_code == 200
    response = officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "4", "seed": "77",
                                                                    "one_per_household": "y"})
    assert response.status_code == 302
    draw = Draw.query.one()
    assert officer_client.get(f"/staff/panel/draws/{draw.id}").status_code == 200
    assert officer_client.get("/staff/panel/draws").status_code == 200
    assert officer_client.get("/staff/panel/draws/999").status_code == 404
    assert officer_client.get("/staff/panel/draws/abc").status_code == 404


def test_invitations_replies_and_replacements(officer_client, sent_emails):
    _pool()
    officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "4", "seed": "5",
                                                         "q-age_band-1-min": "2", "q-age_band-1-max": "2"})
    draw = Draw.query.one()
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": ""}).status_code == 400
    officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": "Town hall, 6pm"})
    assert len(sent_emails) == 4
    first = draw.selections[0]
    message = next(m for m in sent_emails if m["To"] == first.member.email)
    link = re.search(r"http://localhost(/panel/reply/\S+)", message.get_body(("plain",)).get_content()).group(1)
    assert officer_client.post(link, data={"reply": "maybe"}).status_code == 200  # error shown, no change
    officer_client.post(link, data={"reply": "declined"})
    db.session.expire_all()
    assert db.session.get(DrawSelection, first.id).reply == "declined"
    second = draw.selections[1]
    officer_client.post(f"/staff/panel/draws/{draw.id}/selections/{second.id}/reply", data={"reply": "accepted"})
    officer_client.post(f"/staff/panel/draws/{draw.id}/selections/{second.id}/reply", data={"reply": "bogus"})
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/selections/99999/reply",
                               data={"reply": "accepted"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(DrawSelection, second.id).reply == "accepted"
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/replacements", data={"seed": "abc"}).status_code == 400
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/replacements", data={"seed": "9"}).status_code == 302
    db.session.expire_all()
    draw = db.session.get(Draw, draw.id)
    new = [s for s in draw.selections if s.round == 1]
    assert len(new) == 1 and new[0].member_id not in {s.member_id for s in draw.selections if s.round == 0}
    report = draws.quota_report(draw)
    assert not report["unmet"] and report["size_met"]
    assert draw.rounds[0]["seed"] == "9"
    # Nobody else declined: asking again explains there is nothing to fill.
    page = officer_client.post(f"/staff/panel/draws/{draw.id}/replacements", data={}).get_data(as_text=True)
    assert "no places to fill" in page
    assert officer_client.get("/panel/reply/not-a-token").status_code == 404


def test_invite_panel_to_an_open_consultation(app, officer_client, sent_emails, monkeypatch):
    from tests import factories
    consultation = factories.consultation(status="open", title="Parks plan")
    closed = factories.consultation(status="closed")
    ward = factories.ward("Fairbank")
    member(email="a@example.org", ward=ward, age_band="18_24")
    member(email="b@example.org", age_band="18_24")
    member(email="c@example.org", ward=ward, status="paused")
    member(email="d@example.org", ward=ward, status="unconfirmed")
    member(email="e@example.org", ward=ward, contact_method="phone")
    assert officer_client.get("/staff/panel/invite").status_code == 200
    preview = {"consultation": consultation.id, "ward": ward.id, "action": "preview"}
    page = officer_client.post("/staff/panel/invite", data=preview).get_data(as_text=True)
    # Small numbers are never shown, here as anywhere else.
    assert "fewer than 10 panel member(s) will be emailed" in page and not sent_emails
    assert "fewer than 10 member(s) who match will not be emailed" in page
    monkeypatch.setitem(app.config, "SMALL_NUMBER_THRESHOLD", 1)
    page = officer_client.post("/staff/panel/invite", data=preview).get_data(as_text=True)
    assert "1 panel member(s) will be emailed" in page
    assert "1 member(s) who match will not be emailed, because they prefer a phone call" in page
    assert "already been sent" not in page and 'name="expected" value="1"' in page
    for data in ({"consultation": closed.id, "action": "send"}, {"consultation": "abc"}, {"consultation": consultation.id, "ward": "999"},
                 {"consultation": consultation.id, "age_band": "old"}, {}):
        assert officer_client.post("/staff/panel/invite", data=data).status_code == 200
    # Sending needs the preview's confirm button (it carries the count the officer saw).
    send = {"consultation": consultation.id, "age_band": "18_24", "action": "send"}
    page = officer_client.post("/staff/panel/invite", data=send).get_data(as_text=True)
    assert not sent_emails and "Check before you send" in page
    assert officer_client.post("/staff/panel/invite", data={**send, "expected": "5"}).status_code == 200
    assert not sent_emails  # the count changed since the preview: shown again, not sent
    officer_client.post("/staff/panel/invite", data={**send, "expected": "2"})
    assert sorted(m["To"] for m in sent_emails) == ["a@example.org", "b@example.org"]
    assert PanelMailout.query.one().recipients == 2
    page = officer_client.post("/staff/panel/invite", data=preview).get_data(as_text=True)
    assert "“Parks plan” has already been sent to the panel" in page


def test_a_draw_can_be_verified_from_its_stored_pool(app, db, officer):
    people = _pool() + [member(address_line="7 Mill Road", postcode="NB1 1AA") for _ in range(2)]
    draw = draws.create_draw("Jury", 4, {"age_band": {"18_24": (2, 2)}}, 21, True, officer)
    commit()
    assert draw.status == "done" and not draw.time_limit_hit
    snap = draw.pool_snapshot
    # Keyed by a pseudonym (issue 14): the stored pool can't be joined to members without EQUALITY_KEY.
    assert set(snap) == {draws.pool_key(p.id) for p in people} and not set(snap) & {str(p.id) for p in people}
    entry = snap[draws.pool_key(people[-1].id)]
    assert entry["g"]["age_band"] == "35_44" and "sex" in entry["g"]
    # Members of one household share a hash; the address itself is not stored.
    assert entry["h"] == snap[draws.pool_key(people[-2].id)]["h"] and "mill" not in str(snap).lower()
    run = app.test_cli_runner().invoke
    result = run(args=["panel", "verify-draw", str(draw.id)])
    assert result.exit_code == 0 and "reproduced" in result.output, result.output
    # A tampered record (another seed) does not reproduce.
    draw.seed = "22"
    db.session.commit()
    result = run(args=["panel", "verify-draw", str(draw.id)])
    assert result.exit_code == 1 and "did NOT reproduce" in result.output, result.output
    assert run(args=["panel", "verify-draw", "999"]).exit_code != 0
    # Someone in the pool leaves: their entry goes, and the command says why it can't re-run.
    from app.panel.membership import erase
    draw.seed = "21"
    gone = draws.pool_key(people[0].id)
    erase(people[0])
    db.session.commit()
    assert gone not in db.session.get(Draw, draw.id).pool_snapshot
    result = run(args=["panel", "verify-draw", str(draw.id)])
    assert result.exit_code == 1 and "left the panel" in result.output


def test_draw_page_says_how_many_the_household_rule_could_not_check(officer_client, officer):
    _pool(young=5, old=5)  # no address lines
    member(address_line="1 High Street")
    draw = draws.create_draw("Jury", 3, {}, 3, True, officer)
    commit()
    assert draws.unchecked_households(draw) == 10
    page = officer_client.get(f"/staff/panel/draws/{draw.id}").get_data(as_text=True)
    assert "10 member(s) in the pool gave no address, so the rule couldn&#39;t check them" in page


def test_a_replaced_person_cannot_accept_later(officer_client, sent_emails):
    _pool()
    officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "4", "seed": "5"})
    draw = Draw.query.one()
    officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": "Town hall, 6pm"})
    first = draw.selections[0]
    message = next(m for m in sent_emails if m["To"] == first.member.email)
    link = re.search(r"http://localhost(/panel/reply/\S+)", message.get_body(("plain",)).get_content()).group(1)
    officer_client.post(link, data={"reply": "declined"})
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/replacements", data={"seed": "9"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(DrawSelection, first.id).reply == "replaced"
    page = officer_client.get(link).get_data(as_text=True)
    assert "your place has now been offered to someone else" in page and 'name="reply"' not in page
    officer_client.post(link, data={"reply": "accepted"})
    response = officer_client.post(f"/staff/panel/draws/{draw.id}/selections/{first.id}/reply", data={"reply": "accepted"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'href="#reply-{first.id}"' in page
    assert "place has been given to a replacement" in page
    db.session.expire_all()
    draw = db.session.get(Draw, draw.id)
    assert db.session.get(DrawSelection, first.id).reply == "replaced"
    assert len(draws.current_group(draw)) == 4  # still N, never N + 1


def test_a_bad_staff_reply_is_shown_beside_that_row(officer_client):
    _pool()
    officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "4", "seed": "5"})
    draw = Draw.query.one()
    second = draw.selections[1]
    response = officer_client.post(f"/staff/panel/draws/{draw.id}/selections/{second.id}/reply", data={"reply": "bogus"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="reply-{second.id}-error"' in page
    assert f'href="#reply-{second.id}"' in page and "Select a reply" in page

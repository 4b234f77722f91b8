"""The read-only open-data API: shapes, pagination, OpenAPI, and no personal data anywhere."""
import json
import re

import pytest

from app.consultations.models import AboutYou
from app.extensions import db
from tests import factories
from tests.actions import factories as af

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"07700\s?900123")
FORBIDDEN_KEYS = {"email", "contact_email", "keep_informed", "user_id", "entered_by_id", "reference",
                  "password_hash", "about_you", "age_band", "sex", "ethnic_group", "disability", "tenure",
                  "ward_id", "response_id"}


@pytest.fixture()
def published(officer_client):
    holder = factories.user(role="councillor", name="Fatima Begum", email="cllr.fatima@example.org")
    plan = af.plan()
    plan.actions[0].portfolio_holder = holder
    db.session.commit()
    af.update(plan.actions[0], text="Slots live.", percent=50)
    af.milestone(plan.actions[0], "Overdue one", target=af.past(5))
    consultation, themes = af.consultation_with_themes(keep_informed=["ana@example.org"])
    af.link(themes[0], plan.actions[0])
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data={
        "themes": [t.id for t in themes], "kind": "we_are_doing", "text": "Two-hour slots.",
        "action_id": str(plan.actions[0].id)})
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"}).status_code == 302
    factories.consultation(status="draft", title="Secret draft")
    factories.consultation(status="open", title="Open one")
    af.consultation_with_themes(status="closed", title="Closed, results not out")
    af.consultation_with_themes(status="published", title="Results out, no page")
    return consultation, themes, plan


def _walk(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + "." + k, k, v
            yield from _walk(v, path + "." + k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def _all_urls(consultation, themes, plan):
    return ["/api/v1/consultations", f"/api/v1/consultations/{consultation.id}",
            f"/api/v1/consultations/{consultation.id}/themes", "/api/v1/you-said-we-did",
            f"/api/v1/you-said-we-did/{consultation.id}", "/api/v1/plans", "/api/v1/actions",
            f"/api/v1/actions/{plan.actions[0].id}", "/api/v1/openapi.json"]


def test_no_personal_or_about_you_data_in_any_response(client, published):
    assert AboutYou.query.count() == 18  # the data exists, and must not come out
    for url in _all_urls(*published):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert not EMAIL.search(text), (url, EMAIL.search(text))
        assert not PHONE.search(text) and "NB1 2AB" not in text, url
        for path, key, value in _walk(json.loads(text)):
            if url.endswith("openapi.json"):
                continue
            assert key not in FORBIDDEN_KEYS, (url, path)
            assert value not in ("25_34", "white_british", "social_council", "not_disabled"), (url, path)


def test_consultations_are_public_ones_only(client, published):
    consultation, _, _ = published
    data = client.get("/api/v1/consultations").get_json()
    titles = [c["title"] for c in data["data"]]
    assert consultation.title in titles and "Open one" in titles and "Secret draft" not in titles
    item = next(c for c in data["data"] if c["title"] == consultation.title)
    assert item["status"] == "published" and item["response_count"] == 6 and item["themes_url"]
    assert client.get(item["you_said_we_did_url"]).status_code == 200
    open_one = next(c for c in data["data"] if c["title"] == "Open one")
    assert open_one["themes_url"] is None and open_one["response_count"] is None


def test_themes_and_quotes_wait_for_published_results(client, published):
    data = {c["title"]: c for c in client.get("/api/v1/consultations").get_json()["data"]}
    closed = data["Closed, results not out"]
    assert closed["status"] == "closed" and closed["response_count"] == 6 and closed["themes_url"] is None
    assert client.get(f"/api/v1/consultations/{closed['id']}/themes").status_code == 404
    results = data["Results out, no page"]
    assert client.get(results["themes_url"]).get_json()["meta"]["total"] == 3
    # Results are published but no "You said, we did" page exists: no link that would 404.
    assert results["you_said_we_did_url"] is None
    assert client.get(f"/api/v1/consultations/{results['id']}").get_json()["data"]["you_said_we_did_url"] is None
    from app.consultations.models import Consultation

    draft_id = Consultation.query.filter_by(title="Secret draft").one().id
    assert client.get(f"/api/v1/consultations/{draft_id}").status_code == 404
    assert client.get(f"/api/v1/consultations/{draft_id}/themes").status_code == 404
    assert client.get("/api/v1/consultations/99999").get_json()["error"]["status"] == 404


def test_themes_have_labels_sizes_keywords_and_redacted_quotes(client, published):
    consultation, _, _ = published
    data = client.get(f"/api/v1/consultations/{consultation.id}/themes").get_json()["data"]
    assert [(t["label"], t["size"]) for t in data] == [("Slow repairs", 3), ("Unsafe estates", 2), ("Mould", 1)]
    assert data[0]["keywords"] == ["repairs"]
    assert "[email]" in data[0]["example_quotes"][0]


def test_ysyw_and_action_progress(client, published):
    consultation, _, plan = published
    page = client.get(f"/api/v1/you-said-we-did/{consultation.id}").get_json()["data"]
    assert page["response_count"] == 6 and {"channel": "Online", "responses": 3} in page["channels"]
    assert page["responses"][0]["kind"] == "we_are_doing"
    assert page["responses"][0]["action"]["id"] == plan.actions[0].id
    action = client.get(f"/api/v1/actions/{plan.actions[0].id}").get_json()["data"]
    assert action["percent_complete"] == 50 and action["updates"][0]["text"] == "Slots live."
    assert action["milestones"][0]["overdue"] is True
    assert action["portfolio_holder"] == "Fatima Begum"
    assert client.get("/api/v1/actions?status=on_track").get_json()["meta"]["total"] == 0
    assert client.get(f"/api/v1/actions?plan={plan.id}").get_json()["meta"]["total"] == 3


def test_pagination(client, published):
    first = client.get("/api/v1/actions?per_page=2").get_json()
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert first["links"]["prev"] is None and "page=2" in first["links"]["next"]
    second = client.get("/api/v1/actions?per_page=2&page=2").get_json()
    assert len(second["data"]) == 1 and second["links"]["next"] is None
    assert client.get("/api/v1/actions?page=50").get_json()["data"] == []


@pytest.mark.parametrize("query", ["page=abc", "page=0", "per_page=101", "per_page=-1", "plan=x",
                                   "status=nonsense", "page=" + "9" * 5000])
def test_bad_query_parameters_get_a_json_400(client, published, query):
    response = client.get("/api/v1/actions?" + query)
    assert response.status_code == 400 and response.is_json


def test_openapi_document_describes_every_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    api_rules = {re.sub(r"<(?:int:)?(\w+)>", r"{\1}", r.rule[len("/api/v1"):])
                 for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/") and "openapi" not in r.rule}
    assert api_rules == set(doc["paths"])
    refs = re.findall(r'"#/components/schemas/(\w+)"', json.dumps(doc))
    assert set(refs) <= set(doc["components"]["schemas"])


def test_api_refuses_writes(client, published):
    assert client.post("/api/v1/actions").status_code == 405


def test_consultation_list_queries_do_not_grow_with_the_page(client, published, sql_statements):
    def statements(url):
        seen, body = sql_statements(lambda: client.get(url).get_json())
        return len(seen), body["data"]

    two, first = statements("/api/v1/consultations?per_page=2")
    for i in range(4):
        af.consultation_with_themes(status="published", title=f"Another published {i}")
    six, page = statements("/api/v1/consultations?per_page=6")
    # Both pages hold published and closed consultations; counts, wards, topics, questions
    # and "You said, we did" links are fetched once per page, not once per consultation.
    assert "published" in {c["status"] for c in first} and len(page) == 6
    assert two == six, (two, six)
    for item in page:  # the batched list says what each consultation's own record says
        assert item == client.get(f"/api/v1/consultations/{item['id']}").get_json()["data"]

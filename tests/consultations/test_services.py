"""Service rules not already covered through the pages."""
from app.consultations import services
from app.consultations.models import Topic
from tests import factories


def test_list_public_never_includes_drafts_and_filters_by_status(db):
    factories.consultation(status="draft")
    open_one = factories.consultation(status="open")
    factories.consultation(status="closed")
    assert open_one in services.list_public(status="open")
    assert all(c.status != "draft" for c in services.list_public())
    assert len(services.list_public()) == 2


def test_topics_named_reuses_existing_topics_whatever_the_case(db):
    first = services.topics_named(["Road safety"])
    again = services.topics_named(["road safety", "Road Safety", "  "])
    assert first == again and Topic.query.count() == 1


def test_move_question_keeps_positions_tidy(db):
    c = factories.consultation(status="draft")
    last = c.questions[-1]
    services.move_question(last, "down")  # already last: nothing changes
    services.move_question(c.questions[0], "up")
    assert [q.position for q in c.questions] == [0, 1, 2, 3]
    services.move_question(last, "up")
    assert c.questions[2] is last


def test_return_to_draft_only_from_scheduled_or_open(db):
    import pytest

    from app.consultations.models import Consultation

    for status in ("scheduled", "open"):
        c = factories.consultation(status=status)
        services.return_to_draft(c)
        assert c.status == "draft"
    for status in ("draft", "closed", "published"):
        c = factories.consultation(status=status)
        with pytest.raises(services.ConsultationError, match="scheduled or open"):
            services.return_to_draft(c)
        db.session.rollback()
        assert db.session.get(Consultation, c.id).status == status


def test_unlaunch_clears_published_results(db):
    """Published results never survive a return to draft and a relaunch."""
    from datetime import timedelta

    from app.common.timeutil import utcnow

    c = factories.consultation(status="published")
    c.unlaunch()
    assert c.results_published_at is None and c.status == "draft"
    c.closes_at = utcnow() + timedelta(days=3)
    services.launch(c)
    assert c.status == "open"


def test_long_and_dotted_capital_i_names_make_slugs_that_fit(db):
    """Slugs are cut to their column; PostgreSQL refuses over-long strings, so run this there too."""
    from app.wards.models import Ward
    from app.wards.services import add_ward

    topics = services.topics_named(["İ" * 80, ("İstanbul twinning " * 5)[:80], "ab " * 26, "Ynys Môn & Çorum – ÆØÅ"])
    db.session.commit()
    assert [len(t.slug) for t in topics] == [80, 80, 77, 16]  # "ab-" * 26 cut at 80, trailing hyphen dropped
    assert topics[0].slug == "i" * 80 and topics[1].slug.startswith("istanbul-twinning-")
    assert topics[3].slug == "ynys-mon-corum-a" and topics[3].name == "Ynys Môn & Çorum – ÆØÅ"
    ward = add_ward("İ" * 60 + " and " + "Ş" * 55)
    db.session.commit()
    assert len(ward.slug) <= Ward.slug.type.length
    assert db.session.get(Ward, ward.id).name.startswith("İİ")


def test_names_with_no_letters_or_digits_make_no_topic(db):
    assert services.topics_named(["☃☃", "---", "  "]) == []

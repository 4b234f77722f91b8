"""`flask demo`: three community groups hosted conversations about the open parks consultation;
an officer approved them and accepted their records, so the consultation's themes (found by the
themes demo, which runs after this one) include three groups' views. Safe to run again."""
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.common.timeutil import utcnow
from app.consultations.models import Consultation
from app.conversations import services
from app.conversations.models import ConversationEntry, ConversationHost, ConversationRecord
from app.extensions import db

TITLE = "Parks and green spaces: your priorities for 2027"
# organisation, kind, contact, email, place, days ago, people, tallies,
# {free-text question number (0, 1): (the group's view, [each person's words])}
HOSTS = [
    ("Millbrook Estate Tenants' Association", "tenants", "Grace Okafor", "grace@millbrook-tenants.example",
     "Millbrook community room", 9, 14, {"35_44": 3, "45_54": 4, "55_64": 3, "65_74": 4, "tenants": 14},
     {0: ("Most of the group want the toilets in Millbrook Park open all year and the path lights fixed, "
          "because older residents stop using the park once it gets dark early.",
          ["Fix the lights on the path by the pond, it is pitch black by five in winter.",
           "Open the toilets all year round, not just in summer."]),
      1: ("People felt repairs are reported but nobody tells them what happens next.", [])}),
    ("St Anne's Primary School parents' group", "school", "Tom Reid", "t.reid@stannes.example",
     "St Anne's school hall", 6, 11, {"25_34": 5, "35_44": 6, "carers": 2},
     {0: ("Parents asked for the play area equipment to be repaired and for more shade and benches so "
          "they can stay longer with small children.", ["More benches and shade near the play area please."])}),
    ("Northbrook Mosque community forum", "faith", "Aisha Rahman", "forum@northbrook-mosque.example",
     "Community hall, Station Road", 4, 9, {"18_24": 2, "25_34": 3, "45_54": 2, "65_74": 2, "new_english": 3},
     {0: ("The group would like better lighting and more feeling of safety in the evenings, especially for "
          "women walking through the park after prayers.", []),
      1: ("Signs in other languages would help people know what the park offers.", [])}),
]


def load(data_dir) -> list[str]:
    consultation = db.session.scalars(select(Consultation).where(Consultation.title == TITLE)).first()
    officer = db.session.scalars(select(User).where(User.role == "officer").order_by(User.id)).first()
    if consultation is None or consultation.status != "open" or officer is None:
        return []
    if db.session.scalar(select(ConversationHost.id).where(ConversationHost.consultation_id == consultation.id).limit(1)):
        return []
    free_text = consultation.free_text_questions
    positions = {q.id: i for i, q in enumerate(consultation.questions)}
    people = 0
    for organisation, kind, name, email, place, days_ago, count, tallies, said in HOSTS:
        host = ConversationHost(name=name, organisation=organisation, kind=kind, email=email,
                                consultation=consultation, created_at=utcnow() - timedelta(days=days_ago + 14))
        host.approve(officer)
        db.session.add(host)
        record = ConversationRecord(host=host, consultation=consultation, place=place, participants=count,
                                    tallies=tallies, held_on=(utcnow() - timedelta(days=days_ago)).date())
        db.session.add(record)
        for number, (notes, words) in said.items():
            question = free_text[number]
            for entry_kind, text in [("notes", notes)] + [("person", w) for w in words]:
                record.entries.append(ConversationEntry(position=positions[question.id], question_id=question.id,
                                                        question_text=question.text, kind=entry_kind, text=text))
        db.session.flush()
        services.accept(record, officer)
        people += count
    return [f"Group conversations: {len(HOSTS)} hosts, {people} people, records accepted into “{TITLE}”"]

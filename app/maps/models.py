"""Where a place marked in answer to a map question is.

Each place a resident gives is one Answer row of the question (its `text` is the resident's
comment, so the theme engine reads map comments like any free-text answer) plus one MapPlace
row saying where: a pin (latitude and longitude) or a place described in words (a ward only).
"""
from app.extensions import db

__all__ = ["MapPlace"]


class MapPlace(db.Model):
    __tablename__ = "map_places"

    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    # The ward the pin falls in (found from the boundaries on saving), or the one the resident chose
    # for a place described in words; null when they said they were not sure.
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"), index=True)
    # WGS84 degrees, exact as dropped: staff exports only. Both null for a place described in words.
    lat = db.Column(db.Float)
    lng = db.Column(db.Float)

    # The backref puts `map_place` on Answer: replacing a response's answers deletes their places.
    answer = db.relationship("Answer", backref=db.backref("map_place", uselist=False, cascade="all, delete-orphan",
                                                          passive_deletes=True))
    ward = db.relationship("Ward")

    @property
    def is_pin(self) -> bool:
        return self.lat is not None and self.lng is not None

"""Wards, and the postcode-to-ward lookup the council imports (residents rarely know their ward)."""
from app.extensions import db

__all__ = ["Ward", "Postcode"]


class Ward(db.Model):
    __tablename__ = "wards"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, unique=True)
    slug = db.Column(db.String(120), nullable=False, unique=True)

    def __repr__(self):
        return f"<Ward {self.name}>"


class Postcode(db.Model):
    __tablename__ = "postcodes"

    # Normalised: upper case, one space before the inward code ("NB1 2AB").
    postcode = db.Column(db.String(8), primary_key=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="CASCADE"), nullable=False, index=True)

    ward = db.relationship("Ward")

"""Wards, and the postcode-to-ward lookup the council imports (residents rarely know their ward)."""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["Ward", "Postcode", "Partner", "WardUpdate", "partner_wards"]


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


partner_wards = db.Table(
    "partner_wards",
    db.Column("partner_id", db.Integer, db.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ward_id", db.Integer, db.ForeignKey("wards.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Partner(db.Model):
    """An organisation the council lists as working in some wards (police, a school, a charity)."""

    __tablename__ = "partners"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(160), nullable=False, unique=True)
    description = db.Column(db.Text, nullable=False, default="")  # what they do, plain text
    website = db.Column(db.String(300), nullable=False, default="")  # http(s) only, checked by the form
    contact = db.Column(db.String(300), nullable=False, default="")  # a public email, phone or address
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    wards = db.relationship("Ward", secondary=partner_wards, order_by="Ward.name", backref=db.backref(
        "partners", order_by="Partner.name"))

    def __repr__(self):
        return f"<Partner {self.name}>"


class WardUpdate(db.Model):
    """A short public note an officer or the ward's councillor posts on the ward's page."""

    __tablename__ = "ward_updates"

    id = db.Column(db.Integer, primary_key=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The name and role as they were when posted, so the update still says who wrote it if the
    # account goes.
    author_name = db.Column(db.String(200), nullable=False)
    title = db.Column(db.String(120), nullable=False)
    text = db.Column(db.Text, nullable=False)  # plain text, at most TEXT_MAX characters
    link = db.Column(db.String(500))  # optional http(s) address for more information
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(db.DateTime)  # null until the author changes it

    ward = db.relationship("Ward")
    author = db.relationship("User")

    TEXT_MAX = 1000

    def change(self, title: str, text: str, link: str | None):
        self.title, self.text, self.link = title, text, link or None
        self.updated_at = utcnow()

    def __repr__(self):
        return f"<WardUpdate {self.id} {self.title!r}>"

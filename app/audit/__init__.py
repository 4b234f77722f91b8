"""The security and personal-data audit log: `record()` an event, admins read it, nobody edits it."""
from app.audit.services import record  # noqa: F401

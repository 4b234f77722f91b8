"""Email addresses in logs and the audit trail are masked: enough to recognise, not to harvest."""
import re
from email.utils import getaddresses

_EMAIL = re.compile(r"([A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_email(address: str | None) -> str:
    """"jane.doe@example.org" -> "j***@example.org"; "Jane <jane@example.org>" -> the same;
    several (a To: header) -> comma-separated; anything without an @ -> "***"."""
    masked = []
    for _, email in getaddresses([str(address or "").strip()]):
        local, at, domain = email.rpartition("@")
        masked.append(f"{local[0]}***@{domain.lower()}" if at and local and domain else "***")
    return ", ".join(masked) or "***"


def mask_emails_in(text: str) -> str:
    """Every email address inside free text, masked."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2).lower()}", text)

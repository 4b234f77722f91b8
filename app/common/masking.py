"""Email addresses in logs and the audit trail are masked: enough to recognise, not to harvest."""
import re

_EMAIL = re.compile(r"([A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_email(address: str | None) -> str:
    """"jane.doe@example.org" -> "j***@example.org"; anything else without an @ -> "***"."""
    local, at, domain = (address or "").strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    return f"{local[0]}***@{domain.lower()}"


def mask_emails_in(text: str) -> str:
    """Every email address inside free text, masked."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2).lower()}", text)

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


# A phone number in free text: an optional +, then 10 to 15 digits with spaces, dots, dashes or
# brackets between them (a UK number is 10 or 11 digits, +44 ones 12).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){9,14}(?!\w)")


def mask_phone(number: str | None) -> str:
    """"+447700900982" or "07700 900 982" -> "*******982": enough to tell two apart, not to dial."""
    digits = re.sub(r"\D", "", str(number or ""))
    return f"*******{digits[-3:]}" if len(digits) >= 6 else "***"


def mask_phones_in(text: str) -> str:
    """Every phone number inside free text, masked."""
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_contact(channel: str, to: str | None) -> str:
    """A message's recipient for a log line: an email address, a phone number or a letter's name."""
    if channel == "email":
        return mask_email(to)
    if channel == "sms":
        return mask_phone(to)
    return "***"  # a letter's first address line is a name

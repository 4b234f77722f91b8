"""UK mobile numbers for text messages, checked with `phonenumbers` (Google's libphonenumber data)."""
import phonenumbers
from phonenumbers import PhoneNumberType

MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
MOBILE_ERROR = "Enter a UK mobile number, starting 07 or +44 7"


def uk_mobile(text: str | None) -> str | None:
    """The number in E.164 form ("+447700900982") if `text` is a valid UK mobile number, else None.

    Accepts the ways people write them: "07700 900982", "+44 (0)7700 900982", "447700900982".
    """
    text = (text or "").strip()
    if not text or len(text) > 30:
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        if not text.startswith("44"):
            return None
        try:
            number = phonenumbers.parse("+" + text, "GB")
        except phonenumbers.NumberParseException:
            return None
    # +44 numbers include the Channel Islands' and the Isle of Man's, which Notify texts as UK ones.
    if (number.country_code != 44 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in MOBILE_TYPES):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def for_people(e164: str | None) -> str:
    """"+447700900982" -> "07700 900982", as a resident would write it."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164

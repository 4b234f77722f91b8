"""Times are stored as naive UTC; people see and type Europe/London wall-clock times."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_london(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc).astimezone(LONDON)


def london_to_utc(value: datetime) -> datetime:
    """A wall-clock London time (naive) to naive UTC; handles BST/GMT changes."""
    return value.replace(tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)


def format_london(value: datetime | None, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
    local = to_london(value)
    if local is None:
        return ""
    return local.strftime(fmt).replace("AM", "am").replace("PM", "pm")

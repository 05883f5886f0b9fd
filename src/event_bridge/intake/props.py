"""One VEVENT property as plain data (RFC 5545 §3.8): text, categories, GEO, ORGANIZER's
name, SEQUENCE, LAST-MODIFIED in UTC.

Pure and total: an absent or odd property reads as the empty value (``""``, ``()``, ``0``,
``None``), never an exception.  A property that repeats is read by its first value, except
CATEGORIES (every value, first occurrence of each kept).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from icalendar import Event

from event_bridge.intake.values import clean

NOTE_UID_CHARS = 200
"""Longest UID quoted in a note about a skipped VEVENT."""


def raw_uid(vevent: Event) -> str:
    """The UID as written, for notes: cleaned (it reaches terminals and the database) and
    cut to :data:`NOTE_UID_CHARS`."""
    return clean(prop_text(vevent, "UID"))[:NOTE_UID_CHARS] or "?"


def prop_value(vevent: Event, name: str) -> Any:
    """A property value or ``None`` (icalendar's ``get`` pays for a KeyError when absent)."""
    if name in vevent:
        return vevent[name]
    return None


def first_value(value: Any) -> Any:
    """One value of a property that may repeat (icalendar then gives a list)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def first_prop(vevent: Event, name: str) -> Any:
    """The first value of property ``name``, or ``None``."""
    return first_value(prop_value(vevent, name))


def prop_text(vevent: Event, name: str) -> str:
    value = first_prop(vevent, name)
    return "" if value is None else str(value).strip()


def ical_text(value: Any) -> str:
    """A property value in its RFC 5545 text form (icalendar gives bytes or str)."""
    text = value.to_ical()
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)).strip()


def categories(vevent: Event) -> tuple[str, ...]:
    values = prop_value(vevent, "CATEGORIES")
    found: list[str] = []
    for group in values if isinstance(values, list) else [values]:
        for item in getattr(group, "cats", ()):
            text = str(item).strip()
            if text and text not in found:
                found.append(text)
    return tuple(found)


def geo(vevent: Event) -> str:
    value = first_prop(vevent, "GEO")
    return "" if value is None else ical_text(value)


def organizer(vevent: Event) -> str:
    value = first_prop(vevent, "ORGANIZER")
    if value is None:
        return ""
    name = str(getattr(value, "params", {}).get("CN", "")).strip()
    return name or str(value).strip()


def sequence(vevent: Event) -> int:
    try:
        return int(str(first_prop(vevent, "SEQUENCE") or 0).strip())
    except ValueError:
        return 0


def last_modified(vevent: Event) -> datetime | None:
    value = getattr(first_prop(vevent, "LAST-MODIFIED"), "dt", None)
    if not isinstance(value, datetime):
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

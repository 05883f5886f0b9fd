"""What the store may hold: values checked at intake, so that anything stored can be
published (issue 10: a bad value used to be stored, then fail every later publication).

* Text is :func:`clean`: one newline style, no NUL or other control character (PostgreSQL
  refuses NUL; terminals obey escapes; §3.1 has no place for them).
* Text is at most :data:`MAX_TEXT_CHARS` characters per value (longer is cut, with a note).
* Every moment falls in years :data:`MIN_YEAR` … :data:`MAX_YEAR`; a VEVENT with a moment
  outside is skipped with a note (RFC 5545 §3.3.4 writes four-digit years, and the
  calendar arithmetic of a series needs room on both sides).

Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import replace

from event_bridge.model import EventData, Moment

MIN_YEAR = 1000
"""Earliest year of any moment of a stored event (four-digit years, RFC 5545 §3.3.4)."""
MAX_YEAR = 9000
"""Latest year of any moment of a stored event: leaves room for the end and the series
arithmetic below Python's ``datetime.max`` (year 9999)."""
MAX_TEXT_CHARS = 64 * 1024
"""Longest text value kept (SUMMARY, DESCRIPTION, LOCATION, URL, ORGANIZER, UID, each
CATEGORIES value); a 19 MB DESCRIPTION is cut here, not carried through every sync."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but TAB and LF (C0, DEL, C1)
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")  # line breaks some readers honour


class OutOfRange(ValueError):
    """A moment outside :data:`MIN_YEAR` … :data:`MAX_YEAR`; the message is the reason."""


def clean(text: str) -> str:
    """One newline style (LF), no other control characters (C0 but TAB and LF, DEL, C1)."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def bounded_text(text: str) -> tuple[str, bool]:
    """``text`` cleaned and cut to :data:`MAX_TEXT_CHARS`; whether it was cut."""
    text = clean(text)
    if len(text) <= MAX_TEXT_CHARS:
        return text, False
    return text[:MAX_TEXT_CHARS], True


def checked_moment(name: str, value: Moment) -> Moment:
    """``value`` when its year is storable, else :class:`OutOfRange`."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise OutOfRange(f"{name} in year {value.year} is outside {MIN_YEAR}–{MAX_YEAR}; "
                         "VEVENT skipped")
    return value


def checked_data(data: EventData) -> tuple[EventData, list[str]]:
    """``data`` with every text value cleaned and bounded, and the names of those cut;
    :class:`OutOfRange` when a moment is out of range."""
    for name, values in (("DTSTART", [data.start]), ("DTEND", [data.end]),
                         ("RDATE", data.rdates), ("EXDATE", data.exdates)):
        for value in values:
            checked_moment(name, value)
    cut: list[str] = []

    def text(name: str, value: str) -> str:
        bounded, was_cut = bounded_text(value)
        if was_cut:
            cut.append(name)
        return bounded

    cats = tuple(c for c in (text("CATEGORIES", c) for c in data.categories) if c)
    fixed = replace(data, summary=text("SUMMARY", data.summary),
                    description=text("DESCRIPTION", data.description),
                    location=text("LOCATION", data.location), url=text("URL", data.url),
                    organizer=text("ORGANIZER", data.organizer), geo=text("GEO", data.geo),
                    categories=cats)
    return fixed, sorted(set(cut))

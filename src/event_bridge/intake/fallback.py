"""The fallback reader: a calendar text icalendar rejects, read one component at a time.

:func:`read_blocks` splits the unfolded CRLF text into its calendar property lines and its
top-level component blocks (RFC 5545 §3.4, §3.6); a block cut short by the next top-level
BEGIN or by END:VCALENDAR is reported and skipped, each other VEVENT and VTIMEZONE is read
on its own, so one broken VEVENT costs only itself.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Component, Event, Timezone

from event_bridge.errors import ParseError
from event_bridge.model import NOTE_PREFIX, Skipped

TOP_LEVEL = frozenset({"VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE",
                       "VAVAILABILITY"})
"""Components that never nest in a VEVENT: meeting one inside a VEVENT means it was cut."""

_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)


def read_whole(text: str) -> list[Component]:
    with warnings.catch_warnings():
        # icalendar warns when it guesses a global TZID; zones.py resolves TZIDs itself
        warnings.simplefilter("ignore")
        return list(Calendar.from_ical(text, multiple=True))


def note(feed_id: str, uid: str, text: str) -> Skipped:
    return Skipped(feed_id, uid, NOTE_PREFIX + text)


@dataclass
class _Block:
    name: str
    lines: list[str]
    complete: bool = False

    @property
    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"


def read_blocks(text: str, feed_id: str, skipped: list[Skipped], cause: Exception) -> Calendar:
    """Read each top-level component on its own after icalendar rejected the whole text."""
    properties, blocks = _split(text.split("\r\n"))
    calendar = _calendar_properties(properties)
    readable = 0
    for block in blocks:
        component = _read_block(block, feed_id, skipped)
        if component is not None:
            calendar.add_component(component)
            readable += isinstance(component, Event)
    if not readable:
        broken = sum(1 for b in blocks if b.name == "VEVENT")
        raise ParseError(f"no readable VEVENT in the calendar ({broken} broken): {reason(cause)}")
    skipped.append(note(feed_id, "", f"calendar read component by component: {reason(cause)}"))
    return calendar


def _split(lines: Iterable[str]) -> tuple[list[str], list[_Block]]:
    """Calendar property lines, and top-level component blocks (cut ones marked)."""
    properties: list[str] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    depth: list[str] = []
    for line in lines:
        kind, name = _line_kind(line)
        cut = (kind == "BEGIN" and name in TOP_LEVEL) or (kind, name) == ("END", "VCALENDAR")
        if current is not None and cut:
            current = None  # the open component was cut short: left incomplete
        if current is None:
            if kind == "BEGIN" and name != "VCALENDAR":
                current, depth = _Block(name, [line]), [name]
                blocks.append(current)
            elif kind == "":
                properties.append(line)
            continue
        current.lines.append(line)
        if kind == "BEGIN":
            depth.append(name)
        elif kind == "END" and depth and name == depth[-1]:
            depth.pop()
            if not depth:
                current.complete, current = True, None
    return properties, blocks


def _line_kind(line: str) -> tuple[str, str]:
    head, _, value = line.partition(":")
    head = head.strip().upper()
    if head in ("BEGIN", "END"):
        return head, value.strip().upper()
    return "", ""


def _calendar_properties(lines: list[str]) -> Calendar:
    """A VCALENDAR holding the readable calendar properties (unreadable lines dropped)."""
    try:
        return _as_calendar(lines)
    except Exception:  # one bad property line: read them one by one below
        pass
    merged = Calendar()
    for line in lines:
        try:
            for key, value in _as_calendar([line]).items():
                merged[key] = value
        except Exception:  # an unreadable property line is left out
            continue
    return merged


def _as_calendar(lines: list[str]) -> Calendar:
    found = read_whole("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""]))
    if len(found) != 1 or not isinstance(found[0], Calendar):
        raise ValueError("not one VCALENDAR")
    return found[0]


def _read_block(block: _Block, feed_id: str, skipped: list[Skipped]) -> Component | None:
    if block.name not in ("VEVENT", "VTIMEZONE"):
        return None
    uid = _block_uid(block.text)
    if not block.complete:
        skipped.append(Skipped(feed_id, uid, f"{block.name} cut short (no END:{block.name})"))
        return None
    cls = Event if block.name == "VEVENT" else Timezone
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cls.from_ical(block.text)
    except Exception as exc:  # any icalendar failure makes only this component unreadable
        skipped.append(Skipped(feed_id, uid, f"unreadable {block.name}: {reason(exc)}"))
        return None


def _block_uid(text: str) -> str:
    found = _UID.search(text)
    return found.group(1).strip() if found else "?"


def reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:200]}"

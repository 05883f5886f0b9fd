"""Compact VTIMEZONE components built from yearly RRULE transition rules (RFC 5545 §3.6.5).

``vtimezone(tzid, first_year, last_year)`` describes an IANA zone the way vzic/tzurl do: one
DAYLIGHT or STANDARD sub-component per rule period, each with a ``DTSTART`` (the local time,
in the offset before the change, of its first transition) and an
``RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=...`` (``UNTIL`` in UTC when the rule stops inside the
span).  Transitions are never written as ``RDATE`` lists: ical.js reads only the first date of
such a list, so summer events would show an hour off in Thunderbird.

The rules are derived from :mod:`zoneinfo` alone: each year is sampled daily, every change
of (offset, DST, abbreviation) is located to the second by bisection, classified as
"n-th / last weekday of the month" (or "weekday on or after day d", vzic's ``Sun>=8`` form),
and consecutive years with the same rule are merged.  A transition that fits no yearly
pattern becomes a one-off sub-component with a ``DTSTART`` and no rule.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

SAMPLE_STEP = timedelta(days=1)
"""Sampling step when looking for transitions; no zone changes offset twice in one day."""

BASE_DTSTART = "19700101T000000"
"""DTSTART of the base observance, in force before the first change in the span (as vzic)."""

UNTIL_SLACK = timedelta(days=1)
"""Added to the last transition to form UNTIL.  RFC 5545 wants UNTIL in UTC, but some readers
(dateutil's tzical, hence icalendar) compare it with the local DTSTART as wall time; east of
UTC they would drop the last onset.  A rule never fires twice within a day, so the slack keeps
the set the same for both readings."""

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

Pattern = tuple[str, int]
"""How a transition day is chosen: ("nth", 1..4), ("last", -1) or ("ge", first day)."""


@dataclass(frozen=True)
class Transition:
    """One change of a zone's observance, at ``at`` (UTC)."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool

    @property
    def local(self) -> datetime:
        """Wall-clock time of the change in the offset in force before it (§3.6.5 DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    def signature(self) -> tuple[object, ...]:
        """Everything that must stay the same for two years to share one rule."""
        loc = self.local
        return (self.offset_from, self.offset_to, self.name, self.dst,
                loc.month, loc.weekday(), loc.time())


@dataclass
class _Period:
    """A run of consecutive years whose transitions follow one rule."""

    first: Transition
    last: Transition
    patterns: set[Pattern] = field(default_factory=set)


def _state(zone: tzinfo, at: datetime) -> tuple[timedelta, timedelta, str]:
    local = at.astimezone(zone)
    return (local.utcoffset() or timedelta(0), local.dst() or timedelta(0), local.tzname() or "")


def _bisect(zone: tzinfo, lo: datetime, hi: datetime) -> datetime:
    """The first second in (lo, hi] whose state differs from the state at ``lo``."""
    before = _state(zone, lo)
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if _state(zone, mid) == before:
            lo = mid
        else:
            hi = mid
    return hi


def transitions(zone: tzinfo, first_year: int, last_year: int) -> list[Transition]:
    """Every observance change from 1 January ``first_year`` to the end of ``last_year``."""
    out: list[Transition] = []
    at = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    while at < end:
        nxt = at + SAMPLE_STEP
        before = _state(zone, at)
        if _state(zone, nxt) != before:
            at = _bisect(zone, at, nxt)
            offset_to, dst, name = _state(zone, at)
            out.append(Transition(at, before[0], offset_to, name, bool(dst)))
        else:
            at = nxt
    return out


def patterns(day: date) -> set[Pattern]:
    """Every yearly rule that picks ``day`` among the days of its weekday in its month."""
    month_len = calendar.monthrange(day.year, day.month)[1]
    found: set[Pattern] = set()
    if day.day <= 28:
        found.add(("nth", (day.day - 1) // 7 + 1))
    if day.day + 7 > month_len:
        found.add(("last", -1))
    for first in range(max(1, day.day - 6), day.day + 1):
        if first + 6 <= month_len:
            found.add(("ge", first))
    return found


def _best(found: set[Pattern]) -> Pattern:
    """The most common spelling among equivalent rules: last, then n-th, then on-or-after."""
    for kind in ("last", "nth"):
        matches = sorted(p for p in found if p[0] == kind)
        if matches:
            return matches[0]
    return sorted(found)[0]


def _periods(found: list[Transition]) -> list[_Period]:
    """Merge transitions of consecutive years that share a signature and a day rule."""
    open_: list[_Period] = []
    done: list[_Period] = []
    for tr in found:
        year, pats = tr.local.year, patterns(tr.local.date())
        for period in open_:
            common = period.patterns & pats
            if (period.last.local.year == year - 1 and common
                    and period.last.signature() == tr.signature()):
                period.last, period.patterns = tr, common
                break
        else:
            open_.append(_Period(tr, tr, pats))
        done += [p for p in open_ if p.last.local.year < year - 1]
        open_ = [p for p in open_ if p.last.local.year >= year - 1]
    return sorted(done + open_, key=lambda p: p.first.at)


def _offset(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _rrule(period: _Period, open_ended: bool) -> str:
    """The yearly rule of a period; ``""`` for a one-off transition."""
    if period.first is period.last:
        return ""  # a one-off change: DTSTART alone, never an RDATE list
    kind, n = _best(period.patterns)
    loc = period.first.local
    day = _WEEKDAYS[loc.weekday()]
    parts = [f"FREQ=YEARLY;BYMONTH={loc.month}"]
    if kind == "ge":
        parts.append(f"BYDAY={day};BYMONTHDAY=" + ",".join(str(n + i) for i in range(7)))
    else:
        parts.append(f"BYDAY={n}{day}")
    if not open_ended:
        until = period.last.at + UNTIL_SLACK
        parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def _observance(period: _Period, open_ended: bool) -> list[str]:
    first = period.first
    kind = "DAYLIGHT" if first.dst else "STANDARD"
    lines = [f"BEGIN:{kind}", f"TZOFFSETFROM:{_offset(first.offset_from)}",
             f"TZOFFSETTO:{_offset(first.offset_to)}", f"TZNAME:{first.name}",
             "DTSTART:" + first.local.strftime("%Y%m%dT%H%M%S")]
    rule = _rrule(period, open_ended)
    if rule:
        lines.append("RRULE:" + rule)
    return [*lines, f"END:{kind}"]


def _base(zone: tzinfo, year: int) -> list[str]:
    """The observance in force on 1 January ``year``, as a sub-component starting in 1970."""
    offset, dst, name = _state(zone, datetime(year, 1, 1, tzinfo=UTC))
    text, kind = _offset(offset), "DAYLIGHT" if dst else "STANDARD"
    return [f"BEGIN:{kind}", f"TZOFFSETFROM:{text}", f"TZOFFSETTO:{text}", f"TZNAME:{name}",
            f"DTSTART:{BASE_DTSTART}", f"END:{kind}"]


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """A compact VTIMEZONE (CRLF-terminated lines) for IANA zone ``tzid``, exact over
    [``first_year``, ``last_year``]; transitions are scanned from ``first_year - 1`` so that
    1 January of ``first_year`` already lies after an onset.  A period still running at the end
    of the span gets an open-ended RRULE.  Raises ``ZoneInfoNotFoundError`` for unknown zones.
    """
    zone = ZoneInfo(tzid)
    found = transitions(zone, first_year - 1, last_year)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    if not found or found[0].at > datetime(first_year, 1, 1, tzinfo=UTC):
        lines += _base(zone, first_year)
    for period in _periods(found):
        lines += _observance(period, period.last.local.year >= last_year)
    lines.append("END:VTIMEZONE")
    return "".join(_folded(line) for line in lines)


def _folded(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1): long BYMONTHDAY rules need it."""
    from icalendar.parser import Contentline

    return Contentline(line).to_ical().decode() + "\r\n"


def custom_tzinfo(definition: str) -> tzinfo:
    """A ``tzinfo`` for a feed's own VTIMEZONE text (namespaced custom zones)."""
    from icalendar import Timezone

    component = Timezone.from_ical(definition)
    if not isinstance(component, Timezone):
        raise ValueError("not a VTIMEZONE")
    return component.to_tz(lookup_tzid=False)

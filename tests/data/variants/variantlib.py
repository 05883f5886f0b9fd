"""Building blocks of the variant datasets: feeds, events written several ways, and the
truth.json they imply (same format and rules as ``tests/data/sister-cities``).

A :class:`Dataset` holds feeds (each with its time style) and clusters (one real-world
event each).  A cluster gets copies: ``copy`` writes one VEVENT into a feed, ``Series``
writes a recurring master with overrides, a copy of the series under another UID, or
instances published one by one.  The truth is derived from the copies, following the
dataset rules: the most precise start wins, then the feed listed first; any cancelled copy
cancels; a series is one cluster with its occurrences and overrides.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

PARIS, SF = "paris", "san-francisco"
ZONES = {PARIS: "Europe/Paris", SF: "America/Los_Angeles"}
WINDOWS = {PARIS: "Romance Standard Time", SF: "Pacific Standard Time"}
CANCEL_WORDS = ("annulé", "annule", "cancelled", "canceled")

OLSON_VTZ = {
    "Europe/Paris": """BEGIN:VTIMEZONE
TZID:Europe/Paris
X-LIC-LOCATION:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""",
    "America/Los_Angeles": """BEGIN:VTIMEZONE
TZID:America/Los_Angeles
X-LIC-LOCATION:America/Los_Angeles
BEGIN:DAYLIGHT
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
TZNAME:PDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
TZNAME:PST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE""",
}
WINDOWS_VTZ = {
    "Romance Standard Time": """BEGIN:VTIMEZONE
TZID:Romance Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE""",
    "Pacific Standard Time": """BEGIN:VTIMEZONE
TZID:Pacific Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE""",
}

Moment = datetime | date


def when(text: str) -> Moment:
    """``2027-03-10 18:30`` (local wall time) or ``2027-03-10`` (a date)."""
    if " " in text:
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    return date.fromisoformat(text)


def utc(local: datetime, city: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(ZONES[city])).astimezone(UTC)


def zstr(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> list[str]:
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


@dataclass
class Feed:
    id: str
    city: str
    file: str
    name: str
    kind: str
    style: str  # olson | windows | utc | xwr | floating
    prodid: str
    lf: bool = False
    events: list[list[str]] = field(default_factory=list)
    zones: set[str] = field(default_factory=set)


@dataclass
class Cluster:
    id: str
    city: str
    title: str
    note: str
    tags: list[str]
    members: list[list[str | None]] = field(default_factory=list)
    starts: list[tuple[int, Moment]] = field(default_factory=list)  # (feed rank, start)
    cancelled: bool = False
    recurrence: dict[str, object] | None = None
    first: datetime | None = None


class Dataset:
    def __init__(self, name: str, edition: int, feeds: list[Feed]) -> None:
        self.name, self.edition, self.feeds = name, edition, {f.id: f for f in feeds}
        self.order = [f.id for f in feeds]
        self.clusters: list[Cluster] = []
        self.links: list[list[str]] = []
        self.uids: dict[str, int] = {}

    def uid(self, feed: str, seed: str) -> str:
        """A UID in the feed's own style, derived from ``seed`` (deterministic)."""
        digest = hashlib.sha256(f"{self.name}/{feed}/{seed}".encode()).hexdigest()
        style = self.feeds[feed].prodid
        if "Outlook" in style:
            return "040000008200E00074C5B7101A82E00800000000" + digest[:56].upper()
        if "WordPress" in style:
            return f"ai1ec-{int(digest[:6], 16) % 9000 + 100}@localhost"
        if "Meetup" in style:
            return f"event_{int(digest[:8], 16) % 900000000 + 100000000}@meetup.com"
        return f"{seed}-{digest[:6]}@{feed}.example.org"

    def event(self, cid: str, city: str, title: str, note: str, tags: str = "") -> Cluster:
        found = Cluster(cid, city, title, note, sorted(tags.split()))
        self.clusters.append(found)
        return found

    def link(self, a: str, b: str, why: str) -> None:
        self.links.append([a, b, why])

    # -- writing one VEVENT ------------------------------------------------------------
    def copy(self, c: Cluster, feed: str, summary: str, start: str, minutes: int = 0, *,
             days: int = 1, uid: str | None = None, location: str = "", description: str = "",
             url: str = "", cancelled: bool = False, categories: str = "") -> str:
        """One plain VEVENT of ``c`` in ``feed``; ``minutes`` is the duration of a timed
        event (``days`` of an all-day one)."""
        moment = when(start)
        uid = uid or self.uid(feed, f"{c.id}-{len(c.members)}")
        end = moment + (timedelta(minutes=minutes) if isinstance(moment, datetime)
                        else timedelta(days=days))
        lines = self._head(feed, uid, c.city, moment, end)
        lines += self._texts(summary, location, description, url, categories,
                             "CANCELLED" if cancelled else "CONFIRMED")
        self.feeds[feed].events.append(lines)
        c.members.append([feed, uid, None])
        c.starts.append((self.order.index(feed), utc(moment, c.city)
                         if isinstance(moment, datetime) else moment))
        c.cancelled |= cancelled or _marked(summary)
        return uid

    def _head(self, feed: str, uid: str, city: str, start: Moment, end: Moment) -> list[str]:
        return [f"UID:{uid}", f"DTSTAMP:{self.edition - 1}1201T080000Z",
                self.dt(feed, "DTSTART", start, city), self.dt(feed, "DTEND", end, city)]

    @staticmethod
    def _texts(summary: str, location: str, description: str, url: str, categories: str,
               status: str) -> list[str]:
        lines = [f"SUMMARY:{escape(summary)}"]
        if location:
            lines.append(f"LOCATION:{escape(location)}")
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        if url:
            lines.append(f"URL:{url}")
        if categories:
            lines.append(f"CATEGORIES:{categories}")
        return [*lines, f"STATUS:{status}", "SEQUENCE:0"]

    def dt(self, feed_id: str, name: str, moment: Moment, city: str) -> str:
        """A date-time property in the feed's style."""
        feed = self.feeds[feed_id]
        if not isinstance(moment, datetime):
            return f"{name};VALUE=DATE:{moment:%Y%m%d}"
        local = moment.strftime("%Y%m%dT%H%M%S")
        if feed.style == "olson":
            feed.zones.add(ZONES[city])
            return f"{name};TZID={ZONES[city]}:{local}"
        if feed.style == "windows":
            feed.zones.add(WINDOWS[city])
            return f"{name};TZID={WINDOWS[city]}:{local}"
        if feed.style == "utc":
            return f"{name}:{utc(moment, city):%Y%m%dT%H%M%SZ}"
        assert city == feed.city, f"{feed_id}: floating time for an event in {city}"
        return f"{name}:{local}"

    # -- output --------------------------------------------------------------------------
    def write(self, out: Path) -> None:
        (out / "feeds").mkdir(parents=True, exist_ok=True)
        for feed in self.feeds.values():
            (out / feed.file).write_bytes(self._render(feed).encode("utf-8"))
        (out / "feeds.toml").write_text(self._toml(), encoding="utf-8")
        text = json.dumps(self._truth(), ensure_ascii=False, indent=1) + "\n"
        (out / "truth.json").write_text(text, encoding="utf-8")

    def _render(self, feed: Feed) -> str:
        head = ["BEGIN:VCALENDAR", f"PRODID:{feed.prodid}", "VERSION:2.0",
                "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{feed.name}"]
        if feed.style == "xwr":
            head.append(f"X-WR-TIMEZONE:{ZONES[feed.city]}")
        for zone in sorted(feed.zones):
            head += (OLSON_VTZ.get(zone) or WINDOWS_VTZ[zone]).split("\n")
        body = [line for ev in feed.events for line in ["BEGIN:VEVENT", *ev, "END:VEVENT"]]
        lines = [part for line in [*head, *body, "END:VCALENDAR"] for part in fold(line)]
        newline = "\n" if feed.lf else "\r\n"
        return newline.join(lines) + newline

    def _toml(self) -> str:
        out = [f"# Paris <-> San Francisco event bridge: variant dataset {self.name} "
               f"(edition {self.edition}), written by make_variants.py.",
               "# Feeds are listed from most to least authoritative.", "",
               '[cities.paris]', 'name = "Paris"', 'timezone = "Europe/Paris"', "",
               '[cities.san-francisco]', 'name = "San Francisco"',
               'timezone = "America/Los_Angeles"', ""]
        for f in self.feeds.values():
            out += [f"# {f.name} -- {f.kind}", "[[feeds]]", f'id = "{f.id}"',
                    f'city = "{f.city}"', f'url = "{f.file}"', ""]
        return "\n".join(out)

    def _truth(self) -> dict[str, object]:
        clusters = [self._cluster_truth(c) for c in self.clusters]
        ids = {c.id for c in self.clusters}
        assert all(a in ids and b in ids for a, b, _ in self.links), "link to unknown id"
        return {"dataset": self.name, "edition": self.edition,
                "feeds": [{"id": f.id, "city": f.city, "file": f.file}
                          for f in self.feeds.values()],
                "clusters": clusters, "links": self.links}

    @staticmethod
    def _cluster_truth(c: Cluster) -> dict[str, object]:
        timed = sorted((r, s) for r, s in c.starts if isinstance(s, datetime))
        if c.first is not None:
            start: Moment = c.first
        else:
            start = timed[0][1] if timed else sorted(c.starts)[0][1]
        all_day = not isinstance(start, datetime)
        out: dict[str, object] = {
            "id": c.id, "city": c.city, "title": c.title, "members": c.members,
            "start_utc": None if all_day else zstr(start),  # type: ignore[arg-type]
            "start_date": (start if all_day else start.astimezone(  # type: ignore[union-attr]
                ZoneInfo(ZONES[c.city]))).isoformat()[:10],
            "all_day": all_day, "cancelled": c.cancelled, "note": c.note, "tags": c.tags}
        if c.recurrence:
            out["recurrence"] = c.recurrence
        return out


def _marked(summary: str) -> bool:
    low = summary.lower()
    return any(w in low for w in CANCEL_WORDS)


class Series:
    """A recurring event (RRULE in the local zone of its city) and its copies."""

    def __init__(self, ds: Dataset, c: Cluster, start: str, minutes: int, rrule: str,
                 exdates: tuple[str, ...] = (), moved: dict[str, str] | None = None,
                 cancelled: tuple[str, ...] = ()) -> None:
        self.ds, self.c, self.rrule, self.minutes = ds, c, rrule, minutes
        self.start = datetime.strptime(start, "%Y-%m-%d %H:%M")
        self.exdates = [datetime.strptime(x, "%Y-%m-%d %H:%M") for x in exdates]
        self.moved = {datetime.strptime(k, "%Y-%m-%d %H:%M"): datetime.strptime(
            v, "%Y-%m-%d %H:%M") for k, v in (moved or {}).items()}
        self.cancelled = [datetime.strptime(x, "%Y-%m-%d %H:%M") for x in cancelled]
        rule = rrulestr(rrule, dtstart=self.start)
        self.local = [d for d in rule if d not in self.exdates]
        city = c.city
        c.first = utc(self.local[0], city)
        c.recurrence = {
            "rrule": rrule, "exdates_utc": [zstr(utc(x, city)) for x in self.exdates],
            "occurrences_utc": [zstr(utc(x, city)) for x in self.local],
            "overrides": [{"recurrence_id": zstr(utc(o, city)),
                           "start_utc": zstr(utc(self.moved.get(o, o), city)),
                           "cancelled": o in self.cancelled}
                          for o in sorted({*self.moved, *self.cancelled})]}

    def _rule_lines(self, feed: str) -> list[str]:
        rule = self.rrule
        if self.ds.feeds[feed].style == "utc":  # the weekday of a UTC start may differ
            rule = re.sub(r";BYDAY=[A-Z]{2}", "", rule)
        lines = [f"RRULE:{rule}"]
        if self.exdates:
            lines.append(",".join([self.ds.dt(feed, "EXDATE", self.exdates[0], self.c.city)]
                                  + [x.strftime("%Y%m%dT%H%M%S") if self.ds.feeds[feed].style
                                     != "utc" else f"{utc(x, self.c.city):%Y%m%dT%H%M%SZ}"
                                     for x in self.exdates[1:]]))
        return lines

    def master(self, feed: str, summary: str, *, uid: str | None = None,
               overrides: bool = True, location: str = "", description: str = "",
               url: str = "", override_summary: str | None = None) -> str:
        """The series in ``feed``: RRULE and EXDATE, with its overrides if asked."""
        ds, city = self.ds, self.c.city
        uid = uid or ds.uid(feed, f"{self.c.id}-series-{len(self.c.members)}")
        end = self.start + timedelta(minutes=self.minutes)
        lines = ds._head(feed, uid, city, self.start, end)
        lines += self._rule_lines(feed)
        lines += ds._texts(summary, location, description, url, "", "CONFIRMED")
        ds.feeds[feed].events.append(lines)
        self.c.members.append([feed, uid, None])
        if not overrides:
            return uid
        for o in sorted({*self.moved, *self.cancelled}):
            new = self.moved.get(o, o)
            head = ds._head(feed, uid, city, new, new + timedelta(minutes=self.minutes))
            head.insert(2, ds.dt(feed, "RECURRENCE-ID", o, city))
            status = "CANCELLED" if o in self.cancelled else "CONFIRMED"
            text = override_summary or summary
            ds.feeds[feed].events.append(head + ds._texts(text, location, description, url,
                                                          "", status))
            self.c.members.append([feed, uid, zstr(utc(o, city))])
        return uid

    def instances(self, feed: str, summary: str, picks: tuple[str, ...], *,
                  location: str = "", description: str = "", url: str = "",
                  mark_cancelled: str = "") -> list[str]:
        """Occurrences published one by one (at their moved time); a cancelled one is
        published with ``mark_cancelled`` before its title, or STATUS:CANCELLED."""
        ds, city, uids = self.ds, self.c.city, []
        for text in picks:
            original = datetime.strptime(text, "%Y-%m-%d %H:%M")
            assert original in self.local, f"{self.c.id}: {text} is no occurrence"
            start = self.moved.get(original, original)
            uid = ds.uid(feed, f"{self.c.id}-{text}")
            gone = original in self.cancelled
            title = f"{mark_cancelled}{summary}" if gone and mark_cancelled else summary
            lines = ds._head(feed, uid, city, start, start + timedelta(minutes=self.minutes))
            lines += ds._texts(title, location, description, url, "",
                               "CANCELLED" if gone and not mark_cancelled else "CONFIRMED")
            ds.feeds[feed].events.append(lines)
            self.c.members.append([feed, uid, zstr(utc(original, city))])
            uids.append(uid)
        return uids

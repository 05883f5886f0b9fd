"""Output safety by construction (issue 10): whatever text a feed carries, the published
calendar holds exactly the events the bridge meant to publish, each field reading back as
the text it was given (control characters aside), and no line break or component boundary
of the feed's making.  Hypothesis writes arbitrary text into every published field."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from urllib.parse import unquote

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.prop import vText

from event_bridge.model import City, Event, EventData, Link, SourceKey
from event_bridge.publish.icstext import clean, param_value, prop_line, refolded, text_line
from event_bridge.publish.render import FeedMeta, Stamp, render

CITIES = {"paris": City("paris", "Paris", "Europe/Paris")}
STAMP = Stamp(1, datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
INJECTION = "a\nEND:VEVENT\nBEGIN:VEVENT\nUID:owned\nSUMMARY:foreign\nEND:VEVENT\nBEGIN:VEVENT"
EXAMPLES = int(os.environ.get("EVENT_BRIDGE_FUZZ_EXAMPLES", "300"))
LINE = re.compile(r"[A-Z][A-Z0-9-]*[;:]")

# every code point, the hostile ones made likely: line breaks, controls, escapes, RFC 6868
HOSTILE = st.sampled_from(["\n", "\r", "\r\n", "\x00", "\x1b", "\x85", "\u2028", "^", "^n",
                           "\\", ";", ",", ":", '"', "END:VEVENT", "BEGIN:VCALENDAR", " "])
TEXT = st.lists(st.one_of(st.text(max_size=8), HOSTILE), max_size=12).map("".join)


def _event(uid: str, fields: dict[str, str], cats: list[str], feed_uid: str) -> Event:
    data = EventData(summary=fields["summary"], description=fields["description"],
                     location=fields["location"], url=fields["url"],
                     organizer=fields["organizer"], categories=tuple(cats),
                     start=datetime(2026, 5, 1, 18, tzinfo=UTC),
                     end=datetime(2026, 5, 1, 20, tzinfo=UTC), tzid="Europe/Paris")
    return Event(uid=uid, city="paris", data=data, sources=(SourceKey("agenda", feed_uid),))


def _text(prop: object) -> str:
    """A TEXT value as read back (icalendar leaves X- and RFC 7986 properties escaped)."""
    if isinstance(prop, vText):
        return str(prop)
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(prop))


def _lines(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\r\n\r\n" not in text
    physical = text.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert not any(c in p for p in physical for c in "\r\n\x00\x85\u2028\u2029")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _structure(body: bytes, count: int) -> None:
    """Every logical line is a property of ours; the boundaries are the ones we wrote."""
    lines = _lines(body)
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == count
    assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1
    assert sum(line.startswith(("BEGIN:", "END:")) for line in lines) == 2 * count + 2 + sum(
        line.startswith(("BEGIN:", "END:")) for line in lines if "TIMEZONE" in line
        or line.endswith(("STANDARD", "DAYLIGHT")))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uids=st.lists(TEXT.filter(lambda u: clean(u) != ""), min_size=1, max_size=3,
                     unique_by=clean),
       fields=st.fixed_dictionaries({k: TEXT for k in (
           "summary", "description", "location", "url", "organizer")}),
       cats=st.lists(TEXT, max_size=3), feed_uid=TEXT, name=TEXT)
def test_arbitrary_text_reads_back_as_the_same_events(uids: list[str], fields: dict[str, str],
                                                       cats: list[str], feed_uid: str,
                                                       name: str) -> None:
    events = [_event(clean(uid), fields, cats, feed_uid) for uid in uids]
    links = [Link(events[0].uid, events[-1].uid, 0.9, "x")] if len(events) > 1 else []
    body = render(events, links, {e.key: STAMP for e in events}, CITIES,
                  FeedMeta(name, 3600, name)).body
    _structure(body, len(events))
    cal = icalendar.Calendar.from_ical(body)
    assert _text(cal["NAME"]) == clean(name)
    parsed = {str(ve["UID"]): ve for ve in cal.walk("VEVENT")}
    assert sorted(parsed) == sorted(e.uid for e in events)
    for event in events:
        ve, data = parsed[event.uid], event.data
        for prop, value in (("SUMMARY", data.summary), ("LOCATION", data.location)):
            assert str(ve.get(prop, "")) == clean(value)
        assert clean(data.description).strip() in str(ve.get("DESCRIPTION", ""))
        wanted = [c for c in dict.fromkeys(clean(c) for c in data.categories) if c]
        got = [str(c) for group in ve.get("CATEGORIES", []) and [ve["CATEGORIES"]]
               for c in group.cats] if wanted else []
        assert got == wanted or (not wanted and "CATEGORIES" not in ve)
        source = ve["X-EVENT-BRIDGE-SOURCE"]
        assert _text(source) == clean(feed_uid) and source.params["FEED"] == "agenda"
        if clean(data.url).strip():
            assert unquote(str(ve["URL"])) == unquote(clean(data.url).strip())
        organizer = clean(data.organizer).strip()
        if organizer:
            uri = organizer if ":" in organizer else f"mailto:{organizer}"
            assert unquote(str(ve["ORGANIZER"])) == unquote(uri)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=TEXT.map(lambda v: v.replace("\\", "")))
def test_parameter_values_round_trip_rfc_6868(value: str) -> None:
    """No backslash: RFC 5545 gives it no meaning in a parameter, but icalendar's reader
    unescapes it (our parameter values never hold one: TZIDs are namespaced without)."""
    line = prop_line("X-TEST", "v", {"CN": value, "FEED": value})
    assert line.count("\r\n") == line.count("\r\n ") + 1
    prop = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\n" + line + "END:VCALENDAR\r\n")["X-TEST"]
    assert prop.params["CN"] == clean(value)


def test_organizer_cn_injection_stays_one_event() -> None:
    """The issue's attack: a CN decoded per RFC 6868 into real line breaks, short and long
    (the long one used to trip icalendar's folding assertion)."""
    for cn in (INJECTION, INJECTION * 40):
        event = _event("u1", {"summary": "s", "description": "", "location": "",
                              "url": cn, "organizer": cn}, [cn], cn)
        body = render([event], [], {event.key: STAMP}, CITIES, FeedMeta(cn, 60)).body
        _structure(body, 1)
        assert [str(ve["UID"]) for ve in icalendar.Calendar.from_ical(body).walk("VEVENT")] \
            == ["u1"]


def test_parameter_encoding_is_rfc_6868() -> None:
    assert param_value('a^b"c\nd') == "a^^b^'c^nd"
    assert param_value("x;y") == '"x;y"'
    assert text_line("SUMMARY", "a\r\nb;\x1b[31m") == "SUMMARY:a\\nb\\;[31m\r\n"


def test_unknown_names_are_refused() -> None:
    for bad in ("SUMMARY:X", "A\nB", ""):
        try:
            prop_line(bad, "v")
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
    try:
        prop_line("X", "v", {"A;B": "v"})
    except ValueError:
        return
    raise AssertionError("accepted a bad parameter name")


def test_a_hostile_custom_zone_cannot_close_the_event() -> None:
    zone = ("BEGIN:VTIMEZONE\nTZID:X\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\n"
            "BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\n"
            "TZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n")
    out = refolded(zone)
    assert "VEVENT" not in out and "UID:evil" in out  # a stray property line, harmless
    assert out.startswith("BEGIN:VTIMEZONE\r\n") and out.endswith("END:VTIMEZONE\r\n")

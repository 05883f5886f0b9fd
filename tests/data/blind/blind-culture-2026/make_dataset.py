#!/usr/bin/env python3
"""make_dataset.py: deterministic generator of the blind-culture-2026 dataset
(Paris <-> San Francisco event bridge; creative tech, digital culture, open data, civic tech).

Written blind: the author never read the bridge's source or tests.

Run `python3 make_dataset.py` (standard library only; random.Random(2602)). It (re)writes, next to
this file: feeds/*.ics, feeds.toml, truth.json and README.md.

Layout: (1) machinery: event model, one renderer per producer style (Google, Outlook/Exchange,
Apple, Nextcloud, WordPress All-in-One, city-hall CMS, Meetup, UTC aggregator), truth builder;
(2) the dataset content in build(); (3) output writers.  Every source VEVENT is produced from a
cluster definition, so the truth is labelled by construction.
"""

import datetime as dt
import json
import os
import random
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
ZONES = {"paris": ZoneInfo("Europe/Paris"), "san-francisco": ZoneInfo("America/Los_Angeles")}
OLSON = {"paris": "Europe/Paris", "san-francisco": "America/Los_Angeles"}
WINDOWS = {"paris": "Romance Standard Time", "san-francisco": "Pacific Standard Time"}

# --------------------------------------------------------------------------- feeds
# style -> how times are written by default
#   tzid-olson, tzid-windows : TZID of the zone the event happens in
#   utc                      : UTC 'Z'
#   floating                 : wall clock, in X-WR-TIMEZONE if the feed has one, else in the event city
STYLE_DEFAULT_MODE = {
    "google": "tzid", "outlook": "tzid", "apple": "tzid", "nextcloud": "tzid",
    "ai1ec": "floating", "cityhall": "floating", "meetup": "utc", "aggregator": "utc",
}


class Feed:
    def __init__(self, fid, city, file, style, calname, kind, xwr=None, eol="\r\n", lang="fr", **kw):
        self.id, self.city, self.file, self.style = fid, city, file, style
        self.calname, self.kind, self.xwr, self.eol, self.lang = calname, kind, xwr, eol, lang
        self.kw = kw
        self.vevents = []   # list of (sort_key, list_of_lines)


# --------------------------------------------------------------------------- helpers
def parse_local(s, city):
    """'2026-03-16 18:30' wall clock in the city's zone -> aware datetime."""
    d = dt.datetime.strptime(s, "%Y-%m-%d %H:%M")
    return d.replace(tzinfo=ZONES[city])


def utc_str(d):
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ics_utc(d):
    return d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_local(d):
    return d.strftime("%Y%m%dT%H%M%S")


def ics_date(d):
    return d.strftime("%Y%m%d")


def esc(text):
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 sequence."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return [line]
    out, cur, limit = [], b"", 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > limit:
            out.append(cur.decode("utf-8"))
            cur, limit = b"", 74
        cur += b
    out.append(cur.decode("utf-8"))
    return [out[0]] + [" " + x for x in out[1:]]


GENERIC_DESC = {
    "fr": ["Entrée libre dans la limite des places disponibles.", "Gratuit, sur inscription.",
           "Inscription conseillée.", "Tout public.", "Plus d'informations sur le site de l'organisateur."],
    "en": ["Free, RSVP required.", "All ages welcome.", "Free admission; registration recommended.",
           "Details on the organizer's website.", "Open to the public."],
}


def slug(text):
    import unicodedata
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in t)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


WP_ENT = [("&", "&amp;"), ("–", "&#8211;"), ("—", "&#8212;"), ("’", "&#8217;"), ("'", "&#8217;"),
          ("«\u00a0", "&laquo;&nbsp;"), ("\u00a0»", "&nbsp;&raquo;"), ("« ", "&laquo; "), (" »", " &raquo;")]


def wp_entities(s):
    for a, b in WP_ENT:
        s = s.replace(a, b)
    return s


# --------------------------------------------------------------------------- VTIMEZONEs
VTZ_OLSON = {
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
# Apple writes the zone with its history start dates instead of 1970
VTZ_APPLE = {
    "Europe/Paris": """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
DTSTART:19810329T020000
TZNAME:UTC+2
TZOFFSETTO:+0200
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
DTSTART:19961027T030000
TZNAME:UTC+1
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE""",
    "America/Los_Angeles": """BEGIN:VTIMEZONE
TZID:America/Los_Angeles
BEGIN:DAYLIGHT
TZOFFSETFROM:-0800
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
DTSTART:20070311T020000
TZNAME:PDT
TZOFFSETTO:-0700
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0700
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
DTSTART:20071104T020000
TZNAME:PST
TZOFFSETTO:-0800
END:STANDARD
END:VTIMEZONE""",
}
VTZ_WINDOWS = {
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


# --------------------------------------------------------------------------- recurrence
WD = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def expand(first_local, freq, interval=1, count=None, until=None, byday=None):
    """Expand a simple recurrence on wall-clock (naive) datetimes.
    WEEKLY: same weekday as first; MONTHLY with byday like '2WE' (nth weekday)."""
    out = []
    if freq == "WEEKLY":
        cur = first_local
        while True:
            if count is not None and len(out) >= count:
                break
            if until is not None and cur.date() > until:
                break
            out.append(cur)
            cur = cur + dt.timedelta(weeks=interval)
    elif freq == "MONTHLY":
        n, wd = int(byday[:-2]), WD[byday[-2:]]
        y, m = first_local.year, first_local.month
        while True:
            if count is not None and len(out) >= count:
                break
            d1 = dt.date(y, m, 1)
            off = (wd - d1.weekday()) % 7
            day = d1 + dt.timedelta(days=off + 7 * (n - 1))
            cur = dt.datetime.combine(day, first_local.time())
            if until is not None and cur.date() > until:
                break
            if cur >= first_local:
                out.append(cur)
            m += interval
            if m > 12:
                y, m = y + 1, m - 12
    else:
        raise ValueError(freq)
    return out


# --------------------------------------------------------------------------- model
class App:
    """One source VEVENT (or series master / stand-alone instance) of a cluster in a feed."""

    def __init__(self, feed, title, **o):
        self.feed, self.title, self.o = feed, title, o


class Cluster:
    def __init__(self, cid, city, title, **kw):
        self.id, self.city, self.title = cid, city, title
        self.kw = kw
        self.members = []        # [feed, uid, rid]
        self.member_starts = []  # (feed, uid, rid, start_value, is_timed) for verification
        self.tags = set(kw.get("tags", ()))
        self.notes = [kw["note"]] if kw.get("note") else []
        self.cancelled = False
        self.start_utc = None
        self.start_date = None
        self.all_day = False
        self.recurrence = None


class Builder:
    def __init__(self, seed, feeds, venues, edition):
        self.rng = random.Random(seed)
        self.feeds = feeds
        self.fmap = {f.id: f for f in feeds}
        self.order = {f.id: i for i, f in enumerate(feeds)}
        self.venues = venues
        self.edition = edition
        self.clusters = []
        self.links = []
        self.counters = {}
        self.used_uids = {}
        self.reused_uids = []

    # ----------------------------------------------------------- uids
    def new_uid(self, feed):
        r = self.rng
        st = feed.style
        if st == "google":
            return "".join(r.choice("abcdefghijklmnopqrstuv0123456789") for _ in range(26)) + "@google.com"
        if st == "outlook":
            return ("040000008200E00074C5B7101A82E00800000000"
                    + "".join(r.choice("0123456789ABCDEF") for _ in range(16))
                    + "01000000000000000010000000"
                    + "".join(r.choice("0123456789ABCDEF") for _ in range(16)))
        if st == "apple":
            h = "".join(r.choice("0123456789ABCDEF") for _ in range(32))
            return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], "A" + h[17:20], h[20:32])
        if st == "nextcloud":
            h = "".join(r.choice("0123456789abcdef") for _ in range(32))
            return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], "9" + h[17:20], h[20:32])
        if st == "ai1ec":
            n = self.counters.get(feed.id, feed.kw.get("uid_base", 100))
            n += r.randint(1, 9)
            self.counters[feed.id] = n
            return "ai1ec-%d@localhost" % n
        if st == "cityhall":
            n = self.counters.get(feed.id, 48200) + r.randint(3, 40)
            self.counters[feed.id] = n
            return "evenement-%d@agenda.paris-numerique.fr" % n
        if st == "meetup":
            return "event_%d@meetup.com" % r.randint(305000000, 315999999)
        if st == "aggregator":
            return "bct-%s@baycreativetech.org" % "".join(r.choice("0123456789abcdef") for _ in range(12))
        raise ValueError(st)

    # ----------------------------------------------------------- time rendering
    def mode_of(self, feed, app_o):
        m = app_o.get("mode") or STYLE_DEFAULT_MODE[feed.style]
        return m

    def dt_prop(self, name, feed, d, mode, city, zc=None):
        """d aware datetime -> content line for DTSTART/DTEND/RECURRENCE-ID/EXDATE.
        city: where the event happens; zc: zone (city) a TZID is written in, default city."""
        if zc is not None and zc != city:
            assert mode == "tzid", (name, feed.id)
            city = zc
        if mode == "utc":
            return "%s:%s" % (name, ics_utc(d))
        if mode == "tzid":
            if feed.style == "outlook":
                tzn = WINDOWS[city]
            else:
                tzn = OLSON[city]
            feed.kw.setdefault("_tz_used", set()).add(tzn)
            return "%s;TZID=%s:%s" % (name, tzn, ics_local(d.astimezone(ZONES[city])))
        if mode == "floating":
            z = ZoneInfo(feed.xwr) if feed.xwr else ZONES[city]
            return "%s:%s" % (name, ics_local(d.astimezone(z)))
        raise ValueError(mode)

    def float_zone(self, feed, city):
        return ZoneInfo(feed.xwr) if feed.xwr else ZONES[city]

    # ----------------------------------------------------------- add plain event
    def event(self, cid, city, title, when, dur, venue, apps, **kw):
        """when: 'YYYY-MM-DD HH:MM' (timed) or 'YYYY-MM-DD' (all-day; dur in days)."""
        c = Cluster(cid, city, title, **kw)
        self.clusters.append(c)
        allday = len(when) == 10
        if allday:
            d0 = dt.date.fromisoformat(when)
            start = None
        else:
            start = parse_local(when, city)
        timed_candidates = []
        allday_candidates = []
        for a in apps:
            feed = self.fmap[a.feed]
            o = a.o
            uid = self.resolve_uid(feed, o, c)
            status = o.get("status", kw.get("status", "CONFIRMED"))
            if status == "CANCELLED":
                c.cancelled = True
            a_allday = o.get("allday", allday)
            v = self.venues[o.get("venue", venue)]
            if a_allday:
                if allday:
                    ds, de = d0, d0 + dt.timedelta(days=dur)
                else:
                    ds = start.date()
                    de = ds + dt.timedelta(days=o.get("days", 1))
                lines = ["DTSTART;VALUE=DATE:%s" % ics_date(ds), "DTEND;VALUE=DATE:%s" % ics_date(de)]
                allday_candidates.append((self.order[a.feed], ds))
                c.member_starts.append((a.feed, uid, None, ds, False))
                sk = dt.datetime.combine(ds, dt.time(0), tzinfo=UTC)
            else:
                if allday:
                    s = parse_local(o["time"], city)
                    e = s + dt.timedelta(minutes=o.get("dur", 480))
                else:
                    s = start + dt.timedelta(minutes=o.get("shift", 0))
                    e = s + dt.timedelta(minutes=o.get("dur", dur))
                mode = self.mode_of(feed, o)
                zc = o.get("zone")
                lines = [self.dt_prop("DTSTART", feed, s, mode, city, zc), self.dt_prop("DTEND", feed, e, mode, city, zc)]
                if zc and zc != city:
                    c.tags.add("written-in-other-city-zone")
                timed_candidates.append((self.order[a.feed], s))
                c.member_starts.append((a.feed, uid, None, s, True))
                self.note_mode(c, feed, mode, city)
                if o.get("shift"):
                    c.tags.add("start-off-by-minutes")
                sk = s.astimezone(UTC)
            c.members.append([a.feed, uid, None])
            self.render(feed, c, a, uid, lines, v, status, sk)
        # truth start
        if timed_candidates:
            timed_candidates.sort(key=lambda x: x[0])
            s = timed_candidates[0][1]
            c.start_utc = utc_str(s)
            c.start_date = s.astimezone(ZONES[city]).date().isoformat()
            c.all_day = False
            if allday_candidates:
                c.tags.add("all-day-vs-timed")
        else:
            allday_candidates.sort(key=lambda x: x[0])
            c.start_utc = None
            c.start_date = allday_candidates[0][1].isoformat()
            c.all_day = True
            c.tags.add("all-day")
        self.common_tags(c)
        return c

    # ----------------------------------------------------------- add series
    def series(self, cid, city, title, first, dur, venue, master, rule, exdates=(), moved=None,
               cancelled=(), instances=(), copies=(), **kw):
        """master: App in the feed carrying the RRULE.  rule: dict(freq, interval, count|until, byday).
        moved: {orig 'YYYY-MM-DD': ('YYYY-MM-DD HH:MM', venue_key or None)}
        instances: [App(feed, title, date='YYYY-MM-DD', ...)] stand-alone copies of one occurrence.
        copies: [App(feed, title)] whole-series copies (own RRULE, own UID, no overrides)."""
        c = Cluster(cid, city, title, **kw)
        self.clusters.append(c)
        moved = moved or {}
        z = ZONES[city]
        first_local = dt.datetime.strptime(first, "%Y-%m-%d %H:%M")
        until = dt.date.fromisoformat(rule["until"]) if rule.get("until") else None
        occ_local = expand(first_local, rule["freq"], rule.get("interval", 1), rule.get("count"), until,
                           rule.get("byday"))
        exd = {dt.date.fromisoformat(x) for x in exdates}
        occ_all = [d.replace(tzinfo=z) for d in occ_local]
        occ = [d for d in occ_all if d.date() not in exd]
        ex_dt = [d for d in occ_all if d.date() in exd]
        assert len(ex_dt) == len(exd), (cid, exdates)
        by_date = {d.date().isoformat(): d for d in occ}
        for k in list(moved) + list(cancelled):
            assert k in by_date, (cid, k)
        overrides = []
        for k, (new, vkey) in moved.items():
            overrides.append({"recurrence_id": utc_str(by_date[k]), "start_utc": utc_str(parse_local(new, city)),
                              "cancelled": False})
        for k in cancelled:
            overrides.append({"recurrence_id": utc_str(by_date[k]), "start_utc": utc_str(by_date[k]),
                              "cancelled": True})
        overrides.sort(key=lambda o: o["recurrence_id"])
        rr = "FREQ=%s" % rule["freq"]
        if rule.get("interval", 1) != 1:
            rr += ";INTERVAL=%d" % rule["interval"]
        if rule.get("byday"):
            rr += ";BYDAY=%s" % rule["byday"]
        else:
            rr += ";BYDAY=%s" % list(WD)[first_local.weekday()]
        if rule.get("count"):
            rr_info = rr + ";COUNT=%d" % rule["count"]
        else:
            rr_info = rr + ";UNTIL=%s (local)" % rule["until"]
        c.recurrence = {"rrule": rr_info, "exdates_utc": [utc_str(d) for d in ex_dt],
                        "occurrences_utc": [utc_str(d) for d in occ], "overrides": overrides}
        c.start_utc = utc_str(occ[0])
        c.start_date = occ[0].date().isoformat()
        c.tags.add("recurring")
        if exd:
            c.tags.add("exdate")
        if moved:
            c.tags.add("moved-instance")
        if cancelled:
            c.tags.add("cancelled-instance")
        first_dt = occ_all[0]

        def rrule_line(feed, mode):
            s = rr
            if rule.get("count"):
                return "RRULE:" + s + ";COUNT=%d" % rule["count"]
            u_local = dt.datetime.combine(until, dt.time(23, 59, 59))
            if mode == "floating":
                return "RRULE:" + s + ";UNTIL=" + ics_local(u_local)
            return "RRULE:" + s + ";UNTIL=" + ics_utc(u_local.replace(tzinfo=z))

        def exdate_lines(feed, mode):
            return [self.dt_prop("EXDATE", feed, d, mode, city) for d in ex_dt]

        # master + overrides
        for a, is_copy in [(master, False)] + [(cp, True) for cp in copies]:
            feed = self.fmap[a.feed]
            uid = self.resolve_uid(feed, a.o, c)
            mode = self.mode_of(feed, a.o)
            v = self.venues[a.o.get("venue", venue)]
            lines = [self.dt_prop("DTSTART", feed, first_dt, mode, city),
                     self.dt_prop("DTEND", feed, first_dt + dt.timedelta(minutes=dur), mode, city),
                     rrule_line(feed, mode)] + exdate_lines(feed, mode)
            c.members.append([a.feed, uid, None])
            c.member_starts.append((a.feed, uid, None, first_dt, True))
            self.note_mode(c, feed, mode, city)
            self.render(feed, c, a, uid, lines, v, "CONFIRMED", first_dt.astimezone(UTC), series=True)
            if is_copy:
                c.tags.add("series-copied-as-series")
                continue
            for k, (new, vkey) in moved.items():
                rid = by_date[k]
                s = parse_local(new, city)
                lines = [self.dt_prop("RECURRENCE-ID", feed, rid, mode, city),
                         self.dt_prop("DTSTART", feed, s, mode, city),
                         self.dt_prop("DTEND", feed, s + dt.timedelta(minutes=dur), mode, city)]
                c.members.append([a.feed, uid, utc_str(rid)])
                c.member_starts.append((a.feed, uid, utc_str(rid), s, True))
                ov = App(a.feed, a.o.get("moved_title", a.title), **dict(a.o, desc=a.o.get("moved_desc")))
                self.render(feed, c, ov, uid, lines, self.venues[vkey or venue], "CONFIRMED",
                            s.astimezone(UTC), override=True)
            for k in cancelled:
                rid = by_date[k]
                lines = [self.dt_prop("RECURRENCE-ID", feed, rid, mode, city),
                         self.dt_prop("DTSTART", feed, rid, mode, city),
                         self.dt_prop("DTEND", feed, rid + dt.timedelta(minutes=dur), mode, city)]
                c.members.append([a.feed, uid, utc_str(rid)])
                c.member_starts.append((a.feed, uid, utc_str(rid), rid, True))
                ov = App(a.feed, a.o.get("cancel_title", a.title), **dict(a.o, desc=a.o.get("cancel_desc")))
                self.render(feed, c, ov, uid, lines, v, "CANCELLED", rid.astimezone(UTC), override=True)
        # stand-alone instances in other feeds
        for a in instances:
            feed = self.fmap[a.feed]
            uid = self.resolve_uid(feed, a.o, c)
            mode = self.mode_of(feed, a.o)
            k = a.o["date"]
            rid = by_date[k]
            if k in moved:
                s = parse_local(moved[k][0], city)
                vkey = moved[k][1] or venue
            else:
                s = rid
                vkey = a.o.get("venue", venue)
            zc = a.o.get("zone")
            if zc and zc != city:
                c.tags.add("written-in-other-city-zone")
            lines = [self.dt_prop("DTSTART", feed, s, mode, city, zc),
                     self.dt_prop("DTEND", feed, s + dt.timedelta(minutes=dur), mode, city, zc)]
            c.members.append([a.feed, uid, utc_str(rid)])
            c.member_starts.append((a.feed, uid, utc_str(rid), s, True))
            self.note_mode(c, feed, mode, city)
            if k in cancelled:
                c.tags.add("cancelled-in-some-sources-only")
            c.tags.add("series-instances-elsewhere")
            self.render(feed, c, a, uid, lines, self.venues[vkey], a.o.get("status", "CONFIRMED"),
                        s.astimezone(UTC))
        self.common_tags(c)
        return c

    # ----------------------------------------------------------- misc
    def resolve_uid(self, feed, o, c):
        u = o.get("uid")
        if u is not None and u.startswith("SAME:"):
            src = u[5:]
            u = next(m[1] for m in c.members if m[0] == src)
        elif u is not None and u.startswith("REUSE:"):
            _, ocid, ofeed = u.split(":")
            oc = next(x for x in self.clusters if x.id == ocid)
            u = next(m[1] for m in oc.members if m[0] == ofeed)
            oc.tags.add("uid-reused-by-other-feed")
            c.tags.add("uid-reused-by-other-feed")
            self.reused_uids.append((u, (ofeed, ocid), (feed.id, c.id)))
        if u is None:
            u = self.new_uid(feed)
            while (feed.id, u) in self.used_uids:
                u = self.new_uid(feed)
        key = (feed.id, u)
        if key in self.used_uids and not o.get("same_source"):
            raise ValueError("duplicate uid in feed %s: %s" % key)
        self.used_uids[key] = True
        return u

    def note_mode(self, c, feed, mode, city):
        if mode == "utc":
            c.tags.add("utc-z")
        elif mode == "tzid":
            c.tags.add("tzid-windows" if feed.style == "outlook" else "tzid-olson")
        elif mode == "floating":
            if feed.xwr:
                c.tags.add("floating-xwr")
                if city != feed.city:
                    c.tags.add("floating-xwr-other-city")
            else:
                c.tags.add("floating-no-xwr")
                if city != feed.city:
                    c.tags.add("floating-other-city")

    def common_tags(self, c):
        feeds = {m[0] for m in c.members}
        uids = {m[1] for m in c.members}
        if len(feeds) > 1:
            c.tags.add("multi-feed")
            if len(uids) > 1:
                c.tags.add("different-uids")
            if len({(m[0], m[1]) for m in c.members}) > len(uids):
                c.tags.add("same-uid-across-feeds")
        if any(self.fmap[f].city != c.city for f in feeds):
            c.tags.add("listed-in-other-city-feed")
        if c.cancelled:
            c.tags.add("cancelled-status")
            sts = [a for a in c.members]
            if len(feeds) > 1:
                c.tags.add("cancelled-in-some-sources-only")
        if c.start_utc:
            s = dt.datetime.strptime(c.start_utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            p = s.astimezone(ZONES["paris"]).utcoffset()
            u = s.astimezone(ZONES["san-francisco"]).utcoffset()
            if p - u == dt.timedelta(hours=8):
                c.tags.add("dst-gap-weeks")
            ld = s.astimezone(ZONES[c.city]).date()
            if ld in (dt.date(2026, 3, 8), dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 11, 1)):
                c.tags.add("dst-change-day")
            if s.date() != ld:
                c.tags.add("utc-date-differs")

    def link(self, a, b, why):
        ca = next(c for c in self.clusters if c.id == a)
        cb = next(c for c in self.clusters if c.id == b)
        assert ca.city != cb.city, (a, b)
        self.links.append([a, b, why])
        for c in (ca, cb):
            c.tags.add("linked")

    # ----------------------------------------------------------- render one VEVENT
    def render(self, feed, c, a, uid, time_lines, v, status, sort_key, series=False, override=False):
        o = a.o
        r = self.rng
        lang = o.get("lang", feed.lang)
        title = a.title
        if feed.style == "ai1ec" and not o.get("raw_title"):
            title = wp_entities(title)
            if title != a.title:
                c.tags.add("html-entities")
        loc = o.get("loc")
        if loc is None:
            room = o.get("room")
            loc = v.location(lang, feed.style, room)
        desc = o.get("desc")
        if desc is None:
            desc = c.kw.get("desc_" + lang) or ""
        if not desc:
            desc = r.choice(GENERIC_DESC[lang])
        url = o.get("url", c.kw.get("url"))
        created = dt.datetime(2025, 11, 3, 9, 0, tzinfo=UTC) + dt.timedelta(minutes=r.randint(0, 160000))
        modified = created + dt.timedelta(minutes=r.randint(30, 20000))
        L = []
        st = feed.style
        if st == "google":
            L += time_lines[:]  # DTSTART, DTEND, (RRULE, EXDATE) or RECURRENCE-ID first
            if override:
                rid = time_lines[0]
                L = time_lines[1:]
            L.append("DTSTAMP:" + feed.kw["export"])
            L.append("UID:" + uid)
            if override:
                L.append(rid)
            L.append("CREATED:" + ics_utc(created))
            L.append("DESCRIPTION:" + esc(desc))
            L.append("LAST-MODIFIED:" + ics_utc(modified))
            L.append("LOCATION:" + esc(loc))
            L.append("SEQUENCE:%d" % (1 if override or status == "CANCELLED" else 0))
            L.append("STATUS:" + status)
            L.append("SUMMARY:" + esc(title))
            L.append("TRANSP:OPAQUE")
        elif st == "outlook":
            L.append("CLASS:PUBLIC")
            L.append("CREATED:" + ics_utc(created))
            L.append("DESCRIPTION:" + esc(desc))
            L += [x for x in time_lines if x.startswith(("DTEND",))]
            L.append("DTSTAMP:" + feed.kw["export"])
            L += [x for x in time_lines if x.startswith(("DTSTART",))]
            L += [x for x in time_lines if x.startswith(("EXDATE",))]
            L.append("LAST-MODIFIED:" + ics_utc(modified))
            L.append("LOCATION:" + esc(loc))
            L.append("PRIORITY:5")
            L += [x for x in time_lines if x.startswith(("RECURRENCE-ID",))]
            L += [x for x in time_lines if x.startswith(("RRULE",))]
            L.append("SEQUENCE:%d" % (1 if override or status == "CANCELLED" else 0))
            if status == "CANCELLED":
                L.append("STATUS:CANCELLED")
            L.append("SUMMARY;LANGUAGE=%s:%s" % ("fr-fr" if lang == "fr" else "en-us", esc(title)))
            L.append("TRANSP:OPAQUE")
            L.append("UID:" + uid)
            if url:
                L.append("URL:" + url)
            L.append("X-MICROSOFT-CDO-BUSYSTATUS:%s" % ("FREE" if status == "CANCELLED" else "BUSY"))
            L.append("X-MICROSOFT-CDO-IMPORTANCE:1")
            L.append("X-MICROSOFT-DISALLOW-COUNTER:FALSE")
            L.append("X-MS-OLK-AUTOFILLLOCATION:FALSE")
            L.append("X-MS-OLK-CONFTYPE:0")
        elif st == "apple":
            L.append("CREATED:" + ics_utc(created))
            L.append("UID:" + uid)
            L += [x for x in time_lines if x.startswith(("DTEND",))]
            L += [x for x in time_lines if x.startswith(("RRULE", "EXDATE"))]
            L.append("TRANSP:OPAQUE")
            L.append("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC")
            L.append("SUMMARY:" + esc(title))
            L.append("LAST-MODIFIED:" + ics_utc(modified))
            L.append("DTSTAMP:" + ics_utc(modified))
            L += [x for x in time_lines if x.startswith(("DTSTART",))]
            L += [x for x in time_lines if x.startswith(("RECURRENCE-ID",))]
            if o.get("apple_loc", True) and v.geo:
                L.append("LOCATION:" + esc(v.name + "\n" + v.addr_for(lang)))
                L.append('X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="%s";X-APPLE-MAPKIT-HANDLE=;'
                         'X-APPLE-RADIUS=%s;X-APPLE-REFERENCEFRAME=1;X-TITLE="%s":geo:%.6f,%.6f'
                         % (v.addr_for(lang).replace('"', "'"), v.radius, v.name.replace('"', "'"),
                            v.geo[0], v.geo[1]))
            else:
                L.append("LOCATION:" + esc(loc))
            L.append("DESCRIPTION:" + esc(desc))
            if url:
                L.append("URL;VALUE=URI:" + url)
            L.append("SEQUENCE:%d" % (1 if override or status == "CANCELLED" else 0))
            if status == "CANCELLED":
                L.append("STATUS:CANCELLED")
        elif st == "nextcloud":
            L.append("CREATED:" + ics_utc(created))
            L.append("DTSTAMP:" + ics_utc(modified))
            L.append("LAST-MODIFIED:" + ics_utc(modified))
            L.append("SEQUENCE:%d" % (2 if override else r.randint(0, 3)))
            L.append("UID:" + uid)
            L += time_lines
            L.append("STATUS:" + status)
            L.append("SUMMARY:" + esc(title))
            L.append("LOCATION:" + esc(loc))
            L.append("DESCRIPTION:" + esc(desc))
            if o.get("cats"):
                L.append("CATEGORIES:" + o["cats"])
        elif st == "ai1ec":
            L.append("UID:" + uid)
            L.append("DTSTAMP:" + feed.kw["export"])
            L.append("CATEGORIES:" + esc(o.get("cats", feed.kw.get("cats", ""))).replace("\\,", ","))
            L.append("CONTACT:" + esc(o.get("contact", "")))
            L.append("DESCRIPTION:" + esc(desc))
            L += time_lines
            L.append("LOCATION:" + esc(loc))
            L.append("SEQUENCE:0")
            if status == "CANCELLED":
                L.append("STATUS:CANCELLED")
            L.append("SUMMARY:" + esc(title))
            L.append("URL:" + (url or feed.kw["site"] + "/evenement/" + slug(a.title)[:60].strip("-") + "/"))
            L.append("X-COST-TYPE:" + o.get("cost", "free"))
            if o.get("alt_desc", False) or r.random() < 0.25:
                L.append("X-ALT-DESC;FMTTYPE=text/html:" + esc("<p>" + desc + "</p>"))
            L.append("X-TICKETS-URL:")
        elif st == "cityhall":
            L.append("UID:" + uid)
            L.append("DTSTAMP:" + feed.kw["export"])
            L += time_lines
            L.append("SUMMARY:" + esc(title))
            L.append("LOCATION:" + esc(loc))
            L.append("DESCRIPTION:" + esc(desc))
            L.append("CATEGORIES:" + o.get("cats", "Numérique"))
            L.append("CLASS:PUBLIC")
            if url:
                L.append("URL:" + url)
            else:
                L.append("URL:https://agenda.paris-numerique.fr/evenement/%s" % uid.split("@")[0].split("-")[-1])
            L.append("STATUS:" + status)
            L.append("X-PARIS-ARRONDISSEMENT:%s" % (v.arr or ""))
            L.append("X-PARIS-TARIF:%s" % o.get("tarif", "Gratuit"))
        elif st == "meetup":
            L.append("DTSTAMP:" + feed.kw["export"])
            L += time_lines
            L.append("STATUS:" + status)
            L.append("SUMMARY:" + esc(title))
            u2 = url or "https://www.meetup.com/%s/events/%s/" % (feed.kw["group"], uid.split("_")[1].split("@")[0])
            sdt = sort_key.astimezone(ZONES[c.city])
            when = sdt.strftime("%A, %B ") + str(sdt.day) + sdt.strftime(" at %-I:%M %p")
            L.append("DESCRIPTION:" + esc("%s\n%s\n\n%s\n\nDetails: %s" % (feed.kw["groupname"], when, desc, u2)))
            L.append("CLASS:PUBLIC")
            L.append("CREATED:" + ics_utc(created))
            if v.geo:
                L.append("GEO:%.2f;%.2f" % v.geo)
            L.append("LOCATION:" + esc("%s (%s)" % (v.name, v.addr_for("en"))) if o.get("loc") is None else "LOCATION:" + esc(loc))
            L.append("URL:" + u2)
            L.append("LAST-MODIFIED:" + ics_utc(modified))
            L.append("UID:" + uid)
        elif st == "aggregator":
            L.append("UID:" + uid)
            L.append("DTSTAMP:" + feed.kw["export"])
            L += time_lines
            L.append("SUMMARY:" + esc(title))
            L.append("LOCATION:" + esc(loc))
            L.append("DESCRIPTION:" + esc(desc + ("\n\nSource: " + o["src"] if o.get("src") else "")))
            if url:
                L.append("URL:" + url)
            L.append("CATEGORIES:" + o.get("cats", "Creative Tech"))
            L.append("STATUS:" + status)
            L.append("X-BCT-SOURCE-ID:%s" % o.get("src", "manual"))
        else:
            raise ValueError(st)
        feed.vevents.append((sort_key, uid, 1 if override else 0, L))


class Venue:
    def __init__(self, key, name, addr_fr, addr_en=None, geo=None, arr=None, radius="70.58", short=None):
        self.key, self.name, self.addr_fr, self.addr_en = key, name, addr_fr, addr_en or addr_fr
        self.geo, self.arr, self.radius, self.short = geo, arr, radius, short

    def addr_for(self, lang):
        return self.addr_fr if lang == "fr" else self.addr_en

    def location(self, lang, style, room=None):
        base = "%s, %s" % (self.name, self.addr_for(lang))
        if room:
            base = "%s – %s" % (room, base)
        return base


# --------------------------------------------------------------------------- write feeds
def write_feed(feed, folder):
    eol = feed.eol
    H = []
    st = feed.style
    if st == "google":
        H += ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
              "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(feed.calname),
              "X-WR-TIMEZONE:" + feed.xwr, "X-WR-CALDESC:" + esc(feed.kw.get("caldesc", ""))]
        tz = [VTZ_OLSON[t] for t in ("Europe/Paris", "America/Los_Angeles") if t in feed.kw.get("_tz_used", ())]
    elif st == "outlook":
        H += ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
              "METHOD:PUBLISH", "X-CALSTART:20260101T000000Z", "X-WR-CALNAME:" + esc(feed.calname),
              "X-MS-OLK-FORCEINSPECTOROPEN:TRUE"]
        tz = [VTZ_WINDOWS[t] for t in ("Pacific Standard Time", "Romance Standard Time") if t in feed.kw.get("_tz_used", ())]
    elif st == "apple":
        H += ["BEGIN:VCALENDAR", "METHOD:PUBLISH", "VERSION:2.0", "X-WR-CALNAME:" + esc(feed.calname),
              "PRODID:-//Apple Inc.//macOS 15.3.1//EN", "X-APPLE-CALENDAR-COLOR:#CC73E1",
              "X-WR-TIMEZONE:" + feed.xwr, "CALSCALE:GREGORIAN"]
        tz = [VTZ_APPLE[t] for t in ("Europe/Paris", "America/Los_Angeles") if t in feed.kw.get("_tz_used", ())]
    elif st == "nextcloud":
        H += ["BEGIN:VCALENDAR", "VERSION:2.0", "CALSCALE:GREGORIAN",
              "PRODID:-//IDN nextcloud.com//Calendar app 4.7.16//EN",
              "X-WR-CALNAME:" + esc(feed.calname), "X-APPLE-CALENDAR-COLOR:#0082c9"]
        tz = [VTZ_OLSON[t] for t in ("Europe/Paris", "America/Los_Angeles") if t in feed.kw.get("_tz_used", ())]
    elif st == "ai1ec":
        H += ["BEGIN:VCALENDAR", "VERSION:2.0",
              "PRODID:-//%s//All-in-One Event Calendar 2.6.8//%s" % (feed.kw["org"], feed.lang.upper()),
              "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(feed.calname),
              "X-WR-CALDESC:" + esc(feed.kw.get("caldesc", "")), "X-FROM-URL:" + feed.kw["site"]]
        tz = []
    elif st == "cityhall":
        H += ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Ville de Paris//Agenda Paris Numerique 3.4//FR",
              "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(feed.calname),
              "X-WR-TIMEZONE:" + feed.xwr, "X-PUBLISHED-TTL:PT6H", "REFRESH-INTERVAL;VALUE=DURATION:PT6H"]
        tz = []
    elif st == "meetup":
        H += ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Meetup//RemoteApi//EN", "CALSCALE:GREGORIAN",
              "METHOD:PUBLISH", "X-ORIGINAL-URL:https://www.meetup.com/%s/events/ical/" % feed.kw["group"],
              "X-WR-CALNAME:" + esc(feed.calname), "X-MS-OLK-FORCEINSPECTOROPEN:TRUE"]
        tz = []
    elif st == "aggregator":
        H += ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bay Creative Tech//Calendar Aggregator 2.4//EN",
              "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(feed.calname),
              "X-WR-CALDESC:" + esc(feed.kw.get("caldesc", ""))]
        tz = []
    for t in tz:
        H += t.split("\n")
    body = []
    order = feed.kw.get("order", "time")
    evs = list(feed.vevents)
    if order == "time":
        evs.sort(key=lambda x: (x[0], x[2]))
    elif order == "uid":
        evs.sort(key=lambda x: (x[1], x[2]))
    elif order == "shuffle":
        random.Random(feed.kw.get("shuffle_seed", 1)).shuffle(evs)
    for _, _, _, L in evs:
        body += ["BEGIN:VEVENT"] + L + ["END:VEVENT"]
    lines = H + body + ["END:VCALENDAR"]
    out = []
    for ln in lines:
        out += fold(ln)
    path = os.path.join(folder, feed.file)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(eol.join(out) + eol)
    return len(evs)
# ============================================================================ dataset content
SEED = 2602
EDITION = 2026
DATASET = "blind-culture-2026"

V_ = Venue
VENUES = {v.key: v for v in [
    # ---- Paris
    V_("volta", "Musée Volta – Lab numérique", "41 rue de Turbigo, 75003 Paris", "41 rue de Turbigo, 75003 Paris, France",
       (48.866012, 2.356204), "3e"),
    V_("volta_aud", "Musée Volta – Auditorium", "41 rue de Turbigo, 75003 Paris", "41 rue de Turbigo, 75003 Paris, France",
       (48.866012, 2.356204), "3e"),
    V_("halle", "La Halle Ferrand", "8 quai de la Loire, 75019 Paris", "8 quai de la Loire, 75019 Paris, France",
       (48.886214, 2.371630), "19e"),
    V_("lumen", "Cinéma Le Lumen", "14 rue Oberkampf, 75011 Paris", "14 rue Oberkampf, 75011 Paris, France",
       (48.864931, 2.375980), "11e"),
    V_("continue", "Le Continue – bar à jeux", "55 rue de la Roquette, 75011 Paris", "55 rue de la Roquette, 75011 Paris, France",
       (48.855420, 2.374170), "11e"),
    V_("hdv", "Hôtel de Ville – Salon des Arcades", "place de l'Hôtel-de-Ville, 75004 Paris",
       "Place de l'Hôtel de Ville, 75004 Paris, France", (48.856613, 2.352222), "4e"),
    V_("communs", "Maison des Communs", "23 rue du Faubourg-du-Temple, 75010 Paris",
       "23 rue du Faubourg du Temple, 75010 Paris, France", (48.869540, 2.366010), "10e"),
    V_("ruche", "La Ruche Civique", "84 quai de Jemmapes, 75010 Paris", "84 quai de Jemmapes, 75010 Paris, France",
       (48.871030, 2.365940), "10e"),
    V_("saclay", "Institut Dataville", "3 rue Joliot-Curie, 91190 Gif-sur-Yvette (Paris-Saclay)",
       "3 rue Joliot-Curie, 91190 Gif-sur-Yvette, France", (48.710200, 2.170010), None),
    V_("defense", "Tour Quadra – Espace Agora", "1 parvis de La Défense, 92800 Puteaux",
       "1 Parvis de La Défense, 92800 Puteaux, France", (48.892030, 2.237010), None),
    V_("mediatheque", "Médiathèque des Faubourgs", "12 rue de Belleville, 75020 Paris",
       "12 rue de Belleville, 75020 Paris, France", (48.872310, 2.377760), "20e"),
    V_("cnum", "Cité du Numérique Saint-Ouen", "2 rue Paul-Vaillant-Couturier, 93400 Saint-Ouen",
       "2 rue Paul Vaillant-Couturier, 93400 Saint-Ouen, France", (48.905620, 2.333430), None),
    V_("paris_online", "En ligne (visioconférence)", "diffusion depuis Paris", "online, streamed from Paris", None, None),
    # ---- San Francisco
    V_("harbor", "Harborlight Museum – Digital Studio", "Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123, États-Unis",
       "Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123", (37.806553, -122.431007)),
    V_("harbor_forum", "Harborlight Museum – Bay Forum", "Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123, États-Unis",
       "Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123", (37.806553, -122.431007)),
    V_("fogline", "Fogline Studio for Art & Machines", "3150 18th St, Mission District, San Francisco, CA 94110, États-Unis",
       "3150 18th St, Mission District, San Francisco, CA 94110", (37.761820, -122.413010)),
    V_("commons", "Civic Commons SF", "650 Townsend St, SoMa, San Francisco, CA 94103, États-Unis",
       "650 Townsend St, SoMa, San Francisco, CA 94103", (37.770610, -122.401030)),
    V_("presidio", "Presidio Lab for Civic Computing", "1 Letterman Dr, Presidio, San Francisco, CA 94129, États-Unis",
       "1 Letterman Dr, Presidio, San Francisco, CA 94129", (37.798900, -122.450010)),
    V_("missionbay", "Mission Bay Hall", "1600 Owens St, Mission Bay, San Francisco, CA 94158, États-Unis",
       "1600 Owens St, Mission Bay, San Francisco, CA 94158", (37.768010, -122.393020)),
    V_("lafayette", "Maison Lafayette SF", "540 Howard St, San Francisco, CA 94105, États-Unis",
       "540 Howard St, San Francisco, CA 94105", (37.788030, -122.396010)),
    V_("tilt", "Tilt & Token", "1548 Polk St, Polk Gulch, San Francisco, CA 94109, États-Unis",
       "1548 Polk St, Polk Gulch, San Francisco, CA 94109", (37.791020, -122.421040)),
    V_("tenderloin", "Tenderloin Media Lab", "230 Eddy St, San Francisco, CA 94102, États-Unis",
       "230 Eddy St, San Francisco, CA 94102", (37.783820, -122.414020)),
    V_("foundry", "The Foundry Dogpatch", "2495 3rd St, Dogpatch, San Francisco, CA 94107, États-Unis",
       "2495 3rd St, Dogpatch, San Francisco, CA 94107", (37.759010, -122.388030)),
    V_("dolores", "Dolores Park (north lawn)", "Dolores St & 19th St, San Francisco, CA 94114, États-Unis",
       "Dolores St & 19th St, San Francisco, CA 94114", (37.759640, -122.426810)),
]}

FEEDS = [
    Feed("paris-volta", "paris", "feeds/paris-volta-lab.ics", "google", "Volta Lab · Musée Volta",
         "museum digital lab (Paris), Google Calendar export", xwr="Europe/Paris",
         export="20260302T061512Z", caldesc="Programme public du Lab numérique du Musée Volta"),
    Feed("sf-harborlight", "san-francisco", "feeds/sf-harborlight-digital-studio.ics", "outlook",
         "Harborlight Museum — Digital Studio public programs",
         "museum digital studio (SF), Exchange/Outlook export, also lists its Paris workshops", lang="en",
         export="20260302T154400Z"),
    Feed("paris-sf-culture", "paris", "feeds/paris-sf-culture-numerique.ics", "apple",
         "Paris ⇄ San Francisco · Culture numérique 2026",
         "joint programme calendar (both cities), published from Apple Calendar by Paris city hall",
         xwr="Europe/Paris"),
    Feed("paris-manette", "paris", "feeds/paris-festival-manette.ics", "ai1ec", "Festival Manette – Programme",
         "video-game festival (Paris), WordPress All-in-One, floating times, no X-WR-TIMEZONE, LF",
         eol="\n", org="Festival Manette", site="https://festival-manette.fr", export="20260301T030000Z",
         uid_base=1180, cats="Festival Manette", caldesc="Jeu vidéo indépendant – Paris"),
    Feed("paris-agenda", "paris", "feeds/paris-agenda-numerique.ics", "cityhall", "Paris Numérique — agenda de la Ville",
         "city-hall CMS agenda (Paris), floating times + X-WR-TIMEZONE", xwr="Europe/Paris",
         export="20260302T040000Z"),
    Feed("sf-civic", "san-francisco", "feeds/sf-civic-commons-meetup.ics", "meetup", "Civic Commons SF",
         "civic-tech meetup group (SF), Meetup export, UTC times", lang="en", export="20260302T170210Z",
         group="civic-commons-sf", groupname="Civic Commons SF"),
    Feed("paris-citeouverte", "paris", "feeds/paris-cite-ouverte.ics", "nextcloud",
         "Cité Ouverte — agenda du collectif", "civic-tech collective (Paris), Nextcloud Calendar export"),
    Feed("sf-francophone", "san-francisco", "feeds/sf-francophone-creative.ics", "ai1ec",
         "Le Cercle — French creative tech in SF",
         "French-speaking creative-tech community (SF), WordPress All-in-One, floating times, no X-WR-TIMEZONE, LF",
         eol="\n", org="Le Cercle SF", site="https://lecercle-sf.org", export="20260301T110000Z", uid_base=300,
         lang="fr", cats="Communauté"),
    Feed("sf-aggregator", "san-francisco", "feeds/sf-bay-creative-tech.ics", "aggregator",
         "Bay Area Creative Tech Calendar (aggregated)", "aggregator (SF), every time in UTC", lang="en",
         export="20260302T120000Z", caldesc="Creative tech, digital culture and civic tech in the Bay Area",
         order="uid"),
]
FEEDS[2].kw["order"] = "uid"      # Apple: events in no particular order
FEEDS[6].kw["order"] = "shuffle"  # Nextcloud: server order
FEEDS[6].kw["shuffle_seed"] = SEED

A = App
D = {}  # helper for reused UIDs


def build(B):
    ev, se, L = B.event, B.series, B.link

    # ======================================================================
    # 1. Creative-AI residency exchange (Volta Lab, Paris <-> Fogline Studio, SF)
    # ======================================================================
    ev("res-paris-kickoff", "paris", "Résidence croisée IA & création : ouverture du volet parisien",
       "2026-03-16 18:30", 120, "volta_aud", [
           A("paris-volta", "Soirée d'ouverture · Résidence croisée Paris ⇄ San Francisco"),
           A("paris-sf-culture", "Ouverture — volet Paris de la résidence croisée IA & création"),
           A("sf-francophone", "Creative AI Residency Exchange – Paris leg kick-off (Musée Volta)", lang="en",
             desc="The Paris leg of the exchange opens at Musée Volta (Paris 3e). Four SF artists join Volta Lab until April."),
       ], desc_fr="Quatre artistes de San Francisco rejoignent le Volta Lab pour six semaines. Présentation des projets.",
       tags=["fr-en", "title-punctuation"],
       note="Paris kick-off of the residency exchange; the SF community feed (zone-less) writes it at 18:30 Paris wall clock.")
    ev("res-sf-kickoff", "san-francisco", "Creative AI Residency Exchange — San Francisco leg kick-off",
       "2026-09-14 18:00", 150, "fogline", [
           A("paris-sf-culture", "Ouverture du volet San Francisco — résidence croisée IA & création"),
           A("paris-volta", "[SF] Résidence croisée : ouverture du volet San Francisco", mode="utc"),
           A("sf-francophone", "Résidence croisée IA & création – lancement à San Francisco"),
           A("sf-aggregator", "Creative AI Residency Exchange: SF Leg Kick-off @ Fogline Studio"),
       ], desc_en="Four Paris artists from Volta Lab start their six-week residency at Fogline Studio.",
       desc_fr="Quatre artistes du Volta Lab commencent six semaines de résidence au Fogline Studio (Mission District).",
       tags=["fr-en", "title-prefix", "venue-appended"],
       note="SF kick-off, listed by two Paris feeds (Apple TZID America/Los_Angeles; Google in UTC). 18:00 PDT = next day in UTC.")
    L("res-paris-kickoff", "res-sf-kickoff",
      "two legs of the Paris ⇄ SF creative-AI residency exchange, six months apart (kick-offs)")

    ev("res-paris-review", "paris", "Comité de pilotage de la résidence croisée — session de printemps (Paris)",
       "2026-04-09 14:00", 180, "volta", [
           A("paris-sf-culture", "Comité de pilotage de la résidence — session de printemps"),
           A("paris-volta", "Revue conjointe Volta × Fogline — printemps"),
       ], desc_fr="Revue conjointe des projets par les équipes du Volta Lab et du Fogline Studio (SF en visio).",
       tags=["co-host-title"], note="Spring session of the joint review, alternating Paris (spring) / SF (fall).")
    ev("res-sf-review", "san-francisco", "Residency steering review — fall session (San Francisco)",
       "2026-10-08 10:00", 180, "harbor_forum", [
           A("sf-harborlight", "Joint Review: Volta Lab × Fogline Studio (fall session)"),
           A("paris-sf-culture", "Comité de pilotage — session d'automne (San Francisco)"),
       ], desc_en="Fall session of the joint steering review of the residency exchange, hosted at Harborlight.",
       desc_fr="Session d'automne du comité de pilotage, accueillie par le Harborlight Museum.",
       tags=["fr-en", "co-host-title"], note="Fall session of the alternating joint review; the Paris joint feed gives a French title.")
    L("res-paris-review", "res-sf-review",
      "joint steering review of the residency exchange, alternating Paris (spring) and San Francisco (fall)")

    ev("res-paris-showcase", "paris", "Restitution du volet parisien : « Ce que rêvent les machines »",
       "2026-04-24 19:00", 180, "volta", [
           A("paris-sf-culture", "Restitution publique — volet Paris de la résidence croisée"),
           A("paris-volta", "Ce que rêvent les machines — restitution de résidence"),
           A("paris-agenda", "Exposition-restitution « Ce que rêvent les machines » (Musée Volta)", cats="Exposition"),
           A("sf-francophone", "[Paris] Restitution de la résidence croisée : « Ce que rêvent les machines »",
             loc="Musée Volta, Paris"),
       ], desc_fr="Les artistes de San Francisco présentent les œuvres produites au Volta Lab.",
       tags=["title-prefix", "venue-appended", "title-punctuation"],
       note="Final showing of the Paris leg; the SF community feed lists it (floating Paris wall clock, '[Paris]' marker, location without postcode).")
    ev("res-sf-showcase", "san-francisco", "Final Showcase — Creative AI Residency Exchange (SF leg)",
       "2026-10-30 18:00", 180, "fogline", [
           A("paris-sf-culture", "Restitution finale du volet San Francisco (San Francisco)", apple_loc=False,
             loc="Fogline Studio"),
           A("sf-francophone", "Showcase final de la résidence croisée (San Francisco)"),
           A("sf-aggregator", "Creative AI Residency Exchange — Final Showcase", shift=-30,
             desc="Doors 5:30pm. Works by the Paris artists in residence at Fogline."),
       ], desc_en="Paris artists show the work made during the SF leg.", desc_fr="Les artistes parisiens montrent le travail réalisé à SF.",
       tags=["fr-en"], note="In the Oct 25-31 gap week (8 h apart); aggregator gives doors time (30 min earlier). Joint feed: title marker only, no address.")
    L("res-paris-showcase", "res-sf-showcase",
      "closing showcases of the two legs of the residency exchange (April in Paris, October in SF)")

    ev("res-paris-studios", "paris", "Ateliers ouverts de la résidence croisée (Paris)", "2026-04-16 17:00", 180, "volta", [
        A("paris-sf-culture", "Ateliers ouverts — volet Paris"),
        A("paris-volta", "Portes ouvertes des ateliers de résidence"),
    ], desc_fr="Les ateliers des artistes en résidence sont ouverts au public.", tags=["co-host-title"])
    ev("res-sf-studios", "san-francisco", "Open Studios — Residency Exchange (SF leg)", "2026-10-15 17:00", 180, "fogline", [
        A("paris-sf-culture", "Ateliers ouverts — volet San Francisco"),
        A("sf-aggregator", "Open Studios: Paris artists in residence @ Fogline"),
        A("sf-francophone", "Portes ouvertes : les artistes parisiens en résidence chez Fogline"),
    ], desc_en="Studio visits with the Paris artists in residence.", tags=["fr-en", "venue-appended"])
    L("res-paris-studios", "res-sf-studios", "twin open-studio days of the residency exchange, one per leg")

    # ======================================================================
    # 2. Duplexes, watch parties, twin sessions (links)
    # ======================================================================
    ev("duplex-museums-paris", "paris", "Conversation en duplex : musées et IA générative", "2026-03-24 18:30", 90,
       "volta_aud", [
           A("paris-volta", "Conversation en duplex : musées et IA générative"),
           A("paris-sf-culture", "Duplex Paris–San Francisco : les musées face à l'IA générative (Paris)"),
           A("paris-agenda", "Musées et IA générative : conversation en duplex avec San Francisco"),
       ], desc_fr="En direct avec le Harborlight Museum de San Francisco.", tags=["title-punctuation"])
    ev("duplex-museums-sf", "san-francisco", "Live from Paris: Museums and Generative AI (duplex)", "2026-03-24 10:30", 90,
       "harbor", [
           A("sf-harborlight", "Live from Paris: Museums and Generative AI (duplex)"),
           A("sf-aggregator", "Museums & Gen AI — Paris/SF Duplex @ Harborlight Museum"),
           A("sf-francophone", "Duplex avec Paris : musées et IA générative (côté SF)"),
       ], desc_en="Live video link with Musée Volta in Paris; SF audience at the Digital Studio.",
       tags=["fr-en", "venue-appended"], note="SF side of the duplex, same instant as the Paris side (gap week: 8 h apart).")
    L("duplex-museums-paris", "duplex-museums-sf", "live duplex between Musée Volta and Harborlight (one conversation, two rooms)")

    ev("hack-paris", "paris", "Hackathon transatlantique des données ouvertes — site de Paris", "2026-03-14 17:00", 360,
       "communs", [
           A("paris-sf-culture", "Hackathon transatlantique — site de Paris"),
           A("paris-agenda", "Hackathon transatlantique des données ouvertes (Paris)", cats="Données ouvertes"),
           A("paris-citeouverte", "Hackathon open data transatlantique – Paris"),
           A("sf-francophone", "Hackathon transatlantique – côté Paris", loc="Maison des Communs, Paris 10e"),
       ], desc_fr="Six heures de hackathon en simultané avec San Francisco.",
       tags=["title-punctuation"], note="Same instant as the SF site (16:00Z); two sites = two events, linked.")
    ev("hack-sf", "san-francisco", "Transatlantic Open Data Hackathon — SF site", "2026-03-14 09:00", 360, "commons", [
        A("paris-sf-culture", "Hackathon transatlantique — site de San Francisco"),
        A("paris-agenda", "Hackathon transatlantique : en direct de San Francisco", cats="Données ouvertes",
          desc="Le site de San Francisco (Civic Commons SF, SoMa) ; horaires à l'heure de Paris."),
        A("sf-civic", "Transatlantic Open Data Hackathon (SF site)", uid=D.setdefault("hack_sf_uid", None)),
        A("sf-aggregator", "Transatlantic Open Data Hackathon (SF site)", uid="SAME:sf-civic", src="meetup"),
        A("sf-francophone", "Hackathon transatlantique – côté SF"),
    ], desc_en="Six-hour hackathon running simultaneously with Paris.", tags=["fr-en"],
       note="The Paris city-hall feed (X-WR-TIMEZONE Europe/Paris) writes the SF site at 17:00 floating = Paris time.")
    L("hack-paris", "hack-sf", "one transatlantic hackathon run simultaneously on a Paris site and an SF site")

    ev("od-awards-paris", "paris", "Remise des prix du Défi Données Ouvertes 2026", "2026-03-12 18:00", 120, "hdv", [
        A("paris-agenda", "Remise des prix du Défi Données Ouvertes 2026", cats="Données ouvertes"),
        A("paris-citeouverte", "Défi données ouvertes : cérémonie de remise des prix"),
        A("sf-francophone", "Paris Open Data Challenge 2026 – awards ceremony (Hôtel de Ville)", lang="en",
          desc="Awards ceremony at Paris city hall. Watch it with us at Maison Lafayette (separate listing)."),
    ], desc_fr="Cérémonie à l'Hôtel de Ville.", tags=["fr-en", "venue-appended"])
    ev("od-awards-sf", "san-francisco", "Paris Open Data Challenge Awards — SF livestream & coffee", "2026-03-12 10:00", 90,
       "lafayette", [
           A("sf-francophone", "Remise des prix du Défi Données Ouvertes – retransmission à SF"),
           A("sf-aggregator", "Paris Open Data Challenge Awards: livestream + coffee"),
           A("paris-sf-culture", "Défi Données Ouvertes : retransmission à San Francisco"),
       ], desc_en="Morning livestream of the Paris awards ceremony.", tags=["fr-en", "title-punctuation"],
       note="Relay of the Paris ceremony; the SF community feed lists both sides with near-identical French titles.")
    L("od-awards-paris", "od-awards-sf", "SF livestream relays the Paris Open Data Challenge awards ceremony")

    ev("manette-awards", "paris", "Cérémonie des Prix Manette 2026", "2026-05-23 20:30", 150, "halle", [
        A("paris-manette", "Cérémonie des Prix Manette 2026", room="Grande Halle"),
        A("paris-sf-culture", "Prix Manette 2026 — cérémonie (Paris)"),
        A("paris-agenda", "Prix Manette 2026 : la cérémonie", cats="Jeu vidéo"),
        A("sf-francophone", "Prix Manette 2026 (Paris) – cérémonie de remise des prix", loc="La Halle Ferrand, Paris 19e"),
    ], desc_fr="Remise des prix du festival, retransmise en direct.", tags=["title-punctuation"])
    ev("manette-watch-sf", "san-francisco", "Manette Awards 2026 — SF Watch Party", "2026-05-23 11:00", 180, "tilt", [
        A("paris-manette", "Watch party des Prix Manette à San Francisco",
          desc="La cérémonie en direct chez Tilt & Token (Polk Gulch, San Francisco). Horaires locaux."),
        A("paris-sf-culture", "Retransmission des Prix Manette à San Francisco"),
        A("paris-agenda", "Prix Manette : watch party à San Francisco", cats="Jeu vidéo"),
        A("sf-aggregator", "Manette Awards Watch Party (Paris indie game awards, live)"),
        A("sf-francophone", "Watch party : Prix Manette 2026"),
    ], desc_en="Watch the Paris indie-game awards live, brunch and arcade cabinets.",
       tags=["fr-en"], note="Starts 30 min before the ceremony (pre-show). The festival's zone-less Paris feed writes it at 11:00 SF wall clock; the city-hall feed (X-WR Paris) at 20:00.")
    L("manette-awards", "manette-watch-sf", "SF watch party streams the Prix Manette ceremony live")

    ev("jam-paris", "paris", "Jam Manette transatlantique — site de Paris", "2026-04-17 18:00", 2880, "halle", [
        A("paris-manette", "Jam Manette transatlantique – site de Paris"),
        A("paris-sf-culture", "Jam transatlantique (Paris)"),
        A("paris-agenda", "Jam Manette transatlantique", allday=True, days=3, cats="Jeu vidéo"),
        A("sf-francophone", "Game jam transatlantique : site de Paris", loc="La Halle Ferrand, 75019 Paris"),
    ], desc_fr="48 heures de création de jeux, en même temps que San Francisco.", tags=["title-punctuation"])
    ev("jam-sf", "san-francisco", "Transatlantic Manette Jam — SF site", "2026-04-17 09:00", 2880, "foundry", [
        A("paris-manette", "Jam Manette transatlantique – site de San Francisco (The Foundry, Dogpatch)",
          loc="The Foundry Dogpatch, 2495 3rd St, San Francisco, CA 94107"),
        A("sf-aggregator", "Transatlantic Game Jam (SF site)", allday=True, days=3),
        A("sf-francophone", "Game jam transatlantique : site de SF"),
    ], desc_en="48-hour game jam, simultaneous with Paris.", tags=["fr-en", "venue-appended"],
       note="Festival feed (zone-less Paris) writes the SF site at 09:00 SF wall clock; aggregator has it all-day.")
    L("jam-paris", "jam-sf", "one 48-hour game jam run simultaneously in Paris and SF")

    ev("restoration-paris", "paris", "Masterclass : restauration numérique des œuvres (session de Paris)",
       "2026-06-10 14:00", 180, "volta", [
           A("paris-volta", "Masterclass : restauration numérique des œuvres (session de Paris)"),
           A("sf-harborlight", "Digital Restoration Masterclass — Paris session (Musée Volta)"),
       ], desc_fr="Première session de la masterclass Volta × Harborlight.", desc_en="First session of the Volta × Harborlight masterclass, in Paris.",
       tags=["fr-en", "venue-appended"], note="Listed by the SF Outlook feed in Romance Standard Time.")
    ev("restoration-sf", "san-francisco", "Digital Restoration Masterclass — San Francisco session",
       "2026-11-18 13:00", 180, "harbor", [
           A("sf-harborlight", "Digital Restoration Masterclass — San Francisco session"),
           A("paris-volta", "Masterclass restauration numérique — session de San Francisco"),
           A("paris-sf-culture", "Masterclass restauration numérique — San Francisco"),
           A("sf-aggregator", "Digital Restoration Masterclass (SF session) @ Harborlight"),
       ], desc_en="Second session of the Volta × Harborlight masterclass.", tags=["fr-en", "venue-appended"],
       note="The Paris Google feed writes it with TZID America/Los_Angeles.")
    L("restoration-paris", "restoration-sf", "twin sessions of one Volta × Harborlight masterclass, five months apart")

    ev("concert-paris", "paris", "Concert télématique « Deux rives » — scène de Paris", "2026-06-20 21:00", 90, "volta_aud", [
        A("paris-volta", "Concert télématique « Deux rives » — scène de Paris"),
        A("paris-sf-culture", "Concert télématique \"Deux rives\" (Paris)"),
        A("paris-agenda", "Deux Rives : concert en réseau entre Paris et San Francisco", cats="Musique"),
        A("sf-francophone", "Deux Rives – scène de Paris (concert télématique)", loc="Musée Volta, Paris"),
    ], desc_fr="Musiciens à Paris et à San Francisco jouent ensemble en réseau.", tags=["title-punctuation"])
    ev("concert-sf", "san-francisco", "Two Shores: Telematic Concert — SF stage", "2026-06-20 12:00", 90, "fogline", [
        A("paris-sf-culture", "Concert télématique « Deux rives » — scène de San Francisco"),
        A("paris-agenda", "Deux Rives : la scène de San Francisco", cats="Musique",
          desc="Scène de San Francisco (Fogline Studio, Mission District). Horaire à l'heure de Paris."),
        A("sf-aggregator", "Two Shores – telematic concert w/ Paris @ Fogline"),
        A("sf-francophone", "Deux Rives / Two Shores – concert télématique (SF)"),
    ], desc_en="Musicians in SF and Paris play together over the network.", tags=["fr-en", "venue-appended"])
    L("concert-paris", "concert-sf", "one telematic concert played simultaneously on a Paris stage and an SF stage")

    ev("pb-paris", "paris", "Budgets participatifs : Paris et San Francisco croisent leurs expériences",
       "2026-10-29 18:00", 120, "ruche", [
           A("paris-citeouverte", "Budgets participatifs : Paris et San Francisco croisent leurs expériences"),
           A("paris-sf-culture", "Duplex budgets participatifs — côté Paris"),
           A("paris-agenda", "Budget participatif : regards croisés Paris / San Francisco (duplex)", cats="Démocratie"),
           A("sf-francophone", "Budgets participatifs Paris × SF (côté Paris)", loc="La Ruche Civique, 75010 Paris"),
       ], desc_fr="Duplex avec Civic Commons SF.", tags=["title-punctuation"],
       note="Oct 25-31 gap week; the SF zone-less feed writes it at 18:00 Paris wall clock.")
    ev("pb-sf", "san-francisco", "Participatory Budgeting: Paris × SF live exchange", "2026-10-29 10:00", 120, "commons", [
        A("sf-civic", "Participatory Budgeting: Paris × SF live exchange"),
        A("paris-sf-culture", "Budgets participatifs — côté San Francisco"),
        A("sf-aggregator", "Participatory Budgeting: Paris × SF live exchange", uid="SAME:sf-civic", src="meetup"),
    ], desc_en="Live video exchange with La Ruche Civique in Paris.", tags=["fr-en"])
    L("pb-paris", "pb-sf", "participatory-budgeting duplex between La Ruche Civique and Civic Commons SF")

    # ======================================================================
    # 3. Festival Manette (Paris, May 20-24)
    # ======================================================================
    ev("manette-festival", "paris", "Festival Manette 2026 — jeu vidéo indépendant", "2026-05-20", 5, "halle", [
        A("paris-manette", "Festival Manette 2026"),
        A("paris-agenda", "Festival Manette 2026 : le jeu vidéo indépendant à la Halle Ferrand", allday=False,
          time="2026-05-20 10:00", dur=6360, cats="Jeu vidéo"),
        A("paris-sf-culture", "Festival Manette 2026"),
    ], desc_fr="Cinq jours de jeu vidéo indépendant : conférences, ateliers, showcase, Prix Manette.",
       tags=["venue-appended"], note="Festival span: all-day (VALUE=DATE, 5 days) in two feeds, timed in the city agenda.")
    ev("manette-sf-showcase", "san-francisco", "Manette Showcase SF: Paris Indie Games Night", "2026-06-11 18:30", 180, "tilt", [
        A("paris-manette", "Manette à San Francisco : showcase des lauréats 2026",
          desc="Les jeux primés aux Prix Manette présentés chez Tilt & Token, San Francisco (CA 94109)."),
        A("paris-sf-culture", "Showcase Manette à San Francisco"),
        A("sf-aggregator", "Manette Showcase SF — Paris Indie Games Night @ Tilt & Token"),
        A("sf-francophone", "Showcase Manette à SF – les lauréats 2026 en démo"),
    ], desc_en="The Festival Manette 2026 laureates demo their games in SF.", tags=["fr-en", "venue-appended"],
       note="Official SF satellite of the Paris festival, three weeks later; written at SF wall clock in the zone-less festival feed.")
    L("manette-festival", "manette-sf-showcase", "official San Francisco satellite of Festival Manette (laureates' showcase)")

    ev("manette-opening", "paris", "Soirée d'ouverture du Festival Manette", "2026-05-20 19:00", 180, "halle", [
        A("paris-manette", "Soirée d'ouverture – Festival Manette 2026", room="Grande Halle"),
        A("paris-agenda", "FESTIVAL MANETTE : SOIRÉE D'OUVERTURE", cats="Jeu vidéo"),
        A("sf-francophone", "Festival Manette – soirée d'ouverture (Paris)", loc="La Halle Ferrand, Paris 19e"),
    ], tags=["title-case", "title-prefix"])
    ev("manette-access", "paris", "Conférence : concevoir des jeux accessibles", "2026-05-21 14:00", 60, "halle", [
        A("paris-manette", "Conférence : concevoir des jeux accessibles", room="Grande Halle"),
        A("paris-agenda", "Festival Manette – Concevoir des jeux accessibles (conférence)", cats="Jeu vidéo"),
    ], tags=["title-prefix", "parallel-session"])
    ev("manette-funding", "paris", "Table ronde : financer son jeu indépendant", "2026-05-21 14:00", 60, "halle", [
        A("paris-manette", "Table ronde : financer son jeu indépendant", room="Salle Pixel"),
    ], tags=["parallel-session", "hard-negative"], note="Same slot and venue as the accessibility talk (other room).")
    ev("manette-pitch", "paris", "Pitch éditeurs : 20 studios, 20 minutes", "2026-05-21 10:00", 150, "halle", [
        A("paris-manette", "Pitch éditeurs : 20 studios, 20 minutes", room="Salle Pixel"),
    ])
    ev("manette-godot-1", "paris", "Atelier Godot débutant", "2026-05-21 16:00", 120, "halle", [
        A("paris-manette", "Atelier Godot débutant", room="Studio 2"),
        A("paris-agenda", "Atelier Godot (débutant) – Festival Manette", cats="Atelier"),
    ], tags=["near-duplicate-title", "hard-negative", "title-punctuation"])
    ev("manette-godot-2", "paris", "Atelier Godot avancé", "2026-05-22 16:00", 120, "halle", [
        A("paris-manette", "Atelier Godot avancé", room="Studio 2"),
    ], tags=["near-duplicate-title", "hard-negative"], note="Next day, same room, one word differs from 'Atelier Godot débutant'.")
    ev("manette-cinema", "paris", "Ciné-débat : « Pixels et sueur »", "2026-05-21 20:30", 150, "lumen", [
        A("paris-manette", "Ciné-débat : « Pixels et sueur »"),
        A("paris-agenda", "Cine-debat \"Pixels et sueur\" (Festival Manette)", cats="Cinéma"),
    ], tags=["accents", "title-punctuation", "same-title-other-city"])
    ev("manette-heritage", "paris", "Conférence : préserver le patrimoine vidéoludique", "2026-05-22 11:00", 90, "volta_aud", [
        A("paris-manette", "Préserver le patrimoine vidéoludique – conférence"),
        A("paris-volta", "Patrimoine vidéoludique : comment conserver les jeux ? (avec le Festival Manette)"),
        A("paris-agenda", "Off Manette : conserver les jeux vidéo au musée", cats="Jeu vidéo"),
    ], desc_fr="Au Musée Volta, en partenariat avec le Festival Manette.",
       tags=["co-host-title", "title-prefix"], note="Co-hosted talk held at the museum: three different titles.")
    ev("manette-writing", "paris", "Masterclass : écrire pour le jeu vidéo", "2026-05-22 14:00", 90, "halle", [
        A("paris-manette", "Masterclass : écrire pour le jeu vidéo", room="Grande Halle"),
        A("paris-agenda", "Masterclass : ecrire pour le jeu video", cats="Jeu vidéo"),
    ], tags=["accents"])
    ev("manette-students", "paris", "Showcase des écoles de jeu vidéo", "2026-05-22 10:00", 360, "halle", [
        A("paris-manette", "Showcase des écoles de jeu vidéo", room="Mezzanine"),
        A("paris-agenda", "Showcase écoles – Festival Manette", cats="Jeu vidéo", shift=30),
    ], tags=["title-prefix"])
    ev("manette-demoday-incub", "paris", "Demo Day des studios incubés — Pôle Pixel", "2026-05-22 15:00", 120, "halle", [
        A("paris-manette", "Demo Day des studios incubés – Pôle Pixel", room="Salle Pixel"),
    ], tags=["demo-day-same-day", "hard-negative"])
    ev("manette-demoday-culture", "paris", "Demo Day « Jeux & Culture »", "2026-05-22 17:30", 90, "volta", [
        A("paris-volta", "Demo Day « Jeux & Culture »"),
        A("paris-manette", "Demo Day Jeux & Culture (Musée Volta)"),
    ], tags=["demo-day-same-day", "hard-negative", "html-entities", "venue-appended"],
       note="Second Demo Day the same afternoon (other programme, other venue).")
    ev("manette-speed", "paris", "Speed-meeting développeurs / éditeurs", "2026-05-22 18:30", 90, "halle", [
        A("paris-manette", "Speed-meeting développeurs / éditeurs", room="Salle Pixel"),
        A("paris-agenda", "Off : speed-meeting devs & éditeurs", cats="Jeu vidéo"),
    ], tags=["title-prefix"])
    ev("manette-retro", "paris", "Tournoi rétro sur bornes d'arcade", "2026-05-23 10:00", 420, "halle", [
        A("paris-manette", "Tournoi rétro sur bornes d'arcade", room="Mezzanine"),
    ])
    ev("manette-education", "paris", "Table ronde : jeu vidéo et éducation", "2026-05-23 11:00", 60, "halle", [
        A("paris-manette", "Table ronde : jeu vidéo et éducation", room="Salle Pixel", status="CANCELLED",
          desc="Annulé – intervenants indisponibles."),
    ], note="Cancelled in its only feed.")
    ev("manette-procgen", "paris", "Conférence : IA et génération procédurale", "2026-05-23 15:00", 60, "halle", [
        A("paris-manette", "Conférence : IA et génération procédurale", room="Grande Halle"),
        A("paris-agenda", "IA & génération procédurale (conférence)", cats="Jeu vidéo"),
    ], tags=["parallel-session", "title-punctuation"])
    ev("manette-narrative", "paris", "Conférence : narration émergente", "2026-05-23 15:00", 60, "halle", [
        A("paris-manette", "Conférence : narration émergente", room="Salle Pixel"),
    ], tags=["parallel-session", "hard-negative"])
    ev("manette-sound", "paris", "Masterclass : son et musique de jeu", "2026-05-23 17:00", 90, "halle", [
        A("paris-manette", "Masterclass : son et musique de jeu", room="Grande Halle"),
    ])
    ev("manette-brunch", "paris", "Brunch des développeuses", "2026-05-24 11:00", 120, "halle", [
        A("paris-manette", "Brunch des développeuses", room="Mezzanine"),
        A("paris-agenda", "Brunch des développeuses (Festival Manette)", cats="Jeu vidéo"),
    ], tags=["venue-appended"])
    ev("manette-family", "paris", "Atelier parents-enfants : créer son premier jeu", "2026-05-24 14:00", 120, "halle", [
        A("paris-manette", "Atelier parents-enfants : créer son premier jeu", room="Studio 2"),
    ])
    ev("manette-closing", "paris", "Clôture du Festival Manette", "2026-05-24 18:00", 120, "halle", [
        A("paris-manette", "Clôture du festival", room="Grande Halle"),
    ])
    ev("manette-press", "paris", "Conférence de presse du Festival Manette 2026", "2026-04-02 11:00", 90, "halle", [
        A("paris-manette", "Conférence de presse – Festival Manette 2026"),
    ])
    ev("manette-call", "paris", "Clôture de l'appel à jeux 2026", "2026-02-27", 1, "halle", [
        A("paris-manette", "Clôture de l'appel à jeux 2026"),
    ])
    ev("manette-winter", "paris", "Manette d'hiver 2026", "2026-12-05", 2, "halle", [
        A("paris-manette", "Manette d'hiver 2026 – le mini-festival"),
        A("paris-agenda", "Manette d'hiver : mini-festival du jeu indépendant", cats="Jeu vidéo"),
    ], tags=["edition", "hard-negative"], note="Winter edition of the festival: not the May festival.")
    for i, (d, n) in enumerate([("2026-02-12", 11), ("2026-03-12", 12), ("2026-04-09", 13)]):
        apps = [A("paris-manette", "Apéro Manette #%d" % n)]
        if n == 12:
            apps.append(A("paris-agenda", "Apéro Manette (mars)", cats="Jeu vidéo", shift=15))
        ev("manette-apero-%d" % n, "paris", "Apéro Manette #%d" % n, d + " 19:00", 180, "continue", apps,
           tags=["same-title-other-date", "hard-negative"], note="Monthly apéro, each month its own event.")

    # ======================================================================
    # 4. Open-data week (Paris, Mar 9-14) and SF Open Data Week (Mar 16-20)
    # ======================================================================
    ev("od-week", "paris", "Semaine de la donnée ouverte 2026", "2026-03-09", 6, "hdv", [
        A("paris-agenda", "Semaine de la donnée ouverte 2026", cats="Données ouvertes"),
        A("paris-citeouverte", "Semaine Open Data Paris 2026"),
        A("paris-sf-culture", "Semaine de la donnée ouverte (Paris)"),
    ], desc_fr="Une semaine d'ateliers, de conférences et de défis autour des données publiques.",
       tags=["fr-en", "title-punctuation"], note="All-day only in every source.")
    ev("odw-sf", "san-francisco", "SF Open Data Week 2026", "2026-03-16", 5, "missionbay", [
        A("sf-aggregator", "SF Open Data Week 2026"),
        A("paris-sf-culture", "Open Data Week (San Francisco)"),
    ], tags=["link-negative"], note="SF's own open-data week, a week after Paris: same topic, not linked.")
    ev("od-keynote", "paris", "Keynote d'ouverture : la donnée ouverte, un bien commun", "2026-03-09 09:30", 90, "hdv", [
        A("paris-agenda", "Keynote d'ouverture : la donnée ouverte, un bien commun", cats="Données ouvertes"),
        A("paris-citeouverte", "Semaine open data – keynote d’ouverture"),
    ], tags=["title-prefix", "title-punctuation", "link-negative"])
    ev("odw-sf-keynote", "san-francisco", "Open Data Week SF: Opening Keynote", "2026-03-16 09:00", 90, "missionbay", [
        A("sf-civic", "Open Data Week SF: Opening Keynote"),
        A("sf-aggregator", "Open Data Week SF — Opening Keynote", uid="SAME:sf-civic", src="meetup"),
    ], tags=["link-negative"], note="Same topic as the Paris keynote a week earlier; not linked.")
    ev("od-gtfs", "paris", "Atelier : publier des données de transport (GTFS)", "2026-03-10 14:00", 120, "communs", [
        A("paris-agenda", "Atelier : publier des données de transport (GTFS)", room="Salle 1"),
        A("paris-citeouverte", "Atelier GTFS – publier ses données transport"),
    ], tags=["parallel-session", "title-punctuation"])
    ev("od-budget", "paris", "Atelier : publier des données budgétaires", "2026-03-10 14:00", 120, "communs", [
        A("paris-agenda", "Atelier : publier des données budgétaires", room="Salle 2"),
    ], tags=["parallel-session", "hard-negative", "near-duplicate-title"])
    ev("od-trees", "paris", "Atelier datavisualisation : cartographier les arbres de Paris", "2026-03-10 18:30", 120, "volta", [
        A("paris-agenda", "Cartographier les arbres de Paris : atelier datavisualisation", cats="Données ouvertes"),
        A("paris-volta", "Atelier dataviz : les arbres de Paris (Semaine de la donnée ouverte)"),
    ], tags=["co-host-title", "title-punctuation"])
    ev("od-climate", "paris", "Conférence : les données ouvertes au service du climat", "2026-03-11 14:00", 90, "hdv", [
        A("paris-agenda", "Conférence : les données ouvertes au service du climat", status="CANCELLED",
          desc="Annulée. Reportée à une date ultérieure."),
        A("paris-citeouverte", "Open data & climat (conférence)"),
    ], tags=["title-punctuation"], note="Cancelled by the city agenda; the collective still lists it.")
    ev("od-privacy", "paris", "Table ronde : données ouvertes et vie privée", "2026-03-11 18:00", 90, "communs", [
        A("paris-agenda", "Table ronde : données ouvertes et vie privée", cats="Données ouvertes"),
        A("paris-citeouverte", "Table-ronde open data et vie privée", shift=-15),
    ], tags=["title-punctuation"])
    ev("od-datathon", "paris", "Défi étudiant : datathon des mobilités", "2026-03-12 09:00", 480, "cnum", [
        A("paris-agenda", "Défi étudiant : datathon des mobilités", cats="Données ouvertes"),
    ])
    ev("od-saclay", "paris", "Visite : la plateforme de données de l'Institut Dataville", "2026-03-13 10:00", 150, "saclay", [
        A("paris-agenda", "Visite : la plateforme de données de l'Institut Dataville (Saclay)", cats="Données ouvertes"),
        A("sf-harborlight", "Research visit: Institut Dataville data platform (Paris-Saclay)"),
    ], tags=["fr-en", "venue-appended"], note="Listed by the SF Outlook feed in Romance Standard Time.")
    ev("od-defense", "paris", "Matinale : l'open data dans les entreprises", "2026-03-13 08:30", 120, "defense", [
        A("paris-agenda", "Matinale : l'open data dans les entreprises (La Défense)", cats="Données ouvertes"),
    ])
    ev("odw-sf-ambassadors", "san-francisco", "Open Data Week SF: Data Ambassadors Showcase", "2026-03-18 17:30", 120,
       "missionbay", [
           A("sf-civic", "Open Data Week SF: Data Ambassadors Showcase"),
           A("sf-aggregator", "Data Ambassadors Showcase (Open Data Week SF)", shift=15),
       ], tags=["start-off-by-minutes", "title-prefix"])
    ev("odw-sf-311", "san-francisco", "Open Data Week SF: 311 Data Deep Dive", "2026-03-17 18:30", 120, "missionbay", [
        A("sf-civic", "Open Data Week SF: 311 Data Deep Dive"),
    ], tags=["hard-negative"], note="Same evening and time as the weekly Civic Hack Night, other venue.")

    # ======================================================================
    # 5. Civic tech — Paris collective Cité Ouverte (Nextcloud)
    # ======================================================================
    se("co-contrib", "paris", "Soirée contributeurs Cité Ouverte", "2026-03-04 19:00", 150, "ruche",
       A("paris-citeouverte", "Soirée contributeurs Cité Ouverte",
         moved_title="Soirée contributeurs Cité Ouverte (exceptionnellement jeudi, Maison des Communs)"),
       dict(freq="WEEKLY", count=10), exdates=["2026-04-01"],
       moved={"2026-03-25": ("2026-03-26 19:30", "communs")}, cancelled=["2026-04-22"],
       instances=[A("paris-agenda", "Soirée des contributeur·ices — Cité Ouverte", date="2026-03-11"),
                  A("paris-agenda", "Soirée des contributeur·ices — Cité Ouverte", date="2026-03-25"),
                  A("paris-agenda", "Soirée des contributeur·ices — Cité Ouverte", date="2026-04-22")],
       desc_fr="Chaque mercredi : on code, on documente, on cartographie.",
       tags=["title-punctuation", "link-negative"],
       note="Weekly series COUNT=10 across the EU DST change (Mar 29), EXDATE Apr 1, Mar 25 moved to Thu Mar 26 19:30 "
            "(other venue), Apr 22 cancelled. The city agenda re-publishes 3 weeks (the moved one at its new time; "
            "the cancelled one still confirmed). Not linked to SF's Civic Hack Night.")
    for d, extra in [("2026-02-03", None), ("2026-03-03", ("Apéro #CivicTech – mars", 0)),
                     ("2026-04-07", None), ("2026-05-05", None),
                     ("2026-06-02", ("APERO CIVIC TECH (juin)", 0)), ("2026-10-06", None)]:
        apps = [A("paris-citeouverte", "Apéro Civic Tech")]
        tg = ["same-title-other-date", "hard-negative"]
        if extra:
            apps.append(A("paris-agenda", extra[0], cats="Démocratie", shift=extra[1]))
            tg += ["title-case", "accents", "title-punctuation"]
        ev("co-apero-" + d[5:7], "paris", "Apéro Civic Tech", d + " 19:00", 150, "ruche", apps, tags=tg,
           note="Monthly apéro with one title; each month a separate event (no RRULE).")
    ev("co-algo-open", "paris", "Atelier : ouvrir le code des algorithmes publics", "2026-04-16 18:30", 120, "ruche", [
        A("paris-citeouverte", "Atelier : ouvrir le code des algorithmes publics"),
        A("paris-agenda", "Atelier – ouvrir le code des algorithmes publics", cats="Démocratie"),
    ], tags=["title-punctuation", "near-duplicate-title"])
    ev("co-algo-audit", "paris", "Atelier : auditer les algorithmes publics", "2026-05-28 18:30", 120, "ruche", [
        A("paris-citeouverte", "Atelier : auditer les algorithmes publics"),
    ], tags=["near-duplicate-title", "hard-negative"])
    ev("co-forum", "paris", "Forum des communs numériques", "2026-06-13 10:00", 480, "communs", [
        A("paris-citeouverte", "Forum des communs numériques"),
        A("paris-agenda", "Forum des communs numériques 2026", allday=True, cats="Démocratie"),
    ], tags=["title-punctuation"])
    ev("co-agm", "paris", "Assemblée générale de Cité Ouverte", "2026-01-24 14:00", 180, "ruche", [
        A("paris-citeouverte", "AG annuelle Cité Ouverte"),
    ])
    ev("co-decidim", "paris", "Formation Decidim pour les collectivités", "2026-02-19 09:30", 420, "communs", [
        A("paris-citeouverte", "Formation Decidim pour les collectivités"),
        A("paris-agenda", "Formation : Decidim pour les collectivités", cats="Démocratie"),
    ], tags=["title-punctuation"])
    ev("co-osm", "paris", "Atelier cartographie participative OpenStreetMap", "2026-04-25 14:00", 180, "mediatheque", [
        A("paris-citeouverte", "Atelier cartographie participative OpenStreetMap"),
        A("paris-agenda", "Cartopartie OpenStreetMap à la Médiathèque des Faubourgs", cats="Démocratie"),
    ], tags=["co-host-title", "venue-appended"])
    ev("co-a11y", "paris", "Meetup accessibilité des services publics numériques", "2026-06-18 18:30", 120, "ruche", [
        A("paris-citeouverte", "Meetup accessibilité des services publics numériques"),
    ])
    ev("co-rentree", "paris", "Soirée de rentrée Cité Ouverte", "2026-09-09 19:00", 180, "ruche", [
        A("paris-citeouverte", "Soirée de rentrée Cité Ouverte"),
    ])
    ev("co-mairie", "paris", "Rencontre avec l'adjointe chargée du numérique", "2026-09-17 18:30", 90, "hdv", [
        A("paris-citeouverte", "Rencontre avec l'adjointe chargée du numérique"),
        A("paris-agenda", "Dialogue citoyen : le numérique à Paris, avec l'adjointe au numérique", cats="Démocratie"),
    ], tags=["co-host-title"])
    ev("co-budget-read", "paris", "Atelier : lire un budget municipal", "2026-10-14 18:30", 120, "ruche", [
        A("paris-citeouverte", "Atelier : lire un budget municipal"),
    ])
    ev("co-nuit-code", "paris", "Nuit du Code Civique 2026", "2026-11-14 18:00", 960, "communs", [
        A("paris-citeouverte", "Nuit du Code Civique 2026"),
        A("paris-agenda", "Nuit du code civique", cats="Démocratie", shift=30),
    ], tags=["title-case"])
    ev("co-communs-conf", "paris", "Conférence : communs numériques et municipalités", "2026-11-19 19:00", 90, "hdv", [
        A("paris-citeouverte", "Conférence : communs numériques et municipalités"),
        A("paris-agenda", "Communs numériques & municipalités – conférence", cats="Démocratie"),
    ], tags=["title-punctuation"])
    ev("co-xmas", "paris", "Repas de fin d'année du collectif", "2026-12-10 19:30", 180, "ruche", [
        A("paris-citeouverte", "Repas de fin d'année du collectif"),
    ])
    ev("co-rgpd", "paris", "Café RGPD : la protection des données dans les associations", "2026-02-26 18:30", 90, "ruche", [
        A("paris-citeouverte", "Café RGPD : la protection des données dans les associations"),
    ])

    # ======================================================================
    # 6. SF civic tech — Civic Commons SF (Meetup)
    # ======================================================================
    hn = [("2026-02-24", None), ("2026-03-03", "agg"), ("2026-03-10", "agg"), ("2026-03-17", None),
          ("2026-03-24", None), ("2026-03-31", None), ("2026-04-07", "cancel")]
    for d, what in hn:
        apps = [A("sf-civic", "Civic Hack Night", status="CANCELLED" if what == "cancel" else "CONFIRMED")]
        if what in ("agg", "cancel"):
            apps.append(A("sf-aggregator", "Civic Hack Night @ Civic Commons SF", uid="SAME:sf-civic", src="meetup"))
        ev("sf-hacknight-" + d[5:].replace("-", ""), "san-francisco", "Civic Hack Night", d + " 18:30", 180, "commons",
           apps, tags=["same-title-other-date", "hard-negative", "link-negative"],
           desc_en="Weekly hack night: bring a laptop, join a project.",
           note="Weekly Meetup event, each week its own event (own Meetup id); not linked to Paris' Soirée contributeurs."
                + (" Cancelled on Meetup, still listed by the aggregator." if what == "cancel" else ""))
    ev("sf-civic-design", "san-francisco", "Civic Design Critique Night", "2026-04-21 18:00", 150, "commons", [
        A("sf-civic", "Civic Design Critique Night"),
    ])
    ev("sf-civic-lightning", "san-francisco", "Open Source for Cities: Lightning Talks", "2026-05-12 18:30", 120, "commons", [
        A("sf-civic", "Open Source for Cities: Lightning Talks"),
        A("sf-aggregator", "Lightning talks — Open Source for Cities", uid="SAME:sf-civic", src="meetup"),
    ], tags=["title-punctuation"])
    ev("sf-civic-summer", "san-francisco", "Civic Commons Summer Social", "2026-06-25 17:30", 150, "dolores", [
        A("sf-civic", "Civic Commons Summer Social"),
        A("sf-aggregator", "Summer Social – Civic Commons SF (Dolores Park)", shift=30),
    ], tags=["venue-appended", "title-punctuation"])
    ev("sf-civic-demo", "san-francisco", "Demo Night: Civic Startups", "2026-09-22 18:00", 150, "commons", [
        A("sf-civic", "Demo Night: Civic Startups"),
        A("sf-aggregator", "Civic Startups Demo Night", uid="SAME:sf-civic", src="meetup"),
    ], tags=["demo-day-same-day", "hard-negative"])
    ev("sf-presidio-demo", "san-francisco", "Creative Code Demo Day — Presidio Lab", "2026-09-22 14:00", 180, "presidio", [
        A("sf-aggregator", "Creative Code Demo Day — Presidio Lab"),
    ], tags=["demo-day-same-day", "hard-negative"], note="Second Demo Day in SF the same day.")
    ev("sf-civic-vote", "san-francisco", "Voter Info Hackathon", "2026-10-17 10:00", 420, "commons", [
        A("sf-civic", "Voter Info Hackathon"),
        A("sf-aggregator", "Voter Info Hackathon (Civic Commons SF)", uid="SAME:sf-civic", src="meetup"),
    ], tags=["venue-appended"])
    ev("sf-civic-a11y", "san-francisco", "Accessibility Audit of City Websites", "2026-05-27 18:00", 150, "commons", [
        A("sf-civic", "Accessibility Audit of City Websites"),
    ])
    ev("sf-civic-mapping", "san-francisco", "Mapping Street Trees with Open Data", "2026-04-28 18:30", 120, "tenderloin", [
        A("sf-civic", "Mapping Street Trees with Open Data"),
    ], tags=["link-negative"], note="Same topic as Paris' tree-mapping workshop, unrelated.")
    ev("sf-civic-pb-101", "san-francisco", "Participatory Budgeting 101", "2026-09-29 18:30", 120, "commons", [
        A("sf-civic", "Participatory Budgeting 101"),
    ], tags=["link-negative"], note="Local intro session, not part of the Paris × SF duplex.")
    ev("sf-civic-holiday", "san-francisco", "Civic Commons Holiday Party", "2026-12-08 18:00", 180, "commons", [
        A("sf-civic", "Civic Commons Holiday Party"),
    ])
    ev("sf-civic-ai-gov", "san-francisco", "AI in City Hall: What Works?", "2026-11-10 18:30", 120, "missionbay", [
        A("sf-civic", "AI in City Hall: What Works?"),
        A("sf-aggregator", "AI in City Hall — What Works? (panel)", src="meetup", uid="SAME:sf-civic"),
    ], tags=["title-punctuation"])
    ev("sf-civic-datajam", "san-francisco", "Housing Data Jam", "2026-02-07 10:00", 360, "tenderloin", [
        A("sf-civic", "Housing Data Jam"),
    ])
    ev("sf-civic-newcomers", "san-francisco", "New Member Orientation", "2026-08-18 18:00", 60, "commons", [
        A("sf-civic", "New Member Orientation"),
    ])
    ev("sf-civic-transit", "san-francisco", "Transit Data Night", "2026-03-05 18:30", 150, "missionbay", [
        A("sf-civic", "Transit Data Night"),
        A("sf-aggregator", "Transit Data Night @ Mission Bay Hall", uid="SAME:sf-civic", src="meetup"),
    ], tags=["venue-appended"], note="Just before the US DST change; 18:30 PST = 02:30Z next day.")

    # ======================================================================
    # 7. Volta Lab (Paris museum digital lab, Google)
    # ======================================================================
    se("volta-seminar", "paris", "Séminaire Cultures numériques", "2026-03-05 17:00", 90, "volta_aud",
       A("paris-volta", "Séminaire Cultures numériques",
         moved_title="Séminaire Cultures numériques (avancé au mercredi)",
         cancel_title="Séminaire Cultures numériques — annulé"),
       dict(freq="WEEKLY", interval=2, count=7), exdates=["2026-05-14"],
       moved={"2026-04-30": ("2026-04-29 18:00", None)}, cancelled=["2026-04-16"],
       instances=[
           A("sf-harborlight", "Seminar: Archiving the Early Web — live from Musée Volta", date="2026-03-05",
             zone="san-francisco", venue="paris_online", loc="Online – streamed live from Musée Volta, Paris",
             desc="Paris seminar (Musée Volta), streamed live. Join remotely from SF."),
           A("sf-harborlight", "Seminar: Born-Digital Collections and Their Decay", date="2026-03-19",
             zone="san-francisco", venue="paris_online", loc="Online – streamed live from Musée Volta, Paris",
             desc="Séminaire Cultures numériques, Musée Volta, Paris. Streamed; early start for West Coast viewers."),
           A("sf-harborlight", "Seminar: Machine Vision in the Museum (Paris, streamed)", date="2026-04-02",
             zone="san-francisco", venue="paris_online", loc="Online – streamed live from Musée Volta, Paris",
             desc="Streamed from the Musée Volta auditorium, Paris."),
           A("sf-harborlight", "Seminar: Datasets as Heritage (Paris)", date="2026-04-30",
             zone="san-francisco", venue="paris_online", loc="Online – streamed live from Musée Volta, Paris",
             desc="Moved to Wednesday by the Paris organisers. Streamed from Musée Volta."),
           A("sf-francophone", "Séminaire Cultures numériques (Paris, en ligne) – les collections nées numériques",
             date="2026-03-19", loc="Musée Volta, Paris 3e (diffusion en ligne)",
             desc="Séance du séminaire du Volta Lab, à suivre en ligne depuis SF."),
       ],
       desc_fr="Séminaire bimensuel du Volta Lab : histoire et conservation des cultures numériques.",
       tags=["fr-en", "talk-titles-under-series"],
       note="Biweekly series (COUNT=7) spanning the US (Mar 8) and EU (Mar 29) DST changes; EXDATE May 14 (Ascension), "
            "Apr 30 moved to Wed Apr 29 18:00, Apr 16 cancelled. Harborlight (Outlook) lists four sessions as single "
            "events under their talk titles, written in Pacific Standard Time (08:00 PST, 09:00 PDT, 08:00 PDT ...).")
    se("volta-fablab", "paris", "Permanence du fab lab Volta", "2026-04-04 14:00", 180, "volta",
       A("paris-volta", "Permanence du fab lab Volta", cancel_title="Permanence du fab lab Volta (annulée : Nuit des labs)"),
       dict(freq="WEEKLY", count=8), cancelled=["2026-05-16"],
       copies=[A("paris-agenda", "Fab lab du Musée Volta : permanence du samedi", cats="Atelier")],
       desc_fr="Chaque samedi après-midi : découpe laser, impression 3D, électronique.",
       tags=["title-punctuation"],
       note="Weekly series; the city agenda copies it as its own floating RRULE (other UID) without the cancelled Saturday.")
    ev("volta-nuit", "paris", "Nuit des labs au Musée Volta", "2026-05-16 20:00", 300, "volta", [
        A("paris-volta", "Nuit des labs au Musée Volta"),
        A("paris-agenda", "Nuit des labs : le Musée Volta ouvert jusqu'à 1 h", cats="Musées"),
        A("sf-francophone", "Nuit des labs (Paris) – Musée Volta", loc="Musée Volta, 41 rue de Turbigo, Paris 3e"),
    ], tags=["link-negative", "title-punctuation"],
       note="Same evening as Harborlight's 'Paris Night' in SF: not linked (no relay, separate programmes).")
    ev("volta-sf-panel", "paris", "Table ronde : ce que San Francisco nous apprend sur les musées numériques",
       "2026-02-10 18:30", 90, "volta_aud", [
           A("paris-volta", "Table ronde : ce que San Francisco nous apprend sur les musées numériques"),
           A("paris-agenda", "Ce que San Francisco nous apprend sur les musées numériques (table ronde)", cats="Musées"),
       ], tags=["link-negative", "title-punctuation"], note="Mentions San Francisco but is a Paris-only panel.")
    ev("volta-salon", "paris", "Salon IA & création #3", "2026-04-23 19:00", 120, "volta", [
        A("paris-volta", "Salon IA & création #3"),
    ], tags=["link-negative"], note="Same date and local hour as Fogline's Creative AI Salon in SF: unrelated.")
    ev("volta-ia-gen", "paris", "Atelier IA générative", "2026-03-28 14:00", 120, "volta", [
        A("paris-volta", "Atelier IA générative"),
        A("paris-agenda", "Atelier « IA générative » au Volta Lab", cats="Atelier"),
    ], tags=["near-duplicate-title", "venue-appended", "title-punctuation"])
    ev("volta-ia-resp", "paris", "Atelier IA responsable", "2026-03-28 16:30", 120, "volta", [
        A("paris-volta", "Atelier IA responsable"),
    ], tags=["near-duplicate-title", "hard-negative"], note="Same day and room as 'Atelier IA générative'; one word differs.")
    ev("volta-interactive", "paris", "Atelier : concevoir des dispositifs interactifs (avec le Harborlight Museum)",
       "2026-06-11 10:00", 360, "volta", [
           A("paris-volta", "Atelier : concevoir des dispositifs interactifs (avec le Harborlight Museum)"),
           A("sf-harborlight", "Harborlight at Musée Volta: Interactive Exhibits Workshop"),
       ], desc_en="Workshop in Paris led by the Harborlight Digital Studio team.", tags=["fr-en", "co-host-title"],
       note="Paris workshop listed by the SF museum's Outlook calendar in Romance Standard Time.")
    ev("volta-photogrammetry", "paris", "Photogrammétrie : numériser les collections", "2026-06-12 10:00", 240, "volta", [
        A("paris-volta", "Photogrammétrie : numériser les collections"),
        A("sf-harborlight", "Paris workshop: Photogrammetry for Collections", shift=-30),
    ], tags=["fr-en", "title-prefix"], note="The SF feed lists the Paris workshop 30 min earlier (setup time).")
    ev("volta-conservation", "paris", "Conférence : l'IA au service de la conservation préventive", "2026-01-29 18:30", 90,
       "volta_aud", [
           A("paris-volta", "Conférence : l'IA au service de la conservation préventive"),
           A("sf-harborlight", "Talk: AI for Preventive Conservation (Paris, livestream)", zone="san-francisco"),
           A("sf-francophone", "Conférence (Paris) : l'IA au service de la conservation préventive",
             loc="Musée Volta – Auditorium, Paris 3e"),
       ], tags=["fr-en"], note="Paris talk listed by the SF feed in Pacific time (09:30 PST).")
    ev("volta-family-1", "paris", "Atelier en famille : robots dessinateurs", "2026-02-15 14:30", 120, "volta", [
        A("paris-volta", "Atelier en famille : robots dessinateurs"),
        A("paris-agenda", "Atelier en famille – robots dessinateurs (dès 7 ans)", cats="Famille"),
    ], tags=["near-duplicate-title", "title-punctuation"])
    ev("volta-family-2", "paris", "Atelier en famille : robots musiciens", "2026-03-15 14:30", 120, "volta", [
        A("paris-volta", "Atelier en famille : robots musiciens"),
    ], tags=["near-duplicate-title", "hard-negative"])
    ev("volta-dst-vr", "paris", "Dimanche au Lab : réalité virtuelle", "2026-03-29 15:00", 120, "volta", [
        A("paris-volta", "Dimanche au Lab : réalité virtuelle"),
        A("paris-agenda", "Dimanche au Lab : realite virtuelle", cats="Famille"),
    ], tags=["accents"], note="On the EU DST change day.")
    ev("volta-dst-sound", "paris", "Dimanche au Lab : son spatialisé", "2026-10-25 15:00", 120, "volta", [
        A("paris-volta", "Dimanche au Lab : son spatialisé"),
    ], note="On the EU DST end day.")
    ev("volta-vernissage", "paris", "Vernissage : « Mémoires vives »", "2026-09-24 19:00", 180, "volta", [
        A("paris-volta", "Vernissage : « Mémoires vives »"),
        A("paris-agenda", "Exposition Mémoires vives – vernissage", cats="Exposition", shift=30),
    ], tags=["title-punctuation"])
    ev("volta-heritage-we", "paris", "Week-end patrimoine : le Volta Lab en coulisses", "2026-09-19", 2, "volta", [
        A("paris-volta", "Week-end patrimoine : le Volta Lab en coulisses"),
        A("paris-agenda", "Le Volta Lab en coulisses (week-end patrimoine)", cats="Musées"),
    ], tags=["title-punctuation"])
    ev("volta-netart", "paris", "Conférence : archiver le net art", "2026-10-01 18:30", 90, "volta_aud", [
        A("paris-volta", "Conférence : archiver le net art"),
    ], tags=["hard-negative"], note="Not one of the seminar sessions (different date, not in the series).")
    ev("volta-lowtech", "paris", "Atelier : sobriété numérique au musée", "2026-11-05 14:00", 180, "volta", [
        A("paris-volta", "Atelier : sobriété numérique au musée"),
        A("paris-agenda", "Sobriété numérique au musée : atelier professionnel", cats="Musées"),
    ], tags=["title-punctuation"])
    ev("volta-gap-games", "paris", "Soirée jeux vidéo et patrimoine", "2026-10-27 19:00", 150, "volta", [
        A("paris-volta", "Soirée jeux vidéo et patrimoine"),
    ])
    ev("volta-light", "paris", "Atelier : coder une installation lumineuse", "2026-02-05 18:30", 150, "volta", [
        A("paris-volta", "Atelier : coder une installation lumineuse"),
    ])
    ev("volta-reserves", "paris", "Visite technique des réserves numériques", "2026-07-02 10:00", 120, "volta", [
        A("paris-volta", "Visite technique des réserves numériques"),
    ])
    ev("volta-season-end", "paris", "Bilan de saison du Volta Lab", "2026-12-15 18:30", 90, "volta_aud", [
        A("paris-volta", "Bilan de saison du Volta Lab"),
    ])
    ev("sf-delegation-paris", "paris", "Délégation de San Francisco : visite du Volta Lab", "2026-06-09 10:00", 150, "volta", [
        A("paris-sf-culture", "Délégation de San Francisco : visite du Volta Lab"),
        A("paris-volta", "Visite de la délégation de San Francisco"),
    ], tags=["link-negative"], note="Paris visit by an SF delegation; no SF counterpart event.")

    # ======================================================================
    # 8. Harborlight Museum Digital Studio (SF, Outlook)
    # ======================================================================
    se("harbor-dropin", "san-francisco", "Digital Studio Drop-in Lab", "2026-02-21 11:00", 180, "harbor",
       A("sf-harborlight", "Digital Studio Drop-in Lab",
         moved_title="Digital Studio Drop-in Lab (Sunday this week)",
         moved_desc="Moved to Sunday afternoon because of the Family Day.",
         cancel_title="Canceled: Digital Studio Drop-in Lab"),
       dict(freq="WEEKLY", until="2026-04-25"), exdates=["2026-04-04"],
       moved={"2026-03-21": ("2026-03-22 13:00", None)}, cancelled=["2026-04-18"],
       instances=[A("sf-aggregator", "Drop-in Lab @ Harborlight Digital Studio", date="2026-03-07", src="harborlight.org"),
                  A("sf-aggregator", "Drop-in Lab @ Harborlight Digital Studio", date="2026-03-14", src="harborlight.org"),
                  A("sf-aggregator", "Drop-in Lab @ Harborlight Digital Studio", date="2026-03-21", src="harborlight.org")],
       desc_en="Weekly open lab: laser cutting, soldering, creative coding. All ages.",
       tags=["venue-appended"],
       note="Weekly UNTIL series across the US DST change (Mar 8); EXDATE Apr 4, Mar 21 moved to Sun Mar 22 13:00, "
            "Apr 18 cancelled. The aggregator publishes 3 weeks in UTC (before/after DST, and the moved one at its new time).")
    se("harbor-lunch", "san-francisco", "Harborlight Lunch Talks", "2026-01-14 12:00", 60, "harbor_forum",
       A("sf-harborlight", "Harborlight Lunch Talks"),
       dict(freq="MONTHLY", byday="2WE", count=6),
       instances=[A("paris-volta", "Lunch Talk Harborlight (en ligne) : les jeux vidéo au musée", date="2026-03-11", zone="paris",
                    desc="Conférence du Harborlight Museum (San Francisco), à suivre en ligne. Heure de Paris."),
                  A("sf-aggregator", "Lunch Talk: Video Games in the Museum", date="2026-03-11"),
                  A("sf-aggregator", "Lunch Talk: Conserving Time-Based Media", date="2026-04-08")],
       desc_en="Monthly lunchtime talk, second Wednesday.", tags=["fr-en", "talk-titles-under-series"],
       note="Monthly series (2nd Wednesday); instances re-published under talk titles: by the Paris Google feed in "
            "Europe/Paris (20:00, gap week) and by the aggregator in UTC.")
    ev("harbor-paris-night", "san-francisco", "Harborlight After Dark: Paris Night", "2026-05-16 18:00", 240, "harbor", [
        A("sf-harborlight", "Harborlight After Dark: Paris Night"),
        A("sf-aggregator", "After Dark: Paris Night @ Harborlight Museum"),
    ], tags=["link-negative", "venue-appended", "title-prefix"],
       note="Paris-themed evening in SF, same night as the Nuit des labs in Paris: not linked.")
    ev("harbor-pixel", "san-francisco", "Harborlight After Dark: Pixel Garden", "2026-04-16 18:00", 240, "harbor", [
        A("sf-harborlight", "Canceled: Harborlight After Dark: Pixel Garden", status="CANCELLED"),
        A("sf-aggregator", "After Dark: Pixel Garden"),
    ], tags=["title-prefix"], note="Cancelled in the museum's calendar only.")
    ev("harbor-family-bot", "san-francisco", "Family Day: Build-a-Bot", "2026-04-11 10:00", 300, "harbor", [
        A("sf-harborlight", "Family Day: Build-a-Bot"),
    ], tags=["hard-negative"], note="Same venue and morning as the Drop-in Lab occurrence of Apr 11 (different event).")
    ev("harbor-symposium", "san-francisco", "Symposium: Museums & Machine Learning", "2026-09-24", 2, "harbor_forum", [
        A("sf-harborlight", "Symposium: Museums & Machine Learning"),
        A("sf-aggregator", "Museums & Machine Learning Symposium (day 1)", allday=False, time="2026-09-24 09:00", dur=480),
    ], tags=["title-punctuation"])
    ev("harbor-delegation", "san-francisco", "Paris delegation visit: Digital Studio tour", "2026-09-15 10:00", 120, "harbor", [
        A("sf-harborlight", "Paris delegation visit: Digital Studio tour"),
        A("paris-sf-culture", "Délégation parisienne au Harborlight Museum"),
    ], tags=["fr-en", "link-negative"], note="SF visit by a Paris delegation; not linked to any Paris event.")
    ev("harbor-dia", "san-francisco", "Digital Altars: Día de los Muertos Workshop", "2026-11-01 13:00", 180, "harbor", [
        A("sf-harborlight", "Digital Altars: Día de los Muertos Workshop"),
        A("sf-aggregator", "Digital Altars: Dia de los Muertos Workshop"),
    ], tags=["accents"], note="On the US DST end day.")
    ev("harbor-glitch", "san-francisco", "After Dark: Glitch Garden", "2026-07-16 18:00", 240, "harbor", [
        A("sf-harborlight", "After Dark: Glitch Garden"),
        A("sf-aggregator", "Harborlight After Dark — Glitch Garden"),
    ], tags=["title-prefix"])
    ev("harbor-spooky", "san-francisco", "After Dark: Spooky Circuits", "2026-10-29 18:00", 240, "harbor", [
        A("sf-harborlight", "After Dark: Spooky Circuits"),
        A("sf-aggregator", "After Dark: Spooky Circuits", shift=30),
    ], tags=["start-off-by-minutes"])
    ev("harbor-vr", "san-francisco", "VR Conservation Lab Open House", "2026-08-06 16:00", 180, "harbor", [
        A("sf-harborlight", "VR Conservation Lab Open House"),
    ])
    ev("harbor-teen", "san-francisco", "Teen Creative Coding Camp", "2026-07-06", 5, "harbor", [
        A("sf-harborlight", "Teen Creative Coding Camp"),
    ])
    ev("harbor-games", "san-francisco", "Talk: Game Preservation at Scale", "2026-06-03 18:00", 90, "harbor_forum", [
        A("sf-harborlight", "Talk: Game Preservation at Scale"),
        A("sf-aggregator", "Game Preservation at Scale (talk)"),
    ], tags=["link-negative", "title-punctuation"], note="Same topic as the Paris heritage talk at Festival Manette; unrelated.")
    ev("harbor-ar", "san-francisco", "AR Tour Preview", "2026-02-12 18:00", 120, "harbor", [
        A("sf-harborlight", "AR Tour Preview"),
    ])
    ev("harbor-members", "san-francisco", "Members' Preview: Light Machines", "2026-05-06 17:00", 180, "harbor", [
        A("sf-harborlight", "Members' Preview: Light Machines"),
        A("sf-aggregator", "Light Machines — members preview"),
    ], tags=["title-punctuation"])
    ev("harbor-springbreak", "san-francisco", "Spring Break Robotics", "2026-03-30 10:00", 300, "harbor", [
        A("sf-harborlight", "Spring Break Robotics"),
    ])
    ev("harbor-market", "san-francisco", "Holiday Maker Market", "2026-12-12 10:00", 420, "harbor", [
        A("sf-harborlight", "Holiday Maker Market"),
        A("sf-aggregator", "Holiday Maker Market at Harborlight"),
    ], tags=["venue-appended"])

    ev("civic-exch-paris", "paris", "Échange de contributeurs : Civic Commons SF à Paris (hack night commune)",
       "2026-06-16 19:00", 180, "ruche", [
           A("paris-sf-culture", "Échange civic tech Paris–SF : volet parisien"),
           A("paris-agenda", "Soirée commune Cité Ouverte × Civic Commons SF", cats="Démocratie"),
           A("sf-civic", "Civic Commons in Paris: joint hack night at La Ruche Civique",
             desc="Members of Civic Commons SF visit Paris. Joint hack night with the Cité Ouverte collective (Paris 10e)."),
           A("paris-citeouverte", "Hack night commune avec Civic Commons SF"),
       ], desc_fr="Des membres de Civic Commons SF sont à Paris : hack night commune.",
       tags=["fr-en", "co-host-title"],
       note="Paris leg of the contributor exchange; the SF Meetup group lists it (UTC).")
    ev("civic-exch-sf", "san-francisco", "Cité Ouverte in SF: joint hack night", "2026-09-15 18:30", 180, "commons", [
        A("paris-sf-culture", "Échange civic tech Paris–SF : volet San Francisco"),
        A("sf-civic", "Joint Hack Night with Cité Ouverte (Paris)"),
        A("paris-citeouverte", "Cité Ouverte à San Francisco : hack night commune"),
    ], desc_en="Members of the Paris collective Cité Ouverte visit SF.",
       desc_fr="Une délégation de Cité Ouverte à San Francisco : hack night commune chez Civic Commons SF.",
       tags=["fr-en", "co-host-title"],
       note="SF leg; the Paris Nextcloud feed writes it with TZID America/Los_Angeles.")
    L("civic-exch-paris", "civic-exch-sf",
      "two legs of the Cité Ouverte ⇄ Civic Commons contributor exchange (June in Paris, September in SF)")
    ev("codeclub-paris", "paris", "Club de code du mercredi — duplex avec San Francisco", "2026-11-04 17:30", 60, "volta", [
        A("paris-volta", "Club de code du mercredi — duplex avec San Francisco"),
        A("paris-agenda", "Club de code en duplex Paris / San Francisco (8-12 ans)", cats="Famille"),
    ], tags=["title-punctuation"])
    ev("codeclub-sf", "san-francisco", "Morning Code Club — live with Paris", "2026-11-04 08:30", 60, "harbor", [
        A("sf-harborlight", "Morning Code Club — live with Paris"),
        A("sf-aggregator", "Morning Code Club (live link w/ Paris) @ Harborlight"),
        A("sf-francophone", "Club de code en duplex avec Paris (côté SF)"),
    ], tags=["fr-en", "venue-appended"], note="Kids in SF (morning) and Paris (afternoon) code together over a live link.")
    L("codeclub-paris", "codeclub-sf", "kids' code club held as a live duplex between Musée Volta and Harborlight")

    # ======================================================================
    # 9. Joint programme extras
    # ======================================================================
    ev("prog-launch", "paris", "Lancement du programme Paris ⇄ San Francisco · culture numérique 2026", "2026-01-22 18:00", 120,
       "hdv", [
           A("paris-sf-culture", "Lancement du programme Paris ⇄ San Francisco 2026"),
           A("paris-agenda", "Lancement du programme Paris – San Francisco culture numérique", cats="International"),
       ], tags=["title-punctuation"])
    ev("prog-review", "paris", "Bilan 2026 du programme Paris ⇄ San Francisco", "2026-12-03 18:30", 120, "hdv", [
        A("paris-sf-culture", "Bilan 2026 du programme"),
        A("paris-agenda", "Bilan du programme Paris / San Francisco 2026", cats="International"),
    ], tags=["title-punctuation"])

    # ======================================================================
    # 10. Le Cercle (French-speaking creative tech community, SF)
    # ======================================================================
    for i, d in enumerate(["2026-02-05", "2026-04-02", "2026-06-04", "2026-10-01"]):
        ev("cercle-apero-" + d[5:7], "san-francisco", "Apéro du Cercle", d + " 19:00", 150, "lafayette", [
            A("sf-francophone", "Apéro du Cercle – French creative tech")],
           tags=["same-title-other-date", "hard-negative"], note="Regular apéro; each date its own event.")
    ev("cercle-cine", "san-francisco", "Ciné-débat « Pixels et sueur »", "2026-06-05 19:00", 150, "lafayette", [
        A("sf-francophone", "Ciné-débat « Pixels et sueur »"),
        A("paris-manette", "« Pixels et sueur » projeté à San Francisco (Le Cercle)",
          loc="Maison Lafayette SF, 540 Howard St, San Francisco, CA 94105"),
    ], tags=["same-title-other-city", "hard-negative"],
       note="Same film and title as the Paris ciné-débat of Festival Manette (May 21): different event. The festival "
            "feed (zone-less, Paris) lists this SF screening at SF wall clock.")
    ev("cercle-arduino", "san-francisco", "Atelier Arduino pour enfants", "2026-03-21 10:00", 120, "lafayette", [
        A("sf-francophone", "Atelier Arduino pour enfants (ANNULÉ)", status="CANCELLED"),
        A("sf-aggregator", "Kids Arduino Workshop (in French)"),
    ], tags=["fr-en", "title-case"], note="Cancelled in the community feed, still confirmed in the aggregator.")
    ev("cercle-ia", "san-francisco", "Atelier : IA créative en français", "2026-02-21 14:00", 150, "lafayette", [
        A("sf-francophone", "Atelier : IA créative en français", uid="REUSE:manette-retro:paris-manette"),
    ], tags=["uid-reused-by-other-feed"], note="Its UID ai1ec-…@localhost is also used by the Paris festival feed for another event.")
    ev("cercle-galette", "san-francisco", "Galette des rois du Cercle", "2026-01-15 18:30", 120, "lafayette", [
        A("sf-francophone", "Galette des rois du Cercle", uid="REUSE:manette-press:paris-manette"),
    ], tags=["uid-reused-by-other-feed"])
    ev("cercle-artists", "san-francisco", "Rencontre : artistes français de la Baie", "2026-09-10 18:30", 120, "fogline", [
        A("sf-francophone", "Rencontre : artistes français de la Baie"),
    ])
    ev("cercle-indie", "san-francisco", "Soirée jeux indé francophones", "2026-07-09 19:00", 180, "tilt", [
        A("sf-francophone", "Soirée jeux indé francophones"),
        A("paris-manette", "Soirée jeux indé chez Le Cercle à San Francisco – sélection Manette",
          loc="Tilt & Token, Polk St, San Francisco"),
    ], tags=["co-host-title"],
       note="SF evening with a Festival Manette selection; listed by the Paris festival feed at SF wall clock (no zone).")
    ev("cercle-frenchtouch", "san-francisco", "Conférence : la French Touch du jeu vidéo", "2026-11-12 18:30", 90, "lafayette", [
        A("sf-francophone", "Conférence : la French Touch du jeu vidéo"),
        A("sf-aggregator", "French Touch in Video Games — talk (in French)", shift=-15),
        A("paris-manette", "« La French Touch du jeu vidéo » : conférence à San Francisco",
          loc="Maison Lafayette SF, 540 Howard St, San Francisco"),
    ], tags=["fr-en", "title-punctuation"])
    ev("cercle-picnic", "san-francisco", "Pique-nique de la communauté", "2026-07-14 12:00", 180, "dolores", [
        A("sf-francophone", "Pique-nique du 14 juillet – communauté du Cercle"),
    ])

    # ======================================================================
    # 11. Aggregator own events
    # ======================================================================
    for n, d, reuse in [(27, "2026-02-19", "REUSE:cercle-apero-02:sf-francophone"),
                        (28, "2026-03-19", "REUSE:manette-family:paris-manette"), (29, "2026-04-16", None)]:
        o = dict(src="tiltandtoken.com (WordPress)")
        if reuse:
            o["uid"] = reuse
        apps = [A("sf-aggregator", "Bay Indie Arcade #%d" % n, **o)]
        note = "Monthly SF indie showcase (not a Festival Manette event)."
        if n == 29:
            apps.append(A("paris-manette", "Manette s'invite au Bay Indie Arcade #29 (San Francisco)",
                          loc="Tilt & Token, 1548 Polk St, San Francisco, CA 94109",
                          desc="Présentation du Festival Manette et de l'appel à jeux 2027 lors de la soirée mensuelle du Bay Indie Arcade."))
            note = ("Monthly SF indie showcase; this edition hosts a Festival Manette presentation, so the Paris festival "
                    "feed lists it (SF wall clock, no zone). Same event, not a link.")
        if reuse:
            note += " Aggregated from a WordPress site: its ai1ec-…@localhost UID collides with another feed's event."
        ev("bay-indie-%d" % n, "san-francisco", "Bay Indie Arcade #%d" % n, d + " 19:00", 180, "tilt", apps,
           tags=["same-title-other-date", "hard-negative"] + (["link-negative"] if n != 29 else ["venue-appended"])
                + (["uid-reused-by-other-feed"] if reuse else []), note=note)
    ev("fogline-salon", "san-francisco", "Creative AI Salon: Latent Spaces", "2026-04-23 19:00", 120, "fogline", [
        A("sf-aggregator", "Creative AI Salon: Latent Spaces"),
    ], tags=["link-negative"], note="Not related to Volta's 'Salon IA & création' (same date, same local hour, other city).")
    ev("fogline-genart", "san-francisco", "Generative Art Night", "2026-08-20 19:00", 180, "fogline", [
        A("sf-aggregator", "Generative Art Night @ Fogline Studio"),
    ], tags=["venue-appended"])
    ev("sf-gamedev-mixer", "san-francisco", "SF Game Devs Mixer", "2026-06-11 18:30", 150, "foundry", [
        A("sf-aggregator", "SF Game Devs Mixer"),
    ], tags=["hard-negative"], note="Same evening and time as the Manette Showcase SF, other venue, similar audience.")


# ============================================================================ outputs
TRAPS = [
    ("1", "event city != feed city (listed by a feed of the other city: address/postcode, GEO, title marker or TZID)",
     ["listed-in-other-city-feed"]),
    ("2", "floating time in a zone-less feed of one city for an event in the other city (wall clock of where it happens)",
     ["floating-other-city"]),
    ("2b", "floating time in a feed WITH X-WR-TIMEZONE Europe/Paris for an SF event (so written in Paris time)",
     ["floating-xwr-other-city"]),
    ("3", "French <-> English titles of one event in different feeds", ["fr-en"]),
    ("4", "series (RRULE/EXDATE/moved/cancelled) with copies elsewhere (stand-alone instances under other/talk titles, "
          "other zone, whole-series copy), across DST changes",
     ["recurring"]),
    ("5", "title noise between copies (co-host titles, prefixes, venue appended, accents stripped, HTML entities, case, "
          "punctuation)",
     ["title-prefix", "title-case", "accents", "title-punctuation", "venue-appended", "co-host-title", "html-entities"]),
    ("6", "cross-city links (duplex/watch party/relay with titles in two languages, exchange legs months apart, "
          "alternating joint review)", ["linked"]),
]


NOISE_TAGS = {"title-prefix", "title-case", "accents", "title-punctuation", "venue-appended", "co-host-title",
              "html-entities", "fr-en"}


def finish(B, folder):
    # ---- feeds
    counts = {}
    for f in B.feeds:
        counts[f.id] = write_feed(f, folder)
    # ---- feeds.toml
    T = ["# Paris <-> San Francisco event bridge: feed configuration (%s dataset, edition %d)." % (DATASET, EDITION),
         "# Feeds are listed from most to least authoritative: when sources of the",
         "# same event disagree on the start time, the earliest-listed timed one wins.",
         "# `url` is relative to this folder. A floating time is in the feed's X-WR-TIMEZONE;",
         "# without one, in the time zone of the city where the event takes place.",
         "", "[cities.paris]", 'name = "Paris"', 'timezone = "Europe/Paris"', "",
         "[cities.san-francisco]", 'name = "San Francisco"', 'timezone = "America/Los_Angeles"', ""]
    for f in B.feeds:
        T += ["# %s -- %s" % (f.calname, f.kind), "[[feeds]]", 'id = "%s"' % f.id, 'city = "%s"' % f.city,
              'url = "%s"' % f.file, ""]
    with open(os.path.join(folder, "feeds.toml"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(T))
    # ---- truth
    clusters = []
    for c in B.clusters:
        if len({(m[0], m[1]) for m in c.members}) < 2:
            c.tags -= NOISE_TAGS   # nothing to compare a single source with
        note = " ".join(c.notes)
        if not note:
            fs = sorted({m[0] for m in c.members}, key=lambda x: B.order[x])
            note = ("Listed by %s." % ", ".join(fs)) if len(fs) > 1 else "Single source."
        d = {"id": c.id, "city": c.city, "title": c.title,
             "members": sorted(c.members, key=lambda m: (B.order[m[0]], m[1], m[2] or "")),
             "start_utc": c.start_utc, "start_date": c.start_date, "all_day": c.all_day,
             "cancelled": c.cancelled, "note": note, "tags": sorted(c.tags)}
        if c.recurrence:
            d["recurrence"] = c.recurrence
        clusters.append(d)
    truth = {"dataset": DATASET, "edition": EDITION,
             "feeds": [{"id": f.id, "city": f.city, "file": f.file} for f in B.feeds],
             "clusters": clusters, "links": B.links}
    with open(os.path.join(folder, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    write_readme(B, folder, counts, clusters)
    return counts, truth


def write_readme(B, folder, counts, clusters):
    from collections import Counter
    import itertools
    total = sum(counts.values())
    multi = [c for c in clusters if len({m[0] for m in c["members"]}) > 1]
    pairs = 0
    for c in clusters:
        n = len({(m[0], m[1]) for m in c["members"]})
        pairs += n * (n - 1) // 2
    sources = sum(len({(m[0], m[1]) for m in c["members"]}) for c in clusters)
    cancelled = [c for c in clusters if c["cancelled"]]
    cinst = sum(1 for c in clusters if c.get("recurrence") for o in c["recurrence"]["overrides"] if o["cancelled"])
    tagc = Counter(t for c in clusters for t in c["tags"])
    srcs_other_city = sum(1 for c in clusters for m in c["members"]
                          if B.fmap[m[0]].city != c["city"])
    R = []
    R.append("# %s (Paris <-> San Francisco event bridge, edition %d)" % (DATASET, EDITION))
    R.append("")
    R.append("**Written blind: the author never read the bridge's source or tests.** Only the sister-cities "
             "README/truth/feeds (for the format), `score_bridge.py` and the real-world corpus were read.")
    R.append("")
    R.append("Theme: creative tech, digital culture, open data and civic tech. A Paris museum digital lab "
             "(Volta Lab, Musée Volta) and an SF one (Harborlight Museum Digital Studio); Festival Manette "
             "(Paris independent video-game festival, May 20-24) with its SF watch party, jam site and showcase; "
             "Paris' Semaine de la donnée ouverte (Mar 9-14) and SF Open Data Week (Mar 16-20); civic-tech meetup "
             "series (Cité Ouverte in Paris, Civic Commons SF); a Paris ⇄ SF creative-AI residency exchange "
             "(Volta Lab <-> Fogline Studio) with a Paris leg in March-April and an SF leg in September-October. "
             "All organisations, venues and titles are invented (street addresses are plausible).")
    R.append("")
    R.append("Generated by `make_dataset.py` (seed %d, `random.Random`, standard library only). "
             "Do not edit the feeds by hand." % SEED)
    R.append("")
    R.append("## Feeds (`feeds.toml` order, most to least authoritative)")
    R.append("")
    R.append("| # | id | city | file | producer style | VEVENTs |")
    R.append("| --- | --- | --- | --- | --- | --- |")
    for i, f in enumerate(B.feeds, 1):
        R.append("| %d | `%s` | %s | `%s` | %s | %d |" % (i, f.id, f.city, f.file, f.kind, counts[f.id]))
    R.append("| | | | | **total** | **%d** |" % total)
    R.append("")
    R.append("## Counts")
    R.append("")
    R.append("* VEVENTs: %d (%d distinct source events `(feed, UID)`)" % (total, sources))
    R.append("* real-world events (clusters): %d, of which %d appear in more than one feed" % (len(clusters), len(multi)))
    R.append("* true duplicate pairs (pairs of source events in one cluster): %d" % pairs)
    R.append("* cross-city links: %d" % len(B.links))
    R.append("* cancelled events: %d (+ %d cancelled series instances)" % (len(cancelled), cinst))
    R.append("* recurring series: %d" % tagc["recurring"])
    R.append("* UIDs reused for different events: %d (%s)" % (len(B.reused_uids), "; ".join(
        "`%s` in %s and %s" % (u, a[0], b[0]) for u, a, b in B.reused_uids)))
    R.append("* source VEVENTs listed by a feed of the other city: %d" % srcs_other_city)
    R.append("")
    R.append("## Traps (clusters per trap)")
    R.append("")
    R.append("Traps 2, 5 and 6 are emphasised.")
    R.append("")
    R.append("| trap | what | clusters | detail |")
    R.append("| --- | --- | --- | --- |")
    P = lambda x: dt.datetime.strptime(x, "%Y-%m-%dT%H:%M:%SZ")
    cmap = {c["id"]: c for c in clusters}
    def floating_other(c, xwr):
        return [m for m in c["members"] if B.fmap[m[0]].city != c["city"]
                and B.fmap[m[0]].style in ("ai1ec", "cityhall") and bool(B.fmap[m[0]].xwr) == xwr]
    for num, what, tags in TRAPS:
        sel = [c for c in clusters if any(t in c["tags"] for t in tags)]
        n = len(sel)
        detail = ""
        if num == "1":
            detail = "%d source VEVENTs" % srcs_other_city
        elif num == "2":
            detail = "%d source VEVENTs (%d Paris events in `sf-francophone`, %d SF events in `paris-manette`)" % (
                sum(len(floating_other(c, False)) for c in clusters),
                sum(len(floating_other(c, False)) for c in clusters if c["city"] == "paris"),
                sum(len(floating_other(c, False)) for c in clusters if c["city"] == "san-francisco"))
        elif num == "2b":
            detail = "%d source VEVENTs in `paris-agenda`" % sum(len(floating_other(c, True)) for c in clusters)
        elif num == "4":
            inst = sum(1 for c in clusters if c.get("recurrence") for m in c["members"]
                       if m[2] is not None and not any(x[0] == m[0] and x[1] == m[1] and x[2] is None for x in c["members"]))
            detail = ("%d stand-alone instance VEVENTs in other feeds (%d clusters with talk titles, %d written in the "
                      "other city's zone), %d whole-series copy, %d moved / %d cancelled instances, %d with EXDATE"
                      % (inst, tagc["talk-titles-under-series"], sum(1 for c in sel if "written-in-other-city-zone" in c["tags"]),
                         tagc["series-copied-as-series"], tagc["moved-instance"], tagc["cancelled-instance"], tagc["exdate"]))
        elif num == "5":
            detail = ", ".join("%s %d" % (t, tagc[t]) for t in tags)
        elif num == "6":
            same = months = 0
            for a_, b_, _ in B.links:
                ca, cb = cmap[a_], cmap[b_]
                if ca["start_utc"] and cb["start_utc"]:
                    d = abs((P(ca["start_utc"]) - P(cb["start_utc"])).total_seconds()) / 86400
                else:
                    d = abs((dt.date.fromisoformat(ca["start_date"]) - dt.date.fromisoformat(cb["start_date"])).days)
                same += d < 0.05
                months += d > 20
            n = "%d links (%d clusters)" % (len(B.links), n)
            detail = ("%d simultaneous duplex/relay pairs (within an hour), %d pairs weeks or months apart; "
                      "titles differ in language between the two sides or between their copies in most pairs; "
                      "%d link-negative clusters" % (same, months, tagc["link-negative"]))
        R.append("| %s | %s | %s | %s |" % (num, what, n, detail))
    R.append("")
    R.append("Hard negatives (must stay apart): %d clusters tagged `hard-negative`, %d tagged `link-negative` "
             "(same topic/brand/date in the other city, not linked), %d `parallel-session`, %d `near-duplicate-title`, "
             "%d `same-title-other-date`, %d `demo-day-same-day`, %d `same-title-other-city`, %d `edition`."
             % (tagc["hard-negative"], tagc["link-negative"], tagc["parallel-session"], tagc["near-duplicate-title"],
                tagc["same-title-other-date"], tagc["demo-day-same-day"], tagc["same-title-other-city"], tagc["edition"]))
    R.append("")
    R.append("Other defects: duplicates minutes off (`start-off-by-minutes`: %d), all-day vs timed (%d), "
             "cancellations in one feed only (%d), same UID across feeds for the same event (%d), DST gap weeks "
             "(%d clusters start while Paris and SF are 8 h apart) and DST change days (%d), Windows TZIDs, "
             "CRLF and LF feeds, folded lines, HTML entities in WordPress SUMMARYs."
             % (tagc["start-off-by-minutes"], tagc["all-day-vs-timed"], tagc["cancelled-in-some-sources-only"],
                tagc["same-uid-across-feeds"], tagc["dst-gap-weeks"], tagc["dst-change-day"]))
    R.append("")
    R.append("## Links")
    R.append("")
    for a, b, why in B.links:
        R.append("* `%s` <-> `%s`: %s" % (a, b, why))
    R.append("")
    R.append("## Files")
    R.append("")
    R.append("* `make_dataset.py`: the generator (`python3 make_dataset.py` rewrites everything below, deterministically).")
    R.append("* `feeds/*.ics`, `feeds.toml`, `truth.json`, `README.md`: the dataset.")
    R.append("* `verify.py`: independent checks (needs `icalendar`): parses every feed, checks that every VEVENT is "
             "exactly one truth member and vice versa, recomputes each start (and series occurrences with "
             "dateutil) from the feed text and compares with the truth.")
    R.append("")
    R.append("## Truth rules")
    R.append("")
    R.append("Same as the sister-cities README (\"Rules the truth follows\"), with one refinement: a floating time "
             "is in the feed's `X-WR-TIMEZONE` if it has one; otherwise in the zone of the city **where the event "
             "takes place** (so `paris-manette`, a zone-less Paris feed, writes its SF events in SF wall-clock time, "
             "and `sf-francophone` writes its Paris events in Paris wall-clock time; `paris-agenda` has "
             "`X-WR-TIMEZONE:Europe/Paris` and writes its SF events in Paris time). A cluster's `city` is where the "
             "event takes place. `start_utc` is the start given by the first timed source in `feeds.toml` order "
             "(a series: its first occurrence); `start_date` is the local date in the event's city. truth.json "
             "has the same schema as sister-cities.")
    R.append("")
    R.append("## Tag counts (clusters per tag)")
    R.append("")
    R.append("| tag | clusters |")
    R.append("| --- | --- |")
    for t, n in sorted(tagc.items()):
        R.append("| `%s` | %d |" % (t, n))
    R.append("")
    with open(os.path.join(folder, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(R))


def main():
    folder = os.path.dirname(os.path.abspath(__file__))
    B = Builder(SEED, FEEDS, VENUES, EDITION)
    build(B)
    counts, truth = finish(B, folder)
    print("VEVENTs:", sum(counts.values()), counts)
    print("clusters:", len(truth["clusters"]), "links:", len(truth["links"]))


if __name__ == "__main__":
    main()

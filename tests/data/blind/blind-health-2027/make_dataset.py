#!/usr/bin/env python3
"""Deterministic generator of the blind-health-2027 dataset.

Theme: digital health, biotech and medtech exchange between Paris and San
Francisco (hospital innovation labs, a medtech accelerator, university
seminars, a health data hackathon, a joint annual review).

Writes feeds/*.ics, feeds.toml, truth.json and README.md next to this file.
Standard library only (random.Random(2701), zoneinfo, dateutil that ships
with icalendar is NOT needed: recurrences are expanded here by hand).

Written blind: the author never read the bridge's source or tests.
"""

import datetime as dt
import json
import os
import random
import unicodedata
import uuid
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

SEED = 2701
YEAR = 2027
DATASET = "blind-health-2027"
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(SEED)

UTC = dt.timezone.utc
ZONES = {"paris": ZoneInfo("Europe/Paris"), "san-francisco": ZoneInfo("America/Los_Angeles")}
IANA = {"paris": "Europe/Paris", "san-francisco": "America/Los_Angeles"}
WINZONE = {"paris": "Romance Standard Time", "san-francisco": "Pacific Standard Time"}
OTHER = {"paris": "san-francisco", "san-francisco": "paris"}

# 2027 clock changes: US Mar 14 / Nov 7, EU Mar 28 / Oct 31.
DST_DAYS = {dt.date(2027, 3, 14), dt.date(2027, 3, 28), dt.date(2027, 10, 31), dt.date(2027, 11, 7)}
GAP_WEEKS = [(dt.date(2027, 3, 14), dt.date(2027, 3, 27)), (dt.date(2027, 10, 31), dt.date(2027, 11, 6))]

# --------------------------------------------------------------------------- feeds
# Listed from most to least authoritative.
FEEDS = [
    dict(id="paris-pulsar", city="paris", file="feeds/paris-pulsar-medtech.ics", style="google",
         name="Pulsar MedTech — Programme Paris ↔ San Francisco",
         kind="medtech accelerator programme (Google Calendar export), lists its Paris AND San Francisco sessions"),
    dict(id="sf-bicm", city="san-francisco", file="feeds/sf-bicm-events.ics", style="outlook",
         name="BICM — Bay Institute for Computational Medicine: Events & Seminars",
         kind="research institute calendar exported from Exchange/Outlook (Windows zone names, CRLF); also lists its Paris workshops"),
    dict(id="paris-ilab", city="paris", file="feeds/paris-ilab-sainte-aurelie.ics", style="apple",
         name="i-Lab Santé — Hôpital Sainte-Aurélie",
         kind="hospital innovation lab (Apple Calendar: VTIMEZONE, X-APPLE-STRUCTURED-LOCATION, uppercase UUIDs)"),
    dict(id="sf-mbh-lab", city="san-francisco", file="feeds/sf-mbh-digital-health-lab.ics", style="nextcloud",
         name="Mission Bay Hospital · Digital Health Lab",
         kind="hospital innovation lab (Nextcloud calendar export, IANA TZIDs)"),
    dict(id="paris-meetup", city="paris", file="feeds/paris-meetup-sante-numerique.ics", style="meetup",
         name="Meetup — Santé numérique & biotech à Paris",
         kind="Meetup groups feed (UTC times, GEO, event_…@meetup.com)"),
    dict(id="sf-cityhall", city="san-francisco", file="feeds/sf-office-health-innovation.ics", style="tec",
         name="SF Office of Health Innovation — Community Calendar",
         kind="city-hall CMS (WordPress The Events Calendar): floating times WITHOUT X-WR-TIMEZONE, LF"),
    dict(id="paris-agenda", city="paris", file="feeds/paris-agenda-sante-idf.ics", style="ai1ec",
         name="Agenda Santé Numérique Île-de-France",
         kind="WordPress All-in-One agenda: floating times WITHOUT X-WR-TIMEZONE, HTML entities, LF, …@localhost UIDs"),
    dict(id="sf-aggregator", city="san-francisco", file="feeds/sf-bay-health-bio-events.ics", style="aggregator",
         name="Bay Area Health & Bio Events (aggregated)",
         kind="aggregator, every time in UTC, keeps some upstream UIDs"),
]
FEED = {f["id"]: f for f in FEEDS}
FEED_ORDER = {f["id"]: i for i, f in enumerate(FEEDS)}
FLOATING_STYLES = {"tec", "ai1ec"}

EXPORT_STAMP = {
    "paris-pulsar": "20270104T081512Z", "sf-bicm": "20270105T170203Z", "paris-ilab": "20270104T163340Z",
    "sf-mbh-lab": "20270106T002211Z", "paris-meetup": "20270104T120000Z", "sf-cityhall": "20270105T093000",
    "paris-agenda": "20270104T050000Z", "sf-aggregator": "20270105T060000Z",
}

# --------------------------------------------------------------------------- venues
# key: (city, name, address, lat, lon)
VENUES = {
    # Paris and Île-de-France
    "pulsar": ("paris", "Pulsar MedTech", "Halle Fréneau, 24 rue du Chevaleret, 75013 Paris", 48.83161, 2.37448),
    "pulsar-studio": ("paris", "Pulsar MedTech – Studio 3", "Halle Fréneau, 24 rue du Chevaleret, 75013 Paris", 48.83161, 2.37448),
    "ilab": ("paris", "i-Lab Santé", "Hôpital Sainte-Aurélie, bâtiment Laennec, 12 rue d'Alésia, 75014 Paris", 48.82754, 2.32902),
    "ilab-amphi": ("paris", "Amphithéâtre Bichat", "Hôpital Sainte-Aurélie, 12 rue d'Alésia, 75014 Paris", 48.82754, 2.32902),
    "lutece": ("paris", "Université Lutèce – amphi Vésale", "15 rue de l'École-de-Médecine, 75006 Paris", 48.85081, 2.34127),
    "lutece-pare": ("paris", "Université Lutèce – salle Ambroise-Paré", "15 rue de l'École-de-Médecine, 75006 Paris", 48.85081, 2.34127),
    "halle-biotech": ("paris", "Halle Biotech", "88 quai de la Rapée, 75012 Paris", 48.84302, 2.36801),
    "saclay": ("paris", "Campus Paris-Saclay – bâtiment Bréguet", "3 rue Joliot-Curie, 91190 Gif-sur-Yvette", 48.70901, 2.16402),
    "defense": ("paris", "Auditorium Hélios", "5 place de la Pyramide, 92800 Puteaux (La Défense)", 48.89052, 2.24003),
    "hdv": ("paris", "Hôtel de Ville de Paris – salon des Arcades", "Place de l'Hôtel-de-Ville, 75004 Paris", 48.85641, 2.35222),
    "tremplin": ("paris", "Le Tremplin", "33 rue La Fayette, 75009 Paris", 48.87503, 2.34101),
    "comptoir": ("paris", "Le Comptoir Santé", "112 rue Oberkampf, 75011 Paris", 48.86552, 2.37753),
    "ciup": ("paris", "Maison internationale – Cité universitaire", "17 boulevard Jourdan, 75014 Paris", 48.81992, 2.33870),
    "mairie13": ("paris", "Mairie du 13e arrondissement", "1 place d'Italie, 75013 Paris", 48.83110, 2.35560),
    "biocitech": ("paris", "Pépinière Villejuif Bio Park", "1 mail du Professeur Georges-Mathé, 94800 Villejuif", 48.79460, 2.35130),
    # San Francisco
    "pulsar-sf": ("san-francisco", "Pulsar MedTech SF", "1450 Owens St, Mission Bay, San Francisco, CA 94158", 37.76802, -122.39351),
    "bicm": ("san-francisco", "BICM – Helix Hall, Room 210", "455 Mission Bay Blvd S, San Francisco, CA 94158", 37.77051, -122.39148),
    "bicm-250": ("san-francisco", "BICM – Helix Hall, Room 250", "455 Mission Bay Blvd S, San Francisco, CA 94158", 37.77051, -122.39148),
    "bicm-aud": ("san-francisco", "BICM – Helix Auditorium", "455 Mission Bay Blvd S, San Francisco, CA 94158", 37.77051, -122.39148),
    "mbh": ("san-francisco", "Mission Bay Hospital – Digital Health Lab", "Pavilion C, 1825 4th St, San Francisco, CA 94158", 37.76648, -122.38903),
    "mbh-aud": ("san-francisco", "Mission Bay Hospital – Byers Auditorium", "1825 4th St, San Francisco, CA 94158", 37.76648, -122.38903),
    "presidio": ("san-francisco", "Presidio Innovation Hall", "1 Letterman Dr, Presidio, San Francisco, CA 94129", 37.79903, -122.44898),
    "soma": ("san-francisco", "The Foundry SoMa", "555 Folsom St, San Francisco, CA 94105", 37.78651, -122.39649),
    "dogpatch": ("san-francisco", "Dogpatch Bio Commons", "2505 3rd St, San Francisco, CA 94107", 37.75752, -122.38802),
    "cityhall-sf": ("san-francisco", "San Francisco City Hall, Room 416", "1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102", 37.77930, -122.41930),
    "maison-fr": ("san-francisco", "Maison franco-américaine", "260 Townsend St, San Francisco, CA 94107", 37.77751, -122.39502),
    "mission-hub": ("san-francisco", "Mission Health Hub", "2145 Mission St, San Francisco, CA 94110", 37.76253, -122.41951),
    "library-sf": ("san-francisco", "SF Main Library – Koret Auditorium", "100 Larkin St, San Francisco, CA 94102", 37.77902, -122.41593),
    "embarcadero": ("san-francisco", "Pier 27 Conference Center", "Pier 27, The Embarcadero, San Francisco, CA 94111", 37.80530, -122.40300),
}


def venue_text(key, style="full"):
    city, name, addr, lat, lon = VENUES[key]
    if style == "name":
        return name
    if style == "addr":
        return addr
    return "%s, %s" % (name, addr)


# --------------------------------------------------------------------------- model
def local(city, s):
    """'MM-DD HH:MM' (or 'MM-DD') in YEAR -> naive datetime / date."""
    if " " in s:
        d, t = s.split()
        m, day = map(int, d.split("-"))
        hh, mm = map(int, t.split(":"))
        return dt.datetime(YEAR, m, day, hh, mm)
    m, day = map(int, s.split("-"))
    return dt.date(YEAR, m, day)


def aware(city, naive):
    return naive.replace(tzinfo=ZONES[city])


def iso_z(a):
    return a.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


CLUSTERS = []
CL = {}
LINKS = []


class Cluster:
    def __init__(self, cid, city, when, title, venue, dur=90, lang="fr", note="", tags=(), days=1):
        assert cid not in CL, cid
        self.id, self.city, self.title, self.venue, self.dur, self.lang = cid, city, title, venue, dur, lang
        self.note, self.tags = note, set(tags)
        self.days = days
        v = local(city, when)
        if isinstance(v, dt.datetime):
            self.start_local, self.allday = v, False
        else:
            self.start_local, self.allday = v, True
        self.srcs = []
        self.series = None
        if venue:
            assert VENUES[venue][0] == city, (cid, venue)
        CLUSTERS.append(self)
        CL[cid] = self

    # instants
    def start_aware(self):
        return aware(self.city, self.start_local)


class Src:
    """One source VEVENT (a series master carries its overrides)."""

    def __init__(self, cl, feed, title, lang, venue, loc, start, end, allday, mode, zone, status,
                 uid, desc, role="single", inst=None, geo=None, url=None, extra=None):
        self.cl, self.feed, self.title, self.lang = cl, feed, title, lang
        self.venue, self.loc = venue, loc
        self.start, self.end, self.allday = start, end, allday  # aware datetimes or dates
        self.mode, self.zone, self.status = mode, zone, status
        self.uid, self.desc, self.role, self.inst, self.geo, self.url = uid, desc, role, inst, geo, url
        self.extra = extra or {}


# ---- uid factories
_used_uids = defaultdict(set)
_ai1ec = [4100]
_tecpost = [8800]


def new_uid(feed, start=None, end=None):
    style = FEED[feed]["style"]
    while True:
        if style == "google":
            u = "".join(rng.choice("0123456789abcdefghijklmnopqrstuv") for _ in range(26)) + "@google.com"
        elif style == "outlook":
            u = ("040000008200E00074C5B7101A82E00800000000" + "%016X" % rng.getrandbits(64)
                 + "01000000000000000010000000" + "%032X" % rng.getrandbits(128))
        elif style == "apple":
            u = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
        elif style == "nextcloud":
            u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        elif style == "meetup":
            u = "event_%d@meetup.com" % rng.randint(296000000, 312999999)
        elif style == "tec":
            _tecpost[0] += rng.randint(3, 40)
            s = int(start.replace(tzinfo=UTC).timestamp()) if isinstance(start, dt.datetime) else 0
            e = int(end.replace(tzinfo=UTC).timestamp()) if isinstance(end, dt.datetime) else 0
            u = "%d-%d-%d@localhost" % (_tecpost[0], s, e)
        elif style == "ai1ec":
            _ai1ec[0] += rng.randint(1, 9)
            u = "ai1ec-%d@localhost" % _ai1ec[0]
        elif style == "aggregator":
            u = "bahbe-%010x@bayhealthbio.events" % rng.getrandbits(40)
        else:
            raise ValueError(style)
        if u not in _used_uids[feed]:
            _used_uids[feed].add(u)
            return u


def claim_uid(feed, u):
    assert u not in _used_uids[feed], (feed, u)
    _used_uids[feed].add(u)
    return u


DEFAULT_MODE = {"google": "utc", "outlook": "tz", "apple": "tz", "nextcloud": "tz", "meetup": "utc",
                "tec": "float", "ai1ec": "float", "aggregator": "utc"}


def add(cl, feed, title=None, lang=None, venue="*", loc=None, off=0, allday=False, days=None, status=None,
        mode=None, zone=None, uid=None, desc=None, geo=None, start=None, dur=None, url=None, role="single",
        inst=None, tags=(), extra=None):
    """Add one appearance of cluster `cl` in `feed`."""
    style = FEED[feed]["style"]
    if title is None:
        title = cl.title
        lang = lang or cl.lang
    lang = lang or cl.lang
    if venue == "*":
        venue = cl.venue
    if loc is None and venue:
        loc = venue_text(venue)
    mode = mode or DEFAULT_MODE[style]
    if mode == "float":
        assert style in FLOATING_STYLES, (feed, cl.id)
    zone = zone or cl.city
    if cl.allday or allday:
        d0 = cl.start_local if cl.allday else cl.start_local.date()
        if start:
            d0 = local(cl.city, start)
        n = days or cl.days
        s, e, ad = d0, d0 + dt.timedelta(days=n), True
    else:
        naive = local(cl.city, start) if start else cl.start_local
        naive = naive + dt.timedelta(minutes=off)
        s = aware(cl.city, naive)
        e = s + dt.timedelta(minutes=dur or cl.dur)
        ad = False
    if uid is None:
        sw = s.astimezone(ZONES[cl.city]).replace(tzinfo=None) if not ad else None
        ew = e.astimezone(ZONES[cl.city]).replace(tzinfo=None) if not ad else None
        uid = new_uid(feed, sw, ew)
    else:
        uid = claim_uid(feed, uid)
    if geo is None:
        geo = style in ("meetup", "apple") and bool(venue)
    src = Src(cl, feed, title, lang, venue, loc, s, e, ad, mode, zone, status, uid, desc, role=role,
              inst=inst, geo=geo, url=url, extra=extra)
    cl.srcs.append(src)
    cl.tags.update(tags)
    return src


def link(a, b, why, kind):
    LINKS.append((a, b, why, kind))


# --------------------------------------------------------------------------- series
WD = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def expand(start_local, freq, byday, count=None, until=None, interval=1, nth=None):
    """Naive local occurrences (wall clock) of a simple WEEKLY/MONTHLY rule."""
    out = []
    if freq == "WEEKLY":
        assert start_local.weekday() == WD[byday]
        cur = start_local
        while True:
            if until is not None and cur > until:
                break
            out.append(cur)
            if count is not None and len(out) >= count:
                break
            cur = cur + dt.timedelta(weeks=interval)
    elif freq == "MONTHLY":
        y, m = start_local.year, start_local.month
        while True:
            first = dt.date(y, m, 1)
            delta = (WD[byday] - first.weekday()) % 7
            day = first + dt.timedelta(days=delta + 7 * (nth - 1))
            cur = dt.datetime.combine(day, start_local.time())
            if cur >= start_local:
                if until is not None and cur > until:
                    break
                out.append(cur)
                if count is not None and len(out) >= count:
                    break
            m += interval
            while m > 12:
                m -= 12
                y += 1
        assert out[0] == start_local
    return out


def series(cl, freq, byday, count=None, until=None, interval=1, nth=None, exdates=(), moved=None, cancelled=()):
    """Attach a recurrence to cluster cl (dates 'MM-DD HH:MM' local in cl.city)."""
    until_n = local(cl.city, until) if until else None
    occ = expand(cl.start_local, freq, byday, count, until_n, interval, nth)
    ex = [local(cl.city, x) for x in exdates]
    for x in ex:
        assert x in occ, (cl.id, x)
    mv = {local(cl.city, k): local(cl.city, v) for k, v in (moved or {}).items()}
    for k in mv:
        assert k in occ and k not in ex, (cl.id, k)
    cc = [local(cl.city, x) for x in cancelled]
    for x in cc:
        assert x in occ and x not in ex, (cl.id, x)
    parts = ["FREQ=" + freq]
    if interval != 1:
        parts.append("INTERVAL=%d" % interval)
    parts.append("BYDAY=" + ("%d" % nth if nth else "") + byday)
    cl.series = dict(freq=freq, byday=byday, nth=nth, interval=interval, count=count, until=until_n,
                     occ=occ, exdates=ex, moved=mv, cancelled=cc, rule_parts=parts)
    cl.tags.add("recurring")
    if ex:
        cl.tags.add("exdate")
    if mv:
        cl.tags.add("moved-instance")
    if cc:
        cl.tags.add("cancelled-instance")
    return cl


def master(cl, feed, **kw):
    return add(cl, feed, role="master", **kw)


def copy_series(cl, feed, keep_exdate=False, **kw):
    s = add(cl, feed, role="copy", **kw)
    s.extra["keep_exdate"] = keep_exdate
    cl.tags.add("series-copied-as-series")
    return s


def instance(cl, feed, orig, title, lang=None, **kw):
    """Stand-alone copy of one occurrence (orig 'MM-DD HH:MM' original local start)."""
    o = local(cl.city, orig)
    assert o in cl.series["occ"] and o not in cl.series["exdates"], (cl.id, orig)
    newstart = cl.series["moved"].get(o, o)
    s = add(cl, feed, title=title, lang=lang, start=newstart.strftime("%m-%d %H:%M"), role="instance",
            inst=o, **kw)
    cl.tags.add("series-instances-elsewhere")
    return s


# =========================================================================== content
P, SF = "paris", "san-francisco"
PUL, BIC, ILB, MBH, MEE, CTY, AGD, AGG = ("paris-pulsar", "sf-bicm", "paris-ilab", "sf-mbh-lab", "paris-meetup",
                                          "sf-cityhall", "paris-agenda", "sf-aggregator")


def scenarios():
    # ------------------------------------------------------------ Pulsar MedTech programme (both cities)
    c = Cluster("pulsar-kickoff-paris", P, "01-19 18:30", "Lancement de la cohorte Pulsar 2027", "pulsar", dur=150,
                note="Cohort launch in Paris; English title on Meetup, 'Pulsar MedTech –' prefix and HTML entity in "
                     "the agenda. Linked to the San Francisco kickoff of the same cohort a week later.",
                tags=["title-prefix", "html-entities"])
    add(c, PUL, desc="Soirée de lancement de la cohorte 2027 : présentation des 14 startups, des mentors et du "
                     "programme d'immersion à San Francisco.")
    add(c, MEE, "Pulsar MedTech: 2027 Cohort Launch Night", "en", off=30)
    add(c, AGD, "Pulsar MedTech – Lancement de la cohorte 2027", "fr")

    c = Cluster("pulsar-kickoff-sf", SF, "01-26 17:30", "Pulsar Cohort 2027 Kickoff — San Francisco", "pulsar-sf",
                dur=150, lang="en",
                note="SF kickoff listed by the Paris accelerator feed in French with TZID America/Los_Angeles and an "
                     "SF address (941xx); 17:30 PST is the next day in UTC. Floating in the SF city-hall feed.",
                tags=[])
    add(c, PUL, "Lancement de la cohorte 2027 (San Francisco)", "fr", mode="tz",
        desc="Lancement côté San Francisco de la cohorte 2027, avec les partenaires cliniques de Mission Bay.")
    add(c, AGG, "Pulsar MedTech Cohort Kickoff (SF)", "en")
    add(c, CTY, "Pulsar MedTech 2027 cohort kickoff", "en", tags=["title-case"])
    link("pulsar-kickoff-paris", "pulsar-kickoff-sf",
         "kickoff of the same Pulsar 2027 cohort, held in Paris then in San Francisco", "two-city programme")

    c = Cluster("pulsar-demoday-paris", P, "06-10 14:00", "Demo Day Pulsar 2027 — Paris", "halle-biotech", dur=240,
                note="Paris Demo Day in 4 feeds, including the SF aggregator (UTC) in English. Same afternoon as the "
                     "i-Lab incubator Demo Day (different event). Linked to the SF Demo Day a week later.",
                tags=["venue-appended"])
    add(c, PUL)
    add(c, MEE, "Pulsar MedTech Demo Day — Paris", "en")
    add(c, AGD, "Demo Day Pulsar MedTech 2027 @ Halle Biotech", "fr")
    add(c, AGG, "Pulsar MedTech Demo Day (Paris edition)", "en")

    c = Cluster("ilab-demoday", P, "06-10 16:30", "Demo Day de l'incubateur Sainte-Aurélie", "ilab-amphi", dur=120,
                note="Second Demo Day in Paris the same afternoon (hospital incubator): must not merge with the "
                     "Pulsar Demo Day, and is not linked to anything.",
                tags=["hard-negative", "two-demo-days-one-day"])
    add(c, ILB)
    add(c, AGD, "Demo Day – incubateur de l'hôpital Sainte-Aurélie", "fr")

    c = Cluster("pulsar-demoday-sf", SF, "06-17 10:00", "Pulsar Demo Day San Francisco 2027", "embarcadero", dur=240,
                lang="en",
                note="SF Demo Day: French title with TZID America/Los_Angeles in the Paris programme feed. "
                     "BioBridge holds another Demo Day in SF the same day (not the same event).",
                tags=[])
    add(c, PUL, "Demo Day Pulsar 2027 — San Francisco", "fr", mode="tz")
    add(c, CTY, "Pulsar MedTech Demo Day", "en")
    add(c, AGG, "Pulsar MedTech Demo Day SF @ Pier 27", "en", tags=["venue-appended"])
    link("pulsar-demoday-paris", "pulsar-demoday-sf", "Pulsar 2027 Demo Day held in Paris and in San Francisco",
         "two-city programme")

    c = Cluster("biobridge-demoday", SF, "06-17 14:30", "BioBridge Accelerator Demo Day", "dogpatch", dur=180,
                lang="en",
                note="Other accelerator's Demo Day in SF the same day as Pulsar's: not a duplicate, not linked to "
                     "the Paris Demo Day.",
                tags=["hard-negative", "link-negative", "two-demo-days-one-day"])
    add(c, CTY, "BioBridge Demo Day — Spring 2027 cohort", "en")
    add(c, AGG)

    # FDA office hours in SF (series in the Paris feed, talk titles in the aggregator)
    c = Cluster("pulsar-fda-office-hours", SF, "03-02 09:00", "Pulsar Regulatory Office Hours (FDA)", "pulsar-sf",
                dur=60, lang="en",
                note="Weekly SF series published by the PARIS programme feed (Google, TZID America/Los_Angeles, "
                     "French title). EXDATE Mar 30, Mar 16 moved to Wed Mar 17, Apr 6 cancelled. The SF aggregator "
                     "publishes four weeks as stand-alone talks (UTC, moved one at its new time); the city-hall feed "
                     "still lists the cancelled Apr 6 session (floating). Spans US (Mar 14) and EU (Mar 28) DST.",
                tags=["cancelled-in-some-sources-only"])
    series(c, "WEEKLY", "TU", count=7, exdates=["03-30 09:00"], moved={"03-16 09:00": "03-17 09:00"},
           cancelled=["04-06 09:00"])
    master(c, PUL, title="Permanence réglementaire FDA (San Francisco)", lang="fr", mode="tz",
           desc="Permanence hebdomadaire avec un ancien reviewer de la FDA, au bureau Pulsar de Mission Bay.")
    instance(c, AGG, "03-09 09:00", "FDA Office Hours: 510(k) or De Novo for software devices?", "en")
    instance(c, AGG, "03-16 09:00", "FDA Office Hours: Predetermined Change Control Plans (PCCP)", "en")
    instance(c, AGG, "03-23 09:00", "FDA Office Hours: cybersecurity in premarket submissions", "en")
    instance(c, AGG, "04-13 09:00", "FDA Office Hours: the Breakthrough Devices Program", "en")
    instance(c, CTY, "04-06 09:00", "Office hours: FDA pathways for digital health startups (Pulsar MedTech)", "en")

    c = Cluster("pulsar-mdr-office-hours", P, "03-02 10:00", "Permanence réglementaire marquage CE (MDR)", "pulsar",
                dur=60,
                note="Paris weekly series on the same weekday and topic as the SF FDA office hours: NOT the same "
                     "series and not linked. The agenda copies the whole series as its own floating RRULE (other UID), "
                     "without the EXDATE (Apr 6) and without the cancelled Mar 23 session.",
                tags=["hard-negative", "link-negative", "same-topic-other-city"])
    series(c, "WEEKLY", "TU", count=7, exdates=["04-06 10:00"], cancelled=["03-23 10:00"])
    master(c, PUL, mode="tz")
    copy_series(c, AGD, title="Permanence réglementaire – marquage CE (MDR)", lang="fr", tags=["title-punctuation"])

    # Immersion week in SF (Oct 4-8)
    c = Cluster("pulsar-visit-mbh", SF, "10-05 10:00", "Pulsar startups visit the Digital Health Lab", "mbh",
                dur=120, lang="en", note="Immersion-week visit in SF; French title in the Paris feed (TZID LA).",
                tags=[])
    add(c, PUL, "Immersion SF : visite du Digital Health Lab de Mission Bay Hospital", "fr", mode="tz")
    add(c, MBH)

    c = Cluster("pulsar-bicm-fda-workshop", SF, "10-06 14:00", "Pulsar × BICM workshop: FDA & clinical evidence",
                "bicm", dur=150, lang="en",
                note="SF workshop written by the Paris feed in TZID Europe/Paris (23:00 Paris time) with an SF "
                     "address: the zone is not the place.",
                tags=["written-in-other-city-zone"])
    add(c, PUL, "Atelier preuves cliniques & FDA avec le BICM", "fr", mode="tz", zone=P)
    add(c, BIC)
    add(c, AGG, "Workshop: Clinical Evidence & FDA (Pulsar MedTech x BICM)", "en")

    c = Cluster("pulsar-welcome-reception", SF, "10-07 18:30", "Welcome reception for the Paris medtech delegation",
                "maison-fr", dur=150, lang="en",
                note="Evening reception in SF (01:30 UTC next day); French title in the Paris feed.", tags=[])
    add(c, PUL, "Soirée d'accueil de la délégation Pulsar à San Francisco", "fr", mode="tz")
    add(c, CTY)
    add(c, AGG, "French MedTech Delegation — Welcome Reception", "en")

    c = Cluster("pulsar-investor-day-sf", SF, "10-08 09:00", "Pulsar Investor Day San Francisco", "soma", dur=480,
                lang="en", note="Timed in the Paris feed (TZID LA), all-day in the aggregator. Another investor forum "
                                "runs the same morning in SF (different event).",
                tags=[])
    add(c, PUL, "Journée investisseurs Pulsar — San Francisco", "fr", mode="tz")
    add(c, AGG, "Pulsar MedTech Investor Day", "en", allday=True)

    c = Cluster("presidio-investor-forum", SF, "10-08 09:00", "Digital Health Investor Forum", "presidio", dur=420,
                lang="en", note="Similar event, same time, same city as the Pulsar Investor Day: keep apart.",
                tags=["hard-negative", "same-time-same-city"])
    add(c, CTY)
    add(c, AGG, "Digital Health Investor Forum 2027", "en")

    c = Cluster("ilab-petit-dej", P, "04-20 08:30", "Petit-déjeuner santé numérique", "ilab", dur=90,
                note="Two 'Petit-déjeuner santé numérique' at 08:30 the same day in Paris (i-Lab and Pulsar): keep "
                     "apart; the agenda lists both with near-identical titles.",
                tags=["hard-negative", "same-time-same-city"])
    add(c, ILB)
    add(c, AGD, "Petit-déjeuner santé numérique (i-Lab Sainte-Aurélie)", "fr", tags=["venue-appended"])

    c = Cluster("pulsar-petit-dej", P, "04-20 08:30", "Petit-déjeuner santé numérique — investisseurs & cliniciens",
                "pulsar", dur=90, note="See ilab-petit-dej.", tags=["hard-negative", "same-time-same-city"])
    add(c, PUL)
    add(c, AGD, "Petit-déjeuner santé numérique @ Pulsar MedTech", "fr", tags=["venue-appended"])

    # ------------------------------------------------------------ BICM (SF research institute)
    c = Cluster("bicm-seminar", SF, "02-24 12:00", "BICM Computational Medicine Seminar", "bicm", dur=60, lang="en",
                note="Weekly Outlook series (Pacific Standard Time): EXDATE Mar 31, Mar 17 moved to Thu Mar 18 "
                     "(Room 250), Apr 14 cancelled. The aggregator re-publishes four weeks under the talk titles "
                     "(UTC; the cancelled Apr 14 still confirmed there); the PARIS agenda lists two weeks in French "
                     "in SF wall-clock floating time (zone-less feed). Spans US and EU DST changes.",
                tags=["cancelled-in-some-sources-only"])
    series(c, "WEEKLY", "WE", count=9, exdates=["03-31 12:00"], moved={"03-17 12:00": "03-18 12:00"},
           cancelled=["04-14 12:00"])
    c.series["moved_venue"] = "bicm-250"
    master(c, BIC, desc="Weekly seminar of the Bay Institute for Computational Medicine. Lunch provided.")
    instance(c, AGG, "02-24 12:00", "Maya Okonkwo — Federated learning across hospital EHRs (BICM Seminar)", "en")
    instance(c, AGG, "03-10 12:00", "BICM Seminar: Daniel Reyes on causal ML for sepsis early warning", "en")
    instance(c, AGG, "03-17 12:00", "Seminar — Priya Natarajan: foundation models for pathology slides", "en")
    instance(c, AGG, "04-14 12:00", "BICM Seminar | Tomás Ibarra: wearables and atrial fibrillation screening", "en")
    instance(c, AGD, "03-03 12:00", "Séminaire BICM (San Francisco, en ligne) : modèles de langage et comptes "
                                    "rendus cliniques", "fr", venue=None, loc="En ligne – BICM, San Francisco")
    instance(c, AGD, "03-24 12:00", "Séminaire en ligne du BICM : jumeaux numériques en cardiologie", "fr",
             venue=None, loc="En ligne (depuis San Francisco)")

    c = Cluster("bicm-phd-defense-mar", SF, "03-10 15:00", "PhD Defense: Ana Whitfield — Uncertainty in clinical "
                "risk scores", "bicm-250", dur=120, lang="en",
                note="Same day and building as a seminar week, different event.", tags=["hard-negative"])
    add(c, BIC)
    add(c, AGG, "PhD defense – Ana Whitfield (BICM)", "en")

    c = Cluster("bicm-summit", SF, "03-16 08:30", "BICM Digital Health Summit 2027", "bicm-aud", dur=540, lang="en",
                note="Summit day: timed in BICM, all-day in the aggregator, 30 min late in the city-hall feed "
                     "(BICM wins). The keynote is a separate event.",
                tags=[])
    add(c, BIC)
    add(c, CTY, "Digital Health Summit 2027 (BICM)", "en", off=30)
    add(c, AGG, "BICM Digital Health Summit", "en", allday=True)

    c = Cluster("bicm-summit-keynote", SF, "03-16 09:00", "Summit keynote: Trustworthy AI at the bedside", "bicm-aud",
                dur=60, lang="en",
                note="Keynote inside the summit (DST gap week: 09:00 PDT = 17:00 Paris). Relayed by a watch party in "
                     "Paris.", tags=[])
    add(c, BIC, "BICM Summit Keynote — Trustworthy AI at the Bedside (Dr. Naomi Achterberg)", "en")
    add(c, AGG, "Keynote: Trustworthy AI at the Bedside", "en")

    c = Cluster("paris-watch-party", P, "03-16 17:00", "Retransmission en direct : keynote du BICM Digital Health "
                "Summit", "tremplin", dur=90,
                note="Paris watch party of the SF keynote: French title floating in the zone-less agenda, English "
                     "on Meetup (UTC). DST gap week. Linked to the keynote.",
                tags=[])
    add(c, AGD, desc="Retransmission sur grand écran de la keynote « L'IA de confiance au chevet du patient », "
                     "en direct de San Francisco, suivie d'un échange.")
    add(c, MEE, "Watch party: BICM Summit keynote live from San Francisco", "en")
    link("bicm-summit-keynote", "paris-watch-party", "Paris watch party livestreams the BICM summit keynote",
         "watch party")

    c = Cluster("bicm-lutece-causal", P, "04-15 09:30", "Atelier BICM–Lutèce : inférence causale sur données "
                "médico-administratives", "lutece", dur=390,
                note="Paris workshop listed by the SF institute in English (Romance Standard Time).", tags=[])
    add(c, BIC, "BICM–Lutèce Workshop: Causal Inference on Claims Data (Paris)", "en")
    add(c, AGD)

    c = Cluster("bicm-saclay-imaging", P, "06-03 09:00", "Atelier conjoint IA & imagerie médicale (Paris-Saclay)",
                "saclay", dur=480,
                note="Saclay workshop written by the SF Outlook feed in Pacific Standard Time (00:00!), address "
                     "91190 Gif-sur-Yvette; also in the SF aggregator (UTC).",
                tags=["written-in-other-city-zone"])
    add(c, BIC, "Joint Workshop on Medical Imaging AI — Paris-Saclay", "en", zone=SF,
        loc="Campus Paris-Saclay, Bréguet building, 3 rue Joliot-Curie, 91190 Gif-sur-Yvette, France")
    add(c, AGD)
    add(c, AGG, "Medical Imaging AI Joint Workshop (Saclay, France)", "en")

    c = Cluster("bicm-visit-ilab", P, "09-21 14:00", "Visite de la délégation du BICM à l'i-Lab", "ilab", dur=120,
                note="Paris visit in the SF Outlook feed (English, Romance Standard Time).", tags=[])
    add(c, ILB)
    add(c, BIC, "BICM delegation visit: Sainte-Aurélie i-Lab (Paris 14e)", "en")

    c = Cluster("bicm-thesis-defense", P, "11-03 14:00", "Soutenance de thèse en cotutelle BICM–Lutèce : Léa "
                "Fontanel", "lutece-pare", dur=180,
                note="Paris defense in the EU/US DST gap week, written by the SF feed in Pacific Standard Time "
                     "(06:00) with an English title; floating Paris time in the agenda.",
                tags=["written-in-other-city-zone"])
    add(c, BIC, "PhD Defense (joint degree): Léa Fontanel — Federated survival models for multi-site cohorts",
        "en", zone=SF)
    add(c, AGD, "Soutenance de thèse – Léa Fontanel (cotutelle Lutèce / BICM)", "fr")

    c = Cluster("bicm-defense-sf-nov", SF, "11-03 10:00", "PhD Defense: Marcus Oyelaran — Causal ML for ICU "
                "readmissions", "bicm-250", dur=120, lang="en",
                note="Another PhD defense the same day (in SF): not the Paris cotutelle defense.",
                tags=["hard-negative"])
    add(c, BIC)
    add(c, AGG, "PhD Defense — Marcus Oyelaran", "en")

    # Lutèce seminar series (Paris) with talks in the SF feed
    c = Cluster("lutece-seminar", P, "02-25 17:30", "Séminaire Données & Santé — Université Lutèce", "lutece",
                dur=90,
                note="Bi-weekly Paris seminar (Apple, TZID Europe/Paris): EXDATE Apr 22, May 6 (Ascension) moved to "
                     "Wed May 5, Apr 8 cancelled. The SF institute lists three sessions as English talks written "
                     "in Pacific Standard Time (08:30/09:30 depending on the DST gap); the agenda lists two in "
                     "French (the cancelled one still confirmed); Meetup one in English (UTC).",
                tags=["cancelled-in-some-sources-only"])
    series(c, "WEEKLY", "TH", count=7, interval=2, exdates=["04-22 17:30"], moved={"05-06 17:30": "05-05 17:30"},
           cancelled=["04-08 17:30"])
    master(c, ILB)
    instance(c, BIC, "03-11 17:30", "Lutèce Data & Health Seminar (Paris, streamed): Hélène Marchetti — Linking "
                                    "national claims data with hospital data warehouses", "en", zone=SF)
    instance(c, BIC, "03-25 17:30", "Lutèce Data & Health Seminar (Paris): Karim Benali — Synthetic data for rare "
                                    "disease registries", "en", zone=SF)
    instance(c, BIC, "05-06 17:30", "Lutèce seminar, Paris — Claire Vasseur: Regulating adaptive AI medical "
                                    "devices", "en", zone=SF)
    instance(c, AGD, "02-25 17:30", "Séminaire : entrepôts de données de santé hospitaliers, retour d'expérience",
             "fr")
    instance(c, AGD, "04-08 17:30", "Séminaire Données & Santé : consentement et réutilisation des données", "fr")
    instance(c, MEE, "05-20 17:30", "Data & Health Seminar: open-source tools for clinical NLP", "en")

    # ------------------------------------------------------------ i-Lab Sainte-Aurélie (Paris hospital lab)
    c = Cluster("ilab-atelier-ia-gen", P, "02-09 14:00", "Atelier IA générative en radiologie", "ilab", dur=120,
                note="Near-duplicate title of the 16:30 'Atelier IA responsable en radiologie' (one word differs).",
                tags=["hard-negative", "near-duplicate-title"])
    add(c, ILB)
    add(c, AGD, "Atelier IA generative en radiologie", "fr", tags=["accents"])

    c = Cluster("ilab-atelier-ia-resp", P, "02-09 16:30", "Atelier IA responsable en radiologie", "ilab", dur=120,
                note="See ilab-atelier-ia-gen.", tags=["hard-negative", "near-duplicate-title"])
    add(c, ILB)
    add(c, AGD, "Atelier IA responsable en radiologie – i-Lab Sainte-Aurélie", "fr", tags=["venue-appended"])

    c = Cluster("mbh-genai-radiology", SF, "02-11 12:00", "Generative AI in Radiology — hands-on workshop", "mbh",
                dur=90, lang="en", note="Same topic as the Paris i-Lab workshop two days earlier: not linked.",
                tags=["link-negative", "same-topic-other-city"])
    add(c, MBH)
    add(c, AGG, "Hands-on: Generative AI in Radiology (MBH)", "en")

    c = Cluster("ilab-pecan-panel", P, "03-23 18:00", "Table ronde : prise en charge anticipée des dispositifs "
                "numériques (PECAN)", "ilab-amphi", dur=120,
                note="Cancelled in the i-Lab feed only; still confirmed in the agenda and on Meetup (English).",
                tags=["cancelled-in-some-sources-only"])
    add(c, ILB, status="CANCELLED")
    add(c, MEE, "Panel: early reimbursement of digital medical devices in France (PECAN)", "en")
    add(c, AGD, "Table ronde PECAN – prise en charge anticipée des DM numériques", "fr")

    c = Cluster("ilab-sf-residency", SF, "09-27", "Résidence de l'i-Lab Sainte-Aurélie à San Francisco", "mbh",
                days=5, note="Five-day residency in SF, all-day in both feeds (Paris Apple feed with SF structured "
                             "location).", tags=[])
    add(c, ILB)
    add(c, MBH, "Sainte-Aurélie i-Lab residency at MBH", "en")

    c = Cluster("ilab-sf-talk", SF, "09-29 16:00", "Talk: AI for Healthcare — Paris & San Francisco perspectives",
                "mbh-aud", dur=90, lang="en",
                note="SF talk: the Paris Apple feed writes it in TZID Europe/Paris (01:00 on Sep 30!) with an SF "
                     "structured location; the Paris agenda in SF floating wall-clock (16:00); real translations.",
                tags=["written-in-other-city-zone"])
    add(c, ILB, "Conférence : l'IA au service de la santé, regards croisés Paris–San Francisco", "fr", zone=P)
    add(c, MBH)
    add(c, AGD, "Conférence (San Francisco) : l'IA au service de la santé", "fr", venue=None,
        loc="Mission Bay Hospital, San Francisco (Californie)")
    add(c, AGG, "AI for Healthcare: Paris & SF Perspectives", "en")

    c = Cluster("ilab-patients", P, "01-13 14:00", "Atelier patients-partenaires", "ilab", dur=120,
                note="Monthly (2nd Wednesday) i-Lab series: EXDATE May 12, Apr 14 moved to Thu Apr 15, Jun 9 "
                     "cancelled. The agenda publishes three months under their session titles (floating), Meetup "
                     "the first one in English (UTC).",
                tags=[])
    series(c, "MONTHLY", "WE", count=6, nth=2, exdates=["05-12 14:00"], moved={"04-14 14:00": "04-15 14:00"},
           cancelled=["06-09 14:00"])
    master(c, ILB)
    instance(c, MEE, "01-13 14:00", "Patient partners workshop: designing digital tools with patients", "en")
    instance(c, AGD, "02-10 14:00", "Patients-partenaires : co-concevoir une appli de suivi post-opératoire", "fr")
    instance(c, AGD, "03-10 14:00", "Atelier patients-partenaires – télésurveillance en oncologie", "fr")
    instance(c, AGD, "04-14 14:00", "Patients partenaires & IA : quelles garanties ?", "fr")

    # ------------------------------------------------------------ Mission Bay Hospital lab (SF)
    c = Cluster("mbh-grand-rounds", SF, "10-15 08:00", "MBH Digital Health Grand Rounds", "mbh-aud", dur=60,
                lang="en",
                note="Weekly Nextcloud series (Fri 08:00 PT): EXDATE Oct 29, Nov 12 moved to Thu Nov 11, Nov 19 "
                     "cancelled. The PARIS i-Lab feed lists three sessions under French talk titles written in TZID "
                     "Europe/Paris (17:00, then 16:00 in the Oct 31-Nov 6 gap week); the aggregator lists two in UTC "
                     "(the cancelled Nov 19 still confirmed).",
                tags=["cancelled-in-some-sources-only"])
    series(c, "WEEKLY", "FR", count=6, exdates=["10-29 08:00"], moved={"11-12 08:00": "11-11 08:00"},
           cancelled=["11-19 08:00"])
    master(c, MBH)
    instance(c, ILB, "10-22 08:00", "Grand Rounds MBH (visio) : télésurveillance de l'insuffisance cardiaque", "fr",
             zone=P, loc="Visioconférence – Mission Bay Hospital, San Francisco")
    instance(c, ILB, "11-05 08:00", "Grand Rounds MBH : IA et triage aux urgences", "fr", zone=P,
             loc="Visioconférence – Mission Bay Hospital, San Francisco")
    instance(c, ILB, "11-12 08:00", "Grand Rounds MBH : santé numérique et équité d'accès aux soins", "fr", zone=P,
             loc="Visioconférence – Mission Bay Hospital, San Francisco")
    instance(c, AGG, "10-15 08:00", "Grand Rounds: hospital-at-home programs that work", "en")
    instance(c, AGG, "11-19 08:00", "Grand Rounds — closing the loop on patient-reported outcomes", "en")

    c = Cluster("mbh-office-hours", SF, "01-07 16:00", "Digital Health Lab Office Hours", "mbh", dur=90, lang="en",
                note="Weekly series with a cancelled Feb 11 session; the city-hall feed copies the whole series as "
                     "its own floating RRULE (other UID, without the cancellation).",
                tags=[])
    series(c, "WEEKLY", "TH", count=8, cancelled=["02-11 16:00"])
    master(c, MBH)
    copy_series(c, CTY, title="Office Hours: Mission Bay Digital Health Lab", lang="en")

    c = Cluster("mbh-rpm-roundtable", SF, "05-13 16:00", "Remote Patient Monitoring Roundtable", "mbh", dur=90,
                lang="en", note="Cancelled only in the (least authoritative) aggregator: the event is cancelled.",
                tags=["cancelled-in-some-sources-only"])
    add(c, MBH)
    add(c, AGG, "RPM Roundtable @ Mission Bay Hospital", "en", status="CANCELLED", tags=["venue-appended"])

    # ------------------------------------------------------------ clinician-researcher exchange (two legs)
    c = Cluster("exchange-paris-week", P, "03-15 09:30", "Échange cliniciens-chercheurs 2027 : ouverture de la "
                "semaine parisienne", "ciup", dur=120,
                note="First leg of the exchange (Paris, DST gap week). Listed by the SF hospital feed in English "
                     "(TZID Europe/Paris), by the zone-less SF city-hall feed in Paris wall-clock time, and without "
                     "accents in the agenda. Linked to the SF leg six months later.",
                tags=["accents"])
    add(c, ILB)
    add(c, MBH, "Clinician-Researcher Exchange 2027 — Paris week opening", "en", zone=P, off=-30)
    add(c, CTY, "Clinician-Researcher Exchange: Paris week opening (SF delegation)", "en")
    add(c, AGD, "Echange cliniciens-chercheurs Paris–San Francisco : ouverture", "fr")

    c = Cluster("exchange-sf-week", SF, "09-13 09:00", "Clinician-Researcher Exchange 2027 — San Francisco week "
                "opening", "mbh-aud", dur=120, lang="en",
                note="Second leg (SF). French title in the Paris i-Lab feed (TZID LA) and in the Paris agenda "
                     "(SF wall-clock floating).", tags=[])
    add(c, ILB, "Échange cliniciens-chercheurs : ouverture de la semaine à San Francisco", "fr", zone=SF)
    add(c, MBH)
    add(c, AGD, "Échange cliniciens-chercheurs : semaine de San Francisco", "fr", venue=None,
        loc="Mission Bay Hospital, 1825 4th St, San Francisco")
    add(c, AGG)
    link("exchange-paris-week", "exchange-sf-week", "two legs of the 2027 clinician-researcher exchange, "
         "Paris in March and San Francisco in September", "exchange legs")

    c = Cluster("mbh-paris-visit", P, "03-18 10:00", "Accueil de la délégation de Mission Bay Hospital", "ilab",
                dur=120, note="Part of the Paris exchange week (Paris only, no link).", tags=[])
    add(c, ILB)
    add(c, MBH, "MBH delegation at Sainte-Aurélie i-Lab", "en", zone=P)

    # ------------------------------------------------------------ health data hackathon
    c = Cluster("hack-paris", P, "10-01 18:00", "Hackathon Données de Santé Paris–SF 2027 — site de Paris",
                "halle-biotech", dur=2880,
                note="Paris site of the bi-located hackathon: timed (Google UTC, Meetup UTC), all-day over 3 days in "
                     "the agenda. Starts at the same UTC instant as the SF site (16:00Z): linked, never merged.",
                tags=[])
    add(c, PUL)
    add(c, MEE, "Health Data Hackathon 2027 — Paris site", "en")
    add(c, AGD, "Hackathon données de santé 2027", "fr", allday=True, days=3)

    c = Cluster("hack-sf", SF, "10-01 09:00", "Health Data Hackathon Paris–SF 2027 — San Francisco site", "presidio",
                dur=2880, lang="en",
                note="SF site: TZID LA in the Paris programme feed, floating in city hall and in the PARIS agenda "
                     "(SF wall clock), all-day in the aggregator.", tags=[])
    add(c, PUL, "Hackathon Données de Santé — site de San Francisco", "fr", mode="tz")
    add(c, CTY, "Health Data Hackathon 2027 (Presidio)", "en", tags=["venue-appended"])
    add(c, AGD, "Hackathon données de santé – site de San Francisco (Presidio)", "fr")
    add(c, AGG, "Health Data Hackathon Paris-SF", "en", allday=True, days=3)
    link("hack-paris", "hack-sf", "the two simultaneous sites of the Paris–SF health data hackathon",
         "two-city programme")

    c = Cluster("hack-challenge-onco", P, "10-02 10:00", "Défi 1 : parcours de soins en oncologie", "halle-biotech",
                dur=180, note="Parallel challenge session, same venue and slot as Défi 2.",
                tags=["hard-negative", "parallel-session", "title-prefix"])
    add(c, PUL, "Hackathon – Défi 1 : parcours de soins en oncologie", "fr",
        loc="Halle Biotech – nef nord, 88 quai de la Rapée, 75012 Paris")
    add(c, AGD, loc="Halle Biotech (nef nord), 88 quai de la Rapée, 75012 Paris")

    c = Cluster("hack-challenge-diabete", P, "10-02 10:00", "Défi 2 : données de vie réelle en diabétologie",
                "halle-biotech", dur=180, note="Parallel challenge session, same venue and slot as Défi 1.",
                tags=["hard-negative", "parallel-session", "title-prefix"])
    add(c, PUL, "Hackathon – Défi 2 : données de vie réelle en diabétologie", "fr",
        loc="Halle Biotech – nef sud, 88 quai de la Rapée, 75012 Paris")
    add(c, AGD, loc="Halle Biotech (nef sud), 88 quai de la Rapée, 75012 Paris")

    c = Cluster("hack-closing-paris", P, "10-03 18:00", "Cérémonie de clôture du hackathon (duplex avec San "
                "Francisco)", "halle-biotech", dur=90,
                note="Paris side of the closing duplex (same instant as the SF side).", tags=[])
    add(c, PUL)
    add(c, AGD, "Clôture du hackathon en duplex avec San Francisco", "fr")

    c = Cluster("hack-closing-sf", SF, "10-03 09:00", "Hackathon closing ceremony — live duplex with Paris",
                "presidio", dur=90, lang="en",
                note="SF side of the duplex: English, floating SF time in city hall, UTC in the aggregator.",
                tags=[])
    add(c, CTY)
    add(c, AGG, "Health Data Hackathon: closing ceremony (duplex Paris–SF)", "en")
    link("hack-closing-paris", "hack-closing-sf", "closing ceremony held as a live duplex between the two sites",
         "duplex")

    c = Cluster("hack-2026-prizes", P, "01-14 18:30", "Remise des prix du Hackathon Données de Santé 2026", "hdv",
                dur=120, note="Previous edition's prize ceremony (held in January): not part of the 2027 hackathon.",
                tags=["hard-negative", "other-edition"])
    add(c, PUL)
    add(c, AGD, "Hackathon données de santé 2026 : remise des prix", "fr")

    c = Cluster("hack-info-paris", P, "09-08 18:30", "Hackathon données de santé 2027 : réunion d'information",
                "pulsar", dur=60, note="Info session (Paris).", tags=[])
    add(c, MEE, "Info session: Health Data Hackathon 2027", "en")
    add(c, AGD, off=15)

    # ------------------------------------------------------------ joint annual review
    c = Cluster("review-2026", P, "01-28 14:00", "Revue annuelle 2026 de l'Alliance Paris–SF Santé Numérique", "hdv",
                dur=180,
                note="The 2026 edition (reviewing 2026), held in Paris in January: NOT the 2027 review and not linked "
                     "to it. Zone-less SF city-hall feed lists it in Paris wall-clock time.",
                tags=["hard-negative", "other-edition", "link-negative"])
    add(c, PUL)
    add(c, CTY, "Paris–SF Digital Health Alliance: 2026 Annual Review (Paris)", "en")
    add(c, AGD, "Revue annuelle 2026 – Alliance Paris-SF Sante Numerique", "fr", tags=["accents"])

    c = Cluster("review-2027-paris", P, "06-24 09:30", "Revue annuelle 2027 de l'Alliance — volet parisien", "hdv",
                dur=240,
                note="Paris leg of the 2027 joint review, in 5 feeds (FR/EN, UTC, floating Paris time in the SF "
                     "city-hall feed). Linked to the SF leg in November.", tags=[])
    add(c, PUL)
    add(c, ILB, "Revue annuelle Alliance Paris–SF 2027 (Paris)", "fr")
    add(c, CTY, "Annual Review 2027 — Paris session (SF delegation)", "en")
    add(c, AGD, "Revue annuelle 2027 de l'Alliance – volet parisien", "fr")
    add(c, AGG, "Paris–SF Digital Health Alliance Annual Review 2027 — Paris session", "en")

    c = Cluster("review-2027-sf", SF, "11-04 09:00", "Paris–SF Digital Health Alliance Annual Review 2027 — San "
                "Francisco session", "cityhall-sf", dur=240, lang="en",
                note="SF leg of the 2027 review (DST gap week: 09:00 PDT = 17:00 Paris). The Paris programme feed "
                     "writes it in TZID Europe/Paris 17:00 with the SF City Hall address, the same instant as the "
                     "Paris relay at the Hôtel de Ville (a different event, linked).",
                tags=["written-in-other-city-zone"])
    add(c, PUL, "Revue annuelle 2027 — volet San Francisco", "fr", mode="tz", zone=P)
    add(c, BIC, "Alliance Annual Review 2027 (SF session)", "en")
    add(c, MBH)
    add(c, AGG)
    link("review-2027-paris", "review-2027-sf", "the 2027 joint annual review alternates: Paris leg in June, "
         "San Francisco leg in November", "joint review")

    c = Cluster("review-2027-paris-relay", P, "11-04 17:00", "Revue annuelle 2027 : retransmission du volet San "
                "Francisco", "hdv", dur=120,
                note="Paris relay of the SF leg, same instant as the SF session: linked, not merged.", tags=[])
    add(c, ILB, "Retransmission de la revue annuelle (volet San Francisco)", "fr")
    add(c, AGD)
    link("review-2027-sf", "review-2027-paris-relay", "the Paris Hôtel de Ville relays the SF session of the review "
         "live", "watch party")

    c = Cluster("paris-cityhall-reception", P, "06-23 19:00", "Réception à l'Hôtel de Ville en l'honneur de "
                "l'Alliance Paris–SF", "hdv", dur=150,
                note="Paris reception the evening before the review; English floating (Paris wall-clock) in the "
                     "zone-less SF city-hall feed.", tags=[])
    add(c, PUL)
    add(c, CTY, "Reception at Paris City Hall for the Paris–SF Digital Health Alliance", "en")
    add(c, AGD)

    # ------------------------------------------------------------ twin inaugural lecture
    c = Cluster("chair-lecture-paris", P, "05-27 18:00", "Leçon inaugurale de la chaire Paris–SF de médecine "
                "numérique", "lutece", dur=90,
                note="Inaugural lecture in Paris with a simultaneous SF room (twin session, linked).", tags=[])
    add(c, ILB)
    add(c, MEE, "Inaugural lecture: Paris–SF Chair in Digital Medicine", "en")
    add(c, AGD)

    c = Cluster("chair-lecture-sf", SF, "05-27 09:00", "Inaugural lecture of the Paris–SF Chair in Digital Medicine "
                "— SF room (live)", "bicm-aud", dur=90, lang="en",
                note="SF twin room of the Paris inaugural lecture (same instant).", tags=[])
    add(c, BIC)
    add(c, AGG, "Paris–SF Chair in Digital Medicine: inaugural lecture (live from Paris)", "en", off=10)
    link("chair-lecture-paris", "chair-lecture-sf", "twin session: the SF room follows the Paris inaugural lecture "
         "live", "twin session")

    # ------------------------------------------------------------ Rencontres MedTech Paris (parallel sessions)
    c = Cluster("rmp-2027", P, "04-08 08:30", "Rencontres MedTech Paris 2027", "defense", dur=570,
                note="Conference day: timed in the programme feed, all-day in the agenda.", tags=[])
    add(c, PUL)
    add(c, AGD, allday=True)

    c = Cluster("rmp-session-a", P, "04-08 14:00", "Rencontres MedTech – Session A : IA et imagerie", "defense",
                dur=90, note="Parallel session (salle Orion), same slot as session B.",
                tags=["hard-negative", "parallel-session"])
    add(c, PUL, loc="Auditorium Hélios – salle Orion, 5 place de la Pyramide, 92800 Puteaux (La Défense)")
    add(c, AGD, "Rencontres MedTech : IA et imagerie", "fr",
        loc="Auditorium Hélios (salle Orion), La Défense")

    c = Cluster("rmp-session-b", P, "04-08 14:00", "Rencontres MedTech – Session B : objets connectés et "
                "télésurveillance", "defense", dur=90, note="Parallel session (salle Lyra), same slot as session A.",
                tags=["hard-negative", "parallel-session"])
    add(c, PUL, loc="Auditorium Hélios – salle Lyra, 5 place de la Pyramide, 92800 Puteaux (La Défense)")
    add(c, MEE, "MedTech Meetings Paris — Track B: connected devices & remote monitoring", "en")
    add(c, AGD, "Rencontres MedTech : objets connectés & télésurveillance", "fr",
        loc="Auditorium Hélios (salle Lyra), La Défense")

    c = Cluster("sante-connectee-expo", P, "06-15", "Salon Santé Connectée Paris 2027", "defense", days=3,
                note="Three-day expo, all-day everywhere; English title in the SF aggregator.", tags=[])
    add(c, AGD)
    add(c, AGG, "Connected Health Expo Paris 2027", "en")

    # ------------------------------------------------------------ community meetups
    pdhm = [("01-21 19:00", "santé mentale et applications"), ("02-18 19:00", "l'hôpital à domicile"),
            ("03-18 19:00", "IA et dossiers patients"), ("04-15 19:00", "objets connectés en cardiologie"),
            ("05-20 19:00", "financer sa medtech"), ("06-17 19:00", "données de vie réelle"),
            ("09-16 19:00", "cybersécurité hospitalière"), ("10-21 19:00", "e-santé et territoires")]
    first_uid = None
    for i, (when, topic) in enumerate(pdhm):
        num = 40 + i
        c = Cluster("pdhm-%02d" % num, P, when, "Paris Digital Health Meetup", "tremplin", dur=150, lang="en",
                    note="Monthly meetup, identical title every month: each month is its own event (#%d, %s)." %
                         (num, topic), tags=["hard-negative", "monthly-same-title"])
        s = add(c, MEE, desc="Paris Digital Health Meetup #%d — %s. Talks, demos and drinks." % (num, topic))
        if i == 0:
            first_uid = s.uid
        if i == 1:
            add(c, AGD, "Paris Digital Health Meetup #%d – %s" % (num, topic), "fr", uid=first_uid,
                tags=["uid-reused-by-other-feed"])
            c.note += " The agenda lists it with the UID of the January Meetup event (stale import)."
        elif i in (2, 5, 6):
            add(c, AGD, "Paris Digital Health Meetup #%d – %s" % (num, topic), "fr")
    CL["pdhm-40"].tags.add("uid-reused-by-other-feed")
    CL["pdhm-40"].note += " Its Meetup UID is reused by the agenda for the February meetup (different event)."

    apero = ["01-05", "02-02", "03-02", "04-06", "05-04", "06-01", "07-06"]
    for i, d in enumerate(apero):
        c = Cluster("apero-healthtech-%s" % d, P, d + " 19:30", "Apéro HealthTech Paris", "comptoir", dur=120,
                    note="Monthly apéro with one title (separate events each month).",
                    tags=["hard-negative", "monthly-same-title"])
        st = "CANCELLED" if d == "05-04" else None
        add(c, MEE, status=st)
        if d in ("02-02", "05-04", "06-01"):
            add(c, AGD, "Apero HealthTech Paris", "fr", tags=["accents"])
        if st:
            c.note += " Cancelled on Meetup, still listed by the agenda."
            c.tags.add("cancelled-in-some-sources-only")

    for i, (d, topic) in enumerate([("02-09 18:30", "interoperability"), ("04-13 18:30", "AI scribes"),
                                    ("06-08 18:30", "payer partnerships"), ("09-14 18:30", "hospital procurement"),
                                    ("11-09 18:30", "year in review")]):
        c = Cluster("sfdhm-%s" % d[:5], SF, d, "SF Digital Health Meetup", "soma", dur=150, lang="en",
                    note="SF monthly meetup (%s); same brand as the Paris one, not linked; one title each month." % topic,
                    tags=["hard-negative", "monthly-same-title", "link-negative"])
        add(c, AGG, desc="Monthly SF Digital Health Meetup — topic: %s." % topic)
        if i in (1, 3):
            add(c, CTY, "SF Digital Health Meetup: %s" % topic, "en")

    c = Cluster("women-dh-paris", P, "03-08 18:30", "Women in Digital Health Paris — soirée du 8 mars", "tremplin",
                dur=150, note="Same topic and day as the SF 'Women in HealthTech' event: not linked.",
                tags=["link-negative", "same-topic-other-city"])
    add(c, MEE)
    add(c, AGD, "Women in Digital Health : soiree du 8 mars", "fr", off=-30, tags=["accents"])

    c = Cluster("women-ht-sf", SF, "03-08 17:30", "Women in HealthTech SF: International Women's Day panel", "soma",
                dur=120, lang="en", note="See women-dh-paris (not linked).",
                tags=["link-negative", "same-topic-other-city"])
    add(c, AGG)
    add(c, CTY, "International Women's Day: Women in HealthTech panel", "en")

    c = Cluster("fhir-paris", P, "04-27 19:00", "FHIR France Meetup : interopérabilité ville-hôpital", "tremplin",
                dur=120, note="FHIR meetups in both cities the same week: not linked.",
                tags=["link-negative", "same-topic-other-city"])
    add(c, MEE)
    add(c, AGD)

    c = Cluster("fhir-sf", SF, "04-28 17:00", "FHIR Developer Night", "mbh", dur=150, lang="en",
                note="See fhir-paris.", tags=["link-negative", "same-topic-other-city"])
    add(c, MBH)
    add(c, AGG, "FHIR Developer Night @ Mission Bay Hospital", "en", off=30, tags=["venue-appended"])

    c = Cluster("diabete-paris", P, "11-13 10:00", "Journée mondiale du diabète : village santé connectée",
                "mairie13", dur=420, note="Timed in the i-Lab feed, all-day in the agenda. SF has a same-topic fair "
                                          "the same day (not linked).",
                tags=["link-negative", "same-topic-other-city"])
    add(c, ILB, loc="Parvis de la mairie du 13e, 1 place d'Italie, 75013 Paris")
    add(c, AGD, allday=True)

    c = Cluster("diabetes-sf", SF, "11-13 10:00", "World Diabetes Day: Digital Tools Fair", "library-sf", dur=360,
                lang="en", note="See diabete-paris.", tags=["link-negative", "same-topic-other-city"])
    add(c, CTY)
    add(c, AGG)

    # ------------------------------------------------------------ DST change days (Sundays)
    c = Cluster("run-for-health-paris", P, "03-28 10:00", "Course connectée solidaire « Run for Health »", None,
                dur=180, note="Sunday of the EU clock change (CEST from 02:00).", tags=[])
    add(c, AGD, loc="Parc de Bercy, 75012 Paris")
    add(c, MEE, "Run for Health Paris — connected charity run", "en", loc="Parc de Bercy, 75012 Paris",
        geo=(48.83520, 2.38250))

    c = Cluster("pi-day-biohack", SF, "03-14 13:00", "Pi Day BioHack", "dogpatch", dur=300, lang="en",
                note="Sunday of the US clock change (PDT from 02:00).", tags=[])
    add(c, AGG)
    add(c, CTY, "Pi Day Bio-Hack at Dogpatch", "en")

    c = Cluster("walk-equity-sf", SF, "11-07 10:00", "Walk for Digital Health Equity", None, dur=180, lang="en",
                note="Sunday of the US fall-back change (PST from 02:00).", tags=[])
    add(c, CTY, loc="Crissy Field, Presidio, San Francisco, CA 94129")
    add(c, AGG, "Walk for Digital Health Equity 2027", "en", loc="Crissy Field, San Francisco, CA 94129")

    # ------------------------------------------------------------ city-hall open office series (floating)
    c = Cluster("cty-open-office", SF, "02-03 10:00", "Health Innovation Open Office Hours", "cityhall-sf", dur=120,
                lang="en",
                note="Monthly (1st Wednesday) FLOATING series in the zone-less city-hall feed: EXDATE Jul 7, Apr 7 "
                     "moved to Thu Apr 8, Jun 2 cancelled. The aggregator republishes three months under topic "
                     "titles (UTC); the PARIS programme feed lists the first one in French, TZID Europe/Paris.",
                tags=["written-in-other-city-zone"])
    series(c, "MONTHLY", "WE", count=6, nth=1, exdates=["07-07 10:00"], moved={"04-07 10:00": "04-08 10:00"},
           cancelled=["06-02 10:00"])
    master(c, CTY)
    instance(c, PUL, "02-03 10:00", "Permanence en ligne de la ville de San Francisco : implanter sa medtech à SF",
             "fr", mode="tz", zone=P, venue=None, loc="En ligne / SF City Hall, Room 416")
    instance(c, AGG, "03-03 10:00", "Open Office Hours: SBIR/STTR grants for health startups", "en")
    instance(c, AGG, "04-07 10:00", "Open Office Hours — permitting a wet lab in San Francisco", "en")
    instance(c, AGG, "05-05 10:00", "Open Office Hours: hiring through CityBuild Life Sciences", "en")

    # BICM journal club (SF, Outlook) across the autumn changes
    c = Cluster("bicm-journal-club", SF, "09-13 16:00", "BICM Clinical AI Journal Club", "bicm", dur=60, lang="en",
                note="Bi-weekly Outlook series (Mon 16:00 PT): EXDATE Nov 22, Oct 25 moved to Tue Oct 26, Nov 8 "
                     "cancelled. MBH lists one session under its paper title (TZID LA), the aggregator three (UTC, "
                     "the cancelled one still confirmed), the PARIS agenda the first one in French (SF wall-clock "
                     "floating). Spans Oct 31 (EU) and Nov 7 (US).",
                tags=["cancelled-in-some-sources-only"])
    series(c, "WEEKLY", "MO", count=6, interval=2, exdates=["11-22 16:00"], moved={"10-25 16:00": "10-26 16:00"},
           cancelled=["11-08 16:00"])
    master(c, BIC)
    instance(c, MBH, "09-27 16:00", "Journal club: are LLM-written discharge summaries safe?", "en")
    instance(c, AGG, "10-11 16:00", "Clinical AI Journal Club — sepsis prediction models in the wild", "en")
    instance(c, AGG, "10-25 16:00", "Clinical AI Journal Club: auditing dermatology classifiers for skin tone bias",
             "en")
    instance(c, AGG, "11-08 16:00", "Clinical AI Journal Club — ambient scribes and documentation burden", "en")
    instance(c, AGD, "09-13 16:00", "Club de lecture IA clinique du BICM (en ligne depuis San Francisco)", "fr",
             venue=None, loc="En ligne – BICM, San Francisco")

    # Pulsar innovation Thursdays (Paris, Google) across the spring changes
    c = Cluster("pulsar-jeudis", P, "03-04 18:30", "Les Jeudis de l'innovation Pulsar", "pulsar-studio", dur=90,
                note="Weekly Google series (TZID Europe/Paris): EXDATE Apr 1, Mar 25 moved to Wed Mar 24, Apr 15 "
                     "cancelled. Meetup re-publishes three evenings under English talk titles (UTC), the SF "
                     "aggregator one (UTC). Spans Mar 14 (US) and Mar 28 (EU).",
                tags=[])
    series(c, "WEEKLY", "TH", until="04-22 18:30", exdates=["04-01 18:30"], moved={"03-25 18:30": "03-24 18:30"},
           cancelled=["04-15 18:30"])
    master(c, PUL, mode="tz")
    instance(c, MEE, "03-11 18:30", "Innovation Thursday: nurses who code", "en")
    instance(c, MEE, "03-25 18:30", "Innovation Thursday: selling software to French hospitals", "en")
    instance(c, MEE, "04-08 18:30", "Innovation Thursday: from lab bench to CE mark in 18 months", "en")
    instance(c, AGG, "03-18 18:30", "Pulsar Innovation Thursday (Paris): the French reimbursement maze", "en")

    # cancelled everywhere
    c = Cluster("cty-telehealth-fair", SF, "05-22 10:00", "Community Telehealth Resource Fair", "mission-hub",
                dur=240, lang="en", note="Cancelled in both feeds.", tags=[])
    add(c, CTY, status="CANCELLED")
    add(c, AGG, "Community Telehealth Resource Fair (Mission)", "en", status="CANCELLED")

    # ------------------------------------------------------------ UID reuse across feeds
    # the aggregator imports another Bay Area WordPress site whose ai1ec UIDs collide with the Paris agenda's
    global REUSE_PLAN
    REUSE_PLAN = []


# --------------------------------------------------------------------------- filler (realistic single events)
PARIS_POOL = [
    ("Atelier : marquage CE des logiciels dispositifs médicaux", "Workshop: CE marking for medical device software"),
    ("Masterclass : lever une série A en medtech", "Masterclass: raising a Series A in medtech"),
    ("Atelier : concevoir une étude clinique décentralisée", "Workshop: designing a decentralised clinical trial"),
    ("Conférence : cybersécurité des dispositifs médicaux connectés", "Talk: cybersecurity of connected medical devices"),
    ("Table ronde : l'accès au marché américain pour les medtechs françaises",
     "Panel: US market access for French medtech startups"),
    ("Atelier : RGPD et hébergement des données de santé", "Workshop: GDPR and certified health data hosting"),
    ("Conférence : jumeaux numériques et médecine personnalisée", "Talk: digital twins and personalised medicine"),
    ("Rencontre : les infirmières et l'innovation numérique", "Meetup: nurses and digital innovation"),
    ("Atelier : évaluer l'impact médico-économique d'une solution numérique",
     "Workshop: health-economic evaluation of a digital solution"),
    ("Conférence : la santé mentale à l'ère des applications", "Talk: mental health in the age of apps"),
    ("Table ronde : IA et responsabilité médicale", "Panel: AI and medical liability"),
    ("Atelier : prototypage rapide de dispositifs médicaux", "Workshop: rapid prototyping of medical devices"),
    ("Conférence : les données de vie réelle en oncologie", "Talk: real-world data in oncology"),
    ("Soirée pitch : startups de la e-santé", "Pitch night: digital health startups"),
    ("Atelier : accessibilité numérique des services de santé", "Workshop: digital accessibility of health services"),
    ("Conférence : robotique chirurgicale, où en est-on ?", "Talk: surgical robotics, where do we stand?"),
    ("Atelier : interopérabilité FHIR pour les éditeurs", "Workshop: FHIR interoperability for software vendors"),
    ("Table ronde : financer l'innovation à l'hôpital", "Panel: funding innovation inside hospitals"),
    ("Conférence : le consentement dynamique en recherche clinique", "Talk: dynamic consent in clinical research"),
    ("Atelier : co-concevoir des services avec les soignants", "Workshop: co-designing services with caregivers"),
    ("Conférence : sobriété numérique à l'hôpital", "Talk: digital sobriety in hospitals"),
    ("Masterclass : propriété intellectuelle en biotech", "Masterclass: intellectual property in biotech"),
    ("Atelier : télésurveillance et parcours de soins", "Workshop: remote monitoring and care pathways"),
    ("Conférence : thérapies géniques, de la paillasse au patient", "Talk: gene therapies, from bench to bedside"),
    ("Table ronde : biotech française et capital-risque américain",
     "Panel: French biotech and US venture capital"),
    ("Atelier : écrire un protocole d'investigation clinique", "Workshop: writing a clinical investigation plan"),
    ("Conférence : l'ophtalmologie à l'heure de l'IA", "Talk: ophthalmology in the age of AI"),
    ("Rencontre : pharmaciens et outils numériques", "Meetup: pharmacists and digital tools"),
    ("Atelier : qualité ISO 13485 pour startups", "Workshop: ISO 13485 quality systems for startups"),
    ("Conférence : la voix comme biomarqueur", "Talk: voice as a biomarker"),
    ("Table ronde : données de santé et confiance des patients", "Panel: health data and patient trust"),
    ("Atelier : Python pour l'analyse de données cliniques", "Workshop: Python for clinical data analysis"),
    ("Conférence : dispositifs médicaux et économie circulaire", "Talk: medical devices and the circular economy"),
    ("Masterclass : négocier avec la CNAM", "Masterclass: negotiating with the French health insurer"),
    ("Conférence : la génomique en routine clinique", "Talk: genomics in routine clinical care"),
    ("Atelier : UX des applications patients", "Workshop: UX of patient-facing apps"),
]

SF_POOL = [
    ("FHIR Sandbox Training for Residents", "Formation au bac à sable FHIR pour les internes"),
    ("Digital Health Lab Open House", "Portes ouvertes du Digital Health Lab"),
    ("Nurse Innovators Lunch", "Déjeuner des infirmiers innovateurs"),
    ("BICM Distinguished Lecture: privacy-preserving genomics", "Grande conférence du BICM : génomique et "
     "confidentialité"),
    ("Workshop: building clinical dashboards with open data", "Atelier : tableaux de bord cliniques et données "
     "ouvertes"),
    ("Panel: reimbursement pathways for digital therapeutics", "Table ronde : le remboursement des thérapies "
     "numériques"),
    ("Biotech Careers Night", "Soirée carrières en biotech"),
    ("Talk: wearables in cardiology trials", "Conférence : les objets connectés dans les essais en cardiologie"),
    ("Health Equity Data Workshop", "Atelier données et équité en santé"),
    ("Medical Device Cybersecurity Roundtable", "Table ronde cybersécurité des dispositifs médicaux"),
    ("Lab Automation Demo Afternoon", "Après-midi de démonstrations d'automatisation de laboratoire"),
    ("Startup Pitch Clinic: digital therapeutics", "Clinique du pitch : thérapies numériques"),
    ("Talk: synthetic biology and manufacturing", "Conférence : biologie de synthèse et production"),
    ("Life Sciences Workforce Fair", "Salon de l'emploi des sciences de la vie"),
    ("Small Business Health Tech Grants — info session", "Subventions santé numérique pour PME : réunion "
     "d'information"),
    ("Workshop: human factors in device design", "Atelier : facteurs humains et conception des dispositifs"),
    ("Talk: AI triage in the emergency department", "Conférence : le triage par IA aux urgences"),
    ("Hospital-at-Home Program Showcase", "Vitrine des programmes d'hospitalisation à domicile"),
    ("Panel: data sharing between hospitals and startups", "Table ronde : partage de données entre hôpitaux et "
     "startups"),
    ("Bioinformatics Office Hours", "Permanence bio-informatique"),
    ("Talk: CRISPR diagnostics at the point of care", "Conférence : diagnostics CRISPR au lit du patient"),
    ("Workshop: writing an SBIR proposal", "Atelier : rédiger une demande de financement SBIR"),
    ("Community Health Worker Tech Forum", "Forum technologie des agents de santé communautaire"),
    ("Talk: privacy engineering for health apps", "Conférence : ingénierie de la vie privée pour les applis santé"),
    ("Medtech Founders Breakfast", "Petit-déjeuner des fondateurs medtech"),
    ("Clinical Trials Diversity Summit", "Sommet sur la diversité dans les essais cliniques"),
]

AGG_ONLY = ["SF Biotech Happy Hour", "Bay Area Bioinformatics Meetup", "Mission Bay Life Science Mixer",
            "Digital Therapeutics Alliance — Bay Area chapter", "Healthcare UX Designers SF",
            "Women in Bio — SF coffee chat", "Dogpatch Wet Lab Open Bench Night", "MedTech Sales & BD Roundtable",
            "Bay Area Genomics Reading Group", "Healthcare Data Engineers SF", "Presidio Longevity Salon",
            "SoMa Founders: Health Edition", "Neurotech SF Demo Night", "Bay Area Clinical Informatics Forum",
            "SF Hospital Volunteers Tech Night", "Bio + AI Builders Night", "Health Policy Breakfast SF"]

AGD_ONLY = ["Exposition : le corps réparé, deux siècles de prothèses", "Forum emploi santé numérique",
            "Conférence grand public : comprendre son espace santé", "Permanence « Mon espace santé » à la médiathèque",
            "Ciné-débat : les algorithmes et nous", "Atelier seniors : la téléconsultation pas à pas",
            "Journée portes ouvertes de l'école d'infirmiers", "Café-santé : sommeil et écrans",
            "Visite guidée : l'hôpital numérique de demain", "Conférence : l'histoire de l'imagerie médicale",
            "Atelier parents : applis et santé des enfants", "Salon des étudiants en santé numérique",
            "Forum des associations de patients"]

AGD_PREFIX = ["[Agenda] ", "Santé numérique – ", "Off : ", "Conférence – "]
AGG_PREFIX = ["[SF] ", "Bay Area: ", "SF Health | "]
PARIS_ORG = {PUL: ["pulsar", "pulsar-studio", "halle-biotech"], ILB: ["ilab", "ilab-amphi", "lutece-pare"],
             MEE: ["tremplin", "comptoir", "biocitech"]}
SF_ORG = {BIC: ["bicm", "bicm-250", "bicm-aud"], MBH: ["mbh", "mbh-aud"],
          CTY: ["cityhall-sf", "library-sf", "mission-hub", "dogpatch"]}
_busy = set()


def strip_accents(s):
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")


def rand_day():
    while True:
        d = dt.date(YEAR, 1, 11) + dt.timedelta(days=rng.randint(0, 330))
        if d.weekday() >= 5 or (d.month == 8 and d.day < 26) or d.month == 12 and d.day > 12:
            continue
        if (d.month, d.day) in ((5, 1), (5, 8), (7, 14), (11, 11), (7, 5), (5, 31), (9, 6), (11, 25)):
            continue
        return d


def free_slot(venue, times):
    for _ in range(200):
        d = rand_day()
        if (venue, d) in _busy:
            continue
        _busy.add((venue, d))
        t = rng.choice(times)
        return "%02d-%02d %s" % (d.month, d.day, t)
    raise RuntimeError("no slot")


def noisy(title, feed, venue, tagsink):
    """A title variant as a less careful feed would write it."""
    r = rng.random()
    if feed == AGD:
        if r < 0.12:
            tagsink.append("accents")
            return strip_accents(title)
        if r < 0.22:
            tagsink.append("title-prefix")
            return rng.choice(AGD_PREFIX) + title
        if r < 0.30 and venue:
            tagsink.append("venue-appended")
            return title + " – " + VENUES[venue][1]
        if r < 0.38:
            tagsink.append("title-punctuation")
            return title.replace(" : ", " - ", 1).replace("'", "’")
        if r < 0.43:
            tagsink.append("title-case")
            return title.upper()
        return title
    if r < 0.12:
        tagsink.append("title-prefix")
        return rng.choice(AGG_PREFIX) + title
    if r < 0.22 and venue:
        tagsink.append("venue-appended")
        return title + " @ " + VENUES[venue][1].split(" – ")[0]
    if r < 0.32:
        tagsink.append("title-case")
        return title.title() if rng.random() < 0.5 else title.lower()
    if r < 0.40:
        tagsink.append("title-punctuation")
        return title.replace(": ", " — ", 1).rstrip("?")
    return title


def filler():
    paris = rng.sample(PARIS_POOL, 26)
    for i, (fr, en) in enumerate(paris):
        org = [PUL, ILB, MEE][i % 3]
        venue = rng.choice(PARIS_ORG[org])
        times = ["09:30", "10:00", "14:00", "17:30", "18:30", "19:00"] if org != MEE else ["18:30", "19:00"]
        when = free_slot(venue, times)
        lang = "en" if org == MEE and rng.random() < 0.5 else "fr"
        title = en if lang == "en" else fr
        c = Cluster("paris-%s-%02d" % (org.split("-")[1], i), P, when, title, venue, dur=rng.choice([60, 90, 120, 150]),
                    lang=lang, note="Paris event.", tags=[])
        add(c, org)
        notes = []
        if rng.random() < 0.62:
            ts = []
            t2 = noisy(fr, AGD, venue, ts)
            off, ad = 0, False
            x = rng.random()
            if x < 0.16:
                off = rng.choice([10, 15, 30, -15])
                notes.append("agenda start %+d min (less authoritative)" % off)
            elif x < 0.24:
                ad = True
                notes.append("all-day in the agenda")
            add(c, AGD, t2, "fr", off=off, allday=ad, tags=ts)
        if rng.random() < 0.33:
            other = PUL if org == MEE else MEE
            add(c, other, en if lang == "fr" else fr, "en" if lang == "fr" else "fr")
            notes.append("translated title in %s" % other)
        x = rng.random()
        if x < 0.16:
            ts = []
            add(c, AGG, noisy(en, AGG, venue, ts), "en", tags=ts)
            notes.append("also in the SF aggregator (UTC, English)")
        elif x < 0.26 and org == ILB:
            add(c, BIC, en + " (Paris)", "en", tags=["title-marker"])
            notes.append("listed in English by the SF institute (Romance Standard Time, '(Paris)' marker)")
        elif x < 0.31:
            add(c, CTY, en + " [Paris]", "en", tags=["title-marker"])
            notes.append("listed in English by the zone-less SF city-hall feed (Paris wall-clock time)")
        c.note = "Paris event%s." % ((": " + "; ".join(notes)) if notes else "")

    sfe = rng.sample(SF_POOL, 26)
    for i, (en, fr) in enumerate(sfe):
        org = [BIC, MBH, CTY][i % 3]
        venue = rng.choice(SF_ORG[org])
        when = free_slot(venue, ["08:00", "09:00", "12:00", "12:30", "16:00", "17:30", "18:00"])
        c = Cluster("sf-%s-%02d" % (org.split("-")[1], i), SF, when, en, venue, dur=rng.choice([60, 90, 120]),
                    lang="en", note="SF event.", tags=[])
        s0 = add(c, org)
        notes = []
        if rng.random() < 0.65:
            ts = []
            t2 = noisy(en, AGG, venue, ts)
            off, ad, uid = 0, False, None
            x = rng.random()
            if x < 0.16:
                off = rng.choice([10, 15, 30, -10])
                notes.append("aggregator start %+d min" % off)
            elif x < 0.24:
                ad = True
                notes.append("all-day in the aggregator")
            elif x < 0.40 and org == CTY:
                uid = s0.uid
                ts.append("same-uid-across-feeds")
                notes.append("aggregator keeps the city-hall UID")
            add(c, AGG, t2, "en", off=off, allday=ad, uid=uid, tags=ts)
        x = rng.random()
        if x < 0.18:
            f2 = rng.choice([PUL, ILB])
            add(c, f2, fr + " (San Francisco)", "fr", mode="tz", tags=["title-marker"])
            notes.append("French title with '(San Francisco)' marker in the Paris feed %s (TZID LA)" % f2)
        elif x < 0.28:
            add(c, AGD, fr + " [San Francisco]", "fr", tags=["title-marker"])
            notes.append("French title in the zone-less Paris agenda, SF wall-clock floating time")
        c.note = "SF event%s." % ((": " + "; ".join(notes)) if notes else "")

    for i, t in enumerate(AGG_ONLY[:6]):
        venue = rng.choice(["soma", "dogpatch", "presidio", "mission-hub", "embarcadero", "library-sf"])
        when = free_slot(venue, ["17:30", "18:00", "18:30", "12:00", "08:00"])
        c = Cluster("agg-%02d" % i, SF, when, t, venue, dur=rng.choice([90, 120, 150]), lang="en",
                    note="SF community event, aggregator only.", tags=[])
        add(c, AGG)

    for i, t in enumerate(AGD_ONLY[:7]):
        venue = rng.choice(["mairie13", "ciup", "hdv", "tremplin", "biocitech"])
        if i == 0:
            c = Cluster("agd-%02d" % i, P, "02-01", t, "mairie13", days=25,
                        note="Paris exhibition, all-day over several weeks, agenda only.", tags=[])
        else:
            when = free_slot(venue, ["10:00", "14:00", "14:30", "18:00", "19:00"])
            c = Cluster("agd-%02d" % i, P, when, t, venue, dur=rng.choice([90, 120, 180]),
                        note="Paris public event, agenda only.", tags=[])
        add(c, AGD)


def uid_tricks():
    """UIDs shared across feeds: same event (kept upstream UID) or different events (collisions)."""
    # same event, same UID: the agenda keeps Meetup / Google UIDs, the aggregator keeps TEC UIDs
    c = Cluster("pulsar-alumni-paris", P, "03-03 19:00", "Soirée des alumni Pulsar", "pulsar", dur=150,
                note="The agenda imported the Google event and kept its UID.", tags=["same-uid-across-feeds"])
    s = add(c, PUL)
    add(c, AGD, "Soirée des alumni Pulsar MedTech", "fr", uid=s.uid)

    c = Cluster("biotech-founders-apero", P, "05-11 19:00", "Biotech Founders Paris — apéro", "biocitech", dur=150,
                note="Meetup event imported by the agenda with the same UID (accents and prefix differ).",
                tags=["same-uid-across-feeds"])
    s = add(c, MEE)
    add(c, AGD, "[Agenda] Biotech Founders Paris – apero", "fr", uid=s.uid, tags=["title-prefix", "accents"])

    c = Cluster("cty-lifesci-permits", SF, "06-09 14:00", "Permitting your life sciences lab: a city walkthrough",
                "cityhall-sf", dur=90, lang="en", note="Aggregator kept the city-hall UID.",
                tags=["same-uid-across-feeds"])
    s = add(c, CTY)
    add(c, AGG, "Permitting Your Life Sciences Lab — City Walkthrough", "en", uid=s.uid, tags=["title-case"])

    # different events sharing a UID across feeds (WordPress ai1ec collisions, cross-city)
    agd_srcs = [s for cl in CLUSTERS if cl.city == P for s in cl.srcs
                if s.feed == AGD and s.role == "single" and not s.allday and s.uid.startswith("ai1ec-")]
    picks = rng.sample(agd_srcs, 3)
    sf_titles = [("Bay Area MedTech Women — coffee & careers", "soma", "04-21 08:00"),
                 ("Open Lab Night: 3D bioprinting", "dogpatch", "07-15 18:00"),
                 ("Health Data Privacy Clinic", "library-sf", "10-20 12:00")]
    for k, (src, (t, v, when)) in enumerate(zip(picks, sf_titles)):
        c = Cluster("agg-ai1ec-collision-%d" % k, SF, when, t, v, dur=90, lang="en",
                    note="Aggregator event imported from another WordPress site: its UID %s is also used by the "
                         "Paris agenda for a different event (%s)." % (src.uid, src.cl.id),
                    tags=["uid-reused-by-other-feed"])
        add(c, AGG, uid=src.uid)
        src.cl.tags.add("uid-reused-by-other-feed")
        src.cl.note += " Its agenda UID is reused by the SF aggregator for a different event."


# =========================================================================== writers
def esc(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line):
    b = line.encode("utf-8")
    if len(b) <= 75:
        return [line]
    out, cur, size, first = [], "", 0, True
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if first else 74
        if size + n > limit:
            out.append(cur if first else " " + cur)
            cur, size, first = "", 0, False
        cur += ch
        size += n
    out.append(cur if first else " " + cur)
    return out


def html_entities(s):
    return (s.replace("&", "&amp;").replace("–", "&#8211;").replace("—", "&#8212;").replace("'", "&#8217;")
            .replace("’", "&#8217;").replace("«", "&#171;").replace("»", "&#187;"))


VTZ = {
    "Europe/Paris": ["BEGIN:VTIMEZONE", "TZID:Europe/Paris", "X-LIC-LOCATION:Europe/Paris", "BEGIN:DAYLIGHT",
                     "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
                     "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "BEGIN:STANDARD",
                     "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
                     "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE"],
    "America/Los_Angeles": ["BEGIN:VTIMEZONE", "TZID:America/Los_Angeles", "X-LIC-LOCATION:America/Los_Angeles",
                            "BEGIN:DAYLIGHT", "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700", "TZNAME:PDT",
                            "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
                            "BEGIN:STANDARD", "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800", "TZNAME:PST",
                            "DTSTART:19701101T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
                            "END:VTIMEZONE"],
    "Romance Standard Time": ["BEGIN:VTIMEZONE", "TZID:Romance Standard Time", "BEGIN:STANDARD",
                              "DTSTART:16010101T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
                              "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "END:STANDARD", "BEGIN:DAYLIGHT",
                              "DTSTART:16010101T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
                              "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT", "END:VTIMEZONE"],
    "Pacific Standard Time": ["BEGIN:VTIMEZONE", "TZID:Pacific Standard Time", "BEGIN:STANDARD",
                              "DTSTART:16010101T020000", "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800",
                              "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "END:STANDARD", "BEGIN:DAYLIGHT",
                              "DTSTART:16010101T020000", "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700",
                              "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "END:DAYLIGHT", "END:VTIMEZONE"],
}
# Apple writes its own flavour (historic DTSTART, no X-LIC-LOCATION)
VTZ_APPLE = {
    "Europe/Paris": ["BEGIN:VTIMEZONE", "TZID:Europe/Paris", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100",
                     "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "DTSTART:19810329T020000", "TZNAME:UTC+2",
                     "TZOFFSETTO:+0200", "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200",
                     "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "DTSTART:19961027T030000", "TZNAME:UTC+1",
                     "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"],
    "America/Los_Angeles": ["BEGIN:VTIMEZONE", "TZID:America/Los_Angeles", "BEGIN:DAYLIGHT", "TZOFFSETFROM:-0800",
                            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "DTSTART:20070311T020000", "TZNAME:PDT",
                            "TZOFFSETTO:-0700", "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:-0700",
                            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "DTSTART:20071104T020000", "TZNAME:PST",
                            "TZOFFSETTO:-0800", "END:STANDARD", "END:VTIMEZONE"],
}


def tzid_for(src):
    style = FEED[src.feed]["style"]
    return WINZONE[src.zone] if style == "outlook" else IANA[src.zone]


def dtprop(src, name, value):
    """(name-with-params, value) for a DATE / DATE-TIME of src, written the way its feed writes."""
    if not isinstance(value, dt.datetime):
        return name + ";VALUE=DATE", value.strftime("%Y%m%d")
    if src.mode == "utc":
        return name, value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if src.mode == "float":
        return name, value.astimezone(ZONES[src.cl.city]).strftime("%Y%m%dT%H%M%S")
    return "%s;TZID=%s" % (name, tzid_for(src)), value.astimezone(ZONES[src.zone]).strftime("%Y%m%dT%H%M%S")


def stamp_for(feed, base, days_back):
    s = dt.datetime.strptime(EXPORT_STAMP[feed].rstrip("Z"), "%Y%m%dT%H%M%S") - dt.timedelta(days=days_back,
                                                                                            minutes=rng.randint(0, 900))
    return s.strftime("%Y%m%dT%H%M%SZ")


def slug(s):
    s = strip_accents(s).lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in s)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:60]


ORG_DESC = {
    PUL: ("Programme Pulsar MedTech 2027. Inscription obligatoire sur le site du programme.",
          "Pulsar MedTech 2027 programme. Registration required."),
    BIC: ("Événement du Bay Institute for Computational Medicine.",
          "Bay Institute for Computational Medicine event. Open to the BICM community and guests."),
    ILB: ("i-Lab Santé de l'hôpital Sainte-Aurélie. Ouvert aux soignants, chercheurs et startups.",
          "Sainte-Aurélie hospital i-Lab."),
    MBH: ("Mission Bay Hospital Digital Health Lab.", "Mission Bay Hospital Digital Health Lab. Badge required."),
    MEE: ("Rejoignez-nous ! Inscription gratuite sur Meetup.", "Join us! Free RSVP on Meetup."),
    CTY: ("Événement communautaire.", "Community event listed by the SF Office of Health Innovation."),
    AGD: ("Événement santé numérique en Île-de-France.", "Digital health event in Île-de-France."),
    AGG: ("Imported from partner calendars.", "Imported from partner calendars."),
}
GROUPS = ["Paris Digital Health Meetup", "HealthTech & IA Paris", "Biotech Founders Paris"]


def description(src):
    if src.desc:
        return src.desc
    fr, en = ORG_DESC[src.feed]
    return fr if src.lang == "fr" else en


def event_url(src):
    st = FEED[src.feed]["style"]
    sl = slug(src.title)
    if st == "meetup":
        group = GROUPS[sum(map(ord, src.cl.id)) % 3]
        return "https://www.meetup.com/%s/events/%s/" % (slug(group), src.uid.split("_")[1].split("@")[0])
    if st == "ai1ec":
        return "https://agenda-sante-idf.fr/evenement/%s/" % sl
    if st == "tec":
        return "https://healthinnovation.sf.example.org/event/%s/" % sl
    if st == "aggregator":
        return "https://bayhealthbio.events/e/%s" % sl
    if st == "google":
        return None
    return None


def ics_lines_for(src):
    """Return a list of VEVENT property lists (master first, then overrides)."""
    st = FEED[src.feed]["style"]
    cl = src.cl
    blocks = []
    ser = cl.series
    if src.role in ("master", "copy"):
        assert src.mode != "utc", src.cl.id
        first = aware(cl.city, ser["occ"][0])
        start, end = first, first + dt.timedelta(minutes=cl.dur)
    else:
        start, end = src.start, src.end
    base = dict(start=start, end=end, status=src.status, title=src.title, loc=src.loc, seq=0, rid=None,
                rrule=None, exdates=[], venue=src.venue)
    if src.role in ("master", "copy"):
        parts = list(ser["rule_parts"])
        if ser["count"]:
            parts.insert(1, "COUNT=%d" % ser["count"])
        else:
            u = aware(cl.city, ser["until"])
            parts.insert(1, "UNTIL=" + (ser["until"].strftime("%Y%m%dT%H%M%S") if src.mode == "float"
                                        else u.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")))
        # Outlook/Google order: FREQ first
        base["rrule"] = ";".join([parts[0]] + parts[1:])
        if src.role == "master" or src.extra.get("keep_exdate"):
            base["exdates"] = [aware(cl.city, x) for x in ser["exdates"]]
    blocks.append(base)
    if src.role == "master":
        for o in ser["occ"]:
            if o in ser["moved"]:
                n = aware(cl.city, ser["moved"][o])
                mv = ser.get("moved_venue")
                blocks.append(dict(start=n, end=n + dt.timedelta(minutes=cl.dur), status=None, title=src.title,
                                   loc=venue_text(mv) if mv else src.loc, seq=1, rid=aware(cl.city, o), rrule=None,
                                   exdates=[], venue=mv or src.venue, moved=True))
            elif o in ser["cancelled"]:
                a = aware(cl.city, o)
                blocks.append(dict(start=a, end=a + dt.timedelta(minutes=cl.dur), status="CANCELLED",
                                   title=src.title, loc=src.loc, seq=1, rid=a, rrule=None, exdates=[],
                                   venue=src.venue))
    out = []
    created = stamp_for(src.feed, None, rng.randint(20, 120))
    modified = stamp_for(src.feed, None, rng.randint(0, 19))
    for b in blocks:
        out.append(render(src, st, b, created, modified))
    return out


def render(src, st, b, created, modified):
    L = []
    P_ = lambda n, v: L.append((n, v))  # noqa: E731
    title = b["title"]
    status = b["status"]
    moved = b.get("moved")
    desc = description(src)
    if moved:
        desc = ("Exceptionnellement déplacé cette semaine. " if src.lang == "fr" else "Moved this week only. ") + desc
    if status == "CANCELLED" and st == "outlook":
        title = "Canceled: " + title
    if st == "ai1ec":
        title = html_entities(title)
    ds, de = dtprop(src, "DTSTART", b["start"]), dtprop(src, "DTEND", b["end"])
    rid = dtprop(src, "RECURRENCE-ID", b["rid"]) if b["rid"] is not None else None

    def exdate_lines():
        return [dtprop(src, "EXDATE", x) for x in b["exdates"]]

    geo = None
    if src.geo:
        if isinstance(src.geo, tuple):
            geo = src.geo
        elif b["venue"]:
            geo = VENUES[b["venue"]][3:5]
    if st == "google":
        P_(*ds); P_(*de)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_("UID", src.uid)
        if rid:
            P_(*rid)
        P_("CREATED", created)
        P_("DESCRIPTION", esc(desc))
        P_("LAST-MODIFIED", modified)
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        P_("SEQUENCE", str(b["seq"]))
        P_("STATUS", status or "CONFIRMED")
        P_("SUMMARY", esc(title))
        P_("TRANSP", "OPAQUE")
    elif st == "outlook":
        P_("CLASS", "PUBLIC")
        P_("CREATED", created)
        P_("DESCRIPTION", esc(desc + "\n"))
        P_(*de)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_(*ds)
        P_("LAST-MODIFIED", modified)
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        P_("PRIORITY", "5")
        if rid:
            P_(*rid)
        P_("SEQUENCE", str(b["seq"]))
        if status:
            P_("STATUS", status)
        P_("SUMMARY;LANGUAGE=%s" % ("fr-fr" if src.lang == "fr" else "en-us"), esc(title))
        P_("TRANSP", "OPAQUE" if not src.allday else "TRANSPARENT")
        P_("UID", src.uid)
        P_("X-MICROSOFT-CDO-BUSYSTATUS", "FREE" if status == "CANCELLED" else "BUSY")
        P_("X-MICROSOFT-CDO-IMPORTANCE", "1")
        if src.allday:
            P_("X-MICROSOFT-CDO-ALLDAYEVENT", "TRUE")
        P_("X-MICROSOFT-DISALLOW-COUNTER", "FALSE")
        P_("X-MS-OLK-CONFTYPE", "0")
    elif st == "apple":
        P_("CREATED", created)
        P_(*de)
        P_("DTSTAMP", modified)
        P_(*ds)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        P_("LAST-MODIFIED", modified)
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        if rid:
            P_(*rid)
        P_("SEQUENCE", str(b["seq"]))
        if status:
            P_("STATUS", status)
        P_("SUMMARY", esc(title))
        P_("TRANSP", "OPAQUE" if not src.allday else "TRANSPARENT")
        P_("UID", src.uid)
        if geo and b["loc"]:
            name = VENUES[b["venue"]][1] if b["venue"] else b["loc"].split(",")[0]
            addr = VENUES[b["venue"]][2] if b["venue"] else b["loc"]
            P_('X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="%s";X-APPLE-RADIUS=%.2f;'
               'X-APPLE-REFERENCEFRAME=1;X-TITLE="%s"' % (addr.replace('"', "'"), rng.uniform(40, 180),
                                                          name.replace('"', "'")),
               "geo:%.6f,%.6f" % geo)
        P_("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR", "AUTOMATIC")
    elif st == "nextcloud":
        P_("CREATED", created)
        P_("DTSTAMP", modified)
        P_("LAST-MODIFIED", modified)
        P_("SEQUENCE", str(b["seq"]))
        P_("UID", src.uid)
        P_(*ds); P_(*de)
        if rid:
            P_(*rid)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        P_("STATUS", status or "CONFIRMED")
        P_("SUMMARY", esc(title))
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        P_("DESCRIPTION", esc(desc))
    elif st == "meetup":
        wall = b["start"].astimezone(ZONES[src.cl.city]) if isinstance(b["start"], dt.datetime) else None
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_(*ds); P_(*de)
        P_("STATUS", status or "CONFIRMED")
        P_("SUMMARY", esc(title))
        when = wall.strftime("%A, %B ") + str(wall.day) + " at " + wall.strftime("%I:%M %p").lstrip("0") if wall else ""
        url = event_url(src)
        P_("DESCRIPTION", esc("%s\n%s\n\n%s\n\nDetails: %s" % (GROUPS[sum(map(ord, src.cl.id)) % 3], when, desc, url)))
        P_("CLASS", "PUBLIC")
        P_("CREATED", created)
        if geo:
            P_("GEO", "%.2f;%.2f" % geo)
        if b["loc"]:
            nm = VENUES[b["venue"]][1] if b["venue"] else None
            P_("LOCATION", esc("%s (%s)" % (nm, VENUES[b["venue"]][2]) if nm else b["loc"]))
        P_("URL", url)
        P_("LAST-MODIFIED", modified)
        P_("UID", src.uid)
    elif st == "tec":
        P_(*ds); P_(*de)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        if rid:
            P_(*rid)
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_("CREATED", created)
        P_("LAST-MODIFIED", modified)
        P_("UID", src.uid)
        P_("SUMMARY", esc(title))
        P_("DESCRIPTION", esc(desc))
        P_("URL", event_url(src))
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        if b["venue"] and rng.random() < 0.5:
            P_("GEO", "%.6f;%.6f" % VENUES[b["venue"]][3:5])
        P_("CATEGORIES", "Health Innovation")
        if status:
            P_("STATUS", status)
    elif st == "ai1ec":
        P_("UID", src.uid)
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_("CREATED", created)
        P_("LAST-MODIFIED", modified)
        P_(*ds); P_(*de)
        if b["rrule"]:
            P_("RRULE", b["rrule"])
        for x in exdate_lines():
            P_(*x)
        P_("SUMMARY", esc(title))
        P_("DESCRIPTION", esc(desc))
        P_("X-ALT-DESC;FMTTYPE=text/html", esc("<p>%s</p>" % html_entities(desc)))
        P_("URL;VALUE=URI", event_url(src))
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        if status:
            P_("STATUS", status)
        P_("X-COST-TYPE", "free")
        P_("CATEGORIES", "Santé numérique")
    elif st == "aggregator":
        P_("UID", src.uid)
        P_("DTSTAMP", EXPORT_STAMP[src.feed])
        P_(*ds); P_(*de)
        P_("SUMMARY", esc(title))
        if b["loc"]:
            P_("LOCATION", esc(b["loc"]))
        if b["venue"] and rng.random() < 0.4:
            P_("GEO", "%.5f;%.5f" % VENUES[b["venue"]][3:5])
        P_("URL", event_url(src))
        ups = [FEED[x.feed]["name"] for x in src.cl.srcs if x.feed != AGG]
        P_("DESCRIPTION", esc("Source: %s. %s" % (ups[0] if ups else "community submissions", desc)))
        P_("CATEGORIES", "Health,Biotech")
        P_("STATUS", status or "CONFIRMED")
    else:
        raise ValueError(st)
    return L



def write_feed(feed):
    f = FEED[feed]
    st = f["style"]
    srcs = [s for cl in CLUSTERS for s in cl.srcs if s.feed == feed]
    if st in ("aggregator", "ai1ec", "meetup"):
        srcs.sort(key=lambda s: (s.start if isinstance(s.start, dt.datetime) else
                                 dt.datetime.combine(s.start, dt.time(0), tzinfo=ZONES[s.cl.city])))
    else:
        rng.shuffle(srcs)
    events = []
    for s in srcs:
        events.extend(ics_lines_for(s))
    zones = set()
    for ev in events:
        for n, v in ev:
            if ";TZID=" in n:
                zones.add(n.split("TZID=")[1].split(";")[0])
    head = []
    if st == "google":
        head = ["PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH", "X-WR-CALNAME:" + f["name"], "X-WR-TIMEZONE:Europe/Paris",
                "X-WR-CALDESC:Agenda public du programme d'accélération Pulsar MedTech (Paris & San Francisco)"]
        tz = VTZ
    elif st == "outlook":
        head = ["PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0", "METHOD:PUBLISH",
                "X-CALSTART:20270101T000000Z", "X-CALEND:20280101T000000Z", "X-CLIPSTART:20261231T080000Z",
                "X-CLIPEND:20280101T080000Z", "X-WR-RELCALID:{0000002E-7F8A-21C4-AB3D-B1F2C6A09E77}",
                "X-WR-CALNAME:" + f["name"], "X-PRIMARY-CALENDAR:FALSE", "X-OWNER;CN=BICM Events:mailto:events@bicm.example.org",
                "X-MS-OLK-WKHRSTART;TZID=\"Pacific Standard Time\":080000",
                "X-MS-OLK-WKHREND;TZID=\"Pacific Standard Time\":170000", "X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR"]
        tz = VTZ
    elif st == "apple":
        head = ["VERSION:2.0", "PRODID:-//Apple Inc.//macOS 14.6.1//EN", "CALSCALE:GREGORIAN",
                "X-WR-CALNAME:" + f["name"], "X-APPLE-CALENDAR-COLOR:#CC73E1", "X-WR-TIMEZONE:Europe/Paris"]
        tz = VTZ_APPLE
    elif st == "nextcloud":
        head = ["VERSION:2.0", "CALSCALE:GREGORIAN", "PRODID:-//IDN nextcloud.com//Calendar app 4.7.6//EN",
                "X-WR-CALNAME:" + f["name"], "X-APPLE-CALENDAR-COLOR:#0082C9"]
        tz = VTZ
    elif st == "meetup":
        head = ["VERSION:2.0", "PRODID:-//Meetup//RemoteApi//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                "X-ORIGINAL-URL:https://www.meetup.com/paris-digital-health-meetup/events/ical/",
                "X-WR-CALNAME:" + f["name"], "X-MS-OLK-FORCEINSPECTOROPEN:TRUE"]
        tz = {}
    elif st == "tec":
        head = ["VERSION:2.0", "PRODID:-//SF Office of Health Innovation - ECPv6.8.2//NONSGML v1.0//EN",
                "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + f["name"],
                "X-ORIGINAL-URL:https://healthinnovation.sf.example.org",
                "X-WR-CALDESC:Events for SF Office of Health Innovation", "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
                "X-Robots-Tag:noindex", "X-PUBLISHED-TTL:PT1H"]
        tz = {}
    elif st == "ai1ec":
        head = ["VERSION:2.0", "PRODID:-//Timely//All-in-One Event Calendar v2.6.8//EN", "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH", "X-WR-CALNAME:" + f["name"],
                "X-WR-CALDESC:Agenda collaboratif de la santé numérique en Île-de-France"]
        tz = {}
    else:
        head = ["VERSION:2.0", "PRODID:-//Bay Area Health & Bio Events//Aggregator 3.1//EN", "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH", "X-WR-CALNAME:" + f["name"], "X-PUBLISHED-TTL:PT6H"]
        tz = {}
    if st in FLOATING_STYLES or st in ("meetup", "aggregator"):
        assert not zones, (feed, zones)
    lines = ["BEGIN:VCALENDAR"] + head
    for z in sorted(zones):
        lines += tz[z]
    for ev in events:
        lines.append("BEGIN:VEVENT")
        for n, v in ev:
            lines.extend(fold("%s:%s" % (n, v)))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    eol = "\n" if st in FLOATING_STYLES else "\r\n"
    path = os.path.join(HERE, f["file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(eol.join(lines) + eol)
    return sum(1 for _ in events)


# =========================================================================== truth, config, README
def in_gap(d):
    return any(a <= d <= b for a, b in GAP_WEEKS)


def build_truth():
    clusters = []
    link_ids = {x for a, b, _, _ in LINKS for x in (a, b)}
    for cl in CLUSTERS:
        assert cl.srcs, cl.id
        srcs = sorted(cl.srcs, key=lambda s: FEED_ORDER[s.feed])
        members = []
        for s in srcs:
            if s.role == "master":
                members.append([s.feed, s.uid, None])
                for o in cl.series["occ"]:
                    if o in cl.series["moved"] or o in cl.series["cancelled"]:
                        members.append([s.feed, s.uid, iso_z(aware(cl.city, o))])
            elif s.role == "instance":
                members.append([s.feed, s.uid, iso_z(aware(cl.city, s.inst))])
            else:
                members.append([s.feed, s.uid, None])
        tags = set(cl.tags)
        rec = None
        if cl.series:
            ser = cl.series
            occ = [aware(cl.city, o) for o in ser["occ"] if o not in ser["exdates"]]
            start = occ[0]
            parts = list(ser["rule_parts"])
            parts.insert(1, "COUNT=%d" % ser["count"] if ser["count"] else
                         "UNTIL=%s (local)" % ser["until"].strftime("%Y-%m-%d"))
            ovs = []
            for o in ser["occ"]:
                if o in ser["moved"]:
                    ovs.append({"recurrence_id": iso_z(aware(cl.city, o)),
                                "start_utc": iso_z(aware(cl.city, ser["moved"][o])), "cancelled": False})
                elif o in ser["cancelled"]:
                    ovs.append({"recurrence_id": iso_z(aware(cl.city, o)),
                                "start_utc": iso_z(aware(cl.city, o)), "cancelled": True})
            rec = {"rrule": ";".join(parts), "exdates_utc": [iso_z(aware(cl.city, x)) for x in ser["exdates"]],
                   "occurrences_utc": [iso_z(x) for x in occ], "overrides": ovs}
            start_utc = iso_z(start)
            start_date = start.astimezone(ZONES[cl.city]).date().isoformat()
            days = [o.date() for o in ser["occ"]] + [v.date() for v in ser["moved"].values()]
        else:
            timed = [s for s in srcs if not s.allday]
            if timed:
                st = timed[0].start
                start_utc = iso_z(st)
                start_date = st.astimezone(ZONES[cl.city]).date().isoformat()
                offs = []
                for s in timed[1:]:
                    if s.start != st:
                        tags.add("start-off-by-minutes")
                        offs.append("%s %+d min" % (s.feed, int((s.start - st).total_seconds() // 60)))
                if offs and " min" not in cl.note:
                    cl.note += " Minutes-off copy (%s): the earliest-listed timed feed (%s) wins." % (
                        ", ".join(offs), timed[0].feed)
                days = [st.astimezone(ZONES[cl.city]).date()]
            else:
                start_utc = None
                start_date = srcs[0].start.isoformat()
                days = [srcs[0].start]
            if timed and len(timed) < len(srcs):
                tags.add("all-day-vs-timed")
            if not timed:
                tags.add("all-day")
        cancelled = any(s.status == "CANCELLED" for s in srcs if s.role in ("single", "master", "copy"))
        if cancelled:
            tags.add("cancelled-status")
        feeds = {s.feed for s in srcs}
        if len(feeds) > 1:
            tags.add("multi-feed")
        uids = Counter(s.uid for s in srcs)
        if len(uids) > 1:
            tags.add("different-uids")
        if any(n > 1 for n in uids.values()):
            tags.add("same-uid-across-feeds")
        for s in srcs:
            style = FEED[s.feed]["style"]
            if s.mode == "tz":
                tags.add("tzid-windows" if style == "outlook" else "tzid-olson")
                if s.zone != cl.city:
                    tags.add("written-in-other-city-zone")
            elif s.mode == "utc":
                tags.add("utc-z")
            else:
                tags.add("floating-no-xwr")
                if FEED[s.feed]["city"] != cl.city:
                    tags.add("floating-other-city")
            if FEED[s.feed]["city"] != cl.city:
                tags.add("listed-in-other-city-feed")
            if style == "ai1ec" and html_entities(s.title) != s.title:
                tags.add("html-entities")
        langs = {s.lang for s in srcs}
        if len(langs) > 1:
            tags.add("fr-en")
        if any(in_gap(d) for d in days):
            tags.add("dst-gap-weeks")
        if any(d in DST_DAYS for d in days):
            tags.add("dst-change-day")
        if cl.id in link_ids:
            tags.add("linked")
        c = {"id": cl.id, "city": cl.city, "title": cl.title, "members": members, "start_utc": start_utc,
             "start_date": start_date, "all_day": start_utc is None, "cancelled": cancelled, "note": cl.note,
             "tags": sorted(tags)}
        if rec:
            c["recurrence"] = rec
        clusters.append(c)
    for a, b, _, _ in LINKS:
        assert CL[a].city != CL[b].city, (a, b)
    return {"dataset": DATASET, "edition": YEAR,
            "feeds": [{"id": f["id"], "city": f["city"], "file": f["file"]} for f in FEEDS],
            "clusters": clusters, "links": [[a, b, why] for a, b, why, _ in LINKS]}


def write_toml():
    out = ["# Paris <-> San Francisco event bridge: feed configuration (%s dataset, edition %d)." % (DATASET, YEAR),
           "# Feeds are listed from most to least authoritative: when sources of the",
           "# same event disagree on the start time, the earliest-listed timed one wins.",
           "# `url` is relative to this folder. A floating time in a feed without",
           "# X-WR-TIMEZONE is in the time zone of the city where the event takes place.", "",
           "[cities.paris]", 'name = "Paris"', 'timezone = "Europe/Paris"', "",
           "[cities.san-francisco]", 'name = "San Francisco"', 'timezone = "America/Los_Angeles"', ""]
    for f in FEEDS:
        out += ["# %s -- %s" % (f["name"], f["kind"]), "[[feeds]]", 'id = "%s"' % f["id"],
                'city = "%s"' % f["city"], 'url = "%s"' % f["file"], ""]
    with open(os.path.join(HERE, "feeds.toml"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


TRAPS = [
    ("1", "Event city != feed city", "listed-in-other-city-feed",
     "Paris programme feed (Pulsar) lists its SF sessions with 941xx addresses / TZID America/Los_Angeles / "
     "'(San Francisco)' markers; the SF institute (BICM, Outlook) lists Paris workshops (750xx, Saclay 91190, "
     "La Défense) in Romance Standard Time or even in Pacific Standard Time; the Paris i-Lab writes SF talks in "
     "TZID Europe/Paris; the SF aggregator lists Paris events in UTC; zone-less feeds list the other city."),
    ("2", "Floating times of the other city in a zone-less feed", "floating-other-city",
     "paris-agenda (no X-WR-TIMEZONE) lists SF events in SF wall-clock time; sf-cityhall (no X-WR-TIMEZONE) "
     "lists Paris events in Paris wall-clock time."),
    ("3", "French <-> English titles of one event", "fr-en",
     "Real translations, e.g. 'Conférence : l'IA au service de la santé, regards croisés Paris–San Francisco' / "
     "'Talk: AI for Healthcare — Paris & San Francisco perspectives'."),
    ("4", "Series in one feed, single occurrences elsewhere under talk titles, other zone, across DST",
     "series-instances-elsewhere",
     "RRULE + EXDATE + moved override + cancelled override; instances re-published in another feed (other zone "
     "or UTC or floating), on both sides of the US (Mar 14 / Nov 7) and EU (Mar 28 / Oct 31) changes."),
    ("5", "Title noise", None,
     "co-host titles, prefixes ('[Agenda] ', 'Off : ', '[SF] ', 'Pulsar MedTech –'), venue appended, accents "
     "stripped, HTML entities (&#8211; &amp; &#8217;), case, punctuation, Outlook 'Canceled: '."),
    ("6", "Links across languages and time", "linked",
     "watch parties / duplex with FR and EN sides (one floating), exchange legs six months apart, the joint "
     "annual review alternating Paris (June) and SF (November), twin lecture rooms, two-city programmes."),
]
NOISE_TAGS = ["accents", "title-prefix", "title-case", "title-punctuation", "venue-appended"]


def write_readme(truth, counts):
    cl = truth["clusters"]
    tagc = Counter(t for c in cl for t in c["tags"])
    n_multi = sum(1 for c in cl if "multi-feed" in c["tags"])
    pairs = 0
    for c in cl:
        units = {(m[0], m[1]) for m in c["members"]}
        pairs += len(units) * (len(units) - 1) // 2
    units_total = len({(m[0], m[1]) for c in cl for m in c["members"]})
    n_cancel = sum(1 for c in cl if c["cancelled"])
    n_cinst = sum(1 for c in cl if c.get("recurrence") for o in c["recurrence"]["overrides"] if o["cancelled"])
    n_series = sum(1 for c in cl if c.get("recurrence"))
    other_city_vevents = 0
    for c in CLUSTERS:
        for s in c.srcs:
            if FEED[s.feed]["city"] != c.city:
                other_city_vevents += 1
    kinds = Counter(k for _, _, _, k in LINKS)
    noise = sum(1 for c in cl if any(t in c["tags"] for t in NOISE_TAGS))
    total = sum(counts.values())
    L = ["# %s (Paris <-> San Francisco event bridge, blind test set)" % DATASET, "",
         "**Written blind: the author never read the bridge's source or tests.** Everything here was produced by "
         "`make_dataset.py` (seed %d, standard library only); do not edit by hand, re-run the generator." % SEED, "",
         "## Theme", "",
         "Digital health, biotech and medtech exchange between Paris and San Francisco in %d: the Pulsar MedTech "
         "accelerator (cohort in both cities, Demo Days, regulatory office hours, an immersion week in SF), two "
         "hospital innovation labs (i-Lab Santé of the Hôpital Sainte-Aurélie in Paris 14e, the Digital Health "
         "Lab of Mission Bay Hospital in SF), university seminars (Université Lutèce 'Données & Santé', BICM "
         "Computational Medicine Seminar), the bi-located Health Data Hackathon (Oct 1-3), a clinician-researcher "
         "exchange, and the joint annual review of the Paris–SF Digital Health Alliance (Paris leg in June, SF "
         "leg in November). All organisations, venues and people are invented." % YEAR, "",
         "Same format and truth rules as `shared/datasets/sister-cities` (see its README), with the refinement "
         "that a floating time is in the feed's X-WR-TIMEZONE if it has one, otherwise in the zone of the city "
         "**where the event takes place** (no feed here has floating times with X-WR-TIMEZONE).", "",
         "2027 clock changes: US Mar 14 / Nov 7, EU Mar 28 / Oct 31 (Paris–SF are 8 h apart Mar 14–27 and "
         "Oct 31–Nov 6).", "",
         "## Feeds (feeds.toml order, most to least authoritative)", "",
         "| # | id | city | producer style | VEVENTs |", "| --- | --- | --- | --- | --- |"]
    for i, f in enumerate(FEEDS, 1):
        L.append("| %d | `%s` | %s | %s | %d |" % (i, f["id"], f["city"], f["kind"], counts[f["id"]]))
    L += ["", "Total: **%d VEVENTs** (count of BEGIN:VEVENT, overrides included)." % total, "",
          "## Counts", "",
          "| what | count |", "| --- | --- |",
          "| real-world events (clusters) | %d |" % len(cl),
          "| distinct source events (feed, UID) | %d |" % units_total,
          "| events in more than one feed | %d |" % n_multi,
          "| duplicate pairs (true source pairs, as scored) | %d |" % pairs,
          "| cross-city links | %d |" % len(truth["links"]),
          "| cancelled events | %d |" % n_cancel,
          "| cancelled series instances | %d |" % n_cinst,
          "| recurring series | %d |" % n_series,
          "| source VEVENTs listed in a feed of the other city | %d |" % other_city_vevents,
          "| clusters whose UID is reused by another feed for a different event | %d |" % tagc["uid-reused-by-other-feed"],
          "| clusters whose sources share a UID across feeds | %d |" % tagc["same-uid-across-feeds"],
          "", "## Traps", "", "| # | trap | clusters | how |", "| --- | --- | --- | --- |"]
    for num, name, tag, how in TRAPS:
        if tag:
            n = tagc[tag]
        else:
            n = noise
        extra = ""
        if num == "1":
            extra = " (%d source VEVENTs)" % other_city_vevents
        if num == "4":
            extra = " series (of %d; %d stand-alone instance VEVENTs)" % (
                n_series, sum(1 for c in CLUSTERS for s in c.srcs if s.role == "instance"))
        if num == "5":
            extra = " with explicit noise (+ %d with HTML entities in the agenda)" % tagc["html-entities"]
        if num == "6":
            n = len(truth["links"])
            extra = " links: " + ", ".join("%s %d" % (k, v) for k, v in sorted(kinds.items()))
        L.append("| %s | %s | %d%s | %s |" % (num, name, n, extra, how))
    L += ["", "Traps 1, 3 and 4 are emphasised (the most instances).", "",
          "Other difficulties and hard negatives (clusters per tag):", ""]
    for t in ["start-off-by-minutes", "all-day-vs-timed", "all-day", "cancelled-in-some-sources-only",
              "cancelled-instance", "exdate", "moved-instance", "series-copied-as-series",
              "written-in-other-city-zone", "dst-gap-weeks", "dst-change-day", "hard-negative", "link-negative",
              "parallel-session", "near-duplicate-title", "monthly-same-title", "two-demo-days-one-day",
              "same-time-same-city", "same-topic-other-city", "other-edition", "uid-reused-by-other-feed",
              "same-uid-across-feeds"]:
        L.append("* `%s`: %d" % (t, tagc[t]))
    L += ["", "## Links", "", "| Paris / SF cluster | other cluster | kind | why |", "| --- | --- | --- | --- |"]
    for a, b, why, kind in LINKS:
        L.append("| `%s` | `%s` | %s | %s |" % (a, b, kind, why))
    L += ["", "Link negatives (same topic, brand or date, NOT linked): %d clusters tagged `link-negative`, e.g. "
          "the two FHIR meetups, Women in Digital Health Paris / Women in HealthTech SF, World Diabetes Day in both "
          "cities, the Paris and SF monthly Digital Health Meetups, the BioBridge Demo Day, the 2026 review edition, "
          "the Paris MDR and SF FDA office hours." % tagc["link-negative"]]
    L += ["", "## All tags", "", "| tag | clusters |", "| --- | --- |"]
    for t, n in sorted(tagc.items()):
        L.append("| `%s` | %d |" % (t, n))
    L += ["", "## Files", "",
          "* `make_dataset.py` — the generator (deterministic).",
          "* `check_dataset.py` — independent checks with `icalendar` (parses every feed, matches every VEVENT "
          "to exactly one truth member, recomputes starts / occurrences from the feed text).",
          "* `feeds.toml`, `feeds/*.ics`, `truth.json` — the dataset.", ""]
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(L))


def main():
    scenarios()
    for cl in CLUSTERS:
        if cl.venue:
            d = cl.start_local if cl.allday else cl.start_local.date()
            _busy.add((cl.venue, d))
            if cl.series:
                for o in cl.series["occ"]:
                    _busy.add((cl.venue, o.date()))
    filler()
    uid_tricks()
    counts = {f["id"]: write_feed(f["id"]) for f in FEEDS}
    truth = build_truth()
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    write_toml()
    write_readme(truth, counts)
    print("VEVENTs per feed:", counts, "total", sum(counts.values()))
    print("clusters", len(truth["clusters"]), "links", len(truth["links"]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate the blind-mobility-energy-2027 dataset (Paris <-> San Francisco event bridge).

Theme: smart energy grids, urban mobility and climate tech, edition 2027.
Deterministic: random.Random(SEED); standard library only for generation
(`icalendar` is only used by the --check step).

    python3 make_dataset.py            # writes feeds/, feeds.toml, truth.json, README.md
    python3 make_dataset.py --check    # same, then parses and cross-checks everything

Written blind: the author never read the bridge's source or tests.
"""

import datetime as dt
import json
import os
import random
import sys
from collections import Counter, OrderedDict, defaultdict
from zoneinfo import ZoneInfo

SEED = 2733
DATASET = "blind-mobility-energy-2027"
EDITION = 2027
OUT = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc
ZP = ZoneInfo("Europe/Paris")
ZS = ZoneInfo("America/Los_Angeles")
P, SF = "paris", "san-francisco"
CITY_TZ = {P: ZP, SF: ZS}
CITY_TZNAME = {P: "Europe/Paris", SF: "America/Los_Angeles"}
WIN_NAME = {"Europe/Paris": "Romance Standard Time", "America/Los_Angeles": "Pacific Standard Time"}
WIN_TO_IANA = {v: k for k, v in WIN_NAME.items()}
ZONE = {"Europe/Paris": ZP, "America/Los_Angeles": ZS}

# 2027 clock changes: US Mar 14 / Nov 7, EU Mar 28 / Oct 31.
DST_CHANGE_DAYS = {dt.date(2027, 3, 14), dt.date(2027, 3, 28), dt.date(2027, 10, 31), dt.date(2027, 11, 7)}


def in_gap(d):
    return dt.date(2027, 3, 14) <= d < dt.date(2027, 3, 28) or dt.date(2027, 10, 31) <= d < dt.date(2027, 11, 7)


rng = random.Random(SEED)

# --------------------------------------------------------------------------- feeds
# Most to least authoritative.
FEEDS = [
    dict(key="L", id="paris-lumen", city=P, file="feeds/paris-lumen-reseaux.ics", style="google",
         calname="Lumen Réseaux — Innovation & événements 2027",
         kind="grid operator's events calendar (utility innovation days, workshops), Google Calendar export"),
    dict(key="G", id="sf-g3i", city=SF, file="feeds/sf-g3i-events.ics", style="outlook",
         calname="Golden Gate Grid Institute (G3I) — Events",
         kind="grid research centre (seminar series, workshops, its Paris workshops), Exchange/Outlook export"),
    dict(key="X", id="sf-mobility-expo", city=SF, file="feeds/sf-bay-mobility-expo.ics", style="apple",
         calname="Bay Mobility Expo 2027",
         kind="EV/mobility expo organiser, Apple Calendar export (structured locations)"),
    dict(key="T", id="paris-twin", city=P, file="feeds/paris-sf-climat-programme.ics", style="cms",
         calname="Paris ⇄ San Francisco — Climat, énergie & mobilités (programme conjoint)",
         kind="joint Paris–SF programme published by Paris city hall CMS: events in BOTH cities, floating times, no X-WR-TIMEZONE"),
    dict(key="M", id="sf-climate-meetup", city=SF, file="feeds/sf-climate-tech-meetup.ics", style="meetup",
         calname="SF Climate Tech Community",
         kind="Meetup community feed (UTC times)"),
    dict(key="A", id="paris-agenda", city=P, file="feeds/paris-agenda-climat.ics", style="wordpress",
         calname="Agenda Climat & Énergie — Île-de-France",
         kind="regional agenda, WordPress All-in-One Event Calendar (floating + X-WR-TIMEZONE, HTML entities, LF)"),
    dict(key="B", id="sf-aggregator", city=SF, file="feeds/sf-bay-energy-calendar.ics", style="aggregator",
         calname="Bay Area Energy & Climate Calendar (aggregated)",
         kind="aggregator, every time in UTC, keeps some upstream UIDs"),
]
FEED = {f["key"]: f for f in FEEDS}
FEED_ORDER = {f["key"]: i for i, f in enumerate(FEEDS)}

# --------------------------------------------------------------------------- venues
V = {
    # Paris (and Paris region)
    "lumen": ("Campus Lumen Réseaux", "34 place des Corolles, 92400 Courbevoie", P, (48.8897, 2.2450), "La Défense"),
    "arsenal": ("Pavillon de l'Arsenal", "21 boulevard Morland, 75004 Paris", P, (48.8510, 2.3632), "Paris 4e"),
    "brongniart": ("Palais Brongniart", "28 place de la Bourse, 75002 Paris", P, (48.8691, 2.3412), "Paris 2e"),
    "pajol": ("Halle Pajol", "20 esplanade Nathalie-Sarraute, 75018 Paris", P, (48.8880, 2.3607), "Paris 18e"),
    "gridlab": ("GridLab Paris-Saclay, bâtiment Bréguet", "3 rue Joliot-Curie, 91190 Gif-sur-Yvette", P, (48.7090, 2.1660), "Plateau de Saclay"),
    "cite": ("Cité des sciences et de l'industrie", "30 avenue Corentin-Cariou, 75019 Paris", P, (48.8957, 2.3877), "Paris 19e"),
    "docks": ("Les Docks – Cité de la Mode et du Design", "34 quai d'Austerlitz, 75013 Paris", P, (48.8405, 2.3700), "Paris 13e"),
    "mutualite": ("Maison de la Mutualité", "24 rue Saint-Victor, 75005 Paris", P, (48.8491, 2.3509), "Paris 5e"),
    "bpi": ("Bpifrance Le Hub", "6-8 boulevard Haussmann, 75009 Paris", P, (48.8722, 2.3406), "Paris 9e"),
    "academie": ("Académie du Climat", "2 place Baudoyer, 75004 Paris", P, (48.8559, 2.3544), "Paris 4e"),
    "canaux": ("Le Pavillon des Canaux", "39 quai de la Loire, 75019 Paris", P, (48.8876, 2.3773), "Paris 19e"),
    "mairie13": ("Mairie du 13e arrondissement", "1 place d'Italie, 75013 Paris", P, (48.8317, 2.3556), "Paris 13e"),
    "mairie14": ("Mairie du 14e arrondissement", "2 place Ferdinand-Brunot, 75014 Paris", P, (48.8331, 2.3264), "Paris 14e"),
    "poste": ("Poste source Lumen Réseaux de Saclay", "route de Saint-Aubin, 91190 Saint-Aubin", P, (48.7140, 2.1410), "Plateau de Saclay"),
    "bnf": ("Parvis de la Bibliothèque François-Mitterrand", "quai François-Mauriac, 75013 Paris", P, (48.8336, 2.3770), "Paris 13e"),
    "villette": ("Parc de la Villette – Prairie du Triangle", "211 avenue Jean-Jaurès, 75019 Paris", P, (48.8904, 2.3934), "Paris 19e"),
    "recyclerie": ("La REcyclerie", "83 boulevard Ornano, 75018 Paris", P, (48.8978, 2.3444), "Paris 18e"),
    # San Francisco
    "g3i": ("Golden Gate Grid Institute (G3I)", "499 Illinois St, San Francisco, CA 94158", SF, (37.7680, -122.3874), "Mission Bay"),
    "fortmason": ("Fort Mason Center", "2 Marina Blvd, San Francisco, CA 94123", SF, (37.8063, -122.4316), "Marina"),
    "presidio": ("Presidio Officers' Club", "50 Moraga Ave, San Francisco, CA 94129", SF, (37.7986, -122.4588), "Presidio"),
    "exploratorium": ("Exploratorium", "Pier 15, The Embarcadero, San Francisco, CA 94111", SF, (37.8015, -122.3975), "Embarcadero"),
    "msp": ("Minnesota Street Project", "1275 Minnesota St, San Francisco, CA 94107", SF, (37.7545, -122.3899), "Dogpatch"),
    "terrahub": ("Terra Hub SF", "650 Townsend St, San Francisco, CA 94103", SF, (37.7706, -122.4030), "SoMa"),
    "sfpuc": ("SFPUC Headquarters", "525 Golden Gate Ave, San Francisco, CA 94102", SF, (37.7809, -122.4187), "Civic Center"),
    "nikko": ("Hotel Nikko San Francisco", "222 Mason St, San Francisco, CA 94102", SF, (37.7857, -122.4094), "Union Square"),
    "treasure": ("Treasure Island, Building 1", "1 Avenue of the Palms, San Francisco, CA 94130", SF, (37.8234, -122.3707), "Treasure Island"),
    "ucsf": ("UCSF Mission Bay Conference Center", "1675 Owens St, San Francisco, CA 94158", SF, (37.7676, -122.3933), "Mission Bay"),
    "anchor": ("Anchor Public Taps", "495 De Haro St, San Francisco, CA 94107", SF, (37.7639, -122.4015), "Potrero Hill"),
    "deviant": ("Standard Deviant Brewing", "280 14th St, San Francisco, CA 94103", SF, (37.7682, -122.4183), "Mission"),
    "localbrew": ("Local Brewing Co.", "69 Bluxome St, San Francisco, CA 94107", SF, (37.7762, -122.3946), "SoMa"),
    "tunneltops": ("Presidio Tunnel Tops", "210 Lincoln Blvd, San Francisco, CA 94129", SF, (37.8030, -122.4620), "Presidio"),
    "jfk": ("Golden Gate Park – JFK Promenade", "JFK Promenade, San Francisco, CA 94118", SF, (37.7710, -122.4660), "Golden Gate Park"),
}


# --------------------------------------------------------------------------- spec helpers
CLUSTERS = []   # in writing order
LINKS = []      # (a, b, why)
NAMED_UIDS = {}  # key -> uid (shared UIDs)


def at(city, s):
    """'YYYY-MM-DD HH:MM' wall clock in the city -> aware datetime in that zone."""
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=CITY_TZ[city])


def a(feed, **o):
    o["feed"] = feed
    return o


def ev(cid, city, when, dur=None, title="", venue=None, room=None, apps=(), tags=(), note="", end=None, desc=""):
    start = at(city, when)
    if end is not None:
        endt = at(city, end)
    else:
        endt = start + dt.timedelta(minutes=dur)
    CLUSTERS.append(dict(kind="single", id=cid, city=city, start=start, end=endt, title=title, venue=venue,
                         room=room, apps=list(apps), tags=list(tags), note=note, desc=desc))


def series(cid, city, title, venue, room, first, dur, rule, exdates=(), overrides=(), master=None,
           copies=(), instances=(), tags=(), note="", desc=""):
    """rule: dict(freq=WEEKLY|DAILY|MONTHLY, byday='TH' or '1TU', count=N).
    overrides: dicts(rid='YYYY-MM-DD HH:MM' original local, new='YYYY-MM-DD HH:MM' or None, cancelled=bool, room=, title=)
    instances: apps with rid='YYYY-MM-DD HH:MM' (original local occurrence) standing alone in another feed."""
    CLUSTERS.append(dict(kind="series", id=cid, city=city, title=title, venue=venue, room=room,
                         first=at(city, first), dur=dur, rule=rule, exdates=[at(city, x) for x in exdates],
                         overrides=list(overrides), master=master, copies=list(copies),
                         instances=list(instances), tags=list(tags), note=note, desc=desc))


def link(x, y, why):
    LINKS.append((x, y, why))


WD = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def expand(first, rule):
    """Occurrences (aware, in first's zone, wall clock kept) of a simple RRULE."""
    tz = first.tzinfo
    naive = first.replace(tzinfo=None)
    out = []
    n = rule["count"]
    if rule["freq"] == "DAILY":
        out = [naive + dt.timedelta(days=i) for i in range(n)]
    elif rule["freq"] == "WEEKLY":
        assert WD[naive.weekday()] == rule["byday"]
        out = [naive + dt.timedelta(days=7 * i) for i in range(n)]
    elif rule["freq"] == "MONTHLY":
        nth, day = int(rule["byday"][:-2]), WD.index(rule["byday"][-2:])
        y, m = naive.year, naive.month
        while len(out) < n:
            d1 = dt.date(y, m, 1)
            first_wd = d1 + dt.timedelta(days=(day - d1.weekday()) % 7)
            d = first_wd + dt.timedelta(days=7 * (nth - 1))
            cand = dt.datetime.combine(d, naive.time())
            if cand >= naive:
                out.append(cand)
            m += 1
            if m == 13:
                y, m = y + 1, 1
    return [x.replace(tzinfo=tz) for x in out]


def rule_text(rule):
    return "FREQ=%s;BYDAY=%s;COUNT=%d" % (rule["freq"], rule["byday"], rule["count"]) if rule["freq"] != "DAILY" \
        else "FREQ=DAILY;COUNT=%d" % rule["count"]


def u(d):
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# =========================================================================== SPECS
# Feed keys: L paris-lumen (Google) · G sf-g3i (Outlook) · X sf-mobility-expo (Apple)
#            T paris-twin (city-hall CMS, floating, no X-WR) · M sf-climate-meetup (Meetup, UTC)
#            A paris-agenda (WordPress, floating + X-WR-TIMEZONE Paris) · B sf-aggregator (UTC)
# App options: t=title, off=minutes, ad=all-day, st=STATUS, uid=shared-uid key ("@L" = that cluster's L uid),
#              loc=location text, tz=utc|paris|sf (zone written), geo=bool, desc=text.

# ---------------------------------------------------------------- Lumen Innovation Days (Paris, Mar 16-18: DST gap weeks)
ev("lid-2027", P, "2027-03-16 09:00", end="2027-03-18 18:00", title="Journées de l'innovation Lumen Réseaux 2027",
   venue="lumen",
   desc="Trois jours de conférences, d'ateliers et de démonstrations sur les réseaux électriques intelligents.",
   apps=[a("L"), a("A", ad=True), a("T", ad=True, t="Journées de l'innovation de Lumen Réseaux (La Défense)"),
         a("B", ad=True, t="Lumen Réseaux Innovation Days 2027 (Paris)")],
   tags=["fr-en", "venue-in-title"],
   note="Three-day utility innovation days: timed in the organiser's Google feed, all-day in the agenda, the joint programme and the SF aggregator (English title).")
ev("lid-pleniere", P, "2027-03-16 09:30", 90, "Plénière d'ouverture : le réseau à l'heure de l'électrification",
   venue="lumen", room="Auditorium Curie",
   desc="Ouverture des Journées par la direction de Lumen Réseaux et le Golden Gate Grid Institute.",
   apps=[a("L"), a("A", t="LID 2027 – Plénière d'ouverture"), a("T", t="Journées Lumen : plénière d'ouverture")],
   tags=["title-prefix", "co-host-title"],
   note="Opening plenary; the agenda shortens it behind an 'LID 2027 –' prefix, the joint programme uses its own wording.")
for cid, room, title, tw in [
        ("lid-at-flex", "Salle Ampère", "Atelier : flexibilité de la demande résidentielle",
         "Atelier – Flexibilité de la demande résidentielle"),
        ("lid-at-stock", "Salle Volta", "Atelier : stockage stationnaire et seconde vie des batteries",
         "Atelier – Stockage stationnaire & seconde vie des batteries")]:
    ev(cid, P, "2027-03-16 14:00", 90, title, venue="lumen", room=room,
       apps=[a("L"), a("A", t=tw)], tags=["parallel-session", "hard-negative", "title-punctuation"],
       note="One of three parallel workshops, same venue and slot (rooms differ); must not merge with the others.")
ev("lid-at-twin", P, "2027-03-16 14:00", 90, "Atelier : jumeaux numériques du réseau de distribution",
   venue="lumen", room="Salle Faraday",
   apps=[a("L"), a("G", t="Workshop: Digital Twins of the Distribution Grid (Lumen Innovation Days)",
                   loc="Salle Faraday, Campus Lumen Réseaux, La Défense")],
   tags=["parallel-session", "hard-negative", "fr-en"],
   note="Third parallel workshop; co-run by G3I, whose Outlook feed lists it in English in Romance Standard Time.")
ev("lid-ia-gen", P, "2027-03-17 10:00", 120, "Atelier IA générative pour la conduite du réseau", venue="lumen",
   room="Salle Ampère",
   apps=[a("L"), a("A", t="Atelier IA generative pour la conduite du reseau")],
   tags=["near-duplicate-title", "hard-negative", "accents"],
   note="Differs by one word from the afternoon 'IA responsable' workshop (same room). Accents stripped in the agenda.")
ev("lid-ia-resp", P, "2027-03-17 14:00", 120, "Atelier IA responsable pour la conduite du réseau", venue="lumen",
   room="Salle Ampère",
   apps=[a("L"), a("A")], tags=["near-duplicate-title", "hard-negative"],
   note="Near-duplicate title of the morning workshop, same room, same day: a different event.")
ev("lid-tr-irve", P, "2027-03-17 11:00", 75, "Table ronde : recharger en copropriété sans renforcer le réseau",
   venue="lumen", room="Auditorium Curie",
   apps=[a("L"), a("A", t="Table ronde – IRVE en copropriété : comment raccorder sans renforcer ?", off=15)],
   tags=["co-host-title", "start-off-by-minutes"],
   note="The agenda uses the co-host's title (IRVE jargon) and starts 15 min late; Google feed wins.")
ev("lid-demo-link", P, "2027-03-17 16:00", 45, "Démonstration : le compteur communicant Lumen Link", venue="lumen",
   room="Hall d'exposition", apps=[a("L")], note="Single-feed demo.")
ev("lid-trophees", P, "2027-03-17 18:30", 120, "Trophées Lumen de l'innovation 2027", venue="lumen",
   room="Auditorium Curie",
   apps=[a("L", t="Trophées Lumen de l'innovation 2027 — cérémonie"),
         a("A", t="Remise des Trophées Lumen de l'innovation", uid="@L")],
   tags=["co-host-title"],
   note="The agenda imported the Google event and kept its UID, with another title.")
ev("sfpp-day", SF, "2027-03-17 09:00", 420, "SF Public Power Innovation Day 2027", venue="sfpuc",
   apps=[a("B"), a("M", t="Public Power Innovation Day: utility innovation showcase")],
   tags=["link-negative", "same-topic-other-city"],
   note="Utility innovation day in SF the same week as Lumen's Paris days: same topic, no relation (no link).")
ev("lid-visite", P, "2027-03-18 09:00", 180, "Visite technique : poste source de Saclay", venue="poste",
   apps=[a("L"), a("A", t="Visite technique – poste source Paris-Saclay", uid="@L",
                   loc="Plateau de Saclay (rendez-vous communiqué aux inscrits)")],
   tags=["location-variant", "title-punctuation"],
   note="Site visit; the agenda kept the Google UID, vaguer location.")
ev("lid-keynote", P, "2027-03-18 16:00", 60,
   "Keynote de clôture : la flexibilité, nouvelle ressource du système électrique", venue="lumen",
   room="Auditorium Curie",
   apps=[a("L"), a("A"), a("B", t="Closing keynote: flexibility as a grid resource — Lumen Innovation Days, Paris")],
   tags=["fr-en", "watch-party"],
   note="Paris keynote (15:00Z, gap week: Paris is UTC+1, SF already UTC-7). The SF aggregator lists it in English. Relayed live by the G3I breakfast watch party.")
ev("lid-watch-sf", SF, "2027-03-18 08:00", 90, "Watch party: Lumen Innovation Days closing keynote, live from Paris",
   venue="g3i", room="Forum Hall",
   desc="Coffee, croissants and the Paris closing keynote streamed live.",
   apps=[a("G"), a("M", t="Breakfast watch party — Paris keynote on grid flexibility (live)"),
         a("T", t="Retransmission à San Francisco de la keynote de clôture des Journées Lumen",
           loc="G3I, Mission Bay, San Francisco")],
   tags=["fr-en", "watch-party"],
   note="SF side of the keynote relay: same instant as the Paris keynote but another event (linked). The Paris joint programme writes it as floating 08:00, SF wall clock.")
link("lid-keynote", "lid-watch-sf", "G3I breakfast watch party relays the Lumen Innovation Days closing keynote live from Paris")
ev("lid-cocktail", P, "2027-03-18 17:30", 120, "Cocktail de clôture des Journées de l'innovation", venue="lumen",
   room="Hall d'exposition", apps=[a("L"), a("A", st="CANCELLED")],
   note="Cancelled in the agenda only; the Google feed still shows it confirmed: the event is cancelled.")

# ---------------------------------------------------------------- G3I (SF research centre) and its seminar series
series("g3i-seminar", SF, "G3I Grid Research Seminar", "g3i", "Forum Hall", "2027-02-25 12:00", 60,
       dict(freq="WEEKLY", byday="TH", count=12), exdates=["2027-04-01 12:00"],
       overrides=[dict(rid="2027-03-25 12:00", cancelled=True),
                  dict(rid="2027-04-15 12:00", new="2027-04-16 10:00", room="Room 210")],
       master=a("G"),
       instances=[
           a("B", rid="2027-03-04 12:00", t="Grid Seminar: Probabilistic Hosting Capacity for EV Fleets (Ana Ruiz)"),
           a("B", rid="2027-03-18 12:00", t="Grid Seminar — Local Flexibility Markets (Claire Moreau, Lumen Réseaux)"),
           a("L", rid="2027-03-18 12:00", tz="paris",
             t="Séminaire au G3I (San Francisco) : marchés locaux de flexibilité — intervention de Claire Moreau",
             loc="Golden Gate Grid Institute, 499 Illinois St, San Francisco, CA 94158, USA"),
           a("B", rid="2027-03-25 12:00", t="Grid Seminar: Wildfire-Aware Grid Operations (Daniel Okafor)"),
           a("B", rid="2027-04-15 12:00", t="Grid Seminar: Transactive Energy in Mission Bay (Mei Chen) — moved to Friday"),
           a("M", rid="2027-05-06 12:00", t="G3I Grid Seminar — Heat Pumps and Winter Peaks (Priya Raman)")],
       tags=["talk-titles"],
       desc="Weekly lunchtime seminar of the Golden Gate Grid Institute. Open to the public.",
       note="Weekly Thursday series (Outlook, Pacific Standard Time) across both 2027 DST changes (US Mar 14, EU Mar 28); EXDATE Apr 1 (spring break), Mar 25 cancelled by override, Apr 15 moved to Fri Apr 16 10:00. Talk titles published one by one in the aggregator (UTC, the cancelled week still confirmed, the moved week at its new time), in Meetup, and in the Paris Lumen feed in Europe/Paris time (20:00).")
ev("g3i-ws-hosting", SF, "2027-04-22 09:00", 180, "G3I Workshop: Distribution Grid Hosting Capacity", venue="g3i",
   room="Room 210", apps=[a("G"), a("B", t="Hosting Capacity Workshop @ G3I")],
   tags=["parallel-session", "hard-negative", "venue-in-title"],
   note="Two G3I workshops in parallel (same building, same slot).")
ev("g3i-ws-transmission", SF, "2027-04-22 09:00", 180, "G3I Workshop: Transmission Planning under Electrification",
   venue="g3i", room="Forum Hall", apps=[a("G")], tags=["parallel-session", "hard-negative"],
   note="Parallel workshop to the hosting-capacity one.")
ev("g3i-paris-privacy", P, "2027-02-09 14:00", 150,
   "Atelier G3I à Paris : données des compteurs communicants et vie privée", venue="academie",
   apps=[a("G", t="G3I Paris Workshop: Smart-Meter Data & Privacy"),
         a("L", t="Atelier G3I : données des compteurs communicants et vie privée"),
         a("A", t="Atelier : compteurs communicants & vie privée (avec le G3I de San Francisco)")],
   tags=["fr-en", "tzid-reveals-city", "mentions-other-city"],
   note="Paris workshop listed by the SF research centre in Romance Standard Time; the agenda title mentions San Francisco but the event is in Paris (4e).")
ev("g3i-paris-gfm", P, "2027-06-08 10:00", 240, "Atelier onduleurs grid-forming (G3I × GridLab)", venue="gridlab",
   apps=[a("G", t="G3I Paris Workshop: Grid-Forming Inverters", tz="sf"), a("L")],
   tags=["fr-en", "zone-not-city"],
   note="Paris-Saclay workshop written by G3I in Pacific Standard Time (01:00 local SF): only the location says Paris.")
ev("g3i-winter-school", P, "2027-01-25 09:00", 120, "École d'hiver G3I–GridLab : lancement", venue="gridlab",
   apps=[a("G", t="[Paris] G3I–GridLab Winter School kickoff", loc="Bâtiment Bréguet"),
         a("L", tz="utc")],
   tags=["fr-en", "title-marker-only", "title-prefix"],
   note="Outlook copy has only a '[Paris]' title marker and a bare building name as location; Google copy in UTC.")
ev("g3i-openhouse", SF, "2027-09-16 16:00", 180, "G3I Open House 2027", venue="g3i",
   apps=[a("G"), a("B", t="G3I Open House"), a("M", t="Golden Gate Grid Institute — Open House 2027")],
   tags=["title-punctuation"], note="Open house in three SF feeds.")
ev("g3i-lecture-islanded", SF, "2027-10-21 16:00", 75,
   "G3I Distinguished Lecture: Resilience of Islanded Microgrids", venue="g3i", room="Forum Hall",
   apps=[a("G"), a("B")], tags=["near-duplicate-title", "hard-negative"],
   note="Distinguished lecture; the November one differs by one word.")
ev("g3i-lecture-networked", SF, "2027-11-18 16:00", 75,
   "G3I Distinguished Lecture: Resilience of Networked Microgrids", venue="g3i", room="Forum Hall",
   apps=[a("G"), a("B", off=-15)], tags=["near-duplicate-title", "hard-negative", "start-off-by-minutes"],
   note="Near-duplicate of the October lecture (after US DST end). Aggregator 15 min early.")
ev("exch-info", SF, "2027-09-09 12:00", 60, "Grid Fellows 2028: call for applications — info session", venue="g3i",
   room="Room 210", apps=[a("G"), a("M", t="Grid Fellows 2028 info session (Paris–SF exchange)")],
   tags=["link-negative", "same-brand"],
   note="Info session about next year's exchange: same brand as the two exchange legs, not part of them (no link).")

# ---- GridLab Saclay monthly seminar (Paris): Google master, Outlook copy as series, agenda single instances
series("gridlab-seminar", P, "Séminaire GridLab Saclay", "gridlab", "Amphi Janet", "2027-01-05 14:00", 90,
       dict(freq="MONTHLY", byday="1TU", count=6),
       overrides=[dict(rid="2027-04-06 14:00", new="2027-04-08 10:00", room="Salle du conseil")],
       master=a("L"),
       copies=[a("G", t="GridLab Saclay Seminar (Paris)")],
       instances=[a("A", rid="2027-03-02 14:00", t="Séminaire GridLab : estimation d'état par apprentissage"),
                  a("A", rid="2027-04-06 14:00",
                    t="Séminaire GridLab : stabilité des réseaux à faible inertie (date modifiée)")],
       tags=["fr-en", "talk-titles"],
       desc="Séminaire mensuel du laboratoire GridLab (réseaux électriques, Paris-Saclay).",
       note="Monthly (1st Tuesday) Google series with the April session moved to Thu Apr 8 10:00 (after EU DST). G3I copies it as its own RRULE in Romance Standard Time without the override; the agenda publishes two sessions with talk titles, the April one at its new date.")

# ---------------------------------------------------------------- joint research review, alternating cities (link)
ev("review-sf", SF, "2027-04-27 08:30", 480, "Lumen–G3I Joint Research Review — Spring 2027", venue="g3i",
   room="Forum Hall",
   apps=[a("G"), a("L", t="Revue de recherche conjointe Lumen–G3I — session de printemps (San Francisco)"),
         a("T", t="Revue conjointe Lumen–G3I (San Francisco)", loc="Golden Gate Grid Institute")],
   tags=["fr-en", "joint-review", "title-marker-only"],
   note="Spring session of the joint review, held in SF. Lumen writes it with TZID America/Los_Angeles; the joint programme (floating, SF wall clock) only has a title marker and the institute's name.")
ev("review-paris", P, "2027-10-12 09:00", 480, "Revue de recherche conjointe Lumen–G3I — session d'automne",
   venue="gridlab",
   apps=[a("L"), a("G", t="Lumen–G3I Joint Research Review — Fall 2027 (Paris-Saclay)"),
         a("A", t="Revue conjointe Lumen–G3I", off=30)],
   tags=["fr-en", "joint-review", "start-off-by-minutes"],
   note="Autumn session in Paris-Saclay; G3I lists it in Romance Standard Time; agenda 30 min late.")
link("review-sf", "review-paris", "Lumen–G3I joint research review alternates between the cities: spring in SF, autumn in Paris-Saclay")

# ---------------------------------------------------------------- Grid Fellows exchange, two legs months apart (link)
ev("exch-leg1", SF, "2027-04-12 09:00", 420, "Grid Fellows Exchange: Paris delegation visits the Bay Area",
   venue="g3i",
   apps=[a("G"), a("L", t="Grid Fellows : la délégation parisienne en mission à San Francisco"),
         a("T", t="Échange Grid Fellows — accueil de la délégation parisienne à San Francisco")],
   tags=["fr-en", "exchange-legs"],
   note="First leg of the engineers' exchange, in SF; Paris feeds in French (Google with LA TZID, joint programme floating SF wall clock).")
ev("exch-leg2", P, "2027-10-11 09:30", 420, "Grid Fellows : accueil de la délégation de San Francisco",
   venue="lumen",
   apps=[a("L"), a("G", t="Grid Fellows Exchange: SF delegation in Paris (La Défense)"), a("T")],
   tags=["fr-en", "exchange-legs"],
   note="Return leg six months later in La Défense, the day before the autumn review (different event).")
link("exch-leg1", "exch-leg2", "Two legs of the Grid Fellows Paris–SF engineers' exchange (April in SF, October in Paris)")

# ---------------------------------------------------------------- joint duplex seminar (link)
ev("duplex-sem-paris", P, "2027-06-17 17:00", 90,
   "Séminaire commun GridLab–G3I en duplex : prévoir la production solaire", venue="gridlab",
   apps=[a("L"), a("A", t="Séminaire en duplex GridLab / G3I – prévision de la production solaire")],
   tags=["duplex", "title-punctuation"],
   note="Paris room of a joint seminar in duplex with SF (17:00 CEST = 08:00 PDT).")
ev("duplex-sem-sf", SF, "2027-06-17 08:00", 90, "Joint GridLab–G3I Seminar (duplex with Paris): Solar Forecasting",
   venue="g3i", room="Forum Hall",
   apps=[a("G"), a("B", t="Solar Forecasting — joint seminar live with Paris (G3I)")],
   tags=["duplex", "fr-en"], note="SF room of the joint duplex seminar.")
link("duplex-sem-paris", "duplex-sem-sf", "Joint GridLab–G3I seminar run in duplex between Paris-Saclay and Mission Bay")

# ---------------------------------------------------------------- Bay Mobility Expo (SF, May 18-20)
ev("bme-2027", SF, "2027-05-18 09:00", end="2027-05-20 17:00", title="Bay Mobility Expo 2027", venue="fortmason",
   desc="Three days of EV, charging and micromobility exhibits, talks and ride & drives.",
   apps=[a("X"), a("B", ad=True, t="Bay Mobility Expo 2027 @ Fort Mason"),
         a("T", ad=True, t="Salon Bay Mobility Expo 2027 (San Francisco)")],
   tags=["fr-en", "venue-in-title"],
   note="Expo: timed in the organiser's Apple feed, all-day in the aggregator and in the Paris joint programme.")
ev("bme-keynote", SF, "2027-05-18 09:30", 60, "Opening Keynote: The Electric Curb", venue="fortmason",
   room="Festival Pavilion — Main Stage",
   apps=[a("X"), a("B", t="BME 2027 – Opening Keynote: The Electric Curb")], tags=["title-prefix"],
   note="Keynote with an event prefix in the aggregator.")
ev("bme-fleet", SF, "2027-05-18 11:00", 60, "Fleet Electrification Playbook", venue="fortmason",
   room="Festival Pavilion — Stage A",
   apps=[a("X"), a("B", t="[BME] Fleet electrification playbook")],
   tags=["parallel-session", "hard-negative", "title-prefix", "title-case"], note="Parallel session (Stage A).")
ev("bme-curb", SF, "2027-05-18 11:00", 60, "Curbside Charging: Policy Lessons from Five Cities", venue="fortmason",
   room="Festival Pavilion — Stage B",
   apps=[a("X"), a("B", t="[BME] Curbside charging — policy lessons from five cities")],
   tags=["parallel-session", "hard-negative", "title-prefix", "title-case"], note="Parallel session (Stage B).")
ev("bme-mds1", SF, "2027-05-18 11:00", 90, "Micromobility Data Standards Workshop (Part 1)", venue="fortmason",
   room="Herbst Pavilion", apps=[a("X")], tags=["parallel-session", "hard-negative", "two-session"],
   note="Parallel to the two stage sessions; first of a two-part workshop.")
ev("bme-mds2", SF, "2027-05-19 11:00", 90, "Micromobility Data Standards Workshop (Part 2)", venue="fortmason",
   room="Herbst Pavilion", apps=[a("X"), a("B", t="MDS Workshop pt. 2")],
   tags=["two-session", "hard-negative"], note="Second part, next day same room: a different event.")
ev("bme-v2g", SF, "2027-05-19 09:00", 45, "Keynote: Bidirectional Charging (V2G) at Scale", venue="fortmason",
   room="Festival Pavilion — Main Stage",
   apps=[a("X"), a("B"), a("M", t="V2G at scale — keynote at Bay Mobility Expo (livestreamed to Paris)")],
   tags=["watch-party"], note="Keynote streamed to a Paris evening at Halle Pajol (linked).")
ev("bme-v2g-paris", P, "2027-05-19 18:00", 90,
   "Retransmission en direct : le V2G à grande échelle, keynote du Bay Mobility Expo", venue="pajol",
   apps=[a("T", t="Soirée V2G : la keynote de San Francisco en direct à la Halle Pajol"), a("A")],
   tags=["fr-en", "watch-party", "venue-in-title", "mentions-other-city"],
   note="Paris watch party of the SF V2G keynote (16:00Z both). French titles, floating Paris time in both feeds.")
link("bme-v2g", "bme-v2g-paris", "Halle Pajol evening relays the Bay Mobility Expo V2G keynote live from San Francisco")
ev("bme-shuttle", SF, "2027-05-19 10:00", 45, "Autonomous Shuttle Pilot: Treasure Island Results", venue="fortmason",
   room="Festival Pavilion — Stage B",
   apps=[a("X"), a("B", t="AUTONOMOUS SHUTTLE PILOT: TREASURE ISLAND RESULTS")], tags=["title-case"],
   note="Upper-cased in the aggregator.")
ev("bme-demoday", SF, "2027-05-19 14:00", 120, "Mobility Startup Demo Day", venue="fortmason",
   room="Festival Pavilion — Main Stage",
   apps=[a("X"), a("B"), a("M", t="Bay Mobility Expo — Startup Demo Day")],
   tags=["demo-day", "hard-negative"], note="First of two Demo Days the same afternoon at Fort Mason.")
ev("cleanfleet-demoday", SF, "2027-05-19 15:00", 120, "CleanFleet Accelerator Demo Day", venue="fortmason",
   room="Herbst Pavilion", apps=[a("X"), a("M", t="CleanFleet Demo Day — Cohort 4")],
   tags=["demo-day", "hard-negative"], note="Another Demo Day, overlapping, same venue: not the expo's.")
series("bme-ridedrive", SF, "EV Ride & Drive", "fortmason", "Parking Lot", "2027-05-18 10:00", 360,
       dict(freq="DAILY", count=3), overrides=[dict(rid="2027-05-20 10:00", cancelled=True)],
       master=a("X"), instances=[a("B", rid="2027-05-18 10:00", t="Ride & Drive: test the latest EVs (Fort Mason)")],
       tags=["venue-in-title"],
       desc="Test-drive the latest EVs and e-bikes, every day of the expo.",
       note="Daily series (COUNT=3) in the Apple feed, last day cancelled by override (wind advisory). Aggregator publishes day 1 alone.")
ev("bme-french-pavilion", SF, "2027-05-19 18:00", 120, "French Pavilion Reception", venue="fortmason",
   room="Herbst Pavilion",
   apps=[a("X"), a("T", t="Réception du Pavillon France au Bay Mobility Expo"),
         a("B", t="French Pavilion Reception @ Bay Mobility Expo")],
   tags=["fr-en", "venue-in-title"],
   note="SF reception listed by the Paris joint programme in French, floating SF wall clock (18:00 PDT = 01:00Z next day).")
ev("bme-women", SF, "2027-05-20 08:00", 75, "Women in E-Mobility Breakfast", venue="fortmason", room="Gallery 308",
   apps=[a("X"), a("M", t="Women in E-Mobility — networking breakfast (Bay Mobility Expo)")],
   tags=["same-time-same-city", "hard-negative"], note="Same slot as another women-in-cleantech breakfast in SoMa.")
ev("wic-breakfast", SF, "2027-05-20 08:00", 75, "Women in Cleantech & Sustainability: May Breakfast",
   venue="terrahub", apps=[a("M"), a("B")], tags=["same-time-same-city", "hard-negative"],
   note="Similar breakfast, same time, other SF venue: not the expo's.")
ev("bme-info-paris", P, "2027-02-16 10:00", 90, "Bay Mobility Expo 2027: info session for French exhibitors",
   venue="bpi",
   apps=[a("X", geo=True), a("A", t="Réunion d'information : exposer au Bay Mobility Expo 2027 à San Francisco")],
   tags=["link-negative", "same-brand", "fr-en", "mentions-other-city", "geo-only"],
   note="Held in Paris (9e) although the expo organiser's SF feed lists it (Europe/Paris TZID, geo) and the French title says San Francisco. Same brand as the expo: no link.")
ev("ev-charging-summit", SF, "2027-02-24 09:00", 420, "Bay Area EV Charging Summit", venue="ucsf",
   apps=[a("B"), a("X", t="EV Charging Summit (pre-Expo event)")], tags=["co-host-title"],
   note="Pre-expo summit; the expo titles it its own way.")

# ---------------------------------------------------------------- Paris Climate Capital Week (Nov 2-5: DST gap week)
ev("pccw-2027", P, "2027-11-02 00:00", end="2027-11-05 23:59", title="Paris Climate Capital Week 2027",
   venue="brongniart",
   apps=[a("T", ad=True), a("A", ad=True, t="Paris Climate Capital Week 2027 – la semaine des investisseurs climat"),
         a("B", ad=True)],
   tags=["all-day"], note="Investor week published as all-day only (four days) in three feeds, one of them SF.")
ev("pccw-opening", P, "2027-11-02 09:00", 75, "Ouverture : financer la décarbonation des réseaux",
   venue="brongniart", room="Salle de la Corbeille",
   apps=[a("L", tz="utc", t="Paris Climate Capital Week — séance d'ouverture"), a("T"),
         a("A", t="PCCW 2027 – Ouverture : financer la décarbonation des réseaux", off=15),
         a("B", t="Paris Climate Capital Week opening: financing grid decarbonisation")],
   tags=["fr-en", "title-prefix"],
   note="Opening session in four feeds (Google in UTC, floating, SF aggregator in English). Agenda 15 min late.")
ev("pccw-duplex-paris", P, "2027-11-03 16:00", 90,
   "Duplex Paris–San Francisco : investir dans la flexibilité (salle de Paris)", venue="brongniart",
   room="Salle de la Corbeille",
   apps=[a("L", t="Duplex Paris–SF : investir dans la flexibilité"), a("T"),
         a("A", t="Duplex Paris / San Francisco – investir dans la flexibilité")],
   tags=["duplex", "title-punctuation"],
   note="Paris room of the investors' duplex (16:00 CET = 15:00Z; gap week).")
ev("pccw-duplex-sf", SF, "2027-11-03 08:00", 90, "Paris–SF Duplex: Investing in Grid Flexibility (SF room)",
   venue="presidio",
   apps=[a("T", t="Duplex Paris–San Francisco : investir dans la flexibilité (salle de San Francisco)"),
         a("M", t="Investing in Grid Flexibility — live duplex with Paris Climate Capital Week"),
         a("B", t="Paris–SF Duplex: Investing in Grid Flexibility")],
   tags=["duplex", "fr-en"],
   note="SF room of the same duplex (08:00 PDT = 15:00Z, same instant as the Paris room): separate event, linked. The Paris programme writes it floating in SF wall clock.")
link("pccw-duplex-paris", "pccw-duplex-sf", "Investors' duplex run simultaneously in Paris (Palais Brongniart) and SF (Presidio)")
ev("pccw-pitch-stock", P, "2027-11-04 10:00", 90, "Pitch session : stockage et flexibilité", venue="brongniart",
   room="Salle des Corbeilles", apps=[a("T", uid="coll5b"), a("A")], tags=["parallel-session", "hard-negative"],
   note="Parallel pitch sessions in one venue and slot. The joint programme reuses (for this event) the UID of an unrelated agenda event.")
ev("pccw-pitch-mob", P, "2027-11-04 10:00", 90, "Pitch session : mobilité bas-carbone", venue="brongniart",
   room="Salle Ouest", apps=[a("T"), a("A", t="Pitch session : mobilite bas-carbone")],
   tags=["parallel-session", "hard-negative", "accents"], note="Parallel pitch session (other room).")
ev("pccw-office-1", P, "2027-11-03 10:00", 120, "Office hours investisseurs", venue="bpi",
   apps=[a("T", t="Office hours investisseurs (Bpifrance Le Hub)"), a("A")],
   tags=["same-title-other-day", "hard-negative", "venue-in-title"], note="Same title and venue as Nov 4.")
ev("pccw-office-2", P, "2027-11-04 14:00", 120, "Office hours investisseurs", venue="bpi",
   apps=[a("T", t="Office hours investisseurs (Bpifrance Le Hub)"), a("A")],
   tags=["same-title-other-day", "hard-negative", "venue-in-title"], note="Same title and venue as Nov 3.")
ev("pccw-tr-fonds", P, "2027-11-04 14:00", 90,
   "Table ronde : les fonds d'infrastructure face au risque climatique", venue="brongniart",
   room="Salle de la Corbeille",
   apps=[a("T"), a("A"), a("B", t="Panel: Infrastructure Funds and Climate Risk (Paris Climate Capital Week)")],
   tags=["fr-en"], note="Paris panel, also in the SF aggregator (English, UTC).")
ev("pccw-demoday", P, "2027-11-05 14:00", 150, "Demo Day Climate Capital — promotion 2027", venue="brongniart",
   apps=[a("T"), a("A", t="Demo Day Climate Capital (promo 2027)")],
   tags=["demo-day", "hard-negative", "title-punctuation"], note="First of two Paris Demo Days on Nov 5.")
ev("lumen-accel-demoday", P, "2027-11-05 16:00", 120, "Demo Day de l'accélérateur Lumen Énergies", venue="lumen",
   apps=[a("L"), a("A", t="Demo Day – Accélérateur Lumen Énergies")],
   tags=["demo-day", "hard-negative"], note="Second Demo Day the same day (other venue, other programme).")
ev("pccw-cocktail", P, "2027-11-05 19:00", 150, "Cocktail investisseurs de clôture", venue="brongniart",
   apps=[a("T", st="CANCELLED"), a("A")],
   note="Cancelled in the joint programme, still confirmed in the agenda.")
ev("pccw-off-apero", P, "2027-11-04 19:00", 150, "Apéro des fondateurs climat", venue="canaux",
   apps=[a("T"), a("A", t="Off : Apéro des fondateurs climat (Paris Climate Capital Week)")],
   tags=["title-prefix"], note="Side event with an 'Off :' prefix in the agenda.")
ev("bcif", SF, "2027-11-03 08:30", 480, "Bay Climate Investor Forum 2027", venue="nikko",
   apps=[a("M"), a("B", t="Bay Climate Investor Forum")],
   tags=["link-negative", "same-topic-other-city", "same-time-same-city", "hard-negative"],
   note="SF investor forum the same week and morning as the Paris–SF duplex (SF room): related topic, unrelated event, no link.")

# ---------------------------------------------------------------- Twin-city hackathon (Jun 12-13, both cities)
ev("hack-paris", P, "2027-06-12 09:00", end="2027-06-13 18:00",
   title="Hackathon jumeau Énergie & Mobilité — Paris", venue="pajol",
   desc="48 h pour prototyper des services pour les réseaux et les mobilités, en même temps qu'à San Francisco.",
   apps=[a("L"), a("T"), a("A", ad=True, t="Hackathon jumeau Énergie & Mobilité (site de Paris)")],
   tags=["all-day-vs-timed"], note="Paris site of the twin-city hackathon.")
ev("hack-sf", SF, "2027-06-12 09:00", end="2027-06-13 18:00",
   title="Twin-City Energy & Mobility Hackathon — San Francisco", venue="msp",
   apps=[a("X", t="Twin-City Hackathon (SF site)"),
         a("T", t="Hackathon jumeau Énergie & Mobilité — San Francisco"),
         a("M", uid="hackM"), a("B", uid="hackM", t="Twin City Hackathon SF (Energy + Mobility)", off=30),
         a("A", t="Hackathon jumeau : le site de San Francisco",
           loc="Minnesota Street Project, Dogpatch, San Francisco")],
   tags=["fr-en", "start-off-by-minutes"],
   note="SF site, same weekend. The Paris agenda lists it floating in Paris time (its X-WR-TIMEZONE: 18:00 = 09:00 PDT); the Paris joint programme floating in SF wall clock; the aggregator kept the Meetup UID, +30 min.")
link("hack-paris", "hack-sf", "Twin-city hackathon held in Paris and San Francisco the same weekend")
ev("hack-kickoff-paris", P, "2027-06-12 18:00", 60, "Lancement en duplex avec San Francisco", venue="pajol",
   apps=[a("T", t="Hackathon jumeau : lancement en duplex avec San Francisco"), a("A")],
   tags=["duplex", "mentions-other-city"], note="Paris side of the duplex kickoff (16:00Z).")
ev("hack-kickoff-sf", SF, "2027-06-12 09:00", 60, "Hackathon kickoff — live duplex with Paris", venue="msp",
   apps=[a("T", t="[SF] Lancement en duplex avec Paris"), a("M")],
   tags=["duplex", "fr-en", "title-prefix", "same-time-same-venue", "hard-negative"],
   note="SF side of the duplex kickoff (09:00 PDT = 16:00Z). Same venue and start as the SF hackathon itself (different event).")
link("hack-kickoff-paris", "hack-kickoff-sf", "Hackathon opening run as a live duplex between the two sites")
ev("hack-donnees-mob", P, "2027-06-12 10:00", end="2027-06-13 17:00", title="Hackathon Données de mobilité",
   venue="cite", apps=[a("A")], tags=["same-time-same-city", "hard-negative"],
   note="Another Paris hackathon the same weekend: not the twin-city one.")

# ---------------------------------------------------------------- cooperation agreement signed in duplex (link)
ev("accord-paris", P, "2027-09-14 18:00", 90,
   "Signature de l'accord de coopération climat Paris – San Francisco", venue="arsenal",
   apps=[a("T"), a("A", t="Signature de l'accord climat Paris-San Francisco (duplex)"),
         a("L", t="Accord de coopération climat Paris–SF : cérémonie de signature")],
   tags=["duplex", "mentions-other-city", "title-punctuation"],
   note="Paris ceremony signed live with SF (16:00Z).")
ev("accord-sf", SF, "2027-09-14 09:00", 90, "Paris–San Francisco Climate Cooperation Agreement: SF Signing Ceremony",
   venue="sfpuc",
   apps=[a("T", t="Signature de l'accord de coopération climat — cérémonie à San Francisco"),
         a("B", t="Climate cooperation agreement signing (live with Paris)")],
   tags=["duplex", "fr-en"], note="SF ceremony of the same agreement, simultaneous.")
link("accord-paris", "accord-sf", "Cooperation agreement signed in a simultaneous duplex ceremony in both cities")

# ---------------------------------------------------------------- monthly meetups
# SF: Meetup publishes each month as its own event (one cluster per month, same title)
DRINKS_VENUES = ["anchor", "deviant", "localbrew"]
DRINKS_B = {2: dict(), 3: dict(t="Climate Tech Drinks SF @ Standard Deviant"), 5: dict(off=15),
            8: dict(), 10: dict(t="Climate Tech Drinks SF (October)")}
for i, month in enumerate(range(1, 11)):
    d1 = dt.date(2027, month, 1)
    wed = d1 + dt.timedelta(days=(2 - d1.weekday()) % 7 + 7)  # 2nd Wednesday
    apps = [a("M", uid="drinks%d" % month, **(dict(st="CANCELLED") if month == 8 else {}))]
    tags = ["monthly-meetup", "hard-negative"]
    note = "Monthly Meetup event (2nd Wednesday, 18:00 PT = 01:00Z or 02:00Z next day); every month is a separate event with the same title."
    if month in DRINKS_B:
        apps.append(a("B", uid="drinks%d" % month, **DRINKS_B[month]))
        note += " The aggregator copies it with the Meetup UID."
    if month == 8:
        note += " Cancelled on Meetup, still confirmed in the aggregator."
    if month == 3:
        tags.append("venue-in-title")
    if month == 1:
        tags.append("same-name-other-city")
    ev("drinks-sf-%02d" % month, SF, "%s 18:00" % wed.isoformat(), 120, "Climate Tech Drinks SF",
       venue=DRINKS_VENUES[i % 3], apps=apps, tags=tags, note=note,
       desc="Casual monthly drinks for people working on climate, energy and mobility.")

# Paris: monthly apéro as one RRULE series in the WordPress agenda (floating + X-WR-TIMEZONE)
series("apero-climat", P, "Apéro Climat Tech Paris", "canaux", None, "2027-01-07 19:00", 150,
       dict(freq="MONTHLY", byday="1TH", count=10), exdates=["2027-08-05 19:00"],
       overrides=[dict(rid="2027-05-06 19:00", new="2027-05-12 19:00", title="Apéro Climat Tech Paris (décalé au mercredi)")],
       master=a("A"),
       instances=[a("T", rid="2027-06-03 19:00", t="Apéro Climat Tech — spécial hackathon jumeau")],
       tags=["same-name-other-city", "hard-negative"],
       desc="L'apéro mensuel de la communauté climat-tech parisienne.",
       note="Monthly floating series (1st Thursday) in the WordPress agenda: EXDATE in August, the Ascension-day session (May 6) moved to Wed May 12; the joint programme publishes the June session alone under a special title. Same idea as 'Climate Tech Drinks SF' but not related.")

# ---------------------------------------------------------------- Paris: other events
ev("forum-flex-printemps", P, "2027-03-30 09:00", 480, "Forum Flex 2027", venue="mutualite",
   apps=[a("A"), a("L", t="Forum Flex 2027 — édition de printemps")], tags=["edition", "hard-negative"],
   note="Spring edition; the agenda gives both editions exactly the same title.")
ev("forum-flex-automne", P, "2027-09-28 09:00", 480, "Forum Flex 2027", venue="mutualite",
   apps=[a("A"), a("L", t="Forum Flex 2027 — édition d'automne")], tags=["edition", "hard-negative"],
   note="Autumn edition, same title and venue as the spring one in the agenda.")
ev("conf-v2g-paris", P, "2027-04-08 18:30", 90, "Conférence : la recharge bidirectionnelle au service du réseau",
   venue="academie", apps=[a("A"), a("L", t="Conférence V2G : la recharge bidirectionnelle au service du réseau")],
   tags=["link-negative", "same-topic-other-city"],
   note="Paris V2G talk, same topic as the SF expo keynote in May: not linked.")
ev("reunion-13", P, "2027-02-23 19:00", 120, "Réunion publique : déploiement des bornes de recharge dans le 13e",
   venue="mairie13", apps=[a("A", uid="coll1")], tags=["near-duplicate-title", "hard-negative"],
   note="Public meeting; the 14e one a week later differs by one token.")
ev("reunion-14", P, "2027-03-02 19:00", 120, "Réunion publique : déploiement des bornes de recharge dans le 14e",
   venue="mairie14", apps=[a("A")], tags=["near-duplicate-title", "hard-negative"], note="See the 13e meeting.")
ev("atelier-copro", P, "2027-04-14 18:30", 120,
   "Atelier copropriétés : rénovation énergétique et pompes à chaleur", venue="academie",
   apps=[a("A", uid="coll2")], note="Single-feed workshop.")
ev("soutenance", P, "2027-06-24 14:00", 180,
   "Soutenance de thèse : estimation d'état des réseaux de distribution par apprentissage", venue="gridlab",
   apps=[a("L")], note="PhD defence; same topic as a GridLab seminar talk, different event.")
ev("nuit-climat", P, "2027-09-24 19:00", 299, "La Nuit du Climat à la Cité des sciences", venue="cite",
   apps=[a("A", uid="coll3"), a("L", t="Nuit du Climat — stand Lumen Réseaux", off=30)],
   tags=["co-host-title", "start-off-by-minutes"],
   note="Lumen lists its own stand at the same night, 30 min after the doors open (Google still wins the start).")
ev("velo-cargo", P, "2027-04-24 00:00", end="2027-04-25 23:59",
   title="Salon du vélo cargo et de la logistique urbaine", venue="docks", apps=[a("A", ad=True, uid="coll4")],
   tags=["all-day"], note="Two-day fair, all-day only.")
ev("balade-chaleur", P, "2027-03-28 10:00", 120, "Balade urbaine : les réseaux de chaleur du 13e", venue="bnf",
   apps=[a("A", uid="coll5"), a("L", t="Balade urbaine – réseaux de chaleur (Paris 13e)")], tags=["title-punctuation"],
   note="On the EU DST change day (10:00 CEST = 08:00Z).")
ev("village-mobilites", P, "2027-09-18 10:00", end="2027-09-19 18:00",
   title="Village des mobilités — Semaine européenne de la mobilité", venue="villette",
   apps=[a("L"), a("A", ad=True, t="Semaine européenne de la mobilité : village des mobilités")],
   tags=["all-day-vs-timed", "title-punctuation"], note="Two-day village: timed in Google, all-day in the agenda.")
ev("journee-sans-voiture", P, "2027-09-19 11:00", 420, "Journée sans voiture", venue="villette",
   apps=[a("A", loc="Tout Paris"), a("T", t="Journée sans voiture à Paris")],
   note="City-wide car-free day, overlapping the mobility village (different event).")
ev("expo-ville-electrique", P, "2027-04-09 00:00", end="2027-06-27 23:59",
   title="Exposition : Paris, la ville électrique", venue="arsenal",
   apps=[a("A", ad=True), a("L", ad=True, t="Expo « Paris, la ville électrique » au Pavillon de l'Arsenal")],
   tags=["all-day", "venue-in-title"], note="Long exhibition, all-day in both feeds.")
ev("ca-storage-panel", P, "2027-10-05 18:30", 90, "Table ronde : ce que la Californie nous apprend sur le stockage",
   venue="academie", apps=[a("A"), a("L")], tags=["link-negative", "mentions-other-city"],
   note="Paris panel about California's storage market: mentions the other side, not a relay of anything (no link).")
ev("atelier-ia-gen-sobriete", P, "2027-06-29 18:30", 120, "Atelier IA générative et sobriété énergétique",
   venue="recyclerie", apps=[a("A")], tags=["near-duplicate-title"],
   note="Community workshop whose title echoes the March 'Atelier IA générative…' of Lumen: unrelated.")
ev("lumen-open-lab", P, "2027-05-25 17:00", 120, "Lumen Open Lab : les données ouvertes du réseau", venue="lumen",
   apps=[a("L"), a("A", t="Lumen Open Lab – données ouvertes du réseau électrique")], tags=["title-punctuation"],
   note="Open-data evening in two feeds.")
ev("conseil-climat", P, "2027-12-07 14:00", 180, "Conseil de Paris : débat sur le plan climat 2027-2030",
   venue="arsenal", apps=[a("T", loc="Hôtel de Ville, salle du Conseil, 75004 Paris"),
                          a("A", t="Débat du Conseil de Paris sur le plan climat", loc="Hôtel de Ville")],
   tags=["location-variant"], note="Council debate (the venue field of the spec is ignored: feeds give the town hall).")

# ---------------------------------------------------------------- SF: other events
ev("microgrid-tour", SF, "2027-07-17 10:00", 150, "Treasure Island Microgrid Tour", venue="treasure",
   apps=[a("M"), a("B", uid="coll4b")], note="Tour; the aggregator's UID (from an SF WordPress source) is also used by an unrelated Paris agenda event.")
ev("afterdark-grid", SF, "2027-08-05 18:00", 240, "After Dark: The Power Grid", venue="exploratorium",
   apps=[a("B"), a("M", t="Exploratorium After Dark — The Power Grid (21+)")], tags=["venue-in-title"],
   note="Thursday-night museum event (01:00Z next day).")
ev("sunday-streets", SF, "2027-11-07 11:00", 300, "Sunday Streets: E-Bike & EV Showcase", venue="jfk",
   apps=[a("M"), a("B")], note="On the US DST change day (11:00 PST = 19:00Z).")
ev("halloween-ride", SF, "2027-10-31 17:00", 120, "E-Bike Halloween Ride", venue="tunneltops",
   apps=[a("M"), a("B", t="Halloween e-bike ride (Presidio)")], tags=["venue-in-title"],
   note="On the EU DST change day; SF still on PDT (17:00 PDT = 00:00Z Nov 1).")
ev("cleantech-pitch", SF, "2027-08-19 13:00", 240, "Cleantech Open West: Regional Pitch Day", venue="terrahub",
   apps=[a("B", uid="coll2b")], note="Aggregator-only; its UID collides with an unrelated Paris agenda event.")
ev("gridedge-vpp101", SF, "2027-06-23 18:30", 120, "Grid Edge SF: Virtual Power Plants 101", venue="localbrew",
   apps=[a("M"), a("B")], tags=["near-duplicate-title", "hard-negative"],
   note="Meetup talk; 'VPP 201' a month later differs by one token.")
ev("gridedge-vpp201", SF, "2027-07-21 18:30", 120, "Grid Edge SF: Virtual Power Plants 201", venue="localbrew",
   apps=[a("M"), a("B")], tags=["near-duplicate-title", "hard-negative"], note="See VPP 101.")
ev("sf-cap-workshop", SF, "2027-04-20 18:00", 120, "SF Climate Action Plan: Community Workshop", venue="sfpuc",
   apps=[a("B", uid="coll1b")], note="Aggregator-only; UID collides with the Paris 13e public meeting.")
ev("heatpump-fair", SF, "2027-10-16 10:00", 360, "Heat Pump & Home Electrification Fair", venue="fortmason",
   apps=[a("B", uid="coll3b"), a("M", t="Home Electrification Fair — heat pumps, induction, solar")],
   tags=["co-host-title"], note="Fair at Fort Mason; aggregator UID collides with the Paris Nuit du Climat.")
ev("ev-owners-jan", SF, "2027-01-20 18:30", 90, "SF EV Owners: Winter Range Tips", venue="deviant",
   apps=[a("M")], note="Single-feed meetup.")
ev("storage-roundtable", SF, "2027-03-23 17:30", 120, "Grid Storage Founders Roundtable", venue="terrahub",
   apps=[a("M"), a("B", off=15)], tags=["start-off-by-minutes"],
   note="In the March DST gap week (17:30 PDT = 00:30Z next day). Aggregator 15 min late.")
ev("transit-electrification", SF, "2027-02-03 17:30", 90, "Muni Bus Electrification: Progress Report", venue="sfpuc",
   apps=[a("B"), a("M", t="Muni bus electrification — progress report & Q&A")], tags=["title-case"],
   note="Public briefing.")

# ---------------------------------------------------------------- more G3I
series("g3i-seminar-fall", SF, "G3I Grid Research Seminar — Fall 2027", "g3i", "Forum Hall", "2027-10-07 12:00", 60,
       dict(freq="WEEKLY", byday="TH", count=8), exdates=["2027-11-25 12:00"],
       overrides=[dict(rid="2027-11-04 12:00", new="2027-11-04 09:00", room="Room 210",
                       title="G3I Grid Research Seminar — special morning session (guest speakers from Paris)"),
                  dict(rid="2027-11-18 12:00", cancelled=True)],
       master=a("G"),
       instances=[
           a("A", rid="2027-10-28 12:00", t="Séminaire du G3I (San Francisco, en ligne) : hydrogène et réseaux",
             loc="En ligne depuis le Golden Gate Grid Institute, San Francisco"),
           a("T", rid="2027-11-04 12:00", t="Séminaire G3I : session spéciale avec des intervenants parisiens (San Francisco)"),
           a("B", rid="2027-11-04 12:00", t="Grid Seminar (special morning session): Paris–SF Flexibility Markets"),
           a("B", rid="2027-11-11 12:00", t="Grid Seminar: Distribution-Level Carbon Accounting (Hugo Lemaire)"),
           a("M", rid="2027-10-14 12:00", t="G3I Grid Seminar — Fire Season Lessons for Utilities")],
       tags=["talk-titles", "fr-en"],
       desc="Weekly lunchtime seminar of the Golden Gate Grid Institute, fall term.",
       note="Fall weekly series across the EU (Oct 31) and US (Nov 7) changes; EXDATE Thanksgiving; Nov 4 moved to 09:00 (gap week: 16:00Z) for Paris guest speakers who attend in person (no Paris-side event, no link), Nov 18 cancelled. The Paris agenda lists the Oct 28 talk floating in PARIS time (its X-WR-TIMEZONE: 21:00 CEST = 12:00 PDT); the Paris joint programme writes the moved Nov 4 session floating in SF wall clock (09:00).")
ev("g3i-symposium", SF, "2027-09-30 08:30", 570, "G3I Annual Symposium 2027", venue="ucsf",
   apps=[a("G"), a("B", ad=True, t="G3I Annual Symposium"), a("M", t="Golden Gate Grid Institute Annual Symposium")],
   tags=["all-day-vs-timed", "title-punctuation"], note="Annual symposium: timed in G3I and Meetup, all-day in the aggregator.")
for cid, room, title in [("g3i-sym-resilience", "Track A — Robertson Auditorium", "Symposium Track A: Grid Resilience"),
                         ("g3i-sym-markets", "Track B — Fisher Banquet Room", "Symposium Track B: Flexibility Markets"),
                         ("g3i-sym-mobility", "Track C — Room 1A", "Symposium Track C: Grid-Integrated Mobility")]:
    ev(cid, SF, "2027-09-30 13:30", 90, title, venue="ucsf", room=room,
       apps=[a("G")] + ([a("B", t="G3I Symposium — " + title.split(": ")[1])] if cid != "g3i-sym-mobility" else []),
       tags=["parallel-session", "hard-negative"], note="Three parallel symposium tracks, same slot, same building.")
ev("g3i-affiliates", SF, "2027-06-03 08:30", 420, "G3I Industry Affiliates Day", venue="g3i",
   apps=[a("G"), a("B")], note="Members' day.")
ev("g3i-paris-heat", P, "2027-10-13 14:00", 150, "Atelier G3I à Paris : réseaux de chaleur et flexibilité",
   venue="academie",
   apps=[a("G", t="G3I Paris Workshop: Heat Networks & Flexibility"),
         a("A", t="Atelier réseaux de chaleur & flexibilité (G3I)")],
   tags=["fr-en", "tzid-reveals-city"],
   note="Paris workshop the day after the autumn review (different event), listed by G3I in Romance Standard Time.")
ev("g3i-defense", SF, "2027-08-12 10:00", 120, "G3I Thesis Defense: Learning-Based Volt/VAR Control", venue="g3i",
   room="Room 210", apps=[a("G")], note="Single-feed thesis defence.")

# ---------------------------------------------------------------- more Bay Mobility Expo
ev("bme-press", SF, "2027-05-17 10:00", 90, "Press Preview", venue="fortmason", room="Festival Pavilion",
   apps=[a("X")], note="Single-feed press preview, day before the expo.")
ev("bme-welcome", SF, "2027-05-17 17:30", 150, "Exhibitor Welcome Reception", venue="fortmason",
   room="Herbst Pavilion", apps=[a("X"), a("M", t="Bay Mobility Expo exhibitor welcome drinks")],
   note="Evening reception (00:30Z next day).")
ev("bme-uptime", SF, "2027-05-18 14:00", 45, "Charging Reliability: The 99% Uptime Challenge", venue="fortmason",
   room="Festival Pavilion — Stage A",
   apps=[a("X"), a("B", t="Charging reliability - the 99% uptime challenge")],
   tags=["parallel-session", "hard-negative", "title-punctuation"], note="Parallel afternoon sessions.")
ev("bme-ebike-safety", SF, "2027-05-18 14:00", 45, "E-Bike Battery Safety Standards", venue="fortmason",
   room="Festival Pavilion — Stage B", apps=[a("X"), a("M", t="E-bike battery safety standards (BME talk)")],
   tags=["parallel-session", "hard-negative"], note="Parallel to the uptime session.")
ev("bme-schoolbus", SF, "2027-05-20 10:00", 45, "Electric School Buses: Lessons from the First 500", venue="fortmason",
   room="Festival Pavilion — Stage A", apps=[a("X"), a("B")], note="Expo talk in two feeds.")
ev("bme-closing", SF, "2027-05-20 15:00", 60, "Closing Panel: The Next Five Years of Urban Mobility",
   venue="fortmason", room="Festival Pavilion — Main Stage",
   apps=[a("X"), a("T", t="Table ronde de clôture du Bay Mobility Expo : les cinq prochaines années des mobilités urbaines"),
         a("B", t="BME 2027 – Closing Panel")],
   tags=["fr-en", "title-prefix"], note="Closing panel; the Paris programme lists it in French, floating SF wall clock.")

# ---------------------------------------------------------------- more joint programme (paris-twin)
ev("programme-launch", P, "2027-01-19 11:00", 60,
   "Conférence de presse : lancement du programme Paris–San Francisco 2027", venue="arsenal",
   apps=[a("T"), a("A", t="Lancement du programme Paris – San Francisco 2027 (conférence de presse)"),
         a("L", t="Lancement du programme Paris–SF Climat, énergie & mobilités")],
   tags=["mentions-other-city", "co-host-title"], note="Paris launch; mentions SF, takes place in Paris only.")
ev("forum-startups-fr-us", SF, "2027-10-07 17:00", 150, "Franco-American Climate Startup Forum", venue="terrahub",
   apps=[a("T", t="Forum des startups climat franco-américaines (San Francisco)"), a("M"),
         a("B", t="Franco-American Climate Startups Forum @ Terra Hub")],
   tags=["fr-en", "venue-in-title", "link-negative", "mentions-other-city"],
   note="SF forum in the joint programme, French title with a city marker; not a counterpart of any Paris event.")
ev("mission-elus", SF, "2027-04-13 10:00", 180, "Paris City Council delegation: electrified port and ferries tour",
   venue="exploratorium",
   apps=[a("T", t="Mission d'élus parisiens à San Francisco : visite du port et des ferries électriques",
           loc="Pier 15, The Embarcadero, San Francisco"),
         a("B", t="Port electrification tour with Paris elected officials")],
   tags=["fr-en"], note="SF visit, floating SF wall clock in the Paris programme, the day after the Grid Fellows leg (different event).")
ev("debrief-fellows", P, "2027-05-11 18:30", 90, "Retour de mission : les Grid Fellows racontent San Francisco",
   venue="academie", apps=[a("T"), a("A", t="Retour d'expérience Grid Fellows : San Francisco vu du réseau")],
   tags=["link-negative", "mentions-other-city", "co-host-title"],
   note="Paris debrief of the SF leg: talks about SF, relays nothing live (no link).")

# ---------------------------------------------------------------- more SF community
ev("induction-demo", SF, "2027-04-07 18:00", 90, "Electrify SF: Induction Cooking Demo", venue="deviant",
   apps=[a("M")], note="Single-feed meetup.")
ev("jobfair", SF, "2027-07-28 16:00", 180, "Climate Tech Job Fair SF", venue="terrahub",
   apps=[a("M"), a("B", t="SF Climate Tech Job Fair")], tags=["title-punctuation"], note="Job fair.")
ev("wic-breakfast-sep", SF, "2027-09-15 08:00", 75, "Women in Cleantech & Sustainability: September Breakfast",
   venue="terrahub", apps=[a("M"), a("B")], tags=["near-duplicate-title"],
   note="Same series title as the May breakfast, four months later.")
ev("rate-forum", SF, "2027-09-21 18:00", 120, "Public Forum: Rate Design for Electrification", venue="sfpuc",
   apps=[a("B"), a("M", t="Rate design for electrification — public forum")], tags=["title-punctuation"],
   note="Public forum.")
ev("storage-tour", SF, "2027-08-28 09:00", 240, "Bay Area Battery Storage Tour", venue="treasure",
   apps=[a("B")], note="Aggregator-only tour.")

# ---------------------------------------------------------------- more Paris agenda / Lumen
ev("conf-hydrogene", P, "2027-01-28 18:30", 90, "Conférence : l'hydrogène dans la mobilité lourde", venue="academie",
   apps=[a("A")], note="Single-feed talk.")
ev("cine-debat", P, "2027-02-11 20:00", 150, "Ciné-débat : « Le Courant »", venue="recyclerie",
   apps=[a("A"), a("T", t="Ciné-débat « Le Courant » à La REcyclerie")], tags=["venue-in-title"],
   note="Film night with guillemets (HTML entities in the agenda).")
ev("gridlab-jpo", P, "2027-10-14 10:00", 420, "Journée portes ouvertes du GridLab", venue="gridlab",
   apps=[a("A"), a("L", t="Portes ouvertes GridLab Paris-Saclay")], tags=["co-host-title"],
   note="Open day, two days after the autumn review at the same lab (different event).")
ev("atelier-velo", P, "2027-04-17 14:00", 180, "Atelier réparation de vélos électriques", venue="recyclerie",
   apps=[a("A")], note="Saturday workshop.")
ev("fresque-1", P, "2027-03-09 18:30", 180, "Fresque du Climat – session publique", venue="academie",
   apps=[a("A"), a("T", t="Fresque du Climat (session publique)")],
   tags=["same-title-other-day", "hard-negative"], note="Same title and venue as the Mar 23 session.")
ev("fresque-2", P, "2027-03-23 18:30", 180, "Fresque du Climat – session publique", venue="academie",
   apps=[a("A")], tags=["same-title-other-day", "hard-negative"],
   note="Two weeks later, same title and venue; in the March gap week.")
ev("webinaire-aap", P, "2027-02-04 11:00", 60, "Webinaire : appel à projets flexibilité locale 2027", venue="lumen",
   apps=[a("L", loc="En ligne (Microsoft Teams)"), a("A", t="Webinaire AAP flexibilité locale 2027", loc="En ligne")],
   tags=["location-variant"], note="Online webinar organised from Paris.")
ev("assemblee-partenaires", P, "2027-12-02 09:30", 180, "Assemblée des partenaires Lumen Réseaux", venue="lumen",
   apps=[a("L")], note="Single-feed partners' meeting.")
ev("lid-at-flex-2", P, "2027-06-15 14:00", 90, "Atelier : flexibilité de la demande tertiaire", venue="lumen",
   room="Salle Ampère", apps=[a("L"), a("A", t="Atelier – Flexibilité de la demande tertiaire")],
   tags=["near-duplicate-title"],
   note="Same room and weekday slot as the March 'demande résidentielle' workshop; one word differs.")

# ---------------------------------------------------------------- extra regular events
ev("community-solar", SF, "2027-03-14 13:00", 120, "Community Solar Open House", venue="terrahub",
   apps=[a("M"), a("B", t="Community solar open house (Terra Hub SF)")], tags=["venue-in-title"],
   note="On the US DST change day (13:00 PDT = 20:00Z; Paris is still UTC+1).")
ev("gridedge-hydrogen", SF, "2027-08-18 18:30", 120, "Grid Edge SF: Hydrogen Hype Check", venue="localbrew",
   apps=[a("M", st="CANCELLED"), a("B", st="CANCELLED")],
   note="Cancelled in both feeds that list it.")
ev("forum-metiers", P, "2027-02-25 10:00", 420, "Forum des métiers de la transition énergétique", venue="cite",
   apps=[a("A"), a("L", t="Forum des métiers de la transition énergétique — stand Lumen Réseaux")],
   tags=["co-host-title"], note="Careers fair; Lumen lists its stand.")
ev("hack-teams-night", P, "2027-05-27 19:00", 120, "Hackathon jumeau : soirée de constitution des équipes",
   venue="pajol", apps=[a("T"), a("A", t="Soirée équipes – Hackathon jumeau Énergie & Mobilité")],
   tags=["title-punctuation"], note="Paris-only pre-event two weeks before the hackathon (different event).")
ev("salon-vu", P, "2027-10-19 09:00", end="2027-10-21 18:00",
   title="Salon des véhicules utilitaires électriques", venue="docks",
   apps=[a("L", t="Salon des véhicules utilitaires électriques (VUE 2027)"), a("A", ad=True)],
   tags=["all-day-vs-timed", "title-punctuation"], note="Three-day fair, timed in Google, all-day in the agenda.")
ev("fleet-roundtable", SF, "2027-02-17 10:00", 120, "EV Fleet Managers Roundtable", venue="terrahub",
   apps=[a("X", t="Pre-Expo Roundtable: EV Fleet Managers"), a("B")], tags=["co-host-title"],
   note="Pre-expo roundtable, titled differently by the expo.")
ev("mission-bay-walk", SF, "2027-06-19 10:00", 120, "Mission Bay Microgrid Walk", venue="g3i",
   apps=[a("G", t="Mission Bay Microgrid Walking Tour (G3I)"), a("M"), a("B", t="Microgrid walk — Mission Bay")],
   tags=["co-host-title", "venue-in-title"], note="Walking tour in three SF feeds.")
ev("tr-quart-heure", P, "2027-06-22 18:30", 90, "Table ronde : la ville du quart d'heure, électrique ?", venue="arsenal",
   apps=[a("A"), a("T", t="Table ronde « La ville du quart d'heure, électrique ? »"),
         a("L", t="Table ronde Ville du quart d'heure electrique")],
   tags=["accents", "title-punctuation"], note="Paris panel in three feeds (guillemets, accents and punctuation dropped).")
ev("cafe-flex", P, "2027-07-06 08:30", 60, "Café Flex : les agrégateurs face au nouveau mécanisme de capacité",
   venue="lumen", apps=[a("L")], note="Single-feed breakfast talk.")
ev("bme-debrief-paris", P, "2027-06-01 18:00", 90, "Retour du Bay Mobility Expo : ce que nous avons vu à San Francisco",
   venue="bpi", apps=[a("A"), a("T", t="Bay Mobility Expo 2027 : le débrief parisien")],
   tags=["link-negative", "same-brand", "mentions-other-city"],
   note="Paris debrief two weeks after the expo: same brand, no live relay (no link).")
ev("ev-owners-oct", SF, "2027-10-20 18:30", 90, "SF EV Owners: Road Trip Charging Tips", venue="deviant",
   apps=[a("M"), a("B", t="SF EV Owners — road trip charging tips")], tags=["title-punctuation"],
   note="Meetup talk.")


# =========================================================================== RENDERING
B32 = "0123456789abcdefghijklmnopqrstuv"
_used_uids = set()
_ai1ec_pool = list(range(1850, 3400))
rng.shuffle(_ai1ec_pool)
_meetup_base = [297100000 + i * 7919 for i in range(400)]
rng.shuffle(_meetup_base)
UID_ALIAS = {"coll1b": "coll1", "coll2b": "coll2", "coll3b": "coll3", "coll4b": "coll4", "coll5b": "coll5"}


def new_uid(style):
    while True:
        if style == "google":
            v = "".join(rng.choice(B32) for _ in range(26)) + "@google.com"
        elif style == "outlook":
            v = ("040000008200E00074C5B7101A82E00800000000" + "%016X" % rng.getrandbits(64)
                 + "00000000000000001000000" + "0" + "%016X" % rng.getrandbits(64))
        elif style == "apple":
            h = "%032X" % rng.getrandbits(128)
            v = "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], h[16:20], h[20:32])
        elif style == "cms":
            v = "dri-2027-%04d@paris.fr" % rng.randint(100, 9999)
        elif style == "meetup":
            v = "event_%d@meetup.com" % (_meetup_base.pop() + rng.randint(0, 999))
        elif style == "wordpress":
            v = "ai1ec-%d@localhost" % _ai1ec_pool.pop()
        elif style == "aggregator":
            v = "bec-%012x@bayenergycal.org" % rng.getrandbits(48)
        else:
            raise ValueError(style)
        if v not in _used_uids:
            _used_uids.add(v)
            return v


def named_uid(key, style):
    key = UID_ALIAS.get(key, key)
    if key not in NAMED_UIDS:
        NAMED_UIDS[key] = new_uid(style)
    return NAMED_UIDS[key]


def esc(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def qparam(s):
    return '"%s"' % s if any(c in s for c in ':;,') else s


def fold(line):
    b = line.encode("utf-8")
    if len(b) <= 75:
        return [line]
    out, cur, limit = [], b"", 75
    for ch in line:
        cb = ch.encode("utf-8")
        if len(cur) + len(cb) > limit:
            out.append(cur.decode("utf-8"))
            cur, limit = b" ", 75
        cur += cb
    out.append(cur.decode("utf-8"))
    return out


def html_entities(s):
    s = s.replace("&", "&amp;")
    for k, v in [("–", "&#8211;"), ("—", "&#8212;"), ("’", "&#8217;"), ("'", "&#8217;"),
                 ("«\u00a0", "&laquo;&nbsp;"), ("\u00a0»", "&nbsp;&raquo;"), ("« ", "&laquo; "), (" »", " &raquo;")]:
        s = s.replace(k, v)
    return s


def strip_html_entities(s):
    import html
    return html.unescape(s)


def local_str(d, zone):
    return d.astimezone(ZONE[zone]).strftime("%Y%m%dT%H%M%S")


def dtline(name, mode, d):
    if mode[0] == "date":
        return "%s;VALUE=DATE:%s" % (name, d.strftime("%Y%m%d"))
    if mode[0] == "utc":
        return "%s:%s" % (name, d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    if mode[0] == "tzid":
        return "%s;TZID=%s:%s" % (name, mode[1], local_str(d, mode[1]))
    if mode[0] == "win":
        return "%s;TZID=%s:%s" % (name, WIN_NAME[mode[1]], local_str(d, mode[1]))
    if mode[0] == "float":
        return "%s:%s" % (name, local_str(d, mode[1]))
    raise ValueError(mode)


def mode_for(fkey, app, city):
    st = FEED[fkey]["style"]
    tz = app.get("tz")
    zone = CITY_TZNAME[city]
    if tz == "paris":
        zone = "Europe/Paris"
    elif tz == "sf":
        zone = "America/Los_Angeles"
    if st == "google":
        return ("utc",) if tz == "utc" else ("tzid", zone)
    if st == "outlook":
        return ("win", zone)
    if st == "apple":
        return ("tzid", zone)
    if st == "cms":
        return ("float", CITY_TZNAME[city])
    if st == "wordpress":
        return ("float", "Europe/Paris")
    return ("utc",)


def rep_tag(mode):
    return {"utc": "utc-z", "tzid": "tzid-olson", "win": "tzid-windows", "date": "all-day-date"}.get(mode[0]) or \
        ("floating-no-xwr" if mode[1] is None else "floating")


def venue_text(fkey, vkey, room, city):
    name, addr, vcity, geo, hood = V[vkey]
    st = FEED[fkey]["style"]
    fr = FEED[fkey]["city"] == P
    country = ("France" if vcity == P else ("États-Unis" if fr else "USA"))
    if st == "google":
        s = "%s, %s, %s" % (name, addr, country)
        return ("%s, %s" % (room, s)) if room else s
    if st == "outlook":
        return ("%s, %s, %s" % (room, name, addr)) if room else "%s, %s" % (name, addr)
    if st == "apple":
        return "%s\n%s, %s" % (name, addr, "France" if vcity == P else "United States")
    if st == "cms":
        s = "%s – %s" % (name, addr)
        return ("%s (%s)" % (s, room)) if room else s
    if st == "meetup":
        return "%s (%s)" % (name, addr)
    if st == "wordpress":
        return ("%s – %s, %s" % (name, room, addr)) if room else "%s, %s" % (name, addr)
    return ("%s, %s (%s)" % (name, addr, room)) if room else "%s, %s" % (name, addr)


SLUG_RE = None


def slug(s):
    import re
    import unicodedata
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s)[:60].strip("-")


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

EXPORT = {"L": "20270104T071233Z", "G": "20270104T093011Z", "X": None, "T": "20270105T050000Z",
          "M": "20270105T160412Z", "A": "20270104T230001Z", "B": "20270105T120000Z"}


_stamps = []


def rnd_stamp():
    """CREATED, then LAST-MODIFIED: two calls per VEVENT return increasing times."""
    if _stamps:
        c = _stamps.pop()
        d = c + dt.timedelta(seconds=rng.randint(3600, 40 * 86400))
        return d.strftime("%Y%m%dT%H%M%SZ")
    base = dt.datetime(2026, 9, 1, tzinfo=UTC)
    d = base + dt.timedelta(seconds=rng.randint(0, 75 * 86400))
    _stamps.append(d)
    return d.strftime("%Y%m%dT%H%M%SZ")


# One VEVENT = dict(feed, uid, lines); SOURCES keep truth-side info.
VEVENTS = defaultdict(list)   # feed key -> list of (sortkey, lines)
ZONES_USED = defaultdict(set)  # feed key -> {("tzid"/"win", iana)}
MEMBERS = defaultdict(list)    # cluster id -> [(feed key, uid, rid_utc or None, info)]


def build_vevent(fkey, c, app, uid, start, end, allday, summary, loc, desc, status, rid=None, rrule=None,
                 exdates=(), override_of_mode=None, seq=0):
    """Return list of content lines for one VEVENT."""
    f = FEED[fkey]
    st = f["style"]
    city = c["city"]
    mode = ("date",) if allday else mode_for(fkey, app, city)
    if mode[0] in ("tzid", "win"):
        ZONES_USED[fkey].add(mode)
    vkey = c.get("venue")
    geo = V[vkey][3] if vkey else None
    url_slug = slug(summary)
    ds = lambda n, d: dtline(n, mode, d)
    if allday:
        ds_start = dtline("DTSTART", mode, start)
        ds_end = dtline("DTEND", mode, end)
    else:
        ds_start = ds("DTSTART", start)
        ds_end = ds("DTEND", end)
    rid_line = dtline("RECURRENCE-ID", mode, rid) if rid is not None else None
    ex_lines = [dtline("EXDATE", mode, x) for x in exdates]
    L = []
    if st == "google":
        L += [ds_start, ds_end]
        if rrule:
            L.append("RRULE:" + rrule)
        L += ex_lines
        L += ["DTSTAMP:" + EXPORT["L"], "UID:" + uid]
        if rid_line:
            L.append(rid_line)
        L += ["CREATED:" + rnd_stamp(), "DESCRIPTION:" + esc(desc), "LAST-MODIFIED:" + rnd_stamp(),
              "LOCATION:" + esc(loc), "SEQUENCE:%d" % seq, "STATUS:" + status, "SUMMARY:" + esc(summary),
              "TRANSP:OPAQUE"]
    elif st == "outlook":
        L += ["CLASS:PUBLIC", "CREATED:" + rnd_stamp(), "DESCRIPTION:" + esc(desc), ds_end]
        if rrule:
            L.append("RRULE:" + rrule)
        L += ex_lines
        L += ["DTSTAMP:" + EXPORT["G"], ds_start, "LAST-MODIFIED:" + rnd_stamp(),
              "LOCATION:" + esc(loc), "PRIORITY:5"]
        if rid_line:
            L.append(rid_line)
        L += ["SEQUENCE:%d" % seq]
        if status != "CONFIRMED":
            L.append("STATUS:" + status)
        L += ["SUMMARY;LANGUAGE=en-us:" + esc(summary), "TRANSP:OPAQUE", "UID:" + uid,
              "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-IMPORTANCE:1",
              "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY", "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
              "X-MS-OLK-AUTOFILLLOCATION:FALSE", "X-MS-OLK-CONFTYPE:0"]
        if allday:
            L.append("X-MICROSOFT-CDO-ALLDAYEVENT:TRUE")
    elif st == "apple":
        created = rnd_stamp()
        stamp = rnd_stamp()
        L += ["CREATED:" + created, ds_end]
        if rrule:
            L.append("RRULE:" + rrule)
        L += ex_lines
        L += ["DTSTAMP:" + stamp, ds_start, "LAST-MODIFIED:" + stamp, "LOCATION:" + esc(loc)]
        if rid_line:
            L.append(rid_line)
        L += ["SEQUENCE:%d" % seq]
        if status != "CONFIRMED":
            L.append("STATUS:" + status)
        L += ["SUMMARY:" + esc(summary), "TRANSP:OPAQUE", "UID:" + uid,
              "URL;VALUE=URI:https://baymobilityexpo.com/2027/program/" + url_slug]
        if geo and (app.get("geo", True)):
            name, addr = V[vkey][0], V[vkey][1]
            ctry = "France" if V[vkey][2] == P else "United States"
            L.append("X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=%s;X-APPLE-RADIUS=%.2f;"
                     "X-APPLE-REFERENCEFRAME=1;X-TITLE=%s:geo:%.6f,%.6f"
                     % (qparam(addr + ", " + ctry), 70 + rng.random() * 120, qparam(name), geo[0], geo[1]))
        L.append("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC")
    elif st == "cms":
        L += ["UID:" + uid, "DTSTAMP:" + EXPORT["T"], ds_start, ds_end]
        if rid_line:
            L.append(rid_line)
        L += ["SUMMARY:" + esc(summary), "DESCRIPTION:" + esc(desc)]
        if loc:
            L.append("LOCATION:" + esc(loc))
        if geo and app.get("geo", c["city"] != P or rng.random() < 0.3):
            L.append("GEO:%.4f;%.4f" % geo)
        L += ["URL:https://www.paris.fr/evenements/" + url_slug, "CATEGORIES:Paris-San Francisco,Climat",
              "CLASS:PUBLIC", "STATUS:" + status]
    elif st == "meetup":
        L += ["DTSTAMP:" + EXPORT["M"], ds_start, ds_end, "STATUS:" + status, "SUMMARY:" + esc(summary),
              "DESCRIPTION:" + esc(desc), "CLASS:PUBLIC", "CREATED:" + rnd_stamp()]
        if geo:
            L.append("GEO:%.2f;%.2f" % geo)
        L += ["LOCATION:" + esc(loc),
              "URL:https://www.meetup.com/sf-climate-tech/events/%s/" % uid.split("_")[1].split("@")[0],
              "LAST-MODIFIED:" + rnd_stamp(), "UID:" + uid]
    elif st == "wordpress":
        L += ["UID:" + uid, "DTSTAMP:" + EXPORT["A"], "CREATED:" + rnd_stamp(), "LAST-MODIFIED:" + rnd_stamp(),
              ds_start, ds_end]
        if rrule:
            L.append("RRULE:" + rrule)
        L += ex_lines
        if rid_line:
            L.append(rid_line)
        L += ["SUMMARY:" + esc(summary), "DESCRIPTION:" + esc(desc),
              "X-ALT-DESC;FMTTYPE=text/html:" + esc("<p>" + html_entities(desc) + "</p>"),
              "URL;VALUE=URI:https://agenda-climat-idf.fr/evenement/" + url_slug + "/",
              "LOCATION:" + esc(loc), "X-COST-TYPE:free", "CATEGORIES:" + esc("Climat,Énergie"),
              "STATUS:" + status]
    elif st == "aggregator":
        L += ["UID:" + uid, "DTSTAMP:" + EXPORT["B"], ds_start, ds_end, "SUMMARY:" + esc(summary),
              "LOCATION:" + esc(loc), "DESCRIPTION:" + esc(desc), "STATUS:" + status,
              "URL:https://bayenergycal.org/e/" + url_slug, "CATEGORIES:Energy,Climate"]
    return L


def default_desc(fkey, c, summary, start):
    st = FEED[fkey]["style"]
    base = c.get("desc") or ""
    if st == "meetup":
        loc_zone = CITY_TZ[c["city"]]
        ls = start.astimezone(loc_zone)
        when = "%s, %s %d at %d:%02d %s" % (DAYS_EN[ls.weekday()], MONTHS_EN[ls.month - 1], ls.day,
                                            (ls.hour % 12) or 12, ls.minute, "AM" if ls.hour < 12 else "PM")
        return "SF Climate Tech Community\n%s\n\n%s\n\nRSVP on Meetup." % (when, base or summary)
    if st == "aggregator":
        return (base + "\n\n" if base and c["city"] == SF else "") + "Listed by Bay Area Energy & Climate Calendar."
    if st == "wordpress":
        return base if base and c["city"] == P else "Événement relayé par l'Agenda Climat & Énergie."
    if st == "cms":
        return base if base and c["city"] == P else "Programme conjoint Paris – San Francisco."
    if st == "outlook":
        return base if base and c["city"] == SF else "G3I event."
    return base


def emit(fkey, c, app, start, end, allday, rid_utc_member, summary=None, rid_line=None, rrule=None, exdates=(),
         status=None, room=None, uid=None, seq=0):
    f = FEED[fkey]
    st = f["style"]
    summary = summary if summary is not None else app.get("t", c["title"])
    if st == "wordpress":
        summary = html_entities(summary)
    if uid is None:
        if app.get("uid") == "@L":
            uid = next(m[1] for m in MEMBERS[c["id"]] if m[0] == "L")
        elif app.get("uid"):
            uid = named_uid(app["uid"], st)
        else:
            uid = new_uid(st)
    if "loc" in app:
        loc = app["loc"]
    else:
        loc = venue_text(fkey, c["venue"], room if room is not None else c.get("room"), c["city"])
    desc = app.get("desc") or default_desc(fkey, c, summary, start)
    status = status or app.get("st", "CONFIRMED")
    lines = build_vevent(fkey, c, app, uid, start, end, allday, summary, loc, desc, status, rid=rid_line,
                         rrule=rrule, exdates=exdates, seq=seq)
    VEVENTS[fkey].append(lines)
    mode = ("date",) if allday else mode_for(fkey, app, c["city"])
    MEMBERS[c["id"]].append((fkey, uid, rid_utc_member,
                             dict(start=start, allday=allday, status=status, mode=mode, summary=summary,
                                  off=app.get("off", 0), rid_vevent=rid_line)))
    return uid


def render_single(c):
    for app in c["apps"]:
        off = dt.timedelta(minutes=app.get("off", 0))
        if app.get("ad"):
            s = dt.datetime.combine(c["start"].date(), dt.time())
            e = dt.datetime.combine(c["end"].date() + dt.timedelta(days=1), dt.time())
            emit(app["feed"], c, app, s, e, True, None)
        else:
            emit(app["feed"], c, app, c["start"] + off, c["end"] + off, False, None)


def series_info(c):
    occ = [o for o in expand(c["first"], c["rule"]) if o not in c["exdates"]]
    ovs = {}
    for o in c["overrides"]:
        rid = at(c["city"], o["rid"])
        assert rid in occ, (c["id"], o)
        new = at(c["city"], o["new"]) if o.get("new") else rid
        ovs[rid] = dict(o, rid_dt=rid, new_dt=new)
    return occ, ovs


def render_series(c):
    occ, ovs = series_info(c)
    dur = dt.timedelta(minutes=c["dur"])
    m = c["master"]
    fk = m["feed"]
    rtext = rule_text(c["rule"])
    if FEED[fk]["style"] == "outlook":   # Outlook writes UNTIL + WKST
        last = expand(c["first"], c["rule"])[-1]
        rtext = "FREQ=%s;UNTIL=%s;INTERVAL=1;BYDAY=%s;WKST=SU" % (
            c["rule"]["freq"], last.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"), c["rule"]["byday"])
    uid = emit(fk, c, m, c["first"], c["first"] + dur, False, None, rrule=rtext, exdates=c["exdates"])
    for rid, o in sorted(ovs.items()):
        st = "CANCELLED" if o.get("cancelled") else "CONFIRMED"
        emit(fk, c, m, o["new_dt"], o["new_dt"] + dur, False, rid, summary=o.get("title", m.get("t", c["title"])),
             rid_line=rid, status=st, room=o.get("room"), uid=uid, seq=1)
    for cp in c["copies"]:
        cf = cp["feed"]
        rt = rule_text(c["rule"])
        emit(cf, c, cp, c["first"], c["first"] + dur, False, None, rrule=rt, exdates=c["exdates"])
    for ins in c["instances"]:
        rid = at(c["city"], ins["rid"])
        assert rid in occ, (c["id"], ins)
        s = ovs[rid]["new_dt"] if rid in ovs else rid
        s = s + dt.timedelta(minutes=ins.get("off", 0))
        room = ovs[rid].get("room") if rid in ovs else None
        emit(ins["feed"], c, ins, s, s + dur, False, rid, room=room)
    return occ, ovs


# =========================================================================== VTIMEZONES
VTZ = {
    ("google", "Europe/Paris"): """BEGIN:VTIMEZONE
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
    ("google", "America/Los_Angeles"): """BEGIN:VTIMEZONE
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
    ("apple", "America/Los_Angeles"): """BEGIN:VTIMEZONE
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
    ("apple", "Europe/Paris"): """BEGIN:VTIMEZONE
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
    ("outlook", "America/Los_Angeles"): """BEGIN:VTIMEZONE
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
    ("outlook", "Europe/Paris"): """BEGIN:VTIMEZONE
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
}

HEADERS = {
    "google": ["PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
               "METHOD:PUBLISH", "X-WR-CALNAME:{calname}", "X-WR-TIMEZONE:Europe/Paris",
               "X-WR-CALDESC:Agenda public des événements de Lumen Réseaux (innovation\\, recherche\\, partenariats)."],
    "outlook": ["METHOD:PUBLISH", "PRODID:Microsoft Exchange Server 2010", "VERSION:2.0",
                "X-WR-CALNAME:{calname}"],
    "apple": ["VERSION:2.0", "PRODID:-//Apple Inc.//macOS 15.4//EN", "CALSCALE:GREGORIAN",
              "X-WR-CALNAME:{calname}", "X-APPLE-CALENDAR-COLOR:#34AADC"],
    "cms": ["VERSION:2.0", "PRODID:-//Ville de Paris//Agenda DRI 3.1//FR", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:{calname}",
            "X-WR-CALDESC:Programme conjoint des villes de Paris et de San Francisco : événements dans les deux villes."],
    "meetup": ["VERSION:2.0", "PRODID:-//Meetup//RemoteApi//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
               "X-ORIGINAL-URL:https://www.meetup.com/sf-climate-tech/events/ical/",
               "X-WR-CALNAME:{calname}", "X-MS-OLK-FORCEINSPECTOROPEN:TRUE"],
    "wordpress": ["VERSION:2.0", "PRODID:-//Timely//All-in-One Event Calendar v2.6.8//FR", "CALSCALE:GREGORIAN",
                  "METHOD:PUBLISH", "X-WR-CALNAME:{calname}", "X-WR-TIMEZONE:Europe/Paris",
                  "X-FROM-URL:https://agenda-climat-idf.fr/?plugin=all-in-one-event-calendar&controller=ai1ec_exporter_controller&action=export_events"],
    "aggregator": ["VERSION:2.0", "PRODID:-//Bay Energy Calendar//Aggregator 2.4//EN", "CALSCALE:GREGORIAN",
                   "METHOD:PUBLISH", "X-WR-CALNAME:{calname}",
                   "X-WR-CALDESC:Energy\\, climate and mobility events around the Bay. All times UTC."],
}
EOL = {"google": "\r\n", "outlook": "\r\n", "apple": "\r\n", "cms": "\r\n", "meetup": "\r\n", "wordpress": "\n",
       "aggregator": "\r\n"}


def write_feed(f):
    st = f["style"]
    lines = ["BEGIN:VCALENDAR"] + [h.format(calname=esc(f["calname"]).replace("\\,", ",")) for h in HEADERS[st]]
    zones = sorted(z[1] for z in ZONES_USED[f["key"]])
    if st == "google" and "Europe/Paris" not in zones:
        zones.insert(0, "Europe/Paris")
    for z in zones:
        lines += VTZ[(st, z)].split("\n")
    evs = VEVENTS[f["key"]][:]
    rng.shuffle(evs)
    for ve in evs:
        lines += ["BEGIN:VEVENT"] + ve + ["END:VEVENT"]
    lines.append("END:VCALENDAR")
    out = []
    for ln in lines:
        out += fold(ln)
    path = os.path.join(OUT, f["file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(EOL[st].join(out) + EOL[st])
    return len(evs)


# =========================================================================== TRUTH
def auto_tags(c, members, cancelled, all_day):
    tags = set(c["tags"])
    feeds = [m[0] for m in members]
    if len(set(feeds)) > 1:
        tags.add("multi-feed")
    uids_by_feed = defaultdict(set)
    for fk, uid, _, _ in members:
        uids_by_feed[uid].add(fk)
    if len(set(m[1] for m in members)) > 1:
        tags.add("different-uids")
    if any(len(v) > 1 for v in uids_by_feed.values()):
        tags.add("same-uid-across-feeds")
    for fk, uid, rid, info in members:
        mode = info["mode"]
        if mode[0] == "utc":
            tags.add("utc-z")
        elif mode[0] == "tzid":
            tags.add("tzid-olson")
        elif mode[0] == "win":
            tags.add("tzid-windows")
        elif mode[0] == "float":
            if FEED[fk]["style"] == "wordpress":
                tags.add("floating-xwr")
            else:
                tags.add("floating-no-xwr")
                if c["city"] != FEED[fk]["city"]:
                    tags.add("floating-other-city")
        if FEED[fk]["city"] != c["city"]:
            tags.add("listed-in-other-city-feed")
        if info["off"]:
            tags.add("start-off-by-minutes")
        if FEED[fk]["style"] == "wordpress" and "&" in info["summary"]:
            tags.add("html-entities")
        if mode[0] in ("tzid", "win") and ZONE[mode[1]] is not CITY_TZ[c["city"]]:
            tags.add("zone-not-city")
    alld = [m[3]["allday"] for m in members]
    if all(alld):
        tags.add("all-day")
    elif any(alld):
        tags.add("all-day-vs-timed")
    if cancelled:
        tags.add("cancelled-status")
        if any(m[3]["status"] != "CANCELLED" for m in members if m[2] is None):
            tags.add("cancelled-in-some-sources-only")
    return tags


def build_truth():
    clusters = []
    linked = set()
    for x, y, _ in LINKS:
        linked.update((x, y))
    uid_owner = defaultdict(set)
    for c in CLUSTERS:
        for fk, uid, _, _ in MEMBERS[c["id"]]:
            uid_owner[uid].add(c["id"])
    for c in CLUSTERS:
        members = sorted(MEMBERS[c["id"]], key=lambda m: (FEED_ORDER[m[0]], m[2] is not None, m[2] or dt.datetime.min.replace(tzinfo=UTC)))
        zone = CITY_TZ[c["city"]]
        rec = None
        if c["kind"] == "series":
            occ, ovs = series_info(c)
            start = occ[0]
            all_day = False
            cancelled = False
            rec = OrderedDict([
                ("rrule", rule_text(c["rule"])),
                ("exdates_utc", [u(x) for x in c["exdates"]]),
                ("occurrences_utc", [u(x) for x in occ]),
                ("overrides", [OrderedDict([("recurrence_id", u(r)), ("start_utc", u(o["new_dt"])),
                                            ("cancelled", bool(o.get("cancelled")))]) for r, o in sorted(ovs.items())]),
            ])
            tags = auto_tags(c, members, False, False)
            tags.add("recurring")
            if c["exdates"]:
                tags.add("exdate")
            if any(o.get("new") for o in c["overrides"]):
                tags.add("moved-instance")
            if any(o.get("cancelled") for o in c["overrides"]):
                tags.add("cancelled-instance")
            if c["instances"]:
                tags.add("series-instances-elsewhere")
            if c["copies"]:
                tags.add("series-copied-as-series")
            dates = [x.astimezone(zone).date() for x in occ]
            start_utc, start_date = u(start), start.astimezone(zone).date().isoformat()
        else:
            timed = [m for m in members if not m[3]["allday"]]
            cancelled = any(m[3]["status"] == "CANCELLED" for m in members)
            if timed:
                best = min(timed, key=lambda m: FEED_ORDER[m[0]])
                start = best[3]["start"]
                start_utc, start_date, all_day = u(start), start.astimezone(zone).date().isoformat(), False
            else:
                start_utc, start_date, all_day = None, c["start"].date().isoformat(), True
            tags = auto_tags(c, members, cancelled, all_day)
            dates = [c["start"].date()]
        if any(in_gap(d) for d in dates):
            tags.add("dst-gap-weeks")
        if any(d in DST_CHANGE_DAYS for d in dates):
            tags.add("dst-change-day")
        if c["id"] in linked:
            tags.add("linked")
        if any(len(uid_owner[m[1]]) > 1 for m in members):
            tags.add("uid-reused-by-other-feed")
        cl = OrderedDict([
            ("id", c["id"]), ("city", c["city"]), ("title", c["title"]),
            ("members", [[FEED[fk]["id"], uid, u(rid) if rid is not None else None] for fk, uid, rid, _ in members]),
            ("start_utc", start_utc), ("start_date", start_date), ("all_day", all_day), ("cancelled", cancelled),
            ("note", c["note"]), ("tags", sorted(tags)),
        ])
        if rec:
            cl["recurrence"] = rec
        clusters.append(cl)
    return OrderedDict([
        ("dataset", DATASET), ("edition", EDITION),
        ("feeds", [OrderedDict([("id", f["id"]), ("city", f["city"]), ("file", f["file"])]) for f in FEEDS]),
        ("clusters", clusters),
        ("links", [[x, y, why] for x, y, why in LINKS]),
    ])


# =========================================================================== feeds.toml / README
def write_toml():
    out = ["# Paris <-> San Francisco event bridge: feed configuration (%s dataset, edition %d)." % (DATASET, EDITION),
           "# Feeds are listed from most to least authoritative: when sources of the",
           "# same event disagree on the start time, the earliest-listed timed one wins.",
           "# `url` is relative to this folder. A floating time is in the feed's X-WR-TIMEZONE;",
           "# in a feed without one, in the time zone of the city where the event takes place.",
           "",
           "[cities.paris]", 'name = "Paris"', 'timezone = "Europe/Paris"', "",
           "[cities.san-francisco]", 'name = "San Francisco"', 'timezone = "America/Los_Angeles"', ""]
    for f in FEEDS:
        out += ["# %s -- %s" % (f["calname"], f["kind"]), "[[feeds]]", 'id = "%s"' % f["id"],
                'city = "%s"' % f["city"], 'url = "%s"' % f["file"], ""]
    with open(os.path.join(OUT, "feeds.toml"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


TRAP_DOC = [
    ("1. Event city != feed city", ["listed-in-other-city-feed"],
     "Paris feeds list SF sessions (SF addresses, 941xx, Mission Bay, Dogpatch, Presidio) and SF feeds list Paris/La Défense/Saclay events; clues are sometimes only a title marker (`title-marker-only`), sometimes geo (`geo-only`), sometimes the TZID (`tzid-reveals-city`), and sometimes the TZID is the *other* city's (`zone-not-city`)."),
    ("2. Floating times for an event in the other city (zone-less feed)", ["floating-other-city"],
     "The Paris joint programme has no X-WR-TIMEZONE and writes its SF events in SF wall-clock time. (Counter-trap: the Paris WordPress agenda HAS X-WR-TIMEZONE:Europe/Paris, so the SF hackathon it lists is in Paris time.)"),
    ("3. French <-> English titles of one event", ["fr-en"], "Real translations, not word swaps."),
    ("4. Series vs single occurrences elsewhere", ["recurring"],
     "RRULE (COUNT/UNTIL), EXDATE, moved and cancelled overrides; talk titles published one by one in other feeds and other zones; a copy as its own RRULE; weeks on both sides of the US (Mar 14) and EU (Mar 28) changes."),
    ("5. Title noise", ["title-prefix", "accents", "title-case", "html-entities", "title-punctuation",
                        "venue-in-title", "co-host-title"],
     "Prefixes ('LID 2027 –', '[BME]', '[SF]', 'Off :', 'PCCW 2027 –'), venue appended, accents stripped, HTML entities (&#8211; &amp; &#8217;) in the WordPress SUMMARYs, case, punctuation, co-hosts' own titles."),
    ("6. Cross-city links (duplex, watch party, exchange legs, alternating review)", ["linked"],
     "Both sides often at the same UTC instant with titles in different languages; one side floating local time."),
    ("Hard negatives (must stay apart)", ["hard-negative"],
     "Parallel sessions in one venue and slot, monthly meetups with one title, near-duplicate titles, seasonal editions with the same title, two Demo Days on one day (twice), similar events at the same time in the same city, same title+venue on two days, two-part workshop."),
    ("Link negatives (same topic/brand/mention, no link)", ["link-negative"],
     "Same-topic events in both cities, same-brand info sessions, Paris panels about California."),
    ("Duplicates minutes off", ["start-off-by-minutes"], "15-30 min off in a less authoritative feed (sometimes in the MORE authoritative one)."),
    ("All-day vs timed copies", ["all-day-vs-timed"], ""),
    ("Cancelled in one feed only", ["cancelled-in-some-sources-only"], ""),
    ("UID reused for a different event (other feed)", ["uid-reused-by-other-feed"], "WordPress-style `ai1ec-N@localhost` UIDs shared across cities, and once within Paris."),
    ("Same UID kept across feeds for the same event", ["same-uid-across-feeds"], ""),
    ("DST gap weeks (8 h apart)", ["dst-gap-weeks"], "2027: Mar 14-27 and Oct 31-Nov 6."),
    ("DST change days", ["dst-change-day"], ""),
]


def write_readme(truth, counts):
    cl = truth["clusters"]
    tagc = Counter(t for c in cl for t in c["tags"])
    units = {}
    for c in cl:
        units[c["id"]] = {(m[0], m[1]) for m in c["members"]}
    pairs = sum(len(s) * (len(s) - 1) // 2 for s in units.values())
    multi = sum(1 for s in units.values() if len({f for f, _ in s}) > 1)
    canc = sum(1 for c in cl if c["cancelled"])
    canc_inst = sum(1 for c in cl for o in c.get("recurrence", {}).get("overrides", []) if o["cancelled"])
    hard = sum(1 for c in cl if "hard-negative" in c["tags"])
    hard_v = sum(len(c["members"]) for c in cl if "hard-negative" in c["tags"])
    linkneg = sum(1 for c in cl if "link-negative" in c["tags"])
    src = sum(len(s) for s in units.values())
    total = sum(counts[f["key"]] for f in FEEDS)
    lines = [
        "# %s — Paris <-> San Francisco event bridge test data (edition %d)" % (DATASET, EDITION), "",
        "**Written blind: the author never read the bridge's source or tests.** Generated by `make_dataset.py` "
        "(seed %d, `random.Random`, standard library; `python3 make_dataset.py --check` re-parses everything with "
        "`icalendar` and cross-checks the truth). Same format and truth rules as `sister-cities` "
        "(`feeds.toml`, `feeds/*.ics`, `truth.json`), with the refinement below." % SEED, "",
        "## Theme", "",
        "Smart energy grids, urban mobility and climate tech in 2027, all organisations invented:",
        "",
        "* **Lumen Réseaux** (Paris grid operator): *Journées de l'innovation* (Mar 16-18, La Défense, in the US/EU DST gap weeks), workshops, an accelerator Demo Day;",
        "* **Golden Gate Grid Institute (G3I)** (Mission Bay research centre): weekly *Grid Research Seminar* across both DST changes, workshops, its Paris/Saclay workshops, the Lumen–G3I joint research review (spring in SF, autumn in Saclay), the *Grid Fellows* engineers' exchange (April in SF, October in Paris);",
        "* **Bay Mobility Expo 2027** (Fort Mason, May 18-20): parallel stages, two Demo Days, daily Ride & Drive series, a V2G keynote relayed to a Paris evening;",
        "* **Paris Climate Capital Week** (investor week, Nov 2-5, in the autumn gap week) with a simultaneous Paris/SF investors' duplex;",
        "* **GridLab Saclay** monthly seminar, a joint GridLab–G3I duplex seminar;",
        "* the **twin-city Energy & Mobility hackathon** held in Paris (Halle Pajol) and SF (Dogpatch) the same weekend (Jun 12-13) with a duplex kickoff; a cooperation agreement signed in duplex;",
        "* community life: monthly *Climate Tech Drinks SF* (Meetup, one event per month) and *Apéro Climat Tech Paris* (one RRULE series), city-hall meetings, fairs.",
        "",
        "## Feeds (feeds.toml order, most to least authoritative)", "",
        "| # | id | city | file | producer style | VEVENTs |", "| --- | --- | --- | --- | --- | --- |"]
    for i, f in enumerate(FEEDS, 1):
        lines.append("| %d | `%s` | %s | `%s` | %s | %d |" % (i, f["id"], f["city"], f["file"], f["kind"], counts[f["key"]]))
    lines += ["", "Total: **%d VEVENTs**." % total, "",
              "## Counts", "",
              "| what | count |", "| --- | --- |",
              "| real-world events (clusters) | %d |" % len(cl),
              "| source events (feed, UID) | %d |" % src,
              "| events in more than one feed | %d |" % multi,
              "| duplicate pairs (true pairs of source events) | %d |" % pairs,
              "| recurring series | %d |" % tagc["recurring"],
              "| cross-city links | %d |" % len(truth["links"]),
              "| cancelled events | %d |" % canc,
              "| cancelled series instances | %d |" % canc_inst,
              "| hard-negative clusters (must not merge with a look-alike) | %d of %d clusters (%.0f%%), %d of %d VEVENTs (%.0f%%) |"
              % (hard, len(cl), 100.0 * hard / len(cl), hard_v, total, 100.0 * hard_v / total),
              "| link-negative clusters (look linkable, are not) | %d |" % linkneg,
              "", "## Truth rules", "",
              "As in sister-cities (\"Rules the truth follows\"), except floating times: a floating time is in the "
              "feed's X-WR-TIMEZONE if it has one; otherwise in the zone of the city **where the event takes place** "
              "(the Paris joint programme, which has no X-WR-TIMEZONE, writes its San Francisco events in San Francisco "
              "wall-clock time). Start: the most precise start wins (timed beats all-day); among timed sources the "
              "feed listed first wins (e.g. `nuit-climat`: the Google feed is 30 min later than the agenda and wins). "
              "Links join events in different cities that are one programme across both cities or where one relays the "
              "other; same topic/brand is not a link. `start_date` is the local date where the event takes place.",
              "", "## Traps", "",
              "| trap | tag(s) | clusters | notes |", "| --- | --- | --- | --- |"]
    for name, tags, doc in TRAP_DOC:
        n = sum(1 for c in cl if any(t in c["tags"] for t in tags))
        lines.append("| %s | %s | %d | %s |" % (name, ", ".join("`%s`" % t for t in tags), n, doc))
    lines += ["", "VEVENT-level: %d VEVENTs written with a floating time for an event in the other city, %d VEVENTs "
              "listed by a feed of the other city." % (counts["floating_other"], counts["other_city_vevents"]), "",
              "## All tags", "", "| tag | clusters |", "| --- | --- |"]
    for t, n in sorted(tagc.items()):
        lines.append("| `%s` | %d |" % (t, n))
    lines += ["", "## Series", ""]
    for c in cl:
        r = c.get("recurrence")
        if r:
            lines.append("* `%s` (%s): %s, %d occurrences, %d EXDATE, %d moved, %d cancelled; %d source VEVENTs in %d feeds."
                         % (c["id"], c["city"], r["rrule"], len(r["occurrences_utc"]), len(r["exdates_utc"]),
                            sum(1 for o in r["overrides"] if not o["cancelled"] and o["start_utc"] != o["recurrence_id"]),
                            sum(1 for o in r["overrides"] if o["cancelled"]), len(c["members"]),
                            len({m[0] for m in c["members"]})))
    lines += ["", "## Links", ""]
    for x, y, why in truth["links"]:
        lines.append("* `%s` <-> `%s`: %s" % (x, y, why))
    lines.append("")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


# =========================================================================== CHECK
def check(truth):
    """Parse every feed with icalendar and cross-check the truth against the text written."""
    import subprocess
    import icalendar
    from dateutil.rrule import rrulestr

    errors = []
    fid2f = {f["id"]: f for f in FEEDS}
    cmap = {c["id"]: c for c in truth["clusters"]}
    member_cluster = {}
    for c in truth["clusters"]:
        for fid, uid, rid in c["members"]:
            key = (fid, uid, rid)
            if key in member_cluster:
                errors.append("member twice: %r" % (key,))
            member_cluster[key] = c["id"]
    unit_cluster = {}
    for (fid, uid, rid), cid in member_cluster.items():
        if unit_cluster.setdefault((fid, uid), cid) != cid:
            errors.append("source in two clusters: %r" % ((fid, uid),))

    def to_utc(v, fid, cid, xwr):
        if isinstance(v, dt.datetime):
            if v.tzinfo is None:
                zone = ZONE[xwr] if xwr else CITY_TZ[cmap[cid]["city"]]
                return v.replace(tzinfo=zone).astimezone(UTC)
            return v.astimezone(UTC)
        return v

    parsed = {}   # (fid, uid, rid or None) -> dict
    n_total = 0
    for f in FEEDS:
        raw = open(os.path.join(OUT, f["file"]), "rb").read()
        n_text = raw.count(b"BEGIN:VEVENT")
        cal = icalendar.Calendar.from_ical(raw)
        xwr = str(cal.get("X-WR-TIMEZONE")) if cal.get("X-WR-TIMEZONE") else None
        evs = list(cal.walk("VEVENT"))
        n_total += len(evs)
        if len(evs) != n_text:
            errors.append("%s: icalendar sees %d VEVENTs, text has %d" % (f["id"], len(evs), n_text))
        if f["style"] == "wordpress" and b"\r\n" in raw:
            errors.append("wordpress feed has CRLF")
        if f["style"] != "wordpress" and raw.count(b"\n") != raw.count(b"\r\n"):
            errors.append("%s: not pure CRLF" % f["id"])
        uid_count = Counter(str(e["UID"]) for e in evs)
        # also check raw TZID text against our own mapping (independent of icalendar's resolver)
        for e in evs:
            uid = str(e["UID"])
            ridp = e.get("RECURRENCE-ID")
            # find cluster
            cid = None
            rid_s = None
            if ridp is not None:
                rv = ridp.dt
                # floating RIDs need the zone: resolve after cluster lookup
                cand = [k for k in member_cluster if k[0] == f["id"] and k[1] == uid and k[2] is not None]
                cid = member_cluster[cand[0]] if cand else None
                if cid is None:
                    errors.append("%s %s: override not in truth" % (f["id"], uid))
                    continue
                rid_s = u(to_utc(rv, f["id"], cid, xwr))
                key = (f["id"], uid, rid_s)
            else:
                key = (f["id"], uid, None)
                if key not in member_cluster:
                    cand = [k for k in member_cluster if k[0] == f["id"] and k[1] == uid]
                    if len(cand) == 1 and uid_count[uid] == 1:
                        key = cand[0]
                    else:
                        errors.append("%s %s: VEVENT not in truth" % (f["id"], uid))
                        continue
            if key not in member_cluster:
                errors.append("%s: not in truth" % (key,))
                continue
            if key in parsed:
                errors.append("%s: two VEVENTs for one member" % (key,))
            cid = member_cluster[key]
            s = to_utc(e["DTSTART"].dt, f["id"], cid, xwr)
            # independent resolution of Windows TZIDs
            tzid = e["DTSTART"].params.get("TZID")
            if tzid in WIN_TO_IANA:
                mine = e["DTSTART"].dt.replace(tzinfo=None).replace(tzinfo=ZONE[WIN_TO_IANA[tzid]]).astimezone(UTC)
                if mine != s:
                    errors.append("%s: Windows zone resolution differs %s vs %s" % (key, mine, s))
            parsed[key] = dict(start=s, event=e, xwr=xwr, cid=cid, status=str(e.get("STATUS", "")).upper(),
                               rrule=e.get("RRULE"), exdate=e.get("EXDATE"))
    for key in member_cluster:
        if key not in parsed:
            errors.append("truth member missing in feeds: %r" % (key,))

    order = {f["id"]: i for i, f in enumerate(FEEDS)}
    off_notes = []
    for c in truth["clusters"]:
        mem = [(k, parsed[k]) for k in map(tuple, c["members"]) if k in parsed]
        rec = c.get("recurrence")
        if rec:
            occ = set(rec["occurrences_utc"])
            ovs = {o["recurrence_id"]: o for o in rec["overrides"]}
            for k, p in mem:
                if p["rrule"] is not None and k[2] is None:   # master or copy
                    if u(p["start"]) != c["start_utc"]:
                        errors.append("%s: series start %s != %s" % (c["id"], u(p["start"]), c["start_utc"]))
                    ds = p["event"]["DTSTART"].dt
                    if ds.tzinfo is None:
                        ds = ds.replace(tzinfo=ZONE[p["xwr"]] if p["xwr"] else CITY_TZ[c["city"]])
                    rr = rrulestr(p["rrule"].to_ical().decode(), dtstart=ds)
                    got = [x.astimezone(UTC) for x in rr]
                    exd = set()
                    exl = p["exdate"] if isinstance(p["exdate"], list) else ([p["exdate"]] if p["exdate"] else [])
                    for ex in exl:
                        for d in ex.dts:
                            v = d.dt if d.dt.tzinfo else d.dt.replace(tzinfo=ds.tzinfo)
                            exd.add(v.astimezone(UTC))
                    got = [u(x) for x in got if x not in exd]
                    if got != rec["occurrences_utc"]:
                        errors.append("%s: occurrences differ in %s: %s" % (c["id"], k[0], got))
                elif k[2] is not None:
                    if k[2] not in occ:
                        errors.append("%s: rid %s not an occurrence" % (c["id"], k[2]))
                    exp = ovs[k[2]]["start_utc"] if k[2] in ovs else k[2]
                    if u(p["start"]) != exp:
                        errors.append("%s: instance %s starts %s, expected %s" % (c["id"], k, u(p["start"]), exp))
                    if p["event"].get("RECURRENCE-ID") is not None:
                        canc = ovs.get(k[2], {}).get("cancelled", False)
                        if canc != (p["status"] == "CANCELLED"):
                            errors.append("%s: override cancel flag mismatch" % c["id"])
            continue
        timed = [(k, p) for k, p in mem if isinstance(p["start"], dt.datetime)]
        if timed:
            k0, p0 = min(timed, key=lambda kp: order[kp[0][0]])
            if u(p0["start"]) != c["start_utc"] or c["all_day"]:
                errors.append("%s: start %s != truth %s" % (c["id"], u(p0["start"]), c["start_utc"]))
            loc_date = p0["start"].astimezone(CITY_TZ[c["city"]]).date().isoformat()
            if loc_date != c["start_date"]:
                errors.append("%s: start_date %s != %s" % (c["id"], c["start_date"], loc_date))
            for k, p in timed:
                if u(p["start"]) != c["start_utc"]:
                    off_notes.append("%s %s %+d min" % (c["id"], k[0], (p["start"] - p0["start"]).total_seconds() / 60))
        else:
            ds = {p["start"].isoformat() for k, p in mem}
            if c["start_utc"] is not None or not c["all_day"] or ds != {c["start_date"]}:
                errors.append("%s: all-day mismatch %s" % (c["id"], ds))
        canc = any(p["status"] == "CANCELLED" for k, p in mem)
        if canc != c["cancelled"]:
            errors.append("%s: cancelled mismatch" % c["id"])
    for x, y, _ in truth["links"]:
        if cmap[x]["city"] == cmap[y]["city"]:
            errors.append("link within one city: %s %s" % (x, y))
    print("check: %d VEVENTs parsed, %d truth members, %d clusters" % (n_total, len(member_cluster), len(cmap)))
    print("check: starts differing from truth (expected: minute offsets in less authoritative feeds):")
    for n in off_notes:
        print("   ", n)
    # score_bridge loads our truth
    scorer = "/work/shared/tools/score_bridge.py"
    if os.path.exists(scorer):
        r = subprocess.run([sys.executable, scorer, os.path.join(OUT, FEEDS[0]["file"]), "--truth", OUT],
                           capture_output=True, text=True)
        res = json.loads(r.stdout)
        print("score_bridge on %s: error=%s dedup=%s clusters=%s" % (FEEDS[0]["file"], res.get("error"),
                                                                    res.get("dedup"), res.get("clusters")))
        if res.get("error"):
            errors.append("scorer: " + res["error"])
    if errors:
        print("ERRORS:")
        for e in errors:
            print("  ", e)
        return False
    print("check: OK")
    return True


# =========================================================================== MAIN
def main():
    ids = [c["id"] for c in CLUSTERS]
    assert len(ids) == len(set(ids)), [x for x, n in Counter(ids).items() if n > 1]
    for c in CLUSTERS:
        if c["kind"] == "series":
            render_series(c)
        else:
            render_single(c)
    counts = {}
    for f in FEEDS:
        counts[f["key"]] = write_feed(f)
    counts["floating_other"] = sum(1 for c in CLUSTERS for m in MEMBERS[c["id"]]
                                   if m[3]["mode"][0] == "float" and FEED[m[0]]["style"] == "cms"
                                   and FEED[m[0]]["city"] != c["city"])
    counts["other_city_vevents"] = sum(1 for c in CLUSTERS for m in MEMBERS[c["id"]] if FEED[m[0]]["city"] != c["city"])
    truth = build_truth()
    with open(os.path.join(OUT, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    write_toml()
    write_readme(truth, counts)
    total = sum(counts[f["key"]] for f in FEEDS)
    print("wrote %d VEVENTs in %d feeds, %d clusters, %d links" % (total, len(FEEDS), len(truth["clusters"]),
                                                                   len(truth["links"])))
    for f in FEEDS:
        print("  %-18s %3d" % (f["id"], counts[f["key"]]))
    if "--check" in sys.argv:
        ok = check(truth)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

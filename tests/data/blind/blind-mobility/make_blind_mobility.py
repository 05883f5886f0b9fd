#!/usr/bin/env python3
"""Write the blind-mobility variant (feeds/*.ics, feeds.toml, truth.json) next to this script.

An independent variant of the sister-cities dataset, written without reading the bridge's
matching code: theme "mobility & smart city", Paris <-> San Francisco, 2026-2027.
Deterministic: run it again and the files are byte-identical.
Usage: make_blind_mobility.py [OUTPUT_DIR]   (default: this script's folder)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = dt.UTC
ZONES = {"paris": "Europe/Paris", "san-francisco": "America/Los_Angeles"}
WINDOWS = {"Europe/Paris": "Romance Standard Time",
           "America/Los_Angeles": "Pacific Standard Time"}

# id, city, file, style, calendar name, kind  (most to least authoritative)
FEEDS = [
    ("paris-mobilites", "paris", "feeds/paris-semaine-mobilites.ics", "olson",
     "Semaine des mobilités numériques 2026 — Programme", "organiser programme (Olson TZIDs)"),
    ("sf-streets-lab", "san-francisco", "feeds/sf-smart-streets-lab.ics", "windows",
     "SF Smart Streets Lab — Events", "organiser, Exchange/Outlook export (Windows TZIDs)"),
    ("twin-mobility", "paris", "feeds/paris-sf-mobilites-jumelles.ics", "olson",
     "Paris – San Francisco · Mobilités jumelles", "joint feed listing events in BOTH cities"),
    ("sf-meetups", "san-francisco", "feeds/sf-mobility-meetups.ics", "utc",
     "SF Mobility Meetups", "Meetup-style community feed, every time in UTC"),
    ("paris-agenda", "paris", "feeds/paris-agenda-mobilite.ics", "float-xwr",
     "Agenda mobilité — Ville de Paris", "Google-style agenda, floating times + X-WR-TIMEZONE"),
    ("sf-civic", "san-francisco", "feeds/sf-civic-calendar.ics", "float",
     "Bay Area Civic Tech Calendar", "aggregator, floating times without X-WR-TIMEZONE, LF"),
]
FEED = {f[0]: f for f in FEEDS}

CLUSTERS: list[dict] = []
LINKS: list[list[str]] = []


def uid_for(feed: str, key: str) -> str:
    """A UID in the style of the feed's publisher, derived from a key (deterministic)."""
    h = hashlib.sha1(f"{feed}/{key}".encode()).hexdigest().upper()
    if feed == "paris-mobilites":
        return f"{key}@mobilites-numeriques.paris"
    if feed == "sf-streets-lab":
        return "040000008200E00074C5B7101A82E00800000000" + h[:16] + "01" + "0" * 14 + "10" \
            + "0" * 6 + h[16:32]
    if feed == "sf-meetups":
        return f"event_{int(h[:8], 16) % 900000000 + 100000000}@meetup.com"
    if feed == "paris-agenda":
        return f"{h[:26].lower()}@google.com"
    return f"ai1ec-{int(h[:6], 16) % 9000 + 1000}@localhost"


def copy(feed: str, title: str, start: str, end: str, loc: str = "", *, key: str = "",
         uid: str = "", status: str = "CONFIRMED", desc: str = "", url: str = "",
         rid: str | None = None, rrule: str = "", exdates: tuple[str, ...] = (),
         overrides: tuple[dict, ...] = ()) -> dict:
    """One source VEVENT; start/end are local wall times 'YYYY-MM-DD HH:MM' or dates."""
    return {"feed": feed, "title": title, "start": start, "end": end, "loc": loc,
            "uid": uid or uid_for(feed, key or title), "status": status, "desc": desc,
            "url": url, "rid": rid, "rrule": rrule, "exdates": exdates,
            "overrides": overrides}


def parse_local(text: str, zone: str) -> dt.datetime | dt.date:
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def z(d: dt.datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cluster(cid: str, city: str, title: str, note: str, tags: list[str], copies: list[dict],
            recurrence: dict | None = None) -> None:
    zone = ZONES[city]
    members, timed, dates = [], [], []
    order = [f[0] for f in FEEDS]
    for c in copies:
        c["zone"] = zone
        rid = None
        if c["rid"]:
            rid = z(parse_local(c["rid"], zone))  # type: ignore[arg-type]
        members.append([c["feed"], c["uid"], rid])
        for o in c["overrides"]:
            o["zone"] = zone
            members.append([c["feed"], c["uid"], z(parse_local(o["rid"], zone))])  # type: ignore
        s = parse_local(c["start"], zone)
        if isinstance(s, dt.datetime):
            timed.append((order.index(c["feed"]), s))
        else:
            dates.append(s)
    if recurrence:
        first = recurrence["occurrences_utc"][0]
        start_utc, start_date, all_day = first, recurrence["first_local_date"], False
        del recurrence["first_local_date"]
    elif timed:
        best = min(timed, key=lambda t: t[0])[1]
        start_utc, start_date, all_day = z(best), best.date().isoformat(), False
    else:
        start_utc, start_date, all_day = None, min(dates).isoformat(), True
    cancelled = any(c["status"] == "CANCELLED" for c in copies)
    entry = {"id": cid, "city": city, "title": title, "members": members,
             "start_utc": start_utc, "start_date": start_date, "all_day": all_day,
             "cancelled": cancelled, "note": note, "tags": sorted(tags)}
    if recurrence:
        entry["recurrence"] = recurrence
    entry["_copies"] = copies
    CLUSTERS.append(entry)


def weekly(city: str, first: str, count: int, exdates: tuple[str, ...],
           overrides: list[tuple[str, str, bool]], rrule: str) -> dict:
    """Truth recurrence block for a weekly series given in local wall time."""
    zone = ZONES[city]
    d0 = dt.datetime.fromisoformat(first)
    occ = [(d0 + dt.timedelta(weeks=i)).replace(tzinfo=ZoneInfo(zone)) for i in range(count)]
    ex = {dt.datetime.fromisoformat(e).replace(tzinfo=ZoneInfo(zone)) for e in exdates}
    return {"rrule": rrule,
            "exdates_utc": sorted(z(e) for e in ex),
            "occurrences_utc": [z(o) for o in occ if o not in ex],
            "overrides": [{"recurrence_id": z(parse_local(r, zone)),  # type: ignore[arg-type]
                           "start_utc": z(parse_local(s, zone)),  # type: ignore[arg-type]
                           "cancelled": c} for r, s, c in overrides],
            "first_local_date": occ[0].date().isoformat()}


def link(a: str, b: str, why: str) -> None:
    LINKS.append([a, b, why])


# --------------------------------------------------------------------------- events
MUT = "Maison de la Mutualité, 24 rue Saint-Victor, 75005 Paris"
MUT_SHORT = "Maison de la Mutualité, Paris 5e"
HDV = "Hôtel de Ville, place de l'Hôtel de Ville, 75004 Paris"
SFCH = "San Francisco City Hall, 1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102"
LAB = "SF Smart Streets Lab, 1 South Van Ness Ave, San Francisco, CA 94103"
PIER = "Pier 27, The Embarcadero, San Francisco, CA 94111"
SMN = "https://www.mobilites-numeriques.paris/programme/"


def paris_festival() -> None:
    cluster("smn-festival", "paris", "Semaine des mobilités numériques 2026",
            "Multi-day festival, timed in the programme and all-day (VALUE=DATE) in the "
            "agenda; takes place in the EU/US DST gap week.",
            ["all-day-vs-timed", "different-uids", "dst-gap-weeks", "multi-feed"],
            [copy("paris-mobilites", "Semaine des mobilités numériques 2026",
                  "2026-10-27 09:00", "2026-10-30 18:00", MUT, key="festival",
                  url=SMN, desc="Quatre jours de conférences, ateliers et démonstrations."),
             copy("paris-agenda", "Semaine des Mobilités Numériques", "2026-10-27",
                  "2026-10-31", MUT_SHORT, desc="Le festival des mobilités numériques.")])
    cluster("smn-keynote", "paris", "Keynote d'ouverture : la rue de demain",
            "Keynote in 3 feeds: programme (Olson), joint feed in English, agenda with "
            "'SMN 2026 –' prefix, curly apostrophe and +15 min. Livestreamed in SF.",
            ["different-uids", "fr-en", "title-prefix", "start-off-by-minutes", "linked",
             "multi-feed", "floating-xwr"],
            [copy("paris-mobilites", "Keynote d'ouverture : la rue de demain",
                  "2026-10-27 10:00", "2026-10-27 11:00", MUT, key="keynote",
                  url=SMN + "keynote", desc="Keynote d'ouverture, retransmise en direct à "
                  "San Francisco."),
             copy("twin-mobility", "Opening keynote: the street of tomorrow",
                  "2026-10-27 10:00", "2026-10-27 11:00", MUT, key="tw-keynote",
                  uid="ai1ec-301@localhost",
                  desc="Opening keynote of the Paris digital mobility week, livestreamed "
                  "to San Francisco."),
             copy("paris-agenda", "SMN 2026 – Keynote d’ouverture : la rue de demain",
                  "2026-10-27 10:15", "2026-10-27 11:00", MUT_SHORT, key="ag-keynote")])
    cluster("smn-table-velo", "paris", "Table ronde : vélo et données ouvertes",
            "Parallel session (Salle Seine) at the same time as the shuttle round table "
            "(Salle Marne); agenda copy in capitals without accents.",
            ["parallel-session", "title-case", "accents", "different-uids", "multi-feed",
             "hard-negative", "link-negative"],
            [copy("paris-mobilites", "Table ronde : vélo et données ouvertes",
                  "2026-10-27 14:00", "2026-10-27 15:30", MUT + " — Salle Seine",
                  key="table-velo", url=SMN + "table-velo"),
             copy("paris-agenda", "TABLE RONDE : VELO ET DONNEES OUVERTES",
                  "2026-10-27 14:00", "2026-10-27 15:30", "Maison de la Mutualité (Salle Seine)",
                  key="ag-velo")])
    cluster("smn-table-navettes", "paris",
            "Table ronde : navettes autonomes & logistique urbaine",
            "Parallel session (Salle Marne); agenda copy with the HTML entity '&amp;'.",
            ["parallel-session", "html-entity", "different-uids", "multi-feed",
             "hard-negative", "link-negative"],
            [copy("paris-mobilites", "Table ronde : navettes autonomes & logistique urbaine",
                  "2026-10-27 14:00", "2026-10-27 15:30", MUT + " — Salle Marne",
                  key="table-navettes", url=SMN + "table-navettes"),
             copy("paris-agenda", "Table ronde : navettes autonomes &amp; logistique urbaine",
                  "2026-10-27 14:00", "2026-10-27 15:30", "Maison de la Mutualité (Salle Marne)",
                  key="ag-navettes")])
    cluster("smn-hackathon", "paris", "Hackathon « Données de mobilité »",
            "Two-day hackathon; the agenda keeps the organiser's UID.",
            ["same-uid-across-feeds", "multi-feed"],
            [copy("paris-mobilites", "Hackathon « Données de mobilité »",
                  "2026-10-28 09:00", "2026-10-29 17:00", "Le CENTQUATRE-PARIS, 5 rue Curial, "
                  "75019 Paris", key="hackathon"),
             copy("paris-agenda", "Hackathon « Données de mobilité »", "2026-10-28 09:00",
                  "2026-10-29 17:00", "CENTQUATRE, Paris 19e",
                  uid="hackathon@mobilites-numeriques.paris")])
    cluster("smn-atelier-1", "paris", "Atelier : cartographier les pistes cyclables (session 1)",
            "Two-session workshop, same room, consecutive days: two events.",
            ["hard-negative", "different-uids", "multi-feed"],
            [copy("paris-mobilites", "Atelier : cartographier les pistes cyclables (session 1)",
                  "2026-10-28 10:00", "2026-10-28 12:00", MUT + " — Salle Loire",
                  key="atelier-1"),
             copy("paris-agenda", "Atelier : cartographier les pistes cyclables (session 1)",
                  "2026-10-28 10:00", "2026-10-28 12:00", MUT_SHORT, key="ag-atelier-1")])
    cluster("smn-atelier-2", "paris", "Atelier : cartographier les pistes cyclables (session 2)",
            "Second session of the workshop (next day).", ["hard-negative"],
            [copy("paris-mobilites", "Atelier : cartographier les pistes cyclables (session 2)",
                  "2026-10-29 10:00", "2026-10-29 12:00", MUT + " — Salle Loire",
                  key="atelier-2")])
    for day in ("28", "30"):
        cluster(f"smn-cafe-{day}", "paris", "Café mobilité",
                "Same title and venue on two days of the festival: two events.",
                ["hard-negative"],
                [copy("paris-mobilites", "Café mobilité", f"2026-10-{day} 08:30",
                      f"2026-10-{day} 09:30", MUT, key=f"cafe-{day}")])
    cluster("smn-salon", "paris", "Salon des startups de la mobilité",
            "All-day in both feeds: published as the date.",
            ["all-day", "different-uids", "multi-feed"],
            [copy("paris-mobilites", "Salon des startups de la mobilité", "2026-10-29",
                  "2026-10-30", MUT, key="salon"),
             copy("paris-agenda", "Salon des start-ups de la mobilité", "2026-10-29",
                  "2026-10-30", MUT_SHORT, key="ag-salon")])
    cluster("smn-drones", "paris", "Démonstration : drones de livraison",
            "Cancelled in the programme (STATUS:CANCELLED), still confirmed in the agenda, "
            "which also drops the accents.",
            ["cancelled-status", "cancelled-in-some-sources-only", "accents",
             "different-uids", "multi-feed"],
            [copy("paris-mobilites", "Démonstration : drones de livraison", "2026-10-29 15:00",
                  "2026-10-29 16:00", "Parvis de la Maison de la Mutualité", key="drones",
                  status="CANCELLED"),
             copy("paris-agenda", "Demonstration : drones de livraison", "2026-10-29 15:00",
                  "2026-10-29 16:00", MUT_SHORT, key="ag-drones")])
    cluster("smn-balade", "paris", "Balade urbaine : capteurs de qualité de l'air",
            "Confirmed in the programme; the agenda marks it 'ANNULÉ –' with STATUS:CANCELLED.",
            ["cancelled-status", "cancelled-in-some-sources-only", "title-prefix",
             "different-uids", "multi-feed"],
            [copy("paris-mobilites", "Balade urbaine : capteurs de qualité de l'air",
                  "2026-10-30 11:00", "2026-10-30 12:30", "Départ : place Maubert, Paris 5e",
                  key="balade"),
             copy("paris-agenda", "ANNULÉ – Balade urbaine : capteurs de qualité de l'air",
                  "2026-10-30 11:00", "2026-10-30 12:30", "Place Maubert", key="ag-balade",
                  status="CANCELLED")])
    cluster("smn-sf-lessons", "paris", "Conférence : ce que Paris peut apprendre de San Francisco",
            "A Paris talk about San Francisco: mentions the other city, linked to nothing.",
            ["link-negative"],
            [copy("paris-mobilites", "Conférence : ce que Paris peut apprendre de San Francisco",
                  "2026-10-28 11:00", "2026-10-28 12:00", MUT + " — Salle Seine",
                  key="sf-lessons", desc="Retour d'expérience sur les rues partagées de "
                  "San Francisco.")])
    cluster("smn-closing", "paris", "Soirée de clôture",
            "Closing night; agenda copy with a '[SMN 2026]' prefix.",
            ["title-prefix", "different-uids", "multi-feed"],
            [copy("paris-mobilites", "Soirée de clôture", "2026-10-30 19:00",
                  "2026-10-30 23:00", MUT, key="closing"),
             copy("paris-agenda", "[SMN 2026] Soirée de clôture", "2026-10-30 19:00",
                  "2026-10-30 23:00", MUT_SHORT, key="ag-closing")])


def paris_series() -> None:
    rec = weekly("paris", "2026-10-08T19:00", 8, ("2026-11-12T19:00",),
                 [("2026-10-29 19:00", "2026-10-28 18:30", False)],
                 "FREQ=WEEKLY;BYDAY=TH;COUNT=8")
    master = copy("paris-mobilites", "Atelier hebdo open data mobilité", "2026-10-08 19:00",
                  "2026-10-08 21:00", "La Fabrique des mobilités, 12 rue de l'Arsenal, Paris 4e",
                  key="atelier-hebdo", rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=8",
                  exdates=("2026-11-12 19:00",),
                  overrides=({"rid": "2026-10-29 19:00", "start": "2026-10-28 18:30",
                              "end": "2026-10-28 20:30", "status": "CONFIRMED"},))
    cluster("paris-atelier-hebdo", "paris", "Atelier hebdo open data mobilité",
            "Weekly series (COUNT=8) across the EU DST change (Oct 25), EXDATE Nov 12, Oct 29 "
            "moved to Wed Oct 28 18:30 (festival). The agenda lists 3 weeks as single floating "
            "events, the moved one at its new time.",
            ["recurring", "exdate", "moved-instance", "series-instances-elsewhere",
             "different-uids", "multi-feed", "floating-xwr", "title-case"],
            [master] + [copy("paris-agenda", "Atelier hebdo Open Data Mobilité", s, e,
                             "La Fabrique des mobilités", key=f"ag-hebdo-{r}", rid=r)
                        for r, s, e in (("2026-10-15 19:00", "2026-10-15 19:00",
                                         "2026-10-15 21:00"),
                                        ("2026-10-29 19:00", "2026-10-28 18:30",
                                         "2026-10-28 20:30"),
                                        ("2026-11-05 19:00", "2026-11-05 19:00",
                                         "2026-11-05 21:00"))],
            rec)
    rec = weekly("paris", "2027-03-03T19:00", 6, (), [], "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270407")
    cluster("paris-drinks", "paris", "Smart City Drinks",
            "Weekly floating series across the EU DST change (Mar 28 2027). San Francisco has "
            "a weekly 'Smart City Drinks' on the same evenings: NOT the same event.",
            ["recurring", "same-name-other-city", "hard-negative", "floating-xwr",
             "link-negative"],
            [copy("paris-agenda", "Smart City Drinks", "2027-03-03 19:00", "2027-03-03 21:30",
                  "Le Pavillon des Canaux, 39 quai de la Loire, 75019 Paris", key="drinks",
                  rrule="FREQ=WEEKLY;BYDAY=WE;UNTIL=20270407T235959")], rec)


def paris_other() -> None:
    cluster("paris-forum-ville", "paris", "Forum Ville intelligente de Paris",
            "Same topic and date as the Bay Area Smart City Forum: not linked.",
            ["link-negative"],
            [copy("paris-agenda", "Forum Ville intelligente de Paris", "2026-11-18 09:00",
                  "2026-11-18 17:00", "Pavillon de l'Arsenal, 21 boulevard Morland, Paris 4e",
                  key="forum-ville")])
    cluster("paris-women", "paris", "Women in Mobility Paris",
            "Same brand and date as Women in Mobility SF: not linked.",
            ["link-negative"],
            [copy("paris-agenda", "Women in Mobility Paris", "2027-03-11 18:30",
                  "2027-03-11 21:00", "Station F, 5 parvis Alan Turing, 75013 Paris",
                  key="women")])
    cluster("paris-rencontres-od", "paris", "Les Rencontres de l'open data mobilité",
            "Single source.", [],
            [copy("paris-agenda", "Les Rencontres de l'open data mobilité",
                  "2026-12-03 14:00", "2026-12-03 18:00", "Hôtel de Ville, Paris 4e",
                  key="rencontres")])


def linked_pairs() -> None:
    cluster("sf-keynote-watch", "san-francisco",
            "Watch party: Paris mobility week opening keynote",
            "Replay of the Paris keynote with breakfast (livestream relay). UTC in the meetup "
            "feed, floating local in the aggregator.",
            ["linked", "utc-z", "floating-no-xwr", "different-uids", "multi-feed"],
            [copy("sf-meetups", "Watch party: Paris mobility week opening keynote",
                  "2026-10-27 08:00", "2026-10-27 09:30", LAB, key="watch",
                  desc="Livestream replay of the opening keynote of the Semaine des "
                  "mobilités numériques in Paris."),
             copy("sf-civic", "Watch Party – Paris Opening Keynote (livestream)",
                  "2026-10-27 08:00", "2026-10-27 09:30", "SF Smart Streets Lab", key="cv-watch")])
    link("smn-keynote", "sf-keynote-watch", "SF watch party relays the Paris opening keynote")

    cluster("paris-curb-final", "paris", "Curb Data Challenge : finale de Paris",
            "Paris final of the twin Paris–SF Curb Data Challenge.",
            ["linked", "different-uids", "multi-feed", "fr-en"],
            [copy("paris-mobilites", "Curb Data Challenge : finale de Paris", "2026-10-29 16:00",
                  "2026-10-29 18:00", MUT + " — Grande salle", key="curb-final",
                  desc="Finale parisienne du Curb Data Challenge Paris – San Francisco ; "
                  "la finale de San Francisco a lieu le 5 novembre."),
             copy("twin-mobility", "Curb Data Challenge: Paris final", "2026-10-29 16:00",
                  "2026-10-29 18:00", MUT, key="tw-curb-paris",
                  desc="Paris final of the twin Paris – San Francisco Curb Data Challenge.")])
    cluster("sf-curb-final", "san-francisco", "Curb Data Challenge: San Francisco final",
            "SF final of the twin challenge, after the US DST change: Outlook (Windows TZID), "
            "joint feed in French, meetup feed in UTC 30 min late.",
            ["linked", "different-uids", "multi-feed", "fr-en", "tzid-windows", "utc-z",
             "start-off-by-minutes", "listed-in-other-city-feed"],
            [copy("sf-streets-lab", "Curb Data Challenge: San Francisco final",
                  "2026-11-05 10:00", "2026-11-05 12:00", PIER, key="curb-sf",
                  desc="San Francisco final of the Paris – San Francisco Curb Data Challenge "
                  "(the Paris final was held on October 29)."),
             copy("twin-mobility", "Curb Data Challenge : finale de San Francisco",
                  "2026-11-05 10:00", "2026-11-05 12:00", PIER, key="tw-curb-sf"),
             copy("sf-meetups", "curb data challenge – SF final", "2026-11-05 10:30",
                  "2026-11-05 12:00", "Pier 27", key="mu-curb")])
    link("paris-curb-final", "sf-curb-final", "Curb Data Challenge held in both cities")

    cluster("sf-annual-review", "san-francisco",
            "Smart Streets Lab × Ville de Paris: annual review",
            "Annual review of the SF–Paris programme, in the US/EU DST gap (Mar 2027); "
            "French title in the joint feed.",
            ["linked", "dst-gap-weeks", "tzid-windows", "fr-en", "different-uids",
             "multi-feed", "listed-in-other-city-feed"],
            [copy("sf-streets-lab", "Smart Streets Lab × Ville de Paris: annual review",
                  "2027-03-17 09:00", "2027-03-17 12:00", LAB, key="review",
                  desc="Annual review of the Smart Streets Lab – Ville de Paris programme, "
                  "with a satellite session at Paris City Hall the next day."),
             copy("twin-mobility", "Revue annuelle Smart Streets Lab × Ville de Paris "
                  "(San Francisco)", "2027-03-17 09:00", "2027-03-17 12:00", LAB,
                  key="tw-review")])
    cluster("paris-review-satellite", "paris",
            "Revue annuelle Smart Streets Lab × Ville de Paris : session satellite à Paris",
            "Paris satellite of the SF annual review; the SF organiser lists it with "
            "'Romance Standard Time' (an SF feed listing a Paris event).",
            ["linked", "dst-gap-weeks", "tzid-windows", "fr-en", "different-uids",
             "multi-feed", "listed-in-other-city-feed"],
            [copy("sf-streets-lab", "Annual review — Paris satellite session",
                  "2027-03-18 17:00", "2027-03-18 19:00", HDV, key="review-sat",
                  desc="Paris satellite session of the Smart Streets Lab × Ville de Paris "
                  "annual review held in San Francisco."),
             copy("twin-mobility", "Revue annuelle Smart Streets Lab × Ville de Paris : "
                  "session satellite à Paris", "2027-03-18 17:00", "2027-03-18 19:00", HDV,
                  key="tw-review-sat")])
    link("sf-annual-review", "paris-review-satellite", "Paris satellite of the SF annual review")

    cluster("paris-anniversary", "paris",
            "5e anniversaire du jumelage mobilité Paris – San Francisco : réception",
            "Anniversary reception in Paris; English in the joint feed, the agenda 15 min late.",
            ["linked", "fr-en", "start-off-by-minutes", "different-uids", "multi-feed"],
            [copy("twin-mobility", "Paris–SF mobility twinning, 5th anniversary: Paris "
                  "reception", "2026-10-29 18:30", "2026-10-29 21:00", HDV, key="tw-anniv-p"),
             copy("paris-agenda", "5e anniversaire du jumelage mobilité Paris – San Francisco "
                  ": réception", "2026-10-29 18:45", "2026-10-29 21:00",
                  "Hôtel de Ville de Paris", key="ag-anniv")])
    cluster("sf-anniversary", "san-francisco",
            "Paris–SF mobility twinning, 5th anniversary: San Francisco reception",
            "Anniversary reception in SF (joint feed + aggregator, floating local times).",
            ["linked", "different-uids", "multi-feed", "floating-no-xwr",
             "listed-in-other-city-feed"],
            [copy("twin-mobility", "Paris–SF mobility twinning, 5th anniversary: San "
                  "Francisco reception", "2026-11-05 17:30", "2026-11-05 20:00", SFCH,
                  key="tw-anniv-sf", uid="ai1ec-305@localhost"),
             copy("sf-civic", "5th Anniversary — Paris/SF Mobility Twinning Reception",
                  "2026-11-05 17:30", "2026-11-05 20:00", "SF City Hall", key="cv-anniv")])
    link("paris-anniversary", "sf-anniversary", "twinning anniversary receptions")

    cluster("paris-vision-zero", "paris", "Atelier jumelé Vision Zéro : sécurité routière (Paris)",
            "Twin workshop held at the same instant in both cities (17:00Z).",
            ["linked", "dst-gap-weeks", "different-uids", "multi-feed", "accents"],
            [copy("twin-mobility", "Atelier jumelé Vision Zéro : sécurité routière (Paris)",
                  "2027-03-16 18:00", "2027-03-16 20:00", "Pavillon de l'Arsenal, Paris 4e",
                  key="tw-vz-p", desc="Atelier tenu en même temps qu'à San Francisco, en "
                  "duplex avec le Smart Streets Lab."),
             copy("paris-agenda", "Atelier jumelé Vision Zero – sécurité routière",
                  "2027-03-16 18:00", "2027-03-16 20:00", "Pavillon de l'Arsenal",
                  key="ag-vz")])
    cluster("sf-vision-zero", "san-francisco", "Twin workshop: Vision Zero road safety (SF)",
            "SF half of the twin workshop (Outlook + UTC meetup feed).",
            ["linked", "dst-gap-weeks", "tzid-windows", "utc-z", "different-uids",
             "multi-feed"],
            [copy("sf-streets-lab", "Twin workshop: Vision Zero road safety (San Francisco)",
                  "2027-03-16 10:00", "2027-03-16 12:00", LAB, key="vz",
                  desc="Twin workshop held at the same time in Paris (Pavillon de l'Arsenal), "
                  "with a live link between the two rooms."),
             copy("sf-meetups", "Vision Zero twin workshop SF", "2027-03-16 10:00",
                  "2027-03-16 12:00", "Smart Streets Lab", key="mu-vz")])
    link("paris-vision-zero", "sf-vision-zero", "twin Vision Zero workshop held in both cities")


def sf_events() -> None:
    cluster("sf-shuttle-demo", "san-francisco", "Autonomous Shuttle Demo Day",
            "Timed in the Outlook feed, all-day in the aggregator (capitals). Same topic as "
            "the Paris shuttle round table: not linked.",
            ["all-day-vs-timed", "title-case", "tzid-windows", "different-uids",
             "multi-feed", "link-negative"],
            [copy("sf-streets-lab", "Autonomous Shuttle Demo Day", "2026-10-29 13:00",
                  "2026-10-29 16:00", "Treasure Island, San Francisco, CA 94130",
                  key="shuttle"),
             copy("sf-civic", "AUTONOMOUS SHUTTLE DEMO DAY", "2026-10-29", "2026-10-30",
                  "Treasure Island", key="cv-shuttle")])
    cluster("sf-summit", "san-francisco", "Smart Streets Summit 2026",
            "Two-day summit: all-day in the Outlook feed (first listed), timed in the "
            "aggregator: the timed start wins although its feed ranks lower.",
            ["all-day-vs-timed", "different-uids", "multi-feed", "floating-no-xwr"],
            [copy("sf-streets-lab", "Smart Streets Summit 2026", "2026-11-12", "2026-11-14",
                  "Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123", key="summit"),
             copy("sf-civic", "Smart Streets Summit 2026", "2026-11-12 08:30",
                  "2026-11-13 17:00", "Fort Mason Center", key="cv-summit")])
    for track, topic, room in (("A", "Curb Management", "Festival Pavilion"),
                               ("B", "Transit Signal Priority", "Gallery 308")):
        cluster(f"sf-summit-track-{track.lower()}", "san-francisco",
                f"Smart Streets Summit — Track {track}: {topic}",
                "Parallel summit tracks at the same time in two rooms: two events.",
                ["parallel-session", "hard-negative", "different-uids", "multi-feed",
                 "tzid-windows", "title-punctuation"],
                [copy("sf-streets-lab", f"Smart Streets Summit — Track {track}: {topic}",
                      "2026-11-12 13:30", "2026-11-12 15:00", f"Fort Mason Center, {room}",
                      key=f"track-{track}"),
                 copy("sf-civic", f"Smart Streets Summit: Track {track} - {topic}",
                      "2026-11-12 13:30", "2026-11-12 15:00", f"Fort Mason – {room}",
                      key=f"cv-track-{track}")])
    cluster("sf-bike-data", "san-francisco", "Bike to Work Day data meetup",
            "18:30 PST is the next day in UTC; the aggregator keeps the meetup UID.",
            ["utc-z", "same-uid-across-feeds", "multi-feed", "title-punctuation",
             "link-negative"],
            [copy("sf-meetups", "Bike to Work Day data meetup", "2026-11-10 18:30",
                  "2026-11-10 20:30", "Mapbox, 50 Beale St, San Francisco, CA 94105",
                  key="bike"),
             copy("sf-civic", "Bike-to-Work Day Data Meetup", "2026-11-10 18:30",
                  "2026-11-10 20:30", "Mapbox SF", uid=uid_for("sf-meetups", "bike"))])
    cluster("sf-robotaxi", "san-francisco", "Robotaxi policy town hall",
            "Cancelled in the meetup feed ('CANCELLED:' + STATUS), confirmed in two others.",
            ["cancelled-status", "cancelled-in-some-sources-only", "title-prefix",
             "different-uids", "multi-feed", "tzid-windows", "utc-z"],
            [copy("sf-streets-lab", "Robotaxi policy town hall", "2026-11-17 18:00",
                  "2026-11-17 20:00", SFCH, key="robotaxi"),
             copy("sf-meetups", "CANCELLED: Robotaxi policy town hall", "2026-11-17 18:00",
                  "2026-11-17 20:00", "SF City Hall", key="mu-robotaxi", status="CANCELLED"),
             copy("sf-civic", "Robotaxi Policy Town Hall", "2026-11-17 18:00",
                  "2026-11-17 20:00", "San Francisco City Hall", key="cv-robotaxi")])
    hack = uid_for("sf-meetups", "hacknight")
    cluster("sf-hack-night", "san-francisco", "Transit Data Hack Night",
            "Its meetup UID is reused by the aggregator for another event (parklet workshop).",
            ["uid-reused-by-other-feed", "utc-z"],
            [copy("sf-meetups", "Transit Data Hack Night", "2026-11-19 18:00",
                  "2026-11-19 21:00", "Code for SF, 155 9th St, San Francisco, CA 94103",
                  uid=hack)])
    cluster("sf-parklet", "san-francisco", "Parklet Design Workshop",
            "Aggregator event carrying the hack night's UID by mistake: different event.",
            ["uid-reused-by-other-feed", "floating-no-xwr"],
            [copy("sf-civic", "Parklet Design Workshop", "2026-11-21 10:00", "2026-11-21 12:00",
                  "SPUR Urban Center, 654 Mission St, San Francisco", uid=hack)])
    cluster("sf-forum", "san-francisco", "Bay Area Smart City Forum",
            "Same topic and date as the Paris smart-city forum: not linked.",
            ["link-negative", "floating-no-xwr"],
            [copy("sf-civic", "Bay Area Smart City Forum", "2026-11-18 09:00",
                  "2026-11-18 17:00", "SPUR Urban Center, 654 Mission St, San Francisco",
                  key="forum")])
    cluster("sf-women", "san-francisco", "Women in Mobility SF",
            "Same brand and date as Women in Mobility Paris: not linked.",
            ["link-negative", "utc-z"],
            [copy("sf-meetups", "Women in Mobility SF", "2027-03-11 18:00", "2027-03-11 20:30",
                  "Lyft HQ, 185 Berry St, San Francisco, CA 94107", key="women")])
    cluster("sf-curb-wg", "san-francisco", "Curb Management Working Group",
            "Single source (Outlook).", ["tzid-windows"],
            [copy("sf-streets-lab", "Curb Management Working Group", "2026-12-02 10:00",
                  "2026-12-02 11:30", LAB, key="curb-wg")])
    cluster("sf-transit-hackers", "san-francisco", "SF Transit Hackers #44",
            "Single source.", ["utc-z"],
            [copy("sf-meetups", "SF Transit Hackers #44", "2027-01-20 18:30",
                  "2027-01-20 21:00", "Code for SF, 155 9th St, San Francisco", key="th44")])
    cluster("sf-scooter", "san-francisco", "Scooter Share Data Office Hours",
            "Aggregator WordPress UID ai1ec-301@localhost, also used by the joint feed for the "
            "Paris keynote (different event, other city).",
            ["uid-reused-by-other-feed", "floating-no-xwr"],
            [copy("sf-civic", "Scooter Share Data Office Hours", "2027-02-03 12:00",
                  "2027-02-03 13:00", "SFMTA, 1 South Van Ness Ave", uid="ai1ec-301@localhost")])
    cluster("sf-parking-census", "san-francisco", "Parking Census Data Walk",
            "Aggregator UID ai1ec-305@localhost, also used by the joint feed for the SF "
            "anniversary reception (different event, same city, a week apart).",
            ["uid-reused-by-other-feed", "floating-no-xwr"],
            [copy("sf-civic", "Parking Census Data Walk", "2026-11-12 10:00",
                  "2026-11-12 12:00", "Civic Center Plaza", uid="ai1ec-305@localhost")])


def sf_series() -> None:
    rec = weekly("san-francisco", "2027-03-03T18:00", 6, (),
                 [("2027-03-24 18:00", "2027-03-24 18:00", True)],
                 "FREQ=WEEKLY;BYDAY=WE;COUNT=6")
    master = copy("sf-streets-lab", "Smart City Drinks", "2027-03-03 18:00", "2027-03-03 20:00",
                  "Zeitgeist, 199 Valencia St, San Francisco, CA 94103", key="drinks",
                  rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=6",
                  overrides=({"rid": "2027-03-24 18:00", "start": "2027-03-24 18:00",
                              "end": "2027-03-24 20:00", "status": "CANCELLED"},))
    cluster("sf-drinks", "san-francisco", "Smart City Drinks",
            "Weekly series (Windows TZID) across the US DST change (Mar 14 2027) with a "
            "cancelled instance (Mar 24). The aggregator copies the whole series as its own "
            "floating RRULE (without the cancellation); the meetup feed lists two weeks in UTC "
            "(next day in UTC). Same name as the Paris series: not the same event.",
            ["recurring", "cancelled-instance", "series-copied-as-series",
             "series-instances-elsewhere", "same-name-other-city", "hard-negative",
             "dst-gap-weeks", "tzid-windows", "utc-z", "floating-no-xwr", "different-uids",
             "multi-feed", "link-negative"],
            [master,
             copy("sf-civic", "Smart City Drinks SF", "2027-03-03 18:00", "2027-03-03 20:00",
                  "Zeitgeist", key="cv-drinks", rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=6"),
             copy("sf-meetups", "Smart City Drinks", "2027-03-10 18:00", "2027-03-10 20:00",
                  "Zeitgeist, 199 Valencia St", key="mu-drinks-10", rid="2027-03-10 18:00"),
             copy("sf-meetups", "Smart City Drinks", "2027-03-17 18:00", "2027-03-17 20:00",
                  "Zeitgeist, 199 Valencia St", key="mu-drinks-17", rid="2027-03-17 18:00")],
            rec)


# --------------------------------------------------------------------------- rendering
def esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines of at most 75 octets, continuation lines start with a space."""
    out, cur, limit = [], "", 75
    for ch in line:
        if len((cur + ch).encode()) > limit:
            out.append(cur)
            cur, limit = " " + ch, 75
        else:
            cur += ch
    out.append(cur)
    return out


def when(prop: str, value: str, zone: str, style: str) -> str:
    d = parse_local(value, zone)
    if not isinstance(d, dt.datetime):
        return f"{prop};VALUE=DATE:{d.strftime('%Y%m%d')}"
    if style == "utc":
        return f"{prop}:{d.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    local = d.strftime("%Y%m%dT%H%M%S")
    if style == "olson":
        return f"{prop};TZID={zone}:{local}"
    if style == "windows":
        return f"{prop};TZID={WINDOWS[zone]}:{local}"
    return f"{prop}:{local}"  # floating (feed's X-WR-TIMEZONE or city zone == event zone)


def vevent(c: dict, style: str, windows: bool, override: dict | None = None) -> list[str]:
    start = override["start"] if override else c["start"]
    end = override["end"] if override else c["end"]
    lines = (["CLASS:PUBLIC"] if windows else []) + [
        f"UID:{c['uid']}", "DTSTAMP:20260901T080000Z"]
    if override:
        lines.append(when("RECURRENCE-ID", override["rid"], c["zone"], style))
    lines += [when("DTSTART", start, c["zone"], style), when("DTEND", end, c["zone"], style)]
    if c["rrule"] and not override:
        lines.append(f"RRULE:{c['rrule']}")
        lines += [when("EXDATE", e, c["zone"], style) for e in c["exdates"]]
    lines.append("SUMMARY:" + esc(c["title"]))
    if c["loc"]:
        lines.append("LOCATION:" + esc(c["loc"]))
    if c["desc"]:
        lines.append("DESCRIPTION:" + esc(c["desc"]))
    if c["url"]:
        lines.append("URL:" + c["url"])
    status = override["status"] if override else c["status"]
    lines += [f"STATUS:{status}", "SEQUENCE:1" if override else "SEQUENCE:0"]
    if windows:
        lines += ["TRANSP:OPAQUE", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY"]
    return ["BEGIN:VEVENT", *lines, "END:VEVENT"]


VTZ = {
    "Europe/Paris": ["BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
                     "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                     "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200",
                     "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
                     "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD"],
    "America/Los_Angeles": ["BEGIN:DAYLIGHT", "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700",
                            "TZNAME:PDT", "DTSTART:19700308T020000",
                            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
                            "BEGIN:STANDARD", "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800",
                            "TZNAME:PST", "DTSTART:19701101T020000",
                            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD"],
}
VTZ_WIN = {
    "Romance Standard Time": ["BEGIN:STANDARD", "DTSTART:16010101T030000",
                              "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
                              "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
                              "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:16010101T020000",
                              "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
                              "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
                              "END:DAYLIGHT"],
    "Pacific Standard Time": ["BEGIN:STANDARD", "DTSTART:16010101T020000",
                              "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800",
                              "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
                              "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:16010101T020000",
                              "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700",
                              "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
                              "END:DAYLIGHT"],
}
PRODID = {"olson": "-//Mobilites numeriques//Programme 2026//FR",
          "windows": "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
          "utc": "-//Meetup//Meetup Events v1.0//EN",
          "float-xwr": "-//Google Inc//Google Calendar 70.9054//EN",
          "float": "-//All-in-One Event Calendar//WordPress//EN"}


def feed_text(fid: str) -> tuple[str, int]:
    _, city, _, style, name, _ = FEED[fid]
    if fid == "twin-mobility":
        prodid = "-//Ville de Paris//Mobilites jumelles//FR"
    else:
        prodid = PRODID[style]
    copies = [c for cl in CLUSTERS for c in cl["_copies"] if c["feed"] == fid]
    # deterministic but not chronological order, like real exports
    copies.sort(key=lambda c: hashlib.md5((c["uid"] + c["start"]).encode()).hexdigest())
    head = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "VERSION:2.0", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(name)]
    if style == "float-xwr":
        head.append(f"X-WR-TIMEZONE:{ZONES[city]}")
    zones = sorted({c["zone"] for c in copies})
    if style == "olson":
        for zn in zones:
            head += ["BEGIN:VTIMEZONE", f"TZID:{zn}", f"X-LIC-LOCATION:{zn}"] + VTZ[zn] \
                + ["END:VTIMEZONE"]
    if style == "windows":
        for zn in zones:
            head += ["BEGIN:VTIMEZONE", f"TZID:{WINDOWS[zn]}"] + VTZ_WIN[WINDOWS[zn]] \
                + ["END:VTIMEZONE"]
    body, count = [], 0
    for c in copies:
        body += vevent(c, style, style == "windows")
        count += 1
        for o in c["overrides"]:
            body += vevent(c, style, style == "windows", o)
            count += 1
    lines = [piece for line in head + body + ["END:VCALENDAR"] for piece in fold(line)]
    eol = "\n" if style == "float" else "\r\n"
    return eol.join(lines) + eol, count


def check_floating() -> None:
    """Floating copies must be in their feed's zone (else the truth would be wrong)."""
    for cl in CLUSTERS:
        for c in cl["_copies"]:
            _, city, _, style, _, _ = FEED[c["feed"]]
            if style.startswith("float"):
                assert ZONES[city] == c["zone"], (cl["id"], c["feed"])


def main(out: Path) -> None:
    paris_festival()
    paris_series()
    paris_other()
    linked_pairs()
    sf_events()
    sf_series()
    check_floating()
    ids = [c["id"] for c in CLUSTERS]
    assert len(ids) == len(set(ids))
    seen: dict[tuple[str, str], str] = {}
    for cl in CLUSTERS:  # a UID is one source event within its feed
        for c in cl["_copies"]:
            assert seen.setdefault((c["feed"], c["uid"]), cl["id"]) == cl["id"], c["uid"]
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    counts = {}
    for fid, _, path, *_ in FEEDS:
        text, counts[fid] = feed_text(fid)
        (out / path).write_bytes(text.encode())
    toml = ["# Paris <-> San Francisco event bridge: feed configuration (blind-mobility variant).",
            "# Feeds are listed from most to least authoritative. `url` is relative to this",
            "# folder. A floating time in a feed without X-WR-TIMEZONE is in the time zone of",
            "# the feed's city.", "", "[cities.paris]", 'name = "Paris"',
            'timezone = "Europe/Paris"', "", "[cities.san-francisco]",
            'name = "San Francisco"', 'timezone = "America/Los_Angeles"']
    for fid, city, path, _, name, kind in FEEDS:
        toml += ["", f"# {name} -- {kind} ({counts[fid]} VEVENTs)", "[[feeds]]",
                 f'id = "{fid}"', f'city = "{city}"', f'url = "{path}"']
    (out / "feeds.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    for cl in CLUSTERS:
        del cl["_copies"]
    truth = {"dataset": "blind-mobility", "edition": 2026,
             "feeds": [{"id": f[0], "city": f[1], "file": f[2]} for f in FEEDS],
             "clusters": CLUSTERS, "links": LINKS}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    print(f"{sum(counts.values())} VEVENTs, {len(CLUSTERS)} clusters, {len(LINKS)} links",
          counts)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)

"""Writes the variant datasets (feeds/*.ics, feeds.toml, truth.json) deterministically.

    python tests/data/variants/make_variants.py [OUT_DIR]

Each variant has other events, venues, organisations and dates than sister-cities, and
other proportions of its tricks, so that the scorer test measures the rules rather than
one dataset.  The events are written by hand below; ``variantlib`` renders them in each
feed's style and derives the truth.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from variantlib import PARIS, SF, Dataset, Feed, Series

HERE = Path(__file__).parent

OUTLOOK = "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN"
WP_FR = "-//All-in-One Event Calendar//WordPress//FR"
WP_EN = "-//All-in-One Event Calendar//WordPress//EN"
MEETUP = "-//Meetup//Meetup Events v1.0//EN"

MUTU = "Maison de la Mutualité, 24 rue Saint-Victor, 75005 Paris"
MOSCONE = "Moscone West, 800 Howard St, San Francisco, CA 94103"
STATION_F = "Station F, 5 parvis Alan Turing, 75013 Paris"
SF_CITY_HALL = "San Francisco City Hall, 1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102"


def climate_health() -> Dataset:
    """Spring/summer 2027: a climate & health week in Paris, a summit in SF; joint feed in
    UTC; many French/English pairs with other calendar words; the March DST gap."""
    ds = Dataset("climate-health-2027", 2027, [
        Feed("paris-climat", PARIS, "feeds/paris-climat-sante.ics",
             "Semaine Climat & Santé 2027 — Programme officiel", "festival organiser",
             "olson", "-//Climat Santé Paris//Programme 2027//FR"),
        Feed("sf-summit", SF, "feeds/sf-climate-summit.ics",
             "Bay Area Climate & Health Summit — Events", "summit organiser, Outlook export",
             "windows", OUTLOOK),
        Feed("paris-asso", PARIS, "feeds/paris-climate-tech.ics",
             "Communauté Climate Tech Paris", "community feed, floating times, LF endings",
             "floating", "-//Climate Tech Paris//Agenda//FR", lf=True),
        Feed("joint", PARIS, "feeds/paris-sf-climate-bridge.ics",
             "Paris ↔ SF Climate Bridge — joint calendar",
             "joint events in BOTH cities, every time in UTC", "utc",
             "-//Climate Bridge//Joint calendar//EN"),
        Feed("sf-community", SF, "feeds/sf-climate-meetups.ics", "SF Climate Meetups",
             "Meetup-style community feed", "olson", MEETUP),
        Feed("paris-agenda", PARIS, "feeds/paris-agenda-vert.ics",
             "Agenda vert — Paris numérique", "city agenda (floating + X-WR-TIMEZONE)",
             "xwr", WP_FR),
        Feed("sf-agg", SF, "feeds/sf-green-tech.ics",
             "Bay Area Green Tech Calendar (aggregated)", "aggregator, UTC", "utc", WP_EN),
    ])
    url = "https://www.climat-sante.paris/programme/"

    c = ds.event("week", PARIS, "Semaine Climat & Santé 2027", "Timed in the programme, "
                 "all-day over five days in the agenda.", "all-day-vs-timed fr-en")
    ds.copy(c, "paris-climat", "Semaine Climat & Santé 2027", "2027-06-07 09:00",
            4 * 1440 + 540, location=MUTU, url=url)
    ds.copy(c, "paris-agenda", "Semaine Climat et Santé (7-11 juin)", "2027-06-07", days=5,
            location="Paris")

    c = ds.event("keynote", PARIS, "Conférence inaugurale : soigner la planète, soigner "
                 "les villes", "Three feeds; English in the joint feed (same URL); year "
                 "label prefix in the agenda. Linked to the SF watch party.",
                 "fr-en title-prefix linked")
    ds.copy(c, "paris-climat", "Conférence inaugurale : soigner la planète, soigner les "
            "villes", "2027-06-07 18:00", 90, location=MUTU, url=url + "inaugurale")
    ds.copy(c, "joint", "Opening keynote: healing the planet, healing cities (Paris)",
            "2027-06-07 18:00", 90, location=MUTU, url=url + "inaugurale",
            description="Opening keynote of the Paris Climate & Health Week, livestreamed "
                        "to a watch party in San Francisco.")
    ds.copy(c, "paris-agenda", "SEMAINE CLIMAT & SANTÉ 2027 – Conférence inaugurale : "
            "soigner la planète, soigner les villes", "2027-06-07 18:00", 90,
            location="Maison de la Mutualité")
    c = ds.event("watch", SF, "Watch party: Climate & Health Week opening keynote, live "
                 "from Paris", "Livestream of the Paris keynote at 9 am PDT.", "linked")
    ds.copy(c, "sf-community", "Watch party: Climate & Health Week opening keynote, live "
            "from Paris", "2027-06-07 09:00", 120,
            location="French American Chamber, 500 Sansome St, San Francisco, CA 94111",
            description="Livestream of the Paris opening keynote of the Semaine Climat & "
                        "Santé, with coffee.")
    ds.copy(c, "sf-agg", "Watch Party – Climate &amp; Health Week Opening Keynote (live "
            "from Paris)", "2027-06-07 09:00", 120, location="500 Sansome St")
    ds.link("keynote", "watch", "SF watch party livestreams the Paris opening keynote")

    c = ds.event("plenary-paris", PARIS, "Sommet Climat & Santé Paris – San Francisco : "
                 "séance plénière de Paris", "Paris leg of the two-city summit; FR/EN; "
                 "accents stripped and +15 min in the agenda.", "fr-en linked accents")
    ds.copy(c, "paris-climat", "Sommet Climat & Santé Paris – San Francisco : séance "
            "plénière de Paris", "2027-06-08 09:30", 180, location=MUTU, url=url + "sommet")
    ds.copy(c, "joint", "Paris–SF Climate & Health Summit: Paris plenary session",
            "2027-06-08 09:30", 180, location=MUTU)
    ds.copy(c, "paris-agenda", "Sommet Climat et Sante Paris-San Francisco : seance "
            "pleniere", "2027-06-08 09:45", 165, location="Maison de la Mutualite")
    c = ds.event("plenary-sf", SF, "Paris–SF Climate & Health Summit: San Francisco "
                 "plenary", "SF leg; French title in the joint feed; upper case in the "
                 "aggregator.", "fr-en linked title-case")
    ds.copy(c, "sf-summit", "Paris–SF Climate & Health Summit: San Francisco plenary",
            "2027-06-10 09:00", 180, location=MOSCONE,
            description="The San Francisco leg of the two-city summit (the Paris plenary "
                        "was held on June 8).")
    ds.copy(c, "joint", "Sommet Climat & Santé Paris – San Francisco : séance plénière de "
            "San Francisco", "2027-06-10 09:00", 180, location=MOSCONE)
    ds.copy(c, "sf-agg", "PARIS-SF CLIMATE & HEALTH SUMMIT: SAN FRANCISCO PLENARY",
            "2027-06-10 09:00", 180, location="Moscone West")
    ds.link("plenary-paris", "plenary-sf", "Paris and San Francisco legs of one summit")

    for letter, topic, room, agenda in (
            ("A", "données de santé et IA à l'hôpital", "salle Jean Jaurès",
             "Atelier A - Données de santé &amp; IA à l’hôpital"),
            ("B", "capteurs de qualité de l'air", "salle Marie Curie",
             "Atelier B - capteurs qualité de l'air")):
        c = ds.event(f"workshop-{letter.lower()}", PARIS, f"Atelier {letter} : {topic}",
                     "Parallel workshops, same time, other room.", "parallel-session")
        ds.copy(c, "paris-climat", f"Atelier {letter} : {topic}", "2027-06-08 14:00", 120,
                location=f"Maison de la Mutualité — {room}")
        ds.copy(c, "paris-agenda", agenda, "2027-06-08 14:00", 120,
                location="Maison de la Mutualité")

    c = ds.event("screening", PARIS, "Projection-débat : « Chaleur urbaine »",
                 "English title with an HTML entity and +20 min in the agenda.",
                 "fr-en start-off-by-minutes")
    ds.copy(c, "paris-climat", "Projection-débat : « Chaleur urbaine »", "2027-06-09 19:00",
            120, location="MK2 Bibliothèque, 128-162 avenue de France, 75013 Paris")
    ds.copy(c, "paris-agenda", "Screening &amp; debate: « Chaleur urbaine »",
            "2027-06-09 19:20", 100, location="MK2 Bibliothèque")

    c = ds.event("openhouse", PARIS, "Portes ouvertes du Living Lab Santé",
                 "Timed in the programme, all-day in the agenda.", "all-day-vs-timed")
    ds.copy(c, "paris-climat", "Portes ouvertes du Living Lab Santé", "2027-06-10 10:00",
            480, location="Living Lab Santé, 10 rue Oberkampf, 75011 Paris")
    ds.copy(c, "paris-agenda", "Journée portes ouvertes — Living Lab Santé", "2027-06-10")

    c = ds.event("hackathon", PARIS, "Hackathon Air & Santé", "Cancelled by the organiser; "
                 "the agenda still lists it.", "cancelled-in-some-sources-only")
    ds.copy(c, "paris-climat", "Hackathon Air & Santé", "2027-06-09 09:00", 600,
            location="Le CENTQUATRE-PARIS, 5 rue Curial, 75019 Paris", cancelled=True)
    ds.copy(c, "paris-agenda", "Hackathon Air et Santé", "2027-06-09 09:00", 600,
            location="Le CENTQUATRE-PARIS")

    c = ds.event("panel-sf-view", PARIS, "Table ronde : la santé numérique vue de San "
                 "Francisco", "About the other city, no counterpart (link negative).",
                 "link-negative")
    ds.copy(c, "paris-climat", "Table ronde : la santé numérique vue de San Francisco",
            "2027-06-09 11:00", 90, location=MUTU)
    c = ds.event("health-panel-sf", SF, "Digital health panel: what Europe gets right",
                 "Topic twin of the Paris panel; unrelated.", "link-negative")
    ds.copy(c, "sf-summit", "Digital health panel: what Europe gets right",
            "2027-06-10 16:00", 90, location=MOSCONE)

    c = ds.event("demoday-paris", PARIS, "Climate Bridge Accelerator — Demo Day (Paris "
                 "edition)", "One programme's Demo Day in both cities.", "linked fr-en")
    ds.copy(c, "joint", "Climate Bridge Accelerator — Demo Day (Paris edition)",
            "2027-06-11 14:00", 180, location=STATION_F)
    ds.copy(c, "paris-climat", "Demo Day Climate Bridge Accelerator — édition parisienne",
            "2027-06-11 14:00", 180, location=STATION_F)
    c = ds.event("demoday-sf", SF, "Climate Bridge Accelerator — Demo Day (San Francisco "
                 "edition)", "SF edition of the same programme.", "linked")
    ds.copy(c, "joint", "Climate Bridge Accelerator — Demo Day (San Francisco edition)",
            "2027-06-17 14:00", 180,
            location="Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123")
    ds.copy(c, "sf-summit", "Climate Bridge Accelerator Demo Day — SF", "2027-06-17 14:00",
            180, location="Fort Mason Center, 2 Marina Blvd, San Francisco, CA 94123",
            description="San Francisco edition of the Climate Bridge Accelerator Demo Day "
                        "(the Paris edition was held at Station F on June 11).")
    ds.link("demoday-paris", "demoday-sf", "Demo Day of one programme held in both cities")
    c = ds.event("fund-demoday", SF, "Bay Climate Fund Demo Day", "Another programme's "
                 "Demo Day the same afternoon (dedup and link hard negative).",
                 "hard-negative link-negative")
    ds.copy(c, "sf-summit", "Bay Climate Fund Demo Day", "2027-06-17 15:00", 120,
            location="Fort Mason Center, Festival Pavilion")
    ds.copy(c, "sf-agg", "Bay Climate Fund — Demo Day", "2027-06-17 15:00", 120,
            location="Fort Mason Center")
    c = ds.event("station-demoday", PARIS, "Demo Day Station Santé", "Other Paris Demo Day "
                 "at the same venue and afternoon.", "hard-negative link-negative")
    ds.copy(c, "paris-agenda", "Demo Day Station Santé", "2027-06-11 16:00", 120,
            location="Station F")

    c = ds.event("anniv-paris", PARIS, "10 ans du jumelage Paris – San Francisco : "
                 "réception anniversaire", "Simultaneous anniversary receptions.", "linked")
    ds.copy(c, "joint", "10 ans du jumelage Paris – San Francisco : réception "
            "anniversaire", "2027-06-12 19:00", 150, location="Hôtel de Ville de Paris")
    ds.copy(c, "paris-agenda", "Réception anniversaire du jumelage Paris-San Francisco",
            "2027-06-12 19:00", 150, location="Hôtel de Ville")
    c = ds.event("anniv-sf", SF, "Paris–San Francisco twinning: 10th anniversary "
                 "reception", "Same instant as the Paris reception.", "linked")
    ds.copy(c, "joint", "Paris–San Francisco twinning: 10th anniversary reception",
            "2027-06-12 10:00", 150, location=SF_CITY_HALL)
    ds.copy(c, "sf-agg", "Paris–San Francisco twinning: 10th anniversary reception",
            "2027-06-12 10:00", 150, location="SF City Hall")
    ds.link("anniv-paris", "anniv-sf", "simultaneous twinning anniversary receptions")

    c = ds.event("colloque", PARIS, "Colloque santé environnementale et climat",
                 "Main session in Paris, satellite at Berkeley.", "linked")
    ds.copy(c, "paris-climat", "Colloque santé environnementale et climat",
            "2027-06-09 09:00", 300,
            location="Institut Pasteur, 25 rue du Docteur Roux, 75015 Paris",
            description="Avec une session satellite à Berkeley.")
    c = ds.event("satellite", SF, "Environmental health & climate colloquium — Berkeley "
                 "satellite session", "The joint feed (UTC, city paris) lists it with a "
                 "location that names no city.", "linked listed-in-other-city-feed fr-en")
    ds.copy(c, "sf-summit", "Environmental health & climate colloquium — Berkeley "
            "satellite session", "2027-06-09 09:00", 180,
            location="UC Berkeley, Sutardja Dai Hall, Berkeley, CA 94720",
            description="Satellite session of the Paris colloquium at Institut Pasteur.")
    ds.copy(c, "joint", "Colloque santé environnementale et climat — session satellite "
            "(Berkeley)", "2027-06-09 09:00", 180, location="UC Berkeley, Sutardja Dai Hall")
    ds.link("colloque", "satellite", "Berkeley satellite of the Paris colloquium")

    c = ds.event("breakfast-paris", PARIS, "Climate Founders Breakfast", "Weekly series, "
                 "floating; EXDATE, moved and cancelled instance; the agenda lists three "
                 "weeks one by one in French.", "recurring series-instances-elsewhere "
                 "same-name-other-city dst-gap-weeks")
    s = Series(ds, c, "2027-03-10 08:30", 90, "FREQ=WEEKLY;BYDAY=WE;COUNT=8",
               exdates=("2027-03-31 08:30",), moved={"2027-04-14 08:30": "2027-04-15 09:00"},
               cancelled=("2027-04-21 08:30",))
    loc = "Le Pavillon des Canaux, 39 quai de la Loire, 75019 Paris"
    s.master("paris-asso", "Climate Founders Breakfast", location=loc,
             description="Le petit-déjeuner hebdomadaire des fondateurs climat.")
    s.instances("paris-agenda", "Petit-déjeuner Climate Founders",
                ("2027-03-17 08:30", "2027-04-14 08:30", "2027-04-21 08:30"),
                location="Pavillon des Canaux", mark_cancelled="ANNULÉ – ")
    c = ds.event("breakfast-sf", SF, "Climate Founders Breakfast", "Same name in SF, "
                 "unrelated; the aggregator lists two weeks.", "recurring "
                 "same-name-other-city series-instances-elsewhere")
    s = Series(ds, c, "2027-03-11 08:00", 60, "FREQ=WEEKLY;BYDAY=TH;COUNT=6")
    s.master("sf-community", "Climate Founders Breakfast",
             location="Philz Coffee, 201 Berry St, San Francisco, CA 94158",
             description="Weekly breakfast of Bay Area climate founders.")
    s.instances("sf-agg", "Climate Founders Breakfast (SF)",
                ("2027-03-18 08:00", "2027-04-01 08:00"), location="Philz Coffee Berry St")

    c = ds.event("hacknight", SF, "Climate Hack Night", "Series copied as its own RRULE "
                 "in UTC by the aggregator (no DST change inside).", "recurring exdate "
                 "series-copied-as-series")
    s = Series(ds, c, "2027-05-04 18:30", 180, "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
               exdates=("2027-05-25 18:30",))
    s.master("sf-community", "Climate Hack Night",
             location="Noisebridge, 272 Capp St, San Francisco, CA 94110")
    s.master("sf-agg", "Climate Hack Night @ Noisebridge", location="272 Capp St")

    for n, topic, room in ((1, "Carbon accounting for hospitals", "Room 2001"),
                           (2, "Grid storage for clinics", "Room 2003")):
        c = ds.event(f"track-{n}", SF, f"Track {n} — {topic}", "Parallel summit tracks.",
                     "parallel-session")
        ds.copy(c, "sf-summit", f"Track {n} — {topic}", "2027-06-10 14:00", 90,
                location=f"{MOSCONE} — {room}")
        ds.copy(c, "sf-agg", f"Summit Track {n}: {topic.title()}", "2027-06-10 14:00", 90,
                location="Moscone West")

    shared_uid = "ai1ec-777@localhost"
    c = ds.event("green-drinks", SF, "Green Drinks SF", "UID reused by the Paris agenda.",
                 "uid-reused-by-other-feed")
    ds.copy(c, "sf-agg", "Green Drinks SF", "2027-05-27 17:30", 150, uid=shared_uid,
            location="The Interval, Fort Mason, San Francisco")
    c = ds.event("apero-19", PARIS, "Apéro climat du 19e", "Same UID as Green Drinks SF.",
                 "uid-reused-by-other-feed")
    ds.copy(c, "paris-agenda", "Apéro climat du 19e", "2027-05-27 19:00", 150,
            uid=shared_uid, location="Le 104, Paris 19e")
    mixer_uid = ds.uid("sf-agg", "mixer")
    c = ds.event("mixer", SF, "Solar Startups Mixer", "Its UID is reused by the joint feed "
                 "for a Paris event.", "uid-reused-by-other-feed")
    ds.copy(c, "sf-agg", "Solar Startups Mixer", "2027-06-02 18:00", 120, uid=mixer_uid,
            location="SOMA, San Francisco")
    c = ds.event("guided-tour", PARIS, "Visite guidée : îlots de fraîcheur du 13e",
                 "Reuses the UID of an SF event.", "uid-reused-by-other-feed")
    ds.copy(c, "joint", "Visite guidée : îlots de fraîcheur du 13e", "2027-06-05 10:00",
            120, uid=mixer_uid, location="Place d'Italie, 75013 Paris")

    for day, label in (("2027-06-10", "jeudi"), ("2027-06-11", "vendredi")):
        c = ds.event(f"village-{label}", PARIS, f"Village des solutions — {label}",
                     "One per day; the agenda uses one title for both days.",
                     "all-day hard-negative")
        ds.copy(c, "paris-climat", f"Village des solutions — {label}", day,
                location="Carreau du Temple")
        ds.copy(c, "paris-agenda", "Village des solutions", day, location="Carreau du Temple")

    c = ds.event("wic-sf", SF, "Women in Climate SF — Health & Heat", "Topic/date twin of "
                 "the Paris evening.", "link-negative")
    ds.copy(c, "sf-community", "Women in Climate SF — Health & Heat", "2027-06-08 18:00",
            150, location="Impact Hub SF, 1885 Mission St, San Francisco, CA 94103")
    c = ds.event("wic-paris", PARIS, "Women in Climate Paris — santé et chaleur",
                 "Topic/date twin of the SF evening.", "link-negative")
    ds.copy(c, "paris-asso", "Women in Climate Paris — santé et chaleur",
            "2027-06-08 19:00", 120, location="Ground Control, 81 rue du Charolais, Paris")
    singles = (
        ("paris-asso", PARIS, "Fresque du Climat — atelier découverte", "2027-03-18 19:00"),
        ("paris-asso", PARIS, "Climate Tech Paris #27 : batteries et recyclage",
         "2027-05-19 19:00"),
        ("paris-agenda", PARIS, "Conférence : l'hôpital bas carbone", "2027-05-12 18:30"),
        ("sf-community", SF, "SF Climate Tech Meetup #41: heat pumps", "2027-05-20 18:00"),
        ("sf-summit", SF, "Summit registration & breakfast", "2027-06-10 08:00"),
        ("sf-agg", SF, "Bay Area Heat Resilience Forum", "2027-03-23 17:00"),
    )
    for n, (feed, city, title, start) in enumerate(singles):
        c = ds.event(f"single-{n}", city, title, "Listed once.", "single")
        ds.copy(c, feed, title, start, 90)
    return ds


def ai_autumn() -> Dataset:
    """Autumn 2026 around the October DST gap: an AI week in SF, an AI forum in Paris; a
    joint feed whose city is San Francisco, in Windows TZIDs; many series, cancelled
    copies, bracket prefixes, brand twins in both cities."""
    ds = Dataset("ai-autumn-2026", 2026, [
        Feed("sf-aiweek", SF, "feeds/sf-ai-week.ics", "SF AI Week 2026 — Official schedule",
             "tech-week organiser", "olson", "-//SF AI Week//Schedule 2026//EN"),
        Feed("paris-ia", PARIS, "feeds/paris-forum-ia.ics", "Forum IA Paris — Agenda",
             "forum organiser, Outlook export", "windows", OUTLOOK),
        Feed("sf-meetups", SF, "feeds/sf-ml-meetups.ics", "Bay Area ML Meetups",
             "community feed, floating times without X-WR-TIMEZONE, LF endings",
             "floating", "-//Bay Area ML//Community//EN", lf=True),
        Feed("paris-meetup", PARIS, "feeds/paris-ml-meetups.ics", "Paris ML Meetups",
             "Meetup-style community feed", "olson", MEETUP),
        Feed("joint", SF, "feeds/sf-paris-ai-corridor.ics", "SF–Paris AI Corridor",
             "joint events in BOTH cities (city san-francisco), Outlook export", "windows",
             OUTLOOK),
        Feed("paris-agenda", PARIS, "feeds/paris-agenda-ia.ics", "Agenda IA de Paris",
             "city agenda (floating + X-WR-TIMEZONE)", "xwr", WP_FR),
        Feed("sf-agg", SF, "feeds/sf-ai-calendar.ics", "Bay Area AI Calendar (aggregated)",
             "aggregator, UTC", "utc", WP_EN),
    ])
    wk = "https://sfaiweek.example.org/schedule/"

    c = ds.event("aiweek", SF, "SF AI Week 2026", "Timed in the organiser feed, five "
                 "all-day dates in the aggregator.", "all-day-vs-timed dst-gap-weeks")
    ds.copy(c, "sf-aiweek", "SF AI Week 2026", "2026-10-26 09:00", 4 * 1440 + 540,
            location=MOSCONE, url=wk)
    ds.copy(c, "sf-agg", "SF AI WEEK 2026", "2026-10-26", days=5, location="Moscone West")

    c = ds.event("keynote", SF, "Opening keynote: AI and the city", "Bracket prefix in "
                 "the organiser feed, year label in the aggregator; livestreamed in Paris.",
                 "title-prefix linked dst-gap-weeks")
    ds.copy(c, "sf-aiweek", "[SF AI Week] Opening keynote: AI and the city",
            "2026-10-26 09:00", 75, location=MOSCONE + " — Main stage", url=wk + "keynote")
    ds.copy(c, "sf-agg", "SF AI Week 2026 – Opening Keynote: AI &amp; the City",
            "2026-10-26 09:00", 75, location="Moscone West")
    c = ds.event("keynote-paris", PARIS, "Retransmission : keynote d'ouverture de la SF AI "
                 "Week, en direct de San Francisco", "Paris livestream (same instant, 8 h "
                 "apart in the gap week).", "linked fr-en dst-gap-weeks")
    ds.copy(c, "paris-meetup", "Retransmission : keynote d'ouverture de la SF AI Week, en "
            "direct de San Francisco", "2026-10-26 17:00", 90,
            location="Le Wagon, 16 villa Gaudelet, 75011 Paris")
    ds.copy(c, "paris-agenda", "Retransmission keynote SF AI Week (en direct de San "
            "Francisco)", "2026-10-26 17:00", 90, location="Le Wagon")
    ds.link("keynote", "keynote-paris", "Paris livestream of the SF AI Week keynote")

    for stage, topic in (("A", "Foundation models in production"), ("B", "Robotics"),
                         ("C", "AI policy")):
        c = ds.event(f"stage-{stage.lower()}", SF, f"Stage {stage}: {topic}", "Three "
                     "parallel stages; the aggregator copies two.", "parallel-session")
        ds.copy(c, "sf-aiweek", f"[SF AI Week] Stage {stage}: {topic}", "2026-10-27 10:00",
                60, location=f"{MOSCONE} — Stage {stage}")
        if stage != "B":
            ds.copy(c, "sf-agg", f"SF AI Week – Stage {stage} — {topic.upper()}",
                    "2026-10-27 10:00", 60, location="Moscone West")

    c = ds.event("policy-sf", SF, "AI policy: what San Francisco can learn from Paris",
                 "Names the other city; unrelated to any Paris event.", "link-negative")
    ds.copy(c, "sf-aiweek", "AI policy: what San Francisco can learn from Paris",
            "2026-10-28 15:00", 60, location=MOSCONE)
    c = ds.event("policy-paris", PARIS, "Régulation de l'IA : table ronde", "Topic twin "
                 "of the SF policy talk.", "link-negative")
    ds.copy(c, "paris-ia", "Régulation de l'IA : table ronde", "2026-10-28 18:00", 90,
            location="Assemblée nationale, 126 rue de l'Université, 75007 Paris")
    ds.copy(c, "paris-agenda", "Table ronde - Régulation de l’IA", "2026-10-28 18:00", 90,
            location="Assemblée nationale")

    c = ds.event("wai-paris", PARIS, "Women in AI Meetup", "Monthly, same name in SF.",
                 "recurring same-name-other-city link-negative")
    s = Series(ds, c, "2026-09-08 19:00", 120, "FREQ=MONTHLY;BYDAY=2TU;COUNT=4")
    s.master("paris-meetup", "Women in AI Meetup", location="Morning, 37 rue de Turbigo, "
             "75003 Paris", description="Le rendez-vous mensuel de Women in AI à Paris.")
    c = ds.event("wai-sf", SF, "Women in AI Meetup", "Monthly SF chapter of the same "
                 "network; unrelated to the Paris one.", "recurring same-name-other-city "
                 "link-negative")
    s = Series(ds, c, "2026-09-10 18:30", 120, "FREQ=MONTHLY;BYDAY=2TH;COUNT=4")
    s.master("sf-meetups", "Women in AI Meetup", location="GitHub HQ, 88 Colin P Kelly Jr "
             "St, San Francisco, CA 94107", description="Monthly meetup of the Bay Area "
             "chapter of Women in AI.")

    c = ds.event("nlp-group", PARIS, "Paris NLP Reading Group", "Weekly across the EU DST "
                 "change; copied as its own series by the agenda (floating, other UID, no "
                 "overrides).", "recurring exdate moved-instance cancelled-instance "
                 "series-copied-as-series dst-change-day")
    s = Series(ds, c, "2026-10-05 19:00", 90, "FREQ=WEEKLY;BYDAY=MO;COUNT=8",
               exdates=("2026-10-19 19:00",), moved={"2026-11-09 19:00": "2026-11-10 19:00"},
               cancelled=("2026-10-26 19:00",))
    s.master("paris-meetup", "Paris NLP Reading Group", location="Inria Paris, 2 rue "
             "Simone Iff, 75012 Paris")
    s.master("paris-agenda", "Paris NLP Reading Group (hebdo)", overrides=False,
             location="Inria Paris")

    c = ds.event("llm-builders", SF, "Bay Area LLM Builders", "Weekly across the US DST "
                 "change (floating, no X-WR); the week of Oct 28 moved to Thursday, listed "
                 "by the aggregator and the AI week.", "recurring moved-instance "
                 "series-instances-elsewhere floating-no-xwr")
    s = Series(ds, c, "2026-10-07 18:00", 120, "FREQ=WEEKLY;BYDAY=WE;COUNT=6",
               moved={"2026-10-28 18:00": "2026-10-29 18:00"})
    s.master("sf-meetups", "Bay Area LLM Builders", location="Replit, 1001 E Hillsdale "
             "Blvd, Foster City, CA")
    s.instances("sf-agg", "Bay Area LLM Builders meetup",
                ("2026-10-14 18:00", "2026-10-28 18:00", "2026-11-04 18:00"))
    s.instances("sf-aiweek", "[SF AI Week] LLM Builders — AI Week special",
                ("2026-10-28 18:00",))

    c = ds.event("safety-hack", SF, "AI Safety Hackathon", "Cancelled in the aggregator "
                 "only (title marker).", "cancelled-in-some-sources-only")
    ds.copy(c, "sf-aiweek", "AI Safety Hackathon", "2026-10-31 09:00", 600,
            location="Shack15, 1 Ferry Building, San Francisco, CA 94111")
    ds.copy(c, "sf-agg", "CANCELLED: AI Safety Hackathon", "2026-10-31 09:00", 600,
            location="Shack15")
    c = ds.event("health-breakfast", PARIS, "Petit-déjeuner IA & santé", "STATUS:CANCELLED "
                 "in the forum feed, trailing marker in the agenda.", "cancelled-status")
    ds.copy(c, "paris-ia", "Petit-déjeuner IA & santé", "2026-10-29 08:30", 90,
            location="Hôpital Cochin, 27 rue du Faubourg Saint-Jacques, 75014 Paris",
            cancelled=True)
    ds.copy(c, "paris-agenda", "Petit déjeuner IA et santé (annulé)", "2026-10-29 08:30",
            90, location="Hôpital Cochin")

    c = ds.event("corridor-paris", PARIS, "SF–Paris AI Corridor: founders exchange — Paris "
                 "leg", "Paris leg of the programme; French title in the forum feed.",
                 "linked fr-en listed-in-other-city-feed")
    ds.copy(c, "paris-ia", "Corridor IA Paris – San Francisco : échange de fondateurs "
            "(étape parisienne)", "2026-11-16 10:00", 240, location=STATION_F)
    ds.copy(c, "joint", "SF–Paris AI Corridor: founders exchange — Paris leg",
            "2026-11-16 10:00", 240, location=STATION_F)
    c = ds.event("corridor-sf", SF, "SF–Paris AI Corridor: founders exchange — San "
                 "Francisco leg", "SF leg during the AI week.", "linked title-prefix")
    ds.copy(c, "joint", "SF–Paris AI Corridor: founders exchange — San Francisco leg",
            "2026-10-29 10:00", 240, location="Salesforce Tower, 415 Mission St, San "
            "Francisco, CA 94105")
    ds.copy(c, "sf-aiweek", "[SF AI Week] AI Corridor with Paris: founders exchange (SF "
            "leg)", "2026-10-29 10:00", 240, location="Salesforce Tower")
    ds.link("corridor-paris", "corridor-sf", "two legs of the SF–Paris AI Corridor")

    c = ds.event("frugal-paris", PARIS, "Colloque « IA frugale » — session principale",
                 "Main session in Paris; satellite at Stanford.", "linked")
    ds.copy(c, "paris-ia", "Colloque « IA frugale » — session principale",
            "2026-11-05 09:30", 420, location="Inria Paris, 2 rue Simone Iff, 75012 Paris",
            description="Colloque annuel sur l'IA frugale, avec une session satellite à "
                        "Stanford.")
    c = ds.event("frugal-sf", SF, "Frugal AI colloquium — Stanford satellite session",
                 "Satellite of the Paris colloquium.", "linked fr-en")
    ds.copy(c, "sf-meetups", "Frugal AI colloquium — Stanford satellite session (with "
            "Inria Paris)", "2026-11-05 09:00", 180, location="Stanford University, Gates "
            "Computer Science Building, 353 Jane Stanford Way, Stanford, CA")
    ds.link("frugal-paris", "frugal-sf", "Stanford satellite of the Paris colloquium")

    c = ds.event("twin-paris", PARIS, "Hackathon bi-site Paris ↔ SF : ouverture (Paris)",
                 "Twin hackathon kickoff, same instant in both cities.", "linked")
    ds.copy(c, "joint", "Hackathon bi-site Paris ↔ SF : ouverture (Paris)",
            "2026-11-20 18:00", 120, location="Schoolab, 15 rue de la Banque, 75002 Paris")
    c = ds.event("twin-sf", SF, "Paris ↔ SF twin hackathon: kickoff (SF)", "Same instant.",
                 "linked fr-en")
    ds.copy(c, "joint", "Paris ↔ SF twin hackathon: kickoff (SF)", "2026-11-20 09:00", 120,
            location="Galvanize SF, 44 Tehama St, San Francisco, CA 94105")
    ds.copy(c, "sf-agg", "Paris <-> SF Twin Hackathon - Kickoff", "2026-11-20 09:00", 120,
            location="Galvanize SF")
    ds.link("twin-paris", "twin-sf", "bi-site hackathon opening in both cities")

    c = ds.event("demoday-station", PARIS, "Demo Day de l'incubateur IA de Station F",
                 "A Demo Day of another programme, same day as the corridor's Paris leg.",
                 "link-negative")
    ds.copy(c, "paris-ia", "Demo Day de l'incubateur IA de Station F", "2026-11-16 16:00",
            120, location=STATION_F)
    c = ds.event("demoday-aiweek", SF, "Demo Day: SF AI Week Accelerator", "Names Paris in "
                 "its description; unrelated to the Paris Demo Day.", "link-negative")
    ds.copy(c, "sf-aiweek", "Demo Day: SF AI Week Accelerator", "2026-10-30 14:00", 180,
            location="Pier 27, San Francisco", description="Twelve startups, three of "
            "them from Paris, demo on stage.")
    ds.copy(c, "sf-agg", "SF AI Week Accelerator Demo Day", "2026-10-30 14:15", 165,
            location="Pier 27")

    shared = "event_300100200@meetup.com"
    c = ds.event("kotlin", PARIS, "Paris Kotlin User Group #52", "UID reused by an SF "
                 "feed for another event.", "uid-reused-by-other-feed")
    ds.copy(c, "paris-meetup", "Paris Kotlin User Group #52", "2026-10-14 19:00", 120,
            uid=shared, location="Criteo, 32 rue Blanche, 75009 Paris")
    c = ds.event("rust", SF, "Rust Bay Area: async in practice", "Same UID as the Paris "
                 "Kotlin meetup.", "uid-reused-by-other-feed")
    ds.copy(c, "sf-meetups", "Rust Bay Area: async in practice", "2026-10-14 18:30", 120,
            uid=shared, location="Mozilla SF, 2 Harrison St, San Francisco")
    dup = ds.uid("paris-agenda", "emploi")
    c = ds.event("emploi", PARIS, "Conférence : IA et emploi", "Its UID is reused by the "
                 "joint feed for a Paris event on the same day.", "uid-reused-by-other-feed")
    ds.copy(c, "paris-agenda", "Conférence : IA et emploi", "2026-11-16 18:30", 90,
            uid=dup, location="Cité des sciences, Paris 19e")
    c = ds.event("reception-corridor", PARIS, "AI Corridor welcome drinks", "Same UID as "
                 "the agenda's job conference, same evening.", "uid-reused-by-other-feed")
    ds.copy(c, "joint", "AI Corridor welcome drinks", "2026-11-16 19:00", 120, uid=dup,
            location="Station F, La Felicità")

    singles = (
        ("paris-meetup", PARIS, "Paris Machine Learning #S07E02", "2026-10-21 19:00"),
        ("paris-meetup", PARIS, "MLOps Paris : monitoring des modèles", "2026-11-03 19:00"),
        ("paris-agenda", PARIS, "Atelier : l'IA pour les associations", "2026-10-24 14:00"),
        ("paris-ia", PARIS, "Forum IA Paris : accueil et café", "2026-11-05 08:30"),
        ("sf-meetups", SF, "SF Computer Vision Meetup", "2026-10-20 18:00"),
        ("sf-agg", SF, "Bay Area Data Engineers Happy Hour", "2026-10-22 17:30"),
        ("sf-aiweek", SF, "[SF AI Week] Closing party", "2026-10-30 19:00"),
    )
    for n, (feed, city, title, start) in enumerate(singles):
        c = ds.event(f"single-{n}", city, title, "Listed once.", "single")
        ds.copy(c, feed, title, start, 120)
    return ds


def main() -> None:
    """Writes every variant under this folder, or under the folder given as argument."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for build in (climate_health, ai_autumn):
        ds = build()
        ds.write(out / ds.name)
        count = sum(len(f.events) for f in ds.feeds.values())
        print(f"{ds.name}: {count} VEVENTs, {len(ds.clusters)} clusters, "
              f"{len(ds.links)} links")


if __name__ == "__main__":
    main()

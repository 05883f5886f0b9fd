"""Title and text normalisation for matching.  Pure.

Feeds write the same event's title differently: case, accents (``sœurs`` / ``soeurs``),
curly or straight apostrophes, HTML entities (``&amp;``), a label the feed puts before every
title (``[Futur en Seine]``, ``FES 2026 –``), a cancellation marker (``ANNULÉ –``,
``CANCELLED:``), French on one side and English on the other.  :func:`tokens` reduces a
title to canonical word tokens so that those variants compare equal: accents and case
folded, punctuation dropped, stop words dropped, and calendar words mapped to one English
form through :data:`GLOSSARY`.  The glossary holds words of the calendar trade (evening,
workshop, opening, weekday names...), never titles of particular events.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from event_bridge.intake.folding import fold

CANCEL_MARKER = re.compile(
    r"^\s*[\[(]?\s*(annul[ée]e?s?|cancell?ed|canceled|abgesagt|supprim[ée]e?)\s*[\])]?\s*"
    r"[-–—:|!]*\s*|\s*[-–—:|(\[]+\s*(annul[ée]e?s?|cancell?ed|canceled)\s*[)\]]?\s*$",
    re.IGNORECASE,
)
"""A cancellation written into the title, at its start (``ANNULÉ – …``, ``[CANCELLED] …``)
or its end (``… (annulé)``).  It means the same as ``STATUS:CANCELLED`` (RFC 5545 §3.8.1.11)."""

BRACKET_PREFIX = re.compile(r"^\s*[\[(][^\])]{1,60}[\])]\s*[-–—:|]?\s*")
"""A label in brackets before the title (``[Futur en Seine] Opening Night``)."""

YEAR_LABEL_PREFIX = re.compile(r"^\s*[^-–—:|]{1,40}?\s(?:19|20)\d\d\s*[-–—:|]\s+")
"""A label ending in a year before a separator (``FES 2026 – …``, ``SF Tech Week 2026 — …``):
the name of the festival or conference the feed files the event under."""

GLOSSARY: dict[str, str] = {
    # kinds of event (French → English)
    "soiree": "evening", "night": "evening", "nuit": "evening", "conference": "conference",
    "atelier": "workshop", "journee": "day", "jour": "day", "seance": "session",
    "rencontre": "meetup", "meeting": "meetup", "table": "panel", "ronde": "panel",
    "roundtable": "panel", "debat": "debate", "exposition": "exhibition", "expo": "exhibition",
    "exhibit": "exhibition", "demonstration": "demo", "demonstrations": "demo",
    "reception": "reception", "ceremonie": "ceremony", "remise": "award", "prix": "award",
    "awards": "award", "ouverture": "opening",
    "cloture": "closing", "petit": "breakfast", "dejeuner": "lunch", "diner": "dinner",
    "accueil": "welcome", "semaine": "week", "edition": "edition", "visite": "visit",
    "revue": "review", "annuelle": "annual", "annuel": "annual", "travail": "working",
    "work": "working", "laureat": "winner", "laureate": "winner", "winners": "winner",
    "fete": "party",
    "anniversaire": "anniversary", "apero": "drinks", "aperitif": "drinks",
    "cocktail": "drinks", "happy": "drinks", "retransmission": "livestream",
    "direct": "live", "duplex": "live", "ville": "city", "villes": "city", "cities": "city",
    "soeur": "sister", "soeurs": "sister", "sisters": "sister", "numerique": "digital",
    "numeriques": "digital", "hotel": "hall", "mairie": "hall", "programme": "program",
    "cooperation": "cooperation", "economie": "economy", "donnees": "data",
    "sante": "health", "enfants": "children", "kids": "children", "fondateur": "founder",
    "localise": "located", "localisee": "located", "localises": "located",
    "localisees": "located", "retransmise": "livestream", "retransmis": "livestream",
    "livestreamed": "livestream", "streaming": "livestream",
    "sommet": "summit", "pleniere": "plenary", "projection": "screening",
    "colloque": "colloquium", "seminaire": "seminar", "formation": "training",
    "inaugural": "opening", "inaugurale": "opening", "inauguration": "opening",
    "vernissage": "opening", "launch": "opening", "kickoff": "opening",
    "lancement": "opening", "ouvertes": "open", "ouverte": "open", "ouvert": "open",
    "concours": "competition", "assemblee": "assembly", "generale": "general",
    "jumelage": "twinning", "etape": "leg", "echange": "exchange", "ia": "ai",
    "bi": "twin", "jumeau": "twin", "jumelle": "twin", "jumeaux": "twin", "jumele": "twin",
    "jumelee": "twin", "jumeles": "twin", "jumelees": "twin",
    "jumelles": "twin", "afterwork": "drinks", "diffusion": "livestream",
    "visioconference": "livestream",
    # weekdays and months (dropped when they restate the event's own date)
    "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday",
    "vendredi": "friday", "samedi": "saturday", "dimanche": "sunday",
}
"""French and English calendar words → one English form."""

STOPWORDS = frozenset((
    "a", "an", "the", "of", "and", "at", "for", "in", "on", "with", "to", "from", "by",
    "de", "du", "des", "d", "l", "la", "le", "les", "et", "au", "aux", "en", "pour", "par",
    "avec", "sur", "dans", "chez", "un", "une",
    "every", "each", "chaque", "weekly", "hebdo", "hebdomadaire", "monthly", "mensuel",
))
"""Words that carry no identity (articles, prepositions, recurrence words)."""

QUALIFIED = frozenset(("session", "track", "part", "room", "salle", "stage", "groupe", "group"))
"""Words whose next word names one of several (``Session A``): that word is kept even when
it is also a stop word."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def is_cancelled_title(summary: str) -> bool:
    """Whether the title carries a cancellation marker (``ANNULÉ – …``, ``CANCELLED: …``)."""
    return bool(CANCEL_MARKER.search(html.unescape(summary)))


def strip_markers(summary: str) -> str:
    """The title without its cancellation marker."""
    return CANCEL_MARKER.sub("", html.unescape(summary)).strip() or summary.strip()


def strip_label(summary: str) -> str:
    """The title without a feed's label prefix (``[Futur en Seine]``, ``FES 2026 –``)."""
    text = strip_markers(summary)
    for pattern in (BRACKET_PREFIX, YEAR_LABEL_PREFIX):
        shorter = pattern.sub("", text, count=1)
        if len(shorter.split()) >= 1 and shorter != text:
            return shorter
    return text


ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|e|eme|er|ere|re)$")
"""``10th``, ``2nd``, ``10e``, ``1er``, ``2ème``: the number itself."""


def canonical(word: str) -> str:
    """One word in its glossary form, ordinals as their number, plural ``s`` dropped for
    longer words."""
    ordinal = ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1)
    if word in GLOSSARY:
        return GLOSSARY[word]
    if len(word) > 4 and word.endswith("s") and word[:-1] in GLOSSARY:
        return GLOSSARY[word[:-1]]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str, drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Canonical tokens of a title: folded, glossary-mapped, without stop words and without
    the words in ``drop`` (what restates the event's own date or city), compared before and
    after the glossary (``paris`` must not survive as ``pari``)."""
    dropped = set(drop)
    out: list[str] = []
    for word in fold(strip_markers(text)).split():
        if word in STOPWORDS and not (out and out[-1] in QUALIFIED):
            continue
        token = canonical(word)
        if word not in dropped and token not in dropped and token not in out:
            out.append(token)
    return tuple(out)


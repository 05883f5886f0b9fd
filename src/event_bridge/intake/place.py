"""Where an event takes place: the city, decided from the event itself.  Pure.

A feed's city is only the fallback: a joint programme's Google calendar lists its San
Francisco sessions beside its Paris ones, a research centre's Exchange calendar lists
workshops abroad, and both write every event in their own zone.  The evidence, strongest
first (the first that names exactly one configured city decides):

1. the place: LOCATION naming one city (its name, initials, districts, neighbouring towns,
   postcodes, or the country or state it is in), else GEO (RFC 5545 §3.8.1.6), whose
   longitude gives a solar offset from UTC that is near one city's zone offset only;
2. a marker in the title: a city named in brackets or parentheses, or before or after a
   separator (``[SF] …``, ``… (San Francisco)``, ``Paris : …``, ``… – Paris``); a city
   named inside a sentence (``Retour de San Francisco``) says what the event is about, not
   where it is;
3. the zone DTSTART is written in, when it is a configured city's zone other than the
   feed's own (a feed writes its home events in its home zone, so that zone says nothing);
4. the feed's city.

Titles also name a city in many ways (``Paris–SF``, ``San Francisco``, ``Bay Area``,
``édition parisienne``); :meth:`CityTerms.unify` writes each of them as one token per city,
so that titles compare equal whatever way they name it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from event_bridge.intake.folding import fold
from event_bridge.model import City

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "san francisco": ("silicon valley", "bay area", "sf bay", "berkeley", "oakland",
                      "stanford", "palo alto", "san franciscan", "san franciscans"),
    "paris": ("ile de france", "grand paris", "parisien", "parisienne", "parisiens",
              "parisiennes"),
}
"""Names a calendar editor reads as the city itself (keyed by the folded city name): its
region, the towns of its metropolitan area where partner events take place, and the
adjective (``l'édition parisienne`` is the Paris edition).  Used in titles and places."""

PLACE_NAMES: dict[str, tuple[str, ...]] = {
    "san francisco": (
        "soma", "south of market", "mission bay", "mission district", "presidio",
        "financial district", "fidi", "embarcadero", "dogpatch", "hayes valley", "nob hill",
        "union square", "fisherman s wharf", "market st", "market street", "castro",
        "tenderloin", "north beach", "potrero hill", "pier 70", "pier 27", "moscone",
        "yerba buena", "mountain view", "menlo park", "redwood city", "san jose",
        "sunnyvale", "cupertino", "emeryville", "san mateo", "sausalito", "santa clara",
        "south san francisco"),
    "paris": (
        "arrondissement", "marais", "la defense", "saclay", "palaiseau", "station f",
        "bastille", "montmartre", "belleville", "issy les moulineaux", "boulogne billancourt",
        "saint denis", "montreuil", "neuilly", "levallois", "vincennes", "nanterre",
        "courbevoie", "puteaux", "la villette", "republique", "les halles", "chatelet",
        "champs elysees", "batignolles", "bercy", "saint germain", "quartier latin",
        "jussieu", "sorbonne", "hotel de ville", "porte de versailles", "massy"),
}
"""Districts, landmarks and neighbouring towns that place a LOCATION in a city (keyed by
the folded city name).  Only places: titles do not use these."""

COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "san francisco": ("california", "ca usa", "usa", "united states", "etats unis"),
    "paris": ("france",),
}
"""The country or state of a city: weaker than a name (``Consulat général de France à San
Francisco`` is in San Francisco), so read only when no name places the event."""

POSTCODES: dict[str, re.Pattern[str]] = {
    "san francisco": re.compile(
        r"\b(?:ca|california)\s*9[45]\d{3}\b|\b941\d{2}(?:\s+(?:usa|us|united states)\b|$)"),
    "paris": re.compile(r"\b75\d{3}\b|(?<!ca )(?<!california )\b9[1-5]\d{3}\s+"
                        r"(?!usa\b|us\b|united\b|etats\b|ca\b)[a-z]"),
}
"""Postcodes in a folded LOCATION: ``75011 Paris`` and the inner suburbs (``92130 Issy``,
a French postcode precedes the town), ``CA 94107`` and San Francisco's own 941xx ZIP codes
(a US ZIP follows the state or ends the address; a French one is followed by its town)."""

MIN_ZONE_GAP_HOURS = 3.0
"""GEO decides only between cities whose zones are at least this far apart: a longitude
gives the solar offset from UTC, which a zone follows to within an hour or two."""

MARKER_WORDS = frozenset(("a", "au", "en", "in", "at", "de", "du", "la", "le", "les", "site",
                          "edition", "session", "volet", "campus", "leg", "side", "cote"))
"""Words that may stand beside a city's name in a place label (``site de Paris``, ``SF
edition``, ``volet San Francisco``, ``côté Paris``)."""

SEPARATORS = r"[-–—:|/·•]"
"""Characters that set a label off a title (``Paris : …``, ``… – San Francisco``)."""


@dataclass(frozen=True)
class CityTerms:
    """The folded words that name each city: its name, its initials (``sf``), its slug
    words and its regional aliases; and the extra words that place a LOCATION there."""

    by_city: dict[str, tuple[str, ...]]
    places: dict[str, tuple[str, ...]]
    countries: dict[str, tuple[str, ...]]
    postcodes: dict[str, re.Pattern[str]]

    def mentioned(self, text: str) -> set[str]:
        """Slugs of the cities that ``text`` names."""
        padded = f" {fold(text)} "
        return {slug for slug, terms in self.by_city.items()
                if any(f" {term} " in padded for term in terms)}

    def located(self, location: str) -> set[str]:
        """Slugs of the cities a LOCATION places the event in (names, places, postcodes)."""
        folded = fold(location)
        padded = f" {folded} "
        found = self.mentioned(location)
        for slug, words in self.places.items():
            if any(f" {word} " in padded for word in words):
                found.add(slug)
        found.update(slug for slug, pattern in self.postcodes.items() if pattern.search(folded))
        if not found:
            found = {slug for slug, words in self.countries.items()
                     if any(f" {word} " in padded for word in words)}
        return found

    def marked(self, title: str) -> set[str]:
        """Slugs of the cities a title marks as its place (see the module docstring): a
        part that is only a city's name, maybe after a word such as ``site`` or ``à``
        (``(en direct de San Francisco)`` says where a relay comes from, not where it is)."""
        found: set[str] = set()
        for part in _marker_parts(title):
            words = [w for w in fold(part).split() if w not in MARKER_WORDS]
            named = " ".join(words)
            found.update(slug for slug, terms in self.by_city.items() if named in terms)
        return found

    def words(self, slug: str) -> set[str]:
        """The token :meth:`unify` writes for ``slug`` (dropped from titles that restate
        the city)."""
        return {city_token(slug)} if slug in self.by_city else set()

    def unify(self, text: str) -> str:
        """``text`` folded, with every name of a city written as that city's token."""
        padded = f" {fold(text)} "
        for term, token in self._replacements:
            if term in padded:
                padded = padded.replace(term, token).replace(term, token)  # adjacent terms
        return padded.strip()

    @functools.cached_property
    def _replacements(self) -> list[tuple[str, str]]:
        """`` term `` → `` token ``, longest terms first."""
        found = [(t, slug) for slug, terms in self.by_city.items() for t in terms]
        return [(f" {t} ", f" {city_token(slug)} ")
                for t, slug in sorted(found, key=lambda x: (-len(x[0]), x))]


_BRACKETED = re.compile(r"[\[(]([^\])]{1,40})[\])]")
_LEADING = re.compile(rf"^\s*([^-–—:|/·•]{{1,30}}?)\s*{SEPARATORS}\s")
_TRAILING = re.compile(rf"\s{SEPARATORS}\s*([^-–—:|/·•]{{1,30}}?)\s*$")


def _marker_parts(title: str) -> list[str]:
    """The parts of a title that can be a place label: bracketed, or set off by a
    separator at its start or end."""
    parts = _BRACKETED.findall(title)
    parts += [m.group(1) for m in (_LEADING.search(title), _TRAILING.search(title)) if m]
    return parts


def city_token(slug: str) -> str:
    """One word standing for a city in unified text (``sanfrancisco``)."""
    return "".join(ch for ch in slug if ch.isalnum())


def city_terms(cities: Mapping[str, City]) -> CityTerms:
    by_city, places, countries, postcodes = {}, {}, {}, {}
    for slug, city in cities.items():
        name = fold(city.name)
        terms = {name, fold(slug.replace("-", " ")), *REGION_ALIASES.get(name, ())}
        if len(name.split()) > 1:
            terms.add("".join(word[0] for word in name.split()))
        by_city[slug] = tuple(sorted(t for t in terms if t))
        places[slug] = PLACE_NAMES.get(name, ())
        countries[slug] = COUNTRY_NAMES.get(name, ())
        if name in POSTCODES:
            postcodes[slug] = POSTCODES[name]
    return CityTerms(by_city, places, countries, postcodes)


def city_of(summary: str, location: str, geo: str, tzid: str, default: str,
            cities: Mapping[str, City], terms: CityTerms) -> str:
    """The city an event takes place in (see the module docstring for the order)."""
    for found in (terms.located(location), _by_geo(geo, cities), terms.marked(summary)):
        if len(found) == 1:
            return found.pop()
    home = cities.get(default)
    by_zone = [slug for slug, city in cities.items() if city.timezone == tzid]
    if len(by_zone) == 1 and (home is None or home.timezone != tzid):
        return by_zone[0]
    return default


def _by_geo(geo: str, cities: Mapping[str, City]) -> set[str]:
    """The one city whose zone offset is near the solar offset of GEO's longitude."""
    try:
        longitude = float(geo.replace(",", ";").split(";")[1])
    except (IndexError, ValueError):
        return set()
    solar = longitude / 15.0
    gaps = sorted((abs(_standard_hours(city.timezone) - solar), slug)
                  for slug, city in cities.items())
    if not gaps or gaps[0][0] > MIN_ZONE_GAP_HOURS:
        return set()
    if len(gaps) > 1 and gaps[1][0] - gaps[0][0] < MIN_ZONE_GAP_HOURS:
        return set()
    return {gaps[0][1]}


def _standard_hours(zone: str) -> float:
    try:
        offset = datetime(2026, 1, 15).replace(tzinfo=ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        return 99.0
    return offset.total_seconds() / 3600 if offset is not None else 99.0

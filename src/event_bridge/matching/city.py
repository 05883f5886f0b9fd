"""Where an event takes place.  Pure.

A feed's city is only a default: a joint partnership feed lists events in both cities.  The
event's own time zone decides first (an event written in ``America/Los_Angeles`` takes place
in the city whose zone that is), then its location (a location naming one configured city,
or a town of its metropolitan area), then the feed's city.

Titles name a city in many ways (``Paris–SF``, ``San Francisco``, ``Bay Area``, ``édition
parisienne``); :meth:`CityTerms.unify` writes each of them as one token per city, so that
titles compare equal whatever way they name it, and a title's own city can be left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from event_bridge.matching.text import fold
from event_bridge.model import City, EventData

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "san francisco": ("silicon valley", "bay area", "sf bay", "berkeley", "oakland",
                      "stanford", "palo alto", "san franciscan", "san franciscans"),
    "paris": ("ile de france", "grand paris", "parisien", "parisienne", "parisiens",
              "parisiennes"),
}
"""Names a calendar editor reads as the city itself (keyed by the folded city name): its
region, the towns of its metropolitan area where partner events take place, and the
adjective (``l'édition parisienne`` is the Paris edition)."""


@dataclass(frozen=True)
class CityTerms:
    """The folded words that name each city: its name, its initials (``sf``), its slug
    words and its regional aliases."""

    by_city: dict[str, tuple[str, ...]]

    def mentioned(self, text: str) -> set[str]:
        """Slugs of the cities that ``text`` names."""
        padded = f" {fold(text)} "
        return {slug for slug, terms in self.by_city.items()
                if any(f" {term} " in padded for term in terms)}

    def words(self, slug: str) -> set[str]:
        """The token :meth:`unify` writes for ``slug`` (dropped from titles that restate
        the city)."""
        return {city_token(slug)} if slug in self.by_city else set()

    def unify(self, text: str) -> str:
        """``text`` folded, with every name of a city written as that city's token."""
        padded = f" {fold(text)} "
        for term, slug in self._longest_first():
            padded = padded.replace(f" {term} ", f" {city_token(slug)} ")
            padded = padded.replace(f" {term} ", f" {city_token(slug)} ")  # adjacent terms
        return padded.strip()

    def _longest_first(self) -> list[tuple[str, str]]:
        found = [(t, slug) for slug, terms in self.by_city.items() for t in terms]
        return sorted(found, key=lambda x: (-len(x[0]), x))


def city_token(slug: str) -> str:
    """One word standing for a city in unified text (``sanfrancisco``)."""
    return "".join(ch for ch in slug if ch.isalnum())


def city_terms(cities: Mapping[str, City]) -> CityTerms:
    by_city = {}
    for slug, city in cities.items():
        name = fold(city.name)
        terms = {name, fold(slug.replace("-", " ")), *REGION_ALIASES.get(name, ())}
        if len(name.split()) > 1:
            terms.add("".join(word[0] for word in name.split()))
        by_city[slug] = tuple(sorted(t for t in terms if t))
    return CityTerms(by_city)


def city_of(data: EventData, default: str, cities: Mapping[str, City],
            terms: CityTerms | None = None) -> str:
    """The city an event takes place in: its zone, else its location, else ``default``."""
    by_zone = [slug for slug, city in cities.items() if city.timezone == data.tzid]
    if len(by_zone) == 1:
        return by_zone[0]
    named = (terms or city_terms(cities)).mentioned(data.location)
    if len(named) == 1:
        return named.pop()
    return default

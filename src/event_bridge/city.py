"""Where an event takes place.  Pure.

A feed's city is only a default: a joint partnership feed lists events in both cities.  The
event's own time zone decides first (an event written in ``America/Los_Angeles`` takes place
in the city whose zone that is), then its location (a location naming one configured city),
then the feed's city.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import City, EventData
from .textnorm import fold

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "san francisco": ("silicon valley", "bay area", "sf bay"),
    "paris": ("ile de france", "grand paris"),
}
"""Names a calendar editor reads as the city itself (keyed by the folded city name)."""


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
        """Single words naming ``slug`` (dropped from titles that restate the city)."""
        return {w for term in self.by_city.get(slug, ()) for w in term.split()}


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

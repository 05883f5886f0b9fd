"""Times dedupe + link on synthetic source events (issue 4, acceptance 4).

    PYTHONPATH=src python bench/bench_dedupe.py [--sizes 10000 100000 300000]

Each real event gets a random title from a vocabulary that grows with the corpus, a city,
a start over two years and a venue; 40 % of them are copied into a second feed (title case
and a label changed, start shifted up to 30 min), 10 % into a third; 1 % are weekly series;
5 % name the other city and 1 % have a twin edition in the other city.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from event_bridge.matching.dedupe import dedupe
from event_bridge.matching.link import find_links
from event_bridge.model import City, EventData, FeedSource, SourceEvent, SourceKey

CITIES = {"paris": City("paris", "Paris", "Europe/Paris"),
          "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles")}
FEEDS = {f.id: f for f in (
    FeedSource("p-org", "paris", "x", rank=0), FeedSource("sf-org", "san-francisco", "x", rank=1),
    FeedSource("p-agg", "paris", "x", rank=2), FeedSource("sf-agg", "san-francisco", "x", rank=3),
    FeedSource("joint", "paris", "x", rank=4))}
SECOND = {"paris": "p-agg", "san-francisco": "sf-agg"}
FIRST = {"paris": "p-org", "san-francisco": "sf-org"}
ZONE = {"paris": "Europe/Paris", "san-francisco": "America/Los_Angeles"}
START = datetime(2026, 1, 1, tzinfo=UTC)


def vocabulary(rnd: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10))) for _ in range(size)]


def synthetic(n: int, seed: int = 1) -> list[SourceEvent]:
    rnd = random.Random(seed)
    words = vocabulary(rnd, max(5000, n // 4))  # distinct words grow with the corpus
    out: list[SourceEvent] = []
    real = 0
    while len(out) < n:
        real += 1
        city = rnd.choice(("paris", "san-francisco"))
        title = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 7))).title()
        start = START + timedelta(minutes=15 * rnd.randrange(4 * 24 * 730))
        venue = f"{rnd.choice(words).title()} Hall, {rnd.randint(1, 200)} {rnd.choice(words)} st"
        rrule = "FREQ=WEEKLY;COUNT=8" if rnd.random() < 0.01 else ""
        other = "san-francisco" if city == "paris" else "paris"
        refers = rnd.random() < 0.05
        text = f"With our friends in {CITIES[other].name}." if refers else ""
        base = EventData(summary=title, description=text, location=venue, start=start,
                         end=start + timedelta(hours=2), tzid=ZONE[city], rrule=rrule)
        out.append(SourceEvent(SourceKey(FIRST[city], f"e{real}"), city, base))
        if refers and rnd.random() < 0.2:
            twin = EventData(summary=f"{title} ({CITIES[other].name} edition)", start=start,
                             end=start + timedelta(hours=2), tzid=ZONE[other])
            out.append(SourceEvent(SourceKey(FIRST[other], f"t{real}"), other, twin))
        if rnd.random() < 0.4:
            shift = timedelta(minutes=rnd.choice((0, 0, 15, 30)))
            copy = EventData(summary=f"[Label] {title.upper()}", location=venue.split(",")[0],
                             start=start + shift, end=start + shift + timedelta(hours=2),
                             tzid="UTC", rrule=rrule)
            out.append(SourceEvent(SourceKey(SECOND[city], f"c{real}"), city, copy))
        if rnd.random() < 0.1:
            out.append(SourceEvent(SourceKey("joint", f"j{real}"), "paris", base))
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    args = parser.parse_args()
    print("| source events | published | links | dedupe s | link s | total s | µs / event |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        events = synthetic(n)
        t0 = time.perf_counter()
        published = dedupe(events, FEEDS, cities=CITIES)
        t1 = time.perf_counter()
        links = find_links(published, (), CITIES)
        t2 = time.perf_counter()
        print(f"| {n:,} | {len(published):,} | {len(links):,} | {t1 - t0:.1f} | {t2 - t1:.1f} "
              f"| {t2 - t0:.1f} | {(t2 - t0) / n * 1e6:.0f} |", flush=True)


if __name__ == "__main__":
    main()

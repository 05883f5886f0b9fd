"""Issue 5, acceptance 4: the page as a person sees it, rendered by a real headless Chromium
from a live ``serve``; the screenshot is kept in ``test-artifacts/`` for a human to look at."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from live_server import CHROMIUM, CHROMIUM_FLAGS, Serve, needs_chromium, synced_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
WEEKS_WITH_PAIRS = "2026-06-01"  # Futur en Seine / SF Tech Week: linked and cancelled events

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    server = synced_server(tmp_path_factory.mktemp("page"))
    yield server
    server.stop()


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, "--disable-sync", "--disable-dev-shm-usage",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


@dataclass
class Card:
    classes: set[str]
    pair: int | None  # index of the side-by-side pair it sits in, if any
    text: str = ""
    struck: str = ""


class Cards(HTMLParser):
    """The event cards of a rendered page (``div.event``), with their text, their struck
    text (``<s>``) and the linked pair (``div.pair``) holding them."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Card] = []
        self.open: list[tuple[str, bool, bool]] = []  # (tag, opens a pair, opens a card)
        self.pairs = 0
        self.struck = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        is_pair, is_card = tag == "div" and "pair" in classes, tag == "div" and "event" in classes
        if is_pair:
            self.pairs += 1
        if is_card:
            inside = any(p for _, p, _ in self.open)
            self.cards.append(Card(classes, self.pairs - 1 if inside else None))
        self.struck += tag == "s"
        self.open.append((tag, is_pair, is_card))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        self.struck -= tag == "s"
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if any(c for _, _, c in self.open):
            self.cards[-1].text += data
            if self.struck:
                self.cards[-1].struck += data


def test_page_in_chromium(live: Serve, tmp_path: Path) -> None:
    url = f"{live.url}/?from={WEEKS_WITH_PAIRS}"
    dom = chromium(tmp_path / "profile", "--dump-dom", url).stdout
    text = re.sub(r"<[^>]+>", " ", dom)
    assert "Paris" in text and "San Francisco" in text
    assert 'class="col paris"' in dom and 'class="col san-francisco"' in dom
    parser = Cards()
    parser.feed(dom)
    pairs: dict[int, set[str]] = {}
    for card in parser.cards:
        if card.pair is not None:
            pairs.setdefault(card.pair, set()).update(card.classes)
    assert any({"paris", "san-francisco"} <= classes for classes in pairs.values()), \
        "a linked Paris / San Francisco pair shown side by side"
    cancelled = [c for c in parser.cards if "cancelled" in c.classes]
    assert cancelled and all(c.struck.strip() for c in cancelled), "cancelled ones struck"
    for card in parser.cards:
        both = "Paris:" in card.text and "San Francisco:" in card.text
        assert both or "all day" in card.text, f"times in both cities: {card.text!r}"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "page.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1400,1000",
             "--hide-scrollbars", url)
    assert shot.stat().st_size > 10_000

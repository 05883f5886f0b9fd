"""Issue 13, acceptance 1: the page in a real Chromium driven by Playwright (the machine's
``/usr/bin/chromium`` through ``executable_path``; no browser is downloaded): no sideways
scrolling on a phone, French or English from the browser's language and ``?lang=``, well
formed webcal / Google / Outlook links, the feed builder, and one schema.org ``Event`` in
the JSON-LD per listed event."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_server import CHROMIUM, CHROMIUM_FLAGS, Serve, needs_chromium, request, synced_server

playwright = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
WEEKS = "2026-06-01"  # Futur en Seine / SF Tech Week: linked and cancelled events

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    server = synced_server(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()


def open_page(browser, url: str, locale: str, width: int = 390):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 844}, locale=locale)
    page = context.new_page()
    assert page.goto(url).status == 200
    return page


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_no_horizontal_scroll_on_a_phone(browser, live: Serve, locale: str,  # type: ignore[no-untyped-def]
                                         width: int) -> None:
    page = open_page(browser, f"{live.url}/?from={WEEKS}", locale, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("header nav a[href*='calendar.google.com']", "table.health", ".cols",
                     "#builder"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, \
            selector
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{width}-{locale}.png"), full_page=True)
    page.context.close()


def test_french_browser_reads_french(browser, live: Serve) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/?from={WEEKS}", "fr-FR")
    assert page.evaluate("document.documentElement.lang") == "fr"
    days = page.locator(".col.paris .day").all_inner_texts()
    assert any("juin 2026" in d.lower() for d in days), days
    assert any(d.lower().startswith(("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                     "samedi", "dimanche")) for d in days)
    times = " ".join(page.locator(".times li").all_inner_texts())
    assert "Paris :" in times and "San Francisco :" in times
    assert not re.search(r"\d\s?[AP]M", times), "24-hour times in French"
    assert re.search(r"\b(1\d|2[0-3]):\d\d\b", times)
    assert page.locator("text=S’abonner aux deux villes").count() == 1
    english = page.locator(".summary[lang=en]").count()
    assert english > 0, "San Francisco titles are marked lang=en on the French page"
    page.goto(f"{live.url}/?from={WEEKS}&lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".summary[lang=fr]").count() > 0
    page.context.close()


def test_english_browser_reads_english(browser, live: Serve) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/?from={WEEKS}", "en-US")
    assert page.evaluate("document.documentElement.lang") == "en"
    days = page.locator(".col.san-francisco .day").all_inner_texts()
    assert any("june" in d.lower() and "2026" in d for d in days), days
    times = " ".join(page.locator(".times li").all_inner_texts())
    assert "Paris:" in times and re.search(r"\d:\d\d\s[AP]M", times), "12-hour times"
    switch = page.locator("a.lang-switch")
    assert switch.inner_text() == "Français"
    switch.click()
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.context.close()


def check_links(page, feed_url: str) -> None:  # type: ignore[no-untyped-def]
    """The four subscribe links of the block holding them, for ``feed_url``."""
    webcal = page.locator("a.webcal").get_attribute("href")
    assert webcal == "webcal://" + feed_url.split("://", 1)[1]
    google = urlsplit(page.locator("a.google").get_attribute("href"))
    assert (google.scheme, google.netloc, google.path) == ("https", "calendar.google.com",
                                                           "/calendar/r")
    assert parse_qs(google.query) == {"cid": [webcal]}
    for css, host in (("a.outlook-live", "outlook.live.com"),
                      ("a.outlook-office", "outlook.office.com")):
        link = urlsplit(page.locator(css).get_attribute("href"))
        assert (link.scheme, link.netloc, link.path) == ("https", host,
                                                         "/calendar/0/addfromweb")
        query = parse_qs(link.query)
        assert query["url"] == [feed_url] and query["name"][0]


def test_subscribe_links_are_well_formed(browser, live: Serve) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/", "en-US", 1280)
    blocks = page.locator(".sub")
    assert blocks.count() == 4  # both cities, Paris, San Francisco, linked
    for i in range(blocks.count()):
        block = blocks.nth(i)
        feed_url = block.locator("input").input_value()
        check_links(block, feed_url)
        assert request(live.port, urlsplit(feed_url).path).status == 200
    page.context.close()


def test_builder_composes_filtered_feeds(browser, live: Serve) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/", "fr-FR", 390)
    builder = page.locator("#builder")
    assert builder.locator("output").inner_text() == f"{live.url}/calendar.ics"
    builder.locator("select[name=city]").select_option("paris")
    builder.locator("input[name=q]").fill("numerique")
    builder.locator("input[name=cancelled]").check()
    builder.locator("input[name=from]").check()
    url = builder.locator("output").inner_text()
    assert url == f"{live.url}/cities/paris.ics?q=numerique&cancelled=hide&from=today"
    check_links(builder, url)
    reply = request(live.port, url.removeprefix(live.url))
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/calendar")
    category = builder.locator("select[name=category] option").nth(1).get_attribute("value")
    builder.locator("select[name=category]").select_option(category)
    assert "category=" in builder.locator("output").inner_text()
    page.context.close()


def test_json_ld_has_one_event_per_listed_event(browser, live: Serve) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/?from={WEEKS}", "en-US", 1280)
    texts = page.locator("script[type='application/ld+json']").all_inner_texts()
    assert len(texts) == 1
    events = json.loads(texts[0])
    listed = json.loads(request(live.port, f"/api/events?from={WEEKS}&to=2026-06-29").body)
    assert len(events) == len(listed["events"]) > 0
    assert len(events) == page.locator(".cols .event").count()
    for event, occ in zip(events, listed["events"], strict=True):
        assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
        assert event["identifier"] == occ["uid"] and event["startDate"] == occ["start"]
        assert event["name"] and event["location"]["@type"] == "Place"
        moved = occ["recurrence_id"] and occ["recurrence_id"] != occ["occurrence_key"]
        status = ("EventCancelled" if occ["cancelled"] else
                  "EventRescheduled" if moved else "EventScheduled")
        assert event["eventStatus"] == f"https://schema.org/{status}"
        if status == "EventRescheduled":
            assert event["previousStartDate"] != event["startDate"]
    assert any(e["eventStatus"].endswith("EventCancelled") for e in events)
    page.context.close()


CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const lum = rgb => { const f = c => { c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  // the backgrounds an element's text may sit on: its translucent layers over either the
  // first opaque colour up the tree or each stop of a gradient found on the way
  const grounds = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
      const stops = (s.backgroundImage.match(/rgba?\\([^)]+\\)/g) || []).map(parse);
      if (stops.length) return stops.map(st => layers.reduceRight((acc, l) => over(l, acc), st));
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) { if (c[3] >= 1) return [layers.reduceRight((acc, l) => over(l, acc), c)];
        layers.push(c); } }
    return [layers.reduceRight((acc, l) => over(l, acc), [255, 255, 255, 1])]; };
  const worst = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const s = getComputedStyle(el);
    if (!own || s.visibility === "hidden" || s.display === "none"
        || el.closest("script,style,title")) continue;
    const ink = parse(s.color);
    for (const g of grounds(el)) {
      const r = ratio(over(ink, g), g);
      if (r < 4.5) worst.push([el.tagName + "." + el.className, el.textContent.trim().slice(0, 30),
                               Math.round(r * 100) / 100]); } }
  return worst; }"""


@pytest.mark.parametrize("width", [390, 1280])
def test_text_contrast_is_aa(browser, live: Serve, width: int) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{live.url}/?from={WEEKS}", "fr-FR", width)
    assert page.evaluate(CONTRAST) == [], "text under 4.5:1 (WCAG 2.1 AA)"
    page.context.close()

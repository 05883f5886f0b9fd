"""Issue 10: a feed's javascript: or data: URL never reaches the page or /api/events
(both read occurrences from web.agenda)."""

from __future__ import annotations

from datetime import UTC, datetime

from event_bridge.model import Event, EventData, SourceKey
from event_bridge.web import agenda


def test_only_http_urls_reach_the_page_and_the_api() -> None:
    urls = ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>x</script>",
            "vbscript:x", "file:///etc/passwd", "https://ok.example/a", "HTTP://ok.example/b"]
    events = [Event(uid=f"u{i}", city="paris", sources=(SourceKey("f", f"u{i}"),),
                    data=EventData(summary="s", url=url, tzid="UTC",
                                   start=datetime(2026, 6, 1, 18, tzinfo=UTC),
                                   end=datetime(2026, 6, 1, 19, tzinfo=UTC)))
              for i, url in enumerate(urls)]
    occs = agenda.occurrences(events, {}, datetime(2026, 5, 1, tzinfo=UTC),
                              datetime(2026, 7, 1, tzinfo=UTC))
    assert sorted(o.url for o in occs if o.url) == ["HTTP://ok.example/b",
                                                    "https://ok.example/a"]
    assert len(occs) == len(urls)

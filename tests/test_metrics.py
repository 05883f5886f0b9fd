"""Issue 13: ``/metrics`` in Prometheus conventions, read back with prometheus_client's own
text parser from a real ``serve`` over a store filled by real ``sync --once`` runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from live_server import Serve, sync, write_config


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Serve]]:
    config = write_config(tmp_path_factory.mktemp("metrics"))
    sync(config)
    server = Serve(config)
    yield config, server
    server.stop()


def scrape(live: Serve) -> dict[str, tuple[str, list[Sample]]]:
    reply = live.get("/metrics")
    assert reply.status == 200
    return {f.name: (f.type, f.samples)
            for f in text_string_to_metric_families(reply.body.decode())}


def value(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(s.value for s in samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_metric_types(served: tuple[Path, Serve]) -> None:
    _, live = served
    families = scrape(live)
    kinds = {name: kind for name, (kind, _) in families.items()}
    for name in ("event_bridge_syncs", "event_bridge_feed_fetches",
                 "event_bridge_http_requests"):
        assert kinds[name] == "counter", name
    for name in ("event_bridge_sync_duration_seconds", "event_bridge_feed_fetch_duration_seconds",
                 "event_bridge_http_request_duration_seconds"):
        assert kinds[name] == "histogram", name
    for name in ("event_bridge_sync_last_success_timestamp_seconds",
                 "event_bridge_feed_last_success_timestamp_seconds",
                 "event_bridge_feed_events", "event_bridge_published_bytes"):
        assert kinds[name] == "gauge", name
    assert kinds["process_resident_memory_bytes"] == "gauge"
    assert kinds["process_cpu_seconds"] == "counter"
    _, syncs = families["event_bridge_syncs"]
    assert value(syncs, "event_bridge_syncs_total") == 1
    _, fetches = families["event_bridge_feed_fetches"]
    assert value(fetches, "event_bridge_feed_fetches_total", feed="paris-fes", outcome="ok") == 1
    _, duration = families["event_bridge_sync_duration_seconds"]
    assert value(duration, "event_bridge_sync_duration_seconds_count") == 1
    assert value(duration, "event_bridge_sync_duration_seconds_sum") > 0, "not 0.0 any more"
    _, stamps = families["event_bridge_feed_last_success_timestamp_seconds"]
    assert value(stamps, "event_bridge_feed_last_success_timestamp_seconds",
                 feed="paris-fes") > 1.7e9


def test_counters_grow_with_syncs_and_requests(served: tuple[Path, Serve]) -> None:
    config, live = served
    before = scrape(live)
    live.get("/calendar.ics")
    live.get("/calendar.ics", method="HEAD")
    live.get("/cities/paris.ics")
    live.get("/no/such/path")
    sync(config)
    after = scrape(live)
    assert value(after["event_bridge_syncs"][1], "event_bridge_syncs_total") == value(
        before["event_bridge_syncs"][1], "event_bridge_syncs_total") + 1

    def requests(f: dict[str, tuple[str, list[Sample]]], **labels: str) -> float:
        return value(f["event_bridge_http_requests"][1], "event_bridge_http_requests_total",
                     **labels)

    got = requests(after, route="/calendar.ics", status="200", method="GET")
    assert got == requests(before, route="/calendar.ics", status="200", method="GET") + 1
    assert requests(after, route="/calendar.ics", method="HEAD") >= 1
    assert requests(after, route="/cities/{slug}.ics") >= 1
    assert requests(after, route="other", status="404") >= 1
    assert not any(s.labels.get("route") == "/no/such/path"
                   for s in after["event_bridge_http_requests"][1]), "bounded labels"
    latency = after["event_bridge_http_request_duration_seconds"][1]
    assert value(latency, "event_bridge_http_request_duration_seconds_count",
                 route="/calendar.ics") >= 2

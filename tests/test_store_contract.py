"""The ``Repository`` contract, run against every implementation: ``MemoryRepository``,
``SqlRepository`` on a SQLite file, and ``SqlRepository`` on PostgreSQL (a fresh schema per
test).  The same calls must give the same results, in the same order, everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from event_bridge.errors import StoreError
from event_bridge.model import (
    Block,
    Event,
    EventData,
    FeedDiff,
    FeedOutcome,
    FeedState,
    FeedValidators,
    PublishedRecord,
    Skipped,
    Snapshot,
    SourceEvent,
    SourceKey,
    SyncReport,
)
from event_bridge.store.memory import MemoryRepository
from event_bridge.store.plan import RUNS_KEPT
from event_bridge.store.repository import Repository
from event_bridge.store.sql import open_repository
from store_support import pg_schema

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
LA = ZoneInfo("America/Los_Angeles")
SRC = str(Path(__file__).resolve().parents[1] / "src")


@dataclass
class Backend:
    name: str
    repo: Repository
    other: Callable[[], Repository]  # another repository on the same storage
    url: str = ""


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "memory":
        repo = MemoryRepository()
        yield Backend("memory", repo, lambda: repo)
    elif request.param == "sqlite":
        yield from _sql_backend("sqlite", f"sqlite:///{tmp_path / 'store.db'}")
    else:
        with pg_schema() as url:
            yield from _sql_backend("postgresql", url)


def _sql_backend(name: str, url: str) -> Iterator[Backend]:
    opened = []

    def open_one() -> Repository:
        opened.append(open_repository(url))
        return opened[-1]

    try:
        yield Backend(name, open_one(), open_one, url)
    finally:
        for repo in opened:
            repo.close()


# builders ---------------------------------------------------------------------------------
def data(summary: str = "Talk", **changes: object) -> EventData:
    base = EventData(summary=summary, location="Station F", start=T0, end=T0 + timedelta(hours=2),
                     tzid="Europe/Paris")
    return replace(base, **changes)  # type: ignore[arg-type]


def ev(uid: str, feed: str = "fse", rid: str = "", summary: str = "", sequence: int = 0,
       last_modified: datetime | None = None, city: str = "paris", privacy: str = "",
       **changes: object) -> SourceEvent:
    return SourceEvent(SourceKey(feed, uid, rid), city, data(summary or f"Talk {uid}", **changes),
                       sequence, last_modified, privacy)


def rich_event() -> SourceEvent:
    """Every kind of field: rules, moments as dates and instants, unicode, newlines."""
    series = data("Café numérique 🎉", description="Ligne 1\nLigne 2; «guillemets»",
                  categories=("Tech", "Français"), url="https://example.org/e?a=1&b=2",
                  rrule="FREQ=WEEKLY;UNTIL=20260601T000000Z;BYDAY=TU",
                  rdates=(datetime(2026, 6, 9, 16, tzinfo=UTC),),
                  exdates=(datetime(2026, 3, 10, 17, tzinfo=UTC),), status="CONFIRMED",
                  geo="48.8;2.3", organizer="mailto:x@example.org")
    return SourceEvent(SourceKey("fse", "series@fse", ""), "paris", series, 3,
                       datetime(2026, 2, 1, 9, 30, tzinfo=UTC), "PUBLIC")


def all_day_event() -> SourceEvent:
    day = data("Fête", start=date(2026, 6, 21), end=date(2026, 6, 22), tzid="")
    return SourceEvent(SourceKey("fse", "fete@fse", "20260621"), "paris", day)


def record(uid: str, rid: str = "", sequence: int = 0, changed: datetime = T0,
           gone: datetime | None = None, summary: str = "Talk") -> PublishedRecord:
    event = Event(uid=uid, city="paris", data=data(summary), recurrence_id=rid,
                  sources=(SourceKey("fse", uid, rid), SourceKey("agenda", "x" + uid, rid)),
                  reasons=("same UID",), score=0.75)
    return PublishedRecord(uid, rid, f"h-{summary}", sequence, changed, event, gone)


def block(uid: str, rid: str = "", city: str = "paris", linked: bool = False) -> Block:
    ics = f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:Été à {city}\r\nEND:VEVENT\r\n"
    return Block(uid, rid, city, ("Tech", "Été"), f"été {uid}", linked, ics,
                 ("Europe/Paris",) if city == "paris" else ("America/Los_Angeles",))


def snap(name: str = "calendar", body: bytes = b"BEGIN:VCALENDAR\r\n", etag: str = '"e1"',
         when: datetime = T0) -> Snapshot:
    return Snapshot(name, body, etag, when)


def report(started: datetime, feeds: int = 1) -> SyncReport:
    outcomes = tuple(
        FeedOutcome(f"feed-{i}", "ok", events=10 + i, new=1, changed=2, removed=3, seconds=0.25,
                    error="", skipped=(Skipped(f"feed-{i}", "bad@x", "no DTSTART"),), note="n")
        for i in range(feeds))
    return SyncReport(started, started + timedelta(seconds=3.5), outcomes, published_events=42,
                      links=2, etag='"abc"', notes=("held: feed-0",))


def assert_utc(value: datetime | None) -> None:
    assert value is not None and value.tzinfo is UTC


# feed state -------------------------------------------------------------------------------
def test_unknown_feed_has_default_state(backend: Backend) -> None:
    assert backend.repo.feed_state("nope") == FeedState(feed_id="nope")
    assert backend.repo.feed_states() == []


def test_feed_state_round_trips_with_utc_instants(backend: Backend) -> None:
    attempt = datetime(2026, 3, 1, 13, 0, 5, 123456, tzinfo=PARIS)
    state = FeedState("fse", FeedValidators('W/"x"', "Sun, 01 Mar 2026 12:00:00 GMT", "ab12"),
                      attempt, attempt - timedelta(days=1), "HTTP 500 from server", 2, 17, 1,
                      "would remove 90% of events", 3600)
    backend.repo.save_feed_state(state)
    got = backend.repo.feed_state("fse")
    assert got == state
    assert_utc(got.last_attempt)
    assert_utc(got.last_success)
    assert got.last_attempt == datetime(2026, 3, 1, 12, 0, 5, 123456, tzinfo=UTC)


def test_feed_state_is_overwritten_and_listed_by_id(backend: Backend) -> None:
    for feed in ("sf", "agenda", "fse"):
        backend.repo.save_feed_state(FeedState(feed, event_count=1))
    backend.repo.save_feed_state(FeedState("sf", event_count=5, last_success=None))
    assert [(s.feed_id, s.event_count) for s in backend.repo.feed_states()] == [
        ("agenda", 1), ("fse", 1), ("sf", 5)]


# source events ----------------------------------------------------------------------------
def test_replace_source_events_counts_new_changed_removed(backend: Backend) -> None:
    repo = backend.repo
    first = [ev("a"), ev("b"), ev("c"), ev("d"), ev("e")]
    assert repo.replace_source_events("fse", first, T0) == FeedDiff(new=5)
    assert repo.replace_source_events("fse", first, T0) == FeedDiff()
    second = [ev("a", summary="Talk a (moved)"), ev("b", sequence=1), ev("c", privacy="PRIVATE"),
              ev("d", city="san-francisco"), ev("f")]
    assert repo.replace_source_events("fse", second, T0) == FeedDiff(new=1, changed=4, removed=1)
    assert repo.source_events() == sorted(second, key=lambda e: e.key)


def test_newer_last_modified_alone_is_stored_but_not_a_change(backend: Backend) -> None:
    repo = backend.repo
    repo.replace_source_events("fse", [ev("a", last_modified=T0)], T0)
    newer = ev("a", last_modified=T0 + timedelta(days=1))
    assert repo.replace_source_events("fse", [newer], T0) == FeedDiff()
    assert repo.source_events() == [newer]


def test_replace_touches_only_its_feed(backend: Backend) -> None:
    repo = backend.repo
    repo.replace_source_events("fse", [ev("a"), ev("b")], T0)
    repo.replace_source_events("agenda", [ev("a", feed="agenda")], T0)
    assert repo.replace_source_events("fse", [], T0) == FeedDiff(removed=2)
    assert repo.source_events() == [ev("a", feed="agenda")]


def test_kept_units_stay_and_the_rest_is_replaced(backend: Backend) -> None:
    repo = backend.repo
    units = {("a", ""): "u1", ("b", ""): "u1", ("c", ""): "u2"}
    assert repo.apply_source_units("fse", (), [ev("a"), ev("b"), ev("c"), ev("d")], units,
                                   T0) == FeedDiff(new=4)
    assert repo.source_units("fse") == {"u1": 2, "u2": 1}  # "d" has no unit: read again
    # u1 kept; u2 re-read as u3 with a change; "d" gone; "e" new
    diff = repo.apply_source_units("fse", {"u1"}, [ev("c", summary="moved"), ev("e")],
                                   {("c", ""): "u3", ("e", ""): "u4"}, T0)
    assert diff == FeedDiff(new=1, changed=1, removed=1)
    assert repo.source_units("fse") == {"u1": 2, "u3": 1, "u4": 1}
    assert repo.source_events() == [ev("a"), ev("b"), ev("c", summary="moved"), ev("e")]


def test_an_unchanged_event_read_from_a_new_unit_gets_its_new_unit(backend: Backend) -> None:
    repo = backend.repo
    repo.apply_source_units("fse", (), [ev("a"), ev("b")], {("a", ""): "u1"}, T0)
    assert repo.apply_source_units("fse", (), [ev("a"), ev("b")],
                                   {("a", ""): "u2", ("b", ""): "u3"}, T0) == FeedDiff()
    assert repo.source_units("fse") == {"u2": 1, "u3": 1}


def test_a_fresh_event_under_a_kept_key_is_ignored(backend: Backend) -> None:
    repo = backend.repo
    repo.apply_source_units("fse", (), [ev("a")], {("a", ""): "u1"}, T0)
    assert repo.apply_source_units("fse", {"u1"}, [ev("a", summary="other")], {},
                                   T0) == FeedDiff()
    assert repo.source_events() == [ev("a")]


def test_source_digest_follows_content_not_order_nor_units(backend: Backend) -> None:
    repo = backend.repo
    empty = repo.source_digest()
    repo.apply_source_units("fse", (), [ev("a"), ev("b")], {("a", ""): "u1"}, T0)
    first = repo.source_digest()
    assert first != empty
    repo.apply_source_units("fse", (), [ev("b"), ev("a")], {("b", ""): "u9"}, T0)
    assert repo.source_digest() == first
    repo.replace_source_events("fse", [ev("a"), ev("b", summary="changed")], T0)
    assert repo.source_digest() != first
    repo.replace_source_events("fse", [ev("a"), ev("b", last_modified=T0)], T0)
    assert repo.source_digest() not in (first, empty)


def test_duplicate_keys_keep_highest_sequence_then_latest_last_modified(backend: Backend) -> None:
    old, newer = ev("a", sequence=2, last_modified=T0), ev("a", sequence=2,
                                                          last_modified=T0 + timedelta(hours=1))
    events = [ev("a", sequence=1), newer, old]
    assert backend.repo.replace_source_events("fse", events, T0) == FeedDiff(new=1)
    assert backend.repo.source_events() == [newer]


def test_event_of_another_feed_is_refused(backend: Backend) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        backend.repo.replace_source_events("fse", [ev("a", feed="agenda")], T0)


def test_source_events_round_trip_every_field(backend: Backend) -> None:
    events = [rich_event(), all_day_event(),
              ev("x", rid="20260324T180000Z", last_modified=datetime(2026, 1, 1, tzinfo=LA))]
    backend.repo.replace_source_events("fse", events, T0)
    got = backend.repo.source_events()
    assert got == sorted(events, key=lambda e: e.key)
    assert all(e.last_modified is None or e.last_modified.tzinfo is not None for e in got)


def test_source_events_sorted_in_python_order_and_filtered(backend: Backend) -> None:
    uids = ["b", "B", "a", "é", "Z", "a 1", "a-2", "_x"]
    repo = backend.repo
    repo.replace_source_events("f2", [ev(u, feed="f2") for u in uids], T0)
    repo.replace_source_events("f1", [ev("m", feed="f1", rid=r) for r in ("20260324", "", "2")],
                               T0)
    keys = [(e.key.feed_id, e.key.uid, e.key.recurrence_id) for e in repo.source_events()]
    assert keys == sorted(keys)
    assert keys[0] == ("f1", "m", "") and keys[3:] == [("f2", u, "") for u in sorted(uids)]
    assert [e.key.uid for e in repo.source_events(["f1"])] == ["m", "m", "m"]
    assert repo.source_events(iter(["f2", "nope"])) == repo.source_events()[3:]
    assert repo.source_events([]) == []


def test_naive_datetimes_are_refused(backend: Backend) -> None:
    naive = datetime(2026, 3, 1, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        backend.repo.replace_source_events("fse", [ev("a")], naive)
    with pytest.raises(ValueError, match="naive"):
        backend.repo.save_feed_state(FeedState("fse", last_attempt=naive))
    assert backend.repo.source_events() == [] and backend.repo.feed_states() == []


def test_delete_feed_forgets_its_events_and_state_only(backend: Backend) -> None:
    repo = backend.repo
    for feed in ("fse", "agenda"):
        repo.replace_source_events(feed, [ev("a", feed=feed), ev("b", feed=feed)], T0)
        repo.save_feed_state(FeedState(feed, event_count=2))
    repo.delete_feed("fse")
    repo.delete_feed("never-existed")
    assert [e.key.feed_id for e in repo.source_events()] == ["agenda", "agenda"]
    assert [s.feed_id for s in repo.feed_states()] == ["agenda"]
    assert repo.feed_state("fse") == FeedState("fse")


# published --------------------------------------------------------------------------------
def test_published_upsert_and_delete(backend: Backend) -> None:
    repo = backend.repo
    assert repo.published() == {}
    a, b = record("a"), record("b", "20260324T180000Z", changed=T0.astimezone(LA))
    repo.save_published([a, b])
    assert repo.published() == {("a", ""): a, ("b", "20260324T180000Z"): b}
    assert_utc(repo.published()[b.uid, b.recurrence_id].changed_at)
    a2 = record("a", sequence=1, changed=T0 + timedelta(hours=1), gone=T0 + timedelta(hours=1),
                summary="Talk (cancelled)")
    repo.save_published([a2], deleted=[("b", "20260324T180000Z"), ("zz", "")])
    got = repo.published()
    assert got == {("a", ""): a2}
    assert_utc(got["a", ""].gone_since)


def test_key_both_deleted_and_saved_stays_saved(backend: Backend) -> None:
    a = record("a")
    backend.repo.save_published([a])
    backend.repo.published()
    backend.repo.save_published([a], deleted=[("a", "")])
    assert backend.repo.published() == {("a", ""): a}


def test_published_record_changed_elsewhere_is_rewritten(backend: Backend) -> None:
    """A repository that read a record must not skip writing it back just because it is
    unchanged from what it read, if another writer changed it since."""
    mine, theirs = backend.repo, backend.other()
    a = record("a")
    mine.save_published([a])
    assert mine.published() == {("a", ""): a}
    theirs.save_published([record("a", sequence=1, summary="Other")])
    mine.save_published([a])
    assert theirs.published() == {("a", ""): a}


# snapshots and blocks ---------------------------------------------------------------------
def test_snapshot_bytes_round_trip_exactly(backend: Backend) -> None:
    body = bytes(range(256)) * 3 + "é\r\n".encode()
    assert backend.repo.snapshot("calendar") is None
    backend.repo.save_snapshot(snap(body=body, when=T0.astimezone(PARIS)))
    got = backend.repo.snapshot("calendar")
    assert got == snap(body=body)
    assert got is not None and type(got.body) is bytes
    assert_utc(got.last_modified)


def test_snapshots_by_name_are_independent(backend: Backend) -> None:
    repo = backend.repo
    repo.save_snapshot(snap("calendar", b"all"))
    repo.save_snapshot(snap("city:paris", b"paris", '"p"'))
    repo.save_snapshot(snap("city:paris", b"paris 2", '"p2"', T0 + timedelta(minutes=5)))
    assert repo.snapshot("calendar") == snap("calendar", b"all")
    assert repo.snapshot("city:paris") == snap("city:paris", b"paris 2", '"p2"',
                                                T0 + timedelta(minutes=5))
    assert repo.snapshot("city:san-francisco") is None


def test_blocks_keep_position_order_header_and_footer(backend: Backend) -> None:
    repo = backend.repo
    assert repo.blocks() == ([], "", "")
    blocks = [block("z"), block("a", "20260324T180000Z", "san-francisco", True), block("m")]
    header = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
    repo.save_snapshot(snap(), blocks, header, "END:VCALENDAR\r\n")
    assert repo.blocks() == (blocks, header, "END:VCALENDAR\r\n")
    repo.save_snapshot(snap("city:paris", b"p"))  # no blocks: the merged ones stay
    assert repo.blocks() == (blocks, header, "END:VCALENDAR\r\n")
    repo.save_snapshot(snap(etag='"e2"'), blocks[::-1], "H", "F")
    assert repo.blocks() == (blocks[::-1], "H", "F")
    repo.save_snapshot(snap(etag='"e3"'), [], "H2", "F2")
    assert repo.blocks() == ([], "H2", "F2")


def test_blocks_with_input_hashes_are_rewritten_only_when_changed(backend: Backend) -> None:
    repo = backend.repo
    blocks = [replace(block(u), input_hash=f"h-{u}") for u in ("a", "m", "z")]
    repo.save_snapshot(snap(), blocks, "H", "F")
    assert repo.blocks() == (blocks, "H", "F")
    # one inserted (the others move), one re-rendered, one gone
    grown = [blocks[0], replace(block("b"), input_hash="h-b"),
             replace(blocks[1], ics=blocks[1].ics.replace("Été", "Moved"), input_hash="h2")]
    repo.save_snapshot(snap(etag='"e2"'), grown, "H", "F")
    assert repo.blocks() == (grown, "H", "F")


def test_failed_snapshot_save_leaves_the_previous_one_whole(backend: Backend) -> None:
    repo = backend.repo
    repo.save_snapshot(snap(body=b"v1"), [block("a"), block("b")], "H1", "F1")
    with pytest.raises(StoreError, match=r"duplicate|UNIQUE|unique"):
        repo.save_snapshot(snap(body=b"v2", etag='"e2"'), [block("c"), block("c")], "H2", "F2")
    assert repo.snapshot("calendar") == snap(body=b"v1")
    assert repo.blocks() == ([block("a"), block("b")], "H1", "F1")


# runs -------------------------------------------------------------------------------------
def test_runs_newest_first_and_round_trip(backend: Backend) -> None:
    repo = backend.repo
    assert repo.runs() == []
    reports = [report(T0 + timedelta(minutes=m), feeds=m % 3) for m in (5, 0, 10)]
    for r in reports:
        repo.record_run(r)
    same_start = report(T0 + timedelta(minutes=10), feeds=2)
    repo.record_run(same_start)
    assert repo.runs() == [same_start, reports[2], reports[0], reports[1]]
    assert repo.runs(limit=2) == [same_start, reports[2]]
    local = report(datetime(2026, 3, 1, 12, 30, 0, 250000, tzinfo=PARIS))
    repo.record_run(local)
    assert repo.runs()[-1] == local and repo.runs()[-1].started.tzinfo is UTC


def test_runs_keep_a_bounded_history(backend: Backend) -> None:
    for minute in range(RUNS_KEPT + 3):
        backend.repo.record_run(report(T0 + timedelta(minutes=minute), feeds=0))
    kept = backend.repo.runs(limit=RUNS_KEPT * 2)
    assert len(kept) == RUNS_KEPT
    assert kept[0].started == T0 + timedelta(minutes=RUNS_KEPT + 2)
    assert kept[-1].started == T0 + timedelta(minutes=3)


# cross-backend equality -------------------------------------------------------------------
def fill(repo: Repository) -> None:
    repo.replace_source_events("fse", [rich_event(), all_day_event(), ev("Zed"), ev("abc")], T0)
    repo.replace_source_events("agenda", [ev("é", feed="agenda"), ev("E", feed="agenda")], T0)
    repo.save_feed_state(FeedState("fse", FeedValidators('"v"'), T0, T0, "", 0, 4))
    repo.save_published([record("b"), record("B", "20260324"), record("a", gone=T0)])
    repo.save_snapshot(snap(body=b"\x00\xffbody"), [block("q"), block("Q"), block("é")], "H", "F")
    repo.record_run(report(T0, feeds=2))


def dump(repo: Repository) -> tuple[object, ...]:
    return (repo.source_events(), repo.feed_states(), sorted(repo.published().items()),
            repo.blocks(), repo.snapshot("calendar"), repo.runs())


def test_same_data_gives_the_same_outputs_as_the_reference(backend: Backend) -> None:
    reference = MemoryRepository()
    fill(reference)
    fill(backend.repo)
    assert dump(backend.repo) == dump(reference)

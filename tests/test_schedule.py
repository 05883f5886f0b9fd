"""Issue 5, daemon: per-feed due computation (pure; ``now`` injected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from event_bridge.config.settings import ScheduleSettings
from event_bridge.model import FeedState
from event_bridge.sync.schedule import (
    Policy,
    backoff_interval,
    base_interval,
    due_feeds,
    duration_hint,
    interval_for,
    jitter_unit,
    next_due,
    seconds_until_next,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCHEDULE = ScheduleSettings(interval_seconds=3600, min_interval_seconds=600,
                            max_interval_seconds=86400, jitter_fraction=0.1,
                            max_backoff_seconds=6 * 3600)
POLICY = Policy.from_settings(SCHEDULE)


def state(feed_id: str = "a", ago: float | None = 0, failures: int = 0,
          hint: int | None = None) -> FeedState:
    last = None if ago is None else NOW - timedelta(seconds=ago)
    return FeedState(feed_id, last_attempt=last, consecutive_failures=failures,
                     refresh_hint_seconds=hint)


def test_never_attempted_feed_is_due_at_once():
    assert next_due(POLICY, state(ago=None)) is None
    assert due_feeds(POLICY, [state("new", ago=None), state("fresh", ago=10)], NOW) == ["new"]


def test_feed_due_after_its_interval_plus_jitter_not_before():
    assert due_feeds(POLICY, [state(ago=3599)], NOW) == []
    assert due_feeds(POLICY, [state(ago=3600 * 1.1)], NOW) == ["a"]


def test_due_keeps_the_given_order():
    states = [state("z", ago=9000), state("m", ago=1), state("b", ago=9000)]
    assert due_feeds(POLICY, states, NOW) == ["z", "b"]


@pytest.mark.parametrize("feed_id", [f"feed-{i}" for i in range(40)])
def test_jitter_is_positive_and_at_most_ten_percent(feed_id):
    seconds = interval_for(POLICY, state(feed_id))
    assert 3600 <= seconds < 3600 * 1.1


def test_jitter_bound_holds_even_if_config_asks_for_more():
    greedy = Policy(3600, 600, 86400, jitter_fraction=0.5, max_backoff=86400)
    assert all(interval_for(greedy, state(f"f{i}")) < 3960 for i in range(50))


def test_jitter_spreads_feeds_and_changes_after_each_attempt_but_is_stable_per_attempt():
    units = {jitter_unit(f"feed-{i}", NOW) for i in range(50)}
    assert len(units) == 50 and min(units) < 0.2 and max(units) > 0.8
    assert jitter_unit("a", NOW) == jitter_unit("a", NOW)
    assert jitter_unit("a", NOW) != jitter_unit("a", NOW + timedelta(seconds=1))


def test_zero_jitter_fraction_gives_the_exact_interval():
    exact = Policy.from_settings(ScheduleSettings(jitter_fraction=0.0))
    assert interval_for(exact, state()) == exact.interval


def test_backoff_doubles_per_failure_and_is_capped():
    assert [backoff_interval(600, n, 6 * 3600) for n in range(7)] == [
        600, 1200, 2400, 4800, 9600, 19200, 21600]
    assert backoff_interval(600, 10_000, 6 * 3600) == 21600


def test_backoff_never_shortens_an_interval_longer_than_the_cap():
    assert backoff_interval(86400, 3, 3600) == 86400


def test_failing_feed_waits_longer():
    ok, failing = state("a", ago=3 * 3600), state("a", ago=3 * 3600, failures=2)
    assert due_feeds(POLICY, [ok], NOW) == ["a"]
    assert due_feeds(POLICY, [failing], NOW) == []  # 4 h × jitter not yet elapsed
    assert interval_for(POLICY, failing) == pytest.approx(4 * interval_for(POLICY, ok))


@pytest.mark.parametrize(("hint", "expected"), [
    (None, 3600), (0, 3600), (60, 600), (1800, 1800), (7200, 7200), (10**7, 86400)])
def test_source_hint_is_clamped_to_operator_bounds(hint, expected):
    assert base_interval(POLICY, hint) == expected


def test_configured_interval_outside_bounds_is_clamped_too():
    policy = Policy.from_settings(ScheduleSettings(interval_seconds=60, min_interval_seconds=300))
    assert base_interval(policy, None) == 300


def test_interval_override_ignores_hints_and_bounds():
    fixed = Policy.from_settings(SCHEDULE, override=5)
    assert fixed.fixed
    assert base_interval(fixed, 7200) == 5
    assert base_interval(fixed, None) == 5
    assert 5 <= interval_for(fixed, state(hint=86400)) < 5.5
    assert due_feeds(fixed, [state(ago=6, hint=86400)], NOW) == ["a"]


def test_interval_override_still_backs_off_failing_feeds():
    fixed = Policy.from_settings(SCHEDULE, override=5)
    assert 20 <= interval_for(fixed, state(failures=2)) < 22


def test_seconds_until_next():
    states = [state("a", ago=3000), state("b", ago=100)]
    wait = seconds_until_next(POLICY, states, NOW)
    assert 600 <= wait < 600 + 360
    assert seconds_until_next(POLICY, [state(ago=None)], NOW) == 0
    assert seconds_until_next(POLICY, [], NOW) == 0


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT1H", 3600), ("P1D", 86400), ("P1W", 604800), ("PT30M", 1800), ("P1DT2H3M4S", 93784),
    ("pt15m", 900), ("+PT10S", 10), ("-PT1H", None), ("PT0S", None), ("P", None), ("PT", None),
    ("1 hour", None), ("", None)])
def test_duration_hint(text, seconds):
    assert duration_hint(text) == seconds

"""The clock seam: nothing but ``SystemClock`` reads the wall clock.

Core functions take ``now`` as a parameter; edges receive a ``Clock`` so tests can inject
a ``FixedClock`` instead of patching :mod:`datetime`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, for durations."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class FixedClock:
    """A clock for tests: stands still until ``advance`` is called."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    ticks: float = 0.0

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.ticks

    def advance(self, delta: timedelta) -> None:
        self.current += delta
        self.ticks += delta.total_seconds()

"""Stable identifiers for published events (DESIGN.md, "Published feed").

A published UID is derived from the identity of its sources, never from a counter or a
random number, so a rebuilt database publishes the same UIDs.
"""

from __future__ import annotations

import hashlib

from event_bridge.model import SourceKey

UID_DOMAIN = "event-bridge"


def uid_for(anchor: SourceKey) -> str:
    """The published UID of the event anchored on one source VEVENT (its feed and UID;
    overrides share their master's anchor)."""
    digest = hashlib.sha256(f"{anchor.feed_id}\x1f{anchor.uid}".encode()).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"


def uid_for_instance(anchor: SourceKey, recurrence_id: str) -> str:
    """UID of an override published on its own (an orphan: its master is not in the feed)."""
    text = f"{anchor.feed_id}\x1f{anchor.uid}\x1f{recurrence_id}"
    return f"{hashlib.sha256(text.encode()).hexdigest()[:24]}@{UID_DOMAIN}"

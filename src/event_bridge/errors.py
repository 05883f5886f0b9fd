"""The one exception tree of event-bridge.

::

    EventBridgeError
    ├── ConfigError          the configuration is unusable; ``problems`` lists every reason
    ├── FetchError           a feed could not be fetched
    │   ├── FeedUnavailable  connection refused, timeout, HTTP error status
    │   ├── FeedTooLarge     the body exceeded the configured size cap
    │   └── NotACalendar     the body is not iCalendar (HTML, JSON, empty, truncated)
    ├── ParseError           a calendar could not be read at all
    └── StoreError           the database refused an operation

Only ``cli`` turns these into user messages (``cli.explain``); every message says what
happened and, where it can, what to do next.
"""

from __future__ import annotations


class EventBridgeError(Exception):
    """Base of every error event-bridge raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class ConfigError(EventBridgeError):
    """The configuration is invalid; ``problems`` holds one line per problem."""

    hint = "see config.example.toml for every key and its default"

    def __init__(self, problems: list[str] | str, *, path: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(where + "; ".join(self.problems))


class FetchError(EventBridgeError):
    """A feed could not be fetched."""

    def __init__(self, feed_id: str, message: str, *, hint: str = "") -> None:
        self.feed_id = feed_id
        super().__init__(message, hint=hint)


class FeedUnavailable(FetchError):
    """The feed did not answer usefully: refused, timed out, or an HTTP error status."""


class FeedTooLarge(FetchError):
    """The feed's body is larger than ``[fetch] max_bytes``."""


class NotACalendar(FetchError):
    """The body that came back is not an iCalendar stream."""


class ParseError(EventBridgeError):
    """A calendar could not be read at all (individual broken components are skipped)."""


class StoreError(EventBridgeError):
    """The database refused an operation."""

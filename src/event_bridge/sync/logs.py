"""Operator logging for the daemon: one line per sync and one per failing feed, as plain
text or as JSON objects (one per line, for journald/Loki/CloudWatch), chosen by
``[logging] format``.

Operators look at these only when something is wrong, so routine chatter is kept out:
APScheduler's per-job lines and uvicorn's access log are silenced; errors still show.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from event_bridge.model import FeedOutcome, SyncReport

LOGGER = "event_bridge"
QUIET_LOGGERS = {"apscheduler": logging.ERROR, "uvicorn.access": logging.WARNING,
                 "alembic": logging.WARNING, "procrastinate": logging.WARNING}
"""Third-party loggers that speak on every tick or request: APScheduler logs each run at INFO
and, while a long sync runs, a WARNING per skipped tick (``max_instances=1`` doing its job);
only their errors (a crashed job) are kept.  Alembic narrates its plugin setup at start;
procrastinate logs every job it starts and ends (the cluster logs its own line per job)."""

MAX_ERROR_CHARS = 200
"""A failing feed's error as quoted in the sync line; the per-feed line has all of it."""

log = logging.getLogger(LOGGER)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``ts``, ``level``, ``logger``, ``msg`` and the record's
    structured ``fields`` (passed as ``extra={"fields": {...}}``)."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        doc.update(getattr(record, "fields", {}))
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False, default=str)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(fmt: str = "plain", level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Send every logger's records to ``stream`` (stderr) in ``fmt`` (``plain`` | ``json``);
    replaces handlers from an earlier call so it can be called once per process run."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(PLAIN_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _seconds(report: SyncReport, seconds: float | None) -> float:
    # the report's instants are whole seconds (SystemClock); callers pass a monotonic timing
    return seconds if seconds is not None else (report.finished - report.started).total_seconds()


def sync_line(report: SyncReport, seconds: float | None = None) -> str:
    """``sync: 4 feeds, 3 ok, 1 failed (paris-agenda: HTTP 503 …), 123 events, 2.1s``."""
    counts = {s: sum(o.status == s for o in report.feeds) for s in ("ok", "unchanged", "held")}
    failed = [o for o in report.feeds if o.status == "failed"]
    n = len(report.feeds)
    parts = [f"{n} feed{'' if n == 1 else 's'}", f"{counts['ok'] + counts['unchanged']} ok"]
    if counts["held"]:
        parts.append(f"{counts['held']} held")
    if failed:
        why = "; ".join(f"{o.feed_id}: {_short(o.error)}" for o in failed)
        parts.append(f"{len(failed)} failed ({why})")
    parts += [f"{report.published_events} events", f"{report.links} links",
              f"{_seconds(report, seconds):.1f}s"]
    return "sync: " + ", ".join(parts)


def sync_fields(report: SyncReport, seconds: float | None = None) -> dict[str, Any]:
    """The sync line's numbers, for JSON logs."""
    return {
        "event": "sync",
        "feeds": len(report.feeds),
        "ok": sum(o.status in ("ok", "unchanged") for o in report.feeds),
        "unchanged": sum(o.status == "unchanged" for o in report.feeds),
        "held": sum(o.status == "held" for o in report.feeds),
        "failed": [o.feed_id for o in report.feeds if o.status == "failed"],
        "events": report.published_events,
        "links": report.links,
        "etag": report.etag,
        "seconds": round(_seconds(report, seconds), 3),
    }


def log_sync(report: SyncReport, failures: dict[str, int] | None = None,
             seconds: float | None = None) -> None:
    """One line for the sync (WARNING if a feed failed), then one per failing or held feed.
    ``failures`` maps feed id → consecutive failures, shown so backoff is visible."""
    level = logging.WARNING if report.failed else logging.INFO
    log.log(level, sync_line(report, seconds), extra={"fields": sync_fields(report, seconds)})
    for outcome in report.feeds:
        if outcome.status == "failed":
            log_feed_failure(outcome, (failures or {}).get(outcome.feed_id, 0))
        elif outcome.status == "held":
            log.warning("feed %s held: %s", outcome.feed_id, outcome.note,
                        extra={"fields": {"event": "feed_held", "feed": outcome.feed_id}})


def log_feed_failure(outcome: FeedOutcome, failures: int) -> None:
    streak = f" ({failures} in a row)" if failures > 1 else ""
    log.warning("feed %s failed%s: %s", outcome.feed_id, streak, outcome.error,
                extra={"fields": {"event": "feed_failed", "feed": outcome.feed_id,
                                  "consecutive_failures": failures, "error": outcome.error}})

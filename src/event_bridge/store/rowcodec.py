"""Rows of the SQL tables to value objects and back.  Events are JSON from
:mod:`event_bridge.store.codec`; sync reports are JSON written here; blocks keep their lists as
JSON text, and a whole block set has a digest so an unchanged one is not rewritten.

Instants in reports are ISO 8601 UTC with microseconds, so a report reads back equal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from event_bridge.model import (
    Block,
    FeedOutcome,
    FeedState,
    FeedValidators,
    PublishedRecord,
    Skipped,
    SourceEvent,
    SyncReport,
)
from event_bridge.store.codec import event_from_json, event_to_json, source_event_to_json
from event_bridge.store.plan import as_utc, last_modified_key, maybe_utc


def report_to_json(report: SyncReport) -> str:
    payload = asdict(report)
    payload["started"] = as_utc(report.started).isoformat()
    payload["finished"] = as_utc(report.finished).isoformat()
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def report_from_json(text: str) -> SyncReport:
    raw = json.loads(text)
    return SyncReport(
        started=as_utc(datetime.fromisoformat(raw["started"])),
        finished=as_utc(datetime.fromisoformat(raw["finished"])),
        feeds=tuple(_outcome(f) for f in raw.get("feeds", ())),
        published_events=int(raw.get("published_events", 0)),
        links=int(raw.get("links", 0)),
        etag=raw.get("etag", ""),
        notes=tuple(raw.get("notes", ())),
        fingerprint=raw.get("fingerprint", ""),
    )


def _outcome(raw: dict[str, Any]) -> FeedOutcome:
    skipped = tuple(Skipped(**s) for s in raw.get("skipped", ()))
    return FeedOutcome(**{**raw, "skipped": skipped})


def _block_fields(block: Block) -> list[Any]:
    return [block.uid, block.recurrence_id, block.city, list(block.categories), block.text,
            block.linked, block.ics, list(block.tzids)]


def blocks_digest(blocks: Sequence[Block], header: str, footer: str) -> str:
    """SHA-256 over every block field (in order), the header and the footer."""
    digest = hashlib.sha256()
    for part in (header, footer):
        digest.update(json.dumps(part).encode() + b"\n")
    for block in blocks:
        # a rendered block is named by its key and input hash (the hash of what it was
        # rendered from); one without a hash by all its fields
        fields = [block.uid, block.recurrence_id, block.input_hash] if block.input_hash else (
            _block_fields(block))
        digest.update(json.dumps(fields, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def block_row(b: Block, position: int) -> dict[str, Any]:
    return {"uid": b.uid, "recurrence_id": b.recurrence_id, "position": position,
            "city": b.city, "categories": json.dumps(list(b.categories), ensure_ascii=False),
            "text": b.text, "linked": b.linked, "ics": b.ics,
            "tzids": json.dumps(list(b.tzids), ensure_ascii=False), "input_hash": b.input_hash}


def block_from_row(row: Any) -> Block:
    return Block(uid=row["uid"], recurrence_id=row["recurrence_id"], city=row["city"],
                 categories=tuple(json.loads(row["categories"])), text=row["text"],
                 linked=bool(row["linked"]), ics=row["ics"],
                 tzids=tuple(json.loads(row["tzids"])), input_hash=row["input_hash"])


def state_from_row(row: Any) -> FeedState:
    return FeedState(
        feed_id=row["feed_id"],
        validators=FeedValidators(row["etag"], row["last_modified"], row["body_hash"]),
        last_attempt=row["last_attempt"], last_success=row["last_success"],
        last_error=row["last_error"], consecutive_failures=row["consecutive_failures"],
        event_count=row["event_count"], held_syncs=row["held_syncs"],
        held_note=row["held_note"], refresh_hint_seconds=row["refresh_hint_seconds"])


def state_row(state: FeedState) -> dict[str, Any]:
    return {"feed_id": state.feed_id, "etag": state.validators.etag,
            "last_modified": state.validators.last_modified,
            "body_hash": state.validators.body_hash,
            "last_attempt": maybe_utc(state.last_attempt),
            "last_success": maybe_utc(state.last_success), "last_error": state.last_error,
            "consecutive_failures": state.consecutive_failures,
            "event_count": state.event_count, "held_syncs": state.held_syncs,
            "held_note": state.held_note, "refresh_hint_seconds": state.refresh_hint_seconds}


def source_event_row(event: SourceEvent, content_hash: str, now: datetime,
                     unit_hash: str = "") -> dict[str, Any]:
    return {"unit_hash": unit_hash, "feed_id": event.key.feed_id, "uid": event.key.uid,
            "recurrence_id": event.key.recurrence_id, "content_hash": content_hash,
            "last_modified": last_modified_key(event), "payload": source_event_to_json(event),
            "first_seen": now, "last_changed": now}


def utc_record(record: PublishedRecord) -> PublishedRecord:
    gone = record.gone_since
    if record.changed_at.tzinfo is UTC and (gone is None or gone.tzinfo is UTC):
        return record
    return replace(record, changed_at=as_utc(record.changed_at),
                   gone_since=maybe_utc(record.gone_since))


def revision(record: PublishedRecord) -> tuple[Any, ...]:
    """The columns that show whether a stored record is still the one we saw."""
    return (record.content_hash, record.sequence, record.changed_at, record.gone_since)


def record_from_row(row: Any) -> PublishedRecord:
    return PublishedRecord(row["uid"], row["recurrence_id"], row["content_hash"],
                           row["sequence"], row["changed_at"], event_from_json(row["payload"]),
                           row["gone_since"])


def published_row(record: PublishedRecord) -> dict[str, Any]:
    return {"uid": record.uid, "recurrence_id": record.recurrence_id,
            "content_hash": record.content_hash, "sequence": record.sequence,
            "changed_at": record.changed_at, "payload": event_to_json(record.event),
            "gone_since": record.gone_since}

"""Lossless JSON form of the value objects, for the store and the cache.

Moments are written as RFC 5545 text (``20260324T180000Z`` / ``20260324``) so the JSON is
the same whichever database holds it.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from event_bridge.model import (
    Event,
    EventData,
    SourceEvent,
    SourceKey,
    moment_key,
    parse_moment_key,
)

_MOMENT_FIELDS = {"start", "end"}
_MOMENT_LISTS = {"rdates", "exdates"}


def data_to_dict(data: EventData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(EventData):
        value = getattr(data, f.name)
        if f.name in _MOMENT_FIELDS:
            value = moment_key(value)
        elif f.name in _MOMENT_LISTS:
            value = [moment_key(v) for v in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def data_from_dict(raw: dict[str, Any]) -> EventData:
    values: dict[str, Any] = {}
    for f in fields(EventData):
        if f.name not in raw:
            continue
        value = raw[f.name]
        if f.name in _MOMENT_FIELDS:
            value = parse_moment_key(value)
        elif f.name in _MOMENT_LISTS:
            value = tuple(parse_moment_key(v) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    return EventData(**values)


def source_event_to_json(event: SourceEvent) -> str:
    payload = {
        "key": [event.key.feed_id, event.key.uid, event.key.recurrence_id],
        "city": event.city,
        "data": data_to_dict(event.data),
        "sequence": event.sequence,
        "last_modified": moment_key(event.last_modified) if event.last_modified else None,
        "privacy": event.privacy,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def source_event_from_json(text: str) -> SourceEvent:
    raw = json.loads(text)
    last_modified = raw.get("last_modified")
    lm = parse_moment_key(last_modified) if last_modified else None
    return SourceEvent(
        key=SourceKey(*raw["key"]),
        city=raw["city"],
        data=data_from_dict(raw["data"]),
        sequence=int(raw.get("sequence", 0)),
        last_modified=lm if isinstance(lm, datetime) else None,
        privacy=raw.get("privacy", ""),
    )


def event_to_json(event: Event) -> str:
    payload = {
        "uid": event.uid,
        "recurrence_id": event.recurrence_id,
        "city": event.city,
        "data": data_to_dict(event.data),
        "sources": [[k.feed_id, k.uid, k.recurrence_id] for k in event.sources],
        "reasons": list(event.reasons),
        "score": event.score,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def event_from_json(text: str) -> Event:
    raw = json.loads(text)
    return Event(
        uid=raw["uid"],
        city=raw["city"],
        data=data_from_dict(raw["data"]),
        sources=tuple(SourceKey(*k) for k in raw["sources"]),
        recurrence_id=raw.get("recurrence_id", ""),
        reasons=tuple(raw.get("reasons", ())),
        score=float(raw.get("score", 1.0)),
    )

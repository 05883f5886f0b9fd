"""``SqlRepository``: the ``Repository`` contract on SQLite (default) or PostgreSQL.

Writes are bulk statements in one transaction each, and skip what did not change: a feed
resync compares stored content hashes (no per-row SELECT), an identical snapshot or block
set is detected by digest, and published records equal to the ones just read are not
rewritten.  Every order is decided in Python, so SQLite and PostgreSQL give the same bytes.
Database exceptions leave as ``StoreError`` (see :mod:`.engine`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from event_bridge.model import (
    Block,
    FeedDiff,
    FeedState,
    PublishedRecord,
    Snapshot,
    SourceEvent,
    SyncReport,
)
from event_bridge.store import schema
from event_bridge.store import tables as t
from event_bridge.store.codec import source_event_from_json
from event_bridge.store.engine import IMMEDIATE, make_engine, translated
from event_bridge.store.plan import (
    RUNS_KEPT,
    Key,
    as_utc,
    check_unique,
    collapse,
    hash_all,
    plan_replace,
    sort_events,
    source_digest,
)
from event_bridge.store.rowcodec import (
    block_from_row,
    block_row,
    blocks_digest,
    published_row,
    record_from_row,
    report_from_json,
    report_to_json,
    revision,
    source_event_row,
    state_from_row,
    state_row,
    utc_record,
)

_HEADER_ID = 1


def open_repository(url: str, *, upgrade: bool = True) -> SqlRepository:
    """An engine for ``url`` (see :func:`.engine.make_engine`) with its schema brought up to
    date, or, with ``upgrade=False``, checked to be current."""
    engine = make_engine(url)
    try:
        if upgrade:
            schema.upgrade(engine)
        else:
            schema.check_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlRepository(engine)


class SqlRepository:
    """A ``Repository`` on a SQLAlchemy engine whose schema is current."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Published records this process last read or wrote: save_published skips those
        # given back unchanged (the pipeline re-saves every record on each sync).
        self._seen: dict[Key, PublishedRecord] = {}

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with translated(self.engine), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
        with translated(self.engine), self.engine.connect() as conn:
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                yield conn

    # feed state -----------------------------------------------------------------------
    def feed_state(self, feed_id: str) -> FeedState:
        query = select(t.feed_state).where(t.feed_state.c.feed_id == feed_id)
        with self._read() as conn:
            row = conn.execute(query).mappings().first()
        return state_from_row(row) if row else FeedState(feed_id=feed_id)

    def feed_states(self) -> list[FeedState]:
        with self._read() as conn:
            rows = conn.execute(select(t.feed_state)).mappings().all()
        return sorted((state_from_row(r) for r in rows), key=lambda s: s.feed_id)

    def save_feed_state(self, state: FeedState) -> None:
        row = state_row(state)
        with self._write() as conn:
            _upsert(conn, t.feed_state, [row])

    # source events --------------------------------------------------------------------
    def source_events(self, feed_ids: Iterable[str] | None = None) -> list[SourceEvent]:
        query = select(t.source_event.c.payload)
        if feed_ids is not None:
            query = query.where(t.source_event.c.feed_id.in_(sorted(set(feed_ids))))
        with self._read() as conn:
            payloads: Sequence[str] = conn.execute(query).scalars().all()
        return sort_events(source_event_from_json(p) for p in payloads)

    def replace_source_events(self, feed_id: str, events: Sequence[SourceEvent],
                              now: datetime) -> FeedDiff:
        return self.apply_source_units(feed_id, (), events, {}, now)

    def source_units(self, feed_id: str) -> dict[str, int]:
        c = t.source_event.c
        query = select(c.unit_hash, func.count()).where(
            c.feed_id == feed_id, c.unit_hash != "").group_by(c.unit_hash)
        with self._read() as conn:
            return {r[0]: r[1] for r in conn.execute(query)}

    def apply_source_units(self, feed_id: str, kept: Collection[str],
                           fresh: Sequence[SourceEvent], units: Mapping[Key, str],
                           now: datetime) -> FeedDiff:
        now = as_utc(now)
        incoming = collapse(feed_id, fresh)
        keep = set(kept) - {""}
        c = t.source_event.c
        query = select(c.uid, c.recurrence_id, c.content_hash, c.last_modified,
                       c.unit_hash).where(c.feed_id == feed_id)
        hashes = hash_all(incoming)  # before the write transaction: the costly part
        with self._write() as conn:
            everything = list(conn.execute(query))
            held = {(r[0], r[1]) for r in everything if r[4] in keep}
            incoming = {k: e for k, e in incoming.items() if k not in held}
            rows = [r for r in everything if r[4] not in keep]
            stored = {(r[0], r[1]): (r[2], r[3]) for r in rows}
            labels = {(r[0], r[1]): r[4] for r in rows}
            plan = plan_replace(stored, incoming, hashes)
            written = [source_event_row(e, hashes[(e.key.uid, e.key.recurrence_id)], now,
                                        units.get((e.key.uid, e.key.recurrence_id), ""))
                       for e in (*plan.new, *plan.changed, *plan.touched)]
            _upsert(conn, t.source_event, written, keep=("first_seen",))
            _delete_events(conn, feed_id, plan.removed)
            done = {(r["uid"], r["recurrence_id"]) for r in written}
            _relabel(conn, feed_id, [(k, units.get(k, "")) for k, unit in labels.items()
                                     if k in incoming and k not in done
                                     and units.get(k, "") != unit])
        return FeedDiff(len(plan.new), len(plan.changed), len(plan.removed))

    def source_digest(self) -> str:
        c = t.source_event.c
        query = select(c.feed_id, c.uid, c.recurrence_id, c.content_hash, c.last_modified)
        with self._read() as conn:
            return source_digest((str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
                                 for r in conn.execute(query))

    def delete_feed(self, feed_id: str) -> None:
        with self._write() as conn:
            conn.execute(delete(t.source_event).where(t.source_event.c.feed_id == feed_id))
            conn.execute(delete(t.feed_state).where(t.feed_state.c.feed_id == feed_id))

    # published ------------------------------------------------------------------------
    def published(self) -> dict[Key, PublishedRecord]:
        with self._read() as conn:
            rows = conn.execute(select(t.published)).mappings().all()
        records = {(r["uid"], r["recurrence_id"]): record_from_row(r) for r in rows}
        self._seen = dict(records)
        return records

    def save_published(self, records: Iterable[PublishedRecord],
                       deleted: Iterable[Key] = ()) -> None:
        """Deletions are applied first, so a key both deleted and saved stays saved."""
        gone = set(deleted)
        fresh = {(r.uid, r.recurrence_id): utc_record(r) for r in records}
        with self._write() as conn:
            _delete_keys(conn, t.published, sorted(gone))
            todo = self._unseen(conn, fresh, gone)
            _upsert(conn, t.published, [published_row(r) for r in todo])
        for key in gone:
            self._seen.pop(key, None)
        self._seen.update({(r.uid, r.recurrence_id): r for r in todo})

    def _unseen(self, conn: Connection, fresh: dict[Key, PublishedRecord],
                gone: set[Key]) -> list[PublishedRecord]:
        """The records to write: all but those equal to what this process last saw, and
        still stored as it saw them (a check on the revision columns, not the payload)."""
        c = t.published.c
        query = select(c.uid, c.recurrence_id, c.content_hash, c.sequence, c.changed_at,
                       c.gone_since)
        stored = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(query)}
        return [r for k, r in fresh.items()
                if k in gone or self._seen.get(k) != r or stored.get(k) != revision(r)]

    # snapshots ------------------------------------------------------------------------
    def save_snapshot(self, snapshot: Snapshot, blocks: Sequence[Block] | None = None,
                      header: str = "", footer: str = "") -> None:
        body = bytes(snapshot.body)
        row = {"name": snapshot.name, "body": body, "etag": snapshot.etag,
               "last_modified": as_utc(snapshot.last_modified),
               "digest": hashlib.sha256(body).hexdigest()}
        digest = None if blocks is None else blocks_digest(blocks, header, footer)
        with self._write() as conn:
            _save_snapshot_row(conn, row)
            if blocks is not None and digest is not None:
                _save_blocks(conn, blocks, header, footer, digest)

    def snapshot(self, name: str) -> Snapshot | None:
        c = t.snapshot.c
        query = select(c.name, c.body, c.etag, c.last_modified).where(c.name == name)
        with self._read() as conn:
            row = conn.execute(query).first()
        return Snapshot(row[0], bytes(row[1]), row[2], row[3]) if row else None

    def blocks(self) -> tuple[list[Block], str, str]:
        with self._read() as conn:
            rows = conn.execute(select(t.block)).mappings().all()
            frame = conn.execute(select(t.feed_header.c.header, t.feed_header.c.footer)).first()
        ordered = sorted(rows, key=lambda r: r["position"])
        header, footer = (str(frame[0]), str(frame[1])) if frame else ("", "")
        return [block_from_row(r) for r in ordered], header, footer

    # runs ------------------------------------------------------------------------
    def record_run(self, report: SyncReport) -> None:
        row = {"started": as_utc(report.started), "finished": as_utc(report.finished),
               "report": report_to_json(report)}
        c = t.sync_run.c
        kept = select(c.id).order_by(c.started.desc(), c.id.desc()).limit(RUNS_KEPT)
        with self._write() as conn:
            conn.execute(insert(t.sync_run), row)
            conn.execute(delete(t.sync_run).where(c.id.not_in(kept)))

    def runs(self, limit: int = 20) -> list[SyncReport]:
        c = t.sync_run.c
        query = select(c.report).order_by(c.started.desc(), c.id.desc()).limit(limit)
        with self._read() as conn:
            texts: Sequence[str] = conn.execute(query).scalars().all()
        return [report_from_json(text) for text in texts]


# statements -------------------------------------------------------------------------------
def _dialect_insert(conn: Connection, table: Table) -> Any:
    module = sqlite if conn.dialect.name == "sqlite" else postgresql
    return module.insert(table)


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]],
            keep: tuple[str, ...] = ()) -> None:
    """Insert ``rows`` or overwrite them by primary key (all columns but ``keep``)."""
    if not rows:
        return
    stmt = _dialect_insert(conn, table)
    keys = [col.name for col in table.primary_key.columns]
    changes = {col.name: stmt.excluded[col.name] for col in table.columns
               if col.name not in keys and col.name not in keep}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes), rows)


def _delete_events(conn: Connection, feed_id: str, keys: list[Key]) -> None:
    c = t.source_event.c
    if keys:
        conn.execute(delete(t.source_event).where(
            c.feed_id == feed_id, c.uid == bindparam("k_uid"),
            c.recurrence_id == bindparam("k_rid")),
            [{"k_uid": uid, "k_rid": rid} for uid, rid in keys])


def _relabel(conn: Connection, feed_id: str, labels: list[tuple[Key, str]]) -> None:
    """Unchanged events read again from a new unit: only their unit hash is rewritten."""
    c = t.source_event.c
    if labels:
        conn.execute(update(t.source_event).where(
            c.feed_id == feed_id, c.uid == bindparam("k_uid"),
            c.recurrence_id == bindparam("k_rid")).values(unit_hash=bindparam("k_unit")),
            [{"k_uid": uid, "k_rid": rid, "k_unit": unit} for (uid, rid), unit in labels])


def _delete_keys(conn: Connection, table: Table, keys: list[Key]) -> None:
    if keys:
        conn.execute(delete(table).where(
            table.c.uid == bindparam("k_uid"), table.c.recurrence_id == bindparam("k_rid")),
            [{"k_uid": uid, "k_rid": rid} for uid, rid in keys])


def _save_snapshot_row(conn: Connection, row: dict[str, Any]) -> None:
    """Skip the write (of a possibly large body) when nothing about it changed."""
    c = t.snapshot.c
    stored = conn.execute(select(c.digest, c.etag, c.last_modified).where(
        c.name == row["name"])).first()
    if stored is None or tuple(stored) != (row["digest"], row["etag"], row["last_modified"]):
        _upsert(conn, t.snapshot, [row])


def _save_blocks(conn: Connection, blocks: Sequence[Block], header: str, footer: str,
                 digest: str) -> None:
    """Write only what changed: blocks whose input hash (or, for a block without one, any
    field) changed are rewritten, blocks that only moved get their new position, blocks no
    longer published are deleted."""
    c = t.feed_header.c
    if conn.execute(select(c.blocks_digest).where(c.id == _HEADER_ID)).scalar() == digest:
        return
    check_unique(blocks)
    b = t.block.c
    stored = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        select(b.uid, b.recurrence_id, b.position, b.input_hash))}
    rewrite, moved = [], []
    for position, block in enumerate(blocks):
        old = stored.get((block.uid, block.recurrence_id))
        if old is None or not block.input_hash or old[1] != block.input_hash:
            rewrite.append(block_row(block, position))
        elif old[0] != position:
            moved.append({"k_uid": block.uid, "k_rid": block.recurrence_id, "k_pos": position})
    keys = {(bl.uid, bl.recurrence_id) for bl in blocks}
    _delete_keys(conn, t.block, [k for k in stored if k not in keys])
    _upsert(conn, t.block, rewrite)
    if moved:
        conn.execute(update(t.block).where(
            b.uid == bindparam("k_uid"), b.recurrence_id == bindparam("k_rid")).values(
            position=bindparam("k_pos")), moved)
    _upsert(conn, t.feed_header, [{"id": _HEADER_ID, "header": header, "footer": footer,
                                   "blocks_digest": digest}])

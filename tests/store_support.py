"""Real databases for the store tests: a SQLite file in tmp_path, and a fresh PostgreSQL
schema per test (dropped afterwards) so runs never collide with each other or other tests.

PostgreSQL comes from ``EVENT_BRIDGE_TEST_PG_URL`` (default below); when it cannot be
reached the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import quote

import psycopg
import pytest

PG_URL = os.environ.get("EVENT_BRIDGE_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@cache
def pg_unavailable() -> str:
    """Why PostgreSQL cannot be used ("" when it can)."""
    try:
        with psycopg.connect(_conninfo(PG_URL), connect_timeout=3):
            return ""
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_URL} unreachable ({str(exc).strip()}); " \
               "set EVENT_BRIDGE_TEST_PG_URL"


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose connections live in a new, empty schema (via ``search_path``)."""
    if reason := pg_unavailable():
        pytest.skip(reason)
    name = f"eb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(PG_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(_conninfo(PG_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')

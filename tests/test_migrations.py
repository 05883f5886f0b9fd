"""The Alembic migrations that ship in the package: they create every table, are idempotent,
and agree with the SQLModel tables (autogenerate finds nothing to do)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, inspect, select, text

from event_bridge.store import tables
from event_bridge.store.engine import make_engine
from event_bridge.store.schema import MIGRATIONS, current, head, upgrade
from store_support import pg_schema

TABLES = {"feed_state", "source_event", "published", "snapshot", "feed_header", "block",
          "sync_run", "sync_lock"}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield made
        made.dispose()
    else:
        with pg_schema() as url:
            made = make_engine(url)
            yield made
            made.dispose()


def differences(engine: Engine, metadata: MetaData) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_scripts_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
    assert not (MIGRATIONS.parent / "alembic.ini").exists()  # configured in code


def test_upgrade_creates_every_table(engine: Engine) -> None:
    assert current(engine) is None
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}
    assert current(engine) == head() == "0002"


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(tables.feed_header.insert().values(id=1, header="h", footer="f",
                                                        blocks_digest="d"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(tables.feed_header.c.header)).scalars().all() == ["h"]
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [v[0] for v in versions] == [head()]


def test_upgrade_by_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    upgrade(url)
    made = make_engine(url)
    try:
        assert current(made) == head()
    finally:
        made.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    upgrade(engine)
    assert differences(engine, tables.metadata) == []


def test_comparison_would_see_a_model_change(engine: Engine) -> None:
    """The check above can fail: a column the migrations lack is reported."""
    upgrade(engine)
    changed = MetaData()
    for table in tables.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["block"].append_column(Column("rank", Integer(), nullable=True))
    found = differences(engine, changed)
    assert [(d[0], d[3].name) for d in found] == [("add_column", "rank")]  # type: ignore[index]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'c.db'}"
    else:
        with pg_schema() as pg_url:
            yield pg_url


def test_concurrent_upgrades_all_succeed(url: str) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    made = make_engine(url)
    assert current(made) == head()
    made.dispose()

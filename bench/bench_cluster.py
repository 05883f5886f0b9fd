"""Issue 12 acceptance 4: how long a cluster of 1, 2 and 4 `event-bridge run` processes on
one PostgreSQL takes to fetch 300 small feeds once, and to publish all of them.

    python bench/bench_cluster.py [--feeds 300] [--workers 1,2,4] [--latency 0.1]
                                  [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each run gets a fresh schema, a loopback server answering every feed after ``--latency``
seconds (a remote calendar host is rarely faster), ``db upgrade``, then N real `run`
processes with ``--interval 3600`` (each feed is due once).  Reported: seconds from the
processes' start to the last first fetch, from the first fetch to the last, and to the
first snapshot that holds every feed's events (as served by the members); also the
publication times the members logged.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from cluster_support import CountingServer, Member, cli, feed_body, write_config


def one_run(n_workers: int, n_feeds: int, latency: float, pg: str) -> dict[str, float]:
    schema = f"eb_bench_{uuid.uuid4().hex[:10]}"
    conninfo = pg.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{pg}{'&' if '?' in pg else '?'}options={quote(f'-csearch_path={schema}')}"
    ids = [f"{'paris' if i % 2 == 0 else 'sf'}-{i:04d}" for i in range(n_feeds)]
    server = CountingServer({f"{fid}.ics": feed_body(i, "Europe/Paris" if fid[0] == "p"
                                                     else "America/Los_Angeles")
                             for i, fid in enumerate(ids)}, delay=latency).start()
    members: list[Member] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = write_config(Path(tmp) / "bridge.toml", url,
                                  {fid: server.url(f"{fid}.ics") for fid in ids})
            assert cli(config, "db", "upgrade").returncode == 0
            t0 = time.monotonic()
            members = [Member(config, "--interval", "3600", name=f"m{i}")
                       for i in range(n_workers)]
            names = {f"{fid}.ics" for fid in ids}
            while {h.path for h in list(server.hits)} < names:
                time.sleep(0.05)
            fetched = time.monotonic()
            starts = [h.start for h in server.hits]
            events = 2 * n_feeds
            while _served_events(members[0]) < events:
                time.sleep(0.1)
            published = time.monotonic()
            cpu = sum(_cpu_seconds(m.pid) for m in members)
            logs = "".join(m.log() for m in members)
            pubs = [float(s) for s in re.findall(r"published \d+ events.* in ([\d.]+)s", logs)]
            for member in members:
                member.terminate()
            return {"to_all_fetched": fetched - t0, "fetch_span": max(starts) - min(starts),
                    "to_all_published": published - t0, "publishes": len(pubs),
                    "publish_max": max(pubs, default=0.0), "cpu": cpu,
                    "once": _sync_once(Path(tmp), url, server, ids)}
    finally:
        for member in members:
            member.close()
        server.stop()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sync_once(tmp: Path, url: str, server: CountingServer, ids: list[str]) -> float:
    """The same feeds by one `sync --once` into a fresh schema of its own (the baseline)."""
    folder = tmp / "once"
    folder.mkdir()
    schema = f"eb_bench_once_{uuid.uuid4().hex[:8]}"
    conninfo = url.split("?")[0].replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        once_url = f"{url.split('?')[0]}?options={quote(f'-csearch_path={schema}')}"
        config = write_config(folder / "bridge.toml", once_url,
                              {fid: server.url(f"{fid}.ics") for fid in ids})
        assert cli(config, "db", "upgrade").returncode == 0
        t0 = time.monotonic()
        assert cli(config, "sync", "--once", timeout=600).returncode == 0
        return time.monotonic() - t0
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _served_events(member: Member) -> int:
    try:
        with urllib.request.urlopen(f"{member.base}/calendar.ics", timeout=5) as response:
            return response.read().count(b"BEGIN:VEVENT")
    except OSError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"{args.feeds} feeds, {args.latency:g}s per response; load "
          f"{Path('/proc/loadavg').read_text().split()[0]}")
    print("| workers | start → every feed fetched s | first → last fetch s "
          "| start → all published s | publications | slowest publication s "
          "| members' CPU s | `sync --once` s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in (int(w) for w in args.workers.split(",")):
        r = one_run(n, args.feeds, args.latency, args.pg)
        print(f"| {n} | {r['to_all_fetched']:.1f} | {r['fetch_span']:.1f} | "
              f"{r['to_all_published']:.1f} | {r['publishes']:.0f} | {r['publish_max']:.1f} | "
              f"{r['cpu']:.1f} | {r['once']:.1f} |", flush=True)
    print(f"load after: {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()

"""Issue 11 acceptance: wall time and peak memory, measured in one run, of

* mergecal merging the same files (the reference: parse + merge + write, no store, no dedupe),
* a first `sync --once`,
* a resync where nothing changed (every feed answers 304),
* a resync where every feed re-sends its bytes with only DTSTAMP changed and no validators,
* a resync after one event's title changed in one feed,
* `export` of the merged feed, and the first GET of /calendar.ics from `serve`,

then checks that the incremental database exports the same feed (stamps and SEQUENCE aside)
as a fresh database synced from the final files.

    python bench/bench_sync.py [--feeds 10] [--events 10000] [--seed 7] [--skip-fresh]

Needs ../shared/tools/gen_feeds.py (or --gen PATH) and `pip install mergecal` (the `bench`
extra).  Serves the generated feeds on 127.0.0.1 and runs the real CLI in subprocesses;
memory is the child's peak RSS (getrusage).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from feedserver import FeedServer, Override

ROOT = Path(__file__).resolve().parents[1]
Row = tuple[str, float, float, int]


def measure(name: str, cmd: list[str]) -> Row:
    """(name, seconds, peak MiB, exit status) of a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return name, time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode


MERGECAL = """
import sys, pathlib, icalendar, mergecal
cals = [icalendar.Calendar.from_ical(p.read_bytes())
        for p in sorted(pathlib.Path(sys.argv[1]).glob('*.ics'))]
pathlib.Path(sys.argv[2]).write_bytes(mergecal.merge_calendars(cals).to_ical())
"""


def config(folder: Path, server: FeedServer, files: list[Path], db: str) -> Path:
    lines = ['[database]', f'url = "sqlite:///{db}"', '',
             '[cities.paris]', 'name = "Paris"', 'timezone = "Europe/Paris"', '',
             '[cities.san-francisco]', 'name = "San Francisco"',
             'timezone = "America/Los_Angeles"', '']
    for i, path in enumerate(files):
        city = "paris" if i % 2 == 0 else "san-francisco"
        lines += ["[[feeds]]", f'id = "feed-{i:02d}"', f'city = "{city}"',
                  f'url = "{server.url(path.name)}"', ""]
    cfg = folder / f"{db}.toml"
    cfg.write_text("\n".join(lines))
    return cfg


def restamp(server: FeedServer, files: list[Path]) -> None:
    """Every feed re-sends its bytes with a new DTSTAMP on every VEVENT and no validators
    (what Google Calendar's export does on every poll)."""
    for path in files:
        body = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:20261202T080000Z", path.read_bytes())
        server.overrides[path.name] = Override(body=body)


def retitle(server: FeedServer, path: Path) -> None:
    """One event's title changes in one feed (still no validators)."""
    body = server.overrides[path.name].body or b""
    at = body.index(b"\r\nSUMMARY:") + len(b"\r\nSUMMARY:")
    server.overrides[path.name] = Override(body=body[:at] + b"Retitled " + body[at:])


def serve_first_get(cli: list[str]) -> Row:
    """The first GET of the merged feed from `serve` (the server builds its response from
    the stored snapshot): seconds from request to last byte, and the server's peak RSS."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        t0 = time.perf_counter()
        size = len(urllib.request.urlopen(f"{url}/calendar.ics", timeout=60).read())
        secs = time.perf_counter() - t0
        status = (Path(f"/proc/{proc.pid}/status").read_text())
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    finally:
        proc.terminate()
        proc.wait()
    return f"serve: first GET /calendar.ics ({size / 2**20:.1f} MiB)", secs, peak, 0


STAMPS = re.compile(rb"^(DTSTAMP|LAST-MODIFIED|SEQUENCE)[:;].*\r\n", re.M)


def same_export(a: Path, b: Path) -> bool:
    return STAMPS.sub(b"", a.read_bytes()) == STAMPS.sub(b"", b.read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-fresh", action="store_true",
                    help="skip the fresh-database comparison at the end")
    ap.add_argument("--gen", default=str(ROOT.parent / "shared/tools/gen_feeds.py"))
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.chdir(folder)
        feeds = folder / "feeds"
        subprocess.run([py, args.gen, "--feeds", str(args.feeds),
                        "--events-per-feed", str(args.events), "--seed", str(args.seed),
                        "--out", str(feeds)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(feeds.glob("*.ics"))
        size = sum(p.stat().st_size for p in files) / 2**20
        server = FeedServer(feeds).start()
        try:
            cli = [py, "-m", "event_bridge", "--config",
                   str(config(folder, server, files, "bench.db"))]
            rows = [measure("mergecal: parse, merge, write",
                            [py, "-c", MERGECAL, str(feeds), str(folder / "merged.ics")])]
            rows.append(measure("first sync --once", [*cli, "sync", "--once"]))
            rows.append(measure("resync, nothing changed (304)", [*cli, "sync", "--once"]))
            restamp(server, files)
            rows.append(measure("resync, DTSTAMP changed in every feed, no validators",
                                [*cli, "sync", "--once"]))
            retitle(server, files[0])
            rows.append(measure("resync, one title changed in one feed",
                                [*cli, "sync", "--once"]))
            rows.append(measure("export of the merged feed",
                                [*cli, "export", "--output", str(folder / "inc.ics")]))
            rows.append(serve_first_get(cli))
            same = None
            if not args.skip_fresh:
                fresh = [py, "-m", "event_bridge", "--config",
                         str(config(folder, server, files, "fresh.db"))]
                subprocess.run([*fresh, "sync", "--once"], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                subprocess.run([*fresh, "export", "--output", str(folder / "fresh.ics")],
                               check=True, stdout=subprocess.DEVNULL)
                same = same_export(folder / "inc.ics", folder / "fresh.ics")
        finally:
            server.stop()
    report(rows, len(files), args.events, size, same)


def report(rows: list[Row], feeds: int, events: int, size: float, same: bool | None) -> None:
    ref, first = rows[0], rows[1]
    print(f"{feeds} feeds × {events} events, {size:.1f} MiB of .ics; load before: "
          f"{os.getloadavg()[0]:.1f}")
    print("| run | wall s | peak RSS MiB | vs. mergecal (time, RSS) | vs. first sync | exit |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, secs, mib, status in rows:
        print(f"| {name} | {secs:.2f} | {mib:.0f} | {secs / ref[1]:.2f}×, {mib / ref[2]:.2f}× "
              f"| {100 * secs / first[1]:.1f} % | {status} |")
    if same is not None:
        print(f"incremental export == fresh database export (stamps, SEQUENCE aside): {same}")


if __name__ == "__main__":
    main()

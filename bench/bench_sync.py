"""Issue 2 acceptance 6: wall time and peak memory of a first `sync --once`, of a resync where
nothing changed, and of a plain icalendar parse of the same files, measured in one run.

    python bench/bench_sync.py [--feeds 10] [--events 10000] [--seed 7]

Needs ../shared/tools/gen_feeds.py (or --gen PATH).  Serves the generated feeds on
127.0.0.1 (ETags, 304s) and runs the real CLI in subprocesses; memory is the child's
peak RSS (getrusage).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[1]


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit status) of a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status, peak = _wait(proc)
    return time.perf_counter() - t0, peak, status


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, float]:
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


PARSE = """
import sys, icalendar, pathlib
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.ics')):
    n += len(icalendar.Calendar.from_ical(p.read_bytes()).walk('VEVENT'))
print(n)
"""


def config(folder: Path, server: FeedServer, files: list[Path]) -> Path:
    lines = ['[database]', 'url = "sqlite:///bench.db"', '',
             '[cities.paris]', 'name = "Paris"', 'timezone = "Europe/Paris"', '',
             '[cities.san-francisco]', 'name = "San Francisco"',
             'timezone = "America/Los_Angeles"', '']
    for i, path in enumerate(files):
        city = "paris" if i % 2 == 0 else "san-francisco"
        lines += ["[[feeds]]", f'id = "feed-{i:02d}"', f'city = "{city}"',
                  f'url = "{server.url(path.name)}"', ""]
    cfg = folder / "bench.toml"
    cfg.write_text("\n".join(lines))
    return cfg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--gen", default=str(ROOT.parent / "shared/tools/gen_feeds.py"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feeds = folder / "feeds"
        subprocess.run([sys.executable, args.gen, "--feeds", str(args.feeds),
                        "--events-per-feed", str(args.events), "--seed", str(args.seed),
                        "--out", str(feeds)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(feeds.glob("*.ics"))
        size = sum(p.stat().st_size for p in files) / 2**20
        server = FeedServer(feeds).start()
        try:
            cfg = config(folder, server, files)
            cli = [sys.executable, "-m", "event_bridge", "--config", str(cfg)]
            rows = [
                ("first sync --once", measure([*cli, "sync", "--once"])),
                ("resync, nothing changed", measure([*cli, "sync", "--once"])),
                ("plain icalendar parse", measure([sys.executable, "-c", PARSE, str(feeds)])),
            ]
        finally:
            server.stop()
    print(f"{len(files)} feeds × {args.events} events, {size:.1f} MiB of .ics")
    print("| run | wall s | peak RSS MiB | exit |\n| --- | ---: | ---: | ---: |")
    for name, (secs, mib, status) in rows:
        print(f"| {name} | {secs:.1f} | {mib:.0f} | {status} |")


if __name__ == "__main__":
    main()

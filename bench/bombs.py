"""Issue 10's CPU and memory bombs, each synced by the real program under /usr/bin/time -v.

    PYTHONPATH=src python bench/bombs.py [NAME ...]

For every bomb: a feed file is written to a temporary directory, ``event-bridge sync --once``
runs on it in a subprocess (a fresh SQLite database), and the CPU seconds (user + system),
peak RSS and exit status are printed.  Acceptance (issue 10, item 3): every bomb under 10 s
of CPU and 500 MB RSS.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
TAIL = "END:VCALENDAR\r\n"


def vevent(uid: str, extra: str = "", start: str = "20260601T180000Z") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:20260601T200000Z\r\nSUMMARY:Bench {uid}\r\n{extra}END:VEVENT\r\n")


def _nums(a: int, b: int) -> str:
    return ",".join(map(str, range(a, b)))


def secondly_never() -> str:
    return HEAD + vevent("b", "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\n",
                         "20260301T000000Z") + TAIL


def yearly_every_by() -> str:
    rule = (f"FREQ=YEARLY;BYMONTH={_nums(1, 13)};BYWEEKNO={_nums(1, 54)};"
            f"BYYEARDAY={_nums(1, 367)};BYMONTHDAY={_nums(1, 32)};BYDAY=MO,TU,WE,TH,FR,SA,SU;"
            f"BYHOUR={_nums(0, 24)};BYMINUTE={_nums(0, 60)};BYSECOND={_nums(0, 60)}")
    return HEAD + vevent("b", f"RRULE:{rule}\r\n", "20260301T000000Z") + TAIL


def vtimezone_100k() -> str:
    parts = []
    for i in range(50_000):
        year = 1970 + i // 1000
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        for kind, a, b in (("STANDARD", "+0100", "+0200"), ("DAYLIGHT", "+0200", "+0100")):
            parts.append(f"BEGIN:{kind}\r\nDTSTART:{year:04d}{month:02d}{day:02d}T0"
                         f"{2 if kind == 'STANDARD' else 3}0000\r\nTZOFFSETFROM:{a}\r\n"
                         f"TZOFFSETTO:{b}\r\nEND:{kind}\r\n")
    zone = "BEGIN:VTIMEZONE\r\nTZID:Bench/Zone\r\n" + "".join(parts) + "END:VTIMEZONE\r\n"
    event = vevent("b", "", "20260601T180000").replace(
        "DTSTART:20260601T180000", "DTSTART;TZID=Bench/Zone:20260601T180000").replace(
        "DTEND:20260601T200000Z", "DTEND;TZID=Bench/Zone:20260601T200000")
    return HEAD + zone + event + TAIL


def events_100k() -> str:
    return HEAD + "".join(vevent(f"e{i}") for i in range(100_000)) + TAIL


def description_19mb() -> str:
    return HEAD + vevent("b", "DESCRIPTION:" + "x" * (19 * 1024 * 1024) + "\r\n") + TAIL


BOMBS: dict[str, Callable[[], str]] = {
    "secondly-never": secondly_never, "yearly-every-by": yearly_every_by,
    "vtimezone-100k": vtimezone_100k, "events-100k": events_100k,
    "description-19mb": description_19mb,
}


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(CPU seconds, max RSS in MB, exit status) of ``cmd`` under /usr/bin/time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True,
                          env=env, timeout=900)
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)[1])  # type: ignore[index]
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)[1])  # type: ignore[index]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])  # type: ignore[index]
    status = re.search(r"Exit status: (\d+)", done.stderr)
    return user + system, rss // 1024, int(status[1]) if status else done.returncode


def run(name: str, workdir: Path, env: dict[str, str]) -> str:
    feed = workdir / f"{name}.ics"
    feed.write_text(BOMBS[name](), encoding="utf-8", newline="")
    config = workdir / f"{name}.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{name}.db"\n[cities.paris]\n'
                      'name = "Paris"\ntimezone = "Europe/Paris"\n[fetch]\n'
                      'max_bytes = 67108864\n[[feeds]]\nid = "bomb"\ncity = "paris"\n'
                      f'url = "{feed.name}"\n')
    cpu, rss, status = measure([sys.executable, "-m", "event_bridge", "--config", str(config),
                                "sync", "--once"], env)
    return f"{name:18} sync   cpu {cpu:6.2f} s  rss {rss:5d} MB  exit {status}"


def main(names: list[str]) -> None:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(BOMBS):
            print(run(name, Path(tmp), env), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

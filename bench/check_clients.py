"""Issue 3 acceptance 4 (run by hand): the merged feed must pass the real-client checker.

    python bench/check_clients.py sister-cities   # the labelled dataset
    python bench/check_clients.py corpus          # the 60 client-produced corpus files

``corpus`` merges every file of ``../shared/corpus/MANIFEST.tsv`` whose producer is Google,
Outlook, Apple, Thunderbird, Nextcloud or Meetup, marked ``parses``, that icalendar reads
without property errors, into one feed (publication window widened to cover their years),
then runs ``../shared/tools/check-feed/check_feed`` on the export.  Also runs the checker on
each raw file with ``--raw`` to count how many fail on their own.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHECK = SHARED / "tools/check-feed/check_feed"
PRODUCERS = {"Google", "Outlook", "Apple", "Thunderbird", "Nextcloud", "Meetup"}
CLIENTS = "ical.js,libical,icalendar,vobject,node-ical"
CITIES = ('[cities.paris]\nname = "Paris"\ntimezone = "Europe/Paris"\n'
          '[cities.san-francisco]\nname = "San Francisco"\ntimezone = "America/Los_Angeles"\n')


def corpus_files() -> list[Path]:
    with (SHARED / "corpus/MANIFEST.tsv").open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [SHARED / "corpus" / r["file"] for r in rows
            if r["producer"] in PRODUCERS and r["expect"] == "parses"
            and r["icalendar7"].startswith("ok") and "prop errors" not in r["icalendar7"]]


def slug(path: Path, i: int) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", f"{path.parent.name}-{path.stem}".lower()).strip("-")
    return f"c{i:02d}-{text}"[:60].strip("-")


def corpus_config(folder: Path) -> Path:
    lines = ['[database]\nurl = "sqlite:///corpus.db"\n', CITIES,
             "[publish]\npast_days = 20000\nfuture_days = 20000\n"]
    for i, path in enumerate(corpus_files()):
        lines.append(f'[[feeds]]\nid = "{slug(path, i)}"\ncity = "paris"\nurl = "{path}"\n')
    cfg = folder / "corpus.toml"
    cfg.write_text("\n".join(lines))
    return cfg


def sister_config(folder: Path) -> Path:
    src = SHARED / "datasets/sister-cities"
    text = (src / "feeds.toml").read_text().replace('url = "feeds/', f'url = "{src}/feeds/')
    cfg = folder / "sister.toml"
    cfg.write_text('[database]\nurl = "sqlite:///sister.db"\n' + text)
    return cfg


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=["sister-cities", "corpus"])
    ap.add_argument("--raw", action="store_true", help="also check each raw corpus file")
    ap.add_argument("--keep", help="write the merged feed here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = corpus_config(folder) if args.which == "corpus" else sister_config(folder)
        cli = [sys.executable, "-m", "event_bridge", "--config", str(cfg)]
        sync = run([*cli, "sync", "--once"])
        print(f"sync --once exit {sync.returncode}")
        print("\n".join(line for line in sync.stdout.splitlines()
                        if "failed" in line or "error" in line.lower()))
        merged = Path(args.keep) if args.keep else folder / "merged.ics"
        run([*cli, "export", "--output", str(merged)])
        for client_set in (CLIENTS, "ics-py"):
            check = run([str(CHECK), str(merged), "--no-khal", "--clients", client_set])
            print(check.stdout[-3000:])
        if args.raw and args.which == "corpus":
            raw_failures(corpus_files())


def raw_failures(files: list[Path]) -> None:
    failed = standards = 0
    for path in files:
        check = run([str(CHECK), str(path), "--no-khal", "--clients", CLIENTS])
        failed += check.returncode != 0
        standards += "FAIL " in check.stdout
    print(f"raw files: {len(files)}; checker verdict FAIL on {failed}; "
          f"a standards FAIL on {standards}")


if __name__ == "__main__":
    main()

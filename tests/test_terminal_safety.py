"""Issue 10, terminal safety: text from a feed is shown as text, never as Rich markup, and
no control or escape character reaches the terminal; the bridge's own ``[fetch]`` survives.
Through the real CLI (a subprocess) on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from event_bridge.cli.context import shown

EVIL = "\x1b[31m[link=http://evil.example]click[/link] [/x] [bold]\x1b]8;;http://x\x07\u202e"


def feed_text(uid: str, summary: str) -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260601T180000Z\r\n"
            f"DTEND:20260601T200000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def write(tmp_path: Path, max_bytes: int = 1_000_000) -> Path:
    (tmp_path / "evil.ics").write_text(feed_text("uid-[/x]\x1b[2J", EVIL), newline="")
    (tmp_path / "big.ics").write_text(feed_text("big", "x" * 2000), newline="")
    config = tmp_path / "bridge.toml"
    config.write_text(f"""[database]
url = "sqlite:///bridge.db"
[cities.paris]
name = "Paris"
timezone = "Europe/Paris"
[fetch]
max_bytes = {max_bytes}
[[feeds]]
id = "evil"
city = "paris"
url = "evil.ics"
[[feeds]]
id = "big"
city = "paris"
url = "big.ics"
""")
    return config


def clean_output(done: object) -> str:
    text = done.stdout + done.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in text and "MarkupError" not in text, text
    assert not any(ch in text for ch in "\x1b\x07\u202e"), repr(text)
    return text


def test_feed_text_is_never_markup_nor_escapes(tmp_path: Path) -> None:
    config = write(tmp_path)
    sync = run_cli("sync", "--once", config=config)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    clean_output(sync)
    events = run_cli("events", config=config, env={"COLUMNS": "400"})
    text = clean_output(events)
    assert events.returncode == 0
    assert "[link=http://evil.example]click[/link]" in text and "[/x]" in text
    uid = next(line.split()[1] for line in text.splitlines() if "[link=" in line)
    explained = run_cli("events", "--explain", uid, config=config)
    text = clean_output(explained)
    assert explained.returncode == 0, text
    assert "[/x] [bold]" in text and "uid-[/x]" in text


def test_the_bridges_own_brackets_survive(tmp_path: Path) -> None:
    config = write(tmp_path, max_bytes=1500)  # big.ics fails: "raise [fetch] max_bytes"
    sync = run_cli("sync", "--once", config=config)
    text = clean_output(sync)
    assert sync.returncode == 1
    assert "[fetch] max_bytes" in text, text
    feeds = run_cli("feeds", config=config, env={"COLUMNS": "400"})
    assert "[fetch] max_bytes" in clean_output(feeds)


def test_shown_replaces_every_control_character() -> None:
    text = shown("a\x1b[31mb\x07c\x9bd\u202ee\nf[red]g[/red]")
    assert text.plain == "a\ufffd[31mb\ufffdc\ufffdd\ufffde\ufffdf[red]g[/red]"
    assert text.spans == []

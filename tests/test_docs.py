"""Every CLI command is documented in the README (as sqlite-utils does), and the README
opens with the two commands CI and newcomers run."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from event_bridge.cli.app import app

ROOT = Path(__file__).resolve().parents[1]


def command_names() -> list[str]:
    group = typer.main.get_group(app)
    names = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return sorted(names)


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = command_names()
    assert {"sync", "export", "feeds", "check-config", "db upgrade", "serve", "run"} <= set(names)
    missing = [n for n in names if f"`event-bridge {n}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_opens_with_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    assert "sync --once" in blocks[0] and "export" in blocks[0]
    assert "pytest" in blocks[1] and ".[test]" in blocks[1]
    assert readme.index("```sh") < readme.index("## ")

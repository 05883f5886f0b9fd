"""Issue 13, acceptance 4: the image's build context (the root filtered by
``deploy/Dockerfile.dockerignore``) builds a wheel without any setuptools warning, and the
lock file the Dockerfile installs from pins every declared runtime dependency."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
IGNORE = ROOT / "deploy" / "Dockerfile.dockerignore"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go filepath.Match plus ``**``) as a regex on a path."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def in_context(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: the last matching pattern decides; a pattern matching a folder
    decides for everything inside it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    included = True
    for negated, regex in rules:
        if any(regex.fullmatch(p) for p in prefixes):
            included = negated
    return included


def docker_context(target: Path) -> Path:
    rules = []
    for line in IGNORE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            negated = line.startswith("!")
            rules.append((negated, _regex(line.removeprefix("!").strip("/"))))
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    for name in tracked:
        if in_context(name, rules) and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def test_context_holds_what_the_build_and_the_dockerfile_name(tmp_path: Path) -> None:
    context = docker_context(tmp_path / "context")
    needed = [*PROJECT["project"]["license-files"], PROJECT["project"]["readme"],
              "pyproject.toml", "requirements.lock", "deploy/event-bridge.toml"]
    for name in needed:
        assert (context / name).is_file(), f"{name} is missing from the Docker build context"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE):
        for name in source.split():
            assert (context / name).exists(), f"COPY {name}: not in the context"
    assert not (context / "tests").exists() and not (context / ".git").exists()


def test_lock_pins_every_runtime_dependency() -> None:
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {m.group(1).lower().replace("_", "-")
              for m in re.finditer(r"^([A-Za-z0-9_.-]+)==\S+ \\$", lock, re.MULTILINE)}
    wanted = [*PROJECT["project"]["dependencies"],
              *PROJECT["project"]["optional-dependencies"]["postgres"]]
    for spec in wanted:
        name = Requirement(spec).name.lower().replace("_", "-")
        assert name in pinned, f"{name} is declared but not in requirements.lock (refresh it)"
    assert "--hash=sha256:" in lock and "file://" not in lock and "/opt/" not in lock


def test_pre_one_dependencies_are_bounded() -> None:
    deps = [*PROJECT["build-system"]["requires"], *PROJECT["project"]["dependencies"],
            *(d for extra in PROJECT["project"]["optional-dependencies"].values()
              for d in extra)]
    for spec in deps:
        req = Requirement(spec)
        if req.name == "event-bridge":
            continue
        lower = [s.version for s in req.specifier if s.operator == ">="]
        if req.name == "setuptools" or (lower and lower[0].startswith("0.")):
            assert any(s.operator == "<" for s in req.specifier), f"{spec}: no upper bound"
    assert not any("uvicorn[standard]" in d for d in deps), "only the uvicorn extras used"


@pytest.mark.slow
def test_wheel_from_the_docker_context_builds_without_warnings(tmp_path: Path) -> None:
    context = docker_context(tmp_path / "context")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-v",
         "--wheel-dir", str(tmp_path / "wheels"), "."],
        cwd=context, capture_output=True, text=True, timeout=600)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert not re.search(r"SetuptoolsDeprecationWarning|SetuptoolsWarning|"
                         r"_DeprecatedConfig|UserWarning", log), log[-3000:]
    wheel = next((tmp_path / "wheels").glob("event_bridge-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "event_bridge/web/templates/index.html" in names

"""The two commands of a fresh clone: `make run` and `make test` (checked with `make -n`
where running them for real would install things)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make") or "make"
MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def make(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MAKE, "--no-print-directory", *args],
        cwd=cwd,
        # Not the flags of a `make test` this suite may be running under (-k, -j, ...).
        env={k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """What `make` sees in a fresh clone: no .venv yet."""
    for name in ["Makefile", "pyproject.toml"]:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def installs(plan: str) -> list[str]:
    return [line for line in plan.splitlines() if "pip install" in line and "-e" in line]


def test_it_installs_only_what_running_needs_for_make_run(fresh_clone):
    plan = make("-n", "run", cwd=fresh_clone)
    assert plan.returncode == 0, plan.stderr
    (install,) = installs(plan.stdout)
    assert install.endswith("pip install --quiet -e .")
    assert "dev" not in install
    assert plan.stdout.strip().endswith("conferbook serve --demo-if-empty")


def test_it_adds_the_development_tools_for_make_test(fresh_clone):
    plan = make("-n", "test", cwd=fresh_clone, CONFERBOOK_CHROMIUM="/bin/sh")
    assert plan.returncode == 0, plan.stderr
    assert [line.split("-e ")[1] for line in installs(plan.stdout)] == ['".[dev]"']


def test_it_serves_on_the_port_given_to_make_run(fresh_clone):
    plan = make("-n", "run", "PORT=8011", cwd=fresh_clone)
    assert plan.stdout.strip().endswith("conferbook serve --demo-if-empty --port 8011")


def test_it_stops_make_test_at_once_with_the_command_to_run_without_chromium(tmp_path):
    started = time.monotonic()
    result = make("test", CONFERBOOK_CHROMIUM=str(tmp_path / "no-chromium"))
    assert time.monotonic() - started < 10  # before installing, linting or testing anything
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert f"not found at {tmp_path / 'no-chromium'}" in out
    assert "CONFERBOOK_CHROMIUM=/path/to/chromium make test" in out
    assert "ruff" not in out and "pip" not in out

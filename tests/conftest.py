"""Shared test fixtures.

Tests that read the real datasets use the offline mirror named by ``JEVONS_DATA_MIRROR`` (CI sets
it to ``../shared/data``); without it they are skipped with a message saying so.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from model.cli import main

# Property tests draw the same examples on every run (a failure reproduces; CI is not flaky);
# HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

PROJECT_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli_subprocess(*args: str, env: dict | None = None,
                       cwd: str | os.PathLike | None = None) -> CliResult:
    """Run the real ``jevons`` command in a subprocess (as a user would): for what only a real
    process shows (exit on a signal, a closed or full stdout, the installed entry point)."""
    full_env = dict(os.environ)
    full_env.setdefault("PYTHONHASHSEED", "0")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "model", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or PROJECT_DIR,
        timeout=300,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def run_cli(*args: str, env: dict | None = None, cwd: str | os.PathLike | None = None) -> CliResult:
    """Run ``jevons ARGS`` in this process through :func:`model.cli.main`, with ``env`` added to
    the environment and ``cwd`` as the working directory for the call (both restored after).

    The same entry point as the installed command, without a new interpreter per call; use
    :func:`run_cli_subprocess` where a real process matters.
    """
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        if env:
            os.environ.update(env)
        os.chdir(cwd or PROJECT_DIR)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse errors and --help exit
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return CliResult(int(code or 0), out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def assert_one_line_error(result: CliResult, *fragments: str) -> None:
    """The project's error contract: exit 2, one line on stderr starting with 'error:'."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    # warnings (e.g. data used unverified on purpose) may precede the one error line
    lines = [line for line in result.stderr.splitlines()
             if line.strip() and not line.startswith("warning: ")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture(scope="session")
def mirror() -> Path:
    value = os.environ.get("JEVONS_DATA_MIRROR")
    if not value or not Path(value).is_dir():
        pytest.skip("JEVONS_DATA_MIRROR is not set to the offline data mirror")
    return Path(value)

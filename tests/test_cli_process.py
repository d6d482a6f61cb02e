"""The few things only a real ``jevons`` process shows: the installed entry points, exit status
through the shell, a closed pipe and Ctrl-C. Everything else runs in-process (conftest.run_cli)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, assert_one_line_error, run_cli, run_cli_subprocess

JEVONS = Path(sys.executable).with_name("jevons")


def test_python_dash_m_and_in_process_runs_write_the_same_bytes(tmp_path):
    real = run_cli_subprocess("run", "deepseek", "--out", str(tmp_path / "a"))
    here = run_cli("run", "deepseek", "--out", str(tmp_path / "b"))
    assert real.returncode == here.returncode == 0, real.stderr
    for name in ("results.csv", "summary.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_installed_command_reports_bad_input_in_one_line():
    done = subprocess.run([str(JEVONS), "run", "no-such-scenario"], capture_output=True, text=True,
                          cwd=PROJECT_DIR, timeout=120)
    assert_one_line_error(done, "no scenario named 'no-such-scenario'")


def test_help_exits_zero():
    done = run_cli_subprocess("--help")
    assert done.returncode == 0 and "calibrate" in done.stdout


def test_a_closed_pipe_is_not_a_traceback():
    done = subprocess.run(f"{JEVONS} list | head -n 1", shell=True, capture_output=True,
                          text=True, cwd=PROJECT_DIR, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr


@pytest.mark.parametrize("sig,code,line", [(signal.SIGINT, 130, "error: interrupted"),
                                           (signal.SIGTERM, 143, "error: terminated")])
def test_ctrl_c_and_sigterm_are_one_line_and_leave_no_output(tmp_path, sig, code, line):
    proc = subprocess.Popen(
        [sys.executable, "-m", "model", "run", "montecarlo", "--draws", "2000000",
         "--summary-only", "--out", str(tmp_path / "mc")],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # a shell without job control starts background jobs with SIGINT ignored, and Python
        # keeps an ignored SIGINT ignored: give the child the default disposition, as a terminal
        # would, so that Ctrl-C reaches it wherever the suite runs
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(3.0)  # well inside the run (about 12 s and 1.9 GB for 2e6 draws here)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == line
    assert not (tmp_path / "mc").exists()  # nothing half-written
    assert not list(tmp_path.glob(".*jevons-staging*"))

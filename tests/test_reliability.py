"""Hostile input through the command line: one error line, exit 2, within seconds, no traceback.

Each case reproduces a report of the reliability review (issue 12); the CLI runs in-process.
"""

from __future__ import annotations

import os

import pytest
from conftest import assert_one_line_error, run_cli


@pytest.mark.parametrize("grid,fragment", [
    ("demand.elasticity=1:1:1e-999999999", "outside floating-point range"),  # used to hang
    ("demand.elasticity=0.5:1.5:1e-30", "about 1e+30 points"),  # used to raise InvalidOperation
    ("demand.elasticity=0.5:0.5000000000000000001:1e-19", "too small to tell the grid points"),
    ("demand.elasticity=1e999999:2:1", "outside floating-point range"),
])
def test_grids_that_cannot_be_computed_are_refused(tmp_path, grid, fragment):
    result = run_cli("sweep", "deepseek", "--grid", grid, "--out", str(tmp_path / "s"))
    assert_one_line_error(result, "--grid demand.elasticity", fragment)
    assert not (tmp_path / "s").exists()


def test_a_set_value_nested_5000_deep_is_one_line(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    result = run_cli("run", "deepseek", "--set", f"demand.elasticity={deep}",
                     "--out", str(tmp_path / "r"))
    assert_one_line_error(result, "--set", "nested too deeply")


def test_a_scenario_file_nested_5000_deep_is_one_line(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert_one_line_error(run_cli("run", str(path), "--out", str(tmp_path / "r")),
                          "deep.toml", "nested too deeply")


def test_a_symlink_loop_is_one_line(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    os.symlink(b, a)
    os.symlink(a, b)
    assert_one_line_error(run_cli("run", str(a)), "a.toml", "no such scenario file")
    child = tmp_path / "child.toml"
    child.write_text('extends = "a.toml"\n')
    assert_one_line_error(run_cli("run", str(child)), "child.toml: extends")


def test_a_file_name_over_255_characters_is_one_line(tmp_path):
    result = run_cli("run", str(tmp_path / ("a" * 300 + ".toml")))
    assert_one_line_error(result, "allowed: an existing, readable .toml file")


def test_nul_and_control_characters_in_extends_are_escaped(tmp_path):
    path = tmp_path / "nul.toml"
    path.write_text('extends = "a\\u0000b\\u001b[31m"\n')
    result = run_cli("run", str(path))
    assert_one_line_error(result, "nul.toml: extends", "a\\x00b\\x1b[31m")
    assert "\x00" not in result.stderr and "\x1b" not in result.stderr


def test_a_fifo_or_a_folder_is_not_read_as_a_scenario(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert_one_line_error(run_cli("run", str(fifo)), "is a FIFO, not a regular file")  # no hang
    assert_one_line_error(run_cli("run", str(tmp_path)), "is a directory, not a regular file")


def test_a_run_that_would_not_fit_in_memory_is_refused_before_any_work(tmp_path):
    result = run_cli("run", "montecarlo", "--draws", "100000000", "--summary-only",
                     "--out", str(tmp_path / "mc"), env={"JEVONS_MEMORY_LIMIT_GB": "4"})
    assert_one_line_error(result, "--draws", "100,000,000 x 12 years needs about 89.6 GB",
                          "within 4.0 GB")
    assert not (tmp_path / "mc").exists()
    result = run_cli("run", "montecarlo", "--draws", "1000000", "--set", "time.end=2200",
                     "--summary-only", "--out", str(tmp_path / "mc"),
                     env={"JEVONS_MEMORY_LIMIT_GB": "4"})
    assert_one_line_error(result, "1,000,000 x 177 years needs about 13.3 GB")


def test_a_sweep_that_would_not_fit_in_memory_is_refused(monkeypatch):
    # Through the CLI the results-file row cap stops a sweep first; the API checks memory.
    from model.errors import ScenarioError
    from model.scenarios import load_scenario, parse_grid, run_sweep

    monkeypatch.setenv("JEVONS_MEMORY_LIMIT_GB", "1")
    scenario = load_scenario("deepseek", overrides=["time.end=2100"])
    with pytest.raises(ScenarioError, match="500,001 x 77 years needs about 3.0 GB"):
        run_sweep(scenario, [parse_grid("demand.elasticity=0:1:0.000002", scenario)])


def test_a_bad_memory_limit_is_named():
    result = run_cli("run", "deepseek", env={"JEVONS_MEMORY_LIMIT_GB": "lots"})
    assert_one_line_error(result, "JEVONS_MEMORY_LIMIT_GB", "'lots' is not a positive number")

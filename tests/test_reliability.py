"""Hostile input through the command line: one error line, exit 2, within seconds, no traceback.

Each case reproduces a report of the reliability review (issue 12); the CLI runs in-process.
"""

from __future__ import annotations

import os
from pathlib import Path

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


# --- outputs as a set ----------------------------------------------------------------------------
def _manifest(folder):
    import json

    return json.loads((folder / "manifest.json").read_text())


def test_a_run_writes_a_manifest_naming_its_files_and_inputs(tmp_path):
    from model.io import sha256_file

    out = tmp_path / "r"
    assert run_cli("run", "deepseek", "--set", "demand.substitution=0.8", "--out", str(out)).returncode == 0
    doc = _manifest(out)
    assert doc["files"] == {n: sha256_file(out / n) for n in ("results.csv", "summary.csv")}
    assert doc["meta"]["overrides"] == ["demand.substitution=0.8"]
    assert any(k.endswith("deepseek.toml") for k in doc["meta"]["files"])
    assert not list(tmp_path.glob(".*jevons-staging*"))  # no staging folder left behind


def test_a_failed_write_leaves_the_previous_set_whole(tmp_path, monkeypatch):
    import pandas as pd

    out = tmp_path / "r"
    assert run_cli("run", "montecarlo", "--draws", "50", "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = pd.DataFrame.to_csv
    calls = []

    def full_disk_on_second_file(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk_on_second_file)
    result = run_cli("run", "montecarlo", "--draws", "60", "--out", str(out))
    assert_one_line_error(result, f"--out {out}: cannot write (No space left on device)")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".*jevons-staging*"))


@pytest.mark.parametrize("step", ["manifest", "swap"])
def test_an_interrupt_at_each_step_of_the_swap_leaves_one_complete_set(tmp_path, monkeypatch, step):
    from model import io

    out = tmp_path / "r"
    assert run_cli("run", "montecarlo", "--draws", "50", "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(io.OutputSet, "_manifest" if step == "manifest" else "swap", interrupted)
    result = run_cli("run", "montecarlo", "--draws", "60", "--summary-only", "--out", str(out))
    assert result.returncode == 130 and result.stderr.strip() == "error: interrupted"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the old set, whole
    assert not list(tmp_path.glob(".*jevons-staging*"))


def test_the_swap_replaces_the_whole_set(tmp_path):
    out = tmp_path / "r"
    assert run_cli("run", "montecarlo", "--draws", "50", "--out", str(out)).returncode == 0
    assert run_cli("run", "montecarlo", "--draws", "60", "--summary-only", "--out", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "summary.csv"]
    assert _manifest(out)["meta"]["draws"] == 60


def test_a_staging_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    stale = tmp_path / ".r.jevons-staging-999999999-abc"  # no such process
    stale.mkdir()
    (stale / "results.csv").write_text("half")
    assert run_cli("run", "deepseek", "--out", str(tmp_path / "r")).returncode == 0
    assert not stale.exists()


def test_out_never_replaces_a_folder_of_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("run", "deepseek", "--out", str(tmp_path))
    assert_one_line_error(result, "holds files that are not this command's outputs (notes.txt)")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_exchange_swaps_two_folders_in_one_step(tmp_path):
    from model.io import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "old").write_text("1")
    (b / "new").write_text("2")
    if not _exchange(a, b):
        pytest.skip("this file system has no atomic exchange (the fallback is tested above)")
    assert [p.name for p in a.iterdir()] == ["new"] and [p.name for p in b.iterdir()] == ["old"]


@pytest.mark.parametrize("name,fragment", [
    ('"../../etc"', "contains a path separator"), ('".."', "is not a file name"),
    ('""', "is empty"), ('"a\\u0007b"', "'a\\x07b' contains a control character"),
    ('"' + "x" * 101 + '"', "has 101 characters"),
])
def test_a_name_that_is_not_a_plain_file_name_is_refused(tmp_path, name, fragment):
    result = run_cli("run", "deepseek", "--set", f"name={name}", "--out", str(tmp_path / "r"))
    assert_one_line_error(result, "--set name", fragment)


@pytest.mark.parametrize("args,fragment", [
    (("--permutations", "1000000000"), "permutations 1000000000: allowed: 1 to 1,000,000"),
    (("--seed", "-1"), "seed -1: allowed: an integer from 0"),
])
def test_event_counts_and_seeds_are_bounded(mirror, args, fragment):
    result = run_cli("event", "NVDA", "--date", "2025-01-27", "--window", "0,5", *args,
                     env={"JEVONS_OFFLINE": "1"})
    assert_one_line_error(result, fragment)


def test_a_full_stdout_is_one_line_and_exit_2():
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "model", "list"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr == "error: standard output: No space left on device\n"


def test_a_deleted_working_directory_is_not_a_traceback(tmp_path):
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    code = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
            "from model.cli import main; sys.exit(main(['run', 'nope']))")
    done = subprocess.run([sys.executable, "-c", code, str(gone)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: ")


# --- damaged facts tables ------------------------------------------------------------------------
def _facts_copy(tmp_path):
    import shutil

    from model.paths import FACTS_DIR

    target = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, target)
    return target


@pytest.mark.parametrize("value,fragment", [("-80", "value -80 USD bn is out of range"),
                                            ("0", "value 0 USD bn is out of range"),
                                            ("1e308", "value 1e308 USD bn is out of range")])
def test_a_capex_fact_out_of_range_names_the_row(tmp_path, value, fragment):
    facts = _facts_copy(tmp_path)
    path = facts / "capex.csv"
    path.write_text(path.read_text().replace("capex_guidance_fy2025_microsoft,80,",
                                             f"capex_guidance_fy2025_microsoft,{value},", 1))
    result = run_cli("data", "facts", env={"JEVONS_FACTS_DIR": str(facts)})
    assert_one_line_error(result, "capex.csv: line 2 (capex_guidance_fy2025_microsoft)", fragment)


def test_a_fifo_or_a_device_in_the_facts_folder_is_refused_without_blocking(tmp_path):
    facts = _facts_copy(tmp_path)
    os.mkfifo(facts / "zz_fifo.csv")
    result = run_cli("data", "facts", env={"JEVONS_FACTS_DIR": str(facts)})
    assert_one_line_error(result, "zz_fifo.csv: not a regular file")
    os.unlink(facts / "zz_fifo.csv")
    os.symlink("/dev/zero", facts / "zz_zero.csv")
    result = run_cli("data", "facts", env={"JEVONS_FACTS_DIR": str(facts)})
    assert_one_line_error(result, "zz_zero.csv: not a regular file")


# --- damaged data is never used silently -------------------------------------------------------
def _damaged_mirror(tmp_path, mirror):
    """A copy of the mirror whose NVDA adjusted close of 2025-01-27 reads 128.41 (the true
    118.38); every other file is the shipped one."""
    import shutil

    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    path = copy / "market" / "NVDA.csv"
    lines = path.read_text().splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("2025-01-27,"))
    fields = lines[i].split(",")
    fields[5] = "128.41"
    lines[i] = ",".join(fields)
    path.write_text("".join(lines))
    return copy


def test_a_damaged_mirror_file_is_refused_naming_the_file_and_the_fix(tmp_path, mirror):
    env = {"JEVONS_DATA_MIRROR": str(_damaged_mirror(tmp_path, mirror)), "JEVONS_OFFLINE": "1",
           "JEVONS_CACHE_DIR": str(tmp_path / "cache")}
    result = run_cli("event", "NVDA", "--date", "2025-01-27", env=env)
    assert_one_line_error(result, "market/NVDA.csv: sha256", "differs from the manifest",
                          "JEVONS_ALLOW_UNVERIFIED_DATA=1")
    assert_one_line_error(run_cli("calibrate", env=env), "market/NVDA.csv: sha256")


def test_the_opt_out_uses_the_file_and_names_it_in_a_warning(tmp_path, mirror):
    import json

    env = {"JEVONS_DATA_MIRROR": str(_damaged_mirror(tmp_path, mirror)), "JEVONS_OFFLINE": "1",
           "JEVONS_CACHE_DIR": str(tmp_path / "cache"), "JEVONS_ALLOW_UNVERIFIED_DATA": "1"}
    result = run_cli("event", "NVDA", "--date", "2025-01-27", "--json", env=env)
    assert result.returncode == 0
    assert result.stderr.startswith("warning: using ") and "NVDA.csv" in result.stderr
    assert json.loads(result.stdout)["car"] > -0.10  # the damaged close moves the estimate


def test_calibrate_bad_as_of_and_unwritable_out_are_one_line(tmp_path, mirror):
    env = {"JEVONS_OFFLINE": "1"}
    assert_one_line_error(run_cli("calibrate", "--as-of", "", env=env),
                          "--as-of: '' is not a date; allowed: YYYY-MM-DD")
    assert_one_line_error(run_cli("calibrate", "--out", str(tmp_path), env=env),
                          f"--out {tmp_path}: cannot write (Is a directory)")
    # refused before the fit runs, so each of these takes well under a second
    missing = tmp_path / "no" / "such" / "fit.json"
    assert_one_line_error(run_cli("calibrate", "--out", str(missing), env=env),
                          f"--out {missing}: cannot write (No such file or directory)")
    assert_one_line_error(run_cli("calibrate", "--out", "/proc/self/status", env=env),
                          "--out /proc/self/status: cannot write (")

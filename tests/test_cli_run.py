"""``jevons run | sweep | list | show`` through the real CLI, with the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_line_error, run_cli

from model.engine import schema
from model.output.results_files import QUANTILES, RESULT_COLUMNS
from model.scenarios.loader import load_scenario
from model.scenarios.overrides import grid_points, grid_values, parse_grid
from model.scenarios.runs import run_scenario, sample, simulate_values

N_VARIABLES_MAX = len(schema.OUTPUT_UNITS)


def read(path):
    return pd.read_csv(path)


# --- run ---------------------------------------------------------------------------------------
def test_run_writes_long_results_and_summary(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "deepseek", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    results = read(out / "results.csv")
    assert list(results.columns) == RESULT_COLUMNS
    assert set(results["scenario"]) == {"deepseek"} and set(results["draw"]) == {0}
    assert sorted(set(results["year"])) == list(range(2024, 2036))
    for variable, part in results.groupby("variable"):
        assert set(part["unit"]) == {schema.OUTPUT_UNITS[variable]}
        assert len(part) == 12
    spend = results[results["variable"] == "compute_spend"].set_index("year")["value"]
    assert spend[2024] == pytest.approx(223.0)  # normalised to base-year spend
    summary = read(out / "summary.csv")
    assert (summary["draws"] == 1).all()
    merged = summary.merge(results, on=["year", "variable"])
    for column in ["mean", *QUANTILES]:
        np.testing.assert_array_equal(merged[column], merged["value"])
    # The printed table: a header, the three headline variables, and what was written.
    lines = result.stdout.splitlines()
    assert lines[0] == "deepseek: 1 draw, 2024-2035"
    header = next(i for i, line in enumerate(lines) if line.startswith("variable"))
    assert lines[header].split()[:2] == ["variable", "unit"]
    assert [line.split()[0] for line in lines[header + 1:header + 4]] == [
        "compute_spend", "flop_demand", "nvidia_dc_revenue"]
    assert lines[-1] == f"wrote {out / 'results.csv'}, {out / 'summary.csv'}"


def test_montecarlo_is_bit_identical_for_a_seed_and_moves_with_it(tmp_path):
    runs = {}
    for tag, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        out = tmp_path / tag
        result = run_cli("run", "montecarlo", "--draws", "200", "--seed", seed, "--out", str(out))
        assert result.returncode == 0, result.stderr
        runs[tag] = ((out / "results.csv").read_bytes(), (out / "summary.csv").read_bytes())
    assert runs["a"] == runs["b"]
    assert runs["a"][0] != runs["c"][0] and runs["a"][1] != runs["c"][1]
    assert result.stdout.startswith("montecarlo: 200 draws, seed 8, 2024-2035")


def test_montecarlo_summary_matches_numpy_on_results(tmp_path):
    out = tmp_path / "mc"
    result = run_cli("run", "montecarlo", "--draws", "300", "--out", str(out))
    assert result.returncode == 0, result.stderr
    results, summary = read(out / "results.csv"), read(out / "summary.csv")
    assert len(results) == 300 * 12 * results["variable"].nunique()
    assert "median [5%, 95%]" in result.stdout
    for (variable, year), part in results.groupby(["variable", "year"]):
        row = summary[(summary["variable"] == variable) & (summary["year"] == year)].iloc[0]
        values = part.sort_values("draw")["value"].to_numpy()
        assert row["draws"] == 300
        for column, q in QUANTILES.items():
            assert row[column] == np.quantile(values, q), (variable, year, column)
        assert row["mean"] == pytest.approx(values.mean(), rel=1e-13)


def test_draws_on_a_deterministic_scenario_run_once_with_a_note(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "jevons", "--draws", "500", "--out", str(out))
    assert result.returncode == 0
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert notes == ["note: scenario 'jevons' has no distributions: running 1 draw instead of "
                     "500 (every draw would be the same)"]
    assert set(read(out / "results.csv")["draw"]) == {0}


def test_default_output_folder_is_out_slash_name(tmp_path):
    result = run_cli("run", "baseline", "--variables", "compute_spend", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "baseline" / "results.csv").is_file()
    assert set(read(tmp_path / "out" / "baseline" / "results.csv")["variable"]) == {"compute_spend"}


def test_summary_only_writes_only_the_summary_and_removes_a_stale_results_file(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", "montecarlo", "--draws", "50", "--out", str(out)).returncode == 0
    result = run_cli("run", "montecarlo", "--draws", "60", "--summary-only", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "summary.csv"]
    assert "removed" in result.stderr
    assert (read(out / "summary.csv")["draws"] == 60).all()


def test_too_many_rows_stops_before_any_work(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "montecarlo", "--draws", "100000", "--out", str(out))
    rows = 100_000 * 12 * 11  # the 11 variables a budget-share run writes
    assert_one_line_error(result, f"error: {out / 'results.csv'}: would have {rows:,} rows",
                          "allowed: at most 5,000,000 (use --summary-only")
    assert not out.exists()


@pytest.mark.parametrize(("args", "fragments"), [
    (["--draws", "0"], ["error: --draws: got 0", "allowed: an integer in [1, 1e+08]"]),
    (["--seed", "-1"], ["error: --seed: got -1", "allowed: an integer in [0,"]),
    (["--draws", "many"], ["error: jevons run: argument --draws: invalid int value: 'many'"]),
    (["--variables", "compute_spnd"], ["error: --variables: unknown variable 'compute_spnd' "
                                       "(did you mean 'compute_spend'?)", "allowed: compute_spend"]),
    (["--years", "2040"], ["error: --years: '2040' is not a simulated year",
                           "allowed: years 2024 to 2035"]),
])
def test_bad_run_options(tmp_path, args, fragments):
    out = tmp_path / "out"
    assert_one_line_error(run_cli("run", "montecarlo", "--out", str(out), *args), *fragments)
    assert not out.exists()


def test_out_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    assert_one_line_error(run_cli("run", "baseline", "--out", str(target)),
                          f"error: --out {target}: exists and is not a folder")
    assert target.read_text() == "x"


# --- in process: sampling then chunked simulation ------------------------------------------------
def test_results_do_not_depend_on_chunking():
    scenario = load_scenario("montecarlo")
    values = sample(scenario, 1000, 3)
    whole = simulate_values(values, 1000, chunk_draws=1000)
    chunked = simulate_values(values, 1000, chunk_draws=128, progress=False)
    assert whole.n_draws == chunked.n_draws == 1000
    for name, arr in whole.variables.items():
        np.testing.assert_array_equal(chunked.variables[name], arr, err_msg=name)


def test_run_scenario_defaults_come_from_the_file():
    run = run_scenario(load_scenario("montecarlo", ["montecarlo.draws=40", "montecarlo.seed=5"]))
    assert (run.n_draws, run.seed) == (40, 5)
    assert run.values["demand"]["substitution"].shape == (40,)
    assert run.result.variables["compute_spend"].shape == (40, 12)


# --- sweep ------------------------------------------------------------------------------------
def test_grid_values_are_exact_decimals_and_include_stop():
    from decimal import Decimal as D

    np.testing.assert_array_equal(grid_values(D("0"), D("1"), D("0.1")),
                                  [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    np.testing.assert_array_equal(grid_values(D("0.5"), D("1"), D("0.3")), [0.5, 0.8])
    np.testing.assert_array_equal(grid_values(D("1e3"), D("3e3"), D("1e3")), [1000, 2000, 3000])


def test_grid_points_are_the_cartesian_product_first_grid_slowest():
    s = load_scenario("deepseek")
    grids = [parse_grid("demand.elasticity=0.5:1.5:0.5", s),
             parse_grid("efficiency.shocks.0.factor=10:20:10", s)]
    points = grid_points(grids)
    assert list(points.columns) == ["draw", "demand.elasticity", "efficiency.shocks[0].factor"]
    assert points.values.tolist() == [[0, 0.5, 10], [1, 0.5, 20], [2, 1.0, 10], [3, 1.0, 20],
                                      [4, 1.5, 10], [5, 1.5, 20]]


def test_sweep_matches_single_runs_and_writes_grid_csv(tmp_path):
    out = tmp_path / "sweep"
    result = run_cli("sweep", "deepseek", "--set", "demand.form=isoelastic",
                     "--grid", "demand.elasticity=0.5:1.5:0.5",
                     "--grid", "efficiency.shocks.0.factor=10:20:10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    grid = read(out / "grid.csv")
    assert grid["draw"].tolist() == list(range(6))
    results = read(out / "results.csv")
    assert list(results.columns) == RESULT_COLUMNS and sorted(set(results["draw"])) == list(range(6))
    # Point 3 (elasticity 1.0, factor 20) equals a plain run with those values set.
    single = tmp_path / "single"
    assert run_cli("run", "deepseek", "--set", "demand.form=isoelastic", "--set", "demand.elasticity=1.0", "--set",
                   "efficiency.shocks.0.factor=20", "--out", str(single)).returncode == 0
    one = read(single / "results.csv")
    point = results[results["draw"] == 3].reset_index(drop=True)
    np.testing.assert_allclose(point["value"], one["value"], rtol=1e-12)
    # The layout maps draws to the right points: at elasticity 1 (points 2 and 3), with no demand
    # growth, spend stays at its base-year level whatever the shock (X = D c^0 a^0).
    spend = results[results["variable"] == "compute_spend"]
    unit_elastic = spend[spend["draw"].isin(grid.loc[grid["demand.elasticity"] == 1.0, "draw"])]
    assert sorted(set(unit_elastic["draw"])) == [2, 3]
    np.testing.assert_allclose(unit_elastic["value"], 223.0, rtol=1e-12)
    assert not np.allclose(spend[spend["draw"] == 0]["value"].iloc[-1], 223.0)
    lines = result.stdout.splitlines()
    assert lines[0] == "deepseek: 6 grid points; compute spend in 2035 (USD bn)"
    assert lines[1].split() == ["draw", "demand.elasticity", "efficiency.shocks[0].factor",
                                "compute_spend_2035"]
    assert len(lines) == 2 + 6 + 1


def test_sweep_overrides_a_distribution_but_other_distributions_are_errors(tmp_path):
    out = tmp_path / "out"
    result = run_cli("sweep", "montecarlo", "--grid", "demand.substitution=0.5:1.5:0.5",
                     "--out", str(out))
    assert_one_line_error(result, "error: scenarios/montecarlo.toml: hardware.doubling_years: "
                          "is a distribution (normal(mean=2.46, sd=0.12)) but sweeps are "
                          "deterministic", "allowed: a number (--set hardware.doubling_years=VALUE)")
    assert not out.exists()
    ok = run_cli("sweep", "montecarlo", "--grid", "demand.substitution=0.5:1.5:0.5",
                 "--set", "hardware.doubling_years=2.46", "--set", "efficiency.doubling_years=0.67",
                 "--set", "efficiency.shocks.0.factor=11", "--set", "efficiency.shocks.0.coverage=1",
                 "--out", str(out))
    assert ok.returncode == 0, ok.stderr


def test_big_sweep_truncates_the_table(tmp_path):
    out = tmp_path / "out"
    result = run_cli("sweep", "deepseek", "--grid", "demand.substitution=0.01:3.01:0.01",
                     "--variables", "compute_spend", "--years", "2035", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "(281 more rows in results.csv)" in result.stdout
    assert len(read(out / "results.csv")) == 301


@pytest.mark.parametrize(("grid", "fragments"), [
    ("demand.elasticity", ["error: --grid demand.elasticity: expected KEY=START:STOP:STEP"]),
    ("demand.elasticity=0:1", ["error: --grid demand.elasticity: expected START:STOP:STEP, got '0:1'"]),
    ("demand.elasticity=0:1:0", ["error: --grid demand.elasticity: STEP 0 is not positive",
                                 "allowed: STEP > 0"]),
    ("demand.elasticity=0:1:-0.1", ["STEP -0.1 is not positive"]),
    ("demand.elasticity=1:0:0.1", ["STOP 0 is below START 1"]),
    ("demand.elasticity=a:1:0.1", ["START 'a' is not a finite number"]),
    ("demand.elasticity=0:nan:0.1", ["STOP 'nan' is not a finite number"]),
    ("demand.elasticity=0:12:1", ["grid value 12 is out of range for demand.elasticity",
                                  "allowed: a number in [0, 10]"]),
    ("demand.form=0:1:1", ["demand.form is a str key and cannot be swept",
                           "allowed: a numeric (float) key"]),
    ("time.end=2030:2040:1", ["time.end is an integer key that sets the shape of the run"]),
    ("demand.elastic=0:1:0.1", ["error: --grid demand.elastic: unknown key (did you mean 'elasticity'?)"]),
    ("efficiency.shocks.3.factor=1:2:1", ["efficiency.shocks has 1 item"]),
    ("demand.elasticity=0:10:0.000001", ["10,000,001 points", "allowed: at most 1,000,000 points"]),
])
def test_bad_grids(tmp_path, grid, fragments):
    out = tmp_path / "out"
    assert_one_line_error(run_cli("sweep", "deepseek", "--grid", grid, "--out", str(out)), *fragments)
    assert not out.exists()


def test_sweep_rows_over_the_cap_and_duplicate_grids(tmp_path):
    out = tmp_path / "big"
    big = run_cli("sweep", "deepseek", "--grid", "demand.elasticity=0:9.99:0.01",
                  "--grid", "demand.growth=0:5:0.1", "--out", str(out))
    assert_one_line_error(big, f"error: {out / 'results.csv'}: would have 5,508,000 rows"
                          if N_VARIABLES_MAX == 9 else "would have", "allowed: at most")
    twice = run_cli("sweep", "deepseek", "--grid", "demand.elasticity=0:1:0.5",
                    "--grid", "demand.elasticity=0:2:0.5", "--out", str(tmp_path / "o"))
    assert_one_line_error(twice, "error: --grid demand.elasticity: given twice")


def test_grid_product_over_the_point_cap(tmp_path):
    out = tmp_path / "out"
    result = run_cli("sweep", "deepseek", "--grid", "demand.elasticity=0:10:0.01",
                     "--grid", "demand.growth=0:10:0.01", "--variables", "compute_spend",
                     "--years", "2035", "--out", str(out))
    assert_one_line_error(result, "error: --grid: 1001 x 1001 = 1,002,001 points",
                          "allowed: at most 1,000,000 points")
    assert not out.exists()


# --- list and show ----------------------------------------------------------------------------
def test_list_shows_every_scenario():
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "type", "demand", "form", "elasticity", "description"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"baseline", "deepseek", "montecarlo", "segments", "fft", "ecp-60x"} <= set(rows)
    assert "σ lognormal(median=1.1, sigma=0.09)" in rows["montecarlo"]
    assert "training σ 1, inference σ 1.2" in rows["segments"]
    assert rows["ecp-60x"].split()[1] == "ecp"
    assert "INVALID" not in result.stdout


def test_show_gives_value_unit_origin_and_source():
    result = run_cli("show", "montecarlo", "--set", "demand.growth=0.1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("montecarlo: scenarios/montecarlo.toml <- scenarios/deepseek.toml "
                        "<- scenarios/baseline.toml")
    rows = {line.split()[0]: line for line in lines[3:]}
    assert "lognormal(median=1.1, sigma=0.09)" in rows["demand.substitution"]
    assert "scenarios/montecarlo.toml" in rows["demand.substitution"]
    assert "--set demand.growth" in rows["demand.growth"]
    assert rows["time.start"].split()[1:3] == ["2024", "year"]
    assert "comment in scenarios/montecarlo.toml" in rows["hardware.doubling_years"]  # a distribution set by the file
    assert "uniform(low=0.3, high=1)" in rows["efficiency.shocks[0].coverage"]
    assert " default " in rows["ecp.gain"]
    keys = set(rows)
    expected = {f.key for f in schema.FIELDS
                if "[]" not in f.key and f.key not in ("extends", "efficiency.shocks")}
    assert expected <= keys


def test_show_credits_a_value_a_file_sets_to_that_file():
    result = run_cli("show", "jevons")
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("demand.substitution "))
    assert "comment in scenarios/jevons.toml" in row and "Demirer" not in row

"""Bad scenario input through the real CLI: exit 2, one line ``error: <file>: <key>: <problem>;
allowed: <what>``, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_cli


def run_file(tmp_path: Path, text: str, *extra: str, name: str = "bad"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", str(path), "--out", str(out), *extra)
    assert not (out / "results.csv").exists() and not (out / "summary.csv").exists()
    return result, str(path)


# One case per class of bad input: (file text, fragments the message must contain).
CASES = {
    "unknown key with did-you-mean": (
        "[demand]\nelastcity = 1.5\n",
        ["demand.elastcity: unknown key (did you mean 'elasticity'?)", "allowed: form, elasticity"]),
    "key in the wrong section": (
        "elasticity = 1.5\n", ["elasticity: unknown key or section (did you mean 'demand.elasticity'?)"]),
    "unknown section": (
        "[demnd]\nelasticity = 1.5\n",
        ["demnd: unknown key or section (did you mean 'demand'?)", "allowed: name, description"]),
    "section given as a value": (
        "demand = 3\n", ["demand: expected a table, got 3", "allowed: a [demand] table"]),
    "string for a number": (
        '[demand]\nelasticity = "1.5"\n',
        ["demand.elasticity: expected a number, got a string ('1.5')", "allowed: a number in [0, 10]"]),
    "bool is not a number": (
        "[demand]\nelasticity = true\n",
        ["demand.elasticity: expected a number, got a boolean (true)", "allowed: a number in [0, 10]"]),
    "non-integral float for an int key": (
        "[time]\nend = 2030.5\n",
        ["time.end: expected an integer, got 2030.5", "allowed: an integer in [1990, 2200]"]),
    "number for a bool": (
        "[supply]\nform = 1\n", ["supply.form: expected a string, got 1", "allowed: one of 'elastic'"]),
    "removed key": (
        "[supply]\ncapped = true\n", ["supply.capped: was removed", "supply.form = 'upward-sloping'"]),
    "removed form": (
        '[demand]\nform = "partial-adjustment"\n', ["demand.form: 'partial-adjustment' was removed",
                                                    "demand.persistence"]),
    "shock naming an unknown segment": (
        '[[efficiency.shocks]]\nyear = 2025\nfactor = 2\nsegments = ["training"]\n',
        ["efficiency.shocks[0].segments: shock 0 (no label) names the unknown segment 'training'",
         "allowed: 'all'"]),
    "shock segments not an array": (
        '[[efficiency.shocks]]\nyear = 2025\nfactor = 2\nsegments = "training"\n',
        ["efficiency.shocks[0].segments: expected an array of names", "allowed: an array"]),
    "budget below base spend": (
        "[budget]\nusd_bn = 100.0\n", ["budget.usd_bn: not above base.spend_usd_bn", "allowed: a budget above"]),
    "substitution zero": (
        "[demand]\nsubstitution = 0\n", ["demand.substitution: got 0, out of range", "allowed: a number in (0, 10]"]),
    "supply elasticity zero": (
        "[supply]\nelasticity = 0\n", ["supply.elasticity: got 0, out of range", "allowed: a number in (0, 1000]"]),
    "bad choice with did-you-mean": (
        '[demand]\nform = "saturated"\n',
        ["demand.form: got 'saturated' (did you mean 'saturating'?)", "allowed: one of 'budget-share'"]),
    "out of range": (
        "[demand]\nelasticity = 11\n", ["demand.elasticity: got 11, out of range", "allowed: a number in [0, 10]"]),
    "open bound": (
        "[hardware]\nutilisation = 0\n", ["hardware.utilisation: got 0, out of range", "allowed: a number in (0, 1]"]),
    "nan": (
        "[demand]\nelasticity = nan\n", ["demand.elasticity: got nan (not a finite number)", "allowed: a number in [0, 10]"]),
    "inf": (
        "[base]\nspend_usd_bn = inf\n", ["base.spend_usd_bn: got inf (not a finite number)", "allowed: a number in (0, 100000]"]),
    "-inf": (
        "[demand]\ngrowth = -inf\n", ["demand.growth: got -inf (not a finite number)", "allowed: a number in [-0.9, 10]"]),
    "too many shocks": (
        "".join(f"[[efficiency.shocks]]\nyear = {2025 + i}\nfactor = 2\n" for i in range(7)),
        ["efficiency.shocks: 7 given, too many", "allowed: at most 6"]),
    "too many segments": (
        '[demand]\nform = "segments"\n' + "".join(
            f'[[demand.segments]]\nname = "s{i}"\nshare = 0.1\nelasticity = 1\n' for i in range(9)),
        ["demand.segments: 9 given, too many", "allowed: at most 8"]),
    "shocks not an array of tables": (
        "[efficiency]\nshocks = 3\n", ["efficiency.shocks: expected an array of tables, got 3", "allowed: [[efficiency.shocks]]"]),
    "unknown key in a shock": (
        "[[efficiency.shocks]]\nyear = 2025\nfactr = 2\n",
        ["efficiency.shocks[0].factr: unknown key (did you mean 'factor'?)", "allowed: year, factor"]),
    "missing required key": (
        "[[efficiency.shocks]]\nyear = 2025\n",
        ["efficiency.shocks[0].factor: missing (required)", "allowed: a number in (0, 1e+09]"]),
    "shock value out of range": (
        "[[efficiency.shocks]]\nyear = 2025\nfactor = 2\ncoverage = 1.5\n",
        ["efficiency.shocks[0].coverage: got 1.5, out of range", "allowed: a number in [0, 1]"]),
    "time.end not after time.start": (
        "[time]\nstart = 2030\nend = 2030\n",
        ["time.end: 2030 is not after time.start = 2030", "allowed: time.end > time.start"]),
    "segments form without segments": (
        '[demand]\nform = "segments"\n',
        ["demand.form: 'segments' needs [[demand.segments]] tables", "allowed: 1 to 8 segments"]),
    "duplicate segment names": (
        '[demand]\nform = "segments"\n' + "".join(
            '[[demand.segments]]\nname = "x"\nshare = 0.5\nelasticity = 1\n' for _ in range(2)),
        ["demand.segments[1].name: duplicate segment name 'x'", "allowed: unique names"]),
    "segment shares not summing to 1": (
        '[demand]\nform = "segments"\n[[demand.segments]]\nname = "a"\nshare = 0.5\nelasticity = 1\n'
        '[[demand.segments]]\nname = "b"\nshare = 0.4\nelasticity = 1\n',
        ["demand.segments: shares do not sum to 1: sum of shares = 0.9", "allowed: shares summing to 1"]),
    "segments with another form": (
        '[[demand.segments]]\nname = "a"\nshare = 1.0\nelasticity = 1\n',
        ["demand.segments: given but demand.form is 'budget-share'", "allowed: segments only with demand.form = 'segments'"]),
    "fft beta not below the cost exponents": (
        'type = "fft"\n[fft]\nbeta = 1.0\n',
        ["fft.beta: not below both cost exponents: fft.beta = 1, fft.kappa_old = 2, fft.kappa_new = 1",
         "allowed: fft.beta < min(fft.kappa_old, fft.kappa_new)"]),
    "fft beta distribution whose support crosses the exponent": (
        'type = "fft"\n[fft]\nbeta = { dist = "uniform", low = 0.5, high = 1.5 }\n',
        ["fft.beta: uniform(low=0.5, high=1.5) reaches 1.5", "allowed: a distribution whose support lies below"]),
    "fft n0 not below n_max": (
        'type = "fft"\n[fft]\nn0_log2 = 40\n',
        ["fft.n0_log2: not below fft.n_max_log2: fft.n0_log2 = 40, fft.n_max_log2 = 40",
         "allowed: fft.n0_log2 < fft.n_max_log2"]),
    "unknown distribution with did-you-mean": (
        '[demand]\nelasticity = { dist = "lognorml", median = 1.1, sigma = 0.3 }\n',
        ["demand.elasticity: unknown distribution 'lognorml' (did you mean 'lognormal'?)",
         "allowed: dist = one of 'normal', 'lognormal', 'uniform', 'triangular'"]),
    "distribution missing a parameter": (
        '[demand]\nelasticity = { dist = "normal", mean = 1.1 }\n',
        ["demand.elasticity: normal is missing sd", "allowed: { dist = 'normal', mean = ..., sd = ... }"]),
    "distribution with an extra parameter": (
        '[demand]\nelasticity = { dist = "uniform", low = 1, high = 2, mode = 1.5 }\n',
        ["demand.elasticity: unknown parameter 'mode' for uniform", "allowed: { dist = 'uniform', low = ..., high = ... }"]),
    "distribution on a key that may not be random": (
        '[fft]\nkappa_old = { dist = "normal", mean = 2, sd = 0.1 }\n',
        ["fft.kappa_old: may not be a distribution", "allowed: a number in (0, 10]"]),
    "distribution parameter out of range": (
        '[efficiency]\ndoubling_years = { dist = "uniform", low = 0.01, high = 1 }\n',
        ["efficiency.doubling_years: uniform: low = 0.01 is outside the key's range", "allowed: low a number in [0.05, 100]"]),
    "distribution with a bad sd": (
        '[hardware]\ndoubling_years = { dist = "normal", mean = 2.46, sd = -0.1 }\n',
        ["hardware.doubling_years: normal: sd = -0.1", "allowed: sd > 0"]),
    "triangular mode outside": (
        '[demand]\nelasticity = { dist = "triangular", low = 1, mode = 3, high = 2 }\n',
        ["demand.elasticity: triangular: mode = 3 is outside [low, high]", "allowed: low <= mode <= high"]),
    "lognormal on a key that may be negative": (
        '[demand]\ngrowth = { dist = "lognormal", median = 0.1, sigma = 0.2 }\n',
        ["demand.growth: lognormal: the key may take values <= 0", "allowed: lognormal only for keys whose range is positive"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_scenario_file(tmp_path, case):
    text, fragments = CASES[case]
    result, path = run_file(tmp_path, text)
    assert_one_line_error(result, f"error: {path}: ", "; allowed: ", *fragments)


def test_malformed_toml_names_line_and_column(tmp_path):
    result, path = run_file(tmp_path, "[demand]\nelasticity = 1.5\n[supply\n")
    assert_one_line_error(result, f"error: {path}: malformed TOML:", "(at line 3, column 8)",
                          "allowed: TOML syntax")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('description = "caf\u00e9"\n'.encode("latin-1"))
    assert_one_line_error(run_cli("run", str(path)), f"{path}: not UTF-8 text", "allowed:")


def test_missing_scenario_by_name_lists_the_available_ones():
    result = run_cli("run", "deepsek")
    assert_one_line_error(result, "error: deepsek: no scenario named 'deepsek'",
                          "looked for", "scenarios/deepsek.toml", "(did you mean 'deepseek'?)",
                          "allowed: a path to a .toml file or one of baseline, deepseek")


def test_missing_scenario_by_path(tmp_path):
    missing = tmp_path / "nope.toml"
    assert_one_line_error(run_cli("run", str(missing)), f"error: {missing}: no such scenario file",
                          "allowed: a path to a .toml file or one of baseline")


def test_unknown_extends_names_the_extending_file(tmp_path):
    result, path = run_file(tmp_path, 'extends = "basline"\n')
    assert_one_line_error(result, f"error: {path}: extends: no scenario named 'basline'",
                          "(did you mean 'baseline'?)", "allowed: a path to a .toml file")


def test_circular_extends(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "bad"\n')
    result, path = run_file(tmp_path, 'extends = "a"\n')
    assert_one_line_error(result, f"{tmp_path / 'a.toml'}: extends: circular extends: ",
                          f"{path} -> {tmp_path / 'a.toml'} -> {path}",
                          "allowed: a chain ending in a scenario without extends")


def test_an_error_in_a_parent_names_the_parent(tmp_path):
    (tmp_path / "parent.toml").write_text("[demand]\nelasticity = -1\n")
    result, _ = run_file(tmp_path, 'extends = "parent"\n')
    assert_one_line_error(result, f"error: {tmp_path / 'parent.toml'}: demand.elasticity: got -1")


def test_distribution_violating_a_cross_field_rule_in_some_draws(tmp_path):
    text = 'type = "fft"\n[fft]\nbeta = { dist = "normal", mean = 0.9, sd = 0.1 }\n'
    result, path = run_file(tmp_path, text, "--draws", "1000")
    assert_one_line_error(result, f"error: {path}: fft.beta: not below both cost exponents: in ",
                          "of 1000 draws or grid points (first: index",
                          "allowed: fft.beta < min(fft.kappa_old, fft.kappa_new)")


# --- --set overrides -------------------------------------------------------------------------
SET_CASES = {
    "demand.elasticty=1.5": ["error: --set demand.elasticty: unknown key (did you mean 'elasticity'?)",
                             "allowed: form, elasticity"],
    "demand.elasticity=abc": ["error: --set demand.elasticity: expected a number, got a string ('abc')",
                              "allowed: a number in [0, 10]"],
    "demand.elasticity=-1": ["error: --set demand.elasticity: got -1, out of range",
                             "allowed: a number in [0, 10]"],
    "demand.elasticity=inf": ["error: --set demand.elasticity: got inf (not a finite number)"],
    "demand.elasticity": ["error: --set demand.elasticity: expected KEY=VALUE", "allowed: e.g."],
    "demand=1": ["error: --set demand: [demand] is a section", "allowed: one of its keys"],
    "demand..x=1": ["error: --set demand..x: malformed key", "allowed: a dotted key"],
    "efficiency.shocks.1.factor=2": ["error: --set efficiency.shocks[1].factor: efficiency.shocks has 1 item",
                                     "allowed: an index in 0..0, or the whole array"],
    "efficiency.shocks.0.fctor=2": ["error: --set efficiency.shocks[0].fctor: unknown key (did you mean 'factor'?)"],
    "efficiency.shocks=[{ year = 2025 }]": [
        "error: --set efficiency.shocks: efficiency.shocks[0].factor: missing (required)",
        "allowed: a number in (0, 1e+09]"],
    "extends=jevons": ["error: --set extends: cannot be overridden", "allowed:"],
    "fft.kappa_old={ dist = 'normal', mean = 2, sd = 0.1 }": [
        "error: --set fft.kappa_old: may not be a distribution", "allowed: a number in (0, 10]"],
    "demand.form=segments": ["error: --set demand.form: 'segments' needs [[demand.segments]] tables"],
}


@pytest.mark.parametrize("override", list(SET_CASES))
def test_bad_override_names_the_set_key(tmp_path, override):
    out = tmp_path / "out"
    result = run_cli("run", "deepseek", "--set", override, "--out", str(out))
    assert_one_line_error(result, *SET_CASES[override])
    assert not out.exists()


def test_override_on_a_file_is_named_set_not_the_file(tmp_path):
    result, path = run_file(tmp_path, "[demand]\nelasticity = 1.0\n", "--set", "demand.growth=20")
    assert_one_line_error(result, "error: --set demand.growth: got 20, out of range",
                          "allowed: a number in [-0.9, 10]")
    assert path not in result.stderr


def test_show_uses_the_same_contract(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[hardware]\ndoubling_yrs = 2\n")
    assert_one_line_error(run_cli("show", str(path)), f"error: {path}: hardware.doubling_yrs: "
                          "unknown key (did you mean 'doubling_years'?)")


# --- numbers are finite or refused ---------------------------------------------------------------


def test_an_overflowing_run_is_one_error_naming_its_drivers(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "deepseek", "--set", "demand.form=isoelastic", "--set", "demand.elasticity=10",
                     "--set", "efficiency.doubling_years=0.05", "--out", str(out))
    assert_one_line_error(result, "the outputs are not finite", "demand.elasticity = 10",
                          "efficiency.doubling_years = 0.05", "; allowed: ")
    assert "RuntimeWarning" not in result.stderr
    assert not out.exists()


def test_an_overflowing_sweep_is_refused_too(tmp_path):
    result = run_cli("sweep", "deepseek", "--set", "demand.form=isoelastic", "--set",
                     "efficiency.doubling_years=0.05", "--grid", "demand.elasticity=1:10:3",
                     "--out", str(tmp_path / "out"))
    assert_one_line_error(result, "the outputs are not finite", "; allowed: ")


@pytest.mark.parametrize("spec, fragment", [
    ('demand.growth={dist="normal",mean=0,sd=1e20}', "sd = 1e+20 is wider than 100 x the key's range"),
    ('demand.substitution={dist="lognormal",median=1,sigma=40}', "sigma = 40"),
])
def test_distributions_whose_spread_breaks_floating_point_are_refused(spec, fragment, tmp_path):
    result = run_cli("run", "montecarlo", "--draws", "10", "--set", spec, "--out", str(tmp_path / "o"))
    assert_one_line_error(result, fragment, "; allowed: ")


def test_show_cuts_long_values_and_escapes_control_characters(tmp_path):
    path = tmp_path / "long.toml"
    path.write_text('description = "' + "x" * 50_000 + '\\u001b[31m"\n')
    result = run_cli("show", str(path))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < 1000  # not 50,000
    assert "(50,008 characters)" in result.stdout


@pytest.mark.parametrize("args, fragment", [
    (["run", "deepseek", "--set", "demand.elasticity=0.8"],
     "--set demand.elasticity: is not used by demand.form = 'budget-share'; allowed: demand.substitution"),
    (["sweep", "deepseek", "--grid", "demand.elasticity=0.5:1:0.5"],
     "--grid demand.elasticity: is not used by demand.form = 'budget-share'"),
    (["run", "saturating", "--set", "demand.substitution=1.3"],
     "--set demand.substitution: is not used by demand.form = 'saturating'; allowed: demand.elasticity"),
])
def test_a_command_line_value_the_demand_form_does_not_use_is_refused(args, fragment, tmp_path):
    result = run_cli(*args, "--out", str(tmp_path / "o"))
    assert_one_line_error(result, fragment)
    assert not (tmp_path / "o").exists()


def test_the_same_value_is_used_once_the_form_uses_it(tmp_path):
    result = run_cli("run", "deepseek", "--set", "demand.form=isoelastic", "--set",
                     "demand.elasticity=0.8", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr


def test_variables_the_scenario_does_not_produce_are_refused(tmp_path):
    result = run_cli("run", "deepseek", "--variables", "problem_size_log2", "--out", str(tmp_path / "o"))
    assert_one_line_error(result, "--variables: problem_size_log2 is not an output of scenario 'deepseek'",
                          "allowed: compute_spend")
    assert not (tmp_path / "o").exists()


def test_the_row_limit_counts_the_variables_the_run_writes(tmp_path):
    result = run_cli("run", "montecarlo", "--draws", "50000", "--out", str(tmp_path / "o"))
    assert_one_line_error(result, "would have 6,600,000 rows")  # 50,000 x 12 years x 11 variables


def test_compute_spend_brings_its_segment_parts(tmp_path):
    out = tmp_path / "o"
    assert run_cli("run", "segments", "--variables", "compute_spend", "--out", str(out)).returncode == 0
    import pandas as pd
    names = set(pd.read_csv(out / "summary.csv")["variable"])
    assert names == {"compute_spend", "compute_spend|training", "compute_spend|inference"}


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_an_empty_scenario_file_is_refused(text, tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text(text)
    result = run_cli("run", str(path), "--out", str(tmp_path / "o"))
    assert_one_line_error(result, "has no keys", 'extends = "baseline"')


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfextends = "baseline"\n')
    result = run_cli("run", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr

"""The scenario loader: files in scenarios/, extends and merge semantics, overrides, defaults,
cross-field rules. In-process and without the engine; the CLI error contract is in
test_scenario_errors.py."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from model import paths
from model.engine import schema
from model.errors import ScenarioError
from model.scenarios.distributions import Distribution
from model.scenarios.keys import parse_key
from model.scenarios.loader import available_scenarios, load_scenario
from model.scenarios.overrides import parse_value
from model.scenarios.rules import check_cross_fields

EXPECTED = {
    "baseline", "deepseek", "ecp-60x", "fft", "inelastic", "jevons", "saturating",
    "supply-constrained", "segments", "partial-adjustment", "montecarlo",
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped scenarios ---------------------------------------------------------------------
def test_every_shipped_scenario_loads():
    assert EXPECTED <= set(available_scenarios())
    for name in available_scenarios():
        scenario = load_scenario(name)
        assert scenario.name == name
        assert scenario.description, name


def test_baseline_writes_out_the_schema_defaults():
    scenario = load_scenario("baseline")
    for field in schema.FIELDS:
        parts = field.key.split(".")
        if len(parts) != 2 or field.kind == schema.TABLES or parts[0] in ("ecp", "fft"):
            continue
        value = scenario.values[parts[0]][parts[1]]
        assert value == field.default, field.key
        if field.default is None:  # TOML has no null: an unset key keeps the schema's default
            assert scenario.origins[field.key] == "default", field.key
            continue
        assert scenario.origins[field.key].endswith("baseline.toml"), field.key
    assert scenario.values["efficiency"]["shocks"] == []


def test_shipped_scenario_values():
    deepseek = load_scenario("deepseek").values
    (shock,) = deepseek["efficiency"]["shocks"]
    assert shock == {"year": 2025.07, "factor": 11.0, "coverage": 1.0, "diffusion_years": 1.0,
                     "shape": "logistic", "label": "DeepSeek", "segments": ()}
    assert deepseek["demand"]["form"] == "budget-share"
    assert deepseek["demand"]["substitution"] == 1.1 and deepseek["demand"]["final_elasticity"] == 1.0
    assert deepseek["budget"] == {"usd_bn": 110060.0, "growth": 0.05}
    assert load_scenario("inelastic").values["demand"]["substitution"] == 0.9
    assert load_scenario("jevons").values["demand"]["substitution"] == 1.3
    ecp = load_scenario("ecp-60x").values
    assert ecp["type"] == "ecp" and ecp["ecp"]["gain"] == 60.0 and ecp["ecp"]["years"] == 7.0
    assert ecp["ecp"]["mode"] == "replace"
    assert load_scenario("fft").values["type"] == "fft"
    sat = load_scenario("saturating").values["demand"]
    assert (sat["form"], sat["elasticity"], sat["saturation_price"]) == ("saturating", 1.5, 0.01)
    sup = load_scenario("supply-constrained").values
    assert sup["supply"] == {"form": "upward-sloping", "elasticity": 0.5, "expansion": 0.5}
    assert sup["demand"]["substitution"] == 1.3  # from jevons
    seg = load_scenario("segments").values
    assert [(s["name"], s["share"], s["substitution"], s["efficiency_doubling_years"])
            for s in seg["demand"]["segments"]] == [("training", 0.4, 1.0, 0.67), ("inference", 0.6, 1.2, 0.5)]
    assert seg["demand"]["segments"][0]["growth"] is None  # optional, falls back to demand.growth
    assert [s["segments"] for s in seg["efficiency"]["shocks"]] == [("training",), ("inference",)]
    pa = load_scenario("partial-adjustment").values["demand"]
    assert (pa["form"], pa["substitution"], pa["persistence"]) == ("budget-share", 1.1, 0.6)


def test_montecarlo_distributions():
    scenario = load_scenario("montecarlo")
    d = scenario.distributions
    assert d == {
        "hardware.doubling_years": Distribution("normal", (2.46, 0.12)),
        "efficiency.doubling_years": Distribution("lognormal", (0.67, 0.263)),
        "efficiency.shocks[0].factor": Distribution("lognormal", (11.0, 0.5)),
        "efficiency.shocks[0].coverage": Distribution("uniform", (0.3, 1.0)),
        "demand.substitution": Distribution("lognormal", (1.1, 0.09)),
    }
    # The widths come from the published 95% intervals: sd = (b - a) / 3.92, sigma = ln(b/a) / 3.92.
    assert round((2.72 - 2.24) / 3.92, 2) == 0.12
    assert round(math.log(14 / 5) / 3.92, 3) == 0.263
    assert scenario.values["montecarlo"]["draws"] == 10000


# --- extends and merging -----------------------------------------------------------------------
def test_extends_merges_keys_and_replaces_arrays_of_tables(tmp_path):
    write(tmp_path, "parent", """
name = "parent-name"
description = "the parent"
[demand]
elasticity = 0.8
growth = 0.1
[[efficiency.shocks]]
year = 2025
factor = 2
[[efficiency.shocks]]
year = 2026
factor = 3
coverage = 0.5
""")
    child = write(tmp_path, "child", """
extends = "parent"
[demand]
elasticity = 1.4
[[efficiency.shocks]]
year = 2027
factor = 5
""")
    scenario = load_scenario(child)
    demand = scenario.values["demand"]
    assert demand["elasticity"] == 1.4 and demand["growth"] == 0.1  # key by key
    assert scenario.values["efficiency"]["shocks"] == [  # replaced whole, defaults filled
        {"year": 2027.0, "factor": 5.0, "coverage": 1.0, "diffusion_years": 0.0,
         "shape": "logistic", "label": "", "segments": ()}]
    assert scenario.name == "child" and scenario.description == ""  # identity not inherited
    assert [p.name for p in scenario.chain] == ["child.toml", "parent.toml"]
    o = scenario.origins
    assert o["demand.elasticity"].endswith("child.toml")
    assert o["demand.growth"].endswith("parent.toml")
    assert o["efficiency.shocks[0].factor"].endswith("child.toml")
    assert o["efficiency.shocks[0].coverage"] == "default"
    assert "efficiency.shocks[1].coverage" not in o
    assert o["hardware.doubling_years"] == "default"


def test_extends_chain_of_three_by_relative_path_and_shipped_name(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "middle", 'extends = "deepseek"\n[demand]\nelasticity = 0.9\n')
    leaf = write(tmp_path / "sub", "leaf", 'extends = "../middle.toml"\n[demand]\ngrowth = 0.2\n')
    scenario = load_scenario(leaf)
    assert [p.name for p in scenario.chain] == ["leaf.toml", "middle.toml", "deepseek.toml",
                                                "baseline.toml"]
    assert scenario.values["demand"]["elasticity"] == 0.9
    assert scenario.values["demand"]["growth"] == 0.2
    assert scenario.values["efficiency"]["shocks"][0]["factor"] == 11.0


def test_a_name_is_looked_up_next_to_the_file_first(tmp_path):
    write(tmp_path, "baseline", '[demand]\nelasticity = 2.5\n')  # shadows scenarios/baseline
    child = write(tmp_path, "child", 'extends = "baseline"\n')
    assert load_scenario(child).values["demand"]["elasticity"] == 2.5


def test_circular_extends_names_the_chain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files are named relative to the working directory
    write(tmp_path, "a", 'extends = "b"\n')
    write(tmp_path, "b", 'extends = "a"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.toml")
    assert str(info.value).startswith("b.toml: extends: circular extends: a.toml -> b.toml -> a.toml;")


def test_self_extends_is_circular(tmp_path):
    path = write(tmp_path, "me", 'extends = "me"\n')
    with pytest.raises(ScenarioError, match=r"extends: circular extends: .*me\.toml -> .*me\.toml"):
        load_scenario(path)


# --- overrides ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("1.5", 1.5), ("2", 2), ("true", True), ("saturating", "saturating"), ('"quoted"', "quoted"),
    ("[1, 2]", [1, 2]), ("{ dist = 'normal', mean = 1, sd = 0.1 }",
                         {"dist": "normal", "mean": 1, "sd": 0.1}),
    ("1.5\nname = 'x'", "1.5\nname = 'x'"), ("", ""), ("__import__('os')", "__import__('os')"),
])
def test_parse_value_reads_toml_or_a_bare_word(text, value):
    assert parse_value(text) == value


def test_parse_value_nan_is_a_float_that_validation_rejects():
    assert math.isnan(parse_value("nan"))
    with pytest.raises(ScenarioError, match="not a finite number"):
        load_scenario("baseline", ["demand.elasticity=nan"])


def test_parse_key_forms():
    assert parse_key("efficiency.shocks.0.factor", "s") == ("efficiency", "shocks", 0, "factor")
    assert parse_key("efficiency.shocks[0].factor", "s") == ("efficiency", "shocks", 0, "factor")
    with pytest.raises(ScenarioError, match="malformed key"):
        parse_key("demand..elasticity", "s")


def test_overrides_set_keys_items_and_whole_arrays():
    s = load_scenario("deepseek", ["demand.elasticity=1.5", "efficiency.shocks.0.factor=27",
                                   "demand.form=saturating", "name=mine", "time.end=2040"])
    assert s.values["demand"]["elasticity"] == 1.5 and s.values["demand"]["form"] == "saturating"
    assert s.values["efficiency"]["shocks"][0]["factor"] == 27.0
    assert s.values["efficiency"]["shocks"][0]["year"] == 2025.07  # rest of the item kept
    assert s.name == "mine" and s.values["time"]["end"] == 2040
    assert s.origins["efficiency.shocks[0].factor"] == "--set efficiency.shocks[0].factor"
    assert s.origins["demand.elasticity"] == "--set demand.elasticity"
    whole = load_scenario("baseline", ["efficiency.shocks=[{ year = 2025.07, factor = 11 }, "
                                       "{ year = 2026, factor = 2, label = 'next' }]"])
    assert [x["factor"] for x in whole.values["efficiency"]["shocks"]] == [11.0, 2.0]
    assert whole.origins["efficiency.shocks[1].coverage"] == "default"
    cleared = load_scenario("segments", ["demand.form=isoelastic", "demand.segments=[]",
                                         "efficiency.shocks=[]"])
    assert cleared.values["demand"]["segments"] == []
    later = load_scenario("baseline", ["demand.substitution=0.5", "demand.substitution=0.7"])
    assert later.values["demand"]["substitution"] == 0.7  # applied in order


def test_an_override_can_set_a_distribution():
    s = load_scenario("deepseek", ["demand.substitution={ dist = 'uniform', low = 0.5, high = 1.5 }"])
    assert s.distributions == {"demand.substitution": Distribution("uniform", (0.5, 1.5))}


# --- types, defaults -----------------------------------------------------------------------------
def test_integers_for_float_keys_and_integral_floats_for_int_keys(tmp_path):
    path = write(tmp_path, "types", "[demand]\nelasticity = 2\n[time]\nend = 2030.0\n")
    values = load_scenario(path).values
    assert values["demand"]["elasticity"] == 2.0 and isinstance(values["demand"]["elasticity"], float)
    assert values["time"]["end"] == 2030 and isinstance(values["time"]["end"], int)


def test_a_file_with_one_key_is_otherwise_all_defaults(tmp_path):
    s = load_scenario(write(tmp_path, "empty", 'description = "x"'))
    assert s.name == "empty"
    assert set(s.values) == {"name", "description", "type", *schema.sections()}
    for section in schema.sections():
        for name, field in schema.children(section).items():
            expected = [] if field.kind == schema.TABLES else field.default
            assert s.values[section][name] == expected
            assert s.origins[f"{section}.{name}"] == "default"


def test_scenario_files_are_data(tmp_path):
    # A string is a string, never code; the file runs nothing.
    marker = tmp_path / "pwned"
    path = write(tmp_path, "evil",
                 f'description = "__import__(\'pathlib\').Path(\'{marker}\').touch()"\n')
    assert load_scenario(path).description.startswith("__import__")
    assert not marker.exists()


# --- cross-field rules on arrays ---------------------------------------------------------------
def test_cross_field_rules_check_every_draw_and_name_the_key():
    s = load_scenario("fft")
    values = {**s.values, "fft": {**s.values["fft"], "beta": np.array([0.2, 0.5, 1.0, 1.3])}}
    with pytest.raises(ScenarioError) as info:
        check_cross_fields(values, s.origins)
    message = str(info.value)
    assert message.startswith("scenarios/fft.toml: fft.beta:") or "fft.toml: fft.beta:" in message
    assert "in 2 of 4 draws or grid points (first: index 2, fft.beta = 1" in message
    values["fft"]["beta"] = np.array([0.2, 0.5])
    check_cross_fields(values, s.origins)  # fine


def test_segment_shares_may_be_arrays_but_must_sum_to_one():
    s = load_scenario("segments")
    segs = [dict(x) for x in s.values["demand"]["segments"]]
    segs[0]["share"] = np.array([0.4, 0.5])
    segs[1]["share"] = np.array([0.6, 0.5])
    values = {**s.values, "demand": {**s.values["demand"], "segments": segs}}
    check_cross_fields(values, s.origins)
    segs[1]["share"] = np.array([0.6, 0.6])
    with pytest.raises(ScenarioError, match=r"shares do not sum to 1: in 1 of 2 draws"):
        check_cross_fields(values, s.origins)


def test_the_scenario_folder_is_the_project_one():
    assert paths.SCENARIO_DIR.is_dir()
    assert sorted(p.stem for p in paths.SCENARIO_DIR.glob("*.toml")) == available_scenarios()

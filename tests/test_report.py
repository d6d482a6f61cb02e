"""The book's tables (model.output.tables): generated from the schema, the CLI and the engine."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pybtex.database import parse_file

from model import paths
from model.calibration import hardware_fit as hw
from model.cli import build_parser
from model.constants import DEFAULT_AS_OF
from model.data import DATASETS, load_dataset
from model.engine import schema
from model.engine.params import Params, Segment
from model.engine.simulation import Result
from model.output import tables as report
from model.scenarios.files import key_comments
from model.scenarios.loader import load_scenario


def test_schema_table_has_every_key_once_with_its_allowed_range():
    table = report.schema_table()
    assert table["key"].tolist() == [f.key for f in schema.FIELDS]
    row = table.set_index("key").loc["demand.elasticity"]
    assert row["allowed"] == schema.BY_KEY["demand.elasticity"].allowed() == "a number in [0, 10]"
    assert row["default"] == "1.1" and row["random"] == "yes"
    assert table.set_index("key").loc["efficiency.shocks[].factor", "default"] == "required"
    assert table.set_index("key").loc["efficiency.shocks", "default"] == "[]"
    assert table.set_index("key").loc["description", "default"] == "\"\""


def test_distribution_and_output_tables_follow_the_schema():
    dists = report.distributions_table()
    assert dists["dist"].tolist() == list(schema.DISTRIBUTIONS)
    assert dists.set_index("dist").loc["lognormal", "syntax"] == (
        '{ dist = "lognormal", median = ..., sigma = ... }')
    outputs = report.output_units_table()
    assert outputs["variable"].tolist() == list(schema.OUTPUT_UNITS)
    assert outputs["unit"].tolist() == list(schema.OUTPUT_UNITS.values())
    # every output variable is described: a new variable without a description fails here
    assert set(report.OUTPUT_DESCRIPTIONS) == set(schema.OUTPUT_UNITS)


def test_cli_table_reads_the_real_parser():
    table = report.cli_table(build_parser()).set_index("command")
    for command in ("run", "sweep", "list", "show"):
        assert command in table.index
        assert table.loc[command, "usage"].startswith(f"jevons {command}")
    assert "--grid" in table.loc["sweep", "usage"]


def test_parameter_table_shows_resolved_values_and_origins():
    scenario = load_scenario("montecarlo", ["demand.growth=0.1"])
    table = report.parameter_table(
        scenario, ["demand.growth", "demand.substitution", "efficiency.shocks[0].year",
                   "hardware.peak_flops"],
        sources={"efficiency.shocks[0].year": "27 January 2025"})
    rows = table.set_index("key")
    assert rows.loc["demand.growth", "value"] == "0.1"
    assert rows.loc["demand.growth", "set in"] == "--set demand.growth"
    assert rows.loc["demand.substitution", "value"] == "lognormal(median=1.1, sigma=0.09)"
    assert rows.loc["demand.substitution", "set in"] == "scenarios/montecarlo.toml"
    assert rows.loc["efficiency.shocks[0].year", "source"] == "27 January 2025"
    assert rows.loc["hardware.peak_flops", "set in"] == "scenarios/baseline.toml"
    assert rows.loc["hardware.peak_flops", "unit"] == "FLOP/s"
    assert list(table.columns) == ["key", "value", "unit", "set in", "source"]
    full = report.parameter_table(scenario)
    assert "value_capture.nvidia_share" in set(full["key"])


def test_parameter_table_rejects_unknown_keys():
    with pytest.raises(KeyError, match="demand.elastcity"):
        report.parameter_table(load_scenario("baseline"), ["demand.elastcity"])
    with pytest.raises(KeyError, match=r"efficiency.shocks\[0\].factor"):
        report.parameter_table(load_scenario("baseline"),
                               sources={"efficiency.shocks[0].factor": "x"})


def test_spend_multipliers_are_s_to_the_eps_minus_one():
    eps, factors = [0.5, 0.92, 1.0, 1.11, 1.5, 2.0], [2.0, 10.0, 11.0, 60.0]
    table = report.spend_multipliers(eps, factors)
    assert table.shape == (6, 4)
    expected = np.power.outer(factors, np.array(eps) - 1.0).T
    np.testing.assert_allclose(table.to_numpy(), expected, rtol=1e-9)
    np.testing.assert_allclose(table.loc[1.0], 1.0, rtol=1e-12)
    assert table.loc[0.5, 60.0] < 1 < table.loc[1.5, 2.0]


def test_spend_multipliers_use_the_given_parameters():
    """The multiplier does not depend on trends or growth (they cancel in the ratio)."""
    params = Params(segments=(Segment("all", 1.0, 1.2, 1.5, 0.3),), hardware_doubling_years=1.0)
    table = report.spend_multipliers([0.7, 1.8], [27.0], params)
    np.testing.assert_allclose(table[27.0].to_numpy(), 27.0 ** (np.array([0.7, 1.8]) - 1), rtol=1e-9)


def test_scenario_table_takes_quantiles_across_draws():
    years = np.arange(2024.0, 2027.0)
    draws = np.arange(15.0).reshape(5, 3)  # 5 draws x 3 years
    results = {"a": Result(years, {"compute_spend": draws}, 5),
               "b": Result(years, {"compute_spend": draws[:1] * 2}, 1)}
    table = report.scenario_table(results, "compute_spend", [2024, 2026])
    assert list(table.columns) == [2024, 2026]
    assert table.loc["a"].tolist() == [6.0, 8.0]  # medians of columns 0 and 2
    assert table.loc["b"].tolist() == [0.0, 4.0]
    upper = report.scenario_table(results, "compute_spend", [2025], quantile=1.0)
    assert upper.loc["a", 2025] == 13.0
    with pytest.raises(KeyError, match="2030"):
        report.scenario_table(results, "compute_spend", [2030])
    assert isinstance(table, pd.DataFrame)


def test_parameter_table_names_files_relative_to_the_project(tmp_path, monkeypatch):
    """A chapter runs in book/chapters: the table still says scenarios/x.toml."""
    monkeypatch.chdir(tmp_path)
    table = report.parameter_table(load_scenario("deepseek"), ["demand.elasticity",
                                                               "efficiency.shocks[0].factor"])
    assert table["set in"].tolist() == ["scenarios/baseline.toml", "scenarios/deepseek.toml"]


def test_scenario_overview_lists_type_form_elasticity_and_parent():
    table = report.scenario_overview([load_scenario(n) for n in ("baseline", "segments", "fft")])
    rows = table.set_index("scenario")
    assert rows.loc["baseline", "extends"] == "-"
    assert rows.loc["segments", "extends"] == "baseline"
    assert rows.loc["segments", "elasticity"] == "training σ 1, inference σ 1.2"
    assert rows.loc["fft", "type"] == "fft"
    assert rows.loc["segments", "demand form"] == "segments"


def test_scenario_changes_shows_own_keys_and_inherited_values():
    table = report.scenario_changes([load_scenario("inelastic"), load_scenario("deepseek"),
                                     load_scenario("montecarlo")])
    inelastic = table[table["scenario"] == "inelastic"]
    assert inelastic[["key", "value", "inherited"]].values.tolist() == [
        ["demand.substitution", "0.9", "1.1"]]
    shock = table[(table["scenario"] == "deepseek") & (table["key"] == "efficiency.shocks[0].factor")]
    assert shock[["value", "inherited"]].values.tolist() == [["11", "-"]]  # baseline has no shock
    mc = table[table["scenario"] == "montecarlo"].set_index("key")
    assert mc.loc["demand.substitution", "value"] == "lognormal(median=1.1, sigma=0.09)"
    assert mc.loc["efficiency.shocks[0].factor", "inherited"] == "11"
    assert "name" not in set(table["key"]) and "description" not in set(table["key"])


def test_parameter_table_points_to_the_file_for_non_default_values():
    rows = report.parameter_table(load_scenario("montecarlo")).set_index("key")
    comments = key_comments(paths.SCENARIO_DIR / "montecarlo.toml")
    # the file's own comment where it has one, else a pointer to the file
    assert rows.loc["demand.substitution", "source"] == comments["demand.substitution"]
    for key in ("efficiency.shocks[0].coverage",):
        assert rows.loc[key, "source"] == comments.get(key, "comment in scenarios/montecarlo.toml")
    # a value equal to the schema default keeps the schema's source
    assert rows.loc["base.spend_usd_bn", "source"] == schema.BY_KEY["base.spend_usd_bn"].source
    rows = report.parameter_table(load_scenario("baseline", ["demand.substitution=0.7"])).set_index("key")
    assert rows.loc["demand.substitution", "set in"] == "--set demand.substitution"
    assert rows.loc["demand.substitution", "source"] == "user override"


# --- the hardware chapter's tables and the book's bibliography -------------------------------------
def test_compact_fits_table_has_human_headers_and_values():
    fits = pd.DataFrame({"as_of": pd.to_datetime(["2024-12-31"]), "precision": ["fp16_tensor_only"],
                         "kind": ["gpu"], "precision_dummies": [False], "n": [14],
                         "doubling_years": [3.754], "interval_low": [2.1],
                         "interval_high": [np.inf]})
    table = report.compact_fits_table(fits, list(fits.columns))
    assert list(table.columns) == ["As of", "Performance figure", "Chips used",
                                   "One level per format", "Chips", "Doubling time (years)",
                                   "Low (95%)", "High (95%)"]
    row = table.iloc[0]
    assert (row["Performance figure"], row["Chips used"], row["One level per format"]) == \
        ("tensor FP16/BF16 only", "GPUs", "no")
    assert not any("_" in c or "hc3" in c or "T_hw" in c for c in table.columns)


def test_hardware_provenance_links_say_what_each_source_is(mirror):
    hardware = load_dataset(hw.DATASET)
    fit = hw.fit_doubling_time(hardware, DEFAULT_AS_OF)
    table = report.hardware_provenance_table(DATASETS[hw.DATASET], fit,
                                             hw.published_estimates(DEFAULT_AS_OF), DEFAULT_AS_OF)
    assert list(table.columns) == ["item", "value", "source", "kind of source"]
    rental = table[table["item"].str.startswith("H100 rental price")]
    assert len(rental) == 2
    assert rental["source"].str.contains("secondary copy of a Latent Space report").all()
    links = table[table["source"].str.startswith("<a href=")]
    assert (links["kind of source"] != "").all()
    assert not table["item"].str.startswith("fact ").any()


def _bib_keys() -> set[str]:
    text = (Path(__file__).resolve().parents[1] / "book" / "references.bib").read_text()
    return set(re.findall(r"^@\w+\{([^,]+),", text, flags=re.M))


def test_every_citation_in_the_book_is_in_the_bibliography_and_cited_pages_list_it():
    keys = _bib_keys()
    assert {"deepseek2024v3", "jevons1865coal", "cooley1965fft", "kolari2010event",
            "mackinlay1997event", "hobbhahn2022gpu"} <= keys
    for page in sorted((Path(__file__).resolve().parents[1] / "book").rglob("*.md")):
        text = page.read_text()
        cited = set(re.findall(r"\{(?:foot)?cite(?::[pt])?\}`([^`]+)`", text))
        cited = {k.strip() for group in cited for k in group.split(",")}
        assert cited <= keys, f"{page.name}: not in book/references.bib: {sorted(cited - keys)}"
        if "{footcite" in text:
            assert "{footbibliography}" in text, f"{page.name} cites but lists no references"


def test_the_bibliography_parses_and_every_entry_says_who_what_and_when():
    bib = parse_file(str(Path(__file__).resolve().parents[1] / "book" / "references.bib"))
    assert set(bib.entries) == _bib_keys()
    for key, entry in bib.entries.items():
        assert entry.persons.get("author"), key
        assert entry.fields.get("title") and entry.fields.get("year", "").isdigit(), key
        assert any(f in entry.fields for f in ("url", "doi", "journal", "publisher")), key


def test_schema_index_counts_every_key_once_by_section():
    keys = report.schema_table()
    index = report.schema_index(keys)
    assert index["keys"].sum() == len(keys)
    assert index["section"].is_unique
    demand = index.set_index("section").loc["demand"]
    assert "substitution" in demand["names"].split(", ")

"""The curated facts tables: schema, as-of discipline, arithmetic of derived rows, agreement with
the price data, and every schema error as one line naming the file and line."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest
from conftest import assert_one_line_error, run_cli

from model.data.facts import FACT_COLUMNS, fact_value, load_facts, load_statements
from model.errors import DataError
from model.paths import FACTS_DIR

CUTOFF = "2025-02-10"
HEADER = ",".join(FACT_COLUMNS)


def raw_rows():
    for path in sorted(FACTS_DIR.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield path.name, row


# --- the real tables ---------------------------------------------------------------------------


def test_ids_are_unique_across_all_files():
    ids = [row["id"] for _, row in raw_rows()]
    assert len(ids) == len(set(ids)) and len(ids) > 190


def test_tables_load_with_types():
    facts = load_facts()
    assert list(facts.columns) == [*FACT_COLUMNS, "file", "line"]
    assert facts["value"].dtype == float and facts["used"].dtype == bool
    assert facts["as_of"].dtype.kind == "M"
    assert set(facts["file"]) == {"event.csv", "capex.csv", "nvidia.csv", "deepseek.csv",
                                  "hardware.csv", "trends.csv"}
    assert len(load_statements()) >= 10


@pytest.mark.parametrize("fact_id", [
    "nvda_close_2025_01_24", "nvda_close_2025_01_27", "capex_guidance_2025_meta_high",
    "capex_2024_alphabet", "nvda_dc_revenue_fy2025_q3", "deepseek_v3_gpu_hours",
    "h100_dense_bf16_flops", "epoch_gpu_price_perf_doubling_years_all",
    "algo_progress_halving_months", "llm_price_decline_per_year_a16z", "openrouter_elasticity",
])
def test_the_ids_others_code_against_exist(fact_id):
    assert isinstance(fact_value(fact_id), float)


def test_headline_values():
    assert fact_value("nvda_close_2025_01_24") == 142.62
    assert fact_value("nvda_close_2025_01_27") == 118.42
    assert fact_value("capex_guidance_2025_meta_low") == 60
    assert fact_value("capex_guidance_2025_meta_high") == 65
    assert fact_value("capex_guidance_2025_alphabet") == 75
    assert fact_value("capex_guidance_fy2025_microsoft") == 80
    assert fact_value("deepseek_v3_gpu_hours") == 2.788e6
    assert fact_value("h100_dense_bf16_flops") == 989.4e12
    assert (fact_value("algo_progress_halving_months_low"), fact_value("algo_progress_halving_months"),
            fact_value("algo_progress_halving_months_high")) == (5, 8, 14)
    assert fact_value("openrouter_elasticity") == -1.11


def test_conflicting_sources_keep_both_rows_and_say_which_is_used():
    facts = load_facts().set_index("id")
    assert facts.loc["nvda_close_2025_01_27", "used"]
    variant = facts.loc["nvda_close_2025_01_27_cnbc"]
    assert variant["value"] == 118.58 and not variant["used"]
    assert variant["variant_of"] == "nvda_close_2025_01_27"
    unused = facts[~facts["used"]]
    assert len(unused) >= 8
    assert unused["variant_of"].isin(facts.index[facts["used"]]).all()


def test_as_of_filter_hides_later_evidence():
    known = load_facts(CUTOFF)
    assert (known["as_of"] <= pd.Timestamp(CUTOFF)).all()
    later = {"openrouter_elasticity", "nvda_dc_revenue_consensus_fy2026"}
    assert later.isdisjoint(known["id"])
    assert later <= set(load_facts()["id"])
    assert "algo_progress_halving_months" in set(known["id"])
    with pytest.raises(DataError, match=r"'openrouter_elasticity' .* became known on 2025-12-12, after the as-of date 2025-02-10"):
        fact_value("openrouter_elasticity", CUTOFF)
    with pytest.raises(DataError, match="became known on 2025-02-18"):
        fact_value("nvda_dc_revenue_consensus_fy2026", "2025-02-10")
    assert fact_value("nvda_dc_revenue_consensus_fy2026", "2025-02-18") == 183.8
    assert fact_value("openrouter_elasticity", pd.Timestamp("2026-01-01").date()) == -1.11


def test_unknown_id_suggests_close_matches():
    with pytest.raises(DataError, match="unknown fact id 'nvda_close_2025_01_28x'; did you mean nvda_close_2025_01_28"):
        fact_value("nvda_close_2025_01_28x")


def test_bad_as_of():
    with pytest.raises(DataError, match="as_of: '10/02/2025' is not a date"):
        load_facts("10/02/2025")


def test_ranges_are_ordered():
    values = load_facts().set_index("id")["value"]
    lows = [i for i in values.index if i.endswith("_low")]
    assert len(lows) >= 8
    for low in lows:
        high = low[: -len("_low")] + "_high"
        assert values[low] <= values[high], low
        base = low[: -len("_low")]
        if base in values.index:
            assert values[low] <= values[base] <= values[high], base


def test_reported_flows_are_dated_after_their_period():
    facts = load_facts()
    flows = facts[(facts["basis"] == "reported") & facts["period_end"].notna()]
    assert len(flows) >= 20
    early = flows[flows["as_of"] <= flows["period_end"]]
    assert early.empty, early[["id", "as_of", "period_end"]]


def test_derived_rows_match_their_formula():
    v = fact_value
    assert v("nvda_change_pct_2025_01_27") == pytest.approx(100 * (118.42 / 142.62 - 1), abs=5e-3)
    assert v("o1_to_r1_price_ratio_input") == pytest.approx(v("openai_o1_price_input") / v("deepseek_r1_price_input_cache_miss"), abs=5e-3)
    assert v("o1_to_r1_price_ratio_output") == pytest.approx(v("openai_o1_price_output") / v("deepseek_r1_price_output"), abs=5e-3)
    assert v("llama31_405b_to_deepseek_v3_gpu_hours_ratio") == pytest.approx(v("llama31_405b_gpu_hours") / v("deepseek_v3_gpu_hours"), abs=5e-3)
    assert v("capex_guidance_2025_amazon") == pytest.approx(4 * v("capex_2024_q4_amazon"))
    assert v("deepseek_v3_training_cost") == pytest.approx(v("deepseek_v3_gpu_hours") * v("deepseek_v3_rental_price_per_gpu_hour") / 1e6)
    assert v("nvda_revenue_guidance_fy2025_q4_low") == pytest.approx(0.98 * v("nvda_revenue_guidance_fy2025_q4"))
    dc = sum(v(f"nvda_dc_revenue_fy2024_q{q}") for q in range(1, 5))
    assert dc == pytest.approx(v("nvda_dc_revenue_fy2024"), abs=0.05)
    gpu_hours = sum(v(f"deepseek_v3_gpu_hours_{part}") for part in ("pretraining", "context_extension", "post_training"))
    assert gpu_hours == pytest.approx(v("deepseek_v3_gpu_hours"))


def test_event_facts_agree_with_the_price_data(mirror, monkeypatch):
    from model.data import load_prices

    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    close = load_prices("NVDA", "2025-01-24", "2025-02-03")["Close"].round(2)
    for day in ("2025-01-24", "2025-01-27", "2025-01-28", "2025-02-03"):
        assert close[day] == fact_value(f"nvda_close_{day.replace('-', '_')}"), day
    gspc = load_prices("GSPC", "2025-01-24", "2025-01-27")["Close"]
    assert round(100 * (gspc.iloc[1] / gspc.iloc[0] - 1), 2) == fact_value("gspc_change_pct_2025_01_27")
    assert round(gspc.iloc[1], 2) == fact_value("gspc_close_2025_01_27")


# --- schema errors, in a copy of the tables ---------------------------------------------------


@pytest.fixture
def facts_copy(tmp_path):
    target = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def edit_line(path, line_no, old, new):
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line_no - 1], (old, lines[line_no - 1])
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines))


BAD_FACTS = {
    "missing column": (lambda d: (d / "trends.csv").write_text(
        (d / "trends.csv").read_text().replace(",note\n", "\n", 1)), "trends.csv: line 1: missing column(s) note"),
    "unknown column": (lambda d: (d / "trends.csv").write_text(
        (d / "trends.csv").read_text().replace(",note\n", ",note,extra\n", 1)), "trends.csv: line 1: unknown column(s) extra; allowed:"),
    "bad date": (lambda d: edit_line(d / "event.csv", 2, "2025-01-24", "2025-01-32"),
                 "event.csv: line 2 (nvda_close_2025_01_24): as_of '2025-01-32' is not a date; allowed: YYYY-MM-DD"),
    "non-numeric value": (lambda d: edit_line(d / "capex.csv", 8, ",60,", ",60-65,"),
                          "capex.csv: line 8 (capex_guidance_2025_meta_low): value '60-65' is not a number; one number per row"),
    "duplicate id in a file": (lambda d: edit_line(d / "event.csv", 3, "nvda_change_pct_2025_01_24_bound", "nvda_close_2025_01_24"),
                               "event.csv: line 3: id 'nvda_close_2025_01_24' is already used at event.csv line 2"),
    "duplicate id across files": (lambda d: edit_line(d / "trends.csv", 2, "epoch_gpu_price_perf_doubling_years_all", "nvda_close_2025_01_24"),
                                  "id 'nvda_close_2025_01_24' is already used at"),
    "unknown unit": (lambda d: edit_line(d / "hardware.csv", 2, "FLOP/s", "TFLOPS"), "unit 'TFLOPS' is not known; allowed:"),
    "non-url source": (lambda d: edit_line(d / "hardware.csv", 2, "https://hmc-tech.com", "hmc-tech.com"), "is not a URL"),
    "unused without variant": (lambda d: edit_line(d / "event.csv", 5, ",no,nvda_close_2025_01_27,", ",no,,"), "used is 'no' but variant_of is empty"),
    "variant of unknown id": (lambda d: edit_line(d / "event.csv", 5, ",no,nvda_close_2025_01_27,", ",no,nvda_close_2099,"), "variant_of 'nvda_close_2099' must be the id of another fact"),
    "not snake_case": (lambda d: edit_line(d / "event.csv", 2, "nvda_close_2025_01_24", "NVDA-close"), "id 'NVDA-close' is not snake_case"),
    "truncated": (lambda d: (d / "nvidia.csv").write_text((d / "nvidia.csv").read_text()[:-30]), "nvidia.csv: line 80: the file ends in the middle of a line"),
    "statement duplicate id": (lambda d: edit_line(d / "statements.csv", 2, "nadella_jevons_paradox", "nvda_close_2025_01_24"), "statements.csv: line 2: id 'nvda_close_2025_01_24' is already used"),
}


@pytest.mark.parametrize("case", sorted(BAD_FACTS))
def test_schema_error_in_process(facts_copy, case):
    damage, fragment = BAD_FACTS[case]
    damage(facts_copy)
    with pytest.raises(DataError) as info:
        load_facts(directory=facts_copy)
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert str(facts_copy) in message


@pytest.mark.parametrize("case", ["missing column", "bad date", "non-numeric value", "duplicate id in a file"])
def test_schema_error_through_the_cli(facts_copy, mirror, case):
    damage, fragment = BAD_FACTS[case]
    damage(facts_copy)
    result = run_cli("data", "facts", "--facts-dir", str(facts_copy))
    assert_one_line_error(result, str(facts_copy), fragment)
    # with the full mirror every dataset is present, so the facts table is the one error
    result = run_cli("data", "verify", "--facts-dir", str(facts_copy),
                     env={"JEVONS_OFFLINE": "1", "JEVONS_DATA_MIRROR": str(mirror),
                          "JEVONS_CACHE_DIR": str(facts_copy / "nocache")})
    assert_one_line_error(result, str(facts_copy), fragment)


def test_as_of_filter_on_synthetic_tables(tmp_path):
    (tmp_path / "a.csv").write_text(
        HEADER + "\n"
        "early,1,%,2025-01-01,,,estimate,yes,,someone,https://example.org/a,\n"
        "late,2,%,2025-03-01,,,estimate,yes,,someone,https://example.org/b,\n")
    assert list(load_facts("2025-02-10", directory=tmp_path)["id"]) == ["early"]
    assert list(load_facts("2025-03-01", directory=tmp_path)["id"]) == ["early", "late"]
    assert list(load_facts(None, directory=tmp_path)["id"]) == ["early", "late"]
    assert fact_value("late", "2025-03-01", directory=tmp_path) == 2.0
    with pytest.raises(DataError, match="after the as-of date 2025-02-28"):
        fact_value("late", "2025-02-28", directory=tmp_path)


def test_facts_cli_filters_by_as_of():
    result = run_cli("data", "facts", "--as-of", CUTOFF)
    assert result.returncode == 0, result.stderr
    assert "nvda_close_2025_01_27 " in result.stdout and "openrouter_elasticity" not in result.stdout
    result = run_cli("data", "facts", "--as-of", CUTOFF, "--id", "openrouter_elasticity")
    assert_one_line_error(result, "openrouter_elasticity", "as of 2025-02-10")

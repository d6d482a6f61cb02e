"""results.csv / summary.csv from a fake engine result (no engine needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from model.engine import schema
from model.output.results_files import (
    QUANTILES,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    results_frame,
    summary_frame,
    write_frame,
)
from model.scenarios.runs import quantile_table, table_years


@dataclass(frozen=True)
class FakeResult:
    years: np.ndarray
    variables: dict[str, np.ndarray]
    n_draws: int


def fake(n: int = 7, start: int = 2024, end: int = 2030, seed: int = 0) -> FakeResult:
    rng = np.random.default_rng(seed)
    years = np.arange(start, end + 1, dtype=float)
    names = ["nvidia_dc_revenue", "compute_spend", "flop_demand"]  # not in schema order
    variables = {v: rng.lognormal(size=(n, years.size)) * 10 ** (3 * i) for i, v in enumerate(names)}
    return FakeResult(years, variables, n)


def test_results_frame_layout_columns_and_units():
    r = fake()
    frame = results_frame(r, "s")
    assert list(frame.columns) == RESULT_COLUMNS
    assert len(frame) == 7 * 7 * 3
    assert frame["year"].dtype == np.int64 and frame["year"].min() == 2024
    # Variables in schema.OUTPUT_UNITS order, then draws, then years.
    order = [v for v in schema.OUTPUT_UNITS if v in r.variables]
    assert list(pd.unique(frame["variable"].astype(str))) == order
    for name in order:
        part = frame[frame["variable"] == name]
        assert set(part["unit"]) == {schema.OUTPUT_UNITS[name]}
        np.testing.assert_array_equal(part["value"].to_numpy().reshape(7, 7), r.variables[name])
        np.testing.assert_array_equal(part["draw"].to_numpy().reshape(7, 7),
                                      np.repeat(np.arange(7), 7).reshape(7, 7))
    assert set(frame["scenario"]) == {"s"}


def test_results_frame_filters():
    frame = results_frame(fake(), "s", variables=["flop_demand"], years=[2025, 2030])
    assert set(frame["variable"]) == {"flop_demand"}
    assert sorted(set(frame["year"])) == [2025, 2030]
    assert len(frame) == 7 * 2


def test_summary_equals_numpy_quantiles():
    r = fake(n=101)
    summary = summary_frame(r, "s")
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert len(summary) == 3 * 7
    for name, arr in r.variables.items():
        part = summary[summary["variable"] == name]
        assert (part["draws"] == 101).all()
        assert list(part["year"]) == list(range(2024, 2031))
        np.testing.assert_allclose(part["mean"].to_numpy(), arr.mean(axis=0), rtol=1e-14)
        for column, q in QUANTILES.items():
            np.testing.assert_array_equal(part[column].to_numpy(), np.quantile(arr, q, axis=0))


def test_summary_of_one_draw_is_the_draw():
    r = fake(n=1)
    summary = summary_frame(r, "s", years=[2026])
    spend = summary[summary["variable"] == "compute_spend"].iloc[0]
    assert spend["year"] == 2026
    for column in ["mean", *QUANTILES]:
        assert spend[column] == r.variables["compute_spend"][0, 2]


def test_csv_round_trip_is_exact_and_reruns_are_bit_identical(tmp_path):
    r = fake()
    write_frame(tmp_path / "a.csv", results_frame(r, "s"))
    write_frame(tmp_path / "b.csv", results_frame(fake(), "s"))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    back = pd.read_csv(tmp_path / "a.csv")  # pandas 3 parses floats exactly
    assert list(back.columns) == RESULT_COLUMNS
    spend = back[back["variable"] == "compute_spend"]["value"].to_numpy().reshape(7, 7)
    np.testing.assert_array_equal(spend, r.variables["compute_spend"])  # shortest repr, exact
    assert (tmp_path / "a.csv").read_text().splitlines()[0] == ",".join(RESULT_COLUMNS)


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "results.csv"

    def broken(self, path, **kwargs):
        with open(path, "w") as handle:
            handle.write("scenario,draw\nhalf")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        write_frame(target, results_frame(fake(), "s"))
    assert list(tmp_path.iterdir()) == []


def test_printed_table_matches_the_summary_file():
    years = np.arange(2024, 2036, dtype=float)
    assert table_years(years) == [2024, 2025, 2030, 2035]
    result = fake(n=50, end=2035)
    table = quantile_table(result).set_index("variable")
    assert list(table.columns) == ["unit", "2024", "2025", "2030", "2035"]
    assert table.loc["compute_spend", "unit"] == "USD bn"
    summary = summary_frame(result, "s").set_index(["variable", "year"])
    median, low, high = summary.loc[("compute_spend", 2030), ["p50", "p05", "p95"]]
    shown = [float(x) for x in re.findall(r"[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?",
                                          table.loc["compute_spend", "2030"].replace(",", ""))]
    np.testing.assert_allclose(shown, [median, low, high], rtol=5e-3)  # 4 significant digits
    one = quantile_table(fake(n=1, end=2035))
    assert "[" not in one.iloc[0, 2]
    with pytest.raises(ValueError, match="not in the result"):
        quantile_table(result, years=[2040])

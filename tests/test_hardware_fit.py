"""Tests for model.calibration.hardware_fit: recovery of a known doubling time, the as-of guarantee, the
column choices, the errors, and the fit on the real Epoch AI ML-hardware mirror."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calibration import hardware_fit as hw
from model.calibration.hardware_fit import (
    FP16,
    FP32,
    MANUFACTURER,
    MAX_PERFORMANCE,
    NAME,
    PRECISIONS,
    PRICE,
    RELEASE_DATE,
    TENSOR_FP16,
    TYPE,
    HardwareFit,
    decimal_year,
    doubling_interval,
    doubling_years_from_annual_factor,
    fit_as_of_dates,
    fit_doubling_time,
    fits_table,
)
from model.data.facts import fact_value
from model.errors import DataError, JevonsError
from model.summary import Summary

AS_OF = "2025-02-10"


def synthetic_frame(
    doubling_years: float = 2.5,
    n: int = 120,
    noise_sd: float = 0.6,
    seed: int = 0,
    start: str = "2008-01-01",
    end: str = "2024-12-31",
    hetero: bool = False,
) -> pd.DataFrame:
    """Chips whose log2 FP32 FLOP/s per USD rises 1/doubling_years per year, plus normal noise
    (tensor FP16 8x, plain FP16 2x and Epoch's max 16x the FP32 figure on every chip)."""
    rng = np.random.default_rng(seed)
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    days = np.sort(rng.integers(0, (t1 - t0).days + 1, size=n))
    dates = t0 + pd.to_timedelta(days, unit="D")
    years = decimal_year(dates)
    sd = noise_sd * (0.2 + 1.6 * (years - years.min()) / np.ptp(years)) if hetero else noise_sd
    log2_per_usd = 33.0 + (years - 2024.0) / doubling_years + rng.normal(0.0, 1.0, n) * sd
    price = np.exp(rng.normal(8.0, 1.2, n))
    flops = price * 2.0**log2_per_usd
    return pd.DataFrame(
        {
            NAME: [f"chip {i:03d}" for i in range(n)],
            MANUFACTURER: "Acme",
            TYPE: "GPU",
            RELEASE_DATE: dates,
            PRICE: price,
            TENSOR_FP16: flops * 8.0,
            FP16: flops * 2.0,
            FP32: flops,
            MAX_PERFORMANCE: flops * 16.0,
        }
    )


def assert_identical(a: HardwareFit, b: HardwareFit) -> None:
    """Every number and table of two fits is bit-identical."""
    for name in (
        "as_of", "precision", "kind", "n", "slope", "slope_se", "slope_interval", "slope_se_hc3",
        "slope_interval_hc3", "doubling_years", "interval", "interval_hc3", "log2_at_reference",
        "log2_at_reference_interval", "r_squared", "first_release", "last_release", "excluded",
    ):
        assert getattr(a, name) == getattr(b, name), name
    pd.testing.assert_frame_equal(a.chips, b.chips, check_exact=True)
    pd.testing.assert_frame_equal(a.line, b.line, check_exact=True)


# --- recovery of a known answer -------------------------------------------------------------


def test_noise_free_line_is_recovered_exactly():
    frame = synthetic_frame(doubling_years=2.0, noise_sd=0.0, n=30)
    fit = fit_doubling_time(frame, AS_OF)
    assert fit.doubling_years == pytest.approx(2.0, rel=1e-9)
    assert fit.log2_at_reference == pytest.approx(33.0, abs=1e-8)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    assert fit.annual_factor == pytest.approx(math.sqrt(2.0), rel=1e-9)
    assert fit.annual_cost_decline == pytest.approx(1 - 1 / math.sqrt(2.0), rel=1e-9)


@pytest.mark.parametrize("true_doubling", [1.5, 2.5, 4.0])
def test_known_doubling_time_inside_its_interval(true_doubling):
    fit = fit_doubling_time(synthetic_frame(doubling_years=true_doubling, seed=3), AS_OF)
    assert fit.n == 120
    assert fit.interval[0] < true_doubling < fit.interval[1]
    assert fit.interval_hc3[0] < true_doubling < fit.interval_hc3[1]
    assert fit.doubling_years == pytest.approx(true_doubling, rel=0.15)
    assert fit.interval_bounded


def test_interval_coverage_is_near_95_percent():
    """Over many synthetic datasets the 95% interval covers the true value about 95% of the time."""
    true_doubling = 2.5
    fits = [
        fit_doubling_time(synthetic_frame(true_doubling, n=40, noise_sd=0.8, seed=s), AS_OF)
        for s in range(200)
    ]
    covered = np.array([f.interval[0] <= true_doubling <= f.interval[1] for f in fits])
    assert 0.90 <= covered.mean() <= 0.99


def test_standard_errors_match_the_textbook_formulas():
    frame = synthetic_frame(n=60, seed=7, hetero=True)
    fit = fit_doubling_time(frame, AS_OF)
    x = fit.chips["year"].to_numpy() - fit.reference_year
    y = fit.chips["log2_flops_per_usd"].to_numpy()
    design = np.column_stack([np.ones_like(x), x])
    xtx_inv = np.linalg.inv(design.T @ design)
    beta = xtx_inv @ design.T @ y
    resid = y - design @ beta
    n, k = design.shape
    se_ols = np.sqrt(np.diag(xtx_inv) * (resid @ resid) / (n - k))
    leverage = np.einsum("ij,jk,ik->i", design, xtx_inv, design)
    meat = design.T @ (design * (resid / (1 - leverage))[:, None] ** 2)
    se_hc3 = np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv))
    assert fit.slope == pytest.approx(beta[1], rel=1e-10)
    assert fit.slope_se == pytest.approx(se_ols[1], rel=1e-10)
    assert fit.slope_se_hc3 == pytest.approx(se_hc3[1], rel=1e-10)
    # The doubling-time interval is the reciprocal of the slope's interval, ends swapped.
    assert fit.interval == (1 / fit.slope_interval[1], 1 / fit.slope_interval[0])
    assert fit.interval_hc3 == (1 / fit.slope_interval_hc3[1], 1 / fit.slope_interval_hc3[0])


def test_line_and_chip_columns():
    fit = fit_doubling_time(synthetic_frame(seed=1), AS_OF)
    line = fit.line
    assert list(line.columns) == ["year", "fitted", "ci_low", "ci_high", "pi_low", "pi_high"]
    assert line["year"].iloc[0] == fit.chips["year"].iloc[0]
    assert line["year"].iloc[-1] == fit.chips["year"].iloc[-1]
    assert (line["pi_low"] < line["ci_low"]).all() and (line["ci_low"] < line["fitted"]).all()
    assert (line["fitted"] < line["ci_high"]).all() and (line["ci_high"] < line["pi_high"]).all()
    np.testing.assert_allclose(
        line["fitted"], fit.log2_at_reference + fit.slope * (line["year"] - 2024.0), rtol=1e-12
    )
    chips = fit.chips
    assert chips["release_date"].is_monotonic_increasing
    np.testing.assert_allclose(chips["flops_per_usd"], chips["flops"] / chips["price_usd"])
    np.testing.assert_allclose(chips["residual"], chips["log2_flops_per_usd"] - chips["fitted"])
    assert (chips["cooks_distance"] >= 0).all()


# --- the as-of guarantee ---------------------------------------------------------------------


def test_rows_after_as_of_do_not_change_the_fit():
    frame = synthetic_frame(end="2027-12-31", n=150, seed=11)
    base = fit_doubling_time(frame, AS_OF)
    later = frame[RELEASE_DATE] > pd.Timestamp(AS_OF)
    assert later.sum() > 5 and base.n == int((~later).sum())

    changed = frame.copy()
    changed.loc[later, PRICE] *= 10.0
    changed.loc[later, [TENSOR_FP16, FP32]] /= 1e6
    changed.loc[later, TYPE] = "GPU"
    absurd = pd.DataFrame(
        {
            NAME: ["absurd a", "absurd b", "absurd c"],
            MANUFACTURER: "Nobody",
            TYPE: "GPU",
            RELEASE_DATE: pd.to_datetime(["2025-02-11", "2030-01-01", "2099-12-31"]),
            PRICE: [1e-6, 1e12, 1.0],
            TENSOR_FP16: [1e30, 1.0, 1e25],
            FP16: [1.0, 1.0, 1.0],
            FP32: [1.0, 1.0, 1.0],
            MAX_PERFORMANCE: [1e30, 1.0, 1e25],
        }
    )
    # Later rows interleaved at the top, in reverse order, with a duplicated index.
    shuffled = pd.concat([absurd, changed.loc[later].iloc[::-1], changed.loc[~later]])
    assert_identical(base, fit_doubling_time(shuffled, AS_OF))
    # Dropping every later row changes nothing either.
    assert_identical(base, fit_doubling_time(frame.loc[~later], AS_OF))


def test_chip_released_on_the_as_of_date_is_used():
    frame = synthetic_frame(n=20, end="2024-06-30", seed=2)
    on_the_day = frame.iloc[[0]].assign(**{NAME: "on the day", RELEASE_DATE: pd.Timestamp(AS_OF)})
    fit = fit_doubling_time(pd.concat([frame, on_the_day]), AS_OF)
    assert fit.n == 21 and fit.last_release == pd.Timestamp(AS_OF)
    day_before = fit_doubling_time(pd.concat([frame, on_the_day]), "2025-02-09")
    assert day_before.n == 20


@settings(max_examples=25, deadline=None)
@given(
    shift_days=st.lists(st.integers(1, 5000), min_size=1, max_size=8),
    log_prices=st.lists(st.floats(-5, 20), min_size=8, max_size=8),
)
def test_as_of_property(shift_days, log_prices):
    frame = synthetic_frame(n=25, end="2024-12-31", seed=5)
    base = fit_doubling_time(frame, AS_OF)
    extra = pd.DataFrame(
        {
            NAME: [f"later {i}" for i in range(len(shift_days))],
            MANUFACTURER: "Later",
            TYPE: "GPU",
            RELEASE_DATE: pd.Timestamp(AS_OF) + pd.to_timedelta(shift_days, unit="D"),
            PRICE: np.exp(log_prices[: len(shift_days)]),
            TENSOR_FP16: 1e14,
            FP16: np.nan,
            FP32: 1e13,
            MAX_PERFORMANCE: 1e14,
        }
    )
    assert_identical(base, fit_doubling_time(pd.concat([extra, frame]), AS_OF))
    tensor = fit_doubling_time(frame, AS_OF, precision="fp16_tensor", precision_dummies=True)
    assert_identical(tensor, fit_doubling_time(pd.concat([extra, frame]), AS_OF,
                                               precision="fp16_tensor", precision_dummies=True))


def test_string_dates_and_as_of_types_agree():
    frame = synthetic_frame(n=30, seed=4)
    as_strings = frame.assign(**{RELEASE_DATE: frame[RELEASE_DATE].dt.strftime("%Y-%m-%d")})
    a = fit_doubling_time(frame, AS_OF)
    assert_identical(a, fit_doubling_time(as_strings, pd.Timestamp(AS_OF)))
    assert_identical(a, fit_doubling_time(frame, pd.Timestamp(AS_OF).date()))


def test_fits_over_as_of_dates_grow_with_the_data():
    frame = synthetic_frame(n=150, seed=9)
    dates = ["2016-12-31", "2020-12-31", AS_OF]
    fits = fit_as_of_dates(frame, dates, precision="fp32")
    table = fits_table(fits)
    assert list(table["as_of"]) == [pd.Timestamp(d) for d in dates]
    assert table["n"].is_monotonic_increasing
    assert (table["precision"] == "fp32").all()
    assert (table["last_release"] <= table["as_of"]).all()
    assert_identical(fits[1], fit_doubling_time(frame, "2020-12-31", precision="fp32"))


# --- column and chip choices -----------------------------------------------------------------


def test_precision_fallback_uses_the_larger_of_fp16_and_fp32():
    frame = synthetic_frame(n=12, noise_sd=0.0, seed=6)
    frame.loc[0:3, TENSOR_FP16] = np.nan
    frame.loc[0:1, FP16] = frame.loc[0:1, FP32] / 64  # crippled FP16, as on Pascal GeForce cards
    fit = fit_doubling_time(frame, AS_OF, precision="fp16_tensor", min_chips=5)
    sources = fit.chips.set_index("name")["performance_source"]
    assert list(sources.iloc[:4]) == ["fp32", "fp32", "fp16", "fp16"]
    assert (sources.iloc[4:] == "tensor-fp16/bf16").all()
    chips = fit.chips.set_index("name")
    assert chips.loc["chip 000", "flops"] == frame.loc[0, FP32]
    assert chips.loc["chip 002", "flops"] == frame.loc[2, FP16]

    only = fit_doubling_time(frame, AS_OF, precision="fp16_tensor_only", min_chips=5)
    assert only.n == 8
    fp32 = fit_doubling_time(frame, AS_OF, precision="fp32", min_chips=5)
    assert (fp32.chips["performance_source"] == "fp32").all()
    # FP32 is TENSOR/8 on every chip: same slope, intercept lower by 3 doublings.
    assert fp32.slope == pytest.approx(only.slope, rel=1e-9)
    epoch = fit_doubling_time(frame, AS_OF, precision="epoch_max", min_chips=5)
    assert epoch.log2_at_reference == pytest.approx(fp32.log2_at_reference + 4, abs=1e-9)


def test_kind_selects_types_and_bad_values_are_dropped():
    frame = synthetic_frame(n=20, seed=8)
    frame.loc[0:2, TYPE] = "TPU"
    frame.loc[3, TYPE] = np.nan
    frame.loc[4, PRICE] = 0.0
    frame.loc[5, PRICE] = np.nan
    frame.loc[6, [TENSOR_FP16, FP16, FP32]] = [np.nan, -1.0, np.nan]
    frame.loc[7, RELEASE_DATE] = pd.NaT
    gpu = fit_doubling_time(frame, AS_OF)
    assert gpu.n == 20 - 8
    assert gpu.excluded == {"undated": 1, "wrong_type": 4, "no_price": 2, "no_performance": 1}
    everything = fit_doubling_time(frame, AS_OF, kind="all")
    assert everything.n == 20 - 4
    assert set(everything.chips["type"].dropna()) == {"GPU", "TPU"}


def test_flat_trend_gives_an_unbounded_interval():
    frame = synthetic_frame(doubling_years=1e9, n=25, noise_sd=1.0, seed=12)
    fit = fit_doubling_time(frame, AS_OF)
    assert fit.slope_interval[0] < 0 < fit.slope_interval[1]
    assert fit.interval[1] == math.inf and not fit.interval_bounded
    assert fit.interval[0] == pytest.approx(1 / fit.slope_interval[1])


def test_doubling_interval_and_conversions():
    assert doubling_interval(0.25, 0.5) == (2.0, 4.0)
    assert doubling_interval(-0.1, 0.5) == (2.0, math.inf)
    assert doubling_interval(-0.5, -0.1) == (math.inf, math.inf)
    assert doubling_years_from_annual_factor(2.0) == pytest.approx(1.0)
    assert doubling_years_from_annual_factor(1 / 0.7) == pytest.approx(1.943, abs=5e-4)


def test_decimal_year():
    dates = pd.to_datetime(["2020-01-01", "2020-07-02", "2021-07-02", "2024-12-31"])
    np.testing.assert_allclose(
        decimal_year(dates), [2020.0, 2020.5, 2021 + 182 / 365, 2024 + 365 / 366]
    )


# --- errors ----------------------------------------------------------------------------------


def test_as_of_is_required_and_must_be_a_date():
    frame = synthetic_frame(n=15)
    for bad in (None, "not a date", "2025-13-01", 20250210):
        with pytest.raises(JevonsError, match="as_of") as info:
            fit_doubling_time(frame, bad)
        assert "\n" not in str(info.value)


def test_as_of_before_first_release():
    frame = synthetic_frame(n=15, start="2010-03-01")
    first = frame[RELEASE_DATE].min().date()
    with pytest.raises(JevonsError, match=r"as_of 2009-12-31 is before the first release date") as e:
        fit_doubling_time(frame, "2009-12-31")
    assert f"({first})" in str(e.value)


def test_no_rows():
    empty = synthetic_frame(n=15).iloc[0:0]
    with pytest.raises(DataError, match="no rows with a 'Release date'"):
        fit_doubling_time(empty, AS_OF)


@pytest.mark.parametrize(
    ("precision", "column"),
    [("fp16_tensor", TENSOR_FP16), ("fp16_tensor", FP32), ("fp32", FP32), ("epoch_max", MAX_PERFORMANCE)],
)
def test_missing_column_is_named(precision, column):
    frame = synthetic_frame(n=15).drop(columns=[column])
    with pytest.raises(DataError, match=re.escape(f"missing column '{column}'")):
        fit_doubling_time(frame, AS_OF, precision=precision)


def test_missing_release_price_column_is_named():
    with pytest.raises(DataError, match=r"missing column 'Release price \(USD\)'"):
        fit_doubling_time(synthetic_frame(n=15).drop(columns=[PRICE]), AS_OF)


def test_too_few_chips():
    frame = synthetic_frame(n=15, end="2024-12-31")
    frame[RELEASE_DATE] = pd.to_datetime(["2012-01-01"] * 4 + ["2013-01-01"] * 11)
    with pytest.raises(DataError, match=r"only 4 usable chips released by 2012-06-30.*min_chips=10"):
        fit_doubling_time(frame, "2012-06-30")
    assert fit_doubling_time(frame, AS_OF, min_chips=15).n == 15
    with pytest.raises(DataError, match="only 15 usable chips"):
        fit_doubling_time(frame, AS_OF, min_chips=16)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"precision": "fp8"}, "precision 'fp8' is not one of: " + ", ".join(PRECISIONS)),
        ({"kind": "tpu"}, "kind 'tpu' is not one of: gpu, all"),
        ({"min_chips": 2}, "min_chips must be an integer >= 3"),
        ({"min_chips": 10.0}, "min_chips must be an integer >= 3"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(JevonsError, match=re.escape(message)):
        fit_doubling_time(synthetic_frame(n=15), AS_OF, **kwargs)


def test_unparsable_release_dates():
    frame = synthetic_frame(n=15).astype({RELEASE_DATE: object})
    frame.loc[3, RELEASE_DATE] = "sometime in 2019"
    with pytest.raises(DataError, match="'Release date' has values that are not ISO dates"):
        fit_doubling_time(frame, AS_OF)


# --- the real data -----------------------------------------------------------------------------


def read_mirror_csv(mirror) -> pd.DataFrame:
    """Test-only reader of the mirror file (the package reads it through model.data)."""
    frame = pd.read_csv(mirror / "other" / "epoch_ml_hardware.csv")
    return frame.assign(**{RELEASE_DATE: pd.to_datetime(frame[RELEASE_DATE])})


def test_real_mirror_fit_is_plausible(mirror):
    frame = read_mirror_csv(mirror)
    fit = fit_doubling_time(frame, AS_OF)
    assert 1.5 < fit.doubling_years < 4.0
    assert fit.interval[0] < fit.doubling_years < fit.interval[1] < math.inf
    assert fit.n >= 30
    assert fit.last_release <= pd.Timestamp(AS_OF)
    assert fit.first_release.year == 2008
    # Rows after the as-of date exist in the file but cannot matter.
    later = frame[RELEASE_DATE] > pd.Timestamp(AS_OF)
    assert later.any()
    assert_identical(fit, fit_doubling_time(frame.loc[~later], AS_OF))
    for precision in PRECISIONS:
        other = fit_doubling_time(frame, AS_OF, precision=precision)
        assert other.slope > 0


def test_fit_from_data_without_data_is_a_one_line_error(tmp_path, monkeypatch):
    pytest.importorskip("model.data", reason="the data layer (model.data) has not landed")
    from model.calibration.hardware_fit import fit_from_data

    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "no-cache"))
    with pytest.raises(DataError, match="epoch_ml_hardware") as info:
        fit_from_data(AS_OF)
    assert "\n" not in str(info.value)


def test_real_mirror_through_the_data_layer(mirror):
    data = pytest.importorskip("model.data", reason="the data layer (model.data) has not landed")
    from model.calibration.hardware_fit import fit_from_data

    # fit_from_data defaults to the training figure (its callers rank chips by it)
    direct = fit_doubling_time(data.load_dataset("epoch_ml_hardware"), AS_OF,
                               precision=hw.TRAINING_PRECISION)
    via = fit_from_data(AS_OF)
    assert via.precision == "fp16_tensor"
    assert_identical(direct, via)
    assert_identical(fit_doubling_time(data.load_dataset("epoch_ml_hardware"), AS_OF),
                     fit_from_data(AS_OF, precision="fp32"))
    reference = fit_doubling_time(read_mirror_csv(mirror), AS_OF, precision=hw.TRAINING_PRECISION)
    assert via.n == reference.n
    assert via.doubling_years == pytest.approx(reference.doubling_years, rel=1e-12)


# --- what the book reports about the data and the fit ----------------------------------------
def _with_book_columns(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["Last modified"] = "2025-06-01T00:00:00Z"
    out["Source for the price"] = "launch press release"
    return out


def test_dataset_counts_split_the_table_at_the_as_of_date():
    frame = _with_book_columns(synthetic_frame(n=40, end="2026-06-30"))
    frame.loc[frame.index[:5], PRICE] = np.nan
    frame.loc[frame.index[5:7], "Source for the price"] = np.nan
    counts = hw.dataset_counts(frame, AS_OF)
    released = int((frame[RELEASE_DATE] <= AS_OF).sum())
    assert counts["rows"] == 40 and counts["rows_priced"] == 35
    assert counts["rows_released"] == released and counts["rows_after"] == 40 - released
    assert counts["n_price_unsourced"] == 2
    assert counts["n_priced_after"] == int((frame[PRICE].notna() & (frame[RELEASE_DATE] > AS_OF)).sum())
    assert counts["last_priced"] == frame.loc[frame[PRICE].notna(), RELEASE_DATE].max().date()


def test_influence_and_selection_helpers():
    frame = synthetic_frame(n=60)
    fit = fit_doubling_time(frame, AS_OF)
    top = hw.most_influential_chip(fit)
    assert top["cooks_distance"] == fit.chips["cooks_distance"].max()
    assert len(hw.without_chip(frame, top["name"])) == 59
    assert (hw.priced_at_least(frame, 5000)[PRICE] >= 5000).all()
    assert hw.chips_released_after(fit, "2022-12-31") == int((fit.chips["release_date"] > "2022-12-31").sum())
    # no tensor-core counts in the synthetic data: nothing is understated
    frame["Tensor cores"] = 1.0
    frame.loc[frame.index[:4], TENSOR_FP16] = np.nan
    assert hw.chips_without_tensor_figure(fit_doubling_time(frame, AS_OF, precision="fp16_tensor")) == 4
    # the default FP32 fit counts every chip at FP32, so every tensor-core chip is understated
    assert hw.chips_without_tensor_figure(fit_doubling_time(frame, AS_OF)) == 60


def test_real_doubling_time_and_history():
    assert hw.real_doubling_years(0.5, 0.0) == pytest.approx(2.0)
    # 2% inflation adds log2(1.02) doublings a year to real FLOP/s per dollar
    assert hw.real_doubling_years(0.5, 0.02) == pytest.approx(1 / (0.5 + math.log2(1.02)))
    history = hw.year_end_history(synthetic_frame(), 2018, 2020, AS_OF)
    assert [d.date().isoformat() for d in history["as_of"]] == [
        "2018-12-31", "2019-12-31", "2020-12-31", AS_OF]
    widths = hw.interval_widths(history)
    assert (widths > 0).all() and widths.iloc[-1] < widths.iloc[0]  # more chips, narrower


def test_precision_variants_cover_every_precision():
    table = hw.precision_variants(synthetic_frame(), AS_OF)
    assert list(zip(table["precision"], table["kind"], strict=True)) == (
        [(p, "gpu") for p in PRECISIONS] + [("fp16_tensor", "gpu"), ("epoch_max", "all")])
    assert table["precision_dummies"].tolist() == [False] * len(PRECISIONS) + [True, False]


def test_published_estimates_convert_the_yearly_decline_both_ways():
    published = hw.published_estimates(AS_OF)
    rate = fact_value(hw.DECLINE_FACT, AS_OF) / 100
    readings = published.loc[published["fact id"] == hw.DECLINE_FACT, "doubling (years)"]
    assert readings.tolist() == pytest.approx([math.log(2) / math.log(1 / (1 - rate)),
                                               math.log(2) / math.log(1 + rate)])
    assert readings.iloc[0] < readings.iloc[1]  # a price fall of r is faster than growth of r
    epoch = published.set_index("fact id").loc["epoch_gpu_price_perf_doubling_years_all"]
    assert epoch["95% low"] <= epoch["doubling (years)"] <= epoch["95% high"]
    assert (published["source"] == published["stated by"].str.split(",").str[0]).all()


def test_summary_prints_and_to_dict_is_a_fits_table_row():
    fit = fit_doubling_time(synthetic_frame(), AS_OF)
    summary = fit.summary()
    assert isinstance(summary, Summary)
    text = str(summary)
    assert "doubling time, 95% interval" in text and f"{fit.n:,}" in text
    assert fits_table([fit]).iloc[0].to_dict() == fit.to_dict()

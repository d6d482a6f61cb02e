"""Tests for the precision choices of model.calibration.hardware_fit: one number format per fit
(known doubling times recovered per precision), precision indicators (a level shift between
formats is absorbed without moving the slope), the like-for-like comparison with the published
estimates (definitions, windows, as-of discipline) and its display table."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from model.calibration import hardware_fit as hw
from model.calibration.hardware_fit import (
    FP16,
    FP32,
    MAX_PERFORMANCE,
    NAME,
    PRICE,
    RELEASE_DATE,
    TENSOR_FP16,
    TYPE,
    decimal_year,
    fit_doubling_time,
    like_for_like,
)
from model.data.facts import fact
from model.errors import DataError, JevonsError
from model.output import fit_tables

AS_OF = "2025-02-10"
TENSOR, PLAIN16, SINGLE = (hw.SOURCE_LABELS[c] for c in (TENSOR_FP16, FP16, FP32))


def per_precision_frame(doubling: dict[str, float] | None = None, n: int = 90, noise_sd: float = 0.0,
                        seed: int = 0, start: str = "2007-01-01", end: str = "2024-12-31",
                        kind: str = "GPU") -> pd.DataFrame:
    """Chips with one exact line per performance column: log2(figure / price) rises by
    1/doubling[column] a year (plus optional noise), each column at its own level."""
    doubling = doubling or {FP32: 3.0, FP16: 1.5, TENSOR_FP16: 2.0, MAX_PERFORMANCE: 1.25}
    levels = {FP32: 30.0, FP16: 31.0, TENSOR_FP16: 33.0, MAX_PERFORMANCE: 34.0}
    rng = np.random.default_rng(seed)
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    dates = t0 + pd.to_timedelta(np.sort(rng.integers(0, (t1 - t0).days + 1, size=n)), unit="D")
    years = decimal_year(dates)
    price = np.exp(rng.normal(8.0, 1.0, n))
    frame = pd.DataFrame({NAME: [f"chip {i:03d}" for i in range(n)], "Manufacturer": "Acme",
                          TYPE: kind, RELEASE_DATE: dates, PRICE: price})
    for column, level in levels.items():
        log2_per_usd = level + (years - 2024.0) / doubling[column] + rng.normal(0.0, noise_sd, n)
        frame[column] = price * 2.0**log2_per_usd
    return frame


def mixed_frame(shifts: dict[str, float], doubling: float = 2.5, n: int = 60, noise_sd: float = 0.0,
                seed: int = 1) -> pd.DataFrame:
    """Chips that report one figure each, as in the mirror: FP32 only (2008-2016), plain FP16
    (2016-2020), tensor FP16 (2017-2024). Each source's log2 FLOP/s per USD is a common line
    (doubling ``doubling``) plus the source's level ``shifts[label]`` plus noise."""
    rng = np.random.default_rng(seed)
    spans = {SINGLE: ("2008-01-01", "2016-12-31"), PLAIN16: ("2016-01-01", "2020-12-31"),
             TENSOR: ("2017-01-01", "2024-12-31")}
    column = {SINGLE: FP32, PLAIN16: FP16, TENSOR: TENSOR_FP16}
    parts = []
    for k, (source, (a, b)) in enumerate(spans.items()):
        t0, t1 = pd.Timestamp(a), pd.Timestamp(b)
        dates = t0 + pd.to_timedelta(np.sort(rng.integers(0, (t1 - t0).days + 1, size=n // 3)), unit="D")
        years = decimal_year(dates)
        price = np.exp(rng.normal(8.0, 1.0, len(dates)))
        log2 = 32.0 + shifts.get(source, 0.0) + (years - 2024.0) / doubling \
            + rng.normal(0.0, noise_sd, len(dates))
        part = pd.DataFrame({NAME: [f"{source} {i:02d}" for i in range(len(dates))], TYPE: "GPU",
                             RELEASE_DATE: dates, PRICE: price, TENSOR_FP16: np.nan, FP16: np.nan,
                             FP32: np.nan, MAX_PERFORMANCE: np.nan})
        part[column[source]] = price * 2.0**log2
        parts.append(part.assign(order=k))
    return pd.concat(parts, ignore_index=True).drop(columns="order")


# --- one precision: a known doubling time per precision is recovered ----------------------------
def test_default_precision_is_fp32():
    assert hw.DEFAULT_PRECISION == "fp32" and hw.PRECISIONS["fp32"] == (FP32,)
    fit = fit_doubling_time(per_precision_frame(), AS_OF)
    assert fit.precision == "fp32" and set(fit.chips["performance_source"]) == {SINGLE}
    assert fit.doubling_years == pytest.approx(3.0, rel=1e-9)


@pytest.mark.parametrize(("precision", "column", "expected"), [
    ("fp32", FP32, 3.0), ("fp16", FP16, 1.5), ("fp16_tensor_only", TENSOR_FP16, 2.0),
    ("fp16_tensor", TENSOR_FP16, 2.0), ("epoch_max", MAX_PERFORMANCE, 1.25)])
def test_exact_doubling_time_per_precision_is_recovered(precision, column, expected):
    frame = per_precision_frame()
    fit = fit_doubling_time(frame, AS_OF, precision=precision)
    assert fit.doubling_years == pytest.approx(expected, rel=1e-9)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    assert (fit.chips["performance_source"] == hw.SOURCE_LABELS[column]).all()


def test_noisy_doubling_time_per_precision_inside_its_interval():
    frame = per_precision_frame(n=150, noise_sd=0.5, seed=4)
    covered = []
    for precision, truth in (("fp32", 3.0), ("fp16", 1.5), ("epoch_max", 1.25)):
        fit = fit_doubling_time(frame, AS_OF, precision=precision)
        assert fit.doubling_years == pytest.approx(truth, rel=0.1), precision
        covered.append(fit.interval[0] < truth < fit.interval[1])
    assert sum(covered) >= 2  # 95% intervals: one miss in three is possible, two are unlikely


# --- precision as a regressor ----------------------------------------------------------------
def test_dummies_remove_a_level_shift_without_changing_the_slope():
    shifts = {TENSOR: 3.0, PLAIN16: 1.0}
    exact = fit_doubling_time(mixed_frame(shifts), AS_OF, precision="fp16_tensor",
                              precision_dummies=True)
    assert exact.doubling_years == pytest.approx(2.5, rel=1e-9)
    assert exact.reference_source == SINGLE
    assert exact.level_shifts == pytest.approx({TENSOR: 3.0, PLAIN16: 1.0}, abs=1e-9)
    assert exact.log2_at_reference == pytest.approx(32.0, abs=1e-9)
    # without the indicators the later, higher sources read as a faster trend
    pooled = fit_doubling_time(mixed_frame(shifts), AS_OF, precision="fp16_tensor")
    assert pooled.doubling_years < 2.0

    # with noise: moving one source's level by d moves its indicator by d, and nothing else
    base = fit_doubling_time(mixed_frame({}, noise_sd=0.7, seed=5), AS_OF, precision="fp16_tensor",
                             precision_dummies=True)
    shifted = fit_doubling_time(mixed_frame({TENSOR: 2.5, PLAIN16: -1.5}, noise_sd=0.7, seed=5), AS_OF,
                                precision="fp16_tensor", precision_dummies=True)
    assert shifted.slope == pytest.approx(base.slope, rel=1e-9)
    assert shifted.interval == pytest.approx(base.interval, rel=1e-9)
    assert shifted.interval_hc3 == pytest.approx(base.interval_hc3, rel=1e-9)
    assert shifted.level_shifts[TENSOR] == pytest.approx(base.level_shifts[TENSOR] + 2.5, abs=1e-9)
    assert shifted.level_shifts[PLAIN16] == pytest.approx(base.level_shifts[PLAIN16] - 1.5, abs=1e-9)
    assert shifted.log2_at_reference == pytest.approx(base.log2_at_reference, abs=1e-9)


def test_dummies_line_is_at_the_reference_level_and_fitted_values_include_the_indicator():
    fit = fit_doubling_time(mixed_frame({TENSOR: 3.0}, noise_sd=0.4, seed=2), AS_OF,
                            precision="fp16_tensor", precision_dummies=True)
    line = fit.line
    np.testing.assert_allclose(line["fitted"], fit.log2_at_reference
                               + fit.slope * (line["year"] - fit.reference_year), rtol=1e-12)
    chips = fit.chips
    shift = chips["performance_source"].map(fit.level_shifts).fillna(0.0)
    np.testing.assert_allclose(chips["fitted"], fit.log2_at_reference
                               + fit.slope * (chips["year"] - fit.reference_year) + shift, rtol=1e-12)
    text = str(fit.summary())
    assert "precision dummies" in text and "reference fp32" in text and "tensor-fp16/bf16 +" in text
    assert fit.to_dict()["precision_dummies"] is True


def test_dummies_with_one_source_change_nothing():
    frame = per_precision_frame(noise_sd=0.3, seed=3)
    plain = fit_doubling_time(frame, AS_OF)
    dummies = fit_doubling_time(frame, AS_OF, precision_dummies=True)
    assert dummies.slope == pytest.approx(plain.slope, rel=1e-12)
    assert dummies.interval == pytest.approx(plain.interval, rel=1e-12)
    assert dummies.level_shifts == {} and dummies.reference_source == SINGLE
    assert plain.reference_source is None and not plain.precision_dummies


def test_reference_is_the_last_column_some_chip_uses():
    frame = mixed_frame({TENSOR: 2.0, PLAIN16: 1.0})
    frame = frame[frame[FP32].isna()]  # no chip counted at FP32
    fit = fit_doubling_time(frame, AS_OF, precision="fp16_tensor", precision_dummies=True)
    assert fit.reference_source == PLAIN16
    assert fit.level_shifts == pytest.approx({TENSOR: 1.0}, abs=1e-9)


def test_dummies_bad_value_and_too_few_chips():
    frame = mixed_frame({})
    with pytest.raises(JevonsError, match=re.escape("precision_dummies must be True or False, got 'yes'")):
        fit_doubling_time(frame, AS_OF, precision_dummies="yes")
    # three chips, one per source: no degree of freedom is left for the slope's error
    tiny = frame.groupby(frame[NAME].str.split(" ").str[0]).head(1)
    assert len(tiny) == 3
    with pytest.raises(DataError, match="3 usable chips .* too few for a slope beside 2 precision "
                                        "indicators") as info:
        fit_doubling_time(tiny, AS_OF, precision="fp16_tensor", precision_dummies=True, min_chips=3)
    assert "\n" not in str(info.value)
    assert fit_doubling_time(tiny, AS_OF, precision="fp16_tensor", min_chips=3).n == 3


def test_precision_level_gaps_measure_the_within_chip_ratio():
    frame = per_precision_frame(doubling={c: 2.0 for c in (FP32, FP16, TENSOR_FP16, MAX_PERFORMANCE)})
    gaps = hw.precision_level_gaps(frame, AS_OF)
    # levels 33 (tensor) and 31 (FP16) against 30 (FP32), with the same slope: 3 and 1 doublings
    assert gaps.loc[TENSOR, "median"] == pytest.approx(3.0, abs=1e-9)
    assert gaps.loc[PLAIN16, "mean"] == pytest.approx(1.0, abs=1e-9)
    assert gaps.loc[TENSOR, "chips"] == len(frame)
    later = frame[RELEASE_DATE] > pd.Timestamp("2020-12-31")
    changed = frame.copy()
    changed.loc[later, TENSOR_FP16] *= 1e6
    pd.testing.assert_frame_equal(hw.precision_level_gaps(frame, "2020-12-31"),
                                  hw.precision_level_gaps(changed, "2020-12-31"))
    assert not hw.precision_level_gaps(frame, AS_OF).equals(hw.precision_level_gaps(changed, AS_OF))
    with pytest.raises(JevonsError, match="kind 'tpu' is not one of"):
        hw.precision_level_gaps(frame, AS_OF, kind="tpu")
    with pytest.raises(DataError, match=re.escape(f"missing column {FP16!r}")):
        hw.precision_level_gaps(frame.drop(columns=[FP16]), AS_OF)


# --- as of: later chips cannot move the default fit ---------------------------------------------
def test_rows_after_as_of_do_not_change_the_default_fit():
    frame = per_precision_frame(n=120, noise_sd=0.5, end="2027-12-31", seed=8)
    later = frame[RELEASE_DATE] > pd.Timestamp(AS_OF)
    assert later.sum() > 10
    base = fit_doubling_time(frame, AS_OF)
    changed = frame.copy()
    changed.loc[later, FP32] *= 1e9
    changed.loc[later, PRICE] /= 7.0
    changed.loc[later, TYPE] = "TPU"
    again = fit_doubling_time(changed, AS_OF)
    assert (again.slope, again.interval, again.n) == (base.slope, base.interval, base.n)
    pd.testing.assert_frame_equal(again.chips, base.chips, check_exact=True)
    # the same change before the as-of date does move the fit (the test can fail)
    earlier = fit_doubling_time(changed, "2027-12-31")
    assert earlier.slope != fit_doubling_time(frame, "2027-12-31").slope


# --- like for like ----------------------------------------------------------------------------
def test_every_published_estimate_has_a_definition_in_order():
    published = hw.published_estimates(AS_OF)
    table = like_for_like(per_precision_frame(n=120, noise_sd=0.4), AS_OF)
    assert table["fact id"].tolist() == published["fact id"].tolist()
    assert table["estimate"].tolist() == published["estimate"].tolist()
    assert list(table.columns) == hw.LIKE_FOR_LIKE_COLUMNS
    assert set(published["fact id"]) <= set(hw.LIKE_FOR_LIKE)


def test_definitions_match_the_published_estimates():
    """The 2022 study: FP32 (plain FP16 for its FP16 row), GPUs, released 2006-2021, with the
    chip counts its facts state; the data page: Epoch's own price-performance column, every
    accelerator released by the page's date; the FP16 performance row: no fit."""
    epoch = "epoch_gpu_price_perf_doubling_years"
    all_gpus = fact(f"{epoch}_all", AS_OF)
    assert "2006-2021" in all_gpus["note"] and "FP32" in hw.published_estimates(AS_OF)["estimate"][0]
    for suffix, precision in (("all", "fp32"), ("ml", "fp32"), ("top", "fp32"), ("fp16", "fp16")):
        d = hw.LIKE_FOR_LIKE[f"{epoch}_{suffix}"]
        assert (d.precision, d.kind, d.start, d.end) == (precision, "gpu", "2006-01-01", "2021-12-31")
        assert re.search(rf"\b{d.chips} (top-performing )?GPUs", fact(f"{epoch}_{suffix}", AS_OF)["note"])
    assert hw.PRECISIONS["fp16"] == (FP16,)  # plain FP16, no tensor rate, no FP32 fallback
    assert "FP16" in fact(f"{epoch}_fp16", AS_OF)["note"]
    page = hw.LIKE_FOR_LIKE[hw.DECLINE_FACT]
    assert (page.precision, page.kind, page.start, page.end) == ("epoch_max", "all", None, None)
    assert hw.LIKE_FOR_LIKE[hw.FP16_PERF_FACT].precision is None

    table = like_for_like(per_precision_frame(n=150, noise_sd=0.4, start="2004-01-01"), AS_OF)
    rows = table.set_index("estimate")
    for _, row in table.iterrows():
        if pd.isna(row["precision"]):
            assert pd.isna(row["doubling (years)"]) and row["published inside ours"] is None
            continue
        end = row["window end"]
        assert row["last chip"] <= end and (pd.isna(row["window start"])
                                            or row["first chip"] >= row["window start"])
    page_rows = table[table["fact id"] == hw.DECLINE_FACT]
    assert len(page_rows) == 2
    assert (page_rows["window end"] == pd.Timestamp(fact(hw.DECLINE_FACT, AS_OF)["as_of"])).all()
    assert rows.iloc[0]["window start"] == pd.Timestamp("2006-01-01")
    assert rows.iloc[0]["first chip"] >= pd.Timestamp("2006-01-01")  # chips from 2004 left out


def test_like_for_like_rows_are_the_fits_on_each_definition():
    frame = per_precision_frame(n=160, noise_sd=0.5, start="2004-01-01", seed=6)
    table = like_for_like(frame, AS_OF).set_index("fact id")
    window = frame[(frame[RELEASE_DATE] >= "2006-01-01")]
    fp32 = fit_doubling_time(window, "2021-12-31", precision="fp32")
    row = table.loc["epoch_gpu_price_perf_doubling_years_all"]
    assert row["chips"] == fp32.n and row["doubling (years)"] == fp32.doubling_years
    assert (row["95% low"], row["95% high"]) == fp32.interval
    assert (row["HC3 low"], row["HC3 high"]) == fp32.interval_hc3
    assert row["published inside ours"] == (fp32.interval[0] <= 2.46 <= fp32.interval[1])
    assert row["intervals overlap"] == (max(fp32.interval[0], 2.24) <= min(fp32.interval[1], 2.72))
    fp16 = fit_doubling_time(window, "2021-12-31", precision="fp16")
    assert table.loc["epoch_gpu_price_perf_doubling_years_fp16", "doubling (years)"] == fp16.doubling_years
    page = fit_doubling_time(frame, fact(hw.DECLINE_FACT, AS_OF)["as_of"], precision="epoch_max",
                             kind="all")
    assert (table.loc[hw.DECLINE_FACT, "doubling (years)"] == page.doubling_years).all()
    assert table.loc[hw.DECLINE_FACT, "intervals overlap"].isna().all()  # the page has no interval
    # synthetic truths: FP32 3.0 and plain FP16 1.5 years
    assert fp32.interval[0] < 3.0 < fp32.interval[1] and fp16.interval[0] < 1.5 < fp16.interval[1]


def test_like_for_like_as_of_discipline():
    frame = per_precision_frame(n=160, noise_sd=0.5, end="2027-06-30", seed=7)
    base = like_for_like(frame, AS_OF)
    # rows after the as-of date: nothing changes
    after = frame[RELEASE_DATE] > pd.Timestamp(AS_OF)
    changed = frame.copy()
    changed.loc[after, [FP32, FP16, MAX_PERFORMANCE]] *= 1e6
    changed.loc[after, PRICE] = 1.0
    pd.testing.assert_frame_equal(like_for_like(changed, AS_OF), base)
    # rows after 2021 but before the as-of date: the 2022 rows stay, the data page's rows move
    between = (frame[RELEASE_DATE] > pd.Timestamp("2021-12-31")) & ~after
    assert between.sum() > 5
    moved = frame.copy()
    moved.loc[between, [FP32, FP16, MAX_PERFORMANCE]] *= 1e3
    again = like_for_like(moved, AS_OF)
    in_2022 = base["fact id"].str.startswith("epoch_gpu_price_perf")
    pd.testing.assert_frame_equal(again[in_2022], base[in_2022])
    page = base["fact id"] == hw.DECLINE_FACT
    assert (again.loc[page, "doubling (years)"] < base.loc[page, "doubling (years)"]).all()


def test_like_for_like_errors():
    frame = per_precision_frame()
    with pytest.raises(DataError, match="became known on 2022-06-30, after the as-of date 2021-12-31") as info:
        like_for_like(frame, "2021-12-31")
    assert "\n" not in str(info.value)
    with pytest.raises(JevonsError, match="as_of"):
        like_for_like(frame, "soon")


def test_like_for_like_refuses_an_estimate_without_a_definition(monkeypatch):
    trimmed = {k: v for k, v in hw.LIKE_FOR_LIKE.items() if k != hw.FP16_PERF_FACT}
    monkeypatch.setattr(hw, "LIKE_FOR_LIKE", trimmed)
    with pytest.raises(DataError, match=re.escape(f"published estimate {hw.FP16_PERF_FACT!r} has no "
                                                  "entry in hardware_fit.LIKE_FOR_LIKE")):
        like_for_like(per_precision_frame(), AS_OF)


# --- the display tables -----------------------------------------------------------------------
def test_like_for_like_display_table():
    comparison = like_for_like(per_precision_frame(n=150, noise_sd=0.4, start="2004-01-01"), AS_OF)
    table = fit_tables.like_for_like_table(comparison)
    assert table.index.tolist() == comparison["estimate"].tolist()
    first = comparison.iloc[0]
    cells = table.iloc[0]
    assert cells["published (yr, 95%)"] == "2.46 (2.24 to 2.72)"
    assert cells["ours (yr, 95%)"] == (f"{first['doubling (years)']:.2f} ({first['95% low']:.2f} to "
                                       f"{first['95% high']:.2f})")
    assert cells["our definition"] == "fp32, gpu, 2006-01-01 to 2021-12-31"
    assert cells["published chips"] == "470" and cells["our chips"] == str(first["chips"])
    assert cells["inside ours"] == ("yes" if first["published inside ours"] else "no")
    last = table.iloc[-1]
    assert (last["ours (yr, 95%)"], last["our chips"], last["inside ours"], last["our definition"]) == (
        "-", "-", "-", "-")
    page = table[comparison["fact id"].eq(hw.DECLINE_FACT).to_numpy()]
    assert page["our definition"].str.startswith("epoch_max, all, first chip to 2025-01-16").all()
    assert (page["overlap"] == "-").all()


def test_unbounded_interval_is_shown_as_infinity():
    assert fit_tables._estimate_cell(3.75, 1.77, math.inf) == "3.75 (1.77 to ∞)"
    assert fit_tables._estimate_cell(1.94, np.nan, np.nan) == "1.94"
    assert fit_tables._estimate_cell(np.nan, np.nan, np.nan) == "-"


def test_exclusions_table_names_the_figures_of_the_precision():
    frame = per_precision_frame(n=30)
    frame.loc[0, FP32] = np.nan
    fp32 = fit_tables.hardware_exclusions_table(fit_doubling_time(frame, AS_OF))
    assert fp32.loc["no fp32 figure", "chips"] == 1 and fp32.loc["used in the fit", "chips"] == 29
    mixed = fit_tables.hardware_exclusions_table(fit_doubling_time(frame, AS_OF, precision="fp16_tensor"))
    assert "no tensor-fp16/bf16 or fp16 or fp32 figure" in mixed.index
    assert mixed.loc["used in the fit", "chips"] == 30


# --- the real data ----------------------------------------------------------------------------
def test_real_mirror_precisions_and_the_comparison(mirror):
    from model.data import load_dataset

    frame = load_dataset(hw.DATASET)
    default = fit_doubling_time(frame, AS_OF)
    assert default.precision == "fp32" and default.n >= 45
    assert set(default.chips["performance_source"]) == {SINGLE}
    assert 2.5 < default.doubling_years < 4.5 and default.interval_bounded
    mixed = fit_doubling_time(frame, AS_OF, precision="fp16_tensor")
    counts = mixed.chips["performance_source"].value_counts()
    assert set(counts.index) == {SINGLE, PLAIN16, TENSOR} and counts.min() >= 10
    # the indicator of the tensor figure is far below the same chips' own tensor/FP32 gap:
    # it absorbs the chips' price class as well as the number format (the module docstring)
    dummies = fit_doubling_time(frame, AS_OF, precision="fp16_tensor", precision_dummies=True)
    gaps = hw.precision_level_gaps(frame, AS_OF)
    assert gaps.loc[TENSOR, "median"] > dummies.level_shifts[TENSOR] + 1.0
    assert gaps.loc[PLAIN16, "min"] < -5  # FP16 at 1/64 of FP32 on some chips

    table = like_for_like(frame, AS_OF).set_index("fact id")
    epoch = table.loc["epoch_gpu_price_perf_doubling_years_all"]
    assert epoch["chips"] < epoch["published chips"]
    assert epoch["last chip"] <= pd.Timestamp("2021-12-31")
    assert epoch["95% low"] < epoch["doubling (years)"] < epoch["95% high"]
    # the FP32 rows of the 2022 study share one fit on the mirror (it cannot pick their chips)
    same = table.loc[[f"epoch_gpu_price_perf_doubling_years_{k}" for k in ("all", "ml", "top")],
                     "doubling (years)"]
    assert same.nunique() == 1


def test_like_for_like_numbers_for_the_chapter():
    comparison = like_for_like(per_precision_frame(n=150, noise_sd=0.4, start="2004-01-01"), AS_OF)
    numbers = fit_tables.like_for_like_numbers(comparison)
    first = comparison.iloc[0]
    assert numbers["ll_all_pub"] == 2.46 and numbers["ll_all_n"] == first["chips"]
    assert (numbers["ll_all_T"], numbers["ll_all_lo"], numbers["ll_all_hi"]) == (
        first["doubling (years)"], first["95% low"], first["95% high"])
    assert numbers["ll_all_inside"] == ("lies inside" if first["published inside ours"] else "lies outside")
    assert numbers["ll_all_overlap"] in ("overlaps", "does not overlap")
    page = comparison[comparison["fact id"] == hw.DECLINE_FACT].iloc[0]
    assert numbers["ll_page_pub"] == page["published (years)"] and numbers["ll_page_overlap"] == "-"
    assert set(fit_tables.LIKE_FOR_LIKE_KEYS.values()) <= set(hw.LIKE_FOR_LIKE)

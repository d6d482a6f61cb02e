"""Fit the hardware price-performance doubling time T_hw (Moore's law for FLOP/s per dollar).

The model's hardware price curve is c(t) = c0 * 2^(-(t - t0)/T_hw): the cost of a FLOP/s of
hardware halves every T_hw years. This module estimates T_hw from Epoch AI's "Machine Learning
Hardware" dataset by ordinary least squares of log2(FLOP/s per USD) on the release date::

    log2(perf_i / price_i) = a + b * (year_i - reference_year) + e_i,    T_hw = 1 / b.

Choices (each is a parameter; the defaults are documented here and in the book chapter):

* **Which chips.** A chip counts when it has a release date on or before ``as_of``, a positive
  release price and a positive performance figure for the chosen precision. ``kind="gpu"`` keeps
  rows whose ``Type`` is exactly ``GPU`` (Epoch's label; it includes e.g. Huawei's Ascend 910B);
  ``kind="all"`` keeps every accelerator type (TPU, NPU, ASIC, ...). Few non-GPU chips have a
  public release price, so the two rarely differ.
* **Which performance.** ``precision`` picks the FLOP/s figure (see :data:`PRECISIONS`):

  - ``"fp32"`` (default, :data:`DEFAULT_PRECISION`): FP32 throughput, the metric of Hobbhahn &
    Besiroglu (Epoch AI, 2022).
  - ``"fp16_tensor"`` (:data:`TRAINING_PRECISION`): dense tensor-core FP16/BF16 where the
    dataset reports it, else the larger of plain FP16 and FP32 (the larger, because several
    consumer chips, e.g. Pascal GeForce cards, run FP16 at 1/64 of their FP32 rate and a
    training job would then simply use FP32). This is the figure a training job would use.
  - ``"fp16_tensor_only"``: only chips with a tensor-FP16/BF16 figure (2017 onwards).
  - ``"fp16"``: the plain (non-tensor) FP16 column, the FP16 metric of Epoch's 2022 study.
  - ``"epoch_max"``: Epoch's own ``Max performance`` column, the numerator of its
    ``Price-performance`` column: the highest figure over number formats, which can be a sparse
    or an integer rate.

  **Why FP32 is the default.** A trend fitted across chips is a trend of one quantity only when
  every chip is measured the same way. ``fp16_tensor`` is not: in the mirror as of 2025-02-10 it
  counts 23 chips at FP32, 15 at plain FP16 and 14 at tensor FP16, and the switch from the first
  to the last (tensor cores, from 2017) is a one-off jump of about 3 doublings (8x) within the
  same chip, which the slope then reads as a trend. FP32 is the only figure reported for nearly
  every priced GPU (51 of 52), over the whole span 2008-2023, with one meaning throughout, and
  it is the metric of the published estimates the fit is compared with
  (:func:`like_for_like`). The alternatives fail on the data: tensor FP16 alone leaves 14
  chips from 2017 and a slope interval that includes zero; the plain FP16 column changes meaning
  between architectures (1/64 of FP32 on the Pascal chips other than the P100, 1x to 8x
  elsewhere).
* **Precision as a regressor** (``precision_dummies=True``): adds one indicator per performance
  source other than the reference (the last column of the precision, FP32 for
  ``fp16_tensor``), so the slope is a within-source trend and the levels of the sources are
  free. It is available, not the default: each chip enters at one figure, chosen by what the
  dataset reports, and the chips that report a tensor figure are mostly expensive data-centre
  parts, so the indicators absorb the price class of the chip as well as its number format. On
  the mirror the tensor indicator is about 1.2 doublings while the same chips' tensor figure is
  about 3 doublings above their own FP32 figure (:func:`precision_level_gaps`).
* **Prices** are release (launch) prices in nominal US dollars, as the dataset gives them; they
  are not deflated. Inflation makes nominal price-performance improve more slowly than real
  price-performance (see the book chapter's exercises).
* **Outliers** are not removed: a launch price and a spec sheet are facts, not measurement
  error. The fit reports each chip's studentized residual and Cook's distance so that influential
  chips can be seen, and a caller may pass a filtered frame to test their influence.

:func:`fit_from_data` keeps :data:`TRAINING_PRECISION` as its default because its callers need the
figure a training job uses: the long-run index (:mod:`model.calibration.longrun`) ranks chips by
that figure per dollar, and the calibration (:func:`model.calibration.inputs.market_prior`) reads
its interval as the prior range of the rate at which the cost of training FLOP falls. Pass
``precision="fp32"`` for the default fit.

The as-of rule: only rows with a release date on or before ``as_of`` enter the fit, and nothing
computed from later rows (not even their number) appears in the result, so the fit is
bit-identical whatever the data say about chips released after ``as_of``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import statsmodels.api as sm

from model.constants import DEFAULT_AS_OF
from model.data import load_dataset
from model.data.facts import fact, fact_value
from model.dates import parse_date
from model.errors import DataError, JevonsError
from model.summary import Summary, interval_label, interval_text

DATASET = "epoch_ml_hardware"

# Column names of Epoch AI's "Machine Learning Hardware" export.
NAME = "Hardware name"
MANUFACTURER = "Manufacturer"
TYPE = "Type"
RELEASE_DATE = "Release date"
PRICE = "Release price (USD)"
TENSOR_FP16 = "Tensor-FP16/BF16 performance (FLOP/s)"
FP16 = "FP16 (half precision) performance (FLOP/s)"
FP32 = "FP32 (single precision) performance (FLOP/s)"
MAX_PERFORMANCE = "Max performance"
TENSOR_CORES = "Tensor cores"

#: precision -> the performance columns it reads, in order of preference.
PRECISIONS: dict[str, tuple[str, ...]] = {
    "fp32": (FP32,),
    "fp16_tensor": (TENSOR_FP16, FP16, FP32),
    "fp16_tensor_only": (TENSOR_FP16,),
    "fp16": (FP16,),
    "epoch_max": (MAX_PERFORMANCE,),
}
#: the default fit's precision: one number format, reported for nearly every chip
DEFAULT_PRECISION = "fp32"
#: the figure a training job would use (tensor FP16/BF16, else the better of FP16 and FP32):
#: the default of :func:`fit_from_data`, whose callers rank chips by it
TRAINING_PRECISION = "fp16_tensor"

#: kind -> the ``Type`` labels kept (None keeps every row, including rows without a type).
KINDS: dict[str, frozenset[str] | None] = {"gpu": frozenset({"GPU"}), "all": None}

#: short labels for where a chip's performance figure came from
SOURCE_LABELS = {
    TENSOR_FP16: "tensor-fp16/bf16",
    FP16: "fp16",
    FP32: "fp32",
    MAX_PERFORMANCE: "epoch max",
}

MIN_CHIPS_FLOOR = 3  # a slope with a standard error needs at least one residual degree of freedom
ALPHA = 0.05  # 95% intervals


@dataclass(frozen=True, eq=False)
class HardwareFit:
    """The OLS fit of log2(FLOP/s per USD) on release date, as of a date.

    Attributes
    ----------
    as_of : pandas.Timestamp
        Only chips released on or before this date were used.
    precision, kind : str
        The performance measure and the chip selection (see :data:`PRECISIONS`, :data:`KINDS`).
    n : int
        Number of chips in the fit.
    slope : float
        Growth of log2(FLOP/s per USD) per year, i.e. doublings per year.
    slope_se, slope_interval : float, (float, float)
        Conventional (homoskedastic) OLS standard error and 95% t interval of the slope.
    slope_se_hc3, slope_interval_hc3 : float, (float, float)
        The same with MacKinnon-White HC3 heteroskedasticity-robust standard errors.
    doubling_years : float
        T_hw = 1/slope; ``inf`` when the slope is not positive (no doubling).
    interval, interval_hc3 : (float, float)
        95% intervals of T_hw: the reciprocals of the slope's interval ends, valid because
        T = 1/b is monotone on an interval that excludes 0. When the slope's interval reaches 0
        or below, the data cannot rule out "no improvement" and the upper end is ``inf``.
    reference_year : float
        The regressor is (decimal year - reference_year), so ``log2_at_reference`` is the
        fitted log2 FLOP/s per USD at that date: the c0 of the price curve is its 2^(-x).
    log2_at_reference, log2_at_reference_interval : float, (float, float)
        Intercept and its 95% interval (conventional standard errors).
    r_squared : float
    first_release, last_release : pandas.Timestamp
        Release dates of the first and last chip used.
    chips : pandas.DataFrame
        One row per chip used, sorted by release date then name: name, manufacturer, type,
        release_date, year (decimal), price_usd, flops, performance_source, tensor_cores (NaN
        when not reported), flops_per_usd,
        log2_flops_per_usd, fitted, residual, studentized_residual, cooks_distance.
    line : pandas.DataFrame
        The fitted line on a grid of years from the first to the last release: year, fitted,
        ci_low, ci_high (95% band of the mean), pi_low, pi_high (95% band for a new chip).
    excluded : dict[str, int]
        Rows left out: ``undated`` (no release date, anywhere in the frame), then among rows
        released on or before ``as_of``, each under its first failing reason: ``wrong_type``,
        ``no_price``, ``no_performance``. Rows released after ``as_of`` are not counted.
    precision_dummies : bool
        True when the regression had one indicator per performance source other than
        ``reference_source`` (see the module docstring). The slope is then the common trend
        within sources, the intercept and ``line`` are at the reference source's level, and
        ``fitted`` in ``chips`` includes each chip's indicator.
    reference_source : str or None
        The performance source (a :data:`SOURCE_LABELS` label) without an indicator; None
        without dummies.
    level_shifts : dict[str, float]
        Each other source's indicator: its level above the reference, in doublings of FLOP/s
        per USD at the same release date. Empty without dummies or with one source.
    """

    as_of: pd.Timestamp
    precision: str
    kind: str
    n: int
    slope: float
    slope_se: float
    slope_interval: tuple[float, float]
    slope_se_hc3: float
    slope_interval_hc3: tuple[float, float]
    doubling_years: float
    interval: tuple[float, float]
    interval_hc3: tuple[float, float]
    reference_year: float
    log2_at_reference: float
    log2_at_reference_interval: tuple[float, float]
    r_squared: float
    first_release: pd.Timestamp
    last_release: pd.Timestamp
    chips: pd.DataFrame = field(repr=False)
    line: pd.DataFrame = field(repr=False)
    excluded: dict[str, int] = field(default_factory=dict)
    precision_dummies: bool = False
    reference_source: str | None = None
    level_shifts: dict[str, float] = field(default_factory=dict)

    @property
    def annual_factor(self) -> float:
        """Multiplication of FLOP/s per USD per year, 2^slope."""
        return float(2.0**self.slope)

    @property
    def annual_cost_decline(self) -> float:
        """Fall in the price of a FLOP/s per year, 1 - 2^(-slope) (0.3 means 30% cheaper)."""
        return float(1.0 - 2.0 ** (-self.slope))

    @property
    def level(self) -> float:
        """Coverage of every interval of the fit (0.95)."""
        return 1.0 - ALPHA

    @property
    def interval_bounded(self) -> bool:
        """True when the 95% interval of T_hw is finite (the slope's interval excludes 0)."""
        return math.isfinite(self.interval[1])

    def summary(self) -> Summary:
        """The fit as a printable :class:`model.summary.Summary` (text in a terminal, HTML in a
        notebook)."""
        dummies = [("precision dummies", "reference " + str(self.reference_source) + "".join(
            f"; {source} {shift:+.2f} doublings" for source, shift in self.level_shifts.items()))
            ] if self.precision_dummies else []
        return Summary.of(
            f"Hardware doubling time of FLOP/s per USD, as of {self.as_of:%Y-%m-%d}",
            [("precision, kind", f"{self.precision}, {self.kind}"),
             *dummies,
             ("chips", self.n),
             ("released", f"{self.first_release:%Y-%m-%d} to {self.last_release:%Y-%m-%d}"),
             ("doubling time (years)", self.doubling_years),
             (interval_label("doubling time"), interval_text(self.interval)),
             (interval_label("doubling time, HC3"), interval_text(self.interval_hc3)),
             ("slope (doublings per year)", self.slope),
             ("FLOP/s per USD, factor per year", self.annual_factor),
             ("fall in the price of a FLOP/s per year", self.annual_cost_decline),
             ("r squared", self.r_squared)],
            notes=["OLS of log2(FLOP/s per USD) on the release date"
                   + (" and one indicator per performance source" if self.precision_dummies else "")
                   + "; only chips released on or before the as-of date are used."])

    def to_dict(self) -> dict[str, object]:
        """The headline numbers as a flat dict (one row of :func:`fits_table`)."""
        return {
            "as_of": self.as_of,
            "precision": self.precision,
            "kind": self.kind,
            "precision_dummies": self.precision_dummies,
            "n": self.n,
            "first_release": self.first_release,
            "last_release": self.last_release,
            "doubling_years": self.doubling_years,
            "interval_low": self.interval[0],
            "interval_high": self.interval[1],
            "interval_hc3_low": self.interval_hc3[0],
            "interval_hc3_high": self.interval_hc3[1],
            "slope": self.slope,
            "slope_se": self.slope_se,
            "slope_se_hc3": self.slope_se_hc3,
            "annual_factor": self.annual_factor,
            "annual_cost_decline": self.annual_cost_decline,
            "r_squared": self.r_squared,
        }


def decimal_year(dates: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Dates as fractional years: 2020-07-02 -> 2020.5 (the day's start, leap years exact)."""
    index = pd.DatetimeIndex(dates)
    year_start = pd.to_datetime(index.year.astype(str) + "-01-01")
    next_start = pd.to_datetime((index.year + 1).astype(str) + "-01-01")
    fraction = (index - year_start) / (next_start - year_start)
    return np.asarray(index.year, dtype=float) + np.asarray(fraction, dtype=float)


def doubling_years_from_annual_factor(factor: float | np.ndarray) -> float | np.ndarray:
    """Doubling time of a quantity multiplied by ``factor`` each year: ln 2 / ln(factor).

    A price that falls 30% a year (cost x 0.7) means FLOP/s per dollar grows by 1/0.7 a year:
    ``doubling_years_from_annual_factor(1 / 0.7)`` is about 1.94 years.
    """
    return np.log(2.0) / np.log(factor)


def _parse_as_of(as_of: object) -> pd.Timestamp:
    if as_of is None:
        raise JevonsError("as_of is required (YYYY-MM-DD): the fit uses only chips released by then")
    return parse_date(as_of, "as_of")


def _release_dates(frame: pd.DataFrame) -> pd.Series:
    dates = frame[RELEASE_DATE]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        try:
            dates = pd.to_datetime(dates, format="ISO8601")
        except (ValueError, TypeError):
            raise DataError(
                f"{DATASET}: column {RELEASE_DATE!r} has values that are not ISO dates (YYYY-MM-DD)"
            ) from None
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    return dates


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    # A non-positive or infinite figure has no logarithm: treat it as missing.
    return values.where(np.isfinite(values) & (values > 0))


def _performance(frame: pd.DataFrame, precision: str) -> tuple[pd.Series, pd.Series]:
    """The FLOP/s figure for ``precision`` and the column it came from, per row."""
    columns = PRECISIONS[precision]
    values = _numeric(frame, columns[0])
    source = pd.Series(np.where(values.notna(), SOURCE_LABELS[columns[0]], None), index=frame.index)
    if len(columns) > 1:
        # Fallback: the larger of the remaining columns (e.g. max of FP16 and FP32).
        rest = pd.concat([_numeric(frame, c) for c in columns[1:]], axis=1)
        rest.columns = range(len(columns) - 1)
        best = rest.max(axis=1, skipna=True)
        best_label = rest.fillna(-np.inf).idxmax(axis=1).map(
            lambda i: SOURCE_LABELS[columns[1 + int(i)]]
        )
        fill = values.isna() & best.notna()
        values = values.where(~fill, best)
        source = source.where(~fill, best_label)
    return values, source.where(values.notna())


def fit_doubling_time(
    frame: pd.DataFrame,
    as_of: str | date | pd.Timestamp,
    *,
    precision: str = DEFAULT_PRECISION,
    kind: str = "gpu",
    min_chips: int = 10,
    reference_year: float = 2024.0,
    precision_dummies: bool = False,
) -> HardwareFit:
    """OLS of log2(FLOP/s per USD) on release date, using chips released on or before ``as_of``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Epoch AI's ML-hardware table (``load_dataset("epoch_ml_hardware")``) or any frame with
        its columns: ``Hardware name``, ``Type``, ``Release date``, ``Release price (USD)`` and
        the performance columns that ``precision`` reads.
    as_of : str, date or Timestamp
        Required. Rows released after this date are ignored entirely.
    precision : {"fp32", "fp16_tensor", "fp16_tensor_only", "fp16", "epoch_max"}
        The FLOP/s measure (see the module docstring); ``"fp32"`` by default.
    kind : {"gpu", "all"}
        ``"gpu"`` keeps rows typed ``GPU``; ``"all"`` keeps every accelerator.
    min_chips : int
        Fewest usable chips accepted (at least 3); fewer raise :class:`~model.errors.DataError`.
    reference_year : float
        Year at which the intercept is reported (the model's base year t0 by default).
    precision_dummies : bool
        Add one indicator per performance source other than the reference (the last column of
        ``precision`` that some chip uses), so that the slope is a within-source trend. Only
        ``"fp16_tensor"`` mixes sources; with one source there is nothing to add.

    Returns
    -------
    HardwareFit

    Raises
    ------
    JevonsError
        Bad ``as_of``, ``precision``, ``kind``, ``min_chips`` or ``precision_dummies``, or
        ``as_of`` before the first release in the data.
    DataError
        A required column is missing, or fewer than ``min_chips`` chips are usable (or too few
        to estimate the slope beside the indicators).
    """
    stamp = _parse_as_of(as_of)
    if precision not in PRECISIONS:
        raise JevonsError(f"precision {precision!r} is not one of: {', '.join(PRECISIONS)}")
    if kind not in KINDS:
        raise JevonsError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    if isinstance(min_chips, bool) or not isinstance(min_chips, int | np.integer):
        raise JevonsError(f"min_chips must be an integer >= {MIN_CHIPS_FLOOR}, got {min_chips!r}")
    if min_chips < MIN_CHIPS_FLOOR:
        raise JevonsError(f"min_chips must be an integer >= {MIN_CHIPS_FLOOR}, got {min_chips}")
    if not isinstance(precision_dummies, bool | np.bool_):
        raise JevonsError(f"precision_dummies must be True or False, got {precision_dummies!r}")
    if not isinstance(frame, pd.DataFrame):
        raise JevonsError(f"{DATASET}: expected a pandas DataFrame, got {type(frame).__name__}")
    required = (NAME, TYPE, RELEASE_DATE, PRICE, *PRECISIONS[precision])
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{DATASET}: missing column {missing[0]!r} (precision={precision!r} needs: "
            f"{', '.join(repr(c) for c in required)})"
        )
    frame = frame.reset_index(drop=True)  # labels are not data; duplicates would break .loc
    all_dates = _release_dates(frame)
    dated = frame.loc[all_dates.notna()]
    if dated.empty:
        raise DataError(f"{DATASET}: no rows with a {RELEASE_DATE!r}")
    dates = all_dates.loc[dated.index]
    # The as-of cut comes first: every later step sees only rows released by as_of.
    released = dated.loc[dates <= stamp]
    if released.empty:
        raise JevonsError(
            f"as_of {stamp.date()} is before the first release date in {DATASET} "
            f"({dates.min().date()}); choose a later date"
        )
    dates = dates.loc[released.index]

    keep_type = KINDS[kind]
    chip_type = released[TYPE].astype("string").str.strip()
    type_ok = (
        pd.Series(True, index=released.index) if keep_type is None
        else chip_type.isin(keep_type).fillna(False).astype(bool)
    )
    price = _numeric(released, PRICE)
    flops, source = _performance(released, precision)
    usable = type_ok & price.notna() & flops.notna()
    excluded = {
        "undated": int(len(frame) - len(dated)),
        "wrong_type": int((~type_ok).sum()),
        "no_price": int((type_ok & price.isna()).sum()),
        "no_performance": int((type_ok & price.notna() & flops.isna()).sum()),
    }
    n = int(usable.sum())
    if n < min_chips:
        raise DataError(
            f"{DATASET}: only {n} usable chips released by {stamp.date()} (kind={kind!r}, "
            f"precision={precision!r}: need a release date, a positive {PRICE!r} and a positive "
            f"performance figure); at least min_chips={min_chips} are required"
        )

    chips = pd.DataFrame(
        {
            "name": released[NAME].astype(str),
            "manufacturer": released[MANUFACTURER] if MANUFACTURER in released else pd.NA,
            "type": chip_type,
            "release_date": dates,
            "price_usd": price,
            "flops": flops,
            "performance_source": source,
            # Lets a reader spot chips whose tensor-core rate the dataset does not report.
            "tensor_cores": (
                _numeric(released, TENSOR_CORES) if TENSOR_CORES in released else np.nan
            ),
        }
    ).loc[usable]
    # Stable sort: row order, and so the floating-point sums, do not depend on later rows.
    chips = chips.sort_values(["release_date", "name"], kind="mergesort").reset_index(drop=True)
    chips["year"] = decimal_year(chips["release_date"])
    chips["flops_per_usd"] = chips["flops"] / chips["price_usd"]
    chips["log2_flops_per_usd"] = np.log2(chips["flops_per_usd"])

    x = chips["year"].to_numpy() - reference_year
    y = chips["log2_flops_per_usd"].to_numpy()
    reference, others = _sources(chips["performance_source"], precision) if precision_dummies \
        else (None, [])
    indicators = [(chips["performance_source"] == s).to_numpy(dtype=float) for s in others]
    design = np.column_stack([np.ones_like(x), x, *indicators])
    if n <= design.shape[1]:
        raise DataError(
            f"{DATASET}: {n} usable chips released by {stamp.date()} are too few for a slope "
            f"beside {len(others)} precision indicators (need more than {design.shape[1]})"
        )
    ols = sm.OLS(y, design).fit()
    robust = sm.OLS(y, design).fit(cov_type="HC3")

    chips["fitted"] = ols.fittedvalues
    chips["residual"] = ols.resid
    with np.errstate(divide="ignore", invalid="ignore"):  # a perfect fit has zero residual scale
        influence = ols.get_influence()
        chips["studentized_residual"] = influence.resid_studentized_external
        chips["cooks_distance"] = influence.cooks_distance[0]

    slope = float(ols.params[1])
    slope_ci = _pair(ols.conf_int(alpha=ALPHA)[1])
    slope_ci_hc3 = _pair(robust.conf_int(alpha=ALPHA)[1])

    grid = np.linspace(chips["year"].iloc[0], chips["year"].iloc[-1], 200)
    grid_design = np.zeros((len(grid), design.shape[1]))  # at the reference source's level
    grid_design[:, 0], grid_design[:, 1] = 1.0, grid - reference_year
    band = ols.get_prediction(grid_design)
    frame_band = band.summary_frame(alpha=ALPHA)
    line = pd.DataFrame(
        {
            "year": grid,
            "fitted": frame_band["mean"].to_numpy(),
            "ci_low": frame_band["mean_ci_lower"].to_numpy(),
            "ci_high": frame_band["mean_ci_upper"].to_numpy(),
            "pi_low": frame_band["obs_ci_lower"].to_numpy(),
            "pi_high": frame_band["obs_ci_upper"].to_numpy(),
        }
    )

    return HardwareFit(
        as_of=stamp,
        precision=precision,
        kind=kind,
        n=n,
        slope=slope,
        slope_se=float(ols.bse[1]),
        slope_interval=slope_ci,
        slope_se_hc3=float(robust.bse[1]),
        slope_interval_hc3=slope_ci_hc3,
        doubling_years=_reciprocal(slope),
        interval=doubling_interval(*slope_ci),
        interval_hc3=doubling_interval(*slope_ci_hc3),
        reference_year=float(reference_year),
        log2_at_reference=float(ols.params[0]),
        log2_at_reference_interval=_pair(ols.conf_int(alpha=ALPHA)[0]),
        r_squared=float(ols.rsquared),
        first_release=chips["release_date"].iloc[0],
        last_release=chips["release_date"].iloc[-1],
        chips=chips,
        line=line,
        excluded=excluded,
        precision_dummies=bool(precision_dummies),
        reference_source=reference,
        level_shifts={s: float(ols.params[2 + i]) for i, s in enumerate(others)},
    )


def _sources(used: pd.Series, precision: str) -> tuple[str, list[str]]:
    """The reference performance source (the last column of ``precision`` that some chip uses)
    and the other sources used, in column order."""
    present = [SOURCE_LABELS[c] for c in PRECISIONS[precision] if (used == SOURCE_LABELS[c]).any()]
    return present[-1], present[:-1]


def _pair(values: Iterable[float]) -> tuple[float, float]:
    low, high = (float(v) for v in values)
    return low, high


def _reciprocal(slope: float) -> float:
    return 1.0 / slope if slope > 0 else math.inf


def doubling_interval(slope_low: float, slope_high: float) -> tuple[float, float]:
    """Map an interval of the slope (doublings per year) to one of the doubling time.

    T = 1/b is decreasing for b > 0, so [b_low, b_high] maps to [1/b_high, 1/b_low]. When
    b_low <= 0 the data allow no improvement at all and the upper end is ``inf``; when
    b_high <= 0 both ends are ``inf`` (no doubling within the interval).
    """
    return _reciprocal(slope_high), _reciprocal(slope_low)


def fit_as_of_dates(
    frame: pd.DataFrame, as_of_dates: Iterable[str | date | pd.Timestamp], **kwargs
) -> list[HardwareFit]:
    """One fit per as-of date (same options for each): how the estimate moved over time."""
    return [fit_doubling_time(frame, as_of, **kwargs) for as_of in as_of_dates]


def fits_table(fits: Iterable[HardwareFit]) -> pd.DataFrame:
    """The headline numbers of several fits, one row each (see :meth:`HardwareFit.to_dict`)."""
    return pd.DataFrame([fit.to_dict() for fit in fits])


def fit_from_data(as_of: str | date | pd.Timestamp, *, precision: str = TRAINING_PRECISION,
                  **kwargs) -> HardwareFit:
    """:func:`fit_doubling_time` on the project's copy of Epoch AI's ML-hardware dataset.

    Its ``precision`` defaults to :data:`TRAINING_PRECISION`, not to the default fit's FP32: the
    callers (the long-run index, the calibration's prior range of T_hw) want the figure a
    training job uses; see the module docstring. ``precision="fp32"`` gives the default fit.
    """
    return fit_doubling_time(load_dataset(DATASET), as_of, precision=precision, **kwargs)


# --- what the book reports about the data and the fit -------------------------------------------
def dataset_counts(frame: pd.DataFrame, as_of) -> dict[str, object]:
    """Counts that describe the hardware table against the as-of date (the whole table, not
    only the chips a fit uses): ``rows``, ``rows_priced`` (with a launch price),
    ``rows_released`` (released on or before ``as_of``), ``rows_after`` (released after it),
    ``last_priced`` (release date of the last priced chip), ``n_priced_after`` (priced chips
    released after ``as_of``), ``modified_first``/``modified_last`` (the range of the export's
    "Last modified" stamps) and ``n_price_unsourced`` (prices without a "Source for the price").
    """
    stamp = _parse_as_of(as_of)
    dates = _release_dates(frame)
    priced = frame[PRICE].notna()
    modified = pd.to_datetime(frame["Last modified"], utc=True)
    return {
        "rows": len(frame),
        "rows_priced": int(priced.sum()),
        "rows_released": int((dates <= stamp).sum()),
        "rows_after": int((dates > stamp).sum()),
        "last_priced": dates[priced].max().date(),
        "n_priced_after": int((priced & (dates > stamp)).sum()),
        "modified_first": modified.min().date(),
        "modified_last": modified.max().date(),
        "n_price_unsourced": int((priced & frame["Source for the price"].isna()).sum()),
    }


def chip_price(frame: pd.DataFrame, name: str) -> float:
    """The launch price of the chip named ``name`` (exactly one row must match)."""
    return float(frame.loc[frame[NAME] == name, PRICE].item())


def interval_widths(table: pd.DataFrame) -> pd.Series:
    """Width of the conventional 95% interval of T_hw, row by row of a :func:`fits_table`."""
    return table["interval_high"] - table["interval_low"]


def chips_released_after(fit: HardwareFit, day) -> int:
    """Number of chips in a fit released after ``day``."""
    return int((fit.chips["release_date"] > parse_date(day, "day")).sum())


def chips_without_tensor_figure(fit: HardwareFit) -> int:
    """Chips of a fit that have tensor cores according to the dataset but were counted at a
    figure other than tensor FP16/BF16 (so the fit understates what they do for training)."""
    missing = (fit.chips["tensor_cores"] > 0) & (fit.chips["performance_source"]
                                                  != SOURCE_LABELS[TENSOR_FP16])
    return int(missing.sum())


def most_influential_chip(fit: HardwareFit) -> pd.Series:
    """The row of ``fit.chips`` with the largest Cook's distance."""
    return fit.chips.loc[fit.chips["cooks_distance"].idxmax()]


def without_chip(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The hardware table without the chip named ``name`` (to test its influence)."""
    return frame[frame[NAME] != name]


def priced_at_least(frame: pd.DataFrame, min_price_usd: float) -> pd.DataFrame:
    """The hardware table restricted to chips launched at ``min_price_usd`` or more."""
    return frame[frame[PRICE] >= min_price_usd]


def real_doubling_years(slope: float, inflation: float) -> float:
    """Doubling time of real FLOP/s per dollar when prices rise by ``inflation`` a year: real
    FLOP/s per dollar grows by slope + log2(1 + inflation) doublings a year."""
    return 1 / (slope + np.log2(1 + inflation))


def year_end_history(frame: pd.DataFrame, first_year: int, last_year: int,
                     as_of=DEFAULT_AS_OF, **kwargs) -> pd.DataFrame:
    """:func:`fits_table` of the fits as of each year-end from ``first_year`` to ``last_year``
    and as of ``as_of`` (each using only chips released by its date)."""
    dates = [f"{year}-12-31" for year in range(first_year, last_year + 1)] + [as_of]
    return fits_table(fit_as_of_dates(frame, dates, **kwargs))


def precision_variants(frame: pd.DataFrame, as_of=DEFAULT_AS_OF) -> pd.DataFrame:
    """:func:`fits_table` of the fit for every precision with ``kind="gpu"``, then
    :data:`TRAINING_PRECISION` with precision dummies, then ``epoch_max`` with ``kind="all"``."""
    variants = [dict(precision=p, kind="gpu") for p in PRECISIONS]
    variants.append(dict(precision=TRAINING_PRECISION, kind="gpu", precision_dummies=True))
    variants.append(dict(precision="epoch_max", kind="all"))
    return fits_table(fit_doubling_time(frame, as_of, **v) for v in variants)


def precision_level_gaps(frame: pd.DataFrame, as_of=DEFAULT_AS_OF, kind: str = "gpu") -> pd.DataFrame:
    """How far each chip's tensor-FP16/BF16 and plain FP16 figures lie above its own FP32 figure,
    in doublings (log2 of the ratio), over the chips of ``kind`` released by ``as_of`` with a
    positive launch price and both figures: what a precision indicator would be if it measured
    the number format alone. Rows ``tensor-fp16/bf16`` and ``fp16``; columns ``chips``,
    ``median``, ``mean``, ``min``, ``max``.
    """
    stamp = _parse_as_of(as_of)
    if kind not in KINDS:
        raise JevonsError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    missing = [c for c in (TYPE, RELEASE_DATE, PRICE, TENSOR_FP16, FP16, FP32) if c not in frame]
    if missing:
        raise DataError(f"{DATASET}: missing column {missing[0]!r}")
    released = frame.reset_index(drop=True)
    keep = (_release_dates(released) <= stamp) & _numeric(released, PRICE).notna()
    if KINDS[kind] is not None:
        keep &= released[TYPE].astype("string").str.strip().isin(KINDS[kind]).fillna(False).astype(bool)
    rows = {}
    for column in (TENSOR_FP16, FP16):
        gap = np.log2(_numeric(released, column) / _numeric(released, FP32))[keep].dropna()
        rows[SOURCE_LABELS[column]] = {"chips": int(gap.size), "median": float(gap.median()),
                                       "mean": float(gap.mean()), "min": float(gap.min()),
                                       "max": float(gap.max())}
    return pd.DataFrame.from_dict(rows, orient="index")


#: facts of the yearly decline and of FP16 performance on Epoch's ML-hardware data page
DECLINE_FACT = "epoch_ml_hardware_price_perf_decline_pct_per_year"
FP16_PERF_FACT = "epoch_ml_hardware_fp16_perf_doubling_years"
PUBLISHED_DOUBLING = {
    "Epoch AI 2022, all GPUs (FP32, 2006-2021)": "epoch_gpu_price_perf_doubling_years_all",
    "Epoch AI 2022, ML GPUs": "epoch_gpu_price_perf_doubling_years_ml",
    "Epoch AI 2022, top GPUs": "epoch_gpu_price_perf_doubling_years_top",
    "Epoch AI 2022, FP16": "epoch_gpu_price_perf_doubling_years_fp16",
}


def published_estimates(as_of=DEFAULT_AS_OF) -> pd.DataFrame:
    """Published doubling times of FLOP/s per dollar, from the curated facts known on ``as_of``.

    Rows: Epoch AI's 2022 estimates with their 95% intervals (facts ``<id>``, ``<id>_low``,
    ``<id>_high``); the ML-hardware page's yearly decline r converted both ways (price times
    1 - r a year, or FLOP/s per dollar times 1 + r a year, by
    :func:`doubling_years_from_annual_factor`); and the page's FP16 *performance* doubling time
    (not per dollar). Columns ``estimate, doubling (years), 95% low, 95% high, stated by, url,
    fact id, source`` (``source``: the first part of ``stated by``).
    """
    rows = []
    for label, fact_id in PUBLISHED_DOUBLING.items():
        row = fact(fact_id, as_of)
        low, high = (fact_value(f"{fact_id}_{end}", as_of) for end in ("low", "high"))
        rows.append((label, row["value"], low, high, row["stated_by"], row["source"], fact_id))

    def point(label: str, fact_id: str, doubling: float) -> tuple:
        row = fact(fact_id, as_of)
        return label, doubling, np.nan, np.nan, row["stated_by"], row["source"], fact_id

    rate = fact_value(DECLINE_FACT, as_of) / 100
    rows += [
        point(f"Epoch AI ML hardware, ~{100 * rate:.0f}%/yr cheaper (price x {1 - rate:.2f} a year)",
              DECLINE_FACT, doubling_years_from_annual_factor(1 / (1 - rate))),
        point(f"Epoch AI ML hardware, ~{100 * rate:.0f}%/yr read as FLOP/s per $ x {1 + rate:.2f} a year",
              DECLINE_FACT, doubling_years_from_annual_factor(1 + rate)),
        point("Epoch AI ML hardware, FP16 performance (not per $)", FP16_PERF_FACT,
              fact_value(FP16_PERF_FACT, as_of)),
    ]
    published = pd.DataFrame(rows, columns=["estimate", "doubling (years)", "95% low", "95% high",
                                            "stated by", "url", "fact id"])
    published["source"] = published["stated by"].str.split(",").str[0]
    return published


# --- like for like: each published estimate beside the mirror's fit on its definition ---------
@dataclass(frozen=True)
class PublishedDefinition:
    """How a published doubling time was estimated, as far as the mirror can repeat it.

    ``precision`` and ``kind`` are the :func:`fit_doubling_time` options of the matching fit
    (``precision=None``: the estimate is not one of FLOP/s per dollar, so there is none);
    ``start`` and ``end`` bound the release dates (None: no bound, and for ``end`` the date the
    estimate was published, its fact's ``as_of``); ``chips`` is the published fit's chip count
    when stated; ``match`` says in one sentence what the mirror's fit shares with the published
    one and where it differs.
    """

    precision: str | None
    kind: str
    start: str | None
    end: str | None
    chips: int | None
    match: str


#: the release window of Hobbhahn & Besiroglu (Epoch AI, 2022): GPUs released 2006-2021
EPOCH_2022_WINDOW = ("2006-01-01", "2021-12-31")

_EPOCH_2022 = "epoch_gpu_price_perf_doubling_years"
#: fact id of each published estimate (:func:`published_estimates`) -> its definition
LIKE_FOR_LIKE: dict[str, PublishedDefinition] = {
    f"{_EPOCH_2022}_all": PublishedDefinition(
        "fp32", "gpu", *EPOCH_2022_WINDOW, 470,
        "Same number format, chip kind and release window; Epoch's 470 GPUs are a wider list "
        "than the priced GPUs of the ML-hardware list that the mirror holds."),
    f"{_EPOCH_2022}_ml": PublishedDefinition(
        "fp32", "gpu", *EPOCH_2022_WINDOW, 26,
        "Same format, kind and window, but the mirror does not mark Epoch's 26 ML-research GPUs: "
        "every priced GPU of the ML-hardware list stands in (its 'ML models' column also names "
        "models trained after 2022, so it cannot pick the chips ML used as known then)."),
    f"{_EPOCH_2022}_top": PublishedDefinition(
        "fp32", "gpu", *EPOCH_2022_WINDOW, 57,
        "Same format, kind and window, but the mirror does not mark Epoch's 57 top GPUs: the "
        "same chips as the all-GPU row stand in."),
    f"{_EPOCH_2022}_fp16": PublishedDefinition(
        "fp16", "gpu", *EPOCH_2022_WINDOW, 91,
        "Same format (plain FP16, no tensor rate), kind and window; that column's meaning "
        "changes between architectures (1/64 of FP32 on the Pascal chips other than the P100)."),
    DECLINE_FACT: PublishedDefinition(
        "epoch_max", "all", None, None, None,
        "The data page names no number format: Epoch's own price-performance column (the "
        "largest figure over formats per launch dollar), every accelerator released by the "
        "page's date."),
    FP16_PERF_FACT: PublishedDefinition(
        None, "all", None, None, None,
        "Growth of FP16 performance, not of performance per dollar: no like-for-like fit."),
}

LIKE_FOR_LIKE_COLUMNS = [
    "estimate", "fact id", "published (years)", "published low", "published high",
    "published chips", "precision", "kind", "window start", "window end", "chips",
    "first chip", "last chip", "doubling (years)", "95% low", "95% high", "HC3 low", "HC3 high",
    "published inside ours", "intervals overlap", "match",
]


def released_on_or_after(frame: pd.DataFrame, start) -> pd.DataFrame:
    """The rows of the hardware table released on or after ``start`` (undated rows dropped)."""
    return frame[(_release_dates(frame) >= parse_date(start, "start")).to_numpy()]


def like_for_like(frame: pd.DataFrame, as_of=DEFAULT_AS_OF) -> pd.DataFrame:
    """Each published estimate known on ``as_of`` (:func:`published_estimates`) beside the fit of
    ``frame`` on the same number format, chip kind and release window (:data:`LIKE_FOR_LIKE`).

    A row's fit uses the chips released from the definition's ``start`` to the earlier of its
    ``end`` (or the estimate's publication date) and ``as_of``, so it sees nothing the published
    estimate could not have seen, nor anything after ``as_of``. Columns
    :data:`LIKE_FOR_LIKE_COLUMNS`: the published figure, interval and chip count; the definition;
    the fit's chips, doubling time and 95% intervals (conventional and HC3); whether the
    published figure lies inside the fit's conventional interval and whether the two intervals
    overlap (None when there is no fit or no published interval); and ``match``, what differs.

    Raises
    ------
    DataError
        A published estimate without an entry in :data:`LIKE_FOR_LIKE`, or one not yet public
        on ``as_of`` (from :func:`model.data.facts.fact`).
    """
    stamp = _parse_as_of(as_of)
    rows = []
    for _, pub in published_estimates(stamp).iterrows():
        definition = LIKE_FOR_LIKE.get(pub["fact id"])
        if definition is None:
            raise DataError(f"published estimate {pub['fact id']!r} has no entry in "
                            "hardware_fit.LIKE_FOR_LIKE (how to repeat it on the mirror)")
        published_on = pd.Timestamp(fact(pub["fact id"], stamp)["as_of"])
        end = min(parse_date(definition.end, "end") if definition.end else published_on, stamp)
        row = {"estimate": pub["estimate"], "fact id": pub["fact id"],
               "published (years)": pub["doubling (years)"], "published low": pub["95% low"],
               "published high": pub["95% high"], "published chips": definition.chips,
               "precision": definition.precision, "kind": definition.kind,
               "window start": parse_date(definition.start, "start") if definition.start else pd.NaT,
               "window end": end, "match": definition.match}
        if definition.precision is None:
            rows.append(row | {"window end": pd.NaT, "published inside ours": None,
                               "intervals overlap": None})
            continue
        window = released_on_or_after(frame, definition.start) if definition.start else frame
        fit = fit_doubling_time(window, end, precision=definition.precision, kind=definition.kind)
        low, high = fit.interval
        published_interval = (pub["95% low"], pub["95% high"])
        bounded = bool(np.isfinite(published_interval).all())
        rows.append(row | {
            "chips": fit.n, "first chip": fit.first_release, "last chip": fit.last_release,
            "doubling (years)": fit.doubling_years, "95% low": low, "95% high": high,
            "HC3 low": fit.interval_hc3[0], "HC3 high": fit.interval_hc3[1],
            "published inside ours": bool(low <= pub["doubling (years)"] <= high),
            "intervals overlap": (bool(max(low, published_interval[0])
                                       <= min(high, published_interval[1])) if bounded else None),
        })
    out = pd.DataFrame(rows).reindex(columns=LIKE_FOR_LIKE_COLUMNS)
    return out.astype({"published chips": "Int64", "chips": "Int64"})

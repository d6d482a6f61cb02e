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

  - ``"fp16_tensor"`` (default): dense tensor-core FP16/BF16 where the dataset reports it, else
    the larger of plain FP16 and FP32. The larger of the two, not FP16 alone, because several
    consumer chips (e.g. Pascal GeForce cards) run FP16 at a small fraction of their FP32 rate,
    and a training job would then simply use FP32.
  - ``"fp16_tensor_only"``: only chips with a tensor-FP16/BF16 figure (2017 onwards).
  - ``"fp32"``: FP32 throughput, the metric of Hobbhahn & Besiroglu (Epoch AI, 2022).
  - ``"epoch_max"``: Epoch's own ``Max performance`` column, the numerator of its
    ``Price-performance`` column: the highest figure over number formats, which can be a sparse
    or an integer rate.
* **Prices** are release (launch) prices in nominal US dollars, as the dataset gives them; they
  are not deflated. Inflation makes nominal price-performance improve more slowly than real
  price-performance (see the book chapter's exercises).
* **Outliers** are not removed: a launch price and a spec sheet are facts, not measurement
  error. The fit reports each chip's studentized residual and Cook's distance so that influential
  chips can be seen, and a caller may pass a filtered frame to test their influence.

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
    "fp16_tensor": (TENSOR_FP16, FP16, FP32),
    "fp16_tensor_only": (TENSOR_FP16,),
    "fp32": (FP32,),
    "epoch_max": (MAX_PERFORMANCE,),
}

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
        return Summary.of(
            f"Hardware doubling time of FLOP/s per USD, as of {self.as_of:%Y-%m-%d}",
            [("precision, kind", f"{self.precision}, {self.kind}"),
             ("chips", self.n),
             ("released", f"{self.first_release:%Y-%m-%d} to {self.last_release:%Y-%m-%d}"),
             ("doubling time (years)", self.doubling_years),
             (interval_label("doubling time"), interval_text(self.interval)),
             (interval_label("doubling time, HC3"), interval_text(self.interval_hc3)),
             ("slope (doublings per year)", self.slope),
             ("FLOP/s per USD, factor per year", self.annual_factor),
             ("fall in the price of a FLOP/s per year", self.annual_cost_decline),
             ("r squared", self.r_squared)],
            notes=["OLS of log2(FLOP/s per USD) on the release date; only chips released on or "
                   "before the as-of date are used."])

    def to_dict(self) -> dict[str, object]:
        """The headline numbers as a flat dict (one row of :func:`fits_table`)."""
        return {
            "as_of": self.as_of,
            "precision": self.precision,
            "kind": self.kind,
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
    precision: str = "fp16_tensor",
    kind: str = "gpu",
    min_chips: int = 10,
    reference_year: float = 2024.0,
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
    precision : {"fp16_tensor", "fp16_tensor_only", "fp32", "epoch_max"}
        The FLOP/s measure (see the module docstring).
    kind : {"gpu", "all"}
        ``"gpu"`` keeps rows typed ``GPU``; ``"all"`` keeps every accelerator.
    min_chips : int
        Fewest usable chips accepted (at least 3); fewer raise :class:`~model.errors.DataError`.
    reference_year : float
        Year at which the intercept is reported (the model's base year t0 by default).

    Returns
    -------
    HardwareFit

    Raises
    ------
    JevonsError
        Bad ``as_of``, ``precision``, ``kind`` or ``min_chips``, or ``as_of`` before the
        first release in the data.
    DataError
        A required column is missing, or fewer than ``min_chips`` chips are usable.
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
    design = sm.add_constant(x, has_constant="add")
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
    band = ols.get_prediction(sm.add_constant(grid - reference_year, has_constant="add"))
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
    )


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


def fit_from_data(as_of: str | date | pd.Timestamp, **kwargs) -> HardwareFit:
    """:func:`fit_doubling_time` on the project's copy of Epoch AI's ML-hardware dataset."""
    return fit_doubling_time(load_dataset(DATASET), as_of, **kwargs)


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
    """:func:`fits_table` of the fit for every precision with ``kind="gpu"``, and for
    ``epoch_max`` with ``kind="all"``."""
    variants = [dict(precision=p, kind="gpu") for p in PRECISIONS]
    variants.append(dict(precision="epoch_max", kind="all"))
    return fits_table(fit_doubling_time(frame, as_of, **v) for v in variants)


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

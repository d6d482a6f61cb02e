"""The long-run relation of compute spend to hardware price-performance, by regression.

In the isoelastic model spend is X = D c^(1 - eps) a^(eps - 1), with c the cost of a FLOP. Writing
Q = 1/c for FLOP/s per dollar, and holding demand D and algorithmic efficiency a fixed,

    log X_t = const + (eps - 1) log Q_t + e_t,

so the slope on log price-performance reads eps - 1. D and a are not fixed: both trend, as does
log Q, so the slope also carries log(1 + g) and the algorithmic trend in proportion to how they
line up with Q (the same confounding as the capex ridge, now across years). Adding a linear trend
removes the common trend and leaves the slope to the deviations of Q from its own trend, which are
few and noisy. Both are reported, with the collinearity that makes the second so wide.

Data (both as of a date):

* **spend**: the SEC XBRL cash capex of the hyperscalers (``hyperscaler_capex_sec_xbrl_quarterly``;
  see its PROVENANCE.md). Only Alphabet (GOOG) and Amazon (AMZN) have complete calendar years
  (annual rows); Microsoft lacks its calendar Q2 in every year and Meta is absent. The default is
  GOOG + AMZN, complete for 2016 on; ``firms=("GOOG",)`` gives 2013 on. Capex is all capex (Amazon's
  includes logistics), a proxy for AI compute spend, not a measure of it.
* **the as-of rule for capex**: a period's figure is known only once filed. The file has no filing
  dates, so a quarter (or year) counts as known ``lag_days`` (default 45) after its end: 10-Q
  filings are due 40 days after the quarter for large accelerated filers and 10-K filings 60 days
  after the year, and the four firms published their results (with capex) within about 40 days.
  45 days is conservative for quarters and about right for the results releases.
* **price-performance**: from Epoch AI's ML-hardware dataset (through
  :func:`model.calibration.hardware_fit.fit_from_data`, so only chips released by ``as_of``): for each year, the
  best FLOP/s per USD (dense FP16/BF16 tensor, at release price) among chips released by the end
  of that year. ``min_price_usd`` (default 4,000) keeps data-center and workstation accelerators:
  consumer cards have the best FLOP/s per dollar but are not what hyperscalers buy at scale
  (``min_price_usd=0`` keeps every chip).

Intervals: ordinary OLS t intervals with n - k degrees of freedom, and Newey-West (HAC, one lag,
small-sample correction, t reference distribution) for serial correlation. With eight or so
annual observations neither is reliable; they are reported side by side, with n.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from model.calibration.hardware_fit import fit_from_data
from model.constants import DEFAULT_AS_OF
from model.data import load_dataset
from model.dates import parse_date
from model.errors import JevonsError
from model.summary import Summary, interval_label, interval_text

CAPEX_DATASET = "hyperscaler_capex_sec_xbrl_quarterly"
LAG_DAYS = 45
FIRMS = ("GOOG", "AMZN")
MIN_PRICE_USD = 4000.0
HAC_LAGS = 1
MIN_YEARS = 5
SPECS = {
    "price-performance": ["log_q"],
    "price-performance + trend": ["log_q", "trend"],
    "trend only": ["trend"],
}


def period_end(year: pd.Series, quarter: pd.Series) -> pd.Series:
    """Last day of a calendar quarter (``quarter`` 1-4) or year (``quarter`` 0)."""
    month = quarter.where(quarter > 0, 4) * 3
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))
    return first + pd.offsets.MonthEnd(0)


def known_capex(as_of, lag_days: int = LAG_DAYS, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The capex rows known on ``as_of``: period end + ``lag_days`` on or before it.

    Adds columns ``period_end`` and ``known_from``; ``payments_usd`` is unchanged.
    """
    if frame is None:
        frame = load_dataset(CAPEX_DATASET)
    stamp = parse_date(as_of, "as_of")
    out = frame.copy()
    out["period_end"] = period_end(out["year"].astype(int), out["quarter"].astype(int))
    out["known_from"] = out["period_end"] + pd.Timedelta(days=lag_days)
    return out[out["known_from"] <= stamp].reset_index(drop=True)


def annual_capex(as_of, firms=FIRMS, lag_days: int = LAG_DAYS, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Calendar-year capex (USD bn) of ``firms``, years where every firm's annual figure is known.

    Only annual rows are used (GOOG, AMZN); Microsoft has no complete calendar year in the file.
    """
    firms = tuple(firms)
    known = known_capex(as_of, lag_days, frame)
    annual = known[known["quarter"] == 0]
    missing = [f for f in firms if f not in set(annual["ticker"])]
    if missing:
        raise JevonsError(
            f"{CAPEX_DATASET}: no complete calendar year of capex for {', '.join(missing)} known by "
            f"{pd.Timestamp(as_of):%Y-%m-%d} (a year counts {lag_days} days after its end; firms with "
            "annual rows: GOOG, AMZN)"
        )
    wide = annual.pivot_table(index="year", columns="ticker", values="payments_usd", aggfunc="first")
    wide = wide[list(firms)].dropna() / 1e9
    wide["total"] = wide.sum(axis=1)
    wide.index = wide.index.astype(int)
    return wide.reset_index()


def hardware_index(as_of, min_price_usd: float = MIN_PRICE_USD, chips: pd.DataFrame | None = None) -> pd.DataFrame:
    """Best FLOP/s per USD among chips released by the end of each year (chips released by
    ``as_of`` only), with the chip that sets it."""
    if chips is None:
        chips = fit_from_data(as_of).chips
    stamp = parse_date(as_of, "as_of")
    chips = chips[chips["release_date"] <= stamp]
    chips = chips[chips["price_usd"] >= min_price_usd]
    if chips.empty:
        raise JevonsError(f"epoch_ml_hardware: no chip with a release price of at least "
                          f"{min_price_usd:g} USD released by {stamp:%Y-%m-%d}")
    chips = chips.assign(year=chips["release_date"].dt.year).sort_values(["release_date", "name"],
                                                                          kind="mergesort")
    years = np.arange(chips["year"].min(), stamp.year + 1)
    best = chips.groupby("year")["flops_per_usd"].max().reindex(years)
    leader = chips.loc[chips.groupby("year")["flops_per_usd"].idxmax(), ["year", "name"]].set_index("year")
    frontier = best.cummax().ffill()
    # the chip that holds the frontier in each year
    holder = pd.Series([leader.loc[best.loc[:y].idxmax(), "name"] for y in years], index=years)
    return pd.DataFrame({"year": years, "flops_per_usd": frontier.to_numpy(), "leader": holder.to_numpy()})


@dataclass(frozen=True)
class LongRunFit:
    """The regressions of log capex on log price-performance (and a trend), as of a date."""

    as_of: pd.Timestamp
    firms: tuple[str, ...]
    lag_days: int
    min_price_usd: float
    data: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    """One row per (spec, term): coef, se, ci_low, ci_high (OLS t), se_hac, hac_low, hac_high,
    and for the log_q term the implied eps = 1 + coef with both intervals; n, df_resid, r2."""
    trend_correlation: float
    """Correlation of log price-performance with the year: near 1 means the trend and price-
    performance cannot be told apart."""
    vif: float
    """Variance inflation factor of log price-performance in the regression with a trend."""

    @property
    def n(self) -> int:
        return int(len(self.data))

    def elasticity(self, spec: str = "price-performance") -> dict:
        row = self.table[(self.table["spec"] == spec) & (self.table["term"] == "log_q")].iloc[0]
        return {"spec": spec, "elasticity": float(row["eps"]), "interval": [float(row["eps_low"]), float(row["eps_high"])],
                "interval_hac": [float(row["eps_hac_low"]), float(row["eps_hac_high"])], "n": int(row["n"])}

    def coefficients(self, spec: str = "price-performance") -> pd.Series:
        """The OLS coefficients of one specification, by term (const, log_q, trend)."""
        return self.table[self.table["spec"] == spec].set_index("term")["coef"]

    def fitted_log_capex(self, log_q: np.ndarray) -> np.ndarray:
        """Fitted log capex of the regression without a trend at log price-performance ``log_q``."""
        coef = self.coefficients("price-performance")
        return coef["const"] + coef["log_q"] * np.asarray(log_q, dtype=float)

    def fitted_line(self, points: int = 50) -> tuple[np.ndarray, np.ndarray]:
        """The regression line without a trend over the observed range of log price-performance:
        ``(log_q, fitted log capex)`` at ``points`` equally spaced values."""
        log_q = np.linspace(self.data["log_q"].min(), self.data["log_q"].max(), points)
        return log_q, self.fitted_log_capex(log_q)

    def capex_trend_growth(self) -> float:
        """Yearly growth of capex on its own trend (the trend-only regression), as a rate."""
        return float(np.expm1(self.coefficients("trend only")["trend"]))

    def price_performance_growth(self) -> float:
        """Yearly growth of the price-performance frontier (least-squares trend), as a rate."""
        return float(np.expm1(np.polyfit(self.data["year"], self.data["log_q"], 1)[0]))

    def summary(self) -> Summary:
        """The two regressions' elasticities and what separates them."""
        free, trend = self.elasticity("price-performance"), self.elasticity("price-performance + trend")
        return Summary.of(f"Long-run regression of capex on price-performance, as of {self.as_of:%Y-%m-%d}", [
            ("firms", ", ".join(self.firms)),
            ("years", f"{int(self.data['year'].min())}-{int(self.data['year'].max())} ({self.n})"),
            (interval_label("elasticity without a trend"), interval_text(free["interval"])),
            (interval_label("elasticity with a trend"), interval_text(trend["interval"])),
            ("correlation of price-performance with the trend", self.trend_correlation),
        ], notes=("With a trend the slope is identified only by deviations of price-performance "
                  "from its trend, which are small: the two regressors are nearly collinear.",))

    def to_dict(self) -> dict:
        """The fit as JSON-ready values."""
        return {
            "as_of": f"{self.as_of:%Y-%m-%d}", "firms": list(self.firms),
            "years": [int(self.data["year"].min()), int(self.data["year"].max())], "n": self.n,
            "lag_days": self.lag_days, "min_price_usd": self.min_price_usd,
            "without_trend": self.elasticity("price-performance"),
            "with_trend": self.elasticity("price-performance + trend"),
            "trend_correlation": self.trend_correlation, "vif": self.vif,
        }


def regress(data: pd.DataFrame, spec: str) -> pd.DataFrame:
    """One specification: OLS with t intervals and Newey-West (HAC) intervals."""
    y = np.log(data["total"].to_numpy(float))
    x = sm.add_constant(data[SPECS[spec]].to_numpy(float), has_constant="add")
    ols = sm.OLS(y, x).fit()
    hac = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": HAC_LAGS, "use_correction": True},
                           use_t=True)
    ci, ci_hac = ols.conf_int(0.05), hac.conf_int(0.05)
    rows = []
    for k, term in enumerate(["const", *SPECS[spec]]):
        rows.append({"spec": spec, "term": term, "coef": ols.params[k], "se": ols.bse[k],
                     "ci_low": ci[k, 0], "ci_high": ci[k, 1], "se_hac": hac.bse[k],
                     "hac_low": ci_hac[k, 0], "hac_high": ci_hac[k, 1],
                     "n": int(ols.nobs), "df_resid": int(ols.df_resid), "r2": ols.rsquared})
    out = pd.DataFrame(rows)
    slope = out["term"] == "log_q"
    for col, src in (("eps", "coef"), ("eps_low", "ci_low"), ("eps_high", "ci_high"),
                     ("eps_hac_low", "hac_low"), ("eps_hac_high", "hac_high")):
        out[col] = np.where(slope, 1.0 + out[src], np.nan)
    return out


def fit_longrun(as_of=DEFAULT_AS_OF, *, firms=FIRMS, lag_days: int = LAG_DAYS,
                min_price_usd: float = MIN_PRICE_USD, capex: pd.DataFrame | None = None,
                chips: pd.DataFrame | None = None) -> LongRunFit:
    """Regress log capex on log price-performance with what was known on ``as_of``.

    ``capex`` (the SEC XBRL frame) and ``chips`` (a hardware fit's chip table) may be given
    instead of being read from the data layer (tests, exercises).
    """
    stamp = parse_date(as_of, "as_of")
    spend = annual_capex(stamp, firms, lag_days, capex)
    hardware = hardware_index(stamp, min_price_usd, chips)
    data = spend.merge(hardware, on="year", how="inner")
    if len(data) < MIN_YEARS:
        raise JevonsError(
            f"long-run regression as of {stamp:%Y-%m-%d}: only {len(data)} years with both capex "
            f"({', '.join(firms)}) and hardware data; at least {MIN_YEARS} are needed"
        )
    data["log_q"] = np.log(data["flops_per_usd"])
    data["trend"] = data["year"] - data["year"].mean()
    table = pd.concat([regress(data, s) for s in SPECS], ignore_index=True)
    corr = float(np.corrcoef(data["log_q"], data["trend"])[0, 1])
    return LongRunFit(stamp, tuple(firms), int(lag_days), float(min_price_usd), data, table,
                      trend_correlation=corr, vif=float(1.0 / (1.0 - corr**2)))


def year_to_date_growth(as_of, year: int, firms=FIRMS, lag_days: int = LAG_DAYS,
                        frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Capex of the calendar quarters of ``year`` known on ``as_of`` against the same quarters a
    year earlier, per firm (same source and definition in both years).

    Columns: ticker, quarters (e.g. "Q1-Q3"), capex (USD bn), previous (USD bn), growth. Firms
    with no quarter of ``year`` known, or without the matching quarters a year earlier, are left out.
    """
    known = known_capex(as_of, lag_days, frame)
    quarters = known[known["quarter"] > 0]
    rows = []
    for ticker in firms:  # a handful of firms: a loop over structure
        own = quarters[quarters["ticker"] == ticker]
        now = own[own["year"] == year].set_index("quarter")["payments_usd"]
        before = own[own["year"] == year - 1].set_index("quarter")["payments_usd"]
        common = sorted(set(now.index) & set(before.index))
        if not common:
            continue
        first, last = int(common[0]), int(common[-1])
        contiguous = len(common) == last - first + 1
        label = (f"Q{first}" if first == last else f"Q{first}-Q{last}") if contiguous else \
            "+".join(f"Q{int(q)}" for q in common)
        current, previous = now.loc[common].sum() / 1e9, before.loc[common].sum() / 1e9
        rows.append({"ticker": ticker, "quarters": label, "capex": current, "previous": previous,
                     "growth": current / previous - 1.0})
    return pd.DataFrame(rows, columns=["ticker", "quarters", "capex", "previous", "growth"])


def last_known_date(as_of, year: int, lag_days: int = LAG_DAYS, frame: pd.DataFrame | None = None) -> pd.Timestamp:
    """The latest date on which a capex period of calendar ``year`` became known, as of ``as_of``."""
    known = known_capex(as_of, lag_days, frame)
    return known.loc[known["year"] == year, "known_from"].max()

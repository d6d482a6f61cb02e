"""Where demand growth goes after the years the plans identify: the priors of the fade.

The capex fit identifies demand growth g (jointly with the elasticity) from the hyperscalers' plans
for the years they cover, 2025 and 2026 as of early 2026. Nothing in the plans says what g is
later. The fitted scenario and the fan chart let g fade (:mod:`model.engine.growth`) towards a
long-run rate g_inf with a half-life h, from the last plan year on. Both are priors, stated here:

* **long-run demand growth g_inf**: the growth that makes compute spend on the trends grow at the
  *pre-boom* trend of the hyperscalers' capex (SEC XBRL cash capex, through
  :func:`model.calibration.longrun.annual_capex`, years up to :data:`PRE_BOOM_LAST_YEAR`). On the
  trends spend grows by ln(1 + g) + (eps - 1) L a year, with L = ln 2 (1/T_hw + 1/T_alg) the log
  fall of the price of useful work (the identity the capex fit uses), so

      ln(1 + g_inf) = ln(1 + g_capex) + (1 - eps) L,

  at the fit's median elasticity and median trends. Two series are defensible and they disagree:
  Alphabet alone (complete from 2013) and Alphabet plus Amazon (complete from 2016; Amazon's
  capex includes its logistics build-out of 2020-21). The prior is uniform over the union of their
  95% trend intervals: the data cannot choose between them, so the range shows both.
* **half-life h**: an assumption, uniform from 1 to 4 years (:data:`HALF_LIFE_RANGE`); the
  chapter shows the result at 1, 2 and 4 years and without a fade.
* **fade start**: the last year of the plans the fit reads (the years whose growth they identify).

Everything is as of the fit's date: capex years count once filed (``longrun.LAG_DAYS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from model.calibration.longrun import annual_capex
from model.errors import JevonsError
from model.summary import Summary

# The generative-AI capex boom starts in 2023 (ChatGPT was released on 30 November 2022):
# assumption on where "pre-boom" ends.
PRE_BOOM_LAST_YEAR = 2022
# The two SEC XBRL series with complete calendar years (model.calibration.longrun): firms, first year.
SERIES: tuple[tuple[tuple[str, ...], int], ...] = ((("GOOG",), 2013), (("GOOG", "AMZN"), 2016))
HALF_LIFE_RANGE = (1.0, 4.0)  # years; assumption (the sensitivity table shows 1, 2, 4 and no fade)
MIN_YEARS = 4
LEVEL = 0.95


def capex_trends(as_of, last_year: int = PRE_BOOM_LAST_YEAR, series=SERIES,
                 frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Yearly growth of the hyperscalers' capex on its log-linear trend, years up to ``last_year``
    known on ``as_of``, for each series: firms, years, n, growth and its OLS 95% interval."""
    rows = []
    for firms, first in series:  # two series: a loop over structure
        data = annual_capex(as_of, firms=firms, frame=frame)
        data = data[(data["year"] >= first) & (data["year"] <= last_year)]
        if len(data) < MIN_YEARS:
            raise JevonsError(f"long-run demand growth as of {pd.Timestamp(as_of):%Y-%m-%d}: only "
                              f"{len(data)} pre-boom years of {'+'.join(firms)} capex known; at "
                              f"least {MIN_YEARS} are needed")
        year = data["year"].to_numpy(float)
        x = sm.add_constant(year - year.mean())
        ols = sm.OLS(np.log(data["total"].to_numpy(float)), x).fit()
        lo, hi = ols.conf_int(1.0 - LEVEL)[1]
        rows.append({"series": "+".join(firms), "years": f"{int(year.min())}-{int(year.max())}",
                     "n": int(len(data)), "growth": float(np.expm1(ols.params[1])),
                     "low": float(np.expm1(lo)), "high": float(np.expm1(hi))})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LongRunGrowthPrior:
    """The priors of the fade of demand growth, as of a date (see the module docstring)."""

    as_of: pd.Timestamp
    trends: pd.DataFrame = field(repr=False)  # capex_trends(): one row per series
    elasticity: float  # the fit's median elasticity, used in the conversion
    log_price_fall: float  # L = ln 2 (1/T_hw + 1/T_alg) at the median trends
    fade_start: float  # the last plan year
    half_life: tuple[float, float] = HALF_LIFE_RANGE

    @property
    def capex_growth(self) -> tuple[float, float]:
        """The range of pre-boom capex trend growth: the union of the series' 95% intervals."""
        return float(self.trends["low"].min()), float(self.trends["high"].max())

    def demand_growth_of(self, capex_growth):
        """Demand growth at which spend on the trends grows at ``capex_growth`` (vectorised)."""
        return np.expm1(np.log1p(capex_growth) + (1.0 - self.elasticity) * self.log_price_fall)

    @property
    def long_run_growth(self) -> tuple[float, float]:
        """The uniform prior's bounds on long-run demand growth g_inf."""
        lo, hi = self.capex_growth
        return float(self.demand_growth_of(lo)), float(self.demand_growth_of(hi))

    def draws(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``n`` independent draws of (g_inf, h) from the two uniform priors."""
        return rng.uniform(*self.long_run_growth, n), rng.uniform(*self.half_life, n)

    def summary(self) -> Summary:
        g_lo, g_hi = self.long_run_growth
        c_lo, c_hi = self.capex_growth
        rows = [(f"capex trend {r.series} {r.years}", f"{r.growth:.1%} ({r.low:.1%} to {r.high:.1%})")
                for r in self.trends.itertuples()]
        return Summary.of(f"Priors of the fade of demand growth, as of {self.as_of:%Y-%m-%d}", [
            *rows,
            ("pre-boom capex growth (union of the 95% intervals)", f"{c_lo:.1%} to {c_hi:.1%}"),
            ("long-run demand growth g_inf (uniform)", f"{g_lo:.1%} to {g_hi:.1%}"),
            ("half-life h, years (uniform, assumption)", f"{self.half_life[0]:g} to {self.half_life[1]:g}"),
            ("fade starts in (last plan year)", f"{self.fade_start:.0f}"),
        ], notes=(f"g_inf makes spend on the trends grow at the capex trend: ln(1+g_inf) = "
                  f"ln(1+g_capex) + (1 - {self.elasticity:.3f}) x {self.log_price_fall:.3f}.",))

    def to_dict(self) -> dict:
        return {"as_of": f"{self.as_of:%Y-%m-%d}", "trends": self.trends.to_dict("records"),
                "capex_growth": list(self.capex_growth), "long_run_growth": list(self.long_run_growth),
                "elasticity": self.elasticity, "log_price_fall": self.log_price_fall,
                "half_life": list(self.half_life), "fade_start": self.fade_start}


def long_run_growth_prior(calibration, elasticity: float, hardware_doubling_years: float,
                          efficiency_doubling_years: float,
                          frame: pd.DataFrame | None = None) -> LongRunGrowthPrior:
    """The fade's priors for a fit (:class:`model.calibration.fit.Calibration`), converting capex
    growth to demand growth at ``elasticity`` and the two trends' doubling times (medians)."""
    fall = float(np.log(2.0) * (1.0 / hardware_doubling_years + 1.0 / efficiency_doubling_years))
    plans = calibration.capex.plans
    return LongRunGrowthPrior(
        as_of=pd.Timestamp(calibration.as_of), trends=capex_trends(calibration.as_of, frame=frame),
        elasticity=float(elasticity), log_price_fall=fall,
        fade_start=float(plans["year"].max()))

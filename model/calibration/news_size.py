"""How much of DeepSeek was news: the raw cost ratios measured against the path the market
already expected.

A raw ratio compares two models released at different dates. Before the news the market expected
the cost of a given capability to keep falling at the trend rate ``k`` (a factor per year), so a
model released ``gap`` years after the one it is compared with was expected to be ``k^gap``
cheaper. The news is the rest,

    S_news = S_raw / k^gap,

which equals ``S_raw`` at zero gap and falls as the gap or the trend rate grows. Two comparisons
from dated facts:

* DeepSeek-V3 against Llama 3.1 405B, training GPU-hours (11x). The gap runs from the release gap
  of the two (July to December 2024) to the 7-10 months by which, in Amodei's reading of 29
  January 2025, V3 trailed US models of the same capability; the trend is algorithmic progress,
  Ho et al.'s 8-month halving (95% interval 5-14 months), with Amodei's ~4x a year beside it.
* DeepSeek-R1 against o1, list price per token (27x). The two are of about the same capability;
  the gap is o1's time on the market before R1 (an assumption, below: its launch dates are not in
  the facts tables); the trend is the fall of the price of a given capability, a16z's ~10x a
  year, with the algorithmic trend alone as the slow end.

Both ratios combine as the market-implied fit combines them, as a geometric mean.

A second reading treats the news not as a one-off level but as a faster trend from the news date
on: the doubling time of useful work per FLOP falls from ``T`` to ``T'`` with
``1/T' = 1/T + log2(S_news)/span``, so the excess that arrived over ``span`` years keeps arriving at
that pace; its one-off equivalent at a horizon ``h`` is ``2^(h (1/T' - 1/T)) = S_news^(h/span)``,
which compounds without bound.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.calibration.inputs import check_as_of
from model.calibration.market import MarketPrior
from model.constants import DEFAULT_AS_OF, EVENT_YEAR
from model.data.facts import fact, fact_value, load_facts
from model.engine.valuation import Valuation
from model.errors import JevonsError
from model.summary import Summary, interval_text

DAYS_PER_YEAR = 365.25

R1_O1_GAP_MONTHS = (1.0, 4.0)
"""Assumption: months o1-level capability had been on the market at o1's price when R1 launched
(20 January 2025). The short end is o1's API launch in December 2024, the long end o1-preview in
September 2024; both dates are recalled, not in the facts tables (the December date is listed as
unverified in the project's sources), so the range is stated as an assumption."""


def _positive(name: str, value) -> np.ndarray:
    x = np.asarray(value, dtype=float)
    if x.size == 0 or np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise JevonsError(f"{name} {value!r}: must be finite and positive")
    return x


def _gap(value) -> np.ndarray:
    x = np.asarray(value, dtype=float)
    if x.size == 0 or np.any(~np.isfinite(x)) or np.any(x < 0):
        raise JevonsError(f"gap_years {value!r}: must be finite and zero or more (years between "
                          "the compared models' dates)")
    return x


def trend_per_year_from_halving(months) -> np.ndarray:
    """The yearly factor of a cost that halves every ``months`` months: ``2^(12/months)``."""
    return 2.0 ** (12.0 / _positive("halving months", months))


def news_over_trend(raw, gap_years, trend_per_year) -> np.ndarray:
    """``S_news = S_raw / k^gap`` (broadcasts): the part of a raw cost ratio the trend did not
    already predict."""
    raw = _positive("raw ratio", raw)
    gap = _gap(gap_years)
    trend = _positive("trend_per_year", trend_per_year)
    if np.any(trend < 1):
        raise JevonsError(f"trend_per_year {trend_per_year!r}: must be at least 1 (a cost that falls)")
    return raw / trend ** gap


def news_interval(raw, gap_range, trend_range) -> tuple[float, float]:
    """The range of :func:`news_over_trend` over the box ``gap_range x trend_range`` (the
    corners: S_news falls in both)."""
    values = news_over_trend(raw, np.asarray(gap_range, dtype=float).reshape(-1, 1),
                             np.asarray(trend_range, dtype=float).reshape(1, -1))
    return float(values.min()), float(values.max())


def doubling_time_after(s_news, span_years, doubling_years) -> np.ndarray:
    """The doubling time ``T'`` of useful work per FLOP that, from the news date on, delivers the
    excess ``s_news`` every ``span_years``: ``1/T' = 1/T + log2(S_news)/span``."""
    s = _positive("s_news", s_news)
    span = _positive("span_years", span_years)
    t = _positive("doubling_years", doubling_years)
    return 1.0 / (1.0 / t + np.log2(s) / span)


def equivalent_factor(doubling_before, doubling_after, horizon_years) -> np.ndarray:
    """The one-off efficiency factor a change of doubling time from ``doubling_before`` to
    ``doubling_after`` amounts to after ``horizon_years``: ``2^(h (1/T' - 1/T))``."""
    before = _positive("doubling_before", doubling_before)
    after = _positive("doubling_after", doubling_after)
    h = _gap(horizon_years)
    return 2.0 ** (h * (1.0 / after - 1.0 / before))


@dataclass(frozen=True)
class Comparison:
    """One raw ratio with the gaps and trend rates it is measured against."""

    name: str
    raw: float
    gap_years: float
    gap_range: tuple[float, float]
    trend_per_year: float
    trend_range: tuple[float, float]
    gap_basis: str
    trend_basis: str
    readings: tuple[tuple[str, float, str, float], ...]  # (gap label, gap, trend label, trend)

    @property
    def over_trend(self) -> float:
        return float(news_over_trend(self.raw, self.gap_years, self.trend_per_year))

    @property
    def interval(self) -> tuple[float, float]:
        return news_interval(self.raw, self.gap_range, self.trend_range)

    @property
    def expected_range(self) -> tuple[float, float]:
        """The raw ratio the trend alone predicts over the gap, ``k^gap`` over the box of gaps
        and trends: a raw ratio inside it is no news."""
        lo, hi = news_interval(1.0, self.gap_range, self.trend_range)
        return 1.0 / hi, 1.0 / lo

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([
            {"comparison": self.name, "gap": g_label, "gap (years)": gap, "trend": t_label,
             "trend (x a year)": trend, "raw": self.raw,
             "news over trend": float(news_over_trend(self.raw, gap, trend))}
            for g_label, gap, t_label, trend in self.readings])

    def to_dict(self) -> dict:
        return {"raw": self.raw, "over_trend": self.over_trend, "interval": list(self.interval),
                "expected_range": list(self.expected_range), "gap_years": self.gap_years, "gap_range": list(self.gap_range),
                "trend_per_year": self.trend_per_year, "trend_range": list(self.trend_range),
                "gap_basis": self.gap_basis, "trend_basis": self.trend_basis}


@dataclass(frozen=True)
class NewsSize:
    """The news of DeepSeek day against the expected path, as of a date."""

    as_of: pd.Timestamp
    training: Comparison
    price: Comparison
    doubling_years: float
    horizon_years: float

    @property
    def raw(self) -> float:
        """Geometric mean of the raw ratios (the market-implied fit's news size)."""
        return float(np.sqrt(self.training.raw * self.price.raw))

    @property
    def over_trend(self) -> float:
        return float(np.sqrt(self.training.over_trend * self.price.over_trend))

    @property
    def interval(self) -> tuple[float, float]:
        (a, b), (c, d) = self.training.interval, self.price.interval
        return float(np.sqrt(a * c)), float(np.sqrt(b * d))

    def trend_change(self) -> dict[str, float]:
        """The trend-change reading of the training comparison (the algorithmic trend): the
        doubling time after the news if its excess keeps arriving at the pace of the gap, and
        the one-off factors that amounts to after one year and at the valuation horizon; and the
        least change of doubling time that reaches the same factor only at the horizon."""
        s, gap = self.training.over_trend, self.training.gap_years
        fast = float(doubling_time_after(s, gap, self.doubling_years))
        slow = float(doubling_time_after(s, self.horizon_years, self.doubling_years))
        return {
            "doubling_years_before": self.doubling_years,
            "doubling_years_after": fast,
            "factor_after_one_year": float(equivalent_factor(self.doubling_years, fast, 1.0)),
            "factor_at_horizon": float(equivalent_factor(self.doubling_years, fast, self.horizon_years)),
            "horizon_years": self.horizon_years,
            "doubling_years_after_spread_to_horizon": slow,
        }

    def table(self) -> pd.DataFrame:
        return pd.concat([self.training.table(), self.price.table()], ignore_index=True)

    def summary(self) -> Summary:
        change = self.trend_change()
        rows = [
            (f"{c.name}: raw / over trend (range)",
             f"{c.raw:.1f} / {c.over_trend:.2f} ({interval_text(c.interval, 3)})")
            for c in (self.training, self.price)
        ]
        rows += [(f"{c.name}: ratio the trend alone predicts", interval_text(c.expected_range, 3))
                 for c in (self.training, self.price)]
        rows += [
            ("news size, geometric mean: raw", self.raw),
            ("news size, geometric mean: over trend", self.over_trend),
            ("news size over trend, range over gaps and trends", interval_text(self.interval, 3)),
            ("trend-change reading: doubling time before / after (years)",
             f"{change['doubling_years_before']:.3g} / {change['doubling_years_after']:.3g}"),
            ("  its one-off equivalent after 1 year / at the horizon",
             f"{change['factor_after_one_year']:.3g} / {change['factor_at_horizon']:.3g}"),
            (f"  the same news spread over {self.horizon_years:.1f} years: doubling time after",
             change["doubling_years_after_spread_to_horizon"]),
        ]
        notes = (f"gaps: {self.training.gap_basis}; {self.price.gap_basis}",
                 f"trends: {self.training.trend_basis}; {self.price.trend_basis}")
        return Summary.of(f"The news of DeepSeek day against the trend, as of {self.as_of:%Y-%m-%d}",
                          rows, tables=[("readings", self.table())], notes=notes)

    def to_dict(self) -> dict:
        """``news_factor`` as the calibrate JSON carries it (``raw``, ``over_trend``) plus detail."""
        return {"raw": self.raw, "over_trend": self.over_trend, "interval": list(self.interval),
                "training": self.training.to_dict(), "price": self.price.to_dict(),
                "trend_change": self.trend_change()}


def _years_between(earlier: str, later: str, stamp) -> float:
    """Years between the dates two facts became known (their release dates)."""
    return float((fact(later, stamp)["as_of"] - fact(earlier, stamp)["as_of"]).days / DAYS_PER_YEAR)


def _known(fact_id: str, stamp) -> bool:
    return bool((load_facts(stamp)["id"] == fact_id).any())


def news_size(as_of=DEFAULT_AS_OF, *, r1_o1_gap_months: tuple[float, float] = R1_O1_GAP_MONTHS) -> NewsSize:
    """The news over trend from the facts known on ``as_of``. Amodei's gap and cost curve (29
    January 2025) enter only from that date; before it the training gap is the release gap."""
    stamp = check_as_of(as_of)
    lo_m, hi_m = (float(m) for m in r1_o1_gap_months)
    if not 0 <= lo_m <= hi_m:
        raise JevonsError(f"r1_o1_gap_months {r1_o1_gap_months!r}: must be two months, 0 <= low <= high")
    halving = fact_value("algo_progress_halving_months", stamp)
    fast_m, slow_m = fact_value("algo_progress_halving_months_low", stamp), fact_value("algo_progress_halving_months_high", stamp)
    ho, ho_fast, ho_slow = (float(trend_per_year_from_halving(m)) for m in (halving, fast_m, slow_m))
    ho_label = f"Ho et al., halving {halving:g} months"
    ho_readings = [(ho_label, ho), (f"halving {fast_m:g} months", ho_fast), (f"halving {slow_m:g} months", ho_slow)]

    release = _years_between("llama31_405b_gpu_hours", "deepseek_v3_gpu_hours", stamp)
    gaps = [("release gap", release)]
    trends = list(ho_readings)
    gap_basis = f"V3 vs Llama 3.1 405B: release gap {release:.2f} years (model card and arXiv dates)"
    amodei = _known("amodei_cost_curve_per_year", stamp)
    if amodei:
        a_lo = fact_value("amodei_v3_matched_gap_months_low", stamp) / 12.0
        a_hi = fact_value("amodei_v3_matched_gap_months_high", stamp) / 12.0
        curve = fact_value("amodei_cost_curve_per_year", stamp)
        gaps += [("Amodei, low", a_lo), ("Amodei, high", a_hi)]
        trends.append(("Amodei", curve))
        gap_basis += f" to {a_hi:.2f} (Amodei: V3 matches US models 7-10 months older)"
    gap_values = [g for _, g in gaps]
    training = Comparison(
        name="V3 vs Llama 3.1 405B, GPU-hours",
        raw=fact_value("llama31_405b_to_deepseek_v3_gpu_hours_ratio", stamp),
        gap_years=release, gap_range=(min(gap_values), max(gap_values)),
        trend_per_year=ho, trend_range=(ho_slow, ho_fast),
        gap_basis=gap_basis,
        trend_basis=(f"algorithmic progress, {ho_label} ({fast_m:g}-{slow_m:g} months, 95%)"
                     + (", Amodei ~4x a year inside that range" if amodei else "")),
        readings=tuple((g_label, g, t_label, t) for g_label, g in gaps for t_label, t in trends),
    )

    a16z = fact_value("llm_price_decline_per_year_a16z", stamp)
    price_gaps = [("o1 on the market, low", lo_m / 12.0), ("o1 on the market, high", hi_m / 12.0)]
    price_trends = [("a16z, price of a capability", a16z), (ho_label, ho), (f"halving {slow_m:g} months", ho_slow)]
    if amodei:
        price_trends.append(("Amodei", fact_value("amodei_cost_curve_per_year", stamp)))
    price = Comparison(
        name="o1 vs R1, list price",
        raw=fact_value("o1_to_r1_price_ratio_input", stamp),
        gap_years=0.5 * (lo_m + hi_m) / 12.0, gap_range=(lo_m / 12.0, hi_m / 12.0),
        trend_per_year=a16z, trend_range=(ho_slow, a16z),
        gap_basis=f"R1 vs o1: o1's {lo_m:g}-{hi_m:g} months on the market before R1 (assumption)",
        trend_basis=f"the price of a given capability, a16z ~{a16z:g}x a year, algorithmic trend alone as the slow end",
        readings=tuple((g_label, g, t_label, t) for g_label, g in price_gaps for t_label, t in price_trends),
    )
    return NewsSize(as_of=stamp, training=training, price=price, doubling_years=halving / 12.0,
                    horizon_years=float(Valuation.horizon_end + 1 - EVENT_YEAR))


def news_prior(prior: MarketPrior, news: NewsSize, z: float = 1.96) -> MarketPrior:
    """``prior`` with the news size S measured against the trend: lognormal with median
    ``news.over_trend`` and its range over gaps and trends (:attr:`NewsSize.interval`) read as
    a central 95% interval (log sd = ln(high / low) / (2 z)). The raw ratios' prior (median 17.4)
    stays the single-channel estimate's."""
    lo, hi = news.interval
    return replace(prior, factor_median=news.over_trend, factor_log_sd=float(np.log(hi / lo) / (2.0 * z)))

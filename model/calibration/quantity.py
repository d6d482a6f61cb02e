"""The market-implied elasticity from the quantity channel of 27 January alone.

The cross-section of the day (:mod:`model.event_study.decompose`) splits the sellers', power and
cooling names' and buyers' abnormal returns into channels. Only one of them is about the
quantity of compute the world will buy, which is what the elasticity governs: the
``compute_quantity`` channel. Its part of Nvidia's return, ``x_NVDA c_q`` (Nvidia's exposure, its
data-centre share of revenue, times the channel's estimate), is what the valuation link should
reproduce; Nvidia's rents (share and margin against substitutes) and the AI complex's repricing
(discount rate, positioning) are other news.

The estimate is the market likelihood (:class:`model.calibration.likelihood.MarketEvidence`)
under a flat prior on eps over 0-4, with

* the observed return ``x_NVDA c_q`` and its noise: the same channel estimated on the reference
  days before the event (out of sample), times ``x_NVDA``: the decomposition's own uncertainty;
* the news measured against the trend, S_news (:func:`model.calibration.news_size.news_prior`),
  not the raw ratios;
* the valuation of the fit (the data-centre share from the facts; the reverse DCF checks that
  the pre-news path prices Nvidia at its market value).

What identifies it: the size of the quantity channel relative to Nvidia's exposure, read through
the valuation link given S_news and the coverage phi. What does not: which part of Nvidia's own
fall was quantity news cannot be read from Nvidia alone, and it rests on the exposures fixed
before the event; :func:`range_table` shows eps over the share of Nvidia's abnormal return
(against the market ex-NVDA) that the quantity channel explains and over the news size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.calibration.grid_density import log_mean_exp
from model.calibration.likelihood import (
    GridEstimate,
    MarketEvidence,
    NoiseDensity,
    SharedDraws,
    cell_log_likelihood,
    cell_returns,
    elasticity_grid,
    forward_returns,
)
from model.constants import SEED
from model.engine.valuation import Valuation
from model.event_study.decompose import DecompositionResult
from model.summary import Summary, interval_text

CHANNEL = "compute_quantity"
SHARES = (0.25, 0.5, 0.75, 1.0)
"""Shares of Nvidia's abnormal return put down to the quantity channel in :func:`range_table`
(besides the decomposition's own)."""
LOW_NEWS = (2.0, 3.0)
"""News sizes of :func:`range_table` below the over-trend range: the reading of Amodei's cost
curve of 29 January 2025 (V3 about where a ~4x-a-year curve puts it: news over trend of 1-3x)."""
TABLE_DRAWS = 200
TABLE_CELLS = 200
"""Grid cells of :func:`range_table` (0.02 wide): its cells print two decimals."""


@dataclass(frozen=True)
class QuantityChannelFit:
    """The quantity channel's elasticity and the range over the assumptions it rests on."""

    estimate: ElasticityEstimate
    grid_estimate: GridEstimate = field(repr=False)
    evidence: MarketEvidence = field(repr=False)
    observed: float
    """x_NVDA c_q: the return the valuation link reproduces."""
    channel_estimate: float
    channel_interval: tuple[float, float]
    exposure: float
    abnormal_return: float
    """Nvidia's abnormal return against the market ex-NVDA."""
    benchmark: str
    news_median: float
    news_log_sd: float
    p_above_one: float
    ranges: pd.DataFrame

    @property
    def share(self) -> float:
        """The share of Nvidia's abnormal return the quantity channel explains."""
        return self.observed / self.abnormal_return

    @property
    def observed_interval(self) -> tuple[float, float]:
        lo, hi = self.channel_interval
        return self.exposure * lo, self.exposure * hi

    def summary(self) -> Summary:
        lo, hi = self.estimate.interval
        rows = [
            ("Nvidia's abnormal return against the market ex-NVDA", f"{self.abnormal_return:+.2%}"),
            ("quantity channel (unit exposure), 95% interval",
             f"{self.channel_estimate:+.2%} ({self.channel_interval[0]:+.2%} to {self.channel_interval[1]:+.2%})"),
            ("Nvidia's exposure (data-centre share)", f"{self.exposure:.3f}"),
            ("its part of Nvidia's return", f"{self.observed:+.2%} ({self.share:.0%} of it)"),
            ("news over trend, S_news (lognormal median, log sd)",
             f"{self.news_median:.2f}, {self.news_log_sd:.2f}"),
            ("elasticity, median (95% interval)", f"{self.estimate.median:.2f} ({interval_text((lo, hi))})"),
            ("P(eps > 1)", f"{self.p_above_one:.3g}"),
        ]
        return Summary.of("Market-implied elasticity from the quantity channel", rows,
                          tables=[("median eps by quantity share and news size", self.range_pivot())],
                          notes=self.estimate.notes)

    def range_pivot(self, column: str = "elasticity") -> pd.DataFrame:
        """:attr:`ranges` as a share x news-size table of ``column``."""
        return self.ranges.pivot(index="share", columns="factor", values=column)

    def to_dict(self) -> dict:
        return {
            "channel": CHANNEL, "channel_estimate": self.channel_estimate,
            "channel_interval": list(self.channel_interval), "exposure": self.exposure,
            "observed_return": self.observed, "observed_interval": list(self.observed_interval),
            "share_of_abnormal_return": self.share, "abnormal_return_ex_nvda": self.abnormal_return,
            "news_size": {"median": self.news_median, "log_sd": self.news_log_sd},
            "ranges": self.ranges.to_dict(orient="records"),
        }


def quantity_evidence(decomposition: DecompositionResult, shared: SharedDraws,
                      valuation: Valuation | None = None, ticker: str = "NVDA") -> MarketEvidence:
    """The market evidence of the quantity channel's part of ``ticker``'s return."""
    x = decomposition.exposure(ticker, CHANNEL)
    channel = decomposition.channel(CHANNEL)
    return MarketEvidence.build(
        x * channel.estimate, x * decomposition.channel_noise(CHANNEL), shared, valuation,
        name="market", description=f"{ticker}'s exposure {x:.3f} x the {CHANNEL} channel "
                                   f"{channel.estimate:+.4f} of {decomposition.event_date}")


def range_table(observed_return: float, noise_sample, shared: SharedDraws, factors, shares,
                valuation: Valuation | None = None, draws: int = TABLE_DRAWS) -> pd.DataFrame:
    """The elasticity over (share of ``observed_return``, news size): the market likelihood with
    the news size fixed at each factor (the other inputs drawn as in ``shared``, first ``draws``
    of them), flat prior on 0-4. One row per cell: share, factor, elasticity (median), low, high,
    p_above_one. One engine call for every factor."""
    factors = np.asarray(factors, dtype=float)
    shares = np.asarray(shares, dtype=float)
    k = min(draws, shared.size)
    base = {name: v[:k] for name, v in shared.inputs.items()}
    stacked = {name: np.tile(v, factors.size) for name, v in base.items()}
    stacked["factor"] = np.repeat(factors, k)
    nodes, returns = forward_returns(SharedDraws(shared.prior, shared.seed, stacked), valuation)
    grid = elasticity_grid(TABLE_CELLS)
    noise = NoiseDensity.of(noise_sample)
    weight = float(np.asarray((valuation or Valuation()).dc_value_share))
    rows = []
    for f, factor in enumerate(factors):  # a handful of news sizes: structure
        cells = cell_returns(nodes, returns[f * k:(f + 1) * k], grid, weight)
        for share in shares:
            ll = cell_log_likelihood(noise, share * observed_return, nodes, None, grid, weight, cells)
            est = GridEstimate.from_log(grid, log_mean_exp(ll, axis=1))
            lo, hi = est.interval()
            rows.append({"share": float(share), "factor": float(factor), "elasticity": est.median,
                         "low": lo, "high": hi, "p_above_one": est.p_above(1.0)})
    return pd.DataFrame(rows)


def quantity_channel_fit(decomposition: DecompositionResult, shared: SharedDraws, abnormal_return: float,
                         benchmark: str, *, raw_factor: float, news_interval: tuple[float, float],
                         valuation: Valuation | None = None, draws: int = 4000,
                         seed: int = SEED) -> QuantityChannelFit:
    """The headline market-implied elasticity (see the module docstring). ``abnormal_return`` is
    Nvidia's against the market ex-NVDA (for the shares of :func:`range_table`), ``raw_factor``
    the raw news size and ``news_interval`` S_news's range (columns of the range table)."""
    evidence = quantity_evidence(decomposition, shared, valuation)
    grid = elasticity_grid()
    est = GridEstimate.from_log(grid, evidence.log_likelihood(grid))
    channel = decomposition.channel(CHANNEL)
    prior = shared.prior
    share = evidence.observed / abnormal_return
    factors = sorted({*LOW_NEWS, news_interval[0], prior.factor_median, news_interval[1], raw_factor})
    shares = sorted({*SHARES, round(share, 4)})
    x = decomposition.exposure("NVDA", CHANNEL)
    ranges = range_table(abnormal_return, x * decomposition.channel_noise(CHANNEL), shared, factors,
                         shares, valuation)
    notes = (f"observed: {evidence.description} = {evidence.observed:+.4f}, noise from the "
             f"channel on {decomposition.channel_noise(CHANNEL).size} reference days",
             f"news over trend S_news lognormal, median {prior.factor_median:.2f}, log sd "
             f"{prior.factor_log_sd:.2f}; coverage phi uniform {prior.coverage[0]:.1f}-{prior.coverage[1]:.1f}",
             f"likelihood on a grid over 0-4 (flat prior), nuisance integrated over {shared.size} draws")
    return QuantityChannelFit(
        estimate=est.estimate("market-implied (NVDA, quantity channel)", draws, seed, 50, notes),
        grid_estimate=est, evidence=evidence, observed=evidence.observed,
        channel_estimate=channel.estimate, channel_interval=channel.interval, exposure=x,
        abnormal_return=float(abnormal_return), benchmark=benchmark,
        news_median=prior.factor_median, news_log_sd=prior.factor_log_sd,
        p_above_one=est.p_above(1.0), ranges=ranges,
    )

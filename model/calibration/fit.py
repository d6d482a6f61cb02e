"""The fit as of a date: what elasticity the market priced on 27 January 2025, what the buyers'
capex plans imply, whether one elasticity explains both, and what the fitted model forecast.

:func:`fit` reads only prices, facts and hardware releases dated on or before ``as_of``
(tests change every later row and check the outputs are bit-identical).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.calibration import capex as capex_mod
from model.calibration import combine as combine_mod
from model.calibration import evidence as evidence_mod
from model.calibration import quarterly as quarterly_mod
from model.calibration.coverage import CoverageCheck, simulate_coverage
from model.calibration.estimate import ElasticityEstimate
from model.calibration.forecast import Forecast, model_growth
from model.calibration.hardware_fit import HardwareFit, fit_from_data
from model.calibration.inputs import (
    EventEvidence,
    check_as_of,
    event_evidence,
    market_prior,
    valuation_as_of,
)
from model.calibration.likelihood import SHARED_DRAWS, CapexEvidence, SharedDraws, elasticity_grid
from model.calibration.market import MarketPrior, draw_market_inputs, implied_estimate, implied_grid
from model.calibration.news_size import NewsSize, news_prior, news_size
from model.calibration.peers import PeerEvidence, peer_evidence
from model.calibration.quantity import QuantityChannelFit, quantity_channel_fit
from model.calibration.reverse_dcf import (
    MARKET_CAP_FACT,
    ReverseDCF,
    market_consistent_inputs,
    reverse_dcf,
)
from model.calibration.usage import UsageEvidence, usage_evidence
from model.constants import DEFAULT_AS_OF, EVENT_DATE, SEED
from model.data.facts import fact, fact_value
from model.engine.closed_forms import jevons_factor
from model.errors import DataError, JevonsError
from model.event_study import benchmark as bm
from model.event_study.decompose import DecompositionResult, DecompositionSpec, decompose_event
from model.summary import LEVEL, Summary

GRID_FACTORS = (2.0, 3.0, 5.0, 8.0, 11.0, 17.0, 27.0, 40.0, 60.0)
GRID_COVERAGES = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class Calibration:
    """Everything the fit produced as of one date."""

    as_of: pd.Timestamp
    hardware: HardwareFit
    prior: MarketPrior
    event: EventEvidence
    market: ElasticityEstimate
    peers: PeerEvidence
    market_peers: ElasticityEstimate
    market_grid: pd.DataFrame
    capex: object  # model.calibration.capex result
    external_prior: ElasticityEstimate | None
    combination: object  # model.calibration.combine.Combination
    forecasts: dict[str, Forecast] = field(default_factory=dict)
    valuation_check: ReverseDCF | None = None
    """The reverse DCF: the pre-news growth that prices Nvidia at its market value, and the rate,
    growth and margin moves that alone reproduce the day's return (observational equivalence)."""
    news: NewsSize | None = None
    """The DeepSeek news against the trend: raw and over-trend factors."""
    decomposition: DecompositionResult | None = None
    """The cross-section of 27 January split into channels (GLS, exposures fixed before it)."""
    quarterly: dict = field(default_factory=dict)
    """The next-quarter and calendar-year forecasts (:mod:`model.calibration.quarterly`) as the
    JSON blocks of ``forecasts``."""
    market_single_channel: ElasticityEstimate | None = None
    """The earlier market-implied estimate: Nvidia's whole abnormal return (market model on
    SPY) read as quantity news, the raw news size (median 17.4), per-draw solutions. ``market``
    is now the quantity channel's (:attr:`quantity`)."""
    quantity: QuantityChannelFit | None = None
    """The quantity channel's market-implied fit: the headline ``market``, its P(eps > 1) and
    the range over the quantity share of Nvidia's move and the news size."""
    news_prior: MarketPrior | None = None
    """The prior with the news measured against the trend (S_news): the shared nuisance of the
    market and capex likelihoods."""
    usage: UsageEvidence | None = None
    """The token-volume evidence known on ``as_of`` (None before the first series)."""
    shared: SharedDraws | None = field(default=None, repr=False)
    """The nuisance draws the market and capex likelihoods share (market-consistent spend
    growth, news over trend)."""
    valuation: object = field(default=None, repr=False)
    """The valuation the market likelihood used (:func:`model.calibration.inputs.valuation_as_of`)."""

    @property
    def forecast_prior(self) -> MarketPrior:
        """The prior every forecast draws its trends and DeepSeek news from: :attr:`news_prior`
        when set, else :attr:`prior`.

        The forecasts carry the pre-news path forward on the hardware and algorithmic trends and
        add the DeepSeek news on top of it. That path already holds the algorithmic trend, so the
        news it adds is the news measured against the trend, S_news (median about 10.9 in early
        2025), not the raw size (17.4), which would count the trend's gains twice. The raw size
        stays in :attr:`prior` as a sensitivity (and for the single-channel market estimate).
        """
        return self.news_prior or self.prior

    def capex_evidence(self) -> CapexEvidence:
        """The capex likelihood on the shared draws (as the combination used it)."""
        return CapexEvidence.build(self.capex.plans, self.shared, self.capex.assumptions)

    def summary(self) -> Summary:
        """What ``jevons calibrate`` prints: the elasticity from each piece of evidence, their
        combination, the hardware trend and the forecasts beside their naive baselines."""
        def est(e: ElasticityEstimate) -> str:
            lo, hi = e.interval
            return f"{e.median:.2f} ({lo:.2f} to {hi:.2f})"

        rows = []
        if self.quantity is not None:
            rows.append((f"market-implied, {self.event.ticker} quantity channel ({self.quantity.observed:+.1%} "
                         f"of {self.quantity.abnormal_return:+.1%}; S_news {self.quantity.news_median:.1f}; "
                         f"P(eps > 1) {self.quantity.p_above_one:.3f})", est(self.market)))
        single = self.market_single_channel or self.market
        rows += [
            (f"market-implied, single channel, {self.event.ticker} (abnormal return "
             f"{self.event.abnormal_return:+.1%}, raw S)", est(single)),
            (f"market-implied, peers (Nvidia-equivalent move {self.peers.common_move:+.1%})",
             est(self.market_peers)),
            ("capex-implied (the 2025 plans)", est(self.capex.estimate)),
        ]
        if self.usage is not None:
            rows.append(("usage-implied (token volumes)", est(self.usage.estimate)))
        if self.external_prior is not None:
            rows.append(("prior from evidence dated before the as-of date", est(self.external_prior)))
        method = getattr(self.combination, "method", "kernel")
        power = getattr(self.combination, "consistency_power", None)
        rows.append((f"combined ({method}" + ("" if power is None else
                                                 f"; consistency test power {power:.2f} against "
                                                 f"elasticities {self.combination.power_alternative:g} apart")
                     + ")", est(self.combination.estimate)))
        lo, hi = self.hardware.interval
        rows.append(("hardware price-performance doubling time (years)",
                     f"{self.hardware.doubling_years:.2f} ({lo:.2f} to {hi:.2f}), "
                     f"{self.hardware.n} chips"))
        forecasts = pd.DataFrame([
            {"forecast": name, "unit": f.unit, "median": round(f.median, 1),
             f"{LEVEL:.0%} interval": f"{f.interval[0]:.1f} to {f.interval[1]:.1f}",
             "naive baseline": round(f.baseline, 1)}
            for name, f in self.forecasts.items()])
        baselines = tuple(f"baseline of {name}: {f.baseline_label}, as of {f.baseline_as_of}."
                          for name, f in self.forecasts.items())
        return Summary.of(f"Fit as of {self.as_of:%Y-%m-%d}: each elasticity of demand for compute "
                          f"as its median ({LEVEL:.0%} interval)", rows,
                          tables=[("forecasts", forecasts)] if len(forecasts) else (),
                          notes=(self.combination.verdict, *baselines))

    def to_dict(self) -> dict:
        """The JSON document of ``jevons calibrate --json``."""
        combined = self.combination.estimate
        single = self.market_single_channel or self.market
        quantity = self.quantity
        return {
            "as_of": f"{self.as_of:%Y-%m-%d}",
            "market_implied": self.market.to_dict() | {
                "abnormal_return": self.event.abnormal_return,
                "abnormal_return_ci": list(self.event.result.car_interval),
                "ticker": self.event.ticker,
                "p_above_one": (float(np.mean(np.asarray(self.market.draws) > 1.0)) if quantity is None
                                else quantity.p_above_one),
                "benchmark": (f"{self.event.result.benchmark} (market model)" if quantity is None else
                              f"{quantity.benchmark} (Nvidia's abnormal return, market model); the "
                              "quantity channel from the cross-section against SPY-EX-AI"),
                "identified": ("the quantity-of-compute channel's part of Nvidia's return on the day, "
                               "read through the valuation link given the news over trend S_news "
                               "and its coverage; which share of Nvidia's move was quantity news "
                               "rests on the exposures fixed before the event (see quantity_channel.ranges)"),
                **({} if quantity is None else {"quantity_channel": quantity.to_dict()}),
                "single_channel": single.to_dict() | {
                    "p_above_one": float(np.mean(np.asarray(single.draws) > 1.0)),
                    "abnormal_return": self.event.abnormal_return,
                    "benchmark": f"{self.event.result.benchmark} (market model)",
                    "news_factor": self.prior.factor_median,
                },
                **({} if self.news is None else {"news_factor": self.news.to_dict()}),
                **({} if self.valuation_check is None
                   else {"equivalents": self.valuation_check.to_dict()["equivalents"]}),
                "peers": self.market_peers.to_dict() | {
                    "nvidia_equivalent_move": self.peers.common_move,
                },
            },
            "capex_implied": self.capex.estimate.to_dict() | self.capex.identification(),
            "external_prior": None if self.external_prior is None else self.external_prior.to_dict(),
            "usage_implied": None if self.usage is None else self.usage.to_dict(),
            "combined": (self.combination.to_dict() if hasattr(self.combination, "to_dict") else
                         combined.to_dict() | {"method": "kernel"}) | {
                "consistent": bool(self.combination.consistent),
                "p_value": float(self.combination.p_value),
                "verdict": self.combination.verdict,
            },
            "hardware_doubling_years": {
                "estimate": self.hardware.doubling_years,
                "interval": list(self.hardware.interval),
                "chips": self.hardware.n,
            },
            "forecasts": {name: f.to_dict() for name, f in self.forecasts.items()} | self.quarterly,
            **({} if self.valuation_check is None
               else {"valuation": self.valuation_check.to_dict()["valuation"]}),
            **({} if self.decomposition is None
               else {"event_decomposition": self.decomposition.calibration_payload()}),
        }


def fit(as_of=DEFAULT_AS_OF, *, draws: int = 4000, grid_draws: int = 400, seed: int = SEED) -> Calibration:
    """Fit the model with what was known on ``as_of``."""
    stamp = check_as_of(as_of)
    hardware = fit_from_data(stamp)
    prior = market_prior(stamp, hardware)
    valuation = valuation_as_of(stamp)
    nvda = event_evidence("NVDA", stamp)
    single = implied_estimate(nvda.abnormal_return, nvda.residual_sums, prior, draws=draws, seed=seed,
                              valuation=valuation, method="market-implied (NVDA, single channel)")
    peers = peer_evidence(stamp)
    market_peers = implied_estimate(peers.common_move, peers.common_move_noise, prior, draws=draws,
                                    seed=seed, valuation=valuation, method="market-implied (peers)")
    grid = implied_grid(nvda.abnormal_return, nvda.residual_sums, GRID_FACTORS, GRID_COVERAGES,
                        prior, draws=grid_draws, seed=seed, valuation=valuation)
    news = news_size(stamp)
    over_trend = news_prior(prior, news)
    decomposition = decompose_event(DecompositionSpec(EVENT_DATE))  # prices up to the event only
    shared = SharedDraws.draw(over_trend, SHARED_DRAWS, seed)
    shared = replace(shared, inputs=market_consistent_inputs(
        shared.inputs, 1000.0 * fact_value(MARKET_CAP_FACT, stamp), valuation))
    nvda_ex = event_evidence("NVDA", stamp, benchmark=bm.EX_NVDA)
    quantity = quantity_channel_fit(decomposition, shared, nvda_ex.abnormal_return,
                                    nvda_ex.result.benchmark, raw_factor=prior.factor_median,
                                    news_interval=news.interval, valuation=valuation, draws=draws, seed=seed)
    market = quantity.estimate
    capex = capex_mod.fit_capex(stamp, draws=draws, seed=seed, prior=over_trend)
    external = evidence_mod.prior(stamp)
    usage = usage_evidence(stamp, draws=draws, seed=seed)
    combination = combine_mod.combine_likelihoods(
        quantity.evidence, CapexEvidence.build(capex.plans, shared, capex.assumptions),
        prior_log_density=evidence_mod.prior_log_density(elasticity_grid(), stamp)[0], prior=external,
        extra=() if usage is None else (usage,), seed=seed, draws=draws)
    # the news over trend, as Calibration.forecast_prior: the pre-news path holds the trend
    forecasts = make_forecasts(stamp, over_trend, combination.estimate, capex, draws=draws, seed=seed)
    valuation_check = reverse_dcf(stamp, abnormal_return=nvda.abnormal_return, valuation=valuation)
    calibration = Calibration(stamp, hardware, prior, nvda, market, peers, market_peers, grid, capex,
                              external, combination, forecasts, valuation_check, news,
                              decomposition, market_single_channel=single, quantity=quantity,
                              news_prior=over_trend, usage=usage, shared=shared, valuation=valuation)
    blocks = quarterly_mod.forecasts_as_of(stamp, draws=draws, seed=seed, calibration=calibration)
    return replace(calibration, quarterly=blocks)


def coverage_check(calibration: Calibration, worlds: int = 100, seed: int = SEED,
                   level: float = 0.95) -> CoverageCheck:
    """The simulation check of :mod:`model.calibration.coverage` on the fit's own evidence:
    ``worlds`` worlds with known eps (flat on 0-4) and nuisance drawn as the fit's draws are
    (stream ``seed + 7919``, the same market-consistent spend growth), each fitted as the data
    are. A small ``worlds`` (e.g. 100) takes a few seconds."""
    if calibration.shared is None or calibration.quantity is None:
        raise JevonsError("coverage_check: the calibration has no shared likelihood draws")
    if not 10 <= int(worlds) <= 5000:
        raise JevonsError(f"coverage_check: worlds {worlds}; allowed: 10 to 5000")
    stamp = calibration.as_of
    truth = SharedDraws.draw(calibration.shared.prior, int(worlds), seed + 7919)
    truth = replace(truth, inputs=market_consistent_inputs(
        truth.inputs, 1000.0 * fact_value(MARKET_CAP_FACT, stamp), calibration.valuation))
    return simulate_coverage(calibration.quantity.evidence, calibration.capex_evidence(), truth,
                             valuation=calibration.valuation, seed=seed, level=level)


def forecast_draws(prior: MarketPrior, combined: ElasticityEstimate, capex, draws: int,
                   seed: int) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The draws behind the forecasts: elasticities resampled from the combined estimate, demand
    growth from the capex fit given each elasticity, and the prior's other inputs (trends, news,
    custom-silicon drift). The sensitivity analysis and fan charts reuse exactly these draws."""
    rng = np.random.default_rng([seed, 20])
    eps = rng.choice(combined.draws, draws)
    growth = capex.demand_growth_given(eps, rng=np.random.default_rng([seed, 21]))
    return eps, growth, draw_market_inputs(prior, draws, seed + 1)


def make_forecasts(as_of: pd.Timestamp, prior: MarketPrior, combined: ElasticityEstimate, capex,
                   draws: int, seed: int) -> dict[str, Forecast]:
    """The 2025 capex of the four hyperscalers and Nvidia's fiscal-2026 data-center revenue.

    ``prior`` is the forecasts' prior (:attr:`Calibration.forecast_prior`: the news over trend,
    S_news; :func:`fit` passes it)."""
    eps, growth, inputs = forecast_draws(prior, combined, capex, draws, seed)
    ratios = model_growth(eps, growth, inputs["hardware_doubling_years"],
                          inputs["efficiency_doubling_years"], inputs["factor"], inputs["coverage"],
                          inputs["diffusion_years"], inputs["nvidia_share_drift"])
    capex_base, capex_base_label = capex.base_level()
    guidance, guidance_label = capex.guidance_total()
    nvidia_base = nvidia_base_revenue(as_of)
    nv_baseline, nv_label, nv_date = nvidia_baseline(as_of)
    return {
        "hyperscaler_capex_2025_usd_bn": Forecast(
            name="hyperscaler_capex_2025_usd_bn", unit="USD bn",
            draws=capex_base * ratios["spend_2025"],
            baseline=guidance, baseline_label=guidance_label, baseline_as_of=f"{as_of:%Y-%m-%d}",
            base_level=capex_base, base_label=capex_base_label,
        ),
        "nvidia_fy2026_dc_revenue_usd_bn": Forecast(
            name="nvidia_fy2026_dc_revenue_usd_bn", unit="USD bn",
            draws=nvidia_base * ratios["nvidia_fy2026"],
            baseline=nv_baseline, baseline_label=nv_label, baseline_as_of=nv_date,
            base_level=nvidia_base,
            base_label="calendar-2024 data-center revenue: FY2025 Q1-Q3 reported plus Q4 guidance "
                       "x the Q3 data-center share",
        ),
    }


def nvidia_baseline(as_of) -> tuple[float, str, str]:
    """The naive baseline for Nvidia's fiscal-2026 data-center revenue known on ``as_of``.

    The analyst consensus once it is published (Visible Alpha, 2025-02-18); before that the
    run-rate of the last guidance: next quarter's revenue guidance x the latest data-center share
    x 4. The book shows the later consensus beside an earlier fit, labelled as later evidence.
    """
    try:
        consensus = fact("nvda_dc_revenue_consensus_fy2026", as_of)
    except DataError:
        run_rate = 4 * fact_value("nvda_revenue_guidance_fy2025_q4", as_of) * (
            fact_value("nvda_dc_revenue_fy2025_q3", as_of) / fact_value("nvda_revenue_fy2025_q3", as_of))
        return (run_rate, "run-rate of the FY2025 Q4 revenue guidance x the Q3 data-center share x 4 "
                "(no analyst consensus published by as_of)", "2024-11-20")
    return (float(consensus["value"]), f"analyst consensus ({consensus['stated_by']})",
            f"{pd.Timestamp(consensus['as_of']):%Y-%m-%d}")


def nvidia_base_revenue(as_of) -> float:
    """Nvidia's data-center revenue over calendar 2024 (fiscal 2025), as known on ``as_of``.

    Q1-Q3 are reported; Q4 (to late January 2025) is the revenue guidance times the Q3
    data-center share, until the Q4 result is known.
    """
    quarters = sum(fact_value(f"nvda_dc_revenue_fy2025_q{q}", as_of) for q in (1, 2, 3))
    share = fact_value("nvda_dc_revenue_fy2025_q3", as_of) / fact_value("nvda_revenue_fy2025_q3", as_of)
    return quarters + fact_value("nvda_revenue_guidance_fy2025_q4", as_of) * share


def news_spend_multiplier(elasticity: np.ndarray, prior: MarketPrior, seed: int = SEED) -> dict[str, np.ndarray]:
    """What the DeepSeek news does to compute spend once adopted, for each elasticity draw.

    The news is drawn as in the market-implied fit (size S and coverage phi from ``prior``, one
    draw per elasticity, stream ``seed + 5``). Returns ``multiplier`` = J = 1 - phi + phi
    S^(eps - 1) (spend relative to the path without the news), ``full_adoption`` (the same with
    phi = 1) and ``work`` = S^eps (the useful work bought on the adopted share, relative).
    """
    eps = np.asarray(elasticity, dtype=float)
    news = draw_market_inputs(prior, eps.size, seed + 5)
    return {"multiplier": jevons_factor(eps, news["factor"], news["coverage"]),
            "full_adoption": jevons_factor(eps, news["factor"], 1.0),
            "work": news["factor"] ** eps}


def catch_up_months(multiplier: float, log_growth: float) -> float:
    """Months of trend growth at ``log_growth`` a year (log points) that make up a cut of spend
    to ``multiplier`` times its path."""
    return float(12.0 * -np.log(multiplier) / log_growth)


def recombine(calibration: Calibration, *, prior_as_of=None, use_prior: bool = True,
              capex_fit=None, extra: tuple | None = None, seed: int = SEED):
    """The fit's likelihood combination made again with another prior (the evidence prior as
    of ``prior_as_of``, e.g. with later evidence, or none), another capex fit (e.g. under other
    assumptions) or other independent evidence (default: the fit's own usage evidence, if any).
    The market likelihood and the shared draws are the fit's."""
    if calibration.shared is None or calibration.quantity is None:
        raise JevonsError("recombine: the calibration has no shared likelihood draws")
    capex_fit = capex_fit or calibration.capex
    grid = elasticity_grid()
    prior_date = calibration.as_of if prior_as_of is None else prior_as_of
    prior = evidence_mod.prior(prior_date, seed=seed) if use_prior else None
    if extra is None:
        extra = () if calibration.usage is None else (calibration.usage,)
    return combine_mod.combine_likelihoods(
        calibration.quantity.evidence, CapexEvidence.build(capex_fit.plans, calibration.shared, capex_fit.assumptions),
        prior_log_density=evidence_mod.prior_log_density(grid, prior_date)[0] if use_prior else None,
        prior=prior, extra=extra, seed=seed)


def combination_under_capex_variants(calibration: Calibration, variants: dict[str, dict],
                                     seed: int = SEED) -> pd.DataFrame:
    """The capex fit refitted under each assumption variant (``CapexAssumptions`` fields) and
    combined again, by likelihood, with the fit's market likelihood, external prior and shared
    draws (:func:`recombine`).

    One row per variant: variant, capex (the estimate), p_value (consistency), power (against
    elasticities 0.5 apart), combined (the estimate).
    """
    prior = calibration.news_prior or calibration.prior
    fits = capex_mod.assumption_variants(calibration.as_of, variants, prior=prior, seed=seed)
    rows = []
    for name, capex_fit in fits.items():  # a handful of variants: a loop over structure
        both = recombine(calibration, capex_fit=capex_fit, seed=seed)
        rows.append({"variant": name, "capex": capex_fit.estimate, "p_value": both.p_value,
                     "power": both.consistency_power, "combined": both.estimate})
    return pd.DataFrame(rows)

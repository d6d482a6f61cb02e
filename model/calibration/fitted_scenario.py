"""The fit as a scenario file: ``jevons calibrate --as-of D --scenario-out FILE``.

:func:`scenario_text` turns a :class:`model.calibration.fit.Calibration` into the text of a
scenario TOML (extending ``baseline``) whose uncertain keys are the fitted posterior written as the
scenario schema's distributions (:mod:`model.scenarios.distributions`):

* ``demand.substitution``: the combined elasticity (market-implied, capex-implied and the prior),
  a lognormal with the posterior draws' median and the log-width of their central 95% interval
  (sigma = ln(high / low) / 3.92). The fit's engine is isoelastic; the file uses ``budget-share``
  demand, whose elasticity is sigma while compute's share of the budget is small (0.2% in 2024),
  so the first years match and spend stays below world GDP later;
* ``demand.growth``: the capex fit's demand growth *given the median elasticity*, a normal with the
  median and sd = (high - low) / 3.92 of those draws. The capex plans tie growth to the elasticity
  (a ridge: a larger elasticity needs less growth for the same planned spend), and scenario keys are
  drawn independently, so that tie cannot be written; drawing growth from its conditional at the
  median elasticity keeps the file's spread of 2025 spend growth closer to the posterior's than
  the marginal of growth would (both are stated in the file's comments);
* the trends and the DeepSeek news exactly as the fit's forecasts draw them (the
  :class:`MarketPrior` ``Calibration.forecast_prior``): the hardware doubling time uniform over
  the hardware fit's 95% interval, the algorithmic doubling time lognormal, the news size
  lognormal as measured against the trend (S_news; the path before the news already holds the
  trend, so the raw ratios would count it twice: their median is stated as a sensitivity),
  coverage, diffusion and Nvidia's share drift uniform;
* the fade of demand growth after the plans (:mod:`model.calibration.long_run_growth`): growth
  holds to the last plan year (``demand.growth_fade_start``), then moves towards
  ``demand.long_run_growth``, uniform over the demand growth at which spend on the trends grows
  at the pre-boom capex trend (SEC data), with ``demand.growth_half_life`` uniform over 1 to 4
  years (an assumption). The plans identify the near-term growth, not these.

The text is a pure function of the fit, the number of draws and the seed: the same fit gives the
same bytes (``scenarios/fitted.toml`` is regenerated in a test).
"""

from __future__ import annotations

import numpy as np

from model.calibration.long_run_growth import long_run_growth_prior
from model.calibration.quarterly import posterior_draws
from model.constants import EVENT_YEAR, SEED

Z95 = 3.92  # width of a central 95% interval in standard deviations (2 x 1.96)
DRAWS = 4000
COMMAND = "jevons calibrate --as-of {day} --scenario-out FILE"


def _q(x) -> tuple[float, float, float]:
    lo, mid, hi = np.quantile(np.asarray(x, dtype=float), [0.025, 0.5, 0.975])
    return float(lo), float(mid), float(hi)


def _g(x: float) -> str:
    """A number as the file writes it: four significant digits, no exponent for usual sizes."""
    return f"{x:.4g}"


def _spend_growth(growth, eps, inputs) -> np.ndarray:
    """Log growth of isoelastic compute spend in a year on the trend: log(1 + g) + (eps - 1) x the
    log fall of the price of useful work."""
    fall = np.log(2.0) * (1.0 / inputs["hardware_doubling_years"] + 1.0 / inputs["efficiency_doubling_years"])
    return np.log1p(growth) + (np.asarray(eps) - 1.0) * fall


def scenario_text(calibration, *, draws: int = DRAWS, seed: int = SEED) -> str:
    """The scenario TOML of ``calibration`` (see the module docstring): the as-of date in its
    first comment lines, each key's source beside it."""
    day = f"{calibration.as_of:%Y-%m-%d}"
    prior, hardware = calibration.forecast_prior, calibration.hardware  # the news over trend
    eps, growth, inputs = posterior_draws(calibration, draws, seed)
    e_lo, e_mid, e_hi = _q(eps)
    sigma = float(np.log(e_hi / e_lo) / Z95)
    conditional = calibration.capex.demand_growth_given(np.full(draws, e_mid),
                                                        rng=np.random.default_rng([seed, 22]))
    c_lo, c_mid, c_hi = _q(conditional)
    m_lo, m_mid, m_hi = _q(growth)
    growth_sd = (c_hi - c_lo) / Z95
    corr = float(np.corrcoef(eps, np.log1p(growth))[0, 1])
    shuffle = np.random.default_rng([seed, 23]).permutation(draws)
    joint = _q(_spend_growth(growth, eps, inputs))
    written = _q(_spend_growth(conditional[shuffle], eps, inputs))
    marginal = _q(_spend_growth(growth[shuffle], eps, inputs))
    base, base_label = calibration.capex.base_level()
    hw_lo, hw_hi = hardware.interval
    f_med, f_sd = prior.factor_median, prior.factor_log_sd
    f_raw = calibration.prior.factor_median
    f_lo, f_hi = np.exp(np.log(f_med) + np.array([-1.96, 1.96]) * f_sd)
    combined = calibration.combination.estimate
    fade = long_run_growth_prior(calibration, e_mid, float(np.median(inputs["hardware_doubling_years"])),
                                 float(np.median(inputs["efficiency_doubling_years"])))
    lr_lo, lr_hi = fade.long_run_growth
    cx_lo, cx_hi = fade.capex_growth
    h_lo, h_hi = fade.half_life
    trends = "; ".join(f"{r.series} {r.years} {r.growth:.1%} ({r.low:.1%} to {r.high:.1%})"
                       for r in fade.trends.itertuples())

    def rng_text(q):
        return f"{q[0]:.2f} to {q[2]:.2f}"

    lines = [
        f"# Fitted: the posterior of the fit as of {day} (data date {day}), written by",
        f"# `{COMMAND.format(day=day)}` ({draws} draws, seed {seed}).",
        "# Every uncertain key is the fit's posterior as a distribution; regenerate rather than edit.",
        f"# Keys are drawn independently: the fit's correlation of the elasticity and demand growth "
        f"({corr:+.2f})",
        f"# is not carried. Log growth of 2025 spend on the trend: the posterior {rng_text(joint)}; this "
        f"file {rng_text(written)}",
        f"# (with growth's marginal instead of its conditional: {rng_text(marginal)}). Demand growth is",
        f"# identified by the plans for the years they cover only (to {fade.fade_start:.0f}); after "
        "them it fades towards",
        "# a long-run rate whose range and half-life are priors, not estimates (see [demand]).",
        'extends = "baseline"',
        f'description = "The fit as of {day}: combined elasticity, demand growth, trends and the '
        'DeepSeek news as distributions"',
        "",
        "[base]",
        f"spend_usd_bn = {_g(base)}  # {base_label}",
        "",
        "[hardware]",
        f'doubling_years = {{ dist = "uniform", low = {_g(hw_lo)}, high = {_g(hw_hi)} }}  # hardware '
        f"fit as of {day}: {hardware.n} chips, doubling {hardware.doubling_years:.2f} yr, the 95% "
        "interval drawn uniformly as in the fit",
        "",
        "[efficiency]",
        f'doubling_years = {{ dist = "lognormal", median = {_g(prior.efficiency_doubling_median)}, '
        f"sigma = {_g(prior.efficiency_doubling_log_sd)} }}  # Ho et al. 2024 (facts: "
        "algo_progress_halving_months, 95% interval 5-14 months)",
        "",
        "[[efficiency.shocks]]",
        f"year = {EVENT_YEAR:.4f}  # 27 January 2025 (model.constants.EVENT_YEAR)",
        f'factor = {{ dist = "lognormal", median = {_g(f_med)}, sigma = {_g(f_sd)} }}  # news over '
        f"trend (S_news), as the fit's forecasts draw it: DeepSeek-V3's GPU-hour ratio to Llama 3.1 "
        "405B and R1's price ratio to o1, each measured against the trend expected over the gap "
        f"between them, geometric mean, 95% range {f_lo:.1f} to {f_hi:.1f} over gaps and trends "
        "(model.calibration.news_size; facts: deepseek.csv, trends.csv); the path before the news "
        "already holds the trend. Raw ratios (median "
        f"{f_raw:.1f}) as a sensitivity: --set efficiency.shocks[0].factor={f_raw:.1f}",
        f'coverage = {{ dist = "uniform", low = {_g(prior.coverage[0])}, high = {_g(prior.coverage[1])} '
        "}  # assumption of the fit (MarketPrior.coverage)",
        f'diffusion_years = {{ dist = "uniform", low = {_g(prior.diffusion_years[0])}, '
        f"high = {_g(prior.diffusion_years[1])} }}  # assumption of the fit (MarketPrior.diffusion_years)",
        'shape = "logistic"  # the engine default, as in the fit',
        'label = "DeepSeek"',
        "",
        "[demand]",
        'form = "budget-share"  # elasticity sigma while compute\'s share of world GDP is small; '
        "bounded by the budget later",
        f'substitution = {{ dist = "lognormal", median = {_g(e_mid)}, sigma = {_g(sigma)} }}  # combined '
        f"elasticity as of {day}: median {combined.median:.3f}, 95% interval {e_lo:.3f} to {e_hi:.3f} "
        "(market-implied, capex-implied and the prior)",
        f'growth = {{ dist = "normal", mean = {_g(c_mid)}, sd = {_g(growth_sd)} }}  # capex fit as of '
        f"{day}, demand growth given the median elasticity: 95% interval {c_lo:.3f} to {c_hi:.3f} "
        f"(marginal {m_lo:.3f} to {m_hi:.3f})",
        f"growth_fade_start = {fade.fade_start:.0f}  # the last year of the plans the fit reads: "
        "growth holds through the years they identify",
        f'long_run_growth = {{ dist = "uniform", low = {_g(lr_lo)}, high = {_g(lr_hi)} }}  # prior: '
        f"spend on the trends grows at the pre-boom trend of hyperscaler capex, {cx_lo:.1%} to "
        f"{cx_hi:.1%} a year (union of the 95% intervals of SEC XBRL capex trends: {trends}), at the "
        f"median elasticity and trends: ln(1+g) = ln(1+g_capex) + (1 - {e_mid:.3f}) x "
        f"{fade.log_price_fall:.3f}",
        f'growth_half_life = {{ dist = "uniform", low = {_g(h_lo)}, high = {_g(h_hi)} }}  # '
        "assumption: years for the gap to long-run growth to halve (not identified by any data "
        "the fit reads)",
        "",
        "[value_capture]",
        f'nvidia_share_drift = {{ dist = "uniform", low = {_g(prior.nvidia_share_drift[0])}, '
        f"high = {_g(prior.nvidia_share_drift[1])} }}  # assumption of the fit: custom silicon "
        "(MarketPrior.nvidia_share_drift)",
        "",
        "[montecarlo]",
        f"draws = {draws}  # as many as the fit's posterior draws",
        f"seed = {seed}",
        "",
    ]
    return "\n".join(lines)

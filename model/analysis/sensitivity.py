"""Global sensitivity of the model's outputs: Sobol indices, one-at-a-time tornado tables and
Monte Carlo fan charts.

For independent inputs X_1..X_D and an output Y = f(X), the first-order Sobol index of X_i is
the share of Var(Y) that X_i explains on its own, and the total index adds every interaction
X_i takes part in (Sobol 2001; Saltelli et al. 2010):

    S_i  = Var(E[Y | X_i]) / Var(Y),        ST_i = E[Var(Y | X_~i)] / Var(Y) = 1 - Var(E[Y | X_~i]) / Var(Y).

ST_i - S_i is the share of variance X_i explains only together with other inputs, and
ST_i = 0 means X_i can be fixed anywhere in its range without changing Y. The indices are
estimated with SALib: Saltelli's scheme on a scrambled Sobol' sequence (``N (D + 2)`` model
runs, ``N (2D + 2)`` with second-order indices) and SALib's bootstrap confidence intervals.

Inputs are sampled in probability space (the unit hypercube) and mapped through each
parameter's inverse CDF (:meth:`Parameter.ppf`). Sobol indices do not change under a
one-to-one transform of a single input, and this lets a parameter follow any distribution the
project uses: a scenario distribution truncated to its key's allowed range
(:func:`model.scenarios.distributions.transform`) or the empirical distribution of posterior draws.

The model is any function from a dict of input arrays (one entry per sample row) to a dict of
output arrays: every analysis evaluates it ONCE on all rows, so with the engine as the model
the whole Sobol design is a single vectorised :func:`model.engine.simulation.simulate` call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from model.engine import schema
from model.engine.schema import FLOAT, Field
from model.engine.simulation import Result, simulate
from model.scenarios.distributions import Distribution, transform

Model = Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]]

SEED = 20250127  # the event date, as elsewhere in the project
TORNADO_QUANTILES = (0.05, 0.95)  # a tornado moves each input between these quantiles
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
NEWS_VARIABLES = ("compute_spend", "flop_demand", "nvidia_dc_revenue")
JOINT = "posterior"  # name of the input that picks one joint draw of (elasticity, demand growth)
_UNBOUNDED = Field("", FLOAT, None, "", "", "")


# --- parameters -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Parameter:
    """One uncertain input: its distribution and where that distribution comes from.

    Give either ``dist`` (a :class:`model.scenarios.distributions.Distribution`, truncated to the allowed range
    of the scenario key ``key`` when one is named) or ``draws`` (an empirical distribution,
    e.g. posterior draws of the elasticity: continuous by default, interpolating between order
    statistics; with ``discrete`` exactly the draws, each with probability 1/K).

    Attributes
    ----------
    name : str
        The key of this input in the dict the model receives.
    label : str
        Lowercase label for tables and charts.
    source : str
        Where the distribution comes from.
    """

    name: str
    label: str
    source: str
    dist: Distribution | None = None
    key: str | None = None
    draws: np.ndarray | None = None
    discrete: bool = False

    def __post_init__(self) -> None:
        if (self.dist is None) == (self.draws is None):
            raise ValueError(f"parameter {self.name!r}: give exactly one of dist and draws")
        if self.draws is not None:
            draws = np.sort(np.asarray(self.draws, dtype=float).ravel())
            if draws.size < 2 or not np.all(np.isfinite(draws)):
                raise ValueError(f"parameter {self.name!r}: draws must be >= 2 finite numbers")
            object.__setattr__(self, "draws", draws)
        if self.key is not None and self.key not in schema.BY_KEY:
            raise ValueError(f"parameter {self.name!r}: unknown scenario key {self.key!r}")

    def ppf(self, u) -> np.ndarray:
        """Inverse CDF: the values at probabilities ``u`` (an array in [0, 1])."""
        u = np.asarray(u, dtype=float)
        if self.draws is not None:
            k = self.draws.size
            if self.discrete:  # the inverse of the step CDF: draw j for u in [j/K, (j+1)/K)
                return self.draws[np.minimum((u * k).astype(np.intp), k - 1)]
            # Linear interpolation between order statistics: a continuous quantile function.
            return np.interp(u * (k - 1), np.arange(k), self.draws)
        field = _UNBOUNDED if self.key is None else schema.BY_KEY[self.key]
        return transform(self.dist, field, u)

    @property
    def central(self) -> float:
        """The median: the value a tornado holds this input at while others move."""
        return float(self.ppf(np.array([0.5]))[0])

    def describe(self) -> str:
        """The distribution in words, e.g. ``uniform(low=0.3, high=1)``."""
        if self.draws is not None and self.discrete and self.name == JOINT:
            return f"one of {self.draws.size} joint posterior draws, equally likely"
        if self.draws is not None:
            lo, hi = self.ppf(np.array([0.025, 0.975]))
            return (f"empirical ({self.draws.size} draws; median {self.central:.3g}, "
                    f"95% {lo:.3g} to {hi:.3g})")
        return str(self.dist)


def uniform(name: str, label: str, bounds: Sequence[float], source: str,
            key: str | None = None) -> Parameter:
    """A parameter uniform on ``bounds`` = (low, high)."""
    low, high = (float(b) for b in bounds)
    return Parameter(name, label, source, Distribution("uniform", (low, high)), key)


def lognormal(name: str, label: str, median: float, sigma: float, source: str,
              key: str | None = None) -> Parameter:
    """A parameter whose log is normal with median ``median`` and standard deviation ``sigma``."""
    return Parameter(name, label, source, Distribution("lognormal", (float(median), float(sigma))), key)


def parameter_table(parameters: Sequence[Parameter]) -> pd.DataFrame:
    """The inputs, their distributions, medians, 5-95% ranges and sources (one row each)."""
    rows = []
    for p in parameters:
        lo, hi = p.ppf(np.array(TORNADO_QUANTILES))
        rows.append({"parameter": p.label, "distribution": p.describe(), "median": p.central,
                     "5%": float(lo), "95%": float(hi), "source": p.source})
    return pd.DataFrame(rows)


# --- sampling and evaluation ----------------------------------------------------------------------
def problem(parameters: Sequence[Parameter]) -> dict:
    """SALib's problem definition: every input on [0, 1] (probability space, see module doc)."""
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise ValueError(f"parameter names are not unique: {names}")
    return {"num_vars": len(parameters), "names": names, "bounds": [[0.0, 1.0]] * len(parameters)}


def to_values(parameters: Sequence[Parameter], unit: np.ndarray) -> dict[str, np.ndarray]:
    """Map rows of probabilities (n, D) to input values: one inverse CDF per column."""
    unit = np.asarray(unit, dtype=float)
    return {p.name: np.ascontiguousarray(p.ppf(unit[:, i])) for i, p in enumerate(parameters)}


def sobol_sample(parameters: Sequence[Parameter], n: int, seed: int = SEED,
                 second_order: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Saltelli's design on a scrambled Sobol' sequence (SALib), in probabilities and in values.

    ``n`` should be a power of 2 (the Sobol' sequence is balanced only then). Returns the
    probabilities, shape (n (D + 2), D) or (n (2D + 2), D), and the input values.
    """
    from SALib.sample import sobol as sobol_sampler  # SALib is slow to import: only when used

    if n < 2 or n & (n - 1):
        raise ValueError(f"n = {n}: use a power of 2 (the Sobol' sequence's balance needs it)")
    unit = sobol_sampler.sample(problem(parameters), n, calc_second_order=second_order,
                                scramble=True, seed=seed)
    return unit, to_values(parameters, unit)


def evaluate(model: Model, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One call of ``model`` on every row; checks each output has one finite value per row."""
    rows = len(next(iter(values.values())))
    out = {name: np.asarray(y, dtype=float) for name, y in model(values).items()}
    for name, y in out.items():
        if y.shape != (rows,):
            raise ValueError(f"model output {name!r} has shape {y.shape}, expected ({rows},)")
        if not np.all(np.isfinite(y)):
            raise ValueError(f"model output {name!r} is not finite on {int(np.sum(~np.isfinite(y)))} rows")
    return out


def sobol_indices(parameters: Sequence[Parameter], model: Model, n: int, seed: int = SEED,
                  second_order: bool = False, conf_level: float = 0.95,
                  num_resamples: int = 100) -> pd.DataFrame:
    """First-order and total Sobol indices of every model output, with SALib's intervals.

    Parameters
    ----------
    parameters : sequence of Parameter
        The independent inputs.
    model : callable
        Dict of input arrays -> dict of output arrays (see module doc); called once.
    n : int
        Base sample size (a power of 2); the model runs on ``n (D + 2)`` rows.
    seed : int
        Seeds both the scrambled sequence and the bootstrap: same seed, identical indices.
    second_order : bool
        Also estimate pairwise indices S2 (``n (2D + 2)`` rows); kept in ``frame.attrs["S2"]``.
    conf_level, num_resamples : float, int
        The bootstrap intervals: ``S1_conf`` and ``ST_conf`` are half-widths at ``conf_level``.

    Returns
    -------
    pandas.DataFrame
        One row per (output, parameter): ``output, parameter, label, S1, S1_conf, ST, ST_conf``;
        ``attrs`` records ``n``, ``rows`` (model evaluations) and ``seed``.
    """
    from SALib.analyze import sobol as sobol_analyzer

    unit, values = sobol_sample(parameters, n, seed, second_order)
    outputs = evaluate(model, values)
    spec = problem(parameters)
    frames, pairs = [], {}
    for name, y in outputs.items():
        si = sobol_analyzer.analyze(spec, y, calc_second_order=second_order, conf_level=conf_level,
                                    num_resamples=num_resamples, seed=seed)
        frames.append(pd.DataFrame({
            "output": name,
            "parameter": spec["names"],
            "label": [p.label for p in parameters],
            "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"],
        }))
        if second_order:
            pairs[name] = pd.DataFrame(si["S2"], index=spec["names"], columns=spec["names"])
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs.update({"n": n, "rows": int(unit.shape[0]), "seed": seed})
    if second_order:
        frame.attrs["S2"] = pairs
    return frame


def sobol_convergence(parameters: Sequence[Parameter], model: Model, n: int, seed: int = SEED,
                      **kwargs) -> pd.DataFrame:
    """Indices at ``n`` and ``2n`` side by side (see :func:`convergence_table`)."""
    small = sobol_indices(parameters, model, n, seed, **kwargs)
    large = sobol_indices(parameters, model, 2 * n, seed, **kwargs)
    return convergence_table(small, large)


def convergence_table(small: pd.DataFrame, large: pd.DataFrame) -> pd.DataFrame:
    """Two :func:`sobol_indices` frames of the same problem at sizes n and 2n, side by side.

    Columns ``output, parameter, label, S1_n, S1_2n, S1_conf_2n, ST_n, ST_2n, ST_conf_2n,
    change`` (``change`` = max |index at 2n - index at n| over S1 and ST).
    """
    keys = ["output", "parameter", "label"]
    if not small[keys].equals(large[keys]) or large.attrs.get("n") != 2 * small.attrs.get("n", -1):
        raise ValueError("convergence_table needs the same problem at sizes n and 2n")
    out = small[keys].copy()
    for col in ("S1", "ST"):
        out[f"{col}_n"] = small[col].to_numpy()
        out[f"{col}_2n"] = large[col].to_numpy()
        out[f"{col}_conf_2n"] = large[f"{col}_conf"].to_numpy()
    out["change"] = np.maximum(np.abs(out["S1_2n"] - out["S1_n"]), np.abs(out["ST_2n"] - out["ST_n"]))
    out.attrs.update({"n": small.attrs["n"], "rows": small.attrs["rows"] + large.attrs["rows"],
                      "seed": small.attrs["seed"]})
    return out


def _logged(model: Model, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: np.log(y) for name, y in model(values).items()}


def log_outputs(model: Model) -> Model:
    """The same model returning the natural logs of its (positive) outputs.

    Spend and FLOP demand are products of powers of the inputs, so their distributions are
    heavily right-skewed: a few draws with a large shock and a high elasticity carry most of
    the variance, and the variance-based estimators then converge slowly (SALib's intervals
    span most of [0, 1] at n = 4096). Their logs are sums: the indices of log spend apportion
    the variance of percentage deviations, and are stable at a few thousand base samples.
    """
    return partial(_logged, model)


# --- one at a time ----------------------------------------------------------------------------------
def tornado(parameters: Sequence[Parameter], model: Model, output: str,
            quantiles: tuple[float, float] = TORNADO_QUANTILES) -> pd.DataFrame:
    """One-at-a-time swings: ``output`` with each input at its low and high value, the others at
    their medians (one model call on 1 + 2D rows).

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``parameter, label, low, high`` (the input's
        values at ``quantiles``), ``output_low, output_high`` (the output there), ``swing``
        (|output_high - output_low|); ``attrs["central"]`` is the output with every input at
        its median.
    """
    d = len(parameters)
    unit = np.full((1 + 2 * d, d), 0.5)
    for i in range(d):  # rows 1 + 2i and 2 + 2i move input i only
        unit[1 + 2 * i, i], unit[2 + 2 * i, i] = quantiles
    values = to_values(parameters, unit)
    y = evaluate(model, values)[output]
    frame = pd.DataFrame({
        "parameter": [p.name for p in parameters],
        "label": [p.label for p in parameters],
        "low": [values[p.name][1 + 2 * i] for i, p in enumerate(parameters)],
        "high": [values[p.name][2 + 2 * i] for i, p in enumerate(parameters)],
        "output_low": y[1::2],
        "output_high": y[2::2],
    })
    frame["swing"] = np.abs(frame["output_high"] - frame["output_low"])
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs.update({"central": float(y[0]), "output": output, "quantiles": quantiles})
    return frame


def plot_tornado(table: pd.DataFrame, ax=None, xlabel: str | None = None, value_format: str = ".3g"):
    """Horizontal bars from the central output to the output at each input's low and high value.

    The largest swing is at the top; each bar is labelled with the input's low and high values.
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.2))
    central = table.attrs["central"]
    rows = np.arange(len(table))[::-1]  # largest swing on top
    for y, (_, row) in zip(rows, table.iterrows(), strict=True):
        for value, colour in ((row["output_low"], "tab:blue"), (row["output_high"], "tab:orange")):
            ax.barh(y, value - central, left=central, color=colour, height=0.6)
    ax.set_yticks(rows, [f"{r.label} ({r.low:{value_format}} to {r.high:{value_format}})"
                         for r in table.itertuples()])
    ax.axvline(central, color="black", lw=0.8)
    low_q, high_q = table.attrs.get("quantiles", TORNADO_QUANTILES)
    handles = [Patch(color="tab:blue", label=f"input at its {low_q:.0%} quantile"),
               Patch(color="tab:orange", label=f"input at its {high_q:.0%} quantile")]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    if xlabel:
        ax.set_xlabel(xlabel)
    return ax


# --- fan charts --------------------------------------------------------------------------------------
def fan_quantiles(result: Result, variables: Sequence[str] = ("flop_demand", "compute_spend"),
                  quantiles: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
    """Quantiles across draws, per variable and year (one vectorised quantile per variable).

    Returns a frame indexed by (variable, year) with one column per quantile, named ``"5%"``,
    ``"25%"``, ...
    """
    q = np.asarray(quantiles, dtype=float)
    names = [f"{x:.0%}" for x in q]
    frames = []
    for name in variables:
        values = np.quantile(result.variables[name], q, axis=0)  # (len(q), T)
        index = pd.MultiIndex.from_product([[name], result.years.astype(int)], names=["variable", "year"])
        frames.append(pd.DataFrame(values.T, index=index, columns=names))
    return pd.concat(frames)


# --- the model's own problems ------------------------------------------------------------------------
def market_parameters(prior, elasticity: Parameter | None) -> tuple[Parameter, ...]:
    """The inputs of the DeepSeek-news model with the ranges of a :class:`MarketPrior`.

    Every range is the prior's (see :class:`model.calibration.market.MarketPrior` for each
    source); ``elasticity`` is given separately (the ``montecarlo`` scenario's distribution,
    :func:`scenario_elasticity`, or the fit's posterior, :func:`estimate_elasticity`) and left
    out when None.
    """
    where = "model.calibration.market.MarketPrior"
    return (() if elasticity is None else (elasticity,)) + (
        uniform("spend_growth", "pre-news spend growth", prior.spend_growth,
                f"{where}.spend_growth: bracketed by pre-DeepSeek street estimates of 2025 capex "
                "and Nvidia revenue (facts capex.csv, nvidia.csv)"),
        uniform("hardware_doubling_years", "hardware doubling time", prior.hardware_doubling_years,
                f"{where}.hardware_doubling_years: 95% interval of T_hw (Epoch AI 2022 by "
                "default; the project's own fit, model.calibration.hardware_fit, through market_prior(as_of))",
                key="hardware.doubling_years"),
        lognormal("efficiency_doubling_years", "algorithmic doubling time",
                  prior.efficiency_doubling_median, prior.efficiency_doubling_log_sd,
                  f"{where}.efficiency_doubling_*: Ho et al. 2024, halving time ~8 months with "
                  "its 95% interval (facts trends.csv)", key="efficiency.doubling_years"),
        lognormal("factor", "news size s", prior.factor_median, prior.factor_log_sd,
                  f"{where}.factor_*: DeepSeek-V3's GPU-hours and R1's API price against their "
                  "US counterparts, one log-sd either side of the median (facts deepseek.csv)",
                  key="efficiency.shocks[].factor"),
        uniform("coverage", "coverage φ", prior.coverage,
                f"{where}.coverage: assumption", key="efficiency.shocks[].coverage"),
        uniform("diffusion_years", "years to half adoption", prior.diffusion_years,
                f"{where}.diffusion_years: assumption", key="efficiency.shocks[].diffusion_years"),
        uniform("nvidia_share_drift", "nvidia share drift", prior.nvidia_share_drift,
                f"{where}.nvidia_share_drift: assumption (custom silicon)",
                key="value_capture.nvidia_share_drift"),
    )


def scenario_elasticity(scenario_name: str = "montecarlo") -> Parameter:
    """The elasticity as a scenario file's distribution (``demand.elasticity``)."""
    from model.scenarios.loader import load_scenario

    scenario = load_scenario(scenario_name)
    dist = scenario.distributions.get("demand.elasticity")
    if dist is None:
        raise ValueError(f"scenario {scenario_name!r} gives demand.elasticity no distribution")
    return Parameter("elasticity", "elasticity ε", f"scenarios/{scenario_name}.toml (assumption)",
                     dist=dist, key="demand.elasticity")


def estimate_elasticity(estimate) -> Parameter:
    """The elasticity as the empirical distribution of an estimate's draws
    (:class:`model.calibration.estimate.ElasticityEstimate`)."""
    return Parameter("elasticity", "elasticity ε", f"{estimate.method} estimate (model.calibration)",
                     draws=estimate.draws)


def news_outputs(values: Mapping[str, np.ndarray], year: int = 2030,
                 variables: Sequence[str] = NEWS_VARIABLES, end: int = 2035) -> dict[str, np.ndarray]:
    """The engine's outputs in ``year`` after the DeepSeek news, for every row of ``values``.

    The model of the market-implied elasticity (:mod:`model.calibration.market`): before the
    news, spend grows at ``spend_growth`` (the demand shifter's growth is set from it for each
    elasticity); the news adds a logistic efficiency shock of size ``factor`` covering
    ``coverage`` of demand (:func:`model.engine.valuation.with_news`). One :func:`simulate` call.
    """
    from model.calibration.market import pre_news
    from model.engine.valuation import with_news

    before = pre_news(values, end=end).at(values["elasticity"])
    after = with_news(before, values["factor"], values["coverage"], values["diffusion_years"])
    result = simulate(after)
    column = int(np.flatnonzero(result.years == year)[0])
    return {name: result.variables[name][:, column] for name in variables}


def news_model(year: int = 2030, variables: Sequence[str] = NEWS_VARIABLES,
               log: bool = True) -> Model:
    """:func:`news_outputs` at ``year`` as a model for :func:`sobol_indices` and :func:`tornado`
    (of the logarithms of the outputs when ``log``, see :func:`log_outputs`)."""
    model = partial(news_outputs, year=year, variables=tuple(variables))
    return log_outputs(model) if log else model


# --- the fitted model: forecasts and fan charts -------------------------------------------------
@dataclass(frozen=True)
class Posterior:
    """Joint draws of the elasticity and the demand growth of the fit, sorted by elasticity.

    The capex plans identify the two only together (a higher elasticity needs a lower demand
    growth to give the same plans), so they are one input of the sensitivity analysis, not two
    independent ones: :func:`posterior_parameter` picks a whole draw. Sorted by elasticity, a
    low probability picks a low-elasticity draw (with its own demand growth).
    """

    elasticity: np.ndarray
    demand_growth: np.ndarray

    def __post_init__(self) -> None:
        order = np.argsort(self.elasticity, kind="stable")
        object.__setattr__(self, "elasticity", np.asarray(self.elasticity, dtype=float)[order])
        object.__setattr__(self, "demand_growth", np.asarray(self.demand_growth, dtype=float)[order])

    @property
    def size(self) -> int:
        return int(self.elasticity.size)


def posterior_from_fit(calibration, draws: int, seed: int) -> Posterior:
    """The (elasticity, demand growth) draws behind the fit's forecasts.

    The same draws as :func:`model.calibration.fit.make_forecasts` with the same ``draws`` and
    ``seed``: elasticities resampled from the combined estimate, demand growth from the capex
    fit given each elasticity.
    """
    return Posterior(*_fit_draws(calibration, draws, seed))


def _fit_draws(calibration, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Elasticity and demand-growth draws of :func:`model.calibration.fit.forecast_draws`."""
    from model.calibration.fit import forecast_draws

    eps, growth, _ = forecast_draws(calibration.prior, calibration.combination.estimate,
                                    calibration.capex, draws, seed)
    return eps, growth


def posterior_parameter(posterior: Posterior, source: str = "the fit's combined estimate and "
                        "the capex fit's demand growth given it (model.calibration.fit)") -> Parameter:
    """One input that picks a joint (elasticity, demand growth) draw, each with probability 1/K."""
    return Parameter(JOINT, "elasticity with its demand growth", source,
                     draws=np.arange(posterior.size, dtype=float), discrete=True)


def forecast_parameters(prior, posterior: Posterior) -> tuple[Parameter, ...]:
    """Inputs of the fit's forecasts: the joint posterior draw and the prior's other inputs."""
    others = {"hardware_doubling_years", "efficiency_doubling_years", "factor", "coverage",
              "diffusion_years", "nvidia_share_drift"}
    return (posterior_parameter(posterior),
            *(p for p in market_parameters(prior, None) if p.name in others))


def forecast_outputs(values: Mapping[str, np.ndarray], posterior: Posterior, capex_base: float,
                     nvidia_base: float) -> dict[str, np.ndarray]:
    """The two forecasts of :mod:`model.calibration.forecast` for every row of ``values``:
    base levels times :func:`~model.calibration.forecast.model_growth` (one engine call)."""
    from model.calibration.forecast import model_growth

    k = values[JOINT].astype(np.intp)
    ratios = model_growth(posterior.elasticity[k], posterior.demand_growth[k],
                          values["hardware_doubling_years"], values["efficiency_doubling_years"],
                          values["factor"], values["coverage"], values["diffusion_years"],
                          values["nvidia_share_drift"])
    return {"hyperscaler_capex_2025_usd_bn": capex_base * ratios["spend_2025"],
            "nvidia_fy2026_dc_revenue_usd_bn": nvidia_base * ratios["nvidia_fy2026"]}


def forecast_model(posterior: Posterior, capex_base: float, nvidia_base: float) -> Model:
    """:func:`forecast_outputs` as a model for :func:`sobol_indices` and :func:`tornado`."""
    return partial(forecast_outputs, posterior=posterior, capex_base=float(capex_base),
                   nvidia_base=float(nvidia_base))


def posterior_paths(calibration, draws: int, seed: int, end: int = 2035) -> Result:
    """Monte Carlo paths to ``end`` under the fit: the forecasts' draws, extended in time.

    Elasticity and demand growth as in :func:`posterior_from_fit`; trends, the DeepSeek news
    and the custom-silicon drift from the fit's prior, all from
    :func:`~model.calibration.fit.forecast_draws`; base-year spend is the four
    hyperscalers' 2024 capex, so the 2025 column is the capex forecast. One engine call.
    """
    from model.calibration.fit import forecast_draws
    from model.engine.params import Params, Segment, ValueCapture
    from model.engine.valuation import with_news

    eps, growth, inputs = forecast_draws(calibration.prior, calibration.combination.estimate,
                                         calibration.capex, draws, seed)
    capex_base, _ = calibration.capex.base_level()
    params = Params(
        name="posterior", start=2024, end=end, base_spend_usd_bn=float(capex_base),
        hardware_doubling_years=inputs["hardware_doubling_years"],
        segments=(Segment("all", 1.0, eps, inputs["efficiency_doubling_years"], growth),),
        value_capture=ValueCapture(nvidia_share_drift=inputs["nvidia_share_drift"]),
    )
    return simulate(with_news(params, inputs["factor"], inputs["coverage"], inputs["diffusion_years"]))

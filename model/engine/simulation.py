"""The engine: from parameters to yearly paths of prices, quantities and spend.

For each demand segment s and adoption class j (see :mod:`model.engine.efficiency`), with t in years
since the base year and m a supply markup (1 unless supply slopes upwards):

    relative cost of a FLOP        c(t)      = m 2^(-t / T_hw)
    useful work per FLOP           a_sj(t)   = 2^(t / T_alg,s) * M_j(t)
    relative price of useful work  p_sj(t)   = c(t) / a_sj(t)
    useful work demanded           U_s(t)    = R_s(t) * sum_j W_j(t) q_s(p_sj)
    compute spend                  X_s(t)    = R_s(t) * sum_j W_j(t) x_s(p_sj)    (USD bn)
    FLOP demanded                  F(t)      = sum_s X_s / c                   (base-year FLOP units)

with q and x the curve's quantity and spend relative to their values at p = 1 (see
:mod:`model.engine.demand`) and R_s the spend at p = 1: X0_s e^(G_s(t)) for the unbounded curves,
s_bar_s(t) B_s(t) for 'budget-share', whose spend never exceeds the segment's slice of the budget
B_s = share_s B. G_s(t) is the cumulative log demand growth, t ln(1 + g_s) at a constant growth
or fading towards a long-run rate (see :mod:`model.engine.growth`). In the isoelastic case with
constant growth X = X0 (1+g)^t c^(1-eps) a^(eps-1): a one-off efficiency factor S multiplies
long-run spend by S^(eps-1).

Two mechanisms act on deviations from the *no-news path* (the same scenario without its dated
shocks), so that with no news they change nothing:

* **Persistence** lambda: the log deviation of each segment's useful work from its no-news path
  closes a share (1 - lambda) of the gap to its long-run value each year,
  d_t = lambda d_(t-1) + (1 - lambda) d*_t; spend moves with the quantity at the year's price and
  stays within the budget.
* **Upward-sloping supply**: the cost of a FLOP is c = c_bar (F / F_bar)^(1/eta_s) with F_bar the
  FLOP the no-news path buys (trend capacity), optionally expanded by a share of last year's log
  markup. For isoelastic demand and an instant full shock S, long-run spend changes by
  S^((1+eta_s)(eps-1)/(eta_s+eps)) (see :func:`model.engine.closed_forms.supply_spend_exponent`).
  The markup is solved per draw and year by a safeguarded secant search on ln m.

Everything is vectorised over the draw axis n and the year axis T; the only Python loops are over
structural dimensions (segments, adoption classes, solver iterations, and years when persistence
or capacity expansion make a year depend on the one before).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.engine import demand, efficiency, growth, hardware
from model.engine import problem_size as fft
from model.engine.params import Params, take_draws

USD_PER_BN = 1e9
CHUNK_SIZE = 2**16  # draws per block: about 6 MB per (block, year) array
_LOG_MARKUP_MAX = np.log(1e6)  # the supply markup is searched in [1e-6, 1e6]
_SOLVER_STEPS = 60
_SOLVER_TOLERANCE = 1e-11


@dataclass(frozen=True)
class Result:
    """Yearly paths: ``variables[name]`` has shape (n_draws, len(years))."""

    years: np.ndarray
    variables: dict[str, np.ndarray]
    n_draws: int


def _col(x) -> np.ndarray:
    return np.asarray(x, dtype=float).reshape(-1, 1)


def simulate(params: Params, chunk_size: int = CHUNK_SIZE,
             progress: Callable[[int], None] | None = None) -> Result:
    """Run one scenario: all draws, all years.

    Draws are processed in chunks of ``chunk_size`` so the working arrays stay small enough for
    the CPU caches (a loop over blocks of draws, each block fully vectorised); outputs are
    written into arrays allocated once. ``progress(k)`` is called after each block with the
    number of draws it held (for a progress bar).
    """
    n = params.n_draws
    years = params.years
    if n <= chunk_size:
        variables = _simulate_block(params, years)
        if progress is not None:
            progress(n)
    else:
        variables = {}
        for lo in range(0, n, chunk_size):
            hi = min(lo + chunk_size, n)
            block = _simulate_block(take_draws(params, lo, hi), years, hi - lo)
            for name, values in block.items():
                if name not in variables:
                    variables[name] = np.empty((n, years.size))
                variables[name][lo:hi] = values
            if progress is not None:
                progress(hi - lo)
    return Result(years=years, variables=variables, n_draws=n)


def _simulate_block(params: Params, years: np.ndarray, n: int | None = None) -> dict[str, np.ndarray]:
    # Overflow is not an engine error: the runner refuses non-finite outputs and names the
    # inputs (model.scenarios.runs.check_finite), so the warnings would only be noise.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _block(params, years, n)


def _block(params: Params, years: np.ndarray, n: int | None) -> dict[str, np.ndarray]:
    n = params.n_draws if n is None else n
    t = years - params.start
    if params.type == "fft":
        out = _simulate_fft(params, years, t)
    else:
        out = _simulate_standard(params, years, t)
    out.update(nvidia_paths(params, t, out["compute_spend"]))
    shape = (n, years.size)
    return {k: np.ascontiguousarray(np.broadcast_to(v, shape), dtype=float) for k, v in out.items()}


def nvidia_paths(params: Params, t, compute_spend) -> dict[str, np.ndarray]:
    """Nvidia's margin, its CES share of accelerator spend and its data-center revenue.

    Nvidia's price per unit of performance relative to the alternatives' is
    rho(t) = (1 + g_alt)^t (1 - m_0) / (1 - m_t): the alternatives gain g_alt a year, and a margin
    m_t above its base-year value m_0 raises Nvidia's price. The share's odds move as
    rho^(1 - sigma_a); a linear drift (``nvidia_share_drift``) may be added on top.
    """
    vc = params.value_capture
    m0 = np.clip(_col(vc.nvidia_margin), 0.0, 0.95)
    margin = np.clip(m0 + _col(vc.margin_drift) * t, 0.0, 0.95)
    log_rho = t * np.log1p(_col(vc.substitute_gain)) + np.log1p(-m0) - np.log1p(-margin)
    s0 = np.clip(_col(vc.nvidia_share), 1e-12, 1.0 - 1e-12)
    logit = np.log(s0) - np.log1p(-s0) + (1.0 - _col(vc.substitution)) * log_rho
    share = 1.0 / (1.0 + np.exp(-logit))
    share = np.clip(share + _col(vc.nvidia_share_drift) * t, 0.0, 1.0)
    return {"nvidia_share": share, "nvidia_margin": margin,
            "nvidia_dc_revenue": share * _col(vc.accelerator_fraction) * compute_spend}


# --- standard and ECP scenarios -----------------------------------------------------------------


def _take(a, idx: slice):
    """Select years from an array that may be constant in time (last axis of length 1)."""
    if a is None or np.ndim(a) == 0:
        return a
    return a if a.shape[-1] == 1 else a[..., idx]


@dataclass(frozen=True)
class _Segment:
    """Pre-computed arrays of one demand segment; prices are kept in logs (one exp per use)."""

    name: str
    reference: np.ndarray  # spend at p = 1 in each year, (n|1, T)
    budget: np.ndarray | None  # the segment's slice of the budget at p = 1, (n|1, T); None = none
    log_prices: list[np.ndarray]  # per adoption class: ln p_sj before any markup, (n|1, T)
    weights: list[np.ndarray]  # per adoption class: share of demand, broadcasts to (n, T)
    log_price_no_news: np.ndarray  # ln p on the no-news path (trend only), (n|1, T)
    curve: demand.Curve
    shape: demand.Shape

    def _at(self, idx: slice) -> demand.Shape:
        sh = self.shape
        return demand.Shape(sh.elasticity, sh.saturation_price, sh.substitution,
                            sh.final_elasticity, _take(sh.log_odds, idx))

    def desired(self, log_markup, idx: slice = slice(None)):
        """Long-run useful work U*, spend X* and budget B (None if unbounded) at a log markup."""
        shape = self._at(idx)
        useful = spend = budget = 0.0
        for weight, log_price in zip(self.weights, self.log_prices, strict=True):  # <= 64 classes
            q, x, b = self.curve.logs(_take(log_price, idx) + log_markup, shape)
            w = _take(weight, idx)
            useful = useful + w * q
            spend = spend + w * x
            if b is not None:
                budget = budget + w * b
        ref = _take(self.reference, idx)
        bud = None if self.budget is None else _take(self.budget, idx) * budget
        return ref * useful, ref * spend, bud

    def no_news(self, idx: slice = slice(None)):
        """Useful work and spend on the no-news path at the trend cost."""
        q, x, _ = self.curve.logs(_take(self.log_price_no_news, idx), self._at(idx))
        ref = _take(self.reference, idx)
        return ref * q, ref * x


def _growth_path(level, rate, t) -> np.ndarray:
    """level * (1 + g)^t, as exp(t ln(1+g)) so the power is taken on the small (n, 1) axis."""
    return _col(level) * np.exp(t * np.log1p(_col(rate)))


def _fades(seg) -> bool:
    """Whether the segment's demand growth fades towards a long-run rate (see model.engine.growth)."""
    return seg.long_run_growth is not None


def _log_demand_growth(seg, t, start) -> np.ndarray:
    """Cumulative log demand growth of a segment to each year, (n|1, T): t ln(1 + g), or fading
    towards demand.long_run_growth with half-life demand.growth_half_life from the year
    demand.growth_fade_start (default the base year ``start``)."""
    if not _fades(seg):
        return t * np.log1p(_col(seg.growth))
    fade_start = (0.0 if seg.growth_fade_start is None
                  else np.maximum(_col(seg.growth_fade_start) - start, 0.0))
    return growth.log_growth(t, _col(seg.growth), _col(seg.long_run_growth),
                             _col(seg.growth_half_life), fade_start)


def _log_odds(seg, base, budget_base, budget_growth, t, start) -> np.ndarray:
    """Log odds of compute's budget share at the base-year price (demand.log_odds_path)."""
    log_growth = _log_demand_growth(seg, t, start) if _fades(seg) else None
    return demand.log_odds_path(base, budget_base, t, _col(seg.growth), _col(budget_growth),
                                log_demand_growth=log_growth)


def _segment(params: Params, seg, years, t, log_rel_cost) -> _Segment:
    rate = np.log(2.0) / _col(seg.efficiency_doubling_years)
    log_trend = t * rate
    shocks = [s for s in params.shocks if efficiency.applies_to(s, seg.name)]
    classes = efficiency.adoption_classes(years, shocks, rate)
    curve = demand.curve(seg.form)
    base = _col(params.base_spend_usd_bn) * np.asarray(seg.share, float).reshape(-1, 1)
    log_odds = budget = None
    if curve.bounded:
        budget_base = _col(params.budget.usd_bn) * np.asarray(seg.share, float).reshape(-1, 1)
        log_odds = _log_odds(seg, base, budget_base, params.budget.growth, t, params.start)
        budget = _growth_path(budget_base, params.budget.growth, t)
        reference = budget / (1.0 + np.exp(-log_odds))  # s_bar(t) B(t)
    else:
        reference = base * np.exp(_log_demand_growth(seg, t, params.start))
    log_price_no_news = log_rel_cost - log_trend
    return _Segment(
        name=seg.name,
        reference=reference,
        budget=budget,
        log_prices=[log_price_no_news - log_m for _, log_m in classes],
        weights=[w for w, _ in classes],
        log_price_no_news=log_price_no_news,
        curve=curve,
        shape=demand.Shape(_col(seg.elasticity), _col(seg.saturation_price), _col(seg.substitution),
                           _col(seg.final_elasticity), log_odds),
    )


@dataclass
class _Year:
    """What one evaluation of all segments at a markup gives (arrays over the selected years)."""

    useful: list
    spend: list
    budget: list


def _evaluate(segments, log_m, idx, lam, previous, no_news) -> tuple[_Year, list]:
    """All segments at log markup ``log_m`` for the years ``idx``, after persistence.

    ``previous`` is each segment's log deviation from the no-news path in the year before (None
    = no persistence, or the first year); returns the year's values and the new deviations.
    """
    useful, spend, budget, deviations = [], [], [], []
    for k, seg in enumerate(segments):
        u_star, x_star, b = seg.desired(log_m, idx)
        if lam is not None:
            u0 = no_news[k][0]
            d_star = np.log(u_star) - np.log(u0)
            d = (1.0 - lam) * d_star + (0.0 if previous is None else lam * previous[k])
            u = u0 * np.exp(d)
            x = x_star * (u / u_star)  # the lagged quantity bought at this year's price
            if b is not None:
                x = np.minimum(x, b)  # a lag cannot make buyers spend more than their budget
                u = x * (u_star / x_star)
            deviations.append(d)
        else:
            u, x = u_star, x_star
        useful.append(u)
        spend.append(x)
        budget.append(b)
    return _Year(useful, spend, budget), deviations


def _solve_markup(gap: Callable, shape, slope0) -> np.ndarray:
    """The log markup m with gap(m) = 0, gap decreasing in m (one root), vectorised.

    A secant iteration started from 0 with the slope ``-slope0`` (a number, or a function called
    after the first evaluation; exact in one step for isoelastic demand), kept inside a bracket that shrinks as signs are learned (so it cannot
    diverge), with bisection when a step leaves the bracket.
    """
    lo = np.full(shape, -_LOG_MARKUP_MAX)
    hi = np.full(shape, _LOG_MARKUP_MAX)
    m0 = np.zeros(shape)
    g0 = gap(m0)
    lo = np.where(g0 > 0, m0, lo)
    hi = np.where(g0 > 0, hi, m0)
    if callable(slope0):  # a slope read from the evaluation at 0 (e.g. the elasticity at the share)
        slope0 = slope0()
    m1 = np.clip(m0 + g0 / slope0, lo, hi)
    for _ in range(_SOLVER_STEPS):
        g1 = gap(m1)
        if np.all(np.abs(g1) <= _SOLVER_TOLERANCE):
            break
        lo = np.where(g1 > 0, m1, lo)
        hi = np.where(g1 > 0, hi, m1)
        denom = g1 - g0
        with np.errstate(divide="ignore", invalid="ignore"):
            secant = m1 - g1 * (m1 - m0) / denom
        step_ok = np.isfinite(secant) & (secant > lo) & (secant < hi)
        m_next = np.where(step_ok, secant, 0.5 * (lo + hi))
        m_next = np.where(np.abs(g1) <= _SOLVER_TOLERANCE, m1, m_next)
        m0, g0, m1 = m1, g1, m_next
    return m1


def _simulate_standard(params: Params, years, t) -> dict[str, np.ndarray]:
    log_rel_cost = hardware.log_relative_cost(t, _col(params.hardware_doubling_years))
    rel_cost = np.exp(log_rel_cost)
    segments = [_segment(params, s, years, t, log_rel_cost) for s in params.segments]
    n, T = params.n_draws, t.size
    lam = _col(params.persistence)
    lagged = bool(np.any(lam > 0))
    supply = params.supply
    sloped = supply.sloped
    expanding = sloped and bool(np.any(_col(supply.expansion) > 0))

    if not sloped and not lagged:
        year, _ = _evaluate(segments, 0.0, slice(None), None, None, None)
        useful, spend, budget = year.useful, year.spend, year.budget
        log_markup = np.zeros((1, 1))
    else:
        no_news = [seg.no_news() for seg in segments]  # the path that lags and supply act around
        useful, spend, budget, log_markup = _simulate_dynamic(
            params, segments, no_news, rel_cost, lam if lagged else None, expanding, n, T)

    total_spend = sum(spend)
    total_useful = sum(useful)
    cost = np.exp(log_markup) * rel_cost  # price paid per FLOP, relative to the base year
    flop = total_spend / cost  # base-year-FLOP units (USD bn at the base-year cost)
    base = _col(params.base_spend_usd_bn)
    out = {
        "compute_spend": total_spend,
        "flop_demand": flop * (USD_PER_BN / _col(params.usd_per_flop)),
        "price_per_useful_work": total_spend / total_useful,
        "useful_work": total_useful / base,
        "cost_per_flop": cost * _col(params.usd_per_flop),
        "useful_work_per_flop": total_useful / flop,
    }
    if all(b is not None for b in budget):
        total_budget = sum(budget)
        out["budget"] = total_budget
        out["compute_share_of_budget"] = total_spend / total_budget
    if sloped:
        markup = np.exp(log_markup)
        out["scarcity_markup"] = markup
        out["scarcity_rent"] = total_spend * (1.0 - 1.0 / markup)
    if len(segments) > 1:
        for seg, x in zip(segments, spend, strict=True):
            out[f"compute_spend|{seg.name}"] = x
    return out


def _simulate_dynamic(params, segments, no_news, rel_cost, lam, expanding, n, T):
    """Persistence and/or upward-sloping supply: the markup solves supply = demand.

    Without persistence or capacity expansion no year depends on the one before, and the
    markup is solved for all years at once; otherwise year by year (draws stay vectorised).
    """
    supply = params.supply
    sloped = supply.sloped
    eta_s = _col(supply.elasticity)
    expansion = _col(supply.expansion)
    rel_cost = np.broadcast_to(rel_cost, (n, T))
    log_flop_trend = np.log(np.broadcast_to(sum(x for _, x in no_news), (n, T)) / rel_cost)
    first = segments[0]  # the first step's slope: eta_s plus the first segment's small-share elasticity
    slope0 = eta_s + (first.shape.substitution if first.curve.bounded else first.shape.elasticity)

    def year_at(log_m, idx, previous):
        nn = [(_take(u, idx), _take(x, idx)) for u, x in no_news]
        return _evaluate(segments, log_m, idx, lam, previous, nn)

    last = {}  # the latest evaluation, reused when the solver stops on it

    def solve(idx, previous, log_capacity):
        cost = rel_cost[:, idx]

        def gap(log_m):  # ln F(m) - ln F_bar - eta_s ln m: decreasing in ln m
            year, deviations = year_at(log_m, idx, previous)
            last.update(m=log_m, year=year, deviations=deviations)
            return np.log(sum(year.spend) / (np.exp(log_m) * cost)) - log_capacity - eta_s * log_m

        def slope_at_zero():  # eta_s + the Hicks-Marshall elasticity at the no-markup share
            year = last["year"]
            if first.curve.bounded and all(b is not None for b in year.budget):
                share = sum(year.spend) / sum(year.budget)
                return eta_s + (1.0 - share) * first.shape.substitution + share * first.shape.final_elasticity
            return slope0

        return _solve_markup(gap, cost.shape, slope_at_zero)

    def evaluated(log_m, idx, previous):
        if last.get("m") is log_m:
            return last["year"], last["deviations"]
        return year_at(log_m, idx, previous)

    if lam is None and not expanding:  # every year at once (only reached with sloped supply)
        full = slice(0, T)
        log_m = solve(full, None, log_flop_trend)
        year, _ = evaluated(log_m, full, None)
        return year.useful, year.spend, year.budget, np.broadcast_to(log_m, (n, T))

    useful = [np.zeros((n, T)) for _ in segments]
    spend = [np.zeros((n, T)) for _ in segments]
    budget = [None if seg.budget is None else np.zeros((n, T)) for seg in segments]
    log_markup = np.zeros((n, T))
    previous = None
    extra = np.zeros((n, 1))  # capacity built in response to past markups (log)
    for i in range(T):  # a year depends on the year before; draws stay vectorised
        idx = slice(i, i + 1)
        log_m = solve(idx, previous, log_flop_trend[:, idx] + extra) if sloped else np.zeros((n, 1))
        year, previous = evaluated(log_m, idx, previous) if sloped else year_at(log_m, idx, previous)
        for k in range(len(segments)):
            useful[k][:, idx] = year.useful[k]
            spend[k][:, idx] = year.spend[k]
            if budget[k] is not None:
                budget[k][:, idx] = year.budget[k]
        log_markup[:, idx] = log_m
        if expanding:
            extra = extra + expansion * log_m
        if lam is None:
            previous = None
    return useful, spend, budget, log_markup


# --- FFT scenarios --------------------------------------------------------------------------------


def _simulate_fft(params: Params, years, t) -> dict[str, np.ndarray]:
    """Users choose problem size; a share of them switches to the cheaper cost exponent.

    Demand comes from the users' choice of problem size, not from an elasticity parameter: the
    elasticity kappa / (kappa - beta) is an output (see :mod:`model.engine.problem_size`).
    """
    p = params.fft
    seg = params.segments[0]
    rel_cost = hardware.relative_cost(t, _col(params.hardware_doubling_years))
    trend = efficiency.trend(t, _col(seg.efficiency_doubling_years))
    log_price = np.log(rel_cost / trend)  # price of one operation relative to the base year
    beta, k_old, k_new = _col(p.beta), _col(p.kappa_old), _col(p.kappa_new)
    g_new, n_max = _col(p.log_power_new), _col(p.n_max_log2)
    log_a = fft.value_scale_log(k_old, beta, _col(p.n0_log2))

    x_old = fft.optimal_size_log2(log_price, log_a, beta, k_old, 0.0, n_max)
    x_new = fft.optimal_size_log2(log_price, log_a, beta, k_new, g_new, n_max)
    adopted = _col(p.coverage) * efficiency.diffusion_weight(
        years + efficiency.MID_YEAR, _col(p.year), _col(p.diffusion_years), "logistic"
    )
    log_ops0 = fft.log_ops(_col(p.n0_log2), k_old, 0.0)
    # Spend and value per user, relative to the base year (old algorithm at n0 and price 1).
    spend_old = np.exp(log_price + fft.log_ops(x_old, k_old, 0.0) - log_ops0)
    spend_new = np.exp(log_price + fft.log_ops(x_new, k_new, g_new) - log_ops0)
    # Useful work is measured in old-algorithm operations: the same problem counts the same
    # whichever algorithm solves it, so useful work per FLOP rises by the speed-up n / log2 n.
    work_old = np.exp(fft.log_ops(x_old, k_old, 0.0) - log_ops0)
    work_new = np.exp(fft.log_ops(x_new, k_old, 0.0) - log_ops0)

    base = _col(params.base_spend_usd_bn)
    users = np.exp(_log_demand_growth(seg, t, params.start))
    relative_spend = (1 - adopted) * spend_old + adopted * spend_new  # unbounded, per user
    useful = users * ((1 - adopted) * work_old + adopted * work_new)
    out = {}
    if demand.curve(seg.form).bounded:
        # Under a budget the problem-size choice sets how much each user would spend if compute
        # stayed a small share; compute's share of the budget is the logit of the base odds times
        # that (the budget-share curve with eta = 1: the budget does not respond to prices), so
        # users keep their problem sizes and fewer of them are served as the share saturates.
        budget = _growth_path(params.budget.usd_bn, params.budget.growth, t)
        log_odds = _log_odds(seg, base, _col(params.budget.usd_bn), params.budget.growth, t,
                             params.start)
        share = 1.0 / (1.0 + np.exp(-(log_odds + np.log(relative_spend))))
        spend = share * budget
        useful = useful * spend / (base * users * relative_spend)
        out.update(budget=budget, compute_share_of_budget=share)
    else:
        spend = base * users * relative_spend
    flop_units = spend / rel_cost  # F / F0 x X0, in base-year-FLOP units of USD bn
    out.update({
        "compute_spend": spend,
        "flop_demand": flop_units * USD_PER_BN / _col(params.usd_per_flop),
        "price_per_useful_work": spend / base / useful,
        "useful_work": useful,
        "cost_per_flop": rel_cost * _col(params.usd_per_flop),
        "useful_work_per_flop": useful / (flop_units / base),
        "problem_size_log2": (1 - adopted) * x_old + adopted * x_new,
    })
    return out

"""The engine: from parameters to yearly paths of prices, quantities and spend.

For each demand segment s and adoption class j (see :mod:`model.engine.efficiency`), with t in years
since the base year and m >= 1 a scarcity markup (1 unless supply is capped):

    relative cost of a FLOP        c(t)      = 2^(-t / T_hw)
    useful work per FLOP           a_sj(t)   = 2^(t / T_alg,s) * M_j(t)
    relative price of useful work  p_sj(t)   = m c(t) / a_sj(t)
    useful work demanded           U_s(t)    = X0_s (1 + g_s)^t * sum_j W_j(t) f_s(p_sj) / f_s(1)
    FLOP demanded                  F_s(t)    = U_s / a_s        (base-year FLOP units)
    compute spend                  X_s(t)    = m c F_s = p U     (USD bn)

so that spend passes through the base-year spend X0 on the no-shock path. In the isoelastic case
X = X0 (1+g)^t c^(1-eps) a^(eps-1): a one-off efficiency factor S multiplies long-run spend by
S^(eps-1). Partial adjustment moves quantities part of the way to their long-run level each year;
a capacity cap raises the price (markup m) until FLOP demand fits the capacity.

Everything is vectorised over the draw axis n and the year axis T; the only Python loops are over
structural dimensions (segments, and years when adjustment or the cap make a year depend on the
one before).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.engine import demand, efficiency, hardware
from model.engine import problem_size as fft
from model.engine.params import Params, take_draws

USD_PER_BN = 1e9
CHUNK_SIZE = 2**16  # draws per block: about 6 MB per (block, year) array
_MARKUP_MAX_LOG = np.log(1e6)  # the scarcity markup is searched in [1, 10^6]
_MARKUP_STEPS = 60


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
    n = params.n_draws if n is None else n
    t = years - params.start
    if params.type == "fft":
        out = _simulate_fft(params, years, t)
    else:
        out = _simulate_standard(params, years, t)
    vc = params.value_capture
    share = np.clip(_col(vc.nvidia_share) + _col(vc.nvidia_share_drift) * t, 0.0, 1.0)
    out["nvidia_dc_revenue"] = share * _col(vc.accelerator_fraction) * out["compute_spend"]
    shape = (n, years.size)
    return {k: np.ascontiguousarray(np.broadcast_to(v, shape), dtype=float) for k, v in out.items()}


# --- standard and ECP scenarios -----------------------------------------------------------------


def _take(a: np.ndarray, idx: slice) -> np.ndarray:
    """Select years from an array that may be constant in time (last axis of length 1)."""
    return a if a.shape[-1] == 1 else a[..., idx]


@dataclass(frozen=True)
class _Segment:
    """Pre-computed arrays of one demand segment; prices are kept in logs (one exp per use)."""

    scale: np.ndarray  # X0_s (1+g_s)^t, (n|1, T)
    log_prices: list[np.ndarray]  # per adoption class: ln p_sj before markup, (n|1, T)
    weights: list[np.ndarray]  # per adoption class: share of demand, broadcasts to (n, T)
    form: str
    elasticity: np.ndarray  # (n|1, 1)
    saturation_price: np.ndarray  # (n|1, 1)

    def desired(self, log_markup, idx: slice = slice(None)):
        """Long-run useful work U* and spend X* at a markup (years selected by ``idx``)."""
        useful = spend = 0.0
        for weight, log_price in zip(self.weights, self.log_prices, strict=True):  # <= 64 classes
            q, x = demand.quantity_and_spend(
                _take(log_price, idx) + log_markup, self.form, self.elasticity, self.saturation_price
            )
            w = _take(weight, idx)
            useful = useful + w * q
            spend = spend + w * x
        scale = _take(self.scale, idx)
        return scale * useful, scale * spend


def _growth_path(level, growth, t) -> np.ndarray:
    """level * (1 + g)^t, as exp(t ln(1+g)) so the power is taken on the small (n, 1) axis."""
    return _col(level) * np.exp(t * np.log1p(_col(growth)))


def _segment(params: Params, seg, t, log_rel_cost, classes) -> _Segment:
    log_trend = t * (np.log(2.0) / _col(seg.efficiency_doubling_years))
    return _Segment(
        scale=_growth_path(params.base_spend_usd_bn * np.asarray(seg.share), seg.growth, t),
        log_prices=[log_rel_cost - log_trend - log_m for _, log_m in classes],
        weights=[w for w, _ in classes],
        form=seg.form,
        elasticity=_col(seg.elasticity),
        saturation_price=_col(seg.saturation_price),
    )


def _simulate_standard(params: Params, years, t) -> dict[str, np.ndarray]:
    log_rel_cost = hardware.log_relative_cost(t, _col(params.hardware_doubling_years))
    rel_cost = np.exp(log_rel_cost)
    classes = efficiency.adoption_classes(years, params.shocks)
    segments = [_segment(params, s, t, log_rel_cost, classes) for s in params.segments]
    persistence = np.asarray(params.persistence, dtype=float)
    dynamic = params.supply.capped or bool(np.any(persistence > 0))

    if not dynamic:
        markup = np.ones((1, 1))
        parts = [s.desired(0.0) for s in segments]
        useful = sum(u for u, _ in parts)
        spend = sum(x for _, x in parts)
    else:
        useful, spend, markup = _simulate_dynamic(params, segments, rel_cost, t)

    base = _col(params.base_spend_usd_bn)
    cost = markup * rel_cost  # price paid per FLOP, relative to the base year
    flop = spend / cost  # base-year-FLOP units (USD bn at the base-year cost)
    out = {
        "compute_spend": spend,
        "flop_demand": flop * (USD_PER_BN / _col(params.usd_per_flop)),
        "price_per_useful_work": spend / useful,
        "useful_work": useful / base,
        "cost_per_flop": cost * _col(params.usd_per_flop),
        "algorithmic_efficiency": useful / flop,
    }
    if params.supply.capped:
        out["scarcity_markup"] = markup
    return out


def _simulate_dynamic(params: Params, segments, rel_cost, t):
    """Year by year: partial adjustment of quantities and/or clearing against a capacity cap."""
    lam = _col(params.persistence)
    n, T = params.n_draws, t.size
    useful, spend, log_markup = (np.zeros((n, T)) for _ in range(3))
    rel_cost = np.broadcast_to(rel_cost, (n, T))
    previous = None  # last year's useful work by segment
    capacity = None
    if params.supply.capped:
        base_flop = sum(seg.desired(0.0, slice(0, 1))[1] for seg in segments)  # rel_cost(t0) = 1
        capacity = np.broadcast_to(
            base_flop * (1.0 + _col(params.supply.headroom))
            * (1.0 + _col(params.supply.capacity_growth)) ** t,
            (n, T),
        )

    for i in range(T):  # a year depends on the year before; draws stay vectorised
        idx = slice(i, i + 1)
        cost = rel_cost[:, idx]
        log_m = np.zeros((n, 1))
        if capacity is not None:
            cap = capacity[:, idx]
            x_free = _year_totals(segments, log_m, idx, previous, lam)[0][1]
            binding = x_free / cost > cap
            if np.any(binding):
                lo, hi = np.zeros((n, 1)), np.full((n, 1), _MARKUP_MAX_LOG)
                for _ in range(_MARKUP_STEPS):  # bisection iterations, vectorised over draws
                    mid = 0.5 * (lo + hi)
                    x_mid = _year_totals(segments, mid, idx, previous, lam)[0][1]
                    too_much = x_mid / (np.exp(mid) * cost) > cap
                    lo = np.where(too_much, mid, lo)
                    hi = np.where(too_much, hi, mid)
                log_m = np.where(binding, 0.5 * (lo + hi), 0.0)
        (u_tot, x_tot), previous = _year_totals(segments, log_m, idx, previous, lam)
        useful[:, idx], spend[:, idx], log_markup[:, idx] = u_tot, x_tot, log_m
    return useful, spend, np.exp(log_markup)


def _year_totals(segments, log_markup, idx, previous, lam):
    """Totals (U, X) of one year at a markup, after partial adjustment from ``previous``.

    Returns ``((useful, spend), adjusted)`` where ``adjusted`` is each segment's useful work
    (the ``previous`` of the next year).
    """
    useful = spend = 0.0
    adjusted = []
    for k, seg in enumerate(segments):
        u_star, x_star = seg.desired(log_markup, idx)
        if previous is None:  # the first year starts on its long-run path
            u = u_star
        else:  # ln U_t = lam ln U_{t-1} + (1 - lam) ln U*_t
            u = np.exp(lam * np.log(previous[k]) + (1 - lam) * np.log(u_star))
        adjusted.append(u)
        useful = useful + u
        spend = spend + x_star * (u / u_star)
    return (useful, spend), adjusted


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

    scale = _col(params.base_spend_usd_bn) * (1.0 + _col(seg.growth)) ** t
    spend = scale * ((1 - adopted) * spend_old + adopted * spend_new)
    useful = (1.0 + _col(seg.growth)) ** t * ((1 - adopted) * work_old + adopted * work_new)
    flop_units = spend / rel_cost  # F / F0 x X0, in base-year-FLOP units of USD bn
    return {
        "compute_spend": spend,
        "flop_demand": flop_units * USD_PER_BN / _col(params.usd_per_flop),
        "price_per_useful_work": spend / _col(params.base_spend_usd_bn) / useful,
        "useful_work": useful,
        "cost_per_flop": rel_cost * _col(params.usd_per_flop),
        "algorithmic_efficiency": useful / (flop_units / _col(params.base_spend_usd_bn)),
        "problem_size_log2": (1 - adopted) * x_old + adopted * x_new,
    }

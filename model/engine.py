"""The engine: from parameters to yearly paths of prices, quantities and spend.

For each demand segment s and adoption class j (see :mod:`model.efficiency`), with t in years
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

from dataclasses import dataclass

import numpy as np

from model import demand, efficiency, fft, hardware
from model.params import Params

USD_PER_BN = 1e9
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


def simulate(params: Params) -> Result:
    """Run one scenario (all draws at once)."""
    n = params.n_draws
    years = params.years
    t = years - params.start
    if params.type == "fft":
        out = _simulate_fft(params, years, t)
    else:
        out = _simulate_standard(params, years, t)
    vc = params.value_capture
    share = np.clip(_col(vc.nvidia_share) + _col(vc.nvidia_share_drift) * t, 0.0, 1.0)
    out["nvidia_dc_revenue"] = share * _col(vc.accelerator_fraction) * out["compute_spend"]
    shape = (n, years.size)
    variables = {k: np.ascontiguousarray(np.broadcast_to(v, shape), dtype=float) for k, v in out.items()}
    return Result(years=years, variables=variables, n_draws=n)


# --- standard and ECP scenarios -----------------------------------------------------------------


@dataclass(frozen=True)
class _SegmentArrays:
    """Pre-computed arrays of one segment: class axis first, then draws, then years."""

    scale: np.ndarray  # X0_s (1+g_s)^t, shape (n, T)
    price: np.ndarray  # relative price of useful work before markup, (C, n, T)
    efficiency: np.ndarray  # a_sj, (C, n, T)
    form: str
    elasticity: np.ndarray
    saturation_price: np.ndarray

    def desired(self, markup, weights, idx=slice(None)):
        """Long-run useful work U*, FLOP F* and spend X* at a markup (years selected by idx)."""
        price = markup * self.price[..., idx]
        q = weights[..., idx] * demand.relative_quantity(
            price, self.form, self.elasticity, self.saturation_price
        )
        scale = self.scale[..., idx]
        useful = scale * q.sum(axis=0)
        flop = scale * (q / self.efficiency[..., idx]).sum(axis=0)
        spend = scale * (q * price).sum(axis=0)
        return useful, flop, spend


def _segment_arrays(params: Params, seg, t, rel_cost, multipliers) -> _SegmentArrays:
    a = efficiency.trend(t, _col(seg.efficiency_doubling_years)) * multipliers
    scale = _col(params.base_spend_usd_bn) * _col(seg.share) * (1.0 + _col(seg.growth)) ** t
    return _SegmentArrays(
        scale=scale,
        price=rel_cost / a,
        efficiency=a,
        form=seg.form,
        elasticity=_col(seg.elasticity),
        saturation_price=_col(seg.saturation_price),
    )


def _simulate_standard(params: Params, years, t) -> dict[str, np.ndarray]:
    rel_cost = hardware.relative_cost(t, _col(params.hardware_doubling_years))
    weights, multipliers = efficiency.adoption_classes(years, params.shocks)
    segments = [_segment_arrays(params, s, t, rel_cost, multipliers) for s in params.segments]
    persistence = np.asarray(params.persistence, dtype=float)
    dynamic = params.supply.capped or bool(np.any(persistence > 0))

    if not dynamic:
        markup = np.ones((1, t.size))
        parts = [s.desired(1.0, weights) for s in segments]
        useful, flop, spend = (sum(p[i] for p in parts) for i in range(3))
    else:
        useful, flop, spend, markup = _simulate_dynamic(params, segments, weights, t)

    base_flop_units = flop / _col(params.base_spend_usd_bn)  # F / F0 at the base-year cost
    out = {
        "compute_spend": spend,
        "flop_demand": flop * USD_PER_BN / _col(params.usd_per_flop),
        "price_per_useful_work": spend / useful,
        "useful_work": useful / _col(params.base_spend_usd_bn),
        "cost_per_flop": markup * rel_cost * _col(params.usd_per_flop),
        "algorithmic_efficiency": (useful / _col(params.base_spend_usd_bn)) / base_flop_units,
    }
    if params.supply.capped:
        out["scarcity_markup"] = markup
    return out


def _simulate_dynamic(params: Params, segments, weights, t):
    """Year by year: partial adjustment of quantities and/or clearing against a capacity cap."""
    lam = _col(params.persistence)
    n = params.n_draws
    T = t.size
    useful = np.zeros((n, T))
    flop = np.zeros((n, T))
    spend = np.zeros((n, T))
    markup = np.ones((n, T))
    previous = None  # last year's useful work by segment
    capacity = None
    if params.supply.capped:
        base_flop = sum(s.desired(1.0, weights, slice(0, 1))[1] for s in segments)  # (n|1, 1)
        capacity = (
            base_flop * (1.0 + _col(params.supply.headroom))
            * (1.0 + _col(params.supply.capacity_growth)) ** t
        )

    for i in range(T):  # years depend on the year before; draws stay vectorised
        idx = slice(i, i + 1)
        m = np.ones((n, 1))
        if capacity is not None:
            cap = np.broadcast_to(capacity[:, idx], (n, 1))
            f_free = _year_totals(segments, weights, m, idx, previous, lam, n)[0][1]
            binding = f_free > cap
            if np.any(binding):
                lo = np.zeros((n, 1))
                hi = np.full((n, 1), _MARKUP_MAX_LOG)
                for _ in range(_MARKUP_STEPS):  # bisection iterations, vectorised over draws
                    mid = 0.5 * (lo + hi)
                    f_mid = _year_totals(segments, weights, np.exp(mid), idx, previous, lam, n)[0][1]
                    too_much = f_mid > cap
                    lo = np.where(too_much, mid, lo)
                    hi = np.where(too_much, hi, mid)
                m = np.where(binding, np.exp(0.5 * (lo + hi)), 1.0)
        (u_tot, f_tot, x_tot), previous = _year_totals(segments, weights, m, idx, previous, lam, n)
        useful[:, idx], flop[:, idx], spend[:, idx], markup[:, idx] = u_tot, f_tot, x_tot, m
    return useful, flop, spend, markup


def _year_totals(segments, weights, markup, idx, previous, lam, n):
    """Totals (U, F, X) of one year at a markup, after partial adjustment from ``previous``.

    Returns ``((useful, flop, spend), adjusted)`` where ``adjusted`` is each segment's useful work
    (the ``previous`` of the next year).
    """
    totals = [np.zeros((n, 1)) for _ in range(3)]
    adjusted = []
    for k, seg in enumerate(segments):
        u_star, f_star, x_star = seg.desired(markup, weights, idx)
        if previous is None:  # the first year starts on its long-run path
            u = u_star
        else:  # ln U_t = lam ln U_{t-1} + (1 - lam) ln U*_t
            u = np.exp(lam * np.log(previous[k]) + (1 - lam) * np.log(u_star))
        ratio = u / u_star
        adjusted.append(u)
        for total, value in zip(totals, (u, f_star * ratio, x_star * ratio), strict=True):
            total += value
    return totals, adjusted


# --- FFT scenarios --------------------------------------------------------------------------------


def _simulate_fft(params: Params, years, t) -> dict[str, np.ndarray]:
    """Users choose problem size; a share of them switches to the cheaper cost exponent.

    Demand comes from the users' choice of problem size, not from an elasticity parameter: the
    elasticity kappa / (kappa - beta) is an output (see :mod:`model.fft`).
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
        years, _col(p.year), _col(p.diffusion_years), "logistic"
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

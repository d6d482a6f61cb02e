"""What moved on the event day? A cross-sectional decomposition of the abnormal returns.

On day 0 every firm's abnormal return ``AR_i`` (market model against the market *without* the
AI complex, estimated on the ``L`` days ending ``G`` days before) is written as

    AR_i = sum_k x_ik c_k + u_i,        u ~ (0, (1 + h_0) Sigma),

with four channels ``c``:

* ``compute_quantity`` -- news about the quantity of AI compute that will be bought: firms
  paid by the volume of compute (chip, memory, foundry, tool and server makers; power and
  cooling) have exposure 1 (Nvidia its data-centre share of revenue, from the facts);
* ``nvidia_rents`` -- news about Nvidia's share and margin against substitutes: exposure 1 for
  Nvidia, 0 elsewhere;
* ``buyer_cost_saving`` -- cheaper compute for those who buy it: exposure 1 for the buyers;
* ``ai_discount_rate`` -- the AI complex repriced as a whole (discount rate, positioning): each
  firm's slope on the AI-complex factor (the cap-weighted AI complex minus the market without
  it) in the estimation window, so that it is the factor's ordinary co-movement.

Exposures are fixed before the event. ``Sigma`` is the covariance of the market-model
residuals over the estimation window (the same days for every firm): a common event date makes
the abnormal returns cross-correlated, the problem Kolari and Pynnonen (2010) correct for in
basket tests; here it is the GLS weight. ``h_0 = x_0'(X'X)^{-1}x_0`` adds the estimation error
of the market model, shared by every firm. When the residual correlation matrix is near
singular (condition number above :data:`NEAR_SINGULAR`, e.g. two share classes of one firm),
it is shrunk towards its diagonal with the Schafer and Strimmer (2005) intensity.

The GLS estimate is ``c = (X'V^{-1}X)^{-1} X'V^{-1} AR`` with ``V = (1 + h_0) Sigma``; because
``Sigma`` is estimated with ``nu = L - 2`` degrees of freedom, the covariance is inflated by
``(nu - 1) / (nu - (N - K) - 1)`` (the growth-curve model with an estimated covariance), the
intervals use Student's t with ``nu - (N - K)`` degrees of freedom and the test that all
channels are zero refers ``W / K`` to ``F(K, nu - N + 1)``. Channels are reported as separately
identified only when the condition number of ``X'V^{-1}X`` in correlation form is at most
:data:`IDENTIFIED_CONDITION` (Belsley, Kuh and Welsch 1980: above 30 marks strong collinearity).

The placebo runs the same decomposition, each day with its own estimation window and
exposures, on the ``placebo_days`` trading days before the event, vectorised over days; its
rejection rate is the size of the 5% test on days without the event.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from model.data.facts import fact
from model.errors import DataError, JevonsError
from model.event_study import benchmark as bm
from model.event_study.result import dumps, to_jsonable
from model.event_study.study import load_returns
from model.event_study.windows import MIN_WINDOW_SUMS, locate_windows, parse_date
from model.summary import Summary, interval_label

CHANNELS = ("compute_quantity", "nvidia_rents", "buyer_cost_saving", "ai_discount_rate")
FIXED_CHANNELS = CHANNELS[:3]  # the fourth, ai_discount_rate, is estimated firm by firm
GROUPS = ("sellers", "power_cooling", "buyers", "placebo")
SELLERS = ("NVDA", "AMD", "AVGO", "TSM", "ASML", "MU", "SMCI")
POWER_COOLING = ("VST", "CEG", "VRT")
BUYERS = ("MSFT", "GOOGL", "AMZN", "META", "ORCL")
BENCHMARK = bm.EX_AI  # the market without the AI complex
AI_COMPLEX = "SPY-AI"  # the AI complex alone, cap-weighted
NEAR_SINGULAR = 1e4  # condition number of the residual correlation matrix that triggers shrinkage
IDENTIFIED_CONDITION = 30.0  # Belsley, Kuh and Welsch (1980)
TEST_LEVEL = 0.05
DC_REVENUE = ("nvda_dc_revenue_fy2025_q3", "nvda_revenue_fy2025_q3")


@dataclass(frozen=True)
class FirmExposure:
    """A firm's group, its fixed exposures to the first three channels and where they come from."""

    ticker: str
    group: str
    fixed: tuple[float, float, float]
    source: str


@dataclass(frozen=True)
class DecompositionSpec:
    """What to decompose.

    Attributes
    ----------
    event_date : str
        Day 0; it must be a trading day after the 24 January 2025 close (the benchmark weights).
    firms : tuple of FirmExposure, optional
        The cross-section; None: :func:`default_firms` as of the event date.
    estimation, gap : int
        ``L`` and ``G`` of the estimation window (defaults 250 and 10, as the event study).
    placebo_days : int
        Non-event days before day 0 on which the test's size is measured (default 250).
    level : float
        Level of the channel intervals (default 0.95).
    reference_days : int
        ``R``: each day's test and intervals refer to the same statistics on the ``R``
        trading days before it, each computed out of sample with its own estimation window
        (default 200).
    """

    event_date: str
    firms: tuple[FirmExposure, ...] | None = None
    estimation: int = 250
    gap: int = 10
    placebo_days: int = 250
    level: float = 0.95
    reference_days: int = 200

    def __post_init__(self):
        day = parse_date(self.event_date, "event date")
        object.__setattr__(self, "event_date", day.strftime("%Y-%m-%d"))
        if day <= pd.Timestamp(bm.ANCHOR_DATE):
            raise JevonsError(
                f"--decompose --date {self.event_date}: the benchmark weights are known at the "
                f"{bm.ANCHOR_DATE} close; the event must come after it (e.g. 2025-01-27)"
            )
        if not 0.0 < self.level < 1.0:
            raise JevonsError(f"level {self.level}: must lie strictly between 0 and 1")
        if self.gap < 0:
            raise JevonsError(f"gap {self.gap}: must be a whole number of trading days >= 0")
        if not 100 <= self.placebo_days <= 1000:
            raise JevonsError(f"placebo days {self.placebo_days}: allowed: 100 to 1000")
        if not 40 <= self.reference_days <= 1000:
            raise JevonsError(f"reference days {self.reference_days}: allowed: 40 to 1000")
        if self.firms is not None:
            tickers = [f.ticker for f in self.firms]
            if len(set(tickers)) != len(tickers):
                raise JevonsError("decomposition: a firm is listed twice")
            bad = [f.group for f in self.firms if f.group not in GROUPS]
            if bad:
                raise JevonsError(f"decomposition: group {bad[0]!r}; allowed: {', '.join(GROUPS)}")
        n = len(self.firms) if self.firms is not None else len(SELLERS + POWER_COOLING + BUYERS)
        if n < len(CHANNELS) + 2:
            raise JevonsError(f"decomposition: {n} firms; at least {len(CHANNELS) + 2} are needed "
                              f"for {len(CHANNELS)} channels and a test")
        if self.estimation < max(n + 10, MIN_WINDOW_SUMS):
            raise JevonsError(f"estimation window of {self.estimation} trading days: at least "
                              f"{max(n + 10, MIN_WINDOW_SUMS)} are needed for the covariance of {n} firms")


def default_firms(as_of) -> tuple[FirmExposure, ...]:
    """The sellers, power and cooling, and buyers of the issue, with their fixed exposures."""
    dc, total = (fact(i, as_of) for i in DC_REVENUE)
    share = float(dc["value"]) / float(total["value"])
    supplier = ("compute_quantity 1: assumption (paid by the volume of AI compute; the facts "
                "hold no revenue split)")
    firms = [FirmExposure("NVDA", "sellers", (share, 1.0, 0.0),
                          f"compute_quantity {share:.3f}: data-centre share of revenue, "
                          f"{DC_REVENUE[0]} / {DC_REVENUE[1]} (facts, as of "
                          f"{dc['as_of']:%Y-%m-%d}); nvidia_rents 1: by definition")]
    firms += [FirmExposure(t, "sellers", (1.0, 0.0, 0.0), supplier) for t in SELLERS[1:]]
    firms += [FirmExposure(t, "power_cooling", (1.0, 0.0, 0.0),
                           "compute_quantity 1: assumption (power and cooling sold to data "
                           "centres scale with the compute installed)") for t in POWER_COOLING]
    firms += [FirmExposure(t, "buyers", (0.0, 0.0, 1.0),
                           "buyer_cost_saving 1: assumption (a buyer of AI compute; the capex "
                           "figures in the facts are mostly dated after the event)") for t in BUYERS]
    return tuple(firms)


# --- the vectorised core --------------------------------------------------------------------

def schafer_strimmer_lambda(residuals: np.ndarray) -> np.ndarray:
    """Shrinkage intensity towards the diagonal (Schafer and Strimmer 2005, target "D").

    ``residuals`` is (P, L, N); returns (P,) values in [0, 1]:
    ``sum_{i != j} Var(r_ij) / sum_{i != j} r_ij^2`` with the correlations ``r_ij`` of the
    standardised residuals and ``Var(r_ij)`` their estimated sampling variance.
    """
    e = residuals - residuals.mean(axis=1, keepdims=True)
    n = e.shape[1]
    z = e / e.std(axis=1, ddof=1, keepdims=True)
    w = z[:, :, :, None] * z[:, :, None, :]  # P x L x N x N
    r = w.sum(axis=1) / (n - 1)
    var_r = n / (n - 1) ** 3 * ((w - w.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    off = ~np.eye(e.shape[2], dtype=bool)
    num = var_r[:, off].sum(axis=1)
    den = (r[:, off] ** 2).sum(axis=1)
    return np.clip(num / den, 0.0, 1.0)


@dataclass(frozen=True)
class _Sections:
    """The decomposition on P days at once (arrays with a leading day axis)."""

    ar: np.ndarray  # P x N abnormal returns
    exposures: np.ndarray  # P x N x K
    estimate: np.ndarray  # P x K
    cov: np.ndarray  # P x K x K
    wald: np.ndarray  # P
    p: np.ndarray  # P: against F
    p_free: np.ndarray  # P: against the estimation-window days' statistics
    window_estimates: np.ndarray  # P x L x K: the channels on the estimation-window days
    condition: np.ndarray  # P: identification condition number
    cov_condition: np.ndarray  # P: residual correlation matrix
    shrinkage: np.ndarray  # P
    h0: np.ndarray  # P
    df_t: int
    df_f: tuple[int, int]


def cross_sections(returns: np.ndarray, market: np.ndarray, factor: np.ndarray,
                   days: np.ndarray, fixed: np.ndarray, estimation: int, gap: int) -> _Sections:
    """Decompose day ``d`` for every ``d`` in ``days`` (positions in the arrays).

    ``returns`` is T x N, ``market`` and ``factor`` length T, ``fixed`` N x 3. Day ``d`` uses
    only rows ``d - gap - estimation`` to ``d``.
    """
    days = np.asarray(days, dtype=int)
    n_days, (t_len, n) = days.size, returns.shape
    k = len(CHANNELS)
    idx = (days - gap - estimation)[:, None] + np.arange(estimation)  # P x L
    if idx.min() < 0 or days.max() >= t_len:
        raise DataError("too short a history for the decomposition's estimation windows")
    y = returns[idx]  # P x L x N
    x = np.stack([np.ones(idx.shape), market[idx]], axis=-1)  # P x L x 2
    xtx_inv = np.linalg.inv(np.einsum("pla,plb->pab", x, x))
    coef = xtx_inv @ np.einsum("pla,pln->pan", x, y)  # P x 2 x N
    resid = y - x @ coef
    nu = estimation - 2
    sigma = np.einsum("pli,plj->pij", resid, resid) / nu
    x0 = np.stack([np.ones(n_days), market[days]], axis=-1)  # P x 2
    ar = returns[days] - np.einsum("pa,pan->pn", x0, coef)
    h0 = np.einsum("pa,pab,pb->p", x0, xtx_inv, x0)
    # slope on the AI factor given (1, market): Frisch-Waugh-Lovell on the residuals
    f = factor[idx]
    fz = f - np.einsum("pla,pa->pl", x, np.einsum("pab,plb,pl->pa", xtx_inv, x, f))
    slope = np.einsum("pl,pln->pn", fz, resid) / np.einsum("pl,pl->p", fz, fz)[:, None]
    exposures = np.concatenate([np.broadcast_to(fixed, (n_days, n, 3)), slope[:, :, None]], axis=2)
    # near-singular residual covariance: shrink towards its diagonal
    sd = np.sqrt(np.einsum("pii->pi", sigma))
    corr = sigma / (sd[:, :, None] * sd[:, None, :])
    cov_condition = np.linalg.cond(corr)
    shrinkage = np.zeros(n_days)
    near = np.flatnonzero(cov_condition > NEAR_SINGULAR)
    if near.size:
        shrinkage[near] = schafer_strimmer_lambda(resid[near])
        diag = sigma[near] * np.eye(n)
        sigma[near] = (1 - shrinkage[near])[:, None, None] * sigma[near] + shrinkage[near][:, None, None] * diag
    v = sigma * (1.0 + h0)[:, None, None]
    vinv_x = np.linalg.solve(v, exposures)  # P x N x K
    info = np.einsum("pnk,pnl->pkl", exposures, vinv_x)
    rhs = np.einsum("pnk,pn->pk", vinv_x, ar)
    info_inv = np.linalg.pinv(info, hermitian=True)  # exactly collinear exposures: flagged below
    estimate = np.einsum("pkl,pl->pk", info_inv, rhs)
    inflation = (nu - 1.0) / (nu - (n - k) - 1.0)
    cov = info_inv * inflation
    wald = np.einsum("pk,pkl,pl->p", estimate, info, estimate) / inflation
    df_f = (k, nu - n + 1)
    p = stats.f.sf(wald / k, *df_f)
    diag = np.einsum("pkk->pk", info)
    scale = np.where(diag > 0, 1.0 / np.sqrt(np.where(diag > 0, diag, 1.0)), 0.0)
    eig = np.linalg.eigvalsh(info * scale[:, :, None] * scale[:, None, :])
    small = eig[:, 0] <= 1e-12 * np.maximum(eig[:, -1], 1e-300)
    condition = np.where(small, np.inf, eig[:, -1] / np.where(small, 1.0, eig[:, 0]))
    # distribution-free reference: the same decomposition of each estimation-window day's
    # residuals, scaled from in-sample (1 - h_l) to out-of-sample (1 + h_0) variance
    h_in = np.einsum("pla,pab,plb->pl", x, xtx_inv, x)
    scaled = resid * np.sqrt((1.0 + h0)[:, None] / (1.0 - h_in))[:, :, None]
    gls = info_inv @ np.swapaxes(vinv_x, 1, 2)  # P x K x N
    window_estimates = np.einsum("pkn,pln->plk", gls, scaled)  # P x L x K
    window_wald = np.einsum("plk,pkm,plm->pl", window_estimates, info, window_estimates) / inflation
    p_free = (1.0 + np.sum(window_wald >= wald[:, None], axis=1)) / (estimation + 1.0)
    return _Sections(ar, exposures, estimate, cov, wald, p, p_free, window_estimates, condition,
                     cov_condition, shrinkage, h0, nu - (n - k), df_f)


# --- the result -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    """One channel: the GLS estimate, its standard error, the distribution-free interval
    (the estimate minus the upper and lower quantiles of the same channel on the reference
    days) and, beside it, the Student-t interval ``interval_t``."""

    name: str
    estimate: float
    se: float
    interval: tuple[float, float]
    interval_t: tuple[float, float]


@dataclass(frozen=True)
class FirmDecomposition:
    ticker: str
    group: str
    ret: float
    ar: float
    fitted: float
    exposures: dict[str, float]
    source: str


@dataclass(frozen=True)
class Placebo:
    days: int
    first: str
    last: str
    rejection_rate: float
    rejection_rate_f: float
    test_level: float
    reference_days: int
    median_condition: float


@dataclass(frozen=True)
class DecompositionResult:
    """The decomposition of the event day, its test and its placebo."""

    event_date: str
    benchmark: str
    factor: str
    estimation_start: str
    estimation_end: str
    level: float
    firms: tuple[FirmDecomposition, ...]
    placebo_names: tuple[str, ...]
    channels: tuple[Channel, ...]
    wald: float
    wald_df: tuple[int, int]
    p_all_zero: float
    p_all_zero_f: float
    condition_number: float
    identified: bool
    identification: str
    covariance_condition: float
    shrinkage: float
    placebo: Placebo
    nvda_benchmark: str
    last_date_used: str
    seconds: float = field(compare=False)
    reference_estimates: np.ndarray | None = field(default=None, repr=False, compare=False)
    """The channels estimated on the reference days before the event (days x channels), each
    out of sample: the sampling distribution of an estimate on a day without the event, from
    which the distribution-free intervals come (a likelihood for the event day's estimate)."""

    def channel_noise(self, name: str) -> np.ndarray:
        """The reference days' estimates of channel ``name``: the noise around its estimate."""
        if self.reference_estimates is None:
            raise JevonsError("decomposition: no reference-day estimates kept")
        return np.asarray(self.reference_estimates)[:, CHANNELS.index(name)]

    def exposure(self, ticker: str, name: str) -> float:
        """Firm ``ticker``'s exposure to channel ``name`` on the event day."""
        return next(f for f in self.firms if f.ticker == ticker).exposures[name]

    def channel(self, name: str) -> Channel:
        return next(c for c in self.channels if c.name == name)

    def calibration_payload(self) -> dict:
        """What ``jevons calibrate --json`` reports under ``event_decomposition``."""
        return {
            "channels": {c.name: {"estimate": c.estimate, "interval": list(c.interval)}
                         for c in self.channels},
            "firms": [f.ticker for f in self.firms],
            "placebo": {"days": self.placebo.days, "rejection_rate": self.placebo.rejection_rate},
            "identified": self.identified,
            "condition_number": self.condition_number,
            "benchmark": self.nvda_benchmark,
        }

    def to_dict(self) -> dict:
        out = to_jsonable(self)
        out.pop("seconds")
        out.pop("reference_estimates", None)
        return out

    def to_json(self) -> str:
        return dumps(self.to_dict())

    def summary(self) -> Summary:
        lvl = self.level
        rows = [
            ("benchmark", self.benchmark),
            ("AI-complex factor", self.factor),
            ("estimation window", f"{self.estimation_start} to {self.estimation_end}"),
            ("firms", ", ".join(f.ticker for f in self.firms)),
            ("placebo names", ", ".join(self.placebo_names) or "none in the price data"),
            ("test that all channels are zero",
             f"W = {self.wald:.2f}; p = {self.p_all_zero:.3g} against the {self.placebo.reference_days} "
             f"days before (distribution-free), p = {self.p_all_zero_f:.2g} against F{self.wald_df}"),
            ("identification", self.identification),
            ("residual covariance", f"condition number {self.covariance_condition:.3g}, "
                                    f"shrinkage {self.shrinkage:.3f}"),
            (f"placebo ({self.placebo.days} days, {self.placebo.first} to {self.placebo.last})",
             f"rejection rate of the {self.placebo.test_level:.0%} test {self.placebo.rejection_rate:.3f} "
             f"(against F: {self.placebo.rejection_rate_f:.3f})"),
            ("benchmark of the NVDA study", self.nvda_benchmark),
        ]
        channels = pd.DataFrame([{
            "channel": c.name, "estimate": f"{100 * c.estimate:.2f}%",
            interval_label("", lvl).strip(", "):
            f"{100 * c.interval[0]:.2f}% to {100 * c.interval[1]:.2f}%",
            "Student t": f"{100 * c.interval_t[0]:.2f}% to {100 * c.interval_t[1]:.2f}%",
            "se": f"{100 * c.se:.2f}%"} for c in self.channels])
        firms = pd.DataFrame([{
            "ticker": f.ticker, "group": f.group, "return": f"{100 * f.ret:.2f}%",
            "AR": f"{100 * f.ar:.2f}%", "fitted": f"{100 * f.fitted:.2f}%",
            **{k: f"{v:.3f}" for k, v in f.exposures.items()}} for f in self.firms])
        sources = pd.DataFrame([{"ticker": f.ticker, "exposure source": f.source} for f in self.firms])
        return Summary.of(f"Cross-sectional decomposition of {self.event_date}", rows,
                          tables=[("channels (effect on the day's return of a unit exposure)", channels),
                                  ("firms", firms), ("exposure sources", sources)],
                          notes=("GLS with the estimation-window residual covariance; intervals and "
                                 "the test are distribution-free, against the same statistics on the "
                                 "reference days before the event (each out of sample); the Student-t "
                                 "interval and F test assume normal shocks and over-reject on the "
                                 "placebo days",))


def reference_p(stat: np.ndarray, reference: int) -> np.ndarray:
    """For each day from position ``reference`` on, the share (with the day itself) of the
    ``reference`` days before it whose statistic is at least as large: ``(1 + count) / (R + 1)``."""
    stat = np.asarray(stat, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(stat[:-1], reference)
    return (1.0 + np.sum(windows >= stat[reference:, None], axis=1)) / (reference + 1.0)


def _identification(condition: float) -> tuple[bool, str]:
    ok = bool(np.isfinite(condition) and condition <= IDENTIFIED_CONDITION)
    verdict = ("the channels are separately identified" if ok else
               "the channels are NOT separately identified with these firms (exposures nearly "
               "collinear): read the channel estimates jointly, not one by one")
    return ok, f"condition number {condition:.1f} (limit {IDENTIFIED_CONDITION:g}): {verdict}"


def decompose(returns: pd.DataFrame, spec: DecompositionSpec) -> DecompositionResult:
    """Decompose ``spec.event_date`` on a frame of aligned simple returns.

    ``returns`` needs a column per firm, :data:`BENCHMARK` and :data:`AI_COMPLEX` (e.g. from
    :func:`load_decomposition_returns`). Rows after the event date are dropped first, so no
    later price can affect the result.
    """
    start = time.perf_counter()
    firms = spec.firms if spec.firms is not None else default_firms(spec.event_date)
    tickers = [f.ticker for f in firms]
    names = [*tickers, BENCHMARK, AI_COMPLEX]
    missing = [t for t in names if t not in returns.columns]
    if missing:
        raise JevonsError("returns have no column for " + ", ".join(missing))
    frame = returns.loc[:, names].dropna()
    frame = frame.loc[: pd.Timestamp(spec.event_date)]  # nothing after day 0 from here on
    win = locate_windows(frame.index, spec.event_date, (0, 0), spec.estimation, spec.gap,
                         source=" and ".join(tickers))
    day0 = win.event_position
    first_placebo = day0 - spec.placebo_days
    ref = spec.reference_days
    need = spec.placebo_days + ref + spec.gap + spec.estimation
    if day0 < need:
        raise DataError(
            f"too short a history for {spec.placebo_days} placebo days: they, their "
            f"{ref} reference days and estimation windows need {need} trading days before "
            f"{spec.event_date}, the common data of the firms have {day0} "
            f"(from {frame.index[0]:%Y-%m-%d})"
        )
    y = frame[tickers].to_numpy(dtype=float)
    market = frame[BENCHMARK].to_numpy(dtype=float)
    factor = frame[AI_COMPLEX].to_numpy(dtype=float) - market
    fixed = np.array([f.fixed for f in firms], dtype=float)
    days = np.arange(first_placebo - ref, day0 + 1)
    s = cross_sections(y, market, factor, days, fixed, spec.estimation, spec.gap)
    ev = -1
    p_ref = reference_p(s.wald, ref)  # one per day from the (R+1)-th on: placebo days, then day 0
    t_q = float(stats.t.ppf(0.5 + spec.level / 2.0, s.df_t))
    se = np.sqrt(np.diagonal(s.cov[ev]))
    tail = (1.0 - spec.level) / 2.0
    q_lo, q_hi = np.quantile(s.estimate[-ref - 1 : -1], [tail, 1.0 - tail], axis=0)
    channels = tuple(
        Channel(name, float(b), float(e), (float(b - hi), float(b - lo)),
                (float(b - t_q * e), float(b + t_q * e)))
        for name, b, e, lo, hi in zip(CHANNELS, s.estimate[ev], se, q_lo, q_hi, strict=True))
    fitted = s.exposures[ev] @ s.estimate[ev]
    rows = tuple(
        FirmDecomposition(f.ticker, f.group, float(y[day0, i]), float(s.ar[ev, i]), float(fitted[i]),
                          {c: float(s.exposures[ev, i, j]) for j, c in enumerate(CHANNELS)},
                          f.source + "; ai_discount_rate: slope on the AI-complex factor, estimation window")
        for i, f in enumerate(firms))
    identified, text = _identification(float(s.condition[ev]))
    placebo_p = p_ref[:-1]
    placebo = Placebo(
        days=int(placebo_p.size),
        first=f"{frame.index[first_placebo]:%Y-%m-%d}",
        last=f"{frame.index[day0 - 1]:%Y-%m-%d}",
        rejection_rate=float(np.mean(placebo_p < TEST_LEVEL)),
        rejection_rate_f=float(np.mean(s.p[ref:-1] < TEST_LEVEL)),
        test_level=TEST_LEVEL,
        reference_days=ref,
        median_condition=float(np.median(s.condition[ref:-1])),
    )
    ex_ai, ex_nvda = bm.derived_benchmark(BENCHMARK), bm.derived_benchmark(bm.EX_NVDA)
    return DecompositionResult(
        event_date=spec.event_date,
        benchmark=f"{BENCHMARK}: {ex_ai.description}",
        factor=f"{AI_COMPLEX} minus {BENCHMARK} (the cap-weighted AI complex over the market without it)",
        estimation_start=f"{win.estimation_dates[0]:%Y-%m-%d}",
        estimation_end=f"{win.estimation_dates[-1]:%Y-%m-%d}",
        level=spec.level,
        firms=rows,
        placebo_names=tuple(f.ticker for f in firms if f.group == "placebo"),
        channels=channels,
        wald=float(s.wald[ev]),
        wald_df=s.df_f,
        p_all_zero=float(p_ref[ev]),
        p_all_zero_f=float(s.p[ev]),
        condition_number=float(s.condition[ev]),
        identified=identified,
        identification=text,
        covariance_condition=float(s.cov_condition[ev]),
        shrinkage=float(s.shrinkage[ev]),
        placebo=placebo,
        nvda_benchmark=f"{bm.EX_NVDA}: {ex_nvda.description}",
        last_date_used=f"{frame.index[day0]:%Y-%m-%d}",
        seconds=time.perf_counter() - start,
        reference_estimates=s.estimate[-ref - 1 : -1].copy(),
    )


def load_decomposition_returns(tickers: Sequence[str], *, end=None, loader=None) -> pd.DataFrame:
    """Returns of ``tickers`` with :data:`BENCHMARK` and :data:`AI_COMPLEX`, up to ``end``."""
    return load_returns((*tickers, BENCHMARK, AI_COMPLEX), end=end, loader=loader)


def decompose_event(spec: DecompositionSpec, *, loader=None) -> DecompositionResult:
    """Load the data (up to the event date) and run :func:`decompose`."""
    firms = spec.firms if spec.firms is not None else default_firms(spec.event_date)
    frame = load_decomposition_returns([f.ticker for f in firms], end=spec.event_date, loader=loader)
    return decompose(frame, DecompositionSpec(spec.event_date, firms, spec.estimation, spec.gap,
                                              spec.placebo_days, spec.level, spec.reference_days))

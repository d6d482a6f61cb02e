"""Abnormal returns of one firm and the tests of their sum.

Notation: ``L`` estimation-window returns with regressors ``X`` (L x k), residual variance
``s^2``; ``n`` event-window days with regressors ``X*`` (n x k). The abnormal returns
``AR = R* - offset* - X* b`` are prediction errors, so (MacKinlay 1997, eq. 7-8, written for any
linear model)

    Var(AR) = s^2 (I + X* (X'X)^{-1} X*')                               (n x n)
    Var(CAR) = 1' Var(AR) 1 = s^2 1'(I + X* (X'X)^{-1} X*')1

For the market model the diagonal is ``s^2 [1 + 1/L + (R_m,t - mean R_m)^2 / sum (R_m - mean)^2]``;
the off-diagonal terms, which the ``(tau2 - tau1 + 1) s^2`` shortcut drops, come from the shared
estimation error in ``b``.

Three tests of ``CAR = 0``:

* **t**: ``CAR / se(CAR)`` against Student's t with ``L - k`` degrees of freedom (exact only with
  normal errors);
* **SQ** (Gelbach, Helland and Klick 2013): the CAR against the empirical distribution of the
  ``M = L - n + 1`` sums of ``n`` consecutive estimation-window residuals;
* **permutation**: the CAR against the sums of every choice of ``n`` days from the pooled
  ``L`` residuals and ``n`` event-window abnormal returns (exchangeability under the null).

Each reports one-sided p-values (``p_lower``: a CAR this low or lower; ``p_upper``: this high or
higher) and the two-sided ``p = min(1, 2 min(p_lower, p_upper))`` (equal tails, no symmetry
assumed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain, combinations

import numpy as np
from scipy import stats

from model.constants import SEED

# Enumerate the permutation distribution exactly while it has at most this many subsets
# (n = 1 and n = 2 with L = 250); beyond, draw this many random subsets instead.
MAX_EXACT_SUBSETS = 100_000
DEFAULT_PERMUTATIONS = 19_999  # p then has a resolution of 1/20,000
MAX_PERMUTATIONS = 1_000_000  # a p resolution of 1e-6 in a few seconds; more only costs time
DEFAULT_SEED = SEED  # fixed, so every run gives the same p
_CHUNK = 2_000  # rows of random keys drawn at once (bounds memory, not the result)


def ar_covariance(sigma2: float, xtx_inv: np.ndarray, event_regressors: np.ndarray) -> np.ndarray:
    """``s^2 (I + X* (X'X)^{-1} X*')``: the covariance of the event-window abnormal returns."""
    event_regressors = np.asarray(event_regressors, dtype=float)
    n = event_regressors.shape[0]
    return sigma2 * (np.eye(n) + event_regressors @ xtx_inv @ event_regressors.T)


def car_variance(sigma2: float, xtx_inv: np.ndarray, event_regressors: np.ndarray) -> float:
    """``s^2 1'(I + X* (X'X)^{-1} X*')1``: the variance of the CAR over the whole window."""
    return float(ar_covariance(sigma2, xtx_inv, event_regressors).sum())


def cumulative_variance(cov: np.ndarray) -> np.ndarray:
    """Variance of the running sum ``AR_1 + ... + AR_t`` for every ``t``: ``1'V[:t, :t]1``."""
    return np.diagonal(np.cumsum(np.cumsum(cov, axis=0), axis=1)).copy()


def two_sided(p_lower: float, p_upper: float) -> float:
    """Equal-tailed two-sided p-value from the two one-sided ones."""
    return float(min(1.0, 2.0 * min(p_lower, p_upper)))


@dataclass(frozen=True)
class TTest:
    """Parametric test of ``CAR = 0``: ``stat = CAR / se`` against t(df)."""

    stat: float
    df: int
    p: float
    p_lower: float
    p_upper: float


def t_test(estimate: float, se: float, df: int) -> TTest:
    stat = float(estimate / se)
    p_lower = float(stats.t.cdf(stat, df))
    p_upper = float(stats.t.sf(stat, df))
    return TTest(stat=stat, df=int(df), p=two_sided(p_lower, p_upper), p_lower=p_lower, p_upper=p_upper)


def t_interval(estimate: float, se: float, df: int, level: float) -> tuple[float, float]:
    """``estimate -/+ t_{df, (1 + confidence)/2} se``."""
    half = float(stats.t.ppf(0.5 + level / 2.0, df)) * se
    return (float(estimate - half), float(estimate + half))


def window_sums(residuals: np.ndarray, length: int) -> np.ndarray:
    """Sums of ``length`` consecutive residuals: ``M = L - length + 1`` overlapping windows."""
    csum = np.concatenate([[0.0], np.cumsum(np.asarray(residuals, dtype=float))])
    return csum[length:] - csum[:-length]


@dataclass(frozen=True)
class SQTest:
    """Gelbach-Helland-Klick sample-quantile test of one CAR.

    ``p_lower`` is the share of the ``n_sums`` estimation-window sums at or below the CAR,
    ``p_upper`` the share at or above it; a p of 0 means the CAR lies beyond every sum (the
    test cannot resolve p below ``1 / n_sums``). ``interval`` inverts the test: CAR minus the
    upper and lower ``(1 - level)/2`` sample quantiles of the sums.
    """

    p: float
    p_lower: float
    p_upper: float
    n_sums: int
    interval: tuple[float, float]


def sq_test(car: float, residuals: np.ndarray, length: int, level: float = 0.95) -> SQTest:
    """SQ test: compare ``car`` with the sums of ``length`` consecutive estimation residuals."""
    sums = window_sums(residuals, length)
    p_lower = float(np.mean(sums <= car))
    p_upper = float(np.mean(sums >= car))
    tail = (1.0 - level) / 2.0
    q_lo, q_hi = np.quantile(sums, [tail, 1.0 - tail])
    return SQTest(
        p=two_sided(p_lower, p_upper),
        p_lower=p_lower,
        p_upper=p_upper,
        n_sums=int(sums.size),
        interval=(float(car - q_hi), float(car - q_lo)),
    )


@dataclass(frozen=True)
class PermutationTest:
    """Permutation test of the event-window sum.

    ``method`` is ``"exact"`` (all ``n_permutations`` subsets of ``n`` days out of ``L + n``,
    the observed one included) or ``"monte-carlo"`` (``n_permutations`` random subsets drawn
    with numpy's default generator seeded by ``seed``; p = (1 + count) / (1 + n_permutations)).
    """

    p: float
    p_lower: float
    p_upper: float
    n_permutations: int
    method: str
    seed: int | None


def _subset_sums_exact(pool: np.ndarray, n: int) -> np.ndarray:
    m = pool.size
    count = math.comb(m, n)
    flat = np.fromiter(chain.from_iterable(combinations(range(m), n)), dtype=np.intp, count=count * n)
    return pool[flat.reshape(count, n)].sum(axis=1)


def _subset_sums_random(pool: np.ndarray, n: int, draws: int, seed: int) -> np.ndarray:
    # The n smallest of m i.i.d. uniform keys index a uniformly random n-subset.
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for start in range(0, draws, _CHUNK):
        rows = min(_CHUNK, draws - start)
        keys = rng.random((rows, pool.size))
        chosen = np.argpartition(keys, n - 1, axis=1)[:, :n]
        out[start : start + rows] = pool[chosen].sum(axis=1)
    return out


def permutation_test(
    event_ar: np.ndarray,
    residuals: np.ndarray,
    *,
    n_permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    max_exact: int = MAX_EXACT_SUBSETS,
) -> PermutationTest:
    """Permutation p-value of ``sum(event_ar)`` against the pooled residuals.

    Under the null of no event effect (and exchangeable daily shocks) the ``n`` event-window
    abnormal returns are a random ``n``-subset of the pool of ``L + n`` values. The p-values
    are exact when the number of subsets is at most ``max_exact``; otherwise they are estimated
    from ``n_permutations`` random subsets with a fixed ``seed``, so the result is reproducible.
    """
    event_ar = np.asarray(event_ar, dtype=float)
    pool = np.concatenate([np.asarray(residuals, dtype=float), event_ar])
    n = event_ar.size
    observed = float(event_ar.sum())
    # Sums are compared with a tolerance relative to their scale, so that subsets that add up
    # to the observed sum in exact arithmetic are not split by rounding.
    tol = 1e-12 * float(np.abs(pool).sum())
    if math.comb(pool.size, n) <= max_exact:
        sums = _subset_sums_exact(pool, n)
        p_lower = float(np.mean(sums <= observed + tol))
        p_upper = float(np.mean(sums >= observed - tol))
        return PermutationTest(
            p=two_sided(p_lower, p_upper),
            p_lower=p_lower,
            p_upper=p_upper,
            n_permutations=int(sums.size),
            method="exact",
            seed=None,
        )
    sums = _subset_sums_random(pool, n, n_permutations, seed)
    p_lower = float((1 + np.count_nonzero(sums <= observed + tol)) / (1 + n_permutations))
    p_upper = float((1 + np.count_nonzero(sums >= observed - tol)) / (1 + n_permutations))
    return PermutationTest(
        p=two_sided(p_lower, p_upper),
        p_lower=p_lower,
        p_upper=p_upper,
        n_permutations=int(n_permutations),
        method="monte-carlo",
        seed=int(seed),
    )

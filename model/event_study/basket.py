"""Tests for a basket of firms that share one event date.

Inputs are per-firm arrays of equal length ``N`` (one entry per firm). With ``SCAR_i = CAR_i /
se(CAR_i)`` (each firm's CAR standardised by its own prediction-error standard deviation, see
:mod:`model.event_study.single`):

* **cross-sectional t** (Brown and Warner 1985): ``mean(CAR) / (sd(CAR) / sqrt(N))``, t(N - 1);
* **Patell (1976)**: ``sum SCAR_i / sqrt(sum df_i / (df_i - 2))``, N(0, 1); each SCAR_i is
  t(df_i), whose variance is ``df_i / (df_i - 2)``;
* **BMP** (Boehmer, Musumeci and Poulsen 1991): ``mean(SCAR) / (sd(SCAR) / sqrt(N))``, t(N - 1);
  robust to an event-induced change in variance;
* **Kolari-Pynnonen (2010)**: with one event date the residuals are cross-correlated and the
  two statistics above overstate significance; with ``rbar`` the average correlation of the
  estimation-window residuals over pairs ``i != j``, they are multiplied by
  ``sqrt((1 - rbar) / (1 + (N - 1) rbar))`` (BMP) and ``sqrt(1 / (1 + (N - 1) rbar))``
  (Patell);
* **sign test**: the number of positive CARs against Binomial(N, 1/2);
* **generalized sign** (Cowan 1992): the number of positive CARs against Binomial(N, p_hat),
  ``p_hat`` the share of positive abnormal returns in the estimation window;
* **Corrado (1989) rank test** in the Corrado-Zivney form: ranks of each firm's abnormal returns
  over estimation and event window together, scaled to ``U = K / (M + 1) - 1/2``; with
  ``u_t`` the cross-sectional mean on day ``t`` and ``S_U = sqrt(mean_t u_t^2)`` over all
  ``M`` days, ``T = sum_{t in window} u_t / (sqrt(n) S_U)``, N(0, 1) (Cowan 1992 for n > 1).

The sign, generalized-sign and rank tests, like the cross-sectional t, take the firms as
independent; only the Kolari-Pynnonen statistics correct for the common event date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from model.event_study.single import two_sided


@dataclass(frozen=True)
class BasketTest:
    """One basket statistic: its value, reference distribution and p-values."""

    stat: float
    p: float
    p_lower: float
    p_upper: float
    distribution: str


def _normal(stat: float) -> BasketTest:
    p_lower, p_upper = float(stats.norm.cdf(stat)), float(stats.norm.sf(stat))
    return BasketTest(float(stat), two_sided(p_lower, p_upper), p_lower, p_upper, "N(0,1)")


def _student(stat: float, df: int) -> BasketTest:
    p_lower, p_upper = float(stats.t.cdf(stat, df)), float(stats.t.sf(stat, df))
    return BasketTest(float(stat), two_sided(p_lower, p_upper), p_lower, p_upper, f"t({df})")


def _binomial(count: int, n: int, prob: float, what: str) -> BasketTest:
    """Exact binomial test of ``count`` successes; ``stat`` is the normal-approximation z."""
    p_lower = float(stats.binom.cdf(count, n, prob))
    p_upper = float(stats.binom.sf(count - 1, n, prob))
    z = (count - n * prob) / np.sqrt(n * prob * (1.0 - prob))
    return BasketTest(
        float(z), two_sided(p_lower, p_upper), p_lower, p_upper, f"Binomial({n}, {prob:.4g}) of {what}"
    )


@dataclass(frozen=True)
class CrossSection:
    """Mean CAR across firms with its standard error and confidence interval."""

    mean: float
    se: float
    interval: tuple[float, float]
    test: BasketTest


def cross_sectional_t(car: np.ndarray, level: float = 0.95) -> CrossSection:
    car = np.asarray(car, dtype=float)
    n = car.size
    mean = float(car.mean())
    se = float(car.std(ddof=1) / np.sqrt(n))
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * se
    return CrossSection(mean, se, (mean - half, mean + half), _student(mean / se, n - 1))


def patell(scar: np.ndarray, df: np.ndarray) -> BasketTest:
    scar = np.asarray(scar, dtype=float)
    df = np.asarray(df, dtype=float)
    return _normal(float(scar.sum() / np.sqrt(np.sum(df / (df - 2.0)))))


def bmp(scar: np.ndarray) -> BasketTest:
    scar = np.asarray(scar, dtype=float)
    n = scar.size
    return _student(float(scar.mean() / (scar.std(ddof=1) / np.sqrt(n))), n - 1)


def mean_residual_correlation(residuals: np.ndarray) -> float:
    """Average pairwise correlation of the rows of ``residuals`` (N x L), pairs ``i != j`` only."""
    corr = np.corrcoef(np.asarray(residuals, dtype=float))
    n = corr.shape[0]
    return float((corr.sum() - np.trace(corr)) / (n * (n - 1)))


def kolari_pynnonen_bmp(scar: np.ndarray, rbar: float) -> BasketTest:
    scar = np.asarray(scar, dtype=float)
    n = scar.size
    raw = bmp(scar).stat
    return _student(raw * np.sqrt((1.0 - rbar) / (1.0 + (n - 1) * rbar)), n - 1)


def kolari_pynnonen_patell(scar: np.ndarray, df: np.ndarray, rbar: float) -> BasketTest:
    n = np.asarray(scar).size
    return _normal(patell(scar, df).stat * np.sqrt(1.0 / (1.0 + (n - 1) * rbar)))


def sign_test(car: np.ndarray) -> BasketTest:
    """Number of *positive* CARs against Binomial(N, 1/2); a low count is a negative reaction."""
    car = np.asarray(car, dtype=float)
    return _binomial(int(np.sum(car > 0)), car.size, 0.5, "positive CARs")


def positive_share(estimation_residuals: np.ndarray) -> float:
    """Cowan's p_hat: the average over firms of each firm's share of positive residuals."""
    return float(np.mean(np.mean(np.asarray(estimation_residuals) > 0, axis=1)))


def generalized_sign_test(car: np.ndarray, estimation_residuals: np.ndarray) -> BasketTest:
    """Number of *positive* CARs against Binomial(N, p_hat) (Cowan 1992)."""
    car = np.asarray(car, dtype=float)
    prob = positive_share(estimation_residuals)
    return _binomial(int(np.sum(car > 0)), car.size, prob, "positive CARs")


def corrado_rank_test(abnormal: np.ndarray, event_days: np.ndarray) -> BasketTest:
    """Corrado-Zivney rank test over the event-window days.

    Parameters
    ----------
    abnormal : ndarray, shape (N, M)
        Each firm's abnormal returns on all ``M`` days: estimation-window residuals followed by
        the event-window abnormal returns.
    event_days : ndarray of bool, shape (M,)
        True on the event-window days.
    """
    abnormal = np.asarray(abnormal, dtype=float)
    event_days = np.asarray(event_days, dtype=bool)
    m = abnormal.shape[1]
    u = stats.rankdata(abnormal, axis=1) / (m + 1.0) - 0.5
    u_bar = u.mean(axis=0)
    s_u = np.sqrt(np.mean(u_bar**2))
    n = int(event_days.sum())
    return _normal(float(u_bar[event_days].sum() / (np.sqrt(n) * s_u)))


def kolari_pynnonen_bmp_factor(rbar, n: int):
    """The Kolari-Pynnonen scaling of BMP's t: ``sqrt((1 - rbar) / (1 + (N - 1) rbar))``."""
    rbar = np.asarray(rbar, dtype=float)
    return np.sqrt((1.0 - rbar) / (1.0 + (n - 1) * rbar))


def bmp_critical_value(n: int, level: float = 0.05) -> float:
    """The two-sided critical value of the BMP (and Kolari-Pynnonen BMP) t for ``n`` firms:
    the ``1 - level/2`` quantile of t(N - 1)."""
    return float(stats.t.ppf(1.0 - level / 2.0, n - 1))


def kolari_pynnonen_critical_correlation(bmp_stat: float, n: int, level: float = 0.05) -> float:
    """The average residual correlation at which the Kolari-Pynnonen BMP test of a basket of
    ``n`` firms with raw BMP statistic ``bmp_stat`` stops rejecting at ``level`` (two-sided).

    Solves ``|t_BMP| sqrt((1 - r) / (1 + (N - 1) r)) = t_{N-1, 1 - level/2}``; the left side
    falls from ``|t_BMP|`` at r = 0 to 0 at r = 1, so the root is unique. Returns 0 when the raw
    statistic does not reject at all.
    """
    critical = bmp_critical_value(n, level)
    if abs(bmp_stat) <= critical:
        return 0.0
    # closed form of the equation above: (1 - r) / (1 + (N - 1) r) = q
    q = (critical / abs(bmp_stat)) ** 2
    return float((1.0 - q) / (1.0 + (n - 1) * q))

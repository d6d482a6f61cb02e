"""Normal-return models, estimated by OLS (statsmodels) on the estimation window.

Every model is written as ``R_t = offset_t + x_t' b + e_t`` with ``e_t`` i.i.d. (0, s^2) in the
estimation window, so one set of formulas (the abnormal-return covariance in
:mod:`model.event_study.single`) serves all of them:

=================  =============  ==========================  =====================================
model              offset_t       regressors x_t              source
=================  =============  ==========================  =====================================
market             0              1, R_m,t                    MacKinlay (1997), section 4.1.2
market-adjusted    R_m,t          none (alpha=0, beta=1)      MacKinlay (1997), section 4.1.3
constant-mean      0              1                           MacKinlay (1997), section 4.1.1
two-factor         0              1, R_m,t, R_f,t             multi-factor model, MacKinlay 4.1.3
=================  =============  ==========================  =====================================

``R_f`` is a sector factor (by default the iShares Semiconductor ETF, SOXX). The residual
variance is ``s^2 = SSR / (L - k)`` with ``k`` estimated coefficients (``k = 0`` for the
market-adjusted model, whose coefficients are imposed, not estimated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.regression.linear_model import OLS

from model.errors import DataError, JevonsError

MODELS = ("market", "market-adjusted", "constant-mean", "two-factor")
FACTOR_MODELS = ("two-factor",)

_PARAM_NAMES = {
    "market": ("alpha", "beta"),
    "market-adjusted": (),
    "constant-mean": ("alpha",),
    "two-factor": ("alpha", "beta", "beta_factor"),
}


def check_model(name: str) -> str:
    """Return ``name`` if it is a known model, else raise a one-line JevonsError."""
    if name not in MODELS:
        raise JevonsError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)}")
    return name


def design(name: str, market: np.ndarray, factor: np.ndarray | None = None):
    """The offset and regressor matrix of model ``name`` for the given returns.

    Returns
    -------
    offset : ndarray, shape (n,)
    regressors : ndarray, shape (n, k)
    """
    check_model(name)
    market = np.asarray(market, dtype=float)
    n = market.shape[0]
    ones = np.ones((n, 1))
    if name == "market":
        return np.zeros(n), np.column_stack([ones, market])
    if name == "market-adjusted":
        return market.copy(), np.empty((n, 0))
    if name == "constant-mean":
        return np.zeros(n), ones
    if factor is None:
        raise JevonsError("the two-factor model needs a factor return series (e.g. SOXX)")
    return np.zeros(n), np.column_stack([ones, market, np.asarray(factor, dtype=float)])


@dataclass(frozen=True)
class FittedModel:
    """A normal-return model estimated on the estimation window.

    Attributes
    ----------
    name : str
        One of :data:`MODELS`.
    param_names : tuple of str
        Names of the estimated coefficients (empty for the market-adjusted model).
    params, param_se : ndarray, shape (k,)
        OLS estimates and their standard errors.
    param_interval : ndarray, shape (k, 2)
        Confidence intervals of the coefficients (t distribution, ``df`` degrees of freedom).
    sigma2 : float
        Residual variance ``s^2 = SSR / df``.
    df : int
        Residual degrees of freedom ``L - k``.
    xtx_inv : ndarray, shape (k, k)
        ``(X'X)^{-1}`` of the estimation-window regressors.
    residuals : ndarray, shape (L,)
        Estimation-window residuals (in sample).
    r_squared : float or None
        R^2 of the regression (None when nothing is regressed on a market return).
    level : float
        Level of ``param_interval``.
    """

    name: str
    param_names: tuple[str, ...]
    params: np.ndarray
    param_se: np.ndarray
    param_interval: np.ndarray
    sigma2: float
    df: int
    xtx_inv: np.ndarray
    residuals: np.ndarray
    r_squared: float | None
    level: float

    @property
    def sigma(self) -> float:
        return float(np.sqrt(self.sigma2))

    def sigma_interval(self) -> tuple[float, float]:
        """Confidence interval of ``s`` from ``df s^2 / sigma^2 ~ chi^2(df)`` (normal errors)."""
        tail = (1.0 - self.level) / 2.0
        hi_q, lo_q = stats.chi2.ppf([1.0 - tail, tail], self.df)
        return (
            float(np.sqrt(self.df * self.sigma2 / hi_q)),
            float(np.sqrt(self.df * self.sigma2 / lo_q)),
        )

    def param(self, name: str) -> float | None:
        """An estimated coefficient by name, or None when the model has no such coefficient."""
        if name in self.param_names:
            return float(self.params[self.param_names.index(name)])
        return None

    def expected(self, market: np.ndarray, factor: np.ndarray | None = None) -> np.ndarray:
        """Normal (expected) returns ``offset + X b`` on the given days."""
        offset, regressors = design(self.name, market, factor)
        return offset + regressors @ self.params


def fit_normal_model(
    name: str,
    firm: np.ndarray,
    market: np.ndarray,
    factor: np.ndarray | None = None,
    *,
    level: float = 0.95,
) -> FittedModel:
    """Estimate normal-return model ``name`` on estimation-window returns.

    Parameters
    ----------
    name : str
        One of :data:`MODELS`.
    firm, market : ndarray, shape (L,)
        Estimation-window simple returns of the firm and the market benchmark.
    factor : ndarray, shape (L,), optional
        Factor returns (two-factor model only).
    level : float
        Level of the coefficient intervals.

    Raises
    ------
    DataError
        If the regressors are collinear or the residual variance is zero (for example when the
        firm *is* the benchmark), since no test can then be computed.
    """
    firm = np.asarray(firm, dtype=float)
    offset, regressors = design(name, market, factor)
    y = firm - offset
    n, k = regressors.shape
    if k:
        if np.linalg.matrix_rank(regressors) < k:
            raise DataError(
                f"{name} model: the regressors are collinear in the estimation window "
                "(is the firm, the benchmark or the factor the same series?)"
            )
        fit = OLS(y, regressors).fit()
        params = np.asarray(fit.params, dtype=float)
        param_se = np.asarray(fit.bse, dtype=float)
        param_interval = np.asarray(fit.conf_int(alpha=1.0 - level), dtype=float)
        sigma2 = float(fit.scale)
        df = int(round(fit.df_resid))
        xtx_inv = np.asarray(fit.normalized_cov_params, dtype=float)
        residuals = np.asarray(fit.resid, dtype=float)
        r_squared = None if name == "constant-mean" else float(fit.rsquared)
    else:
        params = param_se = np.empty(0)
        param_interval = np.empty((0, 2))
        residuals = y
        df = n
        sigma2 = float(residuals @ residuals / df)
        xtx_inv = np.empty((0, 0))
        r_squared = None
    # An exact fit (up to rounding) leaves no residual risk to test against.
    if not sigma2 > 1e-20 * float(np.mean(y**2)):
        raise DataError(
            f"{name} model: the residual variance is zero in the estimation window "
            "(is the firm the benchmark or the factor?)"
        )
    return FittedModel(
        name=name,
        param_names=_PARAM_NAMES[name],
        params=params,
        param_se=param_se,
        param_interval=param_interval,
        sigma2=sigma2,
        df=df,
        xtx_inv=xtx_inv,
        residuals=residuals,
        r_squared=r_squared,
        level=level,
    )

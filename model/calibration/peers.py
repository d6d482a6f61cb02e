"""The market-implied elasticity from Nvidia's same-day peers, so the estimate does not rest on
one stock.

Each peer's exposure to AI-compute news is measured before the event, as the slope b_i of its
market-model residuals on Nvidia's over the estimation window (statsmodels OLS): a peer that
moved 0.4% for each 1% of Nvidia-specific news before the event is assumed to do so on the day.
On the event day the common news component, in units of Nvidia's own exposure, is estimated by
a regression through the origin of the peers' abnormal returns on their exposures,

    AR_i = b_i F + u_i,   F_hat = sum b_i AR_i / sum b_i^2,

which uses the peers' event-day moves only (Nvidia's own abnormal return does not enter). F_hat
is an "Nvidia-equivalent" abnormal return and is inverted with Nvidia's valuation link. Its noise
is the same statistic computed on every estimation-window day from the peers' residuals: this
keeps the cross-correlation of the peers' returns (clustered event date) in the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from model.calibration.inputs import check_as_of
from model.constants import EVENT_DATE
from model.errors import JevonsError
from model.event_study import (
    EventStudySpec,
    fit_normal_model,
    get_basket,
    load_returns,
    locate_windows,
)

# The peers whose business is power and data-center buildings rather than chips (Oracle rents
# out GPU capacity in data centers it builds): their event-day fall was about power demand as
# much as about Nvidia's news (the chapter "What the market priced").
POWER_AND_INFRASTRUCTURE = ("VST", "CEG", "VRT", "ORCL")


@dataclass(frozen=True)
class PeerEvidence:
    """Exposures, event-day abnormal returns and the pooled Nvidia-equivalent news move."""

    table: pd.DataFrame  # one row per peer: exposure, exposure_se, abnormal_return, implied_move
    common_move: float  # F_hat
    common_move_noise: np.ndarray  # F_hat computed on each estimation-window day
    anchor: str

    def move_interval(self, level: float = 0.95) -> tuple[float, float]:
        """The central ``level`` interval of the pooled move: ``F_hat`` minus the upper and
        lower quantiles of the ordinary-day noise."""
        low, high = np.quantile(self.common_move_noise, [(1 - level) / 2, (1 + level) / 2])
        return self.common_move - high, self.common_move - low


def peer_evidence(as_of, basket: str = "deepseek", anchor: str = "NVDA",
                  benchmark: str = "SPY") -> PeerEvidence:
    """Exposures and the pooled news move of a basket's peers, with prices up to ``as_of``."""
    stamp = check_as_of(as_of)
    peers = [t for t in get_basket(basket).tickers if t != anchor]
    if len(peers) < 2:
        raise JevonsError(f"basket {basket!r} has fewer than 2 peers besides {anchor}")
    spec = EventStudySpec(EVENT_DATE, benchmark=benchmark)
    names = [anchor, *peers, benchmark]
    returns = load_returns(names, end=stamp).loc[:, names].dropna()
    windows = locate_windows(returns.index, spec.event_date, spec.window, spec.estimation, spec.gap,
                             source=", ".join(names))
    est = returns.loc[windows.estimation_dates]
    event = returns.loc[windows.event_dates]

    def residuals_and_ar(ticker: str) -> tuple[np.ndarray, float]:
        fitted = fit_normal_model("market", est[ticker].to_numpy(), est[benchmark].to_numpy())
        expected = fitted.expected(event[benchmark].to_numpy())
        return fitted.residuals, float(event[ticker].to_numpy()[0] - expected[0])

    anchor_resid, _ = residuals_and_ar(anchor)
    rows, peer_resid = [], []
    for ticker in peers:  # a handful of firms; each is one small regression
        resid, ar = residuals_and_ar(ticker)
        ols = sm.OLS(resid, anchor_resid).fit()  # no constant: residuals have mean zero
        b, se = float(ols.params[0]), float(ols.bse[0])
        rows.append({"ticker": ticker, "exposure": b, "exposure_se": se, "abnormal_return": ar,
                     "implied_move": ar / b if b > 0 else np.nan})
        peer_resid.append(resid)
    table = pd.DataFrame(rows).set_index("ticker")
    b = table["exposure"].to_numpy()
    if np.sum(b**2) <= 0 or np.all(b <= 0):
        raise JevonsError(f"basket {basket!r}: no peer co-moves with {anchor} before the event")
    move = pooled_move(table)
    noise = (b @ np.vstack(peer_resid)) / np.sum(b**2)  # the same estimator on ordinary days
    return PeerEvidence(table, move, noise, anchor)



def pooled_move(table: pd.DataFrame, tickers=None) -> float:
    """The pooled Nvidia-equivalent move ``F_hat = sum b_i AR_i / sum b_i^2`` of the peers
    ``tickers`` (default: every row of ``table``), by OLS through the origin of their
    ``abnormal_return`` on their ``exposure``: the estimator of :func:`peer_evidence`."""
    rows = table if tickers is None else table.loc[list(tickers)]
    return float(sm.OLS(rows["abnormal_return"].to_numpy(), rows["exposure"].to_numpy()).fit().params[0])


def peer_weights(table: pd.DataFrame) -> pd.Series:
    """Each peer's weight ``b_i^2 / sum b_j^2`` in the pooled move (they sum to one)."""
    squared = table["exposure"] ** 2
    return squared / squared.sum()


def peer_contributions(table: pd.DataFrame) -> pd.Series:
    """Each peer's term ``b_i AR_i / sum b_j^2`` of the pooled move (they sum to ``F_hat``)."""
    return table["exposure"] * table["abnormal_return"] / (table["exposure"] ** 2).sum()


def largest_and_smallest(table: pd.DataFrame, tickers, column: str) -> dict[str, str]:
    """The tickers among ``tickers`` with the largest and the smallest ``column``:
    ``{"largest": ..., "smallest": ...}``."""
    values = table.loc[list(tickers), column]
    return {"largest": values.idxmax(), "smallest": values.idxmin()}

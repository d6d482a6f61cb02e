"""How much of a benchmark's move is the firm's own?

A firm with index weight ``w`` contributes ``w R_i`` to the index return ``R_m``. The return of
the rest of the index is

    R_m^{(-i)} = (R_m - w R_i) / (1 - w),

the benchmark an event study would use if the firm were not in it. For a very large firm on
the day of its own news (Nvidia on 27 January 2025), the abnormal return against ``R_m`` is
partly measured against the firm itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.facts import fact
from model.errors import DataError, JevonsError


def contribution(firm_return, weight):
    """The firm's contribution ``w R_i`` to the index return."""
    return np.asarray(weight, dtype=float) * np.asarray(firm_return, dtype=float)


def benchmark_without(market_return, firm_return, weight):
    """Return of the index without the firm: ``(R_m - w R_i) / (1 - w)``.

    Parameters
    ----------
    market_return, firm_return : float or ndarray
        Simple returns over the same period.
    weight : float or ndarray
        The firm's weight in the index at the start of the period, in ``[0, 1)``.
    """
    weight = np.asarray(weight, dtype=float)
    if np.any((weight < 0) | (weight >= 1)):
        raise ValueError("weight must lie in [0, 1)")
    return (np.asarray(market_return, dtype=float) - contribution(firm_return, weight)) / (1.0 - weight)


def abnormal_return_without(firm_return, market_return, weight, alpha, beta):
    """The market-model abnormal return against the index without the firm:
    ``R_i - alpha - beta R_m^{(-i)}``, with the same ``alpha`` and ``beta``."""
    return (np.asarray(firm_return, dtype=float) - alpha
            - beta * benchmark_without(market_return, firm_return, weight))


# --- benchmarks free of the event ----------------------------------------------------------
#
# A derived benchmark is named ``MARKET-EX-NVDA`` (the S&P 500 without Nvidia), ``MARKET-EX-AI``
# (without the AI complex) or ``MARKET-AI`` (the AI complex alone, cap-weighted), with MARKET
# one of SPY (the S&P 500 ETF, total return; the default) or GSPC (the index level). Weights are
# index weights at the 24 January 2025 close (the "before" weight of the facts), carried to
# every other day by relative performance: a constituent's weight at the start of day t is
# ``w_a (P_i,t-1 / P_i,a) / (P_m,t-1 / P_m,a)`` with ``a`` the anchor day and ``P`` cumulated
# returns. This ignores share issuance, buybacks and index rebalancing between t and the anchor.

NVDA_WEIGHT_FACT = "nvda_sp500_weight_before_2025_01_27"
ANCHOR_DATE = "2025-01-24"  # the close the "before" weight refers to: the last one before 27 January
INDEX_MARKETS = ("SPY", "GSPC")  # the S&P 500 (ETF, index level): the index the weights are of
EX_NVDA = "SPY-EX-NVDA"
EX_AI = "SPY-EX-AI"
DEFAULT_BENCHMARK = EX_NVDA

# Weights (percent of the S&P 500 at the 24 January 2025 close) of the AI complex among the
# index's constituents. Nvidia's is the curated fact; the others are an ASSUMPTION: the
# project's rounded estimates of float-adjusted market value over an index value of about
# 50 USD tn (3.5 tn / 6.96%, both facts), not in the facts tables. TSM, ASML and VRT are not
# S&P 500 constituents and carry no weight. GOOGL and GOOG are Alphabet's two share classes.
AI_COMPLEX_WEIGHTS_PCT = {
    "MSFT": 6.3, "AMZN": 4.2, "META": 2.9, "GOOGL": 2.1, "GOOG": 1.7, "AVGO": 2.3,
    "ORCL": 0.9, "AMD": 0.4, "MU": 0.2, "CEG": 0.2, "VST": 0.1, "SMCI": 0.04,
}
AI_WEIGHTS_SOURCE = ("assumption: rounded float-adjusted market values at the 24 January 2025 "
                     "close over an index value of about 50 USD tn (not in the facts tables)")


@dataclass(frozen=True)
class DerivedBenchmark:
    """A benchmark built from an index and some of its constituents.

    ``kind`` is ``"ex"`` (the index without ``weights``' firms) or ``"only"`` (those firms
    alone, cap-weighted). ``weights`` are fractions at the anchor close.
    """

    name: str
    market: str
    kind: str
    weights: Mapping[str, float]
    description: str

    @property
    def components(self) -> tuple[str, ...]:
        return (self.market, *self.weights)


def nvda_weight(as_of=None) -> float:
    """Nvidia's S&P 500 weight before 27 January 2025 (fraction), from the facts."""
    return float(fact(NVDA_WEIGHT_FACT, as_of)["value"]) / 100.0


def derived_benchmark(name: str) -> DerivedBenchmark | None:
    """The definition of a derived benchmark name, None for an ordinary ticker."""
    text = str(name).upper()
    suffix = next((s for s in ("-EX-NVDA", "-EX-AI", "-AI") if text.endswith(s)), None)
    if suffix is None:
        return None
    market, kind = text[: -len(suffix)], ("only" if suffix == "-AI" else "ex")
    if market not in INDEX_MARKETS:
        raise JevonsError(
            f"benchmark {name!r}: the constituents' weights are S&P 500 weights; the index "
            f"part must be one of {', '.join(INDEX_MARKETS)} (e.g. {EX_NVDA}, {EX_AI})"
        )
    weights = {"NVDA": nvda_weight()}
    if suffix != "-EX-NVDA":
        weights.update({t: w / 100.0 for t, w in AI_COMPLEX_WEIGHTS_PCT.items()})
    what = "Nvidia" if suffix == "-EX-NVDA" else "the AI complex"
    desc = (f"{market} without {what}" if kind == "ex" else f"the AI complex of {market}, cap-weighted")
    source = (f"NVDA {100 * weights['NVDA']:.2f}% ({NVDA_WEIGHT_FACT})"
              + ("" if suffix == "-EX-NVDA" else f"; others {AI_WEIGHTS_SOURCE}"))
    return DerivedBenchmark(text, market, kind, weights, f"{desc}; weights at the {ANCHOR_DATE} "
                            f"close drifted by relative returns; {source}")


def components(name: str) -> tuple[str, ...]:
    """The tickers whose returns ``name`` needs (itself for an ordinary ticker)."""
    spec = derived_benchmark(name)
    return (str(name),) if spec is None else spec.components


def drifted_weights(returns: np.ndarray, market: np.ndarray, anchor_weights: np.ndarray,
                    anchor: int) -> np.ndarray:
    """Weights at the start of each day (T x k) from weights at the close of day ``anchor``.

    ``returns`` is T x k (constituents), ``market`` length T; the weight at the start of day
    ``t`` is ``w_a G_i(t - 1) / G_m(t - 1)`` with ``G`` the gross return from the anchor close to
    the close of day ``t - 1`` (below one going back in time).
    """
    log_f = np.log1p(np.asarray(returns, dtype=float))
    log_m = np.log1p(np.asarray(market, dtype=float))
    rel = np.cumsum(log_f - log_m[:, None], axis=0)  # level after each close, up to a constant
    level_start = np.vstack([np.zeros((1, rel.shape[1])), rel[:-1]])  # level at each day's start
    anchor_level = rel[anchor]
    return np.asarray(anchor_weights, dtype=float) * np.exp(level_start - anchor_level)


def add_derived(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """``frame`` (aligned simple returns) with a column for each derived benchmark in ``names``.

    Raises
    ------
    DataError
        When the frame lacks a component or the anchor day (the weights are known at its close).
    """
    out = frame.copy()
    for name in dict.fromkeys(names):
        spec = derived_benchmark(name)
        if spec is None:
            continue
        missing = [t for t in spec.components if t not in frame.columns]
        if missing:
            raise DataError(f"benchmark {spec.name}: returns have no column for {', '.join(missing)}")
        anchor_day = pd.Timestamp(ANCHOR_DATE)
        if anchor_day not in frame.index:
            raise DataError(f"benchmark {spec.name}: the weights are as of the {ANCHOR_DATE} close, "
                            "which is not a trading day of the returns")
        tickers = list(spec.weights)
        firm = frame[tickers].to_numpy(dtype=float)
        market = frame[spec.market].to_numpy(dtype=float)
        w = drifted_weights(firm, market, np.array([spec.weights[t] for t in tickers]),
                            int(frame.index.get_loc(anchor_day)))
        total = w.sum(axis=1)
        inside = (w * firm).sum(axis=1)
        values = (market - inside) / (1.0 - total) if spec.kind == "ex" else inside / total
        out[spec.name] = values
    return out

"""One event study run several ways: over several windows, under every normal-return model,
and across the firms of several baskets (the book's tables and cross-section)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import pandas as pd

from model.event_study.baskets import Basket
from model.event_study.result import EventStudyResult
from model.event_study.study import EventStudySpec, study_ticker


def study_windows(ticker: str, windows: Mapping[str, tuple[int, int]],
                  spec: EventStudySpec, *, loader=None) -> dict[str, EventStudyResult]:
    """The event study of ``ticker`` for each labelled event window (other settings from
    ``spec``; each window gets its own estimation window), in the order given."""
    return {label: study_ticker(ticker, dataclasses.replace(spec, window=window), loader=loader)
            for label, window in windows.items()}


def study_models(ticker: str, models: Iterable[str], spec: EventStudySpec, *,
                 loader=None) -> dict[str, EventStudyResult]:
    """The event study of ``ticker`` under each normal-return model (other settings from
    ``spec``), in the order given."""
    return {model: study_ticker(ticker, dataclasses.replace(spec, model=model), loader=loader)
            for model in models}


def first_day_cross_section(baskets: Iterable[Basket], spec: EventStudySpec, *,
                            loader=None) -> pd.DataFrame:
    """The first event-window day of every firm of ``baskets``, each with its own study.

    One row per (basket, ticker) in basket order, with the basket's label as ``category`` and
    returns as fractions: ``return``, ``beta``, ``expected``, ``ar``, ``ci_low``, ``ci_high``,
    ``t``, and the CAR tests' ``sq_p``, ``sq_sums`` and ``perm_p``.
    """
    rows = []
    for basket in baskets:
        for ticker in basket.tickers:  # a few dozen firms; each is its own regression
            r = study_ticker(ticker, spec, loader=loader)
            d = r.abnormal_returns[0]
            rows.append({"category": basket.label, "ticker": ticker, "return": d.ret,
                         "beta": r.estimation.beta, "expected": d.expected, "ar": d.ar,
                         "ci_low": d.interval[0], "ci_high": d.interval[1], "t": d.t,
                         "sq_p": r.tests.sq.p, "sq_sums": r.tests.sq.n_sums,
                         "perm_p": r.tests.permutation.p})
    return pd.DataFrame(rows)

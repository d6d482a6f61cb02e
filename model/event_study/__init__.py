"""Event studies of a price reaction: abnormal returns, CARs and their tests.

The standard design (MacKinlay 1997) with the estimation-error-corrected variance, the
single-firm sample-quantile test of Gelbach, Helland and Klick (2013), a permutation test, and
the usual basket statistics (cross-sectional t, Patell, BMP, Kolari-Pynnonen, sign, generalized
sign, Corrado rank). See the book chapter "27 January 2025: what the market said".

>>> from model.event_study import EventStudySpec, study_ticker
>>> result = study_ticker("NVDA", EventStudySpec("2025-01-27"))     # doctest: +SKIP
>>> result.car, result.tests.sq.p                                      # doctest: +SKIP
"""

from model.event_study.baskets import Basket, get_basket, load_baskets
from model.event_study.benchmark import DEFAULT_BENCHMARK, EX_AI, EX_NVDA
from model.event_study.decompose import (
    DecompositionResult,
    DecompositionSpec,
    decompose,
    decompose_event,
)
from model.event_study.models import MODELS, FittedModel, fit_normal_model
from model.event_study.recovery import car_recovery, close_recovery
from model.event_study.result import BasketResult, EventStudyResult
from model.event_study.returns import aligned_prices, aligned_returns, simple_returns
from model.event_study.study import (
    EventStudySpec,
    basket_study,
    estimation_fit,
    event_study,
    load_returns,
    study_basket,
    study_ticker,
)
from model.event_study.windows import EventWindows, locate_windows

__all__ = [
    "DEFAULT_BENCHMARK",
    "EX_AI",
    "EX_NVDA",
    "DecompositionResult",
    "DecompositionSpec",
    "decompose",
    "decompose_event",
    "MODELS",
    "Basket",
    "BasketResult",
    "EventStudyResult",
    "EventStudySpec",
    "EventWindows",
    "FittedModel",
    "aligned_prices",
    "aligned_returns",
    "basket_study",
    "car_recovery",
    "close_recovery",
    "estimation_fit",
    "event_study",
    "fit_normal_model",
    "get_basket",
    "load_baskets",
    "load_returns",
    "locate_windows",
    "simple_returns",
    "study_basket",
    "study_ticker",
]

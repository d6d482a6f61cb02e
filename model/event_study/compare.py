"""One firm's abnormal return under every benchmark, the event-free default first.

For Nvidia on 27 January 2025 the benchmark matters: SPY fell partly because Nvidia, 6.96% of
the index, fell. :func:`compare_benchmarks` runs the same event study against each benchmark
and reports the day-0 abnormal return and the CAR over the window beside each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from model.event_study import benchmark as bm
from model.event_study.study import EventStudySpec, study_ticker
from model.summary import Summary, interval_label

BENCHMARKS = (bm.EX_NVDA, "SPY", "GSPC-EX-NVDA", "GSPC", bm.EX_AI, "QQQ")


@dataclass(frozen=True)
class BenchmarkRow:
    benchmark: str
    description: str
    beta: float | None
    ar0: float
    ar0_interval: tuple[float, float]
    car: float
    car_interval: tuple[float, float]


@dataclass(frozen=True)
class BenchmarkComparison:
    ticker: str
    event_date: str
    window: tuple[int, int]
    level: float
    default: str
    rows: tuple[BenchmarkRow, ...]

    def row(self, benchmark: str) -> BenchmarkRow:
        return next(r for r in self.rows if r.benchmark == benchmark)

    def summary(self) -> Summary:
        lab = interval_label("", self.level).strip(", ")
        table = pd.DataFrame([{
            "benchmark": r.benchmark + (" (default)" if r.benchmark == self.default else ""),
            "beta": "" if r.beta is None else f"{r.beta:.2f}", "AR day 0": f"{100 * r.ar0:.2f}%",
            f"AR {lab}": f"{100 * r.ar0_interval[0]:.2f}% to {100 * r.ar0_interval[1]:.2f}%",
            f"CAR [{self.window[0]}, {self.window[1]}]": f"{100 * r.car:.2f}%",
            f"CAR {lab}": f"{100 * r.car_interval[0]:.2f}% to {100 * r.car_interval[1]:.2f}%",
        } for r in self.rows])
        notes = tuple(f"{r.benchmark}: {r.description}" for r in self.rows if r.description)
        return Summary.of(f"{self.ticker} on {self.event_date} under each benchmark",
                          [("event window", f"[{self.window[0]}, {self.window[1]}]")],
                          tables=[("abnormal returns", table)], notes=notes)


def compare_benchmarks(ticker: str = "NVDA", spec: EventStudySpec | None = None,
                       benchmarks: Sequence[str] = BENCHMARKS, *, loader=None) -> BenchmarkComparison:
    """The event study of ``ticker`` under ``spec`` (default: 27 January 2025, window [0, 1])
    against each of ``benchmarks``."""
    spec = EventStudySpec("2025-01-27", window=(0, 1)) if spec is None else spec
    rows = []
    for name in benchmarks:  # a handful of studies
        r = study_ticker(ticker, dataclasses.replace(spec, benchmark=name), loader=loader)
        derived = bm.derived_benchmark(name)
        day0 = next(d for d in r.abnormal_returns if d.day == 0) if spec.window[0] <= 0 else r.abnormal_returns[0]
        rows.append(BenchmarkRow(r.benchmark, derived.description if derived else "", r.estimation.beta,
                                 day0.ar, day0.interval, r.car, r.car_interval))
    return BenchmarkComparison(ticker, spec.event_date, spec.window, spec.level, bm.DEFAULT_BENCHMARK,
                               tuple(rows))

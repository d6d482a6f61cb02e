"""Benchmark: engine throughput against a naive per-draw loop, a whole 10^6-draw CLI run, and the
cold and cached book build times.

    python scripts/benchmark.py            # engine, per-draw loop and CLI run (about a minute)
    python scripts/benchmark.py --book     # also the cold and cached book builds (minutes)

Throughput is in scenario-years per second: draws x years simulated per second of wall time.
The best of several repeats is reported, since other processes on the machine add noise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from model.engine.params import Params, Segment, Shock
from model.engine.simulation import simulate

PROJECT = Path(__file__).resolve().parents[1]


def monte_carlo_params(n: int, seed: int = 0) -> Params:
    """The montecarlo scenario's uncertain parameters, drawn directly (DeepSeek shock + trends)."""
    rng = np.random.default_rng(seed)
    return Params(
        hardware_doubling_years=rng.normal(2.46, 0.12, n),
        segments=(
            Segment("all", 1.0, rng.lognormal(np.log(1.1), 0.3, n), rng.lognormal(np.log(0.67), 0.263, n), 0.0),
        ),
        shocks=(Shock(2025.07, rng.lognormal(np.log(11.0), 0.5, n), rng.uniform(0.3, 1.0, n), 1.0),),
    )


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_engine(n: int = 10**6, repeats: int = 3) -> float:
    params = monte_carlo_params(n)
    years = params.years.size
    seconds = best_of(repeats, lambda: simulate(params))
    rate = n * years / seconds
    print(f"engine, vectorised : {n:>9,d} draws x {years} years in {seconds:6.3f} s  "
          f"= {rate:14,.0f} scenario-years/s")
    return rate


def bench_loop(n: int = 300) -> float:
    """The same model run one draw at a time (what the engine replaces)."""
    params = monte_carlo_params(n)
    seg, shock = params.segments[0], params.shocks[0]

    def loop():
        for i in range(n):
            one = Params(
                hardware_doubling_years=float(params.hardware_doubling_years[i]),
                segments=(Segment("all", 1.0, float(seg.elasticity[i]), float(seg.efficiency_doubling_years[i]), 0.0),),
                shocks=(Shock(2025.07, float(shock.factor[i]), float(shock.coverage[i]), 1.0),),
            )
            simulate(one)

    years = params.years.size
    seconds = best_of(2, loop)
    rate = n * years / seconds
    print(f"engine, per draw   : {n:>9,d} draws x {years} years in {seconds:6.3f} s  "
          f"= {rate:14,.0f} scenario-years/s")
    return rate


def bench_cli(draws: int = 10**6) -> float:
    """A whole process: start Python, load, sample, simulate, summarise, write summary.csv."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "model", "run", "montecarlo", "--draws", str(draws),
               "--summary-only", "--out", out]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"cli run failed ({proc.returncode}): {proc.stderr.strip()}")
        return float("nan")
    print(f"jevons run montecarlo --draws {draws:,d} --summary-only: {seconds:6.2f} s (whole process)")
    return seconds


def bench_book() -> tuple[float, float]:
    build = PROJECT / "book" / "_build"
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", "-W", "-n", "--keep-going", str(PROJECT / "book")]
    env = dict(os.environ)
    shutil.rmtree(build, ignore_errors=True)
    timings = []
    for label in ("cold", "cached"):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT, env=env)
        seconds = time.perf_counter() - start
        status = "ok" if proc.returncode == 0 else f"FAILED ({proc.returncode})"
        print(f"book build, {label:6s}: {seconds:7.1f} s  {status}")
        timings.append(seconds)
    return timings[0], timings[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", action="store_true", help="also time cold and cached book builds")
    parser.add_argument("--draws", type=int, default=10**6)
    args = parser.parse_args()
    fast = bench_engine(args.draws)
    slow = bench_loop()
    print(f"speed-up of the vectorised engine over the per-draw loop: {fast / slow:,.0f}x")
    bench_cli(args.draws)
    if args.book:
        bench_book()
    return 0


if __name__ == "__main__":
    sys.exit(main())

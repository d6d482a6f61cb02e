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

from model.engine.params import Params, Segment, Shock, Supply
from model.engine.simulation import simulate

PROJECT = Path(__file__).resolve().parents[1]


FORMS = ("isoelastic", "saturating", "budget-share")
SUPPLIES = ("elastic", "upward-sloping")


def monte_carlo_params(n: int, seed: int = 0, form: str = "isoelastic", supply: str = "elastic") -> Params:
    """The montecarlo scenario's uncertain parameters, drawn directly (DeepSeek shock + trends),
    with the demand curve ``form`` and the supply form ``supply`` (elasticity 1, no expansion)."""
    rng = np.random.default_rng(seed)
    eps = rng.lognormal(np.log(1.1), 0.09, n)
    return Params(
        hardware_doubling_years=rng.normal(2.46, 0.12, n),
        segments=(
            Segment("all", 1.0, eps, rng.lognormal(np.log(0.67), 0.263, n), 0.0, form=form, substitution=eps),
        ),
        shocks=(Shock(2025.07, rng.lognormal(np.log(11.0), 0.5, n), rng.uniform(0.3, 1.0, n), 1.0),),
        supply=Supply(supply, 1.0, 0.0),
    )


def bench_forms(n: int = 2 * 10**5, repeats: int = 3) -> dict[tuple[str, str], float]:
    """Scenario-years per second for every demand form and supply form (the same draws)."""
    rates = {}
    for form in FORMS:
        for supply in SUPPLIES:
            params = monte_carlo_params(n, form=form, supply=supply)
            seconds = best_of(repeats, lambda p=params: simulate(p))
            rates[form, supply] = n * params.years.size / seconds
    base = rates["isoelastic", "elastic"]
    for (form, supply), rate in rates.items():
        print(f"engine, {form:12s} demand, {supply:14s} supply: {rate:14,.0f} scenario-years/s "
              f"({base / rate:4.2f}x the isoelastic, elastic time)")
    return rates


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


def bench_cli(draws: int = 10**6, extra: tuple[str, ...] = ()) -> float:
    """A whole process: start Python, load, sample, simulate, summarise, write summary.csv."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "model", "run", "montecarlo", "--draws", str(draws),
               "--summary-only", "--out", out, *extra]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"cli run failed ({proc.returncode}): {proc.stderr.strip()}")
        return float("nan")
    label = " (isoelastic)" if extra else ""
    print(f"jevons run montecarlo{label} --draws {draws:,d} --summary-only: {seconds:6.2f} s (whole process)")
    return seconds


ISOELASTIC_MC = ["--set", "demand.form=isoelastic",
                 "--set", 'demand.elasticity={ dist = "lognormal", median = 1.1, sigma = 0.09 }']

# What the CLI run does, as the shortest plain-numpy script: draw the montecarlo's inputs, compute
# the same nine isoelastic outputs for 12 years with the mixture of adopters, write the same mean
# and 5/25/50/75/95% quantiles per variable and year.
PLAIN_NUMPY = """
import sys, numpy as np
n = int(sys.argv[1]); rng = np.random.default_rng(0)
t = np.arange(12.0); mid = t + 0.5 - 1.07
hw = rng.normal(2.46, 0.12, n)[:, None]; alg = rng.lognormal(np.log(0.67), 0.263, n)[:, None]
eps = rng.lognormal(np.log(1.1), 0.09, n)[:, None]; s = rng.lognormal(np.log(11.0), 0.5, n)[:, None]
phi = rng.uniform(0.3, 1.0, n)[:, None]
w = np.clip((1 / (1 + np.exp(-np.log(99) * (mid - 1.0))) - 0.01) / 0.98, 0, 1) * (mid > 0)
log_c = -t * np.log(2) / hw; log_p = log_c - t * np.log(2) / alg
cost = np.exp(log_c); mix = 1 - phi * w
spend = 223.0 * np.exp((1 - eps) * log_p) * (mix + phi * w * s ** (eps - 1))
useful = np.exp(-eps * log_p) * (mix + phi * w * s ** eps)
flop = spend / cost
outputs = {"compute_spend": spend, "flop_demand": flop, "price_per_useful_work": spend / useful,
           "useful_work": useful, "cost_per_flop": cost * np.ones((n, 1)),
           "useful_work_per_flop": 223.0 * useful / flop, "nvidia_dc_revenue": 0.48 * spend}
rows = []
for name, x in outputs.items():
    x = np.ascontiguousarray(x.T)
    q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1, overwrite_input=False)
    rows.append(np.column_stack([x.mean(axis=1), q.T]))
rows += [np.tile([[0.8] * 6], (12, 1)), np.tile([[0.62] * 6], (12, 1))]  # share, margin: constants
np.savetxt(sys.argv[2], np.vstack(rows), delimiter=",", header="mean,p05,p25,p50,p75,p95")
"""


def bench_plain_numpy(draws: int = 10**6) -> float:
    """The plain-numpy script above, as a whole process."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PLAIN_NUMPY, str(draws), f"{out}/q.csv"],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"plain numpy failed: {proc.stderr.strip()}")
        return float("nan")
    print(f"plain numpy script, {draws:,d} draws x 12 years, quantiles to CSV: {seconds:6.2f} s (whole process)")
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
    bench_forms()
    bench_cli(args.draws)
    cli = bench_cli(args.draws, tuple(ISOELASTIC_MC))
    plain = bench_plain_numpy(args.draws)
    print(f"the isoelastic CLI run takes {cli / plain:4.2f}x the plain-numpy script")
    if args.book:
        bench_book()
    return 0


if __name__ == "__main__":
    sys.exit(main())

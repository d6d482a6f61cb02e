"""``jevons event`` through the real command line: output contract and every bad input."""

from __future__ import annotations

import json
import re

import pytest
from conftest import assert_one_line_error, run_cli

OFFLINE = {"JEVONS_OFFLINE": "1"}


def event(*args: str):
    return run_cli("event", *args, env=OFFLINE)


def test_nvda_json_has_the_contract_and_is_deterministic(mirror):
    first = event("NVDA", "--date", "2025-01-27", "--json", "--benchmark", "SPY")
    assert first.returncode == 0, first.stderr
    payload = json.loads(first.stdout)
    assert payload["ticker"] == "NVDA" and payload["benchmark"] == "SPY"
    assert payload["event_date"] == "2025-01-27" and payload["model"] == "market"
    assert payload["window"] == [0, 0]
    est = payload["estimation"]
    assert (est["start"], est["end"], est["n"]) == ("2024-01-11", "2025-01-08", 250)
    assert est["beta"] == pytest.approx(2.672, abs=1e-3)
    assert est["alpha"] is not None and est["sigma"] > 0
    (day0,) = payload["abnormal_returns"]
    assert day0["date"] == "2025-01-27" and day0["day"] == 0
    assert day0["return"] == pytest.approx(-0.1697, abs=5e-5)
    assert day0["ar"] == pytest.approx(day0["return"] - day0["expected"])
    assert payload["car"] == pytest.approx(day0["ar"])
    assert payload["car_ci"][0] < payload["car"] < payload["car_ci"][1] < 0
    tests = payload["tests"]
    assert tests["t"]["stat"] < -4 and tests["t"]["p"] < 1e-4
    assert tests["sq"]["p"] == 0.0 and tests["sq"]["n_sums"] == 250
    assert tests["permutation"]["p"] == pytest.approx(2 / 251)
    second = event("NVDA", "--date", "2025-01-27", "--json", "--benchmark", "SPY")
    assert second.stdout == first.stdout


def test_negative_window_start_and_other_models(mirror):
    for args in (
        ["--window", "-1,5"],
        ["--window=-1,5", "--model", "two-factor", "--factor", "SMH"],
        ["--model", "market-adjusted"],
        ["--model", "constant-mean", "--estimation", "120", "--gap", "0"],
    ):
        result = event("NVDA", "--date", "2025-01-27", "--json", *args)
        assert result.returncode == 0, (args, result.stderr)
        payload = json.loads(result.stdout)
        assert payload["abnormal_returns"][0]["date"] <= "2025-01-27"
    assert json.loads(event("NVDA", "--date", "2025-01-27", "--window", "-1,5", "--json").stdout)[
        "window"
    ] == [-1, 5]


def test_readable_table(mirror):
    result = event("NVDA", "--date", "2025-01-27", "--window", "0,1")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^event window +\[0, 1\]", result.stdout, re.M) and "SQ test" in result.stdout
    assert "2025-01-28" in result.stdout


def test_basket_json(mirror):
    result = event("--basket", "hyperscalers", "--date", "2025-01-27", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["tickers"] == ["MSFT", "GOOGL", "AMZN", "META"]
    assert len(payload["firms"]) == 4
    assert set(payload["tests"]) >= {"patell", "bmp", "kolari_pynnonen_bmp", "corrado_rank"}
    table = event("--basket", "deepseek", "--date", "2025-01-27")
    assert table.returncode == 0 and "Kolari-Pynnonen" in table.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["NVDA", "--date", "2025-01-25"], ["2025-01-25 is not a trading day", "2025-01-24"]),
        (["NVDA", "--date", "2025-01-09"], ["2025-01-09 is not a trading day"]),
        (["NVDA", "--date", "2025-01-27", "--window", "0,2000"], ["leaves", "2026-05-14"]),
        (["NVDA", "--date", "2019-06-03", "--window=-20,0"], ["leaves"]),
        (["NVDA", "--date", "2025-01-27", "--estimation", "5000"], ["too short a history", "5000"]),
        (["NVDA", "--date", "2020-03-16"], ["too short a history"]),
        (["NVDA", "--date", "2025-01-27", "--estimation", "10"], ["too short"]),
        (["NVDA", "--date", "2025-01-27", "--window", "0;1"], ["--window", "A,B"]),
        (["NVDA", "--date", "2025-01-27", "--window", "1"], ["--window", "A,B"]),
        (["NVDA", "--date", "2025-01-27", "--window", "5,1"], ["--window", "A must not"]),
        (["NVDA", "--date", "2025-01-27", "--gap", "-1"], ["gap -1"]),
        (["NVDA", "--date", "2025-13-01"], ["not a date", "YYYY-MM-DD"]),
        (["NVDA", "--date", "2025-01-27", "--model", "fama-french"], ["--model", "market"]),
        (["NVDA", "--date", "2025-01-27", "--model", "two-factor", "--factor", "SPY",
          "--benchmark", "SPY"], ["factor"]),
        (["NOSUCHTICKER", "--date", "2025-01-27"], ["NOSUCHTICKER"]),
        (["NVDA", "--date", "2025-01-27", "--benchmark", "NOSUCHINDEX"], ["NOSUCHINDEX"]),
        (["SPY", "--date", "2025-01-27", "--benchmark", "SPY"], ["SPY is the benchmark"]),
        (["--basket", "nonesuch", "--date", "2025-01-27"], ["unknown basket", "deepseek"]),
        (["--basket", "memory", "--date", "2025-01-27"], ["at least 2"]),
        (["--date", "2025-01-27"], ["TICKER or --basket"]),
        (["NVDA", "--basket", "deepseek", "--date", "2025-01-27"], ["exactly one"]),
        (["NVDA"], ["--date"]),
    ],
)
def test_bad_input_is_a_one_line_error(mirror, args, fragments):
    assert_one_line_error(event(*args), *fragments)


def test_cli_defaults_are_the_library_defaults():
    from model.cli import build_parser, cmd_event
    from model.event_study import MODELS, EventStudySpec

    assert cmd_event.MODEL_NAMES == MODELS
    assert cmd_event.DEFAULT_BENCHMARK == EventStudySpec("2025-01-27").benchmark == "SPY-EX-NVDA"
    args = build_parser().parse_args(["event", "NVDA", "--date", "2025-01-27"])
    spec = EventStudySpec("2025-01-27")
    assert (args.model, args.benchmark, args.factor) == (spec.model, spec.benchmark, spec.factor)
    assert (args.estimation, args.gap) == (spec.estimation, spec.gap)
    assert (args.permutations, args.seed) == (spec.n_permutations, spec.seed)
    assert cmd_event.parse_window(args.window) == spec.window
    assert cmd_event.parse_window(" -1 , 5 ") == (-1, 5)

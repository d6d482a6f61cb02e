"""The facts stated after the 2025-02-10 cutoff (issue 10): dated inside the data window, invisible
to an as-of-cutoff fit, quarterly series complete and on the right periods, guidance vintages in
date order, derived rows equal to their formulas, and the SEC XBRL agreements the notes claim."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil

import pandas as pd
import pytest

from model.data.facts import fact_value, load_facts, load_statements
from model.paths import FACTS_DIR

CUTOFF = "2025-02-10"
LAST_DATA_DATE = "2026-03-31"

# Each hyperscaler's 2025 capex by calendar quarter: id pattern (the quarter's number is the one
# group) and the words every row's note uses for the company's definition.
SERIES = {
    "MSFT": (r"capex_fy20(?:25_q[34]|26_q[12])_microsoft_incl_leases", "finance leases"),
    "META": (r"capex_2025_q([1-4])_meta", "principal payments on finance leases"),
    "GOOGL": (r"capex_2025_q([1-4])_alphabet", "purchases of property and equipment"),
    "AMZN": (r"capex_2025_q([1-4])_amazon_gross", "purchases of property and equipment"),
}
# Full-year 2025 plans of each company, oldest first (id prefix; Microsoft's plan is fiscal).
VINTAGES = {
    "Meta": "capex_guidance_2025_meta", "Alphabet": "capex_guidance_2025_alphabet",
    "Amazon": "capex_guidance_2025_amazon",
}
XBRL_FILE = "other/hyperscaler_capex_sec_xbrl_quarterly.csv"
XBRL_TICKER = {"alphabet": "GOOG", "amazon": "AMZN", "microsoft": "MSFT"}


# --- small pure checks over a facts frame (each returns the problems it finds) ----------------


def date_problems(facts: pd.DataFrame, last: str = LAST_DATA_DATE) -> list[str]:
    """Rows dated after the last data date."""
    late = facts[facts["as_of"] > pd.Timestamp(last)]
    return [f"{r.id}: as_of {r.as_of:%Y-%m-%d} is after {last}" for r in late.itertuples()]


def _calendar_quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _nvidia_quarter(fy: int, q: int) -> tuple[dt.date, dt.date]:
    """Nvidia's fiscal quarters end on the last Sunday of April, July, October and January."""
    ends = [_last_sunday(fy - 1, 1), _last_sunday(fy - 1, 4), _last_sunday(fy - 1, 7),
            _last_sunday(fy - 1, 10), _last_sunday(fy, 1)]
    return ends[q - 1] + dt.timedelta(days=1), ends[q]


def expected_period(fact_id: str) -> tuple[dt.date, dt.date] | None:
    """The period a quarter (or Nvidia fiscal year) id names; None for other ids."""
    if m := re.match(r"nvda_.*_fy(\d{4})_q([1-4])(?:_|$)", fact_id):
        return _nvidia_quarter(int(m[1]), int(m[2]))
    if m := re.match(r"nvda_.*_fy(\d{4})(?:_|$)", fact_id):
        fy = int(m[1])
        return _last_sunday(fy - 1, 1) + dt.timedelta(days=1), _last_sunday(fy, 1)
    if m := re.match(r"capex_(?:guidance_|consensus_)?fy(\d{4})_q([1-4])_microsoft", fact_id):
        fy, q = int(m[1]), int(m[2])  # fiscal year to June: Q1 is July-September of fy - 1
        return _calendar_quarter(fy - 1 if q <= 2 else fy, (q + 1) % 4 + 1)
    if m := re.match(r"\w+?_(20\d\d)_q([1-4])(?:_|$)", fact_id):
        return _calendar_quarter(int(m[1]), int(m[2]))
    return None


def period_problems(facts: pd.DataFrame) -> list[str]:
    """Quarter rows whose period is missing (capex and Nvidia flows) or is not the named quarter."""
    out = []
    for r in facts.itertuples():
        want = expected_period(r.id)
        if want is None:
            continue
        if pd.isna(r.period_start):
            if r.id.startswith(("capex_", "nvda_")):
                out.append(f"{r.id}: no period_start/period_end")
            continue
        got = (r.period_start.date(), r.period_end.date())
        if got != want:
            out.append(f"{r.id}: period {got[0]}..{got[1]}, the id names {want[0]}..{want[1]}")
    return out


def vintage_problems(facts: pd.DataFrame, prefix: str) -> list[str]:
    """A company's full-year 2025 plans must appear in file order with non-decreasing as_of, the
    two ends of a range on the same day, and more than one vintage."""
    rows = facts[facts["id"].str.startswith(prefix) & (facts["period_start"] == "2025-01-01")
                 & (facts["period_end"] == "2025-12-31")].sort_values(["file", "line"])
    dates = list(rows["as_of"])
    out = [f"{prefix}: {b:%Y-%m-%d} listed after {a:%Y-%m-%d}" for a, b in zip(dates, dates[1:], strict=False) if b < a]
    if len(set(dates)) < 2:
        out.append(f"{prefix}: only {len(set(dates))} vintage(s)")
    ids = set(rows["id"])
    for low in (i for i in ids if i.endswith("_low")):
        high = low[:-4] + "_high"
        if high not in ids or rows.set_index("id").loc[low, "as_of"] != rows.set_index("id").loc[high, "as_of"]:
            out.append(f"{low}: no {high} on the same day")
    return out


def _raw_rows(directory):
    for path in sorted(directory.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            yield from ((path.name, row) for row in csv.DictReader(handle))


def _copy_without_later_rows(source, target, cutoff=CUTOFF):
    """A copy of the tables keeping only the rows dated on or before ``cutoff``."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.md"))
    for path in sorted(target.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, kept = reader.fieldnames, [r for r in reader if r["as_of"] <= cutoff]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["line"]).sort_values("id").reset_index(drop=True)


# --- the real tables ---------------------------------------------------------------------------


def test_every_row_is_dated_on_or_before_the_last_data_date():
    assert date_problems(load_facts()) == []
    assert (load_statements()["as_of"] <= pd.Timestamp(LAST_DATA_DATE)).all()
    later = load_facts()[load_facts()["as_of"] > pd.Timestamp(CUTOFF)]
    assert len(later) >= 150  # the after-cutoff rows exist


def test_the_as_of_filter_matches_an_independent_reading_of_the_csv_files():
    raw = {row["id"] for _, row in _raw_rows(FACTS_DIR) if "value" in row and row["as_of"] <= CUTOFF}
    assert set(load_facts(CUTOFF)["id"]) == raw
    raw_statements = {row["id"] for name, row in _raw_rows(FACTS_DIR)
                      if name == "statements.csv" and row["as_of"] <= CUTOFF}
    assert set(load_statements(CUTOFF)["id"]) == raw_statements


def test_removing_the_later_rows_leaves_the_cutoff_view_unchanged(tmp_path):
    _copy_without_later_rows(FACTS_DIR, tmp_path / "facts")
    pd.testing.assert_frame_equal(_comparable(load_facts(CUTOFF, directory=tmp_path / "facts")),
                                  _comparable(load_facts(CUTOFF)))
    pd.testing.assert_frame_equal(_comparable(load_statements(CUTOFF, directory=tmp_path / "facts")),
                                  _comparable(load_statements(CUTOFF)))
    assert len(load_facts(directory=tmp_path / "facts")) < len(load_facts())


@pytest.mark.parametrize("company", sorted(SERIES))
def test_each_hyperscaler_has_its_2025_quarters_with_the_definition(company):
    pattern, definition = SERIES[company]
    facts = load_facts()
    rows = facts[facts["id"].str.fullmatch(pattern) & facts["used"]]
    quarters = sorted((r.period_start.month - 1) // 3 + 1 for r in rows.itertuples()
                      if r.period_start.year == 2025)
    assert quarters == [1, 2, 3, 4], rows[["id", "period_start"]]
    assert all(definition in note.lower() for note in rows["note"].str.lower()), rows["note"].tolist()
    assert (rows["as_of"] > rows["period_end"]).all()
    assert (rows["as_of"] > pd.Timestamp(CUTOFF)).all()


def test_quarter_rows_span_their_quarter():
    problems = period_problems(load_facts())
    assert problems == []
    assert sum(expected_period(i) is not None for i in load_facts()["id"]) >= 60


@pytest.mark.parametrize("company", sorted(VINTAGES))
def test_2025_guidance_vintages_are_in_date_order(company):
    assert vintage_problems(load_facts(), VINTAGES[company]) == []


def test_microsoft_plan_precedes_its_outcome_and_amazon_plans_rise():
    facts = load_facts().set_index("id")
    assert facts.loc["capex_guidance_fy2025_microsoft", "as_of"] < facts.loc["capex_fy2025_microsoft_incl_leases", "as_of"]
    plans = [fact_value(i) for i in ("capex_guidance_2025_amazon", "capex_guidance_2025_amazon_2025_07_31",
                                     "capex_guidance_2025_amazon_2025_10_30")]
    assert plans == sorted(plans)


def test_a_vintage_is_invisible_before_its_date():
    assert "capex_guidance_2025_alphabet_2025_07_23" not in set(load_facts("2025-07-22")["id"])
    assert fact_value("capex_guidance_2025_alphabet_2025_07_23", "2025-07-23") == 85
    assert "nvda_dc_revenue_fy2026" not in set(load_facts("2026-02-24")["id"])


def _evaluate(formula: str, values: pd.Series) -> float | None:
    """A derived row's formula over ids and numbers; None when it has words besides ids."""
    expr = formula.removeprefix("derived:").strip()
    tokens = re.findall(r"[a-z][a-z0-9_]*|\d+(?:\.\d+)?|[-+*/()]|\S", expr)
    if any(t[0].isalpha() and t not in values.index for t in tokens):
        return None
    return float(eval("".join(str(values[t]) if t[0].isalpha() else t for t in tokens), {}, {}))


def test_derived_rows_after_the_cutoff_match_their_formula():
    facts = load_facts()
    values = facts.set_index("id")["value"]
    derived = facts[(facts["basis"] == "derived") & (facts["as_of"] > pd.Timestamp(CUTOFF))]
    checked = 0
    for r in derived.itertuples():
        result = _evaluate(r.source, values)
        if result is not None:
            assert r.value == pytest.approx(result, abs=0.006), r.id
            checked += 1
    assert checked >= 15
    # the two whose formula names figures not in the tables
    assert fact_value("capex_2025_alphabet") == pytest.approx(164.7 - 73.3)
    assert fact_value("capex_2025_q4_alphabet") == pytest.approx(52.4 - 24.6)


def test_series_add_up_to_their_years():
    v = fact_value
    assert sum(v(f"capex_2025_q{q}_meta") for q in range(1, 5)) == pytest.approx(v("capex_2025_meta"), abs=0.02)
    assert sum(v(f"nvda_dc_revenue_fy2026_q{q}") for q in range(1, 5)) == pytest.approx(v("nvda_dc_revenue_fy2026"), abs=0.05)
    assert sum(v(f"nvda_revenue_fy2026_q{q}") for q in range(1, 5)) == pytest.approx(v("nvda_revenue_fy2026"), abs=0.1)
    assert sum(v(f"nvda_dc_revenue_fy2025_q{q}") for q in range(1, 5)) == pytest.approx(v("nvda_dc_revenue_fy2025"), abs=0.1)


def test_notes_that_cite_the_sec_xbrl_file_agree_with_it(mirror):
    xbrl = pd.read_csv(mirror / XBRL_FILE).set_index(["ticker", "year", "quarter"])["payments_usd"] / 1e9
    facts = load_facts()
    checked = 0
    for r in facts[facts["as_of"] > pd.Timestamp(CUTOFF)].itertuples():
        m = re.search(r"SEC XBRL file has ([\d.]+) bn \(agrees", r.note)
        if not m:
            continue
        firm = next(k for k in XBRL_TICKER if k in r.id)
        key = (XBRL_TICKER[firm], r.period_start.year, (r.period_start.month - 1) // 3 + 1)
        assert round(xbrl[key], 3) == float(m[1]), r.id
        assert abs(r.value - xbrl[key]) <= 0.05, r.id
        checked += 1
    assert checked >= 7


def test_weak_sources_are_labelled():
    facts = load_facts().set_index("id")
    for fid in ("h100_rental_price_2025_10", "h100_rental_price_1yr_2026_03", "stargate_abilene_gpus_end_2025",
                "llm_price_gpt35_level_2024_10"):
        assert "WEAK" in facts.loc[fid, "note"], fid


def test_conflicting_close_keeps_both_rows(mirror, monkeypatch):
    from model.data import load_prices

    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    facts = load_facts().set_index("id")
    variant = facts.loc["nvda_close_2025_10_29_stockwaves"]
    assert not variant["used"] and variant["variant_of"] == "nvda_close_2025_10_29"
    close = load_prices("NVDA", "2025-06-25", "2025-10-29")["Close"].round(2)
    for day in ("2025-06-25", "2025-07-09", "2025-07-10", "2025-09-30", "2025-10-29"):
        assert close[day] == fact_value(f"nvda_close_{day.replace('-', '_')}"), day
    assert close["2025-10-29"] != variant["value"]


# --- the checks fail on damaged copies --------------------------------------------------------


def test_the_checks_catch_a_late_row_a_wrong_period_and_an_unordered_vintage():
    facts = load_facts()
    bad = facts.copy()
    i = bad.index[bad["id"] == "capex_2025_q2_meta"][0]
    bad.loc[i, "as_of"] = pd.Timestamp("2026-04-01")
    bad.loc[i, "period_end"] = pd.Timestamp("2025-07-31")
    assert date_problems(bad) == ["capex_2025_q2_meta: as_of 2026-04-01 is after 2026-03-31"]
    assert period_problems(bad) == ["capex_2025_q2_meta: period 2025-04-01..2025-07-31, the id names 2025-04-01..2025-06-30"]
    j = bad.index[bad["id"] == "capex_guidance_2025_meta_2025_07_30_low"][0]
    bad.loc[j, "line"] = 1_000  # listed after the October vintage
    assert vintage_problems(bad, "capex_guidance_2025_meta")[0].startswith("capex_guidance_2025_meta: 2025-07-30 listed after")
    k = bad.index[bad["id"] == "nvda_dc_revenue_fy2026_q3"][0]
    bad.loc[k, "period_start"] = pd.NaT
    assert "nvda_dc_revenue_fy2026_q3: no period_start/period_end" in period_problems(bad)


def test_the_period_rules():
    assert expected_period("capex_fy2026_q1_microsoft_incl_leases") == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert expected_period("capex_fy2025_q3_microsoft") == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert expected_period("nvda_revenue_fy2027_q1") == (dt.date(2026, 1, 26), dt.date(2026, 4, 26))
    assert expected_period("nvda_revenue_fy2026") == (dt.date(2025, 1, 27), dt.date(2026, 1, 25))
    assert expected_period("capex_2025_q4_amazon_gross") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert expected_period("capex_2025_meta") is None


def test_a_row_dated_on_the_cutoff_changes_the_cutoff_view(tmp_path):
    target = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    path = target / "capex.csv"
    path.write_text(path.read_text().replace("capex_2025_q1_meta,13.69,USD bn,2025-04-30",
                                             f"capex_2025_q1_meta,13.69,USD bn,{CUTOFF}", 1))
    assert "capex_2025_q1_meta" in set(load_facts(CUTOFF, directory=target)["id"])
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(_comparable(load_facts(CUTOFF, directory=target)),
                                      _comparable(load_facts(CUTOFF)))

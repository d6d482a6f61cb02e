"""Capex-implied elasticity: recovery in the identified direction (and not along the ridge), the
as-of guarantee, the real plans, bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_DIR, assert_one_line_error, run_cli

from model.calibration import capex, evidence, longrun
from model.calibration.capex import CapexAssumptions, Nuisance, Observations
from model.data.facts import load_facts
from model.errors import JevonsError


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")


AS_OF = "2025-02-10"
FACTS = PROJECT_DIR / "data" / "facts"
LOG_FALL = 1.3  # log P: the price of useful work falls by e^1.3 = 3.7x a year


def fixed_nuisance(factor=20.0, coverage=1.0, adopted=0.5, k=4) -> Nuisance:
    """Known trends and news (no uncertainty to integrate over)."""
    return Nuisance(np.full(k, LOG_FALL), np.full(k, factor), np.full(k, coverage), np.full(k, adopted))


def log_jevons(eps, factor=20.0, share=0.5):
    return np.log(1 - share + share * factor ** (eps - 1))


def synthetic(eps, g, revisions=False, noise=0.0, seed=0, firms=4):
    """Plans grown by (1 + g) P^(eps - 1), all made before the news; with ``revisions``, one
    pre-news revision (the street's habitual gap) and three post-news ones carrying log J(eps)."""
    rng = np.random.default_rng(seed)
    growth = np.log1p(g) + (eps - 1) * LOG_FALL + noise * rng.standard_normal(firms)
    if revisions:
        gap = 0.15
        rev = gap + log_jevons(eps) * np.array([0, 1, 1, 1]) + noise * rng.standard_normal(4)
        post = np.array([False, True, True, True])
    else:
        rev, post = np.empty(0), np.empty(0, bool)
    return Observations(growth, np.full(firms, 0.01), np.zeros(firms, bool), rev, np.full(rev.size, 0.01), post)


def table_for(obs: Observations) -> pd.DataFrame:
    n = obs.growth.size
    return pd.DataFrame({"firm": [f"f{i}" for i in range(n)], "plan": np.exp(obs.growth) * 50.0,
                         "plan_label": ["x"] * n, "base": np.full(n, 50.0)})


def fit(obs, **kw):
    a = CapexAssumptions(firm_growth_sd=0.05, revision_noise_sd=0.05, **kw)
    return capex.fit_observations(obs, fixed_nuisance(), a, pd.Timestamp(AS_OF), table_for(obs),
                                  draws=4000, seed=1)


# --- recovery ------------------------------------------------------------------------------------
def test_growth_alone_recovers_the_ridge_but_not_the_elasticity():
    eps0, g0 = 0.7, 0.8
    result = fit(synthetic(eps0, g0), growth_prior_median=None)
    # identified: the growth of spend on the trend, log(1 + g) + (eps - 1) log P
    mid, lo, hi = result.ridge_interval()
    truth = np.log1p(g0) + (eps0 - 1) * LOG_FALL
    assert lo <= truth <= hi and hi - lo < 0.15
    # not identified: along the ridge every elasticity fits as well as the true one
    likelihood = result.growth_likelihood()
    on = (result.grid.elasticity > 0.1) & (result.grid.elasticity < 3.0)
    np.testing.assert_allclose(likelihood[on], 1.0, atol=1e-6)
    e_lo, e_hi = result.estimate.interval
    assert e_lo < 0.3 and e_hi > 2.5  # the posterior is as wide as the ridge inside the grid


def test_the_prior_on_demand_growth_decides_where_on_the_ridge():
    result = fit(synthetic(0.7, 0.8), growth_prior_median=0.3)
    table = capex.growth_prior_sensitivity(result, [(0.1, 0.2), (0.8, 0.2), (2.0, 0.2)])
    # higher prior demand growth -> lower elasticity, along the ridge eps = 1 + (y - log(1+g)) / log P
    assert np.all(np.diff(table["elasticity"]) < 0)
    y = np.log1p(0.8) + (0.7 - 1) * LOG_FALL
    expected = 1 + (y - np.log1p(np.array([0.1, 0.8, 2.0]))) / LOG_FALL
    np.testing.assert_allclose(table["elasticity"], expected, atol=0.05)


def test_revisions_identify_the_elasticity_and_then_growth():
    eps0, g0 = 0.7, 0.8
    result = fit(synthetic(eps0, g0, revisions=True, noise=0.02, seed=3), growth_prior_median=None)
    rev = result.revision_likelihood()
    kept = result.grid.elasticity[rev >= np.exp(-1.92)]
    assert kept.min() <= eps0 <= kept.max()
    assert kept.max() < 1.0  # eps = 1 (no news effect) is rejected by the revisions
    lo, hi = result.estimate.interval
    assert lo <= eps0 <= hi and hi - lo < 0.5
    g_lo, g_hi = result.demand_growth_interval()
    assert g_lo <= g0 <= g_hi


def test_without_a_pre_news_control_a_free_street_gap_absorbs_the_news():
    obs = synthetic(0.7, 0.8, revisions=True)
    post_only = Observations(obs.growth, obs.growth_sd, obs.growth_post_news, obs.revision[1:2],
                             obs.revision_sd[1:2], obs.revision_post_news[1:2])
    result = fit(post_only, growth_prior_median=None)
    np.testing.assert_allclose(result.revision_likelihood(), 1.0, atol=1e-12)
    # with the street assumed unbiased, the single revision is informative again
    unbiased = fit(post_only, growth_prior_median=None, street_gap="none")
    assert unbiased.revision_likelihood().min() < 0.01


def test_demand_growth_given_eps_follows_the_ridge():
    result = fit(synthetic(0.7, 0.8), growth_prior_median=None)
    points = np.array([0.51, 1.01, 1.51])  # cell midpoints: g is drawn from the row of eps's cell
    g = result.demand_growth_given(np.repeat(points, 2000), np.random.default_rng(5)).reshape(3, -1)
    y = np.log1p(0.8) + (0.7 - 1) * LOG_FALL
    np.testing.assert_allclose(np.log1p(np.median(g, axis=1)), y - (points - 1) * LOG_FALL, atol=0.01)


def test_the_news_term_is_the_jevons_mixture():
    nuis = fixed_nuisance(factor=27.0, coverage=0.6, adopted=0.5)
    eps = np.array([0.0, 0.5, 1.0, 2.0])
    got = nuis.log_jevons(eps)[:, 0]
    np.testing.assert_allclose(got, np.log(1 - 0.3 + 0.3 * 27.0 ** (eps - 1)), rtol=1e-14)
    assert got[2] == 0.0
    # the public helper is the same mixture, exactly 1 at eps = 1 whatever the news
    np.testing.assert_allclose(capex.jevons_factor(eps, 27.0, 0.3), np.exp(got), rtol=1e-14)
    assert np.all(capex.jevons_factor(1.0, np.array([2.0, 60.0]), np.array([0.1, 1.0])) == 1.0)


# --- the real plans ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_fit(mirror):
    return capex.fit_capex(AS_OF, draws=2000, seed=11)


def test_real_plans(real_fit):
    plans = real_fit.plans.set_index("firm")
    assert list(plans.index) == ["Microsoft", "Meta", "Alphabet", "Amazon"]
    assert plans.loc["Meta", "plan"] == 62.5 and plans.loc["Meta", "base"] == 39.23
    assert plans.loc["Microsoft", "base"] == pytest.approx(223 - 39.23 - 52.5 - 78)
    assert list(plans["post_news"]) == [False, False, True, True]
    assert plans.loc["Alphabet", "revision"] == pytest.approx(np.log(75 / 59.73))
    assert plans.loc["Amazon", "plan_low"] == 100.0  # the press variant widens the range
    base, _ = real_fit.base_level()
    assert base == pytest.approx(223.0)
    lo, hi = real_fit.estimate.interval
    assert 0.0 <= lo < real_fit.estimate.median < hi <= 4.0
    json.dumps(real_fit.to_dict(), allow_nan=False)
    assert "Identified:" in str(real_fit.summary())


def test_same_seed_same_draws(real_fit, mirror):
    again = capex.fit_capex(AS_OF, draws=2000, seed=11)
    assert np.array_equal(again.estimate.draws, real_fit.estimate.draws)
    other = capex.fit_capex(AS_OF, draws=2000, seed=12)
    assert not np.array_equal(other.estimate.draws, real_fit.estimate.draws)


def test_firms_enter_when_their_figures_are_known(mirror):
    early = capex.plan_table("2025-02-05")
    assert list(early["firm"]) == ["Meta", "Alphabet"]  # Microsoft's base is derived from a 02-08 total
    assert list(capex.plan_table("2025-01-29")["firm"]) == ["Meta"]


# --- the as-of guarantee -------------------------------------------------------------------------
def perturb_facts(dst: Path, as_of: str) -> None:
    """A copy of the facts tables with every row dated after ``as_of`` changed."""
    cut = pd.Timestamp(as_of)
    dst.mkdir()
    for path in FACTS.iterdir():
        if path.suffix != ".csv":
            shutil.copy(path, dst / path.name)
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = pd.to_datetime(frame["as_of"]) > cut
        column = "statement" if path.name == "statements.csv" else "value"
        if column == "value":
            frame.loc[later, column] = (pd.to_numeric(frame.loc[later, column]) * 2 + 1).map(repr)
        else:
            frame.loc[later, column] = frame.loc[later, column] + " (changed)"
        frame.to_csv(dst / path.name, index=False)


def perturb_mirror(src: Path, dst: Path, as_of: str) -> None:
    """A copy of the mirror: capex periods known after ``as_of`` (end + 45 days) x3, chips
    released after ``as_of`` at a tenth of their price."""
    cut = pd.Timestamp(as_of)
    shutil.copytree(src, dst)
    path = dst / "other" / "hyperscaler_capex_sec_xbrl_quarterly.csv"
    frame = pd.read_csv(path)
    known_from = longrun.period_end(frame["year"], frame["quarter"]) + pd.Timedelta(days=longrun.LAG_DAYS)
    frame.loc[known_from > cut, "payments_usd"] *= 3
    frame.to_csv(path, index=False)
    path = dst / "other" / "epoch_ml_hardware.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    later = pd.to_datetime(frame["Release date"], errors="coerce") > cut
    price = pd.to_numeric(frame.loc[later, "Release price (USD)"], errors="coerce")
    frame.loc[later, "Release price (USD)"] = np.where(price.notna(), (price / 10).map(repr), "")
    frame.to_csv(path, index=False)


def outputs(as_of):
    fit = capex.fit_capex(as_of, draws=1000, seed=5)
    run = longrun.fit_longrun(as_of)
    prior = evidence.prior(as_of, draws=1000, seed=5)
    return fit, run, prior


@pytest.mark.parametrize("as_of", ["2025-02-07", AS_OF])
def test_outputs_do_not_move_when_later_data_change(as_of, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    fit0, run0, prior0 = outputs(as_of)
    perturb_facts(tmp_path / "facts", as_of)
    perturb_mirror(mirror, tmp_path / "mirror", as_of)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(tmp_path / "facts"))
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(tmp_path / "mirror"))
    fit1, run1, prior1 = outputs(as_of)
    assert np.array_equal(fit1.estimate.draws, fit0.estimate.draws)
    assert np.array_equal(fit1.posterior, fit0.posterior)
    pd.testing.assert_frame_equal(fit1.plans, fit0.plans)
    assert json.dumps(fit1.to_dict()) == json.dumps(fit0.to_dict())
    pd.testing.assert_frame_equal(run1.table, run0.table, check_exact=True)
    pd.testing.assert_frame_equal(run1.data, run0.data, check_exact=True)
    assert np.array_equal(prior1.draws, prior0.draws)
    # the perturbation is real: later fits see the changed rows
    later = pd.Timestamp(as_of) + pd.Timedelta(days=30)
    if pd.Timestamp(as_of) < pd.Timestamp("2025-02-08"):  # Yahoo's four-firm total, 2025-02-08
        original_facts = load_facts(directory=FACTS)
        assert not capex.plan_table(later).equals(capex.plan_table(later, facts=original_facts))
    assert not np.array_equal(evidence.prior("2026-01-01", draws=1000, seed=5).draws,
                              _with_facts(FACTS, lambda: evidence.prior("2026-01-01", draws=1000, seed=5).draws,
                                          monkeypatch))
    original_capex = pd.read_csv(mirror / "other" / "hyperscaler_capex_sec_xbrl_quarterly.csv")
    assert not longrun.fit_longrun(later).data.equals(longrun.fit_longrun(later, capex=original_capex).data)


def _with_facts(directory, compute, monkeypatch):
    with monkeypatch.context() as m:
        m.setenv("JEVONS_FACTS_DIR", str(directory))
        return compute()


# --- bad inputs ----------------------------------------------------------------------------------
@pytest.mark.parametrize("as_of,fragment", [
    ("2024-06-30", "no hyperscaler has both a 2025 capex plan and its 2024 capex"),
    ("2025-01-28", "no hyperscaler has both"),
    ("yesterday", "not a date"),
    ("2025-02-10 12:30", "allowed: YYYY-MM-DD"),
])
def test_bad_as_of(as_of, fragment):
    with pytest.raises(JevonsError) as err:
        capex.fit_capex(as_of)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_missing_facts_are_a_one_line_error(tmp_path, monkeypatch):
    dst = tmp_path / "facts"
    shutil.copytree(FACTS, dst)
    frame = pd.read_csv(dst / "capex.csv", dtype=str, keep_default_na=False)
    no_meta_base = frame[frame["id"] != "capex_2024_meta"]
    no_meta_base.to_csv(dst / "capex.csv", index=False)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(dst))
    # Meta drops out; Microsoft's derived base needs Meta's figure too
    assert list(capex.plan_table(AS_OF)["firm"]) == ["Alphabet", "Amazon"]
    no_plans = frame[~frame["id"].str.startswith("capex_guidance")]
    no_plans.to_csv(dst / "capex.csv", index=False)
    with pytest.raises(JevonsError, match="no hyperscaler has both"):
        capex.plan_table(AS_OF)


def test_the_cli_reports_a_capex_fit_that_cannot_be_made_yet(mirror):
    result = run_cli("calibrate", "--as-of", "2025-01-28", "--draws", "200",
                     env={"JEVONS_DATA_MIRROR": str(mirror), "JEVONS_OFFLINE": "1"})
    assert_one_line_error(result, "capex-implied elasticity as of 2025-01-28", "data/facts/capex.csv")

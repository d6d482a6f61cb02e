"""Done-when check of issue 2: `jevons run` on the issue's schema reproduces S^(eps-1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli

ISSUE_SCHEMA = """
name = "example"
extends = "baseline"          # optional
[time]
start = 2024
end = 2035
[base]
spend_usd_bn = 250.0          # compute spend in the start year
[hardware]
doubling_years = 2.5
[efficiency]
doubling_years = 0.67
[[efficiency.shocks]]
year = 2025.0
factor = {factor}
coverage = 1.0
diffusion_years = 0.0
[demand]
form = "isoelastic"
elasticity = {eps}
growth = 0.0
"""


def spend(out_dir) -> pd.Series:
    frame = pd.read_csv(out_dir / "results.csv")
    rows = frame[frame.variable == "compute_spend"]
    assert set(rows.unit) == {"USD bn"}
    return rows.set_index("year")["value"]


@pytest.mark.parametrize("eps,factor", [(1.2, 10.0), (0.6, 27.0), (1.0, 11.0)])
def test_run_reproduces_the_jevons_multiplier(tmp_path, eps, factor):
    path = tmp_path / "example.toml"
    path.write_text(ISSUE_SCHEMA.format(eps=eps, factor=factor))
    shocked = run_cli("run", str(path), "--out", str(tmp_path / "shock"))
    plain = run_cli("run", str(path), "--set", "efficiency.shocks=[]", "--out", str(tmp_path / "plain"))
    assert shocked.returncode == 0, shocked.stderr
    assert plain.returncode == 0, plain.stderr
    ratio = spend(tmp_path / "shock") / spend(tmp_path / "plain")
    after = ratio[ratio.index >= 2025].to_numpy()
    np.testing.assert_allclose(after, factor ** (eps - 1), rtol=1e-9)
    assert ratio.loc[2024] == pytest.approx(1.0, rel=1e-12)
    assert spend(tmp_path / "plain").loc[2024] == pytest.approx(250.0, rel=1e-12)

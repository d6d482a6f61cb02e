"""The long-run figure draws from a long-run fit's own data frame (its column names)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from model.calibration import longrun  # noqa: E402
from model.constants import DEFAULT_AS_OF  # noqa: E402
from model.output import plotting as plots  # noqa: E402


def test_longrun_figure_draws_every_year(mirror):
    fit = longrun.fit_longrun(DEFAULT_AS_OF)
    fig = plots.fit.longrun(fit.data, *fit.fitted_line())
    left, right = fig.axes[:2]
    assert len(left.texts) == len(fit.data)  # one year label per point
    assert len(right.lines) == 2

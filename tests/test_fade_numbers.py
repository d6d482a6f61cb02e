"""backtest_numbers.fade_values selects from the growth-fade frame it is given."""

import numpy as np
import pandas as pd
import pytest

from model.output.backtest_numbers import fade_values


def test_fade_values_known_answer():
    rows = [{"half_life": h, "year": y, "median": m, "median_share": m / 1000, "long_run_low": 0.05,
             "long_run_high": 0.15, "capex_low": 0.2, "capex_high": 0.4, "fade_start": 2027}
            for h, scale in ((1.0, 1.0), (4.0, 2.0), (np.inf, 5.0)) for y, m in ((2030, 100 * scale),
                                                                               (2035, 200 * scale))]
    v = fade_values(pd.DataFrame(rows))
    assert v["held_2035"] == 1000 and v["held_share"] == pytest.approx(1.0)
    assert v["ratio_2030"] == pytest.approx(2.0) and v["ratio_2035"] == pytest.approx(2.0)
    assert (v["lr_lo"], v["lr_hi"], v["cx_lo"], v["cx_hi"], v["start"]) == (0.05, 0.15, 0.2, 0.4, 2027)

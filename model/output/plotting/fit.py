"""Figures of the fit: capex plans, the combination of the evidence and the forecasts."""

from __future__ import annotations

import numpy as np

from model.output.plotting.style import ROLE_COLOURS, evidence_colour, figure, legend_below

GROWTH_TICKS = (-0.5, 0.0, 0.5, 1.0, 2.0, 4.0)


def capex_ridge(view: dict, elasticity, growth_likelihood, revision_likelihood, marginal,
                max_elasticity: float = 2.5):
    """The ridge of the capex plans (left) and what places the elasticity on it (right).

    ``view`` is :meth:`model.calibration.capex.CapexFit.ridge_view`; the right panel draws, over
    the grid ``elasticity``, the plans-alone likelihood with g integrated out, the revisions'
    likelihood and the posterior marginal (each scaled to a maximum of 1 here). Returns the
    figure.
    """
    fig, (left, right) = figure(2)
    mesh = left.pcolormesh(view["elasticity"], view["log_growth"], view["relative_likelihood"].T,
                           cmap="Greys", shading="nearest")
    left.plot(view["elasticity"], view["ridge"], "--", color=ROLE_COLOURS["fit"],
              label="Ridge at the median ln P")
    left.contour(view["elasticity"], view["log_growth"], view["posterior"].T, levels=[view["level"]],
                 colors=evidence_colour("capex"))
    left.plot([], [], color=evidence_colour("capex"), label="95% of the posterior")
    ticks = np.array(GROWTH_TICKS)
    left.set_yticks(np.log1p(ticks), [f"{t:+.0%}" for t in ticks])
    left.set_ylim(view["log_growth"][0], view["log_growth"][-1])
    left.set_xlabel("Elasticity ε")
    left.set_ylabel("Demand growth g per year")
    legend_below(left, ncols=1)
    fig.colorbar(mesh, ax=left, label="Likelihood relative to the best g")

    right.plot(elasticity, growth_likelihood, "--", color=ROLE_COLOURS["reference"],
               label="Plans alone (g integrated out)")
    right.plot(elasticity, revision_likelihood, ":", color=ROLE_COLOURS["reference"],
               label="Revisions against the street alone")
    right.plot(elasticity, marginal / marginal.max(), color=evidence_colour("capex"),
               label="Posterior (prior on g)")
    right.axvline(1.0, color=ROLE_COLOURS["reference"], lw=0.8)
    right.set_xlim(0, max_elasticity)
    right.set_xlabel("Elasticity ε")
    right.set_ylabel("Relative likelihood or density")
    legend_below(right, ncols=1)
    return fig


def longrun(data, fitted_log_q, fitted_log_capex):
    """Log capex against log price-performance with the fitted line (left), and both series
    against the year, each centred (right). ``data`` is a long-run fit's ``data`` frame
    (year, total, log_q); the fitted line is given in natural logs. Returns the figure."""
    fig, (left, right) = figure(2)
    ln10 = np.log(10)
    x, y = data["log_q"] / ln10, np.log10(data["total"])
    left.scatter(x, y, color=ROLE_COLOURS["data"])
    for year, xi, yi in zip(data["year"], x, y, strict=True):
        left.annotate(str(year), (xi, yi), fontsize=8, xytext=(3, 3), textcoords="offset points")
    left.plot(np.asarray(fitted_log_q) / ln10, np.asarray(fitted_log_capex) / ln10, color=ROLE_COLOURS["fit"])
    left.set_xlabel("Log10 FLOP/s per USD (best data-center accelerator)")
    left.set_ylabel("Log10 capex, USD bn")
    log_capex = np.log(data["total"])
    right.plot(data["year"], log_capex - log_capex.mean(), "o-", color=ROLE_COLOURS["data"], label="Ln capex")
    right.plot(data["year"], data["log_q"] - data["log_q"].mean(), "s-", color=ROLE_COLOURS["high"],
               label="Ln price-performance")
    right.set_xlabel("Year")
    right.set_ylabel("Deviation from mean (log points)")
    right.legend()
    return fig


DENSITY_LABELS = {"market": "Market-implied (Nvidia)", "capex": "Capex-implied",
                  "prior": "Prior (evidence by the cutoff)", "combined": "Combined"}


def elasticity_densities(grid, densities: dict, later: float | None = None,
                         later_label: str = "Later evidence: OpenRouter |ε| = {:.2f}",
                         max_elasticity: float = 2.5):
    """The densities of the elasticity estimates and their combination on ``grid`` (a
    :class:`~model.calibration.combine.Combination`'s ``grid`` and ``densities``), each in its
    evidence colour, with a later estimate ``later`` marked. Returns the axes."""
    _, ax = figure()
    for name, label in DENSITY_LABELS.items():
        if name in densities:
            ax.plot(grid, densities[name], "--" if name == "prior" else "-", color=evidence_colour(name),
                    label=label, lw=2.2 if name == "combined" else 1.4)
    ax.axvline(1.0, color=ROLE_COLOURS["reference"], lw=0.8)
    if later is not None:
        ax.axvline(later, color=evidence_colour("later"), ls=":", lw=1.5, label=later_label.format(later))
    ax.set_xlim(0, max_elasticity)
    ax.set_xlabel("Elasticity ε")
    ax.set_ylabel("Density")
    ax.legend()
    return ax

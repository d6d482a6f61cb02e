"""``jevons run | sweep | list | show``: scenarios from the command line (DESIGN.md section 6)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from model.engine import schema
from model.errors import JevonsError

ORDER = 10
MAX_RESULT_ROWS = 5_000_000  # above this results.csv is impractical: use --summary-only
SWEEP_TABLE_ROWS = 20


def register(subparsers) -> None:
    run = subparsers.add_parser(
        "run", help="run a scenario (Monte Carlo when it has distributions)",
        description="Run a scenario and write DIR/results.csv (long format: scenario, draw, "
                    "year, variable, unit, value) and DIR/summary.csv (mean and quantiles per "
                    "year and variable).")
    _scenario_args(run)
    run.add_argument("--draws", type=int, metavar="N",
                     help="number of Monte Carlo draws (default: montecarlo.draws)")
    run.add_argument("--seed", type=int, metavar="S", help="random seed (default: montecarlo.seed)")
    run.add_argument("--out", metavar="DIR", help="output folder (default: out/<scenario name>)")
    run.add_argument("--summary-only", action="store_true",
                     help="write only summary.csv (for large runs)")
    _filter_args(run)
    run.set_defaults(func=cmd_run)

    sweep = subparsers.add_parser(
        "sweep", help="evaluate a scenario on a grid of parameter values",
        description="Evaluate a scenario on the cartesian product of the grids in one "
                    "vectorised engine call; writes DIR/results.csv (draw = grid point) and "
                    "DIR/grid.csv (grid point -> key values).")
    _scenario_args(sweep)
    sweep.add_argument("--grid", action="append", required=True, metavar="KEY=START:STOP:STEP",
                       help="a grid (STOP included when on the grid); repeat for a product")
    sweep.add_argument("--out", metavar="DIR", help="output folder (default: out/<name>-sweep)")
    _filter_args(sweep)
    sweep.set_defaults(func=cmd_sweep)

    lister = subparsers.add_parser("list", help="list the scenarios in scenarios/",
                                   description="List the scenarios in scenarios/.")
    lister.set_defaults(func=cmd_list)

    show = subparsers.add_parser(
        "show", help="show a scenario's resolved parameters and where they come from",
        description="Show every resolved key of a scenario: value (or distribution), unit, "
                    "where it was set (a file, --set or default) and the schema's source.")
    _scenario_args(show)
    show.set_defaults(func=cmd_show)


def _scenario_args(parser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a name in scenarios/ or a path")
    parser.add_argument("--set", action="append", default=[], dest="overrides",
                        metavar="KEY=VALUE", help="override a key, e.g. demand.substitution=1.5 or "
                        "efficiency.shocks.0.factor=20 (repeatable)")


def _filter_args(parser) -> None:
    parser.add_argument("--variables", metavar="LIST",
                        help="comma-separated output variables to write (default: all)")
    parser.add_argument("--years", metavar="LIST",
                        help="comma-separated years to write (default: all)")


# --- helpers ----------------------------------------------------------------------------------
def _parse_variables(text: str | None) -> list[str] | None:
    from model.scenarios.keys import did_you_mean

    if text is None:
        return None
    names = [v.strip() for v in text.split(",") if v.strip()]
    allowed = list(schema.OUTPUT_UNITS)
    for name in names:
        if name not in schema.OUTPUT_UNITS:
            raise JevonsError(f"--variables: unknown variable {name!r}{did_you_mean(name, allowed)}; "
                              f"allowed: {', '.join(allowed)}")
    if not names:
        raise JevonsError(f"--variables: empty; allowed: {', '.join(allowed)}")
    return names


def _produced(scenario, variables: list[str] | None) -> list[str]:
    """The variables a run writes: the scenario's outputs, or those of ``--variables`` (each of
    which must be one of the scenario's outputs; compute_spend brings its per-segment parts)."""
    from model.scenarios.runs import output_variables

    outputs = output_variables(scenario)
    if variables is None:
        return outputs
    missing = [v for v in variables if v not in outputs]
    if missing:
        raise JevonsError(f"--variables: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                          f"not an output of scenario {scenario.name!r}; allowed: "
                          + ", ".join(v for v in outputs if "|" not in v))
    return [v for v in outputs if v in variables or v.split("|", 1)[0] in variables]


def _parse_years(text: str | None, start: int, end: int) -> list[int] | None:
    if text is None:
        return None
    years = []
    for part in (p.strip() for p in text.split(",")):
        if not re.fullmatch(r"\d{4}", part) or not start <= int(part) <= end:
            raise JevonsError(f"--years: {part!r} is not a simulated year; "
                              f"allowed: years {start} to {end}, comma-separated")
        years.append(int(part))
    return years


RUN_FILES = frozenset({"results.csv", "summary.csv"})
SWEEP_FILES = frozenset({"results.csv", "grid.csv"})


def _out_dir(given: str | None, default_name: str, known: frozenset[str]) -> Path:
    """The output folder; it must be new, empty or hold only an earlier set of ``known`` files
    (the set is replaced as a whole, see model.io.OutputSet)."""
    from model import io

    out = Path(given) if given else Path("out") / re.sub(r"[^A-Za-z0-9._-]+", "_", default_name)
    try:
        io.check_output_folder(out, known, "--out")
    except OSError as exc:
        raise JevonsError(f"--out {out}: cannot read the folder ({exc.strerror}); allowed: a "
                          "readable folder") from None
    return out


def _write_set(out: Path, frames: dict, meta: dict) -> list[Path]:
    """Write ``frames`` (file name -> frame) as one output set into ``out``."""
    from model import io
    from model.output.results_files import write_frame

    try:
        with io.OutputSet(out, meta) as staging:
            for name, frame in frames.items():
                write_frame(staging / name, frame)
    except OSError as exc:
        raise JevonsError(f"--out {out}: cannot write ({exc.strerror}); allowed: a writable "
                          "folder with room for the outputs") from None
    return [out / name for name in frames]


def _inputs(scenario) -> dict:
    """What a set was made from: the scenario files (with sha256) and the overrides."""
    from model import io
    from model.scenarios.files import file_label

    return {"scenario": scenario.name,
            "files": {file_label(p): io.sha256_file(p) for p in scenario.chain}}


def _check_rows(path: Path, rows: int, hint: str) -> None:
    if rows > MAX_RESULT_ROWS:
        raise JevonsError(f"{path}: would have {rows:,} rows; allowed: at most "
                          f"{MAX_RESULT_ROWS:,} ({hint})")


def _n_years(scenario) -> int:
    return int(scenario.values["time"]["end"]) - int(scenario.values["time"]["start"]) + 1


# --- run --------------------------------------------------------------------------------------
def cmd_run(args) -> int:
    from model.scenarios.loader import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)  # first: bad input fails fast
    from model.output.results_files import results_frame, summary_frame
    from model.scenarios.runs import TABLE_VARIABLES, resolve_draws, run_scenario, table_years

    n, seed, note = resolve_draws(scenario, args.draws, args.seed)
    variables = _parse_variables(args.variables)
    produced = _produced(scenario, variables)
    time = scenario.values["time"]
    years = _parse_years(args.years, time["start"], time["end"])
    out = _out_dir(args.out, scenario.name, RUN_FILES)
    n_years = _n_years(scenario) if years is None else len(years)
    n_variables = len(produced)
    if not args.summary_only:
        _check_rows(out / "results.csv", n * n_years * n_variables,
                    "use --summary-only, fewer --draws, or --variables / --years")
    if note:
        sys.stderr.write(f"note: {note}\n")

    run = run_scenario(scenario, draws=n, seed=seed)
    summary = summary_frame(run.result, scenario.name, variables, years)
    results = None if args.summary_only else results_frame(run.result, scenario.name, variables, years)

    frames = {"summary.csv": summary} if results is None else {"results.csv": results,
                                                                  "summary.csv": summary}
    stale = results is None and (out / "results.csv").exists()
    meta = {"command": "run", **_inputs(scenario), "overrides": list(args.overrides),
            "draws": run.n_draws, "seed": run.seed, "variables": args.variables,
            "years": args.years, "summary_only": bool(args.summary_only)}
    written = _write_set(out, frames, meta)
    if stale:
        sys.stderr.write(f"note: removed {out / 'results.csv'} from an earlier run "
                         "(--summary-only writes summary.csv only)\n")

    shown = [v for v in TABLE_VARIABLES if variables is None or v in variables]
    print(run.summary(shown, None if years is None else table_years(years)).as_text())
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


# --- sweep ------------------------------------------------------------------------------------
def cmd_sweep(args) -> int:
    from model.scenarios.loader import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)  # first: bad input fails fast
    import numpy as np

    from model.output.results_files import results_frame
    from model.scenarios import parse_grid, run_sweep

    grids = [parse_grid(text, scenario) for text in args.grid]
    variables = _parse_variables(args.variables)
    time = scenario.values["time"]
    years = _parse_years(args.years, time["start"], time["end"])
    out = _out_dir(args.out, f"{scenario.name}-sweep", SWEEP_FILES)
    produced = _produced(scenario, variables)
    points = int(np.prod([g.values.size for g in grids], dtype=np.int64))
    n_years = _n_years(scenario) if years is None else len(years)
    _check_rows(out / "results.csv", points * n_years * len(produced),
                "use coarser grids, or --variables / --years")

    sweep = run_sweep(scenario, grids)
    results = results_frame(sweep.result, scenario.name, variables, years)
    meta = {"command": "sweep", **_inputs(scenario), "overrides": list(args.overrides),
            "grids": list(args.grid), "variables": args.variables, "years": args.years}
    _write_set(out, {"results.csv": results, "grid.csv": sweep.points}, meta)

    last = int(sweep.result.years[-1])
    spend = sweep.result.variables["compute_spend"][:, -1]
    print(f"{scenario.name}: {len(sweep.points):,} grid points; compute spend in {last} "
          f"({schema.OUTPUT_UNITS['compute_spend']})")
    print(_sweep_table(sweep.points, spend, f"compute_spend_{last}"))
    print(f"wrote {out / 'results.csv'}, {out / 'grid.csv'}")
    return 0


def _sweep_table(points, spend, label: str) -> str:
    frame = points.copy()
    frame[label] = spend
    if len(frame) > SWEEP_TABLE_ROWS:
        half = SWEEP_TABLE_ROWS // 2
        head, tail = frame.iloc[:half], frame.iloc[-half:]
        text_head = head.to_string(index=False, float_format=lambda x: f"{x:.6g}")
        text_tail = tail.to_string(index=False, header=False, float_format=lambda x: f"{x:.6g}")
        return f"{text_head}\n...  ({len(frame) - 2 * half:,} more rows in results.csv)\n{text_tail}"
    return frame.to_string(index=False, float_format=lambda x: f"{x:.6g}")


# --- list and show -----------------------------------------------------------------------------
def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def cmd_list(args) -> int:
    from model.output.tables import elasticity_text
    from model.scenarios.loader import available_scenarios, load_scenario

    rows = [["name", "type", "demand form", "elasticity", "description"]]
    for name in available_scenarios():
        try:
            scenario = load_scenario(name)
        except JevonsError as exc:
            rows.append([name, "?", "?", "?", f"INVALID: {exc}"])
            continue
        values = scenario.values
        rows.append([name, values["type"], values["demand"]["form"],
                     elasticity_text(values["demand"]), scenario.description])
    if len(rows) == 1:
        print("no scenarios in scenarios/")
        return 0
    print(_table(rows))
    return 0


SHOW_WIDTH = 60  # longest value `jevons show` prints in full


def shown(text: str, width: int = SHOW_WIDTH) -> str:
    """A value as `show` prints it: control characters escaped, and cut to ``width``
    characters with its length when longer (so a long description cannot flood the table)."""
    from model.scenarios.files import printable

    text = printable(text)
    if len(text) <= width:
        return text
    return f"{text[:width - 25]}... ({len(text):,} characters)"


def _show_rows(scenario) -> list[list[str]]:
    from model.output.tables import cell_text, value_source

    values, origins = scenario.values, scenario.origins
    rows = []

    def add(key: str, field, value) -> None:
        origin = origins.get(key, "default")
        rows.append([key, shown(cell_text(value)), field.unit, origin, value_source(field, value, origin)])

    for field in schema.FIELDS:
        if "[]" in field.key or field.key == "extends":
            continue
        parts = field.key.split(".")
        if len(parts) == 1:
            add(field.key, field, values[field.key])
            continue
        value = values[parts[0]][parts[1]]
        if field.kind != schema.TABLES:
            add(field.key, field, value)
            continue
        if not value:
            rows.append([field.key, "(none)", "", origins.get(field.key, "default"), field.source])
        for i, item in enumerate(value):
            for name, sub in schema.children(field.key + "[]").items():
                add(f"{field.key}[{i}].{name}", sub, item.get(name))
    return rows


def cmd_show(args) -> int:
    from model.scenarios.files import file_label
    from model.scenarios.loader import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)
    chain = " <- ".join(file_label(p) for p in scenario.chain)
    print(f"{scenario.name}: {chain}")
    if scenario.description:
        print(shown(scenario.description, 200))
    print(_table([["key", "value", "unit", "from", "source"], *_show_rows(scenario)]))
    return 0

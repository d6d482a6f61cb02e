"""``jevons data``: what external data are available, download prices, check them.

Examples::

    jevons data status                  # per dataset: cached? in the mirror? rows, dates, source
    jevons data fetch                   # every dataset of the manifest, from its source
    jevons data fetch NVDA epoch_ml_hardware
    jevons data fetch --missing         # only what neither the cache nor the mirror holds
    jevons data verify                  # hashes, schema, ranges; what is missing
    jevons data prices NVDA --start 2025-01-24 --end 2025-01-28
    jevons data facts --as-of 2025-02-10
"""

from __future__ import annotations

import sys

ORDER = 60


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "data",
        help="external data: status, fetch, verify; prices and facts",
        description=(
            "External datasets are listed in data/manifest.toml and never committed. They are "
            "read from the git-ignored cache, then the mirror named by JEVONS_DATA_MIRROR, then "
            "(prices only) Yahoo Finance unless JEVONS_OFFLINE=1; `jevons data fetch` downloads "
            "every dataset from its canonical source into the cache."
        ),
    )
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True

    p = sub.add_parser("status", help="per dataset: cached? in the mirror? rows, dates, source")
    p.set_defaults(func=_status)

    p = sub.add_parser(
        "fetch",
        help="download every dataset of the manifest from its source into the cache",
        description="Download from the canonical sources: prices from Yahoo Finance (yfinance, "
        "auto_adjust=False, full history), Epoch AI's CSV exports (epoch.ai/data; "
        "JEVONS_EPOCH_URL replaces the base), and SEC EDGAR XBRL company facts for the capex "
        "table (data.sec.gov; JEVONS_SEC_URL replaces the base; SEC requires a User-Agent with "
        "your name and email: JEVONS_SEC_USER_AGENT or --sec-user-agent). Each dataset is "
        "checked against the manifest's schema in a staging folder and only then moved into "
        "the cache with its sha256 beside it (FILE.sha256) and a record of its source "
        "(FILE.source.json); a failed download leaves the cache unchanged. Default: every "
        "dataset and ticker of the manifest. Exits 2 if any fails.",
    )
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="tickers or dataset names of data/manifest.toml (default: all)")
    p.add_argument("--missing", action="store_true",
                   help="only the datasets found in neither the cache nor the mirror; stop at "
                   "the first failure with one line saying what to do (the check of `make book`)")
    p.add_argument("--sec-user-agent", default=None, metavar="'NAME EMAIL'",
                   help="User-Agent for SEC EDGAR (default: $JEVONS_SEC_USER_AGENT)")
    p.set_defaults(func=_fetch)

    p = sub.add_parser(
        "verify",
        help="check every dataset and facts table: hashes, schema, ranges, missing files",
        description="Mirror files must match the manifest's sha256, rows and dates; cache files "
        "the sha256 recorded beside them by `jevons data fetch` (FILE.sha256); both must pass "
        "the loader's schema and range checks, and the facts tables theirs. A dataset of the "
        "manifest found in neither the cache nor the mirror is a problem (MISSING), except a "
        "price file while online: it is downloaded and checked on first use, so it is listed as "
        "'download' and not counted (with JEVONS_OFFLINE=1 it is MISSING). A missing facts "
        "table is a problem. Prints the table on stdout and one error line per problem on "
        "stderr; exits 2 if there is any problem, else 0. JEVONS_ALLOW_UNVERIFIED_DATA does not "
        "silence it.",
    )
    p.add_argument("--facts-dir", default=None, help="facts directory (default: data/facts)")
    p.set_defaults(func=_verify)

    p = sub.add_parser("prices", help="print the checked daily prices of one ticker")
    p.add_argument("ticker", metavar="TICKER")
    p.add_argument("--start", default=None, help="first date, YYYY-MM-DD")
    p.add_argument("--end", default=None, help="last date, YYYY-MM-DD")
    p.set_defaults(func=_prices)

    p = sub.add_parser("facts", help="print the curated facts known on a date")
    p.add_argument("--as-of", default=None, help="only facts public on or before YYYY-MM-DD")
    p.add_argument("--id", dest="ids", action="append", default=None, metavar="ID",
                   help="only this fact (repeatable)")
    p.add_argument("--facts-dir", default=None, help="facts directory (default: data/facts)")
    p.set_defaults(func=_facts)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, r)) for r in rows]
    return "\n".join(s.rstrip() for s in out)


def _status(args) -> int:
    from model.data.inventory import status
    from model.paths import cache_dir, mirror_dir

    mirror = mirror_dir()
    print(f"cache:  {cache_dir()}")
    print(f"mirror: {mirror if mirror is not None else 'JEVONS_DATA_MIRROR is not set'}")
    entries = status()
    rows = []
    for e in entries:
        rows.append([
            e.name, "yes" if e.in_cache else "no", "yes" if e.in_mirror else "no",
            "INVALID" if e.problem else (e.rows if e.rows is not None else ""),
            e.first, e.last, e.read_from,
        ])
    print(_table(["dataset", "cached", "mirror", "rows", "first", "last", "read from"], rows))
    bad = [e for e in entries if e.problem]
    if bad:
        print(f"{len(bad)} file(s) fail their checks: run `jevons data verify` for details")
    return 0


def _fetch(args) -> int:
    from model.data.fetch import all_names, fetch, missing_names, resolve_names
    from model.data.locations import OFFLINE_ENV, is_offline
    from model.data.sources import SEC_DATASET, sec_user_agent
    from model.errors import DataError
    from model.paths import MIRROR_ENV, cache_dir, mirror_dir

    if args.missing:
        names = missing_names()
        wanted = set(resolve_names(args.names)) if args.names else None
        names = [n for n in names if wanted is None or n in wanted]
        if not names:
            where = f"the cache or the mirror {mirror_dir()}" if mirror_dir() else "the cache"
            print(f"data: every dataset of data/manifest.toml is in {where}")
            return 0
    else:
        names = resolve_names(args.names) if args.names else all_names()
    shown = f"{', '.join(names[:3])}{' ...' if len(names) > 3 else ''}"
    mirror = (f"set {MIRROR_ENV} to a copy of the data (market/TICKER.csv, other/*.csv)"
              if mirror_dir() is None else f"add them to the mirror {mirror_dir()}")
    if is_offline():
        raise DataError(f"cannot download {len(names)} dataset(s) ({shown}) while offline "
                        f"({OFFLINE_ENV} is set); unset {OFFLINE_ENV}, or {mirror}")
    if SEC_DATASET in names:  # before any download: SEC refuses anonymous requests
        try:
            sec_user_agent(args.sec_user_agent)
        except DataError as exc:
            if not args.missing:
                raise
            raise DataError(f"data for the book: {len(names)} dataset(s) in neither the cache "
                            f"nor a mirror; {mirror}, or, to download them, {exc}") from None
    if args.missing:
        print(f"data: {len(names)} dataset(s) in neither the cache ({cache_dir()}) nor a "
              f"mirror; downloading {shown}")
        failures = fetch(names, user_agent=args.sec_user_agent, stop_on_error=True)
        if failures:
            raise DataError(f"data for the book: {failures[0]}; {mirror}, or fix the cause and "
                            "run `jevons data fetch`")
        return 0
    failures = fetch(names, user_agent=args.sec_user_agent,
                     error=lambda line: sys.stderr.write(f"error: {line}\n"))
    if failures:
        print(f"{len(names) - len(failures)} of {len(names)} dataset(s) fetched; "
              f"{len(failures)} failed (listed on stderr)")
    return 2 if failures else 0


def _verify(args) -> int:
    from model.data.inventory import verify
    from model.paths import facts_dir

    checks, problems = verify(args.facts_dir or facts_dir())
    rows = [[c.name, c.origin, c.result, c.detail, c.path] for c in checks if c.result != "absent"]
    checked = sum(c.result in ("ok", "FAIL") for c in checks)
    missing = sum(c.result == "MISSING" for c in checks)
    download = sum(c.result == "download" for c in checks)
    print(_table(["dataset", "where", "result", "checked", "path"], rows))
    print(f"{checked} file(s) checked, {missing} missing, {download} to download on first use, "
          f"{len(problems)} problem(s)")
    for problem in problems:
        sys.stderr.write(f"error: {problem}\n")
    return 2 if problems else 0


def _prices(args) -> int:
    from model.data.market import load_prices

    frame = load_prices(args.ticker, args.start, args.end)
    print(f"# {frame.attrs['ticker']} from {frame.attrs['origin']}: {frame.attrs['path']}")
    # Yahoo stores prices as float32: 7 significant digits are all they carry (142.6199951 is
    # 142.62); volumes are whole shares.
    price = lambda x: f"{x:.7g}"  # noqa: E731
    formatters = {c: price for c in frame.columns if c != "Volume"}
    formatters["Volume"] = lambda x: "" if x != x else f"{x:.0f}"
    print(frame.to_string(formatters=formatters))
    return 0


def _facts(args) -> int:
    from model.data.facts import load_facts
    from model.errors import DataError
    from model.paths import facts_dir

    facts = load_facts(args.as_of, directory=args.facts_dir or facts_dir())
    if args.ids:
        unknown = sorted(set(args.ids) - set(facts["id"]))
        if unknown:
            raise DataError(f"unknown or not yet known fact id(s): {', '.join(unknown)}"
                            + (f" (as of {args.as_of})" if args.as_of else ""))
        facts = facts[facts["id"].isin(args.ids)]
    rows = [[r.id, f"{r.value:g}", r.unit, f"{r.as_of:%Y-%m-%d}", "yes" if r.used else "no", r.file]
            for r in facts.itertuples()]
    print(_table(["id", "value", "unit", "as_of", "used", "file"], rows))
    return 0

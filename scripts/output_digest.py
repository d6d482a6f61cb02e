"""Hash every output the project's behaviour is judged by, to compare two versions of the code.

Runs the installed ``jevons`` command (so the digest does not depend on import paths) for the
calibration as of 2025-02-10, every shipped scenario, a sweep, a Monte Carlo run, and the event
studies of Nvidia and its peer basket, and prints one JSON object ``{output: sha256}``.

Usage, before and after a refactoring::

    python scripts/output_digest.py > /tmp/before.json
    ... change the code ...
    python scripts/output_digest.py > /tmp/after.json
    python scripts/output_digest.py --compare /tmp/before.json /tmp/after.json

Needs the price and dataset mirror (``JEVONS_DATA_MIRROR``) or a filled cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
JEVONS = Path(sys.executable).with_name("jevons")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(args: list[str]) -> bytes:
    done = subprocess.run([str(JEVONS), *args], cwd=PROJECT, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: jevons {' '.join(args)} exited {done.returncode}: "
                         f"{done.stderr.decode().strip()}")
    return done.stdout


def digest() -> dict[str, str]:
    out: dict[str, str] = {}
    scenarios = sorted(p.stem for p in (PROJECT / "scenarios").glob("*.toml"))
    work = Path(tempfile.mkdtemp(prefix="jevons-digest-"))
    try:
        out["calibrate --as-of 2025-02-10 --json"] = _sha(
            _run(["calibrate", "--as-of", "2025-02-10", "--json"]))
        out["event NVDA --json"] = _sha(_run(["event", "NVDA", "--date", "2025-01-27", "--json"]))
        out["event NVDA --window -1,5 --json"] = _sha(
            _run(["event", "NVDA", "--date", "2025-01-27", "--window", "-1,5", "--json"]))
        out["event --basket deepseek --json"] = _sha(
            _run(["event", "--basket", "deepseek", "--date", "2025-01-27", "--json"]))
        runs = [[name] for name in scenarios]
        runs.append(["montecarlo", "--draws", "20000", "--seed", "7"])
        runs.append(["deepseek", "--set", "demand.elasticity=0.8"])
        for i, args in enumerate(runs):
            target = work / f"run{i}"
            _run(["run", *args, "--out", str(target)])
            for f in sorted(target.iterdir()):
                out[f"run {' '.join(args)}: {f.name}"] = _sha(f.read_bytes())
        for i, args in enumerate([["deepseek", "--grid", "demand.elasticity=0.5:1.5:0.1"],
                                  ["baseline", "--grid", "demand.elasticity=0.6:1.4:0.4",
                                   "--grid", "hardware.doubling_years=2:3:0.5"]]):
            target = work / f"sweep{i}"
            _run(["sweep", *args, "--out", str(target)])
            for f in sorted(target.iterdir()):
                out[f"sweep {' '.join(args)}: {f.name}"] = _sha(f.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--ignore", metavar="FILE",
                        help="leave out output files of this name (e.g. manifest.json, new)")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text()) for p in args.compare)
        if args.ignore:
            before, after = ({k: v for k, v in d.items() if not k.endswith(f": {args.ignore}")}
                             for d in (before, after))
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        for key in changed:
            print(f"differs: {key}")
        print(f"{len(before.keys() & after.keys()) - len(changed)} of {len(before)} outputs identical")
        return 1 if changed else 0
    os.environ.setdefault("JEVONS_OFFLINE", "1")
    json.dump(digest(), sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``jevons book``: build the Jupyter Book (the same build as ``make book``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from model.errors import JevonsError
from model.paths import BOOK_DIR, PROJECT_DIR

ORDER = 60


def register(sub) -> None:
    p = sub.add_parser("book", help="build the book into book/_build/html",
                       description="Build the Jupyter Book with -W -n --keep-going, so a failing "
                       "cell or a broken reference fails the build. Notebooks whose inputs did not "
                       "change are taken from the execution cache.")
    p.add_argument("--clean", action="store_true", help="remove book/_build first (re-run every notebook)")
    p.set_defaults(func=run)


def run(args) -> int:
    exe = Path(sys.executable).with_name("jupyter-book")
    if not exe.exists():
        found = shutil.which("jupyter-book")
        if found is None:
            raise JevonsError("jupyter-book is not installed; run 'make book' (it installs it)")
        exe = Path(found)
    if args.clean:
        shutil.rmtree(BOOK_DIR / "_build", ignore_errors=True)
    cmd = [str(exe), "build", "-W", "-n", "--keep-going", str(BOOK_DIR)]
    status = subprocess.call(cmd, cwd=PROJECT_DIR)
    if status != 0:
        raise JevonsError(f"book build failed (exit {status}); see the messages above")
    print(f"book: {BOOK_DIR / '_build' / 'html' / 'index.html'}")
    return 0

"""The ``jevons`` command line.

Each subcommand lives in its own module ``model/cli/cmd_*.py`` that defines
``register(subparsers)``; the parser it adds sets ``func`` (the handler, returning an exit
status) through ``set_defaults``. Modules are discovered, so adding a command touches one file.

Errors the user can fix are raised as :class:`model.errors.JevonsError` and printed as one line
``error: ...`` on stderr with exit status 2 (a traceback only with ``--debug``). Ctrl-C exits
with 130 and SIGTERM with 143, each after one line, leaving no partial output.

Each command module imports what it needs inside its handler, so that ``jevons --help`` and a
bad argument answer at once without loading the fit.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys

from model.errors import EXIT_USER_ERROR, JevonsError

EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class ArgumentParser(argparse.ArgumentParser):
    """argparse with the project's one-line error format."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"error: {self.prog}: {message} (see '{self.prog} --help')\n")
        sys.exit(EXIT_USER_ERROR)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="jevons",
        description="Jevons-style model of AI compute demand (see the book for the argument).",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("cmd_"):
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        module.register(sub)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: work stops, partial outputs are removed."""


def _terminate(signum, frame):  # noqa: ARG001 - the signal handler's signature
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Run ``jevons ARGV``; returns the exit status.

    0 on success; 2 for an error the user can fix (one line on stderr starting ``error:``);
    130 on Ctrl-C (SIGINT) and 143 on SIGTERM, after removing any partial output.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.func(args) or 0)
    except JevonsError as exc:
        if args.debug:
            raise
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USER_ERROR
    except Terminated:
        sys.stderr.write("error: terminated\n")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

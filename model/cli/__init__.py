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
import errno
import importlib
import os
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


def _is_stdout(exc: OSError) -> bool:
    return exc.filename is None and exc.errno in (errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EBADF)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # in-process (tests): stdout is not a file
        pass


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
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a full or closed stdout fails here, not at interpreter exit
        return code
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
        _silence_stdout()
        return 0
    except OSError as exc:  # the system refused: a full disk or stdout, a vanished folder
        if args.debug:
            raise
        _silence_stdout()
        where = f"{exc.filename}: " if exc.filename else "standard output: " if _is_stdout(exc) else ""
        sys.stderr.write(f"error: {where}{exc.strerror or exc}\n")
        return EXIT_USER_ERROR
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""``rasterkit`` command line: dispatch, error handling and exit codes.

Each command lives in its own module ``rasterkit.cli.<module>`` that defines
``configure(parser)`` (add arguments) and ``run(args) -> int`` (do the work, return the exit
status). Only the module of the command being run is imported, so start-up stays fast.

Exit statuses follow ``diff``/``cmp``: 0 same / success, 1 different, 2 trouble.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

#: command name -> (module in rasterkit.cli, one-line description for ``rasterkit --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "diff": ("diff", "line-oriented diff of two images (rows are the lines)"),
    "diff-dir": ("diff_dir", "diff every pair of two folders of screenshots, one index page"),
    "remove-small": ("remove_small", "remove small objects (and small holes) of a binary image"),
    "area-open": ("area_open", "greyscale area opening: flatten bright peaks smaller than an area"),
    "area-close": ("area_close", "greyscale area closing: fill dark pits smaller than an area"),
    "compare": ("compare", "compare two binary images: counts, IoU, Dice, distances, a picture"),
    "compare-lines": ("compare_lines", "compare two line drawings / skeletons with a tolerance"),
    "skeletonize": ("skeletonize", "thin a binary image to one-pixel-wide lines"),
    "mosaic": ("mosaic", "photomosaic: replace every pixel by a tile, streamed to any size"),
    "raster": ("raster", "raw multiband rasters (ENVI BIP/BIL/BSQ): info, split, convert"),
}

EXIT_TROUBLE = 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2, like every other rasterkit error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = _did_you_mean(message, _option_strings(self))
        print(f"rasterkit: error: {message}{hint} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_TROUBLE)


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """Every option of ``parser`` and of its sub-commands (``raster split --bands``: argparse
    reports a sub-command's unknown option from the parent parser)."""
    found = list(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _option_strings(sub)
    return found


def _did_you_mean(message: str, options: list[str]) -> str:
    """``"; did you mean 'diff'?"`` for a mistyped choice or option in an argparse message
    (``invalid choice: 'dif' (choose from ...)``, ``unrecognized arguments: --exat``), else
    ``""``."""
    import difflib
    import re

    choice = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)$", message)
    if choice:
        typed, allowed = choice[1], re.findall(r"'(.*?)'", choice[2])
    elif message.startswith("unrecognized arguments: "):
        typed = message.split(": ", 1)[1].split()[0]
        typed, allowed = typed.split("=")[0], [o for o in options if o.startswith("--")]
    else:
        return ""
    close = difflib.get_close_matches(typed, allowed, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _version() -> str:
    from .. import __version__

    return __version__


def _top_parser() -> ArgumentParser:
    width = max(len(name) for name in COMMANDS)
    listing = "\n".join(f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items())
    parser = ArgumentParser(
        prog="rasterkit",
        description="Image chores done properly.",
        epilog=f"commands:\n{listing}\n\nRun 'rasterkit COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rasterkit {_version()}")
    parser.add_argument("command", choices=sorted(COMMANDS), metavar="COMMAND")
    return parser


def build_parser(command: str) -> ArgumentParser:
    """The full parser of one command (imports only that command's module)."""
    module_name, text = COMMANDS[command]
    module = importlib.import_module(f"rasterkit.cli.{module_name}")
    parser = ArgumentParser(
        prog=f"rasterkit {command}",
        description=(module.__doc__ or text).strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true",
                        help="show a full traceback on errors (for bug reports)")
    module.configure(parser)
    parser.set_defaults(_run=module.run)
    return parser


def _one_blas_thread() -> None:
    """Keep OpenBLAS to one thread unless the user chose otherwise.

    numpy starts OpenBLAS' thread pool when it is imported (tens of ms on a small machine),
    and no command does the large matrix products that would use it. Only effective before
    numpy is first imported, so it is set before any command module is.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit status."""
    _one_blas_thread()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS:
        # --help, --version, or an unknown command: argparse reports and exits.
        _top_parser().parse_args(args_list or ["--help"])
        return EXIT_TROUBLE
    parser = build_parser(args_list[0])
    args = parser.parse_args(args_list[1:])
    return run_command(args)


class _StdoutError(Exception):
    """Standard output cannot be written (a full disk, /dev/full); carries the reason."""


class _GuardedStdout:
    """Standard output whose write failures (other than a closed pipe) raise
    :class:`_StdoutError` with the operating system's reason."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _guard(self, call: Any, *args: Any) -> Any:
        from ..io import os_reason

        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _StdoutError(os_reason(error)) from None

    def write(self, text: str) -> int:
        return self._guard(self._stream.write, text)

    def flush(self) -> None:
        self._guard(self._stream.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's last flush cannot fail."""
    import os

    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


def _choose_pages(args: argparse.Namespace) -> None:
    """With ``--page N``, read page N of the command's image inputs (see ``add_page``)."""
    if getattr(args, "page", None) is None:
        return
    from ..io import Page

    names = [name for name in getattr(args, "_paged", ()) if getattr(args, name, None)]
    for name in names:  # with two inputs, a single image is compared with page N of the other
        setattr(args, name, Page(getattr(args, name), args.page, strict=len(names) == 1))


def _describe(error: Exception) -> str:
    """The message for an exception no module turned into a RasterkitError: a file the
    operating system refused (too long a name, a link loop, no permission) is named with the
    reason; anything else is a bug of ours."""
    if isinstance(error, OSError) and error.filename is not None:
        import os

        from ..io import os_reason

        name = os.fsdecode(error.filename)
        if len(name) > 120:
            name = f"{name[:58]}...{name[-58:]}"
        return f"{name}: {os_reason(error)}"
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {message} (this is a bug; rerun with --debug)"


def run_command(args: argparse.Namespace) -> int:
    """Call ``args._run(args)`` and turn every failure into one line on stderr and status 2."""
    from ..errors import RasterkitError

    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)  # type: ignore[assignment]
    try:
        _choose_pages(args)
        status = int(args._run(args))
        sys.stdout.flush()  # a failure is reported here, not at exit
        return status
    except RasterkitError as error:
        if args.debug:
            raise
        print(f"rasterkit: error: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("rasterkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        _silence_stdout()
        return 0
    except _StdoutError as error:
        _silence_stdout()
        print(f"rasterkit: error: cannot write to standard output ({error})", file=sys.stderr)
    except MemoryError:
        if args.debug:
            raise
        hint = " or a lower --max-pixels" if hasattr(args, "max_pixels") else ""
        print(f"rasterkit: error: out of memory (try a smaller input{hint})", file=sys.stderr)
    except Exception as error:
        if args.debug:
            raise
        print(f"rasterkit: error: {_describe(error)}", file=sys.stderr)
    finally:
        sys.stdout = stdout
    return EXIT_TROUBLE


if __name__ == "__main__":
    sys.exit(main())

"""A minimal progress bar on stderr, shown only on a terminal.

Long commands (mosaic, raster export, batch diffs) report progress through :class:`Progress`;
it prints nothing when stderr is not a TTY or when ``enabled`` is false (``--quiet``).
"""

from __future__ import annotations

import sys
import time
from types import TracebackType


class Progress:
    """Count work units done out of ``total`` and redraw a one-line bar at most 10 times/s.

    Example
    -------
    >>> with Progress(total=3, label="bands", enabled=False) as bar:
    ...     for _ in range(3):
    ...         bar.advance()
    """

    def __init__(self, total: int, label: str = "", *, enabled: bool = True) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.done = 0
        self.enabled = enabled and sys.stderr.isatty()
        self._start = time.monotonic()
        self._last_draw = 0.0

    def advance(self, units: int = 1) -> None:
        """Record ``units`` more done and redraw if due."""
        self.done = min(self.done + units, self.total)
        if self.enabled:
            now = time.monotonic()
            if now - self._last_draw >= 0.1 or self.done == self.total:
                self._last_draw = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        fraction = self.done / self.total
        filled = int(fraction * 30)
        elapsed = now - self._start
        eta = elapsed / fraction - elapsed if fraction > 0 else 0.0
        bar = "#" * filled + "-" * (30 - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {fraction:6.1%}  {self.done}/{self.total}"
                         f"  eta {eta:5.1f}s ")
        sys.stderr.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


class PhasedProgress:
    """One :class:`Progress` bar per phase a library function announces.

    Pass :meth:`start` as the function's ``on_total(units, label)`` (or ``on_total(units)``:
    the bar is then labelled ``label``) and :meth:`advance` as its ``progress(units)``; each
    new phase closes the previous bar. A phase's total is learnt when it starts, so a
    function that knows its amount of work only after checking its arguments can announce it.
    """

    def __init__(self, label: str = "", *, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.bar: Progress | None = None

    def start(self, units: int, label: str | None = None) -> None:
        """Begin a phase of ``units`` work units (labelled ``label``, default the bar's)."""
        self.close()
        self.bar = Progress(units, self.label if label is None else label,
                            enabled=self.enabled)

    def advance(self, units: int = 1) -> None:
        """Record ``units`` more done in the current phase."""
        if self.bar is not None:
            self.bar.advance(units)

    def close(self) -> None:
        """End the current phase (its bar's line is finished)."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

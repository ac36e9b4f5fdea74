"""The one protocol every command's result follows: :class:`ResultProtocol`.

Whatever a command computes comes back from the library as one object, and the command only
prints it: ``--json`` prints :meth:`~ResultProtocol.to_dict`, otherwise it prints
:meth:`~ResultProtocol.to_text`, whose line that sums the result up is
:meth:`~ResultProtocol.summary_line`. So a script that calls the library gets exactly what
the command line shows::

    >>> import numpy as np
    >>> import rasterkit
    >>> from rasterkit.results import ResultProtocol
    >>> a = np.zeros((6, 4), np.uint8); a[2] = 255
    >>> d = rasterkit.diff(a, np.delete(a, 2, axis=0))
    >>> isinstance(d, ResultProtocol)
    True
    >>> d.summary_line()
    'A 4x6 vs B 4x5: 1 hunk (1 removed)'

The results, by command:

==============================  ==========================================================
command                         result
==============================  ==========================================================
diff                            :class:`rasterkit.linediff.result.DiffResult`
diff-dir                        :class:`rasterkit.batch.BatchResult`
remove-small, area-open/-close  :class:`rasterkit.morphology.result.FileReport` (each step
                                an :class:`~rasterkit.morphology.result.AreaFilterResult`)
skeletonize                     :class:`rasterkit.morphology.result.SkeletonFileReport`
                                (its :class:`~rasterkit.morphology.result.SkeletonResult`)
compare                         :class:`rasterkit.compare.binary.BinaryComparison`
compare-lines                   :class:`rasterkit.compare.lines.LineComparison`
mosaic                          :class:`rasterkit.photomosaic.result.MosaicResult`
raster info                     :class:`rasterkit.raster.info.RasterInfo`
raster split                    :class:`rasterkit.raster.band_images.SplitResult`
raster convert                  :class:`rasterkit.raster.writer.WrittenCube`
==============================  ==========================================================

What only the command knows is not in the result and is added by the command: ``diff`` and
``diff-dir`` add the configuration file they read (``"config"``) and, with the options that
make them, the gate and what was accepted to the JSON, and lines saying so to the text;
``diff`` colours its text on a terminal (``DiffResult.to_text(colour=True)``).

The protocol is structural (:func:`typing.runtime_checkable`): the result classes do not
inherit from it, so importing them does not import this module (the commands' start-up).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["ResultProtocol"]


@runtime_checkable
class ResultProtocol(Protocol):
    """What every command's result offers: its JSON document and its text, for people.

    ``isinstance(result, ResultProtocol)`` checks that the three methods exist (not their
    signatures).
    """

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``--json`` prints (the command may add keys only it knows, see
        the module notes): plain, JSON-ready values (lists, not tuples), field names stable,
        documented in the schemas of :mod:`rasterkit.schemas`."""
        ...

    def summary_line(self) -> str:
        """One line, without a newline, that sums the result up: the line the command
        prints to say what it found or did (diff: its last line; compare: its first).
        ``raster info`` prints a table of the cube instead; its result's summary line is
        for logs."""
        ...

    def to_text(self) -> str:
        """Everything the command prints without ``--json``, newline-terminated (just
        :meth:`summary_line` and a newline for the commands that print one line)."""
        ...

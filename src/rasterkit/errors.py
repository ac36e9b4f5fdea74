"""The exceptions rasterkit raises on purpose.

Every message is one line a user can act on, and names the file it is about, e.g.
``"b.png: not an image (libvips: unsupported format)"``. The command line prints it as
``rasterkit: error: <message>`` and exits with status 2.
"""

from __future__ import annotations


class RasterkitError(Exception):
    """Base class: a problem with the input, a limit, or the output, never a bug."""


class BadInputError(RasterkitError, ValueError):
    """An input is missing, unreadable, malformed, or of a kind the operation does not take."""


class LimitError(RasterkitError):
    """An input exceeds a configured limit (pixel count, memory); the message names the override."""


class OutputError(RasterkitError):
    """An output cannot be written: bad path, unknown format, or it would overwrite an input.

    ``reason`` is set when writing failed ("disk full", "read-only file system", ...), so that
    a caller writing a part of a larger output can report the output the user named.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason

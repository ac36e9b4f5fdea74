"""A hunk's fingerprint: what it is, not where it is.

The fingerprint hashes the hunk's kind and the row keys (:mod:`.keys`) of its rows in A and in
B, so the same edit found at another height of the page, or in a later run, has the same
fingerprint, while any other content does not. 16 hex digits (BLAKE2b, 64 bits).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

from .result import Hunk


def fingerprint(hunk: Hunk, keys_a: Sequence[int], keys_b: Sequence[int]) -> str:
    """The fingerprint of ``hunk`` given both images' row keys (one 64-bit key per row).

    >>> from rasterkit.linediff.result import Hunk
    >>> a = fingerprint(Hunk("removed", (2, 4), (2, 2)), [1, 2, 7, 8, 3], [1, 2, 3])
    >>> a == fingerprint(Hunk("removed", (0, 2), (0, 0)), [7, 8, 1], [1])
    True
    >>> a == fingerprint(Hunk("added", (0, 0), (0, 2)), [1], [7, 8, 1])
    False
    """
    digest = hashlib.blake2b(hunk.kind.encode(), digest_size=8)
    for keys, (start, stop) in ((keys_a, hunk.a), (keys_b, hunk.b)):
        digest.update(struct.pack(f"<Q{stop - start}Q", stop - start, *keys[start:stop]))
    return digest.hexdigest()

"""Kept for compatibility; the helpers live in :mod:`rasterkit.threads`.

This name is an alias of that module, not a copy of its names: ``import
rasterkit.morphology.threads`` gives :mod:`rasterkit.threads` itself, so that setting
``THREADS`` through the old name (as tests do, to force two bands) changes what
:func:`rasterkit.threads.bands` reads.
"""

from __future__ import annotations

import sys

from .. import threads

sys.modules[__name__] = threads

"""A public benchmark for image diff tools: Chromium screenshot pairs with known edits.

:mod:`families` builds the pages (seeded), :mod:`render` renders them and derives the ground
truth from element boxes, :mod:`tools` runs each tool, :mod:`score` scores it, :mod:`report`
and :mod:`run` make the tables (``make bench-corpus``).
"""

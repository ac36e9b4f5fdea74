"""Every mosaic test keeps its tile cache in its own temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tile_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RASTERKIT_CACHE", str(tmp_path_factory.mktemp("cache")))

"""Kept for compatibility; the helpers live in :mod:`rasterkit.binary_inputs` (loading and
binarising single-band images), :mod:`rasterkit.thresholds` (the threshold check) and
:mod:`.arguments` (areas, connectivity). Import them from there."""

from __future__ import annotations

from ..binary_inputs import (  # noqa: F401  (re-exported for old imports)
    Binariser,
    describe_values,
    foreground_of,
    load_single_band,
    opaque_value,
    otsu_threshold,
    resolve_threshold,
    single_band,
)
from ..thresholds import check_threshold  # noqa: F401
from .arguments import (  # noqa: F401
    CONNECTIVITIES,
    check_area,
    check_areas,
    check_connectivity,
)

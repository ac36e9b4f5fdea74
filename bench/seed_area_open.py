"""A DIPlib area-opening script with pyvips for the files, whole process.

    python bench/seed_area_open.py grey.png out.png MIN_AREA

The anchor of ``rasterkit area-open`` in the start-up benchmark (:mod:`bench.bench_startup`).
"""

import sys

import diplib as dip
import numpy as np
import pyvips

grey = pyvips.Image.new_from_file(sys.argv[1]).numpy()
opened = np.asarray(dip.AreaOpening(grey, filterSize=int(sys.argv[3]), connectivity=2))
pyvips.Image.new_from_array(opened).write_to_file(sys.argv[2])

"""The OpenCV script people use to remove small objects (the forum-thread answer), whole process.

    python bench/seed_remove_small.py mask.png out.png MIN_AREA

Labels the 8-connected components with ``connectedComponentsWithStats``, keeps those of at
least ``MIN_AREA`` pixels through a lookup table and writes the result: the anchor of
``rasterkit remove-small`` in the start-up benchmark (:mod:`bench.bench_startup`).
"""

import sys

import cv2
import numpy as np

image = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
_, labels, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
keep = stats[:, cv2.CC_STAT_AREA] >= int(sys.argv[3])
keep[0] = False
cv2.imwrite(sys.argv[2], keep.astype(np.uint8)[labels] * np.uint8(255))

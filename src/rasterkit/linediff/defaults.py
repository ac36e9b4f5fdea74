"""Default settings of a diff, in a module of their own so that reading them imports nothing."""

#: Largest run of unchanged rows between two differences that still merges them (rows).
DEFAULT_MERGE_GAP = 40
#: Colour distance below which two pixels are the same (pixelmatch's scale and default).
DEFAULT_THRESHOLD = 0.1

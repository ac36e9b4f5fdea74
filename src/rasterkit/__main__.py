"""``python -m rasterkit``: the command line (the same as the ``rasterkit`` script)."""

import sys

from .cli.main import main

sys.exit(main())

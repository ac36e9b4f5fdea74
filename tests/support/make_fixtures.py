"""Regenerate the committed screenshot fixtures (needs Debian's chromium).

    .venv/bin/python -m tests.support.make_fixtures
"""

from __future__ import annotations

import json
from pathlib import Path

from .screenshots import Renderer, edited_pair

FOLDER = Path(__file__).resolve().parent.parent / "fixtures" / "diff"

#: name -> (seed, sections): small pages, a few hundred KB each.
PAIRS = {"settings": (5, 9), "dashboard": (21, 9)}


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    with Renderer() as renderer:
        for name, (seed, sections) in PAIRS.items():
            pair = edited_pair(renderer, FOLDER, seed=seed, n_sections=sections, name=name)
            (FOLDER / f"{name}.json").write_text(json.dumps(pair.to_json(), indent=1))
            print(name, pair.a.height, pair.b.height)


if __name__ == "__main__":
    main()

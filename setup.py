"""Build the compiled kernels (``src/rasterkit/_kernels/_*.pyx``) at install time.

Everything else about the package is in pyproject.toml; this file only lists the Cython
extensions, which setuptools cannot declare there. They are optimised (``-O3``), carry no
debug information, and need no numpy headers (typed memoryviews only).
"""

import os
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = Path("src/rasterkit/_kernels")
FLAGS = ["-O3", "-g0", "-ffp-contract=off"]  # no fused multiply-add: results match numpy's

extensions = [Extension(f"rasterkit._kernels.{pyx.stem}", [str(pyx)], extra_compile_args=FLAGS,
                        extra_link_args=["-s"])
              for pyx in sorted(KERNELS.glob("_*.pyx"))]

setup(ext_modules=cythonize(extensions, language_level=3, quiet=True,
                            compiler_directives={"embedsignature": True}),
      options={"build_ext": {"parallel": os.cpu_count() or 1}})  # one compiler per core

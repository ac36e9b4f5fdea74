"""Run :func:`.work.compare_pair` over many pairs on Dask, streaming records as they finish.

* ``scheduler="tcp://host:8786"``: an existing ``dask.distributed`` cluster (its workers need
  rasterkit installed and the folders at the same paths).
* otherwise a local ``dask.distributed.LocalCluster`` on the loopback interface: ``workers``
  processes of one thread each (``processes=True``, the default), or one process with
  ``workers`` threads (libvips and the hashing release the GIL, alignment does not).
* ``workers=1`` with no scheduler runs in this process, with no cluster to start.

Pairs go to the workers in small chunks (:data:`MAX_CHUNK` at most: one scheduler round trip
for several pairs); at most :data:`IN_FLIGHT` chunks per worker are submitted at a time and each
result is released as soon as it is read, so memory is bounded by the workers, not by the
number of pairs. With several workers each decodes its two images one after the other: the
workers already keep every core busy.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import BadInputError
from .pairs import PairSpec
from .work import compare_pair, compare_pairs

#: Tasks submitted ahead per worker.
IN_FLIGHT = 3
#: Most pairs in one task.
MAX_CHUNK = 8


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_pairs(specs: Iterable[PairSpec], options: dict[str, Any], out: str | None, *,
              workers: int | None = None, processes: bool = True,
              scheduler: str | None = None, inline: bool | None = None
              ) -> Iterator[dict[str, Any]]:
    """Yield one record per spec, in the order they finish. ``inline`` runs them in this
    process (default: when there is one worker and no scheduler)."""
    specs = list(specs)
    workers = workers or default_workers()
    if scheduler is None:  # more local workers than pairs would only start and stop
        workers = min(workers, max(1, len(specs)))
    if inline is None:
        inline = scheduler is None and workers == 1
    if inline:
        for spec in specs:
            yield compare_pair(spec, options, out)
        return
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers: glibc then returns
        # every decoded image's pages to the system and faults them in again for the next
        # one, which made each diff 40 % slower here. Keep its other settings. The
        # workers' sampling profiler (a stack walk every 10 ms) is off: tasks are short.
        environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ",
                                                     {}).items()
                   if k != "MALLOC_TRIM_THRESHOLD_"}
        with dask.config.set({"distributed.nanny.pre-spawn-environ": environ,
                              "distributed.worker.profile.enabled": False}):
            # One process with threads talks in memory (inproc://): no port, no host.
            cluster = LocalCluster(n_workers=workers if processes else 1,
                                   threads_per_worker=1 if processes else workers,
                                   processes=processes,
                                   host="127.0.0.1" if processes else None,
                                   dashboard_address=None, silence_logs=logging.CRITICAL,
                                   # The scheduler's HTTP server (health routes) still
                                   # starts without a dashboard; port 8787 may be taken.
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:  # ValueError: not an address
            raise BadInputError(f"{scheduler}: cannot reach the Dask scheduler "
                                f"({str(error).splitlines()[0]})") from None
        workers = max(1, sum(w.get("nthreads", 1) for w in
                             client.scheduler_info().get("workers", {}).values()))
    if workers > 1:
        options = {**options, "threads": 1}
    specs = list(specs)
    size = max(1, min(MAX_CHUNK, len(specs) // (IN_FLIGHT * 4 * workers)))
    try:
        chunks = (specs[i:i + size] for i in range(0, len(specs), size))

        def submit(chunk: list[PairSpec]) -> Any:
            return client.submit(compare_pairs, chunk, options, out, pure=False)

        queue = as_completed([submit(c) for c in itertools.islice(chunks, IN_FLIGHT * workers)])
        for future in queue:
            records = future.result()
            future.release()
            following = next(chunks, None)
            if following is not None:
                queue.add(submit(following))
            yield from records
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""Work on many catalogs at once: a pool of worker processes, one per core.

Parsing and writing PO files is CPU-bound Python, so threads would not help;
processes do (measured with bench/run.py: ``update`` of 5000 catalogs ran
1.7× as fast with 2 processes as with one, on 2 cores). Small jobs run in the calling process, where a pool would
cost more than it saves. ``LOCFLOW_JOBS=1`` turns the pool off.

Workers die with the process that started them (Linux ``PR_SET_PDEATHSIG``),
so a run killed with SIGKILL never leaves a worker behind holding the project
lock or writing files.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from . import files

T = TypeVar("T")
R = TypeVar("R")

# Below this many units of work the pool's start-up (tens of ms) is not worth it.
MIN_PARALLEL = 24


def jobs() -> int:
    """How many worker processes to use: ``LOCFLOW_JOBS`` or the usable cores."""
    value = os.environ.get("LOCFLOW_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _die_with_parent(parent: int) -> None:
    files.mark_worker()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def imap(function: Callable[[T], R], items: Iterable[T], workers: int | None = None, label: str | None = None) -> Iterator[R]:
    """``map(function, items)`` in order, across worker processes when it pays.

    ``function`` must be a module-level function; exceptions it raises are
    re-raised here, so return errors as values when every item must finish.
    With a ``label``, a progress bar counts the results (when bars are shown).
    """
    items = list(items)
    results = _map(function, items, workers)
    if not label:
        return results
    from .progress import track

    return track(results, len(items), label)


def _map(function: Callable[[T], R], items: list[T], workers: int | None) -> Iterator[R]:
    workers = min(workers or jobs(), len(items))
    if workers <= 1 or len(items) < MIN_PARALLEL:
        yield from map(function, items)  # (multiprocessing is not even imported: a rerun has no work)
        return
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with context.Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from pool.imap(function, items, chunksize=chunk)

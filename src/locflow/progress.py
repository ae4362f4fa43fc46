"""Progress bars for long steps, on a terminal only.

The library reports progress through :func:`track`, which does nothing unless
a command turned bars on with :func:`shown` (the CLI does so when standard
error is a terminal and the output is for people). Bars go to standard error
and vanish when the step ends, so piped output and JSON stay clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # rich is imported when bars are drawn, not at start-up
    from rich.console import Console
    from rich.progress import Progress

T = TypeVar("T")

# Fewer units than this finish before a bar is worth drawing.
MIN_SHOWN = 8

_progress: Progress | None = None


@contextmanager
def shown(console: Console):
    """Draw a bar for each :func:`track` of the block on ``console`` if it is a terminal."""
    global _progress
    if not console.is_terminal or _progress is not None:
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    )
    _progress = progress
    try:
        with progress:
            yield
    finally:
        _progress = None


def track(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield ``items``, advancing a bar labelled ``label`` when bars are shown."""
    progress = _progress
    if progress is None or total < MIN_SHOWN:
        yield from items
        return
    task = progress.add_task(label, total=total)
    try:
        for item in items:
            yield item
            progress.advance(task)
    finally:
        progress.remove_task(task)


def reporter(label: str) -> Callable[[int, int, str], None] | None:
    """A ``(done, total, detail)`` callback driving a bar labelled ``label``, for work that
    counts itself (prefill's strings, language by language); None when bars are not shown."""
    progress = _progress
    if progress is None:
        return None
    task = progress.add_task(label, total=None)

    def report(done: int, total: int, detail: str) -> None:
        progress.update(task, completed=done, total=total, description=f"{label} {detail}")

    return report

"""The steps that write: extract, update, build (and the counting for check).

Each step is a loop over units of work (an article, a template and its
catalogs, an article in its languages) run by :func:`locflow.parallel.imap`:
a unit reads its inputs and *stages* its outputs (:class:`Output`), or fails
(:class:`Failure`). The step then puts every staged file in place in one
:class:`~locflow.files.StagedWrites` transaction, under the project lock, or,
if any unit failed, discards them all and reports the error: a run modifies
everything it should or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..errors import LocflowError, from_os_error
from ..project import digest


@dataclass(frozen=True)
class Output:
    """A file a unit of work produced: unchanged, or staged to replace its target."""

    target: Path
    status: str  # "created", "updated" or "unchanged"
    staged: Path | None
    digest: str


@dataclass(frozen=True)
class Failure:
    """A unit of work that could not be done, and why (file and line)."""

    unit: str
    error: LocflowError


_UNREAD = object()


def stage_output(target: Path, data: bytes, previous=_UNREAD) -> Output:
    """Stage ``data`` for ``target`` unless the target already holds it
    (``previous``: the target's bytes, when the caller has read them; None if absent)."""
    if previous is _UNREAD:
        try:
            previous = target.read_bytes()
        except FileNotFoundError:
            previous = None
    if previous == data:
        return Output(target, "unchanged", None, digest(data))
    tmp = files.stage(target, data, sync=False)
    return Output(target, "updated" if previous is not None else "created", tmp, digest(data))


def failure(unit: str, exc: LocflowError | OSError, outputs: Iterable[Output] = ()) -> Failure:
    """A unit's failure (an OS error becomes a one-line error naming its path);
    the files it staged are discarded."""
    for output in outputs:
        if output.staged is not None:
            files.discard(output.staged)
    return Failure(unit, exc if isinstance(exc, LocflowError) else from_os_error(exc))


def settle(outcomes: list, writes: files.StagedWrites, outputs_of) -> list:
    """The successful outcomes, their staged files handed to ``writes``; if any
    unit failed, every staged file is discarded and the first error raised."""
    done = [outcome for outcome in outcomes if not isinstance(outcome, Failure)]
    for outcome in done:
        for output in outputs_of(outcome):
            if output.staged is not None:
                writes.adopt(output.staged, output.target)
    failures = [outcome for outcome in outcomes if isinstance(outcome, Failure)]
    if failures:
        writes.discard()
        raise failures[0].error
    return done

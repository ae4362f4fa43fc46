"""The steps that write: extract, update, build (and the counting for check).

Each step is a loop over units of work (an article, a template and its
catalogs, an article in its languages) run by :func:`locflow.parallel.imap`:
a unit reads its inputs and *stages* its outputs (:class:`Output`), or fails
(:class:`Failure`). The step then puts every staged file in place in one
:class:`~locflow.files.StagedWrites` transaction, under the project lock.

A unit that fails (a bad catalog, a bad article) changes nothing of its own;
the others are done, and the step ends with :class:`StepFailed`, which names
every failure (file and line) after reporting what was done: one translator's
typo does not hold back every other language. An error of the machine (disk
full) stops the whole step before anything is renamed.
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


class StepFailed(LocflowError):
    """Some units of a step failed; the others were done. ``errors``: every
    failure (file and line), in the order of the units; ``results``: what was
    done to which file."""

    def __init__(self, errors: list[LocflowError], results: list):
        noun = "file" if len(errors) == 1 else "files"
        super().__init__(f"{len(errors)} {noun} could not be processed (each named above); the others were")
        self.errors = errors
        self.results = results

    def __reduce__(self):
        return (type(self), (self.errors, self.results))


def machine_error(failures: list[Failure]) -> LocflowError | None:
    """The first failure that is the machine's (disk full, permission denied):
    it stops the whole step, since the next write would meet it too."""
    for item in failures:
        if getattr(item.error, "machine", False):
            return item.error
    return None


def settle(outcomes: list, writes: files.StagedWrites, outputs_of) -> tuple[list, list[Failure]]:
    """The successful outcomes (their staged files handed to ``writes``) and
    the failures. A failure of the machine (disk full) discards everything and
    is raised: nothing is renamed."""
    done = [outcome for outcome in outcomes if not isinstance(outcome, Failure)]
    failures = [outcome for outcome in outcomes if isinstance(outcome, Failure)]
    for outcome in done:
        for output in outputs_of(outcome):
            if output.staged is not None:
                writes.adopt(output.staged, output.target)
    fatal = machine_error(failures)
    if fatal is not None:
        writes.discard()
        raise fatal
    return done, failures

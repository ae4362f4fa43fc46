"""Writing files safely: atomic replacement, staged writes, the project lock.

Every file locflow writes goes through here:

* :func:`write_atomic` writes a temporary file next to the target and renames
  it into place, so a reader sees the old file or the new one, never half;
* :class:`StagedWrites` is a step's transaction: every output is staged
  first (written to a temporary file), then all are flushed to disk at once
  and renamed into place; if anything fails before the renames, every staged
  file is discarded and nothing was modified;
* :func:`project_lock` keeps two runs from writing the same project at once.

Fault injection (for the test suite): ``LOCFLOW_FAULT=kill@N`` kills the run
(its whole process group, as ``kill -9`` would) when it reaches its N-th write
point, ``LOCFLOW_FAULT=oserror@N:ENOSPC`` raises that error there instead, and
``LOCFLOW_FAULT_LOG=FILE`` appends the name of every write point reached to
FILE. Points are counted in the main process only, so a run stops at the same
place however many worker processes it has.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import LocflowError

LOCK_TIMEOUT = 10.0  # seconds; LOCFLOW_LOCK_TIMEOUT overrides it
LOCK_FILE = "locflow.lock"

# A staged file: ".<target name>.<random>.tmp" next to its target.
STAGED = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


# ---------------------------------------------------------------------------
# Fault injection
# ---------------------------------------------------------------------------

_points_reached = 0
_in_worker = False


def reset_fault_points() -> None:
    """Start counting write points afresh (for a test running commands in one process)."""
    global _points_reached
    _points_reached = 0


def mark_worker() -> None:
    """Called in each worker process: its write points are not counted."""
    global _in_worker
    _in_worker = True


def fault_point(kind: str, path: Path | str) -> None:
    """A place where a write happens (``kind``: stage, sync, rename, remove,
    state; ``path``: the file): counted, and where a test may stop the run."""
    global _points_reached
    spec = os.environ.get("LOCFLOW_FAULT")
    log = os.environ.get("LOCFLOW_FAULT_LOG")
    if _in_worker or not (spec or log):
        return
    _points_reached += 1
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{_points_reached} {kind} {Path(path).name}\n")
    if not spec:
        return
    action, _, rest = spec.partition("@")
    number, _, argument = rest.partition(":")
    if not number.isdigit() or int(number) != _points_reached:
        return
    if action == "kill":
        os.killpg(os.getpgid(0), signal.SIGKILL)
    elif action == "oserror":
        code = getattr(errno, argument or "EIO", errno.EIO)
        raise OSError(code, os.strerror(code), str(path))


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------


def stage(path: Path, data: bytes | str, sync: bool = True) -> Path:
    """Write ``data`` to a temporary file next to ``path`` and return its name;
    :func:`commit` puts it in place. A run killed in between leaves only a
    hidden ``.<name>.<random>.tmp`` file, removed by the next run.

    With ``sync=False`` the caller flushes many staged files at once with
    :func:`sync_staged` before committing them (one ``syncfs`` instead of an
    ``fsync`` per file: the same guarantee, a fraction of the waiting)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    refuse_read_only(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            fault_point("stage", path)
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        discard(Path(tmp))
        raise
    return Path(tmp)


def refuse_read_only(path: Path) -> None:
    """A file someone made read-only (``chmod 444``) is refused, never replaced:
    a rename would replace it whatever its mode (and root may write anything)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        raise LocflowError("is a folder where a file belongs; move it away", path)
    if not mode & 0o222:
        raise LocflowError(
            "is read-only, so locflow will not replace it; make it writable (chmod u+w) to let this step write it",
            path,
        )


def sync_staged(files: list[Path]) -> None:
    """Make sure staged files are on disk before they replace anything, so a
    crash of the machine cannot leave a renamed but empty catalog: one
    ``syncfs`` per file system involved (Linux), else an ``fsync`` per file."""
    if not files:
        return
    fault_point("sync", files[0])
    if sys.platform.startswith("linux"):
        folders: dict[int, Path] = {}
        for folder in {path.parent for path in files}:
            folders.setdefault(folder.stat().st_dev, folder)
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
            done = True
            for folder in folders.values():
                fd = os.open(folder, os.O_RDONLY)
                try:
                    done = syncfs(fd) == 0 and done
                finally:
                    os.close(fd)
            if done:
                return
        except (OSError, AttributeError):
            pass
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def commit(tmp: Path, path: Path) -> None:
    """Atomically replace ``path`` with a file made by :func:`stage`."""
    fault_point("rename", path)
    os.replace(tmp, path)


def discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def remove(path: Path) -> None:
    """Delete a file locflow made (an output or template whose source is gone)."""
    fault_point("remove", path)
    path.unlink()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see
    the old file or the new one, never half of one."""
    tmp = stage(path, data)
    try:
        commit(tmp, path)
    except BaseException:
        discard(tmp)
        raise


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """:func:`write_atomic` unless ``path`` already holds exactly ``data``; whether it wrote."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


class StagedWrites:
    """A step's writes as one transaction: stage every file, then :meth:`commit`
    flushes them all to disk and renames each into place. Leaving the ``with``
    block by an exception (or calling :meth:`discard`) removes whatever is still
    staged, so a failed step modifies nothing."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def stage(self, path: Path, data: bytes | str) -> Path:
        """Stage ``data`` for ``path`` (written, not yet in place)."""
        tmp = stage(path, data, sync=False)
        self._staged.append((tmp, path))
        return tmp

    def adopt(self, tmp: Path, path: Path) -> None:
        """Take over a file a worker process staged for ``path``."""
        self._staged.append((tmp, path))

    def commit(self) -> None:
        """Flush every staged file, then rename each into place (in staging order)."""
        sync_staged([tmp for tmp, _ in self._staged])
        while self._staged:
            tmp, path = self._staged[0]
            commit(tmp, path)
            self._staged.pop(0)

    def discard(self) -> None:
        for tmp, _ in self._staged:
            discard(tmp)
        self._staged.clear()

    def __enter__(self) -> "StagedWrites":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()


def clean_staged(folder: Path) -> int:
    """Remove the temporary files a killed run left behind (``.<name>.<random>.tmp``).
    Call it holding the project lock: then no running step owns them."""
    removed = 0
    if folder.is_dir():
        for path in folder.rglob(".*.tmp"):
            if STAGED.match(path.name) and path.is_file():
                discard(path)
                removed += 1
    return removed


# ---------------------------------------------------------------------------
# The project lock
# ---------------------------------------------------------------------------


_held: dict[str, int] = {}  # locks this process holds, and how deep


@contextlib.contextmanager
def project_lock(cache_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the project's write lock (a file in the cache folder).

    A second run that wants to write waits for the first (up to ``timeout``
    seconds, ``LOCFLOW_LOCK_TIMEOUT`` or 10 by default), then stops with a
    one-line error; two runs never write the same catalogs at once. The lock is
    the operating system's (``flock``): a run that is killed releases it. Within
    one run the lock is re-entrant, so a command can hold it around several
    steps (``build --site`` renders, builds and writes under one lock).
    """
    key = str((cache_dir / LOCK_FILE).resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    from filelock import FileLock, Timeout

    if timeout is None:
        try:
            timeout = float(os.environ.get("LOCFLOW_LOCK_TIMEOUT", LOCK_TIMEOUT))
        except ValueError:
            timeout = LOCK_TIMEOUT
    cache_dir.mkdir(parents=True, exist_ok=True)
    lock_path = cache_dir / LOCK_FILE
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise LocflowError(
            f"another locflow run is writing this project's catalogs (waited {timeout:g} s for its lock); "
            "wait for it to finish and run this again",
            lock_path,
        ) from None
    _held[key] = 1
    try:
        yield
    finally:
        _held.pop(key, None)
        lock.release()


# ---------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------


def display_path(path: Path | str, root: Path) -> str:
    """How a file is named to users and in reports: relative to the project
    root (with ``/``) when inside it, else as given."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)

"""CPU-bound work shared with one forked child process (the GIL keeps threads on one core).

``parallel_map(func, items)`` returns ``[func(x) for x in items]``. When forking is safe and the
machine has a second core, a child process forked from this one takes chunks of ``items`` from a
pipe while the caller takes the others (first running ``before``, work of its own); the child
sends its results back pickled and exits. The child reads the caller's memory copy-on-write, so
nothing is sent to it.

Forking is skipped (everything runs here) where it is not safe or not worth it: no ``os.fork``
or not Linux (macOS system libraries do not survive a fork), no ``/proc`` to count threads by,
a second thread in the process (a lock it holds would stay held in the child), one core, too
little work, or ``REPOAGENT_WORKERS=1``. A child
that fails, dies or stops answering costs only time: the chunks it did not return are computed
here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_CHUNKS = 255
"""Chunks are claimed one byte at a time from a pipe (a read of one byte is atomic)."""
EXIT_WAIT = 0.05
"""Seconds a joined thread may take to leave the kernel's task list before a fork is skipped."""
CHILD_TIMEOUT = 120.0
"""Seconds the caller waits for the child after finishing its own chunks."""

forks = 0
"""How many children ``parallel_map`` forked in this process (for tests and benchmarks)."""


def workers() -> int:
    """How many processes may share CPU work: 2 with a second core and forking allowed, else 1."""
    setting = os.environ.get("REPOAGENT_WORKERS", "").strip()
    if setting.isdigit() and int(setting) <= 1:
        return 1
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return 1
    if not os.path.isdir("/proc/self/task"):  # no way to tell that a fork is safe
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except OSError:
        cores = os.cpu_count() or 1
    return 2 if cores > 1 else 1


def single_threaded() -> bool:
    """Whether this process runs one thread (Python's or any library's), so a fork is safe.

    A thread just joined (a pool's, after its ``with`` block) may still be leaving the kernel's
    task list: with no other Python thread alive, that is waited for, up to ``EXIT_WAIT``."""
    import threading

    deadline = time.monotonic() + EXIT_WAIT
    while True:
        try:
            tasks = len(os.listdir("/proc/self/task"))
        except OSError:
            return False
        if tasks == 1:
            return True
        if threading.active_count() > 1 or time.monotonic() > deadline:
            return False
        time.sleep(0.001)


def parallel_map(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    weights: Sequence[int] | None = None,
    before: Callable[[], object] | None = None,
    min_weight: int = 0,
) -> list[R]:
    """``[func(x) for x in items]``, shared with a forked child when that is safe and worth it.

    ``weights``: each item's rough cost (e.g. characters), to cut chunks of similar cost and to
    fork only when their total reaches ``min_weight``. ``before`` runs first in this process
    (while the child starts on the chunks). ``func`` and its results must be picklable results
    of plain computation: the child must not write files, databases or the terminal.
    """
    sizes = list(weights) if weights is not None else [1] * len(items)
    chunks = _chunks(sizes, min(MAX_CHUNKS, len(items)))
    child: _Child[T, R] | None = None
    if len(chunks) > 1 and sum(sizes) >= min_weight and workers() > 1 and single_threaded():
        with contextlib.suppress(OSError):  # no process to spare: all of it runs here
            child = _Child(func, items, chunks)
    if child is None:
        if before is not None:
            before()
        return [func(x) for x in items]
    done: dict[int, list[R]] = {}
    with child:
        if before is not None:
            before()
        while (index := child.claim()) is not None:
            start, stop = chunks[index]
            done[index] = [func(x) for x in items[start:stop]]
        done.update(child.results())
    for index, (start, stop) in enumerate(chunks):  # what the child did not send back
        if index not in done:
            done[index] = [func(x) for x in items[start:stop]]
    return [result for index in range(len(chunks)) for result in done[index]]


def _chunks(sizes: list[int], count: int) -> list[tuple[int, int]]:
    """``[start, stop)`` ranges of about equal weight, at most ``count`` of them."""
    target = max(1, sum(sizes) // max(1, count))
    chunks: list[tuple[int, int]] = []
    start = total = 0
    for index, size in enumerate(sizes):
        total += size
        if total >= target and len(chunks) < count - 1:
            chunks.append((start, index + 1))
            start, total = index + 1, 0
    if start < len(sizes):
        chunks.append((start, len(sizes)))
    return chunks


class _Child(Generic[T, R]):
    """A forked child that claims chunks from a shared pipe and pickles its results back."""

    def __init__(
        self, func: Callable[[T], R], items: Sequence[T], chunks: list[tuple[int, int]]
    ) -> None:
        global forks
        queue_read, queue_write = os.pipe()
        os.write(queue_write, bytes(range(len(chunks))))  # <= 255 bytes: never blocks
        os.close(queue_write)  # empty queue reads as end of file
        self.queue = queue_read
        self.answer, answer_write = os.pipe()
        # Frozen objects are left alone by the collector, so its passes in either process do
        # not write to (and copy) the pages the child shares.
        gc.freeze()
        try:
            self.pid = os.fork()
        except OSError:
            gc.unfreeze()
            for fd in (queue_read, self.answer, answer_write):
                os.close(fd)
            raise
        if self.pid == 0:  # the child: never returns, whatever happens (even Ctrl-C here)
            try:
                os.close(self.answer)
                _serve(func, items, chunks, self.queue, answer_write)
            finally:
                os._exit(1)
        gc.unfreeze()
        forks += 1
        os.close(answer_write)

    def __enter__(self) -> _Child[T, R]:
        return self

    def claim(self) -> int | None:
        """The next unclaimed chunk, or ``None`` when all are taken."""
        return _claim(self.queue)

    def results(self) -> dict[int, list[R]]:
        """The child's results by chunk (empty if it failed or did not answer in time)."""
        data = bytearray()
        deadline = time.monotonic() + CHILD_TIMEOUT
        with contextlib.suppress(OSError):
            while (left := deadline - time.monotonic()) > 0:
                if not select.select([self.answer], [], [], left)[0]:
                    break
                block = os.read(self.answer, 1 << 20)
                if not block:
                    break
                data += block
        if self._reap(wait=bool(data)) != 0 or not data:
            return {}
        import pickle

        try:
            found = pickle.loads(data)
        except Exception:  # a garbled answer is recomputed
            return {}
        return found if isinstance(found, dict) else {}

    def _reap(self, *, wait: bool) -> int | None:
        """The child's exit status; killed first unless it is expected to exit now."""
        if self.pid <= 0:
            return None
        pid, self.pid = self.pid, 0
        if not wait:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)

    def __exit__(self, *exc: object) -> None:
        self._reap(wait=False)
        for fd in (self.queue, self.answer):
            with contextlib.suppress(OSError):
                os.close(fd)


def _claim(queue: int) -> int | None:
    try:
        taken = os.read(queue, 1)
    except OSError:
        return None
    return taken[0] if taken else None


def _serve(
    func: Callable[[T], R],
    items: Sequence[T],
    chunks: list[tuple[int, int]],
    queue: int,
    answer: int,
) -> NoReturn:
    """The child's whole life: compute claimed chunks, send them, exit without cleanup (the
    parent's buffers, databases and ``atexit`` handlers are the parent's)."""
    code = 1
    try:
        import pickle  # here, not at the top: a pack that forks no child does not load it

        gc.disable()  # a short life: nothing to collect that exiting does not free
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the caller reports whatever matters once
            done: dict[int, list[R]] = {}
            while (index := _claim(queue)) is not None:
                start, stop = chunks[index]
                done[index] = [func(x) for x in items[start:stop]]
            data = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(answer, view) :]
        code = 0
    except BaseException:  # the parent recomputes what is missing
        pass
    finally:
        os._exit(code)

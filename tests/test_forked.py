"""CPU work shared with a forked child: same results as one process, whatever the child does.

Each case runs in a fresh interpreter: a fork needs a single-threaded process, and a pytest
process may hold threads other tests left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from repoagent import forked

needs_two_cores = pytest.mark.skipif(
    forked.workers() < 2, reason="forking needs Linux, os.fork, /proc and a second core"
)

PRELUDE = """
import json, os, sys, time
from repoagent import forked

PARENT = os.getpid()

def square(x):
    return x * x

def in_child():
    return os.getpid() != PARENT
"""


def run(body: str, **env: str) -> dict:  # type: ignore[type-arg]
    """Run PRELUDE + ``body`` in a new interpreter; it prints one JSON object."""
    script = PRELUDE + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # no warning, no traceback from either process
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@needs_two_cores
def test_results_come_back_in_order_from_both_processes() -> None:
    found = run("""
        def tagged(x):
            time.sleep(0.002)  # slow enough that neither process takes every chunk
            return [x * x, in_child()]
        out = forked.parallel_map(tagged, list(range(500)), weights=[1 + x % 7 for x in range(500)])
        print(json.dumps({"values": [v for v, _ in out], "child": sum(c for _, c in out),
                          "forks": forked.forks}))
    """)
    assert found["values"] == [x * x for x in range(500)]
    assert found["forks"] == 1
    assert 0 < found["child"] < 500  # the work was shared


@needs_two_cores
def test_before_runs_once_here_while_the_child_works() -> None:
    found = run("""
        calls = []
        out = forked.parallel_map(square, list(range(50)), before=lambda: calls.append(os.getpid()))
        print(json.dumps({"ok": out == [x * x for x in range(50)], "calls": calls,
                          "parent": PARENT}))
    """)
    assert found["ok"]
    assert found["calls"] == [found["parent"]]


@needs_two_cores
@pytest.mark.parametrize(
    "failure",
    [
        "os._exit(3)",  # dies without a word
        "raise RuntimeError('boom')",  # fails
        "os.write(forked_answer_fd(), b'not a pickle'); os._exit(0)",  # garbles its answer
    ],
)
def test_a_failing_child_costs_only_time(failure: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "child-took-a-chunk"
    found = run(f"""
        def forked_answer_fd():
            # the child's end of the answer pipe: the highest open descriptor
            return max(int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2)
        def fragile(x):
            time.sleep(0.002)
            if in_child():
                open({str(marker)!r}, "w").close()
                {failure}
            return x * x
        out = forked.parallel_map(fragile, list(range(300)))
        print(json.dumps({{"ok": out == [x * x for x in range(300)], "forks": forked.forks}}))
    """)
    assert found == {"ok": True, "forks": 1}
    assert marker.exists()  # the child did take work, and failed with it


@needs_two_cores
def test_a_child_interrupted_as_it_starts_never_runs_the_callers_code() -> None:
    # Ctrl-C reaches the whole process group: the child may be interrupted before its first
    # chunk (here, while it imports what it sends its results with).
    found = run("""
        import builtins
        real_import = builtins.__import__
        def interrupted(name, *args, **kwargs):
            if name == "pickle" and in_child():
                raise KeyboardInterrupt
            return real_import(name, *args, **kwargs)
        builtins.__import__ = interrupted
        try:
            out = forked.parallel_map(square, list(range(50)))
        except BaseException as exc:  # only the parent may print
            print(json.dumps({"escaped": type(exc).__name__, "child": in_child()}))
            sys.exit(0)
        print(json.dumps({"ok": out == [x * x for x in range(50)], "child": in_child()}))
    """)
    assert found == {"ok": True, "child": False}


@needs_two_cores
def test_a_child_that_stops_answering_is_killed() -> None:
    found = run("""
        forked.CHILD_TIMEOUT = 1.0
        def stuck(x):
            time.sleep(0.01)
            if in_child():
                time.sleep(3600)
            return x * x
        started = time.monotonic()
        out = forked.parallel_map(stuck, list(range(20)))
        print(json.dumps({"ok": out == [x * x for x in range(20)],
                          "seconds": time.monotonic() - started}))
    """)
    assert found["ok"]
    assert found["seconds"] < 30


def test_one_worker_when_asked() -> None:
    found = run(
        """
        out = forked.parallel_map(square, list(range(100)))
        print(json.dumps({"ok": out == [x * x for x in range(100)], "forks": forked.forks}))
        """,
        REPOAGENT_WORKERS="1",
    )
    assert found == {"ok": True, "forks": 0}


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        before = forked.forks
        calls: list[int] = []
        out = forked.parallel_map(lambda x: x + 1, list(range(100)), before=lambda: calls.append(1))
        assert out == list(range(1, 101))
        assert calls == [1]
        assert forked.forks == before  # a lock held by the thread would stay held in a child
    finally:
        stop.set()
        thread.join()


def test_too_little_work_stays_here() -> None:
    found = run("""
        out = forked.parallel_map(square, [1, 2, 3], weights=[10, 10, 10], min_weight=1000)
        print(json.dumps({"out": out, "forks": forked.forks}))
    """)
    assert found == {"out": [1, 4, 9], "forks": 0}


def test_a_thread_still_leaving_the_task_list_is_waited_for(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A pool's thread, joined a moment ago, can still be listed by the kernel: the fork must
    # not be skipped for it (a cold full pack lost its worker that way, now and then).
    listings = iter([["1", "2"], ["1", "2"], ["1"]])
    real = os.listdir

    def listdir(path):  # type: ignore[no-untyped-def]
        return next(listings, ["1"]) if path == "/proc/self/task" else real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # no Python thread left
    assert forked.single_threaded()


def test_a_live_second_thread_is_not_waited_for(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.single_threaded()
    finally:
        stop.set()
        thread.join()


def test_no_items_or_one_item_run_here() -> None:
    calls: list[int] = []
    assert forked.parallel_map(lambda x: x + 1, [], before=lambda: calls.append(1)) == []
    assert forked.parallel_map(lambda x: x + 1, [41], before=lambda: calls.append(1)) == [42]
    assert calls == [1, 1]  # ``before`` runs whether or not there is work to share

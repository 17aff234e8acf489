"""Running many independent solves: one interface over a local process pool and a Dask cluster.

A study hands ``Executor.map`` a module-level function and a list of
picklable tasks; it gets the results back in the order of the tasks,
whatever order the solves finish in, so a study's numbers never depend on
the executor, the number of workers or which worker ran what.

- ``LocalExecutor(workers)``: ``concurrent.futures.ProcessPoolExecutor``
  (spawned processes: no state inherited from the parent). Even one worker is
  a separate process, so that Ctrl-C is answered at once: a HiGHS solve in
  this process would only see it when the solve returns. Each worker asks as
  many questions at once (trp_opt.solve.parallel) as its share of the cores. ``in_process=True``
  runs the tasks here instead (the same computation, for tests).
- ``DaskExecutor(address)``: the same tasks sent unchanged to an existing
  ``dask.distributed`` scheduler (its workers need trp-opt installed).

Ctrl-C: the workers of the pool ignore SIGINT themselves (so they print no
traceback); the parent cancels what has not started, terminates the workers
and re-raises KeyboardInterrupt, so the study writes nothing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Protocol

from trp_opt.data.interrupts import HeldInterrupts
from trp_opt.solve.parallel import set_parallel_questions

Progress = Callable[[int, int], None]  # (tasks done, tasks in all)
WAIT_SECONDS = 0.2  # how long an interrupt may wait for the study to notice it


class Executor(Protocol):
    description: str

    def map(self, function: Callable[[Any], Any], tasks: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        """function(task) for every task; results in the order of ``tasks``."""
        ...

    def close(self) -> None: ...


def default_workers() -> int:
    return os.cpu_count() or 1


PR_SET_PDEATHSIG = 1  # Linux prctl(2): the signal a process gets when its parent ends


def _end_with_parent(parent: int) -> None:
    """A worker ends when the command that started it ends, however it ends (SIGTERM, SIGKILL, a crash): on Linux
    the kernel sends it SIGKILL then; elsewhere a thread watches the parent. Without this, killed commands left
    their workers, and with them Python's resource tracker, running for minutes."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="watch-parent", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the watch began
        os._exit(1)


def _start_worker(workers: int, parent: int) -> None:
    _end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker starts no process of its own. With the 'fork' method as its default, a lock made here (Pyomo makes
    # one on first use) is a nameless semaphore, so a worker stopped mid-solve leaves nothing for Python's resource
    # tracker to report as leaked: under 'spawn' every Ctrl-C printed a 'leaked semaphore' warning.
    if "fork" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("fork", force=True)
    # The pool's processes share the cores: each asks as many questions at once as its share.
    set_parallel_questions(default_workers() // workers)


class LocalExecutor:
    """A pool of local worker processes, started on first use and kept for the study."""

    def __init__(self, workers: int | None = None, in_process: bool = False) -> None:
        self.workers = max(1, workers or default_workers())
        self.in_process = in_process
        self.description = f"local, {self.workers} worker process{'es' if self.workers > 1 else ''}"
        if in_process:
            self.description = "in this process"
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[Any], Any], tasks: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        tasks = list(tasks)
        results: list[Any] = [None] * len(tasks)
        if self.in_process:
            for index, task in enumerate(tasks):
                results[index] = function(task)
                if progress:
                    progress(index + 1, len(tasks))
            return results
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.workers, os.getpid()),
            )
        futures = {self._pool.submit(function, task): index for index, task in enumerate(tasks)}
        pending = set(futures)
        try:
            # An interrupt is held while wait() holds the futures' locks (trp_opt.data.interrupts), and raised
            # between two short waits.
            with HeldInterrupts() as held:
                while pending:
                    done, pending = wait(pending, timeout=WAIT_SECONDS, return_when=FIRST_COMPLETED)
                    for future in done:
                        results[futures[future]] = future.result()  # re-raises a task's error here
                    if progress and done:
                        progress(len(tasks) - len(pending), len(tasks))
                    held.check()
        except BaseException:
            for future in pending:
                future.cancel()
            self._terminate()
            raise
        return results

    def _terminate(self) -> None:
        """Stop the workers now, including any in the middle of a solve."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())  # no public API before Python 3.14
        manager = getattr(pool, "_executor_manager_thread", None)  # taken now: shutdown forgets it
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
        # Let the pool's manager thread finish (it closes its wake-up pipe as it goes): Python 3.11's exit hook wakes it
        # through that pipe, and a close between its check and its write printed a traceback after "Stopped".
        if manager is not None:
            manager.join(timeout=5)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Tasks sent to an existing Dask distributed scheduler (``tcp://HOST:PORT``) or a given Client."""

    def __init__(self, address: str | None = None, client: Any = None) -> None:
        try:
            from distributed import Client  # noqa: PLC0415 - optional: only with --dask-scheduler
        except ImportError as missing:
            raise ValueError(
                "--dask-scheduler needs Dask distributed; install it with: pip install 'trp-opt[dask]'"
            ) from missing
        self._own_client = client is None
        self.client = client if client is not None else Client(address, timeout="20s")
        self.description = f"Dask scheduler {self.client.scheduler.address}"

    def map(self, function: Callable[[Any], Any], tasks: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        from distributed import as_completed  # noqa: PLC0415 - optional: only with --dask-scheduler

        tasks = list(tasks)
        results: list[Any] = [None] * len(tasks)
        # pure=False: equal tasks are still separate solves; keys carry the index for the dashboard.
        batch = uuid.uuid4().hex[:12]
        futures = [
            self.client.submit(function, task, pure=False, key=f"trp-opt-{batch}-{index}")
            for index, task in enumerate(tasks)
        ]
        position = {future.key: index for index, future in enumerate(futures)}
        done = 0
        try:
            for future in as_completed(futures):
                results[position[future.key]] = future.result()
                done += 1
                if progress:
                    progress(done, len(tasks))
        except BaseException:
            self.client.cancel(futures, force=True)
            raise
        return results

    def close(self) -> None:
        if self._own_client:
            self.client.close()


def make_executor(workers: int | None = None, dask_scheduler: str | None = None) -> Executor:
    """The executor the command line asked for: Dask when a scheduler is named, else the local pool."""
    if dask_scheduler:
        return DaskExecutor(dask_scheduler)
    return LocalExecutor(workers)

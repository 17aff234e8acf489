"""Ctrl-C and SIGTERM held until a safe point.

Python raises KeyboardInterrupt wherever the main thread happens to be. Two places must not be cut in the middle:
- a wait on a pool's futures, which holds their locks: an interrupt there left a lock taken, and the pool's manager
  thread, and with it the command, hung at exit;
- the writing of an output, where the interrupt could land inside a finalizer (a zip file's ``__del__``), which
  Python reports and swallows: the command then wrote its output and exited 0 as if no Ctrl-C had come.
Inside ``HeldInterrupts`` a signal is only noted; ``check()`` raises it where the code can stop cleanly, and leaving
the block raises it if no check did. SIGTERM is raised as ``Stopped``, a KeyboardInterrupt, so that every clean-up
written for Ctrl-C (workers stopped, no half-written file) serves a ``kill`` too.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any


class Stopped(KeyboardInterrupt):
    """SIGTERM (``kill``): stopped as for Ctrl-C, and told so."""


def raise_stopped(signum: int, frame: FrameType | None) -> None:
    """The SIGTERM handler of the command line: stop as Ctrl-C does (workers ended, nothing half written)."""
    raise Stopped()


HELD = (signal.SIGINT, signal.SIGTERM)


class HeldInterrupts:
    """Within the block, SIGINT and SIGTERM are noted, not raised; ``check()`` raises what was noted. Only the main
    thread receives signals, so elsewhere it holds nothing; a signal the process ignores stays ignored."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.received = self.received or signum

    def __enter__(self) -> HeldInterrupts:
        if threading.current_thread() is threading.main_thread():
            for number in HELD:
                current = signal.getsignal(number)
                if current not in (signal.SIG_IGN, None) and (number == signal.SIGINT or current is raise_stopped):
                    self._previous[number] = signal.signal(number, self._note)
        return self

    def check(self) -> None:
        """Raise the interrupt noted so far, if any: KeyboardInterrupt for Ctrl-C, Stopped for SIGTERM."""
        received, self.received = self.received, None
        if received == signal.SIGTERM:
            raise Stopped()
        if received is not None:
            raise KeyboardInterrupt()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        if error is None:
            self.check()

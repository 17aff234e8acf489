"""Independent questions asked at once, one per core.

Each question runs in a thread with a HiGHS instance of its own; HiGHS lets go of Python's lock
while it solves, so two solves use two cores. Answers come back in the order of the questions, and
each depends on nothing but its own question, so the figures never depend on how many run at once
or which finished first.

A study's worker processes share the cores: each asks as many at once as its share
(trp_opt.studies.executor calls ``set_parallel_questions`` in each worker).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar, cast

Answer = TypeVar("Answer")
First = TypeVar("First")
Second = TypeVar("Second")
# Told (answered, asked) each time a question of a batch is answered: what a progress bar counts.
Answered = Callable[[int, int], None]

_parallel_questions = max(1, os.cpu_count() or 1)


def set_parallel_questions(count: int) -> None:
    """How many questions this process asks at once (1: one after another, in this thread)."""
    global _parallel_questions
    _parallel_questions = max(1, count)


def parallel_questions() -> int:
    return _parallel_questions


class Halted(Exception):
    """Raised in a question still running when another failed or Ctrl-C was pressed: it stops there."""


_asked_within = threading.local()  # per thread: the halts of the batches of questions it runs within


def halted() -> bool:
    """Should the question this thread is running stop? True once a question beside it, or beside any
    question it runs within (a parallel map inside a parallel map), failed or was interrupted. Checked between solves
    (trp_opt.solve.block_runner), since a solve itself cannot be stopped from outside."""
    return any(halt.is_set() for halt in getattr(_asked_within, "halts", ()))


def parallel_map(
    questions: Sequence[Callable[[], Answer]], answered: Answered | None = None, side_by_side: bool = True
) -> list[Answer]:
    """Every question's answer, in order. As soon as one question fails or the wait is interrupted,
    the others are halted (``halted()`` turns true in their threads) and stop at their next solve
    instead of running on. Of several failures, the first in the questions' order is raised.
    ``answered(done, asked)`` is told each time a question is answered (from the thread that answered it).
    ``side_by_side=False``: one after another in this thread (questions whose libraries must not run at once)."""
    tally = _Tally(len(questions), answered)
    if _parallel_questions == 1 or len(questions) < 2 or not side_by_side:
        return [tally.counted(question)() for question in questions]
    halt = threading.Event()
    within = (*getattr(_asked_within, "halts", ()), halt)

    def asked(question: Callable[[], Answer]) -> Answer:
        _asked_within.halts = within
        try:
            return question()
        finally:
            _asked_within.halts = ()

    pool = ThreadPoolExecutor(
        max_workers=min(_parallel_questions, len(questions)), thread_name_prefix="trp-opt-question"
    )
    futures = [pool.submit(asked, tally.counted(question)) for question in questions]

    def halt_the_rest() -> None:
        halt.set()
        for future in futures:
            future.cancel()  # those not started yet

    try:
        wait(futures, return_when=FIRST_EXCEPTION)
        if any(future.done() and future.exception() is not None for future in futures):
            halt_the_rest()
    except BaseException:  # Ctrl-C while waiting
        halt_the_rest()
        raise
    finally:
        # A question that is mid-solve ends with that solve (HiGHS cannot be stopped from outside).
        pool.shutdown(wait=True)
    raised = [future.exception() for future in futures if not future.cancelled()]
    failures = [failure for failure in raised if failure is not None]
    if failures:
        raise next((failure for failure in failures if not isinstance(failure, Halted)), failures[0])
    return [future.result() for future in futures]


class _Tally:
    """Counts a batch's answered questions for ``parallel_map``'s ``answered``."""

    def __init__(self, asked: int, answered: Answered | None) -> None:
        self.asked, self.done, self.answered = asked, 0, answered
        self.lock = threading.Lock()

    def counted(self, question: Callable[[], Answer]) -> Callable[[], Answer]:
        if self.answered is None:
            return question

        def answer() -> Answer:
            result = question()
            with self.lock:
                self.done += 1
                done = self.done
            if self.answered is not None:
                self.answered(done, self.asked)
            return result

        return answer


def parallel_pair(first: Callable[[], First], second: Callable[[], Second]) -> tuple[First, Second]:
    """Two questions of different kinds asked side by side (parallel_map), each answer with its own type."""
    answers: list[object] = parallel_map([first, second])
    return cast(First, answers[0]), cast(Second, answers[1])

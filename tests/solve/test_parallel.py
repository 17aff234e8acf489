"""Questions asked side by side (trp_opt.solve.parallel) give the answers of questions asked one by one."""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.instances import base
from trp_opt.analysis.explanation import explain_plan
from trp_opt.data.options import SolveOptions
from trp_opt.io.generate import generate_workbook
from trp_opt.io.validate import read_inputs
from trp_opt.solve import parallel
from trp_opt.solve.block_runner import BlockRunner
from trp_opt.solve.choose import choose_plan


def test_answers_come_back_in_the_order_of_the_questions_whatever_finishes_first(questions_at_once):
    questions_at_once(2)
    second_done = threading.Event()

    def first() -> str:
        assert second_done.wait(10), "the second question did not run beside the first"
        return "first"

    def second() -> str:
        second_done.set()
        return "second"

    assert parallel.parallel_map([first, second]) == ["first", "second"]


class _Search:
    """Stands for a search that checks between its solves whether to go on (as BlockRunner.solve does),
    beside a question that fails once the search has started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.ended: list[str] = []

    def search(self) -> str:
        self.started.set()
        for _ in range(1000):
            if parallel.halted():
                self.ended.append("halted")
                raise parallel.Halted()
            time.sleep(0.01)
        self.ended.append("ran to the end")
        return "ran to the end"

    def failing(self) -> str:
        self.started.wait(10)
        raise ValueError("bad question")


def test_a_failing_question_is_raised_and_halts_the_others(questions_at_once):
    questions_at_once(2)
    search = _Search()
    with pytest.raises(ValueError, match="bad question"):
        parallel.parallel_map([search.search, search.failing])
    assert search.ended == ["halted"]  # stopped at its next check, not run to the end
    assert not parallel.halted()  # this thread runs within no batch


def test_questions_within_a_question_are_halted_too(questions_at_once):
    # E.g. the value of money's re-solve, whose scenario searches run side by side, beside the days per
    # project: a failure of the latter stops the searches inside the former.
    questions_at_once(2)
    search = _Search()

    def resolve() -> list[str]:
        return parallel.parallel_map([search.search, search.search])

    with pytest.raises(ValueError, match="bad question"):
        parallel.parallel_map([resolve, search.failing])
    assert search.ended == ["halted", "halted"]  # both searches inside the re-solve stopped


def test_of_two_failures_the_first_question_s_is_raised_whichever_came_first(questions_at_once):
    questions_at_once(2)
    second_failed = threading.Event()

    def first() -> str:
        second_failed.wait(10)
        raise ValueError("first question")

    def second() -> str:
        second_failed.set()
        raise ValueError("second question")

    with pytest.raises(ValueError, match="first question"):
        parallel.parallel_map([first, second])


@pytest.mark.parametrize("seed", [21, 22])
def test_one_or_two_questions_at_once_give_the_same_plan(questions_at_once, tmp_path, seed):
    path = tmp_path / "instance.xlsx"
    generate_workbook(path, 14, 4, 40, 3, seed)
    inputs = read_inputs(path)
    options = SolveOptions()
    results = []
    for count in (1, 2):
        questions_at_once(count)
        chosen = choose_plan(inputs, options)
        explained = explain_plan(inputs, chosen, options)
        results.append(
            (
                chosen.plan,
                chosen.endurance,
                [(s.name, s.objective) for s in chosen.stages],
                chosen.reachable,
                [(s.scenario_id, s.endurance, s.shortfalls, s.stock) for s in explained.scenarios],
            )
        )
    assert results[0] == results[1]


def test_a_parallel_map_of_no_questions_changes_nothing(questions_at_once):
    questions_at_once(2)
    runner = BlockRunner(base(), SolveOptions())
    assert runner.reaches({s: 1 for s in runner.scenario_ids})
    plan = runner.plan()
    assert runner.parallel_map([]) == []
    assert runner.plan() == plan


def test_solver_threads_may_change_between_solves_of_one_process():
    # HiGHS sizes one thread scheduler per process and refuses an instance that asks another count:
    # `--threads 2` once failed at the explanation, whose linear programs asked for one thread.
    inputs = base()
    found = []
    for threads in (2, 1, 2):
        options = SolveOptions(threads=threads)
        chosen = choose_plan(inputs, options)
        explained = explain_plan(inputs, chosen, options)
        found.append((chosen.endurance, [(s.scenario_id, s.endurance) for s in explained.scenarios]))
    assert found[0] == found[1] == found[2]
    assert found[0][0] == {s.scenario_id: s.endurance for s in explained.scenarios}


@pytest.mark.parametrize("at_once", [1, 2])
def test_each_answer_is_told_with_how_many_are_answered_of_how_many(questions_at_once, at_once):
    # What the progress bar of `solve` counts: every answer once, the count rising to the batch's size.
    questions_at_once(at_once)
    told = []
    lock = threading.Lock()

    def tell(done: int, asked: int) -> None:
        with lock:
            told.append((done, asked))

    answers = parallel.parallel_map([lambda n=n: n * n for n in range(5)], tell)
    assert answers == [0, 1, 4, 9, 16]
    assert sorted(told) == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]

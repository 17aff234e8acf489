"""The operations engine (trp_opt.solve.engine) answers every question it takes as the block model does, and as the
reference does: can every scenario last these days, and the least cost of a plan that does. Its cuts stay valid when
a rule is lifted after they were made, and its memory answers a point at least as good as one known to last without
a linear program.

Five random instances run by default; the slow tier (``pytest --slow``) runs two hundred more.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.support.instances import hand_made
from tests.support.random_instances import random_instance
from trp_opt.data.errors import NoPlan
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.transforms import with_budget
from trp_opt.solve.block_runner import BlockRunner, plan_endurance
from trp_opt.solve.choose import choose_plan
from trp_opt.solve.engine import CUT_SLACK, OperationsEngine, PointsOf

OPTIONS = SolveOptions().days_only()
DEFAULT_SEEDS = range(5)
SLOW_SEEDS = range(2000, 2200)


def level_questions(inputs: Inputs) -> list[dict[str, int]]:
    """Every scenario at the same day count, 1 to the shortest horizon; and each scenario alone at its horizon with
    the others at 1 day."""
    shortest = min(s.horizon for s in inputs.scenarios.values())
    asked = [{s: days for s in inputs.scenarios} for days in range(1, shortest + 1)]
    asked += [{**{r: 1 for r in inputs.scenarios}, s: scenario.horizon} for s, scenario in inputs.scenarios.items()]
    return asked


NO_PLAN = -1.0


def answers(inputs: Inputs, engine: OperationsEngine | None) -> list[float]:
    """Per question, the least cost of a plan lasting those days (NO_PLAN: none)."""
    found: list[float] = []
    for levels in level_questions(inputs):
        runner = BlockRunner(inputs, OPTIONS, engine=engine)
        if not runner.reaches(levels):
            found.append(NO_PLAN)
            continue
        outcome = runner.optimise("total_cost", levels, levels)
        assert outcome.has_plan and outcome.proven and outcome.objective is not None
        found.append(outcome.objective)
    return found


def assert_agrees(inputs: Inputs) -> OperationsEngine:
    engine = OperationsEngine(inputs)
    plain = answers(inputs, None)
    by_cuts = answers(inputs, engine)
    assert [a == NO_PLAN for a in by_cuts] == [a == NO_PLAN for a in plain]
    assert by_cuts == pytest.approx(plain, rel=1e-6, abs=1e-6)
    return engine


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_the_engine_agrees_with_the_block_model(seed):
    assert_agrees(random_instance(seed))


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_the_engine_agrees_with_the_block_model_on_more_instances(seed):
    assert_agrees(random_instance(seed))


@pytest.mark.parametrize("inputs", hand_made(), ids=["two scenarios", "farm"])
def test_the_engine_agrees_with_the_reference(inputs):
    """Every scenario at k days, with the budget and with a quarter of it: the engine's least cost is the reference's
    cheapest plan for the target k, and a 'no' of the engine's master is the reference's 'no plan'."""
    engine = OperationsEngine(inputs)
    shortest = min(s.horizon for s in inputs.scenarios.values())
    noes = 0
    for budget in (inputs.spend_limit(), inputs.spend_limit() / 4):
        variant = with_budget(inputs, budget)
        for days in range(1, shortest + 1):
            runner = BlockRunner(variant, OPTIONS, engine=engine)
            levels = {s: days for s in inputs.scenarios}
            try:
                reference = choose_plan(variant, SolveOptions(objective="target", target=days, formulation="reference"))
            except NoPlan:
                assert not runner.reaches(levels), (budget, days)
                assert runner.by_cuts == 1, "the engine's master said no, not the block model"
                noes += 1
                continue
            outcome = runner.optimise("total_cost", levels, levels)
            assert outcome.objective == pytest.approx(reference.stages[0].objective, rel=1e-6, abs=1e-6), days
            assert runner.by_cuts == 1, "the engine answered, not the block model"
    assert noes > 0, "some day count is out of reach: the master's 'no' is checked"


def test_cuts_made_under_a_tight_budget_hold_when_it_is_lifted():
    """Cuts made while the budget was a third of its size serve the full budget: the same answers as the block model,
    and every plan that lasts keeps every cut of its days."""
    inputs = hand_made()[0]
    engine = OperationsEngine(inputs)
    tight = with_budget(inputs, inputs.spend_limit() / 3)
    answers(tight, engine)
    made = sum(len(cuts) for cuts in engine.cuts.values())
    assert made > 0
    assert answers(inputs, engine) == pytest.approx(answers(inputs, None), rel=1e-6, abs=1e-6)
    # Every plan the block model finds lasting k days keeps each cut of k days or fewer.
    points = PointsOf(inputs, engine.point_keys)
    for levels in level_questions(inputs):
        runner = BlockRunner(inputs, OPTIONS)
        if not runner.reaches(levels):
            continue
        point = points(runner.plan())
        for s, cuts in engine.cuts.items():
            for cut in cuts:
                if cut.days <= levels[s]:
                    assert cut.constant + float(cut.coefficients @ point[s]) <= CUT_SLACK + 1e-9


def test_a_point_at_least_as_good_as_one_known_to_last_needs_no_linear_program():
    inputs = hand_made()[0]
    engine = OperationsEngine(inputs)
    s = "blockade"
    plan = {("plants", 2027): 1}
    endurance = plan_endurance(inputs, plan)[s]
    point = PointsOf(inputs, engine.point_keys)(plan)[s]
    assert engine.lasts(s, point, endurance)
    assert not engine.lasts(s, point, endurance + 1)  # the oracle's own answer, and a cut
    solved = engine.oracle_solves()
    better = point + np.where(np.array([key[0] == "effect" for key in engine.point_keys[s]]), 1.0, 0.0)
    assert engine.lasts(s, better, endurance)
    assert engine.oracle_solves() == solved
    assert len(engine.cuts[s]) == 1 and engine.cuts[s][0].days == endurance + 1


def test_inputs_with_other_operations_are_not_served():
    """A runner of inputs whose operations differ (a scenario's horizon) asks the block model, not the engine."""
    inputs = hand_made()[0]
    engine = OperationsEngine(inputs)
    other = dataclasses.replace(
        inputs,
        scenarios={
            s: dataclasses.replace(scenario, horizon=scenario.horizon - 1) for s, scenario in inputs.scenarios.items()
        },
    )
    assert engine.serves(with_budget(inputs, 1.0))
    assert not engine.serves(other)
    assert BlockRunner(other, OPTIONS, engine=engine).engine is None

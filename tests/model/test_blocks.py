"""The block model (trp_opt/blocks.py) against the day-by-day Pyomo model it stands for.

Its optimum is checked against the reference in tests/test_formulations.py; here, the
pieces: where blocks start, the repair check that splits blocks, the endurance of a fixed
plan and the explanation, each against the Pyomo model or a figure computed by hand.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import highspy
import pyomo.environ as pyo
import pytest

from tests.support.instances import base, farm, hand_made, project, scenario
from tests.support.random_instances import random_instance
from tests.support.reference_explanation import explain_scenario_on_pyomo
from trp_opt.analysis.operations import explain_scenario
from trp_opt.data import vocabulary
from trp_opt.data.derived import plan_effect
from trp_opt.data.inputs import Inputs, ScenarioEvent
from trp_opt.data.options import SolveOptions
from trp_opt.io.generate import generate_workbook
from trp_opt.io.validate import read_inputs
from trp_opt.model import blocks
from trp_opt.model.blocks import Block, blocks_of, input_changes, investments_of, piece_reads
from trp_opt.model.formulation import build_model
from trp_opt.model.highs import HighsModel
from trp_opt.solve.bisection import last_day_met
from trp_opt.solve.block_runner import BlockRunner, PieceStore, floors_of, plan_endurance, plan_lasts
from trp_opt.solve.choose import choose_plan


def test_the_search_for_the_last_day_met_finds_it_from_any_start():
    # Every answer 0..top from every start, against a yes-then-no question that counts its calls.
    for top in range(0, 13):
        for answer in range(0, top + 1):
            for start in range(0, top + 1):
                asked = []

                def reaches(days: int) -> bool:
                    asked.append(days)
                    return days <= answer

                assert last_day_met(reaches, start, top) == answer, (top, answer, start)
                assert all(0 < days <= top for days in asked[1:]) and len(set(asked)) == len(asked)
                if start == answer:  # a right guess costs its own question and the next day's
                    assert len(asked) == (1 if answer == top else 2)


def test_blocks_start_where_an_input_changes():
    # Imports stop from day 4, gas plants lose half their capacity on days 6..9, repairs allowed from day 8.
    events = (
        ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 4, 20, 0.0),
        ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 6, 9, 0.5),
    )
    inputs = base(scenarios=[scenario("s", horizon=20, events=events, repair_delay=7)])
    assert input_changes(inputs, inputs.scenarios["s"]) == {4, 6, 8, 10}
    blocks = blocks_of({4, 6, 8, 10}, lower=7, upper=12)
    assert blocks == [Block(1, 3, False), Block(4, 2, False), Block(6, 2, False), Block(8, 2, True), Block(10, 3, True)]
    # A day binary each for the free days when asked
    daily = blocks_of({4, 6, 8, 10}, lower=7, upper=12, daily_free=True)
    assert [b.length for b in daily if b.free] == [1] * 5 and sum(b.length for b in daily) == 12


def ramp() -> Inputs:
    """Electricity (a flow: no stock can bridge) from gas plants of 100 GWh/day that lose 60% from day 3.

    The requirement is 50 GWh/day. Repair crews (cost 10) restore 5 GWh/day more each day: 45 on
    day 3, 50 on day 4. So with crews the scenario lasts 2 days, though over days 3..20 the
    average capacity (40 + 5 × 19/2 restored, capped at 60) is well above 50: a block of those
    days claims too much and must be split.
    """
    events = (ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 3, 20, 0.6),)
    crews = project("crews", 10, ("repair", "gas", 5.0), category="training")
    return base(stock=1000, room=1000, projects=[crews], scenarios=[scenario("s", horizon=20, events=events)])


def test_a_repair_ramp_is_checked_day_by_day():
    inputs = ramp()
    runner = BlockRunner(inputs, SolveOptions())
    assert runner.reaches({"s": 2})
    # Days 3..10 as one block average 62.5 GWh/day of capacity: the relaxation says yes, the
    # plan found fails on day 3, the block is split, and the answer is no.
    assert not runner.reaches({"s": 10})
    assert runner.refinements > 0
    assert not runner.reaches({"s": 3})
    assert plan_endurance(inputs, {("crews", 2027): 1}, SolveOptions()) == {"s": 2}
    assert choose_plan(inputs, SolveOptions()).endurance == {"s": 2}


def pyomo_endurance(inputs, plan) -> dict[str, int]:
    """The day-by-day model with the plan held: most days each scenario lasts (one binary a day)."""
    found = {}
    for scenario_id in inputs.scenarios:
        model = build_model(inputs, plan=plan, scenario_ids=[scenario_id])
        highs = HighsModel(model)
        highs.set_objective(model.endurance[scenario_id], pyo.maximize)
        outcome = highs.solve()
        assert outcome.proven
        found[scenario_id] = round(outcome.objective)
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blocks")
    instances = []
    for projects, scenarios, days, years, seed in [(10, 3, 40, 2, 21), (14, 3, 60, 3, 22)]:
        path = folder / f"g{seed}.xlsx"
        generate_workbook(path, projects, scenarios, days, years, seed)
        instances.append(read_inputs(path))
    return instances


def cases(generated):
    for inputs in [*hand_made(), ramp(), farm(49), *generated]:
        plan = choose_plan(inputs, SolveOptions(cheapest=False)).plan
        yield inputs, plan
        yield inputs, {}  # no investment at all


def test_plan_endurance_is_the_day_by_day_one(generated):
    for inputs, plan in cases(generated):
        assert plan_endurance(inputs, plan, SolveOptions()) == pyomo_endurance(inputs, plan)


def test_a_held_plan_lasts_the_days_asked_where_the_day_by_day_model_says_it_does(generated):
    # plan_lasts answers "does it last k days" per scenario; the oracle's most days decide it, at, below and above.
    for inputs, plan in cases(generated):
        oracle = pyomo_endurance(inputs, plan)
        for shift in (-1, 0, 1):
            levels = {s: min(max(days + shift, 0), inputs.scenarios[s].horizon) for s, days in oracle.items()}
            expected = {s for s, days in levels.items() if days <= oracle[s]}
            assert plan_lasts(inputs, plan, levels, SolveOptions()) == expected


def test_a_question_that_asks_no_more_than_the_floors_leaves_those_scenarios_out_and_answers_the_same(generated):
    # The floors are the day-by-day days of the committed units alone, and no plan found lasts fewer.
    for inputs in [*hand_made(), ramp(), farm(49), *generated]:
        floors = floors_of(inputs, SolveOptions())
        assert floors == pyomo_endurance(inputs, {})
        plain, floored = BlockRunner(inputs, SolveOptions()), BlockRunner(inputs, SolveOptions(), floors=floors)
        assert floored.reaches(floors) and floored.last_pieces == []  # every scenario left out: nothing to ask
        for scenario_id, floor in floors.items():
            horizon = inputs.scenarios[scenario_id].horizon
            for days in sorted({floor + 1, (floor + horizon + 1) // 2, horizon} - {floor} if floor < horizon else []):
                levels = {**floors, scenario_id: days}
                answer = plain.reaches(levels)
                assert floored.reaches(levels) == answer, (scenario_id, levels)
                if answer:  # the plan found was asked about this scenario alone, and lasts every day asked
                    assert [piece.scenario_id for piece, _ in floored.last_pieces] == [scenario_id]
                    assert floored.endurance() == levels


def test_a_plan_offered_as_a_start_changes_no_answer(generated):
    # A start only saves HiGHS a search: at the plan's own days (where it is a plan that works) and a day beyond
    # (where it is not, and must be repaired or refuted), the answers are those of a runner without it.
    for inputs, plan in cases(generated):
        if not plan:
            continue
        days = plan_endurance(inputs, plan, SolveOptions())
        for extra in (0, 1):
            levels = {s: min(d + extra, inputs.scenarios[s].horizon) for s, d in days.items()}
            started = BlockRunner(inputs, SolveOptions())
            started.start_from(plan)
            assert started.start[started.invest.build[next(iter(plan))]] == plan[next(iter(plan))]
            assert started.reaches(levels) == BlockRunner(inputs, SolveOptions()).reaches(levels)


def test_explanation_is_the_pyomo_one(generated):
    for inputs, plan in cases(generated):
        endurance = plan_endurance(inputs, plan, SolveOptions())
        for scenario_id in inputs.scenarios:
            ours = explain_scenario(inputs, plan, scenario_id, endurance[scenario_id])
            oracle = explain_scenario_on_pyomo(inputs, plan, scenario_id, endurance[scenario_id])
            assert [f.carrier_id for f in ours.shortfalls] == [f.carrier_id for f in oracle.shortfalls]
            for mine, theirs in zip(ours.shortfalls, oracle.shortfalls):
                assert mine.shortfall == pytest.approx(theirs.shortfall, rel=1e-6, abs=1e-6)
                assert mine.required == pytest.approx(theirs.required, rel=1e-9)
            assert ours.exhausted_stocks == oracle.exhausted_stocks
            assert ours.required == oracle.required
            for profile in ("stock", "used", "relief", "available_capacity"):
                mine, theirs = getattr(ours, profile), getattr(oracle, profile)
                assert mine.keys() == theirs.keys()
                for carrier in mine:
                    assert mine[carrier] == pytest.approx(theirs[carrier], rel=1e-4, abs=1e-3), (profile, carrier)


def test_runners_sharing_pieces_answer_as_runners_building_their_own():
    # Variants that differ only in the investments' rows (unit costs, budgets, lead times) share pieces; one
    # with more Max units (more storage room) reads other figures and must build its own. Each variant asked
    # the same questions with a store shared by all and with none: the answers agree.
    store = PieceStore()
    for inputs in hand_made():
        horizon = min(s.horizon for s in inputs.scenarios.values())
        projects = inputs.projects.values()
        variants = [
            inputs,
            dataclasses.replace(inputs, projects={p.id: dataclasses.replace(p, unit_cost=0.0) for p in projects}),
            dataclasses.replace(inputs, year_budgets={y: b / 2 for y, b in inputs.year_budgets.items()}),
            dataclasses.replace(
                inputs, projects={p.id: dataclasses.replace(p, lead_time=p.lead_time + 1) for p in projects}
            ),
            dataclasses.replace(
                inputs, projects={p.id: dataclasses.replace(p, max_units=p.max_units + 1) for p in projects}
            ),
        ]
        for variant in variants:
            shared = BlockRunner(variant, SolveOptions(), shared=store)
            alone = BlockRunner(variant, SolveOptions())
            for days in sorted({0, 1, horizon // 3, horizon // 2, horizon}):
                levels = {s: days for s in variant.scenarios}
                assert shared.reaches(levels) == alone.reaches(levels), (variant.title, days)


def test_what_a_piece_reads_changes_with_the_room_and_not_with_the_cost():
    inputs = base(projects=[project("tank", 10, ("storage", "lng", 50.0), max_units=2)])
    invest = investments_of(inputs)
    reads = piece_reads(inputs, invest, "blockade")
    cheaper = dataclasses.replace(inputs, projects={"tank": dataclasses.replace(inputs.projects["tank"], unit_cost=1)})
    assert piece_reads(cheaper, investments_of(cheaper), "blockade") == reads
    more = dataclasses.replace(inputs, projects={"tank": dataclasses.replace(inputs.projects["tank"], max_units=3)})
    assert piece_reads(more, investments_of(more), "blockade") != reads


DOCUMENTED = re.findall(r"`(\w+)", (Path(__file__).resolve().parents[2] / "models" / "endurance.md").read_text())


@pytest.mark.parametrize("seed", range(8))
def test_every_row_of_the_block_model_names_its_equation(seed, tmp_path):
    """A row of the block model says which equation of models/endurance.md it is, also in a written model."""
    inputs = random_instance(seed)
    invest = blocks.investments_of(inputs)
    pieces = []
    for crisis in inputs.scenarios.values():
        layout = blocks.blocks_of(blocks.input_changes(inputs, crisis), 1, crisis.horizon)
        pieces.append(blocks.scenario_piece(inputs, invest, crisis, layout))
    model = blocks.Assembled(invest, pieces)
    names = model.row_equations()
    assert len(names) == model.rows
    assert set(names) <= set(DOCUMENTED), set(names) - set(DOCUMENTED)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(model.named_lp())
    written = tmp_path / "blocks.lp"
    highs.writeModel(str(written))
    text = written.read_text()
    for index, name in enumerate(names):
        assert f"{name}#{index}:" in text


@pytest.mark.parametrize("seed", range(8))
def test_a_held_plans_effects_are_plan_effect_to_the_last_digit(seed):
    """with_plan finds every effect total at once (blocks.PlanEffects): each is derived.plan_effect's figure exactly,
    and so is the exposure it implies, for random plans of random instances (Requires included)."""
    inputs = random_instance(seed)
    draw = random.Random(seed)
    allowed = [(p.id, y) for p in inputs.projects.values() for y in inputs.start_years(p)]
    for _ in range(5):
        plan = {key: draw.randint(1, 3) for key in draw.sample(allowed, min(len(allowed), draw.randint(0, 6)))}
        fixed = blocks.with_plan(inputs, plan)
        for (kind, target, window, s), column in fixed.effect.items():
            assert fixed.arrays.lower[column] == plan_effect(
                inputs, plan, inputs.scenarios[s], kind, target, window=window
            )
        for (s, j, k), column in fixed.exposed.items():
            scenario_ = inputs.scenarios[s]
            capacity = inputs.technologies[j].capacity + plan_effect(
                inputs, plan, scenario_, vocabulary.EFFECT_CAPACITY, j
            )
            hardened = plan_effect(inputs, plan, scenario_, vocabulary.EFFECT_HARDENED, j)
            exposed = fixed.damage_levels[s, j][k] * capacity - hardened > 0
            assert fixed.arrays.lower[column] == float(exposed)

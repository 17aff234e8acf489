"""Analyst studies (frontier, alternatives, stress) on a tiny instance, solved by HiGHS for real.

The instance: LNG stock 100 kt (room 200 kt, no heel) burnt for power; the
essential requirement is 25 kt of LNG a day. Under the blockade nothing is
imported, so endurance is stock / 25 days (4 days with no project); under
the quarantine 20 % of the normal 50 kt/day arrives, so the stock drains at
15 kt/day and lasts longer: the blockade is the worst case. Two ways to buy
stock: 'fill' (+25 kt for 10, up to 4 units) and 'drum' (+50 kt for 15, up
to 2 units). By hand, the best worst case at a total budget of
0 / 10 / 15 / 30 is 4 / 5 / 6 / 8 days (the room caps stock at 200 kt).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.support import instances as inst
from tests.support.workbooks import add_range, cells, small_workbook
from trp_opt.data import vocabulary
from trp_opt.data.errors import InvalidInputs
from trp_opt.data.inputs import ScenarioEvent
from trp_opt.data.plans import units_by_project
from trp_opt.data.transforms import with_budget
from trp_opt.io.plans import read_plan
from trp_opt.io.ranges import Range, apply, read_inputs_and_ranges
from trp_opt.io.validate import read_inputs
from trp_opt.reports.studies import charted_scenarios, write_frontier_workbook, write_stress_workbook
from trp_opt.solve.block_runner import plan_endurance
from trp_opt.studies.alternatives import alternatives, changed_units
from trp_opt.studies.executor import DaskExecutor, LocalExecutor
from trp_opt.studies.frontier import frontier, keep_plans, turning_points
from trp_opt.studies.stress import stress
from trp_opt.studies.tasks import Optimum

INLINE = LocalExecutor(1, in_process=True)


def lng(budget: float = 30.0):
    quarantine = inst.scenario(
        "quarantine", events=(ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 1, 30, 0.2),)
    )
    inputs = inst.base(
        stock=100.0,
        room=200.0,
        scenarios=[inst.scenario("blockade"), quarantine],
        projects=[
            inst.project("fill", 10, ("stock", "lng", 25.0), max_units=4),
            inst.project("drum", 15, ("stock", "lng", 50.0), max_units=2),
        ],
        years=(2028,),
        year_budget=budget,
    )
    return with_budget(inputs, budget)


def test_frontier_matches_hand_values_and_never_falls():
    result = frontier(lng(), 0, 30, 7, INLINE)  # budgets 0, 5, 10, ..., 30
    worst = [optimum.worst for optimum in result.optima]
    assert worst == [4, 4, 5, 6, 6, 7, 8]  # by hand: see the module docstring; 25 buys drum + fill (175 kt)
    assert all(a <= b for a, b in zip(worst, worst[1:]))  # maxmin endurance never falls as the budget rises
    for optimum in result.optima:
        assert optimum.endurance["quarantine"] >= optimum.endurance["blockade"]
    first = result.turning_points[0]
    assert (first["from"], first["to"], first["entering"]) == (5, 10, ["fill"])
    assert all(point["worst_after"] >= point["worst_before"] for point in result.turning_points)


def test_the_frontier_keeps_a_plan_of_equal_merit_and_shows_start_years_moved():
    """Plans flipped between neighbours of equal days and cost: the smaller budget's plan is kept. Units started in
    another year with the same units are a change of plan, shown as such, with the spend on both sides."""
    inputs = inst.base(
        room=1000,
        years=(2027, 2028),
        year_budget=20,
        projects=[
            inst.project("fill_a", 10, ("stock", "lng", 25.0)),
            inst.project("fill_b", 10, ("stock", "lng", 25.0)),
        ],
    )
    days = {s: 5 for s in inputs.scenarios}
    a, b = Optimum({("fill_a", 2028): 1}, days), Optimum({("fill_b", 2028): 1}, days)
    assert [o.plan for o in keep_plans(inputs, [a, b, b])] == [a.plan, a.plan, a.plan]
    dearer = Optimum({("fill_a", 2028): 1, ("fill_b", 2028): 1}, days)
    assert keep_plans(inputs, [a, dearer])[1].plan == dearer.plan  # not of equal cost: kept as found
    early = Optimum({("fill_a", 2027): 1}, days)
    (point,) = turning_points(inputs, [10, 20], [early, a])
    assert (point["changed"], point["moved"]) == ([], [("fill_a", "2027 ×1", "2028 ×1")])
    assert (point["spent_before"], point["spent_after"]) == (10, 10)


def test_alternatives_are_within_tolerance_and_pairwise_different():
    result = alternatives(lng(30), 4, 25, INLINE)
    assert result.best_worst == 8
    assert result.floor_days == 6  # ⌈0.75 × 8⌉
    assert len(result.plans) == 4
    for plan, endurance in zip(result.plans, result.endurance):
        assert min(endurance.values()) >= result.floor_days
        assert (
            sum(units * cost for (p, _), units in plan.items() for cost in [lng().projects[p].unit_cost]) <= 30 + 1e-9
        )
    for i in range(len(result.plans)):
        for j in range(i):
            assert changed_units(result.plans[i], result.plans[j]) >= 1
    funded = result.funded_in()
    for project in result.must_fund:
        assert all(units > 0 for units in funded[project])
    assert set(result.must_fund) | set(result.swappable) == set(funded)


def test_each_alternative_is_the_most_different_plan_by_enumeration():
    # Every plan the budget allows, its endurance with the plan held; each round's distance must be the
    # largest smallest distance any allowed plan within tolerance has to the plans found before it.
    inputs = lng(30)
    result = alternatives(inputs, 4, 25, INLINE)
    allowed = []
    for fills in range(5):
        for drums in range(3):
            plan = {key: units for key, units in ((("fill", 2028), fills), (("drum", 2028), drums)) if units}
            if 10 * fills + 15 * drums <= 30 and min(plan_endurance(inputs, plan).values()) >= result.floor_days:
                allowed.append(plan)
    assert len(allowed) == 5  # by hand: 2 or 3 fills, 1 drum with or without a fill, 2 drums
    for k in range(1, len(result.plans)):
        best = max(min(changed_units(plan, earlier) for earlier in result.plans[:k]) for plan in allowed)
        assert result.distance[k] == best
    assert result.distance == [0, 5, 2, 1]  # by hand: 3 fills, then a fill and a drum, then any


def test_alternatives_stop_when_no_other_plan_keeps_the_endurance():
    result = alternatives(lng(30), 5, 0, INLINE)  # only 2 drums reach 8 days at 30
    assert [changed_units(p, {}) for p in result.plans] == [2]
    assert result.stopped


def stock_and_quarantine_ranges(inputs) -> list[Range]:
    return [
        Range("Storage", "Initial stock", ("lng",), "lng", "Storage!B2", 80.0, 100.0, 150.0),
        Range(
            "ScenarioEvents",
            "Value",
            ("quarantine", 0),
            "quarantine: import availability of lng",
            "ScenarioEvents!F3",
            0.1,
            0.2,
            0.4,
        ),
    ]


def test_stress_percentiles_are_ordered_and_reproducible():
    inputs = lng(15)
    ranges = stock_and_quarantine_ranges(inputs)
    first = stress(inputs, ranges, 8, 7, INLINE)
    again = stress(inputs, ranges, 8, 7, INLINE)
    other = stress(inputs, ranges, 8, 8, INLINE)
    assert first.plan == {("drum", 2028): 1}
    assert first.likely == {"blockade": 6, "quarantine": 10}  # 150 kt / 25 and 150 / 15
    for p10, p50, p90 in first.percentiles(first.samples).values():
        assert p10 <= p50 <= p90
    assert first.draws == again.draws and first.samples == again.samples
    assert first.draws != other.draws
    for values, endurance in zip(first.draws, first.samples):
        stock = min(values[0] + 50, 200)
        assert endurance["blockade"] == int(stock // 25)  # each sample checked by hand
    # Tornado: stock 80 → 130 kt: 5 days; 150 → 200 kt: 8 days. The quarantine rate never sets the worst case.
    ranked = first.ranked_tornado()
    assert ranked[0][0].column == "Initial stock" and ranked[0][3] == 3
    # ... but it moves the quarantine: 20 % → 10 % of imports drains 20 kt/day (7 days); 40 % drains 5 (30 days).
    assert ranked[1][3] == 0 and ranked[1][4:] == (23, "quarantine")
    # By scenario: the blockade moves with the stock alone (the quarantine rate does not touch it); the quarantine
    # moves most with its rate (10 → 30 days, 20 from its likely 10), then with the stock.
    assert [(item.column, low, high) for item, low, high in first.most_moving("blockade")] == [("Initial stock", 5, 8)]
    assert [item.column for item, _, _ in first.most_moving("quarantine")] == ["Value", "Initial stock"]


def test_reoptimising_never_does_worse_in_the_worst_case():
    inputs = lng(25)
    ranges = stock_and_quarantine_ranges(inputs)
    result = stress(inputs, ranges, 4, 3, INLINE, reoptimise_each=True)
    for fixed, optimum in zip(result.samples, result.reoptimised):
        assert optimum.worst >= min(fixed.values())


def test_ranges_are_read_and_applied(tmp_path):
    path = small_workbook(tmp_path / "in.xlsx")
    add_range(path, "Storage", "Initial stock", 2, 50, 120)
    inputs, ranges = read_inputs_and_ranges(path)
    assert [(r.cell, r.low, r.likely, r.high) for r in ranges] == [("Storage!B2", 50.0, 100.0, 120.0)]
    assert apply(inputs, ranges, [60.0]).storage["lng"].initial == 60.0


@pytest.mark.parametrize(
    "low, high, where, message",
    [
        (120, 150, "F2", "the low value is above the likely value"),
        (50, 90, "G2", "the high value is below the likely value"),
        (5, 120, "F2", "below the floor"),
        (50, None, "G2", "is blank but its pair is filled"),
        ("lots", 120, "F2", "not a number"),
    ],
)
def test_bad_ranges_name_their_cell(tmp_path, low, high, where, message):
    path = small_workbook(tmp_path / "in.xlsx")
    add_range(path, "Storage", "Initial stock", 2, low, high)
    with pytest.raises(InvalidInputs) as problem:
        read_inputs_and_ranges(path)
    text = str(problem.value)
    assert f"Storage!{where}" in text and message in text


def test_process_pool_and_dask_write_identical_workbooks(tmp_path):
    distributed = pytest.importorskip("distributed")
    inputs = lng(30)
    ranges = stock_and_quarantine_ranges(inputs)
    source = tmp_path / "lng.xlsx"
    pool = LocalExecutor(2)
    try:
        by_pool = frontier(inputs, 0, 30, 4, pool)
        stress_pool = stress(inputs, ranges, 6, 5, pool)
    finally:
        pool.close()
    write_frontier_workbook(by_pool, inputs, source, tmp_path / "pool-frontier.xlsx", pool.description)
    write_stress_workbook(stress_pool, inputs, source, tmp_path / "pool-stress.xlsx", pool.description)

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            dask = DaskExecutor(client=client)
            by_dask = frontier(inputs, 0, 30, 4, dask)
            stress_dask = stress(inputs, ranges, 6, 5, dask)
            description = dask.description
    write_frontier_workbook(by_dask, inputs, source, tmp_path / "dask-frontier.xlsx", description)
    write_stress_workbook(stress_dask, inputs, source, tmp_path / "dask-stress.xlsx", description)
    assert cells(tmp_path / "pool-frontier.xlsx") == cells(tmp_path / "dask-frontier.xlsx")
    assert cells(tmp_path / "pool-stress.xlsx") == cells(tmp_path / "dask-stress.xlsx")
    assert by_pool.optima[-1].worst == 8


def test_a_plan_read_back_names_its_bad_cells(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Allocation"
    ws.append(["Project ID", "Name", "Category", "Units", "Start year"])
    ws.append(["drum", "Drum", "stockpiles", 1, 2028])
    ws.append(["barrel", "Barrel", "stockpiles", 1, 2028])
    ws.append(["fill", "Fill", "stockpiles", 1, 2031])
    ws.append([])
    ws.append(["Total"])
    book.save(tmp_path / "plan.xlsx")
    with pytest.raises(InvalidInputs) as problem:
        read_plan(tmp_path / "plan.xlsx", lng())
    assert [f"{e.where}: {e.message}" for e in problem.value.errors] == [
        "Allocation!A3: unknown project",
        "Allocation!E4: not a start year fill allows",
    ]
    ws.delete_rows(3, 2)
    book.save(tmp_path / "plan.xlsx")
    assert read_plan(tmp_path / "plan.xlsx", lng()) == {("drum", 2028): 1}


def allocation(path, *rows) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Allocation"
    ws.append(["Project ID", "Name", "Category", "Units", "Start year"])
    for row in rows:
        ws.append(list(row))
    ws.append([])
    ws.append(["Total", None, None, 99, None])
    book.save(path)
    return path


@pytest.mark.parametrize(
    "rows, expected",
    [
        # Over Max units (4) and over the year's budget (NT$ 30 M) and the total budget: all three at once.
        (
            [("fill", "Fill", "stockpiles", 5, 2028)],
            [
                "Allocation!D2: 5 units of fill in all, more than its Max units",
                "Allocation!D2: the plan spends NT$ 50 million in 2028, more than that year's budget (Years)",
                "Allocation!D2: the plan spends NT$ 50 million in all years, more than the total budget (--budget option)",
            ],
        ),
        # The same project and year twice (they were added up).
        (
            [("drum", "Drum", "stockpiles", 1, 2028), ("drum", "Drum", "stockpiles", 1, 2028)],
            ["Allocation!A3: drum from 2028 appears twice (also in A2)"],
        ),
        # Units past any real figure, text for a number, a short row: cells named, not 'Unexpected error'.
        (
            [
                ("fill", "Fill", "stockpiles", 1e300, 2028),
                ("drum", "Drum", "stockpiles", "∞", 2028),
                ("drum",),
            ],
            [
                "Allocation!D2: too large to be a real figure (at most 1e+12; is the unit right?)",
                "Allocation!D3: not a number",
                "Allocation!D4: 'Units' is required",
                "Allocation!E4: 'Start year' is required",
            ],
        ),
    ],
)
def test_a_plan_read_back_is_checked_like_an_input_workbook(tmp_path, rows, expected):
    with pytest.raises(InvalidInputs) as problem:
        read_plan(allocation(tmp_path / "plan.xlsx", *rows), lng())
    assert [f"{e.where}: {e.message}" for e in problem.value.errors] == expected


def test_a_plan_of_too_many_rows_is_refused_at_the_row(tmp_path):
    rows = [("fill", "Fill", "stockpiles", 0, 2028)] * 10_001
    with pytest.raises(InvalidInputs) as problem:
        read_plan(allocation(tmp_path / "plan.xlsx", *rows), lng())
    assert [f"{e.where}: {e.message}" for e in problem.value.errors] == [
        "Allocation: the sheet declares 10,004 rows (A1:E10004); trp-opt reads at most 10,000 rows per sheet and "
        "refuses it unread"
    ]


def test_alternatives_never_offer_a_plan_the_optimum_beats_outright(tmp_path):
    # The small workbook with a decoy (NT$ 30 M a unit, no effect) and room in the budget: the most different
    # plans buy decoys, last fewer days and cost more than the optimum (tank + 2 fills, NT$ 110 M, 11 days).
    # Such a plan was offered; it is now dropped, and the workbook says so.
    def with_decoy(rows):
        rows["Policy"][0]["Amount"] = 200
        rows["Projects"].append(
            {
                "Project ID": "decoy",
                "Name": "Decoy",
                "Category": "grid",
                "Unit cost": 30,
                "Max units": 2,
                "Lead time": 0,
            }
        )

    inputs = read_inputs(small_workbook(tmp_path / "in.xlsx", with_decoy))
    result = alternatives(inputs, 4, 50, INLINE)

    def cost(plan):
        return sum(inputs.projects[p].unit_cost * units for (p, _), units in plan.items())

    best = result.endurance[0]
    for plan, days in zip(result.plans[1:], result.endurance[1:]):
        assert not (all(days[s] <= best[s] for s in best) and cost(plan) > cost(result.plans[0])), plan
    assert "dropped: no scenario lasts longer than with the optimum, and it costs more" in result.stopped
    # Counted, not numbered: 'alternative 1 dropped' beside a table whose 'Alternative 1' is another plan misled.
    assert "alternative(s)" not in result.stopped
    assert "1 plan found was dropped" in result.stopped or "plans found were dropped" in result.stopped
    assert len(result.distance) == len(result.plans) == len(result.endurance)


def test_alternatives_within_a_cost_cap_cost_no_more():
    # Of the plans keeping 6 days at NT$ 30 M (by hand, above), those costing at most NT$ 20 M are 2 fills (20)
    # and 1 drum (15); the optimum (2 drums, 30) is shown first whatever it costs.
    inputs = lng(30)
    result = alternatives(inputs, 4, 25, INLINE, max_cost=20)
    assert result.plans[0] == {("drum", 2028): 2}
    assert sorted(str(units_by_project(plan)) for plan in result.plans[1:]) == ["{'drum': 1}", "{'fill': 2}"]
    assert "costing at most NT$ 20 million" in result.stopped


def test_study_charts_show_the_worst_case_and_a_handful_of_scenarios():
    """A chart of every scenario (fourteen lines on the bundled workbook) said nothing: the worst case, drawn thick,
    and at most four scenarios: those that hold it first, then those that vary most."""
    days = [{f"s{k}": 10 + k * row for k in range(8)} for row in range(3)]
    for row in days:
        row["s5"] = 1  # s5 holds the worst case everywhere
    order = [f"s{k}" for k in range(8)]
    assert charted_scenarios(days, order) == ["s4", "s5", "s6", "s7"]  # s5 holds it; then the widest spreads
    assert charted_scenarios([], order) == []


def test_the_frontier_chart_draws_the_worst_case_thick_with_its_legend_below(tmp_path):
    inputs = lng()
    path = tmp_path / "frontier.xlsx"
    write_frontier_workbook(frontier(inputs, 0, 30, 4, INLINE), inputs, tmp_path / "in.xlsx", path, "inline")
    (chart,) = load_workbook(path)["Frontier"]._charts
    assert 2 <= len(chart.series) <= 1 + 4
    assert chart.series[0].graphicalProperties.line.width == 50800
    assert chart.legend.position == "b"

"""Why this plan, asked the same way for a plan (`trp-opt solve`) and for a proposal as written (`compare`): what
holds it back (limits), what each project it leaves out would buy (unfunded), the price of the next day (price).
Each part's seconds go into the caller's timings, under the names the benchmark prints."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from trp_opt.analysis.limits import as_planned, what_limits
from trp_opt.analysis.price import price_of_next_day
from trp_opt.analysis.unfunded import unfunded_projects
from trp_opt.data.explanations import Limits, NextDay, Unfunded
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import PlanResult
from trp_opt.solve.block_runner import floors_of
from trp_opt.solve.engine import OperationsEngine
from trp_opt.solve.parallel import Answered


@dataclass
class WhyThisPlan:
    limits: Limits | None  # None under 'target': the plan meets set days, there is nothing to lift towards
    unfunded: Unfunded
    prices: list[NextDay]


def why_this_plan(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    timings: dict[str, float],
    progress: Callable[[str], None] = lambda _: None,
    answered: Answered | None = None,
) -> WhyThisPlan:
    """The three, one after the other (each asks its own questions side by side). ``options`` carry the clock
    they share (trp_opt.data.options.with_deadline). ``answered(done, asked)``: each part's count of questions
    answered (rules lifted, projects added, days priced), for a progress bar; ``progress`` names the part first."""
    limits = None
    start = time.perf_counter()
    # The plan's own measures, which both start from: found once (a maxmin solve by blocks has them already).
    quiet = options.days_only()
    reachable = as_planned(inputs, chosen, quiet)
    floors = floors_of(inputs, quiet)  # days every plan lasts: what no question need ask
    if options.objective != "target":
        limits = what_limits(inputs, chosen, options, progress, reachable, floors, answered)
        timings["limits"] = time.perf_counter() - start
        start = time.perf_counter()
    # One engine for the questions of a unit imposed and of a day priced: the operations summarised once, as cuts
    # (trp_opt.solve.engine). Not for the Limits: its searches step up a day at a time, and each new level needs cuts
    # of its own (measured slower there: 46 s against 16 s on the bundled workbook).
    engine = OperationsEngine(inputs, options.threads)
    unfunded = unfunded_projects(inputs, chosen, options, progress, reachable, floors, answered, engine)
    timings["unfunded projects"] = time.perf_counter() - start
    start = time.perf_counter()
    progress("The price of the next day: the least extra budget for each")
    prices = price_of_next_day(inputs, chosen.plan, chosen.endurance, options, chosen.block_starts, answered, engine)
    timings["price of the next day"] = time.perf_counter() - start
    return WhyThisPlan(limits, unfunded, prices)

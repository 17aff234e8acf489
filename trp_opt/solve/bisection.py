"""Searches over days: endurance turns from 'met' to 'not met' once as the days asked for grow."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from trp_opt.solve.runner import Runner


def last_day_met(reaches: Callable[[int], bool], start: int, top: int, start_met: bool = False) -> int:
    """The largest k in 0..top with reaches(k), for a reaches that turns from yes to no once
    (reaches(0) holds: no days to meet). The search starts at ``start`` and doubles its step away
    from it, so an answer near the start costs two questions (one when ``start_met``: reaches(start)
    is known to hold and is not asked)."""
    if start_met or reaches(start):
        low, step = start, 1  # low is met; find a day that is not
        while low < top:
            probe = min(low + step, top)
            if not reaches(probe):
                high = probe
                break
            low, step = probe, step * 2
        else:
            return top
    else:
        high, step = start, 1  # high is not met; find a day that is
        while True:
            probe = max(high - step, 0)
            if probe == 0 or reaches(probe):
                low = probe
                break
            high, step = probe, step * 2
    return last_met_between(reaches, low, high)


def last_met_between(reaches: Callable[[int], bool], low: int, high: int) -> int:
    """The largest k with reaches(k), knowing reaches(low) holds and reaches(high) does not (bisection)."""
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            low = middle
        else:
            high = middle
    return low


def narrow_between(test: Callable[[float], bool], low: float, high: float, within: float) -> tuple[float, float]:
    """Where a test on an amount (a price, a budget) turns from yes to no, to within ``within``: knowing test(low)
    holds and test(high) does not, the last (low, high) with high - low <= within."""
    while high - low > within:
        middle = (low + high) / 2
        if test(middle):
            low = middle
        else:
            high = middle
    return low, high


def highest_level(runner: Runner, levels: Mapping[str, int], scenario_id: str, top: int, near: bool = False) -> int:
    """The most days scenario_id can reach with the others held at ``levels`` (bisection).
    ``near``: the answer is expected just above levels[scenario_id] (known from a smaller problem):
    the search steps up from there, doubling, instead of asking the top first."""

    def reaches(days: int) -> bool:
        return runner.reaches({**levels, scenario_id: days})

    if near:
        return last_day_met(reaches, levels[scenario_id], top, start_met=True)
    if reaches(top):
        return top
    return last_met_between(reaches, levels[scenario_id], top)


def highest_common_level(runner: Runner, low: int, top: int, near: bool = False) -> int:
    """The most days every scenario reaches at once (the best worst case), knowing ``low`` is reached."""

    def reaches(days: int) -> bool:
        return runner.reaches({s: days for s in runner.scenario_ids})

    if near:
        return last_day_met(reaches, low, top, start_met=True)
    if reaches(top):
        return top
    return last_met_between(reaches, low, top)

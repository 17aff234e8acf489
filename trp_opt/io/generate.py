"""Random instances with the bundled workbook's structure, for benchmarks and tests.

``generate_rows`` starts from the bundled Taiwan workbook (read and validated
like any input) and draws, from one seed:
- the same carriers, storage, imports, technologies and demands, each stock,
  capacity and daily rate scaled by a factor drawn around 1 (± 15%);
- P projects, each a copy of a bundled project (its committed units and effect windows too; spread over the bundled list,
  so every kind of investment appears when P ≥ 35), its unit cost and effects scaled by 35 ÷ P and a
  draw around 1: the money and the days it can buy stay of the bundled order
  whatever P is, so the budget still forces choices;
- S scenarios cycling through the bundled kinds (blockade, quarantine,
  assault), onset year drawn from the plan years, events copied from the
  bundled scenario of that kind with their day ranges stretched to H days and
  their shares drawn around the bundled ones;
- Y plan years from 2027 with the bundled yearly budget ramp, the total
  budget scaled by Y ÷ 5, and the bundled policy rules.
Every row's Source says it is generated, with the seed and the bundled row it
copies. Same seed and sizes, same workbook.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from trp_opt.data import vocabulary
from trp_opt.data.inputs import Inputs, Project
from trp_opt.io import schema
from trp_opt.io.outputs import bundled_input
from trp_opt.io.template import write_input_workbook
from trp_opt.io.validate import read_inputs

FIRST_YEAR = 2027
SPREAD = 0.15  # figures are drawn uniformly within ± this share of the bundled figure
KINDS = ("blockade", "quarantine", "assault")


def _bundled_inputs() -> Inputs:
    return read_inputs(bundled_input())


def generate_rows(
    projects: int, scenarios: int, days: int, years: int, seed: int, base: Inputs | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The sheets of a random instance as rows (column name → value), ready for write_input_workbook."""
    if projects < 1 or scenarios < 1 or days < 1 or years < 1:
        raise ValueError("projects, scenarios, days and years must each be at least 1")
    base = base or _bundled_inputs()
    rng = random.Random(seed)
    tag = f"generated (seed {seed})"

    def around(value: float, digits: int = 4) -> float:
        return round(value * rng.uniform(1 - SPREAD, 1 + SPREAD), digits)

    rows: dict[str, list[dict[str, Any]]] = {
        "Settings": [
            {
                "Setting": schema.SETTING_TITLE,
                "Value": f"Generated instance: {projects} projects, {scenarios} scenarios, {days} days, {years} years, seed {seed}",
                "Source": f"{tag} by trp-opt generate from the bundled workbook",
            },
            {"Setting": schema.SETTING_CURRENCY, "Value": base.currency, "Source": f"{tag}: as the bundled workbook"},
        ],
    }

    plan_years = list(range(FIRST_YEAR, FIRST_YEAR + years))
    ramp = list(base.year_budgets.values())
    base_total = base.total_budget or sum(ramp)
    total = round(base_total * years / len(ramp), -1)
    shares = [ramp[min(len(ramp) - 1, round(i * (len(ramp) - 1) / max(1, years - 1)))] for i in range(years)]
    rows["Years"] = [
        {
            "Year": y,
            "Budget": round(total * share / sum(shares), -1),
            "Source": f"{tag}: bundled yearly ramp stretched to {years} years, total scaled by {years}/{len(ramp)}",
        }
        for y, share in zip(plan_years, shares)
    ]

    rows["Carriers"] = [
        {
            "Carrier ID": c.id,
            "Name": c.name,
            "Unit": c.unit,
            "Storable": "yes" if c.storable else "no",
            "Source": f"{tag}: bundled carrier {c.id}",
        }
        for c in base.carriers.values()
    ]
    storage_rows = []
    for s in base.storage.values():
        floor = around(s.floor, 1)
        capacity = max(floor, around(s.capacity, 1))
        initial = min(capacity, max(floor, around(s.initial, 1)))
        storage_rows.append(
            {
                "Carrier ID": s.carrier,
                "Initial stock": initial,
                "Capacity": capacity,
                "Floor": floor,
                "Source": f"{tag}: bundled storage of {s.carrier} ± {SPREAD:.0%}",
            }
        )
    rows["Storage"] = storage_rows
    rows["Imports"] = [
        {"Carrier ID": c, "Normal daily import": around(v), "Source": f"{tag}: bundled import of {c} ± {SPREAD:.0%}"}
        for c, v in base.imports.items()
    ]
    rows["Technologies"] = [
        {
            "Technology ID": j.id,
            "Name": j.name,
            "Input carrier": j.input,
            "Output carrier": j.output,
            "Efficiency": j.efficiency if j.input else None,
            "Capacity": around(j.capacity, 2),
            "Repair rate": around(j.repair_rate, 2),
            "Source": f"{tag}: bundled technology {j.id}, capacity and repair ± {SPREAD:.0%}",
        }
        for j in base.technologies.values()
    ]
    rows["Demands"] = [
        {
            "Carrier ID": d.carrier,
            "Normal daily use": around(d.daily, 2),
            "Essential share": d.essential_share,
            "Max relief": d.max_relief,
            "Counts toward endurance": "yes" if d.counts else "no",
            "Source": f"{tag}: bundled demand of {d.carrier}, use ± {SPREAD:.0%}",
        }
        for d in base.demands.values()
    ]

    rows["Scenarios"], rows["ScenarioEvents"] = _scenarios(base, scenarios, days, plan_years, rng, tag)
    rows["Projects"], rows["Effects"] = _projects(base, projects, years, rng, tag)
    categories = {row["Category"] for row in rows["Projects"]}
    rows["Policy"] = []
    for rule in base.policy:
        if rule.category is not None and rule.category not in categories:
            continue
        amount = (
            rule.amount if rule.amount_unit == vocabulary.AMOUNT_SHARE else round(rule.amount * years / len(ramp), -1)
        )
        rows["Policy"].append(
            {
                "Rule ID": rule.id,
                "Rule": rule.rule,
                "Category": rule.category,
                "Year": None,
                "Amount": amount,
                "Amount unit": rule.amount_unit,
                "Source": f"{tag}: bundled rule {rule.id}"
                + ("" if rule.amount_unit == vocabulary.AMOUNT_SHARE else f", scaled by {years}/{len(ramp)}"),
            }
        )
    return rows


def _scenarios(base: Inputs, count: int, days: int, plan_years: list[int], rng: random.Random, tag: str):
    by_kind = {}
    for s in base.scenarios.values():
        kind = next((k for k in KINDS if s.id.startswith(k)), None)
        if kind and kind not in by_kind:
            by_kind[kind] = s
    kinds = [k for k in KINDS if k in by_kind] or [next(iter(base.scenarios))]
    scenario_rows, event_rows = [], []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        model = by_kind.get(kind) or base.scenarios[kind]
        sid = f"{kind}_{index + 1}"
        stretch = days / model.horizon
        delay = min(days, max(0, round(model.repair_delay * stretch * rng.uniform(0.7, 1.3))))
        target = None if model.target is None else min(days, max(1, round(model.target * stretch)))
        scenario_rows.append(
            {
                "Scenario ID": sid,
                "Name": f"{model.name.rsplit(' ', 1)[0]} {index + 1}",
                "Onset year": rng.choice(plan_years),
                "Horizon": days,
                "Weight": round(model.weight * rng.uniform(0.5, 1.5), 3),
                "Repair delay": delay,
                "Target endurance": target,
                "Source": f"{tag}: bundled scenario {model.id}, days stretched by {days}/{model.horizon}",
            }
        )
        taken: dict[tuple[str, str], int] = {}  # last day already given to an event of this kind and target
        for event in model.events:
            # Squeezed into fewer days, two events on the same target may round onto the same day: the later one
            # starts after the earlier, or is left out when no day is left (validation refuses overlaps).
            after = taken.get((event.kind, event.target), 0)
            first = max(1, round((event.first_day - 1) * stretch) + 1, after + 1)
            if first > days:
                continue
            last = None if event.last_day >= model.horizon else max(first, min(days, round(event.last_day * stretch)))
            taken[(event.kind, event.target)] = days if last is None else last
            value = event.value
            if event.kind == vocabulary.EVENT_CAPACITY_LOSS and 0 < value < 1:
                # drawn on the share that survives, so that a partial loss stays partial
                value = round(1 - (1 - value) * rng.uniform(1 - SPREAD, 1 + SPREAD), 4)
            elif event.kind == vocabulary.EVENT_IMPORT_AVAILABILITY and 0 < value < 1:
                value = round(min(1.0, value * rng.uniform(1 - SPREAD, 1 + SPREAD)), 4)
            event_rows.append(
                {
                    "Scenario ID": sid,
                    "Event": event.kind,
                    "Target ID": event.target,
                    "From day": first,
                    "To day": last,
                    "Value": value,
                    "Source": f"{tag}: bundled event of {model.id} on {event.target}, days stretched",
                }
            )
    return scenario_rows, event_rows


def _projects(base: Inputs, count: int, years: int, rng: random.Random, tag: str):
    templates = list(base.projects.values())
    size = len(templates) / count  # one generated project is this share of a bundled one
    chosen: list[tuple[str, Project]] = []
    copies: dict[str, list[str]] = {}
    for index in range(count):
        template = templates[index * len(templates) // count]  # spread over the bundled list: every kind appears
        pid = f"{template.id}_{len(copies.get(template.id, [])) + 1}"
        chosen.append((pid, template))
        copies.setdefault(template.id, []).append(pid)

    project_rows, effect_rows = [], []
    for pid, template in chosen:
        factor = size * rng.uniform(1 - SPREAD, 1 + SPREAD)
        profile = template.spend_profile if len(template.spend_profile) <= years else (1.0,)
        lead = min(template.lead_time, years - 1)
        # A requirement or exclusion points at a copy of the project the template names, when one exists.
        requires = [rng.choice(copies[q]) for q in template.requires if q in copies]
        excludes = [rng.choice(copies[q]) for q in template.excludes if q in copies]
        project_rows.append(
            {
                "Project ID": pid,
                "Name": f"{template.name} [{pid}]",
                "Category": template.category,
                "Unit cost": round(template.unit_cost * factor, 2),
                "Max units": template.max_units,
                "Lead time": lead,
                "Spend profile": ";".join(f"{share:g}" for share in profile) if len(profile) > 1 else None,
                "Requires": ";".join(requires) or None,
                "Excludes": ";".join(excludes) or None,
                "Source": f"{tag}: bundled project {template.id}, cost and effects × {factor:.4f}",
                "Committed units": template.committed_units or None,
                "Committed start year": template.committed_start,
            }
        )
        for effect in template.effects:
            amount = effect.amount * factor
            if vocabulary.EFFECTS[effect.kind].measure == "share":
                amount = min(1.0, amount)
            effect_rows.append(
                {
                    "Project ID": pid,
                    "Effect": effect.kind,
                    "Target ID": effect.target,
                    "Amount per unit": round(amount, 6),
                    "Source": f"{tag}: bundled effect of {template.id} × {factor:.4f}",
                    "From day": effect.first_day if effect.last_day is not None or effect.first_day > 1 else None,
                    "To day": effect.last_day,
                }
            )
    return project_rows, effect_rows


def generate_workbook(path: Path, projects: int, scenarios: int, days: int, years: int, seed: int) -> None:
    """Write a random instance (see the module docstring) to ``path``."""
    base = _bundled_inputs()
    rows = generate_rows(projects, scenarios, days, years, seed, base)
    write_input_workbook(Path(path), rows, money_unit=base.currency)

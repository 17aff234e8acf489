"""Write inputs/README.md from a run: the ledger's counts, and each scenario's days with no new money and with the
bundled budget, what fails first, the days of each requirement on its own, and what each result rests on.

Run from the repository folder, after inputs/build_workbooks.py (a few minutes: two solves, and the stress
study when no stress workbook is given):

    python inputs/write_readme.py [STRESS_WORKBOOK]

STRESS_WORKBOOK is the output of `trp-opt stress` on inputs/taiwan_stress.xlsx (its sheet 'Tornado by
scenario' says which ranges move each scenario most); without it the study is run here.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from openpyxl import load_workbook  # noqa: E402

from trp_opt.app.solve import solve_workbook  # noqa: E402
from trp_opt.data.money import money_text  # noqa: E402
from trp_opt.data.options import SolveOptions  # noqa: E402
from trp_opt.data.solution import ScenarioResult, Solution, days_text  # noqa: E402
from trp_opt.io import schema  # noqa: E402

README = HERE / "README.md"
BASELINE = HERE / "taiwan_baseline.xlsx"
STRESS = HERE / "taiwan_stress.xlsx"
LEDGER = HERE / "taiwan"

INTRODUCTION = """\
# Bundled inputs

*Written by `python inputs/write_readme.py` from a run; do not edit by hand.*

| file | what |
|---|---|
| `taiwan/` | the ledger: one table per input sheet (`<Sheet>.csv`) and `sources.csv`; every figure is edited here |
| `build_workbooks.py` | checks the ledger and writes the two Taiwan workbooks from it: `python inputs/build_workbooks.py` |
| `taiwan_baseline.xlsx` | the Taiwan dataset `trp-opt solve` uses with no arguments |
| `taiwan_stress.xlsx` | the same, with a stress range on every assumption `trp-opt stress` can vary |
| `legislature_proposal_example.xlsx` | an example proposal for `trp-opt compare` (`build_legislature_proposal_example.py`) |
| `write_readme.py` | writes this page from a run |

## The ledger

Each row of a sheet's table holds the sheet's columns (without units), then:

- **Verdict**: `correct` (a source says so), `derived` (arithmetic on sourced figures, shown in the Note),
  `corrected` (changed in the December 2026 review to what its source says), `scenario` (part of the question a
  scenario asks, following the study it cites), `definition` (a name or a unit) or `assumption` (no public figure);
- **Assumed**: the columns whose figures are assumptions; each one `trp-opt stress` can vary has its
  `<column> low` and `<column> high` beside it (they go to `taiwan_stress.xlsx` only);
- **Sources**: IDs of `sources.csv`, where each source has its title, date and web address;
- **Note**: the reasoning and the arithmetic.

The builder refuses a row with neither a source nor an assumption, an assumption without its range, and an unknown
source, all listed at once, and then writes nothing (`tests/io/test_ledger.py`). A workbook's `Source` cell reads
"verdict: note. Assumed: … Sources: title (date) address".

## What the December 2026 review changed

Every row of the review (`shared/data/taiwan-review-2026-12-06.md`) is corrected with its source or marked an
assumption with a range:

- **Coal**: 13 GW (MOEA, Mar 2026: Taichung, Hsinta, Talin, Linkou, Ho-Ping, the standby Hsinta units inside;
  Mailiao's coal retired at the end of 2025) x 85% available = 265 GWh a day, range to 340 (cogeneration, no
  figure). `standby_coal` is withdrawn (it counted Hsinta twice). The **winter blockade** keeps the standby Hsinta
  units (2.1 GW) off from December to March, as MOEA starts them only from April.
- **LNG**: strategic fills go only into new room. `lng_fill` (fills into the terminals' working range, 107% load in
  2025) is withdrawn; `lng_fill_new` counts only once a new tank is in service by the onset, which no tank is before
  2031 (models/endurance.md (40)-(41)). The **summer blockade** starts at the legal floor (14 days from 2027) with
  summer demand above the average (a range, Taipower's monthly figures were not found).
- **Bandwidth**: 20 Gbps of satellite sourced (TWNIC via Reuters, 2023); the Chunghwa-Astranis satellite (8 Gbps
  from 2026) added as committed; the MND's satellite rental is military (2026-27, no published capacity) and no
  longer counted; satellite capacity is priced at the one public price (about NT$460 M per Gbps).
- **Training**: the existing pool (109,031 disaster-prevention specialists trained in 2025) is a committed row.
- **Scenarios**: horizon 140 days (the 20 weeks of the CSIS games); a blockade with grid strikes (CSIS); cyber
  damage to the LNG terminals in the LNG quarantine (FDD); a Kaohsiung quarantine passing about half of the LNG by
  terminal capacity instead of a uniform 30%; cable repairs at 17, 46 and 110 days, the observed times. Where
  capacity falls short from day 1 (strikes, cyber attacks, the winter cap, summer demand), load is shed at once, as
  Taipower's rationing order does, so the week-1 lag of deliberate rationing applies to the fuels only there.
- **Every other unsourced figure** (the essential shares, the rationing lag, medicine and ammunition stocks, effect
  sizes, damage shares, cable cuts) is an `assumption` with a stress range.
"""


def ledger_counts() -> list[str]:
    lines = [
        "| sheet | rows | " + " | ".join(VERDICT_ORDER) + " | with a stress range |",
        "|---" * (len(VERDICT_ORDER) + 3) + "|",
    ]
    for sheet in schema.SHEETS:
        with open(LEDGER / f"{sheet.name}.csv", newline="", encoding="utf-8") as table:
            rows = list(csv.DictReader(table))
        verdicts = Counter(row["Verdict"] for row in rows)
        ranged = sum(1 for row in rows if any(row[k].strip() for k in row if k.endswith((" low", " high"))))
        cells = [str(verdicts.get(v, 0)) for v in VERDICT_ORDER]
        lines.append(f"| {sheet.name} | {len(rows)} | " + " | ".join(cells) + f" | {ranged} |")
    return lines


VERDICT_ORDER = ("correct", "derived", "corrected", "scenario", "definition", "assumption")


def fails_first(result: ScenarioResult) -> str:
    if result.unbroken:
        return "nothing within the horizon"
    if not result.shortfalls:
        return ""
    return f"{result.shortfalls[0].carrier_name} on day {result.endurance + 1}"


def endurance_table(without: Solution, funded: Solution) -> list[str]:
    names = {c: without.inputs.carriers[c].name for c in without.inputs.demands}
    lines = [
        "| scenario | no new money (days) | fails first | bundled budget (days) | fails first | "
        + " | ".join(f"{n} alone" for n in names.values())
        + " |",
        "|---" * (5 + len(names)) + "|",
    ]
    for bare, best in zip(without.scenarios, funded.scenarios):
        alone = [days_text(best.requirement_days[c], best.horizon) for c in names]
        lines.append(
            f"| {best.name} | {bare.endurance_text} | {fails_first(bare)} | {best.endurance_text} | {fails_first(best)} | "
            + " | ".join(alone)
            + " |"
        )
    return lines


def rests_on(stress_workbook: Path) -> list[str]:
    book = load_workbook(stress_workbook, read_only=True)
    rows = list(book["Tornado by scenario"].iter_rows(min_row=2, values_only=True))
    lines = ["| scenario | likely (days) | input | range | days at low / high |", "|---|---|---|---|---|"]
    for scenario, likely, rank, label, cell, low, high, at_low, at_high in rows:
        if scenario is None:  # rows past the table (a read-only sheet may report a larger size)
            continue
        if label == "(no range moves it)":
            lines.append(f"| {scenario} | {likely} | no range moves it | | |")
            continue
        lines.append(
            f"| {scenario if rank == 1 else ''} | {likely if rank == 1 else ''} | {label} ({cell}) | {low:g} to {high:g} | {at_low} / {at_high} |"
        )
    return lines


GUESSED_FLOORS = ("bandwidth", "ammunition")  # the two requirements a hearing asks about (review, section 6)


def without_guessed_floors(folder: Path) -> Path:
    """A copy of the baseline whose Demands rows of GUESSED_FLOORS say 'Counts toward endurance: no'."""
    book = load_workbook(BASELINE)
    sheet = book["Demands"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Counts toward endurance") + 1
    for line in range(2, sheet.max_row + 1):
        if sheet.cell(line, 1).value in GUESSED_FLOORS:
            sheet.cell(line, column, "no")
    path = folder / "without-guessed-floors.xlsx"
    book.save(path)
    return path


def main() -> None:
    options = SolveOptions()
    with tempfile.TemporaryDirectory() as folder:
        without = solve_workbook(BASELINE, Path(folder) / "zero.xlsx", options, budget=0.0, value=False)
        funded = solve_workbook(BASELINE, Path(folder) / "plan.xlsx", options, value=False)
        floors = without_guessed_floors(Path(folder))
        uncounted = solve_workbook(floors, Path(folder) / "uncounted.xlsx", options, value=False)
        stress_workbook = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(folder) / "stress.xlsx"
        if len(sys.argv) <= 1:
            subprocess.run(
                [sys.executable, "-m", "trp_opt.cli", "stress", str(STRESS), "-o", str(stress_workbook), "--quiet"],
                check=True,
                cwd=HERE.parent,
            )
        rested = rests_on(stress_workbook)
    money = funded.inputs.currency
    worst = funded.worst
    counted = [funded.inputs.carriers[c].name for c, d in funded.inputs.demands.items() if d.counts]
    text = [
        INTRODUCTION,
        "## Rows by verdict",
        "",
        *ledger_counts(),
        "",
        "## Endurance (`trp-opt solve --budget 0 --no-value` and `trp-opt solve --no-value`)",
        "",
        f"With no new money the worst case lasts {without.worst.endurance_text} days ({without.worst.name}). With the "
        f"bundled budget ({money_text(funded.inputs.spend_limit(), money)}), the plan spends "
        f"{money_text(funded.total_spent, money)} and the worst case lasts {worst.endurance_text} days ({worst.name}). "
        f"Endurance counts every one of these requirements: {', '.join(counted)}. The last columns give the days of "
        "each requirement on its own with the bundled plan held: where a requirement lasts far longer than the "
        "scenario, another one ends it; set its Demands row's 'Counts toward endurance' to 'no' to see the plan "
        "without it (essential bandwidth and ammunition are the two guesses a hearing will ask about).",
        "",
        *endurance_table(without, funded),
        "",
        "### Without the two guessed floors",
        "",
        "The same budget with essential bandwidth and ammunition tracked but not counted (their Demands rows set "
        f"to 'no'): the plan spends {money_text(uncounted.total_spent, money)} and the worst case lasts "
        f"{uncounted.worst.endurance_text} days ({uncounted.worst.name}).",
        "",
        "| scenario | days | fails first | bandwidth alone | ammunition alone |",
        "|---|---|---|---|---|",
        *[
            f"| {r.name} | {r.endurance_text} | {fails_first(r)} | "
            + " | ".join(days_text(r.requirement_days[c], r.horizon) for c in GUESSED_FLOORS)
            + " |"
            for r in uncounted.scenarios
        ],
        "",
        "## What each result rests on (`trp-opt stress`, the bundled plan held)",
        "",
        "The three ranges of `taiwan_stress.xlsx` that move each scenario's days most, each at its low and its high "
        "end with every other input at its likely value (the workbook's sheet 'Tornado by scenario').",
        "",
        *rested,
        "",
        "One input moves at a time. The week-1 factor of a blockade's electricity demand is 1 / the essential share "
        "(so that the first week asks normal use); the essential share's range moves the share alone, so at its "
        "high end the first week asks more than normal use and can fail on day 1. Read that row as the first "
        "week's lag, not the share: a rationing lag of its own, in days, would separate the two.",
        "",
    ]
    README.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {README}")


if __name__ == "__main__":
    main()

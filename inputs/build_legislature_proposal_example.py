"""Build inputs/legislature_proposal_example.xlsx, an example proposal for `trp-opt compare`.

Run from the repository folder:

    python inputs/build_legislature_proposal_example.py

The proposal spends the same total as the baseline (NT$ 200,000 million over
2027–2031, inputs/taiwan_baseline.xlsx) with a different split, the way the
legislature reshaped the 2025 resilience special budget: it passed NT$544.7 bn
on 17 Oct 2025 after removing a NT$20 bn Taipower grid item (Taipei Times,
18 Oct 2025). Here the grid item removed is the conversion of gas blocks to
burn diesel, and money is earmarked for stockpiles, including a named line for
the medicine reserve at the scale of the NT$24 bn drug resilience plan
(UDN, Mar 2026). Every row carries a Source; the proposal itself is an
illustration, not a bill.

The output is deterministic: the same inputs give the same cell values.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(HERE.parent))

from trp_opt.io import schema  # noqa: E402
from trp_opt.io.template import write_input_workbook  # noqa: E402

OUTPUT = HERE / "legislature_proposal_example.xlsx"
MONEY_UNIT = "NT$ million"
TOTAL = 200_000  # the baseline's total budget (Policy 'total' in taiwan_baseline.xlsx)
STOCKPILES = 120_000  # earmarked for stockpiles; the baseline's best plan spends about NT$104 bn there


def rows() -> dict[str, list[dict]]:
    return {
        "Budget": [
            {
                "Year": None,
                "Amount": TOTAL,
                "Source": "same total as the baseline (inputs/taiwan_baseline.xlsx, Policy 'total'): the civil-defence "
                "slice of the NT$544.7 bn resilience special budget (Taipei Times, 18 Oct 2025) plus regular "
                "budgets, 2027–31; yearly split as in the baseline",
            },
        ],
        "Categories": [
            {
                "Category": "stockpiles",
                "Amount": STOCKPILES,
                "Earmark": schema.EARMARK_EXACT,
                "Source": "assumption: money taken from the grid goes to stockpiles, as in the 2025 special budget "
                "(NT$20 bn Taipower grid item removed, Taipei Times, 18 Oct 2025); stockpiles of LNG, oil, "
                "medicine and ammunition are what the ASPI 'Taiwan Resilience Partnership' note urges",
            },
        ],
        "Projects": [
            {
                "Project ID": "dual_fuel",
                "Units": 0,
                "Start year": None,
                "Source": "assumption: the grid item removed is Taipower's gas-to-diesel conversion, as a NT$20 bn "
                "Taipower grid item was removed from the resilience special budget (Taipei Times, 18 Oct 2025)",
            },
            {
                "Project ID": "medicine_reserve",
                "Units": 6,
                "Start year": None,
                "Source": "a named line: 6 reserves ≈ NT$22.6 bn, the scale of the NT$24 bn drug resilience plan for "
                "2026–29 (UDN, Mar 2026)",
            },
        ],
        "Overrides": [
            {
                "Sheet": "ScenarioEvents",
                "Row ID": "quarantine_2027 / import availability / food / 1",
                "Column": "Value",
                "Value": 0.3,
                "Source": "assumption: the proposal plans on 30% of food cargoes passing a quarantine, as for energy "
                "cargoes in the baseline, rather than the baseline's 50%",
            },
            {
                "Sheet": "ScenarioEvents",
                "Row ID": "quarantine_2030 / import availability / food / 1",
                "Column": "Value",
                "Value": 0.3,
                "Source": "as the row above, for the 2030 quarantine",
            },
        ],
    }


def main() -> None:
    write_input_workbook(OUTPUT, rows(), money_unit=MONEY_UNIT, sheets=schema.PROPOSAL_SHEETS)
    print(f"Wrote {OUTPUT}")


if __name__ == "__main__":
    main()

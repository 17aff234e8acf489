"""Build inputs/legislature_proposal_example.xlsx, an example proposal for `trp-opt compare`.

Run from the repository folder:

    python inputs/build_legislature_proposal_example.py

The envelope is hypothetical: the baseline's NT$ 200,000 million over 2027–2031
(inputs/taiwan_baseline.xlsx, Policy 'total'). The real 2025 resilience special
budget does not map onto these projects: its NT$150 bn of homeland-security
resilience (MND 113.2, Coast Guard 29.5, MOI 6.25, MOA 1.0) runs in 2026–27 and
buys fuel, spare parts and water, ICT, cutters, police gear, shelters and
disaster centres, of which only about NT$7.25 bn is civilian (review §4). What
the proposal takes from it are the legislature's decisions, applied to the
projects they touch:

- the NT$20 bn power-system resilience item for the science parks, rejected on
  29 Aug 2025 (LTN, 29 Aug 2025; Taipei Times, 29 Aug 2025): a grid item, so no
  protected substations and no microgrids here (it was not a gas-to-diesel
  conversion: dual_fuel stays open);
- the NT$24 bn National Drug Resilience Preparedness Plan 2026–29 (Cabinet,
  4 Dec 2025; awaiting the legislature in Mar 2026): about NT$6 bn of it for
  domestic production of APIs and key drugs, here 2 drug lines, as a named line.

Every row carries a Source; the proposal is an illustration, not a bill.
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
TOTAL = 200_000  # the baseline's total budget (Policy 'total' in taiwan_baseline.xlsx): hypothetical
GRID_ITEM_CUT = "LTN, 29 Aug 2025; Taipei Times, 29 Aug 2025"


def rows() -> dict[str, list[dict]]:
    return {
        "Budget": [
            {
                "Year": None,
                "Amount": TOTAL,
                "Source": "hypothetical: the baseline's envelope (inputs/taiwan_baseline.xlsx, Policy 'total'), yearly "
                "split as in the baseline; the real 2025 special budget's NT$150 bn of homeland-security resilience "
                "runs in 2026–27 and does not map onto these projects",
            },
        ],
        "Projects": [
            {
                "Project ID": "substation",
                "Units": 0,
                "Start year": None,
                "Source": "the legislature rejected the NT$20 bn item to strengthen the power systems of the science "
                f"parks (加強國內科學產業園區電力系統韌性) on 29 Aug 2025 ({GRID_ITEM_CUT}): no protected substations",
            },
            {
                "Project ID": "microgrid",
                "Units": 0,
                "Start year": None,
                "Source": f"as the row above ({GRID_ITEM_CUT}): no microgrids at critical sites",
            },
            {
                "Project ID": "drug_line",
                "Units": 2,
                "Start year": None,
                "Source": "a named line: about NT$6 bn of the NT$24 bn National Drug Resilience Preparedness Plan "
                "2026–29 is for domestic production of APIs and key drugs (Focus Taiwan, 4 Dec 2025), 2 lines of "
                "NT$3 bn; the plan awaited the legislature in Mar 2026 (UDN, 5 Mar 2026)",
            },
        ],
    }


def main() -> None:
    write_input_workbook(OUTPUT, rows(), money_unit=MONEY_UNIT, sheets=schema.PROPOSAL_SHEETS)
    print(f"Wrote {OUTPUT}")


if __name__ == "__main__":
    main()

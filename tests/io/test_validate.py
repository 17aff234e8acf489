"""Reading and validating input workbooks: every class of bad input names its Sheet!Cell."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from tests.support.workbooks import small_workbook
from trp_opt.data.errors import InvalidInputs
from trp_opt.data.options import SolveOptions
from trp_opt.io.validate import read_inputs
from trp_opt.solve.choose import choose_plan


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInputs) as failure:
        read_inputs(path)
    return [str(e) for e in failure.value.errors]


def edit_cell(path: Path, sheet: str, cell: str, value) -> Path:
    """Change one cell of a written workbook, as an analyst would in Excel."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


def test_small_workbook_reads_into_inputs(tmp_path):
    inputs = read_inputs(small_workbook(tmp_path / "in.xlsx"))
    assert inputs.years == (2027, 2028)
    assert inputs.currency == "NT$ million"
    assert inputs.storage["lng"].initial == 100 and inputs.storage["lng"].floor == 10
    assert inputs.technologies["gas"].efficiency == 2
    assert inputs.projects["fill"].requires == ("tank",)
    assert inputs.projects["tank"].effects[0].amount == 100
    event = inputs.scenarios["blockade"].events[0]
    assert (event.first_day, event.last_day, event.value) == (1, 30, 0.0)  # blank To day = horizon
    assert inputs.policy[0].cell == "Policy!E2"
    assert inputs.year_budget_cells == {2027: "Years!B2", 2028: "Years!B3"}


def test_numbers_typed_as_text_are_accepted_when_plain(tmp_path):
    def change(rows):
        rows["Years"][0]["Budget"] = "1,200"
        rows["Demands"][0]["Essential share"] = "50%"

    inputs = read_inputs(small_workbook(tmp_path / "in.xlsx", change))
    assert inputs.year_budgets[2027] == 1200
    assert inputs.demands["power"].essential_share == 0.5


def test_every_error_is_reported_at_once_with_its_cell(tmp_path):
    def change(rows):
        rows["Years"][1]["Budget"] = "lots"  # Years!B3
        rows["Demands"][0]["Essential share"] = 1.5  # Demands!C2
        rows["Projects"][1]["Requires"] = "tonk"  # Projects!H3

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert len(found) == 3
    assert any(p.startswith("Years!B3: not a number (got 'lots'") for p in found)
    assert any(p.startswith("Demands!C2: too large (got 1.5, expected a number from 0 to 1)") for p in found)
    assert any(p.startswith("Projects!H3: unknown project 'tonk'") for p in found)


@pytest.mark.parametrize(
    ("sheet", "column", "index", "value", "where", "words"),
    [
        ("Storage", "Initial stock", 0, -5, "Storage!B2", "too small"),
        ("Projects", "Max units", 0, 1.5, "Projects!E2", "not a whole number"),
        ("Projects", "Lead time", 0, None, "Projects!F2", "'Lead time (years)' is required"),
        ("Carriers", "Storable", 0, "maybe", "Carriers!D2", "not yes or no"),
        ("ScenarioEvents", "Event", 0, "embargo", "ScenarioEvents!B2", "not one of the allowed values"),
        ("ScenarioEvents", "To day", 0, 40, "ScenarioEvents!E2", "ends after the horizon"),
        ("Effects", "Target ID", 0, "power", "Effects!C2", "needs a storable carrier"),
        ("Effects", "Project ID", 1, "nothing", "Effects!A3", "unknown project 'nothing'"),
        ("Technologies", "Input carrier", 0, "coal", "Technologies!C2", "unknown carrier 'coal'"),
        ("Storage", "Floor", 0, 150, "Storage!D2", "the floor is above the initial stock"),
        ("Projects", "Spend profile", 0, "0.5; 0.4", "Projects!G2", "the shares add up to 0.9"),
        ("Policy", "Amount unit", 0, "share", "Policy!F2", "a total budget is money, not a share"),
        ("Scenarios", "Onset year", 0, 2020, "Scenarios!C2", "before the first planning year"),
        ("Carriers", "Carrier ID", 0, "my lng", "Carriers!A2", "not a valid ID"),
    ],
)
def test_each_bad_cell_is_named(tmp_path, sheet, column, index, value, where, words):
    def change(rows):
        rows[sheet][index][column] = value

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert any(p.startswith(f"{where}:") and words in p for p in found), found


def test_duplicate_ids_name_both_cells(tmp_path):
    def change(rows):
        rows["Projects"][1]["Project ID"] = "tank"

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert any(p.startswith("Projects!A3: 'tank' appears twice (also in A2)") for p in found), found


def test_requires_cycle_is_reported(tmp_path):
    def change(rows):
        rows["Projects"][0]["Requires"] = "fill"

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert any("cycle" in p and ("tank → fill → tank" in p or "fill → tank → fill" in p) for p in found), found


def test_overlapping_events_are_refused(tmp_path):
    def change(rows):
        rows["ScenarioEvents"].append(
            {
                "Scenario ID": "blockade",
                "Event": "import availability",
                "Target ID": "lng",
                "From day": 10,
                "To day": 12,
                "Value": 0.5,
            }
        )

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert any(p.startswith("ScenarioEvents!D3:") and "overlap" in p and "row 2" in p for p in found), found


def test_formula_never_calculated_is_an_error(tmp_path):
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Years", "B2", "=40*2")
    found = problems(path)
    assert any(p.startswith("Years!B2: the formula was never calculated") and "=40*2" in p for p in found), found


def test_array_formula_never_calculated_is_shown_as_its_text(tmp_path):
    # An array formula is an object in openpyxl: the message showed '<openpyxl...ArrayFormula object at 0x...>'.
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Years", "B2", ArrayFormula("B2", "=SUM(C2:C3*2)"))
    assert [p for p in problems(path) if p.startswith("Years!B2")] == [
        "Years!B2: the formula was never calculated; open the workbook in Excel, let it calculate and save it "
        "(got '=SUM(C2:C3*2)', expected a number ≥ 0)"
    ]


def test_a_long_bad_value_is_shown_by_its_start_and_length(tmp_path):
    # A 100,000-character value was echoed whole in the message (openpyxl writes at most 32,767 here).
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Years", "B2", "x" * 20_000)
    found = [p for p in problems(path) if p.startswith("Years!B2")]
    assert len(found) == 1 and len(found[0]) < 300, found
    assert f"got {'x' * 60!r}… (20,000 characters)" in found[0]


def test_excel_error_value_is_an_error(tmp_path):
    path = small_workbook(tmp_path / "in.xlsx")
    book = openpyxl.load_workbook(path)
    book["Years"]["B2"].value = "#DIV/0!"
    book["Years"]["B2"].data_type = "e"
    book.save(path)
    found = problems(path)
    assert any(p.startswith("Years!B2: the cell holds an Excel error") for p in found), found


def test_date_where_a_number_is_expected(tmp_path):
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Years", "B2", datetime.datetime(2027, 1, 1))
    assert any(p.startswith("Years!B2: a date or time where a number is expected") for p in problems(path))


def test_missing_sheet_suggests_the_closest_name(tmp_path):
    path = small_workbook(tmp_path / "in.xlsx")
    book = openpyxl.load_workbook(path)
    book["Projects"].title = "Projets"
    book.save(path)
    found = problems(path)
    assert any(p.startswith("Projects: sheet 'Projects' is missing; did you mean 'Projets'?") for p in found), found


def test_missing_column_names_the_header_row(tmp_path):
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Projects", "D1", "Price")
    found = problems(path)
    assert any(p.startswith("Projects!M1: column 'Unit cost (money)' is missing") for p in found), found


def test_header_units_are_the_analysts_own(tmp_path):
    path = edit_cell(small_workbook(tmp_path / "in.xlsx"), "Projects", "D1", "Unit cost (NT$ m)")
    assert read_inputs(path).projects["tank"].unit_cost == 50


def test_blank_rows_are_skipped(tmp_path):
    path = small_workbook(tmp_path / "in.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Projects"]
    sheet.insert_rows(3)  # a blank row between the two projects
    book.save(path)
    assert set(read_inputs(path).projects) == {"tank", "fill"}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"Project,Cost\ntank,50\n", "is not an Excel workbook"),
        (bytes(range(256)) * 10, "is not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old-style .xls workbook"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, words):
    path = tmp_path / "in.xlsx"
    path.write_bytes(content)
    found = problems(path)
    assert len(found) == 1 and words in found[0], found


def test_missing_file(tmp_path):
    found = problems(tmp_path / "nowhere.xlsx")
    assert "does not exist" in found[0]


def test_validation_never_touches_the_input(tmp_path):
    def change(rows):
        rows["Years"][0]["Budget"] = "lots"

    path = small_workbook(tmp_path / "in.xlsx", change)
    before = path.read_bytes()
    problems(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("cycle", [False, True])
def test_a_requires_chain_of_1500_projects_is_read_and_its_cycle_reported(tmp_path, cycle):
    # RecursionError before: the cycle search recursed once per project in the chain.
    count = 1500

    def change(rows):
        chain = [
            {
                "Project ID": f"p{index}",
                "Name": f"Project {index}",
                "Category": "stockpiles",
                "Unit cost": 1,
                "Max units": 1,
                "Lead time": 0,
                "Requires": f"p{index + 1}" if index + 1 < count else ("p0" if cycle else None),
            }
            for index in range(count)
        ]
        rows["Projects"].extend(chain)

    path = small_workbook(tmp_path / "in.xlsx", change)
    if cycle:
        cycles = [p for p in problems(path) if "cycle" in p]
        # One message, at the Requires cell of the project that closes the cycle (p1499, Excel row 1503),
        # naming the cycle by its ends and its length rather than 1,500 IDs.
        assert cycles == [
            f"Projects!H{count + 3}: Requires forms a cycle: p0 → p1 → p2 → p3 → p4 → … → p1496 → p1497 → p1498 → "
            "p1499 → p0 (1500 projects) (expected no project requiring itself through others)"
        ]
    else:
        assert len(read_inputs(path).projects) == count + 2


def badly_scaled(exponent: int):
    """Gas plants that burn 10^exponent kt of LNG per GWh, and a tank and fills of 10^(exponent + 2) kt:
    by hand, 50 GWh a day burns 5 × 10^(exponent + 1) kt, and two fills last 4 days."""

    def change(rows):
        rows["Technologies"][0]["Efficiency"] = 10.0**-exponent
        for effect in rows["Effects"]:
            effect["Amount per unit"] = 10.0 ** (exponent + 2)

    return change


def test_quantities_of_one_carrier_too_far_apart_are_refused_at_both_cells(tmp_path):
    # HiGHS reported 0 days as proven optimal here (the reference: no plan), where the arithmetic gives 4.
    found = problems(small_workbook(tmp_path / "in.xlsx", badly_scaled(9)))
    assert found == [
        "Technologies!E2: the quantities of carrier 'lng' lie 1e+10 apart: 1e+11 here against 10 at Storage!D2; "
        "the solver cannot honour figures that far apart and would report wrong days. Correct the figure, or state "
        "the carrier in a larger unit (expected quantities of one carrier within a factor of 1e+08)"
    ]


def test_quantities_within_the_span_are_solved_right(tmp_path):
    inputs = read_inputs(small_workbook(tmp_path / "in.xlsx", badly_scaled(7)))
    assert choose_plan(inputs, SolveOptions()).endurance == {"blockade": 4}


def test_a_bad_row_neither_causes_a_false_error_nor_hides_a_real_one(tmp_path):
    # Before: a Demands row dropped for its bad share made the relief effect on that carrier an error too
    # ('relief needs a carrier with a Demands row'), and an Effects row's bad amount hid its unknown target.
    def change(rows):
        rows["Demands"][0]["Essential share"] = "half"
        rows["Effects"].append({"Project ID": "fill", "Effect": "relief", "Target ID": "power", "Amount per unit": 0.1})
        rows["Effects"][0]["Amount per unit"] = "lots"
        rows["Effects"][0]["Target ID"] = "lgn"

    assert problems(small_workbook(tmp_path / "in.xlsx", change)) == [
        "Demands!C2: not a number (got 'half', expected a number from 0 to 1)",
        "Effects!D2: not a number (got 'lots', expected a number ≥ 0)",
        "Effects!C2: unknown carrier 'lgn'; did you mean 'lng'? (got 'lgn', expected a carrier ID)",
    ]


def test_an_unknown_id_suggests_the_closest_known_one(tmp_path):
    # A slip of case or a typo in a reference got only 'unknown project'; the closest ID is now suggested.
    def change(rows):
        rows["Effects"][0]["Project ID"] = "Tank"
        rows["Technologies"][0]["Output carrier"] = "powr"
        rows["Projects"][1]["Requires"] = "zzz"

    found = problems(small_workbook(tmp_path / "in.xlsx", change))
    assert "Effects!A2: unknown project 'Tank'; did you mean 'tank'? (got 'Tank', expected a project ID)" in found
    assert "Technologies!D2: unknown carrier 'powr'; did you mean 'power'? (got 'powr', expected a carrier ID)" in found
    assert "Projects!H3: unknown project 'zzz' (got 'zzz', expected a project ID)" in found


def test_a_money_header_in_another_currency_is_an_error_at_that_header(tmp_path):
    # The headers say NT$ million (as the template writes them); Settings says EUR: the figures are not relabelled.
    def in_euros(rows):
        for row in rows["Settings"]:
            if row["Setting"] == "Currency":
                row["Value"] = "EUR"

    path = small_workbook(tmp_path / "eur.xlsx", in_euros)
    with pytest.raises(InvalidInputs) as caught:
        read_inputs(path)
    assert [str(error) for error in caught.value.errors] == [
        "Years!B1: the header's unit 'NT$ million' is not the workbook's currency 'EUR' (Settings) "
        "(got 'Budget (NT$ million)', expected 'Budget (EUR)', or change the Currency in Settings)",
        "Projects!D1: the header's unit 'NT$ million' is not the workbook's currency 'EUR' (Settings) "
        "(got 'Unit cost (NT$ million)', expected 'Unit cost (EUR)', or change the Currency in Settings)",
    ]


def test_a_money_header_with_no_unit_or_the_templates_word_is_read(tmp_path):
    path = small_workbook(tmp_path / "plain.xlsx")
    book = openpyxl.load_workbook(path)
    book["Years"]["B1"] = "Budget"
    book["Projects"]["D1"] = "Unit cost (money)"
    book.save(path)
    assert read_inputs(path).currency == "NT$ million"


def test_a_bad_cell_is_one_error_and_causes_no_other(tmp_path):
    # A row with a bad cell is set aside, but its ID still counts as known: the rows that refer to it (Storage,
    # Imports, Technologies, Demands, Effects refer to 'lng'; Effects to 'tank') report nothing more.
    def spoiled(rows):
        rows["Carriers"][0]["Storable"] = "maybe"
        rows["Projects"][0]["Unit cost"] = "dear"
        rows["Scenarios"][0]["Onset year"] = "soon"

    with pytest.raises(InvalidInputs) as caught:
        read_inputs(small_workbook(tmp_path / "spoiled.xlsx", spoiled))
    assert [error.where for error in caught.value.errors] == ["Carriers!D2", "Scenarios!C2", "Projects!D2"]


def test_a_stock_at_onset_is_checked_where_it_is_written(tmp_path):
    # The small workbook holds 100 kt of LNG over a 10 kt floor; electricity has no Storage row.
    def onsets(rows):
        event = {"Scenario ID": "blockade", "Event": "stock at onset", "From day": 1}
        rows["ScenarioEvents"] += [
            {**event, "Target ID": "lng", "From day": 3, "Value": 0.5},
            {**event, "Target ID": "power", "Value": 0.5},
        ]

    with pytest.raises(InvalidInputs) as caught:
        read_inputs(small_workbook(tmp_path / "onsets.xlsx", onsets))
    assert [str(error) for error in caught.value.errors] == [
        "ScenarioEvents!D3: a 'stock at onset' is a figure of the day the crisis starts (got 3, expected day 1)",
        "ScenarioEvents!C4: 'stock at onset' needs a Storage row for carrier 'power' (got 'power', expected a carrier "
        "with a Storage row)",
    ]

    def below_the_floor(rows):
        rows["ScenarioEvents"].append(
            {"Scenario ID": "blockade", "Event": "stock at onset", "Target ID": "lng", "From day": 1, "Value": 0.05}
        )

    with pytest.raises(InvalidInputs) as caught:
        read_inputs(small_workbook(tmp_path / "low.xlsx", below_the_floor))
    assert [str(error) for error in caught.value.errors] == [
        "ScenarioEvents!F3: a share of 0.05 leaves 5 of 'lng', below its floor of 10 (Storage) (got 0.05, expected a "
        "share of at least 0.1)"
    ]

    def half(rows):
        below_the_floor(rows)
        rows["ScenarioEvents"][-1]["Value"] = 0.5

    assert read_inputs(small_workbook(tmp_path / "half.xlsx", half)).scenarios["blockade"].onset_share("lng") == 0.5


def test_committed_units_are_read_and_checked(tmp_path):
    # The fill is already funded: 2 units started in 2026, none more to buy (Max units 0).
    def committed(rows):
        rows["Projects"][1].update({"Max units": 0, "Committed units": 2, "Committed start year": 2026})

    fill = read_inputs(small_workbook(tmp_path / "committed.xlsx", committed)).projects["fill"]
    assert (fill.max_units, fill.committed_units, fill.committed_start) == (0, 2, 2026)

    def start_alone(rows):
        rows["Projects"][1].update({"Committed start year": 2026})

    with pytest.raises(InvalidInputs) as caught:
        read_inputs(small_workbook(tmp_path / "alone.xlsx", start_alone))
    assert [str(error) for error in caught.value.errors] == [
        "Projects!L3: a committed start year with no Committed units (got 2026, expected Committed units ≥ 1 beside "
        "it, or no start year)"
    ]


def test_effect_windows_and_assured_imports_are_read_and_checked(tmp_path):
    # A charter brings 5 kt of LNG a day from day 10 on; 40% of it gets through the blockade. A window on a stock
    # (the fill) means nothing: a stock is there at the onset or not. A window that ends before it starts is a slip.
    def charter(rows):
        rows["Projects"].append(
            {
                "Project ID": "charter",
                "Name": "LNG charter",
                "Category": "imports",
                "Unit cost": 20,
                "Max units": 1,
                "Lead time": 0,
            }
        )
        rows["Effects"].append(
            {
                "Project ID": "charter",
                "Effect": "assured import",
                "Target ID": "lng",
                "Amount per unit": 5,
                "From day": 10,
            }
        )
        rows["ScenarioEvents"].append(
            {"Scenario ID": "blockade", "Event": "assured share", "Target ID": "lng", "From day": 1, "Value": 0.4}
        )

    inputs = read_inputs(small_workbook(tmp_path / "charter.xlsx", charter))
    (effect,) = inputs.projects["charter"].effects
    assert (effect.kind, effect.amount, effect.window) == ("assured import", 5, (10, math.inf))
    assert inputs.scenarios["blockade"].assured_share("lng")[:2] == [0.4, 0.4]

    def slips(rows):
        charter(rows)
        rows["Effects"][1].update({"From day": 3})
        rows["Effects"][2].update({"From day": 10, "To day": 9})

    with pytest.raises(InvalidInputs) as caught:
        read_inputs(small_workbook(tmp_path / "slips.xlsx", slips))
    assert [str(error) for error in caught.value.errors] == [
        "Effects!F3: a 'stock' effect acts from the onset on (a stock, a tank, a plant is there or not); only 'repair', "
        "'relief', 'assured import' effects may act over a window of days (got 3, expected blank)",
        "Effects!G4: the effect ends before it starts (got 9, expected a day from 10 on)",
    ]


def test_every_share_above_one_is_listed_at_once(tmp_path):
    """Shares above 1 on Demands, Effects and ScenarioEvents: each is named, also where the row it depends on (the
    carrier's Demands or Imports row) has an error of its own. The Effects and event shares used to be hidden."""

    def shares(rows) -> None:
        rows["Demands"][0]["Essential share"] = 1.5
        rows["Demands"][0]["Max relief"] = 1.2
        rows["Imports"][0]["Normal daily import"] = -1
        rows["ScenarioEvents"][0]["Value"] = 1.4
        rows["Projects"].append(
            {"Project ID": "drill", "Name": "Drills", "Category": "training", "Unit cost": 5, "Max units": 1}
            | {"Lead time": 0}
        )
        rows["Effects"].append(
            {"Project ID": "drill", "Effect": "relief", "Target ID": "power", "Amount per unit": 1.5}
        )
        rows["Effects"].append(
            {"Project ID": "drill", "Effect": "relief", "Target ID": "power", "Amount per unit": 2, "From day": 3}
        )

    found = problems(small_workbook(tmp_path / "shares.xlsx", shares))
    where = sorted(problem.split(":")[0] for problem in found)
    assert where == ["Demands!C2", "Demands!D2", "Effects!D4", "Effects!D5", "Imports!B2", "ScenarioEvents!F2"], found


def test_a_workbook_where_no_requirement_counts_is_refused_at_the_cell(tmp_path):
    def none_counts(rows) -> None:
        for row in rows["Demands"]:
            row["Counts toward endurance"] = "no"

    found = problems(small_workbook(tmp_path / "none.xlsx", none_counts))
    assert len(found) == 1 and found[0].startswith("Demands!") and "no requirement counts toward endurance" in found[0]


def test_a_blank_counts_column_counts(tmp_path):
    inputs = read_inputs(small_workbook(tmp_path / "blank.xlsx"))
    assert all(demand.counts for demand in inputs.demands.values())

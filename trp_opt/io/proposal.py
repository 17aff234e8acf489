"""A legislature's proposal: reading its workbook and turning it into inputs for the model.

A proposal is expressed as changes to the validated base ``Inputs``, never
as a second model:
- Budget (its envelope): year budgets and the total budget rule;
- Categories: an ``exact`` earmark becomes a category floor and cap, a
  ``cap`` a category cap (PolicyRule rows whose cell is the proposal's);
- Projects: fixed decisions (``Inputs.imposed``, constraints (25)–(26));
- Overrides: base figures replaced *before* validation, so they are checked
  by the very code that checks the base workbook; their errors are reported
  at the proposal's own cells.

Two inputs come out: the **envelope** (base + overrides + budget: what the
same money could buy) and the proposal **as written** (envelope + every
earmark and fixed decision). Each earmark and decision is a ``Figure`` that
can be lifted alone, to see how many days it costs.

Simple arithmetic conflicts (fixed projects costing more than the money,
earmarks adding up to more than the total, a fixed project that needs one
the proposal refuses) are found here before any solve and raised as
``Infeasible`` naming the proposal's cells; deeper conflicts are left to the
solver and trp_opt.analysis.diagnosis.
"""

from __future__ import annotations

import dataclasses
import difflib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from trp_opt.data import vocabulary
from trp_opt.data.errors import Infeasible, InputError, InvalidInputs
from trp_opt.data.inputs import ImposedDecision, Inputs, PolicyRule
from trp_opt.data.money import money_text
from trp_opt.io import schema
from trp_opt.io.validate import Validator, did_you_mean, read_inputs, shown, validate_sheets
from trp_opt.io.workbook import RawCell, RawSheet, check_file, header_name, read_sheets

README_SHEET = "README"
EXACT_SHORT = 0.999  # an 'exact' earmark may be left short by less than one unit of the cheapest project


@dataclass(frozen=True)
class Figure:
    """One figure the proposal imposes and the analyst may ask to lift: its budget, an earmark or a project decision."""

    kind: str  # "budget", "earmark" or "decision"
    cell: str  # e.g. "Categories!B3"
    words: str  # "the NT$ 10,000 million cap on grid"
    rules: tuple[PolicyRule, ...] = ()  # the earmark's policy rules
    project: str | None = None  # the decided project
    decision: ImposedDecision | None = None


@dataclass
class Proposal:
    path: Path
    base: Inputs  # the base workbook as read, without the proposal
    envelope: Inputs  # base + overrides + the proposal's budget
    figures: list[Figure] = field(default_factory=list)
    budget_words: str = "as in the base workbook"
    overrides: list[str] = field(default_factory=list)  # "Overrides!D2: Projects lng_tank Unit cost 6650 → 6000"
    unbudgeted: Inputs | None = None  # the base with the overrides, before the proposal's budget

    def as_written(self, without: Figure | None = None) -> Inputs:
        """The envelope with every figure imposed (except ``without``, to see what lifting it recovers: lifting the
        budget puts back the base's budget)."""
        start = self.unbudgeted if without is not None and without.kind == "budget" else self.envelope
        assert start is not None
        rules = list(start.policy)
        imposed = dict(start.imposed)
        for figure in self.figures:
            if figure is without:
                continue
            rules.extend(figure.rules)
            if figure.project is not None and figure.decision is not None:
                imposed[figure.project] = figure.decision
        return dataclasses.replace(start, policy=tuple(rules), imposed=imposed)


# ---- reading ----------------------------------------------------------------------------------


def is_proposal_workbook(path: Path) -> bool:
    """A workbook with some of a proposal's sheets and none of an input workbook's: `trp-opt validate` checks it
    against a base instead of listing the input sheets it lacks."""
    if check_file(Path(path)) is not None:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            names = set(load_workbook(path, read_only=True).sheetnames)
    except Exception:  # unreadable: the input reader says why
        return False
    proposal = {sheet.name for sheet in schema.PROPOSAL_SHEETS}
    inputs = {sheet.name for sheet in schema.SHEETS} - proposal
    return bool(names & proposal) and not names & inputs


def read_proposal(path: Path, base_path: Path) -> Proposal:
    """Read and validate a proposal against its base workbook.

    Raises InvalidInputs (every problem, at the proposal's cells) or
    Infeasible (figures that cannot hold together, found by arithmetic).
    """
    path, base_path = Path(path), Path(base_path)
    try:
        base = read_inputs(base_path)
    except InvalidInputs as problem:  # two workbooks are read: each message says which it is about
        raise problem.in_file(base_path.name) from None
    try:
        return _read_against(path, base_path, base)
    except InvalidInputs as problem:
        raise problem.in_file(path.name) from None


def _read_against(path: Path, base_path: Path, base: Inputs) -> Proposal:
    raw, errors = _read_raw(path)
    if errors and not raw:
        raise InvalidInputs(errors)
    v = Validator(raw)
    v.errors.extend(errors)

    override_rows = _override_rows(v)
    overridden, override_errors, override_notes = _apply_overrides(base, base_path, override_rows)
    v.errors.extend(override_errors)
    inputs = overridden if overridden is not None else base

    envelope, budget_words = _budget(v, inputs)
    limit = envelope.spend_limit()
    figures = _earmarks(v, inputs, limit) + _decisions(v, inputs)
    if envelope is not inputs:  # a budget of its own: a figure imposed like the others, and lifted like them
        cell = next(r.cell for r in envelope.policy if r.id == "proposal-total")
        stated = budget_words.replace(f" ({cell})", "")  # the cell is the figure's own, beside its words
        words = f"the budget of {stated} (the base's: {money_text(inputs.spend_limit(), inputs.currency)})"
        figures.insert(0, Figure("budget", cell, words))
    if v.errors:
        raise InvalidInputs(v.errors)
    proposal = Proposal(path, base, envelope, figures, budget_words, override_notes, unbudgeted=inputs)
    check_conflicts(proposal)
    return proposal


def _read_raw(path: Path) -> tuple[dict[str, RawSheet], list[InputError]]:
    """The proposal's sheets (any subset), refusing unknown sheets and unknown columns."""
    problem = check_file(path)
    if problem is not None:
        return {}, [problem]
    known = {sheet.name: sheet for sheet in schema.PROPOSAL_SHEETS}
    errors: list[InputError] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True, keep_vba=False)
    except Exception as failure:  # openpyxl raises many kinds for a broken file
        return {}, [
            InputError("", "", f"{path.name} cannot be read as an Excel workbook ({failure})", expected="an .xlsx file")
        ]
    try:
        present = []
        for name in book.sheetnames:
            if name in known:
                present.append(known[name])
                header = next(book[name].iter_rows(min_row=1, max_row=1), ())
                wanted = {column.name.lower() for column in known[name].columns}
                for cell in header:
                    if cell.value is None or not str(cell.value).strip():
                        continue
                    if header_name(cell.value) not in wanted:
                        errors.append(
                            InputError(
                                name,
                                cell.coordinate,
                                "unknown column",
                                shown(cell.value),
                                "one of " + ", ".join(f"'{c.header}'" for c in known[name].columns),
                            )
                        )
            elif name != README_SHEET:
                close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                errors.append(
                    InputError(
                        name,
                        "",
                        f"unknown sheet '{name}' in a proposal workbook{hint}",
                        expected="sheets " + ", ".join(known) + " (any of them), and README",
                    )
                )
    finally:
        book.close()
    sheets, read_errors = read_sheets(path, tuple(present))
    return sheets, errors + read_errors


# ---- overrides --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Override:
    sheet: str
    row_id: str
    column: str
    value: Any  # raw, as written: converted by the base validator
    excel_row: int
    cells: dict[str, str]  # column -> proposal address


def _override_rows(v: Validator) -> list[_Override]:
    sheet = schema.PROPOSAL_OVERRIDES
    rows = []
    for row, values in v.records(sheet):
        rows.append(
            _Override(
                values["Sheet"],
                values["Row ID"],
                values["Column"],
                row.cells["Value"].value,
                row.excel_row,
                {name: cell.address for name, cell in row.cells.items()},
            )
        )
    return rows


def _key_text(value: Any, column: schema.Column | None = None) -> str:
    """A row key as the overrides compare it: white space folded; case folded only in a choice (an event or
    effect kind), never in an ID: IDs are case-sensitive everywhere, so 'tank' and 'TANK' are two rows."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split()) if value is not None else ""
    return text.lower() if column is None or column.kind is schema.Kind.CHOICE else text


def _apply_overrides(
    base: Inputs, base_path: Path, overrides: list[_Override]
) -> tuple[Inputs | None, list[InputError], list[str]]:
    """Base inputs with the overrides in place, validated as the base is; errors at the proposal's cells."""
    if not overrides:
        return base, [], []
    where = schema.PROPOSAL_OVERRIDES.name
    sheets, read_errors = read_sheets(base_path, schema.SHEETS)
    if read_errors:  # the base read cleanly a moment ago; say so rather than guess
        return None, read_errors, []
    errors: list[InputError] = []
    notes: list[str] = []
    marks: dict[tuple[str, str], str] = {}  # (base sheet, marker address) -> proposal cell
    seen: dict[tuple[str, str, str], str] = {}
    for override in overrides:
        sheet = schema.SHEETS_BY_NAME[override.sheet]
        keys = schema.ROW_KEYS[override.sheet]
        columns = {column.name.lower(): column for column in sheet.columns}
        column = columns.get(header_name(override.column))
        if column is None or column.name in keys or column.name == "Source":
            choices = [c.name for c in sheet.columns if c.name not in keys and c.name != "Source"]
            errors.append(
                InputError(
                    where,
                    override.cells["Column"],
                    f"not a column that can be overridden on {sheet.name}",
                    shown(override.column),
                    "one of " + ", ".join(f"'{c}'" for c in choices),
                )
            )
            continue
        key_columns = [next(c for c in sheet.columns if c.name == k) for k in keys]
        wanted = [_key_text(part, c) for part, c in zip(override.row_id.split("/"), key_columns)]
        raw = sheets.get(sheet.name)
        row_ids = {
            id(row): [_key_text(row.cells[k].value if k in row.cells else None, c) for k, c in zip(keys, key_columns)]
            for row in (raw.rows if raw else [])
        }
        matches = [row for row in (raw.rows if raw else []) if len(wanted) == len(keys) and row_ids[id(row)] == wanted]
        if not matches:
            ids = [" / ".join(parts) for parts in row_ids.values()]
            asked = " / ".join(wanted)
            hint = did_you_mean(asked, ids)
            if any(i.lower() == asked.lower() for i in ids):
                hint += " (IDs are case-sensitive)"
            errors.append(
                InputError(
                    where,
                    override.cells["Row ID"],
                    f"no row of {sheet.name} has this ID{hint}",
                    shown(override.row_id),
                    f"the {' / '.join(keys)} of a row of {sheet.name}",
                )
            )
            continue
        target = (sheet.name, " / ".join(wanted), column.name)
        if target in seen:
            errors.append(
                InputError(
                    where, override.cells["Row ID"], f"the same figure is overridden twice (also in {seen[target]})"
                )
            )
            continue
        seen[target] = f"{where}!{override.cells['Value']}"
        row = matches[0]
        marker = f"override-{override.excel_row}"
        old = row.cells.get(column.name)
        row.cells[column.name] = RawCell(override.value, marker)
        marks[(sheet.name, marker)] = f"{where}!{override.cells['Value']}"
        before = shown(old.value) if old is not None and old.value is not None else "blank"
        notes.append(
            f"{where}!{override.cells['Value']}: {sheet.name} {override.row_id} {column.name}: "
            f"{before} → {shown(override.value)}"
        )
    v = Validator(sheets)  # the overrides that could be placed are checked even when others could not
    inputs = validate_sheets(v)
    for error in v.errors:
        proposal_cell = marks.get((error.sheet, error.cell))
        if proposal_cell is not None:
            sheet_name, cell = proposal_cell.split("!")
            errors.append(
                InputError(
                    sheet_name,
                    cell,
                    f"{error.message} (the override of {error.sheet} {override_label(overrides, error.cell)})",
                    error.got,
                    error.expected,
                )
            )
        else:
            errors.append(dataclasses.replace(error, message=f"{error.message} (after the proposal's overrides)"))
    if errors or inputs is None:
        return None, errors, notes

    def relabel(cell: str) -> str:
        sheet_name, _, address = cell.partition("!")
        return marks.get((sheet_name, address), cell)

    inputs = dataclasses.replace(
        inputs,
        policy=tuple(dataclasses.replace(r, cell=relabel(r.cell)) for r in inputs.policy),
        year_budget_cells={y: relabel(c) for y, c in inputs.year_budget_cells.items()},
    )
    return inputs, [], notes


def override_label(overrides: list[_Override], marker: str) -> str:
    for override in overrides:
        if f"override-{override.excel_row}" == marker:
            return f"{override.row_id} {override.column}"
    return marker


# ---- budget, earmarks, decisions ---------------------------------------------------------------


def _budget(v: Validator, inputs: Inputs) -> tuple[Inputs, str]:
    sheet = schema.PROPOSAL_BUDGET
    money = inputs.currency
    total: tuple[float, str] | None = None
    years: dict[int, tuple[float, str]] = {}
    for row, values in v.records(sheet):
        year, amount = values["Year"], values["Amount"]
        cell = f"{sheet.name}!{row.cells['Amount'].address}"
        if year is None:
            if total is not None:
                v.error(
                    sheet.name,
                    row.cells["Amount"].address,
                    f"a second total (also in {total[1]})",
                    expected="one row with a blank Year",
                )
                continue
            total = (amount, cell)
        elif year not in inputs.years:
            v.error(
                sheet.name,
                row.cells["Year"].address,
                "not a planning year of the base workbook",
                year,
                f"a year from {min(inputs.years)} to {max(inputs.years)}, or blank for the total",
            )
        elif year in years:
            v.error(sheet.name, row.cells["Year"].address, f"the year appears twice (also in {years[year][1]})")
        else:
            years[year] = (amount, cell)
    if total is not None:
        for year, (amount, cell) in years.items():
            if amount > total[0]:
                v.error(
                    sheet.name,
                    cell.split("!")[1],
                    f"the {year} budget is beyond the proposal's total of {money_text(total[0], money)} ({total[1]})",
                    amount,
                    f"at most {money_text(total[0], money)}",
                )
    if total is None and not years:
        return inputs, "as in the base workbook"

    year_budgets = dict(inputs.year_budgets)
    cells = dict(inputs.year_budget_cells)
    if years:
        for year, (amount, cell) in years.items():
            year_budgets[year], cells[year] = amount, cell
    elif total is not None and inputs.spend_limit() > 0:  # scale the yearly split, as --budget does
        factor = total[0] / inputs.spend_limit()
        year_budgets = {y: b * factor for y, b in year_budgets.items()}
        cells = {y: total[1] for y in year_budgets}
    amount, cell = total if total is not None else (sum(year_budgets.values()), f"{sheet.name} (sum of the years)")
    rules = [r for r in inputs.policy if not (r.rule == vocabulary.RULE_TOTAL_BUDGET and r.year is None)]
    rules.append(PolicyRule("proposal-total", vocabulary.RULE_TOTAL_BUDGET, amount, cell=cell))
    words = f"{money_text(amount, money)} in total ({cell})"
    if years:
        words += "; years " + ", ".join(f"{y}: {money_text(a, money)}" for y, (a, _) in sorted(years.items()))
    return dataclasses.replace(inputs, year_budgets=year_budgets, year_budget_cells=cells, policy=tuple(rules)), words


def _earmarks(v: Validator, inputs: Inputs, limit: float) -> list[Figure]:
    sheet = schema.PROPOSAL_CATEGORIES
    money = inputs.currency
    categories = inputs.categories
    figures: list[Figure] = []
    seen: dict[str, str] = {}
    for row, values in v.records(sheet):
        category, amount, kind = values["Category"], values["Amount"], values["Earmark"]
        address = row.cells["Amount"].address
        cell = f"{sheet.name}!{address}"
        if category not in categories:
            close = difflib.get_close_matches(category, categories, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            v.error(
                sheet.name,
                row.cells["Category"].address,
                f"no project of the base workbook has this category{hint}",
                category,
                "one of " + ", ".join(categories),
            )
            continue
        if category in seen:
            v.error(sheet.name, row.cells["Category"].address, f"the category appears twice (also in {seen[category]})")
            continue
        seen[category] = cell
        if amount > limit + 1e-9:
            v.error(
                sheet.name,
                address,
                "the amount is beyond the total that may be spent",
                amount,
                f"at most {money_text(limit, money)}",
            )
            continue
        slug = f"proposal-{row.excel_row}"
        cap = PolicyRule(
            f"{slug}-cap", vocabulary.RULE_CATEGORY_CAP, amount, vocabulary.AMOUNT_MONEY, category, None, cell
        )
        if kind == schema.EARMARK_CAP:
            words = f"the {money_text(amount, money)} cap on {category}"
            rules: tuple[PolicyRule, ...] = (cap,)
        else:
            # (a unit that costs nothing cannot close a gap, so the cheapest unit that costs money)
            costs = [p.unit_cost for p in inputs.projects.values() if p.category == category and p.unit_cost > 0]
            cheapest = min(costs, default=0.0)
            # Whole units rarely add up to the amount exactly: what is left must be less than one unit of
            # the cheapest project of the category (else that unit would still fit and must be bought).
            floor = PolicyRule(
                f"{slug}-floor",
                vocabulary.RULE_CATEGORY_FLOOR,
                max(0.0, amount - EXACT_SHORT * cheapest),
                vocabulary.AMOUNT_MONEY,
                category,
                None,
                cell,
            )
            words = f"the {money_text(amount, money)} earmark for {category}"
            rules = (floor, cap)
        figures.append(Figure("earmark", cell, words, rules))
    return figures


def _decisions(v: Validator, inputs: Inputs) -> list[Figure]:
    sheet = schema.PROPOSAL_PROJECTS
    money = inputs.currency
    figures: list[Figure] = []
    seen: dict[str, str] = {}
    for row, values in v.records(sheet):
        pid, units, start = values["Project ID"], values["Units"], values["Start year"]
        cell = f"{sheet.name}!{row.cells['Project ID'].address}"
        if pid not in inputs.projects:
            close = difflib.get_close_matches(pid, list(inputs.projects), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            v.error(
                sheet.name,
                row.cells["Project ID"].address,
                f"unknown project{hint}",
                pid,
                "a Project ID of the base workbook",
            )
            continue
        if pid in seen:
            v.error(sheet.name, row.cells["Project ID"].address, f"the project appears twice (also in {seen[pid]})")
            continue
        seen[pid] = cell
        project = inputs.projects[pid]
        if units > project.max_units:
            v.error(
                sheet.name,
                row.cells["Units"].address,
                f"more units than {pid} allows",
                units,
                f"at most {project.max_units} (Max units in the base workbook)",
            )
            continue
        if start is not None:
            allowed = inputs.start_years(project)
            if units == 0:
                v.error(
                    sheet.name,
                    row.cells["Start year"].address,
                    "a project not funded has no start year",
                    start,
                    "a blank cell when Units is 0",
                )
                continue
            if start not in allowed:
                reason = (
                    "not a planning year"
                    if start not in inputs.years
                    else f"{pid} cannot start then: its {len(project.spend_profile)}-year spend profile must end "
                    "within the plan"
                )
                v.error(
                    sheet.name, row.cells["Start year"].address, reason, start, "one of " + ", ".join(map(str, allowed))
                )
                continue
        decision = ImposedDecision(units, start, cell)
        if units == 0:
            words = f"the decision not to fund {project.name} ({pid})"
        else:
            when = f" from {start}" if start is not None else ""
            words = (
                f"the decision to fund {units} × {project.name} ({pid}){when}, "
                f"{money_text(units * project.unit_cost, money)}"
            )
        figures.append(Figure("decision", cell, words, project=pid, decision=decision))
    return figures


# ---- conflicts found by arithmetic ------------------------------------------------------------


def check_conflicts(proposal: Proposal) -> None:
    """Raise Infeasible, in the analyst's words and cells, for figures that cannot hold together.

    Only plain arithmetic and the Requires/Excludes pairs: anything subtler is
    left to the solver, whose infeasibility is explained by trp_opt.analysis.diagnosis.
    """
    inputs = proposal.as_written()
    money = inputs.currency
    conflicts: list[str] = []
    imposed = inputs.imposed
    projects = inputs.projects

    def cost(pid: str) -> float:
        return imposed[pid].units * projects[pid].unit_cost

    funded = [pid for pid in imposed if imposed[pid].units > 0]
    limit = inputs.spend_limit()
    total_cell = next((r.cell for r in inputs.policy if r.rule == vocabulary.RULE_TOTAL_BUDGET and r.year is None), "")
    imposed_cost = sum(cost(pid) for pid in funded)
    if imposed_cost > limit + 1e-6:
        items = "; ".join(f"{imposed[pid].cell} {pid} {money_text(cost(pid), money)}" for pid in funded)
        conflicts.append(
            f"The projects the proposal fixes cost {money_text(imposed_cost, money)}, "
            f"{money_text(imposed_cost - limit, money)} more than the {money_text(limit, money)} that may be "
            f"spent{f' ({total_cell})' if total_cell else ''}: {items}."
        )
    for year in inputs.years:
        paid = {}
        for pid in funded:
            start = imposed[pid].start_year
            if start is None:
                continue
            offset = year - start
            profile = projects[pid].spend_profile
            if 0 <= offset < len(profile) and profile[offset] > 0:
                paid[pid] = cost(pid) * profile[offset]
        budget = inputs.year_budgets[year]
        if sum(paid.values()) > budget + 1e-6:
            items = "; ".join(f"{imposed[pid].cell} {pid} {money_text(a, money)}" for pid, a in paid.items())
            conflicts.append(
                f"In {year} the projects the proposal fixes need {money_text(sum(paid.values()), money)}, "
                f"{money_text(sum(paid.values()) - budget, money)} more than the {year} budget of "
                f"{money_text(budget, money)} ({inputs.year_budget_cells.get(year, 'Years')}): {items}."
            )

    earmarks = [r for f in proposal.figures for r in f.rules if r.category is not None]
    floor_of = {r.category: r for r in earmarks if r.category and r.rule == vocabulary.RULE_CATEGORY_FLOOR}
    cap_of = {r.category: r for r in earmarks if r.category and r.rule == vocabulary.RULE_CATEGORY_CAP}
    # Least each category must get: its floor, or what its fixed projects cost if more.
    needed: dict[str, float] = {}
    for category in inputs.categories:
        imposed_in = sum(cost(pid) for pid in funded if projects[pid].category == category)
        floor = floor_of[category].amount if category in floor_of else 0.0
        needed[category] = max(imposed_in, floor)
    if floor_of and sum(needed.values()) > limit + 1e-6:
        parts = []
        for category, amount in needed.items():
            if amount > 0:
                source = (
                    floor_of[category].cell
                    if category in floor_of and floor_of[category].amount >= amount
                    else "fixed projects"
                )
                parts.append(f"{category} {money_text(amount, money)} ({source})")
        conflicts.append(
            f"The earmarks and fixed projects need at least {money_text(sum(needed.values()), money)}, "
            f"{money_text(sum(needed.values()) - limit, money)} more than the {money_text(limit, money)} "
            f"that may be spent: {'; '.join(parts)}."
        )
    for category, cap in cap_of.items():
        fixed_in = [pid for pid in funded if projects[pid].category == category]
        amount = sum(cost(pid) for pid in fixed_in)
        if amount > cap.amount + 1e-6:
            items = "; ".join(f"{imposed[pid].cell} {pid} {money_text(cost(pid), money)}" for pid in fixed_in)
            conflicts.append(
                f"The projects the proposal fixes in {category} cost {money_text(amount, money)}, "
                f"{money_text(amount - cap.amount, money)} above the {money_text(cap.amount, money)} the "
                f"proposal allows for {category} ({cap.cell}): {items}."
            )
    for category, floor_rule in floor_of.items():
        most = sum(
            (imposed[p.id].units if p.id in imposed else p.max_units) * p.unit_cost
            for p in projects.values()
            if p.category == category
        )
        if most < floor_rule.amount - 1e-6:
            conflicts.append(
                f"The {category} earmark ({floor_rule.cell}) cannot be spent: every {category} project the "
                f"proposal allows, funded in full, costs {money_text(most, money)}, "
                f"{money_text(floor_rule.amount - most, money)} short of the "
                f"{money_text(floor_rule.amount, money)} that must be spent."
            )
    for pid in funded:
        for other in projects[pid].requires:
            if other in imposed and imposed[other].units == 0:
                conflicts.append(
                    f"{imposed[pid].cell} funds {pid}, which requires {other}, but {imposed[other].cell} "
                    f"does not fund {other}."
                )
        for other in projects[pid].excludes:
            if other in imposed and imposed[other].units > 0 and (pid < other or pid not in projects[other].excludes):
                conflicts.append(
                    f"{imposed[pid].cell} funds {pid} and {imposed[other].cell} funds {other}, but the two "
                    "exclude each other (Excludes on the base Projects sheet)."
                )
    if conflicts:
        raise Infeasible(f"The proposal {proposal.path.name} cannot be carried out as written:", _unique(conflicts))


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))

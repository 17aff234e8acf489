"""The kinds of scenario event and project effect are records (trp_opt.data.vocabulary): every reader takes them
from there, and each record's equations are the ones models/endurance.md numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trp_opt.data import vocabulary
from trp_opt.io import schema
from trp_opt.io.template import readme_rows

DOCUMENT = (Path(__file__).resolve().parents[2] / "models" / "endurance.md").read_text(encoding="utf-8")
KINDS = [*vocabulary.EVENTS.values(), *vocabulary.EFFECTS.values()]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_kind_names_equations_the_document_numbers(kind):
    named = re.findall(r"\((\d+)\) (\w+)", kind.equation)
    assert named, kind.equation
    for number, name in named:
        assert f"({number}) `{name}" in DOCUMENT, (number, name)


def test_the_workbook_offers_every_kind_and_its_readme_explains_each():
    assert schema.SCENARIO_EVENTS.column("Event").choices == vocabulary.EVENT_KINDS
    assert schema.EFFECTS.column("Effect").choices == vocabulary.EFFECT_KINDS
    explained = {row[1] for row in readme_rows()}
    for kind in vocabulary.EVENTS.values():
        assert f"Event '{kind.name}'" in explained
    for kind in vocabulary.EFFECTS.values():
        assert f"Effect '{kind.name}'" in explained


def test_only_flows_and_rates_act_over_a_window():
    assert set(vocabulary.WINDOWED_EFFECTS) == {"repair", "relief", "assured import"}
    assert all(not vocabulary.EFFECTS[name].windowed for name in ("stock", "storage", "capacity", "hardened"))

"""Fixtures shared by the test folders (which mirror trp_opt's layers); shared helpers that are not
fixtures (small instances, workbooks) live in tests/support."""

from __future__ import annotations

import pytest

from trp_opt.data.options import FORMULATIONS
from trp_opt.solve import parallel


@pytest.fixture(params=FORMULATIONS)
def formulation(request) -> str:
    """Each formulation choose_plan offers: every model test holds for all of them."""
    return request.param


@pytest.fixture
def questions_at_once():
    """Set how many questions run at once for one test, and put the process's setting back after."""
    before = parallel.parallel_questions()
    yield parallel.set_parallel_questions
    parallel.set_parallel_questions(before)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the slow tier: the tests marked slow")


def pytest_collection_modifyitems(config, items):
    # The default run stays within a few minutes (what CI runs); the slow tier is asked for by name.
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow tier: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

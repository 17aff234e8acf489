"""The scripts under inputs/ that write the bundled workbooks, loaded as modules for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

INPUTS = Path(__file__).resolve().parents[2] / "inputs"


def builder(name: str):
    """inputs/<name>.py as a module (its main() not run)."""
    spec = importlib.util.spec_from_file_location(name, INPUTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(INPUTS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(INPUTS))
    return module

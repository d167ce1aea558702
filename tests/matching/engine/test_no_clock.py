"""The pure engine reads no clock: "now" (a posting's age) comes in as data. That is why the
clock-shifted pass (`make test-clock`) leaves the engine's tests out; this test fails the day a
clock read slips into the engine, so that reason stays true."""

from __future__ import annotations

import ast
from pathlib import Path

import matching.engine

ENGINE = Path(matching.engine.__file__).resolve().parent
CLOCK_MODULES = {"time", "datetime", "calendar", "zoneinfo"}
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter", "localtime", "gmtime"}


def clock_reads(source: str) -> list[str]:
    """Imports of the clock modules and calls such as `x.now()` in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in CLOCK_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in CLOCK_MODULES:
            found.append(node.module or "")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
            found.append(f"{ast.unparse(node.func)}()")
    return found


def test_no_module_of_the_engine_reads_the_clock():
    reads = {p.name: clock_reads(p.read_text()) for p in sorted(ENGINE.glob("*.py"))}
    assert {name: r for name, r in reads.items() if r} == {}


def test_the_check_sees_a_clock_read():
    assert clock_reads("import time\nfrom datetime import datetime\nx = datetime.now()\n") == [
        "time",
        "datetime",
        "datetime.now()",
    ]

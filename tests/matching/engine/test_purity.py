"""The engine stays pure: no Django, Celery, project code, clock, randomness or I/O inside."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

import matching.engine
from matching.engine.synthetic import make_market

ENGINE = Path(matching.engine.__file__).parent
ALLOWED = {
    "__future__",
    "bisect",
    "collections",
    "dataclasses",
    "functools",
    "itertools",
    "math",
    "typing",
    "numpy",
    "scipy",
}


def test_engine_imports_only_the_standard_library_numpy_and_scipy() -> None:
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"open", "print", "input"}:
                raise AssertionError(f"{path.name} does I/O")
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: inside the engine
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"


def test_synthetic_markets_depend_only_on_the_generator_passed_in() -> None:
    a = make_market(np.random.default_rng(42), 50, 40)
    b = make_market(np.random.default_rng(42), 50, 40)
    assert a == b
    assert a != make_market(np.random.default_rng(43), 50, 40)

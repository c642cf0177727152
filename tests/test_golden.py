"""The generated source is the product: its text for these functions is pinned.

A change here is reviewed like an API change. To accept new text after reviewing it:
    TANGENT_AD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
import os
import pathlib

import pytest

import tangent_ad as ta
from tangent_ad.directional import Jvp
from golden_functions import GOLDEN

GOLDEN_DIR = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("TANGENT_AD_UPDATE_GOLDEN") == "1"


def generated_source(fun, argnums, args, mode):
    if mode == "jvp":
        derivative = Jvp(fun, backend="python")
        derivative(args, args)
        return str(derivative.source)
    make = ta.grad if mode == "grad" else ta.value_and_grad
    return str(ta.source(make(fun, argnums=argnums, backend="python"), *args))


@pytest.mark.parametrize("name, fun, argnums, args, mode", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_source(name, fun, argnums, args, mode):
    text = generated_source(fun, argnums, args, mode)
    path = GOLDEN_DIR / f"{name}.py"
    if UPDATE or not path.exists():
        path.write_text(text)
        if not UPDATE:
            pytest.fail(f"created {path.name}: review it and commit it")
    assert text == path.read_text(), f"generated source of {name} changed"


@pytest.mark.parametrize("name, fun, argnums, args, mode", GOLDEN[:4], ids=[g[0] for g in GOLDEN[:4]])
def test_generation_is_deterministic(name, fun, argnums, args, mode):
    assert generated_source(fun, argnums, args, mode) == generated_source(fun, argnums, args,
                                                                           mode)

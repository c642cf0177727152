"""The corpus of tests/corpus.py, in reverse and forward mode, against central differences,
on both backends."""
import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.checking import numerical_grad

from conftest import assert_tree_close
from corpus import CORPUS

RANGES = {"s": (-1.0, 1.0), "p": (0.5, 1.5), "v": (-1.0, 1.0), "w": (0.5, 1.5),
          "u": (-1.0, 1.0), "m": (-1.0, 1.0)}
SHAPES = {"s": (), "p": (), "v": (4,), "w": (4,), "u": (3,), "m": (3, 3)}
INTS = {"n": 5, "k": 3}


def arguments(kinds, seed=0):
    rng = np.random.default_rng(seed)
    args = []
    for kind in kinds:
        if kind in INTS:
            args.append(INTS[kind])
        else:
            lo, hi = RANGES[kind]
            value = rng.uniform(lo, hi, SHAPES[kind])
            args.append(float(value) if SHAPES[kind] == () else value)
    return tuple(args)


def float_positions(kinds):
    return tuple(i for i, k in enumerate(kinds) if k not in INTS)


@pytest.mark.parametrize("fn, kinds", CORPUS, ids=[fn.__name__ for fn, _ in CORPUS])
def test_reverse(fn, kinds, backend):
    args = arguments(kinds)
    argnums = float_positions(kinds)
    before = [np.copy(a) for a in args]
    got = ta.grad(fn, argnums=argnums, backend=backend)(*args)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b, err_msg="the derivative changed an argument")
    assert_tree_close(got, numerical_grad(fn, args, argnums), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn, kinds", CORPUS, ids=[fn.__name__ for fn, _ in CORPUS])
def test_forward(fn, kinds, backend):
    args = arguments(kinds)
    argnums = float_positions(kinds)
    rng = np.random.default_rng(1)
    tangents = tuple(rng.standard_normal(np.shape(a)) if i in argnums and np.ndim(a)
                     else float(rng.standard_normal()) if i in argnums else a
                     for i, a in enumerate(args))
    out, out_dot = ta.jvp(fn, args, tangents, backend=backend)
    want = numerical_grad(fn, args, argnums)
    directional = sum(np.sum(g * tangents[i]) for g, i in zip(want, argnums))
    np.testing.assert_allclose(out, fn(*args), rtol=1e-12)
    np.testing.assert_allclose(out_dot, directional, rtol=1e-5, atol=1e-6)


def test_corpus_size():
    assert len(CORPUS) >= 120

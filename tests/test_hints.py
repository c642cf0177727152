"""What cannot be differentiated says what to write instead, fitted to the call: a method
NumPy has as a function, a scipy.stats method without a rule, np.linalg.eig, random
numbers drawn inside the function."""
import re

import numpy as np
import pytest
from scipy.stats import norm

import tangent_ad as ta
from tangent_ad.errors import TangentADError

X = np.array([0.3, -0.2, 0.5])
rng = np.random.default_rng(0)


def method_numpy_has(x):
    return np.sum(x[x.argsort()] * x.cumsum().round())


def method_numpy_lacks(x):
    return x.frobnicate()


def stats_without_rule(x):
    return np.sum(norm.sf(x))


def general_eig(x):
    w, v = np.linalg.eig(np.outer(x, x))
    return np.sum(w)


def numpy_random_inside(x):
    eps = np.random.normal(size=3)
    return np.sum(x * eps)


def generator_inside(x):
    eps = rng.normal(size=3)
    return np.sum(x * eps)


def generator_made_inside(x):
    g = np.random.default_rng(0)
    eps = g.standard_normal(3)
    return np.sum(x * eps)


@pytest.mark.parametrize("f, args, message, hint", [
    (method_numpy_lacks, (X,), r"`\.frobnicate\(\)`", r"not an array method"),
    (stats_without_rule, (X,), r"scipy\.stats\.norm\.sf", r"write the density with NumPy"),
    (general_eig, (X,), r"numpy.linalg.eig", r"np\.linalg\.eigh .* symmetric .* complex"),
    (numpy_random_inside, (X,), r"normal", r"draw the random numbers outside"),
    (generator_inside, (X,), r"normal", r"draw the random numbers outside"),
    (generator_made_inside, (X,), r"default_rng", r"draw the random numbers outside"),
], ids=lambda p: getattr(p, "__name__", None))
def test_hint_fits_the_call(f, args, message, hint):
    with pytest.raises(TangentADError, match=message) as info:
        ta.grad(f, backend="python")(*args)
    text = str(info.value)
    assert "test_hints.py:" in text, text
    assert re.search("hint: .*" + hint, text, re.S), text


def test_method_numpy_has_names_the_function():
    with pytest.raises(TangentADError) as info:
        ta.grad(method_numpy_has, backend="python")(X)
    assert "np.argsort(x, ...)" in str(info.value) or "np.round(x, ...)" in str(info.value)

"""The default backend answers a new loop-free derivative in Python while numba compiles.

See tangent_ad/backends/tiers.py. Each test uses a cache directory of its own, so numba's
disk cache does not hold the derivative yet.
"""
import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import runs_compiled

from conftest import check_grad


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TANGENT_AD_TIERS", "1")


def mlp_loss(params, x):
    h = np.tanh(x @ params["W"] + params["b"])
    return np.sum(h ** 2)


def make_params():
    rng = np.random.default_rng(1)
    return {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}, rng.normal(size=(5, 3))


def test_a_loop_free_derivative_answers_in_python_while_numba_compiles(empty_cache):
    def tiered_loss(params, x):  # a function of this test's own: nothing derived for it yet
        return mlp_loss(params, x) * 2.0
    params, x = make_params()
    g = ta.grad(tiered_loss)
    first = g(params, x)
    call = g.last.call
    assert call.background is not None  # compiling on its thread; the answer came first
    assert runs_compiled(call)  # waits for the compile
    assert not call.tiered
    again = g(params, x)  # the machine code
    for key in first:
        np.testing.assert_allclose(again[key], first[key], rtol=1e-12)
    check_grad(tiered_loss, (params, x))


def test_with_tiers_off_the_first_call_compiles(empty_cache, monkeypatch):
    monkeypatch.delenv("TANGENT_AD_TIERS")  # off unless asked for

    def untiered_loss(params, x):
        return mlp_loss(params, x) * 3.0
    g = ta.grad(untiered_loss)
    g(*make_params())
    assert g.last.call.background is None and not g.last.call.tiered


def test_loops_and_backend_numba_compile_before_the_first_call(empty_cache):
    def recurrence(x, n):
        for _ in range(n):
            x = x + 0.1 * np.sin(x)
        return x

    def strict_loss(params, x):
        return mlp_loss(params, x) * 4.0
    g = ta.grad(recurrence)
    g(0.3, 10)
    assert g.last.call.background is None
    strict = ta.grad(strict_loss, backend="numba")
    strict(*make_params())
    assert strict.last.call.background is None and not strict.last.call.tiered

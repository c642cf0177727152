"""Derivatives are derived once per function and argument kinds, whichever object asks.

`ta.jvp(f, ...)` called in a loop, or `ta.grad(f)` made again at every step, finds the
derivative already generated and compiled; a helper redefined (a notebook cell run again)
or a rule registered since makes a new one.
"""
import numpy as np

import tangent_ad as ta
from tangent_ad import pipeline


def loss(w, b, x, y):
    p = np.tanh(x @ w + b)
    return np.mean((p - y) ** 2)


ARGS = (np.array([0.1, -0.2, 0.3]), 0.1, np.arange(6.0).reshape(2, 3) / 6, np.array([0.5, -0.5]))


def counting_derive(monkeypatch):
    calls = []
    derive = pipeline.derive

    def counted(*args, **kwargs):
        calls.append(args[3])  # the mode
        return derive(*args, **kwargs)
    monkeypatch.setattr(pipeline, "derive", counted)
    return calls


def test_a_repeated_jvp_derives_once(monkeypatch, backend):
    calls = counting_derive(monkeypatch)
    tangents = (np.ones(3), 0.0, np.zeros((2, 3)), np.zeros(2))
    first = ta.jvp(loss, ARGS, tangents, backend=backend)
    for _ in range(3):
        again = ta.jvp(loss, ARGS, tangents, backend=backend)
        np.testing.assert_allclose(again, first)
    assert len(calls) <= 1  # none at all when an earlier test derived it already


def test_grad_made_again_derives_once(monkeypatch, backend):
    calls = counting_derive(monkeypatch)
    first = ta.grad(loss, argnums=(0, 1), backend=backend)(*ARGS)
    for _ in range(3):
        again = ta.grad(loss, argnums=(0, 1), backend=backend)(*ARGS)
        np.testing.assert_allclose(again[0], first[0])
    assert len(calls) <= 1


def helper(x):
    return x * x


def uses_helper(x):
    return helper(x) + 1.0


def test_a_redefined_helper_is_differentiated_anew(backend):
    global helper
    saved = helper
    assert ta.grad(uses_helper, backend=backend)(3.0) == 6.0
    try:
        def helper(x):  # the cell that defines it, run again with a change
            return x * x * x
        assert ta.grad(uses_helper, backend=backend)(3.0) == 27.0
    finally:
        helper = saved


def test_a_rule_registered_later_is_used(backend):
    def straight_through_tanh(x):  # a new function at each run: the rule is registered on it
        return np.tanh(x)

    def uses_softclip(x):
        return straight_through_tanh(x) * 2.0
    before = ta.grad(uses_softclip, backend=backend)(0.5)
    np.testing.assert_allclose(before, 2.0 * (1.0 - np.tanh(0.5) ** 2))

    @ta.adjoint_rule(straight_through_tanh)
    def _(z, x):
        x_bar += z_bar * 1.0  # a straight-through estimator  # noqa: F821

    @ta.tangent_rule(straight_through_tanh)
    def _(z, x):
        z_dot = x_dot * 1.0  # noqa: F841, F821
    assert ta.grad(uses_softclip, backend=backend)(0.5) == 2.0


def test_a_function_and_its_derivatives_are_freed():
    import gc
    import weakref

    def make():
        def square(x):
            return x * x
        return square
    f = make()
    assert ta.grad(f, backend="python")(3.0) == 6.0
    gone = weakref.ref(f)
    del f
    gc.collect()
    assert gone() is None


def test_a_wrapper_does_not_take_the_wrapped_function_s_derivatives():
    import functools

    def square(x):
        return x * x
    assert ta.grad(square, backend="python")(3.0) == 6.0

    @functools.wraps(square)  # copies square.__dict__, where its derivatives are kept
    def doubled(x):
        return 2.0 * square(x)
    assert ta.grad(doubled, backend="python")(3.0) == 12.0


def test_a_differentiated_function_pickles_by_value_without_its_derivatives():
    """cloudpickle (dask, joblib) copies a function's attributes along with its code."""
    import pickle

    def square(x):
        return x * x
    assert ta.grad(square, backend="python")(3.0) == 6.0
    attribute = pickle.loads(pickle.dumps(square.__dict__["__tangent_ad__"]))
    assert attribute.function is None


def mlp_loss(params, x, y):
    h = np.tanh(x @ params["W1"] + params["b1"])
    out = h @ params["W2"] + params["b2"]
    return np.mean((out - y) ** 2)


def test_dict_params_take_the_quick_path(backend):
    from conftest import assert_tree_close
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(3, 4)), "b1": np.zeros(4), "W2": rng.normal(size=(4, 1)),
              "b2": 0.5}
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    g = ta.grad(mlp_loss, backend=backend)
    first = g(params, x, y)
    assert g._quick((params, x, y)) is not None  # the second call skips flattening plans
    assert_tree_close(g(params, x, y), first)
    ints = dict(params, b2=1)  # an int leaf of a differentiated argument: a float there
    assert isinstance(g(ints, x, y)["b2"], float) and isinstance(g(ints, x, y)["b2"], float)
    assert_tree_close(g(ints, x, y), g(dict(params, b2=1.0), x, y))
    wider = dict(params, unused=np.ones(2))  # another structure: derived for itself
    assert set(g(wider, x, y)) == set(wider)

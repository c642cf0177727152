"""A function's own derivative, as readable templates: ta.adjoint_rule / ta.tangent_rule."""
import fractions
import math
import warnings

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import NumbaFallbackWarning, runs_compiled
from tangent_ad.pipeline import imports_for


def softclip(x):
    return np.tanh(x)


@ta.adjoint_rule(softclip)
def _(z, x):
    x_bar += z_bar * (1.0 - z * z)


@ta.tangent_rule(softclip)
def _(z, x):
    z_dot = x_dot * (1.0 - z * z)


def uses_softclip(x):
    return np.sum(softclip(x) * x)


X = np.array([0.3, -0.5])


def test_generated_code_calls_the_function_and_shows_the_template(backend):
    d = ta.grad(uses_softclip, backend=backend)
    np.testing.assert_allclose(d(X), np.tanh(X) + X * (1 - np.tanh(X) ** 2))
    assert "v1 = softclip(x)" in d.source
    assert "(1.0 - v1 * v1)" in d.source


def test_forward_mode_uses_the_tangent_template(backend):
    out, out_dot = ta.jvp(uses_softclip, (X,), (np.ones(2),), backend=backend)
    np.testing.assert_allclose(out_dot, np.sum(np.tanh(X) + X * (1 - np.tanh(X) ** 2)))


def test_grad_of_the_function_itself():
    assert ta.grad(softclip, backend="python")(0.5) == pytest.approx(1 - np.tanh(0.5) ** 2)


def test_second_derivative_through_a_custom_rule():
    d2 = ta.grad(ta.grad(softclip), backend="python")
    t = np.tanh(0.5)
    assert d2(0.5) == pytest.approx(-2 * t * (1 - t * t))


@ta.adjoint_rule(math.erf)  # a C function: no Python source
def _(z, x):
    x_bar += z_bar * 2.0 / math.sqrt(math.pi) * math.exp(-x * x)


def uses_erf(x):
    return math.erf(x) * x


def test_a_c_function(backend):
    want = math.erf(0.5) + 0.5 * 2 / math.sqrt(math.pi) * math.exp(-0.25)
    d = ta.grad(uses_erf, backend=backend)
    assert d(0.5) == pytest.approx(want)
    assert "erf(x)" in d.source


def norm(v):
    return np.sqrt(np.sum(v * v))


@ta.adjoint_rule(norm)
def _(z, v):
    v_bar += z_bar * v / z


def uses_norm(v, w):
    return norm(v) * np.sum(w)


def test_the_result_kind_is_taken_from_the_function():
    gv, gw = ta.grad(uses_norm, (0, 1), backend="python")(X, np.ones(3))
    np.testing.assert_allclose(gv, 3 * X / np.linalg.norm(X))
    np.testing.assert_allclose(gw, np.full(3, np.linalg.norm(X)))


def python_only(x):
    return float(fractions.Fraction(3, 2)) * x


@ta.adjoint_rule(python_only)
def _(z, x):
    x_bar += 1.5 * z_bar


def uses_python_only(x):
    return python_only(x) * x


def test_numba_falls_back_when_it_cannot_compile_the_function():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NumbaFallbackWarning)
        d = ta.grad(uses_python_only)
        assert d(2.0) == pytest.approx(6.0)  # at once, in Python: numba compiles meanwhile
        runs_compiled(d.last.call)  # waits for numba
        assert d(2.0) == pytest.approx(6.0)  # numba could not: Python, with the warning
    assert any(issubclass(w.category, NumbaFallbackWarning) for w in caught)


def uses_stop_gradient(x):
    return x * ta.stop_gradient(x)


def test_stop_gradient(backend):
    assert ta.grad(uses_stop_gradient, backend=backend)(3.0) == pytest.approx(3.0)
    assert ta.jvp(uses_stop_gradient, (3.0,), (1.0,), backend=backend)[1] == pytest.approx(3.0)
    assert ta.stop_gradient(2.0) == 2.0


def test_imports_follow_the_names_called_not_the_text():
    # `norm` above has a rule of its own; np.linalg.norm( contains the text "norm(".
    body = ("def f_grad(x):\n    # norm(x) in a comment\n    n = np.linalg.norm(x)\n"
            "    return x.norm(n)\n")
    assert not any("norm" in line for line in imports_for(body))
    assert "from tangent_ad.custom import norm" in imports_for(
        "def f_grad(x):\n    return norm(x)\n")[-1]
    assert imports_for("def f(x):\n    return my_unbroadcast(x)\n") == ["import numpy as np"]


def test_a_derivative_that_calls_np_linalg_norm_imports_no_custom_norm():
    d = ta.grad(lambda v: np.linalg.norm(v) * np.sum(v), backend="python")
    np.testing.assert_allclose(d(X), X / np.linalg.norm(X) * np.sum(X) + np.linalg.norm(X))
    assert "np.linalg.norm(" in d.source
    with open(d.python.__code__.co_filename) as module:  # the module that was loaded
        assert "import norm" not in module.read()


def _twin_tanh():
    def twin(x):
        return np.tanh(x)
    return twin


def _twin_sin():
    def twin(x):
        return np.sin(x)
    return twin


twin_tanh, twin_sin = _twin_tanh(), _twin_sin()  # two functions of one name, `twin`


@ta.adjoint_rule(twin_tanh)
def _(z, x):
    x_bar += z_bar * (1.0 - z * z)  # noqa: F821


@ta.adjoint_rule(twin_sin)
def _(z, x):
    x_bar += z_bar * np.cos(x)  # noqa: F821


def uses_twins(x):
    return twin_tanh(x) * 3.0 + twin_sin(x)


def test_two_functions_of_one_name_keep_their_own_rules(backend):
    """Generated code finds custom rules and calls functions by name: the second `twin`
    is `twin_2` there, not the first one's rule and value."""
    x = 0.4
    assert ta.grad(uses_twins, backend=backend)(x) == pytest.approx(
        3.0 * (1.0 - np.tanh(x) ** 2) + np.cos(x))
    assert ta.grad(ta.grad(uses_twins, backend=backend), backend=backend)(x) == pytest.approx(
        -6.0 * np.tanh(x) * (1.0 - np.tanh(x) ** 2) - np.sin(x), rel=1e-6)
    for twin, second in ((twin_tanh, -2.0 * np.tanh(x) * (1.0 - np.tanh(x) ** 2)),
                         (twin_sin, -np.sin(x))):  # the functions themselves, twice
        assert ta.grad(ta.grad(twin), backend=backend)(x) == pytest.approx(second, rel=1e-6)

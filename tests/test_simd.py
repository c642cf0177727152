"""runtime.simd_exp and simd_tanh: NumPy's within 2 units in the last place, in vector
instructions."""
import math
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.pipeline import module_source
from tangent_ad.runtime import simd_exp, simd_tanh


def _compiled(fn):
    @numba.njit(error_model="numpy")
    def each(x):
        out = np.empty_like(x)
        for i in range(x.size):
            out[i] = fn(x[i])
        return out

    @numba.njit(error_model="numpy")
    def whole(x):
        return fn(x)
    return each, whole


_COMPILED = {simd_exp: _compiled(simd_exp), simd_tanh: _compiled(simd_tanh)}
_NUMPY = {simd_exp: np.exp, simd_tanh: np.tanh}
_RNG = np.random.default_rng(0)
_INPUTS = {
    simd_exp: [np.linspace(-760.0, 720.0, 200_001), np.linspace(-746.0, -700.0, 20_001),
               np.linspace(700.0, 709.79, 2001), np.linspace(-1.0, 1.0, 20_001),
               3.0 * _RNG.standard_normal(10**5), [709.782712893384, 709.7827128933841,
                                                  -745.1332191019411, -745.1332191019412]],
    simd_tanh: [np.linspace(-25.0, 25.0, 200_001), 3.0 * _RNG.standard_normal(10**5),
                np.nextafter(0.625, [0.0, 1.0]), [19.0, 20.0, 21.0, 1e300]],
}


def _ulps(got, want):
    return np.abs(got - want) / np.spacing(np.abs(want))


@pytest.mark.parametrize("fn", [simd_exp, simd_tanh], ids=["exp", "tanh"])
def test_numbers_are_within_two_units_in_the_last_place_of_numpy(fn):
    tiny = np.geomspace(1e-300, 1.0, 2000)
    x = np.concatenate(_INPUTS[fn] + [tiny, -tiny, [5e-324, -5e-324]])
    each, _ = _COMPILED[fn]
    with np.errstate(over="ignore"):
        want = _NUMPY[fn](x)
    got = each(x)
    finite = np.isfinite(want)
    np.testing.assert_array_equal(got[~finite], want[~finite])  # overflow to inf
    ulps = _ulps(got[finite], want[finite])  # subnormal results: in units of 5e-324
    assert ulps.max() <= 2.0
    assert np.mean(ulps > 1.0) < 1e-3  # almost everywhere as close as the C library's


def test_signed_zeros_infinities_and_nan_are_those_of_numpy():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    for fn, (each, _) in _COMPILED.items():
        np.testing.assert_array_equal(each(x), _NUMPY[fn](x))
    assert list(np.signbit(_COMPILED[simd_tanh][0](x)[:2])) == [False, True]


def test_arrays_of_any_layout_give_numpy_shape_and_values():
    x = np.linspace(-3.0, 3.0, 24).reshape(4, 6)[:, ::2]  # not contiguous
    for fn, (_, whole) in _COMPILED.items():
        got = whole(x)
        assert got.shape == (4, 3)
        assert _ulps(got, _NUMPY[fn](x)).max() <= 2.0


def test_other_types_are_numpy_itself():
    x32 = np.linspace(-2.0, 2.0, 5, dtype=np.float32)
    for fn, (_, whole) in _COMPILED.items():
        assert whole(x32).dtype == np.float32
        np.testing.assert_allclose(whole(x32), _NUMPY[fn](x32), rtol=1e-6)  # numba's float32
        assert whole(1) == _NUMPY[fn](1)
        assert fn(0.5) == _NUMPY[fn](0.5)  # without numba: NumPy's


def test_the_copy_numba_compiles_calls_simd_tanh_and_the_gradient_is_right():
    def f(w, x):
        return np.sum(np.tanh(w * x) ** 2)

    w, x = np.linspace(-2.0, 2.0, 7), np.linspace(0.5, 1.5, 7)
    derivative = ta.grad(f, backend="numba")
    got = derivative(w, x)
    assert "simd_tanh(" not in ta.source(derivative, w, x)  # printed: np.tanh, as written
    assert "from tangent_ad.runtime import simd_tanh" in derivative.last.text
    np.testing.assert_allclose(got, ta.grad(f, backend="python")(w, x), rtol=1e-14)
    np.testing.assert_allclose(got, ta.checking.numerical_grad(f, (w, x), 0), rtol=1e-6)


def test_module_text_imports_what_the_copy_calls():
    body = "def f_grad(x):\n    y = np.tanh(x)\n    return y\n"
    text = module_source(body, "f_grad")
    assert "from tangent_ad.runtime import simd_tanh\n" in text
    assert text.index("import simd_tanh") < text.index("def f_grad(")


_VECTORIZED = textwrap.dedent("""
    import platform, re
    import numba, numpy as np
    from tangent_ad.runtime import simd_exp, simd_tanh

    @numba.njit(error_model="numpy")
    def each(x, out):
        for i in range(x.size):
            out[i] = simd_FUNCTION(x[i])

    each(np.ones(8), np.ones(8))
    packed = r"fdiv\\s+v\\d+\\.2d" if platform.machine() == "aarch64" else "divpd"
    print(re.search(packed, each.inspect_asm(each.signatures[0])) is not None)
""")


@pytest.mark.parametrize("name", ["exp", "tanh"])
def test_a_loop_of_it_compiles_to_packed_divisions(name):
    """With LLVM's optimizations (the tests compile without them, in a process of their
    own): `divpd` (`fdiv v.2d` on ARM) divides two or four numbers at once; the C
    library's exp and tanh never would."""
    env = dict(os.environ, NUMBA_OPT="3", NUMBA_CACHE_DIR=os.path.join(
        os.environ["NUMBA_CACHE_DIR"], "simd"))
    code = _VECTORIZED.replace("FUNCTION", name)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "True"


def test_math_tanh_in_a_loop_calls_it_too():
    def f(x):
        s = 0.0
        for i in range(3):
            s = s + math.tanh(x * i)
        return s

    derivative = ta.grad(f, backend="numba")
    got = derivative(0.3)
    assert "simd_tanh(x * i)" in derivative.last.text
    assert derivative.last.call.machine.__name__ == "f_grad_fused"  # numba compiled the copy
    np.testing.assert_allclose(got, ta.checking.numerical_grad(f, (0.3,), 0), rtol=1e-6)


def test_a_variable_of_its_name_keeps_np_tanh_in_the_copy():
    def f(x):
        simd_tanh = x * 2.0
        y = np.tanh(simd_tanh)
        return np.sum(y * simd_tanh)

    x = np.linspace(-1.0, 1.0, 4)
    derivative = ta.grad(f, backend="numba")
    got = derivative(x)
    copy = derivative.last.text.split("def f_grad_fused")[1]
    assert "np.tanh(simd_tanh)" in copy
    assert derivative.last.call.machine.__name__ == "f_grad_fused"
    np.testing.assert_allclose(got, ta.checking.numerical_grad(f, (x,), 0), rtol=1e-6)

"""runtime.simd_tanh: np.tanh within 2 units in the last place, in vector instructions."""
import math
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np

import tangent_ad as ta
from tangent_ad.pipeline import module_source
from tangent_ad.runtime import simd_tanh


@numba.njit(error_model="numpy")
def _each(x):
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = simd_tanh(x[i])
    return out


@numba.njit(error_model="numpy")
def _whole(x):
    return simd_tanh(x)


def _ulps(got, want):
    return np.abs(got - want) / np.spacing(np.abs(want))


def test_numbers_are_within_two_units_in_the_last_place_of_np_tanh():
    rng = np.random.default_rng(0)
    x = np.concatenate([np.linspace(-25.0, 25.0, 200_001), 3.0 * rng.standard_normal(10**5),
                        np.geomspace(1e-300, 1.0, 2000), -np.geomspace(1e-300, 1.0, 2000),
                        np.nextafter(0.625, [0.0, 1.0]), [5e-324, 19.0, 20.0, 21.0, 1e300]])
    ulps = _ulps(_each(x), np.tanh(x))
    assert ulps.max() <= 2.0
    assert np.mean(ulps > 1.0) < 1e-3  # almost everywhere as close as the C library's


def test_signed_zeros_infinities_and_nan_are_those_of_np_tanh():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    got = _each(x)
    np.testing.assert_array_equal(got, np.tanh(x))
    assert list(np.signbit(got[:2])) == [False, True]


def test_arrays_of_any_layout_give_np_tanh_shape_and_values():
    x = np.linspace(-3.0, 3.0, 24).reshape(4, 6)[:, ::2]  # not contiguous
    got = _whole(x)
    assert got.shape == (4, 3)
    assert _ulps(got, np.tanh(x)).max() <= 2.0


def test_other_types_are_np_tanh_itself():
    x32 = np.linspace(-2.0, 2.0, 5, dtype=np.float32)
    assert _whole(x32).dtype == np.float32
    np.testing.assert_array_equal(_whole(x32), np.tanh(x32))
    assert _whole(1) == np.tanh(1)
    assert simd_tanh(0.5) == np.tanh(0.5)  # without numba: NumPy's


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
    import numba, numpy as np
    from tangent_ad.runtime import simd_tanh

    @numba.njit(error_model="numpy")
    def each(x, out):
        for i in range(x.size):
            out[i] = simd_tanh(x[i])

    each(np.ones(8), np.ones(8))
    print("divpd" in each.inspect_asm(each.signatures[0]))
""")


def test_a_loop_of_it_compiles_to_packed_divisions():
    """With LLVM's optimizations (the tests compile without them, in a process of their
    own): `divpd` divides two or four numbers at once; the C library's tanh never would."""
    env = dict(os.environ, NUMBA_OPT="3", NUMBA_CACHE_DIR=os.path.join(
        os.environ["NUMBA_CACHE_DIR"], "simd"))
    out = subprocess.run([sys.executable, "-c", _VECTORIZED], env=env, capture_output=True,
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

"""The numba backend: fallback with one warning by default, an error when asked for."""
import fractions
import warnings

import pytest

from tangent_ad.backends.numba_cpu import (NumbaCompileError, NumbaFallbackWarning,
                                           compile_function)


def not_compilable(x):
    return float(fractions.Fraction(2, 1)) * x


def test_default_backend_falls_back_once_with_numbas_reason():
    fn = compile_function(not_compilable, strict=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fn(3.0) == 6.0
        assert fn(4.0) == 8.0
    fallbacks = [w for w in caught if issubclass(w.category, NumbaFallbackWarning)]
    assert len(fallbacks) == 1
    assert "fractions" in str(fallbacks[0].message).lower() or "Untyped" in str(fallbacks[0].message)


def test_numba_backend_raises():
    fn = compile_function(not_compilable, strict=True)
    with pytest.raises(NumbaCompileError, match="numba could not compile not_compilable"):
        fn(3.0)


def test_runtime_errors_pass_through():
    def shapes(x, y):
        return x + y
    import numpy as np
    fn = compile_function(shapes, strict=True)
    with pytest.raises(ValueError):
        fn(np.ones(3), np.ones(4))


def test_numbas_own_reductions_keep_numpys_dtypes_after_import():
    """tangent_ad's overloads of np.sum & co. serve what numba lacks (axis tuples, keepdims,
    ...); where numba has its own they step aside, so an int sum stays an int."""
    import numba
    import numpy as np

    import tangent_ad  # noqa: F401  (registers the overloads)

    @numba.njit
    def reductions(a, b):
        return np.sum(a), np.sum(b, axis=0), np.max(a), np.min(b), np.prod(a), np.mean(b)

    a, b = np.array([3, 1, 2]), np.array([[1, 2], [3, 4]], dtype=np.int32)
    got = reductions(a, b)
    want = (np.sum(a), np.sum(b, axis=0), np.max(a), np.min(b), np.prod(a), np.mean(b))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
        assert np.asarray(g).dtype.kind == np.asarray(w).dtype.kind

"""Shared test helpers: both backends, and checks against central finite differences."""
import os

# The tests check what generated code computes, not how fast it runs: numba compiles it
# without LLVM's optimizations (two to three times less compile time), and keeps that
# machine code in a cache of its own, away from the one that benchmarks and users read.
# Each pytest-xdist worker generates and compiles into folders of its own: numba's cache
# index is not safe for two processes adding signatures of one function at once (each can
# give its entry the same data file, and one process then loads the other's machine code).
# The workers inherit the controller's environment, so the folders this file chose there
# are chosen again here; a setting made before pytest started wins. Set before numba is
# imported.
_OWNED = "TANGENT_AD_TEST_CACHES"  # the variables below that this file set, not the user
_TEST_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "tangent_ad-tests",
                           os.environ.get("PYTEST_XDIST_WORKER", "main"))
_owned = os.environ.get(_OWNED, "").split()
for _variable, _folder in (("NUMBA_CACHE_DIR", "numba"), ("TANGENT_AD_CACHE_DIR", "generated")):
    if _variable not in os.environ or _variable in _owned:
        os.environ[_variable] = os.path.join(_TEST_CACHE, _folder)
        _owned.append(_variable)
os.environ[_OWNED] = " ".join(sorted(set(_owned)))
os.environ.setdefault("NUMBA_OPT", "0")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tangent_ad as ta  # noqa: E402
from tangent_ad.checking import numerical_grad  # noqa: E402
from tangent_ad.pytree import flatten  # noqa: E402

BACKENDS = ["python", "numba"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def assert_tree_close(actual, expected, rtol=1e-5, atol=1e-6):
    a_leaves, a_tree = flatten(actual)
    e_leaves, e_tree = flatten(expected)
    assert a_tree == e_tree, f"structure {a_tree} != {e_tree}"
    for a, e in zip(a_leaves, e_leaves):
        assert np.shape(a) == np.shape(e), f"shape {np.shape(a)} != {np.shape(e)}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


def check_grad(f, args, argnums=0, backend="python", rtol=1e-5, atol=1e-6):
    """grad(f) at args equals central finite differences; returns the gradient."""
    got = ta.grad(f, argnums=argnums, backend=backend)(*args)
    want = numerical_grad(f, args, argnums)
    assert_tree_close(got, want, rtol, atol)
    return got


def check_jvp(f, args, backend="python", seed=0, rtol=1e-5, atol=1e-6):
    """jvp(f) along a random direction equals the finite-difference directional derivative."""
    rng = np.random.default_rng(seed)
    tangents = tuple(_random_like(a, rng) for a in args)
    out, out_dot = ta.jvp(f, args, tangents, backend=backend)
    eps = 1e-6
    hi = f(*_step(args, tangents, eps))
    lo = f(*_step(args, tangents, -eps))
    np.testing.assert_allclose(out, f(*args), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out_dot, (hi - lo) / (2 * eps), rtol=rtol, atol=atol)
    return out_dot


def _random_like(x, rng):
    from tangent_ad.pytree import unflatten
    leaves, tree = flatten(x)
    return unflatten(tree, [rng.standard_normal(np.shape(v)) if np.shape(v)
                            else float(rng.standard_normal()) for v in leaves])


def _step(args, tangents, eps):
    from tangent_ad.pytree import unflatten
    out = []
    for a, t in zip(args, tangents):
        al, tree = flatten(a)
        tl, _ = flatten(t)
        out.append(unflatten(tree, [x + eps * v for x, v in zip(al, tl)]))
    return tuple(out)


# -- Every function numba compiles has a name of its own ------------------------------------
# Two different functions with one module and qualified name can swap machine code between
# processes through numba's cache (tests/test_numba_names.py shows how); tangent_ad names
# what it compiles after what it computes (tangent_ad/overloads/naming.py). Every test
# checks that nothing it compiled broke that rule.
_COMPILED = {}  # (module, qualified name) → fingerprints of the functions compiled under it


def _record_compiled_names():
    from numba.core.bytecode import FunctionIdentity
    from tangent_ad.overloads.naming import fingerprint
    identify = FunctionIdentity.from_function.__func__

    def from_function(cls, pyfunc):
        identity = identify(cls, pyfunc)
        if identity.modname.startswith("tangent_ad"):
            key = (identity.modname, identity.func_qualname)
            _COMPILED.setdefault(key, set()).add(fingerprint(identity.func))
        return identity
    FunctionIdentity.from_function = classmethod(from_function)


_record_compiled_names()


def _shared_names():
    return {f"{module}.{name}" for (module, name), prints in _COMPILED.items()
            if len(prints) > 1}


@pytest.fixture(autouse=True)
def _numba_names_are_unique():
    before = _shared_names()  # each is reported once, by the test that compiled it
    yield
    shared = sorted(_shared_names() - before)
    assert not shared, f"different functions compiled by numba under one name: {shared}"

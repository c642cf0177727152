"""Whole programs as their authors write them (tests/programs/), differentiated on numba in
both modes and checked against central finite differences.

Each module in tests/programs/ defines its program and `CASES`, a list of
`(function, example arguments, argnums)`. For every case this file checks

* reverse mode: `ta.grad(function, argnums, backend="numba")` equals central differences;
* forward mode: `ta.jvp` along a random direction of the `argnums` arguments (zero along
  the others) equals the central difference quotient along that direction;
* neither call changed the caller's arrays.

A program that does not work yet is listed in EXPECTED_TO_FAIL, the one table of what is
missing. It must fail with a refusal that says where (a `TangentADError` that names a place
in the program): a wrong number, or any other exception, fails the test even for a listed
program. A listed program that starts working fails the suite too (strict xfail) until it
is taken off the table.
"""
import copy
import dataclasses
import functools
import importlib
import pathlib

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import NumbaCompileError
from tangent_ad.errors import TangentADError

HERE = pathlib.Path(__file__).resolve().parent
BACKEND = "numba"
EPS = 1e-6
RTOL, ATOL = 1e-5, 1e-6

# program (or "program:reverse" / "program:forward" for one mode only) → what it lacks
EXPECTED_TO_FAIL = {
    # containers: the structure of lists, tuples and dicts of parameters
    "comprehensions": "a dict comprehension over params.items()",
    "default_nonlinearity.loss": "starred unpacking `*hidden, (W_out, b_out) = params`",
    "default_nonlinearity.softplus_loss": "starred unpacking `*hidden, (W_out, b_out) = params`",
    "gmm": "zip(*unpack_gmm_params(params)): a starred call over a dict's arrays",
    "gru": "the shape of an array in a dict argument: params['Uz'].shape[0]",
    "residual_net": "enumerate over a list of dicts",
    "rnn": "appends outputs to a list; concat_and_multiply(weights, *args)",
    "word2vec": "zip over a list of index pairs and an array",
    # callables and objects: functions and objects as values, *args, **kwargs, print
    "convnet_layers": "a list of layer objects called with __call__",
    "keyword_only.loss": "**kwargs parameters and a **kwargs call",
    "keyword_only.smooth_l1_loss": "**kwargs parameters and a **kwargs call",
    "lstm": "concat_and_multiply(weights, *args); appends outputs to a list",
    "ode_net": "a function passed to an integrator with *args",
    # SciPy rules and inactive calls
    "bayesian_neural_net": "scipy.stats.norm.logpdf",
    "meshgrid_field": "np.meshgrid on constant grids",
    "physics_step": "np.diff",
    "polynomial_features": "np.diff",
    "transformer_block": "slice objects (sl = slice(a, b); q[:, sl])",
    "group_effects": "np.add.at (a call whose value is dropped)",
    "trimmed_loss": "np.sort",
    "tsne_objective": "np.fill_diagonal on a constant mask (a call whose value is dropped)",
    # kinds: what the generator cannot tell about an array
    "inplace_relu": "numba cannot compile a write through a 2-D boolean mask (h[h < 0] = 0): "
                    "backend='numba' refuses, the default backend runs it as Python",
    "attention:reverse": "`@` of an array whose rank is unknown (np.sum(x, axis=-1, "
                         "keepdims=True) @ y: a negative axis is not a constant to the kinds)",
}

SLOW = set()  # programs whose numba compile is long: run with -m slow


# -- The programs and their cases ----------------------------------------------------------

def _label(fun):
    while isinstance(fun, functools.partial):
        fun = fun.func
    return getattr(fun, "__name__", type(fun).__name__)


def _cases():
    names = sorted(p.stem for p in (HERE / "programs").glob("*.py") if p.stem != "__init__")
    for name in names:
        module = importlib.import_module(f"programs.{name}")
        for fun, args, argnums in module.CASES:
            key = name if len(module.CASES) == 1 else f"{name}.{_label(fun)}"
            yield key, module, fun, tuple(args), argnums


CASES = list(_cases())


def _params(mode):
    out = []
    for key, module, fun, args, argnums in CASES:
        marks = []
        reason = EXPECTED_TO_FAIL.get(key) or EXPECTED_TO_FAIL.get(f"{key}:{mode}")
        if reason:
            marks.append(pytest.mark.xfail(strict=True, raises=TangentADError, reason=reason))
        if key.split(".")[0] in SLOW:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(module, fun, args, argnums, id=key, marks=marks))
    return out


# -- Leaves of nested arguments: tuples, lists, dicts, namedtuples, dataclasses -------------

def _is_float(x):
    return isinstance(x, (float, np.floating)) or (
        isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating))


def _children(x):
    """(keys, children, rebuild) of a container, or None for a leaf."""
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return x._fields, list(x), lambda values: type(x)(*values)
    if isinstance(x, (tuple, list)):
        return tuple(range(len(x))), list(x), lambda values: type(x)(values)
    if isinstance(x, dict):
        keys = sorted(x, key=repr)
        return tuple(keys), [x[k] for k in keys], lambda values: dict(zip(keys, values))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        names = tuple(f.name for f in dataclasses.fields(x))
        return (names, [getattr(x, n) for n in names],
                lambda values: dataclasses.replace(x, **dict(zip(names, values))))
    return None


def leaves(x, path=()):
    """{path: leaf} of every leaf of `x`."""
    node = _children(x)
    if node is None:
        return {path: x}
    out = {}
    for key, child in zip(node[0], node[1]):
        out.update(leaves(child, path + (key,)))
    return out


def replace(x, new, path=()):
    """`x` with the leaves whose paths are in `new` replaced."""
    node = _children(x)
    if node is None:
        return new.get(path, x)
    keys, children, rebuild = node
    return rebuild([replace(c, new, path + (k,)) for k, c in zip(keys, children)])


def _floats(x):
    return {p: v for p, v in leaves(x).items() if _is_float(v)}


# -- Central differences ---------------------------------------------------------------------

def _along(args, argnums, direction, eps):
    """args moved by eps * direction ({(argnum, path): array}) in the float leaves."""
    out = list(args)
    for i in argnums:
        moved = {p: v + eps * direction[i, p] for p, v in _floats(args[i]).items()
                 if (i, p) in direction}
        out[i] = replace(args[i], moved)
    return tuple(out)


def numerical_gradient(fun, args, argnums):
    """{(argnum, path): gradient leaf} by central differences, one entry at a time."""
    grads = {}
    for i in argnums:
        for path, value in _floats(args[i]).items():
            value = np.asarray(value, dtype=float)
            g = np.zeros(value.shape)
            for index in np.ndindex(*value.shape):
                h = EPS * max(1.0, abs(float(value[index])))
                step = np.zeros(value.shape)
                step[index] = 1.0
                direction = {(i, path): step if value.shape else 1.0}
                hi = fun(*copy.deepcopy(_along(args, (i,), direction, h)))
                lo = fun(*copy.deepcopy(_along(args, (i,), direction, -h)))
                g[index] = (hi - lo) / (2 * h)
            grads[i, path] = g
    return grads


def numerical_directional(fun, args, argnums, direction):
    hi = fun(*copy.deepcopy(_along(args, argnums, direction, EPS)))
    lo = fun(*copy.deepcopy(_along(args, argnums, direction, -EPS)))
    return (np.asarray(hi) - np.asarray(lo)) / (2 * EPS)


# -- What the caller owns ---------------------------------------------------------------------

def _owned(fun, args):
    """Every array and number the call can reach: the arguments, a bound method's object,
    a partial's bound arguments."""
    reach = [args, getattr(fun, "__self__", None)]
    while isinstance(fun, functools.partial):
        reach += [fun.args, fun.keywords]
        fun = fun.func
    snapshot = {}
    for k, root in enumerate(reach):
        for path, leaf in leaves(root).items():
            if hasattr(leaf, "__dict__") and not callable(leaf):  # a plain object's fields
                for name, v in vars(leaf).items():
                    if isinstance(v, (np.ndarray, float, int)):
                        snapshot[k, path, name] = v
            elif isinstance(leaf, (np.ndarray, float, int)):
                snapshot[k, path] = leaf
    return snapshot


def _assert_unchanged(before, after):
    assert before.keys() == after.keys()
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value,
                                      err_msg=f"the derivative changed the caller's {key}")


# -- The tests ----------------------------------------------------------------------------

def _calling(module, call):
    """call(), where a refusal must name a place in the program: a line of it, or the
    object it was asked to differentiate."""
    try:
        return call()
    except TangentADError as error:
        text = str(error)
        if isinstance(error, NumbaCompileError):  # backend="numba" asked; the default falls back
            raise
        if getattr(error, "location", None) is None and pathlib.Path(
                module.__file__).name not in text and module.__name__ not in text:
            raise AssertionError(f"a refusal that does not say where: {error}") from error
        raise


def _argnums(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


@pytest.mark.parametrize("module, fun, args, argnums", _params("reverse"))
def test_reverse(module, fun, args, argnums):
    value = fun(*copy.deepcopy(args))  # the program itself runs
    assert np.ndim(value) == 0
    kept = copy.deepcopy(_owned(fun, args))
    got = _calling(module, lambda: ta.grad(fun, argnums=argnums, backend=BACKEND)(*args))
    _assert_unchanged(kept, _owned(fun, args))
    nums = _argnums(argnums)
    got = (got,) if isinstance(argnums, int) else got
    assert len(got) == len(nums)
    want = numerical_gradient(fun, args, nums)
    got_leaves = {(i, p): v for i, g in zip(nums, got) for p, v in leaves(g).items()}
    assert got_leaves.keys() == want.keys(), "the gradient's structure is not the argument's"
    for key, w in want.items():
        np.testing.assert_allclose(got_leaves[key], w, rtol=RTOL, atol=ATOL,
                                   err_msg=f"d/d argument {key[0]} at {key[1]}")


@pytest.mark.parametrize("module, fun, args, argnums", _params("forward"))
def test_forward(module, fun, args, argnums):
    value = fun(*copy.deepcopy(args))
    nums = _argnums(argnums)
    rng = np.random.default_rng(7)
    direction, tangents = {}, []
    for i, arg in enumerate(args):
        new = {}
        for path, leaf in _floats(arg).items():
            t = rng.standard_normal(np.shape(leaf)) if i in nums else np.zeros(np.shape(leaf))
            new[path] = t if np.ndim(leaf) else float(t)
            direction[i, path] = new[path]
        tangents.append(replace(arg, new))
    kept = copy.deepcopy(_owned(fun, args))
    out, out_dot = _calling(module, lambda: ta.jvp(fun, args, tuple(tangents), backend=BACKEND))
    _assert_unchanged(kept, _owned(fun, args))
    np.testing.assert_allclose(out, value, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out_dot, numerical_directional(fun, args, nums, direction),
                               rtol=RTOL, atol=ATOL)

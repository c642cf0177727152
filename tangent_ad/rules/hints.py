"""Hints for calls that cannot be differentiated: what to write instead, fitted to the
function (a method NumPy has as a function, a `scipy.stats` method, `np.linalg.eig`,
random numbers drawn inside the function). `slice(...)` and other calls of inactive values
need none: they run as they are (opaque.py)."""
import inspect

import numpy as np

RANDOM_METHODS = {"normal", "uniform", "standard_normal", "random", "integers", "choice",
                  "randn", "rand", "randint", "permutation", "shuffle", "exponential",
                  "gamma", "beta", "poisson", "binomial", "multivariate_normal"}
_DRAW_OUTSIDE = ("draw the random numbers outside the function and pass them in as an "
                 "argument, e.g. `eps = rng.normal(size=n)` then `f(x, eps)`.")


def is_random(func):
    """A function that draws random numbers: each run gives other values, so a derivative
    (and the check of one) would see other numbers than the function did."""
    module = getattr(func, "__module__", None) or ""
    owner = getattr(func, "__self__", None)
    return module.startswith("numpy.random") or isinstance(
        owner, (np.random.Generator, np.random.RandomState))


def is_stats(func):
    owner = getattr(func, "__self__", None)
    return (type(owner).__module__ or "").startswith("scipy.stats")


def stats_name(func):
    """`scipy.stats.norm.sf` for the bound method `norm.sf` (None for other functions)."""
    if not is_stats(func):
        return None
    owner = func.__self__
    label = getattr(owner, "name", None) or type(owner).__name__.removesuffix("_gen")
    return f"scipy.stats.{label}.{func.__name__}"


def for_function(func, full):
    """The hint of a call of `func` (written `full`) that has no rule."""
    if is_random(func):
        return _DRAW_OUTSIDE
    if func is np.linalg.eig or func is np.linalg.eigvals:
        return ("use np.linalg.eigh (or eigvalsh) for a symmetric matrix; the eigenvalues "
                "of a general matrix can be complex, which cannot be differentiated here.")
    if is_stats(func):
        return (f"`{full}` has no rule: write the density with NumPy, e.g. "
                "`-0.5 * ((x - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)`; "
                "the README lists the scipy.stats functions that have rules.")
    if inspect.isbuiltin(func) or inspect.isclass(func):
        return (f"`{full}` can only run on values that do not depend on the differentiated "
                "inputs; otherwise register a rule with @ta.adjoint_rule and "
                "@ta.tangent_rule (see tangent_ad/rules/ for examples).")
    return (f"register one: `@ta.adjoint_rule({full})` and `@ta.tangent_rule({full})` on "
            "templates such as `def _(z, x): x_bar += ...` (see tangent_ad/rules/ for "
            "examples).")


def for_method(node, resolver):
    """The hint of `receiver.method(...)`, a method without a rule."""
    method = node.func.attr
    receiver = resolver.value(node.func.value)
    if method in RANDOM_METHODS or isinstance(
            receiver, (np.random.Generator, np.random.RandomState)):
        return _DRAW_OUTSIDE
    if callable(getattr(np, method, None)):
        return f"call the NumPy function instead: np.{method}(x, ...) for x.{method}(...)."
    return (f"`.{method}()` is not an array method that can be differentiated: write it "
            "with NumPy functions, or compute it outside the function and pass it in.")

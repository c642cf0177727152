"""Normalizing calls: NumPy functions with rules, methods, builtins, the user's helpers.

    np.sin(x)          → a call of the rule's canonical name (`from numpy import sin` too)
    x.sum()            → np.sum(x)
    x.astype(float)    → np.asarray(x, np.float64)
    sum((a, b, c))     → a + b + c
    helper(x)          → the helper's body, inlined (see inline.py)

A call of something with neither a rule nor Python source runs as it is, an opaque
primal call (`np.triu_indices(d, 1)`, `slice(0, n)`): it needs no rule while its arguments
do not depend on the differentiated inputs, and activity analysis raises the
`MissingRuleError` it carries, with a hint that fits the function, where it would need one.
"""
import logging
import warnings

import gast
import numpy as np

from ..codegen.templates import constant, name
from ..errors import MissingRuleError
from ..rules import hints, methods, opaque
from ..rules.kinds_of_results import integers_like
from ..rules.registry import rule_for
from . import parse as parse_mod
from .check import location
from .resolve import MISSING, dotted
from .statics import call_static, map_call, pytree_method, static_of


class Calls:
    """Mixin of `Normalizer`: call expressions."""

    def expr_Call(self, node):
        if node.keywords and any(k.arg is None for k in node.keywords):
            raise self.error(node, "`**kwargs` in a call cannot be differentiated.",
                             "pass each keyword argument by name.")
        if isinstance(node.func, gast.Name) and node.func.id in self.local_defs \
                and node.func.id not in self.current:
            from .inline import inline_local
            return inline_local(self, node, self.local_defs[node.func.id])
        method_call = isinstance(node.func, gast.Attribute) and not self.resolver.is_static(
            node.func) and static_of(self, node.func) is MISSING
        if method_call:
            return self.method_call(node)
        func = _python_of(self.resolver.value(node.func))
        func = methods.ALIASES.get(func, func) if _hashable(func) else func
        if func is MISSING:
            func = static_of(self, node.func)  # a lambda or partial called where it is built
        if func is MISSING:
            raise self.error(node, _what(self, node.func), _hint(self, node.func))
        done = call_static(self, node, func)  # a function or object used as a value
        if done is not None:
            return done
        if func is map:
            return map_call(self, node)
        if func in (list, tuple) and len(node.args) == 1 and not node.keywords:
            items = self.atom(node.args[0])
            if isinstance(items, gast.Tuple):
                return items
        if rule_for(func) is None and parse_mod.is_user_function(func):
            from .inline import inline_call
            return inline_call(self, node, func)
        if func is sum and len(node.args) == 1:
            return self.builtin_sum(node.args[0])
        args = [self.atom(a) for a in node.args]
        keywords = {k.arg: self.atom(k.value) for k in node.keywords}
        return self.call(node, func, args, keywords)

    def builtin_sum(self, arg):
        """`sum(values)`: additions for a tuple or list, `np.sum(x, axis=0)` for an array."""
        items = self.atom(arg)
        if not isinstance(items, gast.Tuple):
            return self.call_rule(arg, np.sum, [items], {"axis": constant(0)})
        total = items.elts[0] if items.elts else constant(0.0)
        for item in items.elts[1:]:
            total = self.temporary(gast.BinOp(left=total, op=gast.Add(), right=item))
        return total

    def method_call(self, node):
        method = node.func.attr
        if method == "append":
            raise self.error(node, "appending to a list cannot be differentiated.",
                             "preallocate an array, y = np.zeros(n), and write y[i] = ...")
        if method == "astype":
            return self.astype(node)
        own = pytree_method(self, node)
        if own is not None:  # `params.loss(x)` of a dataclass argument
            from .inline import inline_call
            call = gast.Call(func=node.func, args=[node.func.value] + list(node.args),
                             keywords=node.keywords)
            return inline_call(self, gast.copy_location(call, node), own)
        if method not in methods.METHODS:
            raise self.error(node, f"the method `.{method}()` cannot be differentiated.",
                             hints.for_method(node, self.resolver))
        receiver = self.atom(node.func.value)
        args = [self.atom(a) for a in node.args]
        keywords = {k.arg: self.atom(k.value) for k in node.keywords}
        func, args, keywords = methods.METHODS[method](receiver, args, keywords)
        return self.call_rule(node, func, args, keywords)

    def astype(self, node):
        """`x.astype(float)` → `np.asarray(x, np.float64)`; other dtypes have no derivative."""
        dtype = self.resolver.value(node.args[0]) if len(node.args) == 1 else MISSING
        if dtype in (int, bool, np.int64, np.int32, np.bool_, "int", "int64", "bool"):
            return self.astype_integer(node, dtype)
        if dtype not in (float, np.float64, "float", "float64"):
            raise self.error(node, "only `.astype(float)` can be differentiated.",
                             "cast to float, or cast outside the function.")
        receiver = self.atom(node.func.value)
        dtype_node = gast.Attribute(value=name("np"), attr="float64", ctx=gast.Load())
        return self.call_rule(node, np.asarray, [receiver, dtype_node], {})

    def astype_integer(self, node, dtype):
        """`x.astype(int)` → `np.asarray(x, np.int64)`: integers carry no derivative, so it
        runs as it is (an opaque call, rules/opaque.py) where `x` is inactive, and is
        refused where it is active."""
        dtype = np.dtype(dtype).type  # int → np.int64, as numba reads it
        receiver = self.atom(node.func.value)
        call = gast.Call(func=_dotted_node("np.asarray"),
                         args=[receiver, _dotted_node(f"np.{dtype.__name__}")], keywords=[])
        error = self.error(node, "`.astype` to integers or booleans of a value that depends "
                           "on the differentiated inputs has no derivative.",
                           "use np.floor or np.round (derivative zero) and keep floats, or "
                           "wrap the value in ta.stop_gradient(...).")
        call.rule = opaque.OpaqueRule(np.asarray, error, integers_like, "np.asarray")
        return call

    def call(self, node, func, args, keywords):
        func = methods.ALIASES.get(func, func) if _hashable(func) else func
        if rule_for(func) is not None:
            return self.call_rule(node, func, args, keywords)
        if hints.is_random(func):  # inactive or not: each run would draw other numbers
            raise missing_rule(node, func, self.filename)
        if "out" in keywords or func in opaque.WRITES_INTO_ARGUMENTS:
            raise self.error(node, f"`{dotted_name_of(func, node)}` writes into its "
                             "arguments, which a derivative cannot follow.",
                             "write into a copy by indexing (`K[i, i] = v`), or return a "
                             "new array.")
        call = gast.Call(func=_dotted_node(opaque.name_of(func)), args=list(args),
                         keywords=[gast.keyword(arg=k, value=v) for k, v in keywords.items()])
        call.rule = opaque.OpaqueRule(func, missing_rule(node, func, self.filename))
        return call

    def call_rule(self, node, func, args, keywords):
        rule = rule_for(func)
        call = gast.Call(func=_dotted_node(rule.name), args=list(args),
                         keywords=[gast.keyword(arg=k, value=v) for k, v in keywords.items()])
        call.prim = func
        return call


def _nested_derivative(norm, func):
    """`ta.grad(inner)(x)`: a derivative taken inside the differentiated code."""
    return isinstance(func, gast.Call) and (getattr(
        norm.resolver.value(func.func), "__module__", "") or "").startswith("tangent_ad")


def _what(norm, func):
    if _nested_derivative(norm, func):
        return (f"`{dotted(func.func)}(...)` takes a derivative inside the function being "
                "differentiated, which tangent_ad cannot differentiate again.")
    return f"cannot tell what `{dotted(func) or 'this'}` calls."


def _hint(norm, func):
    """What to write instead of a call that cannot be resolved."""
    if _nested_derivative(norm, func):
        return ("write the inner derivative as a function of its own (for `np.sum(x ** 2)`: "
                "`2 * x`) and call that, or differentiate the whole from outside, "
                "`ta.grad(ta.grad(f))`.")
    return "call a NumPy function or a function defined at module level."


_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}


def prints_only(expr, resolver):
    """Whether the statement `expr` only shows values: `print(...)`, `logging.info(...)`,
    `logger.debug(...)` with a module-level logger, `warnings.warn(...)`."""
    if not isinstance(expr, gast.Call):
        return False
    func = resolver.value(expr.func)
    if func is print or func is warnings.warn or (
            getattr(func, "__module__", None) == "logging" and
            getattr(func, "__name__", None) in _LOG_METHODS):
        return True
    return isinstance(expr.func, gast.Attribute) and expr.func.attr in _LOG_METHODS and \
        isinstance(resolver.value(expr.func.value), (logging.Logger, logging.LoggerAdapter))


def _python_of(func):
    """The Python function behind a numba `@njit` one (generated helpers are compiled so),
    whose source is what gets differentiated."""
    from numba.core.dispatcher import Dispatcher
    return func.py_func if isinstance(func, Dispatcher) else func


def missing_rule(node, func, filename):
    full = dotted_name_of(func, node)
    return MissingRuleError(
        f"no derivative rule for `{full}`, and it has no Python source to differentiate.",
        location(node, filename), hints.for_function(func, full))


def dotted_name_of(func, node):
    """`numpy.fft.fft`, `scipy.special.erf`: where a function lives (ufuncs do not say)."""
    if hints.stats_name(func):
        return hints.stats_name(func)
    label = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    module = getattr(func, "__module__", None)
    if label and module:
        return f"{module}.{label}"
    return dotted(node.func) if isinstance(node, gast.Call) and dotted(node.func) else (
        label or repr(func))


def _hashable(obj):
    try:
        hash(obj)
        return True
    except TypeError:
        return False


def _dotted_node(text):
    parts = text.split(".")
    node = name(parts[0])
    for part in parts[1:]:
        node = gast.Attribute(value=node, attr=part, ctx=gast.Load())
    return node

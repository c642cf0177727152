"""calls: the user's recursive helpers, kept as functions with derivatives of their own.

Helpers are normally inlined. A helper that calls itself cannot be; it stays a call, and
the generated module gets the helper (normalized), its vjp and its jvp beside the
derivative that calls them::

    def power(x, n):                     def power_vjp(x, n, out_bar):   (reverse of power)
        if n == 0:                           ...
            return 1.0                   v3_bar = ...
        return x * power(x, n - 1)       x_bar_1 = power_vjp(x, v2, v3_bar)

The caller's adjoint of `z = h(a, n)` is `a_part = h_vjp(a, n, z_bar)`, added to `a_bar`;
its tangent is `z_dot = h_jvp(a, n, a_dot)`. The vjp recomputes the helper's forward
pass, so recursion needs no tape across calls. Both return derivatives only, one value
each, so that a derivative that calls them is itself differentiated like any other code.
"""
import weakref

import gast

from ..codegen.templates import constant, name
from ..kinds import broadcast
from ..rules.registry import Rule


class UserCallRule(Rule):
    """The rule of a call to a recursive helper `function`."""

    def __init__(self, function, parsed):
        super().__init__(function, function.__name__, self.kind_of_result, True, "user")
        self.function = function
        self.parsed = parsed
        self.normalized = None
        self._kinds = {}

    def __deepcopy__(self, memo):
        return self  # shared by every copy of the tree that mentions it

    def normalize(self):
        if self.normalized is None:
            from ..frontend.normalize import normalize
            self.normalized = normalize(self.parsed)
        return self.normalized

    def param_kinds(self, operands):
        nf = self.normalize()
        return {p: o.kind for p, o in zip(nf.params, operands)}

    def wrt(self, operands):
        """The helper's parameters that carry derivatives: the float ones."""
        nf = self.normalize()
        return [p for p, o in zip(nf.params, operands) if o.kind.dtype == "f"]

    def kind_of_result(self, *operands, **keywords):
        from ..frontend.activity import Analysis
        key = tuple(o.kind for o in operands)
        if key not in self._kinds:
            self._kinds[key] = broadcast(*key)  # the guess a recursive call sees
            nf = self.normalize()
            analysis = Analysis(nf.fdef, self.param_kinds(operands), [])
            self._kinds[key] = analysis.kind(nf.fdef.body[-1].value)
        return self._kinds[key]


_RULES = weakref.WeakKeyDictionary()  # one rule per helper, shared by all its callers


def user_call(norm, node, func, args):
    """The normalized call `func(*args)` of a recursive helper (args in parameter order)."""
    from ..frontend.parse import parse_function
    if func not in _RULES:
        _RULES[func] = UserCallRule(func, parse_function(func))
    rule = _RULES[func]
    norm.names.reserve(func.__name__)
    call = gast.Call(func=name(func.__name__), args=list(args), keywords=[])
    call.prim = func
    call.rule = rule
    return call


def adjoint_of_call(app, target, reverser, out):
    """`a_part, b_part = h_vjp(a, b, z_bar)`, each part added to its argument's adjoint."""
    analysis, names, acc = reverser.analysis, reverser.names, reverser.acc
    rule = app.rule
    operands = [analysis.operand(a) for a in app.args]
    wrt = rule.wrt(operands)
    reverser.needed_calls.add((rule, tuple(o.kind for o in operands), "vjp"))
    parts = [names.temp() for _ in wrt]
    call = gast.Call(func=name(f"{rule.name}_vjp"), args=list(app.args) + [
        name(names.adjoint(target))], keywords=[])
    targets = name(parts[0], gast.Store()) if len(parts) == 1 else gast.Tuple(
        elts=[name(p, gast.Store()) for p in parts], ctx=gast.Store())
    out.append(gast.Assign(targets=[targets], value=call, type_comment=None))
    params = rule.normalize().params
    for param, part in zip(wrt, parts):
        arg = app.args[params.index(param)]
        if isinstance(arg, gast.Name) and arg.id in analysis.active:
            acc.add(out, names.adjoint(arg.id), name(part))


def tangent_of_call(app, forward):
    """`h_jvp(a, b, a_dot, b_dot)`: the tangent of `h(a, b)`."""
    analysis, names = forward.analysis, forward.names
    rule = app.rule
    operands = [analysis.operand(a) for a in app.args]
    forward.needed_calls.add((rule, tuple(o.kind for o in operands), "jvp"))
    params = rule.normalize().params
    dots = []
    for param in rule.wrt(operands):
        arg = app.args[params.index(param)]
        active = isinstance(arg, gast.Name) and arg.id in analysis.active
        dots.append(name(names.tangent(arg.id)) if active else constant(0.0))
    return gast.Call(func=name(f"{rule.name}_jvp"), args=list(app.args) + dots, keywords=[])


def helper_functions(needed, make):
    """Generate every helper function the derivative calls, and the ones they call.

    `make(nf, kinds, wrt, mode)` generates one function and returns (fdef, needed_calls).
    Returns the FunctionDefs: each helper's primal, then its vjp and jvp as needed.
    """
    done, out, todo = set(), [], list(needed)
    while todo:
        rule, kinds, mode = todo.pop()
        if (rule, mode) in done:
            continue
        done.add((rule, mode))
        nf = rule.normalize()
        if (rule, "primal") not in done:
            done.add((rule, "primal"))
            out.append(nf.copy().fdef)
        from ..kinds import Operand
        operands = [Operand(k) for k in kinds]
        fdef, more = make(nf, rule.param_kinds(operands), rule.wrt(operands), mode)
        out.append(fdef)
        todo.extend(more)
    return out

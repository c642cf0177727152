"""calls: the user's module-level helpers, kept as functions with derivatives of their own.

A helper (recursive or not) stays a call, and the generated module gets the helper
(normalized), its vjp and its jvp beside the derivative that calls them::

    def power(x, n):                     def power_vjp(x, n, out_bar):   (reverse of power)
        if n == 0:                           ...
            return 1.0                   v3_bar = ...
        return x * power(x, n - 1)       x_bar_1 = power_vjp(x, v2, v3_bar)

The caller's adjoint of `z = h(a, n)` is `a_bar = h_vjp(a, n, z_bar)` (added to `a_bar`
when it already holds a value); its tangent is `z_dot = h_jvp(a, n, a_dot)`. The vjp
recomputes the helper's forward pass, so recursion needs no tape across calls. Both
return derivatives only, one value each, so that a derivative that calls them is itself
differentiated like any other code. Helpers whose arguments or results are containers,
or that write into their arguments, are inlined instead (frontend/inline.py).

Each helper function object gets a name of its own in the module: two closures of one
factory, or a decorator's wrappers, share a `__name__` but not their code or cells, so
the second is `h_2` (with `h_2_vjp`, `h_2_jvp`).
"""
import copy
import weakref

import gast

from ..codegen.templates import name
from ..kinds import broadcast
from ..rules.registry import Rule


class UserCallRule(Rule):
    """The rule of a call to the helper `function`."""

    def __init__(self, function, parsed):
        # The name in its source (a renamed function, or a decorator's wrapper, has a
        # `__name__` of another function).
        super().__init__(function, parsed.name, self.kind_of_result, True, "user")
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
    """The normalized call `func(*args)` of a helper (args in parameter order)."""
    from ..frontend.parse import parse_function
    if func not in _RULES:
        _RULES[func] = UserCallRule(func, parse_function(func))
    return _call(norm, _RULES[func], args)


class LocalFunction:
    """What stands for a nested def that became a function of its own (it has no Python
    function object until the generated module defines one)."""

    def __init__(self, name):
        self.__name__ = name


_LOCAL_RULES = {}  # (file, line, column, captured names) → the rule of a lifted nested def


def local_call(norm, fdef, captured, args):
    """The call of the nested def `fdef`, lifted with the enclosing variables `captured`
    as parameters after its own (args: its parameters', then the captured values)."""
    from ..frontend.parse import ParsedFunction
    from ..frontend.inline import owner_of
    owner = owner_of(norm)  # whose closure cells and globals its code reads
    key = (norm.filename, fdef.lineno, fdef.col_offset, tuple(captured), owner)
    if key not in _LOCAL_RULES:
        lifted = copy.deepcopy(fdef)
        lifted.args.args += [name(v, gast.Param()) for v in captured]
        lifted.args.defaults = []  # every call passes every argument
        lifted.decorator_list = []
        parsed = ParsedFunction(owner, lifted, norm.filename, norm.resolver.namespace)
        _LOCAL_RULES[key] = UserCallRule(LocalFunction(fdef.name), parsed)
    return _call(norm, _LOCAL_RULES[key], args)


def _call(norm, rule, args):
    """`h(*args)`, a call node carrying the helper's rule."""
    call = gast.Call(func=name(_called_name(norm, rule)), args=list(args), keywords=[])
    call.prim = rule.function
    call.rule = rule
    return call


def _called_name(norm, rule):
    """The name the normalized code calls the helper of `rule` by: its own, unless
    another helper of the function, or the function itself, has that name (closures made
    by one factory, the wrappers of one decorator): each helper its own name."""
    helpers = norm.names.__dict__.setdefault("helpers", {})  # name → rule
    for called, known in helpers.items():
        if known is rule:
            return called
    called, i = rule.name, 2
    while called in helpers or (called == norm.parsed.tree.name and
                                rule.function is not norm.parsed.fn):
        called, i = f"{rule.name}_{i}", i + 1
    norm.names.reserve(called)
    helpers[called] = rule
    return called


def _need(rule, operands, active, mode):
    """What a call site needs: (rule, operand kinds, the parameters it differentiates, mode)."""
    params = rule.normalize().params
    wrt = tuple(p for p in rule.wrt(operands) if active[params.index(p)])
    return rule, tuple(o.kind for o in operands), wrt, mode


def _helper_call(need, args):
    """`h_vjp(...)`, its final name given by `name_helpers` once every need is known."""
    call = gast.Call(func=name(f"{need[0].name}_{need[3]}"), args=list(args), keywords=[])
    call.need = need
    return call


def _active_args(app, analysis):
    return [isinstance(a, gast.Name) and a.id in analysis.active for a in app.args]


def adjoint_of_call(app, target, reverser, out):
    """`a_part, b_part = h_vjp(a, b, z_bar)`, each part added to its argument's adjoint."""
    analysis, names, acc = reverser.analysis, reverser.names, reverser.acc
    operands = [analysis.operand(a) for a in app.args]
    need = _need(app.rule, operands, _active_args(app, analysis), "vjp")
    if not need[2]:
        return
    reverser.needed_calls.add(need)
    params = app.rule.normalize().params
    adjoints = [names.adjoint(app.args[params.index(p)].id) for p in need[2]]
    # An argument's first contribution is its adjoint itself (`x_bar = h_vjp(x, z_bar)`).
    first = [a if not acc.defined(a) and adjoints.count(a) == 1 else None for a in adjoints]
    parts = [f or names.temp() for f in first]
    call = _helper_call(need, list(app.args) + [name(names.adjoint(target))])
    targets = name(parts[0], gast.Store()) if len(parts) == 1 else gast.Tuple(
        elts=[name(p, gast.Store()) for p in parts], ctx=gast.Store())
    out.append(gast.Assign(targets=[targets], value=call, type_comment=None))
    for adj, part, is_first in zip(adjoints, parts, first):
        if is_first:
            acc.owned[adj] = acc.kind(adj).ndim == 0  # the vjp may return `out_bar` itself
        else:
            acc.add(out, adj, name(part))


def tangent_of_call(app, forward):
    """`h_jvp(a, b, a_dot)`: the tangent of `h(a, b)`, one tangent per active argument."""
    analysis, names = forward.analysis, forward.names
    operands = [analysis.operand(a) for a in app.args]
    need = _need(app.rule, operands, _active_args(app, analysis), "jvp")
    forward.needed_calls.add(need)
    params = app.rule.normalize().params
    dots = [name(names.tangent(app.args[params.index(p)].id)) for p in need[2]]
    return _helper_call(need, list(app.args) + dots)


def user_calls_in(fdef):
    """The helpers that `fdef` calls, as needs of their primal functions."""
    return {(n.rule, None, None, "primal") for n in gast.walk(fdef)
            if isinstance(getattr(n, "rule", None), UserCallRule)}


def helper_functions(needed, make):
    """Generate every helper function the derivative calls, and the ones they call.

    `needed` holds (rule, kinds, wrt, mode) with mode "primal", "vjp" or "jvp";
    `make(nf, kinds, wrt, mode)` generates one derivative and returns (fdef, needed_calls).
    Returns the FunctionDefs, each helper's primal before its derivatives.
    """
    from ..kinds import Operand
    made, todo = {}, sorted(needed, key=_order)
    while todo:
        need = todo.pop(0)
        rule, kinds, wrt, mode = need
        if need in made:
            continue
        nf = rule.normalize()
        if mode == "primal":
            made[need] = nf.copy().fdef
            made[need].need = need
            todo.extend(sorted(user_calls_in(nf.fdef), key=_order))
            continue
        todo.append((rule, None, None, "primal"))
        operands = [Operand(k) for k in kinds]
        made[need], more = make(nf, rule.param_kinds(operands), list(wrt), mode)
        made[need].need = need
        todo.extend(sorted(more, key=_order))
    return [made[n] for n in sorted(made, key=_order)]


def _order(need):
    rule, kinds, wrt, mode = need
    return rule.name, ("primal", "vjp", "jvp").index(mode), repr(kinds), wrt or ()


def name_helpers(functions):
    """Name each generated helper derivative and every call of it.

    A helper's vjp is `h_vjp`; one that leaves some float parameters out says which it
    differentiates (`h_vjp_wrt_x`); when one module needs it for operands of different
    kinds, each gets a number (`h_vjp_1`, `h_vjp_2`).
    """
    primal = _primal_names(functions)
    by_stem = {}
    for f in functions:
        need = getattr(f, "need", None)
        if need is not None and need[3] == "primal":
            f.name = primal[need[0]]
        elif need is not None:
            by_stem.setdefault(_stem(need, primal), []).append(need)
    names = {}
    for stem, needs in by_stem.items():
        for i, need in enumerate(needs, 1):
            names[need] = stem if len(needs) == 1 else f"{stem}_{i}"
    for f in functions:
        if getattr(f, "need", None) in names:
            f.name = names[f.need]
        for node in gast.walk(f):
            if isinstance(node, gast.Call) and getattr(node, "need", None) in names:
                node.func.id = names[node.need]
            elif isinstance(node, gast.Call) and isinstance(getattr(node, "rule", None),
                                                            UserCallRule):
                node.func.id = primal[node.rule]
    return functions


def _primal_names(functions):
    """The name of each helper in one module (the last of `functions` being the derivative
    that calls them): the name its caller's normalized code gave it, else its own, numbered
    when two helpers of the module have one name (each helper's normalized code names the
    helpers it calls on its own)."""
    derivative, names = functions[-1], {}
    for node in gast.walk(derivative):
        if isinstance(getattr(node, "rule", None), UserCallRule) and \
                isinstance(node, gast.Call):
            names.setdefault(node.rule, node.func.id)
    used = set(names.values()) | {derivative.name}
    for f in functions[:-1]:
        rules = [f.need[0]] + [n.rule for n in gast.walk(f) if isinstance(n, gast.Call)
                               and isinstance(getattr(n, "rule", None), UserCallRule)]
        for rule in rules:
            called, i = rule.name, 2
            while rule not in names and called in used:
                called, i = f"{rule.name}_{i}", i + 1
            used.add(names.setdefault(rule, called))
    return names


def _stem(need, primal):
    rule, kinds, wrt, mode = need
    from ..kinds import Operand
    floats = rule.wrt([Operand(k) for k in kinds])
    stem = f"{primal[rule]}_{mode}"
    return stem if list(wrt) == floats else f"{stem}_wrt_{'_'.join(wrt)}"

"""Expanding adjoint templates into statements, and accumulating adjoints safely.

An adjoint is written once (`x_bar = e`) and then accumulated. Accumulating in place
(`x_bar += e`) is safe only when `x_bar` holds an array this function created; an adjoint
that shares another adjoint's array (`x_bar = z_bar`) is copied on its first update.
Inside loops and branches a variable can be assigned again; its adjoint is then *killed*
(the overwritten value no longer influences the output) and starts afresh.
"""
import copy

import gast

from ..codegen.templates import assign, constant, name, substitute
from ..errors import TangentADError
from ..kinds import same_shape
from .primitives import template_of


def _np(attr):
    return gast.Attribute(value=name("np"), attr=attr, ctx=gast.Load())


# Calls that always return a new array (never a view of an argument).
ALLOCATING = {"zeros_like", "zeros", "ones_like", "full_like", "outer", "dot", "copy", "sum",
              "exp", "log", "sin", "cos", "tanh", "sqrt", "cumsum", "matmul"}


def fresh(expr):
    """True if `expr` certainly evaluates to a new array (safe to update in place)."""
    if isinstance(expr, (gast.BinOp, gast.UnaryOp)):
        return True
    if isinstance(expr, gast.Call):
        func = expr.func
        attr = func.attr if isinstance(func, gast.Attribute) else getattr(func, "id", None)
        return attr in ALLOCATING
    return False


def zeros(primal, kind):
    """`0.0` for a scalar, `np.zeros_like(x)` for an array (a float zero of x's kind)."""
    if kind.ndim == 0:
        return constant(0.0)
    return gast.Call(func=_np("zeros_like"), args=[name(primal)], keywords=[])


class Accumulator:
    """Emits `x_bar = e`, `x_bar += e` and `x_bar[i] += e` with ownership tracking.

    `owned[adj]` is True when `adj` holds an array of its own (safe to update in place);
    an adjoint missing from `owned` is undefined here: its next contribution assigns it.
    """

    def __init__(self, analysis, names):
        self.analysis = analysis
        self.names = names
        self.owned = {}
        self.items = {}    # adjoint of a tuple → {k: adjoint of its item k}

    def defined(self, adj):
        return adj in self.owned

    def kind(self, adj):
        return self.analysis.kind(self.names.base.get(adj, adj))

    def add(self, out, adj, value, negate=False):
        if negate:
            value = gast.UnaryOp(op=gast.USub(), operand=value)
        scalar = self.kind(adj).ndim == 0
        if adj not in self.owned:
            out.append(assign(adj, value))
            self.owned[adj] = scalar or fresh(value)
            if isinstance(value, gast.Name) and value.id in self.owned:
                self.owned[value.id] = scalar  # the two now share one array
        elif self.owned[adj]:
            out.append(gast.AugAssign(target=name(adj, gast.Store()), op=gast.Add(),
                                      value=value))
        else:
            out.append(assign(adj, gast.BinOp(left=name(adj), op=gast.Add(), right=value)))
            self.owned[adj] = True

    def own(self, out, adj):
        """Make `adj` an array of its own before writing into it."""
        primal = self.names.base.get(adj, adj)
        if adj not in self.owned:
            out.append(assign(adj, zeros(primal, self.kind(adj))))
        elif not self.owned[adj]:
            out.append(assign(adj, gast.Call(func=gast.Attribute(
                value=name(adj), attr="copy", ctx=gast.Load()), args=[], keywords=[])))
        self.owned[adj] = True

    def scatter(self, out, adj, index, value):
        """`x_bar[index] += value`, creating or copying `x_bar` first when needed."""
        self.own(out, adj)
        target = gast.Subscript(value=name(adj), slice=copy.deepcopy(index), ctx=gast.Store())
        out.append(gast.AugAssign(target=target, op=gast.Add(), value=value))

    def zero_at(self, out, adj, index):
        """`x_bar[index] = 0.0`: the overwritten elements no longer matter."""
        self.own(out, adj)
        target = gast.Subscript(value=name(adj), slice=copy.deepcopy(index), ctx=gast.Store())
        out.append(gast.Assign(targets=[target], value=constant(0.0), type_comment=None))

    def add_item(self, adj, k, value):
        """`x_bar[k] += value` for a tuple `x`: kept per item until `x_bar` is read."""
        items = self.items.setdefault(adj, {})
        items[k] = gast.BinOp(left=items[k], op=gast.Add(), right=value) if k in items else value
        self.owned.setdefault(adj, False)

    def read(self, adj, primal):
        """The expression of `adj`: its name, or for a tuple the tuple of its items' adjoints
        (zeros for items that got none)."""
        if adj not in self.items:
            return name(adj)
        count = len(self.analysis.kind(primal).items)
        return gast.Tuple(elts=[self.items[adj].get(k) or gast.Call(
            func=name("zeros_like_ad"), args=[gast.Subscript(
                value=name(primal), slice=constant(k), ctx=gast.Load())], keywords=[])
            for k in range(count)], ctx=gast.Load())

    def kill(self, adj):
        self.owned.pop(adj, None)

    def define_zero(self, out, adj):
        primal = self.names.base.get(adj, adj)
        out.append(assign(adj, zeros(primal, self.kind(adj))))
        self.owned[adj] = True

    def snapshot(self):
        return dict(self.owned)

    def restore(self, state):
        self.owned = dict(state)


def specialize_unbroadcast(node, z_kind, kind_of):
    """Drop `unbroadcast(g, x)` where `x` has the result's shape; `np.sum(g)` for scalar x."""
    class Specialize(gast.NodeTransformer):
        def visit_Call(self, call):
            self.generic_visit(call)
            if not (isinstance(call.func, gast.Name) and call.func.id == "unbroadcast"):
                return call
            g, x = call.args
            x_kind = kind_of(x)
            if same_shape(x_kind, z_kind):
                return g
            if x_kind.ndim == 0:
                return g if z_kind.ndim == 0 else gast.Call(func=_np("sum"), args=[g],
                                                            keywords=[])
            return call
    return Specialize().visit(node)


def expand_adjoint(app, target, analysis, names, acc, out):
    """Append to `out` the adjoint statements of `target = app`, from the rule's template."""
    rule = app.rule
    template = template_of(app, target, analysis, "adjoint")
    bound = template.bind(name(target), app.args, app.keywords)
    if bound is None:
        raise TangentADError(f"the adjoint template of `{rule.name}` does not accept "
                             f"these arguments ({len(app.args)} positional, "
                             f"keywords {sorted(app.keywords)}).")
    mapping = dict(bound)
    mapping[template.params[0] + "_bar"] = acc.read(names.adjoint(target), target)
    locals_ = {}
    z_kind = analysis.kind(target)
    for stmt in template.body:
        if isinstance(stmt, gast.Assign):  # a temporary inside the template
            temp = names.temp()
            value = substitute(stmt.value, {**mapping, **locals_})
            out.append(gast.Assign(targets=[name(temp, gast.Store())], value=value,
                                   type_comment=None))
            locals_[stmt.targets[0].id] = name(temp)  # a name assigned again is a new temp
            continue
        stmt = substitute(stmt, {**mapping, **locals_})
        _accumulate(stmt, bound, analysis, names, acc, z_kind, out)


def _accumulate(stmt, bound, analysis, names, acc, z_kind, out):
    """Handle `p_bar += e`, `p_bar -= e` and `p_bar[i] += e` of one template line."""
    target = stmt.target
    base = target.value if isinstance(target, gast.Subscript) else target
    param = base.id[:-len("_bar")]
    actual = bound.get(param)
    value = specialize_unbroadcast(stmt.value, z_kind, analysis.kind)
    negate = isinstance(stmt.op, gast.Sub)
    if isinstance(actual, (gast.Tuple, gast.List)) and not isinstance(target, gast.Subscript):
        return _distribute(actual, value, negate, analysis, names, acc, out)
    if not (isinstance(actual, gast.Name) and actual.id in analysis.active):
        return
    adj = names.adjoint(actual.id)
    if isinstance(target, gast.Subscript) and analysis.kind(actual.id).items is not None:
        acc.add_item(adj, target.slice.value, value)
    elif isinstance(target, gast.Subscript):
        acc.scatter(out, adj, target.slice, value)
    else:
        acc.add(out, adj, value, negate=negate)


def _distribute(sequence, value, negate, analysis, names, acc, out):
    """`xs_bar += e` for a tuple or list operand `xs = (a, b)`: `a_bar += e[0]`,
    `b_bar += e[1]`, with `e` computed once."""
    elements = [e for e in gast.walk(sequence) if isinstance(e, gast.Name)]
    if not any(e.id in analysis.active for e in elements):
        return
    if not isinstance(value, (gast.Name, gast.Subscript)):
        temp = names.temp()
        out.append(assign(temp, value))
        value = name(temp)
    for k, element in enumerate(sequence.elts):
        item = gast.Subscript(value=copy.deepcopy(value), slice=constant(k), ctx=gast.Load())
        if isinstance(element, (gast.Tuple, gast.List)):
            _distribute(element, item, negate, analysis, names, acc, out)
        elif isinstance(element, gast.Name) and element.id in analysis.active:
            adj = names.adjoint(element.id)
            fresh = not acc.defined(adj)
            acc.add(out, adj, item, negate=negate)
            if fresh:  # `a_bar = e[0]` is a view into e: copied before it is updated
                acc.owned[adj] = acc.kind(adj).ndim == 0

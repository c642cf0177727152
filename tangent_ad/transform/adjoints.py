"""Expanding adjoint templates into statements, and accumulating adjoints safely.

An adjoint is written once (`x_bar = e`) and then accumulated. Accumulating in place
(`x_bar += e`) is safe only when `x_bar` holds an array this function created; an adjoint
that is another adjoint's array (`x_bar = z_bar`) is copied on its first update.
"""
import copy

import gast

from ..codegen.templates import name, substitute
from ..errors import TangentADError
from ..kinds import same_shape


class Accumulator:
    """Emits `x_bar = e`, `x_bar += e` and `x_bar[i] += e` with ownership tracking."""

    def __init__(self, emit, analysis):
        self.emit = emit
        self.analysis = analysis
        self.owned = {}    # adjoint name → True if it holds an array of its own

    def defined(self, adj):
        return adj in self.owned

    def _owns(self, adj, value, kind):
        return kind.ndim == 0 or not isinstance(value, gast.Name)

    def add(self, adj, value, kind, negate=False):
        if negate:
            value = gast.UnaryOp(op=gast.USub(), operand=value)
        if adj not in self.owned:
            self.emit(_assign(adj, value))
            self.owned[adj] = self._owns(adj, value, kind)
        elif self.owned[adj]:
            self.emit(gast.AugAssign(target=name(adj, gast.Store()), op=gast.Add(),
                                     value=value))
        else:
            total = gast.BinOp(left=name(adj), op=gast.Add(), right=value)
            self.emit(_assign(adj, total))
            self.owned[adj] = True

    def scatter(self, adj, primal, index, value):
        """`x_bar[index] += value`, creating or copying `x_bar` first when needed."""
        if adj not in self.owned:
            zeros = gast.Call(func=_np("zeros_like"), args=[name(primal)], keywords=[])
            self.emit(_assign(adj, zeros))
        elif not self.owned[adj]:
            self.emit(_assign(adj, gast.Call(func=gast.Attribute(
                value=name(adj), attr="copy", ctx=gast.Load()), args=[], keywords=[])))
        self.owned[adj] = True
        target = gast.Subscript(value=name(adj), slice=copy.deepcopy(index), ctx=gast.Store())
        self.emit(gast.AugAssign(target=target, op=gast.Add(), value=value))


def _np(attr):
    return gast.Attribute(value=name("np"), attr=attr, ctx=gast.Load())


def _assign(target, value):
    return gast.Assign(targets=[name(target, gast.Store())], value=value, type_comment=None)


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


def expand_adjoint(app, target, analysis, names, acc, emit):
    """Emit the adjoint statements of `target = app` through the rule's template."""
    rule = app.rule
    operands = [analysis.operand(name(target))] + [analysis.operand(a) for a in app.args]
    template = rule.adjoint_for(operands)
    if template is None:
        raise TangentADError(
            f"no adjoint rule for `{rule.name}` with operands of kind "
            f"{', '.join(str(o.kind) for o in operands[1:])}; register one with "
            f"@ta.adjoint_rule({rule.name}, when=...).")
    bound = template.bind(name(target), app.args, app.keywords)
    if bound is None:
        raise TangentADError(f"the adjoint template of `{rule.name}` does not accept "
                             f"these arguments ({len(app.args)} positional, "
                             f"keywords {sorted(app.keywords)}).")
    mapping = dict(bound)
    mapping[template.params[0] + "_bar"] = name(names.adjoint(target))
    locals_ = {}
    z_kind = analysis.kind(target)
    for stmt in template.body:
        stmt = substitute(stmt, {**mapping, **locals_})
        if isinstance(stmt, gast.Assign):  # a temporary inside the template
            temp = names.temp()
            locals_[stmt.targets[0].id] = name(temp)
            stmt.targets[0].id = temp
            emit(stmt)
            continue
        _accumulate(stmt, template, bound, analysis, names, acc, z_kind)


def _accumulate(stmt, template, bound, analysis, names, acc, z_kind):
    """Handle `p_bar += e`, `p_bar -= e` and `p_bar[i] += e` of one template line."""
    target = stmt.target
    base = target.value if isinstance(target, gast.Subscript) else target
    param = base.id[:-len("_bar")]
    actual = bound.get(param)
    if not (isinstance(actual, gast.Name) and actual.id in analysis.active):
        return
    value = specialize_unbroadcast(stmt.value, z_kind, analysis.kind)
    adj = names.adjoint(actual.id)
    if isinstance(target, gast.Subscript):
        acc.scatter(adj, actual.id, target.slice, value)
    else:
        acc.add(adj, value, analysis.kind(actual.id), negate=isinstance(stmt.op, gast.Sub))

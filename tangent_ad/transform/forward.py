"""forward: a normalized function → its tangent (forward mode), before optimization.

Each active statement is followed by its tangent, from the rule's tangent template; the
tangent of an operand that does not depend on the inputs is a symbolic zero::

    def f(x, c):                   def f_jvp(x, c, x_dot):
        v1 = x * c                     v1 = x * c
        v2 = np.sin(v1)                v1_dot = x_dot * c
        return v2                      v2 = np.sin(v1)
                                       v2_dot = v1_dot * np.cos(v1)
                                       return v2, v2_dot
"""
import gast

from ..codegen.templates import (ZERO, assign, constant, is_zero, name, simplify_zeros,
                                 substitute)
from ..errors import TangentADError, at_statement
from .calls import UserCallRule, tangent_of_call
from ..frontend.stacks import stack_of
from .primitives import application, template_of
from .stack_rules import tangent_of_stack


def _np_call(attr, *args):
    return gast.Call(func=gast.Attribute(value=name("np"), attr=attr, ctx=gast.Load()),
                     args=list(args), keywords=[])


def _zeros(node, kind):
    if kind.ndim == 0:
        return constant(0.0)
    if kind.ndim is None or not isinstance(node, gast.Name):
        return gast.Call(func=name("zeros_like_ad"), args=[node], keywords=[])
    return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                     args=[node], keywords=[])


def _expression_ndim(expr, analysis, tangent_of):
    """The ndim an elementwise tangent expression broadcasts to (from its names' kinds)."""
    ndims = [0]
    for node in gast.walk(expr):
        if isinstance(node, gast.Name):
            kind = analysis.kind(tangent_of.get(node.id, node.id))
            # a tuple's item (`parts_dot[0]` of np.split) has the ndim of the tuple's items
            for item in kind.items or (kind,):
                if item.ndim is not None:
                    ndims.append(item.ndim)
    return max(ndims)


def _tangent_of(actual, analysis, names, tangent_of):
    """The tangent of an operand: `x_dot`, the symbolic zero, or for a tuple or list
    operand `(a, b)` the tuple of its elements' tangents, `(a_dot, np.zeros_like(b))`."""
    if isinstance(actual, gast.Name) and actual.id in analysis.active:
        dot = names.tangent(actual.id)
        tangent_of[dot] = actual.id
        return name(dot)
    if isinstance(actual, (gast.Tuple, gast.List)):
        dots = [_tangent_of(e, analysis, names, tangent_of) for e in actual.elts]
        if not all(is_zero(d) for d in dots):
            dots = [_zero_element(e, analysis) if is_zero(d) else d
                    for e, d in zip(actual.elts, dots)]
            return type(actual)(elts=dots, ctx=gast.Load())
    return name(ZERO)


def _zero_element(node, analysis):
    if not isinstance(node, gast.Name):
        return constant(0.0)
    kind = analysis.kind(node)
    if kind.dtype != "f":  # a float zero beside float tangents
        return gast.Call(func=name("zeros_like_ad"), args=[node], keywords=[])
    return _zeros(node, kind)


def expand_tangent(app, target, analysis, names, setup=None):
    """The expression of `target_dot` for `target = app` (never the symbolic zero).
    Temporaries of the template (`t = ...` before the last line) are appended to `setup`."""
    template = template_of(app, target, analysis, "tangent")
    bound = template.bind(name(target), app.args, app.keywords)
    mapping, tangent_of = dict(bound), {}
    for param, actual in bound.items():
        if param != template.params[0]:
            mapping[param + "_dot"] = _tangent_of(actual, analysis, names, tangent_of)
    *temporaries, last = template.body
    for stmt in temporaries:
        value = simplify_zeros(substitute(stmt.value, mapping), tangent_of)
        if not is_zero(value):
            temp = names.temp()
            setup.append(assign(temp, value, None))
            value = name(temp)
        mapping[stmt.targets[0].id] = value
    expr = simplify_zeros(substitute(last.value, mapping), tangent_of)
    target_kind = analysis.kind(target)
    if is_zero(expr):
        return _zeros(name(target), target_kind)
    elementwise = not any(isinstance(n, gast.Call) for n in gast.walk(expr))
    if target_kind.ndim and elementwise and _expression_ndim(expr, analysis, tangent_of) == 0:
        return _np_call("full_like", name(target), expr)
    return expr


class Forward:
    """Builds the tangent code of a normalized body, block by block."""

    def __init__(self, analysis, names):
        self.analysis = analysis
        self.names = names
        self.needed_calls = set()  # (rule, kinds, "jvp") of the recursive helpers called

    def block(self, stmts):
        out = []
        for stmt in stmts:
            getattr(self, "stmt_" + type(stmt).__name__)(stmt, out)
        return out

    def stmt_Assign(self, stmt, out):
        if stack_of(stmt) is not None:
            return self.stmt_Expr(stmt, out)
        out.append(stmt)
        target = stmt.targets[0]
        if isinstance(target, gast.Subscript):
            return self.store_item(stmt, out)
        if target.id not in self.analysis.active:
            return
        app = application(stmt.value)
        if isinstance(app.rule, UserCallRule):
            expr = tangent_of_call(app, self)
        elif app.rule.differentiable:
            try:
                expr = expand_tangent(app, target.id, self.analysis, self.names, out)
            except TangentADError as exc:
                raise at_statement(exc, stmt) from exc
        else:
            expr = _zeros(name(target.id), self.analysis.kind(target.id))
        out.append(assign(self.names.tangent(target.id), expr, stmt.origin))

    def store_item(self, stmt, out):
        """`y[i] = v` is followed by `y_dot[i] = v_dot`."""
        array, value = stmt.targets[0].value.id, stmt.value
        if array not in self.analysis.active:
            return
        active = isinstance(value, gast.Name) and value.id in self.analysis.active
        dot = name(self.names.tangent(value.id)) if active else constant(0.0)
        store = gast.Subscript(value=name(self.names.tangent(array)),
                               slice=stmt.targets[0].slice, ctx=gast.Store())
        new = gast.Assign(targets=[store], value=dot, type_comment=None)
        new.origin = getattr(stmt, "origin", None)
        out.append(new)

    def stmt_Expr(self, stmt, out):
        """A stack statement of generated code (the only other statements kept)."""
        tangent_of_stack(stmt, self, out, lambda node: _zeros(node, self.analysis.kind(node)))

    def stmt_Pass(self, stmt, out):
        pass

    def stmt_If(self, stmt, out):
        out.append(gast.If(test=stmt.test, body=self.block(stmt.body) or [gast.Pass()],
                           orelse=self.block(stmt.orelse)))

    def stmt_For(self, stmt, out):
        out.append(gast.For(target=stmt.target, iter=stmt.iter, body=self.block(stmt.body),
                            orelse=[], type_comment=None))

    def stmt_While(self, stmt, out):
        out.append(gast.While(test=stmt.test, body=self.block(stmt.body), orelse=[]))


def forward(nf, analysis, wrt, suffix="jvp", with_value=True):
    """The tangent `FunctionDef`: parameters, then one tangent per differentiated input.
    It returns (output, its tangent, aux if any), or the tangent alone without `with_value`
    (the jvps of recursive helpers)."""
    *primal, ret = nf.fdef.body
    names = nf.names
    builder = Forward(analysis, names)
    stmts = builder.block(primal)
    for param in nf.fdef.args.args:  # updated from active values later: starts at zero
        if param.id in analysis.active and param.id not in wrt:
            stmts.insert(0, assign(names.tangent(param.id),
                                    _zeros(name(param.id), analysis.kind(param.id)), None))
    outputs = ret.value.elts if isinstance(ret.value, gast.Tuple) else [ret.value]
    out = outputs[0]
    if isinstance(out, gast.Name) and out.id in analysis.active:
        out_dot = name(names.tangent(out.id))
    else:
        out_dot = _zeros(out, analysis.kind(out))
    results = [out, out_dot] + list(outputs[1:2]) if with_value else [out_dot]
    stmts.append(gast.Return(value=gast.Tuple(elts=results, ctx=gast.Load())
                             if len(results) > 1 else results[0]))
    params = list(nf.fdef.args.args) + [name(names.tangent(p), gast.Param()) for p in wrt]
    args = gast.arguments(args=params, posonlyargs=[], vararg=None, kwonlyargs=[],
                          kw_defaults=[], kwarg=None, defaults=[])
    fdef = gast.FunctionDef(name=f"{nf.name}_{suffix}", args=args, body=stmts,
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])
    fdef.needed_calls = builder.needed_calls
    return fdef

"""reverse: a normalized function → its adjoint (reverse mode), before optimization.

The adjoint runs the primal statements, seeds the output's adjoint, then walks the
statements backwards, expanding each active statement's adjoint template::

    def f(x):                      def f_grad(x):
        v1 = np.sin(x)                 v1 = np.sin(x)
        v2 = v1 * x                    v2 = v1 * x
        return v2                      v2_bar = 1.0
                                       v1_bar = v2_bar * x
                                       x_bar = v2_bar * v1
                                       x_bar += v1_bar * np.cos(x)
                                       return x_bar
"""
import gast

from ..codegen.templates import constant, name
from ..errors import UnsupportedSyntaxError
from ..frontend.check import location
from .adjoints import Accumulator, expand_adjoint
from .primitives import application


class ReverseSpec:
    """What the generated adjoint takes and returns.

    seed: "one" (gradient of a scalar: the output's adjoint is 1.0) or "param" (a vjp: the
    output's adjoint is the last parameter). return_value: also return the primal output.
    has_aux: the function returns (output, aux); aux is returned beside the output.
    """

    def __init__(self, wrt, seed="one", return_value=False, has_aux=False, suffix="grad"):
        self.wrt = list(wrt)
        self.seed = seed
        self.return_value = return_value
        self.has_aux = has_aux
        self.suffix = suffix


def _assign(target, value, origin=None):
    stmt = gast.Assign(targets=[name(target, gast.Store())], value=value, type_comment=None)
    stmt.origin = origin
    return stmt


def _zeros_for(param, kind):
    if kind.ndim == 0:
        return constant(0.0)
    return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                     args=[name(param)], keywords=[])


def reverse(nf, analysis, spec):
    """The adjoint `FunctionDef` of the normalized function `nf`."""
    body = nf.fdef.body
    *primal, ret = body
    _check_straight_line(primal, nf.filename)
    outputs = ret.value.elts if isinstance(ret.value, gast.Tuple) else [ret.value]
    out = outputs[0]
    names = nf.names
    stmts = list(primal)

    def emit(stmt, origin):
        stmt.origin = origin and origin.as_role("adjoint")
        stmts.append(stmt)

    out_bar_param = None
    if isinstance(out, gast.Name) and out.id in analysis.active:
        out_bar = names.adjoint(out.id)
        if spec.seed == "param":
            out_bar_param = names.fresh("out_bar") if out_bar != "out_bar" else out_bar
            emit(_assign(out_bar, name(out_bar_param)), ret.origin)
        else:
            emit(_assign(out_bar, constant(1.0)), ret.origin)

    current_origin = [None]
    acc = Accumulator(lambda s: emit(s, current_origin[0]), analysis)
    acc.owned[names.adjoint(out.id) if isinstance(out, gast.Name) else ""] = False
    for stmt in reversed(primal):
        target = stmt.targets[0].id
        if target not in analysis.active:
            continue
        current_origin[0] = stmt.origin
        expand_adjoint(application(stmt.value), target, analysis, names, acc,
                       lambda s: emit(s, current_origin[0]))

    grads = []
    for param in spec.wrt:
        adj = names.adjoint(param)
        if not acc.defined(adj):
            emit(_assign(adj, _zeros_for(param, analysis.kind(param))), None)
        grads.append(name(adj))
    results = ([out] if spec.return_value else []) + \
              (list(outputs[1:2]) if spec.has_aux else []) + grads
    value = results[0] if len(results) == 1 else gast.Tuple(elts=results, ctx=gast.Load())
    stmts.append(gast.Return(value=value))
    params = list(nf.fdef.args.args) + ([name(out_bar_param, gast.Param())]
                                        if spec.seed == "param" else [])
    args = gast.arguments(args=params, posonlyargs=[], vararg=None, kwonlyargs=[],
                          kw_defaults=[], kwarg=None, defaults=[])
    return gast.FunctionDef(name=f"{nf.name}_{spec.suffix}", args=args, body=stmts,
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])


def _check_straight_line(stmts, filename):
    for stmt in stmts:
        if not isinstance(stmt, gast.Assign):
            raise UnsupportedSyntaxError(
                f"`{type(stmt).__name__.lower()}` statements are not differentiated in reverse "
                "mode yet.", location(stmt, filename),
                "write the function as straight-line code.")

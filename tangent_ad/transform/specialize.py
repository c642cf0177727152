"""specialize: rewrite primal operations that numba cannot compile for the known kinds
into equivalent ones it can (the NumPy signatures numba lacks are overloads instead, in
`tangent_ad.overloads`; these are the cases an overload cannot see from types alone).

    v1 = np.dot(s, x)            (s a scalar)                  →  v1 = s * x
    v1 = np.matmul(a, b)                                       →  v1 = a @ b
    v1 = np.squeeze(x)           (x: array[d0,1,d1])           →  v1 = np.squeeze(x, axis=(1,))
    v1 = x[mask]                 (mask: a boolean matrix)      →  v1 = np.extract(mask, x)
    v1 = np.tensordot(a, b, axes=((1,), (0,)))                 →  v1 = np.einsum('ab,bc->ac', a, b)

Runs after kinds are known and before the derivative transforms, so the derivative of
the rewritten statement is the one that is generated.
"""
import gast
import numpy as np

from ..codegen.templates import constant, name
from ..rules.einsum import tensordot_subscripts
from ..rules.indexing import GETITEM
from ..frontend.stacks import stack_of
from .primitives import application


def _call(func, dotted, args, keywords=()):
    node = name(dotted.split(".")[0])
    for part in dotted.split(".")[1:]:
        node = gast.Attribute(value=node, attr=part, ctx=gast.Load())
    call = gast.Call(func=node, args=list(args),
                     keywords=[gast.keyword(arg=k, value=v) for k, v in keywords])
    call.prim = func
    return call


def _scalar_product(app, analysis):
    if app.rule.key is not np.dot or len(app.args) != 2:
        return None
    x, y = app.args
    if analysis.kind(x).ndim == 0 or analysis.kind(y).ndim == 0:
        return gast.BinOp(left=x, op=gast.Mult(), right=y)
    return None


def _matmul_operator(app, analysis):
    """numba compiles `a @ b` but not np.matmul(a, b)."""
    if app.rule.key is np.matmul and len(app.args) == 2 and not app.keywords:
        return gast.BinOp(left=app.args[0], op=gast.MatMult(), right=app.args[1])
    return None


def _squeeze_axes(app, analysis):
    """np.squeeze(x): numba must know which axes go, and the kinds know the ones of size 1."""
    if app.rule.key is not np.squeeze or len(app.args) != 1 or app.keywords:
        return None
    shape = analysis.kind(app.args[0]).shape
    if shape is None or None in shape:
        return None
    axes = gast.Tuple(elts=[constant(d) for d, n in enumerate(shape) if n == 1],
                      ctx=gast.Load())
    return _call(np.squeeze, "np.squeeze", app.args, [("axis", axes)])


def _mask_extract(app, analysis):
    """numba reads x[mask] only for a vector mask; np.extract reads it for any."""
    if app.rule.key is not GETITEM:
        return None
    x, index = app.args
    x_kind, mask = analysis.kind(x), analysis.kind(index)
    if mask.dtype == "b" and mask.ndim is not None and mask.ndim >= 2 and \
            mask.ndim == x_kind.ndim:
        return _call(np.extract, "np.extract", [index, x])
    return None


def _tensordot_einsum(app, analysis):
    """np.tensordot(a, b, axes=(..., ...)): numba's types do not hold the axes' values."""
    if app.rule.key is not np.tensordot:
        return None
    axes = app.args[2] if len(app.args) > 2 else app.keywords.get("axes")
    a, b = (analysis.kind(n).ndim for n in app.args[:2])
    pair = _literal(axes)
    if not isinstance(pair, tuple) or a is None or b is None:
        return None
    spec = tensordot_subscripts(a, b, pair)
    return _call(np.einsum, "np.einsum", [constant(spec)] + list(app.args[:2]))


def _literal(node):
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, (gast.Tuple, gast.List)):
        return tuple(_literal(e) for e in node.elts)
    return None


def _array_copy(app, analysis):
    """np.array(x) of an array is a copy; numba's np.array takes only sequences."""
    if app.rule.key in (np.array, np.asarray) and len(app.args) == 1 and not app.keywords:
        x = app.args[0]
        if isinstance(x, gast.Name) and analysis.kind(x).ndim not in (0, None):
            return _call(np.copy, "np.copy", [x])
    return None


REWRITES = [_scalar_product, _matmul_operator, _squeeze_axes, _mask_extract,
            _tensordot_einsum, _array_copy]


def specialize(stmts, analysis):
    """Apply the rewrites to every plain assignment in `stmts` (recursively), in place."""
    for stmt in stmts:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) \
                and stack_of(stmt) is None:
            for rewrite in REWRITES:
                app = application(stmt.value)
                new = app.rule is not None and rewrite(app, analysis)
                if new:
                    stmt.value = new
        for field in ("body", "orelse"):
            specialize(getattr(stmt, field, []), analysis)

"""loops: consecutive elementwise statements over vectors of one length, as one loop.

numba turns each elementwise statement into a loop of its own, with an array for its
result. A run of such statements whose operands are scalars or vectors of one length (by
the kinds) computes the same numbers element by element in one loop: a temporary that the
function reads after the run is still an array, written one element per trip; the others
become scalars. This is a step of the copy that numba compiles (see `fuse.py`); the printed
derivative keeps its statements.

>>> import ast, gast
>>> from tangent_ad.kinds import Kind, SCALAR
>>> fdef = gast.parse('''
... def f_grad(v, y, b):
...     v4 = np.exp(-(v + b))
...     p = 1.0 / (1.0 + v4)
...     g = (p - y) * v4
...     return np.sum(g)
... ''').body[0]
>>> vector = Kind(1, ("d0",), "f")
>>> kinds = {"v": vector, "y": vector, "b": SCALAR, "v4": vector, "p": vector, "g": vector}
>>> fuse_loops(fdef, lambda n: kinds.get(n, Kind(None, None)))
True
>>> print(ast.unparse(gast.gast_to_ast(fdef)))
def f_grad(v, y, b):
    g = np.empty(v.shape[0])
    for e in range(v.shape[0]):
        v4 = np.exp(-(v[e] + b))
        p = 1.0 / (1.0 + v4)
        g[e] = (p - y[e]) * v4
    return np.sum(g)
"""
import copy

import gast
import numpy as np

from ..transform.reads import blocks, name_counts, walk
from .templates import assign, constant, name

UFUNCS = {n for n in dir(np) if isinstance(getattr(np, n), np.ufunc)}
_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.USub, gast.UAdd)


def fuse_loops(fdef, kind_of):
    """Rewrite, in place, each run of two or more elementwise vector statements of `fdef`
    into one loop; True when something changed."""
    reads, writes = name_counts(fdef)
    taken = set(writes) | set(reads)
    changed = False
    for block in list(blocks(fdef.body)):
        i = 0
        while i < len(block):
            run, length = _run(block, i, kind_of, writes)
            if len(run) < 2:
                i += 1
                continue
            index = _fresh("e", taken)
            taken.add(index)
            new = _loop(run, length, index, kind_of, reads)
            block[i:i + len(run)] = new
            i += len(new)
            changed = True
    return changed


def _fresh(base, taken):
    while base in taken:
        base += "_"
    return base


def _run(block, start, kind_of, writes):
    """The longest run of elementwise statements from block[start], and a vector of the
    length they share that exists before the run."""
    run, symbol = [], None
    for stmt in block[start:]:
        shape = _elementwise(stmt, kind_of, writes)
        if shape is None or (symbol is not None and shape != symbol):
            break
        symbol = shape
        run.append(stmt)
    # Each result is assigned once in the function, so no statement of the run reads a
    # result of itself or of a later statement (not even from a loop's trip before).
    targets = {s.targets[0].id for s in run}
    length = next((n.id for s in run for n in walk(s.value) if isinstance(n, gast.Name)
                   and kind_of(n.id).ndim == 1 and n.id not in targets), None)
    return (run, length) if length is not None else ([], None)


def _elementwise(stmt, kind_of, writes):
    """The length symbol of `t = e` when `t` is a float vector assigned once and `e` is
    arithmetic and ufuncs of scalars and vectors of that length; else None."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], gast.Name)):
        return None
    target = kind_of(stmt.targets[0].id)
    if writes.get(stmt.targets[0].id) != 1 or target.ndim != 1 or target.dtype != "f" \
            or not target.shape or target.shape[0] in (None, 1):
        return None
    symbol = target.shape[0]
    for node in walk(stmt.value):
        if isinstance(node, gast.Name):
            kind = kind_of(node.id)
            if node.id == "np" or kind.ndim == 0 and kind.dtype in "fib":
                continue
            if kind.ndim != 1 or not kind.shape or kind.shape[0] != symbol:
                return None
        elif isinstance(node, gast.Call):
            f = node.func
            if node.keywords or not (isinstance(f, gast.Attribute) and f.attr in UFUNCS
                                     and isinstance(f.value, gast.Name) and f.value.id == "np"):
                return None
        elif isinstance(node, (gast.BinOp, gast.UnaryOp)):
            if not isinstance(node.op, _OPS):
                return None
        elif isinstance(node, gast.Attribute):  # np.exp, np.pi: not `v.size` or `v.T`
            if not (isinstance(node.value, gast.Name) and node.value.id == "np"):
                return None
        elif not isinstance(node, (gast.Constant, gast.expr_context, gast.operator,
                                   gast.unaryop)):
            return None
    return symbol


def _loop(run, length, index, kind_of, reads):
    """`t = np.empty(n)` for each result read after the run, then the loop."""
    inside = {}
    for stmt in run:
        for node in walk(stmt.value):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load):
                inside[node.id] = inside.get(node.id, 0) + 1
    targets = [s.targets[0].id for s in run]
    kept = [t for t in targets if reads.get(t, 0) > inside.get(t, 0)]
    size = _subscript(gast.Attribute(value=name(length), attr="shape", ctx=gast.Load()),
                      constant(0))
    body = []
    for stmt in run:
        value = _Element(index, kind_of, set(targets) - set(kept)).visit(stmt.value)
        target = stmt.targets[0].id
        store = _subscript(name(target), name(index), gast.Store()) if target in kept \
            else name(target, gast.Store())
        body.append(gast.Assign(targets=[store], value=value, type_comment=None))
    empty = [assign(t, gast.Call(func=gast.Attribute(value=name("np"), attr="empty",
                                                     ctx=gast.Load()),
                                 args=[copy.deepcopy(size)], keywords=[])) for t in kept]
    loop = gast.For(target=name(index, gast.Store()), iter=gast.Call(
        func=name("range"), args=[size], keywords=[]), body=body, orelse=[],
        type_comment=None)
    for node in empty + [loop]:  # locations for ast.unparse
        gast.fix_missing_locations(gast.copy_location(node, run[0]))
    return empty + [loop]


class _Element(gast.NodeTransformer):
    """A vector `a` read in the loop becomes `a[e]`; a scalar of the loop stays a name."""

    def __init__(self, index, kind_of, scalars):
        self.index, self.kind_of, self.scalars = index, kind_of, scalars

    def visit_Name(self, node):
        if node.id in self.scalars or node.id == "np" or self.kind_of(node.id).ndim != 1:
            return node
        return _subscript(node, name(self.index))


def _subscript(value, index, ctx=None):
    return gast.Subscript(value=value, slice=index, ctx=ctx or gast.Load())

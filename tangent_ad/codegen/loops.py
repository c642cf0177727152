"""loops: consecutive elementwise statements over arrays of one shape, as one loop.

numba turns each elementwise statement into a loop of its own, with an array for its
result. A run of such statements whose operands are scalars or vectors of one length (by
the kinds) computes the same numbers element by element in one loop: a temporary that the
function reads after the run is still an array, written one element per trip; the others
become scalars. Matrices with that many rows may follow in the run, in a loop inside the
loop, reading the vectors' numbers through `expand_to(v, like, 1)`. This is a step of the
copy that numba compiles (see `fuse.py`); the printed derivative keeps its statements.

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

The backward sweep of `np.sum(z * z, axis=1)`, with `z` an N x D matrix:

>>> fdef = gast.parse('''
... def g_grad(s_bar, z, W):
...     v_bar = -s_bar * 0.5
...     zz_bar = expand_to(v_bar, z, 1)
...     z_bar = 2 * (zz_bar * z)
...     return z_bar @ W
... ''').body[0]
>>> rows, matrix = Kind(1, ("N",), "f"), Kind(2, ("N", "D"), "f")
>>> kinds = {"s_bar": rows, "v_bar": rows, "z": matrix, "zz_bar": matrix, "z_bar": matrix}
>>> fuse_loops(fdef, lambda n: kinds.get(n, Kind(None, None)))
True
>>> print(ast.unparse(gast.gast_to_ast(fdef)))
def g_grad(s_bar, z, W):
    z_bar = np.empty((z.shape[0], z.shape[1]))
    for e in range(z.shape[0]):
        v_bar = -s_bar[e] * 0.5
        for f in range(z.shape[1]):
            zz_bar = v_bar
            z_bar[e, f] = 2 * (zz_bar * z[e, f])
    return z_bar @ W
"""
import copy

import gast
import numpy as np

from ..transform.reads import blocks, name_counts, walk
from .templates import assign, constant, name

UFUNCS = {n for n in dir(np) if isinstance(getattr(np, n), np.ufunc)}
_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.USub, gast.UAdd)


def fuse_loops(fdef, kind_of):
    """Rewrite, in place, each run of two or more elementwise array statements of `fdef`
    into one loop (a nest of two for matrices); True when something changed."""
    reads, writes = name_counts(fdef)
    taken = set(writes) | set(reads)
    changed = False
    for block in list(blocks(fdef.body)):
        i = 0
        while i < len(block):
            run, like = _run(block, i, kind_of, writes)
            if len(run) < 2:
                i += 1
                continue
            indices = []
            for base in ("e", "f")[:kind_of(like).ndim]:
                indices.append(_fresh(base, taken))
                taken.add(indices[-1])
            new = _loop(run, like, indices, kind_of, reads)
            block[i:i + len(run)] = new
            i += len(new)
            changed = True
    return changed


def _fresh(base, taken):
    while base in taken:
        base += "_"
    return base


def _run(block, start, kind_of, writes):
    """The longest run of elementwise statements from block[start] (vectors of one length,
    then perhaps matrices with that many rows), and an array of the run's largest shape
    that exists before the run."""
    run, shape, rows = [], None, set()  # rows: the vector results, one number per row
    for stmt in block[start:]:
        stmt_shape = _elementwise(stmt, kind_of, writes, rows)
        if stmt_shape is None or shape is not None and stmt_shape != shape and not (
                len(shape) == 1 and stmt_shape[:1] == shape):
            break
        shape = stmt_shape
        run.append(stmt)
        if len(shape) == 1:
            rows.add(stmt.targets[0].id)
    if not run:
        return [], None
    like = _like(run, shape, kind_of)
    if like is None and len(shape) == 2:  # the vector statements alone
        run = [s for s in run if s.targets[0].id in rows]
        like = _like(run, shape[:1], kind_of)
    return (run, like) if like is not None else ([], None)


def _like(run, shape, kind_of):
    """An array of `shape` that the run reads and does not write."""
    # Each result is assigned once in the function, so no statement of the run reads a
    # result of itself or of a later statement (not even from a loop's trip before).
    targets = {s.targets[0].id for s in run}
    return next((n.id for s in run for n in walk(s.value) if isinstance(n, gast.Name)
                 and kind_of(n.id).shape == shape and n.id not in targets), None)


def _elementwise(stmt, kind_of, writes, rows):
    """The shape of `t = e` when `t` is a float vector or matrix assigned once and `e`
    computes it element by element (see `_fits`); else None."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], gast.Name)):
        return None
    target = kind_of(stmt.targets[0].id)
    if writes.get(stmt.targets[0].id) != 1 or target.ndim not in (1, 2) \
            or target.dtype != "f" or not target.shape \
            or any(d in (None, 1) for d in target.shape):
        return None
    shape = tuple(target.shape)
    # A vector result of the run is one number per row: a matrix reads it only by
    # expand_to along axis 1 (not broadcast along its rows).
    banned = rows if len(shape) == 2 else ()
    return shape if _fits(stmt.value, shape, kind_of, banned) else None


def _fits(node, shape, kind_of, banned=()):
    """Whether `node` is arithmetic and ufuncs of numbers and arrays that give an array of
    `shape` element by element: arrays of that shape and, for a matrix, vectors along its
    rows (NumPy's broadcasting) and `expand_to(v, like, axis)`. No name of `banned` is
    read."""
    if isinstance(node, gast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, gast.Name):
        kind = kind_of(node.id)
        if kind.ndim == 0:
            return kind.dtype in "fib"
        if node.id in banned:
            return False
        return kind.shape == shape or len(shape) == 2 and kind.shape == shape[1:]
    if isinstance(node, gast.BinOp):
        return isinstance(node.op, _OPS) and all(
            _fits(n, shape, kind_of, banned) for n in (node.left, node.right))
    if isinstance(node, gast.UnaryOp):
        return isinstance(node.op, _OPS) and _fits(node.operand, shape, kind_of, banned)
    if isinstance(node, gast.Attribute):  # np.pi: not `v.size` or `v.T`
        return isinstance(node.value, gast.Name) and node.value.id == "np" \
            and node.attr in ("pi", "e")
    if isinstance(node, gast.Call) and not node.keywords:
        axis = _expand_axis(node, shape, kind_of)
        if axis == 1:  # a number per row: a vector result of the run may be read
            return _fits(node.args[0], shape[:1], kind_of)
        if axis == 0:
            return _fits(node.args[0], shape[1:], kind_of, banned)
        f = node.func
        return isinstance(f, gast.Attribute) and f.attr in UFUNCS and \
            isinstance(f.value, gast.Name) and f.value.id == "np" and all(
                _fits(a, shape, kind_of, banned) for a in node.args)
    return False


def _expand_axis(node, shape, kind_of):
    """The axis of `expand_to(v, like, axis)` that repeats a vector along a matrix of
    `shape` (0 or 1), else None."""
    if not (isinstance(node.func, gast.Name) and node.func.id == "expand_to"
            and len(shape) == 2 and len(node.args) == 3):
        return None
    _, like, axis = node.args
    if isinstance(like, gast.Name) and kind_of(like.id).shape == shape \
            and isinstance(axis, gast.Constant) and axis.value in (0, 1):
        return axis.value
    return None


def _loop(run, like, indices, kind_of, reads):
    """`t = np.empty(shape)` for each result read after the run, then the loop: the
    vector statements in its body, the matrix statements in a loop inside that."""
    inside = {}
    for stmt in run:
        for node in walk(stmt.value):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load):
                inside[node.id] = inside.get(node.id, 0) + 1
    targets = [s.targets[0].id for s in run]
    kept = {t for t in targets if reads.get(t, 0) > inside.get(t, 0)}
    sizes = [_subscript(gast.Attribute(value=name(like), attr="shape", ctx=gast.Load()),
                        constant(axis)) for axis in range(len(indices))]
    element = _Element(indices, kind_of, set(targets) - kept)
    outer, inner = [], []
    for stmt in run:
        ndim = kind_of(stmt.targets[0].id).ndim
        value = element.visit(stmt.value, indices[:ndim])
        target = name(stmt.targets[0].id, gast.Store())
        if target.id in kept:
            target = _subscript(name(target.id), _index(indices[:ndim]), gast.Store())
        (outer if ndim == 1 else inner).append(
            gast.Assign(targets=[target], value=value, type_comment=None))
    if inner:
        outer.append(_for(indices[1], sizes[1], inner))
    empty = [assign(t, _call("np.empty", copy.deepcopy(sizes[0]) if kind_of(t).ndim == 1
                             else gast.Tuple(elts=copy.deepcopy(sizes), ctx=gast.Load())))
             for t in targets if t in kept]
    loop = _for(indices[0], sizes[0], outer)
    for node in empty + [loop]:  # locations for ast.unparse
        gast.fix_missing_locations(gast.copy_location(node, run[0]))
    return empty + [loop]


def _for(index, size, body):
    return gast.For(target=name(index, gast.Store()), iter=_call("range", copy.deepcopy(size)),
                    body=body, orelse=[], type_comment=None)


def _call(function, arg):
    module, _, attr = function.rpartition(".")
    func = gast.Attribute(value=name(module), attr=attr, ctx=gast.Load()) if module \
        else name(attr)
    return gast.Call(func=func, args=[arg], keywords=[])


class _Element(gast.NodeTransformer):
    """An array read in the loop becomes its element (`a[e]`, `a[e, f]`, a vector along a
    matrix's rows `a[f]`); `expand_to(v, like, axis)` becomes v's element; a result the
    loop keeps as a number stays a name."""

    def __init__(self, indices, kind_of, scalars):
        self.indices, self.kind_of, self.scalars = indices, kind_of, scalars

    def visit(self, node, at=None):
        if at is not None:
            saved, self.at = getattr(self, "at", None), at
            try:
                return super().visit(node)
            finally:
                self.at = saved
        return super().visit(node)

    def visit_Name(self, node):
        ndim = self.kind_of(node.id).ndim
        if node.id in self.scalars or node.id == "np" or ndim not in (1, 2):
            return node
        return _subscript(node, _index(self.at[-ndim:]))

    def visit_Call(self, node):
        if isinstance(node.func, gast.Name) and node.func.id == "expand_to":
            vector, _, axis = node.args
            return self.visit(vector, [self.at[1 - axis.value]])
        node.args = [self.visit(a) for a in node.args]
        return node


def _index(indices):
    if len(indices) == 1:
        return name(indices[0])
    return gast.Tuple(elts=[name(i) for i in indices], ctx=gast.Load())


def _subscript(value, index, ctx=None):
    return gast.Subscript(value=value, slice=index, ctx=ctx or gast.Load())

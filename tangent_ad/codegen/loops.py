"""loops: consecutive elementwise statements over arrays of one shape, as one loop.

numba turns each elementwise statement into a loop of its own, with an array for its
result. A run of such statements whose operands are scalars or vectors of one length (by
the kinds) computes the same numbers element by element in one loop: a temporary that the
function reads after the run is still an array, written one element per trip; the others
become scalars. An update `t += v` of a vector is part of a run too, and an assignment
between the run's statements that calls nothing moves before or after the loop when the
order does not matter. Matrices with that many rows may follow in the run, in a loop inside the
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

A step of an RNN's backward loop, where `h` comes back from its tape:

>>> fdef = gast.parse('''
... def r_grad(h_bar, h, b_bar, h_tape, t):
...     v_bar = h_bar * (1.0 - h * h)
...     h = h_tape[t]
...     b_bar += v_bar
...     return v_bar
... ''').body[0]
>>> kinds = {"h_bar": vector, "h": vector, "b_bar": vector, "v_bar": vector}
>>> fuse_loops(fdef, lambda n: kinds.get(n, Kind(None, None)))
True
>>> print(ast.unparse(gast.gast_to_ast(fdef)))
def r_grad(h_bar, h, b_bar, h_tape, t):
    v_bar = np.empty(h.shape[0])
    for e in range(h.shape[0]):
        v_bar[e] = h_bar[e] * (1.0 - h[e] * h[e])
        b_bar[e] += v_bar[e]
    h = h_tape[t]
    return v_bar

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
from collections import Counter

import gast
import numpy as np

from ..frontend.resolve import dotted
from ..transform.reads import blocks, name_counts, walk, written_names
from .names import Names
from .templates import assign, call, name, shape_at

_UFUNCS = {f"np.{n}" for n in dir(np) if isinstance(getattr(np, n), np.ufunc)}
_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.USub, gast.UAdd)


def is_ufunc(func):
    """Whether `func` is `np.f` for a NumPy ufunc `f` (elementwise: `np.exp`, `np.add`)."""
    return dotted(func) in _UFUNCS


def fuse_loops(fdef, kind_of):
    """Rewrite, in place, each run of two or more elementwise array statements of `fdef`
    into one loop (a nest of two for matrices); True when something changed."""
    reads, writes = name_counts(fdef)
    names = Names(set(writes) | set(reads))
    changed = False
    for block in list(blocks(fdef.body)):
        i = 0
        while i < len(block):
            run, moved, span, like = _run(block, i, kind_of, writes)
            if len(run) < 2:
                i += 1
                continue
            indices = [names.fresh(base) for base in ("e", "f")[:kind_of(like).ndim]]
            before, after = moved
            new = before + _loop(run, like, indices, kind_of, reads) + after
            block[i:i + span] = new
            i += len(new)
            changed = True
    return changed


def _run(block, start, kind_of, writes, ndim=2):
    """The longest run of elementwise statements from block[start] (vectors of one length,
    then perhaps matrices with that many rows), as (its statements, the statements between
    them that move before its loop and after it, how many statements it spans, an array
    of the run's largest shape that exists before the run).

    A statement between that calls nothing moves before the loop when the order does not
    matter with the run's statements before it (`h_tape[t] = h` in a forward loop), else
    after the loop when it does not with those after it (`h = h_tape[t]` backward)."""
    run, before, after, moved, span, shape = [], [], [], ([], []), 0, None
    rows = set()  # the vectors the run writes: one number per row of a matrix
    read = set()  # the names the run reads
    for k, stmt in enumerate(block[start:]):
        stmt_shape = _elementwise(stmt, kind_of, writes, read, rows)
        fits = stmt_shape is not None and len(stmt_shape) <= ndim and (
            shape is None or stmt_shape == shape or len(shape) == 1 and stmt_shape[:1] == shape)
        if fits and all(_commute(p, stmt) for p in after):
            run.append(stmt)
            moved, span, shape = (list(before), list(after)), k + 1, stmt_shape
            read |= _effects(stmt)[0]
            if len(shape) == 1:
                rows.add(_target(stmt))
        elif run and not fits and _movable(stmt):
            early = all(_commute(s, stmt) for s in run + after)
            (before if early else after).append(stmt)
        else:
            break
    if not run:
        return [], ([], []), 0, None
    like = _like(run, shape, kind_of)
    if like is None and len(shape) == 2:  # the vector statements alone
        return _run(block, start, kind_of, writes, ndim=1)
    return (run, moved, span, like) if like is not None else ([], ([], []), 0, None)


def _target(stmt):
    return (stmt.target if isinstance(stmt, gast.AugAssign) else stmt.targets[0]).id


def _movable(stmt):
    """An assignment that calls nothing (a call may change what it is passed)."""
    return isinstance(stmt, (gast.Assign, gast.AugAssign)) and \
        not any(isinstance(n, gast.Call) for n in walk(stmt))


def _commute(first, then):
    """Whether `then` may run before `first`: neither writes what the other reads or
    writes (an array written into counts as written)."""
    reads_first, writes_first = _effects(first)
    reads_then, writes_then = _effects(then)
    return not writes_first & (reads_then | writes_then) and not reads_first & writes_then


def _effects(stmt):
    """(names read, names written) by an assignment; every name in a target counts as
    written (`a[i] = e` writes into `a`)."""
    written = written_names(stmt)
    read = {n.id for n in walk(stmt) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)}
    return read | (written if isinstance(stmt, gast.AugAssign) else set()), written


def _like(run, shape, kind_of):
    """An array of `shape` that the run reads and does not write."""
    # No statement of the run reads a result of itself or of a later statement (not even
    # from a loop's trip before): a result is assigned once, or not read before (see
    # `_elementwise`).
    targets = {_target(s) for s in run}
    return next((n.id for s in run for n in walk(s.value) if isinstance(n, gast.Name)
                 and kind_of(n.id).shape == shape and n.id not in targets), None)


def _elementwise(stmt, kind_of, writes, read, rows):
    """The shape of `t = e` when `t` is a float vector or matrix and `e` computes it
    element by element (see `_fits`), or of `t += e` with `t` a vector; else None. A `t`
    assigned elsewhere too must not be read by the run (`read`) or `e`: its old value
    would be gone, as `t` becomes a new array before the loop."""
    update = isinstance(stmt, gast.AugAssign) and isinstance(stmt.op, _OPS)
    if not (update or isinstance(stmt, gast.Assign) and len(stmt.targets) == 1) or \
            not isinstance(stmt.target if update else stmt.targets[0], gast.Name):
        return None
    name_, target = _target(stmt), kind_of(_target(stmt))
    if not update and writes.get(name_) != 1 and name_ in read | _effects(stmt)[0]:
        return None
    if target.ndim not in (1, 2) or update and target.ndim != 1 \
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
        return is_ufunc(node.func) and all(_fits(a, shape, kind_of, banned)
                                           for a in node.args)
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
    inside = Counter(n.id for stmt in run for n in walk(stmt.value)
                     if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))
    targets = [s.targets[0].id for s in run if isinstance(s, gast.Assign)]
    kept = {t for t in targets if reads.get(t, 0) > inside.get(t, 0)}
    sizes = [shape_at(like, axis) for axis in range(len(indices))]
    outer, inner = [], []
    for stmt in run:
        at = indices[:kind_of(_target(stmt)).ndim]
        value = _Element(at, kind_of, set(targets) - kept).visit(stmt.value)
        if isinstance(stmt, gast.AugAssign):  # `t += v` → `t[e] += v[e]`
            new = gast.AugAssign(target=_subscript(name(stmt.target.id), _index(at),
                                                   gast.Store()), op=stmt.op, value=value)
        else:
            target = name(stmt.targets[0].id, gast.Store())
            if target.id in kept:
                target = _subscript(name(target.id), _index(at), gast.Store())
            new = gast.Assign(targets=[target], value=value, type_comment=None)
        (outer if len(at) == 1 else inner).append(new)
    if inner:
        outer.append(_for(indices[1], sizes[1], inner))
    empty = [assign(t, call("np.empty", copy.deepcopy(sizes[0]) if kind_of(t).ndim == 1
                            else gast.Tuple(elts=copy.deepcopy(sizes), ctx=gast.Load())))
             for t in targets if t in kept]
    loop = _for(indices[0], sizes[0], outer)
    for node in empty + [loop]:  # locations for ast.unparse
        gast.fix_missing_locations(gast.copy_location(node, run[0]))
    return empty + [loop]


def _for(index, size, body):
    return gast.For(target=name(index, gast.Store()), iter=call("range", copy.deepcopy(size)),
                    body=body, orelse=[], type_comment=None)


class _Element(gast.NodeTransformer):
    """An array read in the loop becomes its element (`a[e]`, `a[e, f]`, a vector along a
    matrix's rows `a[f]`); `expand_to(v, like, axis)` becomes v's element; a result the
    loop keeps as a number stays a name."""

    def __init__(self, at, kind_of, scalars):
        self.at, self.kind_of, self.scalars = at, kind_of, scalars

    def visit_Name(self, node):
        ndim = self.kind_of(node.id).ndim
        if node.id in self.scalars or node.id == "np" or ndim not in (1, 2):
            return node
        return _subscript(node, _index(self.at[-ndim:]))

    def visit_Call(self, node):
        if isinstance(node.func, gast.Name) and node.func.id == "expand_to":
            vector, _, axis = node.args
            return _Element([self.at[1 - axis.value]], self.kind_of, self.scalars).visit(vector)
        node.args = [self.visit(a) for a in node.args]
        return node


def _index(indices):
    if len(indices) == 1:
        return name(indices[0])
    return gast.Tuple(elts=[name(i) for i in indices], ctx=gast.Load())


def _subscript(value, index, ctx=None):
    return gast.Subscript(value=value, slice=index, ctx=ctx or gast.Load())

"""outers: the adjoint of a matrix-vector product, `A_bar += np.outer(u, v)`, without the
matrix that `np.outer` allocates, and in a backward loop as one matrix product after it.

A loop's sum of outer products, one per trip, is one matrix product of the vectors stacked
as rows: sum over t of outer(u_t, v_t) = U.T @ V. When `v` is restored from an array tape
(the rows V already), the loop keeps `u` in a tape of its own and the product follows::

    for t in range(k - 1, -1, -1):            v2_bar_tape = np.empty((k, W_bar.shape[0]))
        v2_bar = h_bar * (1.0 - h * h)        for t in range(k - 1, -1, -1):
        h = h_tape[t]                             v2_bar = h_bar * (1.0 - h * h)
        add_outer(W_bar, v2_bar, h)               h = h_tape[t]
        h_bar = W.T @ v2_bar                      v2_bar_tape[t] = v2_bar
                                                  h_bar = W.T @ v2_bar
                                              W_bar += v2_bar_tape.T @ h_tape

>>> import ast, gast
>>> from tangent_ad.codegen.names import Names
>>> from tangent_ad.kinds import Kind
>>> body = gast.parse('''
... h_tape = np.empty((k, h.shape[0]))
... for t in range(k - 1, -1, -1):
...     v2_bar = h_bar * (1.0 - h * h)
...     h = h_tape[t]
...     W_bar += np.outer(v2_bar, h)
...     h_bar = W.T @ v2_bar
... ''').body
>>> outer_updates_in_place(body, lambda n: Kind(2, None))
>>> batch_outer_updates(body, Names(set()))
>>> print(ast.unparse(gast.gast_to_ast(gast.Module(body=body, type_ignores=[]))))
h_tape = np.empty((k, h.shape[0]))
v2_bar_tape = np.empty((k, W_bar.shape[0]))
for t in range(k - 1, -1, -1):
    v2_bar = h_bar * (1.0 - h * h)
    h = h_tape[t]
    v2_bar_tape[t] = v2_bar
    h_bar = W.T @ v2_bar
W_bar += v2_bar_tape.T @ h_tape
"""
import ast
import copy
import re

import gast

from ..codegen.templates import attribute, call, name, shape_at
from ..frontend.resolve import dotted
from .reads import blocks, walk


def outer_updates_in_place(body, kind_of):
    """`A_bar += np.outer(u, v)` → `add_outer(A_bar, u, v)`: the same update without
    allocating the matrix `np.outer` returns (a loop pays for it on every step).

    Runs last: `A_bar` already owns its array, as `+=` on an array requires."""
    for block in blocks(body):
        for k, stmt in enumerate(block):
            value = getattr(stmt, "value", None)
            if isinstance(stmt, gast.AugAssign) and isinstance(stmt.op, gast.Add) and \
                    isinstance(stmt.target, gast.Name) and _is_outer(value) and \
                    kind_of(stmt.target.id).ndim == 2:
                update = call("add_outer", name(stmt.target.id), *value.args)
                block[k] = gast.copy_location(gast.Expr(value=update), stmt)
                block[k].origin = getattr(stmt, "origin", None)


def _is_outer(value):
    return isinstance(value, gast.Call) and not value.keywords and len(value.args) == 2 \
        and dotted(value.func) == "np.outer"


def batch_outer_updates(body, names):
    """Each `add_outer(A, u, v)` of a backward loop over a whole array tape of `v`, as one
    matrix product after the loop (see the module's docstring)."""
    tapes = _array_tapes(body)
    for loop in list(body):  # array tapes serve loops at the top level
        count = _reversed_count(loop)
        if count is None or any(isinstance(n, (gast.Break, gast.Continue, gast.Return))
                                for n in walk(loop)):
            continue
        for k, stmt in enumerate(loop.body):
            update = _outer_update(stmt)
            if update is None:
                continue
            acc, u, v = update
            tape = _restored_from(loop, k, v, tapes, count)
            if tape is None or _mentions(loop, acc) != 1 or _changes(loop, tape):
                continue
            rows = names.fresh(f"{u}_tape")
            index = name(loop.target.id)
            loop.body[k] = _at(stmt, gast.Assign(targets=[gast.Subscript(
                value=name(rows), slice=index, ctx=gast.Store())], value=name(u),
                type_comment=None))
            empty = call("np.empty", gast.Tuple(elts=[copy.deepcopy(count), shape_at(acc, 0)],
                                                ctx=gast.Load()))
            product = gast.BinOp(left=attribute(name(rows), "T"), op=gast.MatMult(),
                                 right=name(tape))
            at = body.index(loop)
            body[at + 1:at + 1] = [_at(stmt, gast.AugAssign(
                target=name(acc, gast.Store()), op=gast.Add(), value=product))]
            body[at:at] = [_at(stmt, gast.Assign(targets=[name(rows, gast.Store())],
                                                 value=empty, type_comment=None))]


def _array_tapes(body):
    """{tape: the count of its rows} for each `tape = np.empty((count, ...))`."""
    tapes = {}
    for stmt in body:
        value = getattr(stmt, "value", None)
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) and \
                re.fullmatch(r"np\.empty\(\(.+\)\)", _text(value)) and \
                isinstance(value.args[0], gast.Tuple) and len(value.args[0].elts) == 2:
            tapes[stmt.targets[0].id] = _text(value.args[0].elts[0])
    return tapes


def _reversed_count(loop):
    """`count` for `for t in range(count - 1, -1, -1)`, else None."""
    if not (isinstance(loop, gast.For) and isinstance(loop.target, gast.Name)):
        return None
    text = _text(loop.iter)
    if not re.fullmatch(r"range\(.+ - 1, -1, -1\)", text):
        return None
    start = loop.iter.args[0]
    return start.left if isinstance(start, gast.BinOp) else None


def _outer_update(stmt):
    """(A, u, v) for `add_outer(A, u, v)` of three names, else None."""
    call = getattr(stmt, "value", None) if isinstance(stmt, gast.Expr) else None
    if isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and \
            call.func.id == "add_outer" and len(call.args) == 3 and \
            all(isinstance(a, gast.Name) for a in call.args):
        return tuple(a.id for a in call.args)
    return None


def _restored_from(loop, k, v, tapes, count):
    """The array tape of `count` rows that `v = tape[t]` restores in the loop's body
    before statement k, when nothing else in the loop assigns `v` or writes into it."""
    restores = [s for s in loop.body[:k] if isinstance(s, gast.Assign)
                and _text(s.targets[0]) == v and isinstance(s.value, gast.Subscript)
                and isinstance(s.value.value, gast.Name)
                and _text(s.value.slice) == loop.target.id]
    if len(restores) != 1 or _changes(loop, v) != 1:
        return None
    tape = restores[0].value.value.id
    return tape if tapes.get(tape) == _text(count) else None


def _changes(loop, var):
    """How many statements in `loop` assign `var`, write into it or pass it to a call
    that updates its first argument (add_outer)."""
    changed = 0
    for node in walk(loop):
        targets = node.targets if isinstance(node, gast.Assign) else \
            [node.target] if isinstance(node, (gast.AugAssign, gast.For)) else \
            node.value.args[:1] if _outer_update(node) else []
        changed += any(isinstance(n, gast.Name) and n.id == var
                       for t in targets for n in walk(t))
    return changed


def _mentions(loop, var):
    return sum(isinstance(n, gast.Name) and n.id == var for n in walk(loop))


def _text(node):
    return ast.unparse(gast.gast_to_ast(node)) if node is not None else ""


def _at(origin, stmt):
    """`stmt`, placed at `origin` and quoting the same line of the user's code."""
    stmt.origin = getattr(origin, "origin", None)
    return gast.fix_missing_locations(gast.copy_location(stmt, origin))

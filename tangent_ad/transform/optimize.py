"""optimize: make generated code read like code a person wrote, without changing it.

Passes, repeated until nothing changes: fold constants (`1.0 * 3` → `3.0`, `x ** 1` → `x`,
`2 * (3.0 * x)` → `6.0 * x`), propagate constants and copies, give a temporary's value
to the name it is copied into, merge a first write with the accumulation that follows
it, drop array fills that broadcasting makes unnecessary, and remove dead code::

    v5_bar = 1.0                       x_bar = 2.0 + 6.0 * x
    v1_bar = v5_bar * 3
    x_bar = v5_bar * 2
    x_bar += v1_bar * 2 * x ** (2 - 1)

Every pass works through `if`/`for`/`while` blocks; counts of reads and writes are
taken over the whole function, so a rewrite is only made when it holds on every path.
"""
import gast

from ..codegen.templates import constant, substitute
from ..kinds import same_shape
from .folding import Fold, is_num


def _statements(stmts):
    """Every statement, nested ones included, with the block that holds it."""
    for stmt in stmts:
        yield stmt, stmts
        for field in ("body", "orelse"):
            yield from _statements(getattr(stmt, field, None) or [])


def _blocks(stmts):
    yield stmts
    for stmt in stmts:
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if inner:
                yield from _blocks(inner)


def _written(stmt):
    """Names a statement assigns or updates (not counting writes into elements)."""
    if isinstance(stmt, gast.Assign):
        return {t.id for t in stmt.targets if isinstance(t, gast.Name)}
    if isinstance(stmt, gast.AugAssign) and isinstance(stmt.target, gast.Name):
        return {stmt.target.id}
    if isinstance(stmt, gast.For):
        return {stmt.target.id}
    return set()


def _counts(stmts):
    """({name: reads}, {name: writes}); the array in `x[i] += e` is written, not read."""
    reads, writes, skip = {}, {}, set()
    for stmt, _ in _statements(stmts):
        if isinstance(stmt, (gast.AugAssign, gast.Assign)):
            targets = [stmt.target] if isinstance(stmt, gast.AugAssign) else stmt.targets
            for t in targets:
                if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
                    skip.add(id(t.value))
                    writes[t.value.id] = writes.get(t.value.id, 0) + 1
        for n in _written(stmt):
            writes[n] = writes.get(n, 0) + 1
        for field, value in gast.iter_fields(stmt):
            if field in ("body", "orelse"):
                continue
            for node in _walk_value(value):
                if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) \
                        and id(node) not in skip:
                    reads[node.id] = reads.get(node.id, 0) + 1
    return reads, writes


def _walk_value(value):
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, gast.AST):
            yield from gast.walk(v)


def _reads(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)}


def _is_plain(stmt):
    return isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name)


def _replace_everywhere(body, old, new):
    """Substitute `new` for reads of `old` in every statement (nested blocks included)."""
    for stmt, block in list(_statements(body)):
        for field, value in list(gast.iter_fields(stmt)):
            if field in ("body", "orelse") or value is None:
                continue
            if isinstance(value, list):  # targets: only the indices of `y[i] = ...`
                setattr(stmt, field, [substitute(v, {old: new})
                                      if isinstance(v, gast.AST) and not (
                                          field == "targets" and isinstance(v, gast.Name))
                                      else v for v in value])
            elif isinstance(value, gast.AST) and not (
                    field == "target" and isinstance(value, gast.Name)):
                setattr(stmt, field, substitute(value, {old: new}))


def propagate(body, params, names):
    """A constant or a copy assigned once is substituted into its readers; a temporary
    read only by a copy gives its value to the copy's name."""
    reads, writes = _counts(body)
    returned = {n for s in body if isinstance(s, gast.Return) for n in _reads(s)}
    for stmt, block in _statements(body):
        if not _is_plain(stmt):
            continue
        target, value = stmt.targets[0].id, stmt.value
        single = writes.get(target) == 1 and target not in params
        if single and is_num(value) and target not in returned:
            block.remove(stmt)
            _replace_everywhere(body, target, value)
            return True
        if single and isinstance(value, gast.Name) and names.is_temporary(target) \
                and writes.get(value.id, 0) <= 1:
            block.remove(stmt)
            _replace_everywhere(body, target, value)
            return True
        if isinstance(value, gast.Name) and names.is_temporary(value.id) \
                and writes.get(value.id) == 1 and reads.get(value.id) == 1 \
                and _take_definition(block, stmt, value.id, single):
            return True
    return False


def _take_definition(block, copy, old, single):
    """`old = e; ...; new = old` → `new = e` (at `old`'s place if `new` is written only
    there, else at the copy's place when nothing between changes what `e` reads)."""
    position = next(i for i, s in enumerate(block) if s is copy)
    for i in range(position - 1, -1, -1):
        stmt = block[i]
        if _is_plain(stmt) and stmt.targets[0].id == old:
            if single:
                stmt.targets[0].id = copy.targets[0].id
                block.remove(copy)
                return True
            between = block[i + 1:position]
            if any(_written(s) & _reads(stmt.value) for s in between):
                return False
            copy.value = stmt.value
            block.remove(stmt)
            return True
        if old in _written(stmt):
            return False
    return False


def merge_accumulations(body):
    """`a = e1; ...; a += e2` → `a = e1 + e2` when nothing between reads `a` or changes e1."""
    for block in _blocks(body):
        for i, stmt in enumerate(block):
            if not _is_plain(stmt):
                continue
            target = stmt.targets[0].id
            reads = _reads(stmt.value)
            for j in range(i + 1, len(block)):
                later = block[j]
                if (isinstance(later, gast.AugAssign) and isinstance(later.target, gast.Name)
                        and later.target.id == target
                        and isinstance(later.op, (gast.Add, gast.Sub))):
                    stmt.value = gast.BinOp(left=stmt.value, op=later.op, right=later.value)
                    stmt.origin = getattr(later, "origin", None) or getattr(stmt, "origin",
                                                                            None)
                    block[i:j + 1] = block[i + 1:j] + [stmt]
                    return True
                if isinstance(later, (gast.If, gast.For, gast.While)) or \
                        target in _reads(later) or _written(later) & (reads | {target}):
                    break
    return False


def _product_leaves(node):
    if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
        return _product_leaves(node.left) + _product_leaves(node.right)
    return [node]


def _is_fill(stmt):
    value = stmt.value if _is_plain(stmt) else None
    return (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and value.func.attr == "full_like" and len(value.args) == 2
            and isinstance(value.args[0], gast.Name))


def drop_broadcast_fills(body, kind_of):
    """`s = np.full_like(v, c)` used only as a factor beside an array shaped like `v`
    becomes `c` there: `np.full_like(v, 1.0) * 2 * x` → `1.0 * 2 * x` → `2.0 * x`."""
    reads, writes = _counts(body)
    for stmt, block in _statements(body):
        if not _is_fill(stmt) or writes.get(stmt.targets[0].id) != 1:
            continue
        target = stmt.targets[0].id
        like, fill = stmt.value.args
        if any(kind_of(n).ndim != 0 for n in _reads(fill) - {like.id}):
            continue
        shape = kind_of(like.id)
        factors = 0
        for other, _ in _statements(body):
            for node in gast.walk(other):
                if not isinstance(node, gast.BinOp) or not isinstance(node.op, gast.Mult):
                    continue
                leaves = _product_leaves(node)
                mine = [l for l in leaves if isinstance(l, gast.Name) and l.id == target]
                if mine and any(isinstance(l, gast.Name) and l.id != target and
                                same_shape(kind_of(l.id), shape) for l in leaves):
                    factors += len(mine)
        if factors and factors == reads.get(target):
            block.remove(stmt)
            _replace_everywhere(body, target, fill)
            return True
    return False


def remove_dead(body):
    """Drop assignments nobody reads, and loops and branches left empty."""
    reads, _ = _counts(body)
    changed = False
    for block in list(_blocks(body)):
        keep = []
        for stmt in block:
            written = _written(stmt) if not isinstance(stmt, gast.For) else set()
            dead = written and not any(reads.get(n) for n in written)
            if isinstance(stmt, gast.If) and _empty(stmt.body) and _empty(stmt.orelse):
                dead = True
            if isinstance(stmt, gast.For) and _empty(stmt.body):
                dead = True
            if dead:
                changed = True
            else:
                keep.append(stmt)
        block[:] = keep
        for stmt in keep:
            for field in ("body", "orelse"):
                if getattr(stmt, field, None) == [] and field == "body":
                    stmt.body = [gast.Pass()]
    return changed


def _empty(stmts):
    return all(isinstance(s, gast.Pass) for s in stmts)


def optimize(fdef, names, kind_of=None):
    """Optimize a generated FunctionDef in place (to a fixed point) and return it.

    `kind_of(name)` gives the kind of a variable (derivatives share their primal's kind);
    with it, kind-aware simplifications run too.
    """
    params = {a.id for a in fdef.args.args}
    body = fdef.body
    steps = [lambda: propagate(body, params, names), lambda: merge_accumulations(body)]
    if kind_of is not None:
        steps.append(lambda: drop_broadcast_fills(body, kind_of))
    steps.append(lambda: remove_dead(body))
    changed = True
    while changed:
        for stmt, _ in _statements(body):
            Fold(kind_of).visit(stmt)
        changed = any(step() for step in steps)
    return fdef

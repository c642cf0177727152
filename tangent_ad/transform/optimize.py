"""optimize: make generated code read like code a person wrote, without changing it.

Passes, repeated until nothing changes: fold constants (`1.0 * 3` → `3.0`, `x ** 1` → `x`,
`2 * (3.0 * x)` → `6.0 * x`), propagate constants and copies, merge a first write with
the accumulation that follows it, and remove dead code. Before and after::

    v5_bar = 1.0                       x_bar = 2.0 + 6.0 * x
    v1_bar = v5_bar * 3
    x_bar = v5_bar * 2
    x_bar += v1_bar * 2 * x ** (2 - 1)

Propagation works on straight-line bodies; a body with `if`/`for`/`while` is only folded
and cleaned of dead assignments.
"""
import numbers

import gast

from ..codegen.templates import constant, substitute


def _is_num(node):
    return (isinstance(node, gast.Constant) and isinstance(node.value, numbers.Number)
            and not isinstance(node.value, bool))


def _num(node, value):
    return _is_num(node) and node.value == value


_ARITH = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
          gast.Mult: lambda a, b: a * b, gast.Div: lambda a, b: a / b if b else None,
          gast.Pow: lambda a, b: a ** b if abs(b) < 64 else None}


class Fold(gast.NodeTransformer):
    """Arithmetic on literals, and the identities x*1, 1*x, x+0, 0+x, x-0, x/1, x**1, --x."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        op, left, right = type(node.op), node.left, node.right
        if _is_num(left) and _is_num(right) and op in _ARITH:
            value = _ARITH[op](left.value, right.value)
            if value is not None:
                return constant(value)
        if op is gast.Mult:
            if _num(right, 1) and not isinstance(right.value, float) or _num(right, 1.0):
                return left
            if _num(left, 1):
                return right
            return self._constant_factors(node)
        if op is gast.Add and _num(right, 0):
            return left
        if op is gast.Add and _num(left, 0):
            return right
        if op is gast.Sub and _num(right, 0):
            return left
        if op is gast.Div and _num(right, 1):
            return left
        if op is gast.Pow and _num(right, 1):
            return left
        return node

    @staticmethod
    def _constant_factors(node):
        """c1 * (c2 * e), (c1 * e) * c2, (e * c1) * c2 → (c1 * c2) * e."""
        left, right = node.left, node.right
        inner, c = (right, left) if _is_num(left) else (left, right) if _is_num(right) else (
            None, None)
        if inner is None or not (isinstance(inner, gast.BinOp)
                                 and isinstance(inner.op, gast.Mult)):
            return node
        if _is_num(inner.left):
            return gast.BinOp(left=constant(c.value * inner.left.value), op=gast.Mult(),
                              right=inner.right)
        if _is_num(inner.right):
            return gast.BinOp(left=constant(c.value * inner.right.value), op=gast.Mult(),
                              right=inner.left)
        return node

    def visit_Call(self, node):
        """np.argsort of a literal tuple (the inverse of a transpose's axes) → a literal."""
        self.generic_visit(node)
        func, args = node.func, node.args
        if (isinstance(func, gast.Attribute) and func.attr == "argsort"
                and isinstance(func.value, gast.Name) and func.value.id == "np"
                and len(args) == 1 and isinstance(args[0], gast.Tuple)
                and all(_is_num(e) for e in args[0].elts)):
            order = sorted(range(len(args[0].elts)), key=lambda i: args[0].elts[i].value)
            return gast.Tuple(elts=[constant(i) for i in order], ctx=gast.Load())
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub):
            if _is_num(node.operand):
                return constant(-node.operand.value)
            inner = node.operand
            if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
                return inner.operand
        return node


def _loads(stmts):
    """{name: number of reads}; the array in `x[i] += e` is written, not read."""
    counts = {}
    skip = set()
    for stmt in _walk_statements(stmts):
        if isinstance(stmt, gast.AugAssign) and isinstance(stmt.target, gast.Subscript):
            skip.add(id(stmt.target.value))
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) \
                    and id(node) not in skip:
                counts[node.id] = counts.get(node.id, 0) + 1
    return counts


def _walk_statements(stmts):
    for stmt in stmts:
        yield stmt
        for field in ("body", "orelse"):
            yield from _walk_statements(getattr(stmt, field, []))


def _written(stmt):
    """Names a statement assigns or updates."""
    if isinstance(stmt, gast.Assign):
        return {t.id for t in stmt.targets if isinstance(t, gast.Name)}
    if isinstance(stmt, gast.AugAssign):
        t = stmt.target
        return {t.value.id if isinstance(t, gast.Subscript) else t.id}
    return set()


def _writes(stmts):
    counts = {}
    for stmt in _walk_statements(stmts):
        for n in _written(stmt):
            counts[n] = counts.get(n, 0) + 1
    return counts


def _is_plain(stmt):
    return isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name)


def _straight(stmts):
    return all(isinstance(s, (gast.Assign, gast.AugAssign, gast.Return, gast.Expr))
               for s in stmts)


def propagate(stmts, params, names):
    """Constants and copies assigned once are substituted into their readers."""
    writes = _writes(stmts)
    loads = _loads(stmts)
    returned = {n.id for s in stmts if isinstance(s, gast.Return) for n in gast.walk(s)
                if isinstance(n, gast.Name)}
    for i, stmt in enumerate(stmts):
        if not _is_plain(stmt):
            continue
        target, value = stmt.targets[0].id, stmt.value
        if writes.get(target) != 1 or target in params:
            continue
        if _is_num(value) and target not in returned or (isinstance(value, gast.Name) and writes.get(value.id, 0) <= 1
                              and names.is_temporary(target)):
            rest = [substitute(s, {target: value}) for s in stmts[i + 1:]]
            for new, old in zip(rest, stmts[i + 1:]):
                new.origin = getattr(old, "origin", None)
            return stmts[:i] + rest, True
        if (isinstance(value, gast.Name) and names.is_temporary(value.id)
                and writes.get(value.id) == 1 and loads.get(value.id) == 1):
            return _rename_definition(stmts, i, value.id, target), True
    return stmts, False


def _rename_definition(stmts, copy_index, old, new):
    """`old = e; ...; new = old` → `new = e; ...` (the temporary takes the user's name)."""
    out = []
    for j, stmt in enumerate(stmts):
        if j == copy_index:
            continue
        if _is_plain(stmt) and stmt.targets[0].id == old:
            stmt.targets[0].id = new
        out.append(stmt)
    return out


def merge_accumulations(stmts):
    """`a = e1; ...; a += e2` → `a = e1 + e2` when nothing between reads `a` or changes e1."""
    for i, stmt in enumerate(stmts):
        if not _is_plain(stmt):
            continue
        target = stmt.targets[0].id
        reads = {n.id for n in gast.walk(stmt.value) if isinstance(n, gast.Name)}
        for j in range(i + 1, len(stmts)):
            later = stmts[j]
            if (isinstance(later, gast.AugAssign) and isinstance(later.target, gast.Name)
                    and later.target.id == target and isinstance(later.op, (gast.Add,
                                                                            gast.Sub))):
                stmt.value = gast.BinOp(left=stmt.value, op=later.op, right=later.value)
                stmt.origin = getattr(later, "origin", None) or getattr(stmt, "origin", None)
                return stmts[:i] + stmts[i + 1:j] + [stmt] + stmts[j + 1:], True
            if target in _loads([later]) or _written(later) & (reads | {target}):
                break
    return stmts, False


def _product_leaves(node):
    if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
        return _product_leaves(node.left) + _product_leaves(node.right)
    return [node]


def _is_scalar_expr(node, kind_of):
    for n in gast.walk(node):
        if isinstance(n, gast.Attribute) and n.attr in ("size", "shape", "ndim"):
            continue
        if isinstance(n, gast.Name) and kind_of(n.id).ndim != 0 and n.id != "np":
            parent_ok = any(isinstance(a, gast.Attribute) and a.value is n
                            and a.attr in ("size", "shape", "ndim") for a in gast.walk(node))
            if not parent_ok:
                return False
    return True


def drop_broadcast_fills(stmts, kind_of):
    """`s = np.full_like(v, c)` used only as a factor beside an array shaped like `v`
    becomes `c` there: `np.full_like(v, 1.0) * 2 * x` → `1.0 * 2 * x` → `2.0 * x`."""
    from ..kinds import same_shape
    for i, stmt in enumerate(stmts):
        if not (_is_plain(stmt) and isinstance(stmt.value, gast.Call)
                and isinstance(stmt.value.func, gast.Attribute)
                and stmt.value.func.attr == "full_like" and len(stmt.value.args) == 2
                and isinstance(stmt.value.args[0], gast.Name)):
            continue
        target = stmt.targets[0].id
        like, fill = stmt.value.args
        if _writes(stmts).get(target) != 1 or not _is_scalar_expr(fill, kind_of):
            continue
        shape = kind_of(like.id)
        uses, ok = [], True
        for later in stmts[i + 1:]:
            for node in gast.walk(later):
                leaves = _product_leaves(node) if isinstance(node, gast.BinOp) else []
                if any(isinstance(l, gast.Name) and l.id == target for l in leaves):
                    others = [l for l in leaves if not (isinstance(l, gast.Name)
                                                        and l.id == target)]
                    if any(isinstance(l, gast.Name) and same_shape(kind_of(l.id), shape)
                           for l in others):
                        uses.append(node)
        total = sum(1 for later in stmts[i + 1:] for n in gast.walk(later)
                    if isinstance(n, gast.Name) and n.id == target)
        if not uses or total != _count_in_products(uses, target):
            continue
        rest = [substitute(s, {target: fill}) for s in stmts[i + 1:]]
        for new, old in zip(rest, stmts[i + 1:]):
            new.origin = getattr(old, "origin", None)
        return stmts[:i] + rest, True
    return stmts, False


def _count_in_products(nodes, target):
    seen = set()
    for node in nodes:
        for leaf in _product_leaves(node):
            if isinstance(leaf, gast.Name) and leaf.id == target:
                seen.add(id(leaf))
    return len(seen)


def remove_dead(stmts):
    loads = _loads(stmts)
    out = [s for s in stmts if not (_written(s) and not any(loads.get(n) for n in _written(s)))]
    return out, len(out) != len(stmts)


def _fold_all(stmts):
    for stmt in stmts:
        Fold().visit(stmt)


def optimize(fdef, names, kind_of=None):
    """Optimize a generated FunctionDef in place (to a fixed point) and return it.

    `kind_of(name)` gives the kind of a variable (derivatives share their primal's kind);
    with it, kind-aware simplifications run too.
    """
    params = {a.id for a in fdef.args.args}
    stmts = fdef.body
    changed = True
    while changed:
        _fold_all(stmts)
        changed = False
        if _straight(stmts):
            steps = [lambda s: propagate(s, params, names), merge_accumulations]
            if kind_of is not None:
                steps.append(lambda s: drop_broadcast_fills(s, kind_of))
            for step in steps:
                stmts, did = step(stmts)
                changed |= did
        stmts, did = remove_dead(stmts)
        changed |= did
    fdef.body = stmts
    return fdef

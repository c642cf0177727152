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
Each pass walks the function a bounded number of times however many rewrites it makes
(an index says which statements read a name), so large derivatives optimize quickly.
"""
from collections import Counter

import gast

from ..frontend.stacks import stack_of
from ..kinds import same_shape
from .folding import Fold, is_num
from .reads import (Memo, Readers, all_reads, blocks, own_reads, reads_in,
                    replace_everywhere, statements, walk, walk_value)
from .outers import batch_outer_updates, outer_updates_in_place
from .sums import sum_rows_first


def _written(stmt):
    """Names a statement assigns or updates (not counting writes into elements); a push
    or a pop changes its stack."""
    stack = stack_of(stmt)
    if stack is not None:
        return {stack} | {t.id for t in getattr(stmt, "targets", []) if isinstance(t, gast.Name)}
    if isinstance(stmt, gast.Assign):  # `a, b = h_vjp(...)` writes both
        return {e.id for t in stmt.targets for e in (t.elts if isinstance(t, gast.Tuple)
                                                     else [t]) if isinstance(e, gast.Name)}
    if isinstance(stmt, gast.AugAssign) and isinstance(stmt.target, gast.Name):
        return {stmt.target.id}
    if isinstance(stmt, gast.For):
        return {stmt.target.id}
    return set()


def _counts(stmts):
    """({name: reads}, {name: writes}); the array in `x[i] += e` is written, not read."""
    reads, writes, skip = {}, {}, set()
    for stmt, _ in statements(stmts):
        if isinstance(stmt, (gast.AugAssign, gast.Assign)):
            targets = [stmt.target] if isinstance(stmt, gast.AugAssign) else stmt.targets
            for t in targets:
                if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
                    skip.add(id(t.value))
                    writes[t.value.id] = writes.get(t.value.id, 0) + 1
        for n in _written(stmt):
            writes[n] = writes.get(n, 0) + 1
        for field in stmt._fields:
            value = getattr(stmt, field, None)
            if field in ("body", "orelse") or value is None:
                continue
            for node in walk_value(value):
                if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) \
                        and id(node) not in skip:
                    reads[node.id] = reads.get(node.id, 0) + 1
    return reads, writes


def _is_plain(stmt):
    return isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name)


def propagate(body, params, names, counts=None):
    """A constant or a copy assigned once is substituted into its readers; a temporary
    read only by a copy gives its value to the copy's name. One sweep, many rewrites.
    `counts`: `_counts(body)` if already taken (updated here only when it returns True)."""
    reads, writes = counts or _counts(body)
    returned = {n for s in body if isinstance(s, gast.Return) for n in reads_in(s)}
    changed = False
    every = list(statements(body))
    readers = Readers(every)
    removed = set()  # ids of the statements taken out of their blocks so far
    for stmt, block in every:
        if not _is_plain(stmt) or id(stmt) in removed:
            continue
        target, value = stmt.targets[0].id, stmt.value
        single = writes.get(target) == 1 and target not in params
        if single and is_num(value) and target not in returned:
            block.remove(stmt)
            removed.add(id(stmt))
            readers.replace(target, value)
            writes[target] = reads[target] = 0
            changed = True
        elif single and isinstance(value, gast.Name) and names.is_temporary(target) \
                and writes.get(value.id, 0) <= 1:
            block.remove(stmt)
            removed.add(id(stmt))
            readers.replace(target, value)
            reads[value.id] = reads.get(value.id, 0) + reads.get(target, 0) - 1
            writes[target] = reads[target] = 0
            changed = True
        elif isinstance(value, gast.Name) and names.is_temporary(value.id) \
                and writes.get(value.id) == 1 and reads.get(value.id) == 1:
            gone = _take_definition(block, stmt, value.id, single)
            if gone is not None:
                removed.add(id(gone))
                readers.add(stmt, own_reads(stmt))  # it may now hold the definition's value
                writes[value.id] = reads[value.id] = 0
                changed = True
    return changed


def _take_definition(block, copy, old, single):
    """`old = e; ...; new = old` → `new = e` (at `old`'s place if `new` is written only
    there, else at the copy's place when nothing between changes what `e` reads).
    Returns the statement removed from the block, or None when nothing changed."""
    position = next(i for i, s in enumerate(block) if s is copy)
    for i in range(position - 1, -1, -1):
        stmt = block[i]
        if _is_plain(stmt) and stmt.targets[0].id == old:
            if single:
                stmt.targets[0].id = copy.targets[0].id
                block.remove(copy)
                return copy
            between = block[i + 1:position]
            if any(_written(s) & reads_in(stmt.value) for s in between):
                return None
            copy.value = stmt.value
            block.remove(stmt)
            return stmt
        if old in _written(stmt):
            return None
    return None


def drop_copy_backs(body):
    """`a = b; ...; b = a` with neither written between: the second copy changes nothing."""
    for block in blocks(body):
        for i, stmt in enumerate(block):
            if not (_is_plain(stmt) and isinstance(stmt.value, gast.Name)):
                continue
            a, b = stmt.targets[0].id, stmt.value.id
            for later in block[i + 1:]:
                if _is_plain(later) and later.targets[0].id == b and \
                        isinstance(later.value, gast.Name) and later.value.id == a:
                    block.remove(later)
                    return True
                if isinstance(later, (gast.If, gast.For, gast.While)) or \
                        _written(later) & {a, b}:
                    break
    return False


def propagate_in_block(body, names, counts=None):
    """`a = b` (a temporary) read only later in its block, while `b` keeps its value:
    the reads use `b` and the copy goes."""
    reads, writes = counts or _counts(body)
    read_counts, written = Memo(lambda s: Counter(all_reads(s))), Memo(_all_written)
    for block in blocks(body):
        for i, stmt in enumerate(block):
            if not (_is_plain(stmt) and isinstance(stmt.value, gast.Name)):
                continue
            a, b = stmt.targets[0].id, stmt.value.id
            if not names.is_temporary(a) or writes.get(a) != 1:
                continue
            seen, end = 0, None
            for j in range(i + 1, len(block)):
                later = block[j]
                seen += read_counts(later)[a]
                if seen == reads.get(a, 0):
                    end = j
                    break
                if b in written(later):
                    break
            if end is None or any(b in written(s) for s in block[i + 1:end]):
                continue
            if b in written(block[end]) and not _is_plain(block[end]):
                continue
            del block[i]
            for later in block[i:end]:
                replace_everywhere([later], a, stmt.value)
            return True
    return False


def _all_written(stmt):
    return {n for s, _ in statements([stmt]) for n in _written(s)} | {
        t.value.id for s, _ in statements([stmt]) if isinstance(s, (gast.Assign,))
        for t in s.targets if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name)}


def drop_unread_stacks(body):
    """A tape that is pushed but never popped: its pushes and its creation go."""
    popped = {n.value.id for s in body for n in walk(s)
              if isinstance(n, gast.Attribute) and n.attr == "pop"
              and isinstance(n.value, gast.Name)}
    changed = False
    for block in blocks(body):
        keep = []
        for stmt in block:
            stack = _stack_of(stmt)
            if stack is not None and stack not in popped:
                changed = True
                continue
            keep.append(stmt)
        block[:] = keep
    return changed


def _stack_of(stmt):
    """The list a statement creates (`s = []`) or appends to (`s.append(v)`), if any."""
    if _is_plain(stmt) and isinstance(stmt.value, gast.List) and not stmt.value.elts:
        return stmt.targets[0].id
    if isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call):
        func = stmt.value.func
        if isinstance(func, gast.Attribute) and func.attr == "append" and \
                isinstance(func.value, gast.Name):
            return func.value.id
    return None


MAX_MERGED_TERMS = 32  # a longer sum stays `a += e` lines: Python's parser and every
#                         tree walk recurse once per term, so a sum of thousands fails


def _terms(node):
    """The number of terms in the left-nested sum `e1 + e2 - e3 ...`."""
    count = 1
    while isinstance(node, gast.BinOp) and isinstance(node.op, (gast.Add, gast.Sub)):
        node, count = node.left, count + 1
    return count


def merge_accumulations(body):
    """`a = e1; ...; a += e2` → `a = e1 + e2` when nothing between reads `a` or changes e1
    (up to MAX_MERGED_TERMS terms). One sweep over each block, merging every pair it finds."""
    changed = False
    info = Memo(lambda s: (reads_in(s), _all_written(s)))
    for block in blocks(body):
        i = 0
        while i < len(block):
            stmt = block[i]
            if not _is_plain(stmt):
                i += 1
                continue
            target = stmt.targets[0].id
            reads = info(stmt)[0]
            merged = False
            for j in range(i + 1, len(block)):
                later = block[j]
                if (isinstance(later, gast.AugAssign) and isinstance(later.target, gast.Name)
                        and later.target.id == target
                        and isinstance(later.op, (gast.Add, gast.Sub))):
                    if _terms(stmt.value) >= MAX_MERGED_TERMS:
                        break
                    stmt.value = gast.BinOp(left=stmt.value, op=later.op, right=later.value)
                    stmt.origin = getattr(later, "origin", None) or getattr(stmt, "origin",
                                                                            None)
                    info.values[id(stmt)] = (reads | info(later)[0], info(stmt)[1])
                    block[i:j + 1] = block[i + 1:j] + [stmt]
                    merged = changed = True
                    break
                if isinstance(later, (gast.If, gast.For, gast.While)):
                    break
                later_reads, later_written = info(later)
                if target in later_reads or later_written & (reads | {target}):
                    break
            if not merged:
                i += 1
    return changed


def _product_leaves(node):
    if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
        return _product_leaves(node.left) + _product_leaves(node.right)
    return [node]


def _is_fill(stmt):
    value = stmt.value if _is_plain(stmt) else None
    return (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and value.func.attr == "full_like" and len(value.args) == 2
            and isinstance(value.args[0], gast.Name))


def drop_broadcast_fills(body, kind_of, counts=None):
    """`s = np.full_like(v, c)` used only as a factor beside an array shaped like `v`
    becomes `c` there: `np.full_like(v, 1.0) * 2 * x` → `1.0 * 2 * x` → `2.0 * x`."""
    reads, writes = counts or _counts(body)
    products = None
    for stmt, block in statements(body):
        if not _is_fill(stmt) or writes.get(stmt.targets[0].id) != 1:
            continue
        target = stmt.targets[0].id
        like, fill = stmt.value.args
        if any(kind_of(n).ndim != 0 for n in reads_in(fill) - {like.id}):
            continue
        shape = kind_of(like.id)
        products = _products(body) if products is None else products
        factors = 0
        for leaves in products.get(target, ()):
            if any(n is not None and n != target and same_shape(kind_of(n), shape)
                   for n in leaves):
                factors += leaves.count(target)
        if factors and factors == reads.get(target):
            block.remove(stmt)
            replace_everywhere(body, target, fill)
            return True
    return False


def _products(body):
    """{name: the leaf names of each product it is a factor of (None: not a name)}. A
    product is listed once for each statement whose walk reaches it (a loop's walk
    reaches the products of its body too), as the counts of reads are compared with it."""
    products = {}
    for other, _ in statements(body):
        for node in walk(other):
            if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
                leaves = [l.id if isinstance(l, gast.Name) else None
                          for l in _product_leaves(node)]
                for n in set(leaves) - {None}:
                    products.setdefault(n, []).append(leaves)
    return products


def _live(body):
    """Names whose values can reach the result: read by `return`, by a test, or by a
    statement that writes a live name (a variable read only by its own updates is dead)."""
    always, writers = [], []  # (reads of a test or a return) | (targets, reads)
    for stmt, _ in statements(body):
        if isinstance(stmt, (gast.Return, gast.If, gast.While, gast.For)):
            always.append(reads_in(stmt.value if isinstance(stmt, gast.Return) else
                                 stmt.iter if isinstance(stmt, gast.For) else stmt.test))
        else:
            targets = _targets(stmt)
            if targets:
                writers.append((targets, set(all_reads(stmt))))
    live = set().union(*always)
    changed = True
    while changed:
        changed = False
        for targets, needed in writers:
            if targets & live and not needed <= live:
                live |= needed
                changed = True
    return live


def _targets(stmt):
    """What a statement writes, the array of an element write and the stack of a push or
    a pop included: a pop stays while its stack is read, or pushes and pops drift apart."""
    stack = stack_of(stmt)
    if stack is not None:
        return _written(stmt)
    if isinstance(stmt, (gast.Assign, gast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, gast.Assign) else [stmt.target]
        targets = [e for t in targets for e in (t.elts if isinstance(t, gast.Tuple) else [t])]
        return {t.value.id if isinstance(t, gast.Subscript) else t.id for t in targets
                if isinstance(t, (gast.Name, gast.Subscript))
                and isinstance(getattr(t, "value", t), gast.Name)}
    return set()


def remove_dead(body):
    """Drop assignments whose values never reach the result, and loops and branches left
    empty."""
    live = _live(body)
    changed = False
    for block in list(blocks(body)):
        keep = []
        for stmt in block:
            written = _targets(stmt)
            dead = bool(written) and not written & live
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


def protect_in_place(body, names, kind_of):
    """A derivative array that is later updated in place must not share memory with
    another array: `x_bar = v_bar` (left by propagation) becomes `x_bar = np.copy(v_bar)`."""
    from .adjoints import fresh
    mutated = set()
    for stmt, _ in statements(body):
        target = getattr(stmt, "target", None) if isinstance(stmt, gast.AugAssign) else (
            stmt.targets[0] if isinstance(stmt, gast.Assign) else None)
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            mutated.add(target.value.id)
        elif isinstance(target, gast.Name) and isinstance(stmt, gast.AugAssign) \
                and kind_of(target.id).ndim != 0:
            mutated.add(target.id)
    for stmt, _ in statements(body):
        if _is_plain(stmt) and stmt.targets[0].id in mutated and \
                stmt.targets[0].id in names.base and not fresh(stmt.value):
            stmt.value = gast.Call(func=gast.Attribute(value=gast.Name(
                id="np", ctx=gast.Load(), annotation=None, type_comment=None), attr="copy",
                ctx=gast.Load()), args=[stmt.value], keywords=[])


def drop_second_copies(body):
    """`x = np.copy(e); ...; x = x.copy()` with nothing between reading `x`: the first
    copy is already an array of its own (a loop that writes into `x` copies it before it
    starts, and `protect_in_place` may have copied it where it was defined)."""
    from .adjoints import fresh
    for block in blocks(body):
        for i in range(len(block) - 1, -1, -1):
            target = _copied_in_place(block[i])
            if target is None:
                continue
            for earlier in reversed(block[:i]):
                if _is_plain(earlier) and earlier.targets[0].id == target:
                    if fresh(earlier.value):
                        del block[i]
                    break
                if not _is_plain(earlier) and not isinstance(earlier, gast.AugAssign) or \
                        target in reads_in(earlier) | _written(earlier):
                    break


def _copied_in_place(stmt):
    """`x` for `x = x.copy()` or `x = np.copy(x)`, else None."""
    if not _is_plain(stmt) or not isinstance(stmt.value, gast.Call):
        return None
    call, target = stmt.value, stmt.targets[0].id
    func = call.func
    if not isinstance(func, gast.Attribute) or func.attr != "copy" or call.keywords:
        return None
    copied = func.value if not call.args else call.args[0] if len(call.args) == 1 and \
        isinstance(func.value, gast.Name) and func.value.id == "np" else None
    return target if isinstance(copied, gast.Name) and copied.id == target else None


def _empty(stmts):
    return all(isinstance(s, gast.Pass) for s in stmts)


def optimize(fdef, names, kind_of=None):
    """Optimize a generated FunctionDef in place (to a fixed point) and return it.

    `kind_of(name)` gives the kind of a variable (derivatives share their primal's kind);
    with it, kind-aware simplifications run too.
    """
    params = {a.id for a in fdef.args.args}
    body = fdef.body
    taken = []  # the counts of reads and writes, shared by the passes until one changes

    def counts():
        if not taken:
            taken.append(_counts(body))
        return taken[0]
    steps = [lambda: propagate(body, params, names, counts()),
             lambda: merge_accumulations(body), lambda: drop_copy_backs(body),
             lambda: propagate_in_block(body, names, counts()),
             lambda: drop_unread_stacks(body)]
    if kind_of is not None:
        steps += [lambda: drop_broadcast_fills(body, kind_of, counts()),
                  lambda: sum_rows_first(body, kind_of, counts())]
    steps.append(lambda: remove_dead(body))
    changed = True
    while changed:
        for stmt, _ in statements(body):
            Fold(kind_of).visit(stmt)
        taken.clear()
        changed = any(step() for step in steps)
    if kind_of is not None:
        protect_in_place(body, names, kind_of)
        drop_second_copies(body)
        outer_updates_in_place(body, kind_of)
        batch_outer_updates(body, names)
    return fdef

"""reads: where generated code reads its names, and substituting for those reads.

The walks here visit each node once, without `ast.walk`'s per-node generators: the
optimizer runs them over the whole function in every round.
"""
import copy

import gast


def statements(stmts):
    """Every statement, nested ones included, with the block that holds it."""
    for stmt in stmts:
        yield stmt, stmts
        for field in ("body", "orelse"):
            yield from statements(getattr(stmt, field, None) or [])


def blocks(stmts):
    yield stmts
    for stmt in stmts:
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if inner:
                yield from blocks(inner)


def walk(node):
    """Every node under `node`, itself included (gast.walk's nodes, in another order)."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, gast.AST))
            elif isinstance(value, gast.AST):
                stack.append(value)


def walk_value(value):
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, gast.AST):
            yield from walk(v)


def name_counts(node):
    """({name: loads}, {name: stores}) under `node`; `a += b` reads `a` as well."""
    reads, writes = {}, {}
    for n in walk(node):
        if isinstance(n, gast.Name):
            table = reads if isinstance(n.ctx, gast.Load) else writes
            table[n.id] = table.get(n.id, 0) + 1
        elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
            reads[n.target.id] = reads.get(n.target.id, 0) + 1
    return reads, writes


def written_names(stmt):
    """Names a statement may change: every name in an assignment's targets (`a[i] = e`
    writes into `a`), or every name a call statement mentions."""
    targets = stmt.targets if isinstance(stmt, gast.Assign) else \
        [stmt.target] if isinstance(stmt, gast.AugAssign) else [stmt]
    return {n.id for t in targets for n in walk(t) if isinstance(n, gast.Name)}


def reads_in(node):
    return set(all_reads(node))


class Rename(gast.NodeTransformer):
    def __init__(self, old, new):
        self.old, self.new = old, new

    def visit_Name(self, node):
        if node.id == self.old and isinstance(node.ctx, gast.Load):
            return copy.deepcopy(self.new)
        return node


def replace_everywhere(body, old, new):
    """Substitute `new` for reads of `old` in every statement (nested blocks included)."""
    rename = Rename(old, new)
    for stmt, _ in list(statements(body)):
        replace_in(stmt, rename)


def replace_in(stmt, rename):
    """`rename` applied to one statement's own expressions (not its nested blocks)."""
    for field, value in list(gast.iter_fields(stmt)):
        if field in ("body", "orelse") or value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            if not isinstance(v, gast.AST) or (field in ("target", "targets")
                                                and isinstance(v, gast.Name)):
                continue
            new = rename.visit(v)
            if isinstance(value, list):
                value[i] = new
            else:
                setattr(stmt, field, new)


class Readers:
    """Which statements may read each name in their own expressions: a substitution
    visits only those instead of the whole function. A superset is harmless (renaming a
    statement without the name changes nothing), so entries are only ever added."""

    def __init__(self, statements):
        self.statements, self.by_name = statements, None  # indexed at the first use

    def _index(self):
        if self.by_name is None:
            self.by_name = {}
            for stmt, _ in self.statements:
                self.add(stmt, own_reads(stmt))
        return self.by_name

    def add(self, stmt, names):
        self._index()
        for n in names:
            self.by_name.setdefault(n, {})[id(stmt)] = stmt

    def replace(self, old, new):
        """Substitute `new` for reads of `old` wherever it is read."""
        rename = Rename(old, new)
        readers = list(self._index().get(old, {}).values())
        added = reads_in(new)
        for stmt in readers:
            replace_in(stmt, rename)
            self.add(stmt, added)


def own_reads(stmt):
    """Names read in a statement's own fields (its nested blocks are statements of their
    own)."""
    return {node.id for field, value in gast.iter_fields(stmt)
            if field not in ("body", "orelse") for node in walk_value(value)
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load)}


class Memo:
    """`fn(stmt)` remembered per statement, for a pass that does not change them."""

    def __init__(self, fn):
        self.fn, self.values = fn, {}

    def __call__(self, stmt):
        key = id(stmt)
        if key not in self.values:
            self.values[key] = self.fn(stmt)
        return self.values[key]


def all_reads(stmt):
    return [n.id for n in walk(stmt) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)]

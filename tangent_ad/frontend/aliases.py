"""aliases: refuse a write through one name into memory that another name still reads.

The transforms treat every variable as a value of its own: `y[0] = 5.0` changes `y`, and
nothing else. In NumPy, `y = x`, `y = x[::2]`, `y = x.reshape(2, 2)` and `y = x.T` make `y`
share memory with `x`, so the write changes `x` too, and a derivative that reads `x` later
(or whose backward sweep needs the value `x` had before) would be silently wrong. This pass
runs on the normalized function once the kinds are known, follows which names may share
memory, and refuses each such write at the user's line::

    def f(x):
        y = x
        y[0] = 5.0
        return np.sum(x ** 2)

    f.py:3:5: this write into `y` also changes `x` (they share memory since line 2), and
    `x` is read after it: the derivative would be wrong.
        y[0] = 5.0
        ^
    hint: write `y = x.copy()` at line 2 to work on a copy, or write into `x` directly.

Three kinds of write count: `y[i] = v` (and `y[i] += v`); `y += v` on an array, which
normalization turns into `y_1 = y + v` (`in_place_of` marks it) although NumPy writes into
`y`; and a call of a helper that stays a function and writes into the memory of its
argument. Another name that shares the memory is refused if it is read after the write (it
changed behind the derivative's back), or before it as an operand whose value the backward
sweep needs (of `*`, `@`, `np.sin`; not of `+`, `np.sum` or indexing) where the generated
code makes the same write in place. In a loop this holds for the written name itself: the
backward sweep restores what a write outside loops overwrote, not what one in a loop did.
Rows are told apart in one case, the recurrence `H[t] = f(H[t - 1])` of a loop over
`range(...)`: a row read at `t + r` is never written again by `H[t + w]` when w > r
(w < r when the loop counts down).

A write is harmless, and passes, when no other name that shares the memory is read: into an
array made in the function (`out = np.zeros(n); out[i] = ...`), into an argument (the API
copies it), into a copy (`y = x.copy()`), or into a view whose base is never read again.

Memory is modelled by abstract buffers: one per parameter and one per statement that makes
a new array, with the most recent array of a statement in a loop kept apart from the older
ones (`h = hn; hn = np.zeros(n)` in a loop does not make `hn` share memory with `h`). The
state flows through `if` (both branches joined) and loops (until nothing changes).
"""
import gast

from ..rules.registry import rule_for
from .alias_errors import alias_error
from .stacks import is_pop

# NumPy functions (by rule name) whose result may share memory with their arguments
VIEWS = {"np.reshape", "np.ravel", "np.transpose", "np.asarray", "np.atleast_1d",
         "np.atleast_2d", "np.atleast_3d", "np.broadcast_to", "np.diag", "np.diagonal",
         "np.expand_dims", "np.flip", "np.fliplr", "np.flipud", "np.moveaxis", "np.rot90",
         "np.squeeze", "np.swapaxes", "np.real", "np.imag", "np.split", "np.array_split",
         "np.einsum", "identity", "getitem", "stop_gradient", "unbroadcast"}
# families of the built-in rules: any other call (a helper of the user's, a rule the user
# registered) may return its argument, and is taken to share memory with it
NUMPY_FAMILIES = {"elementwise", "shapes", "math", "binary", "reductions", "comparisons",
                  "piecewise constant", "linalg", "operators", "scipy.special",
                  "construction", "constructors", "products", "indexing", "runtime"}


def check_aliases(fdef, analysis, mode=None):
    """Raise `UnsupportedSyntaxError` at the first write through a name whose memory
    another name reads; `analysis` gives the kinds (scalars hold no shared memory). In
    forward mode ("jvp") no backward sweep reads values from before a write."""
    flow = _run(fdef, analysis)
    if mode == "jvp":
        flow.conflicts = [c for c in flow.conflicts if (c[2], c[5]) != ("item", "before")]
    if flow.conflicts:
        # the first write; at one write, a conflict with another name says more
        first = min(flow.conflicts, key=lambda c: (
            c[0].lineno, c[0].col_offset, c[1] == c[4]))
        raise alias_error(first, flow)


def _run(fdef, analysis):
    flow = _Flow(analysis, getattr(fdef, "user_names", {}))
    state = _State()
    for p in fdef.args.args:
        state.bind(p.id, {("param", p.id)} if flow.holds_memory(p.id) else set(), p)
    flow.block(fdef.body, state)
    return flow


_IN_PROGRESS = set()  # helpers whose writes are being found: a recursive call adds none


def _helper_writes(call, kinds):
    """[(argument, parameter, (statement that writes into its memory, how))] for a call of
    a helper that stays a function (transform/calls.py): its `p += v` on an array, or a
    write through a name that shares the memory of `p`, changes the caller's argument."""
    rule = getattr(call, "rule", None)
    if not hasattr(rule, "normalize"):
        return []
    nf = rule.normalize()
    param_kinds = {p: kinds(a) for p, a in zip(nf.params, call.args)}
    key = (id(rule), tuple(param_kinds.items()))
    if key in _IN_PROGRESS:
        return []
    _IN_PROGRESS.add(key)
    try:
        from .activity import Analysis
        flow = _run(nf.fdef, Analysis(nf.fdef, param_kinds, []))
    finally:
        _IN_PROGRESS.discard(key)
    return [(a.id, p, flow.param_writes[p]) for p, a in zip(nf.params, call.args)
            if p in flow.param_writes and isinstance(a, gast.Name)]


class _State:
    """What may share memory at one point of the function."""

    def __init__(self):
        self.mem = {}      # name → frozenset of buffers it may point into
        self.gen = {}      # the same in the generated code, where `y += v` makes a new array
        self.binding = {}  # name → frozenset of statements that may have bound it
        self.stale = {}    # name → frozenset of writes that changed it behind its back
        self.reads = set()  # (name, its binding, buffer, its row) of every value read
        # rows: in `for t in range(a, b)`, an integer `t + k` is (loop, k), and a view
        # `r = H[t + k]` of a row is (loop, k, H, the binding of H); see `_Flow.apart`
        self.offsets = {}
        self.rows = {}

    def copy(self):
        new = _State()
        for table in ("mem", "gen", "binding", "stale", "offsets", "rows"):
            setattr(new, table, dict(getattr(self, table)))
        new.reads = set(self.reads)
        return new

    def join(self, other):
        for table in ("mem", "gen", "binding", "stale"):
            mine, theirs = getattr(self, table), getattr(other, table)
            for key, value in theirs.items():
                mine[key] = mine.get(key, frozenset()) | value
        for table in ("offsets", "rows"):  # known only where both paths agree
            mine, theirs = getattr(self, table), getattr(other, table)
            setattr(self, table, {k: v for k, v in mine.items() if theirs.get(k) == v})
        self.reads |= other.reads

    def same(self, other):
        tables = ("mem", "gen", "binding", "stale", "offsets", "rows", "reads")
        return all(getattr(self, t) == getattr(other, t) for t in tables)

    def bind(self, target, buffers, stmt, generated=None):
        self.mem[target] = frozenset(buffers)
        self.gen[target] = frozenset(buffers if generated is None else generated)
        self.binding[target] = frozenset({id(stmt)})
        self.stale.pop(target, None)
        self.offsets.pop(target, None)
        self.rows.pop(target, None)

    def forget_rows(self, loop, reads=False):
        """Offsets of `loop` hold for one iteration; rows for one run of the loop."""
        self.offsets = {n: o for n, o in self.offsets.items() if o[0] != loop}
        if reads:
            self.rows = {n: r for n, r in self.rows.items() if r[0] != loop}
            self.reads = {(n, bind, b, None if row and row[0] == loop else row)
                          for n, bind, b, row in self.reads}

    def renew(self, site):
        """A statement makes a new array: what it made before is now an older array."""
        new, old = ("new", site), ("old", site)
        swap = lambda bs: frozenset(old if b == new else b for b in bs)  # noqa: E731
        self.mem = {n: swap(bs) for n, bs in self.mem.items()}
        self.gen = {n: swap(bs) for n, bs in self.gen.items()}
        self.reads = {(n, bind, old if b == new else b, row)
                      for n, bind, b, row in self.reads}
        return new


class _Flow:
    """Runs the state through the statements, collecting conflicts:
    (write statement, writer, other name, 'after' | 'before', where they began sharing)."""

    def __init__(self, analysis, user_names):
        self.analysis = analysis
        self.user_names = user_names
        self.conflicts = []
        self.shared_at = {}  # (name, buffer) → (statement, source name) that made it share
        self.param_writes = {}  # parameter → (first statement that writes its memory, how)
        self.calls = {}  # id of a helper's write into an argument → (call, helper, param)
        self.directions = {}  # id of a `for` loop → 1 counting up, -1 down, 0 neither
        self.integers = {}  # name → the one integer constant every assignment gives it
        self.helpers = {}  # (call, kinds of its arguments) → what `_helper_writes` found
        self.depth = 0  # how many loops enclose the statement

    def kind_of(self, node):
        if isinstance(node, gast.Constant):
            from .activity import constant_kind
            return constant_kind(node.value)
        return self.analysis.kind(node.id if isinstance(node, gast.Name) else node)

    def holds_memory(self, name):
        return self.analysis.kind(name).ndim != 0  # arrays, tuples, and unknown kinds

    # -- statements -------------------------------------------------------------
    def block(self, stmts, state):
        for stmt in stmts:
            self.statement(stmt, state)

    def statement(self, stmt, state):
        if isinstance(stmt, gast.If):
            self.read(_loads(stmt.test), state)
            other = state.copy()
            self.block(stmt.body, state)
            self.block(stmt.orelse, other)
            state.join(other)
        elif isinstance(stmt, (gast.For, gast.While)):
            self.loop(stmt, state)
        elif isinstance(stmt, gast.Assign) and len(stmt.targets) == 1:
            self.assign(stmt, stmt.targets[0], stmt.value, state)
        else:  # return, a push onto a tape, pass: reads only
            self.read(_loads(stmt), state)

    def loop(self, stmt, state):
        """Runs the body until the state at its head stops changing: what one iteration
        writes, the next may read."""
        state.forget_rows(id(stmt), reads=True)
        self.depth += 1
        for _ in range(50):
            before = state.copy()
            state.forget_rows(id(stmt))
            if isinstance(stmt, gast.For):
                self.read(_loads(stmt.iter), state)
                self.bind_fresh(stmt.target, stmt, state)
                self.directions[id(stmt)] = _direction(stmt.iter, self.integers)
                if isinstance(stmt.target, gast.Name) and self.directions[id(stmt)]:
                    state.offsets[stmt.target.id] = (id(stmt), 0)
            else:
                self.read(_loads(stmt.test), state)
            self.block(stmt.body, state)
            state.join(before)
            if state.same(before):
                break
        self.depth -= 1
        self.block(stmt.orelse, state)

    def bind_fresh(self, target, stmt, state):
        for node in gast.walk(target):
            if isinstance(node, gast.Name):
                fresh = {state.renew(id(stmt))} if self.holds_memory(node.id) else set()
                state.bind(node.id, fresh, stmt)

    def assign(self, stmt, target, value, state):
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            self.read(_loads(target.slice) + _loads(value), state, value_reads=False)
            row = self.row(target.slice, state)
            return self.write(stmt, target.value.id, "item", state, row=row)
        if not isinstance(target, gast.Name):
            self.read(_loads(value), state)
            return self.bind_fresh(target, stmt, state)
        value_of = _integer(value)  # a step of range(): `v1 = -1`
        self.integers[target.id] = value_of if self.integers.get(target.id, value_of) == \
            value_of else None
        old = getattr(stmt, "in_place_of", None)  # `y += v`, normalized to `y_1 = y + v`
        if old is not None and self.holds_memory(old):
            return self.augmented(stmt, old, target.id, value, state)
        if isinstance(value, gast.Call):
            key = (id(value), tuple(self.kind_of(a) for a in value.args))
            if key not in self.helpers:
                self.helpers[key] = _helper_writes(value, self.kind_of)
            writes = self.helpers[key]
            if writes:
                self.read(_loads(value), state)
            for arg, param, (write, how) in writes:
                self.calls[id(write)] = (stmt, value.rule.name, param)
                self.write(write, arg, "call-item" if how.endswith("item") else
                           "call-augmented", state)
        sources = self.sources(target.id, value)
        if sources is None:  # a new array
            self.read(_loads(value), state, value_reads=not _linear(value))
            self.bind_fresh(target, stmt, state)
            return self.track_rows(target.id, value, state)
        self.read(_loads(value), state, value_reads=False)  # a view reads no values
        buffers = set()
        for source in sources:
            for b in state.mem.get(source, ()):
                buffers.add(b)
                self.shared_at.setdefault((target.id, b), (stmt, source))
        state.bind(target.id, buffers if self.holds_memory(target.id) else set(), stmt)
        self.track_rows(target.id, value, state)

    def augmented(self, stmt, old, target, value, state):
        """`y += v` on an array writes into the memory of `y`, which `y` keeps."""
        self.read(_loads(value), state)
        self.write(stmt, old, "augmented", state, target=target)
        for b in state.mem.get(old, ()):
            if (old, b) in self.shared_at:
                self.shared_at.setdefault((target, b), self.shared_at[(old, b)])
        state.bind(target, state.mem.get(old, ()), stmt, generated={state.renew(id(stmt))})

    def track_rows(self, target, value, state):
        """`k = t - 1` is an offset of the loop's counter; `r = H[k]` a row of `H`."""
        if isinstance(value, gast.Name) and value.id in state.offsets:
            state.offsets[target] = state.offsets[value.id]
        elif isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Sub)) \
                and isinstance(value.left, gast.Name) and value.left.id in state.offsets \
                and isinstance(value.right, gast.Constant) and \
                type(value.right.value) is int:
            loop, k = state.offsets[value.left.id]
            step = value.right.value if isinstance(value.op, gast.Add) else -value.right.value
            state.offsets[target] = (loop, k + step)
        elif isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name):
            row = self.row(value.slice, state)
            if row is not None and state.mem.get(target):
                base = value.value.id
                state.rows[target] = row + (base, state.binding.get(base))

    def row(self, index, state):
        """(loop, k) when `index` picks the row `t + k` of the loop's counter `t`."""
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        if not isinstance(parts[0], gast.Name) or any(
                not isinstance(p, gast.Slice) or p.lower or p.upper or p.step
                for p in parts[1:]):
            return None
        return state.offsets.get(parts[0].id)

    def apart(self, row, write_row, writer, state):
        """Whether the row a view or read holds lies before every row that this write and
        the later ones of the loop make (`H[t] = f(H[t - 1])`): in a loop that counts up,
        the row `t + w` written is after the row `t' + r` of an iteration t' <= t if w > r
        (w < r counting down)."""
        return row is not None and write_row is not None and row[0] == write_row[0] and \
            (write_row[1] - row[1]) * self.directions[row[0]] > 0 and row[2] == writer \
            and row[3] == state.binding.get(writer)

    def sources(self, target, value):
        """The names whose memory `target = value` may share, or None for a new array."""
        if not self.holds_memory(target):
            return None
        if isinstance(value, gast.Name):
            return [value.id]
        if isinstance(value, (gast.Tuple, gast.List)):
            return [e.id for e in value.elts if isinstance(e, gast.Name)]
        if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name):
            return [value.value.id] if self.basic(value.slice) else None
        if isinstance(value, gast.Attribute) and isinstance(value.value, gast.Name):
            return [value.value.id] if _may_view(getattr(value, "prim", None)) else None
        if isinstance(value, gast.Call) and not is_pop(value):
            if not _may_view(getattr(value, "prim", None)):
                return None
            names = [a for a in value.args if isinstance(a, gast.Name)]
            return [a.id for i, a in enumerate(names)
                    if i == 0 or self.analysis.kind(a.id).dtype != "t"]
        return None

    def basic(self, index):
        """Whether `x[index]` is basic indexing (a view), not by an integer or bool array."""
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        return not any(isinstance(p, gast.Name) and (self.analysis.kind(p.id).ndim or 0) > 0
                       for p in parts)

    # -- reads and writes -------------------------------------------------------
    def read(self, names, state, value_reads=True):
        """A read of each name: a conflict where a write changed it behind its back; the
        values read are kept, since the backward sweep may need them."""
        for n in names:
            for write in state.stale.get(n, ()):
                self.conflicts.append(write + (n, "after"))
            if value_reads:
                binding, row = state.binding.get(n), state.rows.get(n)
                state.reads.update((n, binding, b, row) for b in state.gen.get(n, ()))

    def write(self, stmt, writer, how, state, target=None, row=None):
        """A write into the memory of `writer`, `how` one of WRITES. Every other name that
        shares it is stale, and `writer` too unless the generated code makes the same
        write; a value read before is wrong in the backward sweep where the generated
        code writes into the memory in place."""
        buffers = state.mem.get(writer, frozenset())
        for b in buffers:
            if b[0] == "param":
                self.param_writes.setdefault(b[1], (stmt, how))
        for other, theirs in state.mem.items():
            shared = buffers & theirs
            if shared and other != target and (other != writer or how != "item") and \
                    not self.apart(state.rows.get(other), row, writer, state):
                key = (stmt, writer, how, min(shared))
                state.stale[other] = state.stale.get(other, frozenset()) | {key}
        if how not in ("item", "call-item"):
            return
        buffers = state.gen.get(writer, frozenset())  # what the generated code overwrites
        for other, binding, b, their_row in state.reads:
            if self.apart(their_row, row, writer, state):
                continue
            # the same array is restored for the backward sweep after a write, but not
            # after one in a loop; a helper's vjp runs the helper, and its write, again
            if b in buffers and (other != writer or binding != state.binding.get(writer)
                                 or how == "call-item" or self.depth):
                self.conflicts.append((stmt, writer, how, b, other, "before"))


def _direction(iterator, integers):
    """1 for `range(n)`, `range(a, b)` or `range(a, b, 2)`, -1 for `range(a, b, -1)`: the
    counter only grows, or only falls; else 0."""
    if not (isinstance(iterator, gast.Call) and isinstance(iterator.func, gast.Name) and
            iterator.func.id == "range" and not iterator.keywords):
        return 0
    if len(iterator.args) <= 2:
        return 1
    step = iterator.args[2]
    value = integers.get(step.id) if isinstance(step, gast.Name) else _integer(step)
    return (value > 0) - (value < 0) if value is not None else 0


def _integer(node):
    """The value of `3` or `-1`, else None."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        value = _integer(node.operand)
        return None if value is None else -value
    value = getattr(node, "value", None) if isinstance(node, gast.Constant) else None
    return value if type(value) is int else None


# functions linear in their array arguments: their adjoints need no operand's value
LINEAR = {"np.sum", "np.mean", "np.cumsum", "np.trace", "np.copy", "np.negative",
          "np.positive", "np.add", "np.subtract", "np.concatenate", "np.stack", "np.hstack",
          "np.vstack", "np.column_stack", "np.array", "np.tile", "np.repeat", "np.pad",
          "np.roll", "np.take", "np.tril", "np.triu", "np.conj", "np.real", "np.imag",
          # and those that read only a shape
          "np.zeros_like", "np.ones_like", "np.full_like", "np.empty_like", "zeros_like_ad",
          "np.shape", "np.size", "np.ndim", "len"}


def _linear(value):
    """Whether the backward sweep of `target = value` needs none of the values it reads
    (`v + w`, `-v`, `2.0 * v`, `v / 2.0`, `np.sum(v)`, `x[i]`): a later write into their
    memory cannot spoil it."""
    if isinstance(value, gast.Subscript):  # an element, copied (views are not values)
        return True
    if isinstance(value, gast.Attribute):  # x.shape
        rule = rule_for(getattr(value, "prim", None))
        return rule is not None and rule.name in LINEAR
    if isinstance(value, gast.UnaryOp):
        return isinstance(value.op, (gast.USub, gast.UAdd))
    if isinstance(value, gast.BinOp):
        constant = lambda n: isinstance(n, gast.Constant)  # noqa: E731
        return isinstance(value.op, (gast.Add, gast.Sub)) or (
            isinstance(value.op, gast.Mult) and (constant(value.left) or
                                                 constant(value.right))) or (
            isinstance(value.op, gast.Div) and constant(value.right))
    if isinstance(value, gast.Call):
        rule = rule_for(getattr(value, "prim", None))
        return rule is not None and rule.name in LINEAR
    return False


def _may_view(prim):
    if prim is None:
        return True
    rule = rule_for(prim)
    return rule is None or rule.family not in NUMPY_FAMILIES or rule.name in VIEWS


def _loads(node):
    return [n.id for n in gast.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)]


__all__ = ["check_aliases"]

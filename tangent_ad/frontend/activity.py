"""activity: which variables need derivatives, and the kind of every variable.

A variable is *varied* if it depends on a differentiated input, *useful* if the output
depends on it, and *active* if both; only active variables get `_bar` / `_dot` partners.

    def f(x, n):              varied: x, v1, v2      useful: v2, v1, x, n
        v1 = x * n            active: x, v1, v2      (n is useful but not varied)
        v2 = np.sin(v1)
        return v2
"""
import gast

from ..kinds import BOOL, INT, OTHER, SCALAR, UNKNOWN, Kind, Operand, array
from ..rules.indexing import GETITEM
from ..transform.primitives import application
from .stacks import element_kind, is_pop, new_stack, pop_of, push_of, stack_kind


def statements(stmts):
    """Every statement, in order, through all blocks."""
    for stmt in stmts:
        yield stmt
        for field in ("body", "orelse"):
            yield from statements(getattr(stmt, field, []))


def definitions(stmts):
    """(variable, names its new value depends on, differentiable?) of every assignment;
    `y[i] = v` defines `y` from `y` and `v`."""
    for stmt in stmts:
        pushed = push_of(stmt)
        if pushed:  # `s.append(v)` defines the stack `s` from `s` and `v`
            stack, value = pushed
            yield stack, [stack] + ([value.id] if isinstance(value, gast.Name) else []), True
        elif isinstance(stmt, gast.Assign):
            target = stmt.targets[0]
            if new_stack(stmt):
                yield target.id, [], False
            elif is_pop(stmt.value):  # `v = s.pop()`
                yield target.id, [pop_of(stmt)[1]], True
            elif isinstance(target, gast.Subscript):
                value = stmt.value
                deps = [target.value.id] + ([value.id] if isinstance(value, gast.Name) else [])
                yield target.value.id, deps, True
            elif not isinstance(stmt.value, gast.Tuple):
                app = application(stmt.value)
                yield target.id, app.operand_names(), app.rule.differentiable
        for field in ("body", "orelse"):
            yield from definitions(getattr(stmt, field, []))


def loop_indices(stmts):
    return {n.target.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.For)}


def returned_names(stmts):
    for stmt in stmts:
        if isinstance(stmt, gast.Return):
            value = stmt.value
            elts = value.elts if isinstance(value, gast.Tuple) else [value]
            yield [e.id if isinstance(e, gast.Name) else None for e in elts]
        for field in ("body", "orelse"):
            yield from returned_names(getattr(stmt, field, []))


class Analysis:
    """Kinds and activity of a normalized function, for given parameter kinds."""

    def __init__(self, fdef, param_kinds, wrt, output_index=0):
        self.fdef = fdef
        self.kinds = dict(param_kinds)
        self.infer_kinds()
        # taken once: each pass below walks them, forward for `varied` and backward for
        # `useful`, so straight-line code settles in one pass whatever its length
        self._definitions = list(definitions(fdef.body))
        self.varied = self._varied(set(wrt))
        self.useful = self._useful(output_index)
        self.active = self.varied & self.useful
        self.refuse_active_opaque_calls()

    def refuse_active_opaque_calls(self):
        """A call without a rule (rules/opaque.py) runs as it is only where its result is
        inactive; where the output depends on it through a differentiated input, its
        located error names the function and what to write instead."""
        for stmt in statements(self.fdef.body):
            rule = getattr(getattr(stmt, "value", None), "rule", None)
            target = stmt.targets[0] if isinstance(stmt, gast.Assign) else None
            if getattr(rule, "error", None) and isinstance(target, gast.Name) and \
                    target.id in self.active:
                raise rule.error

    # -- kinds ----------------------------------------------------------------
    def operand(self, node):
        if isinstance(node, gast.Name):
            operand = Operand(self.kinds.get(node.id, UNKNOWN))
            operand.name = node.id
            return operand
        if isinstance(node, gast.Constant):
            return Operand(constant_kind(node.value), node.value)
        if hasattr(node, "constant_value"):  # np.inf, math.pi
            return Operand(constant_kind(node.constant_value), node.constant_value)
        if isinstance(node, (gast.Tuple, gast.List)):
            elements = [self.operand(e) for e in node.elts]
            if all(isinstance(e, gast.Constant) for e in node.elts):
                operand = Operand(OTHER, tuple(e.value for e in node.elts), elements)
            else:
                operand = Operand(OTHER, elements=elements)
            operand.length = len(node.elts)
            return operand
        return Operand(OTHER)

    def kind_of(self, target, expr):
        app = application(expr)
        if app.rule.key is GETITEM:
            return index_kind(self.operand(app.args[0]).kind, app.args[1], self.operand)
        operands = [self.operand(a) for a in app.args]
        keywords = {k: self.operand(v) for k, v in app.keywords.items()}
        return app.rule.result_kind(*operands, **keywords)

    def infer_kinds(self):
        for index in loop_indices(self.fdef.body):
            self.kinds[index] = INT
        for _ in range(3):  # loops: kinds settle after a pass or two
            for stmt in statements(self.fdef.body):
                self.infer_kind(stmt)

    def infer_kind(self, stmt):
        """The kind of what `stmt` defines; a push gives its stack's element kind."""
        pushed = push_of(stmt)
        if pushed:
            element = self.operand(pushed[1]).kind
            if element != UNKNOWN:
                self.kinds[pushed[0]] = stack_kind(element)
            return
        if not (isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name)):
            return
        target, expr = stmt.targets[0].id, stmt.value
        if new_stack(stmt):
            self.kinds.setdefault(target, stack_kind())
        elif is_pop(expr):
            self.kinds[target] = element_kind(self.kind(pop_of(stmt)[1]))
        elif isinstance(expr, gast.Tuple):
            self.kinds[target] = OTHER
        else:
            self.kinds[target] = self.kind_of(target, expr)

    def kind(self, node_or_name):
        if isinstance(node_or_name, str):
            return self.kinds.get(node_or_name, UNKNOWN)
        return self.operand(node_or_name).kind

    # -- activity -------------------------------------------------------------
    def _varied(self, varied):
        changed = True
        while changed:
            changed = False
            for target, deps, differentiable in self._definitions:
                if target not in varied and differentiable and varied.intersection(deps):
                    varied.add(target)
                    changed = True
        return varied

    def _useful(self, output_index):
        useful = set()
        for names in returned_names(self.fdef.body):
            if output_index < len(names) and names[output_index]:
                useful.add(names[output_index])
        changed = True
        while changed:
            changed = False
            for target, deps, differentiable in reversed(self._definitions):
                if target in useful and differentiable and not useful.issuperset(deps):
                    useful |= set(deps)
                    changed = True
        return useful


def constant_kind(value):
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return SCALAR
    return OTHER


def index_kind(x, index, operand):
    """The kind of `x[index]` for basic indexing by ints, slices and None."""
    if x.items is not None and isinstance(index, gast.Constant):  # an item of a tuple
        return x.items[index.value]
    if x.ndim is None:
        return Kind(None, None, x.dtype)
    parts = index.elts if isinstance(index, gast.Tuple) else [index]
    shape = list(x.shape or (None,) * x.ndim)
    dims, pos = [], 0
    for part in parts:
        if isinstance(part, gast.Slice):
            full = part.lower is None and part.upper is None and part.step is None
            dims.append(shape[pos] if full and pos < len(shape) else None)
            pos += 1
        elif isinstance(part, gast.Constant) and part.value is None:
            dims.append(1)
        else:
            k = operand(part).kind
            if k.ndim == 0:
                pos += 1
            elif len(parts) == 1 and k.ndim is not None and k.dtype == "i":
                return array(k.ndim + x.ndim - 1, x.dtype)  # rows picked by an int array
            else:
                return Kind(None, None, x.dtype)  # fancy indexing
    dims += shape[pos:]
    return Kind(len(dims), tuple(dims), x.dtype)

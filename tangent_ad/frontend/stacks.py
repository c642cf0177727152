"""stacks: the list tapes of generated code, read back as operations of their own.

A generated gradient saves values on lists used as stacks (see `transform/tapes.py`)::

    s_stack = []                 a new stack
    s_stack.append(s)            push
    s = s_stack.pop()            pop

When generated code is differentiated again (`grad(grad(f))`, `hessian`), these three
statements stay as they are in the normalized form, with the pushed value an atom, and
the transforms give them rules (`transform/stack_rules.py`): a stack's tangent and its
adjoint are stacks too.

Only code that tangent_ad generated is read this way. Its stacks are balanced (the
backward sweep pops every value the forward sweep pushed), which the adjoint of a stack
relies on: it starts empty. A list in a user's function keeps the usual error.

One more statement of generated code is read back as what it stands for:
`add_outer(A_bar, u, v)` (a runtime helper) is `A_bar += np.outer(u, v)` done in place.
"""
import gast

from ..codegen.load import is_generated  # noqa: F401  (the normalizer asks here)
from ..codegen.templates import name
from .. import runtime
from ..kinds import UNKNOWN, Kind


# -- kinds ---------------------------------------------------------------------------------

def stack_kind(element=UNKNOWN):
    """The kind of a stack whose elements have the kind `element`."""
    return Kind(None, (element,), "l")


def is_stack_kind(kind):
    return kind.dtype == "l"


def element_kind(kind):
    return kind.shape[0] if is_stack_kind(kind) else UNKNOWN


# -- the three statements, in normalized code ----------------------------------------------

def _method(call, attr, count):
    """The stack name of `stack.attr(...)` with `count` arguments, else None."""
    if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and \
            call.func.attr == attr and isinstance(call.func.value, gast.Name) and \
            len(call.args) == count and not call.keywords:
        return call.func.value.id
    return None


def new_stack(stmt):
    """The name `s` of `s = []`, else None."""
    if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) and \
            isinstance(stmt.value, gast.List) and not stmt.value.elts:
        return stmt.targets[0].id
    return None


def push_of(stmt):
    """(stack, value) of `stack.append(value)`, else None."""
    if isinstance(stmt, gast.Expr):
        stack = _method(stmt.value, "append", 1)
        if stack is not None:
            return stack, stmt.value.args[0]
    return None


def pop_of(stmt):
    """(target name or None, stack) of `target = stack.pop()` or `stack.pop()`, else None."""
    value = stmt.value if isinstance(stmt, (gast.Assign, gast.Expr)) else None
    stack = _method(value, "pop", 0)
    if stack is None:
        return None
    if isinstance(stmt, gast.Expr):
        return None, stack
    target = stmt.targets[0]
    return (target.id if isinstance(target, gast.Name) else None), stack


def is_pop(expr):
    return _method(expr, "pop", 0) is not None


def stack_of(stmt):
    """The stack a statement creates, pushes onto or pops from, else None."""
    pop = pop_of(stmt)
    if pop is not None:
        return pop[1]
    push = push_of(stmt)
    return push[0] if push is not None else new_stack(stmt)


def push(stack, value):
    return gast.Expr(value=gast.Call(func=gast.Attribute(
        value=name(stack), attr="append", ctx=gast.Load()), args=[value], keywords=[]))


def pop(stack):
    return gast.Call(func=gast.Attribute(value=name(stack), attr="pop", ctx=gast.Load()),
                     args=[], keywords=[])


def create(stack):
    return gast.Assign(targets=[name(stack, gast.Store())], value=gast.List(
        elts=[], ctx=gast.Load()), type_comment=None)


# -- finding the stacks of a function ------------------------------------------------------

def stack_names(fdef):
    """Names that a function uses only as stacks: created once by `s = []`, then only
    pushed onto (`s.append(v)`, a statement) and popped from (`s.pop()`)."""
    created = {}
    for node in gast.walk(fdef):
        if isinstance(node, gast.Assign):
            for target in node.targets:
                if isinstance(target, gast.Name) and isinstance(node.value, gast.List) \
                        and not node.value.elts:
                    created[target.id] = created.get(target.id, 0) + 1
    allowed = set()  # id() of every Name node that is a use as a stack
    for node in gast.walk(fdef):
        if isinstance(node, gast.Assign) and new_stack(node):
            allowed.add(id(node.targets[0]))
        elif isinstance(node, gast.Expr) and push_of(node):
            allowed.add(id(node.value.func.value))
        elif is_pop(node):
            allowed.add(id(node.func.value))
    uses = {}
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and node.id in created:
            uses.setdefault(node.id, []).append(id(node) in allowed)
    return {s for s, count in created.items() if count == 1 and all(uses[s])}


class StackStatements:
    """Mixin of `Normalizer`: the stack statements of generated code, kept as they are."""

    stacks = frozenset()  # set by the normalizer for generated code

    def stack_statement(self, stmt):
        """Normalize `stmt` if it is a stack statement; True if it was one."""
        if isinstance(stmt, gast.Assign) and new_stack(stmt) in self.stacks:
            self.current[stmt.targets[0].id] = stmt.targets[0].id
            self.emit(create(stmt.targets[0].id))
            return True
        pushed = push_of(stmt)
        if pushed and pushed[0] in self.stacks:
            self.emit(push(pushed[0], self.atom(pushed[1])))
            return True
        popped = pop_of(stmt)
        if popped and isinstance(stmt, gast.Expr) and popped[1] in self.stacks:
            self.atom(stmt.value)  # `vN = s.pop()`: every pop has a target in normalized code
            return True
        return False

    def expr_Call(self, node):
        stack = _method(node, "pop", 0)
        if stack is not None and stack in self.stacks:
            return pop(stack)
        return super().expr_Call(node)


def outer_update(stmt, resolver):
    """`A += np.outer(u, v)` for the statement `add_outer(A, u, v)`, else None."""
    call = stmt.value
    if not (isinstance(call, gast.Call) and resolver.value(call.func) is runtime.add_outer
            and len(call.args) == 3 and not call.keywords
            and isinstance(call.args[0], gast.Name)):
        return None
    outer = gast.Call(func=gast.Attribute(value=name("np"), attr="outer", ctx=gast.Load()),
                      args=call.args[1:], keywords=[])
    return gast.AugAssign(target=name(call.args[0].id, gast.Store()), op=gast.Add(),
                          value=outer)

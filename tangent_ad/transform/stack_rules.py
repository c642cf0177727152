"""stack_rules: tangents and adjoints of the stack operations of generated code.

Differentiating a generated gradient again meets its tapes (`frontend/stacks.py`). A
stack's tangent is a stack of tangents, pushed and popped beside it; its adjoint is a
stack of adjoints, used in reverse order by the backward sweep, so the adjoint of a push
is a pop and the adjoint of a pop is a push::

    statement          tangent                     adjoint (in the backward sweep)
    s = []             s_dot = []                  s_bar = [] where the sweep starts
    s.append(v)        s_dot.append(v_dot)         v_bar += s_bar.pop()
    v = s.pop()        v_dot = s_dot.pop()         s_bar.append(v_bar)

The adjoint stack starts empty because generated stacks are balanced: every value pushed
is popped again before the function returns. Stacks of trip counts and branch tests hold
integers and flags, which carry no derivative: they stay as they are, without partners.
"""
import gast

from ..codegen.templates import assign, name
from ..frontend.stacks import create, new_stack, pop, pop_of, push, push_of, stack_of
from .adjoints import zeros


def _placed(stmt, origin):
    stmt.origin = origin
    return stmt


def tangent_of_stack(stmt, forward, out, zeros_of):
    """Append `stmt` and, for a stack that carries derivatives, its tangent statement.
    `zeros_of(node)` is the tangent of a pushed value that does not depend on the inputs."""
    analysis, names = forward.analysis, forward.names
    out.append(stmt)
    stack = stack_of(stmt)
    if stack not in analysis.active:
        return
    dot, origin = names.tangent(stack), getattr(stmt, "origin", None)
    pushed = push_of(stmt)
    if new_stack(stmt):
        out.append(_placed(create(dot), origin))
    elif pushed:
        value = pushed[1]
        active = isinstance(value, gast.Name) and value.id in analysis.active
        tangent = name(names.tangent(value.id)) if active else zeros_of(value)
        out.append(_placed(push(dot, tangent), origin))
    else:  # every pop of the stack pops its tangent too, or the two drift apart
        out.append(_placed(assign(names.tangent(pop_of(stmt)[0]), pop(dot)), origin))


def adjoint_of_stack(stmt, reverser, out, depth):
    """Append the adjoint statements of a stack statement of the forward sweep."""
    analysis, names, acc = reverser.analysis, reverser.names, reverser.acc
    stack = stack_of(stmt)
    if new_stack(stmt) or stack not in analysis.active:
        return  # the adjoint stack is created where the backward sweep starts
    stack_bar = names.adjoint(stack)
    pushed = push_of(stmt)
    if pushed:
        value = pushed[1]
        if isinstance(value, gast.Name) and value.id in analysis.active:
            acc.add(out, names.adjoint(value.id), pop(stack_bar))
        else:  # a value without a derivative: its adjoint is popped all the same
            out.append(assign(names.temp(), pop(stack_bar)))
        return
    target = pop_of(stmt)[0]
    adj = names.adjoint(target)
    if target in analysis.active and acc.defined(adj):
        value = acc.read(adj, target)
    else:
        value = zeros(target, analysis.kind(target))
    out.append(push(stack_bar, value))
    acc.kill(adj)  # the value held before the pop is another one: its adjoint starts anew


def adjoint_stacks(primal, analysis, names, acc):
    """`s_bar = []` for every stack that carries derivatives, to open the backward sweep."""
    out = []
    for stmt in _walk(primal):
        stack = new_stack(stmt)
        if stack is not None and stack in analysis.active:
            stack_bar = names.adjoint(stack)
            origin = getattr(stmt, "origin", None)
            out.append(_placed(create(stack_bar), origin and origin.as_role("adjoint")))
            acc.owned[stack_bar] = True
    return out


def _walk(stmts):
    for stmt in stmts:
        yield stmt
        for field in ("body", "orelse"):
            yield from _walk(getattr(stmt, field, None) or [])


def operands_read(stmt):
    """Names a stack statement reads that may carry derivatives (for loop analysis)."""
    pushed = push_of(stmt)
    if pushed:
        return {pushed[1].id} if isinstance(pushed[1], gast.Name) else set()
    popped = pop_of(stmt)
    return {popped[1]} if popped else set()

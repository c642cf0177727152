"""jumps: `break`, `continue` and early `return` become flags and structured code.

Reverse mode replays loops and branches backwards, which needs every loop to run whole
iterations and every function to leave at its end. Before and after::

    for i in range(n):                     broke = False
        if x > 10.0:                       for i in range(n):
            break                              if not broke:
        x = x * 2.0                                if x > 10.0:
                                                       broke = True
                                                   if not broke:
                                                       x = x * 2.0

An early `return` outside loops moves the statements after its `if` into the branches
that do not return; every `return v` becomes `result = v`, and the function ends with
`return result`. A `return` inside a loop also sets a `returned` flag that stops the loops.
"""
import copy

import gast

from ..codegen.templates import constant, name

JUMPS = (gast.Break, gast.Continue, gast.Return)


def _nodes(stmts, into_loops):
    """Statements of `stmts` and of their branches (and loops, if asked)."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, (gast.For, gast.While)) and not into_loops:
            continue
        for field in ("body", "orelse"):
            yield from _nodes(getattr(stmt, field, []) or [], into_loops)


def _contains(stmts, kinds, into_loops=False):
    return any(isinstance(s, kinds) for s in _nodes(stmts, into_loops))


def _always_returns(stmts):
    last = stmts[-1] if stmts else None
    if isinstance(last, gast.Return):
        return True
    return isinstance(last, gast.If) and _always_returns(last.body) and \
        _always_returns(last.orelse)


def _assign(target, value, where):
    stmt = gast.Assign(targets=[name(target, gast.Store())], value=value, type_comment=None)
    stmt = _located(stmt, where)
    stmt.end_lineno = stmt.lineno  # quote one line, not the whole loop it stands before
    return stmt


def _located(new, old):
    for node in gast.walk(new):
        if not hasattr(node, "lineno"):
            gast.copy_location(node, old)
    return new


def _none_of(flags, where):
    test = name(flags[0]) if len(flags) == 1 else gast.BoolOp(
        op=gast.Or(), values=[name(f) for f in flags])
    return _located(gast.UnaryOp(op=gast.Not(), operand=test), where)


class _Loop:
    """The flags of the loop being rewritten."""

    def __init__(self, broke, skip, returned):
        self.broke, self.skip, self.returned = broke, skip, returned

    def stopping(self):
        """Flags that end the loop: set, they skip every later iteration."""
        return [f for f in (self.broke, self.returned) if f]

    def guards(self):
        return [f for f in (self.broke, self.skip, self.returned) if f]


class Jumps:
    """Rewrites one function body; `names` gives flag names that are free in it."""

    def __init__(self, names, body):
        self.names = names
        self.result = names.fresh("result")
        loop_returns = any(isinstance(s, (gast.For, gast.While)) and
                           _contains(s.body, gast.Return, True) for s in _nodes(body, True))
        self.returned = names.fresh("returned") if loop_returns else None

    def function(self, body):
        new = self.block(body, None)
        if self.returned:
            new.insert(0, _assign(self.returned, constant(False), body[0]))
        return new + [_located(gast.Return(value=name(self.result)), body[-1])]

    def block(self, stmts, loop):
        out = []
        for i, stmt in enumerate(stmts):
            rest = stmts[i + 1:]
            if isinstance(stmt, JUMPS):
                out.extend(self.jump(stmt, loop))
                return out
            if isinstance(stmt, gast.If) and _contains([stmt], JUMPS):
                if loop is None and not _contains([stmt], (gast.For, gast.While)):
                    out.append(self.nest_rest(stmt, rest))
                    return out
                stmt.body = self.block(stmt.body, loop)
                stmt.orelse = self.block(stmt.orelse, loop)
                out.append(stmt)
                return out + self.guarded(rest, loop, stmt)
            if isinstance(stmt, (gast.For, gast.While)):
                returns = _contains(stmt.body, gast.Return, True)
                out.extend(self.loop(stmt))
                if returns:
                    return out + self.guarded(rest, loop, stmt, [self.returned])
                continue
            out.append(stmt)
        return out

    def nest_rest(self, stmt, rest):
        """`if c: return a` + rest → `if c: result = a` / `else: rest` (outside loops)."""
        for field in ("body", "orelse"):
            branch = getattr(stmt, field)
            if not _always_returns(branch):
                branch = branch + copy.deepcopy(rest)
            setattr(stmt, field, self.block(branch, None))
        return stmt

    def guarded(self, rest, loop, where, flags=None):
        flags = flags or (loop.guards() if loop else [self.returned])
        if not rest:
            return []
        return [_located(gast.If(test=_none_of(flags, where), body=self.block(rest, loop),
                                 orelse=[]), rest[0])]

    def jump(self, stmt, loop):
        if isinstance(stmt, gast.Break):
            return [_assign(loop.broke, constant(True), stmt)]
        if isinstance(stmt, gast.Continue):
            return [_assign(loop.skip, constant(True), stmt)]
        out = [_assign(self.result, stmt.value, stmt)]
        if loop is not None:
            out.append(_assign(self.returned, constant(True), stmt))
        return out

    def loop(self, stmt):
        broke = self.names.fresh("broke") if _contains(stmt.body, gast.Break) else None
        skip = self.names.fresh("skip") if _contains(stmt.body, gast.Continue) else None
        returned = self.returned if _contains(stmt.body, gast.Return, True) else None
        flags = _Loop(broke, skip, returned)
        body = self.block(stmt.body, flags)
        if skip:
            body.insert(0, _assign(skip, constant(False), stmt.body[0]))
        stopping = flags.stopping()
        if stopping:
            body = [_located(gast.If(test=_none_of(stopping, stmt), body=body, orelse=[]),
                             stmt.body[0])]
            if isinstance(stmt, gast.While):
                stmt.test = _located(gast.BoolOp(op=gast.And(), values=[
                    stmt.test, _none_of(stopping, stmt)]), stmt.test)
        stmt.body = body
        return ([_assign(broke, constant(False), stmt)] if broke else []) + [stmt]


def remove_jumps(body, names):
    """The function body without break/continue/early return (see the module doc)."""
    early = _contains(body[:-1], JUMPS, True) or not isinstance(body[-1], gast.Return) \
        or _contains(body[-1:], (gast.Break, gast.Continue), True)
    if not early:
        return body
    return Jumps(names, body).function(body)

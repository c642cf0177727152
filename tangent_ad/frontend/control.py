"""Normalizing control flow: `if`, `for`, `while`, `and`/`or`, conditional expressions.

Tests become names computed just before the statement; loops iterate over `range` only::

    for v in x:                     v1 = x.shape
        s = s + v                   v2 = v1[0]
                                    for i in range(v2):
                                        v = x[i]
                                        s = s + v

    while x < 10.0:                 v3 = x < 10.0
        x = x * 2.0                 while v3:
                                        x = x * 2.0
                                        v3 = x < 10.0

`a and b` keeps Python's short circuit: `v4 = a` then `if v4: v4 = b`.
"""
import copy

import gast
import numpy as np

from ..codegen.templates import assign, constant, name
from .resolve import MISSING
from .statics import static_loop


class ControlFlow:
    """Mixin of `Normalizer`: statements and expressions that contain blocks."""

    def nested(self, stmts):
        """Normalize a block one level deeper (no SSA versions inside blocks)."""
        self.depth += 1
        origin, col = self.origin, self.origin_col
        self.forget_statics(stmts)  # a block may run again, or not at all
        try:
            return self.block(stmts)
        finally:
            self.depth -= 1
            self.origin, self.origin_col = origin, col
            self.forget_statics(stmts)

    def stmt_If(self, stmt):
        test = self.atom(stmt.test)
        self.emit(gast.If(test=test, body=self.nested(stmt.body) or [gast.Pass()],
                          orelse=self.nested(stmt.orelse)))

    def stmt_While(self, stmt):
        if stmt.orelse:
            raise self.error(stmt, "`while ... else` cannot be differentiated.",
                             "set a flag in the loop and test it after the loop.")
        self.forget_statics([stmt])
        test = self.atom(stmt.test, fresh=True)
        body = self.nested(stmt.body)
        self.depth += 1
        saved, self.out = self.out, body
        self.emit(assign(test.id, self.expr(stmt.test)))
        self.out = saved
        self.depth -= 1
        self.emit(gast.While(test=test, body=body, orelse=[]))

    def stmt_For(self, stmt):
        if stmt.orelse:
            raise self.error(stmt, "`for ... else` cannot be differentiated.",
                             "set a flag in the loop and test it after the loop.")
        if static_loop(self, stmt):
            return  # `for layer in self.layers:` over functions or objects: unrolled
        items = self.unrolled_items(stmt)  # a loop over structure (structure.py)
        if items is not None:
            return self.unroll(stmt, items)
        self.forget_statics([stmt])
        index, count, unpack = self.iteration(stmt)
        self.depth += 1
        saved, self.out = self.out, []
        for target, sequence in unpack:
            self.emit(assign(self.define(target), gast.Subscript(
                value=sequence, slice=name(index), ctx=gast.Load())))
        head, self.out = self.out, saved
        body = head + self.nested(stmt.body)
        self.depth -= 1
        self.emit(gast.For(target=name(index, gast.Store()), iter=count, body=body,
                           orelse=[], type_comment=None))

    def forget_statics(self, body):
        """A loop that stays a loop runs its body many times, and an `if` runs a block or
        not: a name they assign is not known in advance in them, nor after them."""
        for node in gast.walk(gast.Module(body=list(body), type_ignores=[])):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                self.statics.pop(self.current.get(node.id), None)

    def unrolled(self, stmt):
        """`for v in (a, b):` over a tuple or list: the body once per element."""
        items = self.atom(stmt.iter)
        if not isinstance(stmt.target, gast.Name) or len(items.elts) > 64:
            raise self.error(stmt.iter, "only a loop over a short tuple or list of values, "
                             "with one loop variable, can be unrolled.",
                             "loop over range(n) and index an array instead.")
        for item in items.elts:
            self.emit(assign(self.define(stmt.target.id), item))
            self.block_into(copy.deepcopy(stmt.body))

    def iteration(self, stmt):
        """(index name, range(...) call, [(name, sequence)]) of a `for` statement."""
        call, target = stmt.iter, stmt.target
        func = self.resolver.value(call.func) if isinstance(call, gast.Call) else MISSING
        if func is range:
            if not isinstance(target, gast.Name):
                raise self.error(target, "a `range` loop needs one loop variable.",
                                 "write `for i in range(n):`.")
            index = self.loop_variable(target.id)
            return index, _range([self.atom(a) for a in call.args]), []
        if func is enumerate and len(call.args) == 1 and _pair(target):
            index = self.loop_variable(target.elts[0].id)
            sequence = self.atom(call.args[0])
            return index, _range([self.length(sequence)]), [(target.elts[1].id, sequence)]
        if func is zip and _names(target, len(call.args)):
            sequences = [self.atom(a) for a in call.args]
            count = self.length(sequences[0])
            for sequence in sequences[1:]:
                least = gast.Call(func=name("min"), args=[count, self.length(sequence)],
                                  keywords=[])
                least.prim = min
                count = self.temporary(least)
            index = self.loop_variable(self.names.fresh("i"))
            return index, _range([count]), [(t.id, s) for t, s in zip(target.elts, sequences)]
        if func not in (range, enumerate, zip) and isinstance(target, gast.Name):
            sequence = self.atom(call)  # an array: iterate over its rows
            index = self.loop_variable(self.names.fresh("i"))
            return index, _range([self.length(sequence)]), [(target.id, sequence)]
        raise self.error(stmt.iter, "this loop cannot be reversed: tangent_ad iterates over "
                         "range(...), an array, enumerate(array) or zip(arrays).",
                         "loop over range(n) and index the sequence inside the loop.")

    def loop_variable(self, user_name):
        self.current[user_name] = self.current.get(user_name, user_name)
        return self.current[user_name]

    def length(self, sequence):
        """The number of rows of the array `sequence` (an atom), as a new atom."""
        shape = gast.Attribute(value=sequence, attr="shape", ctx=gast.Load())
        shape.prim = np.shape
        return self.temporary(gast.Subscript(value=self.temporary(shape), slice=constant(0),
                                             ctx=gast.Load()))

    def temporary(self, expr):
        """Emit `vN = expr` for an already normalized expression; returns the name."""
        temp = self.names.temp()
        self.emit(assign(temp, expr))
        return name(temp)

    # -- expressions with blocks -----------------------------------------------------
    def expr_IfExp(self, node):
        result = self.names.temp()
        test = self.atom(node.test)
        branches = []
        for value in (node.body, node.orelse):
            self.depth += 1
            saved, self.out = self.out, []
            self.emit(assign(result, self.expr(value)))
            branches.append(self.out)
            self.out = saved
            self.depth -= 1
        self.emit(gast.If(test=test, body=branches[0], orelse=branches[1]))
        return name(result)

    def expr_BoolOp(self, node):
        """`a and b`: `v = a`, then `if v: v = b` (Python's short circuit)."""
        result = self.atom(node.values[0], fresh=True).id
        for value in node.values[1:]:
            self.depth += 1
            saved, self.out = self.out, []
            self.emit(assign(result, self.expr(value)))
            block = self.out
            self.out = saved
            self.depth -= 1
            if isinstance(node.op, gast.And):
                self.emit(gast.If(test=name(result), body=block, orelse=[]))
            else:
                self.emit(gast.If(test=name(result), body=[gast.Pass()], orelse=block))
        return name(result)

    def expr_Compare(self, node):
        if len(node.ops) == 1:
            return gast.Compare(left=self.atom(node.left), ops=node.ops,
                                comparators=[self.atom(node.comparators[0])])
        operands = [self.atom(node.left)] + [self.atom(c) for c in node.comparators]
        parts = [gast.Compare(left=a, ops=[op], comparators=[b])
                 for a, op, b in zip(operands, node.ops, operands[1:])]
        result = self.temporary(parts[0])
        for part in parts[1:]:  # `a < b < c`: `v = a < b`, then `if v: v = b < c`
            self.emit(gast.If(test=result, body=[assign(result.id, part)], orelse=[]))
        return result


def _range(args):
    return gast.Call(func=name("range"), args=args, keywords=[])


def _pair(target):
    return _names(target, 2)


def _names(target, count):
    return (isinstance(target, gast.Tuple) and len(target.elts) == count
            and all(isinstance(e, gast.Name) for e in target.elts))

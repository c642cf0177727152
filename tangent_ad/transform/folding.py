"""folding: arithmetic on literals and the identities of 0 and 1, inside expressions.

>>> import ast, gast
>>> tree = gast.parse("y = 1.0 * 2 * x ** (2 - 1) + 0")
>>> ast.unparse(gast.gast_to_ast(Fold().visit(tree)))
'y = 2.0 * x'
>>> ast.unparse(gast.gast_to_ast(Fold().visit(gast.parse("z_bar = g * z + g * z"))))
'z_bar = 2 * (g * z)'
>>> ast.unparse(gast.gast_to_ast(Fold().visit(gast.parse("x_bar = z_bar * (1.0 / x)"))))
'x_bar = z_bar / x'
"""
import numbers

import gast

from ..codegen.templates import constant


def is_num(node):
    return (isinstance(node, gast.Constant) and isinstance(node.value, numbers.Number)
            and not isinstance(node.value, bool))


def _unfoldable(node):
    """A node that Fold leaves as it is, with nothing inside that it could change."""
    return isinstance(node, (gast.Constant, gast.expr_context)) or (
        isinstance(node, gast.Name) and node.annotation is None)


def _num(node, value):
    return is_num(node) and node.value == value


def _reciprocal(node):
    """`1.0 / b`."""
    return isinstance(node, gast.BinOp) and isinstance(node.op, gast.Div) and \
        _num(node.left, 1.0) and isinstance(node.left.value, float)


_ARITH = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
          gast.Mult: lambda a, b: a * b, gast.Div: lambda a, b: a / b if b else None,
          gast.Pow: lambda a, b: a ** b if abs(b) < 64 else None}


class Fold(gast.NodeTransformer):
    """Arithmetic on literals, and the identities x*1, 1*x, x+0, 0+x, x-0, x/1, x**1, --x.

    With `kind_of(name)`, a boolean or integer operand keeps its `1.0 *` or `+ 0.0`: the
    float literal makes a mask a number (`1.0 * mask + 1.0 * mask` counts, `mask + mask`
    is a logical or)."""

    def __init__(self, kind_of=None):
        self.kind_of = kind_of

    def generic_visit(self, node):
        """ast.NodeTransformer's, minus the visits of names, literals and contexts, which
        fold to themselves: optimize folds the whole function once per round."""
        for field in node._fields:
            old = getattr(node, field, None)
            if isinstance(old, list):
                new = []
                for value in old:
                    if isinstance(value, gast.AST) and not _unfoldable(value):
                        value = self.visit(value)
                        if value is None:
                            continue
                        if not isinstance(value, gast.AST):
                            new.extend(value)
                            continue
                    new.append(value)
                old[:] = new
            elif isinstance(old, gast.AST) and not _unfoldable(old):
                value = self.visit(old)
                if value is None:
                    delattr(node, field)
                else:
                    setattr(node, field, value)
        return node

    def _promoted(self, node, literal):
        """True when dropping the float `literal` would change `node`'s dtype."""
        if not isinstance(literal.value, float):
            return False
        if isinstance(node, gast.Compare):
            return True
        return isinstance(node, gast.Name) and self.kind_of is not None \
            and self.kind_of(node.id).dtype in "bi"

    def visit_BinOp(self, node):
        self.generic_visit(node)
        op, left, right = type(node.op), node.left, node.right
        if is_num(left) and is_num(right) and op in _ARITH:
            value = _ARITH[op](left.value, right.value)
            if value is not None:
                return constant(value)
        if (is_num(right) and self._promoted(left, right)
                or is_num(left) and self._promoted(right, left)):
            return node
        if op is gast.Mult:
            if _num(right, 1) and not isinstance(right.value, float) or _num(right, 1.0):
                return left
            if _num(left, 1):
                return right
            if _num(left, -1.0) or _num(right, -1.0):  # -1.0 * e → -e (exact)
                return gast.UnaryOp(op=gast.USub(), operand=right if is_num(left) else left)
            if _reciprocal(right):  # a * (1.0 / b) → a / b: one rounding, one operation
                return gast.BinOp(left=left, op=gast.Div(), right=right.right)
            return self._constant_factors(node)
        if op is gast.Add and _num(right, 0):
            return left
        if op is gast.Add and self._doubled(left, right):
            return gast.BinOp(left=constant(2), op=gast.Mult(), right=left)
        if op is gast.Add and _num(left, 0):
            return right
        if op is gast.Sub and _num(right, 0):
            return left
        if op is gast.Div and _num(right, 1):
            return left
        if op is gast.Pow and _num(right, 1):
            return left
        return node

    def _doubled(self, left, right):
        """`e + e` of one arithmetic expression, which `2 * e` computes in one pass (the
        same numbers: doubling is exact). A bare name is left alone: `mask + mask` of
        booleans is a logical or; so is a tape's pop, which gives a new value each time."""
        return isinstance(left, (gast.BinOp, gast.UnaryOp, gast.Call)) and \
            gast.dump(left) == gast.dump(right) and not any(
                isinstance(n, gast.Compare) or isinstance(n, gast.Attribute)
                and n.attr in ("pop", "append") for n in gast.walk(left))

    @staticmethod
    def _constant_factors(node):
        """c1 * (c2 * e), (c1 * e) * c2, (e * c1) * c2 → (c1 * c2) * e."""
        left, right = node.left, node.right
        inner, c = (right, left) if is_num(left) else (left, right) if is_num(right) else (
            None, None)
        if inner is None or not (isinstance(inner, gast.BinOp)
                                 and isinstance(inner.op, gast.Mult)):
            return node
        if is_num(inner.left):
            return gast.BinOp(left=constant(c.value * inner.left.value), op=gast.Mult(),
                              right=inner.right)
        if is_num(inner.right):
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
                and all(is_num(e) for e in args[0].elts)):
            order = sorted(range(len(args[0].elts)), key=lambda i: args[0].elts[i].value)
            return gast.Tuple(elts=[constant(i) for i in order], ctx=gast.Load())
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub):
            if is_num(node.operand):
                return constant(-node.operand.value)
            inner = node.operand
            if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
                return inner.operand
        return node



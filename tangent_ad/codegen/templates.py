"""Rule templates: small Python functions whose body is the derivative code itself.

A template's parameters name the result and the operands of one primitive call; its body
uses `x_bar` for the adjoint and `x_dot` for the tangent of parameter `x`::

    def _(z, x, y):
        x_bar += unbroadcast(z_bar * y, x)

Expanding it for `v3 = a * b` substitutes the actual names, giving `a_bar += ...`
with `z_bar` → `v3_bar`, `y` → `b`. A tangent of an operand that does not depend on the
inputs is a symbolic zero, removed algebraically (`x_dot * y + x * ZERO` → `x_dot * y`).
"""
import copy
import inspect
import textwrap

import gast

ZERO = "__zero__"


class Template:
    """A parsed rule function: its parameter names, keyword defaults and body."""

    def __init__(self, fn=None, source=None):
        source = source or textwrap.dedent(inspect.getsource(fn))
        tree = gast.parse(source).body[0]
        args = tree.args
        self.fn = fn
        self.params = [a.id for a in args.args]
        defaults = [d.value for d in args.defaults]
        self.defaults = dict(zip(self.params[len(self.params) - len(defaults):], defaults))
        self.body = tree.body
        self.source = source

    def bind(self, target, args, keywords):
        """{param: node} for a call `target = f(*args, **keywords)`; None if it cannot bind."""
        names = self.params[1:]
        if len(args) > len(names):
            return None
        bound = {self.params[0]: target}
        bound.update(zip(names, args))
        for key, value in keywords.items():
            if key not in names or key in bound:
                return None
            bound[key] = value
        for name in names:
            if name not in bound:
                if name not in self.defaults:
                    return None
                bound[name] = gast.Constant(value=self.defaults[name], kind=None)
                bound[name].is_default = True
        return bound


def name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def assign(target, value, origin=None):
    """`target = value`, remembering the user's lines it came from (`origin`)."""
    stmt = gast.Assign(targets=[name(target, gast.Store())], value=value, type_comment=None)
    stmt.origin = origin
    return stmt


def constant(value):
    return gast.Constant(value=value, kind=None)


def attribute(value, attr):
    return gast.Attribute(value=value, attr=attr, ctx=gast.Load())


def call(function, *args, **keywords):
    """`function(*args, **keywords)` for a dotted name such as `np.empty`."""
    module, _, attr = function.rpartition(".")
    return gast.Call(func=attribute(name(module), attr) if module else name(attr),
                     args=list(args),
                     keywords=[gast.keyword(arg=k, value=v) for k, v in keywords.items()])


def shape_at(array, axis):
    """`array.shape[axis]`."""
    return gast.Subscript(value=attribute(name(array), "shape"), slice=constant(axis),
                          ctx=gast.Load())


def is_zero(node):
    return isinstance(node, gast.Name) and node.id == ZERO


class _Substitute(gast.NodeTransformer):
    """Replaces names by nodes. A keyword argument given a parameter the call did not pass
    is dropped: `np.sum(x_dot, axis=axis)` reads `np.sum(x_dot)` when `axis` was left out."""

    def __init__(self, mapping):
        self.mapping = mapping

    def visit_Call(self, node):
        self.generic_visit(node)
        node.keywords = [k for k in node.keywords if not getattr(k.value, "is_default", False)]
        return node

    def visit_Subscript(self, node):
        """`(a_bar, b_bar)[1]` → `b_bar`: an item of a tuple that substitution built."""
        self.generic_visit(node)
        if (isinstance(node.value, gast.Tuple) and isinstance(node.slice, gast.Constant)
                and isinstance(node.slice.value, int)):
            return node.value.elts[node.slice.value]
        return node

    def visit_Name(self, node):
        if node.id in self.mapping:
            new = copy.deepcopy(self.mapping[node.id])
            if isinstance(new, gast.Name):
                new.ctx = node.ctx
            return new
        return node


def substitute(node, mapping):
    """A copy of `node` with names replaced by the nodes in `mapping`."""
    return _slices_as_values(_Substitute(mapping).visit(copy.deepcopy(node)))


def _slices_as_values(tree):
    """An index substituted where a value goes (`add_at(g, i, v)` for i = `:, j`) writes
    its slices as calls: `(slice(None, None, None), j)`."""
    in_index = set()
    for node in gast.walk(tree):
        if isinstance(node, gast.Subscript):
            in_index.add(id(node.slice))
            if isinstance(node.slice, gast.Tuple):
                in_index.update(id(e) for e in node.slice.elts)

    class Values(gast.NodeTransformer):
        def visit_Slice(self, node):
            self.generic_visit(node)
            if id(node) in in_index:
                return node
            parts = [p if p is not None else constant(None)
                     for p in (node.lower, node.upper, node.step)]
            return gast.Call(func=name("slice"), args=parts, keywords=[])
    return Values().visit(tree)


def _bears_tangent(node, tangent_names):
    return any(isinstance(n, gast.Name) and (n.id == ZERO or n.id in tangent_names)
               for n in gast.walk(node))


class _SimplifyZeros(gast.NodeTransformer):
    """Algebra of the symbolic zero: 0 + e = e, 0 * e = 0, f(0) = 0 for linear f, ..."""

    def __init__(self, tangent_names):
        self.tangent_names = tangent_names

    def visit_BinOp(self, node):
        self.generic_visit(node)
        lz, rz = is_zero(node.left), is_zero(node.right)
        if not (lz or rz):
            return node
        op = type(node.op)
        if op is gast.Add:
            return node.right if lz else node.left
        if op is gast.Sub:
            return node.left if rz else gast.UnaryOp(op=gast.USub(), operand=node.right)
        return name(ZERO)  # *, /, @, ** of a tangent by a zero tangent

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node.operand if is_zero(node.operand) else node

    def visit_Subscript(self, node):
        self.generic_visit(node)
        return node.value if is_zero(node.value) else node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        return node.value if is_zero(node.value) else node

    def visit_Call(self, node):
        self.generic_visit(node)
        operands = list(node.args) + [k.value for k in node.keywords]
        bearing = [a for a in operands if _bears_tangent(a, self.tangent_names)]
        if bearing and all(is_zero(a) for a in bearing):
            return name(ZERO)
        node.args = [constant(0.0) if is_zero(a) else a for a in node.args]
        for k in node.keywords:
            if is_zero(k.value):
                k.value = constant(0.0)
        return node


def simplify_zeros(node, tangent_names):
    """Remove symbolic zeros from an expression; the result may itself be ZERO."""
    return _SimplifyZeros(set(tangent_names)).visit(node)

"""sums: the rows of a product summed before the product is taken.

`unbroadcast(a, v)` sums the rows of a matrix `a` into a vector shaped like `v`: the
adjoint of adding `v` to every row (`x - mu`). When `a = p @ m` is read nowhere else,
summing the rows of `p` first gives the same vector, with a vector-matrix product in
place of a matrix product (N x D x D multiplications become N x D additions)::

    v11_bar = z_bar @ v12.T                  v10_bar = -(np.sum(z_bar, axis=0) @ v12.T)
    v10_bar = -unbroadcast(v11_bar, v10)

>>> import ast, gast
>>> from tangent_ad.kinds import Kind
>>> from tangent_ad.transform.optimize import _counts
>>> body = gast.parse('''
... v11_bar = z_bar @ v12.T
... q_bar = q_bar + 1.0
... v10_bar = -unbroadcast(v11_bar, v10)
... ''').body
>>> kinds = {"v11_bar": Kind(2, ("N", "D")), "v10": Kind(1, ("D",))}
>>> sum_rows_first(body, lambda n: kinds.get(n, Kind(None, None)), _counts(body))
True
>>> print(ast.unparse(gast.gast_to_ast(gast.Module(body=body, type_ignores=[]))))
q_bar = q_bar + 1.0
v10_bar = -(np.sum(z_bar, axis=0) @ v12.T)
"""
import gast

from .reads import blocks, reads_in, replace_in, written_names
from ..codegen.templates import call, constant


def sum_rows_first(body, kind_of, counts):
    """Rewrite one `a = p @ m` read only by a later `unbroadcast(a, v)` of the same block
    (nothing between changing `p` or `m`); True when something changed."""
    reads, writes = counts
    for block in blocks(body):
        for i, stmt in enumerate(block):
            if not _product(stmt, reads, writes, kind_of):
                continue
            target, used = stmt.targets[0].id, reads_in(stmt.value)
            for later in block[i + 1:]:
                if target in reads_in(later):
                    rewrite = _SumFirst(target, stmt.value, kind_of)
                    if getattr(later, "body", None) is None:
                        replace_in(later, rewrite)
                    if not rewrite.done:
                        break
                    del block[i]
                    return True
                if getattr(later, "body", None) is not None or written_names(later) & used:
                    break
    return False


def _product(stmt, reads, writes, kind_of):
    """Whether `stmt` is `a = p @ m`, with `a` a matrix assigned and read once."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], gast.Name) and isinstance(stmt.value, gast.BinOp)
            and isinstance(stmt.value.op, gast.MatMult)):
        return False
    target = stmt.targets[0].id
    return reads.get(target) == 1 and writes.get(target) == 1 and \
        kind_of(target).ndim == 2


class _SumFirst(gast.NodeTransformer):
    """`unbroadcast(a, v)` → `np.sum(p, axis=0) @ m`, when it sums all of `a`'s rows into
    one (`v` a vector as long as a row of `a`)."""

    def __init__(self, target, product, kind_of):
        self.target, self.product, self.kind_of = target, product, kind_of
        self.done = False

    def visit_Call(self, node):
        self.generic_visit(node)
        func, args = node.func, node.args
        if not (isinstance(func, gast.Name) and func.id == "unbroadcast" and len(args) == 2
                and not node.keywords and all(isinstance(a, gast.Name) for a in args)
                and args[0].id == self.target):
            return node
        rows, like = self.kind_of(self.target), self.kind_of(args[1].id)
        if like.ndim != 1 or not rows.shape or rows.shape[1] in (None, 1) \
                or like.shape != rows.shape[1:]:
            return node
        self.done = True
        summed = call("np.sum", self.product.left, axis=constant(0))
        return gast.BinOp(left=summed, op=gast.MatMult(), right=self.product.right)

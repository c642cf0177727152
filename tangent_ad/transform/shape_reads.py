"""shape_reads: a value the backward sweep reads only for its shape is not taped for it.

Some helpers of the backward sweep read only the shape of an argument: `expand_to(g, v, 1)`
repeats `g` into an array shaped like `v`, `unbroadcast(g, v)` sums `g` down to `v`'s
shape. When `v`'s one definition has an operand of the same shape (by the kinds) that the
backward sweep reads anyway, that operand takes `v`'s place, and the tapes need not keep
`v` alive until the backward sweep (for arrays in a loop, one array per trip)::

    forward:  v17 = z * z                  backward:  v17_bar = expand_to(v18_bar, v17, 1)
              v18 = np.sum(v17, axis=1)                z_bar = 2 * (v17_bar * z)

becomes `v17_bar = expand_to(v18_bar, z, 1)`: `z` is taped for `z_bar` already, `v17` no
longer is.

>>> import gast
>>> from tangent_ad.kinds import Kind
>>> fwd = gast.parse("v17 = z * z\\nv18 = np.sum(v17, axis=1)").body
>>> bwd = gast.parse("v17_bar = expand_to(v18_bar, v17, 1)\\nz_bar = v17_bar * z").body
>>> kinds = {"z": Kind(2, ("d0", "d1")), "v17": Kind(2, ("d0", "d1"))}
>>> read_shapes_from_operands(fwd, bwd, lambda v: kinds.get(v, Kind(None, None)), set())
>>> import ast; print(ast.unparse(gast.gast_to_ast(bwd[0])))
v17_bar = expand_to(v18_bar, z, 1)
"""
import gast

from ..kinds import same_shape
from .reads import statements, walk

SHAPE_ONLY = {"expand_to": 1, "unbroadcast": 1}  # helper → the argument whose shape it reads


def _shape_read(node):
    """The position of the argument whose shape `node` reads, if it is a helper call of
    that sort with a name there."""
    if not (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)):
        return None
    position = SHAPE_ONLY.get(node.func.id)
    if position is None or len(node.args) <= position or \
            not isinstance(node.args[position], gast.Name):
        return None
    return position


def read_shapes_from_operands(forward, backward, kind_of, params):
    """Rewrite, in place, the backward sweep's shape-only reads of values that it reads
    for nothing else, to an operand of their definition that it does read (or a
    parameter, which is never taped)."""
    shape_reads = {}
    for stmt in backward:
        for node in walk(stmt):
            position = _shape_read(node)
            if position is not None:
                shape_reads.setdefault(node.args[position].id, []).append((node, position))
    at_shape = {id(call.args[p]) for calls in shape_reads.values() for call, p in calls}
    read = {node.id for stmt in backward for node in walk(stmt)
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load)
            and id(node) not in at_shape}
    definitions = {}
    for stmt, _ in statements(forward):
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            definitions.setdefault(stmt.targets[0].id, []).append(stmt)
    for v, calls in shape_reads.items():
        if v in read or v in params or len(definitions.get(v, ())) != 1 or \
                kind_of(v).ndim in (0, None):
            continue
        operands = sorted(n.id for n in walk(definitions[v][0].value)
                          if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))
        stand_in = next((u for u in operands if u != v and (u in read or u in params)
                         and same_shape(kind_of(u), kind_of(v))), None)
        for call, position in calls if stand_in else ():
            call.args[position] = gast.Name(id=stand_in, ctx=gast.Load(), annotation=None,
                                            type_comment=None)

"""fuse: the function numba compiles, with single-use elementwise temporaries inlined.

numba fuses the elementwise operations of one statement into one loop (its array-expression
rewrite), but not those of consecutive statements: each temporary of a Wengert list is an
array allocated and written in a pass of its own. The printed derivative keeps its one
operation per line; numba compiles a copy in which a temporary that is computed from
arithmetic and NumPy ufuncs, assigned once and read once, later in the same block, is
replaced by its expression:

>>> print(fused_source('''
... def f_grad(x, y):
...     v1 = x * y
...     v2 = np.sin(v1)
...     x_bar = v2 * y
...     return x_bar
... ''', 'f_grad', 'f_grad_fused'), end='')
def f_grad_fused(x, y):
    x_bar = np.sin(x * y) * y
    return x_bar

Only pure expressions move, and only past statements that write none of the names they
read and mutate no array in place (`a += b`, `a[i] = b`, a call as a statement): moved,
the expression computes the same values, in the same order of operations, as before.

The copy also calls the runtime's versions of the functions in `SIMD_VERSIONS`,
which numba compiles to vector instructions (`overloads/simd.py`):

>>> print(fused_source('''
... def f_grad(x):
...     y = np.tanh(x)
...     return y
... ''', 'f_grad'), end='')
def f_grad_fused(x):
    y = simd_tanh(x)
    return y
"""
import ast

import gast

from ..frontend.resolve import dotted
from ..transform.reads import Rename, blocks, name_counts, walk
from .loops import fuse_loops, is_ufunc
from .names import Names

_NOT_MUTATING = ("copy", "pop")
SIMD_VERSIONS = {"np.exp": "simd_exp", "math.exp": "simd_exp",  # runtime.simd_exp, ...
                 "np.tanh": "simd_tanh", "math.tanh": "simd_tanh"}


def fused_source(text, name, new_name=None, kind_of=None):
    """The function `name` of the source `text`, fused and renamed `new_name` (by default
    `name_fused`, or with more `_` until no name in `text` takes it); None when nothing
    fuses or `text` holds no such function (numba then compiles `text` as it is). With the
    kinds of its names (`kind_of`), runs of vector statements become loops first
    (`loops.py`)."""
    try:
        tree = gast.parse(text)
    except SyntaxError:
        return None
    fdef = next((n for n in tree.body if isinstance(n, gast.FunctionDef) and n.name == name),
                None)
    if fdef is None:
        return None
    new_name = new_name or _free_name(tree, f"{name}_fused")
    looped = kind_of is not None and fuse_loops(fdef, kind_of)
    reads, writes = name_counts(fdef)
    fused = _fuse_blocks(fdef.body, reads, writes)
    if not (_call_simd_versions(fdef) or fused or looped):
        return None
    fdef.name = new_name
    return ast.unparse(gast.gast_to_ast(fdef)) + "\n"


def _call_simd_versions(fdef):
    """Replace each call of `SIMD_VERSIONS` by its runtime version; True if any. Not where
    the function has a variable of that name."""
    taken = _names(fdef)
    versions = {f: v for f, v in SIMD_VERSIONS.items() if v not in taken}
    calls = [n for n in walk(fdef) if isinstance(n, gast.Call) and not n.keywords
             and len(n.args) == 1 and dotted(n.func) in versions]
    for call in calls:
        call.func = gast.Name(versions[dotted(call.func)], gast.Load(), None, None)
    return bool(calls)


def _names(tree):
    return {n.id for n in walk(tree) if isinstance(n, gast.Name)}


def _free_name(tree, new):
    """`new`, with `_` added until no name or function in `tree` takes it."""
    taken = _names(tree) | {n.name for n in walk(tree) if isinstance(n, gast.FunctionDef)}
    return Names(taken).fresh(new)


def _fuse_blocks(body, reads, writes):
    changed = False
    for block in list(blocks(body)):
        changed |= _fuse_block(block, reads, writes)
    return changed


def _fuse_block(body, reads, writes):
    """Inline, within one block, each movable temporary into its one reader."""
    changed = False
    i = 0
    while i < len(body):
        stmt = body[i]
        target = _movable(stmt, reads, writes)
        j = _reader(body, i, target) if target else None
        if j is None:
            i += 1
            continue
        _substitute(body[j], target, stmt.value)
        del body[i]
        changed = True
        i = max(i - 1, 0)  # the statement before may now fuse into the new expression
    return changed


def _movable(stmt, reads, writes):
    """The name a `name = pure expression` statement defines, when it is assigned once
    and read once; else None."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], gast.Name)):
        return None
    name = stmt.targets[0].id
    if writes.get(name) != 1 or reads.get(name) != 1 or not _pure(stmt.value):
        return None
    return name


def _pure(node):
    """Arithmetic on names and constants, and calls of NumPy ufuncs, nothing else."""
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    if isinstance(node, gast.BinOp):
        return _pure(node.left) and _pure(node.right)
    if isinstance(node, gast.UnaryOp):
        return _pure(node.operand)
    if isinstance(node, gast.Call):
        return is_ufunc(node.func) and not node.keywords and all(_pure(a) for a in node.args)
    return False


def _reader(body, i, name):
    """The index of the statement after body[i], in the same block, that reads `name`,
    when nothing between changes what body[i]'s expression computes; else None."""
    needs = {n.id for n in walk(body[i].value) if isinstance(n, gast.Name)}
    for j in range(i + 1, len(body)):
        stmt = body[j]
        if isinstance(stmt, gast.Return):
            return None
        if _reads_directly(stmt, name):
            return j
        if any(_reads_name(s, name) for s in _nested(stmt)) or _changes(stmt, needs):
            return None
    return None


def _nested(stmt):
    return [s for field in ("body", "orelse") for s in getattr(stmt, field, None) or []]


def _reads_name(node, name):
    return any(isinstance(n, gast.Name) and n.id == name for n in walk(node))


def _reads_directly(stmt, name):
    """Whether `stmt` reads `name` outside any block nested in it (once per run of it)."""
    if isinstance(stmt, (gast.Assign, gast.AugAssign, gast.Expr)):
        return _reads_name(stmt, name)
    return False


def _changes(stmt, needs):
    """Whether `stmt` may change a value that an expression reading `needs` computes."""
    if isinstance(stmt, gast.Assign) and all(isinstance(t, gast.Name) for t in stmt.targets):
        return any(t.id in needs for t in stmt.targets) or not _calls_free(stmt.value)
    return True  # in-place writes, calls as statements, nested blocks: arrays may alias


def _calls_free(node):
    """No call that could mutate an array: NumPy functions, `x.copy()`, and the tape's
    `x_stack.pop()` (it changes the list, never an array)."""
    for n in walk(node):
        if isinstance(n, gast.Call):
            f = n.func
            if not (isinstance(f, gast.Attribute) and (f.attr in _NOT_MUTATING or (
                    isinstance(f.value, gast.Name) and f.value.id == "np"))):
                return False
    return True


def _substitute(stmt, name, value):
    Rename(name, value).visit(stmt)

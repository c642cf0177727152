"""guard: recursion in machine code stops with an error, not a crash.

Python stops a deep recursion with a RecursionError; machine code has no such check and
overflows the C stack, which kills the process. So when a derivative calls helper
functions (a recursive helper and its vjp), numba compiles copies of them that count
their depth and raise past `MAX_DEPTH`; the printed derivative is unchanged::

>>> print(guarded_source('''
... def down(x, n):
...     v1 = down(x, n - 1)
...     return v1
...
... def f_grad(x, n):
...     v1 = down(x, n)
...     return v1
... ''', ['down'], 'f_grad'), end='')
def down_guarded(x, n, depth):
    if depth > 20000:
        raise RecursionError('a derivative recursed deeper than 20000 calls: write the recursion as a loop')
    v1 = down_guarded(x, n - 1, depth + 1)
    return v1
<BLANKLINE>
def f_grad_guarded(x, n, depth):
    if depth > 20000:
        raise RecursionError('a derivative recursed deeper than 20000 calls: write the recursion as a loop')
    v1 = down_guarded(x, n, depth + 1)
    return v1

The compiled call passes `depth=1` from Python (a literal `1` in the code would make numba
specialize the recursion on it, and its cached machine code crashes when loaded) and runs
on a thread with a stack large enough for `MAX_DEPTH` frames (`backends/numba_cpu.py`).
"""
import ast

MAX_DEPTH = 20000
SUFFIX = "_guarded"
_MESSAGE = (f"a derivative recursed deeper than {MAX_DEPTH} calls: write the recursion as "
            "a loop")


def _free_name(tree, name="depth"):
    """`name`, with `_` appended until no name or parameter in `tree` is spelled so."""
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    taken |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    while name in taken:
        name += "_"
    return name


class _CountDepth(ast.NodeTransformer):
    """Calls of the helpers go to their guarded copies, one level deeper."""

    def __init__(self, helpers, depth):
        self.helpers = helpers
        self.depth = depth

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.helpers:
            node.func.id += SUFFIX
            node.args.append(ast.BinOp(left=ast.Name(id=self.depth, ctx=ast.Load()),
                                       op=ast.Add(), right=ast.Constant(value=1)))
        return node


def _guarded(fdef, helpers, depth):
    fdef.name += SUFFIX
    fdef.args.args.append(ast.arg(arg=depth))
    check = ast.parse(f"if {depth} > {MAX_DEPTH}:\n    raise RecursionError({_MESSAGE!r})")
    fdef.body = check.body + _CountDepth(helpers, depth).visit(fdef).body
    return fdef


def guarded_source(text, helpers, machine):
    """Guarded copies of the functions `helpers` of the module source `text`, and of the
    function `machine` that calls them (the one numba compiles); '' without helpers."""
    if not helpers:
        return ""
    helpers = set(helpers)
    tree = ast.parse(text)
    depth = _free_name(tree)
    copies = [_guarded(node, helpers, depth) for node in tree.body
              if isinstance(node, ast.FunctionDef) and node.name in helpers | {machine}]
    return "\n\n".join(ast.unparse(ast.fix_missing_locations(c)) for c in copies) + "\n"

"""check: reject the Python that tangent_ad does not differentiate, at the user's line.

The differentiable subset is arithmetic, calls, indexing, assignments, `if`, `for`,
`while` and `return`, on real numbers (a complex literal, `complex(...)` or a complex dtype
is refused). Everything else gets an `UnsupportedSyntaxError` that quotes the line and says
what to write instead::

    >>> import gast
    >>> tree = gast.parse("def f(x):\\n    with open('a') as h:\\n        return x\\n")
    >>> check(tree.body[0], "f.py")
    Traceback (most recent call last):
    ...
    tangent_ad.errors.UnsupportedSyntaxError: f.py:2:5: `with` blocks cannot be differentiated.
    hint: open the resource outside the function and pass the data in as an argument.
"""
import gast

from ..errors import Location, UnsupportedSyntaxError

# node type → (what it is, what to write instead)
UNSUPPORTED = {
    gast.Try: ("`try` statements", "move the try/except outside the function you differentiate."),
    gast.With: ("`with` blocks",
                "open the resource outside the function and pass the data in as an argument."),
    gast.AsyncFunctionDef: ("async functions", "differentiate a plain `def`."),
    gast.AsyncFor: ("`async for` loops", "use a plain `for` loop."),
    gast.AsyncWith: ("`async with` blocks", "move it outside the function."),
    gast.Await: ("`await`", "compute the value outside and pass it in."),
    gast.Yield: ("generators (`yield`)", "return a value, or a tuple of values."),
    gast.YieldFrom: ("generators (`yield from`)", "return a value, or a tuple of values."),
    gast.Global: ("`global` declarations",
                  "return the new value instead of writing a global variable."),
    gast.Nonlocal: ("`nonlocal` declarations",
                    "return the new value instead of writing an enclosing variable."),
    gast.ClassDef: ("classes defined inside the function",
                    "define the class at module level."),
    gast.Import: ("imports inside the function", "import at module level."),
    gast.ImportFrom: ("imports inside the function", "import at module level."),
    gast.Delete: ("`del` statements", "leave the variable alone; it is not needed."),
    gast.Raise: ("`raise` statements", "check the inputs before calling the derivative."),
    gast.Match: ("`match` statements", "write it as `if`/`elif`/`else`."),
    gast.SetComp: ("set comprehensions", "write a `for` loop."),
    gast.Starred: ("starred expressions (`*args`)",
                   "pass the arguments one by one; `zip(*pairs)` of a list works."),
    gast.NamedExpr: ("assignment expressions (`:=`)", "assign in a statement of its own."),
    gast.JoinedStr: ("f-strings", "strings carry no derivative: build them outside."),
    gast.Set: ("set literals", "use a tuple or a list."),
}


def location(node, filename):
    return Location(filename, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def unsupported(node, filename, what, hint):
    return UnsupportedSyntaxError(f"{what} cannot be differentiated.", location(node, filename),
                                  hint)


def check(fdef, filename):
    """Raise `UnsupportedSyntaxError` for the first unsupported construct in `fdef`."""
    args = fdef.args
    if args.vararg or args.kwarg:
        raise unsupported(fdef, filename, "`*args` and `**kwargs` parameters",
                          "name each parameter; pass several arrays as a tuple argument.")
    zipped = {id(a) for n in _walk_body(fdef) if isinstance(n, gast.Call) and
              isinstance(n.func, gast.Name) and n.func.id == "zip" for a in n.args}
    for node in _walk_body(fdef):
        hit = UNSUPPORTED.get(type(node))
        if hit and not (isinstance(node, gast.Starred) and id(node) in zipped):
            raise unsupported(node, filename, *hit)
        if _complex(node):
            raise unsupported(node, filename, "complex numbers",
                              "tangent_ad differentiates real functions of real numbers: "
                              "carry the real and imaginary parts as two real values.")
        if isinstance(node, gast.FunctionDef) and node.decorator_list:
            raise unsupported(node, filename, "decorated nested functions",
                              "define the helper without a decorator.")


COMPLEX_NAMES = {"complex", "complex64", "complex128", "complex256", "complex_", "csingle",
                 "cdouble", "clongdouble", "cfloat"}
# The imaginary part or angle of a real value is 0: code that asks for one expects complex
# values (Python's `(-8.0) ** 0.5` is one), whose derivative would come out as 0.
COMPLEX_PARTS = {"imag", "angle"}


def _complex(node):
    """A complex literal (`1j`), a name of the complex type (`complex(a, b)`,
    `np.complex128`, `dtype=complex`, `dtype="complex128"`), or `np.imag`, `x.imag`,
    `np.angle`."""
    if isinstance(node, gast.Constant):
        value = node.value
        return isinstance(value, complex) or isinstance(value, str) and value in COMPLEX_NAMES
    if isinstance(node, gast.Name):
        return node.id in COMPLEX_NAMES and not isinstance(node.ctx, gast.Store)
    return isinstance(node, gast.Attribute) and node.attr in COMPLEX_NAMES | COMPLEX_PARTS


def _walk_body(fdef):
    for stmt in fdef.body:
        yield from gast.walk(stmt)

"""The CUDA dialect: a generated scalar derivative rewritten as a numba.cuda device function.

Device code cannot allocate, and on real GPUs `np.*` functions of scalars fail to compile
while `math.*` all work; so the dialect accepts scalar code only and calls `math`:

    def f_grad(x):                          @cuda.jit(device=True)
        v1 = np.sin(x)                      def f_grad(x):
        x_bar = v1 * 2 * x + ...     →          v1 = math.sin(x)
        return x_bar                            x_bar = v1 * 2 * x + ...
                                                return x_bar

Accepted: assignments, `for` over `range`, `if`, `while`, arithmetic, comparisons,
conditional expressions, `math.*` and the scalar `np.*` functions below. The tape of a loop
with a constant trip count becomes a per-thread array of that constant size (device code
may not allocate, but a `cuda.local.array` of constant size lives in registers or local
memory)::

    y_tape = np.empty(3)          →     y_tape = cuda.local.array(3, numba.float64)
    y_tape[i] = y                 →     y_tape[i] = y

Anything else (other indexing, lists, arrays, other calls, a tape whose size is only known
at run time) raises `CudaDialectError` naming the construct; callers fall back to forward
mode, which keeps no tape, for a loop.
"""
import ast
import inspect
import textwrap

from ..errors import TangentADError

# np.* on scalars → the math function (or builtin) that device code can call
MATH = {name: f"math.{name}" for name in (
    "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sinh", "cosh", "log1p", "expm1",
    "floor", "ceil", "hypot", "log2", "log10", "erf", "erfc", "gamma", "lgamma")}
MATH.update({"arcsin": "math.asin", "arccos": "math.acos", "arctan": "math.atan",
             "arctan2": "math.atan2", "arcsinh": "math.asinh", "arccosh": "math.acosh",
             "arctanh": "math.atanh", "abs": "math.fabs", "absolute": "math.fabs",
             "fabs": "math.fabs", "power": "math.pow", "maximum": "max", "minimum": "min",
             "float64": "float"})
CONSTANTS = {"pi": "math.pi", "e": "math.e", "inf": "math.inf", "nan": "math.nan"}
ALLOCATING = {"np.empty", "np.zeros", "np.ones", "np.zeros_like", "np.full", "np.array"}
BUILTINS = {"abs", "min", "max", "float", "range", "int", "len"}
STATEMENTS = (ast.Assign, ast.AugAssign, ast.Return, ast.For, ast.If, ast.While, ast.Pass,
              ast.Break, ast.Continue, ast.Expr)


class CudaDialectError(TangentADError):
    """A derivative that the CUDA dialect cannot express as a device function."""


class _ToDevice(ast.NodeTransformer):
    """np.f(x) → math.f(x); runtime helpers of scalars → their scalar value; refuses the rest."""

    def __init__(self, name, callable_names=()):
        self.name = name
        self.callable_names = set(callable_names)  # device functions generated alongside
        self.tapes = set()  # names of per-thread arrays of constant size

    def refuse(self, node, what, why):
        line = ast.unparse(node).splitlines()[0]
        raise CudaDialectError(f"{self.name} cannot run on the CUDA target: {what} "
                               f"(`{line}`) {why}")

    def generic_visit(self, node):
        if isinstance(node, ast.stmt) and not isinstance(node, (*STATEMENTS, ast.FunctionDef)):
            self.refuse(node, f"a `{type(node).__name__}` statement",
                        "is outside the dialect (scalar assignments, loops over range, if).")
        if isinstance(node, (ast.List, ast.ListComp, ast.Dict, ast.Set,
                             ast.Lambda, ast.Starred)):
            self.refuse(node, f"{type(node).__name__.lower()} syntax",
                        "needs arrays or containers; device functions take and return "
                        "scalars and cannot allocate.")
        return super().generic_visit(node)

    def visit_Assign(self, node):
        value, targets = node.value, node.targets
        if (isinstance(value, ast.Call) and ast.unparse(value.func) == "np.empty"
                and len(value.args) == 1 and isinstance(value.args[0], ast.Constant)
                and isinstance(value.args[0].value, int) and len(targets) == 1
                and isinstance(targets[0], ast.Name)):
            self.tapes.add(targets[0].id)
            size = value.args[0].value
            node.value = ast.parse(f"cuda.local.array({size}, numba.float64)", mode="eval").body
            return node
        return self.generic_visit(node)

    def visit_Subscript(self, node):
        if not (isinstance(node.value, ast.Name) and node.value.id in self.tapes):
            self.refuse(node, "indexing", "needs an array; device functions take and return "
                        "scalars, and only a tape of constant size can live in a thread.")
        node.slice = self.visit(node.slice)
        return node

    def visit_For(self, node):
        call = node.iter
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "range"):
            self.refuse(node.iter, "a loop that is not over range()",
                        "cannot run in device code.")
        return self.generic_visit(node)

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id == "math":
            return node
        if isinstance(node.value, ast.Name) and node.value.id == "np" \
                and node.attr in CONSTANTS:
            return ast.parse(CONSTANTS[node.attr], mode="eval").body
        self.refuse(node, "the attribute", "has no scalar CUDA equivalent.")

    def visit_Call(self, node):
        func = node.func
        node.args = [self.visit(a) for a in node.args]
        if node.keywords:
            self.refuse(node, "a call with keyword arguments", "is outside the dialect.")
        if ast.unparse(func) == "cuda.local.array":
            return node
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id == "math":
                return node
            if func.value.id == "np":
                return self._numpy_call(node, func.attr)
        if isinstance(func, ast.Name):
            if func.id == "zeros_like_ad":
                return ast.Constant(0.0)  # the zero adjoint of a scalar
            if func.id == "unbroadcast":
                return node.args[0]  # scalars: nothing to sum over
            if func.id in BUILTINS or func.id in self.callable_names:
                return node
        self._refuse_call(node)

    def _numpy_call(self, node, attr):
        if attr in MATH:
            node.func = ast.parse(MATH[attr], mode="eval").body
            return node
        if attr == "where":
            cond, a, b = node.args
            return ast.IfExp(test=cond, body=a, orelse=b)
        if attr == "sign":
            x = ast.unparse(node.args[0])
            return ast.parse(f"(1.0 if {x} > 0 else (-1.0 if {x} < 0 else 0.0))",
                             mode="eval").body
        self._refuse_call(node)

    def _refuse_call(self, node):
        func = ast.unparse(node.func)
        if func in ALLOCATING:
            size = " of a size known only at run time" if func == "np.empty" else ""
            why = f"allocates an array{size}; device code cannot allocate."
        else:
            why = "has no CUDA device equivalent in the dialect."
        self.refuse(node, f"the call to {func}", why)


def device_source(python, name=None, callable_names=()):
    """The device-function text of the generated function `python` (decorated, `math.*`);
    it may call the device functions named in `callable_names`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(python)))
    fdef = tree.body[0]
    fdef.name = name or fdef.name
    fdef.decorator_list = []
    _ToDevice(python.__name__, callable_names).visit(fdef)
    return "@cuda.jit(device=True)\n" + ast.unparse(fdef) + "\n"


def device_sources(generated):
    """The device functions of a pipeline.Generated: the user's helpers and their
    derivatives that it calls, then the derivative itself."""
    names = generated.helper_names  # without generating the trees of a cached one
    pythons = [getattr(generated.module, n) for n in names] + [generated.python]
    return "\n\n".join(device_source(getattr(p, "py_func", p), callable_names=names)
                       for p in pythons)

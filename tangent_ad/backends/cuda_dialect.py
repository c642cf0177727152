"""The CUDA dialect: a generated scalar derivative rewritten as a numba.cuda device function.

Device code cannot allocate, and on real GPUs `np.*` functions of scalars fail to compile
while `math.*` all work; so the dialect accepts scalar code only and calls `math`:

    def f_grad(x):                          @cuda.jit(device=True)
        v1 = np.sin(x)                      def f_grad(x):
        x_bar = v1 * 2 * x + ...     →          v1 = math.sin(x)
        return x_bar                            x_bar = v1 * 2 * x + ...
                                                return x_bar

Accepted: assignments, `for` over `range`, `if`, `while`, arithmetic, comparisons,
conditional expressions, `math.*` and the scalar `np.*` functions below. Anything else
(indexing, lists, arrays, other calls) raises `CudaDialectError` naming the construct; a
reverse-mode loop keeps a tape (an array), so callers fall back to forward mode for it.
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
BUILTINS = {"abs", "min", "max", "float", "range", "int", "len"}
STATEMENTS = (ast.Assign, ast.AugAssign, ast.Return, ast.For, ast.If, ast.While, ast.Pass,
              ast.Break, ast.Continue, ast.Expr)


class CudaDialectError(TangentADError):
    """A derivative that the CUDA dialect cannot express as a device function."""


class _ToDevice(ast.NodeTransformer):
    """np.f(x) → math.f(x); runtime helpers of scalars → their scalar value; refuses the rest."""

    def __init__(self, name):
        self.name = name

    def refuse(self, node, what, why):
        line = ast.unparse(node).splitlines()[0]
        raise CudaDialectError(f"{self.name} cannot run on the CUDA target: {what} "
                               f"(`{line}`) {why}")

    def generic_visit(self, node):
        if isinstance(node, ast.stmt) and not isinstance(node, (*STATEMENTS, ast.FunctionDef)):
            self.refuse(node, f"a `{type(node).__name__}` statement",
                        "is outside the dialect (scalar assignments, loops over range, if).")
        if isinstance(node, (ast.Subscript, ast.List, ast.ListComp, ast.Dict, ast.Set,
                             ast.Lambda, ast.Starred)):
            self.refuse(node, f"{type(node).__name__.lower()} syntax",
                        "needs arrays or containers; device functions take and return "
                        "scalars and cannot allocate.")
        return super().generic_visit(node)

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
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id == "math":
                return node
            if func.value.id == "np" and func.attr in MATH:
                node.func = ast.parse(MATH[func.attr], mode="eval").body
                return node
            if func.value.id == "np" and func.attr == "where":
                cond, a, b = node.args
                return ast.IfExp(test=cond, body=a, orelse=b)
            if func.value.id == "np" and func.attr == "sign":
                return ast.parse(f"(1.0 if {ast.unparse(node.args[0])} > 0 else (-1.0 if "
                                 f"{ast.unparse(node.args[0])} < 0 else 0.0))",
                                 mode="eval").body
        if isinstance(func, ast.Name):
            if func.id == "zeros_like_ad":
                return ast.Constant(0.0)  # the zero adjoint of a scalar
            if func.id == "unbroadcast":
                return node.args[0]  # scalars: nothing to sum over
            if func.id in BUILTINS:
                return node
        why = ("allocates an array; device code cannot allocate."
               if ast.unparse(func) in ("np.empty", "np.zeros", "np.ones", "np.zeros_like",
                                        "np.full", "np.array")
               else "has no CUDA device equivalent in the dialect.")
        self.refuse(node, f"the call to {ast.unparse(func)}", why)


def device_source(python, name=None):
    """The device-function text of the generated function `python` (decorated, `math.*`)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(python)))
    fdef = tree.body[0]
    fdef.name = name or fdef.name
    fdef.decorator_list = []
    _ToDevice(python.__name__).visit(fdef)
    return "@cuda.jit(device=True)\n" + ast.unparse(fdef) + "\n"

"""The pipeline, stage by stage: parse → check → normalize → activity → forward | reverse
→ optimize → emit → load → backend. Each stage is a function of the one before; `stages`
returns every intermediate result so a learner can print any of them.
"""
import gast
import numpy as np

from . import custom, rules  # noqa: F401  (rules: fills the rule registry)
from . import runtime
from .backends import numba_cpu, python as python_backend
from .codegen.emit import function_source
from .codegen.load import load_module, module_text
from .codegen.templates import name
from .display import Source
from .frontend.activity import Analysis
from .frontend.normalize import normalize
from .frontend.parse import ParsedFunction, parse_function
from .kinds import as_float, kinds_of_values
from .rules.registry import rule_for
from .transform.calls import helper_functions, name_helpers, user_calls_in
from .transform.forward import forward
from .transform.optimize import optimize
from .transform.reverse import ReverseSpec, reverse
from .transform.specialize import specialize

_RUNTIME = tuple(helper.__name__ for helper in runtime.HELPERS)


def parse(fun):
    """A ParsedFunction for a Python function, or for a NumPy/math function with a rule."""
    rule = rule_for(fun)
    if rule is not None and rule.differentiable:
        return _primitive_as_function(fun, rule)
    return parse_function(fun)


def _primitive_as_function(fun, rule):
    import linecache
    nin = getattr(fun, "nin", None) or custom.arity(fun)
    params = ", ".join("xyzw"[:nin])
    short = rule.name.split(".")[-1]
    text = f"def {short}({params}):\n    return {rule.name}({params})\n"
    filename = f"<tangent_ad primitive {rule.name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    tree = gast.parse(text).body[0]
    import math
    return ParsedFunction(fun, tree, filename, {"np": np, "math": math, "abs": abs,
                                                "float": float, short: fun})


def imports_for(body):
    """The import lines for the generated source `body`, from the names its code uses (not
    from text that merely contains them, such as `np.linalg.norm(` for a helper `norm`)."""
    _, read = custom.names_in(body)
    lines = []
    if "math" in read:
        lines.append("import math")
    lines.append("import numpy as np")
    if "scipy" in read:
        lines.append("import scipy.special")
    used = [h for h in _RUNTIME if h in read]
    if used:
        lines.append(f"from tangent_ad.runtime import {', '.join(used)}")
    return lines + custom.import_lines(body)


class Generated:
    """One generated derivative: source text, the Python function, the compiled callable.

    `helpers` are functions the derivative calls (recursive helpers and their derivatives);
    they go into the same module, before it.
    """

    def __init__(self, fdef, analysis, nf, stem, backend, helpers=()):
        self.fdef = fdef
        self.analysis = analysis
        self.normalized = nf
        self.helpers = list(helpers)
        body = "\n\n".join(function_source(f) for f in list(helpers) + [fdef])
        module = load_module(stem, module_text(body, imports_for(body)))
        self.python = getattr(module, fdef.name)
        self.module = module
        self.source = Source(body, name=fdef.name)
        names = [f.name for f in helpers]
        if backend == "python":
            self.call = python_backend.compile_function(self.python)
        else:
            self.call = numba_cpu.compile_function(self.python, strict=backend == "numba",
                                                   module=module, helpers=names)


def param_kinds(nf, leaves, wrt):
    """Kinds of the core's parameters: the leaves, then the hidden globals' current values."""
    values = list(leaves) + nf.hidden_values()
    kinds = kinds_of_values(values)
    kinds = {p: (as_float(k) if p in wrt else k) for p, k in zip(nf.params, kinds)}
    return kinds


def transform(nf, kinds, wrt, mode, has_aux=False, with_value=None):
    """The derivative before optimization: (FunctionDef, Analysis, the copy of `nf` used).

    A vjp or jvp returns the function's value with the derivatives unless `with_value` is
    False (those of recursive helpers return derivatives only)."""
    nf = nf.copy()  # generation renames and rewrites: keep the cached original intact
    analysis = Analysis(nf.fdef, kinds, wrt)
    specialize(nf.fdef.body, analysis)
    if mode == "jvp":
        fdef = forward(nf, analysis, wrt, with_value=with_value is not False)
    else:
        seed = "param" if mode == "vjp" else "one"
        if with_value is None:
            with_value = mode in ("vjp", "value_and_grad")
        spec = ReverseSpec(wrt, seed=seed, return_value=with_value, has_aux=has_aux,
                           suffix=mode)
        fdef = reverse(nf, analysis, spec)
    return fdef, analysis, nf


def derive(nf, kinds, wrt, mode, has_aux=False, backend=None):
    """Generate, optimize, emit and load the derivative of `nf` for parameter kinds."""
    fdef, analysis, nf = transform(nf, kinds, wrt, mode, has_aux)
    _optimize(fdef, analysis, nf)
    helpers = helper_functions(fdef.needed_calls | user_calls_in(nf.fdef), _helper_derivative)
    name_helpers(helpers + [fdef])
    return Generated(fdef, analysis, nf, f"{nf.name}_{mode}", backend, helpers)


def _optimize(fdef, analysis, nf):
    optimize(fdef, nf.names, lambda n: analysis.kind(nf.names.base.get(n, n)))


def _helper_derivative(nf, kinds, wrt, mode):
    """The vjp or jvp of a recursive helper (see transform/calls.py)."""
    fdef, analysis, nf = transform(nf, kinds, wrt, mode, with_value=False)
    _optimize(fdef, analysis, nf)
    return fdef, fdef.needed_calls


def output_node(nf):
    ret = nf.fdef.body[-1]
    value = ret.value
    return value.elts if isinstance(value, gast.Tuple) else [value]


__all__ = ["parse", "normalize", "transform", "derive", "param_kinds", "Generated", "name"]

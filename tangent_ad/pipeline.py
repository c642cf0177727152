"""The pipeline, stage by stage: parse → check → normalize → activity → forward | reverse
→ optimize → emit → load → backend. Each stage is a function of the one before; `stages`
returns every intermediate result so a learner can print any of them.
"""
import gast
import numpy as np

from . import rules  # noqa: F401  (fills the rule registry)
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
    nin = getattr(fun, "nin", 1)
    params = ", ".join("xyzw"[:nin])
    short = rule.name.split(".")[-1]
    text = f"def {short}({params}):\n    return {rule.name}({params})\n"
    filename = f"<tangent_ad primitive {rule.name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    tree = gast.parse(text).body[0]
    import math
    return ParsedFunction(fun, tree, filename, {"np": np, "math": math, "abs": abs,
                                                "float": float})


def imports_for(body):
    lines = []
    if "math." in body:
        lines.append("import math")
    lines.append("import numpy as np")
    if "scipy.special." in body:
        lines.append("import scipy.special")
    used = [h for h in _RUNTIME if f"{h}(" in body]
    if used:
        lines.append(f"from tangent_ad.runtime import {', '.join(used)}")
    return lines


class Generated:
    """One generated derivative: source text, the Python function, the compiled callable."""

    def __init__(self, fdef, analysis, nf, stem, backend):
        self.fdef = fdef
        self.analysis = analysis
        self.normalized = nf
        body = function_source(fdef)
        module = load_module(stem, module_text(body, imports_for(body)))
        self.python = getattr(module, fdef.name)
        self.module = module
        self.source = Source(body, name=fdef.name)
        if backend == "python":
            self.call = python_backend.compile_function(self.python)
        else:
            self.call = numba_cpu.compile_function(self.python, strict=backend == "numba")


def param_kinds(nf, leaves, wrt):
    """Kinds of the core's parameters: the leaves, then the hidden globals' current values."""
    values = list(leaves) + nf.hidden_values()
    kinds = kinds_of_values(values)
    kinds = {p: (as_float(k) if p in wrt else k) for p, k in zip(nf.params, kinds)}
    return kinds


def derive(nf, kinds, wrt, mode, has_aux=False, backend=None):
    """Generate, optimize, emit and load the derivative of `nf` for parameter kinds."""
    nf = nf.copy()  # generation renames and rewrites: keep the cached original intact
    analysis = Analysis(nf.fdef, kinds, wrt)
    specialize(nf.fdef.body, analysis)
    if mode == "jvp":
        fdef = forward(nf, analysis, wrt)
    else:
        seed = "param" if mode == "vjp" else "one"
        spec = ReverseSpec(wrt, seed=seed, return_value=mode in ("vjp", "value_and_grad"),
                           has_aux=has_aux, suffix=mode)
        fdef = reverse(nf, analysis, spec)
    optimize(fdef, nf.names, lambda n: analysis.kind(nf.names.base.get(n, n)))
    return Generated(fdef, analysis, nf, f"{nf.name}_{mode}", backend)


def output_node(nf):
    ret = nf.fdef.body[-1]
    value = ret.value
    return value.elts if isinstance(value, gast.Tuple) else [value]


__all__ = ["parse", "normalize", "derive", "param_kinds", "Generated", "name"]

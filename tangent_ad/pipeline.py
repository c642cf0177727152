"""The pipeline, stage by stage: parse → check → normalize → activity → forward | reverse
→ optimize → emit → load → backend. Each stage is a function of the one before; `stages`
returns every intermediate result so a learner can print any of them.
"""
import re
import threading

import gast
import numpy as np

from . import custom, rules  # noqa: F401  (rules: fills the rule registry)
from . import runtime
from .backends import numba_cpu, python as python_backend
from .codegen import cache
from .codegen.emit import function_source
from .codegen.fuse import fused_source
from .codegen.guard import SUFFIX, guarded_source
from .codegen.load import load_module, module_text
from .codegen.templates import name
from .display import Source
from .frontend.activity import Analysis
from .frontend.aliases import check_aliases
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


_SWAPPING_HELPERS = threading.RLock()  # see Generated.run_python


def module_source(body, name, kind_of=None, helpers=()):
    """The text of the module of a derivative `name` whose printed source is `body`: the
    body, then the copy of the derivative that numba compiles (codegen/fuse.py), if any;
    `kind_of(name)` gives the kinds of its variables. With `helpers` (functions of `body`
    that may recurse), the copies numba compiles count their depth (codegen/guard.py)."""
    if helpers:
        code = body + "\n\n" + guarded_source(body, helpers, name)
        return module_text(code, imports_for(code))
    fused = fused_source(body, name, kind_of=kind_of)
    code = body + ("\n\n" + fused if fused else "")
    return module_text(code, imports_for(code))


class Generated:
    """One generated derivative: source text, the Python function, the compiled callable.

    `helpers` are functions the derivative calls (recursive helpers and their derivatives);
    they go into the same module, before it. A derivative loaded from the on-disk cache
    (`cached`) has its text but not its trees (`fdef`, `analysis`, `normalized`,
    `helpers`): those are generated again the first time something asks for them.
    """

    def __init__(self, fdef, analysis, nf, stem, backend, helpers=()):
        self._trees = (fdef, analysis, nf, list(helpers))
        self._rebuild = None
        body = "\n\n".join(function_source(f) for f in list(helpers) + [fdef])
        out = nf.fdef.body[-1].value
        first = out.elts[0] if isinstance(out, gast.Tuple) and out.elts else None
        self.output_ndims = [analysis.kind(out).ndim,
                             None if first is None else analysis.kind(first).ndim]
        text = module_source(body, fdef.name, _kind_of(analysis, nf),
                             [f.name for f in helpers])
        self._load(stem, body, text, fdef.name, [f.name for f in helpers], backend)

    @classmethod
    def cached(cls, entry, backend, rebuild):
        """The derivative of a cache entry; `rebuild()` → (fdef, analysis, nf, helpers)."""
        self = cls.__new__(cls)
        self._trees, self._rebuild = None, rebuild
        self.output_ndims = entry["output_ndims"]
        self._load(entry["stem"], entry["body"], entry["text"], entry["name"],
                   entry["helpers"], backend)
        return self

    def _load(self, stem, body, text, name, helper_names, backend):
        self.stem, self.text = stem, text
        self.module = load_module(stem, text)
        self.python = getattr(self.module, name)
        self.source = Source(body, name=name)
        self.helper_names = list(helper_names)
        if backend == "python":
            self.call = python_backend.compile_function(self.python)
        else:
            guarded = getattr(self.module, name + SUFFIX, None) if helper_names else None
            copy = None if guarded else _copy_name(text, body)
            fused = getattr(self.module, copy) if copy else None
            self.call = numba_cpu.compile_function(self.python, strict=backend == "numba",
                                                   module=self.module, helpers=helper_names,
                                                   fused=fused, guarded=guarded,
                                                   tiered=self.straight_line)

    @property
    def straight_line(self):
        """Whether its printed code (helpers included; not the copy numba compiles, whose
        loops run over elements) has no loop: its Python version then runs in a time
        bounded by its length, not by a trip count."""
        return re.search(r"^\s*(for|while)\b", str(self.source), re.MULTILINE) is None

    def run_python(self, *args):
        """The Python version on `args`, with the helpers it calls (compiled in its module
        by the numba backend) run as Python for the time being. The lock keeps two threads
        doing this at once from saving each other's swapped helpers as the originals."""
        helpers = getattr(self.call, "helpers", {})
        with _SWAPPING_HELPERS:
            saved = {name: getattr(self.module, name) for name in helpers}
            try:
                for name, python in helpers.items():
                    setattr(self.module, name, python)
                return self.python(*args)
            finally:
                for name, value in saved.items():
                    setattr(self.module, name, value)

    def entry(self):
        """What the on-disk cache keeps of this derivative."""
        return {"stem": self.stem, "name": self.python.__name__,
                "helpers": self.helper_names, "body": str(self.source), "text": self.text,
                "output_ndims": self.output_ndims}

    def output_ndim(self, first=False):
        """The number of dimensions of the returned value (of its first element when
        `first`), None when the kinds cannot tell."""
        return self.output_ndims[1 if first else 0]

    def _tree(self, i):
        if self._trees is None:
            fdef, analysis, nf, helpers = self._rebuild()
            self._trees = (fdef, analysis, nf, helpers)
        return self._trees[i]

    fdef = property(lambda self: self._tree(0))
    analysis = property(lambda self: self._tree(1))
    normalized = property(lambda self: self._tree(2))
    helpers = property(lambda self: self._tree(3))


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
    check_aliases(nf.fdef, analysis, mode)  # writes through views: refused where wrong
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
    """The derivative of `nf` for parameter kinds: from the on-disk cache when an entry
    for exactly this function, these kinds and this tangent_ad is there, else generated,
    optimized, emitted, loaded and stored."""
    digest = cache.key(nf, kinds, wrt, mode, has_aux, backend)
    generated = _from_cache(digest, lambda: _generate(nf, kinds, wrt, mode, has_aux),
                            backend)
    if generated is None:
        fdef, analysis, used, helpers = _generate(nf, kinds, wrt, mode, has_aux)
        generated = Generated(fdef, analysis, used, f"{nf.name}_{mode}", backend, helpers)
        cache.store(digest, generated.entry())
    return generated


def _generate(nf, kinds, wrt, mode, has_aux):
    """(FunctionDef, Analysis, the copy of `nf` used, helper FunctionDefs), optimized."""
    fdef, analysis, nf = transform(nf, kinds, wrt, mode, has_aux)
    _optimize(fdef, analysis, nf)
    helpers = helper_functions(fdef.needed_calls | user_calls_in(nf.fdef), _helper_derivative)
    name_helpers(helpers + [fdef])
    return fdef, analysis, nf, helpers


def _from_cache(digest, rebuild, backend):
    """The cached derivative, or None when there is no usable entry: its module text must
    be what this process would write for its body (same imports, same runtime)."""
    entry = cache.load(digest)
    # The fused copy after the body is made from the body by tangent_ad's own code, which
    # the key holds; the imports also depend on rules the user registers: checked here.
    if entry is None or entry["body"] not in entry["text"]:
        return None
    code = entry["text"][entry["text"].index(entry["body"]):]
    if entry["text"] != module_text(code, imports_for(code)):
        return None
    try:
        return Generated.cached(entry, backend, rebuild)
    except Exception:  # a damaged entry whose text does not run: generate it again
        return None


def _copy_name(text, body):
    """The name of the function that follows `body` in a module's text: the copy numba
    compiles (see `module_source`), or None."""
    match = re.match(r"\s*def (\w+)\(", text[text.index(body) + len(body):])
    return match.group(1) if match else None


def _kind_of(analysis, nf):
    """The kind of a name of generated code: a derivative (`x_bar`) has its primal's."""
    return lambda n: analysis.kind(nf.names.base.get(n, n))


def _optimize(fdef, analysis, nf):
    optimize(fdef, nf.names, _kind_of(analysis, nf))


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

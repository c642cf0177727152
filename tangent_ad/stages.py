"""stages: the pipeline run one stage at a time, each stage as text a learner can read.

    parse       the function as tangent_ad read it, and what its free names refer to
    normalize   one operation per statement (the Wengert list), commented with your lines
    activity    the same, with each variable's kind and whether it gets a derivative
    derivative  the reverse (or forward) transform, before optimization
    optimized   the derivative that runs: exactly what `ta.source` shows

For `def f(x): return 3 * x**2 + 2 * x + 1` in reverse mode, `derivative` ends with
`x_bar += v1_bar * 2 * x ** (2 - 1)` and `optimized` is `x_bar = 2.0 + 6.0 * x`.

Each stage is computed when first asked for, so the early stages of a function whose
derivative fails can still be printed. The stages before `optimized` call the pipeline's
own functions (parse, normalize, transform); `optimized` goes through the public API.
"""
import copy
import functools

import gast

from . import pipeline
from .api import grad
from .directional import Jvp
from .codegen.emit import function_source
from .pytree import LEAF, flatten

STAGES = ("parse", "normalize", "activity", "derivative", "optimized")

ABOUT = {
    "parse": "the function as read from its file; free names resolved",
    "normalize": "one operation per statement (the Wengert list); temporaries v1, v2, ...",
    "activity": "kinds of values; active variables get a derivative partner",
    "derivative": "the {mode} transform, statement by statement, before optimization",
    "optimized": "folded, propagated and pruned: the derivative that runs",
}

MODES = {"reverse": "grad", "forward": "jvp"}


class Stages:
    """The stages of differentiating `fn` at example `args` with respect to `argnums`.

    `mode` is "reverse" (a gradient, x_bar) or "forward" (a tangent, x_dot); `argnums` is an
    int or a tuple of ints, or None for the API's default (0 in reverse mode, every float
    argument in forward mode).
    """

    def __init__(self, fn, args, argnums=None, mode="reverse", backend="python"):
        if mode not in MODES:
            raise ValueError(f"mode must be 'reverse' or 'forward', got {mode!r}.")
        self.fn = fn
        self.args = tuple(args)
        self.mode = mode
        self.backend = backend
        self.argnums = _default_argnums(self.args, mode) if argnums is None else argnums

    def text(self, stage):
        """The printable text of one stage."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}; got {stage!r}.")
        return getattr(self, f"_{stage}_text")()

    def about(self, stage):
        return ABOUT[stage].format(mode=self.mode)

    # -- the pipeline, one cached step at a time ---------------------------------
    @functools.cached_property
    def parsed(self):
        return pipeline.parse(self.fn)

    @functools.cached_property
    def normalized(self):
        names = [a.id for a in self.parsed.tree.args.args]
        if len(names) != len(self.args):
            raise TypeError(f"{self.parsed.name} takes {len(names)} positional arguments but "
                            f"{len(self.args)} were given.")
        trees = {n: flatten(a)[1] for n, a in zip(names, self.args)}
        return pipeline.normalize(self.parsed, {n: t for n, t in trees.items() if t != LEAF})

    @functools.cached_property
    def transformed(self):
        """(derivative FunctionDef before optimization, Analysis) for the example kinds."""
        nf = self.normalized
        names = [a.id for a in self.parsed.tree.args.args]
        wrt = []
        for i in _positions(self.argnums, len(names)):
            paths = nf.leaf_paths.get(names[i])
            wrt.extend([leaf for _, leaf in paths] if paths else [names[i]])
        leaves = [leaf for arg in self.args for leaf in flatten(arg)[0]]
        kinds = pipeline.param_kinds(nf, leaves, wrt)
        fdef, analysis, _ = pipeline.transform(nf, kinds, wrt, MODES[self.mode])
        return fdef, analysis

    @property
    def differentiated(self):
        """The function whose derivative `derivative` is: `fn` itself here."""
        return self.fn

    @functools.cached_property
    def derivative(self):
        """The public API's derivative object, prepared at the example arguments."""
        if self.mode == "reverse":
            derivative = grad(self.differentiated, argnums=self.argnums, backend=self.backend)
        else:
            derivative = Jvp(self.differentiated, backend=self.backend)
            derivative.argnums = tuple(_positions(self.argnums, len(self.args)))
        derivative.prepare(self.args)
        return derivative

    @property
    def generated(self):
        """The `pipeline.Generated` that runs: source, tree with origins, callable."""
        return self.derivative.last

    def compile(self):
        """Run the derivative once at the example arguments; numba compiles it then."""
        generated, flat, _ = self.derivative.prepare(self.args)
        params = [a.id for a in generated.fdef.args.args]
        position = {p: i for i, p in enumerate(params)}
        base = generated.normalized.names.base
        tangents = [flat[position[base[p]]] for p in params[len(flat):]]  # x_dot: like x
        return generated.call(*flat, *tangents)

    # -- texts ------------------------------------------------------------------------
    def _parse_text(self):
        tree = copy.deepcopy(self.parsed.tree)
        tree.decorator_list = []
        reads = free_names(tree, self.parsed.namespace)
        header = [f"# {name}: {what}" for name, what in reads]
        return "\n".join(header + [function_source(tree).rstrip("\n")]) + "\n"

    def _normalize_text(self):
        return function_source(copy.deepcopy(self.normalized.fdef))

    def _activity_text(self):
        _, analysis = self.transformed
        nf = self.normalized
        params = [f"{p}: {analysis.kind(p)}" for p in nf.params]
        header = ["# kinds of the parameters: " + ", ".join(params),
                  "# varied (depends on an input you differentiate): " + _names(analysis.varied),
                  "# useful (the output depends on it): " + _names(analysis.useful),
                  "# active (both; gets a derivative): " + _names(analysis.active)]
        # The normalized tree, not analysis.fdef: the transform adds tape pushes to that one.
        body = function_source(copy.deepcopy(nf.fdef))
        return "\n".join(header + _annotated(body, analysis)) + "\n"

    def _derivative_text(self):
        fdef, _ = self.transformed
        return function_source(copy.deepcopy(fdef))

    def _optimized_text(self):
        return str(self.generated.source)


def _default_argnums(args, mode):
    """0 in reverse mode (like ta.grad); every float argument in forward mode (like ta.jvp)."""
    if mode == "reverse":
        return 0
    floats = tuple(i for i, a in enumerate(args) if any(_is_float(x) for x in flatten(a)[0]))
    return floats or (0,)


def _is_float(leaf):
    dtype = getattr(leaf, "dtype", None)
    return dtype.kind == "f" if dtype is not None else isinstance(leaf, float)


def _positions(argnums, count):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    return [a % count if a < 0 else a for a in nums]


def _names(names):
    return ", ".join(sorted(names, key=_natural)) or "(none)"


def _natural(name):
    """Sort v2 before v10."""
    stem = name.rstrip("0123456789")
    digits = name[len(stem):]
    return (stem, int(digits) if digits else -1)


def _annotated(body, analysis):
    """Each `name = ...` line of `body` with `# kind` (and `, active`) at the end."""
    lines = body.rstrip("\n").splitlines()
    targets = [_assigned_name(line) for line in lines]
    width = max((len(line) for line, target in zip(lines, targets) if target), default=0)
    out = []
    for line, target in zip(lines, targets):
        if target:
            note = str(analysis.kind(target))
            if target in analysis.active:
                note += ", active"
            line = f"{line.ljust(width)}  # {note}"
        out.append(line)
    return out


def _assigned_name(line):
    """`v1` for the line `    v1 = x * y`; None for any other line."""
    target, sep, _ = line.strip().partition(" = ")
    return target if sep and target.isidentifier() else None


def free_names(tree, namespace):
    """[(name, description)] of the names `tree` reads from its globals and closures.

    >>> import gast, numpy as np
    >>> tree = gast.parse("def f(x):\\n    return np.sin(x) * k\\n").body[0]
    >>> free_names(tree, {"np": np, "k": 2.0})
    [('k', 'float 2.0'), ('np', 'module numpy')]
    """
    local = {a.id for a in tree.args.args}
    local |= {n.id for n in gast.walk(tree)
              if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}
    reads = sorted({n.id for n in gast.walk(tree)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)} - local)
    return [(name, _describe(namespace[name])) for name in reads if name in namespace]


def _describe(value):
    kind = type(value).__name__
    if kind == "module":
        return f"module {value.__name__}"
    if kind in ("function", "builtin_function_or_method", "ufunc", "type"):
        module = getattr(value, "__module__", None) or "builtins"
        return f"{kind} {module}.{getattr(value, '__qualname__', value.__name__)}"
    if hasattr(value, "shape") and getattr(value, "ndim", 0):
        return f"{kind} of shape {value.shape}"
    return f"{kind} {value!r}"

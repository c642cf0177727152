"""Test cases for every rule in the registry: expressions that use the rule, with the
shapes and value ranges of their arguments (named x, y, w). `test_rules.py` walks the
registry and fails for any rule that has no case here.

Each case compiles two derivatives with numba, so cases are bundles: one expression
uses several rules on several shapes (a scalar beside a matrix, broadcast pairs, each
axis variant), and each rule of the bundle lists it. A bundle is compiled for its first
rule; numba's cache finds it for the others.

numba spends about a quarter of a second on each array expression of a derivative, so
the numba run leaves out the cases marked `python_only`: more shapes of a code path that
another case already compiles (a row beside a scalar where a vector beside a matrix
went through the same templates). The Python backend checks every case.
"""
import numpy as np

from tangent_ad.rules.registry import all_rules

PYTHON_ONLY = set()  # the cases the numba run leaves out, as (expression, argument specs)


def python_only(*cases):
    PYTHON_ONLY.update((expr, repr(specs)) for expr, specs in cases)
    return list(cases)

S, V, M, ROW, T, SQ = (), (3,), (2, 3), (1, 3), (2, 3, 4), (3, 3)


def a(shape, lo=-1.0, hi=1.0):
    """An argument: its shape and the range its values are drawn from."""
    return (shape, lo, hi)


def weights(shape):
    """Distinct constant weights of a shape, so that a misplaced value shows."""
    return f"np.arange({float(np.prod(shape))}).reshape({shape})"


def total(terms):
    return " + ".join(terms)


# -- bundles of functions of one argument ------------------------------------------------

DOMAINS = {  # arguments where a function is smooth and defined
    "np.log": (0.5, 2.0), "np.sqrt": (0.5, 2.0), "np.log1p": (0.0, 1.0),
    "np.log2": (0.5, 2.0), "np.log10": (0.5, 2.0), "np.cbrt": (0.5, 2.0),
    "np.reciprocal": (0.5, 2.0), "np.arccosh": (1.1, 2.0), "np.fabs": (0.2, 1.0),
    "np.abs": (0.2, 1.0), "math.log": (0.5, 2.0), "math.sqrt": (0.5, 2.0),
    "math.log1p": (0.0, 1.0), "math.log2": (0.5, 2.0), "math.log10": (0.5, 2.0),
    "math.acosh": (1.1, 2.0), "math.fabs": (-1.0, -0.2), "math.lgamma": (0.5, 3.0),
    "math.gamma": (0.5, 3.0), "scipy.special.gammaln": (0.5, 3.0),
    "scipy.special.gamma": (0.5, 3.0), "scipy.special.digamma": (0.5, 3.0),
    "scipy.special.logit": (0.1, 0.9), "scipy.special.ndtri": (0.1, 0.9),
}
UNARY_FAMILIES = ("elementwise", "scipy.special", "math")
BUNDLE = 8  # functions per expression


def _unary_bundles(explicit):
    """{rule name: its bundle}: functions of one family and domain, several at a time."""
    groups = {}
    for rule in all_rules():
        if rule.family in UNARY_FAMILIES and rule.name not in explicit:
            key = (rule.family, DOMAINS.get(rule.name, (-0.9, 0.9)))
            groups.setdefault(key, []).append(rule.name)
    bundles = {}
    for (family, (lo, hi)), names in groups.items():
        for start in range(0, len(names), BUNDLE):
            chunk = names[start:start + BUNDLE]
            if family == "math":
                case = (total(f"{f}(x)" for f in chunk), [a(S, lo, hi)])
            else:
                case = (total(f"{f}(x) + np.sum({f}(y))" for f in chunk),
                        [a(S, lo, hi), a(M, lo, hi)])
            bundles.update({f: [case] for f in chunk})
    return bundles


# -- bundles of functions of two arguments -----------------------------------------------

def binary(calls, lo=0.5, hi=1.5, ylo=0.5, yhi=1.5):
    """Scalars; a matrix with a vector both ways; a matrix with a row and with a scalar."""
    one = [c.format(x="x", y="y") for c in calls]
    both = [f"np.sum({c.format(x='x', y='y')}) + np.sum({c.format(x='w', y='x')})"
            for c in calls]
    return [(total(one), [a(S, lo, hi), a(S, ylo, yhi)]),
            (total(both), [a(M, lo, hi), a(V, ylo, yhi), a(V, lo, hi)])] + python_only(
            (total(both), [a(M, lo, hi), a(ROW, ylo, yhi), a(S, lo, hi)]))


BINARY = [
    (["np.add", "np.subtract", "np.multiply", "np.divide", "np.power"],
     binary(["{x} + {y}", "np.add({x}, {y})", "{x} - {y}", "np.subtract({x}, {y})",
             "{x} * {y}", "np.multiply({x}, {y})", "{x} / {y}", "np.divide({x}, {y})",
             "1.0 / {y}",
             "{x} ** {y}", "np.power({x}, {y})"])),
    (["np.mod", "np.fmod"], binary(["{x} % {y}", "np.fmod({x}, {y})"], 2.1, 2.9, 1.1, 1.4)),
    (["np.maximum", "np.minimum", "np.fmax", "np.fmin"],
     binary(["np.maximum({x}, {y})", "np.minimum({x}, {y})", "np.fmax({x}, {y})",
             "np.fmin({x}, {y})"], 0.0, 2.0, 0.0, 2.0)),
    (["np.hypot", "np.arctan2", "np.logaddexp", "np.logaddexp2", "np.float_power",
      "scipy.special.xlogy", "scipy.special.xlog1py"],
     binary(["np.hypot({x}, {y})", "np.arctan2({x}, {y})", "np.logaddexp({x}, {y})",
             "np.logaddexp2({x}, {y})", "np.float_power({x}, {y})",
             "scipy.special.xlogy({x}, {y})", "scipy.special.xlog1py({x}, {y})"])),
    (["np.copysign"], binary(["np.copysign({x}, {y})"], 0.2, 1.0, -1.0, -0.2)),
    (["math.pow", "math.atan2", "math.hypot", "math.copysign", "max", "min"],
     [("math.pow(x, y) + math.atan2(x, y) + math.hypot(x, y) + math.copysign(x, -y) * y"
       " + max(x, y) * max(y, 0.8) + min(x, y) * min(y, 0.8)", [a(S, 0.5, 1.5)] * 2)]),
]

# -- reductions: whole array, int, negative and tuple axes, keepdims -----------------------


def reductions(names, lo=-1.0, hi=1.0):
    whole = (total(f"{f}(x) * {f}(y)" for f in names), [a(M, lo, hi), a(T, lo, hi)])
    return python_only(whole) + [
            (total(f"np.sum({f}(x, axis=1) ** 2) + np.sum({f}(x, -1, keepdims=True) * x)"
                   for f in names), [a(M, lo, hi)]),
            (total(f"np.sum({f}(x, axis=(0, 2)) ** 2) + np.sum({f}(x, keepdims=True) * x)"
                   for f in names), [a(T, lo, hi)])]


REDUCTIONS = [
    (["np.sum", "np.mean", "np.var", "np.std", "scipy.special.logsumexp"],
     reductions(["np.sum", "np.mean", "np.var", "np.std", "scipy.special.logsumexp"])
     + [("np.sum(x * x) + x.sum() + x.mean(axis=0) + np.var(x, ddof=1) + x.var() + "
         "np.sum(np.var(y, 1, ddof=1) ** 2) + np.sum(np.std(y, axis=0, ddof=1)) + x.std()",
         [a(V), a(M)])]),
    (["np.max", "np.min", "np.amax", "np.amin"],
     reductions(["np.max", "np.min", "np.amax", "np.amin"])
     + [("x.max() + x.min(axis=0) + np.min(x)", [a(V)])]),
    (["np.prod"], reductions(["np.prod"], 0.5, 1.5) + [("x.prod()", [a(V, 0.5, 1.5)])]),
    (["np.cumsum", "np.cumprod"],
     [("np.sum(np.cumsum(x) ** 2) + np.sum(np.cumsum(y) ** 2) + np.sum(np.cumprod(x) ** 2)"
       " + np.sum(np.cumprod(y) ** 2)", [a(V, 0.5, 1.5), a(M, 0.5, 1.5)]),
      ("np.sum(np.cumsum(x, axis=1) ** 2) + np.sum(np.cumsum(y, -2) ** 2) + "
       "np.sum(np.cumprod(x, axis=1) ** 2) + np.sum(x.cumprod(0) * x)",
       [a(M, 0.5, 1.5), a(T, 0.5, 1.5)])]),
    (["np.linalg.norm"],
     [("np.linalg.norm(x) + np.linalg.norm(y) + np.linalg.norm(y, 'fro') + np.linalg.norm("
       "x, 1) + np.linalg.norm(x, np.inf) + np.linalg.norm(x, 3) + np.linalg.norm(y, 1) + "
       "np.linalg.norm(y, np.inf) + np.linalg.norm(y, 2)", [a(V), a(M)]),
      ("np.sum(np.linalg.norm(x, axis=1) ** 2) + np.sum(np.linalg.norm(y, 1, axis=-1, "
       "keepdims=True) * y)", [a(M), a(T)])]),
    (["scipy.special.logsumexp"],  # with weights b
     [("np.sum(scipy.special.logsumexp(x, axis=1, b=y) ** 2) + scipy.special.logsumexp(x, "
       "b=y) + np.sum(scipy.special.logsumexp(x, axis=0, b=y[0], keepdims=True) * x)",
       [a(M), a(M, 0.5, 1.5)])]),
    (["np.average", "np.trace"],
     [("np.average(x) + np.average(x, weights=y) + np.trace(w) ** 2 + w.trace()",
       [a(V), a(V, 0.5, 1), a(SQ)]),
      ("np.sum(np.average(x, axis=1) ** 2) + np.sum(np.average(x, axis=0, weights=y) ** 2)"
       " + np.trace(x) ** 2", [a(M), a(M, 0.5, 1)])]),
]


# -- rearrangements: checked against distinct weights of the result's shape -----------------

def weighted(*calls):
    """np.sum(call * weights) for each (call, shape of its result)."""
    return total(f"np.sum({call} * {weights(shape)})" for call, shape in calls)


SHAPES = [
    (["np.transpose", "np.swapaxes", "np.moveaxis", "np.flip", "np.roll", "np.repeat",
      "np.reshape", "np.ravel"],
     [(weighted(("np.transpose(x, (1, 2, 0))", (3, 4, 2)), ("np.swapaxes(x, 0, 2)", (4, 3, 2)),
                ("np.moveaxis(x, 0, -1)", (3, 4, 2)), ("np.flip(x)", T), ("np.flip(x, 1)", T),
                ("np.roll(x, 1)", T), ("np.roll(x, -1, axis=1)", T),
                ("np.repeat(x, 2)", (48,)), ("np.repeat(x, 2, axis=1)", (2, 6, 4)),
                ("np.reshape(x, (6, 4))", (6, 4)), ("x.ravel()", (24,))), [a(T)]),
      ("np.sum(x.T @ x) + np.sum(np.transpose(x) * x.T) + np.sum(x.reshape(3, 2) @ x)",
       [a(M)])]),
    (["np.squeeze", "np.expand_dims", "np.broadcast_to", "np.atleast_1d", "np.atleast_2d",
      "np.atleast_3d", "np.tile", "np.pad"],
     [(weighted(("np.squeeze(x[:, None])", M), ("np.squeeze(x[:, None], axis=1)", M),
                ("np.expand_dims(x, 1)", (2, 1, 3)), ("np.expand_dims(x, (0, 2))", (1, 2, 1, 3)),
                ("np.broadcast_to(x[0], (2, 3))", M), ("np.atleast_2d(x[0])", ROW),
                ("np.atleast_3d(x)", (2, 3, 1)), ("np.tile(x, (2, 2))", (4, 6)),
                ("np.tile(x[0], 2)", (6,)), ("np.pad(x, 1)", (4, 5)),
                ("np.pad(x, ((1, 0), (0, 2)))", (3, 5))) + " + np.sum(np.atleast_1d(y) * 2.0)",
       [a(M), a(S)])]),
    (["np.fliplr", "np.flipud", "np.rot90", "np.diag", "np.diagonal", "np.triu", "np.tril"],
     [(weighted(("np.fliplr(x)", SQ), ("np.flipud(x)", SQ), ("np.rot90(x)", SQ),
                ("np.rot90(x, 2)", SQ), ("np.diag(x)", V), ("np.diag(x[:2], 1)", (2,)),
                ("np.diag(y)", SQ), ("np.diagonal(x[:2])", (2,)), ("x.diagonal(1)", (2,)),
                ("np.triu(x)", SQ), ("np.tril(x, -1)", SQ)), [a(SQ), a(V)])]),
]

CONSTRUCTION = [
    (["np.array", "np.asarray", "np.full"],
     [("np.sum(np.array([x, y, x * y]) ** 3) + np.sum(np.array([[x, 1.0], [y, x]]) @ w) + "
       "np.sum(np.full((2, 3), x) ** 3)", [a(S), a(S), a((2,))]),
      ("np.sum(np.array(x) * x) + np.sum(np.asarray(x) ** 3)", [a(V)])]),
    (["np.concatenate", "np.stack", "np.hstack", "np.vstack", "np.column_stack"],
     [("np.sum(np.concatenate((x, x[:1])) ** 3) + np.sum(np.concatenate([x, x], axis=1) ** 3)"
       " + np.sum(np.stack((y, w)) ** 3) + np.sum(np.stack([y, w], axis=1) ** 3) + "
       "np.sum(np.hstack((y, w)) ** 3) + np.sum(np.hstack((x, x)) ** 3) + "
       "np.sum(np.vstack((y, w)) ** 3) + np.sum(np.vstack((x, x)) ** 3) + "
       "np.sum(np.column_stack((y, w)) ** 3)", [a(M), a(V), a(V)])]),
    (["np.split", "np.array_split"],
     [("p, q = np.split(x, 2); r, s, t = np.split(y, 3, axis=1); u, v = np.array_split(w, 2);"
       " np.sum(p ** 2 * q) + np.sum(r * t ** 2) + np.sum(u ** 2) + np.sum(v ** 3)",
       [a((4,)), a(M), a(V)])]),
]

INDEXING = [
    (["getitem"],
     [("x[1] * x[2] + np.sum(x[1:3] ** 2) + np.sum(x[::-1] * x) + np.sum(x[None, 1:] ** 2)"
       " + x[-1] ** 3 + y[0, 1] * y[1, 2] + np.sum(y[:, 1] ** 2) + np.sum(y[:, ::2] ** 3)",
       [a(V), a(M)]),
      ("np.sum(x[np.array([0, 2, 2])] * w) + np.sum(x[[1, 1]] ** 3) + np.sum(y[:, [0, 2, 2]]"
       " ** 3) + np.sum(y[[0, 1, 1], [2, 2, 0]] ** 3) + np.sum(x[x > 0.0] ** 3) + "
       "np.sum(y[y > 0.0] ** 3)", [a(V), a(M), a(V)])]),
    (["np.take", "np.take_along_axis", "np.extract"],
     [("np.sum(np.take(x, np.array([0, 2, 2])) ** 3) + np.sum(np.take(x, np.array([0, 2, 2]),"
       " axis=1) ** 3) + np.sum(np.take_along_axis(x, np.array([[0, 2, 2], [1, 1, 0]]), "
       "axis=1) ** 3) + np.sum(np.extract(x > 0.0, x) ** 3)", [a(M)])]),
]

PRODUCTS = [
    (["np.dot", "np.matmul", "np.inner", "np.vdot"],
     [("np.dot(y, y) + np.sum(np.dot(x, y) ** 2) + np.sum(np.dot(y, w) ** 2) + "
       "np.sum(np.dot(x, w) ** 2) + np.sum(np.dot(2.0, x)) + y @ y + np.sum((x @ y) ** 2) + "
       "np.sum((y @ w) ** 2) + np.sum((x @ w) ** 2) + np.inner(y, y) + np.sum(np.inner(x, x)"
       " ** 2) + np.sum(np.inner(x, y) ** 2) + np.sum(np.inner(y, w.T) ** 2) + "
       "np.sum(np.inner(2.0, x)) + np.vdot(x, x)", [a(M), a(V), a((3, 2))]),
      ("np.sum((x @ y) ** 2) + np.sum(np.matmul(x, w) ** 2)", [a(T), a((4, 2)), a((2, 4, 3))])]),
    (["np.tensordot", "np.einsum", "np.kron", "np.cross"],
     [("np.sum(np.tensordot(x, y, 1) ** 2) + np.tensordot(x, x) + np.sum(np.einsum('ij,jk->ik',"
       " x, y) ** 2) + np.sum(np.einsum('ij->i', x) ** 2) + np.einsum('ij,ij->', x, x) + "
       "np.sum(np.kron(x, y) ** 2) + np.sum(np.kron(x[0], y[0]) ** 2) + np.sum(np.cross(x, w)"
       " ** 2) + np.sum(np.cross(x[0], w) ** 2)", [a(M), a((3, 2)), a(V)]),
      ("np.sum(np.tensordot(x, w, axes=([1], [0])) ** 2) + np.sum(np.einsum('bij,bjk->bik', x,"
       " y) ** 2) + np.sum(np.einsum('bij->jib', x) * " + weights((4, 3, 2)) + ")",
       [a(T), a((2, 4, 3)), a(V)])]),
]

LINALG = [
    (["np.linalg.inv", "np.linalg.solve", "np.linalg.det", "np.linalg.slogdet"],
     [("b = x + 3.0 * np.eye(3); s, d = np.linalg.slogdet(b); np.sum(np.linalg.inv(b) * "
       + weights(SQ) + ") + np.sum(np.linalg.solve(b, y) ** 2) + np.sum(np.linalg.solve(b, w)"
       " ** 2) + np.linalg.det(b) + s * d", [a(SQ), a(V), a((3, 2))])]),
    (["np.linalg.cholesky", "np.linalg.eigh", "np.linalg.eigvalsh"],
     [("e, v = np.linalg.eigh(x + x.T); np.sum(e * y) + np.sum(v ** 2 * w) + "
       "np.sum(np.linalg.eigvalsh(x + x.T) * y) + np.sum(np.linalg.cholesky(x @ x.T + 3.0 * "
       "np.eye(3)) * w)", [a(SQ), a(V), a(SQ)])]),
    (["np.linalg.qr", "np.linalg.svd", "np.linalg.lstsq", "np.linalg.pinv"],
     [("q, r = np.linalg.qr(x); np.sum(q * y) + np.sum(r * " + weights((2, 2)) + ") + "
       "np.sum(np.linalg.svd(x, compute_uv=False) ** 3) + np.sum(np.linalg.lstsq(x, y[:, 0], "
       "rcond=None)[0] ** 2) + np.sum(np.linalg.lstsq(x, y, rcond=None)[0] ** 2) + "
       "np.sum(np.linalg.pinv(x) * y.T)", [a((4, 2)), a((4, 2))])]),
]

OTHER = [
    # what generated code calls, so that it can be differentiated again
    (["np.full_like", "np.outer", "unbroadcast"],
     [("np.sum(np.full_like(y, x) * y) + np.sum(np.outer(y, y) ** 2)"
       " + np.sum(unbroadcast(w * y, y) ** 2)", [a(S), a(V), a(M)]),
      ("unbroadcast(x * y, x) * x", [a(S), a(S)])]),
    (["identity", "np.copy", "float", "np.negative", "np.positive", "np.abs"],
     [("z = x; np.sum(z * x) + float(y) * y + np.sum(np.copy(x) * x) + np.sum(x.copy() ** 3)"
       " - y + np.sum(-x) + np.sum(np.positive(x) * x) + abs(y - 2.0) + np.sum(abs(x - 2.0))"
       " + np.sum(np.abs(x + 2.0))", [a(V), a(S)])]),
    (["np.where", "np.clip", "scipy.special.polygamma"],
     [("np.where(x > 0.0, x * y, y * y) + np.clip(x, -0.5, y) + np.clip(y, 0.2, 0.3) + "
       "scipy.special.polygamma(2, y + 1.0)", [a(S), a(S, 0.0, 0.5)]),
      ("np.sum(np.where(x > 0.0, x * y, y)) + np.sum(np.where(x < 0.5, 2.0, x)) + "
       "np.sum(np.clip(x, -0.5, 0.5)) + np.sum(np.clip(x, y - 0.8, 0.8) * x) + "
       "np.sum(scipy.special.polygamma(1, x + 2.0))", [a(M), a(V, 0.2, 0.6)])]),
]

# One expression for the functions without a derivative of each group.
COMPARISONS = [(total(f"np.sum(x * {c})" for c in [
    "np.less(x, 0.0)", "(x <= 0.1)", "(x > 0.2)", "np.greater_equal(x, 0.3)",
    "np.equal(x, 0.0)", "(x != 0.5)", "np.logical_not(x > 0.6)", "np.isnan(x)",
    "np.isfinite(x)", "np.isinf(x)", "np.signbit(x)", "np.logical_and(x > 0.0, x < 0.5)",
    "np.logical_or(x > 0.7, x < 0.0)", "np.logical_xor(x > 0.1, x > 0.2)"]), [a(V)])]
PIECEWISE = [("np.sum(x * (np.sign(x) + np.floor(x) + np.ceil(x) + np.round(x) + np.rint(x)"
              " + np.trunc(x) + np.fix(x) + x // 0.3 + np.heaviside(x, 0.5)))"
              " + x[np.argmax(x)] * x[np.argmin(x)] + np.sum(x[np.argsort(x)] * y)",
              [a(V), a(V)])]
CONSTANTS = [("np.sum(x * (np.zeros(3) + np.ones(3) + np.arange(3) + np.linspace(0.0, 1.0, 3)"
              " + np.zeros_like(x) + np.ones_like(x))) + np.sum((np.eye(3) + np.identity(3))"
              " @ x) * (len(x) + x.shape[0] + x.ndim + x.size + int(3.7))", [a(V)])]
RUNTIME = [("np.sum(y * (1.0 + zeros_like_ad(y))) + x * (1.0 + zeros_like_ad(x))"
            " + np.sum(y * stop_gradient(np.sign(y)))", [a(S), a(V)])]
WITHOUT_DERIVATIVE = {"comparisons": COMPARISONS, "piecewise constant": PIECEWISE,
                      "constructors": CONSTANTS, "shapes": CONSTANTS, "runtime": RUNTIME}

GROUPS = BINARY + REDUCTIONS + SHAPES + CONSTRUCTION + INDEXING + PRODUCTS + LINALG + OTHER
CASES = _unary_bundles({name for names, _ in GROUPS for name in names})
for _names, _cases in GROUPS:
    for _name in _names:
        CASES.setdefault(_name, []).extend(_cases)


def cases_for(rule, backend="python"):
    """The cases of a rule: its bundles, or its group's expression if it has no derivative;
    for numba, those not marked `python_only`."""
    cases = CASES.get(rule.name) if rule.differentiable else WITHOUT_DERIVATIVE.get(rule.family)
    if backend == "python" or not cases:
        return cases
    return [(expr, specs) for expr, specs in cases if (expr, repr(specs)) not in PYTHON_ONLY]


def make_args(specs, seed):
    rng = np.random.default_rng(seed)
    return tuple(rng.uniform(lo, hi, shape) if shape else float(rng.uniform(lo, hi))
                 for shape, lo, hi in specs)

"""Test cases for every rule in the registry: expressions that use the rule, and the
shapes and value ranges of their arguments. `test_rules.py` walks the registry and fails
for any rule that has no case here."""
import numpy as np

S, V, M, ROW = (), (3,), (2, 3), (1, 3)


def unary(name, lo=-0.9, hi=0.9, shapes=(S, V, M)):
    return [(f"{name}(x)" if shape == S else f"np.sum({name}(x))", [(shape, lo, hi)])
            for shape in shapes]


def binary(call, lo=0.5, hi=1.5, ylo=0.5, yhi=1.5,
           pairs=((S, S), (V, V), (S, V), (V, S), (M, V), (M, ROW), (M, M))):
    out = []
    for xs, ys in pairs:
        expr = call.format(x="x", y="y")
        expr = expr if xs == ys == S else f"np.sum({expr})"
        out.append((expr, [(xs, lo, hi), (ys, ylo, yhi)]))
    return out


POSITIVE = {"np.log": (0.5, 2.0), "np.sqrt": (0.5, 2.0), "math.log": (0.5, 2.0),
            "math.sqrt": (0.5, 2.0), "np.log1p": (0.0, 1.0), "math.log1p": (0.0, 1.0),
            "np.abs": (0.2, 1.0), "math.fabs": (-1.0, -0.2)}

PRODUCT_PAIRS = [(V, V), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)), (S, V), (V, S)]

CASES = {
    "identity": [("z = x; np.sum(z * x)", [(V, -1, 1)]), ("z = x; z * x", [(S, -1, 1)])],
    "np.copy": [("np.sum(np.copy(x) * x)", [(V, -1, 1)]), ("np.sum(x.copy() ** 2)",
                                                            [(M, -1, 1)])],
    "np.add": binary("{x} + {y}") + binary("np.add({x}, {y})", pairs=((V, V),)),
    "np.subtract": binary("{x} - {y}") + binary("np.subtract({x}, {y})", pairs=((M, V),)),
    "np.multiply": binary("{x} * {y}") + binary("np.multiply({x}, {y})", pairs=((V, S),)),
    "np.divide": binary("np.divide({x}, {y})"),
    "np.power": binary("{x} ** {y}") + [("x ** 2", [(S, -2, 2)]), ("np.sum(x ** 3)",
                                                                     [(V, -2, 2)])],
    "np.mod": binary("{x} % {y}", lo=2.1, hi=2.9, ylo=1.1, yhi=1.4, pairs=((S, S), (V, V))),
    "np.negative": [("-x", [(S, -1, 1)]), ("np.sum(-x)", [(V, -1, 1)])],
    "np.positive": [("np.sum(np.positive(x) * x)", [(V, -1, 1)])],
    "np.dot": [(f"np.sum(np.dot(x, y))", [(a, -1, 1), (b, -1, 1)]) for a, b in PRODUCT_PAIRS],
    "np.matmul": [(f"np.sum(x @ y)", [(a, -1, 1), (b, -1, 1)]) for a, b in PRODUCT_PAIRS
                  if a != S and b != S],
    "np.sum": [("np.sum(x * x)", [(V, -1, 1)]), ("np.sum(x * x)", [(M, -1, 1)]),
               ("x.sum() * 2.0", [(M, -1, 1)])],
    "np.mean": [("np.mean(x * x)", [(V, -1, 1)]), ("np.mean(x * x)", [(M, -1, 1)]),
                ("x.mean()", [(M, -1, 1)])],
    "getitem": [("x[1] * x[2]", [(V, -1, 1)]), ("np.sum(x[1:3] ** 2)", [(V, -1, 1)]),
                ("x[0, 1] * x[1, 2]", [(M, -1, 1)]), ("np.sum(x[:, 1] ** 2)", [(M, -1, 1)]),
                ("np.sum(x[::-1] * x)", [(V, -1, 1)]), ("np.sum(x[None, 1:] ** 2)",
                                                         [(V, -1, 1)])],
    "np.transpose": [("np.sum(x.T @ x)", [(M, -1, 1)]), ("np.sum(np.transpose(x) * x.T)",
                                                          [(M, -1, 1)]),
                     ("np.sum(np.transpose(x, (1, 0)) ** 2)", [(M, -1, 1)])],
    "np.reshape": [("np.sum(x.reshape(3, 2) @ x)", [(M, -1, 1)]),
                   ("np.sum(np.reshape(x, (6,)) ** 2)", [(M, -1, 1)])],
    "np.ravel": [("np.sum(np.ravel(x) ** 3)", [(M, -1, 1)]), ("np.sum(x.ravel() ** 2)",
                                                             [(M, -1, 1)])],
    "max": [("max(x, y) * max(y, 0.5)", [(S, -1, 1), (S, -1, 1)])],
    "min": [("min(x, y) * min(y, 0.5)", [(S, -1, 1), (S, -1, 1)])],
    "np.asarray": [("np.sum(x.astype(float) ** 2)", [(V, -1, 1)]),
                   ("np.sum(np.asarray(x, np.float64) * x)", [(M, -1, 1)])],
    "float": [("float(x) * x", [(S, -1, 1)])],
    "np.abs": unary("np.abs", 0.2, 1.0) + unary("abs", -1.0, -0.2),
    # results without a derivative, used beside differentiable ones
    "np.shape": [("np.sum(x) * x.shape[0]", [(V, -1, 1)])],
    "np.ndim": [("np.sum(x) * x.ndim", [(M, -1, 1)])],
    "np.size": [("np.sum(x) * x.size", [(M, -1, 1)])],
    "range": [("np.sum(x) * len(range(2, 7, 2))", [(V, -1, 1)])],
    "len": [("np.sum(x) * len(x)", [(V, -1, 1)])],
    "int": [("x * int(3.7)", [(S, -1, 1)])],
    "np.sign": [("np.sum(x * np.sign(x))", [(V, 0.2, 1)])],
    "np.floor": [("np.sum(x * np.floor(x))", [(V, 1.2, 1.8)])],
    "np.ceil": [("np.sum(x * np.ceil(x))", [(V, 1.2, 1.8)])],
    "np.round": [("np.sum(x * np.round(x))", [(V, 1.2, 1.4)])],
    "np.rint": [("np.sum(x * np.rint(x))", [(V, 1.2, 1.4)])],
    "np.trunc": [("np.sum(x * np.trunc(x))", [(V, 1.2, 1.8)])],
    "np.floor_divide": [("np.sum(x * (x // 0.5))", [(V, 1.1, 1.4)])],
    "np.argmax": [("x[np.argmax(x)] * 2.0", [(V, -1, 1)])],
    "np.argmin": [("x[np.argmin(x)] * 2.0", [(V, -1, 1)])],
    "np.empty": [("z = np.empty(3); z[:] = 2.0; np.sum(x * z)", [(V, -1, 1)])],
    "np.zeros": [("np.sum(x + np.zeros(3))", [(V, -1, 1)])],
    "np.ones": [("np.sum(x * np.ones(3))", [(V, -1, 1)])],
    "np.eye": [("np.sum(np.eye(3) @ x)", [(V, -1, 1)])],
    "np.arange": [("np.sum(x * np.arange(3))", [(V, -1, 1)])],
    "np.linspace": [("np.sum(x * np.linspace(0.0, 1.0, 3))", [(V, -1, 1)])],
    "np.zeros_like": [("np.sum(x + np.zeros_like(x))", [(V, -1, 1)])],
    "np.ones_like": [("np.sum(x * np.ones_like(x))", [(V, -1, 1)])],
    "np.less": [("np.sum(x * np.less(x, 0.0))", [(V, 0.2, 1)])],
    "np.less_equal": [("np.sum(x * (x <= 0.0))", [(V, 0.2, 1)])],
    "np.greater": [("np.sum(x * (x > 0.0))", [(V, 0.2, 1)])],
    "np.greater_equal": [("np.sum(x * np.greater_equal(x, 0.0))", [(V, 0.2, 1)])],
    "np.equal": [("np.sum(x * np.equal(x, 0.0))", [(V, 0.2, 1)])],
    "np.not_equal": [("np.sum(x * (x != 0.0))", [(V, 0.2, 1)])],
    "np.logical_not": [("np.sum(x * np.logical_not(x > 0.0))", [(V, 0.2, 1)])],
    "np.isnan": [("np.sum(x * np.isnan(x))", [(V, 0.2, 1)])],
    "np.isfinite": [("np.sum(x * np.isfinite(x))", [(V, 0.2, 1)])],
    # what generated code calls, so that it can be differentiated again
    "np.full_like": [("np.sum(np.full_like(y, x) * y)", [(S, -1, 1), (V, -1, 1)]),
                     ("np.sum(np.full_like(y, x) ** 2)", [(S, -1, 1), (M, -1, 1)])],
    "np.outer": [("np.sum(np.outer(x, y) ** 2)", [(V, -1, 1), ((2,), -1, 1)])],
    "unbroadcast": [("np.sum(unbroadcast(x * y, y) ** 2)", [(M, -1, 1), (V, -1, 1)]),
                    ("unbroadcast(x * x, y) * y", [(V, -1, 1), (S, -1, 1)]),
                    ("unbroadcast(x * y, y) * y", [(S, -1, 1), (S, -1, 1)])],
    "zeros_like_ad": [("np.sum(x * (1.0 + zeros_like_ad(x)))", [(V, -1, 1)]),
                      ("x * (1.0 + zeros_like_ad(x))", [(S, -1, 1)])],
    "stop_gradient": [("np.sum(x * stop_gradient(np.sign(x)))", [(V, 0.2, 1)])],
}


def cases_for(rule):
    """The cases of a rule: from the table, or derived from its family."""
    if rule.name in CASES:
        return CASES[rule.name]
    lo, hi = POSITIVE.get(rule.name, (-0.9, 0.9))
    if rule.family == "elementwise":
        return unary(rule.name, lo, hi)
    if rule.family == "math":
        return unary(rule.name, lo, hi, shapes=(S,))
    return None


def make_args(specs, seed):
    rng = np.random.default_rng(seed)
    return tuple(rng.uniform(lo, hi, shape) if shape else float(rng.uniform(lo, hi))
                 for shape, lo, hi in specs)

"""Test cases for every rule in the registry: expressions that use the rule, with the
shapes and value ranges of their arguments (named x, y, w). `test_rules.py` walks the
registry and fails for any rule that has no case here.

Each case compiles two derivatives with numba, so one case covers several shapes where it
can (a scalar beside a matrix, broadcast pairs in one sum); cases shared by several rules
are compiled once (numba's cache finds the second).
"""
import numpy as np

S, V, M, ROW, T, SQ = (), (3,), (2, 3), (1, 3), (2, 3, 4), (3, 3)


def a(shape, lo=-1.0, hi=1.0):
    """An argument: its shape and the range its values are drawn from."""
    return (shape, lo, hi)


def unary(name, lo=-0.9, hi=0.9):
    """A scalar and a matrix argument."""
    return [(f"{name}(x) + np.sum({name}(y))", [a(S, lo, hi), a(M, lo, hi)])]


def binary(call, lo=0.5, hi=1.5, ylo=0.5, yhi=1.5):
    """Scalars; matrix with vector both ways; matrix with row; scalar with matrix."""
    f = call.format
    return [(f(x="x", y="y"), [a(S, lo, hi), a(S, ylo, yhi)]),
            (f"np.sum({f(x='x', y='y')}) + np.sum({f(x='w', y='x')})",
             [a(M, lo, hi), a(V, ylo, yhi), a(V, lo, hi)]),
            (f"np.sum({f(x='x', y='y')}) + np.sum({f(x='w', y='x')})",
             [a(M, lo, hi), a(ROW, ylo, yhi), a(S, lo, hi)])]


def reduction(f, lo=-1.0, hi=1.0):
    """Whole-array, int, negative and tuple axes, keepdims, on matrices and 3-d arrays."""
    return [(f"{f}(x) * {f}(y)", [a(M, lo, hi), a(T, lo, hi)]),
            (f"np.sum({f}(x, axis=1) ** 2) + np.sum({f}(x, -1, keepdims=True) * x)",
             [a(M, lo, hi)]),
            (f"np.sum({f}(x, axis=(0, 2)) ** 2) + np.sum({f}(x, keepdims=True) * x)",
             [a(T, lo, hi)])]


def weighted(call, x_shape, out_shape, lo=-1.0, hi=1.0):
    """`np.sum(call * y)`: a rearrangement checked against weights of the result's shape."""
    return (f"np.sum({call} * y)", [a(x_shape, lo, hi), a(out_shape)])


DOMAINS = {  # arguments where a function is smooth and defined
    "np.log": (0.5, 2.0), "np.sqrt": (0.5, 2.0), "np.log1p": (0.0, 1.0),
    "np.log2": (0.5, 2.0), "np.log10": (0.5, 2.0), "np.cbrt": (0.5, 2.0),
    "np.reciprocal": (0.5, 2.0), "np.arccosh": (1.1, 2.0), "np.fabs": (0.2, 1.0),
    "math.log": (0.5, 2.0), "math.sqrt": (0.5, 2.0), "math.log1p": (0.0, 1.0),
    "math.log2": (0.5, 2.0), "math.log10": (0.5, 2.0), "math.acosh": (1.1, 2.0),
    "math.fabs": (-1.0, -0.2), "math.lgamma": (0.5, 3.0), "math.gamma": (0.5, 3.0),
    "scipy.special.gammaln": (0.5, 3.0), "scipy.special.gamma": (0.5, 3.0),
    "scipy.special.digamma": (0.5, 3.0), "scipy.special.logit": (0.1, 0.9),
    "scipy.special.ndtri": (0.1, 0.9),
}

# One expression for the functions without a derivative of each group: its derivative
# is compiled once and found in numba's cache for the others.
COMPARISONS = [(" + ".join(f"np.sum(x * {c})" for c in [
    "np.less(x, 0.0)", "(x <= 0.1)", "(x > 0.2)", "np.greater_equal(x, 0.3)",
    "np.equal(x, 0.0)", "(x != 0.5)", "np.logical_not(x > 0.6)", "np.isnan(x)",
    "np.isfinite(x)", "np.isinf(x)", "np.signbit(x)", "np.logical_and(x > 0.0, x < 0.5)",
    "np.logical_or(x > 0.7, x < 0.0)", "np.logical_xor(x > 0.1, x > 0.2)"]), [a(V)])]
PIECEWISE = [("np.sum(x * (np.sign(x) + np.floor(x) + np.ceil(x) + np.round(x) + np.rint(x)"
              " + np.trunc(x) + np.fix(x) + x // 0.3 + np.heaviside(x, 0.5) + np.imag(x)))"
              " + x[np.argmax(x)] * x[np.argmin(x)] + np.sum(x[np.argsort(x)] * y)",
              [a(V), a(V)])]
CONSTANTS = [("np.sum(x * (np.zeros(3) + np.ones(3) + np.arange(3) + np.linspace(0.0, 1.0, 3)"
              " + np.zeros_like(x) + np.ones_like(x))) + np.sum((np.eye(3) + np.identity(3))"
              " @ x) * (len(x) + x.shape[0] + x.ndim + x.size + int(3.7))", [a(V)])]

CASES = {
    # -- operators ---------------------------------------------------------------------
    "identity": [("z = x; np.sum(z * x) + y * y", [a(V), a(S)])],
    "np.copy": [("np.sum(np.copy(x) * x) + np.sum(y.copy() ** 2)", [a(V), a(M)])],
    "np.add": binary("{x} + {y}") + [("np.sum(np.add(x, y))", [a(V), a(V)])],
    "np.subtract": binary("{x} - {y}") + [("np.sum(np.subtract(x, y))", [a(M), a(V)])],
    "np.multiply": binary("{x} * {y}") + [("np.sum(np.multiply(x, y))", [a(V), a(S)])],
    "np.divide": binary("np.divide({x}, {y})") + [("np.sum(x / y)", [a(M), a(V, 0.5, 1.5)])],
    "np.power": binary("{x} ** {y}") + [("x ** 2 + np.sum(y ** 3)", [a(S, -2, 2), a(V, -2, 2)])],
    "np.mod": binary("{x} % {y}", lo=2.1, hi=2.9, ylo=1.1, yhi=1.4),
    "np.negative": [("-x + np.sum(-y)", [a(S), a(V)])],
    "np.positive": [("np.sum(np.positive(x) * x)", [a(V)])],
    "max": [("max(x, y) * max(y, 0.5)", [a(S), a(S)])],
    "min": [("min(x, y) * min(y, 0.5)", [a(S), a(S)])],
    "float": [("float(x) * x", [a(S)])],
    "np.abs": unary("np.abs", 0.2, 1.0) + unary("abs", -1.0, -0.2),
    "np.real": unary("np.real"),
    "np.conj": unary("np.conj") + unary("np.conjugate"),
    # what generated code calls, so that it can be differentiated again
    "np.full_like": [("np.sum(np.full_like(y, x) * y) + np.sum(np.full_like(w, x) ** 2)",
                      [a(S), a(V), a(M)])],
    "np.outer": [("np.sum(np.outer(x, y) ** 2)", [a(V), a((2,))])],
    "unbroadcast": [("np.sum(unbroadcast(x * y, y) ** 2)", [a(M), a(V)]),
                    ("unbroadcast(x * x, y) * y + unbroadcast(y * w, w) * w",
                     [a(V), a(S), a(S)])],
    "zeros_like_ad": [("np.sum(x * (1.0 + zeros_like_ad(x))) + y * (1.0 + zeros_like_ad(y))",
                       [a(V), a(S)])],
    "stop_gradient": [("np.sum(x * stop_gradient(np.sign(x)))", [a(V, 0.2, 1)])],
    # -- binary functions ----------------------------------------------------------------
    "np.maximum": binary("np.maximum({x}, {y})", lo=0.0, hi=2.0),
    "np.minimum": binary("np.minimum({x}, {y})", lo=0.0, hi=2.0),
    "np.fmax": binary("np.fmax({x}, {y})", lo=0.0, hi=2.0),
    "np.fmin": binary("np.fmin({x}, {y})", lo=0.0, hi=2.0),
    "np.hypot": binary("np.hypot({x}, {y})"),
    "np.arctan2": binary("np.arctan2({x}, {y})"),
    "np.logaddexp": binary("np.logaddexp({x}, {y})"),
    "np.logaddexp2": binary("np.logaddexp2({x}, {y})"),
    "np.float_power": binary("np.float_power({x}, {y})"),
    "np.fmod": binary("np.fmod({x}, {y})", lo=2.1, hi=2.9, ylo=1.1, yhi=1.4),
    "np.copysign": binary("np.copysign({x}, {y})", lo=0.2, hi=1.0, ylo=-1.0, yhi=-0.2),
    "scipy.special.xlogy": binary("scipy.special.xlogy({x}, {y})"),
    "scipy.special.xlog1py": binary("scipy.special.xlog1py({x}, {y})"),
    "scipy.special.polygamma": [("scipy.special.polygamma(2, x) + np.sum(scipy.special."
                                 "polygamma(1, y))", [a(S, 0.5, 3), a(M, 0.5, 3)])],
    "math.pow": [("math.pow(x, y)", [a(S, 0.5, 1.5), a(S, 0.5, 1.5)])],
    "math.atan2": [("math.atan2(x, y)", [a(S), a(S, 0.5, 1.5)])],
    "math.hypot": [("math.hypot(x, y)", [a(S), a(S)])],
    "math.copysign": [("math.copysign(x, y) * y", [a(S, 0.2, 1), a(S, -1, -0.2)])],
    "np.where": [("np.where(x > 0.0, x * y, y * y)", [a(S), a(S)]),
                 ("np.sum(np.where(x > 0.0, x * y, y)) + np.sum(np.where(x < 0.5, 2.0, x))",
                  [a(M), a(V)])],
    "np.clip": [("np.clip(x, -0.5, y) + np.clip(y, 0.2, 0.3)", [a(S), a(S, 0.0, 0.5)]),
                ("np.sum(np.clip(x, -0.5, 0.5)) + np.sum(np.clip(x, y, 0.8) * x)",
                 [a(M), a(V, -0.6, -0.2)])],
    # -- reductions ----------------------------------------------------------------------
    "np.sum": reduction("np.sum") + [("np.sum(x * x) + x.sum()", [a(V)])],
    "np.mean": reduction("np.mean") + [("np.mean(x * x) + x.mean(axis=0)", [a(V)])],
    "np.prod": reduction("np.prod", 0.5, 1.5) + [("x.prod()", [a(V, 0.5, 1.5)])],
    "np.max": reduction("np.max") + [("x.max()", [a(V)])],
    "np.min": reduction("np.min") + [("x.min(axis=0) + np.min(x)", [a(V)])],
    "np.amax": reduction("np.amax"),
    "np.amin": reduction("np.amin"),
    "np.var": reduction("np.var") + [("np.sum(np.var(x, 1, ddof=1) ** 2) + np.var(x, ddof=1)"
                                      " + x.var()", [a(M)])],
    "np.std": reduction("np.std") + [("np.sum(np.std(x, axis=0, ddof=1)) + np.std(x, ddof=1)"
                                      " + x.std()", [a(M)])],
    "np.cumsum": [("np.sum(np.cumsum(x) ** 2) + np.sum(np.cumsum(y) ** 2)", [a(V), a(M)]),
                  ("np.sum(np.cumsum(x, axis=1) ** 2) + np.sum(np.cumsum(y, -2) ** 2)",
                   [a(M), a(T)])],
    "np.cumprod": [("np.sum(np.cumprod(x) ** 2) + np.sum(np.cumprod(y) ** 2)",
                    [a(V, 0.5, 1.5), a(M, 0.5, 1.5)]),
                   ("np.sum(np.cumprod(x, axis=1) ** 2) + np.sum(x.cumprod(0) * x)",
                    [a(M, 0.5, 1.5)])],
    "np.linalg.norm": [
        ("np.linalg.norm(x) + np.linalg.norm(y) + np.linalg.norm(y, 'fro')", [a(V), a(M)]),
        ("np.linalg.norm(x, 1) + np.linalg.norm(x, np.inf) + np.linalg.norm(x, 3)", [a(V)]),
        ("np.linalg.norm(x, 1) + np.linalg.norm(x, np.inf) + np.linalg.norm(x, 2)", [a(M)]),
        ("np.sum(np.linalg.norm(x, axis=1) ** 2) + np.sum(np.linalg.norm(y, 1, axis=-1, "
         "keepdims=True) * y)", [a(M), a(T)])],
    "scipy.special.logsumexp": reduction("scipy.special.logsumexp"),
    "np.average": [("np.average(x) + np.average(x, weights=y)", [a(V), a(V, 0.5, 1)]),
                   ("np.sum(np.average(x, axis=1) ** 2) + np.sum(np.average(x, axis=0, "
                    "weights=y) ** 2)", [a(M), a(M, 0.5, 1)])],
    "np.trace": [("np.trace(x) ** 2 + x.trace() + np.trace(y) ** 2", [a(SQ), a(M)])],
    # -- shapes --------------------------------------------------------------------------
    "np.transpose": [("np.sum(x.T @ x) + np.sum(np.transpose(x) * x.T)", [a(M)]),
                     weighted("np.transpose(x, (1, 2, 0))", T, (3, 4, 2))],
    "np.reshape": [("np.sum(x.reshape(3, 2) @ x) + np.sum(np.reshape(x, (6,)) * y)",
                    [a(M), a((6,))])],
    "np.ravel": [("np.sum(np.ravel(x) * y) + np.sum(x.ravel() ** 3)", [a(M), a((6,))])],
    "np.swapaxes": [weighted("np.swapaxes(x, 0, 2)", T, (4, 3, 2))],
    "np.moveaxis": [weighted("np.moveaxis(x, 0, -1)", T, (3, 4, 2))],
    "np.squeeze": [weighted("np.squeeze(x)", (2, 1, 3), M),
                   weighted("np.squeeze(x, axis=1)", (2, 1, 3), M)],
    "np.expand_dims": [weighted("np.expand_dims(x, 1)", V, (3, 2)),
                       weighted("np.expand_dims(x, (0, 2))", M, (1, 2, 1, 3))],
    "np.broadcast_to": [weighted("np.broadcast_to(x, (2, 3))", V, M)],
    "np.atleast_1d": [weighted("np.atleast_1d(x)", S, (1,))],
    "np.atleast_2d": [weighted("np.atleast_2d(x)", V, ROW)],
    "np.atleast_3d": [weighted("np.atleast_3d(x)", M, (2, 3, 1))],
    "np.flip": [("np.sum(np.flip(x) * y) + np.sum(np.flip(x, 1) * y)", [a(M), a(M)])],
    "np.fliplr": [weighted("np.fliplr(x)", M, M)],
    "np.flipud": [weighted("np.flipud(x)", M, M)],
    "np.roll": [("np.sum(np.roll(x, 1) * y) + np.sum(np.roll(x, -1, axis=1) * y)",
                 [a(M), a(M)])],
    "np.rot90": [weighted("np.rot90(x)", M, (3, 2)), weighted("np.rot90(x, 2)", M, M)],
    "np.tile": [weighted("np.tile(x, (2, 2))", M, (4, 6)), weighted("np.tile(x, 2)", V, (6,))],
    "np.repeat": [weighted("np.repeat(x, 2)", M, (12,)),
                  weighted("np.repeat(x, 2, axis=1)", M, (2, 6))],
    "np.pad": [weighted("np.pad(x, 1)", M, (4, 5)),
               weighted("np.pad(x, ((1, 0), (0, 2)))", M, (3, 5))],
    "np.diag": [weighted("np.diag(x)", V, SQ), weighted("np.diag(x, 1)", M, (2,))],
    "np.diagonal": [weighted("np.diagonal(x)", M, (2,)), weighted("x.diagonal(1)", SQ, (2,))],
    "np.triu": [weighted("np.triu(x)", SQ, SQ)],
    "np.tril": [weighted("np.tril(x, -1)", SQ, SQ)],
    # -- construction --------------------------------------------------------------------
    "np.array": [("np.sum(np.array([x, y, x * y]) ** 3) + np.sum(np.array([[x, 1.0], [y, x]])"
                  " @ w)", [a(S), a(S), a((2,))]),
                 ("np.sum(np.array(x) * x)", [a(V)])],
    "np.asarray": [("np.sum(np.asarray(x) ** 3) + np.sum(y.astype(float) ** 2)", [a(M), a(V)])],
    "np.full": [("np.sum(np.full((2, 3), x) * y)", [a(S), a(M)])],
    "np.concatenate": [("np.sum(np.concatenate((x, y)) ** 3) + np.sum(np.concatenate([x, x], "
                        "axis=1) * w)", [a(M), a(ROW), a((2, 6))])],
    "np.stack": [("np.sum(np.stack((x, y)) ** 3) + np.sum(np.stack([x, y], axis=1) * w)",
                  [a(V), a(V), a((3, 2))])],
    "np.hstack": [("np.sum(np.hstack((x, y)) ** 3) + np.sum(np.hstack((w, w)) ** 3)",
                   [a(V), a(V), a(M)])],
    "np.vstack": [("np.sum(np.vstack((x, y)) ** 3) + np.sum(np.vstack((w, w)) ** 3)",
                   [a(V), a(V), a(M)])],
    "np.column_stack": [("np.sum(np.column_stack((x, y)) ** 3)", [a(V), a(V)])],
    "np.split": [("p, q = np.split(x, 2); np.sum(p ** 2 * q)", [a((4,))]),
                 ("p, q, r = np.split(x, 3, axis=1); np.sum(p * r ** 2)", [a(M)])],
    "np.array_split": [("p, q = np.array_split(x, 2); np.sum(p ** 2) + np.sum(q ** 3)",
                        [a(V)])],
    # -- indexing ------------------------------------------------------------------------
    "getitem": [("x[1] * x[2] + np.sum(x[1:3] ** 2) + np.sum(x[::-1] * x) + np.sum(x[None, 1:]"
                 " ** 2) + x[-1] ** 3", [a(V)]),
                ("x[0, 1] * x[1, 2] + np.sum(x[:, 1] ** 2) + np.sum(x[:, ::2] ** 3)", [a(M)]),
                ("np.sum(x[np.array([0, 2, 2])] * y) + np.sum(x[[1, 1]] ** 3)", [a(V), a(V)]),
                ("np.sum(x[:, [0, 2, 2]] * y) + np.sum(x[[0, 1, 1], [2, 2, 0]] ** 3)",
                 [a(M), a(M)]),
                ("np.sum(x[x > 0.0] ** 3) + np.sum(y[y > 0.0] ** 3)", [a(V), a(M)])],
    "np.take": [("np.sum(np.take(x, np.array([0, 2, 2])) * y) + np.sum(np.take(x, "
                 "np.array([0, 2, 2]), axis=1) * w)", [a(M), a(V), a(M)])],
    "np.take_along_axis": [("np.sum(np.take_along_axis(x, np.array([[0, 2, 2], [1, 1, 0]]), "
                            "axis=1) * y)", [a(M), a(M)])],
    "np.extract": [("np.sum(np.extract(x > 0.0, x) ** 3)", [a(M)])],
    # -- products ------------------------------------------------------------------------
    "np.dot": [("np.dot(y, y) + np.sum(np.dot(x, y) ** 2) + np.sum(np.dot(y, w) ** 2)",
                [a(M), a(V), a((3, 2))]),
               ("np.sum(np.dot(x, w) ** 2) + np.sum(np.dot(2.0, x)) + np.sum(np.dot(x, y))",
                [a(M), a(S), a((3, 2))])],
    "np.matmul": [("y @ y + np.sum((x @ y) ** 2) + np.sum((y @ w) ** 2) + np.sum((x @ w) ** 2)",
                   [a(M), a(V), a((3, 2))]),
                  ("np.sum((x @ y) ** 2) + np.sum(np.matmul(x, w) ** 2)",
                   [a(T), a((4, 2)), a((2, 4, 3))])],
    "np.inner": [("np.inner(x, x) + np.sum(np.inner(y, y) ** 2) + np.sum(np.inner(y, x) ** 2)"
                  " + np.sum(np.inner(x, w) ** 2) + np.sum(np.inner(2.0, x))",
                  [a(V), a(M), a(SQ)])],
    "np.vdot": [("np.vdot(x, y)", [a(M), a(M)])],
    "np.tensordot": [("np.sum(np.tensordot(x, y, 1) ** 2) + np.tensordot(x, w)",
                      [a(M), a((3, 2)), a(M)]),
                     ("np.sum(np.tensordot(x, y, axes=([1], [0])) ** 2)", [a(T), a(V)])],
    "np.einsum": [("np.sum(np.einsum('ij,jk->ik', x, y) ** 2) + np.sum(np.einsum('ij->i', x) "
                   "** 2) + np.einsum('ij,ij->', x, x)", [a(M), a((3, 2))]),
                  ("np.sum(np.einsum('bij,bjk->bik', x, y) ** 2) + np.sum(np.einsum("
                   "'bij->jib', x) * w)", [a(T), a((2, 4, 3)), a((4, 3, 2))])],
    "np.kron": [("np.sum(np.kron(x, y) ** 2) + np.sum(np.kron(w, w) ** 2)",
                 [a(V), a((2,)), a(M)])],
    "np.cross": [("np.sum(np.cross(x, y) ** 2) + np.sum(np.cross(w, x) ** 2)",
                  [a(V), a(V), a(M)])],
    # -- linear algebra ------------------------------------------------------------------
    "np.linalg.inv": [("np.sum(np.linalg.inv(x + 3.0 * np.eye(3)) * y)", [a(SQ), a(SQ)])],
    "np.linalg.solve": [("np.sum(np.linalg.solve(x + 3.0 * np.eye(3), y) ** 2) + "
                         "np.sum(np.linalg.solve(x + 3.0 * np.eye(3), w) ** 2)",
                         [a(SQ), a(V), a((3, 2))])],
    "np.linalg.det": [("np.linalg.det(x + 3.0 * np.eye(3))", [a(SQ)])],
    "np.linalg.slogdet": [("s, d = np.linalg.slogdet(x + 3.0 * np.eye(3)); s * d",
                           [a(SQ)])],
    "np.linalg.cholesky": [("np.sum(np.linalg.cholesky(x @ x.T + 3.0 * np.eye(3)) * y)",
                            [a(SQ), a(SQ)])],
    "np.linalg.eigh": [("e, v = np.linalg.eigh(x + x.T); np.sum(e * y) + np.sum(v ** 2 * w)",
                        [a(SQ), a(V), a(SQ)])],
    "np.linalg.eigvalsh": [("np.sum(np.linalg.eigvalsh(x + x.T) * y)", [a(SQ), a(V)])],
    "np.linalg.qr": [("q, r = np.linalg.qr(x); np.sum(q * y) + np.sum(r * w)",
                      [a((4, 3)), a((4, 3)), a(SQ)])],
    "np.linalg.svd": [("np.sum(np.linalg.svd(x, compute_uv=False) * y)",
                       [a((3, 2)), a((2,))])],
    "np.linalg.lstsq": [("np.sum(np.linalg.lstsq(x, y, rcond=None)[0] ** 2) + "
                         "np.sum(np.linalg.lstsq(x, w, rcond=None)[0] ** 2)",
                         [a((4, 2)), a((4,)), a((4, 2))])],
    "np.linalg.pinv": [("np.sum(np.linalg.pinv(x) * y)", [a((3, 2)), a((2, 3))])],
}


def cases_for(rule):
    """The cases of a rule: from the table, or derived from its family."""
    if rule.name in CASES:
        return CASES[rule.name]
    if not rule.differentiable:
        return {"comparisons": COMPARISONS, "piecewise constant": PIECEWISE,
                "constructors": CONSTANTS, "shapes": CONSTANTS}.get(rule.family)
    lo, hi = DOMAINS.get(rule.name, (-0.9, 0.9))
    if rule.family in ("elementwise", "scipy.special"):
        return unary(rule.name, lo, hi)
    if rule.family == "math":
        return [(f"{rule.name}(x)", [a(S, lo, hi)])]
    return None


def make_args(specs, seed):
    rng = np.random.default_rng(seed)
    return tuple(rng.uniform(lo, hi, shape) if shape else float(rng.uniform(lo, hi))
                 for shape, lo, hi in specs)

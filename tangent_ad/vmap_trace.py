"""One row of a Jacobian as straight-line scalar code, traced from the generated calls.

The generic row (see `vmap_rows`) calls `f_jvp` once per input basis vector, and every
call recomputes the function and allocates an array for every vector temporary: for bundle
adjustment, 15 calls of a function with a dozen 3-vectors per observation. When the
generated code has no branches and works on small arrays, the whole row can instead be
written as scalar statements:

    t3 = a0[i, 0]
    t7 = t3 * t3
    ...
    out0[i, 4] = t212

The row is found by running the generated Python function on NumPy object arrays of
symbolic scalars (`Sym`): every arithmetic operation records one statement. All the calls
of one row are traced into the same recorder, so what they share (the primal computation,
which does not depend on the seed) is recorded once; the seeds are constants, so products
with a zero tangent fold away and the code left is forward mode with all directions at
once, keeping only the nonzero ones. Folding `x * 0.0` to `0.0` treats a tangent that is
structurally zero as exactly zero (as JAX's symbolic zeros do), also where `x` is inf.

Tracing stops (and the generic row is used) at anything it cannot record: a comparison
(control flow depends on values), a call that needs a real number, or more than
`MAX_STATEMENTS` statements. The traced row is checked against the generic one on the
first row before it is used.
"""
import math

import numpy as np

MAX_STATEMENTS = 4000  # beyond, compiling the row costs more than tracing saves

# NumPy ufuncs call these methods on object arrays; each becomes a `math` function.
UNARY = {"sqrt": "math.sqrt", "cos": "math.cos", "sin": "math.sin", "tan": "math.tan",
         "exp": "math.exp", "log": "math.log", "tanh": "math.tanh", "sinh": "math.sinh",
         "cosh": "math.cosh", "arctan": "math.atan", "arcsin": "math.asin",
         "arccos": "math.acos", "log1p": "math.log1p", "expm1": "math.expm1"}


class TraceError(Exception):
    """The generated code does something the scalar trace cannot record."""


class Recorder:
    """The statements of a traced row, with each distinct operation recorded once."""

    def __init__(self):
        self.lines = []  # (name, expression text, names it reads)
        self.known = {}

    def emit(self, text, reads):
        if text in self.known:
            return self.known[text]
        if len(self.lines) >= MAX_STATEMENTS:
            raise TraceError(f"the row needs more than {MAX_STATEMENTS} scalar statements")
        sym = Sym(self, f"t{len(self.lines)}")
        self.lines.append((sym.name, text, reads))
        self.known[text] = sym
        return sym

    def body(self, stores):
        """The live statements for `stores` [(target, value)], then the stores."""
        live = {v.name for _, v in stores if isinstance(v, Sym)}
        kept = []
        for name, text, reads in reversed(self.lines):
            if name in live:
                kept.append(f"{name} = {text}")
                live.update(reads)
        kept.reverse()
        return kept + [f"{target} = {_text(value)}" for target, value in stores]


def _text(x):
    if isinstance(x, Sym):
        return x.name
    if isinstance(x, (bool, np.bool_)):
        return repr(float(x))
    if isinstance(x, (int, float, np.integer, np.floating)):
        value = float(x)
        return repr(value) if math.isfinite(value) else f"float('{value}')"
    raise TraceError(f"cannot record a {type(x).__name__}")


def _number(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _binary(op, a, b):
    """a op b for symbols and numbers, folding what is known."""
    if _number(a) and _number(b):
        with np.errstate(all="ignore"):  # NumPy's float semantics: 1/0 is inf
            x, y = np.float64(a), np.float64(b)
            return float({"+": x + y, "-": x - y, "*": x * y, "/": x / y}[op])
    if not isinstance(a, (Sym, int, float, np.integer, np.floating)) or \
            not isinstance(b, (Sym, int, float, np.integer, np.floating)):
        return NotImplemented
    if op == "+":
        if _number(a) and a == 0:
            return b
        if _number(b) and b == 0:
            return a
    elif op == "-":
        if _number(b) and b == 0:
            return a
        if _number(a) and a == 0:
            return -b
    elif op == "*":
        for x, y in ((a, b), (b, a)):
            if _number(x) and x == 0:
                return 0.0
            if _number(x) and x == 1:
                return y
            if _number(x) and x == -1:
                return -y
    elif op == "/":
        if _number(a) and a == 0:
            return 0.0
        if _number(b) and b == 1:
            return a
    recorder = a.recorder if isinstance(a, Sym) else b.recorder
    if op in "+*" and isinstance(a, Sym) and isinstance(b, Sym) and b.name < a.name:
        a, b = b, a  # commutative: one statement for a*b and b*a
    return recorder.emit(f"{_text(a)} {op} {_text(b)}",
                         [x.name for x in (a, b) if isinstance(x, Sym)])


def _operator(op):
    """`a op b` and its reflected form (`b op a`, for `2.0 * sym`) as Sym methods."""
    return (lambda self, other: _binary(op, self, other),
            lambda self, other: _binary(op, other, self))


class Sym:
    """A symbolic float: the name of a recorded statement (or of a loaded argument)."""

    __slots__ = ("recorder", "name")

    def __init__(self, recorder, name):
        self.recorder = recorder
        self.name = name

    __add__, __radd__ = _operator("+")
    __sub__, __rsub__ = _operator("-")
    __mul__, __rmul__ = _operator("*")
    __truediv__, __rtruediv__ = _operator("/")

    def __neg__(self):
        return self.recorder.emit(f"-{self.name}", [self.name])

    def __pos__(self):
        return self

    def __pow__(self, other):
        if _number(other) and other == 2:
            return self * self
        if _number(other) and other == 1:
            return self
        if _number(other) and other == 0.5:
            return self.sqrt()
        reads = [x.name for x in (self, other) if isinstance(x, Sym)]
        return self.recorder.emit(f"{self.name} ** {_text(other)}", reads)

    def __abs__(self):
        return self.recorder.emit(f"abs({self.name})", [self.name])

    def __bool__(self):
        raise TraceError("a branch or comparison depends on a value")

    def __float__(self):
        raise TraceError("a call needs a real number")

    def __lt__(self, other):
        raise TraceError("a comparison depends on a value")

    __le__ = __gt__ = __ge__ = __lt__

    def __getattr__(self, attr):
        if attr in UNARY:
            return lambda: self.recorder.emit(f"{UNARY[attr]}({self.name})", [self.name])
        if attr == "conjugate":
            return lambda: self
        raise AttributeError(attr)


def symbolic(recorder, value, access):
    """A parameter as symbols: `access(index)` is the text that loads element `index`."""
    if np.ndim(value) == 0:
        return recorder.emit(access(()), [])
    out = np.empty(np.shape(value), dtype=object)
    for index in np.ndindex(*out.shape):
        out[index] = recorder.emit(access(index), [])
    return out


def _is_float(value):
    if isinstance(value, np.ndarray):
        return np.issubdtype(value.dtype, np.floating) or np.issubdtype(value.dtype,
                                                                          np.integer)
    return isinstance(value, (float, np.floating))


def _access(name, mapped):
    def access(index):
        parts = (["i"] if mapped else []) + [str(j) for j in index]
        return f"{name}[{', '.join(parts)}]" if parts else name
    return access


def _shared_arrays(rows):
    """Arrays passed to every call (globals the code reads): parameters of the traced loop.
    The others (seeds) are constants of the trace."""
    ids = [{id(v) for v in rest if isinstance(v, np.ndarray)} for _, rest, _, _ in rows.calls]
    shared = set.intersection(*ids)
    seen, out = set(), []
    for _, rest, _, _ in rows.calls:
        for v in rest:
            if id(v) in shared and id(v) not in seen:
                seen.add(id(v))
                out.append(v)
    return out


def trace_body(rows, mapped):
    """(the loop body's lines for row i, the arrays passed after the outputs and the row
    arguments). Raises TraceError."""
    recorder = Recorder()
    leaves = []
    for k, (leaf, m) in enumerate(zip(rows.leaves, mapped)):
        if isinstance(leaf, (bool, np.bool_, int, np.integer)):
            if m:
                raise TraceError(f"argument {k} maps integers (they may steer the code)")
            leaves.append(leaf)  # a broadcast int or bool is part of the row plan's key
        elif _is_float(leaf):
            leaves.append(symbolic(recorder, leaf, _access(f"a{k}", m)))
        else:
            raise TraceError(f"argument {k} is a {type(leaf).__name__}")
    shared = _shared_arrays(rows)
    params = {id(v): symbolic(recorder, v, _access(f"h{u}", False))
              for u, v in enumerate(shared)}
    buf = []
    for c, (generated, rest, outputs, returns_tuple) in enumerate(rows.calls):
        rest = [params.get(id(v), v) if isinstance(v, np.ndarray) else v for v in rest]
        out = _run_python(generated, leaves + rest)
        out = list(out) if returns_tuple else [out]
        for m, shape in zip(outputs, rows.shapes_in[c]):
            value = np.asarray(out[m], dtype=object)
            if value.shape != shape:
                raise TraceError(f"traced output of shape {value.shape}, not {shape}")
            buf.extend(value.ravel().tolist())
    buf.append(0.0)
    stores = [(f"out{k}[i, {e}]", buf[s]) for k, index in enumerate(rows.index)
              for e, s in enumerate(index)]
    return recorder.body(stores), shared


def _run_python(generated, args):
    """The generated function (and the helpers it calls) run as Python on symbols."""
    try:
        with np.errstate(all="ignore"):
            return generated.run_python(*args)
    except TraceError:
        raise
    except Exception as exc:  # the code does something object arrays cannot
        raise TraceError(f"{type(exc).__name__}: {exc}") from exc


LOOPS = {"range": ["    for i in range(out0.shape[0]):"],
         "prange": ["    for i in numba.prange(out0.shape[0]):"],
         "cuda": ["    start = cuda.grid(1)",
                  "    for i in range(start, out0.shape[0], cuda.gridsize(1)):"]}


def trace_sources(name, rows, mapped, loops):
    """([the text of a loop over the rows of `rows` as scalar statements, for each of
    `loops`], the arrays to pass after the outputs and the row arguments). A loop is
    "range", "prange" or "cuda" (a grid-stride kernel); the rows are traced once for all
    of them. Raises TraceError."""
    body, shared = trace_body(rows, mapped)
    args = [f"out{k}" for k in range(len(rows.index))] + \
        [f"a{k}" for k in range(len(mapped))] + [f"h{u}" for u in range(len(shared))]
    modules = dict.fromkeys(g.module.__name__ for g, *_ in rows.calls)
    texts = []
    for loop in loops:
        lines = [f"# traces {', '.join(modules)}"] + (["@cuda.jit"] if loop == "cuda" else [])
        lines += [f"def {name}({', '.join(args)}):"] + LOOPS[loop]
        texts.append("\n".join(lines + [f"        {line}" for line in body]) + "\n")
    return texts, shared

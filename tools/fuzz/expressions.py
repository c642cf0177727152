"""The grammar's expressions: random but valid NumPy expressions, emitted as text.

Every value has one of five shapes (a scalar, vectors of 3 and 2, a 2×3 matrix and a
2×1 column), so any two operands of a binary operation broadcast. The builder keeps
the variables it has defined with their shapes and reads only those, so every program
runs; operations keep their operands where they are smooth (`np.log(1.5 + np.sin(e))`,
`e / (2.0 + np.cos(e))`). A program is built from a source of choices: hypothesis's
`draw` (`programs()`, a strategy that shrinks) or a seeded `random.Random`
(`program_from_seed`, for long runs). A straight-line program looks like::

    def f(x, A, s):
        v1 = np.tanh(A * s)
        v2 = np.sum(v1, axis=0) - x
        return 0.7 * np.sum(v2) + 1.3 * s

Productions (`PRODUCTIONS`) can be switched off one by one; `KNOWN_BROKEN` names the
ones whose derivatives are known to be wrong or refused today.
"""
import random
from dataclasses import dataclass

from hypothesis import strategies as st

S, V, W, M, C = (), (3,), (2,), (2, 3), (2, 1)
# shape → the operand shapes whose broadcast is that shape
PAIRS = {S: [(S, S)], V: [(V, V), (V, S), (S, V)], W: [(W, W), (W, S), (S, W)],
         C: [(C, C), (C, S), (S, C)],
         M: [(M, M), (M, V), (V, M), (M, S), (S, M), (M, C), (C, M), (C, V), (V, C)]}
ZEROS = {V: "np.zeros(3)", W: "np.zeros(2)", M: "np.zeros((2, 3))", C: "np.zeros((2, 1))"}

PRODUCTIONS = ("ufuncs", "broadcasting", "reductions", "products", "slices", "if", "for",
               "while", "break_continue", "index_writes", "helpers", "closures", "tuples",
               "dicts", "pytree_args", "arg_writes", "aliases", "factory_closures",
               "keywords", "rebind_iterated")
# Productions whose derivatives are known to be wrong or refused: writes through aliases
# and views, closures made by a factory, defaults and keywords (fixed on other branches),
# and rebinding the array a `for` loop iterates over, inside the loop.
KNOWN_BROKEN = frozenset({"aliases", "factory_closures", "keywords", "rebind_iterated"})

# Elementwise functions, each applied where it and the next one are smooth.
UNARY = ["np.sin({})", "np.cos({})", "np.tanh({})", "np.arctan({})", "np.exp(0.3 * {})",
         "np.log(1.5 + np.sin({}))", "np.sqrt(1.2 + np.cos({}))", "np.square({})", "-({})",
         "np.log1p(np.square({}))", "np.sinh(0.5 * {})", "({}) ** 2", "np.abs(1.5 + {})",
         "np.expm1(0.2 * {})", "np.arcsinh({})", "1.0 / (1.0 + np.square({}))",
         "np.cbrt(2.0 + np.tanh({}))", "np.hypot({}, 0.5)", "np.abs({})"]
SCALAR_UNARY = ["math.sin({})", "math.exp(0.3 * math.tanh({}))", "math.atan({})",
                "math.sqrt(1.0 + ({}) ** 2)", "float({})"]
BINARY = ["np.maximum({}, {})", "np.minimum({}, {})", "np.arctan2({}, 2.0 + np.cos({}))",
          "np.hypot({}, {})", "np.where({0} > {1}, {0}, 0.5 * {1})", "np.logaddexp({}, {})"]
REDUCE_TO_SCALAR = ["np.sum({})", "np.mean({})", "np.max({})", "np.min({})", "({}).sum()",
                    "np.var({})", "np.linalg.norm(1.0 + {})", "np.prod(1.0 + 0.2 * {})"]
REDUCE_AXIS = {V: ["np.sum({}, axis=0)", "np.mean({}, axis=0)", "np.max({}, axis=0)",
                   "({}).sum(axis=0)"],
               W: ["np.sum({}, axis=1)", "np.mean({}, axis=-1)", "np.min({}, axis=1)"],
               C: ["np.sum({}, axis=1, keepdims=True)", "np.max({}, axis=1, keepdims=True)"],
               M: ["np.cumsum({}, axis=1)", "np.cumsum({}, axis=0)"]}
PRODUCTS = {S: [("np.dot({}, {})", V, V), ("{} @ {}", W, W), ("{} @ ({} @ {})", W, M, V)],
            W: [("{} @ {}", M, V), ("np.dot({}, {})", M, V)], V: [("{} @ {}", W, M)],
            M: [("np.outer({}, {})", W, V)]}
CONSTANTS = ["0.5", "1.3", "0.7", "2.0", "0.25", "1.5"]


class Choices:
    """A source of choices; `integer` is the only primitive, and shrinks towards `lo`."""

    def integer(self, lo, hi):
        raise NotImplementedError

    def choice(self, options):
        return options[self.integer(0, len(options) - 1)]

    def chance(self, p):
        """True with probability `p`; shrinks towards False (the simpler program)."""
        return self.integer(0, 99) >= 100 - round(100 * p)


class RandomChoices(Choices):
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def integer(self, lo, hi):
        return self.rng.randint(lo, hi)


class DrawChoices(Choices):
    def __init__(self, draw):
        self.draw = draw

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))


@dataclass
class Var:
    text: str
    shape: tuple
    writable: bool = False   # an array of its own, safe to write into
    base: str = None         # the variable a view or alias of it reads


@dataclass
class Callable:
    name: str
    params: list
    returns: object          # a shape, or a list of shapes (a tuple)
    optional: bool = False   # its last parameter has a default


class Expressions:
    """The expression half of the program builder; `self.c` makes every choice."""

    def __init__(self, choices, productions):
        self.c = choices
        self.productions = frozenset(productions)
        self.used = set()
        self.count = 0
        self.lines, self.module = [], []
        self.env, self.calls, self.indices = [], [], []
        self.indent, self.nest, self.loops = 1, 0, 0
        self.views = {}  # text of a leaf array → the variable it reads
        self.top = True  # building f, not a helper
        self.frozen = set()  # arrays that another name reaches too: not written into
        self.iterated = []   # the arrays the enclosing `for` loops iterate over

    # -- bookkeeping ------------------------------------------------------------------------
    def on(self, production):
        return production in self.productions

    def use(self, production):
        self.used.add(production)

    def fresh(self, prefix="v"):
        self.count += 1
        return f"{prefix}{self.count}"

    def emit(self, line):
        self.lines.append("    " * self.indent + line)

    def scoped(self, body):
        """Run `body`; the names it defines are not read after it (a branch or loop body)."""
        env, calls, count = list(self.env), list(self.calls), len(self.lines)
        body()
        if len(self.lines) == count:
            self.emit("pass")
        kept = {v.text for v in env}
        self.env = [v for v in self.env if v.text in kept]
        self.calls = calls

    def freeze(self, text):
        """A value that another name now also reaches is no longer written into."""
        self.frozen.add(text)
        for var in self.env:
            if var.text == text or var.base == text:
                var.writable = False

    def rebindable(self):
        """The variables a statement may assign a new value to."""
        return [v for v in self.env if v.text.isidentifier()
                and (v.text not in self.iterated or self.on("rebind_iterated"))]

    def target(self, options):
        var = self.c.choice(options)
        if var.text in self.iterated:
            self.use("rebind_iterated")
        return var

    def of_shape(self, shape, writable=False):
        return [v for v in self.env if v.shape == shape and (v.writable or not writable)]

    # -- expressions ------------------------------------------------------------------------
    def index(self, size):
        loops = [name for name, bound in self.indices if name and bound <= size]
        if loops and self.c.chance(0.6):
            return self.c.choice(loops)
        return str(self.c.integer(-size, size - 1))

    def leaf(self, shape):
        """A variable of `shape`, or an index or slice of one that has that shape."""
        options = [v.text for v in self.of_shape(shape)] * 2
        vectors, matrices = self.of_shape(V), self.of_shape(M)
        if shape == S:
            options.append(self.c.choice(CONSTANTS))
            options += [f"{v.text}[{self.index(3)}]" for v in vectors[-2:]]
            options += [f"{m.text}[{self.index(2)}, {self.index(3)}]" for m in matrices[-1:]]
        elif shape == V:
            options += [f"{m.text}[{self.index(2)}]" for m in matrices[-2:]]
            if self.on("slices"):
                options += [f"{v.text}[::-1]" for v in vectors[-1:]]
        elif shape == W:
            options += [f"{v.text}[{self.c.choice([':2', '1:', '::2', '-2:'])}]"
                        for v in vectors[-2:]]
            if self.on("slices"):
                options += [f"{m.text}[:, {self.index(3)}]" for m in matrices[-1:]]
        elif shape == C:
            options += [f"{m.text}[:, {self.c.choice([':1', '1:2', '-1:'])}]"
                        for m in matrices[-1:]]
            if self.on("broadcasting"):
                options += [f"{w.text}[:, None]" for w in self.of_shape(W)[-1:]]
        elif shape == M and self.on("slices"):
            options += [f"{m.text}[:, ::-1]" for m in matrices[-1:]]
        if not options:  # a function without an array of that shape: spread a scalar
            ones = {V: "3", W: "2", M: "(2, 3)", C: "(2, 1)"}[shape]
            return f"({self.leaf(S)} * np.ones({ones}))"
        text = self.c.choice(options)
        if ":" in text and self.on("slices"):
            self.use("slices")
        if shape != S:  # an array that another name may now reach too
            self.views[text] = text.split("[")[0]
        return text

    def expr(self, shape, depth=2):
        if depth <= 0 or self.c.chance(0.25):
            return self.leaf(shape)
        options = [self.arith, self.arith]
        for production, option in (("ufuncs", self.unary), ("ufuncs", self.binary),
                                   ("reductions", self.reduce), ("products", self.product),
                                   ("if", self.ternary), ("helpers", self.call),
                                   ("closures", self.call)):
            if self.on(production):
                options.append(option)
        return self.c.choice(options)(shape, depth - 1)

    def operands(self, shape):
        if self.on("broadcasting") and self.c.chance(0.4):
            pair = self.c.choice(PAIRS[shape])
            if pair != (shape, shape):
                self.use("broadcasting")
            return pair
        return shape, shape

    def arith(self, shape, depth):
        a, b = self.operands(shape)
        kind = self.c.integer(0, 4)
        left, right = self.expr(a, depth), self.expr(b, depth)
        if kind == 3:
            return f"({left} / (2.0 + np.cos({right})))"
        if kind == 4:
            return f"({self.c.choice(CONSTANTS)} * {left} - {right})"
        return f"({left} {'+-*'[kind]} {right})"

    def unary(self, shape, depth):
        self.use("ufuncs")
        forms = UNARY + (SCALAR_UNARY if shape == S else [])
        return self.c.choice(forms).format(self.expr(shape, depth))

    def binary(self, shape, depth):
        self.use("ufuncs")
        a, b = self.operands(shape)
        return self.c.choice(BINARY).format(self.expr(a, depth), self.expr(b, depth))

    def reduce(self, shape, depth):
        self.use("reductions")
        if shape == S:
            source = self.c.choice([V, W, M, C])
            return self.c.choice(REDUCE_TO_SCALAR).format(self.expr(source, depth))
        return self.c.choice(REDUCE_AXIS[shape]).format(self.expr(M, depth))

    def product(self, shape, depth):
        if shape not in PRODUCTS:
            return self.arith(shape, depth)
        self.use("products")
        form, *shapes = self.c.choice(PRODUCTS[shape])
        return "(" + form.format(*(f"({self.expr(s, depth)})" for s in shapes)) + ")"

    def ternary(self, shape, depth):
        self.use("if")
        body, orelse = self.own(self.expr(shape, depth)), self.own(self.expr(shape, 0))
        return f"({body} if {self.condition()} else {orelse})"

    def call(self, shape, depth):
        fits = [f for f in self.calls if f.returns == shape
                or isinstance(f.returns, list) and shape in f.returns]
        if not fits:
            return self.arith(shape, depth)
        f = self.c.choice(fits)
        args = [self.expr(p, depth) for p in f.params]
        if f.optional and self.c.chance(0.5):
            args = args[:-1] if self.c.chance(0.5) else args[:-1] + [f"b={args[-1]}"]
        text = f"{f.name}({', '.join(args)})"
        if isinstance(f.returns, list):
            text += f"[{f.returns.index(shape)}]"
        return text

    def condition(self):
        value = self.expr(S, 1)
        test = f"{value} {self.c.choice(['>', '<'])} {self.c.choice(['0.0', '0.3', '-0.2'])}"
        if self.c.chance(0.2):
            test += f" and {self.leaf(S)} < 1.0"
        return test

    def own(self, text):
        """`text` made a new array if it is a variable or a view of one."""
        return f"1.0 * {text}" if text in self.views else text

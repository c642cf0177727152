"""The grammar's statements and whole programs: `programs()` (a hypothesis strategy) and
`program_from_seed(seed)` (the same grammar driven by `random.Random`, for long runs).

A program is one module: helpers and closure factories first, then `f`, whose
parameters are always `x` (a 3-vector), `A` (a 2×3 matrix) and `s` (a scalar), with a
dict `p` and a tuple `t` of arrays when `pytree_args` is on. Its statements assign,
update, branch, loop (with `break`/`continue`), write into arrays through indices and
slices, define closures, build tuples and dicts; it returns a weighted sum of what it
computed::

    def f(x, A, s):
        z3 = np.zeros(3)
        for i in range(3):
            if x[i] > 0.3:
                continue
            z3[i] = np.sin(A[1, i]) * s
        return 0.7 * np.sum(z3) + 1.3 * s
"""
import copy
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

from .expressions import (C, KNOWN_BROKEN, M, PRODUCTIONS, S, V, W, ZEROS, Callable,
                          DrawChoices, Expressions, RandomChoices, Var)

SHAPES = (S, V, W, M, C)
HEADER = "import math\n\nimport numpy as np\n\n\n"
__all__ = ["PRODUCTIONS", "KNOWN_BROKEN", "Program", "programs", "program_from_seed"]


@dataclass
class Program:
    """A generated function `f`: its module text, its parameters (name → a shape, a dict
    of shapes or a list of shapes for a tuple) and the seed of its arguments."""
    text: str
    params: dict
    arg_seed: int = 0
    productions: set = field(default_factory=set)
    values: tuple = None  # the arguments, when given rather than drawn
    namespace: dict = None  # names the module has before it runs (functions of a test)

    def arguments(self):
        """Arguments for `f`: every entry in ±[0.2, 1.2], away from zero."""
        if self.values is not None:
            return copy.deepcopy(tuple(self.values))
        rng = np.random.default_rng(self.arg_seed)

        def value(spec):
            if isinstance(spec, dict):
                return {k: value(v) for k, v in spec.items()}
            if isinstance(spec, list):
                return tuple(value(v) for v in spec)
            entries = rng.uniform(0.2, 1.2, spec) * rng.choice([-1.0, 1.0], spec)
            return float(entries) if spec == () else entries
        return tuple(value(spec) for spec in self.params.values())


class Builder(Expressions):
    """Builds one program from a source of choices."""

    def statement(self):
        options = [self.assign, self.assign, self.update]
        compound = (("if", self.branch), ("for", self.for_loop), ("while", self.while_loop))
        for production, option in compound:
            if self.on(production) and self.nest < 2:
                options.append(option)
        for production, option, allowed in (
                ("break_continue", self.jump, self.loops > 0),
                ("index_writes", self.construct, True), ("index_writes", self.write, True),
                ("tuples", self.tuple_statement, True), ("dicts", self.dict_statement, True),
                ("closures", self.closure, self.nest == 0 and self.top),
                ("aliases", self.alias, True), ("arg_writes", self.arg_write, self.top)):
            if self.on(production) and allowed:
                options.append(option)
        self.c.choice(options)()

    def block(self, count):
        def body():
            for _ in range(count):
                self.statement()
        self.indent += 1
        self.nest += 1
        self.scoped(body)
        self.indent -= 1
        self.nest -= 1

    # -- assignments ------------------------------------------------------------------------
    def bind(self, text):
        """Bind `text` to another name: the array it reads is now reachable twice."""
        if text in self.views:
            self.freeze(self.views[text])

    def assign(self):
        shape = self.c.choice(SHAPES)
        text = self.expr(shape)
        self.bind(text)
        targets = [v for v in self.rebindable() if v.shape == shape]
        if targets and self.c.chance(0.3):
            var = self.target(targets)
            var.writable, var.base = False, None
            if text in self.views:  # the name now reaches an array another name reaches
                self.frozen.add(var.text)
        else:
            var = Var(self.fresh(), shape)
            self.env.append(var)
        self.emit(f"{var.text} = {text}")

    def update(self):
        var = self.target(self.rebindable())
        if var.shape != S and not var.writable:
            rhs = self.expr(self.c.choice([var.shape, S]), 1)
            self.emit(f"{var.text} = 0.9 * {var.text} + {rhs}")
            var.base = None
            return
        op = self.c.choice(["+=", "-=", "*="])
        shape = self.c.choice([var.shape, S])
        rhs = self.expr(shape, 1)
        self.emit(f"{var.text} {op} {f'np.cos({rhs})' if op == '*=' else rhs}")

    # -- control flow -----------------------------------------------------------------------
    def branch(self):
        self.use("if")
        self.emit(f"if {self.condition()}:")
        self.block(self.c.integer(1, 2))
        if self.c.chance(0.3):
            self.emit(f"elif {self.condition()}:")
            self.block(1)
        if self.c.chance(0.5):
            self.emit("else:")
            self.block(self.c.integer(1, 2))

    def accumulator(self):
        """A variable the loop carries: a new one, or one defined before."""
        if self.c.chance(0.5):
            shape = self.c.choice(SHAPES)
            name = self.fresh("acc")
            self.emit(f"{name} = {'0.0' if shape == S else ZEROS[shape]}")
            self.env.append(Var(name, shape, writable=shape != S))

    def loop_body(self, count):
        self.loops += 1
        self.indent += 1
        self.nest += 1

        def body():
            for _ in range(count):
                self.statement()
            self.update()  # at least one value carried from one iteration to the next
        self.scoped(body)
        self.indent -= 1
        self.nest -= 1
        self.loops -= 1

    def for_loop(self):
        self.use("for")
        self.accumulator()
        kind = self.c.integer(0, 5)
        index = self.fresh("i")
        if kind <= 3:
            heads = ["range(3)", "range(2)", "range(2, -1, -1)", "range(1, 3)"]
            self.emit(f"for {index} in {heads[kind]}:")
            self.indices.append((index, 2 if kind == 1 else 3))
        elif kind == 4:
            row, iterated = self.fresh("row"), self.leaf(M)
            self.iterated.append(iterated.split("[")[0])
            self.emit(f"for {row} in {iterated}:")
            self.env.append(Var(row, V))
            self.indices.append((None, 0))
        else:
            item, iterated = self.fresh("e"), self.leaf(V)
            self.iterated.append(iterated.split("[")[0])
            self.emit(f"for {index}, {item} in enumerate({iterated}):")
            self.env.append(Var(item, S))
            self.indices.append((index, 3))
        self.loop_body(self.c.integer(1, 2))
        self.indices.pop()
        if kind >= 4:
            self.env.pop()
            self.iterated.pop()

    def while_loop(self):
        self.use("while")
        self.accumulator()
        k = self.fresh("k")
        self.emit(f"{k} = 0")
        test = f"{k} < 3"
        if self.c.chance(0.4):
            test += f" and {self.leaf(S)} < 2.0"
        self.emit(f"while {test}:")
        self.indent += 1
        self.emit(f"{k} += 1")  # first, so that `continue` cannot loop forever
        self.indent -= 1
        self.indices.append((f"{k} - 1", 3))
        self.loop_body(self.c.integer(1, 2))
        self.indices.pop()

    def jump(self):
        self.use("break_continue")
        self.emit(f"if {self.condition()}:")
        self.indent += 1
        self.emit(self.c.choice(["break", "continue"]))
        self.indent -= 1

    # -- arrays written through indices -----------------------------------------------------
    def construct(self):
        self.use("index_writes")
        shape = self.c.choice([V, W, M, C])
        forms = {V: ["np.zeros(3)", "np.ones(3)", "({V}).copy()", "np.array([{S}, {S}, {S}])",
                     "np.concatenate([{W}, np.array([{S}])])"],
                 W: ["np.zeros(2)", "np.array([{S}, {S}])", "np.full(2, 0.5)"],
                 M: ["np.zeros((2, 3))", "({M}).copy()", "np.stack([{V}, {V}])",
                     "np.ones_like({M})"],
                 C: ["np.zeros((2, 1))", "np.ones((2, 1))"]}[shape]
        form = self.c.choice(forms)
        while "{" in form:
            part = form[form.index("{"):form.index("}") + 1]
            shape_of = {"{S}": S, "{V}": V, "{W}": W, "{M}": M}[part]
            form = form.replace(part, self.own(self.expr(shape_of, 1)), 1)
        name = self.fresh("z")
        self.emit(f"{name} = {form}")
        self.env.append(Var(name, shape, writable=True))
        self.write()

    def targets(self, shape):
        """(index text, shape written) of the parts of an array of `shape`."""
        n = shape[0] if shape else 1
        if shape in (V, W):
            parts = [(f"[{self.index(n)}]", S), ("[:]", shape)]
            if shape == V:
                parts += [("[1:]", W), ("[::2]", W), ("[:2]", W), ("[::-1]", V)]
            return parts
        if shape == M:
            return [(f"[{self.index(2)}]", V), (f"[:, {self.index(3)}]", W),
                    (f"[{self.index(2)}, {self.index(3)}]", S), (f"[{self.index(2)}, 1:]", W),
                    ("[:, :1]", C), ("", M)]
        return [(f"[{self.index(2)}, 0]", S), ("[:, 0]", W), ("", C)]

    def write_into(self, var):
        targets = [t for t in self.targets(var.shape) if self.on("slices") or ":" not in t[0]]
        index, shape = self.c.choice(targets)
        if ":" in index:
            self.use("slices")
        op = self.c.choice(["=", "+=", "*="] if index else ["+=", "*="])
        rhs = self.expr(self.c.choice([shape, S]), 1)
        self.emit(f"{var.text}{index} {op} {f'np.cos({rhs})' if op == '*=' else rhs}")

    def write(self):
        arrays = [v for v in self.rebindable() if v.writable]
        if arrays:
            self.use("index_writes")
            self.write_into(self.target(arrays))
        else:
            self.assign()

    # -- tuples, dicts, closures ------------------------------------------------------------
    def tuple_statement(self):
        self.use("tuples")
        shapes = [self.c.choice(SHAPES), self.c.choice(SHAPES)]
        values = [self.expr(shape, 1) for shape in shapes]
        for text in values:
            self.bind(text)
        tupled = [f for f in self.calls if isinstance(f.returns, list)]
        rhs = ", ".join(values)
        packed = f"({rhs})"
        if tupled and self.c.chance(0.4):
            f = self.c.choice(tupled)
            shapes = f.returns
            rhs = packed = f"{f.name}({', '.join(self.expr(p, 1) for p in f.params)})"
        if self.c.chance(0.5):
            names = [self.fresh(), self.fresh()]
            self.emit(f"{', '.join(names)} = {rhs}")
        else:
            name = self.fresh("t")
            self.emit(f"{name} = {packed}")
            names = [f"{name}[{k}]" for k in range(len(shapes))]
        self.env += [Var(n, shape) for n, shape in zip(names, shapes)]

    def dict_statement(self):
        self.use("dicts")
        entries = [v for v in self.env if v.text.startswith("d") and '["' in v.text]
        if entries and self.c.chance(0.4):
            var = self.c.choice(entries)
            text = self.expr(var.shape, 1)
            self.bind(text)
            self.emit(f"{var.text} = {text}")
            return
        name = self.fresh("d")
        shapes = {"u": self.c.choice(SHAPES), "v": self.c.choice(SHAPES)}
        values = {k: self.expr(shape, 1) for k, shape in shapes.items()}
        for text in values.values():
            self.bind(text)
        self.emit(f"{name} = {{{', '.join(f'{k!r}: {t}' for k, t in values.items())}}}")
        self.env += [Var(f"{name}[{k!r}]", shape) for k, shape in shapes.items()]

    def closure(self):
        self.use("closures")
        name, param, returns = self.fresh("g"), self.c.choice(SHAPES), self.c.choice(SHAPES)
        self.env.append(Var("u", param))
        if self.c.chance(0.4):
            self.emit(f"{name} = lambda u: {self.own(self.expr(returns))}")
        else:
            self.emit(f"def {name}(u):")
            self.indent += 1
            local = self.fresh("w")
            self.emit(f"{local} = {self.expr(S, 1)}")
            self.env.append(Var(local, S))
            self.emit(f"return {self.own(self.expr(returns))}")
            self.indent -= 1
            self.env.pop()
        self.env.pop()
        self.calls.append(Callable(name, [param], returns))

    # -- aliases and writes into arguments --------------------------------------------------
    def alias(self):
        bases = [v for v in self.env if v.writable and v.text.isidentifier()]
        if self.on("arg_writes"):
            bases += [v for v in self.env if v.text in ("x", "A") and v.text not in self.frozen]
        if not bases:
            return self.assign()
        self.use("aliases")
        base = self.c.choice(bases)
        views = {V: [("", V), ("[::2]", W), ("[1:]", W)], W: [("", W), ("[:, None]", C)],
                 M: [("", M), (f"[{self.index(2)}]", V), ("[:, 1]", W)], C: [("", C)]}
        index, shape = self.c.choice(views[base.shape])
        name = self.fresh("y")
        self.emit(f"{name} = {base.text}{index}")
        var = Var(name, shape, writable=True, base=base.text)
        self.env.append(var)
        self.write_into(var)

    def arg_write(self):
        params = [Var(p, shape) for p, shape in (("x", V), ("A", M)) if p not in self.frozen
                  and any(v.text == p for v in self.env)]
        if not params:
            return self.assign()
        self.use("arg_writes")
        self.write_into(self.c.choice(params))

    # -- helpers ----------------------------------------------------------------------------
    def in_module(self, make):
        """Build a module-level function with `make()`, away from `f`'s state."""
        saved = (self.env, self.lines, self.indent, self.nest, self.loops, self.indices,
                 self.views, self.top)
        self.env, self.lines, self.indent, self.nest, self.loops = [], [], 0, 0, 0
        self.indices, self.views, self.top = [], {}, False
        make()
        self.module.append("\n".join(self.lines) + "\n\n\n")
        (self.env, self.lines, self.indent, self.nest, self.loops, self.indices,
         self.views, self.top) = saved

    def helper(self):
        self.use("helpers")
        name = self.fresh("h")
        shapes = [self.c.choice(SHAPES) for _ in range(self.c.integer(1, 2))]
        optional = self.on("keywords") and len(shapes) == 2 and self.c.chance(0.5)
        if optional:
            self.use("keywords")
            shapes[1] = S
        returns = self.c.choice(SHAPES)
        if self.on("tuples") and self.c.chance(0.3):
            self.use("tuples")
            returns = [returns, self.c.choice(SHAPES)]

        def make():
            params = ["a", "b = 0.5" if optional else "b"][:len(shapes)]
            self.emit(f"def {name}({', '.join(params).replace(' = ', '=')}):")
            self.indent = 1
            self.env = [Var(p, shape) for p, shape in zip("ab", shapes)]
            for _ in range(self.c.integer(0, 2)):
                self.statement()
            if isinstance(returns, list):
                values = [self.own(self.expr(r)) for r in returns]
                self.emit(f"return {', '.join(values)}")
            else:
                self.emit(f"return {self.own(self.expr(returns))}")
        self.in_module(make)
        self.calls.append(Callable(name, shapes, returns, optional))

    def factory(self):
        self.use("factory_closures")
        name, param, returns = self.fresh("g"), self.c.choice(SHAPES), self.c.choice(SHAPES)

        def make():
            self.emit(f"def make_{name}(c):")
            self.emit("    def inner(u):")
            self.env = [Var("u", param), Var("c", S)]
            self.emit(f"        return {self.own(self.expr(returns))}")
            self.emit("    return inner")
            self.emit(f"\n\n{name} = make_{name}({self.c.choice(['0.7', '1.3'])})")
        self.in_module(make)
        self.calls.append(Callable(name, [param], returns))

    # -- the program ------------------------------------------------------------------------
    def parameters(self):
        params = {"x": V, "A": M, "s": S}
        if self.on("pytree_args") and self.c.chance(0.5):
            self.use("pytree_args")
            if self.c.chance(0.5):
                params["p"] = {"w": V, "b": S}
            else:
                params["t"] = [W, S]
        for name, spec in params.items():
            if isinstance(spec, dict):
                self.env += [Var(f"{name}[{k!r}]", v) for k, v in spec.items()]
            elif isinstance(spec, list):
                self.env += [Var(f"{name}[{k}]", v) for k, v in enumerate(spec)]
            else:
                self.env.append(Var(name, spec))
        return params

    def returned(self):
        values = self.env
        chosen = values[-self.c.integer(1, 3):] + [self.c.choice(values)]
        weights = ["0.7", "1.3", "-0.6", "1.1"]
        terms = [f"{w} * {v.text if v.shape == S else f'np.sum({v.text})'}"
                 for w, v in zip(weights, chosen)]
        return " + ".join(terms)

    def program(self):
        self.top = True
        for _ in range(self.c.integer(0, 2) if self.on("helpers") else 0):
            self.helper()
        if self.on("factory_closures") and self.c.chance(0.3):
            self.factory()
        params = self.parameters()
        for _ in range(self.c.integer(1, 6)):
            self.statement()
        self.emit(f"return {self.returned()}")
        arg_seed = self.c.integer(0, 2 ** 16)
        text = (HEADER + "".join(self.module) + f"def f({', '.join(params)}):\n"
                + "\n".join(self.lines) + "\n")
        return Program(text, params, arg_seed, set(self.used))


def build(choices, productions=PRODUCTIONS):
    return Builder(choices, productions).program()


@st.composite
def programs(draw, productions=PRODUCTIONS):
    """A hypothesis strategy of programs that use only `productions`."""
    return build(DrawChoices(draw), productions)


def program_from_seed(seed, productions=PRODUCTIONS):
    return build(RandomChoices(seed), productions)

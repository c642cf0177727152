"""Functions that generated code calls by their own names: the user's functions that have
derivative rules of their own (the counterpart of `jax.custom_vjp` / `custom_jvp`), and
`stop_gradient`.

    def softclip(x):
        return np.tanh(x)

    @ta.adjoint_rule(softclip)
    def _(z, x):
        x_bar += z_bar * (1.0 - z * z)

    @ta.tangent_rule(softclip)
    def _(z, x):
        z_dot = x_dot * (1.0 - z * z)

Generated code then calls `softclip(x)` as it is and differentiates it with the template,
which the generated source shows. A function without Python source (a C function) gets
a rule the same way. The generated module imports these functions from here
(`from tangent_ad.custom import softclip`); for numba, a plain Python function is made
callable from compiled code (`numba.extending.register_jitable`), and if numba cannot
compile it, the usual fallback to the Python version applies.
"""
import functools
import inspect
import re
import types

import gast
import numpy as np

_CALLABLE = {}      # name → object, what `from tangent_ad.custom import name` gives
_JITABLE = set()    # the functions already made callable from numba code
_OPAQUE = {}        # name → function called as it is (rules/opaque.py), by that name


def stop_gradient(x):
    """`x` itself, as a constant: no derivative flows through it (jax.lax.stop_gradient)."""
    return x


def __getattr__(name):
    try:
        return _CALLABLE[name]
    except KeyError:
        raise AttributeError(f"tangent_ad.custom has no function {name!r}; it is defined "
                             "when a function with a custom rule is differentiated.") from None


def adjoint_rule(fn, when=None):
    """Register the decorated template as the adjoint of `fn` (for operand kinds where
    `when(z, *operands)` holds). Its parameters name the result and the operands; its body
    adds to `x_bar` for each operand `x` it differentiates, using `z_bar`."""
    from .rules import registry
    _declare(fn)
    return registry.adjoint_rule(fn, when)


def tangent_rule(fn, when=None):
    """Register the decorated template as the tangent of `fn`: its body sets `z_dot` from
    the operands' tangents `x_dot` (a tangent of a constant operand is zero)."""
    from .rules import registry
    _declare(fn)
    return registry.tangent_rule(fn, when)


def _declare(fn):
    """A primitive for `fn`, under its own name, or numbered when another function of that
    name has a rule already (generated code finds rules by name: two functions `softclip`
    with rules of their own must not share one)."""
    from .rules import registry
    if registry.rule_for(fn) is None:
        label = getattr(fn, "__name__", repr(fn))
        name = next(n for n in [label] + [f"{label}_{k}" for k in range(2, 10000)]
                    if registry.rule_named(n) is None)
        registry.primitive(fn, name, probed_kind(fn), family="user")


def arity(fn):
    """The number of positional parameters of `fn` (1 if its signature is unknown)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params) or 1


_PROBE_SIZES = (2, 3, 5, 7, 11, 13, 17, 19)


def probed_kind(fn):
    """The result kind of `fn`, found by calling it on small example values of the operands'
    kinds; unknown when the kinds are not all known or the call fails."""
    from .kinds import UNKNOWN, ComplexValueError, Kind, kinds_of_values

    def result_kind(*operands, **keywords):
        sizes = {}
        try:
            values = [_example(o, sizes) for o in operands]
            named = {k: _example(o, sizes) for k, o in keywords.items()}
            out = fn(*values, **named)
        except Exception:  # a kind it cannot take, or a value outside its domain
            return UNKNOWN
        try:
            kind = kinds_of_values([out])[0]
        except ComplexValueError:  # refused where the value is used, if it is
            return UNKNOWN
        if kind.ndim is None or kind.ndim == 0:
            return kind if kind.dtype != "o" else UNKNOWN
        symbols = {n: s for s, n in sizes.items()}
        return Kind(kind.ndim, tuple(1 if n == 1 else symbols.get(n) for n in np.shape(out)),
                    kind.dtype)
    return result_kind


def _example(operand, sizes):
    if operand.is_constant:
        return operand.const
    kind = operand.kind
    if kind.ndim is None or kind.shape is None or kind.dtype == "o" or None in kind.shape:
        raise ValueError("unknown kind")
    value = {"f": 0.5, "i": 1, "b": True}[kind.dtype]
    if kind.ndim == 0:
        return value
    shape = []
    for d in kind.shape:
        if d != 1 and d not in sizes:
            sizes[d] = _PROBE_SIZES[len(sizes)]
        shape.append(1 if d == 1 else sizes[d])
    return np.full(tuple(shape), value)


def opaque_name(func):
    """A name for `func` that generated code imports from here: its own name, numbered
    when another function took it (`logpdf`, `logpdf_2`)."""
    label = "".join(c if c.isalnum() else "_" for c in getattr(func, "__name__", "call"))
    label = label if label[:1].isalpha() else f"call_{label}"
    for name in [label] + [f"{label}_{n}" for n in range(2, 1000)]:
        if _OPAQUE.setdefault(name, func) is func or _OPAQUE[name] == func:
            _CALLABLE[name] = func
            return name
    raise RuntimeError(f"too many functions named {label}")


def _make_jitable(obj):
    if not inspect.isfunction(obj) or obj in _JITABLE:
        return
    _JITABLE.add(obj)
    try:
        from numba.extending import register_jitable
    except ImportError:  # numba is optional; the Python backend calls the function as is
        return
    register_jitable(obj)


def _fingerprint(obj):
    """Where `obj` comes from and a hash of its code and of the Python functions it calls:
    a change to any of them changes the generated module, so numba's cache is not reused."""
    from .overloads.naming import fingerprint  # (overloads import the rules, which import us)
    code = getattr(obj, "__code__", None)
    if code is None:
        return f"{getattr(obj, '__module__', None) or type(obj).__name__}, no Python source"
    return f"{code.co_filename}:{code.co_firstlineno}, code {fingerprint(obj)[:8]}"


def _template_globals(rule):
    """(name, value) of the global names the rule's templates use (helpers, constants)."""
    for _, template in rule.adjoints + rule.tangents:
        fn = template.fn
        if fn is None:
            continue
        params = set(template.params)
        for node in gast.walk(gast.Module(body=template.body, type_ignores=[])):
            if isinstance(node, gast.Name) and node.id not in params and \
                    node.id[:-4] not in params and node.id in fn.__globals__:
                yield node.id, fn.__globals__[node.id]


def _called_by_name(rule):
    return "." not in rule.name and (rule.family == "user" or rule.key is stop_gradient)


# A generated module's words, scanned by one regular expression: walking its syntax tree
# took milliseconds per derivative, paid again by every process that loads it from the cache.
_WORDS = re.compile(r"""
      \#[^\n]*                                       # a comment
    | (?<![fF])(?:'{3}[\s\S]*?'{3}|"{3}[\s\S]*?"{3})  # a string (an f-string's names count)
    | (?<![fF])(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")
    | \.\s*[A-Za-z_]\w*                             # an attribute, not a name
    | \bdef\s+\w+                                   # the name a function is given
    | \b([A-Za-z_]\w*)(\s*\()?                      # a name; called when `(` follows
""", re.VERBOSE)


@functools.lru_cache(maxsize=64)  # imports_for and import_lines read the same body
def names_in(body):
    """(the names called as `name(...)`, every name read) in the Python source `body`.

    Only a plain name counts: `np.linalg.norm(x)` calls no function named `norm`, and a
    `norm` inside a string or a comment is not a use. Keywords count as names, which no
    caller asks about.

    >>> called, read = names_in("y = norm(x)  # expit(x)\\nz = np.linalg.det(y) + 'erf(x)'")
    >>> sorted(called), sorted(read)
    (['norm'], ['norm', 'np', 'x', 'y', 'z'])
    """
    called, read = set(), set()
    for match in _WORDS.finditer(body):
        name, call = match.groups()
        if name:
            read.add(name)
            if call:
                called.add(name)
    return frozenset(called), frozenset(read)


def import_lines(body):
    """The imports a generated module needs for the custom functions `body` uses."""
    from .rules.registry import all_rules
    from .runtime import HELPERS
    called, read = names_in(body)
    needed = {}
    for rule in all_rules():
        if _called_by_name(rule) and rule.name in called:
            needed[rule.name] = rule.key
            needed.update((n, v) for n, v in _template_globals(rule) if n in read)
    lines = []
    for name, value in sorted(needed.items()):
        if any(value is helper for helper in HELPERS):
            continue  # imported from tangent_ad.runtime
        if isinstance(value, types.ModuleType):
            if name not in ("np", "math"):
                lines.append(f"import {value.__name__} as {name}")
            continue
        _CALLABLE[name] = value
        _make_jitable(value)
        source = "tangent_ad" if value is stop_gradient else _fingerprint(value)
        lines.append(f"from tangent_ad.custom import {name}  # {source}")
    for name in sorted(called.intersection(_OPAQUE)):  # called as they are, no rule
        lines.append(f"from tangent_ad.custom import {name}  # {_fingerprint(_OPAQUE[name])}")
    return lines

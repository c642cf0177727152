"""signature: a function's parameters as one flat list of positional parameters, at the
call and in its tree.

The core that tangent_ad differentiates takes every parameter positionally, in the order of
the `def`. A call with defaults, keyword arguments, keyword-only parameters, `*args` or
`**kwargs` is bound to that form at the API boundary (`Binding.flat`), and the `def` is
rewritten to match (`flat_parameters`)::

    def f(x, *rest, k=2.0, **kw):          →      def f(x, rest, k, kw):
    grad(f)(1.0, 2.0, kw_s=4.0)            →      f(1.0, (2.0,), 2.0, {"kw_s": 4.0})

`*rest` becomes a tuple argument and `**kw` a dict argument, read by constant index and key
(`rest[0]`, `kw["s"]`) as any tuple or dict argument. `Binding.call` calls the user's own
function with flat values, the way the call had them. A `functools.partial` binds like the
function it wraps, its arguments before the call's (and never differentiated).

`argnums` count the call's positional arguments, as in JAX (`normalize_argnums`,
`Binding.check_argnums`): keyword arguments and defaults are not differentiated, and one
that falls in `*rest` is the pair (position of `rest`, element) (`Binding.position`).
"""
import functools
import inspect

import numpy as np

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class Binding:
    """How calls of `fun` map to its flat parameters (`fun`: a function or a partial of
    one; anything else, a NumPy function say, takes its arguments as they are).

    `func` is the function whose `def` the core is; `offset` the number of arguments a
    partial gives before the call's."""

    def __init__(self, fun):
        self.partial_args, self.partial_keywords = (), {}
        while isinstance(fun, functools.partial) or _user_method(fun):
            if _user_method(fun):  # `model.loss`: `self` is static (see pytree.Static)
                fun = functools.partial(fun.__func__, fun.__self__)
            self.partial_args = fun.args + self.partial_args
            self.partial_keywords = {**fun.keywords, **self.partial_keywords}
            fun = fun.func
        self.func, self.offset = fun, len(self.partial_args)
        try:  # a NumPy function or a builtin differentiates as its rule says: positionally
            self.signature = inspect.signature(fun) if _python(fun) else None
        except (TypeError, ValueError):
            self.signature = None
        params = list(self.signature.parameters.values()) if self.signature else []
        self.names = [p.name for p in params]
        self.kinds = [p.kind for p in params]
        self.named = sum(k in POSITIONAL for k in self.kinds)  # before *args
        self.varargs = inspect.Parameter.VAR_POSITIONAL in self.kinds
        # plain: every parameter positional and without a default; calls pass as they are
        self.plain = all(p.kind in POSITIONAL and p.default is p.empty for p in params) \
            and not self.offset and not self.partial_keywords

    def flat(self, args, kwargs):
        """The values of every parameter, in order, for the call `fun(*args, **kwargs)`;
        a default where the call gives none. A call that `fun` itself would refuse raises
        the TypeError that Python gives."""
        if self.signature is None or (self.plain and not kwargs):
            return tuple(args)
        bound = self.signature.bind(*self.partial_args, *args,
                                    **{**self.partial_keywords, **kwargs})
        bound.apply_defaults()
        return tuple(bound.arguments[name] for name in self.names)

    def check_argnums(self, argnums, args, flat, name):
        """`argnums` must name positional arguments of the call `args` (not defaults or
        keywords), as in JAX; a negative one counts from the last positional argument
        given. `flat`: the call's flat values."""
        for a in argnums:
            if not -len(args) <= a < len(args):
                raise TypeError(
                    f"differentiating with respect to argnums={a} requires at least "
                    f"{a + 1 if a >= 0 else -a} positional arguments to be passed, but {name} "
                    f"got {len(args)}; keyword arguments and defaults are not differentiated: "
                    "pass the argument positionally.")
            if a < 0 and len(flat) != len(args) + self.offset:
                raise TypeError(f"argnums={a} is negative and {name} is called with defaults "
                                "or keyword arguments: give a non-negative argnums.")

    def position(self, a):
        """The position among the flat values of the call's positional argument `a`: after
        a partial's arguments; (the position of `*args`, the element) for one in `*args`."""
        if a < 0:
            if self.varargs:
                raise TypeError(f"argnums={a} is negative and the function takes "
                                f"*{self.names[self.named]}: give a non-negative argnums.")
            return a
        a += self.offset
        return (self.named, a - self.named) if self.varargs and a >= self.named else a

    def example_args(self):
        """1.0 for each positional parameter that the call must give (at least one)."""
        if self.signature is None:
            return (1.0,) * (positional_count(self.func) or 1)
        required = [p for p in self.signature.parameters.values()
                    if p.kind in POSITIONAL and p.default is p.empty]
        return (1.0,) * max(len(required) - self.offset, 0)

    def call(self, flat):
        """The function called with the flat values of its parameters, as `flat` says."""
        fun = self.func
        if self.signature is None or self.plain:
            return fun(*flat)
        args, kwargs = [], {}
        for value, kind, name in zip(flat, self.kinds, self.names):
            if kind in POSITIONAL:
                args.append(value)
            elif kind == inspect.Parameter.VAR_POSITIONAL:
                args.extend(value)
            elif kind == inspect.Parameter.KEYWORD_ONLY:
                kwargs[name] = value
            else:
                kwargs.update(value)
        return fun(*args, **kwargs)


def normalize_argnums(argnums, fun, name):
    """(argnums as a tuple of ints, whether one int was given), checked against the
    positional parameters of `fun` (called `name`)."""
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    nums = (int(argnums),) if single else argnums
    if not isinstance(nums, tuple) or not all(isinstance(a, (int, np.integer))
                                              and not isinstance(a, bool) for a in nums):
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}.")
    if not nums:
        raise TypeError("argnums=() asks for no derivatives: give at least one argument "
                        "position, e.g. argnums=0.")
    if len(set(nums)) != len(nums):
        raise TypeError(f"argnums={argnums!r} repeats a position; give each position once.")
    count = positional_count(fun)
    for a in nums:
        if count is not None and not -count <= a < count:
            raise TypeError(f"differentiating with respect to argnums={a} requires at least "
                            f"{a + 1} positional arguments, but {name} takes {count}.")
    return tuple(nums), single


def positional_count(fun):
    """The number of positional parameters of `fun`; None with `*args`, or if unknown."""
    try:
        params = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return getattr(fun, "nin", None)
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(p.kind in POSITIONAL for p in params)


def _user_method(fun):
    """A method bound to an object of the user's class (not to a class, nor NumPy's)."""
    return inspect.ismethod(fun) and inspect.isfunction(fun.__func__) and \
        not isinstance(fun.__self__, type)


def _python(fun):
    """A Python function (perhaps wrapped), whose `def` is parsed."""
    return inspect.isfunction(inspect.unwrap(fun))


def flat_parameters(fdef):
    """Rewrite the gast FunctionDef `fdef` in place to take its parameters as `flat` gives
    them: positional-only, positional, `*args` (a tuple), keyword-only, `**kwargs` (a dict),
    each a plain parameter without a default."""
    args = fdef.args
    params = list(args.posonlyargs) + list(args.args)
    params += [args.vararg] if args.vararg else []
    params += list(args.kwonlyargs)
    params += [args.kwarg] if args.kwarg else []
    args.posonlyargs, args.args, args.defaults = [], params, []
    args.vararg = args.kwarg = None
    args.kwonlyargs, args.kw_defaults = [], []
    return fdef

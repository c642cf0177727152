"""orders: the stages of a second (or higher) derivative, for `tangent-ad --order N`.

A derivative of order N is the derivative of generated code: the derivative of order N-1,
parsed back and differentiated once more, as `ta.grad(ta.grad(f))` does. So every stage
of order N shows the last step, applied to the generated function of order N-1:

    --mode reverse --order 2    f_grad_grad(x)        reverse over reverse: d(x_bar)/dx
    --mode forward --order 2    f_grad_jvp(x, x_dot)  forward over reverse: the gradient
                                                       and the Hessian times x_dot
    --order 3                   f_grad_grad_grad(x), f_grad_grad_jvp(x, x_dot)

The steps before the last are reverse mode (gradients). A gradient is differentiated again
in reverse mode only when it is a single number, so reverse mode (and forward mode from
order 3 on) needs one scalar argument; forward mode at order 2 takes one scalar or array.
"""
import functools

from . import pipeline
from .api import grad
from .errors import TangentADError
from .explain import shown_path
from .kinds import as_float, kinds_of_values
from .pytree import flatten
from .stages import MODES, Stages

ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def ordinal(order):
    """The ordinal of `order`, in words up to five.

    >>> [ordinal(n) for n in (2, 7, 11, 22)]
    ['second', '7th', '11th', '22nd']
    """
    if order in ORDINALS:
        return ORDINALS[order]
    teens = 10 <= order % 100 <= 20
    return f"{order}{'th' if teens else {1: 'st', 2: 'nd', 3: 'rd'}.get(order % 10, 'th')}"


def inner_name(order, fn, name):
    """What the derivative of order `order - 1` of `fn` (called `name`) is, in words, with
    its place."""
    what = "the gradient" if order == 2 else f"the {ordinal(order - 1)} derivative"
    code = getattr(fn, "__code__", None)
    where = f", {shown_path(code.co_filename)}:{code.co_firstlineno}" if code else ""
    return f"{what} of {name}{where}"


def stages_for(fn, args, argnums=None, mode="reverse", backend="python", order=1):
    """`Stages` for a first derivative, `HigherStages` for order 2 and more."""
    if order == 1:
        return Stages(fn, args, argnums, mode, backend)
    return HigherStages(fn, args, argnums, mode, backend, order)


class HigherStages(Stages):
    """The stages of the derivative of order `order` (2 or more) of `fn`.

    `argnums` must name one argument (default 0); the stages are those of differentiating
    `differentiated`, the generated derivative of order `order - 1`.
    """

    def __init__(self, fn, args, argnums=None, mode="reverse", backend="python", order=2):
        super().__init__(fn, args, 0 if argnums is None else argnums, mode, backend)
        if order < 2:
            raise ValueError(f"HigherStages is for order 2 or more, got {order}.")
        self.order = order
        self.argnums = _check_argument(self.args, self.argnums, mode, order)

    @functools.cached_property
    def differentiated(self):
        """grad(grad(...(fn))): the derivative of order `order - 1`, all in reverse mode."""
        inner = self.fn
        for _ in range(self.order - 1):
            inner = grad(inner, argnums=self.argnums, backend=self.backend)
        return inner

    def about(self, stage):
        if stage == "parse":
            return (f"{self.parsed.name}, the generated derivative of order {self.order - 1}, "
                    "read back from its source")
        return super().about(stage)

    @functools.cached_property
    def _call(self):
        """(the call of the generated derivative of order N-1, the values of its parameters,
        the positions of the parameters to differentiate)."""
        plan = self.differentiated.plan(self.args)
        call = plan.calls[0]
        return call, call.values(plan.leaves), plan.positions((self.argnums,))

    @functools.cached_property
    def parsed(self):
        call, _, _ = self._call
        return pipeline.parse(call.generated.python)

    @functools.cached_property
    def normalized(self):
        return self._call[0].core.nf

    @functools.cached_property
    def transformed(self):
        _, values, positions = self._call
        nf = self.normalized
        wrt = [nf.params[p] for p in positions]
        kinds = {p: as_float(k) if p in wrt else k
                 for p, k in zip(nf.params, kinds_of_values(values))}
        fdef, analysis, _ = pipeline.transform(nf, kinds, wrt, MODES[self.mode])
        return fdef, analysis


def _check_argument(args, argnums, mode, order):
    """The position of the one argument to differentiate (0 or more), after checking that it
    is one value, and a scalar wherever a gradient is differentiated in reverse mode."""
    if not isinstance(argnums, int):
        if len(argnums) != 1:
            raise TangentADError(
                f"--order {order} differentiates a gradient again, which needs one argument "
                f"to differentiate, not {len(argnums)}: give one position in --argnums "
                "(several arguments can go into one array).")
        argnums = argnums[0]
    if not -len(args) <= argnums < len(args):
        raise TangentADError(f"--argnums {argnums}: the function takes {len(args)} "
                             "argument(s).")
    leaves = flatten(args[argnums])[0]
    if len(leaves) != 1:
        raise TangentADError(
            f"--order {order} needs argument {argnums} to be one number or one array, not a "
            f"container of {len(leaves)} values.")
    scalar = not getattr(leaves[0], "ndim", 0)
    if not scalar and (mode == "reverse" or order > 2):
        hint = ("use --mode forward --order 2 (forward over reverse: the Hessian times a "
                "direction x_dot)" if order == 2 else "differentiate a scalar argument")
        raise TangentADError(
            f"--order {order} --mode {mode} differentiates the gradient in reverse mode, "
            f"which needs a scalar gradient, but argument {argnums} is an array: {hint}.")
    return argnums % len(args)

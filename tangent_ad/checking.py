"""Numerical derivatives by central differences, and `check_grads`, which compares the
generated derivatives against them (like `jax.test_util.check_grads`).

>>> round(numerical_grad(lambda x: x ** 3, (2.0,)), 6)
12.0
>>> check_grads(lambda x: np.sin(x) * x, (np.array([0.5, 1.5]),), order=2, backend="python")
"""
import inspect

import numpy as np

from .plans import fresh
from .pytree import flatten, flatten_with_paths, unflatten

EPS = 1e-5   # relative step; truncation (eps² f'''/6) and rounding (1e-16 f/eps) both small
ATOL = 1e-5
RTOL = 1e-5
MODES = {"fwd": "forward", "rev": "reverse"}


def _run(f, args):
    """f(*args) on copies of the arrays in `args`: a function that writes into its
    arguments changes neither the caller's arrays nor the next difference quotient."""
    copies = []
    for arg in args:
        leaves, tree = flatten(arg)
        copies.append(unflatten(tree, [fresh(x) for x in leaves]))
    return f(*copies)


def _perturbed(args, i, leaf_index, delta):
    leaves, tree = flatten(args[i])
    leaves = [np.array(x, dtype=float) if np.ndim(x) else float(x) for x in leaves]
    leaf = leaves[leaf_index]
    leaves[leaf_index] = leaf + delta
    new = list(args)
    new[i] = unflatten(tree, leaves)
    return tuple(new)


def numerical_grad(f, args, argnums=0, eps=1e-6):
    """The gradient of scalar `f` at `args` by central differences (same structure as grad)."""
    single = isinstance(argnums, int)
    out = []
    for i in ((argnums,) if single else tuple(argnums)):
        leaves, tree = flatten(args[i])
        grads = [_difference_quotients(f, args, i, k, eps)[0] for k in range(len(leaves))]
        out.append(unflatten(tree, [g if np.ndim(g) else float(g) for g in grads]))
    return out[0] if single else tuple(out)


def _difference_quotients(f, args, i, k, eps):
    """d f(args) / d (leaf k of argument i) by central differences: one array per output
    leaf, shaped `out.shape + leaf.shape`."""
    x = flatten(args[i])[0][k]
    shape = np.shape(x)
    x = np.asarray(x, dtype=float)
    columns = []
    for index in np.ndindex(*shape):
        h = eps * max(1.0, abs(float(x[index])))
        step = (x[index] + h) - (x[index] - h)  # the step as the floats took it
        delta = np.zeros(shape)
        delta[index] = h
        plus = flatten(_run(f, _perturbed(args, i, k, delta if shape else h)))[0]
        minus = flatten(_run(f, _perturbed(args, i, k, -delta if shape else -h)))[0]
        columns.append([(np.asarray(p, float) - np.asarray(m, float)) / step
                        for p, m in zip(plus, minus)])
    if not columns:  # an empty leaf: the output does not depend on it
        return [np.zeros(np.shape(out) + shape) for out in flatten(_run(f, args))[0]]
    return [np.stack([c[j] for c in columns], axis=-1).reshape(np.shape(columns[0][j]) + shape)
            for j in range(len(columns[0]))]


def _labels(f, args):
    """A readable name for every leaf of every argument: `W`, `params['b']`, `args[2][0]`."""
    try:
        names = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        names = []
    labels = []
    for i, arg in enumerate(args):
        base = names[i] if i < len(names) else f"argument {i}"
        labels.append([base + "".join(f"[{p!r}]" for p in path)
                       for path, _ in flatten_with_paths(arg)])
    return labels


class Block:
    """One block of a Jacobian: d (output leaf) / d (input leaf), `out.shape + in.shape`."""

    def __init__(self, out_path, argument, label, out_ndim, value):
        self.out_path = out_path
        self.argument = argument
        self.label = label
        self.out_ndim = out_ndim
        self.value = value

    def entry(self, index, out="out"):
        """`d out[1] / d W[0, 2]` for the block's entry `index`."""
        out += "".join(f"[{p!r}]" for p in self.out_path)
        inner = self.label
        if index[:self.out_ndim]:
            out += f"[{', '.join(map(str, index[:self.out_ndim]))}]"
        if index[self.out_ndim:]:
            inner += f"[{', '.join(map(str, index[self.out_ndim:]))}]"
        return f"d {out} / d {inner}"


def numerical_jacobian(f, args, argnums, eps=EPS):
    """The Jacobian of `f` at `args` with respect to the arguments `argnums`, by central
    differences: a list of `Block`s in the order of `flatten(jacfwd(f, argnums)(*args))`."""
    outputs = flatten_with_paths(_run(f, args))
    labels = _labels(f, args)
    per_input = [(i, labels[i][k], _difference_quotients(f, args, i, k, eps))
                 for i in argnums for k in range(len(flatten(args[i])[0]))]
    return [Block(path, i, label, np.ndim(out), blocks[j])
            for j, (path, out) in enumerate(outputs) for i, label, blocks in per_input]


def _worst(got_leaves, blocks, atol, rtol):
    """(excess, block, index, got) of the entry that misses the tolerance by most."""
    worst = None
    for got, block in zip(got_leaves, blocks):
        got = np.asarray(got, float)
        excess = np.abs(got - block.value) - (atol + rtol * np.abs(block.value))
        if got.shape != block.value.shape:
            raise AssertionError(f"the Jacobian block {block.entry(())} has shape {got.shape}; "
                                 f"expected {block.value.shape}.")
        if excess.size and (worst is None or excess.max() > worst[0]):
            index = tuple(int(j) for j in np.unravel_index(np.argmax(excess), excess.shape))
            worst = (excess.max(), block, index, got[index])
    return worst


def _float_arguments(args):
    """The positions of the arguments to differentiate: those whose leaves are all floats
    (ints are loop counts and indices, and stay as they are)."""
    def is_float(leaf):
        return np.issubdtype(np.asarray(leaf).dtype, np.floating)
    return tuple(i for i, arg in enumerate(args) if all(map(is_float, flatten(arg)[0])))


def _describe(f, modes):
    name = getattr(f, "__name__", repr(f))
    if len(modes) == 1:
        return f"the {MODES[modes[0]]}-mode derivative of {name}"
    chain = " of the ".join(f"{MODES[m]}-mode derivative" for m in reversed(modes))
    return f"the order-{len(modes)} derivative of {name} (the {chain})"


def _check(fun, derivative, modes, args, atol, rtol, eps, backend):
    from .jacobians import jacfwd, jacrev
    make = jacfwd if modes[-1] == "fwd" else jacrev
    argnums = _float_arguments(args)
    jacobian = make(derivative, argnums, backend=backend)
    got = flatten(jacobian(*args))[0]
    worst = _worst(got, numerical_jacobian(derivative, args, argnums, eps), atol, rtol)
    if worst is not None and worst[0] > 0:
        _, block, index, value = worst
        want = block.value[index]
        out = "out" if len(modes) == 1 else "J"
        where = f" at index {index}" if index else ""
        raise AssertionError(
            f"check_grads: {_describe(fun, modes)} disagrees with central differences "
            f"(eps={eps}) in argument {block.argument} ({block.label}); worst entry "
            f"{block.entry(index, out)}{where}: expected {want:.10g}, got {value:.10g} "
            f"(|difference| {abs(value - want):.3g} > atol {atol:g} + rtol {rtol:g} * "
            f"|expected|)." + ("" if out == "out" else
                               f" J is {_describe(fun, modes[:-1])}, one block per argument."))
    return jacobian


def check_grads(fun, args, order=1, modes=("fwd", "rev"), atol=None, rtol=None, eps=None,
                backend=None):
    """Check the derivatives of `fun` at `args` up to `order` against central differences.

    Order 1 compares the Jacobian by each of `modes` ("fwd": forward mode, "rev": reverse
    mode) with respect to every float argument (int arguments are held constant); order 2 compares the Jacobians of both of those
    Jacobians, in every mode (fwd over fwd, fwd over rev, rev over fwd, rev over rev), and
    so on. Raises AssertionError naming the argument, the modes, the order and the worst
    entry (index, expected, got).
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"check_grads expects args as a tuple, e.g. (x,); got "
                        f"{type(args).__name__}.")
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise ValueError(f"modes must be a non-empty tuple of 'fwd' and 'rev', got {modes!r}.")
    if not _float_arguments(args):
        raise TypeError("check_grads needs at least one float argument (a float, a float "
                        "array, or a container of them); ints are held constant.")
    atol = ATOL if atol is None else atol
    rtol = RTOL if rtol is None else rtol
    eps = EPS if eps is None else eps
    _check_order(fun, fun, (), tuple(args), order, tuple(modes), (atol, rtol, eps, backend))


def _check_order(fun, derivative, done, args, order, modes, options):
    for mode in modes:
        next_derivative = _check(fun, derivative, done + (mode,), args, *options)
        if order > 1:
            _check_order(fun, next_derivative, done + (mode,), args, order - 1, modes, options)

"""Numerical derivatives by central differences, to check generated derivatives against.

>>> numerical_grad(lambda x: x ** 3, (2.0,))
12.000000...
"""
import numpy as np

from .pytree import flatten, unflatten


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
    nums = (argnums,) if single else tuple(argnums)
    out = []
    for i in nums:
        leaves, tree = flatten(args[i])
        grads = []
        for k, leaf in enumerate(leaves):
            shape = np.shape(leaf)
            g = np.zeros(shape)
            for index in np.ndindex(*shape):
                delta = np.zeros(shape)
                delta[index] = eps
                step = delta if shape else eps
                hi = f(*_perturbed(args, i, k, step))
                lo = f(*_perturbed(args, i, k, -step))
                g[index] = (hi - lo) / (2 * eps)
            grads.append(g if shape else float(g))
        out.append(unflatten(tree, grads))
    return out[0] if single else tuple(out)

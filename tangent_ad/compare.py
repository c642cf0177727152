"""compare: a derivative next to central differences, entry by entry, as a table.

    >>> print(table(["x"], [6.0], [6.000000001], rtol=1e-5, atol=1e-6)[0])
       tangent_ad  central differences  difference
    x           6          6.000000001       1e-09

An entry agrees when |derivative - differences| <= atol + rtol * |differences|, the test
`numpy.allclose` makes. Long arrays show their first entries and every entry that disagrees.
"""
import numpy as np

from .directional import Jvp
from .checking import numerical_grad
from .pytree import flatten, flatten_with_paths, unflatten

SHOWN = 8  # entries of one array shown when all of them agree


def labelled(names, argnums, gradient):
    """([label], [value], [position in its array]) of every entry of `gradient`; labels
    read like `x[1]` or `params['W'][0, 2]`."""
    single = isinstance(argnums, int)
    nums = (argnums,) if single else argnums
    parts = (gradient,) if single else gradient
    labels, values, positions = [], [], []
    for i, part in zip(nums, parts):
        for path, leaf in flatten_with_paths(part):
            stem = names[i] + "".join(f"[{key!r}]" for key in path)
            array = np.asarray(leaf, dtype=float)
            for position, index in enumerate(np.ndindex(*array.shape)):
                labels.append(f"{stem}[{', '.join(map(str, index))}]" if index else stem)
                values.append(float(array[index]))
                positions.append(position)
    return labels, values, positions


def table(labels, got, want, rtol, atol, positions=None):
    """(text of the table, True when every entry agrees)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    diff = np.abs(got - want)
    bad = ~(diff <= atol + rtol * np.abs(want))  # NaN disagrees
    positions = positions or [0] * len(labels)
    keep = [k for k in range(len(labels)) if bad[k] or positions[k] < SHOWN]
    rows = [["", "tangent_ad", "central differences", "difference"]]
    rows += [[labels[k], f"{got[k]:.10g}", f"{want[k]:.10g}", f"{diff[k]:.2g}"
              + ("  <- differs" if bad[k] else "")] for k in keep]
    widths = [max(len(r[c]) for r in rows) for c in range(3)]
    lines = [f"{r[0].ljust(widths[0])}  {r[1].rjust(widths[1])}  {r[2].rjust(widths[2])}  "
             f"{r[3].rjust(len(rows[0][3]))}".rstrip() for r in rows]
    hidden = len(labels) - len(keep)
    if hidden:
        lines.append(f"... and {hidden} more entries, all in agreement")
    return "\n".join(lines), not bad.any()


def forward_gradient(fn, args, argnums, backend):
    """The gradient of scalar `fn`, one forward-mode (jvp) pass per input entry.

    Same structure as `ta.grad(fn, argnums)(*args)`. The jvp is linear in the tangents, so
    central differences taken in the tangents (around zero) are exact up to rounding: that
    lets numerical_grad's walk over every entry of every argument serve here too.
    """
    jvp = Jvp(fn, backend=backend)
    zeros = tuple(_zeros_like(a) for a in args)
    return numerical_grad(lambda *tangents: jvp(tuple(args), tangents)[1], zeros, argnums)


def _zeros_like(arg):
    leaves, tree = flatten(arg)
    return unflatten(tree, [np.zeros(np.shape(x)) if np.ndim(x) else 0.0 for x in leaves])

"""np.einsum and np.tensordot: rules written from the subscripts of each call.

The adjoint of one operand of an einsum is the einsum of the result's adjoint with the
other operands, whose output is that operand's subscripts:

    z = np.einsum("ij,jk->ik", a, b)   →   a_bar += np.einsum("ik,jk->ij", z_bar, b)
                                           b_bar += np.einsum("ik,ij->jk", z_bar, a)

An index that only the operand itself sums over (`"ij->i"` sums j) comes back through
`np.ones_like(a)`. Subscripts with `...` or a repeated index in one operand (a diagonal)
have no rule.
"""
import functools
import string

from ..codegen.templates import Template


def parse(subscripts, count):
    """(inputs, output) of einsum subscripts for `count` operands, or None."""
    if not isinstance(subscripts, str) or "." in subscripts:
        return None
    text = subscripts.replace(" ", "")
    if "->" in text:
        given, output = text.split("->")
    else:
        given = text
        letters = given.replace(",", "")
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    inputs = given.split(",")
    if len(inputs) != count or any(len(set(s)) != len(s) for s in inputs):
        return None
    return inputs, output


def _operand_names(count):
    return [f"x{k}" for k in range(count)]


def _adjoint_line(k, inputs, output, names):
    """`xk_bar += np.einsum("<z>,<others>-><xk>", z_bar, *others)`."""
    subs, args = [output], ["z_bar"]
    for j, (sub, name) in enumerate(zip(inputs, names)):
        if j != k:
            subs.append(sub)
            args.append(name)
    if set(inputs[k]) - set("".join(subs)):
        subs.append(inputs[k])
        args.append(f"np.ones_like({names[k]})")
    spec = ",".join(subs) + "->" + inputs[k]
    return f"    {names[k]}_bar += np.einsum({spec!r}, {', '.join(args)})"


@functools.lru_cache(maxsize=None)
def einsum_templates(subscripts, count):
    """(adjoint, tangent) templates of np.einsum(subscripts, *count operands), or None."""
    parsed = parse(subscripts, count)
    if parsed is None:
        return None
    inputs, output = parsed
    names = _operand_names(count)
    head = f"def _(z, subscripts, {', '.join(names)}):\n"
    adjoint = head + "\n".join(_adjoint_line(k, inputs, output, names)
                               for k in range(count)) + "\n"
    terms = [f"np.einsum(subscripts, {', '.join(n + '_dot' if j == k else n for j, n in enumerate(names))})"
             for k in range(count)]
    tangent = head + "    z_dot = " + " + ".join(terms) + "\n"
    return Template(source=adjoint), Template(source=tangent)


def tensordot_subscripts(a_ndim, b_ndim, axes):
    """The einsum subscripts of np.tensordot(a, b, axes) for arrays of these ndims."""
    if isinstance(axes, int):
        a_axes, b_axes = list(range(a_ndim - axes, a_ndim)), list(range(axes))
    else:
        a_axes, b_axes = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                          [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
    a_axes = [d % a_ndim for d in a_axes]
    b_axes = [d % b_ndim for d in b_axes]
    letters = iter(string.ascii_lowercase)
    a_sub = [next(letters) for _ in range(a_ndim)]
    b_sub = [next(letters) for _ in range(b_ndim)]
    for da, db in zip(a_axes, b_axes):
        b_sub[db] = a_sub[da]
    output = [c for d, c in enumerate(a_sub) if d not in a_axes] + \
        [c for d, c in enumerate(b_sub) if d not in b_axes]
    return "".join(a_sub) + "," + "".join(b_sub) + "->" + "".join(output)


@functools.lru_cache(maxsize=None)
def tensordot_adjoint(a_ndim, b_ndim, axes):
    """The adjoint template of np.tensordot(a, b, axes), through einsum."""
    inputs, output = parse(tensordot_subscripts(a_ndim, b_ndim, axes), 2)
    names = ["a", "b"]
    lines = [_adjoint_line(k, inputs, output, names) for k in range(2)]
    return Template(source="def _(z, a, b, axes=2):\n" + "\n".join(lines) + "\n")

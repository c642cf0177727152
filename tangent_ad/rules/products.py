"""Products: np.dot and `@` (matrices, vectors and stacks of matrices), np.inner, np.vdot,
np.tensordot, np.einsum, np.kron and np.cross. Adjoints of matrix products stay matrix
products (BLAS calls), with the other operand transposed."""
import numpy as np

from . import kinds_of_results as K
from .einsum import einsum_templates, tensordot_adjoint
from .registry import adjoint_rule, primitive, tangent_rule

for _f, _name, _kind in [(np.matmul, "np.matmul", K.matmul), (np.dot, "np.dot", K.dot),
                         (np.inner, "np.inner", K.inner), (np.vdot, "np.vdot", K.scalar),
                         (np.kron, "np.kron", K.kron), (np.cross, "np.cross", K.elementwise)]:
    primitive(_f, _name, _kind, family="products")


def _ndims(a, b):
    return lambda z, x, y: (x.ndim, y.ndim) == (a, b)


def _has_scalar(z, x, y):
    return x.ndim == 0 or y.ndim == 0


# -- np.dot and @ ----------------------------------------------------------------------

@adjoint_rule(np.dot, when=_has_scalar)
@adjoint_rule(np.matmul, when=_has_scalar)
@adjoint_rule(np.inner, when=_has_scalar)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * y, x)
    y_bar += unbroadcast(z_bar * x, y)


@adjoint_rule(np.dot, when=_ndims(1, 1))
@adjoint_rule(np.matmul, when=_ndims(1, 1))
@adjoint_rule(np.inner, when=_ndims(1, 1))
def _(z, x, y):
    x_bar += z_bar * y
    y_bar += z_bar * x


@adjoint_rule(np.dot, when=_ndims(2, 1))
@adjoint_rule(np.matmul, when=_ndims(2, 1))
@adjoint_rule(np.inner, when=_ndims(2, 1))
def _(z, x, y):
    x_bar += np.outer(z_bar, y)
    y_bar += x.T @ z_bar


@adjoint_rule(np.dot, when=_ndims(1, 2))
@adjoint_rule(np.matmul, when=_ndims(1, 2))
def _(z, x, y):
    x_bar += y @ z_bar
    y_bar += np.outer(x, z_bar)


@adjoint_rule(np.dot, when=_ndims(2, 2))
@adjoint_rule(np.matmul, when=_ndims(2, 2))
def _(z, x, y):
    x_bar += z_bar @ y.T
    y_bar += x.T @ z_bar


def _stacked(z, x, y):
    """Stacks of matrices (ndim > 2), broadcast against each other or against a matrix."""
    if x.ndim is None or y.ndim is None:  # unknown: no rule fits, and the error says so
        return False
    return min(x.ndim, y.ndim) >= 2 and max(x.ndim, y.ndim) > 2


@adjoint_rule(np.matmul, when=_stacked)
def _(z, x, y):
    x_bar += unbroadcast(z_bar @ np.swapaxes(y, -1, -2), x)
    y_bar += unbroadcast(np.swapaxes(x, -1, -2) @ z_bar, y)


@tangent_rule(np.dot, when=_has_scalar)
@tangent_rule(np.matmul, when=_has_scalar)
@tangent_rule(np.inner, when=_has_scalar)
def _(z, x, y):
    z_dot = x_dot * y + x * y_dot


@tangent_rule(np.dot)
@tangent_rule(np.matmul)
def _(z, x, y):
    z_dot = x_dot @ y + x @ y_dot


# -- np.inner: sums over the last axes of both -------------------------------------------

@adjoint_rule(np.inner, when=_ndims(1, 2))
def _(z, a, b):
    a_bar += b.T @ z_bar
    b_bar += np.outer(z_bar, a)


@adjoint_rule(np.inner, when=_ndims(2, 2))
def _(z, a, b):
    a_bar += z_bar @ b
    b_bar += z_bar.T @ a


@tangent_rule(np.inner)
def _(z, a, b):
    z_dot = np.inner(a_dot, b) + np.inner(a, b_dot)


# -- np.vdot: the sum of the elementwise product of the flattened arrays ----------------

@adjoint_rule(np.vdot)
def _(z, a, b):
    a_bar += z_bar * np.reshape(b, np.shape(a))
    b_bar += z_bar * np.reshape(a, np.shape(b))


@tangent_rule(np.vdot)
def _(z, a, b):
    z_dot = np.vdot(a_dot, b) + np.vdot(a, b_dot)


# -- np.kron: every product of an element of a with an element of b --------------------

@adjoint_rule(np.kron, when=_ndims(1, 1))
def _(z, a, b):
    a_bar += np.reshape(z_bar, (a.size, b.size)) @ b
    b_bar += a @ np.reshape(z_bar, (a.size, b.size))


@adjoint_rule(np.kron, when=_ndims(2, 2))
def _(z, a, b):
    blocks = np.reshape(z_bar, (a.shape[0], b.shape[0], a.shape[1], b.shape[1]))
    a_bar += np.einsum("ikjl,kl->ij", blocks, b)
    b_bar += np.einsum("ikjl,ij->kl", blocks, a)


@tangent_rule(np.kron)
def _(z, a, b):
    z_dot = np.kron(a_dot, b) + np.kron(a, b_dot)


# -- np.cross of 3-vectors (or stacks of them): a x b is linear in each --------------------

@adjoint_rule(np.cross)
def _(z, a, b):
    a_bar += unbroadcast(np.cross(b, z_bar), a)
    b_bar += unbroadcast(np.cross(z_bar, a), b)


@tangent_rule(np.cross)
def _(z, a, b):
    z_dot = np.cross(a_dot, b) + np.cross(a, b_dot)


# -- np.einsum and np.tensordot: templates written from each call's subscripts -----------

def _literal(operand):
    """The value of a literal operand, tuples of literals included (or None)."""
    if operand is None:
        return None
    if operand.is_constant:
        return operand.const
    if operand.elements is not None:
        return tuple(_literal(e) for e in operand.elements)
    return None


def _einsum_template(which):
    def template_for(operands, keywords=None):
        templates = einsum_templates(_literal(operands[1]), len(operands) - 2)
        return templates and templates[which]
    return template_for


_einsum = primitive(np.einsum, "np.einsum", K.einsum, family="products")
_einsum.adjoint_for = _einsum_template(0)
_einsum.tangent_for = _einsum_template(1)

_tensordot = primitive(np.tensordot, "np.tensordot", K.tensordot, family="products")


def _tensordot_adjoint(operands, keywords=None):
    z, a, b, *rest = operands
    axes = _literal((rest or [None])[0] or (keywords or {}).get("axes"))
    return tensordot_adjoint(a.ndim, b.ndim, 2 if axes is None else axes)


_tensordot.adjoint_for = _tensordot_adjoint


@tangent_rule(np.tensordot)
def _(z, a, b, axes=2):
    z_dot = np.tensordot(a_dot, b, axes) + np.tensordot(a, b_dot, axes)

"""Reading elements and slices: `z = x[i]`. The adjoint writes into a zero array."""
import operator

from ..kinds import Kind
from .registry import adjoint_rule, primitive, tangent_rule

GETITEM = operator.getitem


def _index_kind(x, index):
    """The kind of x[index]; `index` is the normalized index node (see kinds inference)."""
    return Kind(None, None, x.dtype)


primitive(GETITEM, "getitem", _index_kind, family="indexing")


@adjoint_rule(GETITEM)
def _(z, x, i):
    x_bar[i] += z_bar


@tangent_rule(GETITEM)
def _(z, x, i):
    z_dot = x_dot[i]

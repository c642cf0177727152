"""resolve: what a name or dotted expression in the user's code refers to, statically.

`np.sin` → the ufunc `numpy.sin`; `math.pi` → 3.14159...; `predict` → the user's function.
Names assigned inside the function are local and never resolved here.
"""
import types

import gast

from ..rules.methods import STATIC_OBJECTS

_MISSING = object()


class Resolver:
    def __init__(self, namespace, local_names):
        self.namespace = namespace
        self.local_names = set(local_names)

    def value(self, node):
        """The object `node` (a Name or a chain of Attributes on one) refers to, or _MISSING."""
        if isinstance(node, gast.Name):
            if node.id in self.local_names:
                return _MISSING
            return self.namespace.get(node.id, _MISSING)
        if isinstance(node, gast.Attribute):
            base = self.value(node.value)
            if base is _MISSING or not isinstance(base, (types.ModuleType, type) + STATIC_OBJECTS):
                return _MISSING
            return getattr(base, node.attr, _MISSING)
        return _MISSING

    def is_static(self, node):
        return self.value(node) is not _MISSING


def dotted(node):
    """'np.linalg.norm' for the expression np.linalg.norm (None if not a dotted name)."""
    if isinstance(node, gast.Name):
        return node.id
    if isinstance(node, gast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


MISSING = _MISSING

"""resolve: what a name or dotted expression in the user's code refers to, statically.

`np.sin` → the ufunc `numpy.sin`; `math.pi` → 3.14159...; `predict` → the user's function.
Names assigned inside the function are local and never resolved here, except those bound
to static structure (`statics`: a function passed as an argument, `self` of a method; see
statics.py), whose attributes resolve too: `self.W` → the array the object holds.
"""
import types

import gast

from ..rules.methods import STATIC_OBJECTS

_MISSING = object()


class Resolver:
    def __init__(self, namespace, local_names):
        self.namespace = namespace
        self.local_names = set(local_names)
        self.statics = {}  # local name → the function or object it is bound to

    def with_statics(self, statics):
        """This resolver, with the names `statics` bound (a copy)."""
        copy = Resolver(self.namespace, self.local_names)
        copy.statics = {**self.statics, **statics}
        return copy

    def value(self, node):
        """The object `node` (a Name or a chain of Attributes on one) refers to, or _MISSING."""
        if isinstance(node, gast.Name):
            if node.id in self.statics:
                return self.statics[node.id]
            if node.id in self.local_names:
                return _MISSING
            return self.namespace.get(node.id, _MISSING)
        if isinstance(node, gast.Attribute):
            base = self.value(node.value)
            static = (types.ModuleType, type) + STATIC_OBJECTS
            if base is _MISSING or not (isinstance(base, static) or is_object(base)):
                return _MISSING
            return getattr(base, node.attr, _MISSING)
        return _MISSING

    def is_static(self, node):
        return self.value(node) is not _MISSING


def is_object(value):
    """An instance of the user's own class (a model, a layer, a dataclass of settings):
    its attributes are static structure or parameters, read like a module's."""
    module = getattr(type(value), "__module__", "") or ""
    return hasattr(value, "__dict__") and not isinstance(value, type) and \
        module.split(".")[0] not in {"builtins", "numpy", "scipy", "functools", "numba"} and \
        not callable(getattr(value, "__array__", None))


def dotted(node):
    """'np.linalg.norm' for the expression np.linalg.norm (None if not a dotted name)."""
    if isinstance(node, gast.Name):
        return node.id
    if isinstance(node, gast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


MISSING = _MISSING

"""Flatten nested containers into leaves and rebuild them: tuple, list, dict, namedtuple,
dataclass, None.

A function or an object of the user's class (a model, an activation, `self` of a bound
method) is static structure, not numbers: it has no leaves, and the structure holds it
(`Static`), so another one is another specialization.

>>> leaves, tree = flatten({"W": 1.0, "b": (2.0, 3.0)})
>>> leaves
[1.0, 2.0, 3.0]
>>> unflatten(tree, [10.0, 20.0, 30.0])
{'W': 10.0, 'b': (20.0, 30.0)}
>>> [path for path, _ in flatten_with_paths({"W": 1.0, "b": (2.0, 3.0)})]
[('W',), ('b', 0), ('b', 1)]
"""
import dataclasses

LEAF = "leaf"


class Static:
    """A function or object in a structure: equal only to itself (by identity)."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, Static) and other.value is self.value

    def __hash__(self):
        return id(self.value)

    def __repr__(self):
        return f"Static({getattr(self.value, '__qualname__', type(self.value).__name__)})"


def _is_static(x):
    from .frontend.statics import is_static
    return not isinstance(x, (tuple, list, dict)) and is_static(x)


def _is_dataclass(x):
    return dataclasses.is_dataclass(x) and not isinstance(x, type)


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _children(x):
    """(kind, keys, children) of a container, or None for a leaf."""
    if x is None:
        return ("none", (), [])
    if _is_namedtuple(x):
        return (type(x), tuple(x._fields), list(x))
    if isinstance(x, (tuple, list)):
        return (type(x), tuple(range(len(x))), list(x))
    if _is_dataclass(x):
        fields = tuple(f.name for f in dataclasses.fields(x) if f.init)
        return (type(x), fields, [getattr(x, f) for f in fields])
    if _is_static(x):
        return (Static(x), (), [])
    if isinstance(x, dict):
        keys = tuple(sorted(x, key=repr)) if not _str_keys(x) else tuple(sorted(x))
        return (dict, keys, [x[k] for k in keys])
    return None


def _str_keys(d):
    return all(isinstance(k, str) for k in d)


def flatten_with_paths(x, prefix=()):
    """[(path, leaf)] in a fixed order; a path is the tuple of keys from the root."""
    node = _children(x)
    if node is None:
        return [(prefix, x)]
    _, keys, children = node
    out = []
    for key, child in zip(keys, children):
        out.extend(flatten_with_paths(child, prefix + (key,)))
    return out


def structure(x):
    """A hashable description of the container structure of `x`."""
    node = _children(x)
    if node is None:
        return LEAF
    kind, keys, children = node
    return (kind, keys, tuple(structure(c) for c in children))


def flatten(x):
    """(leaves, tree) where `unflatten(tree, leaves)` rebuilds `x`."""
    return [leaf for _, leaf in flatten_with_paths(x)], structure(x)


def unflatten(tree, leaves):
    it = iter(leaves)
    out = _build(tree, it)
    return out


def _build(tree, it):
    if tree == LEAF:
        return next(it)
    kind, keys, children = tree
    values = [_build(c, it) for c in children]
    if kind == "none":
        return None
    if isinstance(kind, Static):
        return kind.value
    if dataclasses.is_dataclass(kind):
        return kind(**dict(zip(keys, values)))
    if kind is dict:
        return dict(zip(keys, values))
    if kind in (tuple, list):
        return kind(values)
    return kind(*values)  # namedtuple


def static_only(tree):
    """True when `tree` holds functions or objects (`Static`) and no leaves."""
    return tree != LEAF and num_leaves(tree) == 0 and (
        isinstance(tree[0], Static) or any(static_only(c) for c in tree[2]))


def num_leaves(tree):
    if tree == LEAF:
        return 1
    return sum(num_leaves(c) for c in tree[2])

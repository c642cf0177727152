"""statics: functions and objects used as values, bound when the derivative is generated.

Python structure is static, arrays are dynamic: a function passed to a helper, a default
`nonlinearity=np.tanh`, a `functools.partial`, a lambda argument, `self` of a method and the
layer objects a model holds are all known when the derivative is generated. A name bound
to one is not a variable of the generated code: it is bound in the resolver
(`Resolver.statics`), and a call of it is the call of what it holds::

    def rk4(f, y, dt):                         # rk4(dynamics, y0, 0.1) inlines rk4 with
        k1 = f(y)                              # f bound to `dynamics`; f(y) inlines dynamics
        ...
    class MLP:                                 # grad(model.loss): `self` bound to model;
        def loss(self, x):                     # self.W is a parameter of the core
            return np.sum(self.forward(x))     # (`self_W`), read from model at every call

A new function or object is a new specialization (see pytree.py, `Static`).
"""
import functools
import types

import gast

from ..errors import TangentADError, UnsupportedSyntaxError
from .check import location
from .parse import is_user_function, lambda_to_def, live_getter
from .resolve import MISSING, dotted as _dotted, is_object


class Closure:
    """A lambda or a nested def used as a value: its tree, and the caller's variables it
    sees (their names when it was passed)."""

    def __init__(self, fdef, norm):
        self.fdef = fdef
        self.filename = norm.filename
        self.current = norm.current  # live: a call reads the variables as they are then
        self.containers = norm.containers
        self.resolver = norm.resolver


class Bound:
    """A `functools.partial` built in the code: the function and the (normalized)
    arguments it binds first."""

    def __init__(self, func, args, keywords):
        self.func, self.args, self.keywords = func, args, keywords


class ObjectAttribute:
    """The current value of `obj.W` (of an attribute chain on a static object), read at
    every call; two are equal when they read the same attributes of the same object.

    `guards`: [(root, path, object, length)] for an object reached from an argument of the
    differentiated function (`self.layers[0]` of `net.loss`): the derivative holds the
    structure it was generated for, so a call after `net.layers` changed (another list,
    another length, another layer) is refused rather than read from the old layers."""

    def __init__(self, obj, attrs, guards=()):
        self.obj, self.attrs, self.guards = obj, tuple(attrs), tuple(guards)

    def __call__(self):
        for root, path, expected, length in self.guards:
            value = _walk(root(), path)
            if value is not expected or (length is not None and len(value) != length):
                raise StructureChangedError(
                    f"`{'.'.join([root.label] + [str(p) for p in path])}` is not the one the "
                    "derivative was generated for (its objects or its length changed): "
                    "take the derivative again, e.g. `ta.grad(model.loss)`, after changing "
                    "the structure of a model.")
        value = self.obj
        for attr in self.attrs:
            value = getattr(value, attr)
        return value

    def __eq__(self, other):
        return isinstance(other, ObjectAttribute) and self.obj is other.obj and \
            self.attrs == other.attrs

    def __hash__(self):
        return hash((id(self.obj), self.attrs))


class Item:
    """Item `index` of the tuple or list that `getter` reads, which must keep its length."""

    def __init__(self, getter, index, length):
        self.getter, self.index, self.length = getter, index, length

    def __call__(self):
        items = self.getter()
        if len(items) != self.length:
            raise StructureChangedError(
                f"a list of {self.length} arrays has {len(items)} now: take the derivative "
                "again after changing the length of a list the function reads.")
        return items[self.index]

    def __eq__(self, other):
        return isinstance(other, Item) and (self.getter, self.index, self.length) == (
            other.getter, other.index, other.length)

    def __hash__(self):
        return hash((self.getter, self.index))


class StructureChangedError(TangentADError):
    """A model's structure changed after its derivative was generated."""


class Fixed:
    """The argument a structure was reached from (its identity is part of the key)."""

    def __init__(self, value, label):
        self.value, self.label = value, label

    def __call__(self):
        return self.value


def _walk(root, path):
    for step in path:
        root = root[step] if isinstance(step, int) else getattr(root, step)
    return root


def record_origin(norm, node, value, extra=()):
    """Remember where the static `value` (read as `node`, then `extra` steps) lies in an
    argument of the differentiated function, and guard it (see `ObjectAttribute`)."""
    origins = norm.__dict__.setdefault("static_origins", {})
    norm.__dict__.setdefault("static_guards", [])
    key = _dotted(node)
    if key is None:
        return
    root_name, *attrs = key.split(".")
    base = norm.resolver.statics.get(root_name, MISSING)
    if base is MISSING and root_name not in norm.resolver.local_names:
        from .inline import owner_of  # a global object: read through its global
        base = norm.resolver.value(gast.Name(id=root_name, ctx=gast.Load(), annotation=None,
                                             type_comment=None))
        listed = isinstance(base, (list, tuple))
        if (is_object(base) or listed) and id(base) not in origins:
            root = live_getter(owner_of(norm), root_name)
            root.label = root_name
            origins[id(base)] = (root, ())
            norm.static_guards.append((root, (), base, len(base) if listed else None))
    if id(base) not in origins or id(value) in origins:
        return
    root, path = origins[id(base)]
    path = path + tuple(attrs) + tuple(extra)
    origins[id(value)] = (root, path)
    length = len(value) if isinstance(value, (list, tuple)) else None
    norm.static_guards.append((root, path, value, length))


def guards_of(norm, obj):
    """The guards on the way from the argument to `obj`."""
    origins = getattr(norm, "static_origins", {})
    if id(obj) not in origins:
        return ()
    _, path = origins[id(obj)]
    return [g for g in norm.static_guards if g[1] == path[:len(g[1])]]


def is_static(value):
    """A value that is structure, not numbers: a function, a bound method, a partial, a
    user object, or a tuple or list of them."""
    if isinstance(value, (Closure, Bound)):
        return True
    if isinstance(value, (tuple, list)):
        return len(value) > 0 and all(is_static(v) for v in value)
    if isinstance(value, type) or value is None or isinstance(value, (str, bytes)):
        return False
    return callable(value) or is_object(value)


def ready(atom):
    """An argument node that is normalized already (or a static value): binding it again
    takes it as it is."""
    atom.ready = True
    return atom


def marker(value):
    """A node standing for the static `value` among a call's arguments."""
    node = gast.Name(id="static", ctx=gast.Load(), annotation=None, type_comment=None)
    node.static_value = value
    return ready(node)


def static_of(norm, node, resolver=None):
    """The static value the expression `node` denotes, or MISSING (an array or number)."""
    if hasattr(node, "static_value"):
        return node.static_value
    own = resolver is None  # else a default value, read where the function was defined
    resolver = resolver or norm.resolver
    if isinstance(node, (gast.Name, gast.Attribute)):
        if own and isinstance(node, gast.Name) and node.id in norm.local_defs \
                and node.id not in norm.current:
            return Closure(norm.local_defs[node.id], norm)
        if own and isinstance(node, gast.Name) and (node.id in norm.current or
                                                    node.id in norm.containers):
            return MISSING
        value = resolver.value(node)
        if value is MISSING and isinstance(node, gast.Attribute) and \
                isinstance(node.value, gast.Subscript):  # `self.layers[-1].forward`
            base = static_of(norm, node.value, None if own else resolver)
            value = getattr(base, node.attr, MISSING) if is_object(base) else MISSING
        if value is MISSING or not is_static(value):
            return MISSING
        if isinstance(node, gast.Attribute) and own:
            record_origin(norm, node.value, value, (node.attr,))
        elif own:
            record_origin(norm, node, value)  # a global model or list of layers
        return value
    if isinstance(node, gast.Lambda):
        return Closure(lambda_to_def(node, "<lambda>"), norm)
    if isinstance(node, gast.Subscript) and _int_index(node.slice) is not None:
        items = static_of(norm, node.value, resolver)  # `self.layers[0]`, `fs[-1]`
        index = _int_index(node.slice)
        if not isinstance(items, (list, tuple)) or not -len(items) <= index < len(items):
            return MISSING
        item, i = items[index], index % len(items)
        if own:
            record_origin(norm, node.value, item, (i,))
            _label(norm, label_of(norm, node.value), item, i)
        return item
    if isinstance(node, (gast.Tuple, gast.List)) and node.elts:
        values = [static_of(norm, e, resolver) for e in node.elts]
        return values if all(v is not MISSING for v in values) else MISSING
    if isinstance(node, gast.Call) and resolver.value(node.func) is functools.partial \
            and node.args:
        func = static_of(norm, node.args[0], resolver)
        if func is MISSING:
            return MISSING
        return Bound(func, [_normalized(norm, a) for a in node.args[1:]],
                     {k.arg: _normalized(norm, k.value) for k in node.keywords})
    return MISSING


def pytree_method(norm, node):
    """The user's method that `params.loss(x)` calls, where `params` is a dataclass argument
    (a container of leaves): its `self.W` reads are the leaves. None for another call."""
    receiver = node.func.value
    if not (isinstance(receiver, gast.Name) and receiver.id in norm.leaves):
        return None
    kinds = getattr(norm, "leaf_kinds", None)  # in a helper: its parameters' classes
    kind = kinds.get(receiver.id) if kinds is not None else \
        norm.arg_trees.get(receiver.id, ("",))[0]
    func = getattr(kind, node.func.attr, None) if isinstance(kind, type) else None
    return func if is_user_function(func) else None


def _int_index(node):
    """The constant integer `node` is (`0`, `-1`), or None."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = _int_index(node.operand)
        return None if inner is None else -inner
    ok = isinstance(node, gast.Constant) and isinstance(node.value, int) and \
        not isinstance(node.value, bool)
    return node.value if ok else None


def _normalized(norm, node):
    value = static_of(norm, node)
    return marker(value) if value is not MISSING else ready(norm.atom(node))


def bind_static(norm, target, value):
    """`f = np.tanh`, `g = partial(h, a=1.0)`, `layers = [Dense(...), ...]` bind `f`, `g`,
    `layers` statically: True when it did (nothing is emitted)."""
    static = static_of(norm, value) if isinstance(target, gast.Name) else MISSING
    if static is MISSING:
        if isinstance(target, gast.Name):
            norm.resolver.statics.pop(target.id, None)
        return False
    before = norm.resolver.statics.get(target.id, static)
    if norm.depth > 0 and (before is not static or target.id in norm.current):
        raise UnsupportedSyntaxError(
            f"`{target.id}` is bound to another function inside an `if` or a loop.",
            location(value, norm.filename),
            "choose the function outside the `if` or loop, or call each function in its "
            "own branch.")
    norm.resolver = norm.resolver.with_statics({target.id: static})
    norm.current.pop(target.id, None)
    norm.containers.pop(target.id, None)
    return True


def bind_static_param(norm, param, tree):
    """A static argument of the differentiated function itself (`grad(loss)(x, np.tanh)`,
    `self` of a bound method): bound, not a parameter of the core. True when it is."""
    from ..pytree import LEAF, num_leaves, unflatten
    if tree == LEAF or tree[0] == "none" or num_leaves(tree) != 0:
        return False  # numbers (a container of functions and arrays is one of leaves)
    value = unflatten(tree, [])
    norm.resolver = norm.resolver.with_statics({param: value})
    norm.current.pop(param, None)
    norm.__dict__.setdefault("static_origins", {})[id(value)] = (Fixed(value, param), ())
    norm.__dict__.setdefault("static_guards", [])
    return True


def call_static(norm, node, func):
    """The call `node` of the static value `func`, or None when `func` is a plain function
    (the caller handles those: rules and the user's helpers)."""
    from .inline import inline_call, inline_closure
    if isinstance(func, Closure):
        return inline_closure(norm, node, func)
    if isinstance(func, (Bound, functools.partial)):
        args, keywords = _partial_arguments(norm, node, func)
        call = gast.Call(func=node.func, args=args + [_ready(norm, a) for a in node.args],
                         keywords=keywords + [gast.keyword(arg=k.arg, value=_ready(
                             norm, k.value)) for k in node.keywords
                             if k.arg not in {kw.arg for kw in keywords}])
        gast.copy_location(call, node)
        return _dispatch(norm, call, func.func)
    if isinstance(func, types.MethodType) and is_user_function(func.__func__):
        if isinstance(node.func, gast.Attribute):  # `model.loss(x)` of a global model
            record_origin(norm, node.func.value, func.__self__)
        call = gast.Call(func=node.func, args=[marker(func.__self__)] + list(node.args),
                         keywords=node.keywords)
        return inline_call(norm, gast.copy_location(call, node), func.__func__)
    if is_object(func) and is_user_function(getattr(type(func), "__call__", None)):
        return call_static(norm, node, func.__call__)
    if isinstance(func, list):
        raise UnsupportedSyntaxError("a list or tuple of functions cannot be called.",
                                     location(node, norm.filename),
                                     "loop over it, `for f in fs: y = f(x)`, or index it "
                                     "with a constant: `fs[0](x)`.")
    return None


def _dispatch(norm, call, func):
    """A call of `func` whose arguments may be normalized already (`ready`)."""
    done = call_static(norm, call, func)
    if done is not None:
        return done
    if is_user_function(func):
        from .inline import inline_call
        return inline_call(norm, call, func)
    args = [a if getattr(a, "ready", False) else norm.atom(a) for a in call.args]
    keywords = {k.arg: k.value if getattr(k.value, "ready", False) else norm.atom(k.value)
                for k in call.keywords}
    return norm.call(call, func, args, keywords)


def _ready(norm, node):
    return node if getattr(node, "ready", False) else _normalized(norm, node)


def _partial_arguments(norm, node, func):
    """The arguments a partial binds, as nodes: a `Bound`'s are normalized already; a
    `functools.partial` object's are numbers or static values (an array it holds cannot
    be read at every call, so it is refused)."""
    if isinstance(func, Bound):
        return list(func.args), [gast.keyword(arg=k, value=v) for k, v in
                                 func.keywords.items()]
    nodes = [_value_node(norm, node, v) for v in func.args]
    return nodes, [gast.keyword(arg=k, value=_value_node(norm, node, v))
                   for k, v in func.keywords.items()]


def _value_node(norm, node, value):
    from ..codegen.templates import constant
    if is_static(value):
        return marker(value)
    if isinstance(value, (bool, int, float)):
        return ready(constant(value))
    raise UnsupportedSyntaxError(
        f"the `functools.partial` called here binds a {type(value).__name__}, which cannot "
        "be read at every call.", location(node, norm.filename),
        "build the partial inside the function, `g = functools.partial(f, W=W)`, or pass "
        "the value as an argument.")


def static_loop(norm, stmt):
    """`for layer in self.layers:` over a static list of functions or objects: the body
    once per element, the loop variable bound to it. True when it was one."""
    import copy
    from ..codegen.templates import assign, constant
    sequence, index, target = stmt.iter, None, stmt.target
    if isinstance(sequence, gast.Call) and norm.resolver.value(sequence.func) is enumerate \
            and len(sequence.args) == 1 and isinstance(target, gast.Tuple) and \
            len(target.elts) == 2 and all(isinstance(t, gast.Name) for t in target.elts):
        sequence, (index, target) = sequence.args[0], target.elts  # `for i, layer in ...`
    items = static_of(norm, sequence)
    if items is MISSING and index is None and isinstance(sequence, (
            gast.Name, gast.Attribute)) and isinstance(norm.resolver.value(sequence), (
                list, tuple)):
        norm.unrolled(stmt)  # `for W in self.weights:` over arrays the function reads
        return True
    if not isinstance(items, (list, tuple)) or not isinstance(target, gast.Name):
        return False
    saved, base = norm.resolver, label_of(norm, sequence)
    for i, item in enumerate(items):
        record_origin(norm, sequence, item, (i,))
        _label(norm, base, item, i)
        norm.resolver = norm.resolver.with_statics({target.id: item})
        norm.current.pop(target.id, None)
        if index is not None:
            norm.emit(assign(norm.define(index.id), constant(i)))
        norm.block_into(copy.deepcopy(stmt.body))
    norm.resolver = saved.with_statics({target.id: items[-1]}) if items else saved
    return True


def _label(norm, base, item, i):
    """Item `i` of the list `base` reads its arrays as `layers_0_W`, `layers_1_W`."""
    if base and is_object(item):
        norm.__dict__.setdefault("static_labels", {}).setdefault(id(item), f"{base}_{i}")


def label_of(norm, node):
    """The name a static object's arrays are read under: `layers` for `self.layers` (or
    the label of the object `self` is), `net_layers` for `net.layers`."""
    from .resolve import dotted
    key = dotted(node)
    if key is None:
        return None
    root, *attrs = key.split(".")
    value = norm.resolver.statics.get(root, MISSING)
    label = getattr(norm, "static_labels", {}).get(id(value))
    parts = ([label] if label else [] if root == "self" else [root]) + attrs
    return "_".join(parts) or None


def map_call(norm, node):
    """`map(f, xs)` with a static `f` over a tuple or list of known length: the tuple of
    `f(x)` for each x."""
    func = static_of(norm, node.args[0]) if len(node.args) == 2 else MISSING
    items = static_of(norm, node.args[1]) if func is not MISSING else MISSING
    if isinstance(items, (list, tuple)):  # map over functions or objects
        items = gast.Tuple(elts=[marker(item) for item in items], ctx=gast.Load())
    elif func is not MISSING:
        items = norm.atom(node.args[1])
    if func is MISSING or not isinstance(items, gast.Tuple):
        raise UnsupportedSyntaxError(
            "`map` is differentiated over one tuple or list of known length, with a function "
            "known where it is called.", location(node, norm.filename),
            "write the calls out: `ys = (f(a), f(b))`.")
    out = []
    for item in items.elts:
        call = gast.copy_location(gast.Call(func=node.args[0], args=[ready(item)],
                                            keywords=[]), node)  # f(x), x normalized
        result = _dispatch(norm, call, func)
        plain = isinstance(result, (gast.Name, gast.Constant, gast.Tuple))
        out.append(result if plain else norm.temporary(result))
    return gast.Tuple(elts=out, ctx=gast.Load())

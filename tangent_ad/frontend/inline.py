"""inline: a call of the user's own helper becomes the helper's normalized body.

    def sigmoid(t):                    # in the caller, `p = sigmoid(a)` becomes
        return 0.5 * (np.tanh(t / 2) + 1)     v1 = a / 2
                                              v2 = np.tanh(v1)
                                              v3 = v2 + 1
                                              p = 0.5 * v3

The helper's locals get names that are free in the caller; its `return`s become one
(see `jumps.py`); arguments bind positionally, by keyword or by default. The numbers and
arrays a helper reads from its globals, its closure cells or a module or class attribute
become parameters of the caller, read from the helper's own cells (`hidden_parameter`).
"""
import math

import gast
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..codegen.emit import Origin
from ..codegen.templates import name
from .check import check, location
from .parse import live_getter, parse_function
from .resolve import MISSING, Resolver, dotted


def _bind(norm, node, fdef, filename):
    params = [a.id for a in fdef.args.args]
    defaults = dict(zip(params[len(params) - len(fdef.args.defaults):], fdef.args.defaults))
    given = dict(zip(params, node.args))
    if len(node.args) > len(params):
        raise UnsupportedSyntaxError(
            f"`{fdef.name}` takes {len(params)} arguments but {len(node.args)} were given.",
            location(node, norm.filename), "pass one value per parameter.")
    for k in node.keywords:
        if k.arg not in params or k.arg in given:
            raise UnsupportedSyntaxError(f"`{fdef.name}` got an unexpected or repeated "
                                         f"keyword argument `{k.arg}`.",
                                         location(node, norm.filename), "check the call.")
        given[k.arg] = k.value
    for p in params:
        if p not in given:
            if p not in defaults:
                raise UnsupportedSyntaxError(f"`{fdef.name}` is missing the argument `{p}`.",
                                             location(node, norm.filename),
                                             "pass a value for every parameter.")
            given[p] = defaults[p]
    return params, given


def inline_call(norm, node, func):
    """Normalize a module-level helper's body into `norm`, its parameters bound to the
    call's arguments."""
    parsed = parse_function(func)
    check(parsed.tree, parsed.filename)
    params, given = _bind(norm, node, parsed.tree, parsed.filename)
    resolver = Resolver(parsed.namespace, _local_names(parsed.tree))
    statics = _statics(norm, parsed.tree, given, resolver)
    if not statics and _stays_a_call(norm, parsed.tree, [given[p] for p in params]):
        from ..transform.calls import user_call
        return user_call(norm, node, func, [_atom(norm, given[p]) for p in params])
    if func in norm.inlining or _calls_itself(parsed, func):
        raise UnsupportedSyntaxError(
            f"`{func.__name__}` calls itself and takes or returns a tuple, list or dict, or "
            "writes into its arguments.", location(node, norm.filename),
            "pass and return arrays or numbers, and build new arrays instead of writing "
            "into the arguments.")
    return _inline(norm, node, parsed.tree, parsed.filename, resolver.with_statics(statics),
                   {}, func, parsed.fn)


def inline_closure(norm, node, closure):
    """A lambda or nested def passed as a value (statics.py `Closure`), called: inlined,
    seeing the variables of the code that passed it as they were then."""
    fdef = closure.fdef
    local = _local_names(fdef)
    resolver = Resolver(closure.resolver.namespace, local | set(closure.current))
    resolver.statics = {k: v for k, v in closure.resolver.statics.items() if k not in local}
    params, given = _bind(norm, node, fdef, closure.filename)
    resolver = resolver.with_statics(_statics(norm, fdef, given, resolver))
    enclosing = {k: v for k, v in closure.current.items() if k not in local}
    containers = {k: v for k, v in closure.containers.items() if k not in local}
    return _inline(norm, node, fdef, closure.filename, resolver, enclosing, fdef,
                   containers=containers)


def _statics(norm, fdef, given, resolver):
    """{parameter: static value} for the arguments of a call that are functions or objects
    (a default such as `nonlinearity=np.tanh` resolves where the function was defined)."""
    from .statics import static_of
    defaults = set(map(id, fdef.args.defaults))
    out = {}
    for p, arg in given.items():
        value = static_of(norm, arg, resolver if id(arg) in defaults else None)
        if value is not MISSING:
            out[p] = value
    return out


def _atom(norm, node):
    return node if getattr(node, "ready", False) else norm.atom(node)


def inline_local(norm, node, fdef):
    """A function defined inside the one being differentiated: a nested `def` becomes a
    function of its own where it can (see `_lift`); a lambda bound to a name, or a def
    that cannot, is inlined. Either sees the enclosing function's variables as they are
    at the call."""
    if not getattr(fdef, "from_lambda", False):
        lifted = _lift(norm, node, fdef)
        if lifted is not None:
            return lifted
    resolver = Resolver(norm.resolver.namespace, _local_names(fdef) | set(norm.current))
    resolver.statics = {k: v for k, v in norm.resolver.statics.items()
                        if k not in _local_names(fdef)}  # the functions bound around it
    enclosing = {k: v for k, v in norm.current.items() if k not in _local_names(fdef)}
    return _inline(norm, node, fdef, norm.filename, resolver, enclosing, fdef)


def _lift(norm, node, fdef):
    """A nested def as a function of its own: the enclosing variables it reads become
    parameters after its own, passed at each call (their values at the call)::

        def outer(x, y):                          def scaled(t, scale): ...
            scale = y * 2.0
            def scaled(t):                  →     z = scaled(x, scale)
                return t * scale
            z = scaled(x)

    None when it must be inlined instead: it defines or calls local functions, or
    `_stays_a_call` says no."""
    inner = [n for n in gast.walk(fdef) if n is not fdef]
    if any(isinstance(n, (gast.FunctionDef, gast.Lambda)) or (
            isinstance(n, gast.Call) and isinstance(n.func, gast.Name)
            and (n.func.id in norm.local_defs or n.func.id == fdef.name)) for n in inner) or \
            any(isinstance(n, gast.Name) and n.id in norm.resolver.statics for n in inner):
        return None  # a function of its own cannot see functions and objects bound here
    params, given = _bind(norm, node, fdef, norm.filename)
    if not _stays_a_call(norm, fdef, [given[p] for p in params]):
        return None
    local = _local_names(fdef)
    captured = sorted({n.id for n in inner if isinstance(n, gast.Name)
                       and isinstance(n.ctx, gast.Load) and n.id not in local
                       and n.id in norm.current})
    from ..transform.calls import local_call
    args = [norm.atom(given[p]) for p in params] + [name(norm.current[v]) for v in captured]
    return local_call(norm, fdef, captured, args)


def _inline(norm, node, fdef, filename, resolver, enclosing, key, owner=None,
            containers=None):
    """`owner`: the helper whose body this is (its globals and closure cells are the ones
    its code reads), None for a function nested in the one being normalized; parameters
    bound in `resolver.statics` are not variables."""
    from .jumps import remove_jumps
    from .normalize import Normalizer, assign

    params, given = _bind(norm, node, fdef, filename)
    sub = Normalizer.__new__(Normalizer)
    sub.__dict__.update(norm.__dict__)
    if owner is not None:
        sub.owner = owner
    sub.filename, sub.resolver, sub.inlined, sub.helper = filename, resolver, True, fdef.name
    sub.current, sub.leaves = dict(enclosing), {}
    sub.containers = containers if containers is not None else {
        k: v for k, v in norm.containers.items() if k in enclosing}
    sub.inlining = norm.inlining | {key}
    sub.leaf_kinds = {}
    sub.arg_trees = dict(norm.arg_trees)  # the helper's container parameters: the caller's
    for p in params:
        arg = given[p]
        if p in resolver.statics:
            continue
        if isinstance(arg, gast.Name) and arg.id in norm.leaves:
            sub.leaves[p] = norm.leaves[arg.id]
            if arg.id in norm.arg_trees:
                sub.arg_trees[p] = norm.arg_trees[arg.id]
            kinds = getattr(norm, "leaf_kinds", {})  # the classes (statics.pytree_method)
            sub.leaf_kinds[p] = kinds.get(arg.id, norm.arg_trees.get(arg.id, ("",))[0])
            continue
        atom = _atom(norm, arg)
        if isinstance(atom, gast.Tuple):
            sub.containers[p] = atom.elts
        elif isinstance(atom, gast.Name):
            sub.current[p] = atom.id
        else:
            sub.current[p] = norm.names.fresh(p)
            norm.emit(assign(sub.current[p], atom))
    sub.out = norm.out
    saved_origin = norm.origin
    body = remove_jumps(fdef.body, norm.names)
    sub.block_into(body[:-1])
    last = body[-1]
    sub.origin = Origin(filename, last.lineno, last.end_lineno, "primal", fdef.name)
    result = sub.atom(last.value)
    norm.hidden.update(sub.hidden)
    norm.origin = saved_origin
    return result


def _stays_a_call(norm, fdef, args):
    """A module-level helper becomes a function of its own, with its own vjp and jvp,
    unless values only the caller's inlined code can carry cross the call: containers or
    pytree leaves as arguments, a container as the result, or writes into an argument."""
    if any(isinstance(a, (gast.Tuple, gast.List, gast.Dict)) or
           (isinstance(a, gast.Name) and (a.id in norm.leaves or a.id in norm.containers))
           for a in args):
        return False
    params = {a.id for a in fdef.args.args}
    for n in gast.walk(fdef):
        if isinstance(n, gast.Return) and isinstance(n.value, (gast.Tuple, gast.List,
                                                                gast.Dict)):
            return False
        if isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store) and \
                isinstance(n.value, gast.Name) and n.value.id in params:
            return False
    return True


def owner_of(norm):
    """The function whose code `norm` is normalizing now (an inlined helper's own)."""
    return getattr(norm, "owner", None) or norm.parsed.fn


def hidden_parameter(norm, node, value):
    """A number or array that the code reads from a global, a closure cell or an attribute
    of a module or class: `np.pi` and `math.e` stay as written (the generated module
    imports np and math); any other becomes a parameter of the core, its value read at
    every call::

        SCALE * x            →    SCALE * x          (SCALE a parameter)
        config.K * x         →    config_K * x       (config_K a parameter)
    """
    key = dotted(node)
    if isinstance(node, gast.Attribute) and _imported_module(norm, node):
        node.constant_value = value  # rules may read it (np.linalg.norm(x, np.inf))
        return node
    own_global = isinstance(node, gast.Name) and getattr(norm, "owner", None) is None
    label, getter = _getter(norm, key)
    param = _claim(norm, label, getter, own_global)
    if isinstance(node, gast.Name):
        norm.current.setdefault(key, param)
    return name(param)


def hidden_items(norm, node, value):
    """A tuple or list of numbers and arrays read from a global or an object
    (`self.weights`): one parameter per item, a tuple of known length::

        for W in self.weights: ...     →    (self_weights_0, self_weights_1) unrolled
    """
    from .statics import Item
    if not 0 < len(value) <= 64 or not all(
            isinstance(v, (int, float, np.ndarray, np.number)) and not isinstance(v, bool)
            for v in value):
        return None
    label, getter = _getter(norm, dotted(node))
    return gast.Tuple(elts=[name(_claim(norm, f"{label}_{i}", Item(getter, i, len(value)),
                                        False)) for i in range(len(value))], ctx=gast.Load())


def _getter(norm, key):
    """(parameter name, getter) for the value read as `key` (`SCALE`, `config.K`,
    `self.W`: an attribute of an object bound statically is read from that object)."""
    root, *attrs = key.split(".")
    if root not in norm.resolver.statics:
        return key.replace(".", "_"), live_getter(owner_of(norm), key)
    from .statics import ObjectAttribute, guards_of
    obj = norm.resolver.statics[root]
    label = getattr(norm, "static_labels", {}).get(id(obj))  # layers_0 (statics.py)
    return "_".join([label or root] + attrs), ObjectAttribute(obj, attrs, guards_of(norm, obj))


def _imported_module(norm, node):
    """`np.<...>` or `math.<...>`: names the generated module defines too."""
    while isinstance(node, gast.Attribute):
        node = node.value
    return isinstance(node, gast.Name) and \
        norm.resolver.value(node) is {"np": np, "math": math}.get(node.id)


def _claim(norm, base, getter, own_global):
    """The parameter that carries `getter`'s value: the one that already does, else a new
    one named `base` (a global of the function itself keeps its name; another value with a
    name already used, such as a helper's closure `c` beside the caller's `c`, gets
    another)."""
    for param, known in norm.hidden.items():
        if known == getter:
            return param
    param = base if own_global and base not in norm.hidden else norm.names.fresh(base)
    norm.names.reserve(param)
    norm.hidden[param] = getter
    return param


def pass_globals_to_helpers(norm, body):
    """Calls of helpers that stay functions pass the globals those helpers read: a helper's
    globals are parameters of its normalized function (after its own), as the caller's are.

        def h(t): return SCALE * t        def h(t, SCALE): ...
        y = h(x)                     →    y = h(x, SCALE)      (SCALE a parameter of the caller too)
    """
    from ..transform.calls import UserCallRule
    for node in gast.walk(gast.Module(body=body, type_ignores=[])):
        rule = getattr(node, "rule", None)
        if not isinstance(rule, UserCallRule):
            continue
        itself = rule.parsed is norm.parsed  # a call of itself passes on what it reads
        hidden = sorted(norm.hidden.items()) if itself else rule.normalize().hidden
        node.args = node.args + [name(_claim(norm, global_name, getter, itself))
                                 for global_name, getter in hidden]


def _calls_itself(parsed, func):
    resolver = Resolver(parsed.namespace, _local_names(parsed.tree))
    return any(isinstance(n, gast.Call) and resolver.value(n.func) is func
               for n in gast.walk(parsed.tree))


def _local_names(fdef):
    return {a.id for a in fdef.args.args} | _stored(fdef)


def _stored(fdef):
    return {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Store)}

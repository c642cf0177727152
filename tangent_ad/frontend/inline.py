"""inline: a call of the user's own helper becomes the helper's normalized body.

    def sigmoid(t):                    # in the caller, `p = sigmoid(a)` becomes
        return 0.5 * (np.tanh(t / 2) + 1)     v1 = a / 2
                                              v2 = np.tanh(v1)
                                              v3 = v2 + 1
                                              p = 0.5 * v3

The helper's locals get names that are free in the caller; its `return`s become one
(see `jumps.py`); arguments bind positionally, by keyword or by default.
"""
import gast

from ..errors import UnsupportedSyntaxError
from ..codegen.emit import Origin
from .check import check, location
from .parse import parse_function
from .resolve import Resolver


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
    if _stays_a_call(norm, parsed.tree, [given[p] for p in params]):
        from ..transform.calls import user_call
        return user_call(norm, node, func, [norm.atom(given[p]) for p in params])
    if func in norm.inlining or _calls_itself(parsed, func):
        raise UnsupportedSyntaxError(
            f"`{func.__name__}` calls itself and takes or returns a tuple, list or dict, or "
            "writes into its arguments.", location(node, norm.filename),
            "pass and return arrays or numbers, and build new arrays instead of writing "
            "into the arguments.")
    resolver = Resolver(parsed.namespace, _local_names(parsed.tree))
    return _inline(norm, node, parsed.tree, parsed.filename, resolver, {}, func)


def inline_local(norm, node, fdef):
    """Inline a function defined inside the one being differentiated (a nested `def` or a
    lambda bound to a name): it sees the enclosing function's variables as they are now."""
    resolver = Resolver(norm.resolver.namespace, _local_names(fdef) | set(norm.current))
    enclosing = {k: v for k, v in norm.current.items() if k not in _local_names(fdef)}
    return _inline(norm, node, fdef, norm.filename, resolver, enclosing, fdef)


def _inline(norm, node, fdef, filename, resolver, enclosing, key):
    from .jumps import remove_jumps
    from .normalize import Normalizer, assign

    params, given = _bind(norm, node, fdef, filename)
    sub = Normalizer.__new__(Normalizer)
    sub.__dict__.update(norm.__dict__)
    sub.filename, sub.resolver, sub.inlined, sub.helper = filename, resolver, True, fdef.name
    sub.current, sub.leaves = dict(enclosing), {}
    sub.containers = {k: v for k, v in norm.containers.items() if k in enclosing}
    sub.inlining = norm.inlining | {key}
    for p in params:
        arg = given[p]
        if isinstance(arg, gast.Name) and arg.id in norm.leaves:
            sub.leaves[p] = norm.leaves[arg.id]
            continue
        atom = norm.atom(arg)
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


def _calls_itself(parsed, func):
    resolver = Resolver(parsed.namespace, _local_names(parsed.tree))
    return any(isinstance(n, gast.Call) and resolver.value(n.func) is func
               for n in gast.walk(parsed.tree))


def _local_names(fdef):
    return {a.id for a in fdef.args.args} | _stored(fdef)


def _stored(fdef):
    return {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Store)}

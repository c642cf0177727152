"""inline: a call of the user's own helper becomes the helper's normalized body.

    def sigmoid(t):                    # in the caller, `p = sigmoid(a)` becomes
        return 0.5 * (np.tanh(t / 2) + 1)     v1 = a / 2
                                              v2 = np.tanh(v1)
                                              v3 = v2 + 1
                                              p = 0.5 * v3

The helper's locals get names that are free in the caller. Helpers must be straight-line
code ending in one `return`; arguments bind positionally, by keyword or by default.
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


def _check_straight_line(fdef, filename):
    *body, last = fdef.body
    if not isinstance(last, gast.Return):
        raise UnsupportedSyntaxError("a helper must end with `return`.", location(last, filename),
                                     "return the helper's result on its last line.")
    for stmt in body:
        for node in gast.walk(stmt):
            if isinstance(node, (gast.Return, gast.If, gast.For, gast.While)):
                raise UnsupportedSyntaxError(
                    "helpers with control flow or early returns are not supported yet.",
                    location(node, filename), "write the helper as straight-line code.")


def inline_call(norm, node, func):
    """Normalize `func`'s body into `norm` with its parameters bound to the call's arguments."""
    from .normalize import Normalizer, assign

    parsed = parse_function(func)
    fdef = parsed.tree
    check(fdef, parsed.filename)
    _check_straight_line(fdef, parsed.filename)
    params, given = _bind(norm, node, fdef, parsed.filename)

    sub = Normalizer.__new__(Normalizer)
    sub.__dict__.update(norm.__dict__)
    sub.parsed, sub.filename = parsed, parsed.filename
    sub.resolver = Resolver(parsed.namespace, set(params) | _stored(fdef))
    sub.current, sub.leaves, sub.inlined = {}, {}, True
    for p in params:
        arg = given[p]
        if isinstance(arg, gast.Name) and arg.id in norm.leaves:
            sub.leaves[p] = norm.leaves[arg.id]
            continue
        atom = norm.atom(arg)
        if isinstance(atom, gast.Name):
            sub.current[p] = atom.id
        else:
            sub.current[p] = norm.names.fresh(p)
            norm.emit(assign(sub.current[p], atom))
    sub.out = norm.out
    saved_origin = norm.origin
    sub.helper = fdef.name
    sub.block_into(fdef.body[:-1])
    last = fdef.body[-1]
    sub.origin = Origin(parsed.filename, last.lineno, last.end_lineno, "primal", fdef.name)
    result = sub.atom(last.value)
    norm.hidden.update(sub.hidden)
    norm.origin = saved_origin
    return result


def _stored(fdef):
    return {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Store)}

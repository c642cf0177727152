"""wrappers: a decorated function is what its wrapper computes.

A wrapper that only passes its arguments on is the function it wraps::

    def logged(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):          differentiated: the wrapped function
            return fn(*args, **kwargs)

Any other wrapper is differentiated itself, the wrapped function being a helper it calls
(a closure variable, resolved like any other). A wrapper taking `*args, **kwargs` gets the
wrapped function's parameters when it uses them only to pass them on::

    def wrapper(*args, **kwargs):               def wrapper(x, y):
        return 2.0 * fn(*args, **kwargs)   →        return 2.0 * fn(x, y)

Anything else about `*args, **kwargs` is refused with the wrapper's line.
"""
import ast
import inspect

import gast

from ..errors import Location, UnsupportedSyntaxError


def _body(node):
    """The statements of a def, without its docstring."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def passes_through(node, namespace, wrapped):
    """Whether the `ast` def `node` is `return g(a, b, *args, **kwargs)` with its own
    parameters in order, where `g` is `wrapped`: calling it is calling `wrapped`."""
    body = _body(node) if isinstance(node, ast.FunctionDef) else []
    if len(body) != 1 or not isinstance(body[0], ast.Return) or \
            not isinstance(body[0].value, ast.Call):
        return False
    call, args = body[0].value, node.args
    if args.posonlyargs or args.kwonlyargs or args.defaults:
        return False
    params = [a.arg for a in args.args]
    given = [a.id if isinstance(a, ast.Name) else None for a in call.args[:len(params)]]
    rest = call.args[len(params):]
    if given != params or len(rest) != (1 if args.vararg else 0):
        return False
    if rest and not (isinstance(rest[0], ast.Starred) and isinstance(rest[0].value, ast.Name)
                     and rest[0].value.id == args.vararg.arg):
        return False
    keywords = [(k.arg, getattr(k.value, "id", None)) for k in call.keywords]
    if keywords != ([(None, args.kwarg.arg)] if args.kwarg else []):
        return False
    callee = call.func
    return isinstance(callee, ast.Name) and callee.id not in params and \
        namespace.get(callee.id) is wrapped


def specialize(fdef, filename, wrapped):
    """The gast def `fdef` of a wrapper taking `*args` and/or `**kwargs`, with the
    parameters of `wrapped` instead, where it only passes them on in calls."""
    args = fdef.args
    varargs = args.vararg.id if args.vararg else None
    kwargs = args.kwarg.id if args.kwarg else None
    params = _plain_parameters(wrapped)
    if params is None or args.args or args.posonlyargs or args.kwonlyargs or \
            not _only_passed_on(fdef, varargs, kwargs):
        raise UnsupportedSyntaxError(
            f"`{fdef.name}` wraps `{getattr(wrapped, '__qualname__', wrapped)}` and takes "
            "`*args`/`**kwargs`, which it does more with than pass them on in calls, so "
            "what it computes cannot be differentiated.",
            Location(filename, fdef.lineno, fdef.col_offset),
            "give the wrapper the wrapped function's parameters (def wrapper(x): ...), or "
            "differentiate the undecorated function.")
    taken = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)}
    names = [_free(p, taken) for p in params]
    for node in gast.walk(fdef):
        if isinstance(node, gast.Call):
            node.args = [a for arg in node.args for a in (
                [gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
                 for n in names] if _is_name(arg, gast.Starred, varargs) else [arg])]
            node.keywords = [k for k in node.keywords
                             if not (k.arg is None and _is_name(k, gast.keyword, kwargs))]
    args.args = [gast.Name(id=n, ctx=gast.Param(), annotation=None, type_comment=None)
                 for n in names]
    args.vararg = args.kwarg = None
    return fdef


def _plain_parameters(fn):
    """The names of `fn`'s parameters if all are plain positional ones, else None."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_kwonlyargcount or \
            code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    return list(code.co_varnames[:code.co_argcount])


def _only_passed_on(fdef, varargs, kwargs):
    """Every use of `varargs` is `*varargs` and of `kwargs` is `**kwargs`, in a call."""
    passed = set()
    for node in gast.walk(fdef):
        if isinstance(node, gast.Call):
            passed.update(id(a.value) for a in node.args
                          if isinstance(a, gast.Starred) and isinstance(a.value, gast.Name)
                          and a.value.id == varargs)
            passed.update(id(k.value) for k in node.keywords
                          if k.arg is None and isinstance(k.value, gast.Name)
                          and k.value.id == kwargs)
    uses = [n for n in gast.walk(fdef) if isinstance(n, gast.Name) and
            not isinstance(n.ctx, gast.Param) and n.id in (varargs, kwargs)]
    return all(id(n) in passed for n in uses)


def _is_name(node, kind, name):
    """`node` is a `kind` (Starred or keyword) of the variable `name`."""
    return isinstance(node, kind) and isinstance(node.value, gast.Name) and \
        node.value.id == name


def _free(base, taken):
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return name

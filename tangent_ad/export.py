"""export: a generated derivative as a standalone module, importable without tangent_ad.

The module holds the derivative, the source of the runtime helpers it calls (copied from
tangent_ad/runtime.py, with only the helpers it needs), and a few lines that compile it with
numba when numba is installed. NumPy alone runs the same code. Before and after::

    from tangent_ad.runtime import unbroadcast      def unbroadcast(g, x):
                                             →          '''Sum `g` down to ...'''
                                                        ...

The docstring says what each parameter of the derivative is: the compiled core takes flat
arguments, so `params["W"]` is the parameter `params_W`, and a global array the function
reads is a parameter too.
"""
import ast
import importlib
import inspect

import gast

from . import __version__, pipeline, runtime
from .explain import shown_path
from .orders import ordinal

_RUNTIME_IMPORT = "from tangent_ad.runtime import "
_OVERLOADS = "_register_numba_overloads"


def module_source(generated, fn, mode, numba=True, order=1, name=None):
    """The text of a standalone module for `generated` (a pipeline.Generated), the
    derivative of order `order` of `fn` (called `name`, by default its __name__)."""
    body = str(generated.source)
    imports = pipeline.imports_for(body)
    helpers = [line[len(_RUNTIME_IMPORT):].split(", ") for line in imports
               if line.startswith(_RUNTIME_IMPORT)]
    helpers = helpers[0] if helpers else []
    imports = [line for line in imports if not line.startswith(_RUNTIME_IMPORT)]
    docstring = _docstring(generated, fn, mode, order, name or fn.__name__)
    parts = ["\n".join([docstring] + imports)]
    if helpers:
        parts.append("# Runtime helpers, copied from tangent_ad/runtime.py.\n"
                     + "\n\n".join(runtime_sources(helpers)))
    parts.append(body.rstrip("\n"))
    if numba:
        functions = [node.name for node in ast.parse(body).body
                     if isinstance(node, ast.FunctionDef)]  # the derivative and its helpers
        parts.append(_numba_block(functions, helpers))
    return "\n\n\n".join(part for part in parts if part) + "\n"


def _docstring(generated, fn, mode, order, name):
    what = "gradient" if mode == "reverse" else "forward-mode derivative (jvp)"
    how = []
    if order > 1:
        what = f"{ordinal(order)} derivative"
        inner = "gradient" if order == 2 else f"{ordinal(order - 1)} derivative"
        hessian = "\n(for an array, the Hessian times the tangent)" if order == 2 else ""
        how = ["", f"Reverse over reverse: the derivative of the generated {inner}."
               if mode == "reverse" else f"Forward over reverse: the generated {inner} and "
               f"its derivative along the tangent{hessian}."]
    fdef = generated.fdef
    params = [a.id for a in fdef.args.args]
    ret = fdef.body[-1]
    returns = _unparse(ret.value) if isinstance(ret, gast.Return) else "None"
    lines = [f'"""The {what} of `{name}`, from {_place(fn)}.'] + how + [
             "",
             f"Written by tangent_ad {__version__}. It needs NumPy only; when numba is",
             "installed, the derivative is compiled with it. tangent_ad is not needed.",
             "",
             f"    {fdef.name}({', '.join(params)}) -> {returns.strip('()')}",
             "",
             "Parameters:"]
    lines += [f"    {p}: {what}" for p, what in describe_params(generated)]
    lines += ["", "Kinds: array[d0] is a 1-d array; sizes with the same symbol are equal."]
    return "\n".join(lines) + '\n"""'


def _place(fn):
    code = fn.__code__
    return f"{shown_path(code.co_filename)}:{code.co_firstlineno}"


def _unparse(node):
    return ast.unparse(ast.fix_missing_locations(gast.gast_to_ast(node)))


def describe_params(generated):
    """[(parameter, what it is)] for the parameters of the generated function."""
    nf, analysis = generated.normalized, generated.analysis
    leaves = {leaf: (arg, path) for arg, paths in nf.leaf_paths.items() for path, leaf in paths}
    hidden = {name for name, _ in nf.hidden}
    out = []
    for param in (a.id for a in generated.fdef.args.args):
        base = nf.names.base.get(param)
        kind = analysis.kind(base or param)
        if param in leaves:
            arg, path = leaves[param]
            what = f"{arg}{''.join(f'[{key!r}]' for key in path)}"
        elif param in hidden:
            what = f"the global `{param}` of the original module (pass its current value)"
        elif base is not None:
            what = f"the tangent of {base}, the direction to differentiate along"
        else:
            what = "the argument of the same name"
        out.append((param, f"{kind}, {what}"))
    return out


def runtime_sources(names):
    """The source of the runtime helpers `names`, and of what they use, in file order."""
    text = inspect.getsource(runtime)
    module = ast.parse(text)
    lines = text.splitlines()
    defined = {node.name: node for node in module.body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name != _OVERLOADS}
    wanted, todo = set(), list(names)
    while todo:  # a helper may call another helper: copy that one too
        name = todo.pop()
        if name in wanted or name not in defined:
            continue
        wanted.add(name)
        todo.extend(n.id for n in ast.walk(defined[name]) if isinstance(n, ast.Name))
    return ["\n".join(lines[_first_line(node) - 1:node.end_lineno])
            for node in module.body if getattr(node, "name", None) in wanted]


def _first_line(node):
    return min([node.lineno] + [d.lineno for d in node.decorator_list])


_OVERLOAD_MODULES = ("naming", "axes", "along", "shapes", "helpers")  # tangent_ad/overloads/, in order
_OVERLOAD_IMPORTS = ["import functools", "import hashlib", "import numpy as np",
                     "from numba import extending, types",
                     "from numba.np.unsafe.ndarray import to_fixed_tuple"]


def _overload_definitions():
    """[(name, the name an @overload decorates or None, node, source lines)] in file order."""
    out = []
    for module in _OVERLOAD_MODULES:
        text = inspect.getsource(importlib.import_module(f"tangent_ad.overloads.{module}"))
        lines = text.splitlines()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef):
                target = next((t for t in map(_overloads, node.decorator_list) if t), None)
                out.append((node.name, target, node,
                            lines[_first_line(node) - 1:node.end_lineno]))
    return out


def numba_overloads_source(names):
    """The numba overloads of the runtime helpers `names`, with what they use, as a
    function `_register_numba_overloads` (the exported module calls it when numba is
    installed)."""
    definitions = _overload_definitions()
    wanted, todo = set(), list(names)
    while todo:  # an overload uses register_jitable functions: copy those too
        wanted_name = todo.pop()
        for name, target, node, _ in definitions:
            if (name == wanted_name or target == wanted_name) and id(node) not in wanted:
                wanted.add(id(node))
                todo.extend(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    out = [f"def {_OVERLOADS}():"] + [f"    {line}" for line in _OVERLOAD_IMPORTS]
    body = []
    for name, _, node, lines in definitions:
        if id(node) in wanted:
            body += [""] + [line.replace("runtime.", "") for line in lines]
    names_defined = [name for name, _, node, _ in definitions if id(node) in wanted]
    out += [f"    {line}" if line else "" for line in body]
    out.append(f"    globals().update({{n: v for n, v in locals().items() if n in "
               f"{sorted(set(names_defined))!r}}})")
    return "\n".join(out)


def _overloads(decorator):
    """`unbroadcast` for `@overload(runtime.unbroadcast)` or `@overload(unbroadcast)`."""
    if isinstance(decorator, ast.Call) and decorator.args:
        arg = decorator.args[0]
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) \
                and arg.value.id == "runtime":
            return arg.attr
        return arg.id if isinstance(arg, ast.Name) else None
    return None


def _numba_block(functions, helpers):
    lines = ["try:  # compile with numba when it is installed; NumPy alone runs the same code",
             "    import numba",
             "except ImportError:",
             "    numba = None"]
    if helpers:
        lines = [numba_overloads_source(helpers), "", ""] + lines
    lines.append("if numba is not None:")
    if helpers:
        lines.append(f"    {_OVERLOADS}()  # numba's versions of the helpers, chosen by type")
    lines += [f'    {name} = numba.njit(cache=True, error_model="numpy")({name})'
              for name in functions]
    return "\n".join(lines)

"""parse: a Python function object → its gast `FunctionDef`, located in its file.

The whole file is parsed (not only the function's lines), so line and column numbers in
the tree are the user's own (with Python's own parser; only the function found becomes a
gast tree, which keeps a big file quick to read), and a lambda among several on one line is told apart by the
positions of its code (`__code__.co_positions()`). A lambda becomes a `def`::

    f = lambda x: x ** 2        →        def f(x):
                                             return x ** 2

Names the function reads from globals and closures are resolved into `ParsedFunction.namespace`.
"""
import ast
import builtins
import inspect
import linecache

import gast

from ..errors import SourceNotFoundError


class ParsedFunction:
    """A function's tree, where it came from, and the values its free names refer to."""

    def __init__(self, fn, tree, filename, namespace):
        self.fn = fn
        self.tree = tree
        self.filename = filename
        self.namespace = namespace
        self.name = tree.name

    def __repr__(self):
        return f"ParsedFunction({self.name!r} from {self.filename})"


_file_trees = {}


def _parse_file(filename):
    lines = linecache.getlines(filename)
    if not lines:
        return None
    text = "".join(lines)
    key = (filename, hash(text))
    if key not in _file_trees:
        _file_trees[key] = ast.parse(text)
    return _file_trees[key]


def _code_span(code):
    """The (line, end line, col, end col) of each instruction of `code` that has a span."""
    return [p for p in code.co_positions() if None not in p and (p[1], p[3]) > (p[0], p[2])]


def _matches_lambda(node, code):
    if not isinstance(node, ast.Lambda) or node.lineno != code.co_firstlineno:
        return False
    body = node.body
    for line, end_line, col, end_col in _code_span(code):
        if (line, col) < (body.lineno, body.col_offset):
            return False
        if (end_line, end_col) > (body.end_lineno, body.end_col_offset):
            return False
    return True


def _matches_def(node, code, name):
    if not isinstance(node, ast.FunctionDef) or node.name != name:
        return False
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return code.co_firstlineno in (node.lineno, first)


def _find_node(module, fn):
    code = fn.__code__
    is_lambda = fn.__name__ == "<lambda>"
    if is_lambda:  # the innermost lambda whose body holds all of the code's positions
        found = [n for n in ast.walk(module) if _matches_lambda(n, code)]
        return min(found, key=_span, default=None)
    for node in ast.walk(module):
        if _matches_def(node, code, fn.__name__):
            return node
    return None


def _span(node):
    body = node.body
    return (body.end_lineno - body.lineno, body.end_col_offset - body.col_offset)


def _lambda_name(fn, module, node):
    """`f` for `f = lambda x: ...`, else `lambda_<line>`."""
    for stmt in ast.walk(module):
        if isinstance(stmt, ast.Assign) and stmt.value is node and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                return target.id
    return f"lambda_{node.lineno}"


def lambda_to_def(node, name):
    ret = gast.Return(value=node.body)
    gast.copy_location(ret, node.body)
    fdef = gast.FunctionDef(name=name, args=node.args, body=[ret], decorator_list=[],
                            returns=None, type_comment=None, type_params=[])
    return gast.copy_location(fdef, node)


def namespace_of(fn):
    """The values of the free names of `fn`: closure cells over globals over builtins."""
    ns = dict(vars(builtins))
    ns.update(fn.__globals__)
    if fn.__closure__:
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            try:
                ns[name] = cell.cell_contents
            except ValueError:  # an empty cell: the name is assigned later
                pass
    return ns


def parse_function(fn):
    """Parse `fn` into a `ParsedFunction` whose tree is a gast FunctionDef."""
    fn = inspect.unwrap(fn)
    if not inspect.isfunction(fn):
        raise SourceNotFoundError(
            f"{fn!r} is not a Python function, so there is no source to differentiate.")
    filename = fn.__code__.co_filename
    module = _parse_file(filename)
    node = _find_node(module, fn) if module is not None else None
    if node is None:
        raise SourceNotFoundError(
            f"cannot find the source of {fn.__qualname__} (file {filename!r}). Functions "
            "defined with exec() or in an interactive prompt have no source to read: define "
            "it in a file or a notebook cell.")
    name = _lambda_name(fn, module, node) if isinstance(node, ast.Lambda) else None
    node = gast.ast_to_gast(node)  # a new tree: the file's is cached and shared
    if name is not None:
        node = lambda_to_def(node, name)
    return ParsedFunction(fn, node, filename, namespace_of(fn))


def is_user_function(obj):
    """True for a plain Python function the user wrote (not one from NumPy or the stdlib)."""
    if not inspect.isfunction(obj):
        return False
    module = getattr(obj, "__module__", "") or ""
    return not module.split(".")[0] in {"numpy", "scipy", "math", "numba", "builtins"}


def live_getter(fn, name):
    """A function returning the current value of the free name `name` of `fn`."""
    code = getattr(fn, "__code__", None)
    if code is not None and fn.__closure__ and name in code.co_freevars:
        cell = fn.__closure__[code.co_freevars.index(name)]
        return lambda: cell.cell_contents
    globals_ = getattr(fn, "__globals__", None) or {}
    if name in globals_:
        return lambda: globals_[name]
    value = vars(builtins).get(name)
    return lambda: value

"""parse: a Python function object → its gast `FunctionDef`, located in its file.

The whole file is parsed (not only the function's lines), so line and column numbers in
the tree are the user's own (with Python's own parser; only the function found becomes a
gast tree, which keeps a big file quick to read), and a lambda among several on one
line is told apart by the positions of its code (`__code__.co_positions()`). A lambda becomes a `def`::

    f = lambda x: x ** 2        →        def f(x):
                                             return x ** 2

Names the function reads from globals and closures are resolved into `ParsedFunction.namespace`.

The text is the one the function's code object was compiled from: the file is read again
when it changed on disk, and it must compile to the code that runs (the same instructions,
names, constants and positions), else the function was defined from another text (the
file was edited and not reloaded) and is refused. The function is found by its
code (`co_name`, `co_firstlineno`), not by its `__name__`. A decorated function is its
wrapper (see `wrappers.py`), unless the wrapper only passes its arguments on.
"""
import ast
import builtins
import dis
import inspect
import linecache
import types

import gast

from ..errors import Location, SourceNotFoundError, UnsupportedSyntaxError
from . import wrappers


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
_file_codes = {}


def _file_text(filename):
    """The file's current text (None when there is none to read: exec, a prompt)."""
    linecache.checkcache(filename)  # a file edited since it was read is read again
    lines = linecache.getlines(filename)
    return "".join(lines) if lines else None


def _parse_file(filename, text):
    key = (filename, len(text), hash(text))
    if key not in _file_trees:
        _file_trees[key] = ast.parse(text)
    return _file_trees[key]


def _compiled_codes(filename, text):
    """{(name, first line): [code objects]} of every function the text compiles to."""
    key = (filename, len(text), hash(text))
    if key not in _file_codes:
        found, todo = {}, []
        try:
            todo.append(compile(text, filename, "exec", dont_inherit=True))
        except (SyntaxError, ValueError):  # text that no longer compiles matches nothing
            pass
        while todo:
            for const in todo.pop().co_consts:
                if isinstance(const, types.CodeType):
                    found.setdefault((const.co_name, const.co_firstlineno), []).append(const)
                    todo.append(const)
        _file_codes[key] = found
    return _file_codes[key]


def _runs_this_text(filename, text, code):
    """Whether `text` compiles to the code `code` (its instructions, names, constants and
    the position of each instruction): only then is it the text of the code that runs.
    `assert` lines are left out: pytest compiles the asserts of a test file its own way."""
    skip = _assert_lines(filename, text)
    want = _signature(code, skip)
    return any(_signature(c, skip) == want for c in _compiled_codes(filename, text).get(
        (code.co_name, code.co_firstlineno), ()))


def _assert_lines(filename, text):
    return frozenset(line for node in ast.walk(_parse_file(filename, text))
                     if isinstance(node, ast.Assert)
                     for line in range(node.lineno, node.end_lineno + 1))


# Instructions whose presence or form depends on what else was compiled with the function
# (a notebook compiles a cell's statements one by one; Python 3.11 calls a method of an
# imported module with LOAD_ATTR where it otherwise uses LOAD_METHOD), not on its text.
_CONTEXT_OPS = {"CACHE", "NOP", "EXTENDED_ARG", "PUSH_NULL", "PRECALL", "RESUME",
                "COPY_FREE_VARS", "MAKE_CELL"}
_SAME_OP = {"LOAD_METHOD": "LOAD_ATTR"}
_JUMPS = set(dis.hasjrel) | set(dis.hasjabs)


def _signature(code, skip=frozenset()):
    """What the text of `code` determines: its parameters and variables, and each
    instruction (its operation, argument and position; the constants it loads), nested
    functions' included; not the instructions on the lines `skip`, nor the variables that
    only code written by a tool names (pytest's `@py_assert1`)."""
    ops = []
    for ins in dis.get_instructions(code):
        if ins.opname in _CONTEXT_OPS or ins.positions.lineno in skip:
            continue
        arg = None if ins.opcode in _JUMPS else _value_key(ins.argval, skip)
        ops.append((_SAME_OP.get(ins.opname, ins.opname), arg, ins.positions))
    variables = tuple(v for v in code.co_varnames if not v.startswith("@"))
    return (code.co_name, code.co_firstlineno, code.co_argcount, code.co_posonlyargcount,
            code.co_kwonlyargcount, variables, code.co_freevars, tuple(ops))


def _value_key(value, skip):
    if isinstance(value, types.CodeType):
        return _signature(value, skip)
    if isinstance(value, tuple):
        return tuple(_value_key(v, skip) for v in value)
    return type(value).__name__, repr(value)


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


def _matches_def(node, code):
    """`node` defines the code object `code`: by the name and first line the code
    records (not the function's `__name__`, which can be reassigned)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
            node.name != code.co_name:
        return False
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return code.co_firstlineno in (node.lineno, first)


def find_node(module, code):
    """The def or lambda of `module` (an `ast` tree) that compiles to `code`, or None."""
    if code.co_name == "<lambda>":  # the innermost lambda whose body holds all its positions
        found = [n for n in ast.walk(module) if _matches_lambda(n, code)]
        return min(found, key=_span, default=None)
    for node in ast.walk(module):
        if _matches_def(node, code):
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


def _python_function(fn):
    """The Python function whose code runs when `fn` is called: a numba `@njit` function's
    own; a wrapper without Python source (a C decorator, `functools.lru_cache`) is refused,
    since what it computes cannot be read."""
    py_func = getattr(fn, "py_func", None)
    if inspect.isfunction(py_func):
        fn = py_func
    if inspect.isfunction(fn):
        return fn
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None:
        raise SourceNotFoundError(
            f"{fn!r} wraps {getattr(wrapped, '__qualname__', wrapped)!r}, but the wrapper is "
            f"a {type(fn).__name__}, not a Python function with source, so what it computes "
            "cannot be read. Differentiate the wrapped function itself, or write the wrapper "
            "as a Python function.")
    raise SourceNotFoundError(
        f"{fn!r} is not a Python function, so there is no source to differentiate.")


def source_node(fn):
    """(the `ast` def or lambda of the Python function `fn`, its file's tree), read from
    the text its code object was compiled from: a file edited since `fn` was defined is
    refused, never read as if it were `fn`'s text."""
    code, label = fn.__code__, fn.__qualname__
    filename = code.co_filename
    if code.co_flags & (inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        raise UnsupportedSyntaxError(
            f"`{label}` is an async function (`async def`), which cannot be differentiated.",
            Location(filename, code.co_firstlineno, 0),
            "differentiate a plain `def`: await the values outside and pass them in.")
    text = _file_text(filename)
    node = None
    if text is not None:
        if not _runs_this_text(filename, text, code):
            raise SourceNotFoundError(
                f"the text of {filename!r} does not match the code of {label} that runs: the "
                f"file changed since {label} was defined. Reload the module "
                "(importlib.reload) or run the cell that defines it again, and differentiate "
                "the new function.")
        module = _parse_file(filename, text)
        node = find_node(module, code)
    if node is None:
        raise SourceNotFoundError(
            f"cannot find the source of {label} (file {filename!r}). Functions "
            "defined with exec() or in an interactive prompt have no source to read: define "
            "it in a file or a notebook cell.")
    return node, module


def _unwrap(fn):
    """`fn` as a Python function; for a decorated one, the function its decorator wraps
    when the wrapper only passes its arguments on (`return fn(*args, **kwargs)`). A
    wrapper that computes anything else is what the user's object computes, and is the
    function differentiated (the wrapped one a helper it calls)."""
    fn = _python_function(fn)
    while getattr(fn, "__wrapped__", None) is not None:
        node, _ = source_node(fn)
        if not wrappers.passes_through(node, namespace_of(fn), fn.__wrapped__):
            return fn
        fn = _python_function(fn.__wrapped__)
    return fn


def parse_function(fn):
    """Parse `fn` into a `ParsedFunction` whose tree is a gast FunctionDef."""
    fn = _unwrap(fn)
    node, module = source_node(fn)
    filename = fn.__code__.co_filename
    name = _lambda_name(fn, module, node) if isinstance(node, ast.Lambda) else None
    node = gast.ast_to_gast(node)  # a new tree: the file's is cached and shared
    if name is not None:
        node = lambda_to_def(node, name)
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None and (node.args.vararg or node.args.kwarg):
        node = wrappers.specialize(node, filename, _python_function(wrapped))
    return ParsedFunction(fn, node, filename, namespace_of(fn))


def is_user_function(obj):
    """True for a plain Python function the user wrote (not one from NumPy or the stdlib)."""
    if not inspect.isfunction(obj):
        return False
    module = getattr(obj, "__module__", "") or ""
    return not module.split(".")[0] in {"numpy", "scipy", "math", "numba", "builtins"}


class LiveValue:
    """The current value of a free name of a function, or of an attribute chain on one
    (`config.SCALE`, `Model.RATE`), read at every call. Two are equal when they read the
    same closure cell or the same entry of the same globals, so one parameter serves both.
    """

    def __init__(self, fn, dotted_name):
        root, *self.attrs = dotted_name.split(".")
        code = getattr(fn, "__code__", None)
        if code is not None and fn.__closure__ and root in code.co_freevars:
            self.where, self.key = fn.__closure__[code.co_freevars.index(root)], None
        else:
            globals_ = getattr(fn, "__globals__", None) or {}
            self.where = globals_ if root in globals_ else builtins.__dict__
            self.key = root

    def __call__(self):
        value = self.where.cell_contents if self.key is None else self.where.get(self.key)
        for attr in self.attrs:
            value = getattr(value, attr)
        return value

    def _identity(self):
        return id(self.where), self.key, tuple(self.attrs)

    def __eq__(self, other):
        return isinstance(other, LiveValue) and self.where is other.where and \
            self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())


def live_getter(fn, name):
    """A function returning the current value of the free name `name` of `fn` (or of the
    attribute chain `name`, such as `config.SCALE`)."""
    return LiveValue(fn, name)

"""normalize: one operation per statement — the Wengert list of the textbooks.

Nested expressions get temporaries `v1, v2, ...`; `+=`, tuple unpacking, method calls,
`x.T`, constant-key reads of container arguments and calls of the user's own helpers
are rewritten into that one form. Before and after::

    def f(x):                          def f(x):
        return 3 * x ** 2 + 2 * x          v1 = x ** 2
                                           v2 = 3 * v1
                                           v3 = 2 * x
                                           v4 = v2 + v3
                                           return v4

Straight-line code is in SSA form: a name assigned twice gets versions (`x`, `x_1`, ...).
Every new statement remembers the user's statement it came from (`stmt.origin`), which
the emitter quotes as a comment.
"""
import copy
import re

import gast
import numpy as np

from ..errors import Location, UnsupportedSyntaxError
from ..rules import methods
from . import parse as parse_mod
from .check import check, location
from .calls import Calls, prints_only
from .containers import Containers
from .control import ControlFlow
from .inline import hidden_items, hidden_parameter, pass_globals_to_helpers
from .statics import bind_static, bind_static_param
from .jumps import remove_jumps
from .structure import Structure, container, is_container
from .stacks import StackStatements, is_generated, outer_update, stack_names
from .resolve import MISSING, Resolver, dotted
from ..codegen.emit import Origin
from ..codegen.names import Names, names_in
from ..codegen.templates import assign, constant, name

BINOPS = {gast.Add: np.add, gast.Sub: np.subtract, gast.Mult: np.multiply,
          gast.Div: np.true_divide, gast.Pow: np.power, gast.MatMult: np.matmul,
          gast.FloorDiv: np.floor_divide, gast.Mod: np.mod}


class NormalizedFunction:
    """The normalized tree and what the later stages need to know about it."""

    def __init__(self, fdef, filename, params, hidden, names, leaf_paths):
        self.fdef = fdef
        self.filename = filename
        self.params = params          # flat parameter names of the compiled core
        self.hidden = hidden          # [(param name, value)] read from globals/closures
        self.names = names            # the Names allocator (reserved user names)
        self.leaf_paths = leaf_paths  # {user arg: [(path, leaf name)]} for container args

    @property
    def name(self):
        return self.fdef.name

    def hidden_values(self):
        """The current values of the globals the function reads (read at every call)."""
        return [get() for _, get in self.hidden]

    def copy(self):
        return NormalizedFunction(copy.deepcopy(self.fdef), self.filename, self.params,
                                  self.hidden, copy.deepcopy(self.names), self.leaf_paths)


class Normalizer(StackStatements, ControlFlow, Structure, Calls, Containers):
    """Rewrites one function (and inlines its helpers) into the normalized form."""

    def __init__(self, parsed, arg_trees, names=None):
        self.parsed = parsed
        self.filename = parsed.filename
        fdef = parsed.tree
        self.names = names or Names(names_in(fdef))
        local = {a.id for a in fdef.args.args} | _assigned(fdef)
        self.resolver = Resolver(parsed.namespace, local)
        self.current = {}       # user name → its current SSA name
        self.hidden = {}        # global name → value passed as a parameter
        self.leaves = {}        # user container arg → {path: leaf name}
        self.arg_trees = arg_trees
        self.depth = 0          # > 0 inside if/for/while: no SSA versions there
        self.origin = None
        self.out = []
        self.inlined = False    # True while normalizing a helper into its caller
        self.inlining = frozenset({parsed.fn})  # functions being inlined: a repeat recurses
        self.local_defs = {}    # functions defined inside the function: name → FunctionDef
        self.containers = {}    # tuple/list/dict variables: name → container value
        self.statics = {}       # SSA name → its value when known now (structure.py)
        self.origin_col = 0
        self.helper = ""        # the name of the helper being inlined, for comments
        self.user_names = {}    # SSA name → the user's name, for messages (aliases.py)
        if is_generated(parsed.fn):  # generated code: its list tapes are stacks
            self.stacks = stack_names(fdef)

    # -- errors ---------------------------------------------------------------
    def error(self, node, what, hint):
        return UnsupportedSyntaxError(what, location(node, self.filename), hint)

    # -- statements -----------------------------------------------------------
    def run(self):
        fdef = self.parsed.tree
        check(fdef, self.filename)
        params = self._params(fdef)
        user_body = _copy_mutated_params(remove_jumps(fdef.body, self.names), fdef)
        body = self.block(user_body)
        pass_globals_to_helpers(self, body)
        new = gast.FunctionDef(name=fdef.name, args=_arguments(params), body=body,
                               decorator_list=[], returns=None, type_comment=None,
                               type_params=[])
        new.user_names = self.user_names
        hidden = sorted(self.hidden.items())
        new.args.args += [name(h, gast.Param()) for h, _ in hidden]
        leaf_paths = {arg: sorted(paths.items(), key=lambda kv: kv[1])
                      for arg, paths in self.leaves.items()}
        return NormalizedFunction(new, self.filename, params + [h for h, _ in hidden],
                                  hidden, self.names, leaf_paths)

    def _params(self, fdef):
        from ..pytree import LEAF, flatten_with_paths, unflatten
        params = []
        for arg in fdef.args.args:
            self.current[arg.id] = arg.id
            self.user_names[arg.id] = arg.id
            tree = self.arg_trees.get(arg.id, LEAF)
            if bind_static_param(self, arg.id, tree):
                continue  # a function or object argument: static, not a parameter
            if tree == LEAF:
                params.append(arg.id)
                continue
            dummy = unflatten(tree, [0] * _count(tree))
            paths = {}
            for path, _ in flatten_with_paths(dummy):
                leaf = "_".join([arg.id] + [re.sub(r"\W+", "_", str(p)) for p in path])
                paths[path] = self.names.fresh(leaf)  # params["log p"] → params_log_p
                params.append(paths[path])
                self.user_names[paths[path]] = arg.id + "".join(f"[{p!r}]" for p in path)
            self.leaves[arg.id] = paths
        return params

    def block(self, stmts):
        saved, self.out = self.out, []
        self.block_into(stmts)
        block, self.out = self.out, saved
        return block

    def block_into(self, stmts):
        """Normalize `stmts`, appending to the current output."""
        for stmt in stmts:
            compound = isinstance(stmt, (gast.If, gast.For, gast.While))
            last = stmt.lineno if compound else stmt.end_lineno  # quote a header alone
            self.origin = Origin(self.filename, stmt.lineno, last, "primal", self.helper)
            self.origin_col = stmt.col_offset
            self.statement(stmt)

    def emit(self, stmt):
        if getattr(stmt, "origin", None) is None:
            stmt.origin = self.origin
        if self.origin and not hasattr(stmt, "lineno"):
            stmt.lineno, stmt.col_offset = self.origin.first, self.origin_col
        self.out.append(stmt)
        return stmt

    def statement(self, stmt):
        method = getattr(self, "stmt_" + type(stmt).__name__, None)
        if method is None:
            raise self.error(stmt, f"`{type(stmt).__name__}` statements cannot be differentiated.",
                             "rewrite it with assignments, `if`, `for`, `while` and `return`.")
        method(stmt)

    def stmt_Pass(self, stmt):
        pass

    def stmt_FunctionDef(self, stmt):
        self.local_defs[stmt.name] = stmt  # a function of its own, or inlined (inline.py)

    def stmt_Expr(self, stmt):
        if isinstance(stmt.value, gast.Constant) or self.stack_statement(stmt):
            return  # a docstring, or a push onto a tape of generated code
        update = outer_update(stmt, self.resolver)
        if update is not None:
            return self.stmt_AugAssign(update)  # `add_outer(A, u, v)` of generated code
        if isinstance(stmt.value, gast.Call) and isinstance(stmt.value.func, gast.Attribute) \
                and stmt.value.func.attr == "append":
            if isinstance(stmt.value.func.value, gast.Name) and \
                    stmt.value.func.value.id in self.containers:
                return self.append(stmt)
            raise self.error(stmt, "appending to a list cannot be differentiated.",
                             "preallocate an array, y = np.zeros(n), and write y[i] = ...")
        if prints_only(stmt.value, self.resolver):
            return  # print and logging only show values: the derivative leaves them out
        raise self.error(stmt, "an expression whose value is thrown away cannot be "
                         "differentiated.", "assign its value to a name, or remove it.")

    def stmt_Assert(self, stmt):
        pass  # checks on inputs do not change derivatives

    def stmt_AnnAssign(self, stmt):
        if stmt.value is None:
            return
        self.stmt_Assign(gast.Assign(targets=[stmt.target], value=stmt.value,
                                     type_comment=None))

    def stmt_AugAssign(self, stmt):
        load = copy.deepcopy(stmt.target)
        for node in gast.walk(load):
            if hasattr(node, "ctx"):
                node.ctx = gast.Load()
        value = gast.BinOp(left=load, op=stmt.op, right=stmt.value)
        before = self.current.get(stmt.target.id) if isinstance(stmt.target, gast.Name) \
            else None
        self.stmt_Assign(gast.Assign(targets=[stmt.target], value=value, type_comment=None))
        last = self.out[-1] if self.out else None
        if before is not None and isinstance(last, gast.Assign) and \
                getattr(last.targets[0], "id", None) == self.current.get(stmt.target.id):
            last.in_place_of = before  # an array's `y += v` writes into y (aliases.py)

    def stmt_Assign(self, stmt):
        if len(stmt.targets) != 1:
            raise self.error(stmt, "chained assignment `a = b = ...` cannot be differentiated.",
                             "assign each name in a statement of its own.")
        target = stmt.targets[0]
        if self.stack_statement(stmt):
            return
        if not isinstance(stmt.value, gast.Lambda) and bind_static(self, target, stmt.value):
            return  # `f = np.tanh`, `g = functools.partial(h, a=1.0)`: bound, not a value
        if isinstance(target, gast.Name) and isinstance(stmt.value, gast.Lambda):
            self.local_defs[target.id] = parse_mod.lambda_to_def(stmt.value, target.id)
            self.local_defs[target.id].from_lambda = True  # inlined where it is called
        elif isinstance(target, gast.Name) and isinstance(stmt.value, (gast.Tuple, gast.List)):
            made = container([self.atom(e) if self.holds_container(e) else
                              self.atom(e, fresh=True) for e in stmt.value.elts],
                             list if isinstance(stmt.value, gast.List) else tuple)
            made.block = self.out  # appends in this block only (structure.py)
            self.bind(target.id, made)
        elif isinstance(target, gast.Name) and self.holds_container(stmt.value):
            self.bind(target.id, self.atom(stmt.value))  # a list is shared, as in Python
        elif isinstance(target, gast.Name):
            value = self.expr(stmt.value)
            if isinstance(value, gast.Tuple):  # a helper's tuple, or another tuple's name
                self.containers[target.id] = [self.copied(e) for e in value.elts]
                self.current.pop(target.id, None)
                return
            self.emit(assign(*self.define_from(target.id, value)))
            self.containers.pop(target.id, None)
        elif isinstance(target, (gast.Tuple, gast.List)):
            self.unpack(target, stmt.value)
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            self.store_item(target, stmt.value)
        else:
            raise self.error(stmt, "assignments into attributes or nested items cannot be "
                             "differentiated.", "assign into a plain array: `y[i] = ...`.")

    def store_item(self, target, value):
        """`y[i, j] = v`: an in-place write, normalized with atoms for index and value."""
        array = self.expr_Name(target.value)
        index = self.index(target.slice)
        store = gast.Subscript(value=array, slice=index, ctx=gast.Store())
        self.emit(gast.Assign(targets=[store], value=self.atom(value), type_comment=None))

    def define_from(self, user_name, value):
        """(target, value) for `user_name = value`. Inside loops a value may read the name
        it writes (`x = x * a`): it goes through a temporary, so that no statement reads
        and writes one variable."""
        target = self.define(user_name)
        if target in {n.id for n in gast.walk(value) if isinstance(n, gast.Name)}:
            temp = self.names.temp()
            self.emit(assign(temp, value))
            value = name(temp)
        return target, value

    def stmt_Return(self, stmt):
        if stmt.value is None:
            raise self.error(stmt, "the function must return a value.", "return the output.")
        value = stmt.value
        if isinstance(value, gast.Tuple):
            ret = gast.Tuple(elts=[self.atom(e) for e in value.elts], ctx=gast.Load())
        else:
            ret = self.atom(value)
        if isinstance(ret, gast.Dict):
            raise self.error(stmt, "returning a dict cannot be differentiated.",
                             "return its values as a tuple: return d['a'], d['b'].")
        self.emit(gast.Return(value=ret))

    def define(self, user_name):
        """The name a new value of `user_name` is stored under (SSA versions at top level)."""
        if user_name in self.current and self.depth == 0 and user_name not in self.leaves:
            new = self.names.version(user_name)
        elif user_name in self.current:
            new = self.current[user_name]  # inside a block: the same variable
        elif self.inlined:
            new = self.names.fresh(user_name)
        else:
            new = user_name
        self.current[user_name] = new
        self.statics.pop(new, None)
        self.user_names.setdefault(new, user_name)
        return new

    # -- expressions ----------------------------------------------------------
    def atom(self, node, fresh=False):
        """A Name or Constant holding the value of `node`, emitting statements as needed."""
        if isinstance(node, gast.Constant) and not fresh:
            return constant(node.value)
        if isinstance(node, gast.Tuple) and not fresh:  # a literal operand: (2, 3), (n, 1)
            return gast.Tuple(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())
        value = self.expr(node)
        constant_attribute = hasattr(value, "constant_value")  # np.pi is an operand as it is
        if (isinstance(value, (gast.Constant, gast.Name)) or is_container(value) or
                constant_attribute) and not fresh:
            return value
        if isinstance(value, gast.Attribute) and not hasattr(value, "prim"):
            return value  # a module constant: np.pi, np.float64
        t = self.names.temp()
        self.emit(assign(t, value))
        return name(t)

    def expr(self, node):
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, f"`{type(node).__name__}` expressions cannot be "
                             "differentiated.", "compute it outside and pass it in.")
        return method(node)

    def expr_Constant(self, node):
        return constant(node.value)

    def expr_Name(self, node):
        if node.id in self.containers:
            return self.stored_container(node.id)
        if node.id in self.local_defs:
            raise self.error(node, f"the function `{node.id}` can only be called here.",
                             "call it where it is needed instead of passing it around.")
        if node.id in self.leaves:
            return self.argument_structure(node.id)
        if node.id in self.current:
            return name(self.current[node.id])
        value = self.resolver.value(node)
        if value is MISSING:
            if node.id in self.resolver.local_names:
                raise self.error(node, f"`{node.id}` is read before it is assigned.",
                                 "assign it before this line on every path.")
            raise self.error(node, f"the name `{node.id}` is not defined.",
                             "define it in the function or at module level.")
        return self.static_value(node, value)

    def static_value(self, node, value):
        """A global or closure value: numbers and arrays become parameters of the core."""
        if isinstance(value, (bool, int, float, complex, np.ndarray, np.number)):
            return hidden_parameter(self, node, value)
        if value is None:
            return constant(None)
        if isinstance(value, (list, tuple)) and (items := hidden_items(self, node, value)):
            return items  # `self.weights`: a parameter for each item
        if isinstance(value, type) and issubclass(value, np.generic) and \
                isinstance(node, gast.Attribute):
            return node  # a dtype such as np.float64
        raise self.error(node, f"`{dotted(node)}` is a {type(value).__name__}, which has no "
                         "numeric value to differentiate.", "call it, or pass a number.")

    def expr_BinOp(self, node):
        if type(node.op) not in BINOPS:
            raise self.error(node, f"the operator `{type(node.op).__name__}` cannot be "
                             "differentiated.", "use arithmetic (+ - * / ** @ // %) or a "
                             "NumPy function.")
        left, right = self.atom(node.left), self.atom(node.right)
        if is_container(left) or is_container(right):  # ys + [h], (a,) * 2
            return self.joined(node, left, right)
        return gast.BinOp(left=left, op=node.op, right=right)

    def expr_UnaryOp(self, node):
        if isinstance(node.op, gast.UAdd):
            return self.expr(node.operand)
        return gast.UnaryOp(op=node.op, operand=self.atom(node.operand))

    def expr_Tuple(self, node):
        return gast.Tuple(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    def expr_Lambda(self, node):
        raise self.error(node, "a lambda can only be differentiated through when it is "
                         "bound to a name and called.", "write `f = lambda x: ...` and call "
                         "f(...), or define a function.")

    def expr_List(self, node):
        return container([self.atom(e) for e in node.elts], list)

    def expr_Attribute(self, node):
        value = self.resolver.value(node)
        if value is not MISSING:
            return self.static_value(node, value)
        leaf = self.container_leaf(node)
        if leaf is not None:  # params.W of a namedtuple argument
            return name(leaf)
        if self.holds_container(node.value):
            return self.field(node)
        func = methods.ATTRIBUTES.get(node.attr)
        if func is None:
            raise self.error(node, f"the attribute `.{node.attr}` cannot be differentiated.",
                             "use the NumPy function instead, e.g. np.transpose(x).")
        attribute = gast.Attribute(value=self.atom(node.value), attr=node.attr,
                                   ctx=gast.Load())
        attribute.prim = func
        return attribute

    def expr_Subscript(self, node):
        leaf = self.container_leaf(node)
        if leaf is not None:
            return name(leaf)
        if self.holds_container(node.value):
            return self.item_of(node, self.atom(node.value))
        if isinstance(node.slice, gast.Constant) and isinstance(node.slice.value, str):
            raise self.error(node, f"`{dotted(node.value) or 'this value'}` is read with the "
                             f"key {node.slice.value!r}, but the argument is not a dict here.",
                             "pass a dict (or give example arguments, e.g. --at, that are).")
        value = self.atom(node.value)
        if is_container(value):  # a helper's tuple
            return self.item_of(node, value)
        return _subscript(value, self.index(node.slice))

    def index(self, node):
        if isinstance(node, gast.Slice):
            parts = [None if p is None else self.atom(p) for p in (node.lower, node.upper,
                                                                    node.step)]
            return gast.Slice(lower=parts[0], upper=parts[1], step=parts[2])
        if isinstance(node, gast.Tuple):
            return gast.Tuple(elts=[self.index(e) for e in node.elts], ctx=gast.Load())
        if isinstance(node, gast.List):  # x[[0, 2]] indexes by an integer array, not a tuple
            items = gast.List(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())
            t = self.names.temp()
            self.emit(assign(t, self.call_rule(node, np.array, [items], {})))
            return name(t)
        return self.atom(node)

def _copy_mutated_params(body, fdef):
    """`y = np.copy(y)` first for each parameter written in place: never touch the caller's."""
    params = {a.id for a in fdef.args.args}
    written = []
    for node in gast.walk(gast.Module(body=body, type_ignores=[])):
        targets = node.targets if isinstance(node, gast.Assign) else (
            [node.target] if isinstance(node, gast.AugAssign) else [])
        for t in targets:
            if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name) \
                    and t.value.id in params and t.value.id not in written:
                written.append(t.value.id)
    copies = []
    for p in written:
        call = gast.Call(func=gast.Attribute(value=name("np"), attr="copy", ctx=gast.Load()),
                         args=[name(p)], keywords=[])
        copies.append(gast.copy_location(gast.Assign(targets=[name(p, gast.Store())],
                                                     value=call, type_comment=None), body[0]))
    return copies + body


def _count(tree):
    from ..pytree import num_leaves
    return num_leaves(tree)


def _assigned(fdef):
    out = set()
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            out.add(node.id)
    return out


def _arguments(params):
    return gast.arguments(args=[name(p, gast.Param()) for p in params], posonlyargs=[],
                          vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])


def _subscript(value, index):
    return gast.Subscript(value=value, slice=index, ctx=gast.Load())


def normalize(parsed, arg_trees=None):
    """Normalize a `ParsedFunction`; `arg_trees` gives container arguments' structures."""
    return Normalizer(parsed, arg_trees or {}).run()


__all__ = ["normalize", "NormalizedFunction", "Location"]


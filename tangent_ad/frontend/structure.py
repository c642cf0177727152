"""structure: tuples, lists and dicts evaluated when the derivative is generated.

The lengths and keys of containers are known for each call (they are part of the
specialization), so everything about them is computed here, once: `len(params)`,
`params[-1]`, `params[1:]`, `isinstance(params, list)`, `zip(*params)`, a loop over a
container (unrolled), a loop `for i in range(len(params))` that indexes it (unrolled),
comprehensions and generator expressions over them, and `outputs.append(h)`. What is
left is plain code on the leaves::

    for W, b in params[:-1]:              # for W, b in params[:-1]:
        x = np.tanh(x @ W + b)            W = params_0_0
                                          b = params_0_1
                                          v1 = x @ W
                                          ...

A container value is a `gast.Tuple` (its `kind` says tuple or list) or a `gast.Dict` with
constant keys, whose items are atoms or containers again.
"""
import copy

import gast
import numpy as np

from ..codegen.templates import assign, constant, name
from ..pytree import LEAF
from .resolve import MISSING

UNROLL_LIMIT = 256  # iterations: a longer loop over structure is not code a reader wants


def is_container(value):
    return isinstance(value, (gast.Tuple, gast.Dict))


def container(items, kind=tuple):
    node = gast.Tuple(elts=list(items), ctx=gast.Load())
    node.kind = kind
    return node


def kind_of(value):
    return dict if isinstance(value, gast.Dict) else getattr(value, "kind", tuple)


def entries(value):
    """The items of a container value, as a list (a dict's values, in key order)."""
    return list(value.values if isinstance(value, gast.Dict) else value.elts)


class Structure:
    """Mixin of `Normalizer`: containers as values known at generation time."""

    # -- container arguments ------------------------------------------------------------
    def argument_structure(self, arg):
        """The container argument `arg` as a container value of its leaf parameters."""
        paths = self.leaves[arg]

        def build(tree, path):
            if tree == LEAF:
                return name(paths[path])
            kind, keys, children = tree
            if kind == "none":
                return constant(None)
            items = [build(c, path + (k,)) for k, c in zip(keys, children)]
            made = gast.Dict(keys=[constant(k) for k in keys], values=items) \
                if kind is dict else container(items, kind)
            made.block = None  # the caller's: never appended to
            made.unordered = kind is dict
            return made
        return build(self.arg_trees[arg], ())

    def stored_container(self, user_name):
        value = self.containers[user_name]
        if isinstance(value, list):  # the items of a tuple (inlined helpers pass these)
            return container(value)
        return copy.copy(value)

    # -- values known now ---------------------------------------------------------------
    def static(self, node):
        """The Python value of `node` if it is known now (a number, a string, a length),
        else MISSING. Emits nothing."""
        if isinstance(node, gast.Constant):
            return node.value
        if isinstance(node, gast.Name):
            return self.statics.get(self.current.get(node.id), MISSING)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
            value = self.static(node.operand)
            return MISSING if value is MISSING else (-value if isinstance(node.op, gast.USub)
                                                     else value)
        if isinstance(node, gast.BinOp) and type(node.op) in STATIC_OPS:
            left, right = self.static(node.left), self.static(node.right)
            if left is MISSING or right is MISSING:
                return MISSING
            return STATIC_OPS[type(node.op)](left, right)
        if isinstance(node, gast.Call) and len(node.args) == 1 and not node.keywords:
            func = self.resolver.value(node.func)
            if func is len and self.holds_container(node.args[0]):
                return len(entries(self.atom(node.args[0])))
        return MISSING

    def holds_container(self, node):
        """Whether `node` denotes a container value (emits nothing: an item of a container
        is read without code)."""
        if isinstance(node, (gast.Tuple, gast.List, gast.Dict, gast.ListComp,
                             gast.DictComp, gast.GeneratorExp)):
            return True
        if isinstance(node, (gast.Subscript, gast.Attribute)):
            root = node
            while isinstance(root, (gast.Subscript, gast.Attribute)):
                if isinstance(root, gast.Subscript) and not self._static_index(root.slice):
                    return False
                root = root.value
            return isinstance(root, gast.Name) and (root.id in self.containers or
                                                    root.id in self.leaves) and \
                is_container(self.expr(node))
        if isinstance(node, gast.Name):
            return node.id in self.containers or node.id in self.leaves
        if isinstance(node, gast.Call):
            func = self.resolver.value(node.func) if self.resolver.is_static(node.func) \
                else MISSING
            if func in (zip, enumerate, reversed, list, tuple, sorted):
                return any(self.holds_container(a) for a in node.args) or (
                    func is zip and any(isinstance(a, gast.Starred) for a in node.args))
            return isinstance(node.func, gast.Attribute) and node.func.attr in (
                "items", "keys", "values") and self.holds_container(node.func.value)
        return False

    def _static_index(self, index):
        if isinstance(index, gast.Slice):
            return all(p is None or self.static(p) is not MISSING
                       for p in (index.lower, index.upper, index.step))
        return self.static(index) is not MISSING

    def item_of(self, node, value):
        """`value[index]` for a container value, its index known now."""
        index = node.slice
        if isinstance(index, gast.Slice):
            parts = [None if p is None else self.static(p)
                     for p in (index.lower, index.upper, index.step)]
            if MISSING not in parts and not isinstance(value, gast.Dict):
                return container(entries(value)[slice(*parts)], kind_of(value))
        else:
            key = self.static(index)
            if isinstance(value, gast.Dict) and key is not MISSING:
                keys = [k.value for k in value.keys]
                if key in keys:
                    return value.values[keys.index(key)]
                raise self.error(node, f"the dict has no key {key!r}; its keys are "
                                 f"{sorted(keys, key=repr)}.", "read a key it has.")
            if isinstance(key, int) and not isinstance(key, bool):
                items = entries(value)
                if -len(items) <= key < len(items):
                    return items[key]
                raise self.error(node, f"index {key} is out of range for a container of "
                                 f"{len(items)} items.", "index an item it has.")
        raise self.error(node, "a tuple, list or dict is indexed here by a value that is "
                         "only known when the function runs.",
                         "index it by a number known in advance (a constant, len(...), or "
                         "the variable of a loop over range(len(...))), or stack the "
                         "items into an array first: np.stack(items)[i].")

    # -- binding names ------------------------------------------------------------------
    def bind(self, user_name, item, node=None):
        """`user_name = item` for an item of a container: an atom or a container."""
        if is_container(item):
            if not hasattr(item, "block"):  # a new list: appends in this block only
                item.block = self.out
            self.containers[user_name] = item
            self.current.pop(user_name, None)
            return
        self.containers.pop(user_name, None)
        known = item.value if isinstance(item, gast.Constant) else MISSING
        self.emit(assign(self.define(user_name), item))
        if known is not MISSING:  # until the name is assigned again (control.py forgets)
            self.statics[self.current[user_name]] = known

    def bind_target(self, target, item):
        """`for <target> in ...` or `<target> = ...`: a name, or a tuple of targets."""
        if isinstance(target, gast.Name):
            return self.bind(target.id, item)
        if not isinstance(target, (gast.Tuple, gast.List)) or not is_container(item):
            raise self.error(target, "this value cannot be unpacked into these names.",
                             "unpack a tuple or list into as many names as it holds.")
        items = entries(item)
        if len(items) != len(target.elts):
            raise self.error(target, f"cannot unpack {len(items)} values into "
                             f"{len(target.elts)} names.", "unpack as many names as it holds.")
        for elt, sub in zip(target.elts, items):
            self.bind_target(elt, sub)

    # -- calls on containers --------------------------------------------------------------
    def expr_Call(self, node):
        func = node.func
        if isinstance(func, gast.Attribute) and not self.resolver.is_static(func) and \
                self.holds_container(func.value):
            if func.attr in ("items", "keys", "values"):
                return self.dict_method(node)
            if func.attr == "pop":
                raise self.error(node, "removing items from a list (`.pop()`) cannot be "
                                 "differentiated; appending to a list and reading its items "
                                 "by index can.", "read the last item as items[-1].")
        value = self.resolver.value(func) if self.resolver.is_static(func) else MISSING
        # a sum does not depend on the order of the items summed (comprehension reads it)
        self.order_free = value in (sum, np.sum) and len(node.args) == 1 and isinstance(
            node.args[0], (gast.GeneratorExp, gast.ListComp))
        if value in STRUCTURE_BUILTINS:
            result = self.structure_call(node, value)
            if result is not None:
                return result
        if value is np.sum and len(node.args) == 1 and not node.keywords and \
                self.holds_container(node.args[0]):  # np.sum(W ** 2 for W in Ws)
            total = None
            for item in entries(self.atom(node.args[0])):
                if is_container(item):
                    raise self.error(node, "np.sum of nested tuples or lists cannot be "
                                     "differentiated.", "sum each item: sum(np.sum(W) for "
                                     "W, b in params).")
                part = self.temporary(self.call_rule(node, np.sum, [item], {}))
                total = part if total is None else self.temporary(
                    gast.BinOp(left=total, op=gast.Add(), right=part))
            return total if total is not None else constant(0.0)
        return super().expr_Call(node)

    def expr_ListComp(self, node):
        return self.comprehension(node)

    expr_DictComp = expr_GeneratorExp = expr_ListComp

    def expr_Dict(self, node):
        keys = [self.static(k) if k is not None else MISSING for k in node.keys]
        if MISSING in keys:
            raise self.error(node, "a dict's keys must be known when the derivative is "
                             "generated.", "use constant keys, e.g. {'W': W, 'b': b}.")
        return gast.Dict(keys=[constant(k) for k in keys],
                         values=[self.atom(v) for v in node.values])

    def joined(self, node, left, right):
        """`ys + [h]` of two tuples or lists, or `ys * 2`: a new container."""
        if isinstance(node.op, gast.Add) and all(isinstance(v, gast.Tuple)
                                                 for v in (left, right)):
            return container(entries(left) + entries(right), kind_of(left))
        times = self.static(node.right if is_container(left) else node.left)
        value = left if is_container(left) else right
        if isinstance(node.op, gast.Mult) and isinstance(times, int) and \
                isinstance(value, gast.Tuple):
            return container(entries(value) * times, kind_of(value))
        if isinstance(value, gast.Dict) or any(map(is_container, entries(value))):
            raise self.error(node, "arithmetic on a dict, or on nested tuples or lists, "
                             "cannot be differentiated.", "compute on its items, or stack "
                             "them into an array first: np.stack(items).")
        return gast.BinOp(left=left, op=node.op, right=right)  # x * (1.0, 2.0): an array

    def field(self, node):
        """`layer.W` of a namedtuple value (an item of a container argument)."""
        value = self.atom(node.value)
        kind = kind_of(value)
        if isinstance(value, gast.Tuple) and node.attr in getattr(kind, "_fields", ()):
            return value.elts[kind._fields.index(node.attr)]
        raise self.error(node, f"this {kind.__name__} has no field `{node.attr}`.",
                         "read a field it has, or index it.")

    # -- builtins on containers ---------------------------------------------------------
    def structure_call(self, node, func):
        """`len`, `isinstance`, `zip`, `enumerate`, `list`, ... of containers, evaluated
        now; None when `node` is not such a call."""
        args = node.args
        if func is isinstance and len(args) == 2 and (self.holds_container(args[0]) or
                                                      self.is_leaf_argument(args[0])):
            types = self.resolver.value(args[1])
            if types is not MISSING and _only_containers(types):
                value = self.atom(args[0])
                kind = kind_of(value) if is_container(value) else None
                return constant(kind is not None and issubclass(kind, types))
            return None
        if not any(self.holds_container(a) for a in args) and not (
                func is zip and any(isinstance(a, gast.Starred) for a in args)):
            return None
        if func is len and len(args) == 1:
            return constant(len(entries(self.atom(args[0]))))
        if func in (list, tuple) and len(args) == 1:
            return container(self.sequence(args[0]), func)
        if func is sorted and len(args) == 1:
            self.order_free = True  # sorted(d): the order is sorted's own
            try:
                keys = self.sequence(args[0])
            finally:
                self.order_free = False
            if all(isinstance(k, gast.Constant) for k in keys):
                return container(sorted(keys, key=lambda k: k.value), list)
            return None
        if func is reversed and len(args) == 1:
            return container(self.sequence(args[0])[::-1], list)
        if func is enumerate and len(args) == 1:
            return container([container([constant(i), v])
                              for i, v in enumerate(self.sequence(args[0]))], list)
        if func is zip:
            columns = []
            for a in args:
                if isinstance(a, gast.Starred):  # zip(*params): the columns of a table
                    columns.extend(entries(row) if is_container(row) else self.sequence(a)
                                   for row in self.sequence(a.value))
                else:
                    columns.append(self.sequence(a))
            return container([container(row) for row in zip(*columns)], list)
        return None

    def is_leaf_argument(self, node):
        """An argument that is a number or an array (never a container) and still holds
        the caller's value."""
        return isinstance(node, gast.Name) and self.current.get(node.id) == node.id and \
            node.id in {a.id for a in self.parsed.tree.args.args} and not self.inlined

    def sequence(self, node):
        """The items a `for` over `node` visits: a container's items, a dict's keys."""
        value = self.atom(node)
        if isinstance(value, gast.Dict):
            self.in_order(node, value)
            return list(value.keys)
        if isinstance(value, gast.Tuple):
            return entries(value)
        raise self.error(node, "this is zipped with a tuple or list, but it is an array.",
                         "zip tuples or lists with each other, or loop over "
                         "range(len(...)) and index both.")

    def in_order(self, node, value):
        """A dict argument arrives with its keys sorted (its leaves are flattened so): the
        caller's order is unknown here. Iterating it is refused where the order can change
        the result; a sum or a dict comprehension over it does not depend on it."""
        if getattr(value, "unordered", False):
            if not getattr(self, "order_free", False):
                raise self.error(node, "the order of a dict argument's keys is not known "
                                 "when the derivative is generated, and this loop may "
                                 "depend on it.", "loop over sorted(d) (or a tuple of "
                                 "its keys) and read d[k]; a sum over it, or a dict "
                                 "comprehension, needs no order.")
            self.iterated_unordered = True

    def dict_method(self, node):
        """`d.items()`, `d.keys()`, `d.values()` of a dict value."""
        value = self.atom(node.func.value)
        if not isinstance(value, gast.Dict) or node.args:
            raise self.error(node, f"`.{node.func.attr}()` is called on a value that is "
                             "not a dict.", "call it on a dict argument.")
        self.in_order(node, value)
        if node.func.attr == "keys":
            return container(value.keys, list)
        if node.func.attr == "values":
            return container(value.values, list)
        return container([container([k, v]) for k, v in zip(value.keys, value.values)],
                         list)

    def append(self, stmt):
        """`outputs.append(h)` to a list whose length is known: one more item."""
        call = stmt.value
        target = call.func.value
        value = self.containers.get(target.id) if isinstance(target, gast.Name) else None
        if not isinstance(value, gast.Tuple) or value.block is None or len(call.args) != 1 \
                or call.keywords:
            raise self.error(stmt, "only appending to a list made in this function "
                             "(`outputs = []`) can be differentiated.",
                             "build the list in this function, or preallocate an array, "
                             "y = np.zeros(n), and write y[i] = ...")
        if value.block is not self.out:
            raise self.error(stmt, "appending to a list in a loop whose number of "
                             "iterations is only known when the function runs (or in an "
                             "`if`) cannot be differentiated.",
                             "preallocate an array before the loop, outputs = np.zeros((n, "
                             "m)), write outputs[t] = h in it, and use outputs where you "
                             "used np.stack(outputs).")
        item = self.atom(call.args[0])
        value.elts.append(item if self.depth == 0 or is_container(item) else
                          self.copied(item))

    # -- loops and comprehensions over containers ---------------------------------------
    def static_range(self, call):
        """The numbers of `range(...)` when its arguments are known now, else None."""
        if not (isinstance(call, gast.Call) and self.resolver.value(call.func) is range):
            return None
        bounds = [self.static(a) for a in call.args]
        if MISSING in bounds or not all(isinstance(b, int) for b in bounds):
            return None
        return [constant(i) for i in range(*bounds)]

    def unrolled_items(self, stmt):
        """The items of a `for` loop to unroll, or None for a loop that stays a loop: a
        loop over a container, or over a range known now whose body reads a container
        (`params[i]`) or appends to a list."""
        if self.holds_container(stmt.iter):
            return self.sequence(stmt.iter)
        numbers = self.static_range(stmt.iter)
        if numbers is not None and isinstance(stmt.target, gast.Name) and \
                self._reads_structure(stmt.body, stmt.target.id):
            return numbers
        return None

    def _reads_structure(self, body, index):
        """Whether `body` indexes a container by `index` (`params[i]`) or appends to a
        list."""
        for node in gast.walk(gast.Module(body=body, type_ignores=[])):
            if isinstance(node, gast.Subscript) and any(
                    isinstance(n, gast.Name) and n.id == index for n in gast.walk(node.slice)) \
                    and self.holds_container(node.value):
                return True
            if isinstance(node, gast.Attribute) and node.attr == "append" and \
                    isinstance(node.value, gast.Name) and node.value.id in self.containers:
                return True
        return False

    def unroll(self, stmt, items):
        """The body once per item, each iteration headed by the loop's line."""
        if len(items) > UNROLL_LIMIT:
            raise self.error(stmt.iter, f"a loop over {len(items)} items of a tuple or list "
                             "is too long to unroll.", "stack the items into an array and "
                             "loop over range(n).")
        origin, col = self.origin, self.origin_col
        for item in items:
            self.origin, self.origin_col = origin, col
            self.bind_target(stmt.target, item)
            self.block_into(copy.deepcopy(stmt.body))

    def comprehension(self, node):
        """`[f(W) for W, b in params]`, `{k: g(v) for k, v in d.items()}`, and generator
        expressions: evaluated item by item into a container value."""
        saved = dict(self.current), dict(self.containers)
        free = getattr(self, "order_free", False) or isinstance(node, gast.DictComp)
        outer, self.order_free, self.iterated_unordered = \
            getattr(self, "iterated_unordered", False), False, False
        for generator in node.generators:  # its variables are its own, as in Python 3
            for target in gast.walk(generator.target):
                if isinstance(target, gast.Name):
                    self.current[target.id] = self.names.fresh(target.id)
        results = []
        self._generate(node, node.generators, results, free)
        self.current, self.containers = saved
        unordered, self.iterated_unordered = self.iterated_unordered, outer or \
            self.iterated_unordered
        if isinstance(node, gast.DictComp):
            keys = [k for k, _ in results]
            if not all(isinstance(k, gast.Constant) for k in keys):
                raise self.error(node, "the keys of a dict comprehension must be known "
                                 "when the derivative is generated.",
                                 "build the dict from the keys of another dict or from "
                                 "constants.")
            made = gast.Dict(keys=keys, values=[v for _, v in results])
            made.unordered = unordered
            return made
        return container(results, list)

    def _generate(self, node, generators, results, free):
        head = generators[0]
        if head.is_async:
            raise self.error(node, "async comprehensions cannot be differentiated.",
                             "write a `for` loop.")
        items = self.static_range(head.iter)
        if items is None:
            if not self.holds_container(head.iter):
                what = {gast.ListComp: "list comprehensions", gast.DictComp: "dict "
                        "comprehensions"}.get(type(node), "generator expressions")
                raise self.error(node, f"{what} cannot be differentiated. This one runs "
                                 "over an array or a range only known when the function "
                                 "runs; one over a tuple, list or dict, or over a range of "
                                 "known length, can be.",
                                 "write a `for` loop that fills a preallocated array: "
                                 "y = np.zeros(n); for i in range(n): y[i] = ...")
            self.order_free = free
            try:
                items = self.sequence(head.iter)
            finally:
                self.order_free = False
        for item in items:
            self.bind_target(head.target, item)
            if any(self.static(test) is not True for test in head.ifs):
                if all(self.static(test) is not MISSING for test in head.ifs):
                    continue
                raise self.error(head.ifs[0], "a comprehension's condition must be known "
                                 "when the derivative is generated.",
                                 "write a `for` loop with an `if` inside.")
            if len(generators) > 1:
                self._generate(node, generators[1:], results, free)
            elif isinstance(node, gast.DictComp):
                key = self.static(node.key)
                results.append((self.atom(node.key) if key is MISSING else constant(key),
                                self.atom(node.value)))
            else:
                results.append(self.atom(node.elt))


def _only_containers(types):
    types = types if isinstance(types, tuple) else (types,)
    return all(t in (list, tuple, dict) for t in types)


STRUCTURE_BUILTINS = (len, isinstance, zip, enumerate, reversed, sorted, list, tuple)
STATIC_OPS = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
              gast.Mult: lambda a, b: a * b, gast.FloorDiv: lambda a, b: a // b,
              gast.Mod: lambda a, b: a % b}

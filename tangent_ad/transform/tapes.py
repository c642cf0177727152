"""tapes: save what the backward sweep needs and the forward sweep overwrites.

A tape is a plain list per variable (`x_stack = []`, `.append`, `.pop()`), which numba
compiles natively. Two ways to save a value, chosen per variable:

- a variable assigned once, inside a loop, and read only after that assignment in the
  same block is saved right after it is computed and restored at the start of the
  block's backward replay (`v2_stack.append(v2)` ... `v2 = v2_stack.pop()`);
- any other variable is saved just before each assignment that overwrites it and
  restored right after that assignment's adjoint (`x_stack.append(x); x = v4` ...
  `x = x_stack.pop()`).

Elements written in place (`y[i] = v`) save the old element; `while` loops count their
trips. Variables the backward sweep never reads get no tape at all.
"""
import copy

import gast

from ..codegen.templates import assign, constant, name


class Marker(gast.Pass):
    """A place in the backward sweep where a value of `site` may have to be restored."""

    def __init__(self, site):
        super().__init__()
        self.site = site


class Site:
    """An assignment in the forward sweep: its block, branch path, order, loops around it."""

    def __init__(self, stmt, block, path, order, loops):
        self.stmt, self.block, self.path, self.order, self.loops = (
            stmt, block, path, order, loops)
        self.in_loop = bool(loops)

    def excludes(self, other):
        """True if the two sites are in different branches of one `if`."""
        branches = dict(self.path)
        return any(key in branches and branches[key] != side for key, side in other.path)


def instrument_whiles(stmts, names, in_loop=False):
    """Count the trips of every `while` loop: `trips1 = 0` before, `trips1 += 1` inside."""
    for stmt in list(stmts):
        if isinstance(stmt, gast.While):
            stmt.trips = names.numbered("trips")
            stmt.in_loop = in_loop
            count = gast.AugAssign(target=name(stmt.trips, gast.Store()), op=gast.Add(),
                                   value=constant(1))
            stmt.body.insert(0, count)
            init = assign(stmt.trips, constant(0))
            init.origin = count.origin = getattr(stmt, "origin", None)
            stmts.insert(stmts.index(stmt), init)
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if inner:
                instrument_whiles(inner, names, in_loop or isinstance(stmt, (gast.For,
                                                                             gast.While)))


def _sites(stmts, path, loops, counter, out):
    for stmt in stmts:
        counter[0] += 1
        if isinstance(stmt, gast.Assign):
            out.append(Site(stmt, stmts, path, counter[0], loops))
        if isinstance(stmt, gast.If):
            _sites(stmt.body, path + [(id(stmt), 0)], loops, counter, out)
            _sites(stmt.orelse, path + [(id(stmt), 1)], loops, counter, out)
        if isinstance(stmt, (gast.For, gast.While)):
            index = [stmt.target.id] if isinstance(stmt, gast.For) else []
            _sites(stmt.body, path, loops + [(id(stmt), index, stmt)], counter, out)
    return out


CHEAP = (gast.BinOp, gast.UnaryOp, gast.Compare, gast.Subscript, gast.Attribute, gast.Name,
         gast.Constant)


def _loads(stmts):
    return [n for s in stmts for n in gast.walk(s)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)]


def _insert(block, anchor, new, after):
    i = next(k for k, s in enumerate(block) if s is anchor)
    block[i + 1 if after else i:i + 1 if after else i] = new


def _dummy(kind):
    """A placeholder of the right type for a variable saved before its first value."""
    if kind.ndim == 0:
        return constant({"i": 0, "b": False}.get(kind.dtype, 0.0))
    zeros = gast.Attribute(value=name("np"), attr="zeros", ctx=gast.Load())
    shape = gast.Tuple(elts=[constant(0)] * (kind.ndim or 1), ctx=gast.Load())
    return gast.Call(func=zeros, args=[shape], keywords=[])


class Taper:
    def __init__(self, params, forward, backward, reverser, analysis):
        self.params = {p.id for p in params}
        self.forward, self.backward = forward, backward
        self.reverser, self.analysis, self.names = reverser, analysis, reverser.names
        self.markers = {}
        self.stacks = []      # stack names, in order of creation
        self.item_stacks = {}  # array → the stack of its overwritten elements
        self.dummies = []
        self.recomputed = set()
        self.prologue = {}    # id(backward block) → statements to put at its start
        self.other_saves = {}  # variables saved in a branch that does not assign them

    def stack(self, var, suffix="stack"):
        stack = self.names.fresh(f"{var}_{suffix}")
        self.stacks.append(stack)
        return stack

    def run(self):
        needed = {n.id for n in _loads(self.backward)}
        self.hoisted = {id(m.site): m.hoisted for m in _markers(self.backward)
                        if getattr(m, "hoisted", None)}
        sites = self.sites = _sites(self.forward, [], [], [0], [])
        self.copy_stale_slices(needed)
        by_var, written = {}, set()
        for site in sites:
            target = site.stmt.targets[0]
            if isinstance(target, gast.Subscript):
                written.add(target.value.id)
                if self.item_needed(site, target.value.id):
                    self.save_item(site)
            else:
                by_var.setdefault(target.id, []).append(site)
        self.invariant = {v for v in self.params | set(by_var) if v not in written and all(
            not s.loops and not s.path for s in by_var.get(v, []))
            and len(by_var.get(v, [])) <= (0 if v in self.params else 1)}
        loop_vars = {n.target.id for n in gast.walk(gast.Module(body=self.forward,
                                                                type_ignores=[]))
                     if isinstance(n, gast.For)}
        for var in sorted(by_var, key=lambda v: by_var[v][0].order):
            if var in needed and (var not in loop_vars or self.reassigned_index(var)):
                self.save_variable(var, by_var[var])
        self.save_trips()
        for block_id, stmts in self.prologue.items():
            block = self.reverser.backward_of[block_id]
            start = 1 if block and getattr(block[0], "loop_index", False) else 0
            block[start:start] = stmts
        _replace_markers(self.backward, self.markers)
        inits = [assign(s, gast.List(elts=[], ctx=gast.Load())) for s in self.stacks]
        return self.dummies + inits + self.forward, self.backward

    def reassigned_index(self, var):
        """A loop index that an assignment outside its loop also writes (two loops over
        `i`, one of them a generated replay `i = 8 + k * -2`): the backward sweep of a loop
        restores only its own index, so the assignment's old values are saved."""
        return any(s.loops and not any(isinstance(loop, gast.For) and loop.target.id == var
                                       for _, _, loop in s.loops)
                   for s in self.sites if isinstance(s.stmt.targets[0], gast.Name)
                   and s.stmt.targets[0].id == var)

    def overwrites(self, site, sites):
        if site.in_loop or site.stmt.targets[0].id in self.params:
            return True
        return any(o.order < site.order and not o.excludes(site) for o in sites)

    def save_variable(self, var, sites):
        taped = [s for s in sites if self.overwrites(s, sites)]
        if not taped:
            return
        local = self.block_local(var, sites)
        if local and self.recomputable(sites[0]):  # cheaper to compute again than to save
            self.recomputed.add(var)
            self.prologue.setdefault(id(sites[0].block), []).append(
                copy.deepcopy(sites[0].stmt))
            return
        if local:
            push, pop = self.array_tape(var, taped) or self.list_tape(var)
            site = sites[0]
            _insert(site.block, site.stmt, [push()], after=True)
            self.prologue.setdefault(id(site.block), []).append(pop())
            return
        defined_first = var in self.params or any(not s.in_loop and not s.path
                                                  and s.order < taped[0].order for s in sites)
        once = [s for s in taped if not s.in_loop]  # runs at most once: a variable will do
        for site in once:
            saved = self.names.fresh(f"{var}_saved")
            _insert(site.block, site.stmt, [assign(saved, name(var))], after=False)
            self.markers[id(site.stmt)] = [assign(var, name(saved))]
            self.save_in_other_branches(site, var, lambda: assign(saved, name(var)))
        looped = [s for s in taped if s.in_loop]
        if looped:
            push, pop = self.array_tape(var, looped, sites) or self.list_tape(var)
            for site in looped:
                _insert(site.block, site.stmt, [push()], after=False)
                self.markers[id(site.stmt)] = [pop()]
                self.save_in_other_branches(site, var, push)
        if not defined_first and (looped or self.other_saves.get(var)):
            self.dummies.append(assign(var, _dummy(self.analysis.kind(var))))

    def save_in_other_branches(self, site, var, save):
        """A restore taken out of an `if` whose backward sweep is empty runs whichever
        branch ran: the branches that do not assign the variable save its value too, so
        that the restore leaves it as it is."""
        for branch, side in self.hoisted.get(id(site.stmt), []):
            other = branch.orelse if side == 0 else branch.body
            other.insert(0, save())
            self.other_saves[var] = True

    def list_tape(self, var):
        """(push, pop) statement makers for a list tape `var_stack`."""
        stack = self.stack(var)
        push = lambda: gast.Expr(value=gast.Call(func=gast.Attribute(
            value=name(stack), attr="append", ctx=gast.Load()), args=[name(var)], keywords=[]))
        pop = lambda: assign(var, gast.Call(func=gast.Attribute(
            value=name(stack), attr="pop", ctx=gast.Load()), args=[], keywords=[]))
        return push, pop

    def array_tape(self, var, taped, sites=()):
        """(push, pop) for an array tape `var_tape[i]`, when a value is saved once per
        iteration of a top-level `for i in range(n)`: preallocated, no list growth. An
        array needs its shape before the loop: it must be defined there already."""
        kind = self.analysis.kind(var)
        if len(taped) != 1 or kind.ndim is None or len(taped[0].loops) != 1:
            return None
        defined_before = var in self.params or any(not s.loops and not s.path and
                                                   s.order < taped[0].order for s in sites)
        if kind.ndim > 0 and not defined_before:
            return None
        _, index, loop = taped[0].loops[0]
        if not (isinstance(loop, gast.For) and len(loop.iter.args) in (1, 2)
                and taped[0].block is loop.body and any(s is loop for s in self.forward)):
            return None
        args = loop.iter.args
        count = args[0] if len(args) == 1 else gast.BinOp(left=args[1], op=gast.Sub(),
                                                          right=args[0])
        position = name(index[0]) if len(args) == 1 else gast.BinOp(
            left=name(index[0]), op=gast.Sub(), right=args[0])
        tape = self.names.fresh(f"{var}_tape")
        dtype = {"i": [gast.Attribute(value=name("np"), attr="int64", ctx=gast.Load())],
                 "b": [gast.Attribute(value=name("np"), attr="bool_", ctx=gast.Load())]}.get(
            kind.dtype, [])
        shape = count
        if kind.ndim > 0:  # (n, x.shape[0], ...)
            shape = gast.Tuple(elts=[count] + [gast.Subscript(
                value=gast.Attribute(value=name(var), attr="shape", ctx=gast.Load()),
                slice=constant(d), ctx=gast.Load()) for d in range(kind.ndim)], ctx=gast.Load())
        empty = gast.Call(func=gast.Attribute(value=name("np"), attr="empty", ctx=gast.Load()),
                          args=[shape] + dtype, keywords=[])
        _insert(self.forward, loop, [assign(tape, empty)], after=False)
        slot = lambda ctx: gast.Subscript(value=name(tape), slice=copy.deepcopy(position),
                                          ctx=ctx)
        push = lambda: gast.Assign(targets=[slot(gast.Store())], value=name(var),
                                   type_comment=None)
        pop = lambda: assign(var, slot(gast.Load()))
        return push, pop

    def recomputable(self, site):
        """A cheap expression of loop indices, unchanging variables and other recomputed
        values: the backward replay computes it again instead of saving it. Not an array
        that arithmetic makes anew: saving it keeps a reference, where computing it again
        costs a pass over its elements (a view, `mu[k]` or `x.T`, costs nothing to replay)."""
        value = site.stmt.value
        if isinstance(value, (gast.BinOp, gast.UnaryOp, gast.Compare)) and \
                self.analysis.kind(site.stmt.targets[0].id).ndim not in (0, None):
            return False
        if not all(isinstance(n, CHEAP + (gast.expr_context, gast.Slice, gast.Tuple,
                                          gast.operator, gast.unaryop, gast.cmpop))
                   for n in gast.walk(value)):
            return False
        indices = {i for _, index, _ in site.loops for i in index}
        names = {n.id for n in gast.walk(value) if isinstance(n, gast.Name)}
        return names <= indices | self.invariant | self.recomputed

    def item_needed(self, site, array):
        """Is the element about to be overwritten read by a backward replay that runs after
        this write is undone (adjoints of statements before it, or in the same loop)?"""
        loops = {key for key, _, _ in site.loops}
        readers = self.views_of(array)
        for other in self.sites:
            if not readers & self.reverser.reads_of.get(id(other.stmt), set()):
                continue
            if other.order < site.order or loops & {key for key, _, _ in other.loops}:
                return True
        return False

    def copy_stale_slices(self, needed):
        """A temporary holding a slice of an array that is written later (`v1 = z[1:]`
        before `z[1:] = v3`, which is what `z[1:] *= e` becomes) is made a copy when the
        backward sweep reads it: a view would show the elements written since."""
        written = set()
        for site in self.sites:
            target = site.stmt.targets[0]
            if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
                written |= self.views_of(target.value.id)
        for site in self.sites:
            target, value = site.stmt.targets[0], site.stmt.value
            if (isinstance(target, gast.Name) and target.id in needed
                    and target.id in self.names.temporaries
                    and isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
                    and value.value.id in written
                    and self.analysis.kind_of(None, value).ndim not in (0, None)):
                site.stmt.value = gast.Call(func=gast.Attribute(
                    value=name("np"), attr="copy", ctx=gast.Load()), args=[value], keywords=[])

    def views_of(self, array):
        """`array` and the variables that may share its memory (`v = array[1:]`, `w = v`):
        reading one of them reads the elements a write into `array` changes."""
        if not hasattr(self, "_bases"):
            self._bases = {}
            for site in self.sites:
                target, value = site.stmt.targets[0], site.stmt.value
                if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name):
                    value = value.value if self.analysis.kind_of(None, value).ndim != 0 \
                        else None
                if isinstance(target, gast.Name) and isinstance(value, gast.Name):
                    self._bases.setdefault(target.id, set()).add(value.id)
        out, todo = {array}, [array]
        while todo:
            base = todo.pop()
            for var, bases in self._bases.items():
                if base in bases and var not in out:
                    out.add(var)
                    todo.append(var)
        return out

    def block_local(self, var, sites):
        """One assignment, in a loop, and every read after it in the same block."""
        if len(sites) != 1 or not sites[0].in_loop or var in self.params:
            return False
        site = sites[0]
        position = next(k for k, s in enumerate(site.block) if s is site.stmt)
        allowed = {id(n) for n in _loads(site.block[position + 1:])}
        return all(id(n) in allowed for n in _loads(self.forward) if n.id == var)

    def save_item(self, site):
        target = site.stmt.targets[0]
        array, index = target.value.id, target.slice
        item = gast.Subscript(value=name(array), slice=index, ctx=gast.Load())
        kind = self.analysis.kind_of(None, item)
        if not site.in_loop:  # written once: a variable holds the old element
            saved = self.names.fresh(f"{array}_item")
            old = item if kind.ndim == 0 else gast.Call(func=gast.Attribute(
                value=name("np"), attr="copy", ctx=gast.Load()), args=[item], keywords=[])
            _insert(site.block, site.stmt, [assign(saved, old)], after=False)
            restore = gast.Subscript(value=name(array), slice=copy.deepcopy(index),
                                     ctx=gast.Store())
            self.markers[id(site.stmt)] = [gast.Assign(targets=[restore], value=name(saved),
                                                       type_comment=None)]
            return
        if array not in self.item_stacks:
            self.item_stacks[array] = self.stack(array, "items")
        stack = self.item_stacks[array]
        item = gast.Subscript(value=name(array), slice=index, ctx=gast.Load())
        kind = self.analysis.kind_of(None, item)
        if kind.ndim != 0:
            item = gast.Call(func=gast.Attribute(value=item, attr="copy", ctx=gast.Load()),
                             args=[], keywords=[])
        push = gast.Expr(value=gast.Call(func=gast.Attribute(
            value=name(stack), attr="append", ctx=gast.Load()), args=[item], keywords=[]))
        _insert(site.block, site.stmt, [push], after=False)
        restore = gast.Subscript(value=name(array), slice=index, ctx=gast.Store())
        self.markers[id(site.stmt)] = [gast.Assign(targets=[restore], value=gast.Call(
            func=gast.Attribute(value=name(stack), attr="pop", ctx=gast.Load()), args=[],
            keywords=[]), type_comment=None)]

    def save_trips(self):
        for loop in gast.walk(gast.Module(body=self.forward, type_ignores=[])):
            if isinstance(loop, gast.While) and loop.in_loop:
                stack = self.stack(loop.trips)
                block = _parent_block(self.forward, loop)
                _insert(block, loop, [gast.Expr(value=gast.Call(func=gast.Attribute(
                    value=name(stack), attr="append", ctx=gast.Load()),
                    args=[name(loop.trips)], keywords=[]))], after=True)
                self.markers[id(loop)] = [assign(loop.trips, gast.Call(
                    func=gast.Attribute(value=name(stack), attr="pop", ctx=gast.Load()),
                    args=[], keywords=[]))]


def _parent_block(stmts, target):
    for stmt in stmts:
        if stmt is target:
            return stmts
        for field in ("body", "orelse"):
            found = _parent_block(getattr(stmt, field, []) or [], target)
            if found is not None:
                return found
    return None


def _markers(stmts):
    for stmt in stmts:
        if isinstance(stmt, Marker):
            yield stmt
        for field in ("body", "orelse"):
            yield from _markers(getattr(stmt, field, None) or [])


def _replace_markers(stmts, markers):
    """Put the restores where their markers are; drop the markers nothing needs."""
    out = []
    for stmt in stmts:
        if isinstance(stmt, Marker):
            new = markers.get(id(stmt.site), [])
            for n in new:
                n.origin = getattr(stmt, "origin", None)
            out.extend(new)
            continue
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if inner:
                setattr(stmt, field, _replace_markers(inner, markers) or [gast.Pass()])
        out.append(stmt)
    stmts[:] = out
    return stmts


def insert_tapes(params, forward, backward, reverser, analysis):
    """(forward sweep with pushes, backward sweep with pops)."""
    return Taper(params, forward, backward, reverser, analysis).run()

"""reverse: a normalized function → its adjoint (reverse mode), before optimization.

The adjoint runs the function (the forward sweep), seeds the output's adjoint, then walks
the statements backwards (the backward sweep), expanding each active statement's
adjoint template. Branches are replayed with the same test; loops run backwards::

    def f(x, n):                       def f_grad(x, n):
        for i in range(n):                 for i in range(n):
            x = np.sin(x)                      x_stack.append(x)
        return x                               x = np.sin(x)
                                           x_bar = 1.0
                                           for i in range(n - 1, -1, -1):
                                               x = x_stack.pop()
                                               x_bar = x_bar * np.cos(x)
                                           return x_bar

Values that the backward sweep needs but the forward sweep overwrites are saved on tapes
(see `tapes.py`); this module leaves a marker where each restore may go.
"""
import gast

from ..errors import TangentADError, at_statement
from ..codegen.templates import assign, constant, name
from ..rules.indexing import GETITEM
from .adjoints import Accumulator, expand_adjoint, specialize_unbroadcast
from .calls import UserCallRule, adjoint_of_call
from ..frontend.stacks import stack_of
from .primitives import application
from .stack_rules import adjoint_of_stack, adjoint_stacks, operands_read
from .shape_reads import read_shapes_from_operands
from .tapes import Marker, insert_tapes, instrument_whiles


class ReverseSpec:
    """What the generated adjoint takes and returns.

    seed: "one" (gradient of a scalar: the output's adjoint is 1.0) or "param" (a vjp: the
    output's adjoint is the last parameter). return_value: also return the primal output.
    has_aux: the function returns (output, aux); aux is returned beside the output.
    """

    def __init__(self, wrt, seed="one", return_value=False, has_aux=False, suffix="grad"):
        self.wrt = list(wrt)
        self.seed = seed
        self.return_value = return_value
        self.has_aux = has_aux
        self.suffix = suffix


def _call(func, *args):
    return gast.Call(func=func if not isinstance(func, str) else name(func), args=list(args),
                     keywords=[])


def _minus(a, b):
    return gast.BinOp(left=a, op=gast.Sub(), right=b)


class Reverser:
    """Builds the backward sweep of a normalized body, block by block."""

    def __init__(self, analysis, names):
        self.analysis = analysis
        self.names = names
        self.acc = Accumulator(analysis, names)
        self.backward_of = {}   # id(forward block) → its backward block
        self.reads_of = {}      # id(forward assignment) → names its adjoint code reads
        self.needed_calls = set()  # (rule, kinds, "vjp") of the recursive helpers called
        self.origin = None

    def block(self, stmts, depth):
        out = []
        self.backward_of[id(stmts)] = out
        for stmt in reversed(stmts):
            self.origin = getattr(stmt, "origin", None)
            start = len(out)
            getattr(self, "stmt_" + type(stmt).__name__)(stmt, out, depth)
            for new in out[start:]:
                if getattr(new, "origin", None) is None and self.origin:
                    new.origin = self.origin.as_role("adjoint")
            if isinstance(stmt, gast.Assign):
                self.reads_of[id(stmt)] = {n.id for s in out[start:] for n in gast.walk(s)
                                           if isinstance(n, gast.Name)
                                           and isinstance(n.ctx, gast.Load)}
        return out

    # -- assignments ----------------------------------------------------------------
    def stmt_Assign(self, stmt, out, depth):
        target = stmt.targets[0]
        if isinstance(target, gast.Subscript):
            return self.store_item(stmt, out)
        if stack_of(stmt) is not None:  # a tape of generated code
            adjoint_of_stack(stmt, self, out, depth)
            out.append(Marker(stmt))
            return
        t = target.id
        adj = self.names.adjoint(t)
        if t in self.analysis.active and self.acc.defined(adj):
            app = application(stmt.value)
            if isinstance(app.rule, UserCallRule):
                adjoint_of_call(app, t, self, out)
            elif app.rule.differentiable:
                try:
                    expand_adjoint(app, t, self.analysis, self.names, self.acc, out)
                except TangentADError as exc:
                    raise at_statement(exc, stmt) from exc
        if depth > 0:
            self.acc.kill(adj)  # the value before this assignment is another variable
        out.append(Marker(stmt))

    def store_item(self, stmt, out):
        """`y[i] = v`: v's adjoint takes y_bar[i], which then becomes zero."""
        array, index, value = stmt.targets[0].value.id, stmt.targets[0].slice, stmt.value
        adj = self.names.adjoint(array)
        if array in self.analysis.active and self.acc.defined(adj):
            if isinstance(value, gast.Name) and value.id in self.analysis.active:
                item = gast.Subscript(value=name(adj), slice=index, ctx=gast.Load())
                item_kind = self.analysis.kind_of(
                    None, gast.Subscript(value=name(array), slice=index, ctx=gast.Load()))
                if item_kind.ndim != 0:  # a view: copy it before its elements are zeroed
                    item = _call(gast.Attribute(value=name("np"), attr="copy",
                                                ctx=gast.Load()), item)
                unbroadcast = _call("unbroadcast", item, name(value.id))
                g = specialize_unbroadcast(unbroadcast, item_kind, self.analysis.kind)
                self.acc.add(out, self.names.adjoint(value.id), g)
            self.acc.zero_at(out, adj, index)
        out.append(Marker(stmt))

    def stmt_Expr(self, stmt, out, depth):
        adjoint_of_stack(stmt, self, out, depth)  # a push: the only statement of this form

    def stmt_Return(self, stmt, out, depth):
        pass

    def stmt_Pass(self, stmt, out, depth):
        pass

    def stmt_AugAssign(self, stmt, out, depth):
        pass  # only trip counters (`trips1 += 1`) are augmented in normalized code

    # -- branches ---------------------------------------------------------------------
    def stmt_If(self, stmt, out, depth):
        start = self.acc.snapshot()
        body = self.block(stmt.body, depth + 1)
        after_body = self.acc.snapshot()
        self.acc.restore(start)
        orelse = self.block(stmt.orelse, depth + 1)
        after_else = self.acc.snapshot()
        merged = {}
        for adj in list(after_body) + [a for a in after_else if a not in after_body]:
            if adj in after_body and adj in after_else:
                merged[adj] = after_body[adj] and after_else[adj]
            elif adj in start:  # killed in one branch: zero there
                self.acc.define_zero(orelse if adj in after_body else body, adj)
                merged[adj] = False
            else:  # first written in one branch: zero before the branches
                self.acc.define_zero(out, adj)
                merged[adj] = False
        self.acc.restore(merged)
        # An element written in a branch is restored under the branch's test: its index
        # may read names only that branch defines.
        if _has_code(body) or _has_code(orelse) or any(
                isinstance(s, Marker) and isinstance(s.site, gast.Assign)
                and isinstance(s.site.targets[0], gast.Subscript) for s in body + orelse):
            out.append(gast.If(test=stmt.test, body=body or [gast.Pass()], orelse=orelse))
            return
        for side, block in enumerate((body, orelse)):
            for marker in (s for s in block if isinstance(s, Marker)):
                # restored whichever branch ran: the tapes save in the other branch too
                marker.hoisted = getattr(marker, "hoisted", []) + [(stmt, side)]
                out.append(marker)

    # -- loops --------------------------------------------------------------------------
    def loop_body(self, loop, out, depth):
        """The backward body of a loop; adjoints carried around the loop are defined first."""
        for var in sorted(self.live_in(loop)):
            adj = self.names.adjoint(var)
            if not self.acc.defined(adj):
                self.acc.define_zero(out, adj)
        for var in sorted(_indexed(loop) & self.analysis.active):
            adj, kind = self.names.adjoint(var), self.analysis.kind(var)
            if self.acc.defined(adj) and kind.ndim and kind.dtype in "fib":
                self.acc.own(out, adj)  # an array: copied once here, not on every trip
        start = self.acc.snapshot()
        body = self.block(loop.body, depth + 1)
        end = self.acc.snapshot()
        for adj in sorted(start):
            if adj not in end:  # killed in the body: zero for the previous iteration
                self.acc.define_zero(body, adj)
        self.acc.restore({a: start[a] and self.acc.owned.get(a, False) for a in start})
        return body or [gast.Pass()]

    def live_in(self, loop):
        """Active variables the loop body reads that are defined before the loop."""
        inside = {n.id for n in gast.walk(loop) if isinstance(n, gast.Name)
                  and isinstance(n.ctx, gast.Store)}
        reads = set()
        for node in gast.walk(loop):
            if stack_of(node) is not None:
                reads |= operands_read(node)
            elif isinstance(node, gast.Assign):
                value = node.value
                if isinstance(node.targets[0], gast.Subscript):
                    reads |= {node.targets[0].value.id}
                reads |= _operand_names(value)
        outside = reads - inside | (reads & self.carried(loop, inside))
        return {v for v in outside if v in self.analysis.active}

    def carried(self, loop, inside):
        """Variables written in the loop that were defined before it (loop-carried)."""
        return {v for v in inside if v in self.defined_before.get(id(loop), set())}

    def stmt_For(self, stmt, out, depth):
        body = self.loop_body(stmt, out, depth)
        index = stmt.target.id
        args = stmt.iter.args
        if len(args) == 1:
            bounds = [_minus(args[0], constant(1)), constant(-1), constant(-1)]
        elif len(args) == 2:
            bounds = [_minus(args[1], constant(1)), _minus(args[0], constant(1)),
                      constant(-1)]
        else:
            k = self.names.fresh("k")
            count = _call("len", _call("range", *args))
            recompute_index = assign(index, gast.BinOp(
                left=args[0], op=gast.Add(),
                right=gast.BinOp(left=name(k), op=gast.Mult(), right=args[2])))
            recompute_index.loop_index = True  # restores and recomputations come after it
            body.insert(0, recompute_index)
            bounds, index = [_minus(count, constant(1)), constant(-1), constant(-1)], k
        out.append(gast.For(target=name(index, gast.Store()), iter=_call("range", *bounds),
                            body=body, orelse=[], type_comment=None))

    def stmt_While(self, stmt, out, depth):
        body = self.loop_body(stmt, out, depth)
        out.append(Marker(stmt))  # nested loops restore their trip count here
        out.append(gast.For(target=name("_", gast.Store()),
                            iter=_call("range", name(stmt.trips)), body=body, orelse=[],
                            type_comment=None))


def _indexed(loop):
    """Arrays the loop reads or writes by element: the backward loop updates their
    adjoints in place, so those must own their arrays before it starts."""
    return {n.value.id for n in gast.walk(loop)
            if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name)}


def _has_code(stmts):
    return any(not isinstance(s, gast.Pass) for s in stmts)


def _operand_names(value):
    app = application(value)
    args = app.args[:1] if app.rule.key is GETITEM else app.args
    nodes = list(args) + list(app.keywords.values())
    return {n.id for n in nodes if isinstance(n, gast.Name)} if app.rule.differentiable \
        else set()


def _defined_before(stmts, seen, out):
    """For each loop, the names assigned (or parameters) textually before it."""
    for stmt in stmts:
        if isinstance(stmt, (gast.For, gast.While)):
            out[id(stmt)] = set(seen)
        for field in ("body", "orelse"):
            _defined_before(getattr(stmt, field, []) or [], seen, out)
        for node in gast.walk(stmt) if not isinstance(stmt, (gast.For, gast.While)) else []:
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                seen.add(node.id)
        if isinstance(stmt, (gast.For, gast.While)):
            seen |= {n.id for n in gast.walk(stmt) if isinstance(n, gast.Name)
                     and isinstance(n.ctx, gast.Store)}
    return out


def _held(values, backward, analysis, names):
    """The returned values that the backward sweep overwrites (a tape restores an earlier
    value of the variable) are kept before it: (assignments, the values to return)."""
    written = set()
    for node in gast.walk(gast.Module(body=backward, type_ignores=[])):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            written.add(node.id)
        elif isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store) \
                and isinstance(node.value, gast.Name):
            written.add(node.value.id)
    held, out = [], []
    for value in values:
        if not (isinstance(value, gast.Name) and value.id in written):
            out.append(value)
            continue
        kept = names.fresh(f"{value.id}_value")
        copied = name(value.id)
        if analysis.kind(value.id).ndim:  # an array whose elements may be restored in place
            copied = _call(gast.Attribute(value=name("np"), attr="copy", ctx=gast.Load()),
                           copied)
        held.append(assign(kept, copied))
        out.append(name(kept))
    return held, out


def reverse(nf, analysis, spec):
    """The adjoint `FunctionDef` of the normalized function `nf`."""
    *primal, ret = nf.fdef.body
    names = nf.names
    instrument_whiles(primal, names)
    outputs = ret.value.elts if isinstance(ret.value, gast.Tuple) else [ret.value]
    out = outputs[0]
    reverser = Reverser(analysis, names)
    params = {a.id for a in nf.fdef.args.args}
    reverser.defined_before = _defined_before(primal, set(params), {})

    seed = []
    out_bar_param = None
    if isinstance(out, gast.Name) and out.id in analysis.active:
        out_bar = names.adjoint(out.id)
        if spec.seed == "param":
            out_bar_param = names.fresh("out_bar") if out_bar != "out_bar" else out_bar
            seed.append(assign(out_bar, name(out_bar_param)))
            reverser.acc.owned[out_bar] = False  # the caller's array: never write into it
        else:
            seed.append(assign(out_bar, constant(1.0)))
            reverser.acc.owned[out_bar] = True
        seed[0].origin = ret.origin.as_role("adjoint") if ret.origin else None
    if spec.seed == "param" and out_bar_param is None:  # an output the inputs do not reach
        out_bar_param = names.fresh("out_bar")
    seed += adjoint_stacks(primal, analysis, names, reverser.acc)
    backward = reverser.block(primal, 0)

    tail = []
    grads = []
    for param in spec.wrt:
        adj = names.adjoint(param)
        if not reverser.acc.defined(adj):
            reverser.acc.define_zero(tail, adj)
        grads.append(name(adj))
    read_shapes_from_operands(primal, backward, analysis.kind, params)
    forward, backward = insert_tapes(nf.fdef.args.args, primal, backward, reverser, analysis)
    values = ([out] if spec.return_value else []) + (list(outputs[1:2]) if spec.has_aux else [])
    held, values = _held(values, backward, analysis, names)
    results = values + grads
    value = results[0] if len(results) == 1 else gast.Tuple(elts=results, ctx=gast.Load())
    body = forward + held + seed + backward + tail + [gast.Return(value=value)]
    params = list(nf.fdef.args.args) + ([name(out_bar_param, gast.Param())]
                                        if spec.seed == "param" else [])
    args = gast.arguments(args=params, posonlyargs=[], vararg=None, kwonlyargs=[],
                          kw_defaults=[], kwarg=None, defaults=[])
    fdef = gast.FunctionDef(name=f"{nf.name}_{spec.suffix}", args=args, body=body,
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])
    fdef.needed_calls = reverser.needed_calls
    return fdef

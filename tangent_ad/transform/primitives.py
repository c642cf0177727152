"""What primitive a normalized expression applies, to which operands.

    a + b        → (np.add, [a, b], {})
    np.sum(x)    → (np.sum, [x], {})
    x[i, 0]      → (getitem, [x, (i, 0)], {})
    y            → (identity, [y], {})
"""
import operator

import gast
import numpy as np

from ..frontend.normalize import BINOPS
from ..rules.indexing import GETITEM
from ..rules.operators import IDENTITY
from ..rules.registry import rule_for

UNARY = {gast.USub: np.negative, gast.UAdd: np.positive, gast.Not: np.logical_not}
COMPARE = {gast.Lt: np.less, gast.LtE: np.less_equal, gast.Gt: np.greater,
           gast.GtE: np.greater_equal, gast.Eq: np.equal, gast.NotEq: np.not_equal}


class Application:
    """One primitive applied to operands: `rule(*args, **keywords)`."""

    def __init__(self, rule, args, keywords):
        self.rule = rule
        self.args = args
        self.keywords = keywords

    def operand_names(self):
        """Names of the operands that can carry a derivative: those the rule's adjoint
        template accumulates into (not the index in `x[i]`, not `x` in np.full_like(x, c))."""
        args = self.args[:1] if self.rule.key is GETITEM else self.args
        nodes = list(args) + list(self.keywords.values())
        for _, template in self.rule.adjoints:
            bound = template.bind(None, self.args, self.keywords)
            if bound is not None:
                nodes = [bound[p] for p in _accumulated(template) if p in bound]
                break
        return [n.id for n in _flat(nodes) if isinstance(n, gast.Name)]


def _flat(nodes):
    """The nodes, with the elements of tuple and list operands in place of the sequences."""
    for node in nodes:
        if isinstance(node, (gast.Tuple, gast.List)):
            yield from _flat(node.elts)
        else:
            yield node


def _accumulated(template):
    """The parameters `p` whose adjoint `p_bar` (or `p_bar[i]`) the template adds to."""
    params = []
    for stmt in template.body:
        target = getattr(stmt, "target", None)
        target = target.value if isinstance(target, gast.Subscript) else target
        if isinstance(stmt, gast.AugAssign) and isinstance(target, gast.Name) and \
                target.id.endswith("_bar") and target.id[:-4] not in params:
            params.append(target.id[:-4])
    return params


def application(expr):
    """The `Application` that `expr` (one normalized operation) stands for."""
    if isinstance(expr, (gast.Name, gast.Constant)):
        return Application(rule_for(IDENTITY), [expr], {})
    if isinstance(expr, gast.BinOp):
        return Application(rule_for(BINOPS[type(expr.op)]), [expr.left, expr.right], {})
    if isinstance(expr, gast.UnaryOp):
        return Application(rule_for(UNARY[type(expr.op)]), [expr.operand], {})
    if isinstance(expr, gast.Compare):
        rule = rule_for(COMPARE.get(type(expr.ops[0]), np.equal))
        return Application(rule, [expr.left, expr.comparators[0]], {})
    if isinstance(expr, gast.Call) and hasattr(expr, "rule"):  # a recursive helper, opaque
        return Application(expr.rule, list(expr.args), {k.arg: k.value for k in expr.keywords})
    if isinstance(expr, gast.Call):
        keywords = {k.arg: k.value for k in expr.keywords}
        return Application(rule_for(expr.prim), list(expr.args), keywords)
    if isinstance(expr, gast.Attribute):  # x.T, x.shape: attributes that stand for functions
        return Application(rule_for(expr.prim), [expr.value], {})
    if isinstance(expr, gast.Subscript):
        return Application(rule_for(GETITEM), [expr.value, expr.slice], {})
    raise NotImplementedError(f"no primitive for {type(expr).__name__}")


__all__ = ["application", "Application", "operator"]


def template_of(app, target, analysis, mode):
    """The adjoint or tangent template (`mode`) of `target = app`, chosen by the kinds of
    its operands; a clear error naming the rule when none applies."""
    from ..errors import TangentADError
    from ..codegen.templates import name
    rule = app.rule
    operands = [analysis.operand(name(target))] + [analysis.operand(a) for a in app.args]
    keywords = {k: analysis.operand(v) for k, v in app.keywords.items()}
    pick = rule.adjoint_for if mode == "adjoint" else rule.tangent_for
    template = pick(operands, keywords)
    if template is None:
        raise TangentADError(
            f"no {mode} rule for `{rule.name}` with operands of kind "
            f"{', '.join(str(o.kind) for o in operands[1:])}; register one with "
            f"@ta.{mode}_rule({rule.name}, when=...).")
    return template

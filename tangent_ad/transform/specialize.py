"""specialize: rewrite primal operations that numba cannot compile for the known kinds.

    v1 = np.dot(s, x)      (s a scalar)      →      v1 = s * x

Runs after kinds are known and before the derivative transforms, so the derivative of
the rewritten statement is the one that is generated.
"""
import gast
import numpy as np

from .primitives import application


def _scalar_product(stmt, analysis):
    app = application(stmt.value)
    if app.rule is None or app.rule.key is not np.dot or len(app.args) != 2:
        return None
    x, y = app.args
    if analysis.kind(x).ndim == 0 or analysis.kind(y).ndim == 0:
        return gast.BinOp(left=x, op=gast.Mult(), right=y)
    return None


REWRITES = [_scalar_product]


def specialize(stmts, analysis):
    """Apply the rewrites to every plain assignment in `stmts` (recursively), in place."""
    for stmt in stmts:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            for rewrite in REWRITES:
                new = rewrite(stmt, analysis)
                if new is not None:
                    stmt.value = new
        for field in ("body", "orelse"):
            specialize(getattr(stmt, field, []), analysis)

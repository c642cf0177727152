"""Derivative rules, grouped as a reader looks for them. Importing this package fills the
registry; `registry.all_rules()` lists every rule."""
from . import (binary, construction, elementwise, indexing, linalg,  # noqa: F401
               nondifferentiable, norms, operators, products, reductions, runtime_helpers,
               shapes)
from .registry import adjoint_rule, all_rules, rule_for, tangent_rule  # noqa: F401

"""Opaque calls: functions without a rule, run as they are where nothing differentiated
flows into them (autograd lists its non-differentiable functions; here activity analysis
knows which values are inactive, so no list is needed).

    iu = np.triu_indices(d, 1)     →  iu = np.triu_indices(d, 1)   (the same, in the
    s = slice(0, n)                   s = slice(0, n)               derivative's primal)

Each call site gets its own `OpaqueRule`, which carries the located `MissingRuleError` that
`frontend.activity` raises if the call's result turns out to be active: then the function
would need a derivative, and a wrong zero is never an answer. Functions that write into
their arguments (`np.fill_diagonal`, `out=`) are refused: the change is not an assignment
that activity analysis sees.
"""
import builtins
import math

import numpy as np
import scipy.special

from ..custom import opaque_name, probed_kind
from .registry import Rule

# where generated code finds a function by its dotted name (the modules it imports)
_MODULES = (("np", np), ("np.linalg", np.linalg), ("np.fft", np.fft), ("math", math),
            ("scipy.special", scipy.special))


# functions that write into an argument: a value activity analysis would not see change
WRITES_INTO_ARGUMENTS = (np.fill_diagonal, np.copyto, np.put, np.place, np.putmask,
                         np.put_along_axis)


class OpaqueRule(Rule):
    """A call of `func` that generated code makes as it is; `error` if it is active."""

    def __init__(self, func, error, result_kind=None, name=None):
        super().__init__(func, name or name_of(func), result_kind or probed_kind(func), True,
                         "opaque")
        self.error = error


def name_of(func):
    """How generated code names `func`: `np.triu_indices`, `slice`, or a name imported
    from `tangent_ad.custom` (a SciPy method, a function of another library)."""
    label = getattr(func, "__name__", None)
    if label:
        for prefix, module in _MODULES:
            if getattr(module, label, None) is func:
                return f"{prefix}.{label}"
        if getattr(builtins, label, None) is func:
            return label
    return opaque_name(func)

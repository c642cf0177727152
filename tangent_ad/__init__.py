"""tangent_ad: source-to-source automatic differentiation for Python and NumPy.

    >>> import tangent_ad as ta
    >>> ta.grad(lambda x: 3 * x ** 2 + 2 * x + 1)(5.0)
    32.0
"""
from .api import grad, source, value_and_grad
from .directional import jvp, vjp
from .checking import check_grads
from .custom import adjoint_rule, stop_gradient, tangent_rule
from .jacobians import hessian, jacfwd, jacobian, jacrev
from .errors import MissingRuleError, TangentADError, UnsupportedSyntaxError
from .vmap import vmap

__version__ = "0.1.0"

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "jacobian", "hessian", "vmap",
           "stop_gradient", "check_grads", "source", "adjoint_rule", "tangent_rule",
           "TangentADError", "UnsupportedSyntaxError", "MissingRuleError"]

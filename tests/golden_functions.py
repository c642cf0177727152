"""Functions whose generated derivative source is pinned in tests/golden/."""
import numpy as np

from test_seeds import (indexed, linreg_loss, logreg_loss, logreg_loss_dict, quadratic,
                        sin_cos, sum_of_squares, sum_squared_errors, two_squares, unpacked)

from corpus import (break_in_loop, calls_module_helper, recursive_helper_in_expression, rnn,
                    scalar_recurrence, shifted_product_recurrence, while_with_branch)

X3 = np.array([1.0, 2.0, 3.0])
W3 = np.array([0.3, -0.2, 0.5])


def layer(W, h, b):
    return np.sum(np.tanh(W @ h + b) ** 2)


def softplus_sum(x):
    return np.sum(np.log1p(np.exp(x)))


def power_both(x, y):
    return x ** y


# (name, function, argnums, example arguments, mode)
GOLDEN = [
    ("quadratic", quadratic, 0, (5.0,), "grad"),
    ("two_squares", two_squares, (0, 1), (3.0, 4.0), "grad"),
    ("linreg_loss", linreg_loss, (0, 1), (0.0, 0.0, X3, 2 * X3), "grad"),
    ("sum_of_squares", sum_of_squares, 0, (X3,), "grad"),
    ("sum_squared_errors", sum_squared_errors, (0, 1), (X3, X3 + 0.1), "grad"),
    ("indexed", indexed, 0, (np.array([1.0, 2.0]),), "grad"),
    ("unpacked", unpacked, 0, (np.array([2.0, 2.0, np.pi]),), "grad"),
    ("sin_cos", sin_cos, 0, (1.0,), "grad"),
    ("tanh", np.tanh, 0, (2.0,), "grad"),
    ("logreg_loss", logreg_loss, (0, 1), (W3, 0.1), "grad"),
    ("logreg_loss_dict", logreg_loss_dict, 0, ({"W": W3, "b": 0.1},), "grad"),
    ("logreg_value_and_grad", logreg_loss, (0, 1), (W3, 0.1), "value_and_grad"),
    ("layer", layer, (0, 1, 2), (np.ones((2, 3)), X3, np.ones(2)), "grad"),
    ("softplus_sum", softplus_sum, 0, (X3,), "grad"),
    ("power_both_jvp", power_both, None, (2.0, 3.0), "jvp"),
    ("linreg_loss_jvp", linreg_loss, None, (0.0, 0.0, X3, 2 * X3), "jvp"),
    ("scalar_recurrence", scalar_recurrence, (0, 1), (0.5, 1.3, 10), "grad"),
    ("scalar_recurrence_jvp", scalar_recurrence, None, (0.5, 1.3, 10), "jvp"),
    ("rnn", rnn, (0, 1, 2), (np.eye(3), X3, X3, 4), "grad"),
    ("shifted_product_recurrence", shifted_product_recurrence, 0, (np.ones(4),), "grad"),
    ("while_with_branch", while_with_branch, 0, (0.7,), "grad"),
    ("break_in_loop", break_in_loop, (0,), (0.7, 5), "grad"),
    ("helper_call", calls_module_helper, 0, (0.3,), "grad"),
    ("recursive_helper", recursive_helper_in_expression, 0, (0.3, 3), "grad"),
]


def mlp_layers(params, x):
    for W, b in params[:-1]:
        x = np.tanh(x @ W + b)
    W, b = params[-1]
    return np.sum(x @ W + b)


# a list of (W, b) layers: the loop over it is unrolled, its leaves are parameters
GOLDEN.append(("mlp_layers", mlp_layers, 0,
               ([(np.ones((3, 2)), np.ones(2)), (np.ones((2, 2)), np.ones(2)),
                 (np.ones((2, 1)), np.ones(1))], X3), "grad"))

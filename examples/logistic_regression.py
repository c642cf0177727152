"""Logistic regression: gradients of a negative log-likelihood, with respect to positional
parameters (argnums) and to a dict of parameters (the gradient is a dict of the same keys).

`sigmoid` and `predict` are your own helpers: tangent_ad differentiates through them, and
the generated code quotes their lines as `predict: ...`. `inputs` and `targets` are module
globals; the compiled code receives their current values at every call.

    tangent-ad explain examples/logistic_regression.py:loss --at "W, b" --html loss.html
"""
import numpy as np

import tangent_ad as ta


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2) + 1)


def predict(W, b, inputs):
    """The probability that each label is true."""
    return sigmoid(np.dot(inputs, W) + b)


inputs = np.array([[0.52, 1.12, 0.77],
                   [0.88, -1.08, 0.15],
                   [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
targets = np.array([True, True, False, True])


def loss(W, b):
    """The negative log-likelihood of the training examples."""
    preds = predict(W, b, inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probs))


def loss2(params_dict):
    preds = predict(params_dict['W'], params_dict['b'], inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probs))


rng = np.random.default_rng(0)
W = rng.normal(size=3)
b = float(rng.normal())


def main():
    W_grad = ta.grad(loss, argnums=0)(W, b)  # argnums=0 is the default
    print(f"{W_grad=}")
    b_grad = ta.grad(loss, 1)(W, b)
    print(f"{b_grad=}")
    W_grad, b_grad = ta.grad(loss, (0, 1))(W, b)
    print(f"{W_grad=}")
    print(f"{b_grad=}")

    grad_loss2 = ta.grad(loss2)
    print(grad_loss2({'W': W, 'b': b}))
    print()
    print(ta.source(grad_loss2).highlighted())


if __name__ == "__main__":
    main()

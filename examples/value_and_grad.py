"""`value_and_grad`: the loss and its gradient from one forward and one backward pass.

The generated function returns the value it computed on the way, so nothing is computed
twice.
"""
import tangent_ad as ta
from logistic_regression import W, b, loss


def main():
    loss_and_grad = ta.value_and_grad(loss, (0, 1))
    loss_value, Wb_grad = loss_and_grad(W, b)
    print("loss value", loss_value)
    print("loss value", loss(W, b))
    print("gradient", Wb_grad)
    print()
    print(ta.source(loss_and_grad).highlighted())


if __name__ == "__main__":
    main()

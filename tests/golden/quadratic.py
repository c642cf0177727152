def quadratic_grad(x):
    # return 3 * x**2 + 2 * x + 1
    x_bar = 2.0 + 6.0 * x
    return x_bar

def two_squares_grad(x, y):
    # return x**2 + y**2
    y_bar = 2.0 * y
    x_bar = 2.0 * x
    return (x_bar, y_bar)

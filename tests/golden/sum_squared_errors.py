def sum_squared_errors_grad(x, y):
    # return np.sum((x - y) ** 2)
    v1 = x - y

    # return np.sum((x - y) ** 2)
    v1_bar = 2.0 * v1
    x_bar = v1_bar
    y_bar = -v1_bar
    return (x_bar, y_bar)

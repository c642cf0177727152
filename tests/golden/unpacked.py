def unpacked_grad(x):
    # x, y, z = x
    x_1 = x[0]
    y = x[1]
    z = x[2]
    # return x**2 + x*y**3 + np.sin(z)
    v5 = y ** 3

    # return x**2 + x*y**3 + np.sin(z)
    z_bar = np.cos(z)
    y_bar = x_1 * 3 * y ** 2
    x_1_bar = v5 + 2.0 * x_1
    # x, y, z = x
    x_bar = np.zeros_like(x)
    x_bar[2] += z_bar
    x_bar[1] += y_bar
    x_bar[0] += x_1_bar
    return x_bar

def indexed_grad(x):
    # return x[0]**2 + 3*x[1]**3
    v1 = x[0]
    v3 = x[1]

    # return x[0]**2 + 3*x[1]**3
    v3_bar = 9.0 * v3 ** 2
    x_bar = np.zeros_like(x)
    x_bar[1] += v3_bar
    v1_bar = 2.0 * v1
    x_bar[0] += v1_bar
    return x_bar

def tanh_grad(x):
    # return np.tanh(x)
    v1 = np.tanh(x)

    # return np.tanh(x)
    x_bar = 1.0 - v1 * v1
    return x_bar

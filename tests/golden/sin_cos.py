def sin_cos_grad(x):
    # return np.sin(x) * np.cos(x)
    v1 = np.sin(x)
    v2 = np.cos(x)

    # return np.sin(x) * np.cos(x)
    x_bar = v1 * -np.sin(x) + v2 * np.cos(x)
    return x_bar

def shifted_product_recurrence_grad(x):
    # y = np.zeros(x.shape[0])
    v1 = x.shape
    v2 = v1[0]
    y = np.zeros(v2)
    # y[0] = x[0]
    v3 = x[0]
    y[0] = v3
    # for i in range(1, x.shape[0]):
    v4 = x.shape
    v5 = v4[0]
    for i in range(1, v5):
        # y[i] = y[i - 1] * 0.5 + x[i] * x[i - 1]
        v6 = i - 1
        v7 = y[v6]
        v8 = v7 * 0.5
        v9 = x[i]
        v10 = i - 1
        v11 = x[v10]
        v12 = v9 * v11
        v13 = v8 + v12
        y[i] = v13

    # return np.sum(y ** 2)
    y_bar = 2.0 * y
    # y[i] = y[i - 1] * 0.5 + x[i] * x[i - 1]
    x_bar = np.zeros_like(x)
    for i in range(v5 - 1, 0, -1):
        # y[i] = y[i - 1] * 0.5 + x[i] * x[i - 1]
        v6 = i - 1
        v9 = x[i]
        v10 = i - 1
        v11 = x[v10]

        # y[i] = y[i - 1] * 0.5 + x[i] * x[i - 1]
        v13_bar = y_bar[i]
        y_bar[i] = 0.0
        v9_bar = v13_bar * v11
        v11_bar = v13_bar * v9
        x_bar[v10] += v11_bar
        x_bar[i] += v9_bar
        v7_bar = v13_bar * 0.5
        y_bar[v6] += v7_bar
    # y[0] = x[0]
    v3_bar = y_bar[0]
    y_bar[0] = 0.0
    x_bar[0] += v3_bar
    return x_bar

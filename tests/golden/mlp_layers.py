def mlp_layers_grad(params_0_0, params_0_1, params_1_0, params_1_1, params_2_0, params_2_1, x):
    # for W, b in params[:-1]:
    W = params_0_0
    b = params_0_1
    # x = np.tanh(x @ W + b)
    v1 = x @ W
    v2 = v1 + b
    x_1 = np.tanh(v2)
    # for W, b in params[:-1]:
    W_1 = params_1_0
    b_1 = params_1_1
    # x = np.tanh(x @ W + b)
    v3 = x_1 @ W_1
    v4 = v3 + b_1
    x_2 = np.tanh(v4)
    # W, b = params[-1]
    W_2 = params_2_0
    b_2 = params_2_1
    # return np.sum(x @ W + b)
    v5 = x_2 @ W_2
    v6 = v5 + b_2

    # return np.sum(x @ W + b)
    v6_bar = np.full_like(v6, 1.0)
    b_2_bar = v6_bar
    x_2_bar = W_2 @ v6_bar
    W_2_bar = np.outer(x_2, v6_bar)
    # W, b = params[-1]
    params_2_1_bar = b_2_bar
    params_2_0_bar = W_2_bar
    # x = np.tanh(x @ W + b)
    v4_bar = x_2_bar * (1.0 - x_2 * x_2)
    b_1_bar = v4_bar
    x_1_bar = W_1 @ v4_bar
    W_1_bar = np.outer(x_1, v4_bar)
    # for W, b in params[:-1]:
    params_1_1_bar = b_1_bar
    params_1_0_bar = W_1_bar
    # x = np.tanh(x @ W + b)
    v2_bar = x_1_bar * (1.0 - x_1 * x_1)
    b_bar = v2_bar
    W_bar = np.outer(x, v2_bar)
    # for W, b in params[:-1]:
    params_0_1_bar = b_bar
    params_0_0_bar = W_bar
    return (params_0_0_bar, params_0_1_bar, params_1_0_bar, params_1_1_bar, params_2_0_bar, params_2_1_bar)

def layer_grad(W, h, b):
    # return np.sum(np.tanh(W @ h + b) ** 2)
    v1 = W @ h
    v2 = v1 + b
    v3 = np.tanh(v2)

    # return np.sum(np.tanh(W @ h + b) ** 2)
    v3_bar = 2.0 * v3
    v2_bar = v3_bar * (1.0 - v3 * v3)
    b_bar = v2_bar
    W_bar = np.outer(v2_bar, h)
    h_bar = W.T @ v2_bar
    return (W_bar, h_bar, b_bar)

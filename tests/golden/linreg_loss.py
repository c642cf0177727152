def linreg_loss_grad(w, b, x, y):
    # predictions = w * x + b
    v1 = w * x
    predictions = v1 + b
    # return np.mean((predictions - y) ** 2)
    v2 = predictions - y
    v3 = v2 ** 2

    # return np.mean((predictions - y) ** 2)
    predictions_bar = 1.0 / v3.size * 2 * v2
    # predictions = w * x + b
    b_bar = np.sum(predictions_bar)
    w_bar = np.sum(predictions_bar * x)
    return (w_bar, b_bar)

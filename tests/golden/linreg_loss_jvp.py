def linreg_loss_jvp(w, b, x, y, w_dot, b_dot, x_dot, y_dot):
    # predictions = w * x + b
    v1 = w * x
    v1_dot = w_dot * x + w * x_dot
    predictions = v1 + b
    predictions_dot = v1_dot + b_dot
    # return np.mean((predictions - y) ** 2)
    v2 = predictions - y
    v2_dot = predictions_dot - y_dot
    v3 = v2 ** 2
    v3_dot = 2 * v2 * v2_dot
    v4 = np.mean(v3)
    v4_dot = np.mean(v3_dot)
    return (v4, v4_dot)

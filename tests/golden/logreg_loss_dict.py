def predict(W, b, inputs):
    # return sigmoid(np.dot(inputs, W) + b)
    v1 = np.dot(inputs, W)
    v2 = v1 + b
    v3 = sigmoid(v2)
    return v3


def predict_vjp_wrt_W_b(W, b, inputs, out_bar):
    # return sigmoid(np.dot(inputs, W) + b)
    v1 = np.dot(inputs, W)
    v2 = v1 + b

    # return sigmoid(np.dot(inputs, W) + b)
    v2_bar = sigmoid_vjp(v2, out_bar)
    b_bar = np.sum(v2_bar)
    W_bar = inputs.T @ v2_bar
    return (W_bar, b_bar)


def sigmoid(x):
    # return 0.5 * (np.tanh(x / 2) + 1)
    v1 = x / 2
    v2 = np.tanh(v1)
    v3 = v2 + 1
    v4 = 0.5 * v3
    return v4


def sigmoid_vjp(x, out_bar):
    # return 0.5 * (np.tanh(x / 2) + 1)
    v1 = x / 2
    v2 = np.tanh(v1)

    # return 0.5 * (np.tanh(x / 2) + 1)
    v3_bar = out_bar * 0.5
    v1_bar = v3_bar * (1.0 - v2 * v2)
    x_bar = v1_bar / 2
    return x_bar


def logreg_loss_dict_grad(params_W, params_b, inputs, targets):
    # preds = predict(params["W"], params["b"], inputs)
    preds = predict(params_W, params_b, inputs)
    # label_probs = preds * targets + (1 - preds) * (1 - targets)
    v1 = preds * targets
    v2 = 1 - preds
    v3 = 1 - targets
    v4 = v2 * v3
    label_probs = v1 + v4
    # return -np.sum(np.log(label_probs))
    v5 = np.log(label_probs)

    # return -np.sum(np.log(label_probs))
    v5_bar = np.full_like(v5, -1.0)
    label_probs_bar = v5_bar / label_probs
    # label_probs = preds * targets + (1 - preds) * (1 - targets)
    v2_bar = label_probs_bar * v3
    preds_bar = -v2_bar + label_probs_bar * targets
    # preds = predict(params["W"], params["b"], inputs)
    params_W_bar, params_b_bar = predict_vjp_wrt_W_b(params_W, params_b, inputs, preds_bar)
    return (params_W_bar, params_b_bar)

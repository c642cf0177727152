def logreg_loss_grad(W, b, inputs, targets):
    # predict: return sigmoid(np.dot(inputs, W) + b)
    v1 = np.dot(inputs, W)
    v2 = v1 + b
    # sigmoid: return 0.5 * (np.tanh(x / 2) + 1)
    v3 = v2 / 2
    v4 = np.tanh(v3)
    v5 = v4 + 1
    preds = 0.5 * v5
    # label_probs = preds * targets + (1 - preds) * (1 - targets)
    v7 = preds * targets
    v8 = 1 - preds
    v9 = 1 - targets
    v10 = v8 * v9
    label_probs = v7 + v10
    # return -np.sum(np.log(label_probs))
    v11 = np.log(label_probs)

    # return -np.sum(np.log(label_probs))
    v11_bar = np.full_like(v11, -1.0)
    label_probs_bar = v11_bar * (1.0 / label_probs)
    # label_probs = preds * targets + (1 - preds) * (1 - targets)
    v8_bar = label_probs_bar * v9
    preds_bar = -v8_bar + label_probs_bar * targets
    # sigmoid: return 0.5 * (np.tanh(x / 2) + 1)
    v5_bar = preds_bar * 0.5
    v3_bar = v5_bar * (1.0 - v4 * v4)
    v2_bar = v3_bar / 2
    # predict: return sigmoid(np.dot(inputs, W) + b)
    b_bar = np.sum(v2_bar)
    W_bar = inputs.T @ v2_bar
    return (W_bar, b_bar)

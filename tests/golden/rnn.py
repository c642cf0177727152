def rnn_grad(W, b, h, k):
    h_tape = np.empty((k, h.shape[0]))
    # for t in range(k):
    for t in range(k):
        # h = np.tanh(W @ h + b)
        v1 = W @ h
        v2 = v1 + b
        h_tape[t] = h
        h = np.tanh(v2)

    # return np.sum(h ** 2)
    h_bar = 2.0 * h
    # h = np.tanh(W @ h + b)
    W_bar = np.zeros_like(W)
    b_bar = np.zeros_like(b)
    v2_bar_tape = np.empty((k, W_bar.shape[0]))
    for t in range(k - 1, -1, -1):
        # h = np.tanh(W @ h + b)
        v2_bar = h_bar * (1.0 - h * h)
        h = h_tape[t]
        b_bar += v2_bar
        v2_bar_tape[t] = v2_bar
        h_bar = W.T @ v2_bar
    W_bar += v2_bar_tape.T @ h_tape
    return (W_bar, b_bar, h_bar)

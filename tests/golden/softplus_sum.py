def softplus_sum_grad(x):
    # return np.sum(np.log1p(np.exp(x)))
    v1 = np.exp(x)
    v2 = np.log1p(v1)

    # return np.sum(np.log1p(np.exp(x)))
    v2_bar = np.full_like(v2, 1.0)
    v1_bar = v2_bar / (1.0 + v1)
    x_bar = v1_bar * v1
    return x_bar

def recursive_sum(x, n):
    # if n <= 0:
    v1 = n <= 0
    if v1:
        # return np.sin(x)
        result = np.sin(x)
    else:
        # return x * 0.5 + recursive_sum(x * 0.9, n - 1)
        v2 = x * 0.5
        v3 = x * 0.9
        v4 = n - 1
        v5 = recursive_sum(v3, v4)
        result = v2 + v5
    # return x * 0.5 + recursive_sum(x * 0.9, n - 1)
    return result


def recursive_sum_vjp(x, n, out_bar):
    # if n <= 0:
    v1 = n <= 0
    if v1:
        pass
    else:
        # return x * 0.5 + recursive_sum(x * 0.9, n - 1)
        v3 = x * 0.9
        v4 = n - 1

    # return x * 0.5 + recursive_sum(x * 0.9, n - 1)
    result_bar = out_bar
    if v1:
        # return np.sin(x)
        x_bar = result_bar * np.cos(x)
    else:
        # return x * 0.5 + recursive_sum(x * 0.9, n - 1)
        v3_bar = recursive_sum_vjp(v3, v4, result_bar)
        x_bar = v3_bar * 0.9 + result_bar * 0.5
    return x_bar


def recursive_helper_in_expression_grad(x, k):
    # return recursive_sum(x, k) * x
    v1 = recursive_sum(x, k)

    # return recursive_sum(x, k) * x
    v3 = recursive_sum_vjp(x, k, x)
    x_bar = v1 + v3
    return x_bar

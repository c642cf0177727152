def square(t):
    # return t * t
    v1 = t * t
    return v1


def square_vjp(t, out_bar):
    # return t * t
    t_bar = 2 * (out_bar * t)
    return t_bar


def calls_module_helper_grad(x):
    # return square(x) + square(np.sin(x))
    v2 = np.sin(x)

    # return square(x) + square(np.sin(x))
    v2_bar = square_vjp(v2, 1.0)
    v5 = square_vjp(x, 1.0)
    x_bar = v2_bar * np.cos(x) + v5
    return x_bar

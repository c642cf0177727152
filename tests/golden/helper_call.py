def calls_module_helper_grad(x):
    # return square(x) + square(np.sin(x))
    v2 = np.sin(x)

    # square: return t * t
    v2_bar = v2 + v2
    x_bar = v2_bar * np.cos(x) + x + x
    return x_bar

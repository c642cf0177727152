def power_both_jvp(x, y, x_dot, y_dot):
    # return x ** y
    v1 = x ** y
    v1_dot = y * x ** (y - 1) * x_dot + v1 * np.log(x) * y_dot
    return (v1, v1_dot)

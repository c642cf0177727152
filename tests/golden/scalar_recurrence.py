def scalar_recurrence_grad(x, a, n):
    v2_tape = np.empty(n)
    x_tape = np.empty(n)
    # for _ in range(n):
    for _ in range(n):
        # x = x + dt * np.sin(x) * a
        v1 = np.sin(x)
        v2 = 0.1 * v1
        v2_tape[_] = v2
        v3 = v2 * a
        x_tape[_] = x
        x = x + v3

    # return x
    x_bar = 1.0
    # x = x + dt * np.sin(x) * a
    a_bar = 0.0
    for _ in range(n - 1, -1, -1):
        v2 = v2_tape[_]
        # x = x + dt * np.sin(x) * a
        x = x_tape[_]
        v2_bar = x_bar * a
        a_bar += x_bar * v2
        v1_bar = v2_bar * 0.1
        x_bar = x_bar + v1_bar * np.cos(x)
    return (x_bar, a_bar)

def break_in_loop_grad(x, n):
    # s = x
    s = x
    # for i in range(n):
    broke = False
    v1_tape = np.empty(n, np.bool_)
    for i in range(n):
        # s = s * 1.5
        v1 = not broke
        v1_tape[i] = v1
        if v1:
            # s = s * 1.5
            s = s * 1.5
            # if s > 3.0:
            v3 = s > 3.0
            if v3:
                # break
                broke = True

    # return s
    s_bar = 1.0
    # s = s * 1.5
    for i in range(n - 1, -1, -1):
        v1 = v1_tape[i]
        # s = s * 1.5
        if v1:
            # s = s * 1.5
            s_bar = s_bar * 1.5
    # s = x
    x_bar = s_bar
    return x_bar

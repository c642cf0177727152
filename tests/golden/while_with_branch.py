def while_with_branch_grad(x):
    v2_stack = []
    # y = x
    y = x
    # while y < 20.0:
    v1 = y < 20.0
    trips1 = 0
    while v1:
        # while y < 20.0:
        trips1 += 1
        # if y < 5.0:
        v2 = y < 5.0
        v2_stack.append(v2)
        if v2:
            # y = y * 2.0
            y = y * 2.0
        else:
            # y = y + x
            y = y + x
        # while y < 20.0:
        v1 = y < 20.0

    # return y
    y_bar = 1.0
    # while y < 20.0:
    x_bar = 0.0
    for _ in range(trips1):
        v2 = v2_stack.pop()
        # y = y + x
        if v2:
            # y = y * 2.0
            y_bar = y_bar * 2.0
        else:
            # y = y + x
            x_bar += y_bar
    # y = x
    x_bar += y_bar
    return x_bar

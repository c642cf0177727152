def scalar_recurrence_jvp(x, a, n, x_dot, a_dot):
    for _ in range(n):
        # x = x + dt * np.sin(x) * a
        v1 = np.sin(x)
        v1_dot = x_dot * np.cos(x)
        v2 = 0.1 * v1
        v2_dot = 0.1 * v1_dot
        v3 = v2 * a
        v3_dot = v2_dot * a + v2 * a_dot
        x = x + v3
        x_dot = x_dot + v3_dot
    return (x, x_dot)

def sum_of_squares_grad(arr):
    # return np.sum(arr**2)
    arr_bar = 2.0 * arr
    return arr_bar

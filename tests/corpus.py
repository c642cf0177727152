"""A corpus of small functions with control flow, helpers, in-place writes and containers.

Each function is registered with the kinds of its arguments:
  s  scalar in (-1, 1)          p  positive scalar in (0.5, 1.5)
  v  vector of 4 in (-1, 1)     w  positive vector of 4 in (0.5, 1.5)
  u  vector of 3 in (-1, 1)     m  3x3 matrix in (-1, 1)
  n  the int 5                  k  the int 3
Float arguments are differentiated; ints are loop counts and indices.
"""
import math

import numpy as np

CORPUS = []


def case(*kinds):
    def register(fn):
        CORPUS.append((fn, kinds))
        return fn
    return register


# -- if / elif / else, conditional expressions, comparisons ----------------------------

@case("s")
def if_else(x):
    if x > 0:
        y = x ** 2
    else:
        y = -x * 3.0
    return y


@case("s")
def if_elif_else(x):
    if x > 0.5:
        return x ** 3
    elif x > -0.5:
        return np.sin(x)
    else:
        return x * 2.0


@case("s", "s")
def if_without_else(x, y):
    z = x * y
    if x > y:
        z = z * x
    return z


@case("s")
def conditional_expression(x):
    return x ** 2 if x > 0 else x * 0.5


@case("s", "p")
def chained_comparison(x, y):
    if -2.0 < x < y:
        return x * y
    return x + y


@case("s", "s")
def boolean_operators(x, y):
    if x > -2.0 and (y < 5.0 or x > 10.0):
        return x * y + 1.0
    return x


@case("s")
def not_operator(x):
    if not x > 10.0:
        x = x * 3.0
    return x


@case("v")
def if_on_array_element(x):
    if x[0] > x[1]:
        return np.sum(x ** 2)
    return np.sum(np.sin(x))


@case("s", "s")
def nested_ifs(x, y):
    if x > -5:
        if y > -5:
            z = x * y
        else:
            z = x
    else:
        z = y
    return z * 2.0


@case("s")
def branch_defines_variable_used_after(x):
    if x > -10:
        a = np.exp(x)
        b = x * 2.0
    else:
        a = x
        b = 1.0
    return a * b


# -- for over range -------------------------------------------------------------------

@case("s", "n")
def for_range(x, n):
    for i in range(n):
        x = x * 0.9 + 0.1
    return x


@case("s", "n")
def for_range_uses_index(x, n):
    s = 0.0
    for i in range(n):
        s = s + x ** 2 * i
    return s


@case("s")
def for_range_start_stop(x):
    s = x
    for i in range(2, 6):
        s = s * 0.5 + np.sin(s) * i
    return s


@case("s")
def for_range_step(x):
    s = x
    for i in range(1, 10, 3):
        s = s + x * i
    return s


@case("s")
def for_range_negative_step(x):
    s = x
    for i in range(8, 0, -2):
        s = np.cos(s) + x / i
    return s


@case("s", "n")
def for_range_variable_bounds(x, n):
    s = x
    for i in range(n - 2, n + 1):
        s = s * x + i
    return s


@case("v")
def for_over_array(x):
    s = 0.0
    for v in x:
        s = s + v ** 3
    return s


@case("v")
def for_enumerate(x):
    s = 0.0
    for i, v in enumerate(x):
        s = s + v * i
    return s


@case("v", "w")
def for_zip(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + a * b
    return s


@case("m")
def for_over_matrix_rows(m):
    s = 0.0
    for row in m:
        s = s + np.sum(row ** 2)
    return s


@case("v")
def for_over_len(x):
    s = 0.0
    for i in range(len(x)):
        s = s + x[i] * x[i]
    return s


@case("v")
def for_over_shape(x):
    s = 1.0
    for i in range(x.shape[0]):
        s = s * (1.0 + x[i] * 0.1)
    return s


# -- while ------------------------------------------------------------------------------

@case("p")
def while_unknown_trips(x):
    y = x
    while y < 10.0:
        y = y * 1.7
    return y


@case("p")
def while_counter(x):
    i = 0
    s = x
    while i < 4:
        s = s * x
        i = i + 1
    return s


@case("p")
def while_with_branch(x):
    y = x
    while y < 20.0:
        if y < 5.0:
            y = y * 2.0
        else:
            y = y + x
    return y


@case("p", "p")
def while_two_conditions(x, y):
    i = 0
    while x < 8.0 and i < 10:
        x = x * y + 0.5
        i += 1
    return x


# -- break, continue, early return ---------------------------------------------------------

@case("p", "n")
def break_in_loop(x, n):
    s = x
    for i in range(n):
        s = s * 1.5
        if s > 3.0:
            break
    return s


@case("p")
def break_in_while(x):
    s = x
    while True:
        s = s * 2.0 + 0.1
        if s > 12.0:
            break
    return s


@case("v")
def continue_in_loop(x):
    s = 0.0
    for i in range(4):
        if i == 2:
            continue
        s = s + x[i] ** 2
    return s


@case("s", "n")
def continue_and_break(x, n):
    s = x
    for i in range(n):
        if i % 2 == 0:
            continue
        s = s * x + 1.0
        if i > 3:
            break
    return s


@case("p")
def early_return_in_loop(x):
    s = x
    for i in range(10):
        s = s * 1.3
        if s > 2.0:
            return s * x
    return s


@case("s")
def early_return_outside_loop(x):
    if x > 0.5:
        return x * 3.0
    y = x ** 2
    return y + x


@case("p")
def early_return_in_while(x):
    while x < 100.0:
        x = x * 3.0
        if x > 10.0:
            return np.sqrt(x)
    return x


# -- nested loops -----------------------------------------------------------------------------

@case("s", "k")
def nested_loops(x, k):
    s = x
    for i in range(k):
        for j in range(k):
            s = s * 0.9 + x * i * j * 0.01
    return s


@case("s", "k")
def triple_nested_loops(x, k):
    s = 0.0
    for i in range(k):
        for j in range(i):
            for l in range(j + 1):
                s = s + np.sin(x * (i + j + l))
    return s


@case("m")
def nested_loops_over_matrix(m):
    s = 0.0
    for i in range(3):
        for j in range(3):
            s = s + m[i, j] * m[j, i]
    return s


@case("p", "k")
def while_inside_for(x, k):
    s = x
    for i in range(k):
        j = 0
        while j < i:
            s = s * 1.1
            j = j + 1
    return s


@case("s", "k")
def if_in_loop_in_if(x, k):
    s = x
    if x > -10:
        for i in range(k):
            if i % 2 == 0:
                s = s * x
            else:
                s = s + 1.0
    return s


@case("s", "k")
def loop_in_branch_in_loop(x, k):
    s = x
    for i in range(k):
        if s > -100:
            for j in range(2):
                s = s * 0.5 + x
    return s


# -- recurrences: the benchmark shapes -------------------------------------------------------------

@case("p", "p", "n")
def scalar_recurrence(x, a, n):
    dt = 0.1
    for _ in range(n):
        x = x + dt * np.sin(x) * a
    return x


@case("m", "u", "u", "k")
def rnn(W, b, h, k):
    for t in range(k):
        h = np.tanh(W @ h + b)
    return np.sum(h ** 2)


@case("v")
def shifted_product_recurrence(x):
    y = np.zeros(x.shape[0])
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = y[i - 1] * 0.5 + x[i] * x[i - 1]
    return np.sum(y ** 2)


@case("s", "n")
def fibonacci_like(x, n):
    a, b = x, 1.0
    for i in range(n):
        a, b = b, a + b * x
    return a


# -- assignments: augmented, rebinding, in-place -----------------------------------------------------

@case("s", "s")
def augmented_assignments(x, y):
    z = x
    z += y
    z *= x
    z -= 0.5 * y
    z /= 2.0 + y ** 2
    return z


@case("s")
def rebind_argument(x):
    x = x * 2.0
    x = np.sin(x) + x
    return x * x


@case("s", "n")
def rebind_argument_in_loop(x, n):
    for i in range(n):
        x = np.tanh(x) + 0.1
    return x


@case("v")
def write_into_created_array(x):
    y = np.zeros(4)
    for i in range(4):
        y[i] = x[i] ** 2
    return np.sum(y * x)


@case("v")
def write_into_argument(x):
    x[0] = x[1] * x[2]
    return np.sum(x ** 2)


@case("v")
def augmented_write_into_element(x):
    y = np.zeros(4)
    for i in range(4):
        y[i] += x[i] * 2.0
        y[i] += x[i] ** 2
    return np.sum(y)


@case("m", "v")
def write_matrix_row(m, v):
    out = np.zeros((3, 4))
    for i in range(3):
        out[i, :] = v * m[i, 0]
    return np.sum(out ** 2)


@case("v")
def write_slice(x):
    y = np.zeros(4)
    y[1:3] = x[0:2] * 3.0
    y[0] = x[3]
    return np.sum(y * y)


@case("v")
def overwrite_element_twice(x):
    y = np.ones(4)
    y[1] = x[0] * 2.0
    s = np.sum(y * x)
    y[1] = x[1] ** 3
    return s + np.sum(y)


@case("v")
def read_after_write_in_loop(x):
    y = np.copy(x)
    for i in range(1, 4):
        y[i] = y[i] * y[i - 1]
    return np.sum(y)


@case("v")
def argument_not_modified(x):
    x[0] = 5.0
    return np.sum(x * x)


# -- helpers ---------------------------------------------------------------------------------------------

def square(t):
    return t * t


def poly(t, a=2.0, b=1.0):
    return a * t ** 2 + b * t


def scaled_square(t):
    return 3.0 * square(t)


def helper_with_loop(t, n):
    for i in range(n):
        t = t * 0.5 + 1.0
    return t


def helper_with_branch(t):
    if t > 0:
        return t ** 2
    return -t


def pair_of(t):
    return t * 2.0, t ** 2


@case("s")
def calls_module_helper(x):
    return square(x) + square(np.sin(x))


@case("s")
def calls_helper_with_defaults(x):
    return poly(x) + poly(x, 3.0) + poly(x, b=0.5)


@case("s")
def calls_helper_with_literal_argument(x):
    return poly(2.0, x) + square(3.0) * x


@case("s")
def helper_calls_helper(x):
    return scaled_square(x) * x


@case("s", "n")
def calls_helper_with_loop(x, n):
    return helper_with_loop(x, n) ** 2


@case("s")
def calls_helper_with_branch(x):
    return helper_with_branch(x) + helper_with_branch(-x)


@case("s")
def helper_returns_tuple(x):
    a, b = pair_of(x)
    return a * b


@case("s", "n")
def calls_helper_in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + square(x + i)
    return s


@case("s")
def nested_def(x):
    def inner(t):
        return np.exp(t) * 2.0
    return inner(x) + inner(x * x)


@case("s", "s")
def closure_over_local(x, y):
    scale = y * 2.0

    def scaled(t):
        return t * scale
    return scaled(x) ** 2


@case("s")
def lambda_bound_to_name(x):
    f = lambda t: t ** 3 + 1.0  # noqa: E731
    return f(x) * f(2.0 * x)


@case("v")
def helper_on_arrays(x):
    return np.sum(square(x) * poly(x))


# -- methods and attributes ----------------------------------------------------------------------------

@case("v")
def method_sum(x):
    return (x ** 2).sum()


@case("m")
def method_mean(x):
    return (x * x).mean()


@case("v", "v")
def method_dot(x, y):
    return x.dot(y) * 2.0


@case("m")
def transpose_attribute(x):
    return np.sum(x.T @ x)


@case("m")
def method_reshape(x):
    y = x.reshape(9)
    return np.sum(y[1:5] ** 2)


@case("m")
def method_reshape_tuple(x):
    y = x.reshape((1, 9))
    return np.sum(y * y)


@case("v")
def shape_and_ndim(x):
    return np.sum(x) * x.shape[0] + x.ndim * np.sum(x ** 2)


@case("v")
def length(x):
    return np.sum(x) / len(x)


@case("v")
def method_copy(x):
    y = x.copy()
    y[0] = 0.0
    return np.sum(y * x)


@case("v")
def method_astype(x):
    return np.sum(x.astype(float) ** 2)


@case("m")
def method_ravel(x):
    return np.sum(x.ravel() * np.arange(9))


# -- containers ---------------------------------------------------------------------------------------------

@case("s", "s")
def tuple_build_and_index(x, y):
    t = (x, y, x * y)
    return t[0] * t[2] + t[1]


@case("s", "s")
def list_build_and_sum(x, y):
    values = [x, y ** 2, np.sin(x)]
    return sum(values)


@case("s")
def tuple_unpack_swap(x):
    a, b = x, x ** 2
    a, b = b, a
    return a * 3.0 + b


@case("s", "s")
def tuple_argument(x, y):
    return sum_pair((x, y))


def sum_pair(pair):
    return pair[0] * 2.0 + pair[1] ** 2


# -- scalars, math module, mixed kinds ---------------------------------------------------------------------------

@case("p")
def math_module(x):
    return math.exp(x) * math.log(x) + math.sqrt(x)


@case("s", "v")
def scalar_times_vector(a, x):
    return np.sum(a * x + a ** 2)


@case("m", "v")
def broadcast_row(m, v):
    return np.sum((m + v[:3]) ** 2)


@case("s")
def constant_function_part(x):
    c = 3.0
    for i in range(3):
        c = c * 2.0
    return c * x


@case("s", "n")
def loop_with_integer_arithmetic(x, n):
    s = x
    for i in range(n):
        j = (i * 3) % 4
        s = s + x * j
    return s


@case("v")
def running_max_loop(x):
    best = x[0]
    for i in range(1, 4):
        if x[i] > best:
            best = x[i]
    return best * 2.0


@case("v")
def softmax_cross_entropy(x):
    e = np.exp(x - x[0])
    p = e / np.sum(e)
    return -np.log(p[2])


@case("v", "v")
def gradient_descent_steps(x, t):
    for i in range(3):
        g = 2.0 * (x - t)
        x = x - 0.1 * g
    return np.sum((x - t) ** 2)


@case("p", "n")
def newton_sqrt(a, n):
    x = a
    for i in range(n):
        x = 0.5 * (x + a / x)
    return x


@case("s", "n")
def horner(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + (i + 1)
    return s


@case("v")
def cumulative_sum_loop(x):
    c = np.zeros(4)
    c[0] = x[0]
    for i in range(1, 4):
        c[i] = c[i - 1] + x[i]
    return np.sum(c ** 2)


@case("m", "u")
def matrix_power_iteration(m, v):
    for i in range(3):
        v = m @ v
        v = v / np.sqrt(np.sum(v ** 2))
    return np.sum(v * (m @ v))


# -- more shapes of the same ideas -------------------------------------------------------------

@case("s", "n")
def loop_accumulates_list_of_powers(x, n):
    total = 0.0
    power = 1.0
    for i in range(n):
        power = power * x
        total = total + power / (i + 1)
    return total


@case("v", "n")
def loop_over_vector_power(x, n):
    y = x
    for i in range(n):
        y = y * 0.5 + np.sin(y)
    return np.sum(y)


@case("m", "k")
def loop_matrix_updates(m, k):
    a = m
    for i in range(k):
        a = a @ m * 0.5
    return np.sum(a)


@case("v", "k")
def loop_writes_then_reads(x, k):
    y = np.zeros(4)
    for j in range(k):
        for i in range(4):
            y[i] = y[i] * 0.5 + x[i] * (j + 1)
    return np.sum(y ** 2)


@case("s", "s", "n")
def two_carried_variables(x, y, n):
    for i in range(n):
        x, y = 0.9 * x - 0.1 * y, 0.1 * x + 0.9 * y
    return x * y


@case("p", "n")
def loop_with_division(x, n):
    s = x
    for i in range(n):
        s = 1.0 / (1.0 + s)
    return s


@case("s")
def branch_on_constant_condition(x):
    flag = True
    if flag:
        y = x * 2.0
    else:
        y = x * 3.0
    return y


@case("s", "n")
def branch_on_loop_index(x, n):
    s = x
    for i in range(n):
        if i < 2:
            s = s * x
        elif i == 2:
            s = s + x
        else:
            s = np.sin(s)
    return s


@case("p")
def while_halving(x):
    y = x * 100.0
    count = 0
    while y > 1.0:
        y = y / 2.0
        count = count + 1
    return y * count


@case("v")
def while_over_index(x):
    i = 0
    s = 0.0
    while i < 4:
        s = s + x[i] * x[3 - i]
        i += 1
    return s


@case("s")
def return_from_nested_branches(x):
    if x > 0:
        if x > 0.5:
            return x * 4.0
        return x * 2.0
    return -x


@case("p", "n")
def break_from_nested_loop(x, n):
    s = x
    for i in range(n):
        for j in range(n):
            s = s * 1.1
            if s > 2.0:
                break
    return s


@case("v")
def continue_in_while(x):
    i = 0
    s = 0.0
    while i < 4:
        i = i + 1
        if i == 2:
            continue
        s = s + x[i - 1] ** 2
    return s


@case("s", "k")
def conditional_expression_in_loop(x, k):
    s = x
    for i in range(k):
        s = s * 2.0 if s < 1.0 else s * 0.5
    return s


@case("v")
def abs_and_maximum_by_branch(x):
    s = 0.0
    for v in x:
        s = s + (v if v > 0 else -v)
    return s


def factorial_power(x, n):
    if n == 0:
        return 1.0
    return x * factorial_power(x, n - 1)


def recursive_sum(x, n):
    if n <= 0:
        return np.sin(x)
    return x * 0.5 + recursive_sum(x * 0.9, n - 1)


@case("s", "n")
def recursive_helper(x, n):
    return factorial_power(x, n)


@case("s", "k")
def recursive_helper_in_expression(x, k):
    return recursive_sum(x, k) * x


@case("m", "u")
def matrix_vector_loop(m, v):
    s = 0.0
    for i in range(3):
        s = s + np.dot(m[i], v) ** 2
    return s


@case("m")
def matrix_column_loop(m):
    s = 0.0
    for j in range(3):
        col = m[:, j]
        s = s + np.sum(col * col) * j
    return s


@case("u", "u")
def outer_product_loop(a, b):
    out = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            out[i, j] = a[i] * b[j]
    return np.sum(out * out)


@case("s")
def local_variables_in_branches(x):
    if x > -5:
        t = np.exp(x)
        u = t * t
    else:
        u = x
    return u + 1.0


@case("v")
def slice_reads_in_loop(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(x[i:i + 2] ** 2)
    return s


@case("v")
def negative_indexing(x):
    return x[-1] * x[-2] + np.sum(x[::-1] * x)


@case("s", "s")
def keyword_helper_call(x, y):
    return poly(t=x, a=y)


@case("s")
def helper_in_branch(x):
    if x > 0:
        y = square(x)
    else:
        y = scaled_square(x)
    return y


@case("s", "n")
def helper_with_loop_in_loop(x, n):
    s = x
    for i in range(2):
        s = helper_with_loop(s, n) * 0.5
    return s


@case("v")
def tuple_of_arrays(x):
    pair = (x * 2.0, x ** 2)
    return np.sum(pair[0] * pair[1])


@case("s")
def nested_lambda_closure(x):
    k = x * 3.0
    g = lambda t: t * k  # noqa: E731
    return g(x) + g(1.0)


@case("s", "s")
def loop_over_tuple_of_values(x, y):
    s = 0.0
    for v in (x, y * 2.0, x * y):
        s = s + v ** 2
    return s


WEIGHTS = np.array([0.5, -1.0, 2.0, 0.25])
DECAY = 0.8


def weighted(t):
    return np.sum(WEIGHTS * np.sin(t))


def decaying_power(x, n):
    if n == 0:
        return 1.0
    return DECAY * x * decaying_power(x, n - 1)


@case("v")
def helper_reads_globals(x):
    return weighted(x) * weighted(x * x)


@case("s", "k")
def recursive_helper_reads_a_global(x, k):
    return decaying_power(x, k) + x


@case("s")
def helper_result_indexed(x):
    return pair_of(x)[1] * 3.0 + pair_of(x)[0]


@case("s")
def helper_result_named(x):
    p = pair_of(np.sin(x))
    return p[0] * p[1]

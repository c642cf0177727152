"""What the forward sweep keeps for the backward sweep, and the copies the backward sweep
makes: each test checks the generated source and the gradient against finite differences."""
import re

import numpy as np

import tangent_ad as ta
from conftest import check_grad
from tangent_ad.kinds import OTHER, Kind, Operand, kinds_of_values, shape_of
from tangent_ad.rules import kinds_of_results


def sum_of_squared_rows(x, w):
    n, d = x.shape
    k = w.shape[0]
    out = np.zeros((n, k))
    for j in range(k):
        z = x * w[j]
        out[:, j] = np.sum(z * z, axis=1)
    return np.sum(np.tanh(out))


def test_a_value_read_only_for_its_shape_is_not_taped(backend):
    x = np.random.default_rng(0).standard_normal((5, 3))
    w = np.random.default_rng(1).standard_normal((4, 3))
    check_grad(sum_of_squared_rows, (x, w), argnums=(0, 1), backend=backend)
    source = ta.source(ta.grad(sum_of_squared_rows, argnums=(0, 1)), x, w)
    # `z * z` is read back only for its shape, which `z` has too; `out[:, j]` is known
    # to have the shape of the sum, (n,) from x.shape: neither is taped. `z` is (an
    # array that arithmetic makes: keeping it costs less than computing it again).
    assert re.findall(r"(\w+)_stack = \[\]", source) == ["z"]
    assert re.search(r"expand_to\(\w+, z, 1\)", source)
    assert "np.copy(out_bar[:, j])" in source and "unbroadcast(np.copy" not in source


def fill_lower(q, l):
    d = q.shape[0]
    m = np.diag(np.exp(q))
    idx = 0
    for j in range(d):
        for i in range(j + 1, d):
            m[i, j] = l[idx]
            idx += 1
    return np.sum(np.sin(m.T) * np.arange(d))


def test_an_adjoint_written_by_element_in_a_loop_is_copied_once_before_it(backend):
    q, l = np.array([0.1, -0.3, 0.2]), np.array([0.5, -0.4, 0.7])
    check_grad(fill_lower, (q, l), argnums=(0, 1), backend=backend)
    source = ta.source(ta.grad(fill_lower, argnums=(0, 1)), q, l)
    loop = source[source.index("for j in range(d - 1"):]
    assert "m_bar.copy()" not in loop and "np.copy(m_bar)" not in loop


def test_the_integers_of_a_shape_know_their_dimensions():
    x = kinds_of_values([np.zeros((4, 3))])[0]
    n, d = shape_of(x).items
    assert (n.size, d.size) == ("d0", "d1")

    pair = Operand(OTHER, elements=[Operand(n), Operand(d)])  # the analysis' `(n, d)`
    assert kinds_of_results.from_shape(pair).shape == ("d0", "d1")
    assert kinds_of_results.from_shape(Operand(shape_of(x))) == Kind(2, ("d0", "d1"), "f")


def centered_norms(x, mu, L):
    z = (x - mu) @ L
    return np.sum(z * z)


def test_the_rows_of_a_product_are_summed_before_it(backend):
    rng = np.random.default_rng(2)
    x, mu, L = rng.standard_normal((7, 3)), rng.standard_normal(3), rng.standard_normal((3, 3))
    check_grad(centered_norms, (x, mu, L), argnums=(1, 2), backend=backend)
    source = ta.source(ta.grad(centered_norms, argnums=(1, 2)), x, mu, L)
    # mu's adjoint sums the rows of z_bar @ L.T: a vector times L.T, not a matrix product
    assert re.search(r"mu_bar = -\(np.sum\(z_bar, axis=0\) @ \w+.T\)", source)
    assert "unbroadcast" not in source


def test_a_product_read_twice_is_kept_and_summed_after(backend):
    rng = np.random.default_rng(3)
    x, mu, L = rng.standard_normal((7, 3)), rng.standard_normal(3), rng.standard_normal((3, 3))
    check_grad(centered_norms, (x, mu, L), argnums=(0, 1, 2), backend=backend)
    source = ta.source(ta.grad(centered_norms, argnums=(0, 1, 2)), x, mu, L)
    assert "unbroadcast(" in source  # x's adjoint reads the product too


def rnn_with_inputs(W, U, h, xs):
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
    return np.sum(h * h)


def test_a_loop_of_outer_products_is_one_matrix_product_after_it(backend):
    rng = np.random.default_rng(4)
    W, U = 0.5 * rng.standard_normal((3, 3)), rng.standard_normal((3, 2))
    h, xs = rng.standard_normal(3), rng.standard_normal((5, 2))
    check_grad(rnn_with_inputs, (W, U, h, xs), argnums=(0, 1), backend=backend)
    source = ta.source(ta.grad(rnn_with_inputs, argnums=(0, 1)), W, U, h, xs)
    # h comes back from its array tape: W's outer products become one product; the
    # rows of xs are read, not restored, so U's stay updates in the loop
    assert re.search(r"\n    W_bar \+= \w+_tape.T @ h_tape\n", source)
    assert re.search(r"\n        add_outer\(U_bar, \w+, \w+\)\n", source)

"""jacfwd, jacrev, jacobian and hessian, shaped like JAX's."""
import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close

E0, E1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])


def seed_pair(x):
    x, y = x
    return x**2 + y**2, x**2 + x*y


def seed_vector(x):
    x, y = x
    return (x**2 + y**2) * E0 + (x**2 + x*y) * E1


def seed_array(x):
    x, y = x
    return np.array([x**2 + y**2, x**2 + x*y])


XY = np.array([2.0, 3.0])
SEED = [[4.0, 6.0], [7.0, 2.0]]


@pytest.mark.parametrize("make", [ta.jacobian, ta.jacfwd, ta.jacrev],
                         ids=["jacobian", "jacfwd", "jacrev"])
def test_seed_jacobian(make, backend):
    np.testing.assert_allclose(make(seed_vector, backend=backend)(XY), SEED)
    np.testing.assert_allclose(np.array(make(seed_pair, backend=backend)(XY)), SEED)


def test_seed_jacobian_of_np_array():
    np.testing.assert_allclose(ta.jacobian(seed_array)(XY), SEED)


def matrix_in(W):
    return np.tanh(W.T @ W)


@pytest.mark.parametrize("args, shape", [
    ((np.arange(6.0).reshape(2, 3) / 10,), (3, 3, 2, 3)),
    ((0.7,), None),
])
def test_forward_and_reverse_agree_on_shapes(args, shape):
    fun = matrix_in if shape else np.sin
    forward = ta.jacfwd(fun, backend="python")(*args)
    reverse = ta.jacrev(fun, backend="python")(*args)
    assert np.shape(forward) == np.shape(reverse) == (shape or ())
    np.testing.assert_allclose(forward, reverse, atol=1e-12)


def scalar_to_vector(t):
    return np.sin(t * E0) + t * E1


def test_scalar_input_and_vector_output():
    np.testing.assert_allclose(ta.jacfwd(scalar_to_vector, backend="python")(0.5),
                               [np.cos(0.5), 1.0])
    np.testing.assert_allclose(ta.jacrev(scalar_to_vector, backend="python")(0.5),
                               [np.cos(0.5), 1.0])


def predict(params, x):
    return np.tanh(params["W"] @ x + params["b"])


PARAMS = {"W": np.array([[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]]), "b": np.array([0.1, -0.1])}
X3 = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("make", [ta.jacfwd, ta.jacrev], ids=["jacfwd", "jacrev"])
def test_dict_argument_gives_dict_shaped_jacobian(make):
    J = make(predict, backend="python")(PARAMS, X3)
    assert set(J) == {"W", "b"}
    assert J["W"].shape == (2, 2, 3) and J["b"].shape == (2, 2)
    s = 1 - predict(PARAMS, X3) ** 2
    np.testing.assert_allclose(J["b"], np.diag(s))
    np.testing.assert_allclose(J["W"][1, 1], s[1] * X3)
    np.testing.assert_allclose(J["W"][0, 1], 0.0)


def test_argnums_tuple_gives_a_tuple_of_blocks():
    J_params, J_x = ta.jacrev(predict, argnums=(0, 1), backend="python")(PARAMS, X3)
    assert J_x.shape == (2, 3) and J_params["W"].shape == (2, 2, 3)
    np.testing.assert_allclose(J_x, ta.jacfwd(predict, 1, backend="python")(PARAMS, X3))


def test_one_generated_derivative_called_per_basis_vector():
    for make in (ta.jacfwd, ta.jacrev):
        J = make(matrix_in, backend="python")
        calls = J.plan((np.ones((2, 3)),)).calls
        assert len(calls) == 9 if make is ta.jacrev else 6
        assert len({id(c.generated) for c in calls}) == 1
        first = J.last
        J(np.full((2, 3), 0.5))
        assert J.last is first


def test_hessian_of_the_seed_function_in_two_arguments(backend):
    def f(x, y):
        return x**3 + y**2 + x*y
    H = ta.hessian(f, argnums=(0, 1), backend=backend)(3.0, 2.0)
    assert H == ((pytest.approx(18.0), pytest.approx(1.0)), (pytest.approx(1.0),
                                                             pytest.approx(2.0)))


def test_hessian_of_a_vector_function_is_an_error():
    with pytest.raises(TypeError, match=r"hessian requires a function with a scalar output, "
                                        r"but seed_vector's output had shape \(2,\)\. .*"
                                        r"jacfwd\(ta\.jacrev\(f\)\)"):
        ta.hessian(seed_vector)(XY)


def test_second_derivatives_of_a_vector_function():
    by_rev = ta.jacrev(ta.jacrev(seed_vector), backend="python")(XY)
    assert by_rev.shape == (2, 2, 2)
    np.testing.assert_allclose(by_rev, [[[2.0, 0.0], [0.0, 2.0]], [[2.0, 1.0], [1.0, 0.0]]])
    for outer, inner in [(ta.jacrev, ta.jacfwd), (ta.jacfwd, ta.jacrev)]:
        np.testing.assert_allclose(outer(inner(seed_vector), backend="python")(XY), by_rev)


M = np.array([[0.5, -1.0, 0.2], [0.3, 0.8, -0.6]])


def tanh_map(x):
    return np.tanh(M @ x)


def test_every_composition_of_two_jacobians_agrees(backend):
    results = [outer(inner(tanh_map, backend=backend), backend=backend)(X3 / 4)
               for outer in (ta.jacfwd, ta.jacrev) for inner in (ta.jacfwd, ta.jacrev)]
    assert results[0].shape == (2, 3, 3)
    for other in results[1:]:
        np.testing.assert_allclose(other, results[0], atol=1e-12)


def test_jacobian_of_a_tuple_output_with_a_dict_input():
    def f(p):
        return p["a"] * 2.0, np.sum(p["b"] ** 2)
    J = ta.jacrev(f, backend="python")({"a": 1.0, "b": np.array([1.0, 2.0])})
    assert_tree_close(J, ({"a": 2.0, "b": np.zeros(2)}, {"a": 0.0, "b": np.array([2.0, 4.0])}))


def chain(x, A):
    return np.sum(np.tanh(A @ x) ** 2) + np.sum(x[1:] * x[:-1])


def test_many_columns_run_as_one_compiled_loop():
    """16 or more columns of one compiled derivative run in one loop over their seeds
    (plans.SeedBatch); the result is the per-column one, on both sides of the Hessian."""
    rng = np.random.default_rng(3)
    x, A = rng.standard_normal(20), rng.standard_normal((7, 20)) / 4
    H = ta.hessian(chain, backend="numba")
    got = H(x, A)
    assert all(c.batch is not None for c in H.plan((x, A)).calls)
    assert_tree_close(got, ta.hessian(chain, backend="python")(x, A), rtol=1e-10, atol=1e-12)
    grad, eps = ta.grad(chain, backend="python"), 1e-6
    columns = [(grad(x + eps * e, A) - grad(x - eps * e, A)) / (2 * eps) for e in np.eye(20)]
    np.testing.assert_allclose(got, np.array(columns).T, rtol=1e-5, atol=1e-6)
    J = ta.jacrev(lambda x, A: np.tanh(A.T @ np.tanh(A @ x)), backend="numba")
    assert all(c.batch is not None for c in J.plan((x, A)).calls)  # 20 output rows
    assert_tree_close(J(x, A), ta.jacfwd(lambda x, A: np.tanh(A.T @ np.tanh(A @ x)),
                                         backend="python")(x, A), rtol=1e-9, atol=1e-12)
    again = H(2.0 * x, A)  # the seeds and the loop are reused; the values are new
    assert_tree_close(again, ta.hessian(chain, backend="python")(2.0 * x, A), rtol=1e-10,
                      atol=1e-12)
    few = ta.hessian(chain, backend="numba")
    assert all(c.batch is None for c in few.plan((x[:5], A[:, :5])).calls)

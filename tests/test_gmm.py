"""The GMM log-posterior of ADBench/GradBench as a NumPy user writes it (a loop over the
components, vectorized math inside, `Q[i, j] = ...` writes): its gradient with respect to
alpha, mu, q and l on both backends, and the benchmark's hand-written adjoint, against
central finite differences at a small size."""
import pathlib
import sys

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.checking import numerical_grad

from conftest import assert_tree_close

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from tools.bench import gmm  # noqa: E402  (the benchmark's own functions, not a copy)

SIZES = [(3, 4, 20)]  # (D, K, N)


@pytest.fixture(scope="module", params=SIZES, ids=gmm.label)
def problem(request):
    args = gmm.make_args(request.param, np.random.default_rng(1))
    return args, numerical_grad(gmm.user_source, args, gmm.ARGNUMS)


def test_user_source_gradient(problem, backend):
    args, want = problem
    got = ta.grad(gmm.user_source, argnums=gmm.ARGNUMS, backend=backend)(*args)
    assert_tree_close(got, want, rtol=1e-5, atol=1e-6)


def test_value_and_gradient_agree_with_the_primal(problem):
    args, want = problem
    value, got = ta.value_and_grad(gmm.user_source, argnums=gmm.ARGNUMS,
                                      backend="python")(*args)
    assert value == pytest.approx(gmm.numba_primal(*args), rel=1e-10)
    assert_tree_close(got, want, rtol=1e-5, atol=1e-6)


def test_hand_adjoint(problem):
    args, want = problem
    assert_tree_close(tuple(gmm.hand_adjoint(*args)), want, rtol=1e-5, atol=1e-6)


def test_prior_parameters_enter_the_gradient(backend):
    """gamma and m change the prior and the constant: the gradient follows them."""
    alpha, mu, q, l, x, _, _ = gmm.make_args((2, 3, 10), np.random.default_rng(2))
    args = (alpha, mu, q, l, x, 1.5, 0.5)
    got = ta.grad(gmm.user_source, argnums=gmm.ARGNUMS, backend=backend)(*args)
    assert_tree_close(got, numerical_grad(gmm.user_source, args, gmm.ARGNUMS),
                      rtol=1e-5, atol=1e-6)

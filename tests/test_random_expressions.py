"""Random straight-line expressions built from the supported operations, differentiated
and checked against central finite differences (hypothesis builds the expressions)."""
import importlib.util
import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import tangent_ad as ta
from tangent_ad.checking import numerical_grad

# Each operation keeps values in a range where the next one is smooth and well defined.
UNARY = ["np.sin({})", "np.cos({})", "np.tanh({})", "np.exp(0.3 * {})", "np.log(2.0 + {})",
         "np.sqrt(2.0 + {})", "np.arctan({})", "np.square({})", "-{}", "np.log1p(1.5 + {})",
         "np.sinh(0.5 * {})", "({}) ** 2", "np.abs(1.5 + {})"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (2.0 + np.cos({})))",
          "np.sin({}) * {}"]
_counter = itertools.count()


def expressions(leaves):
    base = st.sampled_from(leaves + ["0.7"])

    def extend(children):
        unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0].format(t[1]))
        binary = st.tuples(st.sampled_from(BINARY), children, children).map(
            lambda t: t[0].format(t[1], t[2], t[2]) if t[0].count("{}") == 3
            else t[0].format(t[1], t[2]))
        return unary | binary
    return st.recursive(base, extend, max_leaves=8)


def _compile(body, params, tmp_dir):
    index = next(_counter)
    path = tmp_dir / f"random_expr_{index}.py"
    path.write_text(f"import numpy as np\n\n\ndef f({', '.join(params)}):\n"
                    f"    return {body}\n")
    spec = importlib.util.spec_from_file_location(f"random_expr_{index}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions(["x", "y"]), x=st.floats(-1, 1), y=st.floats(-1, 1))
def test_scalar_expressions(expr, x, y, tmp_path_factory):
    f = _compile(expr, ["x", "y"], tmp_path_factory.mktemp("expr"))
    got = ta.grad(f, argnums=(0, 1), backend="python")(x, y)
    want = numerical_grad(f, (x, y), (0, 1))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions(["x", "y", "s"]), seed=st.integers(0, 1000))
def test_vector_expressions_with_broadcasting(expr, seed, tmp_path_factory):
    f = _compile(f"np.sum({expr})", ["x", "y", "s"], tmp_path_factory.mktemp("expr"))
    rng = np.random.default_rng(seed)
    args = (rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, 3), float(rng.uniform(-1, 1)))
    got = ta.grad(f, argnums=(0, 1, 2), backend="python")(*args)
    want = numerical_grad(f, args, (0, 1, 2))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)

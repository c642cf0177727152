"""Every script in examples/ runs, prints the source it generated, and gets its numbers right.

The scripts run as a user would run them (`python examples/x.py`), several at a time, each
in its own process. A script without an entry in CHECKS still has to run and print source.
"""
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from tangent_ad.checking import numerical_grad

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


pytestmark = pytest.mark.xdist_group("examples")  # one run of the module fixture


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """{script name: (exit status, stdout, stderr)}, and the folder the plots went to."""
    folder = tmp_path_factory.mktemp("examples")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TANGENT_AD_EXAMPLES_OUT=str(folder),
               MPLBACKEND="Agg")

    def run(script):
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        return script.name, (result.returncode, result.stdout, result.stderr)

    with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(pool.map(run, SCRIPTS)), folder


def number(pattern, text):
    """The float that follows `pattern` in `text`."""
    match = re.search(re.escape(pattern) + r"\s*(-?[\d.]+(?:e[-+]?\d+)?)", text)
    assert match, f"{pattern!r} not in the output"
    return float(match.group(1))


def check_quadratic(out, _):
    assert "f'(5.0) = 32.0" in out and "x_bar = 2.0 + 6.0 * x" in out


def check_scalar_functions(out, _):
    assert number("tanh'(2.0)  =", out) == number("(1 - tanh(2)² =", out)
    assert number("f'(1.0)     =", out) == number("(cos(2) =", out)


def check_argnums(out, _):
    assert "grad of g at (3, 4): (6.0, 8.0)" in out
    assert "gradient of sum of squares: [2. 4. 6. 8.]" in out
    assert out.count("equals the separate gradient: True") == 2


def check_linear_regression(out, _):
    assert "Gradient wrt w: -18.666667, Gradient wrt b: -8.000000" in out
    assert "after 500 steps: w = 2.0000, b = 0.0000" in out


def check_quickstart(out, _):
    assert "d loss / dw = -18.666667" in out and "d loss / db = -8.000000" in out


def check_array_gradients(out, _):
    assert "grad f at [1, 2]: [ 2. 36.]" in out
    assert "grad h at [2, 2, pi]: [12. 24. -1.]" in out


def _logreg():
    sys.path.insert(0, str(ROOT / "examples"))
    import logistic_regression
    return logistic_regression


def check_logistic_regression(out, _):
    example = _logreg()
    want = numerical_grad(example.loss, (example.W, example.b), (0, 1))
    assert number("b_grad=", out) == pytest.approx(want[1], abs=1e-6)
    assert "{'W': array([" in out and "def loss2_grad(params_dict_W, params_dict_b" in out


def check_value_and_grad(out, _):
    example = _logreg()
    values = re.findall(r"loss value (\S+)", out)
    assert len(values) == 2 and values[0] == values[1]
    assert float(values[0]) == pytest.approx(example.loss(example.W, example.b), rel=1e-12)


def check_finite_differences(out, _):
    assert number("b_grad_numerical", out) == pytest.approx(number("b_grad_autodiff", out),
                                                            abs=1e-6)
    assert number("W_dirderiv_numerical", out) == pytest.approx(
        number("W_dirderiv_autodiff", out), abs=1e-6)
    assert number("largest difference from central differences:", out) < 1e-6


def check_plot_derivative(out, folder):
    assert "f'(3.0) = 6.0" in out
    assert number("over 100 points:", out) == 0.0
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "matplotlib is not installed" in out
        return
    png = folder / "derivative.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def check_vmap_derivative(out, folder):
    assert number("f'(1.0) =", out) == pytest.approx(1.902670, abs=1e-6)
    assert number("over 20000 points:", out) == 0.0
    assert number("largest |parallel - vmap|:", out) == 0.0


def check_cuda_gradients(out, _):
    assert "@cuda.jit(device=True)" in out and "math.sin(" in out
    if "needs numba-cuda" in out:  # the `cuda` extra is not installed
        return
    assert number("largest |cuda - cpu| for wave:", out) < 1e-12
    assert number("largest |cuda - cpu| for recurrence:", out) < 1e-12
    assert number("hand-written kernel for wave: largest difference", out) < 1e-12


def check_stacked_derivatives(out, _):
    primes = ["f" + "'" * k for k in range(1, 5)]
    assert [number(f"{name}(1) =", out) for name in primes] == [4.0, 10.0, 6.0, 0.0]
    assert "def f_grad_grad_grad_grad(x):" in out


def check_jacobian(out, _):
    for name in ("coded", "jacobian", "jacfwd", "jacrev"):
        assert f"{name} Jacobian\n [[4. 6.]\n [7. 2.]]" in out
    assert "def f_jvp(x, x_dot):" in out and "def f_vjp(x, out_bar):" in out


def check_hessian(out, _):
    assert "AD Hessian\n [[18.  1.]\n [ 1.  2.]]" in out
    assert "def f_grad(x):" in out and "def f_grad_jvp(x, x_dot):" in out


def check_loops(out, _):
    assert number("d euler / dx =", out) == number("(central differences", out)
    assert number("d steps_to / dx =", out) == number("(by hand", out)
    assert "for _ in range(n - 1, -1, -1):" in out and "v2_stack.pop()" in out


CHECKS = {name[len("check_"):] + ".py": f for name, f in globals().items()
          if name.startswith("check_")}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example(outputs, script):
    results, folder = outputs
    status, out, err = results[script.name]
    assert status == 0, err
    assert re.search(r"^def \w+\(", out, re.M), "the example prints the source it uses"
    if script.name in CHECKS:
        CHECKS[script.name](out, folder)


def test_every_seed_example_is_checked():
    assert set(CHECKS) <= {p.name for p in SCRIPTS}
    seeds = ("quadratic.py", "argnums.py", "linear_regression.py", "plot_derivative.py",
             "logistic_regression.py", "value_and_grad.py", "finite_differences.py",
             "scalar_functions.py", "array_gradients.py", "jacobian.py", "hessian.py",
             "stacked_derivatives.py")
    assert np.all([name in CHECKS for name in seeds])

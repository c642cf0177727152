"""The CUDA dialect: device-function text, and vmap(target="cuda") under the simulator.

The simulator replaces numba.cuda for the whole process, so the vmap cases run once, in a
subprocess (cuda_sim_cases.py), and each test here checks one of its results.
"""
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.cuda import kernel_source
from tangent_ad.backends.cuda_dialect import CudaDialectError, device_source

HERE = pathlib.Path(__file__).parent


pytestmark = pytest.mark.xdist_group("cuda")  # one run of the module fixture


@pytest.fixture(scope="module")
def simulated():
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, str(HERE / "cuda_sim_cases.py")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    if "skip" in results:
        pytest.skip(results["skip"])
    return results


@pytest.mark.parametrize("case", ["wave", "recurrence", "calls_a_helper", "runtime_trips",
                                  "two_inputs", "device_grad", "device_jacfwd",
                                  "value_and_grad", "forward_value_and_two_grads",
                                  "jacfwd_rotate", "jacrev_rotate", "hessian_cubic"])
def test_cuda_vmap_matches_the_per_point_derivative(simulated, case):
    assert simulated[case] < 1e-12


def test_cuda_arrays_on_a_cpu_target_are_refused_and_the_error_says_what_to_do(simulated):
    assert "target='cuda'" in simulated["device_array_on_cpu"]
    assert "copy_to_host()" in simulated["device_array_on_cpu"]


def test_cuda_refuses_array_rows_and_says_why(simulated):
    assert "scalar functions" in simulated["vector_rows"]
    assert "target='cpu'" in simulated["vector_rows"]


def smooth(x):
    return np.sin(x) * np.exp(-x) + np.sqrt(1.0 + x * x) + np.arctan(x)


def looped(x):
    y = x
    for _ in range(3):
        y = np.cos(y) * x
    return y


def test_device_function_calls_math_not_numpy():
    d = ta.grad(smooth, backend="python")
    d(0.5)
    text = device_source(d.python)
    assert text.startswith("@cuda.jit(device=True)\ndef smooth_grad(x):")
    assert "np." not in text
    assert "math.sin(" in text and "math.exp(" in text and "math.cos(" in text
    namespace = {"math": __import__("math"), "cuda": _FakeCuda}
    exec(text, namespace)  # the dialect is still Python: it runs, and agrees
    assert namespace["smooth_grad"](0.5) == pytest.approx(d(0.5), rel=1e-12)


def test_tape_of_constant_size_lives_in_the_thread():
    d = ta.grad(looped, backend="python")
    d(0.5)
    text = device_source(d.python)
    assert "y_tape = cuda.local.array(3, numba.float64)" in text
    assert "np." not in text


def looped_n(x, n):
    y = x
    for _ in range(n):
        y = np.cos(y) * x
    return y


def test_tape_of_runtime_size_is_refused_and_the_error_says_why():
    d = ta.grad(looped_n, backend="python")
    d(0.5, 3)
    with pytest.raises(CudaDialectError, match="np.empty.*size known only at run time"):
        device_source(d.python)


def test_kernel_writes_every_output_with_a_grid_stride_loop():
    text = kernel_source("vmap_f_grad", "f_grad", [True, False], 2)
    assert "for i in range(start, out0.shape[0], cuda.gridsize(1)):" in text
    assert "r = f_grad(a0[i], a1)" in text
    assert "out0[i] = r[0]" in text and "out1[i] = r[1]" in text


class _FakeCuda:
    """Enough of numba.cuda for the decorator line of a device function's text."""

    @staticmethod
    def jit(**options):
        return lambda f: f


def test_gpu_benchmark_checks_both_kernels_in_the_simulator(tmp_path):
    """tools/bench/gpu.py's hand kernels and the generated ones agree with the CPU gradient
    at every point (it asserts so before timing); the simulator runs them on a few points."""
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "tools.bench.gpu", "--points", "300",
                           "--repeats", "1", "--out", str(tmp_path)], env=env, cwd=HERE.parent,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    table = (tmp_path / "gpu.md").read_text()
    assert table.count("| wave |") == 4 and table.count("| recurrence |") == 4
    assert "Largest relative difference from the CPU gradient: wave" in table

"""`tangent-ad export`: the module runs with NumPy alone, without tangent_ad, and with numba.

The exported module is imported in a fresh interpreter (`python -I`) where `import
tangent_ad` fails, because a package of that name that raises ImportError comes first on
sys.path; the same trick hides numba for the NumPy-only run.
"""
import json
import pathlib
import subprocess
import sys

import numpy as np

import tangent_ad as ta
from tangent_ad.export import module_source, numba_overloads_source, runtime_sources
from tangent_ad.stages import Stages

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import logistic_regression as logreg  # noqa: E402  (an example, imported for its functions)


def scaled_sum(x, y):
    return np.sum(x * y)  # y broadcasts against x: its adjoint calls unbroadcast


X = np.arange(6.0).reshape(2, 3)
Y = np.array([[0.5], [2.0]])


def write_module(tmp_path, fn, args, argnums=0, numba=True):
    stages = Stages(fn, args, argnums)
    name = stages.generated.fdef.name
    (tmp_path / f"{name}.py").write_text(module_source(stages.generated, fn, "reverse", numba))
    return name


def run_isolated(tmp_path, module, call, hide=("tangent_ad",)):
    """json of `call` (an expression using the module `m`), run where `hide` cannot import."""
    shadow = tmp_path / "shadow"
    for package in hide:
        (shadow / package).mkdir(parents=True, exist_ok=True)
        (shadow / package / "__init__.py").write_text(f"raise ImportError('{package} hidden')\n")
    code = (f"import sys; sys.path[:0] = [{str(shadow)!r}, {str(tmp_path)!r}]\n"
            f"import json, numpy as np, {module} as m\n"
            "assert not any(n.startswith('tangent_ad') for n in sys.modules)\n"
            f"print(json.dumps({call}))\n")
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_numpy_alone_runs_the_exported_gradient(tmp_path):
    params = {"W": logreg.W, "b": logreg.b}
    name = write_module(tmp_path, logreg.loss2, (params,))
    call = ("[m.numba is None, [g.tolist() if hasattr(g, 'tolist') else g for g in "
            f"m.{name}(np.array({logreg.W.tolist()}), {logreg.b}, "
            f"np.array({logreg.inputs.tolist()}), np.array({logreg.targets.tolist()}))]]")
    no_numba, (W_bar, b_bar) = run_isolated(tmp_path, name, call, ("tangent_ad", "numba"))
    want = ta.grad(logreg.loss2, backend="python")(params)
    assert no_numba
    np.testing.assert_allclose(W_bar, want["W"], rtol=1e-12)
    np.testing.assert_allclose(b_bar, want["b"], rtol=1e-12)


def test_numba_compiles_the_exported_gradient_and_its_helpers(tmp_path):
    name = write_module(tmp_path, scaled_sum, (X, Y), (0, 1))
    call = (f"[type(m.{name}).__name__, [g.tolist() for g in "
            f"m.{name}(np.array({X.tolist()}), np.array({Y.tolist()}))]]")
    kind, (x_bar, y_bar) = run_isolated(tmp_path, name, call)
    assert kind == "CPUDispatcher"  # compiled by numba, unbroadcast through its overload
    np.testing.assert_allclose(x_bar, np.broadcast_to(Y, X.shape))
    np.testing.assert_allclose(y_bar, X.sum(axis=1, keepdims=True))


def test_module_text(tmp_path):
    stages = Stages(scaled_sum, (X, Y), (0, 1))
    text = module_source(stages.generated, scaled_sum, "reverse", numba=False)
    assert not [line for line in text.splitlines() if "import" in line and "tangent_ad" in line]
    assert "def unbroadcast(g, x):" in text and "zeros_like_ad" not in text
    assert "numba" not in text.split('"""', 2)[2]  # the Python-only module never names numba
    assert "    scaled_sum_grad(x, y) -> x_bar, y_bar" in text
    assert "    y: array[d0,1], the argument of the same name" in text


def test_only_the_helpers_used_are_copied():
    assert [s.split("(")[0] for s in runtime_sources(["zeros_like_ad"])] == ["def zeros_like_ad"]
    overloads = numba_overloads_source(["zeros_like_ad"])
    assert "@overload(zeros_like_ad)" in overloads and "unbroadcast" not in overloads
    compile(overloads, "overloads", "exec")


def test_parameters_of_the_flat_core_are_explained(tmp_path):
    params = {"W": logreg.W, "b": logreg.b}
    stages = Stages(logreg.loss2, (params,))
    text = module_source(stages.generated, logreg.loss2, "reverse")
    assert "    params_dict_W: array[d0], params_dict['W']" in text
    assert "    inputs: array[d1,d0], the global `inputs` of the original module" in text


def test_forward_mode_export():
    stages = Stages(scaled_sum, (X, Y), (0, 1), "forward")
    text = module_source(stages.generated, scaled_sum, "forward", numba=False)
    assert "forward-mode derivative (jvp)" in text
    assert "    x_dot: array[d0,d1], the tangent of x" in text

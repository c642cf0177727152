"""The `tangent-ad` command: its four subcommands, its errors, and its pinned output.

Commands run in-process through `cli.main(argv)` (fast) with the Python backend, except one
numba run and one run of `python -m tangent_ad` in a subprocess. The pinned output lives in
tests/golden_cli/*.txt: the first line is the command, the rest its output. To accept
reviewed changes: TANGENT_AD_UPDATE_GOLDEN=1 python -m pytest tests/test_cli.py
"""
import io
import os
import pathlib
import shlex
import subprocess
import sys
import time

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad import cli
from tangent_ad.target import load

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = pathlib.Path(__file__).parent / "golden_cli"
UPDATE = os.environ.get("TANGENT_AD_UPDATE_GOLDEN") == "1"
LOGREG = "examples/logistic_regression.py"


def run(capsys, *argv):
    """(exit status, stdout, stderr) of `tangent-ad argv`, run in-process."""
    try:
        status = cli.main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)


# -- show --------------------------------------------------------------------------------
def test_show_prints_the_gradient(capsys):
    status, out, err = run(capsys, "show", "examples/quadratic.py:f")
    assert status == 0 and err == ""
    assert out == ("def f_grad(x):\n    # return 3 * x**2 + 2 * x + 1\n"
                   "    x_bar = 2.0 + 6.0 * x\n    return x_bar\n")


def test_show_is_what_the_api_generates(capsys):
    example = load(f"{LOGREG}:loss2")
    params = {"W": example.namespace["W"], "b": example.namespace["b"]}
    status, out, _ = run(capsys, "show", f"{LOGREG}:loss2", "--at", "{'W': W, 'b': b}")
    assert status == 0
    assert out == ta.source(ta.grad(example.fn, backend="python"), params)


def test_show_argnums_and_forward_mode(capsys):
    at = "0.0, 0.0, x, y"
    _, out, _ = run(capsys, "show", "examples/linear_regression.py:loss", "--argnums", "0,1",
                    "--at", at)
    assert out.startswith("def loss_grad(w, b, x, y):") and "return (w_bar, b_bar)" in out
    _, out, _ = run(capsys, "show", "examples/linear_regression.py:loss", "--argnums", "1",
                    "--at", at, "--mode", "forward")
    assert out.startswith("def loss_jvp(w, b, x, y, b_dot):")


@pytest.mark.parametrize("stage, expected", [
    ("parse", "# np: module numpy\ndef loss(w, b, x, y):\n    predictions = w * x + b\n"),
    ("normalize", "    v1 = w * x\n    predictions = v1 + b\n"),
    ("activity", "    v4 = np.mean(v3)  # float, active\n"),
    ("derivative", "    v3_bar = np.full_like(v3, v4_bar / v3.size)\n"),
    ("optimized", "    predictions_bar = 1.0 / v3.size * 2 * v2\n"),
])
def test_show_each_stage(capsys, stage, expected):
    status, out, _ = run(capsys, "show", "examples/linear_regression.py:loss", "--stage", stage,
                         "--at", "0.0, 0.0, x, y")
    assert status == 0
    assert out.startswith(f"# {stage}: ")
    assert " ".join(expected.split()) in " ".join(out.split())  # alignment aside


def test_stages_before_the_transform_are_left_as_they_were(capsys, monkeypatch):
    monkeypatch.chdir(GOLDEN)  # the reverse transform adds tape pushes inside the loop
    _, out, _ = run(capsys, "show", "functions.py:alternating", "--at", "1.5, 4", "--stage",
                    "all")
    normalize, activity = out.split("\n# activity: ")[0], out.split("\n# derivative: ")[0]
    assert "_tape" not in normalize and "_tape" not in activity
    assert "v2_tape[i] = v2" in out.split("\n# derivative: ")[1]


def test_show_all_stages_in_order(capsys):
    _, out, _ = run(capsys, "show", "examples/quadratic.py:f", "--stage", "all")
    headers = [line.split(":")[0] for line in out.splitlines() if line.startswith("# ")
               and ":" in line and line.split(":")[0][2:] in cli.STAGES]
    assert headers == [f"# {s}" for s in cli.STAGES]


def test_output_file_and_colour(capsys, tmp_path):
    target = tmp_path / "f_grad.py"
    status, out, err = run(capsys, "show", "examples/quadratic.py:f", "-o", target,
                           "--color", "always")
    assert status == 0 and out == "" and f"wrote {target}" in err
    assert "\x1b[" not in target.read_text()  # a file is never coloured
    _, out, _ = run(capsys, "show", "examples/quadratic.py:f", "--color", "always")
    pytest.importorskip("pygments")
    assert "\x1b[" in out
    _, out, _ = run(capsys, "show", "examples/quadratic.py:f")  # auto, into a pipe
    assert "\x1b[" not in out


# -- higher orders -------------------------------------------------------------------------
def test_show_order_2_is_the_derivative_of_the_gradient(capsys):
    fn = load("examples/stacked_derivatives.py:f").fn
    status, out, _ = run(capsys, "show", "examples/stacked_derivatives.py:f", "--order", "2")
    assert status == 0
    second = ta.grad(ta.grad(fn, backend="python"), backend="python")
    assert out == ta.source(second, 1.0) and out.startswith("def f_grad_grad(x):")
    _, out, _ = run(capsys, "show", "examples/stacked_derivatives.py:f", "--order", "3")
    assert "def f_grad_grad_grad(x):" in out and "x_bar = 6.0" in out


def test_order_2_in_forward_mode_is_forward_over_reverse(capsys):
    at = "np.array([0.5, 1.0, 2.0])"
    status, out, _ = run(capsys, "show", "examples/argnums.py:sum_of_squares", "--order", "2",
                         "--mode", "forward", "--at", at)
    assert status == 0 and out.startswith("def sum_of_squares_grad_jvp(arr, arr_dot):")
    _, out, _ = run(capsys, "show", "examples/argnums.py:sum_of_squares", "--order", "2",
                    "--mode", "forward", "--at", at, "--stage", "parse")
    assert out.startswith("# parse: sum_of_squares_grad, the generated derivative of order 1")
    assert "def sum_of_squares_grad(arr):" in out  # the stages of the last step


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_check_order_2_and_3(capsys, mode):
    status, out, _ = run(capsys, "check", "examples/stacked_derivatives.py:f", "--order", "3",
                         "--mode", mode, "--at", "1.0", "--backend", "python")
    assert status == 0 and "third derivative" in out
    assert out.splitlines()[3].split()[:2] == ["x", "6"]  # the third derivative is 6
    target, at = (("examples/array_gradients.py:h", "np.array([2.0, 0.5, 1.0])")
                  if mode == "forward" else ("examples/scalar_functions.py:f", "0.3"))
    status, out, _ = run(capsys, "check", target, "--order", "2", "--mode", mode, "--at", at,
                         "--backend", "python")
    assert status == 0 and "agree" in out
    assert ("x[1, 2]" in out) == (mode == "forward")  # a Hessian, entry by entry


def test_explain_and_export_order_2(capsys, tmp_path):
    status, out, _ = run(capsys, "explain", "examples/stacked_derivatives.py:f", "--order", "2")
    assert status == 0
    assert out.startswith("reverse mode: f_grad (the gradient of f, "
                          "examples/stacked_derivatives.py:")
    assert out.splitlines()[0].endswith("-> f_grad_grad")
    target = tmp_path / "f2.py"
    status, _, _ = run(capsys, "export", "examples/stacked_derivatives.py:f", "--order", "2",
                       "--backend", "python", "-o", target)
    assert status == 0 and "The second derivative of `f`" in target.read_text()
    namespace = {}
    exec(compile(target.read_text(), str(target), "exec"), namespace)
    assert namespace["f_grad_grad"](1.0) == 10.0  # f''(x) = 6x + 4


def test_an_exported_hessian_product_runs_without_tangent_ad(capsys, tmp_path):
    target = tmp_path / "hvp.py"
    status, _, err = run(capsys, "export", "examples/hessian.py:f", "--order", "2", "--mode",
                         "forward", "--at", "np.array([3.0, 2.0])", "-o", target)
    assert status == 0, err
    (tmp_path / "tangent_ad").mkdir()  # an import of tangent_ad would fail
    (tmp_path / "tangent_ad" / "__init__.py").write_text("raise ImportError('hidden')\n")
    code = (f"import sys; sys.path.insert(0, {str(tmp_path)!r})\nimport numpy as np, hvp\n"
            "assert not any(n.startswith('tangent_ad') for n in sys.modules)\n"
            "print(hvp.f_grad_jvp(np.array([3.0, 2.0]), np.array([1.0, 0.0]))[1].tolist())\n")
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[18.0, 1.0]"  # the first column of the Hessian


# -- explain -------------------------------------------------------------------------------
def test_explain_puts_each_line_beside_its_derivative(capsys, tmp_path):
    page = tmp_path / "loss.html"
    status, out, err = run(capsys, "explain", f"{LOGREG}:loss", "--at", "W, b", "--html", page)
    assert status == 0 and f"wrote {page}" in err
    row = next(line for line in out.splitlines() if "label_probs = preds * targets" in line)
    assert row.split(" | ")[1].split() == ["fwd", "v1", "=", "preds", "*", "targets"]
    assert "sigmoid (a helper), examples/logistic_regression.py:15 -> sigmoid_vjp" in out
    assert "bwd" in out
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    assert 'class="source"' in text and 'class="derivative"' in text


# -- check ---------------------------------------------------------------------------------
def test_check_agrees(capsys):
    status, out, _ = run(capsys, "check", f"{LOGREG}:loss", "--at", "W, b", "--argnums", "0,1",
                         "--backend", "python")
    assert status == 0
    assert "W[2]" in out and "\nb " in out
    assert out.rstrip().endswith("The derivative and the differences agree "
                                 "(rtol=1e-05, atol=1e-06).")


def test_check_forward_mode(capsys):
    status, out, _ = run(capsys, "check", "examples/argnums.py:sum_squared_errors", "--at",
                         "x, y", "--mode", "forward", "--backend", "python")
    assert status == 0 and "y[3]" in out


def test_check_exits_1_on_a_mismatch(capsys, tmp_path):
    # At an integer, floor jumps: its derivative is 0, central differences are huge.
    (tmp_path / "steps.py").write_text("import numpy as np\n\ndef f(x):\n"
                                       "    return np.floor(x) + x\n")
    status, out, _ = run(capsys, "check", f"{tmp_path}/steps.py:f", "--at", "2.0",
                         "--backend", "python")
    assert status == 1
    assert "<- differs" in out and "DISAGREE" in out


def test_check_with_numba(capsys):
    status, out, err = run(capsys, "check", "examples/quadratic.py:f", "--at", "5.0",
                           "--backend", "numba")
    assert status == 0, err
    assert out.splitlines()[3].split()[:2] == ["x", "32"]


# -- export --------------------------------------------------------------------------------
def test_export_writes_a_module(capsys, tmp_path):
    target = tmp_path / "loss_grad.py"
    status, _, _ = run(capsys, "export", "examples/linear_regression.py:loss", "--argnums",
                       "0,1", "--at", "0.0, 0.0, x, y", "--backend", "python", "-o", target)
    assert status == 0
    namespace = {}
    exec(compile(target.read_text(), str(target), "exec"), namespace)
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    np.testing.assert_allclose(namespace["loss_grad"](0.0, 0.0, x, y), (-56 / 3, -8.0))


# -- the examples in --help ------------------------------------------------------------------
HELP_EXAMPLES = [shlex.split(line)[1:] for line in cli.EXAMPLES.splitlines()
                 if line.startswith("  tangent-ad ")]


@pytest.mark.parametrize("argv", HELP_EXAMPLES, ids=lambda argv: argv[0])
def test_help_examples_run(capsys, tmp_path, argv):
    argv = [str(tmp_path / a) if a.endswith((".html", "_grad.py")) else a for a in argv]
    status, out, err = run(capsys, *argv, "--backend", "python")
    assert status == 0, err


# -- errors: one or two lines, the place first, exit status 2, no traceback ---------------
BAD = {
    "syntax.py": "import numpy as np\n\ndef f(x):\n    return x +* 2\n",
    "with.py": "def f(x):\n    with open('data') as h:\n        return x\n",
    "crash.py": "import numpy as np\n\nDATA = np.load(missing)\n\ndef f(x):\n    return x\n",
    "vector.py": "import numpy as np\n\ndef f(x):\n    return x * np.ones(3)\n",
    "ok.py": "def f(x):\n    return x * x\n",
    "loop.py": "import numpy as np\n\ndef f(x, n):\n    for _ in range(n):\n"
               "        x = np.sin(x)\n    return x\n",
    "data.txt": "1.0\n",
    "script.py": "import sys\n\ndef f(x):\n    return x\n\nsys.exit(0)\n",
}


@pytest.mark.parametrize("argv, expected", [
    (["show", "nowhere.py:f"], "nowhere.py: no such file."),
    (["show", "ok.py:g"], "ok.py: no function `g` here; it defines f."),
    (["show", "ok.py"], "ok.py: name a function as FILE.py:func"),
    (["show", "syntax.py:f"], "syntax.py:4:15: syntax error: invalid syntax.\n"
                              "    return x +* 2"),
    (["show", "with.py:f"], "with.py:2:5: `with` blocks cannot be differentiated.\nhint: "),
    (["explain", "crash.py:f"], "crash.py:3: NameError: name 'missing' is not defined"),
    (["show", "vector.py:f", "--at", "np.ones(3)"],
     "vector.py:3: in f: TypeError: grad requires a function with a scalar output"),
    (["show", "ok.py:f", "--at", "1.0, 2.0"], "--at gives 2 argument(s) but f takes 1: x."),
    (["show", "ok.py:f", "--at", "np.ones(2"], "--at: not a Python argument list"),
    (["check", "ok.py:f", "--at", "undefined"], "--at: NameError: name 'undefined'"),
    (["show", "ok.py:f", "--order", "0"], "tangent-ad show: error: argument --order: the "
                                          "order is 1 (the first derivative) or more, got 0"),
    (["check", "ok.py:f", "--order", "-2"], "tangent-ad check: error: argument --order: the "
                                            "order is 1 (the first derivative) or more, got -2"),
    (["show", "ok.py:f", "--order", "two"], "tangent-ad show: error: argument --order: "
                                            "expected a whole number"),
    (["show", "ok.py:f", "--order", "2", "--at", "np.ones(3)"],
     "ok.py:1: in f: --order 2 --mode reverse differentiates the gradient in reverse mode, "
     "which needs a scalar gradient, but argument 0 is an array: use --mode forward"),
    (["explain", "ok.py:f", "--order", "3", "--mode", "forward", "--at", "np.ones(3)"],
     "ok.py:1: in f: --order 3 --mode forward differentiates the gradient in reverse mode"),
    (["export", "vector.py:f", "--order", "2", "--argnums", "0,0"],
     "vector.py:3: in f: --order 2 differentiates a gradient again, which needs one argument"),
    (["show", "ok.py:f", "--order", "2", "--at", "(1.0, 2.0)"],
     "ok.py:1: in f: --order 2 needs argument 0 to be one number or one array, not a "
     "container of 2 values."),
    (["show", "ok.py:f", "--argnums", "x"], "tangent-ad show: error: argument --argnums"),
    (["show", "no_such_module_here:f"], "no_such_module_here: no module named"),
    (["show", "data.txt:f"], "data.txt: not a Python file; name a .py file"),
    (["show", "script.py:f"], "script.py:6: the file exits while it is imported to find the "
                              "function.\nhint: put the script part under `if __name__"),
    (["check", "vector.py:f", "--at", "np.ones(2), 1.0"], "--at gives 2 argument(s)"),
    (["check", "loop.py:f", "--at", "1.0, 2.5", "--backend", "python"],
     "--at: f(1.0, 2.5) raised TypeError: 'float' object cannot be interpreted as an integer"),
    (["export", "loop.py:f", "--at", "1.0, 'three'"],
     "--at: f(1.0, 'three') raised TypeError: 'str' object cannot be interpreted"),
    (["export", "ok.py:f", "-o", "no/such/folder/f.py", "--backend", "python"],
     "no/such/folder/f.py: cannot write the file"),
])
def test_bad_input(capsys, monkeypatch, tmp_path, argv, expected):
    for name, text in BAD.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith(expected), err
    assert len(err.rstrip("\n").splitlines()) <= 2 and "Traceback" not in err


def test_names_in_messages(capsys, monkeypatch, tmp_path):
    (tmp_path / "lam.py").write_text("cube = lambda x: x ** 3\n")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "check", "lam.py:cube", "--at", "2.0", "--backend", "python")
    assert status == 0 and out.startswith("cube: reverse-mode derivative")
    status, _, err = run(capsys, "show", "numpy:no_such_function")
    assert status == 2 and err.startswith("numpy: no function `no_such_function` here")
    assert err.rstrip().endswith("more.") and len(err) < 300  # a few names, not hundreds


# -- the console entry point and the progress line ------------------------------------------
def test_python_dash_m(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "tangent_ad", "show",
                             "examples/quadratic.py:f"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0 and "x_bar = 2.0 + 6.0 * x" in result.stdout
    result = subprocess.run([sys.executable, "-m", "tangent_ad", "show", "nowhere.py:f"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (2, "nowhere.py: no such file.\n")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_package_module_form(capsys, monkeypatch, tmp_path):
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "mypkg" / "models.py").write_text(
        "import numpy as np\n\n\nclass Model:\n    @staticmethod\n    def loss(w):\n"
        "        return np.sum(w ** 2)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    status, out, err = run(capsys, "show", "mypkg.models:Model.loss", "--at", "np.ones(2)")
    assert status == 0, err
    assert out.startswith("def loss_grad(w):") and "w_bar = 2.0 * w" in out


def test_colour_on_a_terminal_unless_no_color(monkeypatch):
    pytest.importorskip("pygments")
    for no_color, coloured in ((None, True), ("1", False)):
        if no_color:
            monkeypatch.setenv("NO_COLOR", no_color)
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        for command in ("show", "explain", "export"):
            assert cli.main([command, "examples/quadratic.py:f", "--backend", "python"]) == 0
            assert ("\x1b[" in terminal.getvalue()) == coloured, (command, no_color)
            terminal.seek(0)
            terminal.truncate()


def test_progress_line_only_on_a_terminal():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with cli.Progress("compiling f_grad with numba", stream, delay=0.0, interval=0.01):
            time.sleep(0.1)
    assert "\rcompiling f_grad with numba ... 0." in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # erased at the end
    assert pipe.getvalue() == ""


def test_a_slow_compile_shows_a_progress_line(monkeypatch, capsys):
    from tangent_ad.stages import Stages
    compile_once = Stages.compile

    def slow_compile(self):  # a compile that takes a while, whatever the numba cache holds
        time.sleep(0.3)
        return compile_once(self)
    monkeypatch.setattr(Stages, "compile", slow_compile)
    monkeypatch.setattr(cli.Progress.__init__, "__defaults__", (None, 0.05, 0.01))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["show", "examples/quadratic.py:f", "--backend", "numba"]) == 0
    assert "\rcompiling f_grad with numba ... 0." in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # erased before the output is read
    assert capsys.readouterr().out.startswith("def f_grad(x):")


def test_progress_line_stays_away_from_quick_steps():
    terminal = _Terminal()
    with cli.Progress("compiling", terminal, delay=5.0):
        pass
    assert terminal.getvalue() == ""


# -- golden output ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_golden_output(capsys, monkeypatch, path):
    command, _, expected = path.read_text().partition("\n")
    assert command.startswith("$ tangent-ad ")
    monkeypatch.chdir(GOLDEN)
    status, out, err = run(capsys, *shlex.split(command)[2:])
    assert status == 0, err
    if UPDATE or not expected:
        path.write_text(f"{command}\n{out}")
        if not UPDATE:
            pytest.fail(f"wrote {path.name}: review it and commit it")
        expected = out
    assert out == expected, f"the output of `{command[2:]}` changed"


# -- tangent-ad cache info | clear -----------------------------------------------------------
def test_cache_info_and_clear(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(folder))
    status, out, err = run(capsys, "cache", "info")
    assert status == 0 and err == ""
    assert out.splitlines()[:3] == [f"directory:   {folder}", "in use:      yes",
                                    "entries:     0 (generated modules: 0, numba files: 0)"]
    assert run(capsys, "show", "examples/quadratic.py:f",
               "--at", "1.5")[0] == 0
    status, out, _ = run(capsys, "cache", "info")
    assert status == 0 and "entries:     1 (generated modules: 1," in out
    assert "size:        0 bytes" not in out
    mine = folder / "notes.txt"  # not the cache's: stays
    mine.write_text("mine")
    status, out, err = run(capsys, "cache", "clear")
    assert status == 0 and out == f"removed 2 files from {folder}\n"
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["notes.txt"]
    status, out, _ = run(capsys, "cache", "info")
    assert "entries:     0 (generated modules: 0, numba files: 0)" in out


def test_cache_clear_removes_numba_files_too(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(folder))
    status, _, err = run(capsys, "check", "examples/quadratic.py:f", "--at", "1.5",
                         "--backend", "numba")
    assert status == 0, err
    status, out, _ = run(capsys, "cache", "info")
    assert "numba files: 0" not in out
    assert run(capsys, "cache", "clear")[0] == 0
    assert not [p for p in folder.rglob("*") if p.is_file()]


def test_cache_info_says_why_a_directory_is_not_used(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)
    planted = folder / "f_grad_0123456789abcdef.py"
    planted.write_text("import os\n")
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(folder))
    status, out, err = run(capsys, "cache", "info")
    assert status == 0 and err == ""
    assert "in use:      no: others can write to it (mode 0777)" in out
    status, out, err = run(capsys, "cache", "clear")
    assert status == 1 and out == ""
    assert err == (f"tangent-ad: {folder} is not in use (others can write to it (mode "
                   "0777)); nothing removed.\n")
    assert planted.exists()


def test_a_refused_cache_directory_is_one_warning(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "cache"
    folder.write_text("a file")
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(folder))
    status, out, err = run(capsys, "show", "examples/quadratic.py:f")
    assert status == 0 and out.startswith("def f_grad(x):")
    assert err == (f"tangent-ad: warning: tangent_ad does not use the disk cache {folder}: it "
                   "is not a directory; derivatives are generated again in each process (set "
                   "TANGENT_AD_CACHE_DIR to a directory only you can write)\n")

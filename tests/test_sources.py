"""Finding and reading the user's code: decorated functions are what their wrappers
compute, closures read their own cells, helpers of one name stay apart, the text read is
the text of the code that runs, and constants of modules and classes are read at call time.
Every derivative is checked against central finite differences on both backends."""
import functools
import importlib
import sys
import types

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.errors import SourceNotFoundError, UnsupportedSyntaxError
from conftest import check_grad, check_jvp


# -- decorators ---------------------------------------------------------------------------
def double(fn):
    @functools.wraps(fn)
    def wrapper(x):
        return 2.0 * fn(x)
    return wrapper


def scaled(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        """Three times the function."""
        return 3.0 * fn(*args, **kwargs)
    return wrapper


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@double
def doubled_square(x):
    return x * x


@double
@double
def twice_doubled(x):
    return x * x * x


@scaled
def scaled_product(x, y):
    return x * np.sin(y)


@logged
def logged_cube(x):
    return x ** 3


@double
def doubled_sin(x):
    return np.sin(x)


def doubled_sum(x):
    return doubled_square(x) + doubled_sin(x)  # two wrappers named `wrapper`


def test_decorator_is_differentiated(backend):
    assert check_grad(doubled_square, (3.0,), backend=backend) == pytest.approx(12.0)
    check_jvp(doubled_square, (3.0,), backend=backend)


def test_stacked_decorators(backend):
    assert check_grad(twice_doubled, (1.5,), backend=backend) == pytest.approx(4 * 3 * 1.5 ** 2)


def test_args_kwargs_wrapper_gets_the_wrapped_parameters(backend):
    got = check_grad(scaled_product, (0.7, 1.1), argnums=(0, 1), backend=backend)
    assert got[0] == pytest.approx(3.0 * np.sin(1.1))


def test_pass_through_wrapper_is_the_wrapped_function(backend):
    assert check_grad(logged_cube, (2.0,), backend=backend) == pytest.approx(12.0)


def test_wrappers_of_one_name_called_together(backend):
    check_grad(doubled_sum, (0.4,), backend=backend)
    check_jvp(doubled_sum, (0.4,), backend=backend)


def test_grad_of_grad_of_a_decorated_function(backend):
    assert ta.grad(ta.grad(doubled_square, backend=backend), backend=backend)(3.0) == \
        pytest.approx(4.0)


def first_of(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(args[0])
    return wrapper


@first_of
def first_square(x):
    return x * x


def test_wrapper_that_reads_its_args_is_refused(backend):
    with pytest.raises(UnsupportedSyntaxError, match="wraps"):
        ta.grad(first_square, backend=backend)(2.0)


@functools.lru_cache(maxsize=None)
def cached_square(x):
    return x * x


def test_c_wrapper_is_refused(backend):
    with pytest.raises(SourceNotFoundError, match="not a Python function with source"):
        ta.grad(cached_square, backend=backend)(2.0)


# -- closures made by factories and helpers of one name -------------------------------------
def build(n1):
    def unpack(p):
        return p[:n1], p[n1:]

    def loss(p):
        a, b = unpack(p)
        return np.sum(a ** 2) + 3.0 * np.sum(b)
    return loss


def test_inlined_closure_reads_its_own_cells(backend):
    got = check_grad(build(2), (np.array([1., 2., 3., 4.]),), backend=backend)
    np.testing.assert_allclose(got, [2., 4., 3., 3.])


def make_scale(c):
    def h(x):
        return c * x
    return h


h1, h2 = make_scale(2.0), make_scale(5.0)


def two_closures(x):
    return h1(x) + h2(x) * x


def test_closures_of_one_factory(backend):
    assert check_grad(two_closures, (1.0,), backend=backend) == pytest.approx(12.0)
    value, grad = ta.value_and_grad(two_closures, backend=backend)(1.0)
    assert (value, grad) == (pytest.approx(7.0), pytest.approx(12.0))
    check_jvp(two_closures, (1.0,), backend=backend)


def make_cube(c):
    def h(x):
        return c * x ** 3
    return h


def h(x):
    return np.sin(x)


cube_h = make_cube(0.5)  # its __name__ is `h`, as is the global function's


def global_and_closure(x):
    return h(x) + cube_h(x)


def test_helpers_of_one_name_with_different_code(backend):
    check_grad(global_and_closure, (0.8,), backend=backend)
    check_jvp(global_and_closure, (0.8,), backend=backend)


c = 10.0


def make_pair(c):
    def pair(x):
        return c * x, x * x
    return pair


pair3 = make_pair(3.0)


def global_beside_closure(x):
    a, b = pair3(x)  # inlined (a tuple): its `c` is 3, the caller's 10
    return c * a + b


def test_closure_and_global_of_one_name(backend):
    assert check_grad(global_beside_closure, (2.0,), backend=backend) == \
        pytest.approx(30.0 + 4.0)


# -- the source of the code that runs -----------------------------------------------------
def renamed(x):
    return x * x * x


renamed.__name__ = "other"


def calls_renamed(x):
    return renamed(x) + x


def test_function_found_by_its_code_not_its_name(backend):
    assert check_grad(renamed, (2.0,), backend=backend) == pytest.approx(12.0)
    assert check_grad(calls_renamed, (2.0,), backend=backend) == pytest.approx(13.0)


def test_reloaded_module_and_edited_file(tmp_path, backend, monkeypatch):
    path = tmp_path / f"edited_{backend}.py"
    path.write_text("def f(x):\n    return x * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    module = importlib.import_module(path.stem)
    assert check_grad(module.f, (3.0,), backend=backend) == pytest.approx(6.0)
    path.write_text("def f(x):\n    return x * x * x + 1.0\n")
    importlib.reload(module)
    assert check_grad(module.f, (3.0,), backend=backend) == pytest.approx(27.0)
    path.write_text("def f(x):\n    return 2.0 * x * x * x\n")  # not reloaded
    # read before the edit, f's text is the code that runs: its derivative stands
    assert ta.grad(module.f, backend=backend)(3.0) == pytest.approx(27.0)
    f = module.f
    del f.__dict__["__tangent_ad__"]  # read now, the text is not f's: refused
    with pytest.raises(SourceNotFoundError, match="changed"):
        ta.grad(f, backend=backend)(3.0)
    path.write_text("def f(x):\n    return x + x + x + 1.0\n")  # the same positions
    with pytest.raises(SourceNotFoundError, match="changed"):
        ta.grad(f, backend=backend)(3.0)
    del sys.modules[path.stem]


async def asynchronous(x):
    return x


def test_async_function_is_named(backend):
    with pytest.raises(UnsupportedSyntaxError, match="async function"):
        ta.grad(asynchronous, backend=backend)(2.0)


# -- constants of modules and classes -----------------------------------------------------
settings = types.ModuleType("settings")
settings.K = 4.0
settings.W = np.array([1.0, 2.0])


def reads_module_attributes(x):
    return settings.K * np.sum(settings.W * x)


class Model:
    RATE = 3.0

    @staticmethod
    def f(x):
        return Model.RATE * x * x


def test_module_attribute_read_at_call_time(backend):
    x = np.array([0.5, -1.0])
    np.testing.assert_allclose(check_grad(reads_module_attributes, (x,), backend=backend),
                               [4.0, 8.0])
    derivative = ta.grad(reads_module_attributes, backend=backend)
    settings.K = 5.0
    try:
        np.testing.assert_allclose(derivative(x), [5.0, 10.0])
    finally:
        settings.K = 4.0


def test_class_attribute_in_a_staticmethod(backend):
    assert check_grad(Model.f, (2.0,), backend=backend) == pytest.approx(12.0)
    check_jvp(Model.f, (2.0,), backend=backend)


def make_sum(a, b):
    def combined(x):
        return a(x) + 2.0 * b(x)
    return combined


def test_same_code_calling_helpers_in_another_order(backend):
    """One factory's closures, the same text calling two helpers of one name in either
    order: each gets its own derivative (not the other's, from a cache)."""
    first = make_sum(doubled_square, doubled_sin)
    second = make_sum(doubled_sin, doubled_square)
    check_grad(first, (0.3,), backend=backend)
    check_grad(second, (0.3,), backend=backend)


def test_notebook_cell_compiled_statement_by_statement(tmp_path, backend):
    """A notebook compiles a cell's statements one at a time (and keeps the cell's text in
    linecache only): its functions are still found and not taken for edited ones."""
    import ast
    import linecache
    text = "import numpy as np\n\n\ndef cell_f(x):\n    return np.sin(x) * x\n"
    filename = str(tmp_path / "cell_1.py")  # no such file: the text is in linecache only
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    for statement in ast.parse(text).body:
        exec(compile(ast.Module([statement], []), filename, "exec"), namespace)
    check_grad(namespace["cell_f"], (0.5,), backend=backend)


def test_a_function_in_a_pytest_file_with_an_assert(tmp_path):
    """pytest compiles the asserts of a test file its own way: the rest of the function's
    code must still be matched to its text, and the function differentiated."""
    import subprocess
    (tmp_path / "test_user_file.py").write_text(
        "import tangent_ad as ta\n\n\n"
        "def f(x):\n"
        "    assert x > 0, 'x must be positive'\n"
        "    return x * x\n\n\n"
        "def test_grad():\n"
        "    assert ta.grad(f, backend='python')(3.0) == 6.0\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist", "-o", "addopts=", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "1 passed" in run.stdout, run.stdout[-3000:]

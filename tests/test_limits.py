"""Functions at the limits of size and depth: a clear answer, never a crash.

A straight-line function of thousands of lines differentiates (no recursion past Python's
limit in the transforms, and time linear in its length); a recursion deeper than the
machine code's stack can hold raises RecursionError instead of killing the process.
"""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tangent_ad as ta
from conftest import check_grad


def _long_function(tmp_path, lines, name):
    body = "\n".join("    y = np.sin(y) * 1.0001 + 0.001 * x" for _ in range(lines))
    path = tmp_path / f"{name}.py"
    path.write_text(f"import numpy as np\n\n\ndef {name}(x):\n    y = x\n{body}\n    return y\n")
    sys.path.insert(0, str(tmp_path))
    try:
        return __import__(name).__dict__[name]
    finally:
        sys.path.remove(str(tmp_path))


def test_a_long_sum_of_adjoints_stays_statements(tmp_path):
    """Every line adds to `x_bar`: merged into one expression, 1200 terms would recurse
    past Python's limit in every tree walk; merged 32 at a time, it differentiates."""
    f = _long_function(tmp_path, 1200, "long_sum")
    check_grad(f, (0.7,), backend="python")
    longest = max(line.count("+") for line in ta.source(ta.grad(f, backend="python"),
                                                         0.7).splitlines())
    assert longest <= 32


@pytest.mark.slow
def test_a_2000_line_function(tmp_path):
    check_grad(_long_function(tmp_path, 2000, "lines_2000"), (0.7,), backend="python")


def deep_sum(x, n):
    if n == 0:
        return x
    return np.sin(x) + deep_sum(x * 0.999, n - 1)


def test_a_deep_recursion_runs_within_the_limit():
    n = 5000  # deeper than Python's own limit: the machine code goes further
    got = ta.grad(deep_sum, backend="numba")(0.3, n)
    x, want = 0.3, 0.0
    scale = 1.0
    for _ in range(n):  # d/dx of sum_k sin(0.999^k x) + 0.999^n x
        want += scale * np.cos(x)
        x, scale = x * 0.999, scale * 0.999
    assert np.isclose(got, want + scale)


def test_a_recursion_too_deep_for_the_stack_is_an_error_not_a_crash():
    """At a million calls the machine code overflowed the C stack and killed the process
    (twice: the second time from numba's cache). Run in a child process, so a crash would
    fail this test rather than the test run."""
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, "tests")
        import tangent_ad as ta
        from test_limits import deep_sum
        try:
            ta.grad(deep_sum, backend="numba")(0.3, 10 ** 6)
        except RecursionError as exc:
            print("RecursionError:", exc)
    """)
    for _ in range(2):  # the second process loads the machine code from the cache
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "recursed deeper than 20000 calls" in run.stdout

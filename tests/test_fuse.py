"""The fused copy that numba compiles computes what the printed derivative computes."""
import ast
import re

import gast
import numpy as np
import pytest

import tangent_ad as ta
from conftest import check_grad
from tangent_ad.codegen.fuse import fused_source
from tangent_ad.codegen.loops import fuse_loops
from tangent_ad.kinds import Kind


def _run(text, name, *args):
    ns = {"np": np}
    exec(text, ns)
    return ns[name](*args)


def _fused(text, name="f"):
    return fused_source(text, name, name + "_fused")


def test_chain_fuses_into_one_statement():
    text = "def f(x):\n    v1 = x + 1.0\n    v2 = np.sin(v1)\n    v3 = v2 * x\n    return v3\n"
    fused = _fused(text)
    assert fused.count("\n") == 3 and "np.sin(x + 1.0) * x" in fused


@pytest.mark.parametrize("between", ["    x[0] = 5.0\n", "    x += 1.0\n",
                                     "    x = x * 2.0\n", "    g(x)\n",
                                     "    for i in range(2):\n        x[i] = 0.0\n"])
def test_nothing_moves_past_a_write_it_depends_on(between):
    text = ("def g(a):\n    a[1] = 7.0\n\n"
            f"def f(x):\n    x = x.copy()\n    v1 = x * 3.0\n{between}    v2 = v1 + x\n"
            "    return v2\n")
    fused = _fused(text)
    assert fused is None or "v1 = x * 3.0" in fused
    x = np.arange(4.0)
    assert np.array_equal(_run(text, "f", x), _run(text + "\n" + (fused or ""), "f", x))


def test_temporaries_read_twice_or_in_a_loop_stay():
    text = ("def f(x, n):\n    v1 = x * 2.0\n    v2 = x + 1.0\n    s = x\n"
            "    for i in range(n):\n        s = s + v1\n    return s * v2 + v2\n")
    assert _fused(text) is None


def test_calls_and_pops_do_not_move():
    text = ("def f(x):\n    v1_stack = [x]\n    v1 = v1_stack.pop()\n    v2 = np.sum(v1)\n"
            "    v3 = v2 * 2.0\n    v4 = v3 + 1.0\n    return v4\n")
    fused = _fused(text)
    assert "v1_stack.pop()" in fused and "v2 = np.sum(v1)" in fused and "v2 * 2.0 + 1.0" in fused


def test_generated_gradient_runs_fused_with_its_vector_statements_as_one_loop():
    def f(w, X, y):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))

    rng = np.random.default_rng(0)
    w, X, y = rng.standard_normal(3), rng.standard_normal((20, 3)), rng.random(20)
    g = ta.grad(f, backend="numba")
    expected = ta.grad(f, backend="python")(w, X, y)
    assert np.allclose(g(w, X, y), expected, rtol=1e-12, atol=0)
    check_grad(f, (w, X, y), backend="numba")
    assert g.last.call.machine.__name__.endswith("_fused")
    assert "_fused" not in str(g.source)
    fused = g.last.text[g.last.text.index("_fused("):]
    assert "for e in range(" in fused and "np.empty(" in fused  # one loop, its result array
    assert "for e in" not in str(g.source)  # the printed derivative keeps its statements


def vectors_in_a_loop(x, n):
    s = 0.0
    for t in range(n):
        u = np.sin(x) * t
        v = u * u + x
        s = s + np.sum(v * x)
    return s


def test_vector_statements_in_a_loop_body_become_a_loop_there():
    x = np.linspace(0.1, 0.9, 4)
    check_grad(vectors_in_a_loop, (x, 3), backend="numba")
    g = ta.grad(vectors_in_a_loop, backend="numba")
    g(x, 3)
    fused = g.last.text[g.last.text.index("_fused("):]
    assert "        for e in range(" in fused  # nested in the loop over t
    assert g.last.call.machine.__name__.endswith("_fused")


def mean_square(w, b, x, y):
    return np.mean((w * x + b - y) ** 2)


def test_a_vector_read_for_its_size_stays_a_vector():
    x = np.linspace(0.0, 1.0, 5)
    check_grad(mean_square, (0.3, 0.1, x, 2 * x), argnums=(0, 1), backend="numba")
    g = ta.grad(mean_square, argnums=(0, 1), backend="numba")
    g(0.3, 0.1, x, 2 * x)
    assert g.last.call.machine.__name__.endswith("_fused")  # numba compiled the loop


def mahalanobis(x, mu, L):
    z = (x - mu) @ L.T
    return np.sum(np.exp(-0.5 * np.sum(z * z, axis=1)))


def test_matrix_statements_after_vector_ones_become_a_loop_in_their_loop():
    rng = np.random.default_rng(0)
    x, mu, L = rng.standard_normal((6, 3)), rng.standard_normal(3), np.eye(3) / 2
    check_grad(mahalanobis, (x, mu, L), argnums=(1, 2), backend="numba")
    g = ta.grad(mahalanobis, argnums=(1, 2), backend="numba")
    g(x, mu, L)
    fused = g.last.text[g.last.text.index("_fused("):]
    # the backward sweep of np.sum(z * z, axis=1): a vector, then the matrix z_bar
    assert re.search(r"    for e\w* in range\(z.shape\[0\]\):\n(        .*\n)+"
                     r"        for f\w* in range\(z.shape\[1\]\):\n"
                     r"            z_bar\[e\w*, f\w*\] = ", fused)
    assert g.last.call.machine.__name__.endswith("_fused")


def test_a_vector_of_the_run_is_not_broadcast_along_a_matrix():
    """A square matrix's statement that broadcasts a vector the run computes (one number
    per row in the loop) would read the wrong number: the run stops before it."""
    fdef = gast.parse(
        "def f(s, a):\n    v = -s\n    m = a * v\n    return m\n").body[0]
    kinds = {"s": Kind(1, ("d",)), "v": Kind(1, ("d",)), "a": Kind(2, ("d", "d")),
             "m": Kind(2, ("d", "d"))}
    assert not fuse_loops(fdef, lambda n: kinds.get(n, Kind(None, None)))


def test_an_assignment_moves_out_of_the_loop_only_when_the_order_does_not_matter():
    vector = Kind(1, ("d",))
    kinds = {n: vector for n in ("g", "h", "b_bar", "v_bar", "v1", "v2", "b")}

    def fused(text):
        fdef = gast.parse(text).body[0]
        fuse_loops(fdef, lambda n: kinds.get(n, Kind(None, None)))
        return ast.unparse(gast.gast_to_ast(fdef))

    # `h = tape[t]` after the loop: the update after it does not read h
    moved = fused("def f(g, h, b_bar, tape, t):\n    v_bar = g * h\n    h = tape[t]\n"
                  "    b_bar += v_bar\n    return h\n")
    assert moved.index("b_bar[e] += v_bar") < moved.index("h = tape[t]")
    # here it does: the run stops before `h = tape[t]`
    kept = fused("def f(g, h, b_bar, tape, t):\n    v_bar = g * h\n    h = tape[t]\n"
                 "    b_bar += v_bar * h\n    return h\n")
    assert "for e" not in kept and kept.index("h = tape[t]") < kept.index("b_bar +=")
    # a forward step: the tape's row is written before the loop, which makes a new h
    forward = fused("def f(v1, b, h, tape, t):\n    h = tape[0]\n    v2 = v1 + b\n"
                    "    tape[t] = h\n    h = np.tanh(v2)\n    return h\n")
    assert re.search(r"tape\[t\] = h\n    h = np.empty\(.*\n    for e in .*\n"
                     r"        v2 = .*\n        h\[e\] = np.tanh\(v2\)", forward)
    # h read by the run before it is assigned again: its old value is needed
    reread = fused("def f(v1, b, h, tape):\n    h = tape[0]\n    v2 = v1 + h\n    h = np.tanh(v2)\n"
                   "    return h\n")
    assert "for e" not in reread

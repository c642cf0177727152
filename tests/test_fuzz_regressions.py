"""Programs the differential fuzzer (tools/fuzz) found wrong, shrunk to minimal ones.

Each is checked the way the fuzzer checks: grad, value_and_grad and jvp on the backend
against central differences and against each other, and the caller's arguments
unchanged. A case marked xfail is a known wrong derivative, fixed elsewhere; its reason
says what it computes.
"""
import textwrap

import numpy as np
import pytest

from tools.fuzz.checker import check
from tools.fuzz.grammar import Program

X = np.array([-0.6054065, 1.00234818, -0.60771946])
A = np.array([[-1.00157066, -1.07311335, 1.01553932], [-0.77376325, -1.181778, -0.61237698]])


def assert_agrees(body, args, backend, or_refused=False):
    """`or_refused`: a located refusal passes too (never a wrong number or a crash)."""
    text = "import math\n\nimport numpy as np\n\n\n" + textwrap.dedent(body)
    outcome = check(Program(text, {}, values=args), (backend,))
    allowed = ("agree", "refused") if or_refused else ("agree",)
    assert outcome.kind in allowed, f"{outcome.kind}: {outcome.label}\n{outcome.detail}"


# An in-place write into a slice whose old values the backward sweep reads: the tapes now
# keep those values, and the alias check (frontend/aliases.py) still refuses the write, to
# be safe. These cases pass either way; only a wrong number or a crash fails them.


def test_branch_with_empty_backward_sweep_restores_only_when_taken(backend):
    # `s > 0.2 and x < 1.0` assigns the test's variable in a branch of its own; that
    # branch has no backward code, and its restore ran even when the branch did not.
    assert_agrees("""
        def f(x, s):
            if s > 0.2 and x < 1.0:
                pass
            else:
                for i in range(2):
                    pass
            return 0.7 * x * s
        """, (0.5, -0.3), backend)


def test_branch_with_empty_backward_sweep_in_a_loop(backend):
    assert_agrees("""
        def f(x, s):
            acc = 0.0
            for i in range(3):
                if s > 0.2 and x < 0.5 + i:
                    pass
                acc = acc + np.sin(x * acc + s)
            return acc
        """, (0.7, 0.4), backend)


def test_value_and_grad_returns_the_value_before_the_tapes_restore_it(backend):
    # The backward sweep restores `acc` from its tape; the value returned is the last one.
    assert_agrees("""
        def f(x, s):
            acc = 0.0
            for i in range(3):
                acc = acc + np.sin(x * acc + s)
            return acc
        """, (0.7, 0.4), backend)


def test_slice_updated_in_place_is_read_before_the_write(backend):
    # `z[1:] *= e` reads the view `z[1:]` and then writes into it: the multiplication's
    # adjoint needs the elements as they were.
    assert_agrees("""
        def f(x, s):
            z = x.copy()
            z[1:] *= np.cos(s)
            z[::2] *= s
            return np.sum(np.sin(z))
        """, (X, -0.73), backend, or_refused=True)


def test_argument_row_slice_updated_in_place(backend):
    assert_agrees("""
        def f(x, A):
            A[-2, 1:] *= np.cos(x[0])
            return np.sum(A)
        """, (X, A), backend, or_refused=True)


@pytest.mark.xfail(strict=True, reason="a for loop over an array that its body rebinds "
                   "iterates over the new array: grad is wrong (the loop over enumerate(x) "
                   "reads x[i] after `x = x + e` instead of the original x's elements)")
def test_loop_over_an_array_its_body_rebinds(backend):
    assert_agrees("""
        def f(x, A):
            for i, e in enumerate(x):
                x = x + e
            return np.sum(x * A[0])
        """, (np.array([0.2, 0.8, 0.97]), A), backend)


# -- refusals of what the README says works ---------------------------------------------------
@pytest.mark.xfail(strict=True, reason="refused: `Break` statements cannot be differentiated, "
                   "for a loop with `break` inside an `if` (the README: break anywhere, "
                   "nesting of any depth)")
def test_break_in_a_loop_inside_an_if(backend):
    assert_agrees("""
        def f(x, s):
            if s < 0.0:
                for k in range(3):
                    if x > 0.2:
                        break
                    x = x * 2.0
            return x
        """, (0.1, -0.5), backend)


def test_element_of_an_array_in_a_dict_argument(backend):
    assert_agrees("""
        def f(p, s):
            return p['w'][0] * p['b'] + s
        """, ({"w": X, "b": 0.2}, 0.3), backend)


def test_element_written_in_a_branch_with_empty_backward_sweep(backend):
    # The branch's write saves the old row; its restore ran even when the branch did not.
    assert_agrees("""
        def f(x, A, s):
            s = A[:, -2] @ (A @ x)
            z = np.zeros((2, 3))
            if np.arctan2(z[1, 2], 2.0 + np.cos(s)) > 0.0:
                A[-1] *= np.cos(np.sum(z[:, -2]))
            return 1.3 * s
        """, (X, A, -0.8), backend, or_refused=True)


@pytest.mark.xfail(strict=True, reason="NameError in the generated gradient: a nested def "
                   "that reads an element of a tuple argument (`t[0]`) is lifted with `t` "
                   "as an extra parameter, but the gradient has only t's leaves")
def test_nested_def_reads_an_element_of_a_tuple_argument(backend):
    assert_agrees("""
        def f(A, t):
            def g(u):
                return t[0][:, None] / 2.0 * u
            z = (0.5 * A).copy()
            z[:, :1] += g(A[1, 0])
            return np.sum(z)
        """, (A, (np.array([-0.38, 0.37]), -0.41)), backend)


def test_matmul_of_an_operand_of_unknown_rank_is_refused_not_crashed():
    # `np.mean(A, axis=-1)` has a kind of unknown rank (the negative axis is not read as
    # a literal); choosing matmul's adjoint compared that unknown rank with a number.
    text = ("import numpy as np\n\n\ndef f(x, A):\n    x = np.mean(A, axis=-1) @ A\n"
            "    return np.sum(x[::1])\n")
    outcome = check(Program(text, {}, values=(X, A)))
    assert outcome.kind in ("agree", "refused"), f"{outcome.label}\n{outcome.detail}"


@pytest.mark.xfail(strict=True, reason="`z[:] = z` (an array written with itself through a "
                   "full slice) loses the derivative: grad of x[0] is 0, not -1")
def test_array_assigned_to_its_own_full_slice(backend):
    assert_agrees("""
        def f(x, A):
            z = np.array([2.0, A[-1, -2] - x[0], 1.5])
            z[:] = z
            return np.sum(z)
        """, (X, A), backend)

"""Bad input gets a clear error: what is wrong, where, and what to write instead."""
import re

import numpy as np
import pytest

import tangent_ad as ta

HERE = __file__


def vector_out(x):
    return x * 2.0


def test_non_scalar_output_names_shape_and_alternatives():
    with pytest.raises(TypeError, match=r"shape \(3,\).*jacrev.*jacfwd.*vjp"):
        ta.grad(vector_out)(np.ones(3))


def two(x, y):
    return x * y


@pytest.mark.parametrize("argnums, message", [
    ((), r"argnums=\(\) asks for no derivatives"),
    ((0, 0), r"repeats a position"),
    (2, r"argnums=2 requires at least 3 positional arguments"),
    ("x", r"must be an int or a tuple of ints"),
])
def test_bad_argnums(argnums, message):
    with pytest.raises(TypeError, match=message):
        ta.grad(two, argnums=argnums)


def test_too_few_arguments_at_call():
    with pytest.raises(TypeError, match="positional arguments"):
        ta.grad(two, argnums=1)(1.0)


def uses_with(x):
    with open("data") as f:  # noqa: F841
        return x


def uses_try(x):
    try:
        return x * 2
    except ValueError:
        return x


def uses_comprehension(x):
    return np.sum(np.array([v * 2 for v in x]))


def _line_of(fn, text):
    import inspect
    lines, start = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if text in line:
            return start + i, line.index(text.strip()) + 1
    raise AssertionError(text)


@pytest.mark.parametrize("fn, snippet, what, hint", [
    (uses_with, "with open", "`with` blocks", "pass the data in"),
    (uses_try, "try:", "`try` statements", "move the try/except outside"),
    (uses_comprehension, "[v * 2", "list comprehensions", "`for` loop"),
])
def test_unsupported_syntax_is_located(fn, snippet, what, hint):
    line, col = _line_of(fn, snippet)
    with pytest.raises(ta.UnsupportedSyntaxError) as info:
        ta.grad(fn)(np.ones(2) if fn is uses_comprehension else 1.0)
    text = str(info.value)
    assert text.startswith(f"{HERE}:{line}:{col}: {what} cannot be differentiated.")
    assert snippet in text.splitlines()[1]          # the quoted line
    assert re.search(r"^\s*\^$", text.splitlines()[2])  # the caret
    assert hint in text


def no_source_call(x):
    return np.fft.fft(x).real.sum()


def test_missing_rule_names_function_and_registration():
    with pytest.raises(ta.MissingRuleError) as info:
        ta.grad(no_source_call)(np.ones(4))
    text = str(info.value)
    assert "numpy.fft.fft" in text or "fft" in text
    assert "ta.adjoint_rule" in text and "ta.tangent_rule" in text


def undefined_name(x):
    return x * not_defined_anywhere  # noqa: F821


def bad_method(x):
    return x.nonexistent()


def bad_operator(x):
    return x << 2


@pytest.mark.parametrize("fn, message", [
    (undefined_name, "`not_defined_anywhere` is not defined"),
    (bad_method, "method `.nonexistent()`"),
    (bad_operator, "LShift"),
])
def test_other_bad_input_is_a_tangent_ad_error(fn, message):
    with pytest.raises(ta.TangentADError, match=re.escape(message)):
        ta.grad(fn)(1.0)


def test_source_unavailable():
    namespace = {}
    exec("def f(x):\n    return x * 2\n", namespace)
    with pytest.raises(ta.TangentADError, match="cannot find the source"):
        ta.grad(namespace["f"])(1.0)


def aux_not_pair(x):
    return x * 2.0


def test_has_aux_requires_a_pair():
    with pytest.raises(TypeError, match=r"has_aux=True requires .* pair"):
        ta.grad(aux_not_pair, has_aux=True)(1.0)


def test_bool_argument_cannot_be_differentiated():
    with pytest.raises(TypeError, match="bool"):
        ta.grad(two)(True, 1.0)


def appends(x):
    ys = []
    while x < 3.0:
        ys.append(x)
        x = x + 1.0
    return ys[0]


def loop_else(x):
    for i in range(3):
        x = x * 2.0
    else:
        x = x + 1.0
    return x


def iterates_items(x):
    for k, v in x.items():
        x = x * v
    return x


def writes_attribute(x):
    x.attr = 3.0
    return x


def writes_global(x):
    global GLOBAL_COUNTER
    GLOBAL_COUNTER = 1
    return x


def defines_class(x):
    class Box:
        pass
    return x


def generator(x):
    yield x


@pytest.mark.parametrize("fn, snippet, message", [
    (appends, "ys.append", "appending to a list in a loop whose number of iterations"),
    (loop_else, "for i in range(3):", "`for ... else` cannot be differentiated"),
    (iterates_items, "x.items()", "this loop cannot be reversed"),
    (writes_attribute, "x.attr", "assignments into attributes"),
    (writes_global, "global GLOBAL", "`global` declarations"),
    (defines_class, "class Box", "classes defined inside the function"),
    (generator, "yield", "generators"),
])
def test_unsupported_programs_are_located(fn, snippet, message):
    line, col = _line_of(fn, snippet)
    with pytest.raises(ta.UnsupportedSyntaxError) as info:
        ta.grad(fn)(1.0)
    text = str(info.value)
    assert text.startswith(f"{HERE}:{line}:{col}: ") and message in text
    assert "hint:" in text

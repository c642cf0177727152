"""Containers as parameters and containers built in the function, written the way users
write them: the structure (lengths, keys) is known when the derivative is generated, so
loops over it are unrolled and its reads become plain leaf variables."""
import collections
import inspect
import re

import numpy as np
import pytest

import tangent_ad as ta
from conftest import check_grad, check_jvp

RNG = np.random.default_rng(0)
W1, B1 = RNG.standard_normal((3, 4)), RNG.standard_normal(4)
W2, B2 = RNG.standard_normal((4, 2)), RNG.standard_normal(2)
X = RNG.standard_normal(3)
PARAMS = [(W1, B1), (W2, B2)]
Layer = collections.namedtuple("Layer", ["W", "b"])


# -- containers as parameters -----------------------------------------------------------

def mlp(params, x):
    for W, b in params[:-1]:
        x = np.tanh(x @ W + b)
    W, b = params[-1]
    return np.sum(x @ W + b)


def mlp_all_layers(params, x):
    for W, b in params:
        x = np.tanh(x @ W + b)
    return np.sum(x)


def mlp_indexed(params, x):
    for i in range(len(params)):
        W, b = params[i]
        x = np.tanh(x @ W + b)
    return np.sum(x)


def mlp_enumerated(params, x):
    for i, (W, b) in enumerate(params):
        x = np.tanh(x @ W + b) * (i + 1)
    return np.sum(x)


def first_layer_and_rest(params, x):
    W, b = params[0]
    h = np.tanh(x @ W + b)
    for W, b in params[1:]:
        h = np.sin(h @ W + b)
    return np.sum(h)


def last_by_length(t, x):
    last = t[len(t) - 1]
    a, b, c = t
    return np.sum(last * x) + a * b * np.sum(c) + t[-2]


def zipped_columns(params, x):
    Ws, bs = zip(*params)
    return np.sum(x @ Ws[0]) * np.sum(bs[1]) + len(Ws)


def spaced_keys(params, x):
    return np.sum(params["log proportions"] * x) + np.sum(np.exp(params["init hiddens"]))


def nested(params, x):
    for W, b in params["layers"]:
        x = np.tanh(x @ W + b)
    return np.sum(x) * params["scale"]


def by_type(params, x):
    total = 0.0
    if isinstance(params, list):
        total = total + np.sum(x @ params[0][0])
    if isinstance(params, dict):
        total = total + 100.0
    if isinstance(params[0], tuple):
        total = total + np.sum(params[0][1] ** 2)
    return total


def named_layers(layers, x):
    for layer in layers:
        x = np.tanh(x @ layer.W + layer.b)
    return np.sum(x)


def dict_items(params, x):
    total = sum(np.sum(value * x) for key, value in params.items())
    for key in sorted(params):
        total = total * 0.5 + np.sum(params[key] ** 2)
    return total


PARAMETER_CASES = [
    (mlp, (PARAMS, X)),
    (mlp_all_layers, (PARAMS, X)),
    (mlp_indexed, (PARAMS, X)),
    (mlp_enumerated, (PARAMS, X)),
    (first_layer_and_rest, ([(W1, B1), (W2, B2), (np.eye(2), np.ones(2))], X)),
    (last_by_length, ((1.5, 2.0, X[:2] + 0.5), X[:2])),
    (zipped_columns, (PARAMS, X)),
    (spaced_keys, ({"log proportions": X, "init hiddens": B1}, X)),
    (nested, ({"layers": PARAMS, "scale": 0.7}, X)),
    (by_type, (PARAMS, X)),
    (named_layers, ([Layer(W1, B1), Layer(W2, B2)], X)),
    (dict_items, ({"a": X, "b b": X ** 2}, X)),
]


@pytest.mark.parametrize("f, args", PARAMETER_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_containers_as_parameters(f, args, backend):
    check_grad(f, args, argnums=(0, 1), backend=backend)
    check_jvp(f, args, backend=backend)


# -- containers built in the function ---------------------------------------------------

def rnn_stacked(W, xs):
    h = np.zeros(W.shape[0])
    outputs = []
    for t in range(3):
        h = np.tanh(W @ h + xs[t])
        outputs.append(h)
    return np.sum(np.stack(outputs) ** 2)


def appended_over_layers(params, x):
    hiddens = []
    for W, b in params:
        x = np.tanh(x @ W + b)
        hiddens.append(np.sum(x))
    return sum(hiddens) + hiddens[-1] * np.sum(np.array(hiddens))


def l2_penalty(params, x):
    return sum(np.sum(W ** 2) for W, b in params) + np.sum(x)


def l2_numpy(params, x):
    return np.sum([np.sum(W ** 2) for W, b in params]) * np.sum(x ** 2)


def comprehensions(params, x):
    norms = [np.sum(W ** 2) for W, b in params]
    doubled = {k: v * 2.0 for k, v in zip(("first", "second"), norms)}
    squares = [x[i] ** 2 for i in range(3)]
    return doubled["first"] * doubled["second"] + sum(squares)


def concatenated(params, x):
    return np.sum(np.concatenate([b * x[0] for W, b in params]) ** 2)


def dict_comprehension(params, x):
    scaled = {k: v * 2.0 for k, v in params.items()}
    return np.sum(scaled["a"] * x) + np.sum(scaled["b b"])


BUILDING_CASES = [
    (rnn_stacked, (RNG.standard_normal((3, 3)), RNG.standard_normal((3, 3)))),
    (appended_over_layers, (PARAMS, X)),
    (l2_penalty, (PARAMS, X)),
    (l2_numpy, (PARAMS, X)),
    (comprehensions, (PARAMS, X)),
    (concatenated, (PARAMS, X)),
    (dict_comprehension, ({"a": X, "b b": X ** 2}, X)),
]


@pytest.mark.parametrize("f, args", BUILDING_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_building_containers(f, args, backend):
    check_grad(f, args, argnums=(0, 1), backend=backend)
    check_jvp(f, args, backend=backend)


# -- what the generated code looks like ---------------------------------------------------

def test_unrolled_layers_read_as_leaves():
    source = ta.source(ta.grad(mlp_all_layers, backend="python"), PARAMS, X)
    assert "params_0_0" in source and "params_1_1" in source
    # one header per unrolled layer, in the forward pass and in the adjoint
    assert source.count("# for W, b in params:") == 4
    assert "for " not in source.replace("# for", "")


def test_spaced_keys_are_identifiers():
    source = ta.source(ta.grad(spaced_keys, backend="python"),
                       {"log proportions": X, "init hiddens": B1}, X)
    assert "params_log_proportions" in source and "params_init_hiddens" in source


def test_a_new_structure_is_a_new_derivative():
    g = ta.grad(mlp_all_layers, backend="python")
    three = PARAMS + [(np.eye(2), np.zeros(2))]
    check_grad(mlp_all_layers, (three, X))
    assert len(g(PARAMS, X)) == 2 and len(g(three, X)) == 3


def test_a_loop_over_a_run_time_range_stays_a_loop(backend):
    def scan(W, xs):
        h = np.zeros(W.shape[0])
        for t in range(xs.shape[0]):
            h = np.tanh(W @ h + xs[t])
        return np.sum(h)
    check_grad(scan, (RNG.standard_normal((2, 2)), RNG.standard_normal((4, 2))),
               argnums=(0, 1), backend=backend)


# -- what stays refused, with the rewrite that works --------------------------------------

def appends_in_a_run_time_loop(W, xs):
    h = np.zeros(W.shape[0])
    outputs = []
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
        outputs.append(h)
    return np.sum(np.stack(outputs))


def indexes_by_a_run_time_value(params, x):
    k = int(x[0] > 0)
    W, b = params[k]
    return np.sum(x @ W + b)


def comprehension_over_an_array(params, x):
    return sum(v * 2.0 for v in x)


def _where(f, snippet):
    """(line, column) of `snippet` in the body of `f`."""
    lines, start = inspect.getsourcelines(f)
    for i, line in enumerate(lines[1:], 1):
        if snippet in line:
            return start + i, line.index(snippet) + 1
    raise AssertionError(snippet)


@pytest.mark.parametrize("f, args, snippet, message, hint", [
    (appends_in_a_run_time_loop, (np.eye(2), np.ones((3, 2))), "outputs.append(h)",
     "only known when the function runs", "outputs[t] = h"),
    (indexes_by_a_run_time_value, (PARAMS, X), "params[k]",
     "only known when the function runs", "np.stack(items)[i]"),
    (comprehension_over_an_array, (PARAMS, X), "(v * 2.0",
     "generator expressions cannot be differentiated. This one runs over an array",
     "y = np.zeros(n)"),
], ids=["append", "index", "comprehension"])
def test_refused_with_a_rewrite(f, args, snippet, message, hint):
    line, col = _where(f, snippet)
    with pytest.raises(ta.UnsupportedSyntaxError) as info:
        ta.grad(f, argnums=(0, 1), backend="python")(*args)
    text = str(info.value)
    assert re.match(rf".*:{line}:{col}: ", text), text
    assert message in text and hint in text


# -- the structure is only used where it is known -------------------------------------------

def comprehension_in_a_loop(params, x):
    W = params[0][0]
    s = 0.0
    for t in range(x.shape[0]):
        s = s + sum(np.sum(W * x[t]) for W, b in params[1:])
    return s + np.sum(W)


def layers_in_a_time_loop(params, xs):
    h = np.zeros(2)
    for t in range(xs.shape[0]):
        x = xs[t]
        for i in range(len(params)):
            W, b = params[i]
            x = np.tanh(x @ W + b)
        h = h + x
    return np.sum(h ** 2)


@pytest.mark.parametrize("f, args", [
    (comprehension_in_a_loop, ([(W1, B1), (W1 * 0.5, B1)], RNG.standard_normal((2, 3, 4)))),
    (layers_in_a_time_loop, (PARAMS, RNG.standard_normal((4, 3)))),
], ids=["comprehension_in_a_loop", "layers_in_a_time_loop"])
def test_structure_inside_run_time_loops(f, args, backend):
    check_grad(f, args, argnums=(0, 1), backend=backend)
    check_jvp(f, args, backend=backend)


def index_changed_in_a_loop(params, x):
    i = 0
    for t in range(x.shape[0] - 2):
        W, b = params[i]
        x = x[:2] * np.sum(W)
        i = i + 1
    return np.sum(x)


def appends_to_an_argument(params, x):
    layers = params
    layers.append((W2, B2))
    return np.sum(x)


@pytest.mark.parametrize("f, message", [
    (index_changed_in_a_loop, "only known when the function runs"),
    (appends_to_an_argument, "only appending to a list made in this function"),
], ids=["index", "append"])
def test_structure_that_is_not_known_is_refused(f, message):
    with pytest.raises(ta.UnsupportedSyntaxError, match=message):
        ta.grad(f, backend="python")(PARAMS, X)


def preallocated_outputs(W, xs):
    """The rewrite the refusal of `outputs.append(h)` in a run-time loop names."""
    h = np.zeros(W.shape[0])
    outputs = np.zeros((xs.shape[0], W.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
        outputs[t] = h
    return np.sum(outputs ** 2)


def test_the_named_rewrite_of_a_run_time_append_works(backend):
    args = (RNG.standard_normal((2, 2)), RNG.standard_normal((4, 2)))
    check_grad(preallocated_outputs, args, argnums=(0, 1), backend=backend)
    check_jvp(preallocated_outputs, args, backend=backend)


def over_keys(params, x):
    total = 0.0
    for key in sorted(params):
        total = total * 0.5 + np.sum(np.sin(params[key]) * x)
    doubled = {k: v * 2.0 for k, v in params.items()}
    return total + sum(np.sum(v) for v in doubled.values())


def test_a_loop_over_the_sorted_keys_of_a_dict(backend):
    args = ({"b": X, "a": X ** 2, "log p": X + 1.0}, X)
    check_grad(over_keys, args, argnums=(0, 1), backend=backend)
    check_jvp(over_keys, args, backend=backend)


def in_the_callers_order(params, x):
    total = 0.0
    for key in params:  # the caller's insertion order: not part of the structure
        total = total * 0.5 + np.sum(np.sin(params[key]) * x)
    return total


def listed_in_the_callers_order(params, x):
    doubled = {k: v * 2.0 for k, v in params.items()}
    values = [v for v in doubled.values()]
    return np.sum(values[0] * x)


@pytest.mark.parametrize("f", [in_the_callers_order, listed_in_the_callers_order])
def test_the_order_of_a_dict_argument_is_not_guessed(f):
    with pytest.raises(ta.UnsupportedSyntaxError, match="order of a dict argument") as info:
        ta.grad(f, backend="python")({"b": X, "a": X ** 2}, X)
    assert "sorted(d)" in str(info.value)


def joined_lists(params, x):
    ys = [x]
    for W, b in params:
        ys = ys + [np.tanh(ys[-1] @ W + b)]
    pairs = (x[0],) * 2
    return np.sum(ys[-1]) * pairs[1]


def test_joined_lists(backend):
    check_grad(joined_lists, (PARAMS, X), argnums=(0, 1), backend=backend)
    check_jvp(joined_lists, (PARAMS, X), backend=backend)


def adds_layers_to_an_array(params, x):
    return np.sum(x + params)


def test_arithmetic_on_nested_lists_is_refused():
    with pytest.raises(ta.UnsupportedSyntaxError, match="arithmetic on a dict, or on nested"):
        ta.grad(adds_layers_to_an_array, backend="python")(PARAMS, X)


def _predict_last_layer(params, x):
    W, b = params[1]
    return x @ W + b


def uses_a_helper_that_unpacks_a_layer(params, x):
    return np.sum(_predict_last_layer(params, x))


def test_a_helper_unpacks_an_element_of_the_caller_s_list(backend):
    rng = np.random.default_rng(3)
    params = [(rng.normal(size=(2, 2)), rng.normal(size=2)),
              (rng.normal(size=(2, 2)), rng.normal(size=2))]
    check_grad(uses_a_helper_that_unpacks_a_layer, (params, rng.normal(size=(3, 2))),
               backend=backend)

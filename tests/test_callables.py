"""Functions and objects as values: defaults, functions passed to helpers, partials, lambdas,
`map`, bound methods, `self.W`, layer objects, dataclass parameters, nested derivatives.

Each is static structure, bound when the derivative is generated; every derivative is
checked against finite differences, on both backends, in both modes.
"""
import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close, check_grad, check_jvp
from tangent_ad.checking import numerical_grad

rng = np.random.default_rng(0)
X = rng.normal(size=3)
W = rng.normal(size=(3, 3))
B = rng.normal(size=3)


# -- functions as values -------------------------------------------------------------------
def dense(x, W, nonlinearity=np.tanh):
    return nonlinearity(W @ x)


def default_activation(x, W):
    return np.sum(dense(x, W) ** 2)


def dynamics(y, t):
    return -0.5 * y + np.sin(t) * y ** 2


def rk4(f, y, t, dt):
    k1 = f(y, t)
    k2 = f(y + 0.5 * dt * k1, t + 0.5 * dt)
    k3 = f(y + 0.5 * dt * k2, t + 0.5 * dt)
    k4 = f(y + dt * k3, t + dt)
    return y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def rk4_step(y0):
    return np.sum(rk4(dynamics, y0, 0.0, 0.1))


def odeint(f, y0, ts):
    y = y0
    for i in range(ts.shape[0] - 1):
        y = rk4(f, y, ts[i], ts[i + 1] - ts[i])
    return y


TS = np.linspace(0.0, 0.5, 6)


def ode_net(y0):
    return np.sum(odeint(dynamics, y0, TS) ** 2)


def scaled(x, a=2.0):
    return a * np.sin(x)


def apply(f, x):
    return f(x)


def partial_passed(x):
    g = functools.partial(scaled, a=1.5)
    return np.sum(apply(g, x))


def partial_of_array(x, W):
    g = functools.partial(dense, W=W)
    return np.sum(g(x))


SCALED_3 = functools.partial(scaled, a=3.0)


def partial_global(x):
    return np.sum(SCALED_3(x))


def lambda_passed(x):
    return np.sum(apply(lambda z: z ** 2 * x[0], x))


def nested_def_passed(x):
    c = np.cos(x)

    def shift(z):
        return z + c
    return np.sum(apply(shift, x) ** 2)


def closure_bound_then_rebound(x):
    c = x

    def times_c(z):
        return z * c
    g = times_c
    c = x ** 2  # g reads c when it is called, as Python does
    return np.sum(g(x)) + np.sum(apply(times_c, x))


def euler(f, y, n):
    def step(z):
        return z + 0.1 * f(z, 0.0)
    for i in range(n):
        y = step(y)
    return y


def nested_def_calls_a_passed_function(y0):
    return np.sum(euler(dynamics, y0, 3))


def map_over_arrays(x):
    layers = (x, 2.0 * x, x ** 2)
    ys = list(map(np.tanh, layers))
    return ys[0] @ ys[1] + np.sum(ys[2])


def map_over_functions(x):
    fs = [np.tanh, np.sin]
    ys = list(map(lambda f: f(x), fs))
    return np.sum(ys[0] * ys[1])


def function_argument(x, act):
    return np.sum(act(x) ** 2)


@pytest.mark.parametrize("f, args", [
    (default_activation, (X, W)), (rk4_step, (X,)), (ode_net, (X,)),
    (partial_passed, (X,)), (partial_of_array, (X, W)), (partial_global, (X,)),
    (lambda_passed, (X,)), (nested_def_passed, (X,)), (closure_bound_then_rebound, (X,)),
    (nested_def_calls_a_passed_function, (X,)),
    (map_over_arrays, (X,)),
    (map_over_functions, (X,))])
def test_functions_as_values(f, args, backend):
    check_grad(f, args, backend=backend)
    check_jvp(f, args, backend=backend)


def test_partial_of_array_second_argument(backend):
    check_grad(partial_of_array, (X, W), argnums=1, backend=backend)


@pytest.mark.parametrize("act", [np.tanh, np.sin, scaled])
def test_function_argument_of_the_differentiated_function(act, backend):
    """A function argument is static: part of the key, not differentiated."""
    got = ta.grad(function_argument, backend=backend)(X, act)
    assert_tree_close(got, numerical_grad(function_argument, (X, act), 0))
    out, out_dot = ta.jvp(function_argument, (X, act), (B, act), backend=backend)
    eps = 1e-6
    want = (function_argument(X + eps * B, act) - function_argument(X - eps * B, act)) / (2 * eps)
    np.testing.assert_allclose(out_dot, want, rtol=1e-5, atol=1e-6)


# -- objects ------------------------------------------------------------------------------
class MLP:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        return np.tanh(self.W @ x + self.b)

    def loss(self, x):
        return np.sum(self.forward(x) ** 2)


class Dense:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return np.tanh(self.W @ x)

    def forward(self, x):
        return np.sin(self.W @ x)


class Net:
    def __init__(self, layers):
        self.layers = layers

    def loss(self, x):
        for layer in self.layers:
            x = layer(x)
        return np.sum(x)

    def loss_indexed(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x) * (i + 1.0)
        return np.sum(self.layers[0](x) * self.layers[-1].forward(x))

    def loss_forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return np.sum(x ** 2)


class Stack:
    def __init__(self, weights):
        self.weights = weights

    def loss(self, x):
        for W in self.weights:
            x = np.tanh(W @ x)
        return np.sum(x ** 2) + np.sum(self.weights[0] * self.weights[1])


WEIGHTS = [W, 0.5 * W.T]


def global_list_of_arrays(x):
    for V in WEIGHTS:
        x = np.sin(V @ x)
    return np.sum(x)


def test_list_of_arrays_read_from_an_object_or_a_global(backend):
    stack = Stack([W.copy(), W.T.copy()])
    check_grad(stack.loss, (X,), backend=backend)
    check_jvp(stack.loss, (X,), backend=backend)
    df = ta.grad(stack.loss, backend=backend)
    df(X)
    assert "self_weights_1" in ta.source(df)
    stack.weights[1] = 2.0 * W
    assert_tree_close(df(X), numerical_grad(stack.loss, (X,), 0))
    stack.weights.append(W)
    with pytest.raises(ta.errors.TangentADError, match=r"a list of 2 arrays has 3 now"):
        df(X)
    check_grad(global_list_of_arrays, (X,), backend=backend)
    check_jvp(global_list_of_arrays, (X,), backend=backend)


MODEL = MLP(W, B)
LAYERS = [Dense(W), Dense(W.T)]


def global_model(x):
    return MODEL.loss(x) + np.sum(MODEL.b * x)


def global_layers(x):
    for layer in LAYERS:
        x = layer(x)
    return np.sum(x ** 2)


def test_global_model_and_layers(backend):
    global MODEL, LAYERS
    check_grad(global_model, (X,), backend=backend)
    check_jvp(global_model, (X,), backend=backend)
    check_grad(global_layers, (X,), backend=backend)
    dm, dl = ta.grad(global_model, backend=backend), ta.grad(global_layers, backend=backend)
    dm(X), dl(X)
    saved = MODEL, LAYERS
    try:
        MODEL, LAYERS = MLP(2.0 * W, B), [Dense(W)]
        with pytest.raises(ta.errors.TangentADError, match=r"`MODEL` is not the one"):
            dm(X)
        with pytest.raises(ta.errors.TangentADError, match=r"`LAYERS` is not the one"):
            dl(X)
    finally:
        MODEL, LAYERS = saved


def test_bound_method(backend):
    model = MLP(W, B)
    check_grad(model.loss, (X,), backend=backend)
    check_jvp(model.loss, (X,), backend=backend)


def test_self_attributes_are_read_at_every_call(backend):
    model = MLP(W.copy(), B)
    df = ta.grad(model.loss, backend=backend)
    df(X)
    model.W = 2.0 * W
    assert_tree_close(df(X), numerical_grad(model.loss, (X,), 0))
    assert "self_W" in ta.source(df)


@pytest.mark.parametrize("method", ["loss", "loss_forward", "loss_indexed"])
def test_list_of_layer_objects(method, backend):
    net = Net([Dense(W), Dense(W.T), Dense(0.5 * W)])
    check_grad(getattr(net, method), (X,), backend=backend)
    check_jvp(getattr(net, method), (X,), backend=backend)


def layers_as_argument(x, layers):
    for layer in layers:
        x = layer(x)
    return np.sum(x ** 2)


def test_layer_objects_as_argument(backend):
    layers = [Dense(W), Dense(W.T)]
    got = ta.grad(layers_as_argument, backend=backend)(X, layers)
    assert_tree_close(got, numerical_grad(layers_as_argument, (X, layers), 0))


@dataclass
class Params:
    W: np.ndarray
    b: np.ndarray


class Pair(NamedTuple):
    W: np.ndarray
    b: np.ndarray


def params_loss(p, x):
    return np.sum(np.tanh(p.W @ x + p.b) ** 2)


@pytest.mark.parametrize("kind", [Params, Pair])
def test_dataclass_and_namedtuple_parameters(kind, backend):
    got = check_grad(params_loss, (kind(W, B), X), backend=backend)
    assert type(got) is kind
    check_jvp(params_loss, (kind(W, B), X), backend=backend)


@dataclass
class Model:
    W: np.ndarray
    b: np.ndarray

    def forward(self, x):
        return np.tanh(self.W @ x + self.b)

    def loss(self, x):
        return np.sum(self.forward(x) ** 2)


def model_loss(model, x):
    return model.loss(x)


def test_gradient_with_respect_to_a_dataclass_model(backend):
    """A dataclass model is a pytree: its methods read its fields, the gradient is a Model."""
    model = Model(W, B)
    got = check_grad(model_loss, (model, X), backend=backend)
    assert type(got) is Model
    got = check_grad(Model.loss, (model, X), backend=backend)
    assert type(got) is Model
    check_jvp(model_loss, (model, X), backend=backend)


# -- nested differentiation ----------------------------------------------------------------
def inner(x):
    return np.sum(x ** 2)


def newton_objective(x):
    g = ta.grad(inner)(x)
    return np.sum(np.sin(x - 0.1 * g))


def test_nested_derivative_is_refused_at_its_line():
    with pytest.raises(ta.errors.TangentADError,
                       match=r"test_callables.py:\d+:\d+: `ta.grad\(\.\.\.\)` takes a "
                             r"derivative(.|\n)*hint: write the inner derivative"):
        ta.grad(newton_objective)(X)


def newton_rewritten(x):
    g = 2 * x  # the rewrite the hint names
    return np.sum(np.sin(x - 0.1 * g))


def test_nested_derivative_rewrite(backend):
    check_grad(newton_rewritten, (X,), backend=backend)


# -- refusals ------------------------------------------------------------------------------
def chosen_in_branch(x):
    f = np.sin
    if x[0] > 0:
        f = np.cos
    return np.sum(f(x))


def test_function_chosen_in_a_branch_is_refused():
    with pytest.raises(ta.errors.TangentADError, match=r"bound to another function inside"):
        ta.grad(chosen_in_branch)(X)


HOLDS_ARRAY = functools.partial(dense, W=W)


def partial_holding_array(x):
    return np.sum(HOLDS_ARRAY(x))


def test_global_partial_holding_an_array_is_refused():
    with pytest.raises(ta.errors.TangentADError, match=r"build the partial inside"):
        ta.grad(partial_holding_array)(X)


def test_differentiating_with_respect_to_a_function_is_refused():
    with pytest.raises(TypeError, match=r"respect to a ufunc: a function or an object is "
                                        r"static structure"):
        ta.grad(function_argument, argnums=1)(X, np.tanh)
    with pytest.raises(TypeError, match=r"respect to a list.*dataclass"):
        ta.grad(layers_as_argument, argnums=1)(X, [Dense(W)])


def test_layer_weights_are_read_at_every_call_and_structure_is_guarded(backend):
    net = Net([Dense(W.copy()), Dense(W.T.copy())])
    df = ta.grad(net.loss, backend=backend)
    df(X)
    assert "layers_0_W" in ta.source(df) and "layers_1_W" in ta.source(df)
    net.layers[1].W = 3.0 * W
    assert_tree_close(df(X), numerical_grad(net.loss, (X,), 0))
    net.layers.append(Dense(W))
    with pytest.raises(ta.errors.TangentADError, match=r"`self.layers` is not the one"):
        df(X)
    net.layers = [Dense(W), Dense(W)]
    with pytest.raises(ta.errors.TangentADError, match=r"take the derivative again"):
        df(X)


def map_over_an_array(x):
    return np.sum(list(map(np.tanh, x)))


def test_map_over_an_array_is_refused_with_the_rewrite():
    with pytest.raises(ta.errors.TangentADError, match=r"tuple or list of known length"
                                                       r"(.|\n)*hint: write the calls out"):
        ta.grad(map_over_an_array)(X)


def array_then_function(x):
    f = x
    if x[0] > 0:
        f = np.sin
    return np.sum(f(x))


def test_function_bound_over_an_array_in_a_branch_is_refused():
    with pytest.raises(ta.errors.TangentADError, match=r"bound to another function inside"):
        ta.grad(array_then_function)(X)

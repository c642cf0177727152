"""A small 1-D convnet built from layer objects: each layer is a class with __call__ and
knows which parameters it reads; the net is a list of layers."""
import numpy as np


class Conv1D:
    def __init__(self, width, in_channels, out_channels):
        self.width = width
        self.in_channels = in_channels
        self.out_channels = out_channels

    def init(self, rng):
        return (0.3 * rng.normal(size=(self.width, self.in_channels, self.out_channels)),
                np.zeros(self.out_channels))

    def __call__(self, params, x):
        kernel, bias = params
        n = x.shape[0] - self.width + 1
        out = np.zeros((n, self.out_channels)) + bias
        for k in range(self.width):
            out = out + x[k:k + n] @ kernel[k]
        return out


class Tanh:
    def init(self, rng):
        return ()

    def __call__(self, params, x):
        return np.tanh(x)


class Flatten:
    def init(self, rng):
        return ()

    def __call__(self, params, x):
        return x.reshape(-1)


class Dense:
    def __init__(self, n_in, n_out):
        self.n_in, self.n_out = n_in, n_out

    def init(self, rng):
        return 0.3 * rng.normal(size=(self.n_in, self.n_out)), np.zeros(self.n_out)

    def __call__(self, params, x):
        W, b = params
        return x @ W + b


layers = [Conv1D(3, 1, 2), Tanh(), Flatten(), Dense(8, 2)]


def forward(params, x):
    for layer, p in zip(layers, params):
        x = layer(p, x)
    return x


def loss(params, x, label):
    logits = forward(params, x)
    return np.log(np.sum(np.exp(logits))) - logits[label]


rng = np.random.default_rng(4)
params = [layer.init(rng) for layer in layers]
x = rng.normal(size=(6, 1))

CASES = [(loss, (params, x, 1), 0)]

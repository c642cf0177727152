"""Dict and list comprehensions over parameters: per-layer L2 penalties in a dict, the
activations of every layer in a list."""
import numpy as np


def forward(params, x):
    activations = [x]
    for name in ["layer1", "layer2"]:
        x = np.tanh(x @ params[name]["w"] + params[name]["b"])
        activations.append(x)
    return activations


def loss(params, x, y, weight_decay={"layer1": 1e-2, "layer2": 1e-3}):
    penalties = {name: weight_decay[name] * np.sum(p["w"] ** 2) for name, p in params.items()}
    activations = forward(params, x)
    sparsity = sum([np.mean(np.abs(a)) for a in activations[1:]])
    return np.mean((activations[-1] - y) ** 2) + sum(penalties.values()) + 0.1 * sparsity


rng = np.random.default_rng(22)
params = {"layer1": {"w": 0.5 * rng.normal(size=(3, 4)), "b": np.zeros(4)},
          "layer2": {"w": 0.5 * rng.normal(size=(4, 2)), "b": np.zeros(2)}}
x = rng.normal(size=(5, 3))
y = rng.normal(size=(5, 2))

CASES = [(loss, (params, x, y), 0)]

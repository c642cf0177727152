"""A pre-norm transformer block: layer norm, multi-head self-attention, a feed-forward
layer, residual connections; parameters in a dict."""
import numpy as np


def layer_norm(x, gain, bias, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return gain * (x - mean) / np.sqrt(var + eps) + bias


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def self_attention(p, x, n_heads):
    T, d = x.shape
    hd = d // n_heads
    q, k, v = np.split(x @ p["w_qkv"], 3, axis=-1)
    heads = []
    for h in range(n_heads):
        sl = slice(h * hd, (h + 1) * hd)
        att = softmax(q[:, sl] @ k[:, sl].T / np.sqrt(hd))
        heads.append(att @ v[:, sl])
    return np.concatenate(heads, axis=-1) @ p["w_out"]


def block(p, x, n_heads=2):
    x = x + self_attention(p, layer_norm(x, p["ln1_g"], p["ln1_b"]), n_heads)
    h = np.tanh(layer_norm(x, p["ln2_g"], p["ln2_b"]) @ p["w_ff1"])
    return x + h @ p["w_ff2"]


def loss(p, x, y):
    return np.mean((block(p, x) - y) ** 2)


rng = np.random.default_rng(11)
d, T = 4, 3
p = {"w_qkv": 0.3 * rng.normal(size=(d, 3 * d)), "w_out": 0.3 * rng.normal(size=(d, d)),
     "ln1_g": np.ones(d), "ln1_b": np.zeros(d), "ln2_g": np.ones(d), "ln2_b": np.zeros(d),
     "w_ff1": 0.3 * rng.normal(size=(d, 6)), "w_ff2": 0.3 * rng.normal(size=(6, d))}
x = rng.normal(size=(T, d))
y = rng.normal(size=(T, d))

CASES = [(loss, (p, x, y), 0)]

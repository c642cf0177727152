"""Causal self-attention: the future masked with np.triu and np.where before the softmax."""
import numpy as np


def causal_self_attention(x, Wq, Wk, Wv):
    T = x.shape[0]
    q, k, v = x @ Wq, x @ Wk, x @ Wv
    scores = q @ k.T / np.sqrt(q.shape[1])
    mask = np.triu(np.ones((T, T)), k=1) > 0
    scores = np.where(mask, -1e9, scores)
    weights = np.exp(scores - scores.max(axis=1)[:, None])
    weights = weights / weights.sum(axis=1)[:, None]
    return weights @ v


def loss(Wq, Wk, Wv, x):
    out = causal_self_attention(x, Wq, Wk, Wv)
    return np.sum(out[1:] * x[:-1])   # predict the previous token's features


rng = np.random.default_rng(48)
x = rng.normal(size=(4, 3))
Wq, Wk, Wv = (0.5 * rng.normal(size=(3, 3)) for _ in range(3))

CASES = [(loss, (Wq, Wk, Wv, x), (0, 1, 2))]

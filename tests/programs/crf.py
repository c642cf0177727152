"""A linear-chain conditional random field: emission scores from a linear layer, a
transition matrix, the partition function by the forward algorithm."""
import numpy as np
from scipy.special import logsumexp


def emissions(W, features):
    return features @ W


def path_score(scores, transitions, tags):
    total = scores[0, tags[0]]
    for t in range(1, len(tags)):
        total = total + transitions[tags[t - 1], tags[t]] + scores[t, tags[t]]
    return total


def log_partition(scores, transitions):
    alpha = scores[0]
    for t in range(1, scores.shape[0]):
        alpha = logsumexp(alpha[:, None] + transitions, axis=0) + scores[t]
    return logsumexp(alpha)


def crf_nll(W, transitions, features, tags):
    scores = emissions(W, features)
    return log_partition(scores, transitions) - path_score(scores, transitions, tags)


rng = np.random.default_rng(9)
n_tags, n_features, length = 3, 4, 5
W = 0.5 * rng.normal(size=(n_features, n_tags))
transitions = 0.5 * rng.normal(size=(n_tags, n_tags))
features = rng.normal(size=(length, n_features))
tags = [0, 2, 1, 1, 0]

CASES = [(crf_nll, (W, transitions, features, tags), (0, 1))]

"""The forward algorithm of a hidden Markov model in log space, with logsumexp; the
parameters are unconstrained logits normalized inside."""
import numpy as np
from scipy.special import logsumexp


def log_normalize(logits, axis=-1):
    return logits - logsumexp(logits, axis=axis, keepdims=True)


def hmm_log_likelihood(params, observations):
    log_pi = log_normalize(params["initial"])
    log_A = log_normalize(params["transition"])
    log_B = log_normalize(params["emission"])
    alpha = log_pi + log_B[:, observations[0]]
    for obs in observations[1:]:
        alpha = logsumexp(alpha[:, None] + log_A, axis=0) + log_B[:, obs]
    return logsumexp(alpha)


rng = np.random.default_rng(5)
n_states, n_symbols = 3, 4
params = {"initial": rng.normal(size=n_states),
          "transition": rng.normal(size=(n_states, n_states)),
          "emission": rng.normal(size=(n_states, n_symbols))}
observations = rng.integers(0, n_symbols, size=6)

CASES = [(hmm_log_likelihood, (params, observations), 0)]

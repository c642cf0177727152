"""The PPO clipped surrogate objective: np.clip of the probability ratio, np.minimum of the
two surrogates, a linear softmax policy."""
import numpy as np
from scipy.special import logsumexp


def log_policy(theta, states, actions):
    logits = states @ theta
    return logits[np.arange(len(actions)), actions] - logsumexp(logits, axis=1)


def ppo_loss(theta, states, actions, advantages, old_log_probs, clip=0.2):
    ratio = np.exp(log_policy(theta, states, actions) - old_log_probs)
    clipped = np.clip(ratio, 1 - clip, 1 + clip)
    return -np.mean(np.minimum(ratio * advantages, clipped * advantages))


rng = np.random.default_rng(51)
states = rng.normal(size=(6, 3))
actions = rng.integers(0, 2, size=6)
theta = 0.3 * rng.normal(size=(3, 2))
old_log_probs = log_policy(theta + 0.05 * rng.normal(size=(3, 2)), states, actions)
advantages = rng.normal(size=6)

CASES = [(ppo_loss, (theta, states, actions, advantages, old_log_probs), 0)]

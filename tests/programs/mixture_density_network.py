"""A mixture density network, as in autograd's examples/mixture_density_network.py: the net's
output split into mixture logits, means and log standard deviations."""
import numpy as np
import numpy.random as npr
from scipy.special import logsumexp


def init_nn_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(rs.randn(insize, outsize) * scale,   # weight matrix
             rs.randn(outsize) * scale)           # bias vector
            for insize, outsize in zip(layer_sizes[:-1], layer_sizes[1:])]


def nn_predict(params, inputs):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs


def init_mdn_params(scale, hidden_sizes, num_components, rs=npr.RandomState(0)):
    return init_nn_params(scale, [1] + hidden_sizes + [num_components * 3], rs)


def log_normalize(x):
    return x - logsumexp(x, axis=1, keepdims=True)


def mdn_unpack(params, inputs, num_components=3):
    outputs = nn_predict(params, inputs)
    log_weights = log_normalize(outputs[:, :num_components])
    means = outputs[:, num_components:num_components * 2]
    log_stds = outputs[:, num_components * 2:]
    return log_weights, means, log_stds


def mdn_logprob(params, inputs, targets):
    log_weights, mus, log_sigmas = mdn_unpack(params, inputs)
    sigmas = np.exp(log_sigmas)
    log_probs = log_weights - 0.5 * ((targets - mus) / sigmas) ** 2 - log_sigmas \
        - 0.5 * np.log(2 * np.pi)
    return np.mean(logsumexp(log_probs, axis=1))


rs = npr.RandomState(3)
params = init_mdn_params(0.2, [4], 3)
inputs = rs.rand(6, 1)
targets = np.sin(7 * inputs) + 0.1 * rs.randn(6, 1)

CASES = [(mdn_logprob, (params, inputs, targets), 0)]

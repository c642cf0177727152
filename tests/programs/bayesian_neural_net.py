"""A Bayesian neural net's log density, as in autograd's examples/bayesian_neural_net.py: all
weights in one flat vector, unpacked layer by layer with a generator."""
import numpy as np
from scipy.stats import norm


def make_nn_funs(layer_sizes, L2_reg, noise_variance, nonlinearity=np.tanh):
    """These functions implement a standard multi-layer perceptron,
    vectorized over both training examples and weight samples."""
    shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    num_weights = sum((m + 1) * n for m, n in shapes)

    def unpack_layers(weights):
        num_weight_sets = len(weights)
        for m, n in shapes:
            yield weights[:, :m * n].reshape((num_weight_sets, m, n)), \
                  weights[:, m * n:m * n + n].reshape((num_weight_sets, 1, n))
            weights = weights[:, (m + 1) * n:]

    def predictions(weights, inputs):
        """weights is shape (num_weight_samples x num_weights)
           inputs  is shape (num_datapoints x D)"""
        inputs = np.expand_dims(inputs, 0)
        for W, b in unpack_layers(weights):
            outputs = np.einsum('mnd,mdo->mno', inputs, W) + b
            inputs = nonlinearity(outputs)
        return outputs

    def logprob(weights, inputs, targets):
        log_prior = -L2_reg * np.sum(weights ** 2, axis=1)
        preds = predictions(weights, inputs)
        log_lik = -np.sum((preds - targets) ** 2, axis=1)[:, 0] / noise_variance
        return log_prior + log_lik

    return num_weights, predictions, logprob


num_weights, predictions, logprob = make_nn_funs(layer_sizes=[1, 4, 1], L2_reg=0.1,
                                                 noise_variance=0.01)
rs = np.random.RandomState(0)
inputs = np.linspace(-2, 2, 5).reshape((5, 1))
targets = np.cos(inputs) + rs.randn(5, 1) * 0.1
weights = rs.randn(2, num_weights)


def log_density(weights, t):
    return np.sum(logprob(weights, inputs, targets) + norm.logpdf(weights[:, 0], 0, 1))


CASES = [(log_density, (weights, 0), 0)]

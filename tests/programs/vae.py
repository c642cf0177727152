"""A variational autoencoder: encoder and decoder nets as lists of (W, b), the
reparameterization trick with the noise passed in, a Bernoulli likelihood."""
import numpy as np
import numpy.random as npr


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def init_net_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(scale * rs.randn(m, n), scale * rs.randn(n))
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]


def neural_net_predict(params, inputs):
    for W, b in params[:-1]:
        inputs = np.tanh(np.dot(inputs, W) + b)
    W, b = params[-1]
    return np.dot(inputs, W) + b


def nn_predict_gaussian(params, inputs):
    # Returns means and diagonal variances
    return unpack_gaussian_params(neural_net_predict(params, inputs))


def unpack_gaussian_params(params):
    D = np.shape(params)[-1] // 2
    mean, log_std = params[:, :D], params[:, D:]
    return mean, log_std


def sample_diag_gaussian(mean, log_std, eps):
    return eps * np.exp(log_std) + mean


def bernoulli_log_density(targets, unnormalized_logprobs):
    # unnormalized_logprobs are in R; targets must be 0 or 1
    t2 = targets * 2 - 1
    return -np.logaddexp(0, -unnormalized_logprobs * t2)


def diag_gaussian_log_density(x, mu, log_std):
    return np.sum(-0.5 * ((x - mu) / np.exp(log_std)) ** 2 - log_std - 0.5 * np.log(2 * np.pi), axis=-1)


def vae_lower_bound(gen_params, rec_params, data, eps):
    # Variational autoencoder, Kingma and Welling 2013
    q_means, q_log_stds = nn_predict_gaussian(rec_params, data)
    latents = sample_diag_gaussian(q_means, q_log_stds, eps)
    q_latents = diag_gaussian_log_density(latents, q_means, q_log_stds)
    p_latents = diag_gaussian_log_density(latents, 0, 0)
    logits = neural_net_predict(gen_params, latents)
    p_data = np.sum(bernoulli_log_density(data, logits), axis=-1)
    return np.mean(p_latents + p_data - q_latents)


latent_dim, data_dim = 2, 4
rs = npr.RandomState(1)
gen_params = init_net_params(0.3, [latent_dim, 3, data_dim])
rec_params = init_net_params(0.3, [data_dim, 3, latent_dim * 2])
data = (rs.rand(5, data_dim) > 0.5).astype(float)
eps = rs.randn(5, latent_dim)

CASES = [(vae_lower_bound, (gen_params, rec_params, data, eps), (0, 1))]

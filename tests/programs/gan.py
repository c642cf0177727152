"""A generative adversarial net, as in autograd's examples/generative_adversarial_net.py:
generator and discriminator are lists of (W, b), each with its own loss."""
import numpy as np
import numpy.random as npr


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    return 0.5 * (np.tanh(x) + 1.0)


def logsigmoid(x):
    return x - np.logaddexp(0, x)


def init_random_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(scale * rs.randn(m, n), scale * rs.randn(n))
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]


def neural_net_predict(params, inputs):
    inpW, inpb = params[0]
    inputs = np.tanh(np.dot(inputs, inpW) + inpb)
    for W, b in params[1:-1]:
        inputs = np.tanh(np.dot(inputs, W) + b)
    outW, outb = params[-1]
    outputs = np.dot(inputs, outW) + outb
    return outputs


def generate_from_noise(gen_params, noise):
    return sigmoid(neural_net_predict(gen_params, noise))


def gan_objective(gen_params, dsc_params, real_data, noise):
    fake_data = generate_from_noise(gen_params, noise)
    logprobs_fake = logsigmoid(neural_net_predict(dsc_params, fake_data))
    logprobs_real = logsigmoid(neural_net_predict(dsc_params, real_data))
    return np.mean(logprobs_real) - np.mean(logprobs_fake)


def generator_loss(gen_params, dsc_params, real_data, noise):
    return -gan_objective(gen_params, dsc_params, real_data, noise)


def discriminator_loss(dsc_params, gen_params, real_data, noise):
    return gan_objective(gen_params, dsc_params, real_data, noise)


rs = npr.RandomState(2)
gen_params = init_random_params(0.3, [2, 3, 3])
dsc_params = init_random_params(0.3, [3, 4, 3, 1])
real_data = rs.rand(4, 3)
noise = rs.randn(4, 2)

CASES = [(generator_loss, (gen_params, dsc_params, real_data, noise), 0),
         (discriminator_loss, (dsc_params, gen_params, real_data, noise), 0)]

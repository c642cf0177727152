"""A 2-D convnet on a tiny image: a valid convolution by looping over kernel offsets, ReLU,
2x2 max pooling by reshape and max, a dense read-out."""
import numpy as np


def conv2d(image, kernel):
    kh, kw = kernel.shape
    H, W = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((H, W))
    for i in range(kh):
        for j in range(kw):
            out = out + kernel[i, j] * image[i:i + H, j:j + W]
    return out


def max_pool(x):
    H, W = x.shape
    return x.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3))


def predict(kernel, dense, image):
    features = max_pool(np.maximum(conv2d(image, kernel), 0.0))
    return np.sum(features * dense)


def loss(kernel, dense, image, target):
    return (predict(kernel, dense, image) - target) ** 2


rng = np.random.default_rng(46)
image = rng.normal(size=(6, 6))
kernel = rng.normal(size=(3, 3))
dense = rng.normal(size=(2, 2))

CASES = [(loss, (kernel, dense, image, 1.0), (0, 1))]

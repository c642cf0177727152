"""A bag-of-embeddings text classifier: the rows of the embedding table for each sentence's
token ids (with repeats) averaged, then a linear layer and a softmax cross-entropy."""
import numpy as np
from scipy.special import logsumexp


def sentence_logits(E, W, tokens):
    return E[tokens].mean(axis=0) @ W


def loss(E, W, sentences, labels):
    total = 0.0
    for i in range(len(labels)):
        logits = sentence_logits(E, W, sentences[i])
        total += logsumexp(logits) - logits[labels[i]]
    return total / len(labels)


rng = np.random.default_rng(45)
vocab, dim, classes = 5, 3, 2
E = 0.5 * rng.normal(size=(vocab, dim))
W = 0.5 * rng.normal(size=(dim, classes))
sentences = np.array([[0, 1, 1, 3], [2, 2, 2, 4], [4, 0, 3, 3]])
labels = np.array([0, 1, 1])

CASES = [(loss, (E, W, sentences, labels), (0, 1))]

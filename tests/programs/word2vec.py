"""Skip-gram with negative sampling: embedding rows picked by integer word ids."""
import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_loss(embeddings, context_embeddings, center, context, negatives):
    v = embeddings[center]
    positive = log_sigmoid(np.dot(context_embeddings[context], v))
    negative = np.sum(log_sigmoid(-context_embeddings[negatives] @ v))
    return -(positive + negative)


def batch_loss(embeddings, context_embeddings, pairs, negatives):
    total = 0.0
    for (center, context), negs in zip(pairs, negatives):
        total = total + skipgram_loss(embeddings, context_embeddings, center, context, negs)
    return total / len(pairs)


rng = np.random.default_rng(30)
vocab, dim = 6, 3
embeddings = 0.3 * rng.normal(size=(vocab, dim))
context_embeddings = 0.3 * rng.normal(size=(vocab, dim))
pairs = [(0, 1), (2, 3), (4, 1)]
negatives = rng.integers(0, vocab, size=(3, 2))

CASES = [(batch_loss, (embeddings, context_embeddings, pairs, negatives), (0, 1))]

"""Linear algebra: inverse, solve, determinants, Cholesky, symmetric eigenproblems, QR,
singular values, least squares and the pseudo-inverse (of single matrices).

Functions that read only one triangle of a symmetric argument (cholesky, eigh,
eigvalsh) get the symmetric part of the adjoint: the derivative along symmetric changes,
which is what a symmetric input can make.
"""
import numpy as np

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

for _f, _name, _kind in [
        (np.linalg.inv, "np.linalg.inv", K.same_as_first),
        (np.linalg.solve, "np.linalg.solve", K.solve),
        (np.linalg.det, "np.linalg.det", K.scalar),
        (np.linalg.slogdet, "np.linalg.slogdet", K.slogdet),
        (np.linalg.cholesky, "np.linalg.cholesky", K.same_as_first),
        (np.linalg.eigh, "np.linalg.eigh", K.eigh),
        (np.linalg.eigvalsh, "np.linalg.eigvalsh", K.vector),
        (np.linalg.qr, "np.linalg.qr", K.qr),
        (np.linalg.svd, "np.linalg.svd", K.vector),
        (np.linalg.lstsq, "np.linalg.lstsq", K.lstsq),
        (np.linalg.pinv, "np.linalg.pinv", K.transpose)]:
    primitive(_f, _name, _kind, family="linalg")


@adjoint_rule(np.linalg.inv)
def _(z, a):
    a_bar -= z.T @ z_bar @ z.T


@tangent_rule(np.linalg.inv)
def _(z, a):
    z_dot = -z @ a_dot @ z


def _vector_b(z, a, b):
    return b.ndim == 1


@adjoint_rule(np.linalg.solve, when=_vector_b)
def _(z, a, b):
    b_adjoint = np.linalg.solve(a.T, z_bar)
    b_bar += b_adjoint
    a_bar -= np.outer(b_adjoint, z)


@adjoint_rule(np.linalg.solve)
def _(z, a, b):
    b_adjoint = np.linalg.solve(a.T, z_bar)
    b_bar += b_adjoint
    a_bar -= b_adjoint @ z.T


@tangent_rule(np.linalg.solve)
def _(z, a, b):
    z_dot = np.linalg.solve(a, b_dot - a_dot @ z)


@adjoint_rule(np.linalg.det)
def _(z, a):
    a_bar += z_bar * z * np.linalg.inv(a).T


@tangent_rule(np.linalg.det)
def _(z, a):
    z_dot = z * np.trace(np.linalg.solve(a, a_dot))


@adjoint_rule(np.linalg.slogdet)
def _(z, a):
    a_bar += z_bar[1] * np.linalg.inv(a).T  # the sign is constant where it is defined


@tangent_rule(np.linalg.slogdet)
def _(z, a):
    z_dot = (0.0, np.trace(np.linalg.solve(a, a_dot)))


# -- symmetric matrices --------------------------------------------------------------------

@adjoint_rule(np.linalg.cholesky)
def _(z, a):
    # with P the lower triangle of L^T L_bar (its diagonal halved): L^-T P L^-1
    lower = np.tril(z.T @ z_bar)
    p = lower - 0.5 * np.diag(np.diag(lower))
    s = np.linalg.solve(z.T, np.linalg.solve(z.T, p.T).T)
    a_bar += 0.5 * (s + s.T)


@tangent_rule(np.linalg.cholesky)
def _(z, a):
    m = np.linalg.solve(z, np.linalg.solve(z, a_dot).T).T  # L^-1 A_dot L^-T
    z_dot = z @ (np.tril(m) - 0.5 * np.diag(np.diag(m)))


@adjoint_rule(np.linalg.eigh)
def _(z, a):
    # F[i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it (distinct eigenvalues)
    n = np.eye(z[0].size)
    f = 1.0 / (z[0][None, :] - z[0][:, None] + n) - n
    s = z[1] @ (np.diag(z_bar[0]) + f * (z[1].T @ z_bar[1])) @ z[1].T
    a_bar += 0.5 * (s + s.T)


@tangent_rule(np.linalg.eigh)
def _(z, a):
    n = np.eye(z[0].size)
    f = 1.0 / (z[0][None, :] - z[0][:, None] + n) - n
    m = z[1].T @ a_dot @ z[1]
    z_dot = (np.diag(m), z[1] @ (f * m))


@adjoint_rule(np.linalg.eigvalsh)
def _(z, a):
    v = np.linalg.eigh(a)[1]
    a_bar += (v * z_bar) @ v.T


@tangent_rule(np.linalg.eigvalsh)
def _(z, a):
    v = np.linalg.eigh(a)[1]
    z_dot = np.sum(v * (a_dot @ v), axis=0)


# -- factorizations of general matrices ------------------------------------------------------

@adjoint_rule(np.linalg.qr)
def _(z, a):
    # reduced QR of a tall matrix: M = R R_bar^T - Q_bar^T Q, copied from lower to upper
    m = z[1] @ z_bar[1].T - z_bar[0].T @ z[0]
    copied = np.tril(m) + np.tril(m, -1).T
    a_bar += np.linalg.solve(z[1], (z_bar[0] + z[0] @ copied).T).T


@tangent_rule(np.linalg.qr)
def _(z, a):
    b = np.linalg.solve(z[1].T, a_dot.T).T  # A_dot R^-1
    x = z[0].T @ b
    dr = x - np.tril(x, -1) + np.tril(x, -1).T  # Q^T dQ is antisymmetric, dR R^-1 upper
    z_dot = (b - z[0] @ dr, dr @ z[1])


def _values_only(z, a, full_matrices=None, compute_uv=None):
    return compute_uv is not None and compute_uv.const is False


@adjoint_rule(np.linalg.svd, when=_values_only)
def _(z, a, full_matrices=True, compute_uv=True):
    usv = np.linalg.svd(a, full_matrices=False)
    a_bar += (usv[0] * z_bar) @ usv[2]


@tangent_rule(np.linalg.svd, when=_values_only)
def _(z, a, full_matrices=True, compute_uv=True):
    usv = np.linalg.svd(a, full_matrices=False)
    z_dot = np.sum(usv[0] * (a_dot @ usv[2].T), axis=0)


def _lstsq_vector(z, a, b, rcond=None):
    return b.ndim == 1


@adjoint_rule(np.linalg.lstsq, when=_lstsq_vector)
def _(z, a, b, rcond=None):
    # x = (A^T A)^-1 A^T b for A of full column rank; y = (A^T A)^-1 x_bar
    y = np.linalg.solve(a.T @ a, z_bar[0])
    a_bar += np.outer(b - a @ z[0], y) - np.outer(a @ y, z[0])
    b_bar += a @ y


@adjoint_rule(np.linalg.lstsq)
def _(z, a, b, rcond=None):
    y = np.linalg.solve(a.T @ a, z_bar[0])
    a_bar += (b - a @ z[0]) @ y.T - (a @ y) @ z[0].T
    b_bar += a @ y


@tangent_rule(np.linalg.lstsq)
def _(z, a, b, rcond=None):
    x_dot = np.linalg.solve(a.T @ a, a_dot.T @ (b - a @ z[0]) + a.T @ (b_dot - a_dot @ z[0]))
    z_dot = (x_dot, zeros_like_ad(z[1]), 0, zeros_like_ad(z[3]))


@adjoint_rule(np.linalg.pinv)
def _(z, a):
    a_bar += (-z.T @ z_bar @ z.T
              + (np.eye(a.shape[0]) - a @ z) @ z_bar.T @ z @ z.T
              + z.T @ z @ z_bar.T @ (np.eye(a.shape[1]) - z @ a))


@tangent_rule(np.linalg.pinv)
def _(z, a):
    z_dot = (-z @ a_dot @ z + z @ z.T @ a_dot.T @ (np.eye(a.shape[0]) - a @ z)
             + (np.eye(a.shape[1]) - z @ a) @ a_dot.T @ z.T @ z)

"""Bundle adjustment (ADBench form): the Jacobian of every observation's reprojection residual.

One observation sees point X (3) from camera cam (11: Rodrigues rotation r, centre C, focal
length f, principal point x0, radial distortion kappa) with weight w and measured feature
feat (2).  Its residual is w * (f * distort(p) + x0 - feat), where p is the perspective
projection of rodrigues(r, X - C), and its Jacobian with respect to (cam, X, w) is 2 x 15.
The batched Jacobian over all observations is `vmap(jacfwd(residual))`.

ADBench's residual has a branch for a zero rotation; the rotations drawn here are never zero,
so `residual` keeps only the general case.  The arguments are per observation (camera rows
and points gathered once, outside the timing), so every column maps all four over axis 0.
"""
import math

import numpy as np
from numba import njit

from ._compat import anp, autograd, jax, jnp, torch, with_numpy

ARGNUMS = (0, 1, 2)
SIZES = [(10, 100, 10**3), (50, 5000, 10**5)]  # cameras, points, observations
QUICK_SIZES = [(4, 20, 200)]
VERIFY_SIZE = (3, 5, 8)
KIND = "jacobian"  # a batched Jacobian, not the gradient of a scalar


def label(size):
    return "cams={}, pts={}, obs={}".format(*size)


def make_args(size, rng):
    """Per-observation camera rows, points, weights and features (gathered once)."""
    n_cams, n_pts, n_obs = size
    cams = np.empty((n_cams, 11))
    cams[:, 0:3] = 0.3 * rng.standard_normal((n_cams, 3))  # rotation
    cams[:, 3:6] = rng.standard_normal((n_cams, 3))  # centre
    cams[:, 3:5] *= 0.1
    cams[:, 5] -= 10.0  # cameras well behind the points: positive depth
    cams[:, 6] = 1.0 + rng.random(n_cams)  # focal length
    cams[:, 7:9] = 0.1 * rng.standard_normal((n_cams, 2))  # principal point
    cams[:, 9:11] = 0.01 * rng.standard_normal((n_cams, 2))  # radial distortion
    pts = rng.standard_normal((n_pts, 3))
    which_cam = np.arange(n_obs) % n_cams
    which_pt = rng.integers(0, n_pts, n_obs)
    w = 1.0 + 0.1 * rng.standard_normal(n_obs)
    feat = rng.standard_normal((n_obs, 2))
    return np.ascontiguousarray(cams[which_cam]), np.ascontiguousarray(pts[which_pt]), w, feat


def skip(column, size):
    if column == "autograd" and size[2] > 10**3:
        return "autograd skipped for obs > 1e3 (a Python loop of per-observation Jacobians)"
    if column == "ta_python" and size[2] > 10**4:
        return "tangent_ad (python) skipped for obs > 1e4 (a Python loop over observations)"
    return None


def residual(cam, X, w, feat):
    """The user's function: one observation's weighted reprojection residual (2,)."""
    r = cam[0:3]
    Xc = X - cam[3:6]
    sqtheta = r[0] * r[0] + r[1] * r[1] + r[2] * r[2]
    theta = np.sqrt(sqtheta)
    c, s = np.cos(theta), np.sin(theta)
    k = r / theta
    cross = np.array([k[1] * Xc[2] - k[2] * Xc[1],
                      k[2] * Xc[0] - k[0] * Xc[2],
                      k[0] * Xc[1] - k[1] * Xc[0]])
    Xr = Xc * c + cross * s + k * ((1.0 - c) * (k[0] * Xc[0] + k[1] * Xc[1] + k[2] * Xc[2]))
    p = Xr[0:2] / Xr[2]
    rsq = p[0] * p[0] + p[1] * p[1]
    L = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq
    return w * (cam[6] * L * p + cam[7:9] - feat)


def numpy_primal(cams, X, w, feat):
    """All residuals at once, as a NumPy user vectorizes them: shape (obs, 2)."""
    r = cams[:, 0:3]
    Xc = X - cams[:, 3:6]
    theta = np.sqrt(np.sum(r * r, axis=1))[:, None]
    k = r / theta
    c, s = np.cos(theta), np.sin(theta)
    Xr = Xc * c + np.cross(k, Xc) * s + k * ((1.0 - c) * np.sum(k * Xc, axis=1, keepdims=True))
    p = Xr[:, 0:2] / Xr[:, 2:3]
    rsq = np.sum(p * p, axis=1, keepdims=True)
    L = 1.0 + cams[:, 9:10] * rsq + cams[:, 10:11] * rsq * rsq
    return w[:, None] * (cams[:, 6:7] * L * p + cams[:, 7:9] - feat)


@njit(cache=True, error_model="numpy")
def _rotate(cam, X):
    """(Xc = X - C, k = r / theta, cos theta, sin theta, Xr = R(r) Xc) of one observation."""
    Xc = X - cam[3:6]
    theta = math.sqrt(cam[0] ** 2 + cam[1] ** 2 + cam[2] ** 2)
    k = cam[0:3] / theta
    c, s = math.cos(theta), math.sin(theta)
    dot = k[0] * Xc[0] + k[1] * Xc[1] + k[2] * Xc[2]
    Xr = np.empty(3)
    Xr[0] = Xc[0] * c + (k[1] * Xc[2] - k[2] * Xc[1]) * s + k[0] * (1.0 - c) * dot
    Xr[1] = Xc[1] * c + (k[2] * Xc[0] - k[0] * Xc[2]) * s + k[1] * (1.0 - c) * dot
    Xr[2] = Xc[2] * c + (k[0] * Xc[1] - k[1] * Xc[0]) * s + k[2] * (1.0 - c) * dot
    return Xc, k, c, s, dot, theta, Xr


@njit(cache=True, error_model="numpy")
def numba_primal(cams, X, w, feat):
    out = np.empty((cams.shape[0], 2))
    for i in range(cams.shape[0]):
        cam = cams[i]
        Xr = _rotate(cam, X[i])[6]
        p0, p1 = Xr[0] / Xr[2], Xr[1] / Xr[2]
        rsq = p0 * p0 + p1 * p1
        L = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq
        out[i, 0] = w[i] * (cam[6] * L * p0 + cam[7] - feat[i, 0])
        out[i, 1] = w[i] * (cam[6] * L * p1 + cam[8] - feat[i, 1])
    return out


@njit(cache=True, error_model="numpy")
def _rotation_jacobians(Xc, k, c, s, dot, theta):
    """d Xr / d Xc (the rotation matrix R) and d Xr / d r, both 3 x 3."""
    R, A = np.empty((3, 3)), np.empty((3, 3))  # A = d Xr / d k
    for i in range(3):
        for j in range(3):
            R[i, j] = c * (i == j) + (1.0 - c) * k[i] * k[j]
            A[i, j] = (1.0 - c) * (dot * (i == j) + k[i] * Xc[j])
    R[0, 1] -= s * k[2]; R[0, 2] += s * k[1]; R[1, 2] -= s * k[0]  # + s [k]x
    R[1, 0] += s * k[2]; R[2, 0] -= s * k[1]; R[2, 1] += s * k[0]
    A[0, 1] += s * Xc[2]; A[0, 2] -= s * Xc[1]; A[1, 2] += s * Xc[0]  # - s [Xc]x
    A[1, 0] -= s * Xc[2]; A[2, 0] += s * Xc[1]; A[2, 1] -= s * Xc[0]
    cross = np.array([k[1] * Xc[2] - k[2] * Xc[1], k[2] * Xc[0] - k[0] * Xc[2],
                      k[0] * Xc[1] - k[1] * Xc[0]])
    dtheta = -s * Xc + c * cross + s * dot * k  # d Xr / d theta
    Ak = A @ k
    # theta = |r|, k = r / theta: d theta / d r = k, d k / d r = (I - k k^T) / theta
    dr = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            dr[i, j] = dtheta[i] * k[j] + (A[i, j] - Ak[i] * k[j]) / theta
    return R, dr


@njit(cache=True, error_model="numpy")
def hand_adjoint(cams, X, w, feat):
    """The hand-written Jacobians (obs, 2, 11), (obs, 2, 3), (obs, 2) by the chain rule."""
    n = cams.shape[0]
    Jcam, JX, Jw = np.zeros((n, 2, 11)), np.empty((n, 2, 3)), np.empty((n, 2))
    M = np.empty((2, 3))
    for i in range(n):
        cam = cams[i]
        Xc, k, c, s, dot, theta, Xr = _rotate(cam, X[i])
        R, dr = _rotation_jacobians(Xc, k, c, s, dot, theta)
        p0, p1 = Xr[0] / Xr[2], Xr[1] / Xr[2]
        rsq = p0 * p0 + p1 * p1
        L = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq
        dL = 2.0 * (cam[9] + 2.0 * cam[10] * rsq)  # d L / d p_j = dL * p_j
        wf = w[i] * cam[6]
        p = (p0, p1)
        for a in range(2):  # M = d out / d Xr = (d out / d p) (d p / d Xr)
            g0 = wf * ((a == 0) * L + p[a] * dL * p0)
            g1 = wf * ((a == 1) * L + p[a] * dL * p1)
            M[a, 0], M[a, 1] = g0 / Xr[2], g1 / Xr[2]
            M[a, 2] = -(g0 * p0 + g1 * p1) / Xr[2]
        for a in range(2):
            for j in range(3):
                MR, Mdr = 0.0, 0.0
                for m in range(3):
                    MR += M[a, m] * R[m, j]
                    Mdr += M[a, m] * dr[m, j]
                Jcam[i, a, j], Jcam[i, a, 3 + j], JX[i, a, j] = Mdr, -MR, MR
            Jcam[i, a, 6] = w[i] * L * p[a]
            Jcam[i, a, 7 + a] = w[i]
            Jcam[i, a, 9] = wf * p[a] * rsq
            Jcam[i, a, 10] = wf * p[a] * rsq * rsq
            Jw[i, a] = cam[6] * L * p[a] + cam[7 + a] - feat[i, a]
    return Jcam, JX, Jw


def tangent_ad_fn(ta, backend):
    """The batched Jacobian as a tangent_ad user writes it."""
    return ta.vmap(ta.jacfwd(residual, argnums=ARGNUMS, backend=backend))


def _namespace(**functions):
    return type("Namespace", (), {k: staticmethod(v) for k, v in functions.items()})


if jax is not None:
    jax_grad = jax.jit(jax.vmap(jax.jacfwd(with_numpy(residual, jnp), argnums=ARGNUMS)))
else:
    jax_grad = None

if torch is not None:
    _torch_np = _namespace(sqrt=torch.sqrt, cos=torch.cos, sin=torch.sin, array=torch.stack)
    torch_grad = torch.func.vmap(torch.func.jacfwd(with_numpy(residual, _torch_np),
                                                   argnums=ARGNUMS))
else:
    torch_grad = None


def torch_args(args):
    """Plain float64 tensors: torch.func transforms need no requires_grad."""
    return tuple(torch.from_numpy(a) for a in args)


if autograd is not None:
    _ag_jacobians = [autograd.jacobian(with_numpy(residual, anp), a) for a in ARGNUMS]

    def autograd_grad(cams, X, w, feat):
        """autograd has no vmap: one Jacobian per observation and argument."""
        blocks = [[jac(cams[i], X[i], w[i], feat[i]) for i in range(len(w))]
                  for jac in _ag_jacobians]
        return tuple(np.array(b) for b in blocks)
else:
    autograd_grad = None

"""numba overloads: the numba versions of `tangent_ad.runtime`'s helpers, and the NumPy
and SciPy signatures that numba does not compile by itself (`np.mean(x, axis=0)`,
`keepdims=True`, `np.linalg.norm(x, 'fro')`, `scipy.special.gammaln`, ...).

Generated code calls NumPy as the user wrote it; importing tangent_ad teaches numba the
missing signatures, so the same text runs in both worlds. An overload is consulted only
where numba's own implementation does not apply. `MODULES` lists the files whose text is
part of the cache key of generated code (numba's cache does not track them).
"""
from . import (along, axes, helpers, linalg, naming, products, reductions, shapes, simd,
               special)

MODULES = (naming, axes, along, helpers, linalg, products, reductions, shapes, special,
           simd)

"""Cached machine code from one process is right in another, whatever the order of compiling.

Each pair below calls overloads that make two closures of one definition with the same
argument types. A process that compiles the first of each pair and one that compiles the
second give them the same numba names unless the names say what the closures compute; a
third process that loads both from the cache would then run one closure's machine code for
the other (see tangent_ad/overloads/naming.py). tests/conftest.py checks the same within
every test: no two different functions numba compiles may share a name.
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np

from tangent_ad.overloads.naming import fingerprint, named

PAIRS = '''
import numba
import numpy as np
import tangent_ad  # noqa: F401  (the overloads)

@numba.njit(cache=True)
def matmul(a, b):
    return np.einsum("ij,jk->ik", a, b)

@numba.njit(cache=True)
def matmul_transposed(a, b):
    return np.einsum("ij,kj->ik", a, b)

@numba.njit(cache=True)
def variance(a, b):
    return np.var(a * b, axis=0)

@numba.njit(cache=True)
def deviation(a, b):
    return np.std(a * b, axis=0)

@numba.njit(cache=True)
def kept_sum(a, b):
    return np.sum(a + b, axis=1, keepdims=True).ravel()

@numba.njit(cache=True)
def sum_over_rows(a, b):
    return np.sum(a + b, axis=1)
'''
FIRSTS = ["matmul", "variance", "kept_sum"]
SECONDS = ["matmul_transposed", "deviation", "sum_over_rows"]
RUN = textwrap.dedent('''
    import json, sys
    import numpy as np
    import pairs
    a = np.arange(9.0).reshape(3, 3) / 7
    b = np.cos(np.arange(9.0)).reshape(3, 3)
    wrong = [name for name in sys.argv[1:]
             if not np.allclose(getattr(pairs, name)(a, b), getattr(pairs, name).py_func(a, b))]
    print(json.dumps(wrong))
''')


def _run(folder, names):
    env = {**os.environ, "PYTHONPATH": str(folder), "NUMBA_CACHE_DIR": str(folder / "numba")}
    out = subprocess.run([sys.executable, str(folder / "run.py"), *names], env=env,
                         capture_output=True, text=True, check=True, cwd=folder)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_cached_closures_stay_apart_between_processes(tmp_path):
    (tmp_path / "pairs.py").write_text(PAIRS)
    (tmp_path / "run.py").write_text(RUN)
    assert _run(tmp_path, FIRSTS) == []  # each process compiles one of each pair, and
    assert _run(tmp_path, SECONDS) == []  # caches it
    assert _run(tmp_path, FIRSTS + SECONDS) == []  # both from the cache, in either order
    assert _run(tmp_path, SECONDS + FIRSTS) == []


def _scaled(factor):
    return lambda x: x * factor


def test_fingerprints_follow_what_a_closure_computes():
    assert fingerprint(_scaled(2.0)) == fingerprint(_scaled(2.0))
    assert fingerprint(_scaled(2.0)) != fingerprint(_scaled(3.0))
    assert fingerprint(_scaled(_scaled(2.0))) != fingerprint(_scaled(_scaled(3.0)))
    double = named(_scaled(2.0))
    name = double.__qualname__
    assert name.startswith("_scaled.<locals>.<lambda>[") and named(double).__qualname__ == name
    assert double(np.float64(1.5)) == 3.0

"""A second process gets the compiled derivative from numba's on-disk cache."""
import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import json, time
    t0 = time.perf_counter()
    import numpy as np
    import tangent_ad as ta

    def f(x, w):
        return np.sum(np.tanh(w * x) ** 2)

    d = ta.grad(f, argnums=(0, 1), backend="numba")
    g = d(np.linspace(0, 1, 5), 0.5)
    dispatcher = d.last.call.compiled
    print(json.dumps({"hits": sum(dispatcher.stats.cache_hits.values()),
                      "misses": sum(dispatcher.stats.cache_misses.values()),
                      "grad": float(g[1]), "seconds": time.perf_counter() - t0}))
''')


def _run(tmp_path):
    script = tmp_path / "user_code.py"
    script.write_text(SCRIPT)
    env = {"TANGENT_AD_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    import os
    env = {**os.environ, **env}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, check=True, cwd=tmp_path)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_second_process_loads_machine_code_from_disk(tmp_path):
    first = _run(tmp_path)
    second = _run(tmp_path)
    assert first["misses"] == 1 and first["hits"] == 0
    assert second["hits"] == 1 and second["misses"] == 0
    assert second["grad"] == first["grad"]


def test_a_corrupt_cache_entry_is_rebuilt(tmp_path):
    first = _run(tmp_path)
    for index in (tmp_path / "cache").rglob("*.nbi"):
        index.write_bytes(b"not an index")
    for data in (tmp_path / "cache").rglob("*.nbc"):
        data.write_bytes(b"garbage")
    again = _run(tmp_path)
    assert again["grad"] == first["grad"]

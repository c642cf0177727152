"""A second process gets the derivative from the caches: tangent_ad's generated module
(the transform does not run again) and numba's machine code; damaged entries are rebuilt."""
import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import json, time
    t0 = time.perf_counter()
    import numpy as np
    import tangent_ad as ta
    from tangent_ad import pipeline

    transforms = []  # the transform runs only when the derivative is generated
    generate = pipeline.transform
    pipeline.transform = lambda *a, **k: transforms.append(1) or generate(*a, **k)

    def f(x, w):
        return np.sum(np.tanh(w * x) ** 2)

    d = ta.grad(f, argnums=(0, 1), backend="numba")
    g = d(np.linspace(0, 1, 5), 0.5)
    dispatcher = d.last.call.compiled
    print(json.dumps({"hits": sum(dispatcher.stats.cache_hits.values()),
                      "misses": sum(dispatcher.stats.cache_misses.values()),
                      "grad": float(g[1]), "seconds": time.perf_counter() - t0,
                      "transforms": len(transforms)}))
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
    assert first["transforms"] == 1 and second["transforms"] == 0


def test_a_corrupt_cache_entry_is_rebuilt(tmp_path):
    first = _run(tmp_path)
    for index in (tmp_path / "cache").rglob("*.nbi"):
        index.write_bytes(b"not an index")
    for data in (tmp_path / "cache").rglob("*.nbc"):
        data.write_bytes(b"garbage")
    for entry in (tmp_path / "cache" / "transforms").glob("*.json"):
        entry.write_text('{"format": 1, "key": "trunc')
    again = _run(tmp_path)
    assert again["grad"] == first["grad"]
    assert again["transforms"] == 1  # the damaged entry was not used
    last = _run(tmp_path)
    assert last["transforms"] == 0 and last["hits"] == 1  # ... and was written again
    assert last["grad"] == first["grad"]


# -- the transform cache, in this process: a new derivative object looks on disk first ----

import copy  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tangent_ad as ta  # noqa: E402
from tangent_ad import api, pipeline, plans  # noqa: E402
from tangent_ad.checking import numerical_grad  # noqa: E402
from tangent_ad.codegen.emit import function_source  # noqa: E402

from conftest import assert_tree_close  # noqa: E402

SCALE = 2.0


def loss(x, w):
    y = np.tanh(w * x) * SCALE
    for i in range(3):
        y = y + np.sin(y) * w
    return np.sum(y ** 2)


@pytest.fixture
def transforms(tmp_path, monkeypatch):
    """A fresh cache directory and a list that grows each time the transform runs. Each
    derivative object reads its function anew, as a new process would (in one process,
    derivatives of one function share what was derived: test_reuse.py)."""
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(api, "function_of", plans.Function)
    ran = []
    generate = pipeline.transform
    monkeypatch.setattr(pipeline, "transform", lambda *a, **k: ran.append(1) or generate(*a, **k))
    return ran


ARGS = (np.linspace(-1.0, 1.0, 4), 0.7)


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "transforms").glob("*.json"))


def test_a_new_derivative_loads_the_cached_module(transforms, tmp_path):
    first = ta.grad(loss, argnums=(0, 1), backend="python")
    want = first(*ARGS)
    assert len(transforms) == 1 and len(_entries(tmp_path)) == 1
    second = ta.grad(loss, argnums=(0, 1), backend="python")
    got = second(*ARGS)
    assert len(transforms) == 1  # loaded, not generated
    assert_tree_close(got, want, rtol=0, atol=0)
    assert_tree_close(got, numerical_grad(loss, ARGS, (0, 1)))
    assert str(second.source) == str(first.source)
    # the trees are generated again on demand, and give the same text
    fdef = copy.deepcopy(second.last.fdef)
    assert len(transforms) == 2
    assert function_source(fdef) in str(second.source)


def test_the_key_follows_argnums_kinds_mode_and_globals(transforms, tmp_path, monkeypatch):
    ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)
    ta.grad(loss, argnums=1, backend="python")(*ARGS)                  # other argnums
    ta.grad(loss, argnums=(0, 1), backend="python")(np.ones((2, 2)), 0.7)  # other kinds
    ta.value_and_grad(loss, argnums=(0, 1), backend="python")(*ARGS)    # other mode
    monkeypatch.setattr(sys.modules[__name__], "SCALE", np.ones(4))
    ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)             # a global's kind
    assert len(transforms) == 5 and len(_entries(tmp_path)) == 5
    got = ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)      # all cached now
    assert len(transforms) == 5
    assert_tree_close(got, numerical_grad(loss, ARGS, (0, 1)))


def test_the_key_follows_the_source(transforms, tmp_path):
    import importlib.util

    def load(text, name):
        path = tmp_path / f"{name}.py"
        path.write_text("import numpy as np\n\n\n" + text)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.f

    one = load("def f(x):\n    return np.sum(np.sin(x))\n", "user_one")
    two = load("def f(x):\n    return np.sum(np.cos(x))\n", "user_two")
    x = np.linspace(0.1, 0.9, 3)
    np.testing.assert_allclose(ta.grad(one, backend="python")(x), np.cos(x))
    np.testing.assert_allclose(ta.grad(two, backend="python")(x), -np.sin(x))
    assert len(transforms) == 2


def _damage_bad_json(entry):
    entry.write_text("{not json")


def _damage_wrong_key(entry):
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, key="0" * 64)))


def _damage_old_format(entry):
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, format=0)))


def _damage_missing_field(entry):
    data = json.loads(entry.read_text())
    del data["body"]
    entry.write_text(json.dumps(data))


def _damage_bad_ndims(entry):
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, output_ndims=["0", 1])))


def _damage_stale_runtime(entry):
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, text="# tangent_ad 0.0.1, runtime 000\n" +
                                     data["text"].split("\n", 1)[1])))


def _damage_other_imports(entry):
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, text=data["text"].replace(
        "import numpy as np\n", "import numpy\n"))))


def _damage_module_that_raises(entry):
    data = json.loads(entry.read_text())
    body = "raise ValueError('damaged')\n"
    text = pipeline.module_text(body, pipeline.imports_for(body))
    entry.write_text(json.dumps(dict(data, body=body, text=text)))


@pytest.mark.parametrize("damage", [_damage_bad_json, _damage_wrong_key, _damage_old_format,
                                    _damage_missing_field, _damage_bad_ndims,
                                    _damage_stale_runtime, _damage_other_imports,
                                    _damage_module_that_raises])
def test_a_damaged_entry_is_rebuilt_not_used(transforms, tmp_path, damage):
    want = ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)
    (entry,) = _entries(tmp_path)
    damage(entry)
    got = ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)
    assert len(transforms) == 2  # generated again
    assert_tree_close(got, want, rtol=0, atol=0)
    ta.grad(loss, argnums=(0, 1), backend="python")(*ARGS)
    assert len(transforms) == 2  # the entry was written again, whole


def test_grad_of_a_cached_grad(transforms):
    def f(x):
        return np.sin(x) * x ** 3

    want = ta.grad(ta.grad(f, backend="python"), backend="python")(0.4)
    got = ta.grad(ta.grad(f, backend="python"), backend="python")(0.4)
    assert len(transforms) == 2  # once per order, the second time both from the cache
    np.testing.assert_allclose(got, want, rtol=0, atol=0)
    np.testing.assert_allclose(got, -0.4 ** 3 * np.sin(0.4) + 6 * 0.4 ** 2 * np.cos(0.4)
                               + 6 * 0.4 * np.sin(0.4), rtol=1e-12)


def test_a_changed_helper_is_not_served_from_the_cache(transforms, tmp_path):
    """The caller's text only names its helper: the helper's code is in the key too."""
    import importlib.util
    import linecache

    path = tmp_path / "user_helpers.py"
    template = ("import numpy as np\n\n\ndef helper(x):\n    return {body}\n\n\n"
                "def f(x):\n    return np.sum(helper(x))\n")

    def load(body, name):
        path.write_text(template.format(body=body))
        linecache.checkcache(str(path))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.f

    x = np.linspace(0.1, 0.9, 3)
    f1 = load("np.sin(x)", "user_helpers_1")
    np.testing.assert_allclose(ta.grad(f1, backend="python")(x), np.cos(x))
    once = len(transforms)  # f's and its helper's (the helper keeps a vjp of its own)
    f2 = load("np.cos(x)", "user_helpers_2")
    np.testing.assert_allclose(ta.grad(f2, backend="python")(x), -np.sin(x))
    assert len(transforms) == 2 * once

"""The benchmark suite (tools/bench) still runs: every problem, column and report section.

The suite runs at tiny sizes with numba's JIT off (``NUMBA_DISABLE_JIT=1``: the numba
functions run as Python, so no compilation), in child processes so that its thread
settings stay out of this one. Peers (JAX, autograd, PyTorch) run where installed; the
table marks any derivative that differs from the hand-written one with ✗. The hand-written
derivatives are checked against central differences by the suite itself.
"""
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROBLEMS = ("recurrence", "rnn", "logreg", "gmm", "ba", "ba_rows")


def _run(*args, timeout=600):
    env = dict(os.environ, NUMBA_DISABLE_JIT="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _table_rows(text):
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    header, *body = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    return header, body


def test_smoke_suite(tmp_path):
    _run("tools.bench", "--smoke", "--out", str(tmp_path))
    text = (tmp_path / "bench.md").read_text()
    assert "Hand adjoints vs central differences: ok." in text
    main, rest = text.split("## ta.vmap")
    scaling, hessians = rest.split("## Hessians")
    header, body = _table_rows(main)
    assert [r[0] for r in body] == list(PROBLEMS)
    assert "PyTorch" in header and "tangent_ad 2nd process (s)" in header
    for row in body:
        assert len(row) == len(header)
        assert not any("✗" in cell for cell in row), row
        for cell in row[4:]:  # a missing cell points to a footnote that says why
            if cell.startswith("—["):
                assert f"\n{cell[1:]} " in text, cell
    for name in ("recurrence", "logreg", "gmm", "ba_rows"):  # tangent_ad columns measured
        row = body[PROBLEMS.index(name)]
        assert row[header.index("tangent_ad (numba)")].endswith("×"), row
        assert row[header.index("hand numba adjoint")].endswith("×"), row
    _, scale_rows = _table_rows(scaling)
    assert len(scale_rows) == 2 and not any("✗" in cell for r in scale_rows for cell in r)
    _, hessian_rows = _table_rows(hessians)  # symmetric, and equal to jax's where installed
    assert len(hessian_rows) == 3 and not any("✗" in cell for r in hessian_rows for cell in r)


def test_second_process_timing():
    out = _run("tools.bench.cached", "logreg", "[50, 5]", "ta_numba")
    times = json.loads(out.strip().splitlines()[-1])
    assert set(times) == {"imports", "numba_start", "first"}
    assert all(t > 0 for t in times.values())


def test_numba_cache_folder_follows_the_overloads(tmp_path):
    """The benchmark's numba cache is one folder per version of tangent_ad's overloads, so a
    cached primal never runs code of older overloads."""
    import shutil
    code = "import os, tools.bench; print(os.environ['NUMBA_CACHE_DIR'])"

    def folder(package_root):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        env["PYTHONPATH"] = os.pathsep.join([str(package_root), str(ROOT)])
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        return pathlib.Path(done.stdout.strip())
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "tangent_ad", copy / "tangent_ad",
                    ignore=shutil.ignore_patterns("__pycache__"))
    same = folder(copy)
    assert same.name.startswith("numba-") and same == folder(ROOT)
    with open(copy / "tangent_ad" / "overloads" / "helpers.py", "a") as fh:
        fh.write("\n# changed\n")
    assert folder(copy) != same

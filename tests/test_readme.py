"""The README's table of supported functions is generated from the registry."""
import subprocess
import sys
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_rules_table_is_current():
    result = subprocess.run([sys.executable, "tools/rules_table.py", "--check"], cwd=ROOT)
    assert result.returncode == 0, "run `python tools/rules_table.py` and commit README.md"


def test_quickstart_runs():
    out = subprocess.run([sys.executable, "examples/quickstart.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "-18.666667" in out and "def loss_grad(w, b, x, y):" in out

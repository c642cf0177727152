"""Every rule in the registry, checked against central finite differences in reverse and
forward mode, on several shapes, on both backends. A rule without a case fails here."""
import importlib.util
import os
import warnings

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import NumbaFallbackWarning
from tangent_ad.checking import numerical_grad
from tangent_ad.rules.registry import all_rules

from conftest import assert_tree_close
from rule_cases import cases_for, make_args

# Rules whose generated code numba cannot compile, so the default backend falls back to
# Python with a warning (listed in the README).
KNOWN_NUMBA_FALLBACKS = {  # numba cannot compile their generated derivatives (see README)
    "np.array_split", "np.split", "np.linalg.det", "np.linalg.eigvalsh", "np.linalg.inv",
    "np.linalg.pinv", "np.linalg.qr", "np.linalg.slogdet", "math.acos"}

RULES = [r for r in all_rules() if r.family != "user"]
# numba takes minutes to compile the derivatives of these families (reductions along axes,
# norms, linear algebra); CI checks them with the Python backend, and this variable adds numba.
SLOW_UNDER_NUMBA = {"reductions", "norms", "linalg"}
ALL_BACKENDS = os.environ.get("TANGENT_AD_SLOW_TESTS") == "1"
IMPORTS = """import math
import numpy as np
import scipy.special
from tangent_ad import stop_gradient
from tangent_ad.runtime import unbroadcast, zeros_like_ad
"""


def _module(tmp_dir, rule, index, expr, nargs):
    params = ", ".join("xyw"[:nargs])
    stem = "".join(c if c.isalnum() else "_" for c in rule.name) + f"_{index}"
    path = tmp_dir / f"case_{stem}.py"
    *statements, result = expr.split("; ")
    body = "".join(f"    {s}\n" for s in statements) + f"    return {result}\n"
    path.write_text(f"{IMPORTS}\n\ndef f({params}):\n{body}")
    spec = importlib.util.spec_from_file_location(f"case_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("rule_cases")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule(rule, backend, case_dir):
    if backend == "numba" and rule.family in SLOW_UNDER_NUMBA and not ALL_BACKENDS:
        pytest.skip("numba compile time: run with TANGENT_AD_SLOW_TESTS=1")
    cases = cases_for(rule)
    assert cases, f"rule {rule.name} has no test case: add one to tests/rule_cases.py"
    for index, (expr, specs) in enumerate(cases):
        f = _module(case_dir, rule, index, expr, len(specs))
        args = make_args(specs, seed=index)
        argnums = tuple(range(len(args)))
        run_on = None if backend == "numba" else backend  # numba, falling back with a warning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NumbaFallbackWarning)
            got = ta.grad(f, argnums=argnums, backend=run_on)(*args)
            _, out_dot = ta.jvp(f, args, args, backend=run_on)
        fell_back = [w for w in caught if issubclass(w.category, NumbaFallbackWarning)]
        if fell_back and rule.name not in KNOWN_NUMBA_FALLBACKS:  # listed in the run's summary
            warnings.warn(f"{rule.name}: `{expr}` fell back from numba: "
                          f"{fell_back[0].message}", UserWarning)
        want = numerical_grad(f, args, argnums)
        assert_tree_close(got, want, rtol=1e-5, atol=1e-6)
        directional = sum(np.sum(g * a) for g, a in zip(want, args))
        np.testing.assert_allclose(out_dot, directional, rtol=1e-5, atol=1e-6,
                                   err_msg=f"forward mode of `{expr}`")

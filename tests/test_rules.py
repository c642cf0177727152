"""Every rule in the registry, checked against central finite differences in reverse and
forward mode, on several shapes, on both backends. A rule without a case fails here."""
import hashlib
import importlib.util
import warnings

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import NumbaFallbackWarning
from tangent_ad.checking import numerical_grad
from tangent_ad.rules.registry import all_rules

from conftest import assert_tree_close
from rule_cases import cases_for, make_args

# Rules whose derivatives numba cannot compile, so that the default backend runs their
# Python version with a warning; each with the reason (the README lists them too). Any other
# rule that falls back fails here, and so does a rule listed that no longer falls back.
KNOWN_NUMBA_FALLBACKS = {}

RULES = [r for r in all_rules() if r.family != "user"]
IMPORTS = """import math
import numpy as np
import scipy.special
from tangent_ad import stop_gradient
from tangent_ad.runtime import unbroadcast, zeros_like_ad
"""


def _module(tmp_dir, rule, expr, nargs):
    params = ", ".join("xyw"[:nargs])
    digest = hashlib.sha256(expr.encode()).hexdigest()[:10]  # one file per expression
    stem = "".join(c if c.isalnum() else "_" for c in rule.name) + f"_{digest}"
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
    cases = cases_for(rule, backend)
    assert cases, f"rule {rule.name} has no {backend} case: add one to tests/rule_cases.py"
    fell_back = []
    for index, (expr, specs) in enumerate(cases):
        f = _module(case_dir, rule, expr, len(specs))
        args = make_args(specs, seed=index)
        argnums = tuple(range(len(args)))
        run_on = None if backend == "numba" else backend  # numba, falling back with a warning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NumbaFallbackWarning)
            got = ta.grad(f, argnums=argnums, backend=run_on)(*args)
            _, out_dot = ta.jvp(f, args, args, backend=run_on)
        fell_back += [f"`{expr}`: {w.message}" for w in caught
                      if issubclass(w.category, NumbaFallbackWarning)]
        want = numerical_grad(f, args, argnums)
        assert_tree_close(got, want, rtol=1e-5, atol=1e-6)
        directional = sum(np.sum(g * a) for g, a in zip(want, args))
        np.testing.assert_allclose(out_dot, directional, rtol=1e-5, atol=1e-6,
                                   err_msg=f"forward mode of `{expr}`")
    if backend == "numba":
        known = rule.name in KNOWN_NUMBA_FALLBACKS
        assert known or not fell_back, f"{rule.name} fell back from numba: {fell_back[0]}"
        assert fell_back or not known, (
            f"{rule.name} compiles with numba now: remove it from KNOWN_NUMBA_FALLBACKS "
            "and from the README")

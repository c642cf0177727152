"""Run one generated program and say whether its derivatives are right.

The program's text is written to a real file and imported (tangent_ad reads the source
of what it differentiates). At the program's arguments, on each backend:

- `grad` (reverse mode) against central differences, `value_and_grad` against `grad`
  and the function's value;
- `jvp` (forward mode) along a random direction against the directional difference
  quotient and against `grad · direction`;
- the backends against each other; and the caller's arguments, compared after every call
  with copies taken before.

A program whose own evaluation raises, warns or is not finite is discarded, as is one
where the differences with two step sizes disagree (a kink or a branch within a step).
An error tangent_ad raises on purpose is a refusal, counted by its message with the
names taken out; a wrong number or any other exception is a failure.

>>> from tools.fuzz.grammar import program_from_seed
>>> check(program_from_seed(1, ("ufuncs",))).kind in ("agree", "discarded")
True
"""
import copy
import importlib.util
import itertools
import os
import re
import tempfile
import time
import traceback
import warnings

import numpy as np

import tangent_ad as ta
from tangent_ad.checking import numerical_grad
from tangent_ad.errors import TangentADError
from tangent_ad.pytree import flatten, unflatten

RTOL, ATOL = 1e-4, 1e-6            # derivatives against central differences
BACKEND_RTOL = 1e-7                # one backend against the other, one mode against the other
LIMIT = 1e6                        # larger values make differences meaningless
_counter = itertools.count()
_folder = []


class Outcome:
    """`kind`: agree, refused, discarded, wrong or crash; `label`: the class of the refusal,
    the reason of the discard or what disagreed; `detail`: the message or traceback."""

    def __init__(self, kind, label="", detail="", seconds=None):
        self.kind, self.label, self.detail = kind, label, detail
        self.seconds = seconds or {}

    @property
    def failed(self):
        return self.kind in ("wrong", "crash")

    def signature(self):
        """What a smaller program must reproduce to count as the same failure."""
        return (self.kind, self.label.split(":")[0])

    def __repr__(self):
        return f"Outcome({self.kind!r}, {self.label!r})"


class Unstable(Exception):
    """Central differences with two step sizes disagree: no reference to compare with."""


class Mismatch(Exception):
    """A derivative that disagrees: `label` says which two numbers."""

    def __init__(self, label, detail):
        super().__init__(label)
        self.label, self.detail = label, detail


def load(text, folder=None, namespace=None):
    """The function `f` of the module `text`, imported from a file of its own (with the
    names of `namespace` defined in the module before it runs)."""
    if folder is None:
        if not _folder:
            _folder.append(tempfile.mkdtemp(prefix="tangent_ad-fuzz-"))
        folder = _folder[0]
    name = f"fuzz_{os.getpid()}_{next(_counter)}"
    path = os.path.join(folder, name + ".py")
    with open(path, "w") as f:
        f.write(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(namespace or {})
    spec.loader.exec_module(module)
    return module.f


def refusal_class(exc):
    """The message of a refusal with names, numbers and places taken out."""
    message = getattr(exc, "message", None) or str(exc).splitlines()[0]
    message = re.sub(r"`(?![A-Z][A-Za-z]*`)[^`]*`", "`_`", message)
    message = re.sub(r"'[^']*'", "'_'", message)
    message = re.sub(r"\b\d+\b", "N", message)
    return f"{type(exc).__name__}: {message[:120]}"


def is_bug(exc):
    """tangent_ad's own defect, reported as an error (a crash inside the pipeline)."""
    return "This is a bug in tangent_ad" in str(exc)


def evaluate(f, args):
    """f(*args) on copies, with NumPy's floating-point warnings raised."""
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*copy.deepcopy(args))


def _same(a, b):
    la, ta_ = flatten(a)
    lb, tb = flatten(b)
    return ta_ == tb and all(np.array_equal(x, y) for x, y in zip(la, lb))


def _close(got, want, rtol, scale):
    got_leaves, got_tree = flatten(got)
    want_leaves, want_tree = flatten(want)
    if got_tree != want_tree:
        return False
    for g, w in zip(got_leaves, want_leaves):
        g, w = np.asarray(g, float), np.asarray(w, float)
        if g.shape != w.shape or not np.all(np.abs(g - w) <= ATOL + rtol * (np.abs(w) + scale)):
            return False
    return True


def _scale(tree):
    return max([float(np.max(np.abs(x))) for x in flatten(tree)[0] if np.size(x)] + [1e-3])


def _compare(label, got, want, rtol=RTOL, scale=None):
    scale = _scale(want) * 1e-3 if scale is None else scale
    if not _close(got, want, rtol, scale):
        raise Mismatch(label, f"{label}\n  got:  {got!r}\n  want: {want!r}")


def _dot(tree, direction):
    return sum(float(np.sum(np.asarray(a) * np.asarray(b)))
               for a, b in zip(flatten(tree)[0], flatten(direction)[0]))


def _direction(args, seed):
    rng = np.random.default_rng(seed)
    leaves, tree = flatten(args)
    return unflatten(tree, [rng.standard_normal(np.shape(x)) if np.ndim(x)
                            else float(rng.standard_normal()) for x in leaves])


def _unchanged(args, before, what):
    if not _same(args, before):
        raise Mismatch(f"{what} changed the caller's arguments",
                       f"{what} changed the caller's arguments:\n  before: {before!r}\n"
                       f"  after:  {args!r}")


class Reference:
    """What the derivatives are compared with: the value, central differences, and the
    directional difference quotient, all computed from the function itself."""

    def __init__(self, f, args):
        self.f, self.args = f, args
        self.argnums = tuple(range(len(args)))
        self.value = evaluate(f, args)
        if not np.isfinite(self.value) or abs(self.value) > LIMIT:
            raise ValueError("not finite or too large")
        call = lambda *a: evaluate(f, a)  # noqa: E731 (numerical_grad calls it)
        self.grad = numerical_grad(call, args, self.argnums)
        self.direction = _direction(args, 1)
        self.directional = _dot(self.grad, self.direction)
        self._call = call

    def stable(self):
        """Whether differences with a ten times larger step give the same gradient."""
        wider = numerical_grad(self._call, self.args, self.argnums, eps=1e-5)
        return _close(wider, self.grad, 1e-3, _scale(self.grad) * 1e-3)


def _derivatives(f, args, ref, backend):
    """grad, value_and_grad and jvp of `f` on `backend`, checked; returns the gradient."""
    before = copy.deepcopy(args)
    gradient = ta.grad(f, argnums=ref.argnums, backend=backend)(*args)
    _unchanged(args, before, f"grad ({backend})")
    value, again = ta.value_and_grad(f, argnums=ref.argnums, backend=backend)(*args)
    _unchanged(args, before, f"value_and_grad ({backend})")
    out, out_dot = ta.jvp(f, args, ref.direction, backend=backend)
    _unchanged(args, before, f"jvp ({backend})")
    try:
        _compare(f"grad ({backend}) vs central differences", gradient, ref.grad)
    except Mismatch:
        if not ref.stable():
            raise Unstable() from None
        raise
    _compare(f"value_and_grad value ({backend}) vs f", value, ref.value, BACKEND_RTOL)
    _compare(f"value_and_grad ({backend}) vs grad", again, gradient, BACKEND_RTOL)
    _compare(f"jvp value ({backend}) vs f", out, ref.value, BACKEND_RTOL)
    _compare(f"jvp ({backend}) vs grad . direction", out_dot,
             _dot(gradient, ref.direction), 1e-6, _scale(gradient))
    return gradient


def check(program, backends=("python",), folder=None):
    """The outcome of `program` (a grammar.Program) on `backends`; its module is written
    into `folder` (a temporary folder of this process by default)."""
    seconds = {}
    try:
        f = load(program.text, folder, program.namespace)
        args = program.arguments()
        ref = Reference(f, args)
    except Exception as exc:
        return Outcome("discarded", f"primal: {type(exc).__name__}", str(exc))
    gradients = {}
    for backend in backends:
        start = time.perf_counter()
        try:
            gradients[backend] = _derivatives(f, args, ref, backend)
        except Mismatch as exc:
            return Outcome("wrong", exc.label, exc.detail, seconds)
        except Unstable:
            return Outcome("discarded", "central differences unstable", "", seconds)
        except TangentADError as exc:
            if is_bug(exc):
                return Outcome("crash", f"internal: {refusal_class(exc.__cause__ or exc)}",
                               traceback.format_exc(), seconds)
            return Outcome("refused", refusal_class(exc), str(exc), seconds)
        except Exception as exc:
            return Outcome("crash", f"{type(exc).__name__}: {backend}",
                           traceback.format_exc(), seconds)
        finally:
            seconds[backend] = time.perf_counter() - start
    first, *others = backends
    for other in others:
        try:
            _compare(f"grad ({other}) vs grad ({first})", gradients[other], gradients[first],
                     BACKEND_RTOL)
        except Mismatch as exc:
            return Outcome("wrong", exc.label, exc.detail, seconds)
    return Outcome("agree", seconds=seconds)

"""cache: a derivative's generated module, kept on disk for the next process.

Generating a derivative (activity analysis, the reverse or forward transform, optimize,
emit) costs far more than loading its module, and numba's own on-disk cache then supplies
the machine code. An entry is keyed by everything the generated text depends on:

- the normalized function's tree and the user's lines it quotes (inlined helpers and
  the resolved rules are in it), its parameters and the state of its name allocator;
- the kinds of the parameters (hidden globals included: their values are parameters),
  the parameters differentiated, the mode, has_aux and the backend;
- fingerprints of the user's own code that the text only names: recursive helpers,
  functions with custom rules, every template the user registered, and the values of
  module constants (`np.pi`, `config.SCALE`) that the tree holds;
- tangent_ad's version and a hash of its own source files (rules, transforms, runtime),
  and the Python, NumPy and gast versions.

An entry that cannot be read, is malformed, belongs to another key or format, or whose
imports no longer match is ignored (a miss), and the derivative is generated again and
stored over it. Nothing in an entry is ever trusted without that check.
"""
import glob
import hashlib
import inspect
import json
import os
import sys

import gast
import numpy as np

from .emit import quote
from .load import VERSION, cache_dir

FORMAT = 1
_FIELDS = {"format": int, "key": str, "stem": str, "name": str, "helpers": list,
           "body": str, "text": str, "output_ndims": list}
_source_hash = []


def tangent_ad_hash():
    """A hash of tangent_ad's own source files: any change to a rule or a transform makes
    every entry stale."""
    if not _source_hash:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        digest = hashlib.sha256()
        for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
            digest.update(os.path.relpath(path, root).encode())
            with open(path, "rb") as f:
                digest.update(f.read())
        _source_hash.append(digest.hexdigest())
    return _source_hash[0]


def key(nf, kinds, wrt, mode, has_aux, backend):
    """The key of the derivative of the normalized function `nf`, or None when some part
    of what it depends on cannot be described (then nothing is cached)."""
    try:
        names = nf.names
        parts = [FORMAT, VERSION, tangent_ad_hash(), sys.version_info[:2],
                 getattr(gast, "__version__", ""), nf.filename,
                 np.__version__, gast.dump(nf.fdef), _unseen(nf.fdef), nf.params,
                 sorted(names.taken), names._counter, sorted(names.temporaries),
                 sorted(names._derived.items()), sorted(names.base.items()),
                 sorted((k, repr(v)) for k, v in nf.leaf_paths.items()),
                 list(kinds.items()), list(wrt), mode, bool(has_aux), backend]
        return hashlib.sha256(repr(parts).encode()).hexdigest()
    except Exception:  # something without a stable description: generate every time
        return None


def _unseen(fdef):
    """What the generated text depends on that the tree's fields do not show: the user's
    lines each statement quotes, the values of module constants such as `np.pi`, and
    fingerprints of user code that calls only name (recursive helpers, functions with
    custom rules)."""
    from ..custom import _fingerprint
    quoted, constants, prints = [], [], set()
    for node in gast.walk(fdef):
        origin = getattr(node, "origin", None)
        if origin:
            quoted.append((tuple(origin), quote(origin)))
        if hasattr(node, "constant_value"):
            constants.append(_value_print(node.constant_value))
        prim = getattr(node, "prim", None)
        helper = getattr(node, "rule", None)
        if helper is not None and hasattr(helper, "function"):  # a recursive helper
            prints.add(f"{node.func.id}: {_fingerprint(helper.function)}")  # by its name
        if prim is not None and inspect.isfunction(prim) and not _ours(prim):
            prints.add(_fingerprint(prim))
    return quoted, constants, sorted(prints), _user_templates()


def _value_print(value):
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, hashlib.sha256(value.tobytes()).hexdigest())
    return repr(value)


def _user_templates():
    """Fingerprints of every derivative template the user registered (for any function:
    a template added to a NumPy function's rule changes what its calls generate)."""
    from ..custom import _fingerprint
    from ..rules.registry import all_rules
    prints = []
    for rule in all_rules():
        for when, template in rule.adjoints + rule.tangents:
            if template.fn is not None and not _ours(template.fn):
                prints.append((rule.name, _fingerprint(template.fn), template.source))
            if when is not None and not _ours(when):
                prints.append((rule.name, _fingerprint(when)))
    return prints


def _ours(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "tangent_ad"


def _path(digest):
    return os.path.join(cache_dir(), "transforms", f"{digest}.json")


def load(digest):
    """The entry stored under `digest` if it is whole and of this format, else None."""
    if digest is None:
        return None
    try:
        with open(_path(digest)) as f:
            entry = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or any(not isinstance(entry.get(field), kind)
                                          for field, kind in _FIELDS.items()):
        return None
    if entry["format"] != FORMAT or entry["key"] != digest:
        return None
    if not all(isinstance(h, str) for h in entry["helpers"]):
        return None
    ndims = entry["output_ndims"]
    if len(ndims) != 2 or not all(n is None or type(n) is int and n >= 0 for n in ndims):
        return None
    return entry


def store(digest, entry):
    """Write `entry` under `digest` atomically; a cache that cannot be written is skipped."""
    if digest is None:
        return
    path = _path(digest)
    entry = dict(entry, format=FORMAT, key=digest)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(entry, f)
        os.replace(tmp, path)
    except OSError:
        pass

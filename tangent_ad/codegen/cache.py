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

An entry records a sha256 digest of all its fields (its key and the module text included).
An entry that cannot be read, is not UTF-8 JSON, is malformed, belongs to another key or
format, does not match its digest, or whose imports no longer match is ignored (a miss),
and the derivative is generated again and stored over it. Nothing in an entry is ever
trusted without that check.

What the digest guards against: the directory is private (cachedir.py: the user's own,
0700, files 0600), so whoever can write an entry can already run code as the user; the
digest catches what else changes a file (a partial write, a damaged disk, a tool that
rewrote the text or the encoding), and the key inside it ties the entry to its file name.
A module file is imported only from the text of an entry that passed, never from what a
file in the directory holds (load.py).
"""
import glob
import hashlib
import inspect
import json
import os
import re
import sys

import gast
import numpy as np

from .cachedir import cache_dir, locate, private_subdir, read_bytes, write_private
from .emit import quote
from .load import NUMBA_FOLDER, VERSION

FORMAT = 2
_FIELDS = {"format": int, "key": str, "stem": str, "name": str, "helpers": list,
           "body": str, "text": str, "output_ndims": list, "digest": str}
ENTRIES = "transforms"  # the folder of the entries, in the cache directory
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
    return os.path.join(cache_dir(), ENTRIES, f"{digest}.json")


def _digest(entry):
    """sha256 of every field of `entry` but the digest itself."""
    fields = {name: entry[name] for name in _FIELDS if name != "digest"}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def load(digest):
    """The entry stored under `digest` if it is whole, of this format and matches its own
    digest, else None."""
    if digest is None:
        return None
    data = read_bytes(_path(digest))
    try:
        entry = json.loads(data.decode("utf-8"))
    except (AttributeError, ValueError, RecursionError):  # None, not UTF-8, not JSON
        return None
    if not isinstance(entry, dict) or any(not isinstance(entry.get(field), kind)
                                          for field, kind in _FIELDS.items()):
        return None
    if entry["format"] != FORMAT or entry["key"] != digest:
        return None
    if entry["digest"] != _digest(entry):  # damaged, or edited by hand or by a tool
        return None
    names = [entry["stem"], entry["name"], *entry["helpers"]]  # file and function names
    if not all(isinstance(n, str) and n.isidentifier() for n in names):
        return None
    if not all(_utf8(entry[field]) for field in ("body", "text")):
        return None
    ndims = entry["output_ndims"]
    if len(ndims) != 2 or not all(n is None or type(n) is int and n >= 0 for n in ndims):
        return None
    return entry


def _utf8(text):
    """False for a string with lone surrogates, which JSON's escapes can hold."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def store(digest, entry):
    """Write `entry` under `digest` atomically; a cache that cannot be written is skipped."""
    if digest is None:
        return
    entry = dict(entry, format=FORMAT, key=digest)
    entry["digest"] = _digest(entry)
    try:
        folder = private_subdir(cache_dir(), ENTRIES)
        write_private(os.path.join(folder, f"{digest}.json"), json.dumps(entry).encode())
    except (OSError, ValueError):  # a full disk, a value JSON cannot hold
        pass


# -- `tangent-ad cache info | clear` ----------------------------------------------------
_MODULE = re.compile(r"(\w+_[0-9a-f]{16})\.py")  # a generated module: <stem>_<hash>.py


def _files(directory):
    """The files of the cache in `directory`: entries, generated modules, numba's files
    for them and the leftovers of interrupted writes; nothing else found there."""
    found = []
    for folder, test in ((directory, _cache_file),
                         (os.path.join(directory, ENTRIES), _cache_file),
                         (os.path.join(directory, NUMBA_FOLDER), _numba_file)):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [os.path.join(folder, n) for n in sorted(names) if test(n)]
    return [path for path in found if os.path.isfile(path) and not os.path.islink(path)]


def _cache_file(name):
    """An entry, a generated module, or what an interrupted write or an older version of
    tangent_ad left (`.<random>.tmp`, `<file>.<pid>.tmp`, `.writable`)."""
    return (_MODULE.fullmatch(name) or re.fullmatch(r"[0-9a-f]{64}\.json", name)
            or re.fullmatch(r"\..*\.tmp|.*\.(py|json)\.\d+\.tmp|\.writable", name))


def _numba_file(name):
    """numba's index and data of a generated module's function, or the bytecode an older
    version of tangent_ad let Python write."""
    module = name.split(".", 1)[0]
    return (_MODULE.fullmatch(module + ".py") is not None
            and name.endswith((".nbi", ".nbc", ".pyc")))


def info():
    """What `tangent-ad cache info` reports: a dict with the directory, whether it is in
    use and why not, and the number of entries, modules and numba files, and bytes."""
    path, reason = locate()
    files = _files(path) if reason is None else []
    names = [os.path.basename(f) for f in files]
    return {"directory": path, "in_use": reason is None, "reason": reason,
            "entries": sum(n.endswith(".json") for n in names),
            "modules": sum(n.endswith(".py") for n in names),
            "numba_files": sum(n.endswith((".nbi", ".nbc")) for n in names),
            "bytes": sum(_size(f) for f in files)}


def clear():
    """Remove the cache's files (entries, modules, numba's files for them) from the cache
    directory; returns (directory, number removed, None) or (directory, 0, why not)."""
    path, reason = locate()
    if reason is not None:
        return path, 0, reason
    removed = 0
    for file in _files(path):
        try:
            os.unlink(file)
            removed += 1
        except OSError:
            pass
    return path, removed, None


def _size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0

"""load: generated source → a module backed by a real file in the cache directory.

A real file gives tracebacks and `inspect.getsource` the generated lines, lets numba's
on-disk cache find the machine code again in the next process, and lets the generated
code itself be differentiated again (higher order). The file name carries a hash of the
source, which includes the library version and a hash of the runtime helpers, so a stale
file is never reused; an existing file is never rewritten (numba keys its cache on mtime).

What runs is the text asked for, never what a file holds: the file is compared byte for
byte with the text (one that differs, planted or edited, is written over) and the text
itself is compiled, so no bytecode cache (`__pycache__/*.pyc`) is ever read. numba's cache
files for these modules go to `__pycache__` inside the same private directory (see
cachedir.py), wherever NUMBA_CACHE_DIR points numba's other files.
"""
import hashlib
import importlib.util
import inspect
import os
import re
import sys

from .. import runtime
from .cachedir import cache_dir, private_subdir, process_dir, read_bytes, write_private

VERSION = "0.1.0"
GENERATED_PREFIX = "tangent_ad_generated_"  # the module names of generated code
NUMBA_FOLDER = "__pycache__"  # numba's files for generated modules, in the cache directory


def is_generated(fn):
    """True for a function of a module that tangent_ad generated and loaded."""
    return (getattr(fn, "__module__", None) or "").startswith(GENERATED_PREFIX)


def runtime_hash():
    """A hash of the code that generated functions call into: the runtime helpers and, with
    numba, its overloads (numba's cache does not notice when they change)."""
    overloads = getattr(runtime, "overloads", None)
    modules = [runtime, *(overloads.MODULES if overloads else ())]
    text = "".join(inspect.getsource(module) for module in modules)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


HEADER = f"# tangent_ad {VERSION}, runtime {runtime_hash()}\n"


def module_text(body, imports):
    return HEADER + "".join(f"{line}\n" for line in imports) + "\n\n" + body


def load_module(stem, text):
    """Import `text` as a module from `<cache>/<stem>_<hash>.py`; returns the module."""
    if not re.fullmatch(r"\w+", stem):
        raise ValueError(f"not a module stem: {stem!r}")
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:16]
    module_name = f"{GENERATED_PREFIX}{stem}_{digest}"
    filename = f"{stem}_{digest}.py"
    directory = cache_dir()
    loaded = sys.modules.get(module_name)
    if (loaded is not None and getattr(loaded, "__file__", None) == os.path.join(
            directory, filename) and read_bytes(loaded.__file__) == data):
        return loaded  # else its file was removed, or another directory is in use now
    try:
        path = _file_of(directory, filename, data)
    except OSError:  # a full disk, say: this process's own directory still works
        path = _file_of(process_dir(), filename, data)
    code = compile(data, path, "exec", dont_inherit=True)
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[module_name]  # never leave a half-run module to be found again
        raise
    return module


def _file_of(directory, filename, data):
    """The path of a file in `directory` that holds exactly `data`: the one there if its
    bytes are those (numba's cache keeps working), else written anew."""
    path = os.path.join(directory, filename)
    if read_bytes(path) != data:
        write_private(path, data)
    return path


def _numba_files_in_the_cache():
    """Make numba keep its cache files for generated modules in `__pycache__` beside them,
    in the private directory, even where NUMBA_CACHE_DIR sends its other files."""
    from numba.core import caching
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    in_tree = (getattr(caching, "InTreeCacheLocator", None)
               or getattr(caching, "_InTreeCacheLocator", None))
    if impl is None or in_tree is None:  # a numba of another layout: its own places
        return

    class GeneratedLocator(in_tree):
        def ensure_cache_path(self):
            private_subdir(os.path.dirname(self._py_file), NUMBA_FOLDER)
            super().ensure_cache_path()

        @classmethod
        def from_function(cls, py_func, py_file):
            if not is_generated(py_func):
                return None
            return super().from_function(py_func, py_file)

    if not any(c.__name__ == GeneratedLocator.__name__ for c in impl._locator_classes):
        impl._locator_classes.insert(0, GeneratedLocator)


if getattr(runtime, "overloads", None) is not None:  # numba is there, and imported
    _numba_files_in_the_cache()

"""load: generated source → a module backed by a real file in the cache directory.

A real file gives tracebacks and `inspect.getsource` the generated lines, lets numba's
on-disk cache find the machine code again in the next process, and lets the generated
code itself be differentiated again (higher order). The file name carries a hash of the
source, which includes the library version and a hash of the runtime helpers, so a stale
file is never reused; an existing file is never rewritten (numba keys its cache on mtime).
"""
import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile

from .. import runtime

VERSION = "0.1.0"
GENERATED_PREFIX = "tangent_ad_generated_"  # the module names of generated code


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


def cache_dir():
    path = os.environ.get("TANGENT_AD_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "tangent_ad")
    try:
        os.makedirs(path, exist_ok=True)
        probe = os.path.join(path, ".writable")
        with open(probe, "w"):
            pass
        return path
    except OSError:
        path = os.path.join(tempfile.gettempdir(), f"tangent_ad-{os.getuid()}")
        os.makedirs(path, exist_ok=True)
        return path


def module_text(body, imports):
    return HEADER + "".join(f"{line}\n" for line in imports) + "\n\n" + body


def load_module(stem, text):
    """Import `text` as a module from `<cache>/<stem>_<hash>.py`; returns the module."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    module_name = f"{GENERATED_PREFIX}{stem}_{digest}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = os.path.join(cache_dir(), f"{stem}_{digest}.py")
    if not _same_text(path, text):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]  # never leave a half-run module to be found again
        raise
    return module


def _same_text(path, text):
    try:
        with open(path) as f:
            return f.read() == text
    except OSError:
        return False

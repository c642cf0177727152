"""The disk cache is code that runs: it is used only from a private directory, and only what
matches its digest is run. Each test damages or plants something, then checks that no
warning is missed and that the derivative is still the right one."""
import importlib.util
import json
import marshal
import os
import struct
import sys
import tempfile
import warnings

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.checking import numerical_grad
from tangent_ad.codegen import cache as disk
from tangent_ad.codegen.cachedir import CacheWarning
from tangent_ad.codegen.load import GENERATED_PREFIX

X = np.linspace(-1.0, 1.0, 4)


def wave(x):
    return np.sum(np.sin(x) * x)


def _grad(backend="python"):
    """A new derivative object at X, which looks on disk first: what an earlier derivative
    of `wave` derived in this process is forgotten, as in a new process."""
    wave.__dict__.pop("__tangent_ad__", None)
    return ta.grad(wave, backend=backend)(X)


def _check(got):
    np.testing.assert_allclose(got, numerical_grad(wave, (X,), 0), rtol=1e-6, atol=1e-8)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache directory."""
    path = tmp_path / "cache"
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(path))
    _new_process()
    yield path
    _new_process()


def _new_process():
    """Forget the generated modules imported so far, as a process that starts anew."""
    for name in [n for n in sys.modules if n.startswith(GENERATED_PREFIX)]:
        del sys.modules[name]


def _entry(cache):
    (path,) = (cache / "transforms").glob("*.json")
    return path, json.loads(path.read_text())


def _module_file(cache):
    (path,) = cache.glob("wave_grad_*.py")
    return path


def _doubled(text):
    """The module text with a wrong derivative (twice the right one) in its first function."""
    assert "    return x_bar\n" in text, text
    return text.replace("    return x_bar\n", "    return 2.0 * x_bar\n", 1)


# -- entries and module files ----------------------------------------------------------------
def test_an_entry_whose_text_was_edited_is_not_served(cache):
    _grad()
    path, entry = _entry(cache)
    path.write_text(json.dumps(dict(entry, text=_doubled(entry["text"]),
                                    body=_doubled(entry["body"]))))
    _new_process()
    _check(_grad())
    assert "2.0 * x_bar" not in _module_file(cache).read_text()
    assert "2.0 * x_bar" not in _entry(cache)[1]["text"]  # rebuilt


def test_an_edited_module_file_is_written_over(cache):
    _check(_grad())
    module = _module_file(cache)
    module.write_text(_doubled(module.read_text()))
    _new_process()
    _check(_grad())
    assert "2.0 * x_bar" not in module.read_text()


def test_a_planted_bytecode_file_is_never_run(cache):
    """Python's import system would run `__pycache__/<module>.pyc` whenever its header
    names the source file's time and size: the generated text itself is compiled."""
    _check(_grad())
    module = _module_file(cache)
    planted = compile(_doubled(module.read_text()), str(module), "exec")
    st = module.stat()
    header = importlib.util.MAGIC_NUMBER + struct.pack(
        "<III", 0, int(st.st_mtime) & 0xFFFFFFFF, st.st_size & 0xFFFFFFFF)
    pyc = importlib.util.cache_from_source(str(module))
    os.makedirs(os.path.dirname(pyc), exist_ok=True)
    with open(pyc, "wb") as f:
        f.write(header + marshal.dumps(planted))
    _new_process()
    _check(_grad())


def test_a_planted_module_is_never_imported(cache, tmp_path):
    marker = tmp_path / "planted-ran"
    _grad()
    module = _module_file(cache)
    evil = f"open({str(marker)!r}, 'w').close()\n"
    module.write_text(evil + module.read_text())
    (cache / "wave_grad_0123456789abcdef.py").write_text(evil)  # a name no entry gives
    _new_process()
    _check(_grad())
    assert not marker.exists()


def test_a_module_file_that_is_not_utf8_is_rebuilt(cache):
    _grad()
    module = _module_file(cache)
    module.write_bytes(b"\xff\xfe not text")
    _new_process()
    _check(_grad())
    assert module.read_bytes().startswith(b"# tangent_ad")
    _new_process()
    _check(_grad())  # ... and stays usable


def _not_utf8(path, entry):
    path.write_bytes(path.read_bytes().replace(b'"text": "', b'"text": "\xff\xfe'))


def _lone_surrogate(path, entry):
    path.write_text(json.dumps(dict(entry, text=entry["text"] + "\ud800",
                                    body=entry["body"] + "\ud800")))


def _deeply_nested(path, entry):
    path.write_text("[" * 100000 + "]" * 100000)


def _stem_outside(path, entry):
    path.write_text(json.dumps(dict(entry, stem="../escaped")))


def _digest_of_another_entry(path, entry):
    path.write_text(json.dumps(dict(entry, digest="0" * 64)))


@pytest.mark.parametrize("damage", [_not_utf8, _lone_surrogate, _deeply_nested, _stem_outside,
                                    _digest_of_another_entry])
def test_an_unreadable_or_inconsistent_entry_is_a_miss(cache, tmp_path, damage):
    _grad()
    damage(*_entry(cache))
    _new_process()
    _check(_grad())
    assert not list(tmp_path.rglob("escaped_*"))
    path, entry = _entry(cache)
    assert disk.load(entry["key"]) == entry  # written again, whole


# -- the directory ---------------------------------------------------------------------------
def _mode(path):
    return os.stat(path).st_mode & 0o7777


def test_the_directory_is_0700_and_the_files_0600(cache):
    _check(_grad())
    assert _mode(cache) == 0o700 and _mode(cache / "transforms") == 0o700
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files and all(_mode(p) == 0o600 for p in files), [(p, oct(_mode(p))) for p in files]


def test_an_existing_directory_readable_by_others_is_made_private(cache):
    cache.mkdir(mode=0o755)
    os.chmod(cache, 0o755)
    _check(_grad())
    assert _mode(cache) == 0o700 and list(cache.glob("wave_grad_*.py"))


def test_numba_keeps_its_files_for_generated_modules_in_the_private_directory(
        cache, tmp_path, monkeypatch):
    from numba.core import config
    monkeypatch.setattr(config, "CACHE_DIR", str(tmp_path / "numba"))  # NUMBA_CACHE_DIR
    _check(_grad("numba"))
    stem = _module_file(cache).stem
    assert list((cache / "__pycache__").glob(f"{stem}.*.nbi"))
    assert _mode(cache / "__pycache__") == 0o700
    assert not list((tmp_path / "numba").rglob("*.nb*"))


def test_xdg_cache_home_is_honoured(tmp_path, monkeypatch, cache):
    monkeypatch.delenv("TANGENT_AD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _check(_grad())
    assert list((tmp_path / "xdg" / "tangent_ad" / "transforms").glob("*.json"))
    assert _mode(tmp_path / "xdg" / "tangent_ad") == 0o700


def _refused(tmp_path, grads=2):
    """Derivatives computed `grads` times: each right, with one CacheWarning in all."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(grads):
            _check(_grad())
    messages = [str(w.message) for w in caught if issubclass(w.category, CacheWarning)]
    assert len(messages) == 1, messages
    return messages[0]


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_directory_others_can_write_is_refused(cache, tmp_path, mode):
    cache.mkdir()
    os.chmod(cache, mode)
    message = _refused(tmp_path)
    assert f"{cache}: others can write to it (mode {mode:04o})" in message
    assert "TANGENT_AD_CACHE_DIR" in message
    assert not list(cache.iterdir())  # nothing written there, nothing read


def test_a_directory_inside_one_others_can_write_is_refused(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("TANGENT_AD_CACHE_DIR", str(shared / "cache"))
    assert f"inside {shared}, which anyone can write to" in _refused(tmp_path)
    # with the sticky bit, as /tmp, no one can replace it; a group-writable one is what
    # a umask of 002 (a group of one's own) makes of ~/.cache
    for mode in (0o1777, 0o775):
        os.chmod(shared, mode)
        _new_process()
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheWarning)
            _check(_grad())
        assert list((shared / "cache").glob("wave_grad_*.py"))


def _broken_home(tmp_path, monkeypatch):
    """A home and XDG_CACHE_HOME where nothing can be created, and a temporary directory
    of the test's own: the cache falls back to <tmp>/tangent_ad-<uid>."""
    (tmp_path / "home").write_text("a file, not a directory")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("TANGENT_AD_CACHE_DIR", raising=False)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return tmp_path / "tmp" / f"tangent_ad-{os.getuid()}"


def test_the_fallback_directory_when_home_is_not_writable(tmp_path, monkeypatch, cache):
    fallback = _broken_home(tmp_path, monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        _check(_grad())
    assert list(fallback.glob("wave_grad_*.py")) and _mode(fallback) == 0o700


def test_a_fallback_directory_of_another_user_is_refused(tmp_path, monkeypatch, cache):
    """Another user creating /tmp/tangent_ad-<uid> first must not make this process run
    that user's code."""
    other = 12345
    if os.getuid() != 0:  # only root can give a directory away: be someone else instead
        other = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: other + 1)
    fallback = _broken_home(tmp_path, monkeypatch)
    fallback.mkdir(mode=0o755)
    if os.getuid() == 0:
        os.chown(fallback, other, -1)
    message = _refused(tmp_path)
    assert f"{fallback}: it is owned by uid {other}, not by you (uid {os.getuid()})" in message
    assert not list(fallback.iterdir())


def test_a_symbolic_link_at_the_fallback_path_is_refused(tmp_path, monkeypatch, cache):
    fallback = _broken_home(tmp_path, monkeypatch)
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    fallback.symlink_to(tmp_path / "elsewhere")
    assert "symbolic link" in _refused(tmp_path)
    assert not list((tmp_path / "elsewhere").iterdir())


def test_a_plain_file_at_the_cache_path(tmp_path, monkeypatch, cache):
    cache.write_text("not a directory")
    assert f"{cache}: it is not a directory" in _refused(tmp_path)
    assert cache.read_text() == "not a directory"


def test_a_plain_file_at_the_fallback_path(tmp_path, monkeypatch, cache):
    fallback = _broken_home(tmp_path, monkeypatch)
    fallback.write_text("not a directory")
    assert f"{fallback}: it is not a directory" in _refused(tmp_path)

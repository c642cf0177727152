"""cachedir: where the disk cache lives, and whether this process may trust it.

The cache holds modules that are imported, so it is code that runs: it lives in a private
directory, owned by the user and writable by no one else, and each file in it is 0600.

    $TANGENT_AD_CACHE_DIR                      when set (checked like the others)
    $XDG_CACHE_HOME/tangent_ad                 else, when XDG_CACHE_HOME is an absolute path
    ~/.cache/tangent_ad                        else
    <tmp>/tangent_ad-<uid>                     when the default cannot be created

The directory is created 0700 (an existing one of the user's, readable by others, is made
0700). One owned by someone else, writable by group or others, inside a directory anyone
can write (without the sticky bit: anyone could put another directory in its place), or not
a directory at all is refused with one warning, and the process runs without a disk cache:
its generated modules go to a fresh private directory (`tempfile.mkdtemp`) removed at exit.
Group-writable directories above it are accepted: with a umask of 002 (one group per user)
`~/.cache` is one.
"""
import atexit
import os
import shutil
import stat
import tempfile
import warnings

NAME = "tangent_ad"
_warned = set()
_process_dir = []


class CacheWarning(UserWarning):
    """The disk cache is not used by this process (the reason is in the message)."""


def locate():
    """(directory, reason): the cache directory, created if need be, and None when it can
    be trusted, else why not (then this process keeps no disk cache)."""
    explicit = os.environ.get("TANGENT_AD_CACHE_DIR")
    if explicit:
        explicit = os.path.abspath(os.path.expanduser(explicit))
        return explicit, _make_private(explicit)
    default = _default()
    reason = _make_private(default)
    if reason is None or os.path.lexists(default):
        return default, reason
    fallback = os.path.join(tempfile.gettempdir(), f"{NAME}-{os.getuid()}")
    return fallback, _make_private(fallback, follow=False)


def cache_dir():
    """The directory to keep generated modules in: the cache directory when it can be
    trusted, else this process's own private one (with a warning, once)."""
    path, reason = locate()
    if reason is None:
        return path
    if (path, reason) not in _warned:
        _warned.add((path, reason))
        warnings.warn(f"tangent_ad does not use the disk cache {path}: {reason}; derivatives "
                      "are generated again in each process (set TANGENT_AD_CACHE_DIR to a "
                      "directory only you can write)", CacheWarning, stacklevel=2)
    return process_dir()


def process_dir():
    """A private directory of this process's own, removed at exit (a forked child makes
    one of its own)."""
    if _process_dir[:1] != [os.getpid()] or not os.path.isdir(_process_dir[1]):
        path = tempfile.mkdtemp(prefix=f"{NAME}-process-")  # 0700, a fresh name
        atexit.register(_remove, os.getpid(), path)
        _process_dir[:] = [os.getpid(), path]
    return _process_dir[1]


def _remove(pid, path):
    if os.getpid() == pid:
        shutil.rmtree(path, ignore_errors=True)


def private_subdir(directory, name):
    """`directory/name`, created 0700."""
    path = os.path.join(directory, name)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def write_private(path, data):
    """Write the bytes `data` to `path` atomically, as a file only the user can read: a
    reader sees the old file or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_bytes(path):
    """The bytes of the file at `path`, or None when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _default():
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, NAME)


def _make_private(path, follow=True):
    """None when `path` is (now) a directory this process may trust, else why not."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except FileExistsError:
        return "it is not a directory"
    except OSError as exc:
        return f"it cannot be created ({exc.strerror or exc})"
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link in a shared directory"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a directory"
    if st.st_uid != os.getuid():
        return f"it is owned by uid {st.st_uid}, not by you (uid {os.getuid()})"
    if st.st_mode & 0o022:
        return f"others can write to it (mode {stat.S_IMODE(st.st_mode):04o})"
    shared = _shared_parent(path)
    if shared:
        return f"it is inside {shared}, which anyone can write to"
    if not os.access(path, os.W_OK | os.X_OK):
        return "you cannot write to it"
    if st.st_mode & 0o077:  # the user's own, from before: its files quote the user's code
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
    return None


def _shared_parent(path):
    """The first directory above `path` that anyone can write to and that has no sticky
    bit, or None."""
    parent = os.path.dirname(os.path.realpath(path))
    while True:
        try:
            st = os.stat(parent)
        except OSError:
            return None
        if st.st_mode & 0o002 and not st.st_mode & stat.S_ISVTX:
            return parent
        up = os.path.dirname(parent)
        if up == parent:
            return None
        parent = up

"""tiers: a new derivative answers at once, in Python, while numba compiles it.

numba takes seconds to compile a derivative the first time (most of it type inference over
the functions it calls), and the same derivative, run as Python, takes milliseconds when it
has no loop. So the default backend runs the first calls of a loop-free derivative that
numba's disk cache does not hold yet as Python, while a thread of its own compiles it; the
calls after the compile has finished run the machine code. Derivatives with loops (whose
Python time grows with their trip counts), `backend="numba"`, and derivatives numba has
cached are compiled before their first call, as before.

    first call     Python version            compile starts on a thread
    ...            Python version            (compiling)
    later calls    machine code              (compiled, and in numba's disk cache)

`TANGENT_AD_TIERS=1` turns tiers on; by default every derivative compiles before its first
call. Where the machine code is
needed at once (`vmap` loops, batched Jacobians), `finish` waits for the compile. Before
the interpreter exits, and before the process forks, a compile under way is let finish, so
that it reaches the disk cache (and neither a dying thread nor a forked child is left
inside numba holding its locks).
"""
import atexit
import os
import threading

_running = set()


def enabled():
    """Tiers are asked for with `TANGENT_AD_TIERS=1`: a compile that outlives the call that
    started it runs beside the caller's threads, forks and captured streams."""
    return os.environ.get("TANGENT_AD_TIERS", "0") == "1"


def in_disk_cache(dispatcher):
    """Whether numba's disk cache has an index for the function `dispatcher` compiles
    (then loading it takes milliseconds); True when it cannot tell."""
    try:
        return os.path.exists(dispatcher._cache._cache_file._index_path)
    except AttributeError:  # another numba: compile before the first call, as without tiers
        return True


def signature(args):
    """numba's types of `args`, or None when numba has no type for one (float16)."""
    import numba
    try:
        return tuple(numba.typeof(a) for a in args)
    except Exception:  # numba's own error for a type it does not know
        return None


class BackgroundCompile:
    """numba compiling `dispatcher` for the types `types` on a thread of its own."""

    def __init__(self, dispatcher, types):
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(dispatcher, types),
                                       name="tangent_ad compile", daemon=True)
        _running.add(self.thread)
        self.thread.start()

    def _run(self, dispatcher, types):
        try:
            dispatcher.compile(types)
        except Exception as exc:  # handed to the thread that calls next
            self.error = exc
        finally:
            _running.discard(self.thread)

    def done(self):
        return not self.thread.is_alive()

    def finish(self):
        """Wait for the compile; the exception it raised, or None."""
        self.thread.join()
        return self.error


@atexit.register
def _let_compiles_finish():
    for thread in list(_running):
        thread.join()


# A process forked while a compile holds numba's locks would inherit them held, and hang at
# its first compile (multiprocessing's workers are forked): wait for the compile first.
os.register_at_fork(before=_let_compiles_finish)

"""``python -m tools.fuzz --n N [--seed S] [--backend python|numba|both] [--jobs K]``:
generate N programs, check each one, count the outcomes, shrink every failure to a
minimal program and print it.

Program i of seed S is `program_from_seed(S * 10**7 + i)`, so `--seed S --first i --n 1`
runs it again. Programs run in worker processes that are replaced every
`--per-worker` programs, with derivative caches in a temporary folder that is emptied
after each program, so memory and disk stay bounded over any number of programs. With
`--backend both`, every program runs on the Python backend and every `--numba-every`-th
one on numba too (numba compiles each new derivative: about a second each).
"""
import argparse
import collections
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings

from .expressions import KNOWN_BROKEN, PRODUCTIONS
from .grammar import program_from_seed

_worker = {}


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="programs to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=int, default=0, help="index of the first program")
    parser.add_argument("--backend", choices=("python", "numba", "both"), default="both")
    parser.add_argument("--numba-every", type=int, default=20, metavar="K",
                        help="with --backend both, numba on every K-th program")
    parser.add_argument("--jobs", type=int, default=1, metavar="K", help="worker processes")
    parser.add_argument("--per-worker", type=int, default=200,
                        help="programs before a worker process is replaced")
    parser.add_argument("--without", default="", metavar="P[,P]",
                        help=f"productions to leave out, of {', '.join(PRODUCTIONS)}; "
                             f"'known' stands for {', '.join(sorted(KNOWN_BROKEN))}")
    parser.add_argument("--shrink-seconds", type=float, default=300.0,
                        help="time to shrink each kind of failure")
    parser.add_argument("--shrink-each", type=int, default=3, metavar="K",
                        help="failures of each kind to shrink")
    parser.add_argument("--save", metavar="DIR", help="write each minimal program here")
    opts = parser.parse_args(argv)
    without = {p for p in opts.without.split(",") if p}
    if "known" in without:
        without = (without - {"known"}) | KNOWN_BROKEN
    unknown = without - set(PRODUCTIONS)
    if unknown:
        parser.error(f"unknown productions {', '.join(sorted(unknown))}")
    opts.productions = tuple(p for p in PRODUCTIONS if p not in without)
    return opts


def backends_for(opts, index):
    if opts.backend != "both":
        return (opts.backend,)
    return ("python", "numba") if index % opts.numba_every == 0 else ("python",)


def seed_of(opts, index):
    return opts.seed * 10 ** 7 + index


def _start_worker(root):
    """Each worker process: caches of its own, emptied after every program."""
    warnings.simplefilter("ignore")
    folder = os.path.join(root, f"worker-{os.getpid()}")
    os.environ["TANGENT_AD_CACHE_DIR"] = os.path.join(folder, "generated")
    _worker["programs"] = os.path.join(folder, "programs")
    _worker["folders"] = [os.environ["TANGENT_AD_CACHE_DIR"], _worker["programs"]]


def _run_one(task):
    from . import checker
    index, seed, productions, backends = task
    program = program_from_seed(seed, productions)
    os.makedirs(_worker["programs"], exist_ok=True)
    outcome = checker.check(program, backends, folder=_worker["programs"])
    for folder in _worker["folders"]:
        shutil.rmtree(folder, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return (index, seed, outcome.kind, outcome.label, outcome.detail[-3000:],
            outcome.seconds, sorted(program.productions), rss)


class Tally:
    def __init__(self, keep=3):
        self.keep = keep     # failures of each signature to shrink
        self.kinds = collections.Counter()
        self.labels = {k: collections.Counter() for k in ("refused", "discarded", "wrong",
                                                          "crash")}
        self.failures = {}   # signature → the first (seed, backends, detail)
        self.seconds = collections.Counter()
        self.runs = collections.Counter()
        self.productions = collections.Counter()
        self.rss = 0

    def add(self, result, backends):
        index, seed, kind, label, detail, seconds, productions, rss = result
        self.kinds[kind] += 1
        if kind in self.labels:
            self.labels[kind][label] += 1
        if kind in ("wrong", "crash"):
            found = self.failures.setdefault((kind, label.split(":")[0]), [])
            if len(found) < self.keep:
                found.append((seed, backends, detail))
        for backend, s in seconds.items():
            self.seconds[backend] += s
            self.runs[backend] += 1
        if kind != "discarded":
            self.productions.update(productions)
        self.rss = max(self.rss, rss)

    def report(self, wall, jobs):
        lines = [f"programs: {sum(self.kinds.values())} in {wall:.0f} s on {jobs} "
                 f"worker(s) ({sum(self.kinds.values()) / wall:.1f}/s)",
                 "outcomes: " + ", ".join(f"{k} {v}" for k, v in self.kinds.most_common())]
        for backend in sorted(self.runs):
            rate = self.runs[backend] / max(self.seconds[backend], 1e-9)
            lines.append(f"{backend}: {self.runs[backend]} programs differentiated, "
                         f"{rate:.2f} programs/s per worker (derivatives only)")
        lines.append(f"largest worker memory: {self.rss} MiB")
        for kind, counter in self.labels.items():
            if counter:
                lines.append(f"{kind} by class:")
                lines += [f"  {v:6d}  {k}" for k, v in counter.most_common()]
        lines.append("productions in checked programs: " + ", ".join(
            f"{k} {v}" for k, v in sorted(self.productions.items())))
        return "\n".join(lines)


def _shrink_failures(tally, opts, log):
    from . import checker, shrink
    minimal = []
    found = [(k, seed, backends) for k, runs in tally.failures.items()
             for seed, backends, _ in runs]
    for (kind, label), seed, backends in found:
        log(f"\nshrinking {kind} {label} (seed {seed}, {'+'.join(backends)})")
        program = program_from_seed(seed, opts.productions)
        small, outcome, _ = shrink.shrink(program, lambda p: checker.check(p, backends),
                                          opts.shrink_seconds, log=log)
        minimal.append((seed, backends, small, outcome))
        print(f"\n=== {outcome.kind}: {outcome.label} (seed {seed}, "
              f"arguments: Program.arguments() with arg_seed {small.arg_seed})")
        print(small.text)
        print(outcome.detail[-1500:])
        if opts.save:
            os.makedirs(opts.save, exist_ok=True)
            with open(os.path.join(opts.save, f"{kind}-{seed}.py"), "w") as f:
                f.write(f"# {outcome.kind}: {outcome.label}\n# params {small.params}, "
                        f"arg_seed {small.arg_seed}\n{small.text}")
    return minimal


def main(argv=None):
    opts = _options(argv)
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    root = tempfile.mkdtemp(prefix="tangent_ad-fuzz-run-")
    os.environ.setdefault("NUMBA_OPT", "0")
    os.environ["NUMBA_CACHE_DIR"] = os.path.join(root, "numba")
    tasks = [(i, seed_of(opts, i), opts.productions, backends_for(opts, i))
             for i in range(opts.first, opts.first + opts.n)]
    tally, start = Tally(opts.shrink_each), time.perf_counter()
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(opts.jobs, _start_worker, (root,),
                          maxtasksperchild=opts.per_worker) as pool:
            for done, result in enumerate(pool.imap_unordered(_run_one, tasks, 4), 1):
                tally.add(result, tasks[result[0] - opts.first][3])
                if result[2] in ("wrong", "crash"):
                    log(f"failure: seed {result[1]}: {result[2]}: {result[3]}")
                if done % 250 == 0 or done == len(tasks):
                    log(f"{done}/{len(tasks)} " + ", ".join(
                        f"{k} {v}" for k, v in tally.kinds.most_common()))
        wall = time.perf_counter() - start
        print(tally.report(wall, opts.jobs))
        _shrink_failures(tally, opts, log)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())

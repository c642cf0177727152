"""``python -m tools.bench [--quick | --smoke] [--only NAME[,NAME]] [--threads N] [--out DIR]``:
run, print and save the table."""
import argparse
import importlib
import pathlib
import sys

from . import PROBLEMS, hessian_cost, parallel, report, runner, verify

RESULTS = pathlib.Path(__file__).resolve().parents[2] / "results"


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    size.add_argument("--smoke", action="store_true",
                      help="tiny sizes, one sample, no second-process timings (for tests)")
    parser.add_argument("--only", metavar="NAME", action="append", default=[],
                        help=f"problem(s) to run, from {', '.join(PROBLEMS)}")
    parser.add_argument("--threads", type=int, default=2, metavar="N",
                        help="numba threads for the vmap scaling runs (0: skip them)")
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS, metavar="DIR",
                        help="folder for bench.md and bench.png (default: results/)")
    opts = parser.parse_args(argv)
    opts.names = [n for arg in opts.only for n in arg.split(",") if n] or list(PROBLEMS)
    unknown = sorted(set(opts.names) - set(PROBLEMS))
    if unknown:
        parser.error(f"unknown problem(s) {', '.join(unknown)}; choose from {', '.join(PROBLEMS)}")
    opts.mode = "smoke" if opts.smoke else "quick" if opts.quick else "full"
    return opts


def _scaling(opts, log):
    """Rows of the vmap scaling runs, or the reason there are none."""
    if opts.threads <= 0:
        return [], "not run (--threads 0)"
    log(f"vmap scaling on {opts.threads} numba threads (child process)")
    try:
        return parallel.measure_scaling(opts.threads, opts.mode), None
    except Exception as exc:
        return [], f"{type(exc).__name__}: {exc}"


def main(argv=None):
    opts = _options(argv)
    log = lambda *a, **k: print(*a, file=sys.stderr, **k)  # progress goes to stderr
    failures = verify.check_all(opts.names)
    log("hand adjoints vs central differences:", "ok" if not failures else failures)
    cfg = runner.CONFIGS[opts.mode]
    rows = []
    for name in opts.names:
        mod = importlib.import_module(f"{__package__}.{name}")
        sizes = {"smoke": [mod.VERIFY_SIZE], "quick": mod.QUICK_SIZES}.get(opts.mode, mod.SIZES)
        for size in sizes:
            row = runner.run_case(mod, size, cfg, log=log, second_process=opts.mode != "smoke")
            row["problem"] = name
            rows.append(row)
    scaling, why_not = _scaling(opts, log)

    text = report.markdown(rows, opts.mode, failures) + report.scaling(scaling, why_not)
    if not opts.only:  # the Hessian's cost in gradients (forward over reverse)
        log("hessians of 100 inputs")
        text += hessian_cost.markdown(hessian_cost.measure_all(opts.mode))
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "bench.md").write_text(text)
    print(text)
    if report.plot(rows, opts.out / "bench.png"):
        log(f"wrote {opts.out / 'bench.md'} and {opts.out / 'bench.png'}")
    else:
        log(f"wrote {opts.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

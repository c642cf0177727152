"""``python -m tools.bench [--quick] [--only NAME[,NAME]]``: run, print and save the table."""
import argparse
import importlib
import pathlib
import sys

from . import PROBLEMS, report, runner, verify

RESULTS = pathlib.Path(__file__).resolve().parents[2] / "results"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument("--only", metavar="NAME", action="append", default=[],
                        help=f"problem(s) to run, from {', '.join(PROBLEMS)}")
    opts = parser.parse_args(argv)
    names = [n for arg in opts.only for n in arg.split(",") if n] or list(PROBLEMS)
    unknown = sorted(set(names) - set(PROBLEMS))
    if unknown:
        parser.error(f"unknown problem(s) {', '.join(unknown)}; choose from {', '.join(PROBLEMS)}")

    log = lambda *a, **k: print(*a, file=sys.stderr, **k)  # progress goes to stderr
    failures = verify.check_all(names)
    log("hand adjoints vs central differences:", "ok" if not failures else failures)
    cfg = runner.QUICK if opts.quick else runner.FULL
    rows = []
    for name in names:
        mod = importlib.import_module(f"{__package__}.{name}")
        for size in mod.QUICK_SIZES if opts.quick else mod.SIZES:
            row = runner.run_case(mod, size, cfg, log=log)
            row["problem"] = name
            rows.append(row)

    text = report.markdown(rows, opts.quick, failures)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.md").write_text(text)
    print(text)
    if report.plot(rows, RESULTS / "bench.png"):
        log(f"wrote {RESULTS / 'bench.md'} and {RESULTS / 'bench.png'}")
    else:
        log(f"wrote {RESULTS / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `tangent-ad` command: read, explain, export and check the derivatives of your code.

    tangent-ad show loss.py:loss                       the gradient tangent_ad generates
    tangent-ad show loss.py:loss --stage all           every stage of the pipeline
    tangent-ad explain loss.py:loss --html loss.html   your lines beside the lines they became
    tangent-ad export loss.py:loss -o loss_grad.py     a module that runs without tangent_ad
    tangent-ad check loss.py:loss --at "2.0, np.ones(3)"    the gradient vs central differences
    tangent-ad show f.py:f --order 2                   f_grad differentiated again (see orders.py)
    tangent-ad cache info                              where the disk cache is, and its size
    tangent-ad cache clear                             remove its entries

Bad input (a missing file or function, a syntax error, code tangent_ad cannot differentiate)
prints one or two lines on stderr, starting with the place, and exits with status 2. `check`
exits with status 1 when the derivative and the differences disagree.
"""
import argparse
import os
import sys
import threading
import time
import warnings

from . import __version__, compare, export
from .checking import numerical_grad
from .display import highlight_terminal, side_by_side_html, side_by_side_text, use_color
from .errors import LocatedError, TangentADError
from .explain import explain, shown_path
from .orders import inner_name, ordinal, stages_for
from .stages import STAGES
from .target import TargetError, example_args, load

EXAMPLES = """examples:
  tangent-ad show examples/quadratic.py:f
  tangent-ad show examples/linear_regression.py:loss --argnums 0,1 --at "0.0, 0.0, x, y"
  tangent-ad show examples/quadratic.py:f --mode forward --stage all
  tangent-ad explain examples/logistic_regression.py:loss --at "W, b" --html loss.html
  tangent-ad export examples/linear_regression.py:loss --at "0.0, 0.0, x, y" -o loss_grad.py
  tangent-ad check examples/logistic_regression.py:loss --at "W, b" --argnums 0,1
  tangent-ad show examples/stacked_derivatives.py:f --order 2
  tangent-ad check examples/hessian.py:f --order 2 --mode forward --at "np.array([3.0, 2.0])"

--at takes Python expressions separated by commas, evaluated with numpy as np and the
module's own globals; they fix which arguments are scalars and which are arrays (of which
dimensions). Without --at, every argument is the scalar 1.0."""

DEFAULT_BACKEND = {"show": "python", "explain": "python", "export": "auto", "check": "auto"}


def build_parser():
    parser = _Parser(
        prog="tangent-ad", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Show, explain, export and check the derivatives tangent_ad writes.")
    parser.add_argument("--version", action="version", version=f"tangent-ad {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)
    common = _common_options()

    def command(name, summary):
        return commands.add_parser(name, parents=[common], help=summary, description=summary,
                                   epilog=EXAMPLES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    command("show", "Print the generated derivative.").add_argument(
        "--stage", choices=STAGES + ("all",),
        help="print a stage of the pipeline (default: optimized, the code that runs)")
    command("explain", "Each line of your function beside the lines it became.").add_argument(
        "--html", metavar="FILE", help="also write a two-column HTML page")
    command("export", "Write the derivative as a module that runs without tangent_ad.")
    check = command("check", "The derivative next to central differences.")
    check.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance")
    check.add_argument("--atol", type=float, default=1e-6, help="absolute tolerance")
    cache = commands.add_parser("cache", help="Show or clear the disk cache of derivatives.",
                                description="info: the cache directory, whether it is in use "
                                "(and why not), its entries and size. clear: remove the "
                                "entries, their modules and numba's files for them.")
    cache.add_argument("action", choices=("info", "clear"))
    return parser


def _common_options():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("target", metavar="FILE.py:func",
                        help="the function: FILE.py:func or package.module:func")
    common.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                        help="reverse (a gradient, x_bar) or forward (a tangent, x_dot)")
    common.add_argument("--argnums", type=_argnums, metavar="0,1",
                        help="positions of the arguments to differentiate (default: 0 in "
                        "reverse mode, every float argument in forward mode)")
    common.add_argument("--order", type=_order, default=1, metavar="N",
                        help="order of the derivative (default 1). From 2 on, the derivative "
                        "of order N-1 (a gradient) is differentiated again: reverse mode "
                        "gives f_grad_grad (reverse over reverse; needs one scalar "
                        "argument), forward mode f_grad_jvp (forward over reverse: the "
                        "gradient and the Hessian times x_dot; one scalar or array "
                        "argument). --argnums then names one argument (default 0)")
    common.add_argument("--at", metavar="ARGS", help='example arguments, e.g. "2.0, np.ones(3)"')
    common.add_argument("--backend", choices=("auto", "numba", "python"),
                        help="auto: numba, or Python where numba fails (default for export "
                        "and check); python: no compilation (default for show and explain)")
    common.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour on a terminal (auto honours NO_COLOR)")
    common.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    return common


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors in two lines (the error, and where to read more)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n(see: {self.prog} --help)\n")


def _argnums(text):
    """`0` → 0 (one gradient), `0,1` → (0, 1) (a tuple of gradients)."""
    parts = [p for p in text.strip("()[] ").replace(" ", "").split(",") if p]
    try:
        nums = tuple(int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers like 0 or 0,1, got {text!r}")
    if not nums:
        raise argparse.ArgumentTypeError("give at least one argument position")
    return nums[0] if len(nums) == 1 and "," not in text else nums


def _order(text):
    """--order N: a whole number, 1 or more."""
    try:
        order = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number like 1 or 2, got {text!r}")
    if order < 1:
        raise argparse.ArgumentTypeError(f"the order is 1 (the first derivative) or more, "
                                         f"got {order}")
    return order


def main(argv=None):
    """Run the command line `argv`; returns the exit status (0, 1 for a failed check, 2)."""
    opts = build_parser().parse_args(argv)
    command = globals()[f"run_{opts.command}"]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            status = command(opts)
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("tangent-ad: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `tangent-ad show ... | head`: the reader has stopped
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0
    except Exception as exc:
        if os.environ.get("TANGENT_AD_DEBUG"):
            raise
        print(error_lines(exc, getattr(opts, "place", None)), file=sys.stderr)
        return 2
    for message in dict.fromkeys(str(w.message).splitlines()[0] for w in caught):
        print(f"tangent-ad: warning: {message}", file=sys.stderr)
    return status


def error_lines(exc, place):
    """One or two lines for an error, starting with where it is."""
    if isinstance(exc, TargetError):
        return str(exc)
    if isinstance(exc, LocatedError) and exc.location is not None:
        loc = exc.location
        first = f"{shown_path(loc.filename)}:{loc.lineno}:{loc.col_offset + 1}: {exc.message}"
        return first + (f"\nhint: {exc.hint}" if exc.hint else "")
    message = exc.message if isinstance(exc, LocatedError) else " ".join(str(exc).split())
    if not isinstance(exc, TangentADError):
        message = f"{type(exc).__name__}: {message}"
    return f"{place}: {message}" if place else f"tangent-ad: {message}"


# -- the commands -----------------------------------------------------------------------
def _stages(opts):
    """Load the target, evaluate --at and set up the pipeline's stages for it."""
    target = load(opts.target)
    code = getattr(target.fn, "__code__", None)
    name = opts.name = target.name
    opts.place = (f"{shown_path(code.co_filename)}:{code.co_firstlineno}: in {name}" if code
                  else opts.target)
    opts.names = target.params()
    args = example_args(opts.at, target)
    backend = opts.backend or DEFAULT_BACKEND[opts.command]
    return stages_for(target.fn, args, opts.argnums, opts.mode,
                      None if backend == "auto" else backend, opts.order)


def _call_at(stages, opts):
    """Run the function at the example arguments first, so that arguments it cannot take
    are reported as the function's own error, not as one from inside generated code."""
    try:
        stages.fn(*stages.args)
    except Exception as exc:
        at = opts.at if opts.at is not None else ", ".join("1.0" for _ in stages.args)
        message = " ".join(str(exc).split())
        raise TargetError(f"--at: {opts.name}({at}) raised {type(exc).__name__}: {message}"
                          ) from None


def _compile(stages, opts):
    """Compile with numba (when asked) at the example arguments, with a progress line."""
    if stages.backend == "python":
        return True
    _call_at(stages, opts)
    name = f"{stages.parsed.name}_{'grad' if stages.mode == 'reverse' else 'jvp'}"
    with Progress(f"compiling {name} with numba"):
        stages.compile()
    return not getattr(stages.generated.call, "fallen_back", False)


def run_show(opts):
    stages = _stages(opts)
    names = STAGES if opts.stage == "all" else [opts.stage or "optimized"]
    parts = []
    for name in names:
        text = stages.text(name)
        parts.append(f"# {name}: {stages.about(name)}\n{text}" if opts.stage else text)
    _compile(stages, opts)
    _write("\n".join(parts), opts, highlight_terminal)
    return 0


def run_explain(opts):
    stages = _stages(opts)
    place = inner_name(opts.order, stages.fn, opts.name) if opts.order > 1 else None
    explanation = explain(stages.parsed, stages.generated, stages.mode, place)
    _compile(stages, opts)
    if opts.html:
        _write_file(opts.html, side_by_side_html(explanation))
    color = not opts.output and use_color(opts.color, sys.stdout)
    _write(side_by_side_text(explanation, color=color), opts)
    return 0


def run_export(opts):
    stages = _stages(opts)
    compiled = _compile(stages, opts)
    text = export.module_source(stages.generated, stages.fn, stages.mode,
                                numba=stages.backend != "python" and compiled,
                                order=opts.order, name=opts.name)
    _write(text, opts, highlight_terminal)
    return 0


def run_check(opts):
    stages = _stages(opts)
    # From order 2 on, the derivative checked is that of the generated derivative of
    # order N-1, against central differences of that derivative.
    fn, args, argnums = stages.differentiated, stages.args, stages.argnums
    _call_at(stages, opts)
    slow = "" if stages.backend == "python" else " (numba compiles it on first use)"
    with Progress(f"computing the derivative of {stages.parsed.name}{slow}"):
        if stages.mode == "reverse":
            got = stages.derivative(*args)
        else:
            got = compare.forward_gradient(fn, args, argnums, stages.backend)
    want = numerical_grad(fn, args, argnums)
    names = _param_names(opts.names, args)
    labels, got_values, positions = compare.labelled(names, argnums, got)
    _, want_values, _ = compare.labelled(names, argnums, want)
    text, ok = compare.table(labels, got_values, want_values, opts.rtol, opts.atol, positions)
    verdict = ("agree" if ok else "DISAGREE") + f" (rtol={opts.rtol:g}, atol={opts.atol:g})"
    what = f"{stages.mode}-mode derivative"
    if opts.order > 1:
        what = (f"{ordinal(opts.order)} derivative ({stages.mode} mode, the derivative of "
                f"{stages.parsed.name})")
    header = (f"{opts.name}: {what} vs central differences, "
              f"at {_describe_args(names, args)}")
    _write(f"{header}\n\n{text}\n\nThe derivative and the differences {verdict}.\n", opts)
    return 0 if ok else 1


def run_cache(opts):
    from .codegen import cache
    if opts.action == "clear":
        path, removed, reason = cache.clear()
        if reason is not None:
            print(f"tangent-ad: {path} is not in use ({reason}); nothing removed.",
                  file=sys.stderr)
            return 1
        print(f"removed {removed} file{'' if removed == 1 else 's'} from {path}")
        return 0
    info = cache.info()
    use = "yes" if info["in_use"] else f"no: {info['reason']}"
    print(f"directory:   {info['directory']}\nin use:      {use}\n"
          f"entries:     {info['entries']} (generated modules: {info['modules']}, "
          f"numba files: {info['numba_files']})\nsize:        {_bytes(info['bytes'])}")
    return 0


def _bytes(n):
    for unit in ("bytes", "kB", "MB"):
        if n < 1000 or unit == "MB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000


def _param_names(names, args):
    names = list(names)[:len(args)]
    return names + [f"arg{i}" for i in range(len(names), len(args))]


def _describe_args(names, args):
    return ", ".join(f"{n}={_short(a)}" for n, a in zip(names, args))


def _short(value):
    """A short description of an argument: numbers as they are, arrays by shape."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    shape = getattr(value, "shape", ())
    if shape:
        return f"array of shape {shape}"
    text = repr(value.item() if hasattr(value, "item") else value)
    return text if len(text) <= 24 else text[:21] + "..."


def _write(text, opts, colorize=None):
    if opts.output:
        _write_file(opts.output, text)
        return
    if colorize and use_color(opts.color, sys.stdout):
        text = colorize(text)
    sys.stdout.write(text)


def _write_file(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise TargetError(f"{path}: cannot write the file: {exc.strerror}.") from None
    print(f"tangent-ad: wrote {path}", file=sys.stderr)


class Progress:
    """A line on stderr, while something slow runs, when stderr is a terminal::

        compiling loss_grad with numba ... 2.4s

    It appears after `delay` seconds (quick steps show nothing) and is erased at the end.
    """

    def __init__(self, message, stream=None, delay=0.5, interval=0.1):
        self.message = message
        self.stream = stream or sys.stderr
        self.delay, self.interval = delay, interval
        self.written = 0
        self._done = threading.Event()
        self._thread = None

    def __enter__(self):
        if _isatty(self.stream):  # a pipe or a log file gets no carriage returns
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self):
        if self._done.wait(self.delay):
            return
        while not self._done.is_set():
            line = f"{self.message} ... {time.monotonic() - self._start:.1f}s"
            self.stream.write("\r" + line)
            self.stream.flush()
            self.written = max(self.written, len(line))
            self._done.wait(self.interval)

    def __exit__(self, *exc):
        if self._thread is not None:
            self._done.set()
            self._thread.join()
            if self.written:
                self.stream.write("\r" + " " * self.written + "\r")
                self.stream.flush()
        return False


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

"""Markdown table and bar plot of the measured rows."""
import importlib.metadata
import platform

from .runner import GRAD_COLUMNS, SECOND_PROCESS_SAMPLES

# (key, header) of the columns in seconds after the ratios
TIME_COLUMNS = [
    ("ta_numba_first", "tangent_ad first call (s)"),
    ("ta_numba_cached", "tangent_ad 2nd process (s)"),
    ("hand_cached", "hand adjoint 2nd process (s)"),
    ("numba_start", "numba start-up (s)"),
    ("jax_first", "jax first call (s)"),
]


def _seconds(t):
    return f"{t:.3g}"


def _ratio(r):
    if r >= 1000:
        return f"{r:,.0f}×"
    return f"{r:.3g}×" if r >= 10 else f"{r:.2f}×"


def _versions():
    parts = [f"Python {platform.python_version()}"]
    for name in ("numpy", "numba", "jax", "autograd", "torch", "tangent_ad"):
        try:
            mod = __import__(name)
        except Exception:
            parts.append(f"{name} —")
            continue
        try:
            version = mod.__version__
        except AttributeError:
            try:
                version = importlib.metadata.version(name)
            except Exception:
                version = "(version unknown)"
        parts.append(f"{name} {version}")
    return ", ".join(parts)


def _cpu():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def markdown(rows, mode, verify_failures):
    """Rows of ``runner.run_case`` (each with a ``problem`` key) as a markdown document."""
    headers = ["problem", "size", "numpy primal (s)", "numba primal (s)"]
    headers += [h for _, h in GRAD_COLUMNS]
    headers += [h for _, h in TIME_COLUMNS]
    notes = {}  # message -> footnote number

    def missing(row, key):
        msg = row["notes"].get(key, "not measured")
        number = notes.setdefault(msg, len(notes) + 1)
        return f"—[{number}]"

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [row["problem"], row["label"], _seconds(row["numpy"]), _seconds(row["numba"])]
        for key, _ in GRAD_COLUMNS:
            if key in row:
                cell = _ratio(row[key] / row["numba"])
                cells.append(cell if row[key + "_ok"] else cell + " ✗")
            else:
                cells.append(missing(row, key))
        for key, _ in TIME_COLUMNS:
            note_key = key.rsplit("_", 1)[0] if key.endswith("_first") else key
            cells.append(_seconds(row[key]) if key in row else missing(row, note_key))
        lines.append("| " + " | ".join(cells) + " |")

    sizes = {"full": "full sizes", "quick": "quick mode, small sizes",
             "smoke": "smoke test, tiny sizes, timings meaningless"}[mode]
    head = [
        f"# Derivative benchmarks ({sizes})",
        "",
        f"{_cpu()}, one thread, float64. {_versions()}.",
        "Primal columns are seconds per call; the six derivative columns are derivative time ÷ numba",
        "primal time (best of k after a warm-up call; lower is better). First call: building the",
        "derivative plus its first call (compilation). 2nd process: the same in a fresh Python",
        "process whose caches are warm, after its imports and after numba's own start-up",
        "(a trivial cached function's first call, shown in its own column); best of",
        f"{SECOND_PROCESS_SAMPLES} processes.",
        "✗ marks a gradient that differs from the hand adjoint (np.allclose, rtol 1e-6).",
        "Hand adjoints vs central differences: "
        + ("ok." if not verify_failures else "FAILED: " + "; ".join(verify_failures)),
        "",
    ]
    foot = [""] + [f"[{n}] {msg}  " for msg, n in notes.items()]
    return "\n".join(head + lines + foot) + "\n"


def scaling(rows, why_not=None):
    """The vmap scaling runs (``parallel.py``) as a markdown section."""
    lines = ["", "## ta.vmap(ta.grad(f)): target=\"parallel\" vs \"cpu\"", ""]
    if not rows:
        return "\n".join(lines + [f"Not measured: {why_not}", ""])
    threads = rows[0]["threads"]
    lines += [f"Seconds per call; numba threads: {threads} (`NUMBA_NUM_THREADS`, in a child "
              "process). Speed-up: cpu ÷ parallel on all threads; ✗: outputs differ. Busy "
              "threads: CPU seconds ÷ wall seconds of the parallel loop on all threads (below "
              f"{threads} when other work holds the cores).", "",
              f"| case | target=\"cpu\" (s) | parallel, 1 thread (s) | parallel, {threads} "
              "threads (s) | speed-up | busy threads |", "|---|---|---|---|---|---|"]
    for r in rows:
        mark = "" if r["ok"] else " ✗"
        lines.append(f"| {r['label']} | {_seconds(r['cpu'])} | {_seconds(r['parallel_1'])} | "
                     f"{_seconds(r['parallel_n'])} | {_ratio(r['cpu'] / r['parallel_n'])}{mark} | "
                     f"{r['busy']:.2f} |")
    return "\n".join(lines) + "\n"


def plot(rows, path):
    """Grouped bar plot of the ratios; does nothing when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:
        return False
    fig, ax = plt.subplots(figsize=(max(6.0, 1.4 * len(rows)), 5.0))
    width = 0.8 / len(GRAD_COLUMNS)
    for j, (key, header) in enumerate(GRAD_COLUMNS):
        xs = [i + (j - (len(GRAD_COLUMNS) - 1) / 2) * width for i, r in enumerate(rows) if key in r]
        ys = [r[key] / r["numba"] for r in rows if key in r]
        ax.bar(xs, ys, width, label=header)
    ax.set_yscale("log")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([r["problem"] + "\n" + r["label"].replace(", ", "\n") for r in rows], fontsize=7)
    ax.set_ylabel("derivative time ÷ numba primal time")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True

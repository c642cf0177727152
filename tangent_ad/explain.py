"""explain: each line of the user's function beside the derivative lines it produced.

Generated statements carry `.origin` (the user's lines, the sweep, the inlined helper), so
the derivative can be regrouped by source line. In reverse mode, for docs/tutorial.py::

    5  def f(x, y):             |     def f_grad(x, y):
    6      z = x * y            | fwd     z = x * y
                                | bwd     x_bar = z_bar * y
                                | bwd     y_bar = z_bar * x
    7      return np.sin(z) + z | bwd     z_bar = 1.0 + np.cos(z)
                                |         return (x_bar, y_bar)

The forward sweep (`fwd`) runs first; the backward sweep (`bwd`) after it, in the reverse
order. In forward mode every line runs top to bottom and has no tag. A helper that stays a
function gets a section beside its own derivative function; lines of inlined helpers get a
section of their own; code inside loops and branches keeps its indentation.
This module builds the rows; display.py draws them as text or HTML.
"""
import ast
import copy
import linecache
import os
import textwrap
from typing import NamedTuple

import gast

from .codegen.emit import _MARKER


class Line(NamedTuple):
    """One generated line: its sweep tag ("fwd", "bwd" or ""), indent depth and text."""
    tag: str
    depth: int
    text: str


class Row(NamedTuple):
    """A line of the user's code (number and text; None and "" for none) and its lines."""
    lineno: object
    source: str
    derived: list


class Section(NamedTuple):
    title: str
    rows: list


class Explanation(NamedTuple):
    title: str
    mode: str
    sections: list
    calls: tuple = ()   # other generated functions it calls (the helpers' primals)

    @property
    def legend(self):
        if self.mode != "reverse":
            lines = ["Every generated line runs top to bottom; x_dot is the tangent of x."]
        else:
            lines = ["fwd: the forward sweep, your function; it runs first.",
                     "bwd: the backward sweep, x_bar is d(output)/dx; it runs next, in the "
                     "reverse order of the fwd lines."]
        if self.calls:
            lines.append(f"It calls functions generated with it: {', '.join(self.calls)} "
                         "(`tangent-ad show` prints them).")
        return "\n".join(lines)


def explain(parsed, generated, mode, place=None):
    """The `Explanation` of `generated` (a pipeline.Generated) for the parsed function;
    `place` says where that function comes from (default: its file and line).

    The user's helpers that stay functions get a section each: their source beside the
    derivative function generated for them (`h_vjp`, `h_jvp`)."""
    place = place or _place(parsed)
    sections = _function_sections(parsed, generated.fdef, mode, place)
    explained = {generated.fdef.name}
    for fdef in generated.helpers:
        need = getattr(fdef, "need", None)
        if need is not None and need[3] != "primal":
            helper = need[0].parsed
            own = _function_sections(helper, fdef, mode, _place(helper))
            own[0] = own[0]._replace(title=f"{helper.name} (a helper), {_place(helper)} -> "
                                           f"{fdef.name}")
            sections += own
            explained.add(fdef.name)
    title = f"{mode} mode: {parsed.name} ({place}) -> {generated.fdef.name}"
    calls = tuple(f.name for f in generated.helpers if f.name not in explained)
    return Explanation(title, mode, sections, calls)


def _function_sections(parsed, fdef, mode, place):
    """The rows of one generated function: the user's function, then inlined helpers."""
    by_origin, setup, unplaced = {}, [], []
    for stmt in fdef.body:
        for origin, line in _generated_lines([stmt], 1, mode):
            if origin is not None:
                key = (origin.filename, origin.first, origin.helper)
                by_origin.setdefault(key, []).append(line)
            else:  # the return at the end; a tape's creation before it is used
                (unplaced if isinstance(stmt, gast.Return) else setup).append(line)
    header = Line("", 0, _header(fdef))
    main = _main_section(parsed, by_origin, [header] + setup, place)
    main.rows.append(Row(None, "", unplaced))
    return [main] + _other_sections(by_origin)


def shown_path(filename):
    """`filename` relative to the working directory when it lies below it."""
    relative = os.path.relpath(filename) if os.path.isabs(filename) else filename
    return filename if relative.startswith("..") else relative


def _place(parsed):
    return f"{shown_path(parsed.filename)}:{parsed.tree.lineno}"


def _header(fdef):
    stub = copy.copy(fdef)
    stub.body = [gast.Pass()]
    return _unparse(stub).splitlines()[0]


def _unparse(stmt):
    module = gast.Module(body=[stmt], type_ignores=[])  # unparse reads type_ignores
    return ast.unparse(ast.fix_missing_locations(gast.gast_to_ast(module)))


def _is_marker(stmt):
    """The comment markers that emit leaves in the tree (they become `# ...` lines)."""
    return (isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call)
            and isinstance(stmt.value.func, gast.Name) and stmt.value.func.id == _MARKER)


def _generated_lines(stmts, depth, mode, enclosing=None):
    """(origin, Line) for each generated statement; a block's header, then its body."""
    stmts = [stmt for stmt in stmts if not _is_marker(stmt)]
    for stmt, origin in zip(stmts, _placed(stmts, enclosing)):
        body, orelse = getattr(stmt, "body", None), getattr(stmt, "orelse", None)
        tag = _tag(origin, mode)
        if not body:
            for text in _unparse(stmt).splitlines():
                yield origin, Line(tag, depth, text)
            continue
        stub = copy.copy(stmt)
        stub.body, stub.orelse = [gast.Pass()], []
        yield origin, Line(tag, depth, _unparse(stub).splitlines()[0])
        yield from _generated_lines(body, depth + 1, mode, origin)
        if orelse:
            yield _first_origin(orelse) or origin, Line(tag, depth, "else:")
            yield from _generated_lines(orelse, depth + 1, mode, origin)


def _placed(stmts, enclosing):
    """The origin each statement of a block is shown at.

    A block's header never goes below its first line (an `if` on a saved condition may carry
    the origin of its last branch). Bookkeeping without an origin of its own goes with the
    statement before it (a tape push follows the value it saves), else the one after it
    (a pop precedes its use), else the block around it.
    """
    own = []
    for stmt in stmts:
        origin = getattr(stmt, "origin", None)
        first = _first_origin(getattr(stmt, "body", None) or [])
        if first is not None and (origin is None or _before(first, origin)):
            origin = first
        own.append(origin)
    placed = []
    for i, origin in enumerate(own):
        if origin is None:
            after = next((o for o in own[i + 1:] if o is not None), None)
            origin = (placed[-1] if placed else None) or after or enclosing
        placed.append(origin)
    return placed


def _before(a, b):
    return (a.filename, a.helper) == (b.filename, b.helper) and a.first < b.first


def _tag(origin, mode):
    if mode != "reverse" or origin is None:
        return ""
    return "bwd" if origin.role == "adjoint" else "fwd"


def _first_origin(stmts):
    """The origin of the first statement in `stmts` (searching inside blocks) that has one."""
    for stmt in stmts:
        if _is_marker(stmt):
            continue
        origin = getattr(stmt, "origin", None) or _first_origin(getattr(stmt, "body", None) or [])
        if origin is not None:
            return origin
    return None


def _source_lines(filename, first, last):
    """{lineno: text} of the user's lines, dedented together."""
    numbers = list(range(first, last + 1))
    raw = [linecache.getline(filename, n).rstrip() for n in numbers]
    texts = textwrap.dedent("\n".join(raw)).split("\n")
    return dict(zip(numbers, texts))


def _main_section(parsed, by_origin, first, place):
    tree = parsed.tree
    texts = _source_lines(parsed.filename, tree.lineno, tree.end_lineno)
    rows = []
    for n, text in texts.items():
        derived = by_origin.pop((parsed.filename, n, ""), [])
        if n == tree.lineno:
            derived = first + derived
        rows.append(Row(n, text, derived))
    return Section(f"{parsed.name}, {place}", rows)


def _other_sections(by_origin):
    """Inlined helpers (and anything else placed outside the function), one section each,
    in the order the generated code first uses them."""
    groups = {}
    for (filename, n, helper), derived in by_origin.items():
        where = shown_path(filename)
        title = f"{helper} (a helper, inlined), {where}" if helper else where
        text = _source_lines(filename, n, n)[n]
        groups.setdefault(title, []).append(Row(n, text, derived))
    return [Section(title, sorted(rows, key=lambda row: row.lineno))
            for title, rows in groups.items()]

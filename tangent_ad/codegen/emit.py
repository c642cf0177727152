"""emit: a generated gast tree → Python source, with comments quoting the user's lines.

`ast.unparse` drops comments, so each comment travels through it as a marker call
`__comment__('text')` on a line of its own, which is then rewritten to `# text`.
"""
import ast
import linecache
import re
import textwrap
from typing import NamedTuple

import gast

_MARKER = "__comment__"
_MARKER_LINE = re.compile(r"^(\s*)__comment__\((.*)\)$")
_BLANK = "\x00blank"


class Origin(NamedTuple):
    """Where a generated statement comes from: the user's lines, the sweep, the helper."""
    filename: str
    first: int
    last: int
    role: str = "primal"      # "primal", or "adjoint" in the backward sweep
    helper: str = ""          # the inlined helper's name, if any

    def as_role(self, role):
        return self._replace(role=role)


def quote(origin):
    """The user's source lines of a statement, one comment per line."""
    if not origin:
        return []
    lines = [linecache.getline(origin.filename, n).rstrip()
             for n in range(origin.first, (origin.last or origin.first) + 1)]
    lines = textwrap.dedent("\n".join(lines)).strip("\n").splitlines()
    if origin.helper and lines:
        lines[0] = f"{origin.helper}: {lines[0]}"
    return lines


def _marker(text):
    call = gast.Call(func=gast.Name(id=_MARKER, ctx=gast.Load(), annotation=None,
                                    type_comment=None),
                     args=[gast.Constant(value=text, kind=None)], keywords=[])
    return gast.Expr(value=call)


def _with_comments(stmts):
    out = []
    previous = None
    for stmt in stmts:
        origin = getattr(stmt, "origin", None)
        if origin and origin != previous:
            if previous and origin.role != previous.role:
                out.append(_marker(_BLANK))
            out.extend(_marker(line) for line in quote(origin))
        previous = origin or previous
        for field in ("body", "orelse"):
            if getattr(stmt, field, None):
                setattr(stmt, field, _with_comments(getattr(stmt, field)))
        out.append(stmt)
    return out


def function_source(fdef):
    """Source text of one generated FunctionDef, comments included."""
    fdef.body = _with_comments(fdef.body)
    module = gast.gast_to_ast(gast.Module(body=[fdef], type_ignores=[]))
    text = ast.unparse(ast.fix_missing_locations(module))
    lines = []
    for line in text.splitlines():
        m = _MARKER_LINE.match(line)
        text = m and ast.literal_eval(m.group(2))
        lines.append("" if text == _BLANK else f"{m.group(1)}# {text}" if m else line)
    return "\n".join(lines) + "\n"


def expression_source(node):
    module = gast.gast_to_ast(gast.Expression(body=node))
    return ast.unparse(ast.fix_missing_locations(module))

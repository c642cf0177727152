"""How generated code is shown: plainly, in colour in a terminal (with pygments, if
installed), highlighted in notebooks, and side by side with the user's code.

    >>> src = Source("def f_grad(x):\\n    x_bar = 2.0 * x\\n    return x_bar\\n", "f_grad")
    >>> print(src)
    def f_grad(x):
        x_bar = 2.0 * x
        return x_bar
    <BLANKLINE>
    >>> src.highlighted(color="never") == src
    True
    >>> src._repr_markdown_().splitlines()[0]
    '```python'
"""
import html
import os
import sys

_SEPARATOR = " | "


class Source(str):
    """The source text of a generated function; a `str` with notebook representations."""

    def __new__(cls, text, name=""):
        obj = super().__new__(cls, text)
        obj.name = name
        return obj

    def __repr__(self):
        return str(self)  # at a prompt, show the code rather than a quoted one-line string

    def highlighted(self, color="auto", stream=None):
        """The text with terminal colours when `color` allows it (honours NO_COLOR)."""
        if not use_color(color, stream or sys.stdout):
            return str(self)
        return highlight_terminal(str(self))

    def _repr_html_(self):
        return f'<pre style="line-height: 125%">{highlight_html(str(self))}</pre>'

    def _repr_markdown_(self):
        return f"```python\n{self.rstrip()}\n```\n"


def use_color(color, stream):
    """Whether to colour output to `stream`: "always", "never", or "auto" (a terminal,
    unless the NO_COLOR environment variable is set; never a pipe or a file)."""
    if color == "always":
        return True
    if color == "never" or os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def highlight_terminal(text):
    """`text` with ANSI colours, or unchanged when pygments is not installed."""
    try:
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return text
    out = highlight(text, PythonLexer(), TerminalFormatter())
    return out if text.endswith("\n") else out.rstrip("\n")


def highlight_html(text):
    """`text` as HTML spans with inline colours (escaped only, without pygments)."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return html.escape(text)
    out = highlight(text, PythonLexer(), HtmlFormatter(nowrap=True, noclasses=True))
    return out if text.endswith("\n") else out.rstrip("\n")


# -- side by side: the user's lines beside the derivative lines they produced -----------
def side_by_side_text(explanation, color=False):
    """The explanation as text: line number, your line, `|`, sweep tag, generated line."""
    rows = [row for section in explanation.sections for row in section.rows]
    number_width = max(len(str(r.lineno)) for r in rows if r.lineno is not None)
    width = max(len(r.source) for r in rows) + number_width + 2
    paint = highlight_terminal if color else (lambda text: text)
    out = [explanation.title, ""]
    for section in explanation.sections:
        if section.title and section is not explanation.sections[0]:
            out += ["", section.title]
        for row in section.rows:
            number = "" if row.lineno is None else str(row.lineno)
            padding = " " * (width - number_width - 2 - len(row.source))  # measured uncoloured
            left = f"{number.rjust(number_width)}  {paint(row.source)}{padding}"
            lefts = [left] + [" " * width] * (len(row.derived) - 1)
            rights = [f"{line.tag:3} {'    ' * line.depth}{paint(line.text)}"
                      for line in row.derived] or [""]
            out += [f"{lft}{_SEPARATOR}{rgt}".rstrip() for lft, rgt in zip(lefts, rights)]
    return "\n".join(out + ["", explanation.legend]) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th {{ text-align: left; padding: 0.4em 0.8em; border-bottom: 2px solid #888; }}
td {{ vertical-align: top; padding: 0.2em 0.8em; border-top: 1px solid #e4e4e4; }}
td.source, th.source {{ width: 1%; white-space: nowrap; border-right: 2px solid #ccc; }}
code {{ font-family: ui-monospace, Menlo, Consolas, monospace; white-space: pre; }}
.ln {{ display: inline-block; min-width: 2.5em; color: #999; }}
.line {{ padding: 0 0.3em; }}
.tag {{ display: inline-block; width: 2.5em; color: #777; font-size: 85%; }}
.fwd {{ background: #eef5ff; }}
.bwd {{ background: #fff3e6; }}
tr.section td {{ font-weight: bold; padding-top: 1em; border-top: none; }}
.legend {{ color: #555; margin-top: 1.5em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table class="explain">
<thead><tr><th class="source">your code</th><th class="derivative">generated code ({mode} mode)</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p class="legend">{legend}</p>
</body>
</html>
"""


def side_by_side_html(explanation):
    """The explanation as a standalone HTML page (no scripts, no external files)."""
    rows = []
    for section in explanation.sections:
        if section.title and section is not explanation.sections[0]:
            rows.append(f'<tr class="section"><td colspan="2">{html.escape(section.title)}'
                        "</td></tr>")
        rows.extend(_html_row(row) for row in section.rows)
    legend = html.escape(explanation.legend).replace("\n", "<br>\n")
    return _PAGE.format(title=html.escape(explanation.title), mode=explanation.mode,
                        rows="\n".join(rows), legend=legend)


def _html_row(row):
    number = "" if row.lineno is None else str(row.lineno)
    left = f'<span class="ln">{number}</span><code>{highlight_html(row.source)}</code>'
    right = "".join(f'<div class="line {line.tag}"><span class="tag">{line.tag}</span>'
                    f"<code>{'    ' * line.depth}{highlight_html(line.text)}</code></div>"
                    for line in row.derived)
    return f'<tr><td class="source">{left}</td><td class="derivative">{right}</td></tr>'

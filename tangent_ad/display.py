"""Source objects: generated code that prints plainly, in colour in a terminal (with
pygments, if installed), and highlighted in notebooks."""
import html
import os
import sys


class Source(str):
    """The source text of a generated function; a `str` with notebook representations."""

    def __new__(cls, text, name=""):
        obj = super().__new__(cls, text)
        obj.name = name
        return obj

    def __repr__(self):
        return str(self)

    def highlighted(self, color="auto", stream=None):
        """The text with terminal colours when `color` allows it (honours NO_COLOR)."""
        stream = stream or sys.stdout
        if color == "never" or (color == "auto" and (os.environ.get("NO_COLOR")
                                                     or not _isatty(stream))):
            return str(self)
        try:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import PythonLexer
        except ImportError:
            return str(self)
        return highlight(str(self), PythonLexer(), TerminalFormatter())

    def _repr_html_(self):
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
        except ImportError:
            return f"<pre>{html.escape(str(self))}</pre>"
        return highlight(str(self), PythonLexer(), HtmlFormatter(noclasses=True))

    def _repr_markdown_(self):
        return f"```python\n{self}```\n"


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

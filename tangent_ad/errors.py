"""Errors that say where the problem is in the user's code and what to write instead.

Every error tangent_ad raises on purpose derives from `TangentADError`; a located one
prints like a compiler message::

    loss.py:4:8: `try` statements cannot be differentiated.
        try:
        ^
    hint: move the try/except outside the function you differentiate.
"""
import linecache


class TangentADError(Exception):
    """Base class of the errors tangent_ad raises on purpose."""


class Location:
    """A place in the user's source: file, 1-based line, 0-based column."""

    def __init__(self, filename, lineno, col_offset):
        self.filename = filename
        self.lineno = lineno
        self.col_offset = col_offset

    def __str__(self):
        return f"{self.filename}:{self.lineno}:{self.col_offset + 1}"

    def quote(self):
        """The source line with a caret under the column (empty if unknown)."""
        line = linecache.getline(self.filename, self.lineno).rstrip()
        if not line:
            return ""
        return f"    {line}\n    {' ' * self.col_offset}^"


class LocatedError(TangentADError):
    """An error at a place in the user's code, with a hint on what to write instead."""

    def __init__(self, message, location=None, hint=None):
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self._render())

    def _render(self):
        parts = [f"{self.location}: {self.message}" if self.location else self.message]
        quoted = self.location.quote() if self.location else ""
        if quoted:
            parts.append(quoted)
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class UnsupportedSyntaxError(LocatedError):
    """Python syntax that the transform does not differentiate."""


class MissingRuleError(LocatedError):
    """A call to a function that has neither a derivative rule nor Python source."""


class SourceNotFoundError(TangentADError):
    """The function's source text cannot be found (defined in a REPL, C code, ...)."""


def at_statement(error, stmt):
    """`error`, raised while differentiating the generated statement `stmt`, located at the
    user's line it comes from (a rule that does not apply to these operands)."""
    origin = getattr(stmt, "origin", None)
    if isinstance(error, LocatedError) or not origin or not origin.filename:
        return error
    return MissingRuleError(str(error), Location(origin.filename, origin.first, 0))

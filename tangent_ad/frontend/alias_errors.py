"""alias_errors: the located error for a write that `aliases.py` refuses.

It names the write, the other name whose memory it changes, the line where the two came to
share memory, and the copy to write there::

    f.py:3:5: this write into `y` also changes `x` (they share memory since line 2), and
    `x` is read after it: the derivative would be wrong.
        y[0] = 5.0
        ^
    hint: write `y = x.copy()` at line 2 to work on a copy, or write into `x` directly.
"""
import linecache
import re

from ..errors import Location, UnsupportedSyntaxError


def alias_error(conflict, flow):
    """The error for `conflict`, (write statement, writer, how, buffer, other name, 'after'
    or 'before'), of the `_Flow` `flow`."""
    stmt, writer, how, buffer, other, when = conflict
    derived, source, made = _sharing(flow, writer, other, buffer)
    name = lambda n: _describe(flow, n, buffer)  # noqa: E731
    since = f" since line {made.first}" if made else ""
    if how.startswith("call"):
        call = flow.calls[id(stmt)][0].origin.first
        what = f"this write into the argument {name(writer)} of the call at line {call}"
    else:
        what = f"this {'augmented assignment to' if how == 'augmented' else 'write into'} " \
            f"{name(writer)}"
    read = "after it" if when == "after" else "before it, and the backward sweep needs " \
        "that value"
    if other == writer and how == "item":
        message = f"{what}, in a loop, overwrites values that were read before it and that " \
            "the backward sweep needs"
    elif other == writer:
        message = f"{what} changes it in place, and it is read {read}"
    else:
        message = f"{what} also changes {name(other)} (they share memory{since}), and " \
            f"{name(other)} is read {read}"
    return UnsupportedSyntaxError(message + ": the derivative would be wrong.",
                                  Location(stmt.origin.filename, stmt.origin.first,
                                           stmt.col_offset),
                                  _hint(how, flow, writer, derived, source, made, stmt))


def _hint(how, flow, writer, derived, source, made, stmt):
    user = lambda n: flow.user_names.get(n, n)  # noqa: E731
    if how.startswith("call"):
        call, helper, param = flow.calls[id(stmt)]
        return f"pass a copy, `{user(writer)}.copy()`, at line {call.origin.first}, or " \
            f"write `{param} = {param}.copy()` first in `{helper}`."
    if derived is None and how == "item":  # its value before a write in a loop
        return f"the backward sweep does not restore what a write in a loop overwrites: " \
            f"write the new values into another array (`{user(writer)}_new = " \
            f"{user(writer)}.copy()` before the loop) and read `{user(writer)}`."
    if derived is None:
        return f"write `{user(writer)} = {user(writer)}.copy()` before this line, or give " \
            "the new value a new name."
    if derived not in flow.user_names:  # a view the user did not name: `h(x[1:])`
        return f"take a copy (`.copy()`) of the view of `{user(source)}` made at line " \
            f"{made.first}, or write into `{user(source)}` directly."
    copy = _copied(made, user(derived)) or f"{user(derived)} = {user(source)}.copy()"
    if derived == writer:
        return f"write `{copy}` at line {made.first} to work on a copy, or write into " \
            f"`{user(source)}` directly."
    return f"write `{copy}` at line {made.first} if `{user(derived)}` should keep its " \
        f"values, or make `{user(derived)}` after this write."


def _describe(flow, n, buffer):
    """`y` for a user's name; for a temporary, what it is a view of (`h(x[1:])`)."""
    if n in flow.user_names:
        return f"`{flow.user_names[n]}`"
    made = flow.shared_at.get((n, buffer)) or flow.shared_at.get((n, ("new", buffer[1])))
    if made is not None and made[1] != n:
        return f"a view of {_describe(flow, made[1], buffer)}"
    return f"`{n}`"


def _copied(made, derived):
    """`v = x[::2].copy()` for the line `v = x[::2]`, or None when it is not that simple."""
    text = linecache.getline(made.filename, made.first).strip() if made else ""
    match = re.fullmatch(rf"{re.escape(derived)}\s*=\s*([^#=]+?)\s*(#.*)?", text)
    return f"{derived} = {match.group(1)}.copy()" if match else None


def _sharing(flow, writer, other, buffer):
    """(the name that came to share memory, the name it came from, the Origin of that
    statement), following temporaries (`v1 = x.reshape(2, 2)`) back to the user's names."""
    for name in (writer, other):
        made = flow.shared_at.get((name, buffer)) or \
            flow.shared_at.get((name, ("new", buffer[1])))
        if made is not None:
            stmt, source = made
            while (source, buffer) in flow.shared_at and source not in flow.user_names:
                source = flow.shared_at[(source, buffer)][1]
            return name, source, getattr(stmt, "origin", None)
    return None, None, None


__all__ = ["alias_error"]

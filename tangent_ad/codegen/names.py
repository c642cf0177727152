"""Names in generated code: the textbook notation, never colliding with the user's names.

>>> names = Names(reserved={"x", "v1", "x_bar"})
>>> names.temp(), names.temp()
('v2', 'v3')
>>> names.adjoint("x"), names.tangent("x")
('x_bar_', 'x_dot')
"""
import gast


class Names:
    """Allocates `v1, v2, ...` temporaries and `x_bar` / `x_dot` derivative names."""

    def __init__(self, reserved=()):
        self.taken = set(reserved)
        self._counter = 0
        self._derived = {}
        self.temporaries = set()   # v1, v2, ... and their _bar / _dot partners
        self.base = {}             # x_bar → x, x_dot → x

    def reserve(self, name):
        self.taken.add(name)

    def fresh(self, base):
        """`base` itself if free, else `base_`, `base__`, ... (deterministic)."""
        name = base
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name

    def temp(self):
        while True:
            self._counter += 1
            name = f"v{self._counter}"
            if name not in self.taken:
                self.taken.add(name)
                self.temporaries.add(name)
                return name

    def _derived_name(self, name, suffix):
        key = (name, suffix)
        if key not in self._derived:
            self._derived[key] = self.fresh(f"{name}_{suffix}")
            self.base[self._derived[key]] = name
            if name in self.temporaries:
                self.temporaries.add(self._derived[key])
        return self._derived[key]

    def adjoint(self, name):
        return self._derived_name(name, "bar")

    def tangent(self, name):
        return self._derived_name(name, "dot")

    def numbered(self, base):
        """base1, base2, ... : the first that is free."""
        i = 1
        while f"{base}{i}" in self.taken:
            i += 1
        return self.fresh(f"{base}{i}")

    def is_temporary(self, name):
        return name in self.temporaries

    def version(self, name):
        """A new name for a later value of `name` in straight-line code: x → x_1, x_2, ..."""
        i = 1
        while f"{name}_{i}" in self.taken:
            i += 1
        return self.fresh(f"{name}_{i}")


def names_in(tree):
    """Every identifier that appears in `tree` (variables and arguments)."""
    out = set()
    for node in gast.walk(tree):
        if isinstance(node, gast.Name):
            out.add(node.id)
        elif isinstance(node, gast.FunctionDef):
            out.add(node.name)
    return out

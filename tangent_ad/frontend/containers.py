"""containers: tuples and lists of values, and the leaves of container arguments.

A tuple or list of active values is never built: the normalizer keeps its items' atoms
(`containers`), so `t[0]` is the atom itself and unpacking binds names to atoms::

    a, b = x, x ** 2         →     a = x
                                   v1 = x ** 2
                                   b = v1

A container argument is replaced by its leaves (`leaves`): `params["W"]` reads `params_W`.
"""
import gast

from ..codegen.templates import assign, constant, name


class Containers:
    """Mixin of `Normalizer`: unpacking, tuple values, and reads of container leaves."""

    def unpack(self, target, value):
        if not isinstance(value, (gast.Tuple, gast.List)) and self.holds_container(value):
            return self.bind_target(target, self.atom(value))  # W, b = params[0]
        for elt in target.elts:
            if not isinstance(elt, gast.Name):
                raise self.error(elt, "nested or starred unpacking cannot be differentiated.",
                                 "unpack one level at a time, into plain names.")
        count = len(target.elts)
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == count:
            atoms = [self.atom(v, fresh=True) for v in value.elts]
        else:
            source = self.atom(value)
            if isinstance(source, (gast.Tuple, gast.Dict)):  # a helper's tuple
                return self.bind_target(target, source)
            else:  # the rows of an array
                atoms = []
                for i in range(count):
                    t = self.names.temp()
                    self.emit(assign(t, gast.Subscript(value=source, slice=constant(i), ctx=gast.Load())))
                    atoms.append(name(t))
        for elt, atom in zip(target.elts, atoms):
            self.emit(assign(self.define(elt.id), atom))
            self.containers.pop(elt.id, None)

    def copied(self, atom):
        """A normalized value in a variable of its own, safe from later writes."""
        if isinstance(atom, gast.Constant):
            return atom
        t = self.names.temp()
        self.emit(assign(t, atom))
        return name(t)

    def container_leaf(self, node):
        """The leaf parameter for `params["W"]` or `params.W` (a constant-key read of a
        container argument)."""
        path = []
        while isinstance(node, gast.Subscript) and isinstance(node.slice, gast.Constant) or \
                isinstance(node, gast.Attribute):
            path.insert(0, node.attr if isinstance(node, gast.Attribute) else node.slice.value)
            node = node.value
        if not (isinstance(node, gast.Name) and node.id in self.leaves) or not path:
            return None
        paths = self.leaves[node.id]
        return paths.get(tuple(path))  # else a container, or an error (structure.py)

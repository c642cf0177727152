"""The rule registry: every differentiable primitive, its adjoint and tangent templates.

A primitive is a callable the generated code calls as it is (`np.sin`, `math.exp`, `abs`)
or an operator that stands for one (`a * b` is `np.multiply`). Rules are registered with
decorators that read like the code they produce::

    @adjoint_rule(np.sin)
    def _(z, x):
        x_bar += z_bar * np.cos(x)

    @tangent_rule(np.sin)
    def _(z, x):
        z_dot = x_dot * np.cos(x)

The same decorators give a user's own function a derivative (see `custom_rules`).
"""
from ..codegen.templates import Template
from ..kinds import broadcast


class Rule:
    """One primitive: how it is written, its result kind, and its derivative templates."""

    def __init__(self, key, name, result_kind=broadcast, differentiable=True, family=""):
        self.key = key
        self.name = name
        self.result_kind = result_kind
        self.differentiable = differentiable
        self.family = family
        self.adjoints = []   # [(when, Template)]
        self.tangents = []

    def __repr__(self):
        return f"Rule({self.name})"

    @staticmethod
    def _pick(candidates, operands, keywords):
        for when, template in candidates:
            if when is None or when(*operands, **keywords):
                return template
        return None

    def adjoint_for(self, operands, keywords=None):
        """The adjoint template for these operands (result first) and keyword operands."""
        return self._pick(self.adjoints, operands, keywords or {})

    def tangent_for(self, operands, keywords=None):
        return self._pick(self.tangents, operands, keywords or {})


RULES = {}
_by_name = {}


def _key(obj):
    try:
        hash(obj)
        return obj
    except TypeError:
        return id(obj)


def primitive(obj, name, result_kind=broadcast, family=""):
    """Declare `obj` a differentiable primitive written `name` in generated code."""
    rule = Rule(obj, name, result_kind, True, family)
    RULES[_key(obj)] = rule
    _by_name[name] = rule
    _changes[0] += 1
    return rule


def nondifferentiable(obj, name, result_kind=broadcast, family=""):
    """Declare `obj` a primitive whose result carries no derivative (comparisons, shapes)."""
    rule = Rule(obj, name, result_kind, False, family)
    RULES[_key(obj)] = rule
    _by_name[name] = rule
    _changes[0] += 1
    return rule


_changes = [0]  # how many rules and templates have been registered: see changes()


def changes():
    """A number that grows with every rule or template registered, so that what was
    derived before a registration can tell it is out of date."""
    return _changes[0]


def rule_for(obj):
    try:
        return RULES.get(_key(obj))
    except TypeError:
        return None


def rule_named(name):
    return _by_name.get(name)


def _ensure(obj):
    rule = rule_for(obj)
    if rule is None:
        name = getattr(obj, "__name__", repr(obj))
        rule = primitive(obj, name, family="user")
    return rule


def adjoint_rule(obj, when=None):
    """Register the decorated template as the adjoint of `obj`, for the calls where
    `when(result, *operands, **keyword_operands)` is true (each an `Operand`: its kind, and
    its value when it is a literal)."""
    def register(fn):
        _ensure(obj).adjoints.append((when, Template(fn)))
        _changes[0] += 1
        return fn
    return register


def tangent_rule(obj, when=None):
    """Register the decorated template as the tangent of `obj` (for kinds where `when`)."""
    def register(fn):
        _ensure(obj).tangents.append((when, Template(fn)))
        _changes[0] += 1
        return fn
    return register


def all_rules():
    """Every registered rule, in a fixed order (for tests and the README table)."""
    return sorted(RULES.values(), key=lambda r: (r.family, r.name))

"""Shrink a failing program to a minimal one that fails the same way.

Greedy, on the program's syntax tree: delete a statement, replace an `if`/`for`/`while`
by its body (a `for` keeps its variable, bound to 0), replace an expression by one of
its operands; keep the first change after which the program still fails with the same
signature, and start again, until no change keeps the failure. The arguments stay the
same (the parameters are never touched). For example::

    def f(x, A, s):                      def f(x, A, s):
        v1 = np.sin(x) * s                   y = x[::2]
        y = x[::2]               →           y *= 2.0
        y *= 2.0                             return 0.7 * np.sum(x)
        return 0.7 * np.sum(x) + v1[0]
"""
import ast
import copy
import time
from dataclasses import replace

STATEMENT_LISTS = ("body", "orelse")
# A variable or a view of one stands for an expression only where an operation reads it:
# bound to a name, returned or packed, it would make an alias the program did not have.
LEAVES = (ast.Name, ast.Subscript, ast.Attribute)
CONSUMERS = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Compare, ast.BoolOp)


def _operands(node):
    """The sub-expressions that could stand for `node`."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.left, ast.Constant) and node.left.value == 1.0:
            return []  # `1.0 * z` makes a new array: without it, an alias of `z`
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.Call) and not isinstance(node.func, ast.Name):
        return [a for a in node.args if not isinstance(a, ast.Starred)]
    return []


def edits(tree):
    """Every change to try, biggest first: ("stmt", node, field, k, how) and
    ("expr", node, operand)."""
    nodes = list(ast.walk(tree))
    out = []
    for i, node in enumerate(nodes):
        for field in STATEMENT_LISTS:
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list) or not stmts or not isinstance(stmts[0], ast.stmt):
                continue
            for k, stmt in enumerate(stmts):
                if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Pass)):
                    continue
                if isinstance(stmt, ast.Return) and getattr(node, "name", "") == "f":
                    continue
                out.append(("stmt", i, field, k, "delete"))
                if isinstance(stmt, (ast.If, ast.For, ast.While)):
                    out.append(("stmt", i, field, k, "body"))
                    if stmt.orelse:
                        out.append(("stmt", i, field, k, "orelse"))
    parents = {id(child): node for node in nodes for child in ast.iter_child_nodes(node)}
    for i, node in enumerate(nodes):
        consumed = isinstance(parents.get(id(node)), CONSUMERS)
        out += [("expr", i, c) for c, operand in enumerate(_operands(node))
                if consumed or not isinstance(operand, LEAVES)]
    return out


def _replace_child(nodes, old, new):
    for parent in nodes:
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                setattr(parent, field, [new if v is old else v for v in value])
                return


def apply(text, edit):
    """`text` with `edit` made, as source text."""
    tree = ast.parse(text)
    nodes = list(ast.walk(tree))
    if edit[0] == "expr":
        _, i, c = edit
        _replace_child(nodes, nodes[i], copy.deepcopy(_operands(nodes[i])[c]))
    else:
        _, i, field, k, how = edit
        stmts = getattr(nodes[i], field)
        stmt = stmts[k]
        if how == "delete":
            new = []
        elif how == "orelse":
            new = stmt.orelse
        elif isinstance(stmt, ast.For) and how == "body":
            target = stmt.target.elts[0] if isinstance(stmt.target, ast.Tuple) else stmt.target
            new = [ast.Assign(targets=[target], value=ast.Constant(0))] + stmt.body
        else:
            new = stmt.body
        stmts[k:k + 1] = new
        if not stmts and field == "body":
            stmts.append(ast.Pass())
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def shrink(program, check, budget_s=300.0, max_checks=2000, log=None):
    """The smallest program found that `check(program)` says fails like `program`;
    `check` returns an Outcome. Returns (program, its outcome, checks made)."""
    outcome = check(program)
    signature = outcome.signature()
    start, checks = time.perf_counter(), 0
    improved = True
    while improved and time.perf_counter() - start < budget_s and checks < max_checks:
        improved = False
        for edit in edits(ast.parse(program.text)):
            if time.perf_counter() - start > budget_s or checks >= max_checks:
                break
            try:
                text = apply(program.text, edit)
            except (SyntaxError, ValueError, TypeError, AttributeError):
                continue
            if text == program.text:
                continue
            candidate = replace(program, text=text)
            checks += 1
            result = check(candidate)
            if result.failed and result.signature() == signature:
                program, outcome, improved = candidate, result, True
                if log:
                    log(f"  shrunk to {len(text.splitlines())} lines ({checks} checks)")
                break
    return program, outcome, checks

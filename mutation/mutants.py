"""The mutants of a module: each is the module's source with one small change, the kind of
slip that turns a right rule into a wrong one.

- a comparison moved: `<` to `<=` (its boundary) and to `>=` (its opposite), and so on for
  `<=`, `>`, `>=`; `==` and `!=`, `is` and `is not`, `in` and `not in` swapped
- `and` for `or`, and `or` for `and`; a `not` dropped
- `+` for `-`, and `-` for `+` (not between strings)
- a whole number one more and one less; `True` for `False`, and `False` for `True`
- `return x` made `return None`
- a statement with a side effect left out (a call, an `x[k] = ...` or `x.a = ...`, an
  `x += ...`, `continue`, `break`, `raise`): `pass` instead
- an item left out of a module-level table (`NEXT_STATUSES`, `PRIORITY`): each entry of
  a dict, each item of a tuple, list or set, unless they are all strings

Left alone: docstrings, strings (the SQL among them), f-strings, type annotations,
`assert`s and logging calls, none of which is a care rule. Only the changed expression or
statement is rewritten, so the rest of the file, its comments and its line numbers stay
as they were.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_COMPARE_TO: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE), ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
           ast.NotIn: "not in"}
_LOGGERS = frozenset({"log", "logger", "logging"})
SHOWN = 90  # characters of code shown in a mutant's description


@dataclass(frozen=True)
class Mutant:
    path: str          # the module, relative to the checkout
    line: int
    description: str   # e.g. "`0 < count < threshold` → `0 <= count < threshold`"
    source: str        # the whole module with the one change
    context: str = ""  # the original line, stripped: with `description`, says which

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.description}"


def mutants(source: str, path: str = "<string>", only: Collection[str] = ()) -> list[Mutant]:
    """Every mutant of `source`, in the order of the source. `only`: just those inside
    these top-level functions, classes' methods ("Class.method") or module-level names."""
    tree = ast.parse(source)
    lines = source.splitlines()
    tables = {id(node) for node in _tables(tree)}
    found: dict[str, Mutant] = {}
    for node in _nodes(tree, only):
        if not isinstance(node, ast.expr | ast.stmt):
            continue
        for new_text, description, line in _changes(node, id(node) in tables):
            if isinstance(node, ast.Constant) or _negative_number(node):  # say where
                description += f" in `{_cut(lines[node.lineno - 1].strip())}`"
            mutated = _replace(source, node, new_text)
            if mutated in found or mutated == source:
                continue
            compile(mutated, path, "exec")  # a mutator bug, not a mutant: fail loudly
            where = line or node.lineno
            found[mutated] = Mutant(path, where, description, mutated, lines[where - 1].strip())
    return list(found.values())


@contextmanager
def applied(mutant: Mutant, root: Path) -> Iterator[Path]:
    """The mutant written over its module under `root` (a copy of the checkout, never the
    checkout itself), and the original put back afterwards, whatever happens."""
    target = root / mutant.path
    original = target.read_bytes()
    try:
        target.write_text(mutant.source, encoding="utf-8")
        _forget_bytecode(target)
        yield target
    finally:
        target.write_bytes(original)
        _forget_bytecode(target)


def _forget_bytecode(module: Path) -> None:
    """Python trusts a .pyc whose source has the same size and modification second: a
    mutant written within the second of another of the same length would run the other."""
    for cached in (module.parent / "__pycache__").glob(f"{module.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def _nodes(tree: ast.Module, only: Collection[str]) -> Iterator[ast.AST]:
    for statement in tree.body:
        if _is_docstring(statement):
            continue
        if isinstance(statement, ast.ClassDef) and only and statement.name not in only:
            for inner in statement.body:
                name = getattr(inner, "name", None)
                if f"{statement.name}.{name}" in only:
                    yield from _walk(inner)
        elif not only or _names(statement) & set(only):
            yield from _walk(statement)


def _tables(tree: ast.Module) -> Iterator[ast.AST]:
    """The collections in module-level tables (`NEXT_STATUSES = {...: (...), ...}`), and
    in those collections, unless all their items are strings (words, not rules)."""
    def within(node: ast.expr) -> Iterator[ast.AST]:
        items = (node.values if isinstance(node, ast.Dict)
                 else node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [])
        if items and not all(_stringy(item) for item in items):
            yield node
        for item in items:
            yield from within(item)

    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            yield from within(statement.value)


def _names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    targets = (statement.targets if isinstance(statement, ast.Assign)
               else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
    return {t.id for t in targets if isinstance(t, ast.Name)}


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """`node` and what is inside it, but not what is never a rule."""
    if _is_docstring(node) or _is_logging(node) or isinstance(node, ast.Assert | ast.JoinedStr):
        return
    yield node
    if _negative_number(node):
        return  # -1 is one number: its mutants are 0 and -2, not -(2) and -(0)
    for field, value in ast.iter_fields(node):
        if field in ("annotation", "returns", "decorator_list"):
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST):
                yield from _walk(child)


def _is_docstring(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _is_logging(node: ast.AST) -> bool:
    """`log.warning(...)` and the like."""
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and isinstance(node.value.func.value, ast.Name)
            and node.value.func.value.id in _LOGGERS)


def _changes(node: ast.AST, table: bool = False) -> Iterator[tuple[str, str, int | None]]:
    """(the new text of `node`, what changed, its line if not the node's) for each mutant
    of this one node; `table`: it is a collection in a module-level table, whose items
    may each be left out."""
    if table and isinstance(node, ast.Dict):
        for i, key in enumerate(node.keys):
            shorter = ast.Dict(node.keys[:i] + node.keys[i + 1:],
                               node.values[:i] + node.values[i + 1:])
            entry = _cut(f"{'**' if key is None else _shown(key) + ': '}{_shown(node.values[i])}")
            yield (f"({ast.unparse(shorter)})", f"left out the entry `{entry}`",
                   node.values[i].lineno)
    elif table and isinstance(node, ast.Tuple | ast.List | ast.Set):
        for i, item in enumerate(node.elts):
            rest = node.elts[:i] + node.elts[i + 1:]
            fewer = (ast.Set(rest) if isinstance(node, ast.Set) and rest
                     else ast.List(rest) if isinstance(node, ast.List) else ast.Tuple(rest))
            yield (*_expression(node, fewer, f"left out `{_shown(item)}` from"), item.lineno)
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for other in _COMPARE_TO.get(type(op), ()):
                changed = copy.deepcopy(node)
                changed.ops[i] = other()
                yield (*_expression(node, changed), None)
    elif isinstance(node, ast.BoolOp):
        other_bool = copy.deepcopy(node)
        other_bool.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield (*_expression(node, other_bool), None)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield (*_expression(node, node.operand), None)
    elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)
          and not _stringy(node.left) and not _stringy(node.right)):
        other_sum = copy.deepcopy(node)
        other_sum.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        yield (*_expression(node, other_sum), None)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield (*_expression(node, ast.Constant(not node.value)), None)
    elif (isinstance(node, ast.Constant) and isinstance(node.value, int)) or _negative_number(node):
        number = ast.literal_eval(node)
        for value in (number + 1, number - 1):
            yield (*_expression(node, ast.Constant(value)), None)
    elif (isinstance(node, ast.Return) and node.value is not None
          and not (isinstance(node.value, ast.Constant) and node.value.value is None)):
        yield "return None", f"`{_shown(node)}` → `return None`", None
    elif _has_effect(node):
        yield "pass", f"left out `{_shown(node)}`", None


def _negative_number(node: ast.AST) -> bool:
    return (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int)


def _has_effect(node: ast.AST) -> bool:
    if isinstance(node, ast.Expr | ast.AugAssign | ast.Continue | ast.Break | ast.Raise):
        return True
    return isinstance(node, ast.Assign) and all(
        isinstance(t, ast.Subscript | ast.Attribute) for t in node.targets)


def _stringy(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str))


def _expression(old: ast.AST, new: ast.AST, what: str = "") -> tuple[str, str]:
    if what:
        return f"({ast.unparse(new)})", f"{what} `{_shown(old)}`"
    return f"({ast.unparse(new)})", f"`{_shown(old)}` → `{_shown(new)}`"


def _shown(node: ast.AST) -> str:
    return _cut(" ".join(ast.unparse(node).split()))


def _cut(code: str) -> str:
    return code if len(code) <= SHOWN else code[: SHOWN - 1] + "…"


def _replace(source: str, node: ast.expr | ast.stmt, new_text: str) -> str:
    """`source` with `node`'s text (located by its line and UTF-8 byte column) replaced."""
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    assert node.end_lineno is not None and node.end_col_offset is not None
    begin = starts[node.lineno - 1] + node.col_offset
    end = starts[node.end_lineno - 1] + node.end_col_offset
    return (data[:begin] + new_text.encode("utf-8") + data[end:]).decode("utf-8")

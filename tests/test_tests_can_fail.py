"""Every test can fail: a static look at the test functions in ``tests/``.

A test that cannot fail passes on a wrong answer. This reads each test module's
syntax tree and flags the clear patterns:

* ``no-assertion``: a test function with no ``assert``, no ``pytest.raises``,
  ``pytest.warns``, ``pytest.fail`` or ``pytest.deprecated_call``, no call of an
  ``assert_*`` function (numpy's, pandas' …) and no call of a helper (a function in
  ``tests/`` that itself can fail). An assertion inside a nested function or lambda
  counts only if the test calls that function itself: a callback may never be
  called. A test whose assertions live somewhere this cannot see says so with the
  comment ``# asserts in helper`` in its body.
* ``swallowed``: ``suppress(Exception)`` (or ``BaseException``, ``AssertionError``)
  anywhere in ``tests/``, or a ``try`` whose broad handler (bare, ``Exception``,
  ``BaseException``, ``AssertionError``) wraps an ``assert`` or does nothing
  (``pass``, ``...``, ``continue``). Catch the exception the code under test is
  expected to raise, never the assertion.
* ``trivial-only``: every assertion of the test is ``isinstance``, ``callable``,
  ``hasattr``, ``x is not None`` or ``len(x) >= 0``: assert the value itself.
* ``loop-only``: every assertion of the test sits in a ``for`` loop (or an
  ``all(...)`` over a comprehension) over something that is not a literal: when
  that collection comes out empty the test passes without checking anything.
  Assert the collection is not empty (or its size) first.

Empty ``parametrize`` lists fail at collection (``empty_parameter_set_mark`` in
``pyproject.toml``), and the fixtures for missing components fail under ``CI``
instead of skipping (``conftest.require_file``, ``browser.unavailable``,
``postgis_server``).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
MARKER = "# asserts in helper"
ASSERTING_PYTEST_CALLS = frozenset({"raises", "warns", "fail", "deprecated_call"})
BROAD = frozenset({"Exception", "BaseException", "AssertionError"})
TRIVIAL_CALLS = frozenset({"isinstance", "callable", "hasattr"})
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    where: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.where}"


# -- the check ---------------------------------------------------------------------------------------


def findings(sources: dict[str, str]) -> list[Finding]:
    """Return what the check flags in ``sources`` (path -> module text), in path and line order."""
    trees = {path: ast.parse(text) for path, text in sources.items()}
    helpers = _helpers(trees)
    found: list[Finding] = []
    for path, tree in trees.items():
        lines = sources[path].splitlines()
        for function in _functions(tree):
            if function.name.startswith("test"):
                found.extend(_test_findings(path, function, helpers, lines))
        found.extend(_swallowed(path, tree))
    return sorted(found, key=lambda f: (f.path, f.line, f.rule))


def _functions(tree: ast.AST) -> Iterator[Function]:
    return (node for node in ast.walk(tree) if isinstance(node, Function))


def _helpers(trees: dict[str, ast.Module]) -> set[str]:
    """Names of the non-test functions in ``tests/`` that can fail (to a fixed point)."""
    others = [f for tree in trees.values() for f in _functions(tree) if not f.name.startswith("test")]
    helpers: set[str] = set()
    grown = True
    while grown:
        grown = False
        for function in others:
            if function.name not in helpers and _assertions(function, helpers):
                helpers.add(function.name)
                grown = True
    return helpers


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or lambdas defined in it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*Function.__args__, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _is_assertion(node: ast.AST, helpers: set[str]) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if not isinstance(node, ast.Call):
        return False
    name = _called_name(node)
    if name is None:
        return False
    if isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) == "pytest":
        return name in ASSERTING_PYTEST_CALLS
    return name.lstrip("_").startswith("assert") or name in helpers


def _assertions(function: ast.AST, helpers: set[str]) -> list[ast.AST]:
    """The assertions a function makes itself, or through a nested function that it calls."""
    nested = {n.name: n for n in _own_nodes(function) if isinstance(n, Function)}
    local = set(helpers)
    local |= {name for name, node in nested.items() if _assertions(node, helpers)}
    return [node for node in _own_nodes(function) if _is_assertion(node, local)]


def _test_findings(path: str, function: Function, helpers: set[str], lines: list[str]) -> list[Finding]:
    body = "\n".join(lines[function.lineno - 1:function.end_lineno])
    where = function.name
    assertions = _assertions(function, helpers)
    if not assertions:
        if MARKER in body:
            return []
        return [Finding(path, function.lineno, "no-assertion", where)]
    found = []
    if all(_is_trivial(node) for node in assertions):
        found.append(Finding(path, function.lineno, "trivial-only", where))
    guarded = _loop_guarded(function)
    if all(id(node) in guarded for node in assertions):
        found.append(Finding(path, function.lineno, "loop-only", where))
    return found


def _is_trivial(node: ast.AST) -> bool:
    if not isinstance(node, ast.Assert):
        return False
    test = node.test
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name):
        return test.func.id in TRIVIAL_CALLS
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        if isinstance(op, ast.IsNot) and isinstance(right, ast.Constant) and right.value is None:
            return True
        if isinstance(op, ast.GtE) and isinstance(right, ast.Constant) and right.value == 0:
            return True
    return False


def _is_literal(iterable: ast.AST) -> bool:
    """A non-empty literal, or ``range``/``enumerate``/``zip`` of literals: never empty."""
    if isinstance(iterable, (ast.Tuple, ast.List, ast.Set)):
        return len(iterable.elts) > 0
    if isinstance(iterable, ast.Dict):
        return len(iterable.keys) > 0
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
        if iterable.func.id == "range":
            return all(isinstance(a, ast.Constant) for a in iterable.args)
        if iterable.func.id in ("enumerate", "zip", "reversed", "sorted"):
            return bool(iterable.args) and all(_is_literal(a) for a in iterable.args)
    return False


def _loop_guarded(function: Function) -> set[int]:
    """Ids of the nodes that run only once per item of a collection that may be empty."""
    guarded: set[int] = set()

    def mark(node: ast.AST) -> None:
        guarded.update(id(n) for n in ast.walk(node))

    for node in _own_nodes(function):
        if isinstance(node, (ast.For, ast.AsyncFor)) and not _is_literal(node.iter):
            for statement in node.body:
                mark(statement)
        elif isinstance(node, ast.Assert) and _is_all_over_comprehension(node.test):
            guarded.add(id(node))
    return guarded


def _is_all_over_comprehension(test: ast.AST) -> bool:
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "all"):
        return False
    if len(test.args) != 1 or not isinstance(test.args[0], (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
        return False
    return not all(_is_literal(g.iter) for g in test.args[0].generators)


def _swallowed(path: str, tree: ast.Module) -> list[Finding]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) == "suppress":
            caught = {ast.unparse(a).rsplit(".", 1)[-1] for a in node.args}
            if caught & BROAD:
                what = f"suppress({', '.join(sorted(caught))})"
                found.append(Finding(path, node.lineno, "swallowed", what))
        if isinstance(node, ast.Try):
            asserts = any(isinstance(n, ast.Assert) for s in node.body for n in ast.walk(s))
            for handler in node.handlers:
                if not _is_broad(handler.type):
                    continue
                idle = all(_does_nothing(s) for s in handler.body)
                if asserts or idle:
                    why = "around an assert" if asserts else "doing nothing"
                    found.append(Finding(path, handler.lineno, "swallowed", f"broad except {why}"))
    return found


def _is_broad(caught: ast.AST | None) -> bool:
    if caught is None:
        return True
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(ast.unparse(n).rsplit(".", 1)[-1] in BROAD for n in names)


def _does_nothing(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.Pass, ast.Continue)):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


# -- the tests ---------------------------------------------------------------------------------------


def test_every_test_in_tests_can_fail():
    sources = {str(p.relative_to(TESTS)): p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("*.py"))}
    assert len(sources) > 40
    found = [str(f) for f in findings(sources)]
    assert found == [], "tests that cannot fail:\n" + "\n".join(found)


def _flags(source: str) -> list[tuple[str, str]]:
    return [(f.rule, f.where) for f in findings({"t.py": textwrap.dedent(source)})]


CANNOT_FAIL = {
    "nothing": ("""
        def test_a():
            f()
        """, [("no-assertion", "test_a")]),
    "fail-only-in-a-callback": ("""
        def test_a(monkeypatch):
            monkeypatch.setattr(m, "f", lambda: pytest.fail("made"))
            g()
        """, [("no-assertion", "test_a")]),
    "assert-only-in-a-callback": ("""
        def test_a():
            def check(x):
                assert x
            run(check)
        """, [("no-assertion", "test_a")]),
    "suppress": ("""
        import contextlib
        def test_a():
            with contextlib.suppress(Exception):
                assert f()
        """, [("swallowed", "suppress(Exception)")]),
    "except-around-assert": ("""
        def test_a():
            try:
                assert f()
            except AssertionError:
                g()
        """, [("swallowed", "broad except around an assert")]),
    "bare-except-pass": ("""
        def test_a():
            try:
                f()
            except:
                pass
            assert g()
        """, [("swallowed", "broad except doing nothing")]),
    "isinstance-only": ("""
        def test_a():
            assert isinstance(f(), int)
            assert g() is not None
        """, [("trivial-only", "test_a")]),
    "loop-over-maybe-empty": ("""
        def test_a():
            for x in f():
                assert x
        """, [("loop-only", "test_a")]),
    "all-over-maybe-empty": ("""
        def test_a():
            assert all(x > 0 for x in f())
        """, [("loop-only", "test_a")]),
}

CAN_FAIL = {
    "assert": """
        def test_a():
            assert f() == 1
        """,
    "raises": """
        def test_a():
            with pytest.raises(ValueError):
                f()
        """,
    "assert-call": """
        def test_a():
            np.testing.assert_array_equal(f(), [1])
        """,
    "helper": """
        def check(x):
            assert x
        def test_a():
            check(f())
        """,
    "nested-helper-called": """
        def test_a():
            def check(x):
                assert x
            check(f())
        """,
    "marker": f"""
        def test_a():
            f()  {MARKER}
        """,
    "loop-after-non-empty": """
        def test_a():
            xs = f()
            assert xs
            for x in xs:
                assert x
        """,
    "loop-over-literal": """
        def test_a():
            for x in (1, 2):
                assert f(x)
        """,
    "isinstance-and-value": """
        def test_a():
            assert isinstance(f(), int)
            assert f() == 1
        """,
    "narrow-suppress": """
        import contextlib
        def test_a():
            with contextlib.suppress(ProcessLookupError):
                f()
            assert g()
        """,
    "broad-except-recorded": """
        def test_a():
            errors = []
            try:
                f()
            except Exception as exc:
                errors.append(exc)
            assert errors == []
        """,
}


@pytest.mark.parametrize(("source", "expected"), CANNOT_FAIL.values(), ids=CANNOT_FAIL)
def test_check_flags(source, expected):
    assert _flags(source) == expected


@pytest.mark.parametrize("source", CAN_FAIL.values(), ids=CAN_FAIL)
def test_check_passes(source):
    assert _flags(source) == []

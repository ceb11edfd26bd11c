"""The hazard log as data (docs/safety/hazard-log.yaml): each hazard's cause, effect, severity and likelihood, and
the controls in the product, each named with the tests that show it works. A test shows it by carrying
`@pytest.mark.hazard("H-..")`; `problems` finds a test named that does not exist or lacks its marker, a control
without a test, and a marked test the log does not name, by reading the test files (no test is run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ruleset.yamlsource import parse_yaml

SEVERITY = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOOD = ("very_low", "low", "medium", "high", "very_high")
RISK = (  # the usual clinical risk matrix (DCB0129/0160 style): rows by likelihood, columns by severity; 1 lowest
    (1, 1, 2, 2, 3),
    (1, 2, 2, 3, 4),
    (2, 2, 3, 3, 4),
    (2, 3, 3, 4, 5),
    (3, 4, 4, 5, 5),
)
HAZARD_KEYS = {"id", "title", "cause", "effect", "severity", "likelihood", "controls"}


@dataclass(frozen=True)
class Control:
    text: str
    tests: tuple[str, ...]  # pytest node ids: path::function or path::Class::function


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    cause: str
    effect: str
    severity: str
    likelihood: str  # with the controls in place
    controls: tuple[Control, ...]

    @property
    def risk(self) -> int:
        return RISK[LIKELIHOOD.index(self.likelihood)][SEVERITY.index(self.severity)]


class HazardLogInvalid(ValueError):
    """The log cannot be read; the message says where and why."""


def load(path: Path) -> list[Hazard]:
    doc, errors = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if errors:
        raise HazardLogInvalid("\n".join(str(e) for e in errors))
    entries = doc.data.get("hazards") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise HazardLogInvalid(f"{path}: expected `hazards:`, a list of hazards")
    return [_hazard(path, entry) for entry in entries]


def _hazard(path: Path, entry: object) -> Hazard:
    if not isinstance(entry, dict) or set(entry) != HAZARD_KEYS:
        raise HazardLogInvalid(f"{path}: each hazard has exactly the keys {', '.join(sorted(HAZARD_KEYS))}: {entry}")
    if entry["severity"] not in SEVERITY or entry["likelihood"] not in LIKELIHOOD:
        raise HazardLogInvalid(f"{path}: {entry['id']}: severity is one of {', '.join(SEVERITY)}; likelihood one "
                               f"of {', '.join(LIKELIHOOD)}")
    controls = entry["controls"] if isinstance(entry["controls"], list) else []
    title, cause, effect = (str(entry[k]).strip() for k in ("title", "cause", "effect"))
    return Hazard(str(entry["id"]), title, cause, effect, entry["severity"], entry["likelihood"],
                  tuple(Control(str(c.get("control", "")).strip(), tuple(str(t) for t in c.get("tests") or ()))
                        for c in controls if isinstance(c, dict)))


def marked_tests(root: Path) -> dict[str, set[str]]:
    """Every test function under root/tests by node id, with the hazard ids its markers name."""
    found: dict[str, set[str]] = {}
    for path in sorted((root / "tests").rglob("test_*.py")):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for prefix, node in _functions(tree):
            found[f"{relative}::{prefix}{node.name}"] = _hazard_marks(node)
    return found


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            yield "", node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from ((f"{node.name}::", f) for f in node.body
                        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name.startswith("test"))


def _hazard_marks(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The ids in `@pytest.mark.hazard("H-..", ...)` decorators."""
    return {arg.value for d in node.decorator_list if isinstance(d, ast.Call)
            and ast.unparse(d.func) == "pytest.mark.hazard"
            for arg in d.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}


def problems(hazards: list[Hazard], tests: dict[str, set[str]]) -> list[str]:
    """Everything that stops the log from being evidence: ids given twice, a hazard without controls, a control
    without a test, a test named that does not exist or does not carry the hazard's marker, and a marked test the
    log does not name under that hazard."""
    out = [f"{h} is given more than once" for h in {h.id for h in hazards} if [x.id for x in hazards].count(h) > 1]
    named: set[tuple[str, str]] = set()
    for hazard in hazards:
        if not hazard.controls:
            out.append(f"{hazard.id}: no control is listed")
        for number, control in enumerate(hazard.controls, 1):
            where = f"{hazard.id} control {number} ({control.text[:50]})"
            if not control.tests:
                out.append(f"{where}: no test shows it works")
            for test in control.tests:
                named.add((hazard.id, test))
                if test not in tests:
                    out.append(f"{where}: there is no test {test}")
                elif hazard.id not in tests[test]:
                    out.append(f"{where}: {test} does not carry @pytest.mark.hazard({hazard.id!r})")
    out += [f"{test} is marked for {hazard_id}, which the log does not name it under"
            for test, ids in sorted(tests.items()) for hazard_id in sorted(ids) if (hazard_id, test) not in named]
    return out

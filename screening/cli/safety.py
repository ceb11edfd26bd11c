"""`screening safety-case`: the hazard log (docs/safety/hazard-log.yaml) as a readable document, each control with
the results of the tests that show it works.

It runs exactly the tests the log names, in a pytest process of their own writing JUnit XML, and reads that file:
the results are this checkout's, now, not a copy that may have gone stale; `--junit FILE` reads a run already made
(a CI run's report) instead."""

from __future__ import annotations

# subprocess runs pytest (this interpreter's own module, fixed arguments); ElementTree reads the report it wrote
import subprocess  # nosec B404
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET  # nosec B405
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import click

from ..tools.hazard_log import Hazard, HazardLogInvalid, load, marked_tests, problems
from .common import CliError

WIDTH = 100


@click.command("safety-case")
@click.option("--log", "log_path", type=click.Path(path_type=Path), default=Path("docs/safety/hazard-log.yaml"),
              show_default=True, help="The hazard log (run from the checkout).")
@click.option("--junit", "junit", type=click.Path(exists=True, path_type=Path), default=None,
              help="Read the results from this JUnit XML report instead of running the tests.")
def safety_case(log_path: Path, junit: Path | None) -> None:
    """Print the hazard log with the result of every test that shows a control works; exit 1 if the log is not
    complete or a test did not pass."""
    if not log_path.is_file():
        raise CliError(f"no hazard log at {log_path}: run this from the checkout, or give --log")
    root = Path.cwd()
    try:
        hazards = load(log_path)
    except HazardLogInvalid as exc:
        raise CliError(str(exc)) from exc
    gaps = problems(hazards, marked_tests(root))
    named = sorted({t for h in hazards for c in h.controls for t in c.tests})
    results = read_junit(junit) if junit else run_tests(root, named)
    click.echo(document(hazards, results, gaps))
    if gaps or any(results.get(t) != "passed" for t in named):
        sys.exit(1)


def run_tests(root: Path, tests: list[str]) -> dict[str, str]:
    """Run the named tests (one pytest process) and read its report."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "results.xml"
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                        *tests], cwd=root, stdout=subprocess.DEVNULL, check=False)  # nosec B603
        if not report.is_file():
            raise CliError("the tests did not run: try `.venv/bin/python -m pytest` on one of them")
        return read_junit(report)


def read_junit(report: Path) -> dict[str, str]:
    """Each test function's result by node id: passed only if every case of it (each parameter) passed."""
    found: dict[str, set[str]] = defaultdict(set)
    for case in ET.parse(report).getroot().iter("testcase"):  # nosec B314
        outcome = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
        test = _node_id(case.get("classname", ""), case.get("name", "").split("[")[0])
        found[test].add({"failure": "failed", "error": "failed"}.get(outcome, outcome))
    return {test: ("passed" if seen == {"passed"} else "failed" if "failed" in seen else "skipped")
            for test, seen in found.items()}


def _node_id(classname: str, name: str) -> str:
    """'tests.web.test_x.TestY' and 'test_z' -> 'tests/web/test_x.py::TestY::test_z'."""
    parts = classname.split(".")
    cut = next((i for i in range(len(parts), 0, -1) if parts[i - 1].startswith("test_")), len(parts))
    return "::".join(["/".join(parts[:cut]) + ".py", *parts[cut:], name])


def document(hazards: list[Hazard], results: dict[str, str], gaps: list[str]) -> str:
    named = [t for h in hazards for c in h.controls for t in c.tests]
    counts = {word: sum(1 for t in named if results.get(t, "not run") == word)
              for word in ("passed", "failed", "skipped", "not run")}
    lines = ["CLINICAL SAFETY CASE: HAZARD LOG WITH TEST EVIDENCE", "",
             f"Printed {datetime.now(UTC):%-d %B %Y %H:%M} UTC by `screening safety-case`.",
             *_wrapped("Risk is read from severity and likelihood with the controls in place, from 1 (lowest) to 5 "
                       "(highest). Each control names the automated tests that show it works; controls outside the "
                       "product belong in the partnership's own log.", "", ""), "",
             f"{len(hazards)} hazards, {sum(len(h.controls) for h in hazards)} controls, {len(named)} tests: "
             + ", ".join(f"{n} {word}" for word, n in counts.items() if n or word == "passed"), ""]
    for hazard in hazards:
        lines += _hazard(hazard, results)
    if gaps:
        lines += ["THE LOG IS NOT COMPLETE", *(f"  - {gap}" for gap in gaps)]
    return "\n".join(lines)


def _hazard(hazard: Hazard, results: dict[str, str]) -> list[str]:
    out = [f"{hazard.id}  {hazard.title}", "-" * WIDTH,
           f"Risk {hazard.risk}: severity {hazard.severity}, likelihood {hazard.likelihood.replace('_', ' ')}",
           *_wrapped(f"Cause: {hazard.cause}", "  "), *_wrapped(f"Effect: {hazard.effect}", "  "), "Controls:"]
    for number, control in enumerate(hazard.controls, 1):
        out += _wrapped(f"{number}. {control.text}", "  ", "     ")
        out += [f"     [{results.get(test, 'not run')}] {test}" for test in control.tests]
    return [*out, ""]


def _wrapped(text: str, indent: str, later: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  " if later is None else later)

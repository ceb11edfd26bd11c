"""What every command shares: one error style (each problem on its own line, then a summary; exit 1) and
rule-set loading."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from ..errors import RuleSetInvalid
from ..model import RuleSet
from ..ruleset import load_ruleset

DEFAULT_RULES = Path("rules/default")


class CliError(click.ClickException):
    """A command failed: `problems` (located errors, one per line) then `message`, on standard error; exit 1."""

    def __init__(self, message: str, problems: Iterable[object] = ()):
        super().__init__(message)
        self.problems = [str(p) for p in problems]

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(problem, err=True)
        click.echo(f"error: {self.message}", err=True)


def located(path: Path, errors: list, advice: str = "") -> CliError:
    """Every located error, then 'N error(s) in PATH' and any advice."""
    return CliError(f"{len(errors)} error(s) in {path}{advice}", errors)


def load_rules(path: Path) -> RuleSet:
    try:
        return load_ruleset(path)
    except RuleSetInvalid as exc:
        raise located(path, exc.errors) from exc

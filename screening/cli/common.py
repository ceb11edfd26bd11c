"""What every command shares: one error style (each problem on its own line, then a summary; exit 1) and
rule-set loading."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from ..errors import RuleSetInvalid
from ..model import RuleSet
from ..ruleset import load_ruleset

DEFAULT_RULES = Path("rules/default")
rules_option = click.option("--rules", "rules_path", type=click.Path(exists=True, path_type=Path),
                            default=DEFAULT_RULES, show_default=True, help="Rule-set directory or file.")


class CliError(click.ClickException):
    """A command failed: `problems` (located errors, one per line) then `message`, on standard error; exit 1."""

    def __init__(self, message: str, problems: Iterable[object] = ()):
        super().__init__(message)
        self.problems = [str(p) for p in problems]

    def show(self, file: IO[Any] | None = None) -> None:
        """To `file` when click gives one, else standard error."""
        for problem in self.problems:
            click.echo(problem, file=file, err=file is None)
        click.echo(f"error: {self.message}", file=file, err=file is None)


def located(path: Path, errors: list, advice: str = "") -> CliError:
    """Every located error, then 'N error(s) in PATH' and any advice."""
    return CliError(f"{len(errors)} error(s) in {path}{advice}", errors)


def load_rules(path: Path) -> RuleSet:
    try:
        return load_ruleset(path)
    except RuleSetInvalid as exc:
        raise located(path, exc.errors) from exc

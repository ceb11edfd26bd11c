"""What every command shares: one error style (each problem on its own line, then a summary; exit 1) and
rule-set loading."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from ..errors import RuleError, RuleSetInvalid
from ..model import RuleSet
from ..ruleset import load_ruleset
from ..ruleset.translation import LANGUAGES
from ..tools.impact import Case, cases_from_dir, cases_from_vignettes
from ..tools.vignettes import VignettesInvalid, load_vignettes

DEFAULT_RULES = Path("rules/default")
DEFAULT_VIGNETTES = Path("rules/vignettes")
rules_option = click.option("--rules", "rules_path", type=click.Path(exists=True, path_type=Path),
                            default=DEFAULT_RULES, show_default=True, help="Rule-set directory or file.")


require_language_option = click.option(
    "--require-language", "language", type=click.Choice(sorted(LANGUAGES)), default=None,
    help="Also list every text with no translation into this language, or an out-of-date one; exit 1 on any.")


def require_language(path: Path, missing: list[RuleError], language: str) -> None:
    """Say that every text at `path` is translated into `language`, or fail listing each one that is not."""
    if missing:
        raise CliError(f"{len(missing)} text(s) in {path} have no up-to-date {LANGUAGES[language]}", missing)
    click.echo(f"{path}: every text has its {LANGUAGES[language]}")


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


def vignette_cases(rs: RuleSet, path: Path | None, skip: bool, whose: str = "the rule set") -> list[Case]:
    """The stages of the vignettes at `path` (else rules/vignettes, when present) as cases, read under `rs`."""
    if skip or (path is None and not DEFAULT_VIGNETTES.exists()):
        return []
    path = path or DEFAULT_VIGNETTES
    try:
        return cases_from_vignettes(load_vignettes(path, rs))
    except VignettesInvalid as exc:
        raise located(path, exc.errors, f": the vignettes do not fit {whose}; use --vignettes or "
                      "--no-vignettes") from exc


def file_cases(path: Path) -> list[Case]:
    """The case files under `path`, or their problem as a CliError."""
    try:
        return cases_from_dir(path)
    except ValueError as exc:
        raise CliError(str(exc)) from exc

"""`screening robustness RULES`: the cases whose child protection route rests on a single answer.

Cases come from the vignettes (rules/vignettes by default, when present) and any case files (--cases: one case
per file, or a list of scenarios such as tests/rules/scenarios). The repository's scenarios are not read by default:
they are test data for rules/default, not shipped with the package. Exit 0: it is a report; a rule set, vignette or
case file that is wrong, or a case the rules cannot evaluate, is a located error (exit 1)."""

from __future__ import annotations

from pathlib import Path

import click

from ..tools.robustness import check_robustness, report_lines
from .common import CliError, file_cases, load_rules, vignette_cases


@click.command()
@click.argument("rules_path", metavar="RULES", type=click.Path(exists=True, path_type=Path))
@click.option("--cases", "cases_path", type=click.Path(exists=True, path_type=Path),
              help="Case files (*.yaml: one case, or a list of scenarios), besides the vignettes.")
@click.option("--vignettes", "vignettes_path", type=click.Path(exists=True, path_type=Path),
              help="Vignettes, valid for RULES. [default: rules/vignettes, when present]")
@click.option("--no-vignettes", is_flag=True, help="Leave the vignettes out.")
def robustness(rules_path: Path, cases_path: Path | None, vignettes_path: Path | None, no_vignettes: bool) -> None:
    """Move each answered yes / no / not known one step (yes to not known, not known to no or yes, no to not known)
    in every case on a child protection route, and list each move that takes the case off child protection."""
    rs = load_rules(rules_path)
    cases = vignette_cases(rs, vignettes_path, no_vignettes)
    if cases_path is not None:
        cases += file_cases(cases_path)
    report = check_robustness(rs, cases)
    if report.cannot_evaluate:
        raise CliError(f"{len(report.cannot_evaluate)} case(s) cannot be evaluated under {rules_path}",
                       (f"{where or case_id}: {case_id}: {why}" for case_id, where, why in report.cannot_evaluate))
    for line in report_lines(report):
        click.echo(line)

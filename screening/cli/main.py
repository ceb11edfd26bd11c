"""The `screening` command line: validate, evaluate and explain rule sets, and serve the web app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..engine import evaluate
from ..errors import AnswersInvalid
from ..language import check_language
from ..report import outcome_text, ruleset_text
from ..ruleset import untranslated_texts, yaml_texts
from ..tools.casefile import load_case
from ..tools.vignettes import (
    VignettesInvalid,
    load_vignettes,
    name_clashes,
    report_lines,
    run_vignettes,
    untranslated_vignette_texts,
)
from .admin import audit, db, purge, users
from .children import children
from .common import CliError, located, require_language, require_language_option, rules_option
from .common import load_rules as _load
from .demo import demo
from .diff import diff
from .holds import holds
from .robustness import robustness
from .safety import safety_case
from .tokens import tokens
from .worker import worker


@click.group()
def main() -> None:
    """CSE risk-screening decision aid."""


@main.command()
@require_language_option
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate(path: Path, language: str | None) -> None:
    """Check the rule set at PATH; list every error with file:line:col."""
    rs = _load(path)
    for warning in rs.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"{path}: valid: {rs.meta.id} version {rs.meta.version}, {len(rs.indicators)} indicators, "
               f"{len(rs.rules)} rules, hash {rs.short_hash}" + (f", {len(rs.warnings)} warning(s)" if rs.warnings
                                                                 else ""))
    if language:
        require_language(path, untranslated_texts(rs, language), language)


@main.command("evaluate")
@rules_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.argument("case", type=click.Path(exists=True, path_type=Path))
def evaluate_cmd(rules_path: Path, fmt: str, case: Path) -> None:
    """Recommend a route for the case file CASE (YAML: agency, answers)."""
    rs = _load(rules_path)
    try:
        agency, answers = load_case(case)
        outcome = evaluate(rs, answers, agency=agency)
    except (AnswersInvalid, ValueError) as exc:
        raise CliError(f"{case}: {exc}") from exc
    wording = {q.id: [f.to_dict() for f in check_language(rs.language, answers[q.id])]
               for q in rs.questions if q.kind.quoted and isinstance(answers.get(q.id), str)}
    wording = {k: v for k, v in wording.items() if v}
    if fmt == "json":
        click.echo(json.dumps({**outcome.to_dict(), "language": wording}, indent=2, ensure_ascii=False))
    else:
        click.echo(outcome_text(outcome) + _wording_text(rs, wording))


def _wording_text(rs, wording: dict[str, list[dict]]) -> str:
    """Victim-blaming wording in the case's free text, after the outcome."""
    if not wording:
        return ""
    lines = ["", "Wording to check (it could suggest the child is to blame):"]
    for fact_id, findings in wording.items():
        for f in findings:
            lines.append(f'  - {rs.fact_labels[fact_id]}: "{f["text"]}" - {f["why"].split(". ")[0]}.')
            lines += [f"      instead: {s}" for s in f["suggestions"][:1]]
    return "\n".join(lines)


@main.command()
@rules_option
def explain(rules_path: Path) -> None:
    """Print the rule set as readable text."""
    click.echo(ruleset_text(_load(rules_path)))


@main.command("check-language")
@rules_option
@click.argument("text")
def check_language_cmd(rules_path: Path, text: str) -> None:
    """Print, as JSON, victim-blaming wording found in TEXT ('-' reads standard input), with better words."""
    if text == "-":
        text = sys.stdin.read()
    findings = check_language(_load(rules_path).language, text)
    click.echo(json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False))


@main.command("vignettes")
@rules_option
@require_language_option
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def vignettes_cmd(rules_path: Path, path: Path, language: str | None) -> None:
    """Run every stage of the vignettes at PATH; list each mismatch and each child's name used twice; exit 1 on
    any."""
    rs = _load(rules_path)
    try:
        library = load_vignettes(path, rs)
    except VignettesInvalid as exc:
        raise located(path, exc.errors) from exc
    results = run_vignettes(rs, library)
    for line in report_lines(results):
        click.echo(line)
    clashes = name_clashes(library)
    for line in clashes:
        click.echo(f"NAME     {line}")
    if clashes or not all(r.ok for r in results):
        sys.exit(1)
    if language:
        require_language(path, untranslated_vignette_texts(yaml_texts(path), language), language)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--worker/--no-worker", "with_worker", default=None,
              help="Start a local worker process beside the server.  [default: on SQLite, yes]")
def serve(host: str, port: int, with_worker: bool | None) -> None:
    """Run the web app (demo mode: SQLite under instance/, the default rule set), with a local worker for the
    background work (impact previews) when the database is SQLite."""
    import signal
    import subprocess  # nosec B404 - starts this same program's worker, no shell, no outside input

    from ..store.users import DEMO_ACCOUNTS
    from ..web import create_app  # imported here so the engine never pulls in Flask

    app = create_app()
    mode = "DEMO MODE: practice data only" if app.config["DEMO"] else "production mode"
    click.echo(f"Serving on http://{host}:{port}/ ({mode})")
    for account in DEMO_ACCOUNTS if app.config["DEMO"] else ():
        click.echo(f"  demo account (DEMO ONLY): {account.username} / {account.password}  [{account.role}]")
    local = app.config["DATABASE_URL"].startswith("sqlite") if with_worker is None else with_worker
    worker = [sys.executable, "-m", "screening.cli", "worker"]
    worker_process = subprocess.Popen(worker) if local else None  # noqa: S603 # nosec B603 - our own command
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a service manager: stop the worker too
    try:
        app.run(host=host, port=port)
    finally:
        if worker_process is not None:
            worker_process.terminate()
            worker_process.wait()


main.add_command(db)
main.add_command(users)
main.add_command(audit)
main.add_command(purge)
main.add_command(diff)
main.add_command(robustness)
main.add_command(children)
main.add_command(tokens)
main.add_command(holds)
main.add_command(safety_case)
main.add_command(demo)
main.add_command(worker)

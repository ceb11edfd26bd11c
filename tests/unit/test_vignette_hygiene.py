"""The vignette library read as a room reads it: each child's name belongs to one case only (`screening vignettes`
fails on a name used twice), and plurals are written in words, never as "time(s)"."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

import screening
from screening.cli import main
from screening.tools.vignettes import child_name, load_vignette_texts, load_vignettes, name_clashes
from tests.conftest import DEFAULT, TINY
from tests.unit.test_vignettes import VIGNETTE

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "rules" / "vignettes"


def titled(title: str, vignette_id: str) -> str:
    return VIGNETTE.replace("title: A tiny case", f"title: '{title}'").replace("id: tiny_case", f"id: {vignette_id}")


def test_the_childs_name_is_read_from_the_title():
    tiny = screening.load_ruleset(TINY)
    found = load_vignette_texts({f"{n}.yaml": titled(t, f"case_{n}") for n, t in enumerate([
        "Maya, 15: something", "Child B: fears", '"Julia": four disclosures', "A girl at the bus station: little"])},
        tiny)
    assert [child_name(v) for v in found] == ["Maya", "Child B", "Julia", None]


def test_a_name_used_twice_is_reported_and_fails_the_command(tmp_path):
    (tmp_path / "a.yaml").write_text(titled("Maya, 15: one case", "case_a"))
    (tmp_path / "b.yaml").write_text(titled("Maya, 13: another case", "case_b"))
    (tmp_path / "c.yaml").write_text(titled("Leah, 14: a third", "case_c"))
    tiny = screening.load_ruleset(TINY)
    assert name_clashes(load_vignettes(tmp_path, tiny)) == [
        f"{tmp_path / 'b.yaml'}: the child's name 'Maya' is already used in {tmp_path / 'a.yaml'}: give each "
        "case's child a name of their own"]
    result = CliRunner().invoke(main, ["vignettes", str(tmp_path), "--rules", str(TINY)])
    assert result.exit_code == 1 and "NAME     " in result.output and "'Maya' is already used" in result.output


def test_the_library_gives_every_child_a_name_of_their_own():
    library = load_vignettes(LIBRARY, screening.load_ruleset(DEFAULT))
    assert name_clashes(library) == []
    assert sum(child_name(v) is not None for v in library) >= 10


def test_plurals_are_written_in_words_in_the_library_and_the_training_pages():
    files = [*LIBRARY.glob("*.yaml"), *(ROOT / "screening" / "web" / "templates" / "training").glob("*.html")]
    assert [f.name for f in files if re.search(r"\w\(s\)", f.read_text(encoding="utf-8"))] == []

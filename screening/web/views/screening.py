"""The practitioner's area: the blueprint, the start page, their list of screenings, and loading a screening
the signed-in user may see or change. Recording is in `journey`, the outcome and its documents in `outcome`."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from ...model import RuleSet
from ...store import screenings as repo
from ...store.models import Screening
from ..access import READERS, SCREENERS, allow
from ..context import active_ruleset, database
from ..followup import decisions_by_screening, flags_by_screening
from ..view_models import child_reference_id, stored_words

screening = Blueprint("screening", __name__)


def ruleset(tx=None) -> RuleSet:
    """The active rule set (`tx`: an open session to ask in, rather than a new one)."""
    return active_ruleset(tx)


def owner() -> str:
    return g.user.username


def load_visible(tx, screening_id: str) -> Screening:
    """A screening the signed-in user may open: their own; a safeguarding lead or the MASH may open any."""
    found = repo.for_viewer(tx, screening_id, owner(), sees_all=g.user.sees_all)
    if found is None:
        abort(404)
    return found


def load_own(tx, screening_id: str) -> Screening:
    """A screening the signed-in user may change: only their own."""
    found = repo.for_owner(tx, screening_id, owner())
    if found is None:
        abort(404)
    return found


@screening.get("/")
@allow(*SCREENERS)
def start():
    return render_template("start.html")


@screening.get("/screenings")
@allow(*READERS)
def mine():
    """The user's screenings (a lead's: everyone's), newest first, fifty at a time: `?older=` and `?newer=` take
    the cursor of the page either side (one that cannot be read gives the newest). The MASH's list is of completed
    screenings, each referral with what children's social care decided or a link straight to recording it."""
    with database().reading() as tx:
        listed = repo.list_for_viewer(tx, owner(), sees_all=g.user.sees_all, older=request.args.get("older"),
                                      newer=request.args.get("newer"),
                                      completed_only=g.user.role not in SCREENERS)  # the MASH: no drafts
        flagged = flags_by_screening(tx, listed.items)
        decisions = decisions_by_screening(tx, listed.items) if g.user.role == "mash" else None
    return render_template("my_screenings.html", screenings=listed.items, newer=listed.newer, older=listed.older,
                           reference=child_reference_id(ruleset()), sees_all=g.user.sees_all,
                           here=request.full_path.rstrip("?"), flags=flagged,
                           decisions=decisions, may_start=g.user.role in SCREENERS, stored_words=stored_words)

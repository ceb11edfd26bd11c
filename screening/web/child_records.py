"""What views show of a child record: the record the rules read for a screening, the child as a practitioner may
see them (initials and date of birth), and other agencies' involvement (never their free text)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..history import ChildRecord
from ..identifiers import long_date
from ..model import RuleSet
from ..store import children
from ..store.models import Screening, User
from .context import identity_keys


def record_for(tx: Session, rs: RuleSet, screening: Screening) -> ChildRecord | None:
    """The record a screening is evaluated with now: None when it is not linked to a child."""
    if screening.child_id is None:
        return None
    return children.record_of(tx, rs, screening.child_id, datetime.now(UTC), leave_out=screening.id)


def child_words(tx: Session, screening: Screening) -> str:
    """The linked child as a practitioner sees them: 'J... S..., born 3 March 2012'."""
    if screening.child_id is None:
        return _("Not identified (not linked to a child record)")
    who = children.identity(tx, identity_keys(), screening.child_id)
    if not who.full_name and who.born is None:
        return _("the child's record (no name or date of birth held yet)")
    return _("%(name)s, born %(day)s", name=who.masked, day=long_date(who.born))


def involvement(tx: Session, rs: RuleSet, screening: Screening) -> list[dict]:
    """Every other completed screening of the child: when, which agency, the routes, and whom to contact."""
    if screening.child_id is None:
        return []
    names = {a.id: a.name for a in rs.agencies}
    routes = {r.id: r.label for r in rs.routes}
    others = [s for s in children.screenings_of(tx, screening.child_id) if s.id != screening.id]
    people = {username: name for username, name in
              tx.execute(select(User.username, User.name).where(User.username.in_({s.owner for s in others})))}
    return [{"on": long_date(s.completed_at.date() if s.completed_at else None),
             "agency": names.get(s.agency or "", s.agency or _("Not said")),
             "recommended": routes.get(s.recommended_route or "", s.recommended_route or ""),
             "decided": routes.get(s.decided_route or "", s.decided_route or "") if s.decided_route else "",
             "who": people.get(s.owner, ""), "contact": s.referrer_contact or ""}
            for s in others]

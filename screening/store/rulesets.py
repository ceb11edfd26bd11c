"""Rule-set versions in the database: seed from YAML files, add candidates, activate, read the active one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..loader import load_ruleset_texts
from ..model import RuleSet
from .models import ActiveRuleSet, RuleSetVersion


def texts_of(path: str | Path) -> dict[str, str]:
    """The YAML files of a rule-set directory (or one file), keyed by file name."""
    path = Path(path)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return {f.name: f.read_text(encoding="utf-8") for f in files}


def add_version(session: Session, texts: dict[str, str], by: str, reason: str) -> RuleSetVersion:
    """Store a rule set (validated first: RuleSetInvalid propagates). The same content is stored once."""
    rs = load_ruleset_texts(texts)
    existing = session.scalars(select(RuleSetVersion).where(RuleSetVersion.hash == rs.hash)).first()
    if existing is not None:
        return existing
    version = RuleSetVersion(ruleset_id=rs.meta.id, version=rs.meta.version, hash=rs.hash, texts=dict(texts),
                             uploaded_by=by, reason=reason, approvals=[])
    session.add(version)
    session.flush()
    return version


def activate(session: Session, version_id: int, by: str, reason: str) -> None:
    """Make a version active for every instance, in the caller's single transaction."""
    if session.get(RuleSetVersion, version_id) is None:
        raise LookupError(f"no rule-set version {version_id}")
    row = session.get(ActiveRuleSet, 1)
    if row is None:
        session.add(ActiveRuleSet(id=1, version_id=version_id, changed_by=by, reason=reason))
    else:
        row.version_id, row.changed_by, row.reason = version_id, by, reason


def active_version(session: Session) -> RuleSetVersion | None:
    row = session.get(ActiveRuleSet, 1)
    return session.get(RuleSetVersion, row.version_id) if row else None


def seed(session: Session, path: str | Path) -> RuleSetVersion:
    """On first start: store the YAML under `path` as the first version and activate it."""
    current = active_version(session)
    if current is not None:
        return current
    version = add_version(session, texts_of(path), "system", f"seeded from {Path(path).name}")
    activate(session, version.id, "system", "first version")
    return version


def history(session: Session) -> list[RuleSetVersion]:
    return list(session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id.desc())))


class ActiveRuleSetCache:
    """Loads each version once; `current()` asks the database which version is active (one small query)."""

    def __init__(self, database):
        self.database = database
        self.loaded: dict[str, RuleSet] = {}

    def current(self) -> RuleSet:
        """One small query for the active hash; the YAML is read and parsed only for a version not yet loaded."""
        with self.database.reading() as tx:
            found = tx.execute(select(RuleSetVersion.id, RuleSetVersion.hash)
                               .join(ActiveRuleSet, ActiveRuleSet.version_id == RuleSetVersion.id)).first()
            if found is None:
                raise LookupError("no active rule set")
            if found.hash not in self.loaded:
                self.loaded[found.hash] = load_ruleset_texts(tx.get(RuleSetVersion, found.id).texts)
        return self.loaded[found.hash]

    def of_version(self, version: RuleSetVersion) -> RuleSet:
        if version.hash not in self.loaded:
            self.loaded[version.hash] = load_ruleset_texts(version.texts)
        return self.loaded[version.hash]

"""Rule-set versions in the database: seed from YAML files, add candidates, activate, read the active one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import RuleError, ScreeningError
from ..model import RuleSet
from ..ruleset import content_hash, load_ruleset_texts, yaml_texts
from .models import ActiveRuleSet, RuleSetVersion

PARSED_KEPT = 32  # rule sets kept parsed per process (the active one, candidates being previewed, old versions)
_parsed: OrderedDict[str, RuleSet] = OrderedDict()
_guard = threading.Lock()


def parse(texts: Mapping[str, str], known_hash: str = "") -> RuleSet:
    """The rule set of `texts` (RuleSetInvalid propagates), parsed once per process: a RuleSet never changes,
    so every app instance in the process shares it, keyed by its content hash."""
    key = known_hash or content_hash(texts)
    return _kept(key) or _keep(key, load_ruleset_texts(texts))


def _kept(key: str) -> RuleSet | None:
    with _guard:
        found = _parsed.get(key)
        if found is not None:
            _parsed.move_to_end(key)
        return found


def _keep(key: str, rs: RuleSet) -> RuleSet:
    with _guard:
        _parsed[key] = rs
        while len(_parsed) > PARSED_KEPT:
            _parsed.popitem(last=False)
    return rs


def texts_of(path: str | Path) -> dict[str, str]:
    """The YAML files of a rule-set directory (or one file), keyed by file name."""
    return {Path(name).name: text for name, text in yaml_texts(path).items()}


def add_version(session: Session, rs: RuleSet, by: str, reason: str) -> RuleSetVersion:
    """Store a parsed rule set's files. The same content is stored once."""
    existing = session.scalars(select(RuleSetVersion).where(RuleSetVersion.hash == rs.hash)).first()
    if existing is not None:
        return existing
    texts = {Path(name).name: text for name, text in rs.sources}
    version = RuleSetVersion(ruleset_id=rs.meta.id, version=rs.meta.version, hash=rs.hash, texts=texts,
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


class PlaceholderContacts(ScreeningError):
    """A rule set about to be seeded for real use still has contacts to fill in ("[MASH phone number]")."""

    def __init__(self, found: list[RuleError]):
        self.found = found
        super().__init__("\n".join(str(w) for w in found))


def placeholder_contacts(rs: RuleSet) -> list[RuleError]:
    """Where each contact not configured yet (Contact.placeholder) is written: the compiler's located warnings."""
    return [w for w in rs.warnings if w.yaml_path.split(".")[0] == "contacts"]


def seed(session: Session, path: str | Path, allow_placeholder_contacts: bool = True) -> RuleSetVersion:
    """On first start: store the YAML under `path` as the first version and activate it. Unless
    `allow_placeholder_contacts`, a rule set whose contacts are still placeholders is refused (PlaceholderContacts)."""
    current = active_version(session)
    if current is not None:
        return current
    rs = parse(texts_of(path))
    if not allow_placeholder_contacts and any(c.placeholder for c in rs.contacts):
        raise PlaceholderContacts(placeholder_contacts(rs))
    version = add_version(session, rs, "system", f"seeded from {Path(path).name}")
    activate(session, version.id, "system", "first version")
    return version


def numbers_in_use(session: Session, ruleset_id: str) -> list[str]:
    """Every version number stored for a rule set."""
    return list(session.scalars(select(RuleSetVersion.version).where(RuleSetVersion.ruleset_id == ruleset_id)))


def history(session: Session) -> list[RuleSetVersion]:
    return list(session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id.desc())))


def active_ruleset(session: Session) -> RuleSet:
    """The active version's rule set: one small query for its hash; its YAML is read and parsed only when this
    process has not parsed it yet."""
    found = session.execute(select(RuleSetVersion.id, RuleSetVersion.hash)
                            .join(ActiveRuleSet, ActiveRuleSet.version_id == RuleSetVersion.id)).first()
    if found is None:
        raise LookupError("no active rule set")
    kept = _kept(found.hash)
    if kept is not None:
        return kept
    version = session.get(RuleSetVersion, found.id)
    if version is None:
        raise LookupError(f"the active rule-set version {found.id} is missing")
    return parse(version.texts, found.hash)


def of_version(version: RuleSetVersion) -> RuleSet:
    return parse(version.texts, version.hash)

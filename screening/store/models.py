"""Tables. A screening keeps its answers, and once complete, the outcome exactly as produced with the rule set's
id, version and hash, so it can always be shown and reproduced as it was."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..identifiers import EXACT
from ..meeting_record import MeetingMinutes


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Screening(Base):
    __tablename__ = "screenings"
    __table_args__ = (  # the dashboard counts from one index, never the wide rows; the list pages in this order
        Index("ix_screenings_dashboard", "completed_at", "status", "agency", "recommended_route", "decided_route",
              "decision", "age_band", "completed_month", "child_id", "id"),
        Index("ix_screenings_listed", "updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | complete
    agency: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pages_done: Mapped[list[str]] = mapped_column(JSON, default=list)
    language_choices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # see screening.web.language_review
    ruleset_id: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(32))
    ruleset_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the same outcome in the other languages its rule set carried ({"cy": ...}); None: English only (ADR 0029)
    outcome_in_languages: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recommended_route: Mapped[str | None] = mapped_column(String(32))
    decided_route: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(16))  # agree | raise | lower
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    lead_consulted: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    referrer_is_lead: Mapped[bool | None] = mapped_column(Boolean)  # None: not said
    referrer_contact: Mapped[str] = mapped_column(Text, default="")
    child_id: Mapped[str | None] = mapped_column(String(32), index=True)  # None: not linked to a child record
    identity: Mapped[str | None] = mapped_column(Text)  # sealed: what the referrer entered to identify the child
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    age_band: Mapped[str | None] = mapped_column(String(16))  # at completion: under_13 | 13_15 | 16_17 | not_known
    completed_month: Mapped[str | None] = mapped_column(String(7))  # "2026-12", for the dashboard's months


class FiredRule(Base):
    """A rule that fired for a completed screening (what the dashboard counts overrides by), kept in step with the
    stored outcome's findings."""

    __tablename__ = "fired_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(String(32), index=True)
    rule_id: Mapped[str] = mapped_column(String(64), index=True)


class Child(Base):
    """One child, as the agencies that screened them identified them. Who they are is kept only encrypted
    (`identity`, see store.sealing); they are found through keyed blind indexes (ChildKey). A record merged into
    another (`merged_into`) keeps its own keys and screenings, so a merge can be undone."""

    __tablename__ = "children"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    identity: Mapped[str] = mapped_column(Text)  # a Fernet token of the Identity as JSON
    merged_into: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


EXACT_KINDS_SQL = f"kind IN ({', '.join(repr(kind) for kind in EXACT)})"


class ChildKey(Base):
    """A blind index: HMAC-SHA256 of one normalised identifier under the index key. Exact identifiers (NHS number,
    UPN, local authority id) belong to one record each; name-and-date-of-birth keys may be shared."""

    __tablename__ = "child_keys"
    __table_args__ = (
        Index("child_keys_lookup", "kind", "digest"),
        Index("child_keys_exact", "kind", "digest", unique=True, sqlite_where=text(EXACT_KINDS_SQL),
              postgresql_where=text(EXACT_KINDS_SQL)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # nhs | upn | la | given_born | family_born
    digest: Mapped[str] = mapped_column(String(64))


class ReferralResponse(Base):
    """What happened to the referral a screening led to: sent (when, how, to whom; the referrer records it),
    received and acknowledged, and what children's social care decided, by whom, when and why (the MASH, or the
    referrer when told). One per screening; `due_at` comes from the route's `response_within`, counted from when it
    was sent (or, if that is not recorded, received). A decision keeps the words and route of the option chosen
    (the rule set's `social_care_decisions`); one recorded before they were kept (an empty `decision_label`) is read
    as it was: `decision` a route id of the producing ladder, NO_FURTHER_ACTION or ALREADY_OPEN."""

    __tablename__ = "referral_responses"

    screening_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_how: Mapped[str] = mapped_column(String(32), default="")
    sent_to: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str] = mapped_column(String(32), default="")  # the id of the option chosen
    decision_label: Mapped[str] = mapped_column(String(200), default="")  # its words, as offered
    # the route it corresponds to: "" is never compared, and one not on the producing ladder counts as below it
    decision_route: Mapped[str] = mapped_column(String(32), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reasons: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # by the MASH
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class Challenge(Base):
    """One stage of a professional challenge to the response to a referral (late, or below the route decided):
    the stage of the rule set's escalation steps, to whom, when, the answer, and when the next stage is due."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(String(32), index=True)
    stage: Mapped[int] = mapped_column(Integer)  # 1 for the first escalation step
    to_whom: Mapped[str] = mapped_column(String(200))
    raised_on: Mapped[date] = mapped_column(Date)
    answer: Mapped[str] = mapped_column(Text, default="")
    next_due: Mapped[date | None] = mapped_column(Date)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MeetingRecord(Base):
    """A strategy meeting's record, on the screening that triggered it and its child. A final record is never
    changed: an amendment is a new version (`version` + 1) that names the one it amends."""

    __tablename__ = "meeting_records"
    __table_args__ = (UniqueConstraint("screening_id", "version", name="meeting_records_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(String(32), index=True)
    child_id: Mapped[str | None] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | final
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    record: Mapped[MeetingMinutes] = mapped_column(JSON, default=dict)
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_by: Mapped[str] = mapped_column(String(64), default="")


class Decision(Base):
    """One professional decision on a completed screening. Decisions are only ever added: a change of mind is a
    new decision, and the screening's decision columns show the latest (the database refuses updates)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("screening_id", "number", name="decisions_screening_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first decision on the screening
    decision: Mapped[str] = mapped_column(String(16))  # agree | raise | lower
    route: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    lead_consulted: Mapped[str] = mapped_column(String(200), default="")
    below_minimum: Mapped[str] = mapped_column(Text, default="")  # the minimums confirmed when going below them
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ImpactPreview(Base):
    """An impact preview comparing two rule-set versions (by hash), shared by every app instance: one per pair. Its
    work is split into batches (screening/jobs/tasks.py) that workers on any machine share; it is done when every
    batch is. Plain data only: no child's details."""

    __tablename__ = "impact_previews"
    __table_args__ = (UniqueConstraint("old_hash", "new_hash", name="impact_previews_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_hash: Mapped[str] = mapped_column(String(64))
    new_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    batches: Mapped[int] = mapped_column(Integer, default=0)  # planned; 0 until the plan is made
    batches_done: Mapped[int] = mapped_column(Integer, default=0)
    cases: Mapped[int] = mapped_column(Integer, default=0)  # in the planned batches
    cases_done: Mapped[int] = mapped_column(Integer, default=0)
    robustness: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # over the vignette stages, both versions
    error: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ImpactBatch(Base):
    """One share of a preview's work: batch 0 is the vignette stages, the others a range of stored screenings (by
    id). When done, its running tallies: route transitions and how many cases changed, went down, could not be
    evaluated or failed their expectation."""

    __tablename__ = "impact_batches"

    preview_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_id: Mapped[str] = mapped_column(String(32), default="")
    last_id: Mapped[str] = mapped_column(String(32), default="")
    cases: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    transitions: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[from route, to route, cases], ...]
    changed: Mapped[int] = mapped_column(Integer, default=0)
    down: Mapped[int] = mapped_column(Integer, default=0)
    cannot: Mapped[int] = mapped_column(Integer, default=0)
    failing: Mapped[int] = mapped_column(Integer, default=0)
    ran_by: Mapped[str] = mapped_column(String(128), default="")  # the worker (host:process) that saved it


class ImpactCase(Base):
    """A case a preview lists: changed (rank 0 when it went down, so those come first), could not be evaluated, or
    failed its expectation; `detail` is the case as the impact report describes it (label, routes, rules)."""

    __tablename__ = "impact_cases"
    __table_args__ = (Index("impact_cases_listing", "preview_id", "what", "rank", "batch", "seq"),)

    preview_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    what: Mapped[str] = mapped_column(String(16))  # changed | cannot | failing
    rank: Mapped[int] = mapped_column(Integer, default=1)  # 0: went down
    kind: Mapped[str] = mapped_column(String(16))  # vignette | screening
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


ROLES = ("practitioner", "safeguarding_lead", "mash", "board", "trainer", "admin")


class User(Base):
    """An account: local (an argon2 password hash, perhaps a TOTP second factor) or from an OpenID Connect provider
    (`provider` and its `subject`; no password). Demo accounts exist only in demo mode."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("provider", "subject", name="users_provider_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    provider: Mapped[str | None] = mapped_column(String(64))  # None: a local account
    subject: Mapped[str | None] = mapped_column(String(255))  # the provider's `sub` for this person
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # None: no second factor enrolled
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code's time step is accepted once only
    language: Mapped[str | None] = mapped_column(String(8))  # "en" or "cy" once chosen (web/locales.py); else None


class ApiToken(Base):
    """A token another system calls the API with: a role and an agency like an account, only the SHA-256 of the
    token kept, an expiry, and a one-minute window counting calls for the rate limit."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_calls: Mapped[int] = mapped_column(Integer, default=0)


class UserSession(Base):
    """A signed-in session. The browser's cookie holds only a random token; this row holds its SHA-256, so ending
    the row (sign-out, idle, the absolute lifetime, a password reset, a disabled account) ends every copy of it."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str] = mapped_column(String(32), default="")


class SignInFailure(Base):
    """A failed sign-in from a client address, kept for the throttle's window only (see store.users)."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEvent(Base):
    """Append-only: who did what to which record, when. Record ids only, never a child's details."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    record_type: Mapped[str] = mapped_column(String(32), default="")
    record_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RuleSetVersion(Base):
    """One version of a rule set as uploaded: its YAML files, who uploaded it, when and why."""

    __tablename__ = "ruleset_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    texts: Mapped[dict[str, str]] = mapped_column(JSON)  # {file name: YAML text}
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    reason: Mapped[str] = mapped_column(Text, default="")
    approvals: Mapped[list[str]] = mapped_column(JSON, default=list)  # usernames of leads who approved activation


class ActiveRuleSet(Base):
    """A single row naming the active version. Activation changes it in one transaction; every app instance
    reads it at the start of each request."""

    __tablename__ = "active_ruleset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    changed_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")


class LegalHold(Base):
    """A lead's hold on a child's records (the record and those merged into it): the retention purge never deletes
    them while it stands. Lifting it keeps the row, with who lifted it, when and why."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    lifted_by: Mapped[str] = mapped_column(String(64), default="")
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lift_reason: Mapped[str] = mapped_column(Text, default="")


class RecoveryCode(Base):
    """One of a local account's single-use recovery codes, kept as its SHA-256 (store.second_factor)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SecondFactorPolicy(Base):
    """A single row: the roles whose local accounts must have a second factor (set by an administrator)."""

    __tablename__ = "second_factor_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    changed_by: Mapped[str] = mapped_column(String(64))


class TrainingSession(Base):
    """A group training session while it runs: its join code, the vignette, the stage and what the projector
    shows (answering | spread | revealed | learning | ended). Deleted, with its learners and answers, when it closes."""

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    vignette_id: Mapped[str] = mapped_column(String(64))
    started_by: Mapped[str] = mapped_column(String(64))  # the trainer's username: only they run the room
    stage: Mapped[int] = mapped_column(Integer, default=1)
    phase: Mapped[str] = mapped_column(String(16), default="answering")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class TrainingLearner(Base):
    """Someone in the room: a random id (also in their cookie), nothing else."""

    __tablename__ = "training_learners"
    __table_args__ = (UniqueConstraint("session_id", "learner", name="training_learners_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    learner: Mapped[str] = mapped_column(String(64))


class TrainingAnswer(Base):
    """A learner's route at a stage and their short reason: nothing else about them."""

    __tablename__ = "training_answers"
    __table_args__ = (UniqueConstraint("session_id", "learner", "stage", name="training_answers_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    learner: Mapped[str] = mapped_column(String(64))
    stage: Mapped[int] = mapped_column(Integer)
    route: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200), default="")


class TrainingTally(Base):
    """What a closed session leaves: per vignette stage and the rules' route then, how many learners chose each
    route, from how many sessions. Anonymous counts only."""

    __tablename__ = "training_tallies"
    __table_args__ = (UniqueConstraint("vignette_id", "stage", "rules_route", name="training_tallies_stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vignette_id: Mapped[str] = mapped_column(String(64))
    stage: Mapped[int] = mapped_column(Integer)
    rules_route: Mapped[str] = mapped_column(String(32))
    routes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    learners: Mapped[int] = mapped_column(Integer, default=0)


class RuleSetDraft(Base):
    """A lead's changes made in forms and not yet proposed: the whole rule set's YAML as it would be, and the
    version it started from. One per lead; proposing it stores a version (RuleSetVersion) and ends the draft."""

    __tablename__ = "ruleset_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), unique=True)
    base_hash: Mapped[str] = mapped_column(String(64))
    texts: Mapped[dict[str, str]] = mapped_column(JSON)  # {file name: YAML text}
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class ScreeningSummary(Base):
    """How many completed screenings share a day, agency, recommended and decided route, decision, age band and
    children's social care's decision ('' for none yet): the dashboard counts these instead of screenings."""

    __tablename__ = "screening_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    recommended_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    decided_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(16), primary_key=True)
    csc_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)


class RuleSummary(Base):
    """How many completed screenings of a day and agency a rule fired for, by the practitioner's decision."""

    __tablename__ = "rule_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)


class JobQueueState(Base):
    """The embedded job queue's state (SQLite only: screening/jobs/sqlite_queue.py); empty on PostgreSQL, where the
    queue is procrastinate's own tables."""

    __tablename__ = "job_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str | None] = mapped_column(Text)


class FollowupSummary(Base):
    """How many completed screenings of a day and agency have what the dashboard follows up (`what`: a challenge
    not resolved; a final meeting record as newest version, and what it lacks): see store/followup_summaries.py."""

    __tablename__ = "followup_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    what: Mapped[str] = mapped_column(String(32), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)


class AwaitingSummary(Base):
    """Referrals still awaiting children's social care's decision, by their screening's day and agency and the
    time the decision is due: a row goes when its count does, so the table holds only what is still awaited."""

    __tablename__ = "awaiting_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)


class RepeatSummary(Base):
    """From `day` on, the change in how many children (of one agency's screenings, or '*' for all) have two or more
    screenings in the 12 months to that day, by the routes those screenings counted: summed up to a day, the
    children screened again by then (store/repeat_summaries.py)."""

    __tablename__ = "repeat_summary"

    agency: Mapped[str] = mapped_column(String(64), primary_key=True)  # first: the dashboard reads one agency's days
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    routes: Mapped[str] = mapped_column(String(400), primary_key=True)  # the route ids, sorted, comma-separated
    children: Mapped[int] = mapped_column(Integer, default=0)


class ScreeningMonthSummary(Base):
    """ScreeningSummary by month (`day` is the month's first): a period's whole months are read from here, so a
    year costs twelve months' rows, not 365 days'."""

    __tablename__ = "screening_month_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    recommended_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    decided_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(16), primary_key=True)
    csc_route: Mapped[str] = mapped_column(String(64), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)


class RuleMonthSummary(Base):
    """RuleSummary by month (`day` is the month's first), as ScreeningMonthSummary."""

    __tablename__ = "rule_month_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16), primary_key=True)
    screenings: Mapped[int] = mapped_column(Integer, default=0)

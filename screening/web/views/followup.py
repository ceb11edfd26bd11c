"""After the referral: what happened to it (the referrer records its sending, and the decision if told it; the MASH
records only its own facts: when it was received, the decision, by whom and why), a challenge when the answer is
late or below the route that counts (the referrer or a lead), and the strategy meeting's record (the MASH or a
lead; the referrer reads it), with its minutes as a page and a PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...decided import counted
from ...meeting_record import ATTENDANCE, DECISIONS, MeetingMinutes, late, missing
from ...model import SocialCareDecision
from ...store import audit, followup
from ...store.db import as_utc
from ...store.models import Screening
from ...timescale import parse_timescale
from ...words import long_date
from ...workdays import due
from ..access import READERS, allow
from ..context import active_ruleset, database
from ..followup import (
    decided,
    decision_options,
    due_at,
    expects_response,
    flags,
    needs_meeting,
    recorded_options,
    route_that_counts,
)
from ..forms.followup import (
    HOW_HELD,
    meeting_form_data,
    moment,
    read_choice,
    read_date,
    read_meeting,
    read_text,
    read_time,
    response_form_data,
)
from ..redirects import local_path
from ..view_models import child_reference_id, stored_outcome
from .outcome import document_css, pdf_of

after = Blueprint("followup", __name__)
SENT_HOW = {"phone": _l("By phone"), "email": _l("By secure email"), "portal": _l("Through the online portal"),
            "in_person": _l("In person"), "letter": _l("By letter")}


def _load(tx, screening_id: str) -> Screening:
    found = tx.get(Screening, screening_id) if len(screening_id) <= 32 else None
    if found is None or found.status != "complete" or not (g.user.sees_all or found.owner == g.user.username):
        abort(404)
    return found


def _may(found: Screening, *roles: str) -> bool:
    """The referrer (owner) or one of `roles` may record."""
    return found.owner == g.user.username or g.user.role in roles


@after.route("/screenings/<screening_id>/response", methods=["GET", "POST"])
@allow(*READERS)
def response(screening_id: str):
    """The referrer (the screening's owner) records how the referral was sent, and the decision if told it; the MASH
    records when it received it and what children's social care decided; a lead reads. `?next=` (a local path, such
    as the MASH's list) is where a recorded decision returns to, with a banner."""
    back = local_path(request.args.get("next"))
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        shown = stored_outcome(found)
        if not expects_response(found, shown):
            abort(404)
        held = followup.response_of(tx, found.id)
        options = decision_options(active_ruleset(tx), shown)
        receiving = found.owner != g.user.username and g.user.role == "mash"
        page = _response_page(found, shown, held, options, receiving, back)
        if request.method == "GET":
            return page(response_form_data(held, g.user.name if receiving else ""), {})
        if not _may(found, "mash"):
            abort(403)
        fields, errors = (_read_received if receiving else _read_sent)(recorded_options(found))  # kept in English
        if errors:
            return page(request.form, errors), 400
        sent = fields.get("sent_at") or (held.sent_at if held else None)
        received = fields.get("received_at") or (held.received_at if held else None)
        followup.save_response(tx, found.id, g.user.username, due_at(found, shown, sent or received), **fields)
        audit.record(tx, g.user.username, "referral_response_recorded", "screening", found.id,
                     decision=fields.get("decision", ""), sent=sent is not None, received=received is not None)
        reference = found.answers.get(child_reference_id(active_ruleset(tx)) or "")
    if fields.get("decision_label"):
        flash(_("Decision recorded for %(reference)s: %(decision)s.", reference=reference,
                decision=fields["decision_label"]) if reference else
              _("Decision recorded for this referral: %(decision)s.", decision=fields["decision_label"]), "success")
    else:
        flash(_("Recorded how the referral for %(reference)s was sent.", reference=reference) if reference else
              _("Recorded how this referral was sent."), "success")
    return redirect(back or url_for("screening.outcome", screening_id=screening_id) + "#after-referral")


def _decision(options: tuple[SocialCareDecision, ...], chosen: str) -> dict:
    """The option chosen, with the words (English, `recorded_options`) and route it is kept with."""
    option = next(o for o in options if o.id == chosen)
    return {"decision": option.id, "decision_label": option.label[:200], "decision_route": option.route}


def _read_sent(options: tuple[SocialCareDecision, ...]) -> tuple[dict, dict[str, str]]:
    """The referrer's form: how it was sent; the decision only when they were told it (left blank, it is kept)."""
    data, errors = request.form, {}
    sent_on, errors["sent"] = read_date(data, "sent", _("the date you sent the referral"), required=True)
    sent_time, errors["sent_time"] = read_time(data, "sent_time", _("the time you sent it"))
    how, errors["sent_how"] = read_choice(data, "sent_how", SENT_HOW, _("how you sent it"), required=True)
    to, errors["sent_to"] = read_text(data, "sent_to", _("who you sent it to"), required=True, limit=200)
    ack, errors["acknowledged"] = read_date(data, "acknowledged", _("the date it was acknowledged"))
    decision, errors["decision"] = read_choice(data, "decision", {o.id for o in options}, _("the decision"))
    by, errors["decided_by"] = read_text(data, "decided_by", _("who decided"), required=bool(decision), limit=200)
    decided, errors["decided"] = read_date(data, "decided", _("the date of the decision"), required=bool(decision))
    why, errors["decision_reasons"] = read_text(data, "decision_reasons", _("their reasons"))
    fields = {"sent_at": moment(sent_on, sent_time), "sent_how": how, "sent_to": to,
              "acknowledged_at": moment(ack, None)}
    if decision:
        fields |= {**_decision(options, decision), "decided_by": by, "decided_at": moment(decided, None),
                   "decision_reasons": why}
    return fields, {k: v for k, v in errors.items() if v}


def _read_received(options: tuple[SocialCareDecision, ...]) -> tuple[dict, dict[str, str]]:
    """The MASH's form: when it was received, the decision, who decided and why; nothing about the sending."""
    data, errors = request.form, {}
    received_on, errors["received"] = read_date(data, "received", _("the date the referral was received"),
                                                required=True)
    received_time, errors["received_time"] = read_time(data, "received_time", _("the time it was received"))
    decision, errors["decision"] = read_choice(data, "decision", {o.id for o in options},
                                               _("what children's social care decided"), required=True)
    by, errors["decided_by"] = read_text(data, "decided_by", _("who decided"), required=True, limit=200)
    why, errors["decision_reasons"] = read_text(data, "decision_reasons", _("the reasons for the decision"),
                                                required=True)
    fields = {"received_at": moment(received_on, received_time), "decided_by": by, "decision_reasons": why,
              "decided_at": datetime.now(UTC), **(_decision(options, decision) if decision else {})}
    return fields, {k: v for k, v in errors.items() if v}


def _response_page(found, shown, held, options, receiving: bool, back: str):
    """The page, to render with the form's data and errors: the MASH's form, or the referrer's (a lead reads)."""
    def page(data, errors) -> str:
        return render_template("followup/decision.html" if receiving else "followup/response.html",
                               screening=found, o=shown, held=held, data=data, errors=errors, form=FlaskForm(),
                               sent_how=SENT_HOW, decisions=options, choice=decided(shown, held),
                               wanted=route_that_counts(found, shown),
                               may_record=_may(found, "mash"),
                               back=back or url_for("screening.outcome", screening_id=found.id) + "#after-referral")
    return page


@after.route("/screenings/<screening_id>/challenge", methods=["GET", "POST"])
@allow(*READERS)
def challenge(screening_id: str):
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        shown = stored_outcome(found)
        stages = followup.challenges_of(tx, found.id)
        raised = flags(found, shown, followup.response_of(tx, found.id))
        if request.method == "GET":
            return _challenge_page(found, shown, stages, raised, {}, {})
        if not _may(found, "safeguarding_lead") or any(s.resolved for s in stages):
            abort(403)
        fields, errors = _read_stage(len(shown.escalation))
        if errors:
            return _challenge_page(found, shown, stages, raised, request.form, errors), 400
        followup.add_stage(tx, found.id, g.user.username, **fields)
        audit.record(tx, g.user.username, "challenge_recorded", "screening", found.id, stage=fields["stage"],
                     resolved=fields["resolved"])
    return redirect(url_for(".challenge", screening_id=screening_id))


def _read_stage(steps: int) -> tuple[dict, dict[str, str]]:
    data, errors = request.form, {}
    stage, errors["stage"] = read_choice(data, "stage", {str(n) for n in range(1, steps + 1)}, _("the stage"),
                                         required=True)
    to_whom, errors["to_whom"] = read_text(data, "to_whom", _("who you raised it with"), required=True, limit=200)
    raised_on, errors["raised"] = read_date(data, "raised", _("the date you raised it"), required=True)
    answer, errors["answer"] = read_text(data, "answer", _("the answer"))
    next_due, errors["next_due"] = read_date(data, "next_due", _("the date the next stage is due"))
    resolved = data.get("resolved") == "yes"
    if not resolved and next_due is None and not errors["next_due"]:
        errors["next_due"] = _("Enter when the next stage is due, or say the disagreement is resolved")
    fields = {"stage": int(stage or 0), "to_whom": to_whom, "raised_on": raised_on, "answer": answer,
              "next_due": next_due, "resolved": resolved}
    return fields, {k: v for k, v in errors.items() if v}


def _challenge_page(found, shown, stages, raised, data, errors):
    return render_template("followup/challenge.html", screening=found, o=shown, stages=stages, flags=raised,
                           data=data, errors=errors, form=FlaskForm(),
                           ended=any(s.resolved for s in stages), may_record=_may(found, "safeguarding_lead"))


def _meeting_due(found: Screening, shown) -> datetime | None:
    now = counted(shown, found.decision, found.decided_route)
    if not now.meeting_required or not now.meeting_within or found.completed_at is None:
        return None
    return due(as_utc(found.completed_at), parse_timescale(now.meeting_within))


@after.route("/screenings/<screening_id>/meeting", methods=["GET", "POST"])
@allow(*READERS)
def meeting(screening_id: str):
    """The meeting's record: a form while it is a draft (the MASH or a lead), read-only once final."""
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        shown = stored_outcome(found)
        if not needs_meeting(found, shown):
            abort(404)
        held = followup.latest_meeting(tx, found.id)
        editing = g.user.role in ("mash", "safeguarding_lead") and (held is None or held.status == "draft")
        record = MeetingMinutes(**held.record) if held else MeetingMinutes()
        if request.method == "GET" or not editing:
            if request.method == "POST":
                abort(403)
            return _meeting_page(found, shown, held, record, {}, editing)
        record, errors = read_meeting(request.form, _english_invitees(found))
        if errors:
            return _meeting_page(found, shown, held, record, errors, editing, data=request.form), 400
        saved = followup.save_meeting(tx, found.id, found.child_id, g.user.username, record,
                                      datetime.fromisoformat(record["held_at"]) if record.get("held_at") else None)
        audit.record(tx, g.user.username, "meeting_saved", "meeting", str(saved.id), screening=found.id,
                     version=saved.version)
        if request.form.get("final") == "yes":
            lacking = missing(_in_page_roles(found, shown, record), shown.strategy_meeting, _meeting_due(found, shown))
            if lacking:
                return _meeting_page(found, shown, saved, record, {}, editing, lacking=lacking), 400
            followup.finalise(tx, saved, g.user.username)
            audit.record(tx, g.user.username, "meeting_finalised", "meeting", str(saved.id), screening=found.id,
                         version=saved.version)
    return redirect(url_for(".meeting", screening_id=screening_id))


@after.post("/screenings/<screening_id>/meeting/amend")
@allow("mash", "safeguarding_lead")
def amend_meeting(screening_id: str):
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        held = followup.latest_meeting(tx, found.id)
        if held is None or held.status != "final":
            abort(404)
        made = followup.amend(tx, held, g.user.username)
        audit.record(tx, g.user.username, "meeting_amended", "meeting", str(made.id), screening=found.id,
                     version=made.version, amends=held.version)
    return redirect(url_for(".meeting", screening_id=screening_id))


@after.get("/screenings/<screening_id>/meeting/minutes")
@allow(*READERS)
def minutes(screening_id: str):
    return _minutes(screening_id)


@after.get("/screenings/<screening_id>/meeting/minutes.pdf")
@allow(*READERS)
def minutes_pdf(screening_id: str):
    html = _minutes(screening_id, for_pdf=True)
    return Response(pdf_of(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="minutes-{screening_id[:8]}.pdf"'})


def _minutes(screening_id: str, for_pdf: bool = False) -> str:
    with database().reading() as tx:
        found = _load(tx, screening_id)
        shown = stored_outcome(found)
        held = followup.latest_meeting(tx, found.id)
        if held is None:
            abort(404)
    held_at = held.record.get("held_at")
    return render_template("followup/minutes.html", screening=found, o=shown, held=held,
                           r=_in_page_roles(found, shown, held.record),
                           held_at=datetime.fromisoformat(held_at) if held_at else None, day=_day,
                           attendance=ATTENDANCE, decisions=DECISIONS, how_held=HOW_HELD, for_pdf=for_pdf,
                           late=late(held.record, _meeting_due(found, shown)),
                           document_css=document_css() if for_pdf else "")


def _english_invitees(found: Screening) -> tuple:
    """The meeting's invitees as the outcome named them in English: a record keys each agency's attendance by its
    English name, whatever language it was written in, so that a switch of language never loses it."""
    return stored_outcome(found, "en").strategy_meeting.invitees


def _in_page_roles(found: Screening, shown, record: MeetingMinutes) -> MeetingMinutes:
    """`record` with its attendance keyed by the invitees' names in the page's language (the outcome lists them in
    the same order in every language), for checking and showing against the outcome as shown."""
    names = {e.role: s.role for e, s in zip(_english_invitees(found), shown.strategy_meeting.invitees, strict=False)}
    shown_record = MeetingMinutes(**record)
    shown_record["attendance"] = {names.get(k, k): v for k, v in (record.get("attendance") or {}).items()}
    shown_record["absent_reasons"] = {names.get(k, k): v for k, v in (record.get("absent_reasons") or {}).items()}
    return shown_record


def _day(iso: str) -> str:
    """A stored ISO date as the page's language writes it ("1 April 2026"); "" for none."""
    return long_date(date.fromisoformat(iso[:10])) if iso else ""


def _meeting_page(found, shown, held, record, errors, editing, data=None, lacking=None):
    due_by = _meeting_due(found, shown)
    return render_template("followup/meeting.html", screening=found, o=shown, held=held, r=record,
                           data=data or meeting_form_data(record, _english_invitees(found)), errors=errors,
                           editing=editing,
                           lacking=lacking if lacking is not None else missing(_in_page_roles(found, shown, record),
                                                                               shown.strategy_meeting, due_by),
                           due_by=due_by, attendance=ATTENDANCE, decisions=DECISIONS, how_held=HOW_HELD,
                           rows=max(3, len(record.get("actions", [])) + 2), form=FlaskForm())



"""Every route, asked anything: random form fields and query strings with hostile values, as each kind of user.
The answer is never a server error (under TESTING the app raises instead of answering 500, so any one fails)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.store.models import Screening
from screening.web import create_app
from screening.web.access import declared_roles
from screening.web.context import active_ruleset
from tests.conftest import prepared_database
from tests.fuzz.conftest import FUZZ, timed
from tests.web.conftest import Practitioner, signed_in_client

CLIENT = {"safeguarding_lead": "lead", "public": "anonymous"}  # declared role -> which client plays it
ENDING = {"auth.sign_out", "admin.disable_user", "auth.policy"}  # would end (or hold up) the run's sessions
NASTY = st.sampled_from(["", " ", "943 476 5919", "B801200005001", "3", "2012", "new", "2026-02-30", "25:61",
                          "²", "①", "٣", "-1", "0", "9" * 30, "9" * 5000, "1e9", "yes", "no", "not_known",
                         "recent", "earlier", "agree", "raise", "lower", "section_47", "school", "<script>", "\x00",
                         "é", "a" * 3000, "../../etc/passwd", "/%09/evil", "%0A", "{{7*7}}", "' OR 1=1 --"])
TEXT = st.characters(blacklist_categories=("Cs",))  # any character a client can send (not a lone surrogate)
VALUES = NASTY | st.text(TEXT, max_size=20)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app with a screening in progress, and a signed-in client for each role."""
    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("fuzz")), "TESTING": True})
    clients = {role: signed_in_client(app, f"demo-{role}")
               for role in ("practitioner", "lead", "mash", "board", "trainer", "admin")}
    clients["anonymous"] = app.test_client()
    owner = Practitioner(clients["practitioner"])
    sid = owner.start()
    linked = owner.post(f"/screenings/{sid}/child", {"nhs": "943 476 5919"})
    assert linked.status_code == 302
    with app.extensions["db"].reading() as tx:
        child = tx.get(Screening, sid).child_id
    finished = Practitioner(clients["practitioner"])  # a completed child protection referral, for what follows it
    done = finished.start()
    finished.post(f"/screenings/{done}/child/skip")
    finished.required_pages(signs={"signs__disclosures": ["disclosure_sexual_abuse"],
                                   "disclosure_sexual_abuse__when": "recent"})
    finished.finish()
    with app.app_context():
        rs = active_ruleset()
    names = sorted({n for f in rs.facts.values() for n in (f.id, f"{f.id}__nk", f"{f.id}__when", f"{f.id}__keep",
                                                          *(f"{f.id}__dob_{p}" for p in ("day", "month", "year")))}
                   | {n for t in rs.themes for n in (f"signs__{t.id}", f"signs__{t.id}__checked", f"theme__{t.id}")}
                   | {"referrer_is_lead", "referrer_contact", "confirm_below_minimum", "reason__keep", "suggested",
                      "js"}
                   | {"agency", "decision", "raise_route", "raise_reason", "lower_route", "lower_reason", "lower_lead",
                      "reason", "text", "file", "route", "username", "password", "name", "role", "report", "next",
                      "days", "actor", "action", "record_id", "return", "review", "nhs", "upn", "la", "given",
                      "family", "born_day", "born_month", "born_year", "postcode", "record", "other", "from", "to",
                      "sent_day", "sent_month", "sent_year", "sent_time", "sent_how", "decided_day", "stage",
                      "held_day", "held_time", "attendance_0", "action_1_what", "action_1_due_day", "final",
                      "level", "guidance", "examples", "theme", "threshold-0", "timescale", "referrer_expects",
                      "label", "phone", "when", "what", "within", "why", "suggestions", "patterns", "acknowledge",
                      "q"})
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static" and r.endpoint not in ENDING]
    tokens = {role: _token(client) for role, client in clients.items()}
    with app.app_context():
        roles = {r.endpoint: {CLIENT.get(role, role) for role in declared_roles(r.endpoint) or ()} for r in rules}
    return {"app": app, "clients": clients, "tokens": tokens, "roles": roles, "sid": sid, "names": names,
            "child": child, "done": done,
            "rules": rules,
            "pages": [s.id for s in rs.sections],
            "vignettes": sorted(app.extensions["vignettes"])}


def _token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)


@st.composite
def requests(draw, world):
    rule = draw(st.sampled_from(world["rules"]))
    samples = {"screening_id": mostly(st.sampled_from([world["sid"], world["done"]]),
                                      st.sampled_from(["0" * 32, "x"]) | VALUES),
               "page_id": mostly(st.sampled_from(world["pages"]), VALUES),
               "vignette_id": mostly(st.sampled_from(world["vignettes"]), VALUES),
               "child_id": mostly(st.just(world["child"]), VALUES), "other_id": mostly(st.just(world["child"]), VALUES),
               "version_id": st.integers(1, 3), "number": st.integers(1, 5), "username": VALUES, "code": VALUES,
               "provider_id": VALUES,
               "kind_name": mostly(st.sampled_from(["signs", "rules", "routes", "contacts", "actions", "wording"]),
                                   VALUES),
               "item_id": mostly(st.sampled_from(["gifts_unexplained", "missing_repeated", "early_help", "1",
                                                  "call_999", "putting_self_at_risk", "gifts_money"]), VALUES),
               "name": st.sampled_from(["rules.yaml", "x.yaml"]) | VALUES}
    values = {arg: draw(samples[arg]) for arg in rule.arguments}
    if any(isinstance(v, str) and not v.strip("/") for v in values.values()):
        values = {k: (v if not isinstance(v, str) or v.strip("/") else "x") for k, v in values.items()}
    fields = draw(st.dictionaries(st.sampled_from(world["names"]) | st.text(TEXT, max_size=6), VALUES, max_size=8))
    query = draw(st.dictionaries(st.sampled_from(world["names"]), VALUES, max_size=3))
    allowed = sorted(world["roles"][rule.endpoint]) or sorted(world["clients"])
    role = draw(mostly(st.sampled_from(allowed), st.sampled_from(sorted(world["clients"]))))
    return rule, values, fields, query, role


def mostly(usual, other):
    """`usual` nine times in ten (to reach deep into each route), else `other`."""
    return st.integers(0, 9).flatmap(lambda n: usual if n else other)


@FUZZ
@given(data=st.data())
def test_no_request_is_a_server_error(world, data):
    rule, values, fields, query, role = data.draw(requests(world))
    with world["app"].test_request_context():
        url = rule.build(values, append_unknown=False)[1]
    client = world["clients"][role]
    with timed("form requests"):
        if "POST" in rule.methods:
            response = client.post(url, query_string=query, data={"csrf_token": world["tokens"][role], **fields})
        else:
            response = client.get(url, query_string={**query, **fields})
    assert response.status_code < 500, (rule.rule, values, fields, query, role)

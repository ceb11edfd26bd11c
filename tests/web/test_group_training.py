"""Group training sessions over HTTP: a trainer runs a vignette for a room, learners answer from their own devices
without an account, the projector moves from answers to spread to the rules' route; nothing about a learner but
route, reason and stage is stored, and it goes when the session closes, leaving anonymous counts per stage."""

from __future__ import annotations

import html as markup
import re

import krippendorff
import pytest
from sqlalchemy import func, inspect, select

from screening.store.models import TrainingAnswer, TrainingLearner, TrainingSession, TrainingTally
from tests.web.conftest import errors_in, signed_in_client, text_of

CASE = "older_teen"  # two stages: the rules say child in need, then section 47
LADDER = ["universal", "early_help", "child_in_need", "section_47", "immediate_protection"]


def token_of(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def plain(page: str) -> str:
    return " ".join(markup.unescape(text_of(page)).split())


def words_on_screen(page: str) -> int:
    """The words a projected page shows (its body, without scripts)."""
    body = re.search(r"<body.*?</body>", page, re.S).group(0)
    return len(plain(re.sub(r"<script.*?</script>", " ", body, flags=re.S)).split())


class Trainer:
    def __init__(self, app, username: str = "demo-trainer"):
        self.client = signed_in_client(app, username)
        self.token = token_of(self.client, f"/training/{CASE}")

    def start(self, case: str = CASE) -> str:
        started = self.client.post(f"/training/{case}/group", data={"csrf_token": self.token})
        assert started.status_code == 302
        return started.location.rsplit("/", 1)[1]

    def projector(self, code: str) -> str:
        return self.client.get(f"/training/sessions/{code}").text

    def next(self, code: str, times: int = 1) -> None:
        for _ in range(times):
            assert self.client.post(f"/training/sessions/{code}/next", data={"csrf_token": self.token}).status_code \
                == 302

    def close(self, code: str):
        return self.client.post(f"/training/sessions/{code}/close", data={"csrf_token": self.token})


class Learner:
    """Someone in the room on their own phone: no account, only the join code."""

    def __init__(self, app, code: str, typed: str | None = None):
        self.client = app.test_client()
        self.code = code
        self.token = token_of(self.client, "/join")
        joined = self.client.post("/join", data={"csrf_token": self.token, "code": typed or code})
        assert joined.status_code == 302 and joined.location == f"/join/{code}"

    def answer(self, route: str | None, reason: str = "", keep: bool = False):
        data = {"csrf_token": self.token, "reason": reason, **({"route": route} if route else {}),
                **({"reason__keep": "y"} if keep else {})}
        return self.client.post(f"/join/{self.code}", data=data)

    def page(self) -> str:
        return plain(self.client.get(f"/join/{self.code}").text)


@pytest.fixture
def trainer(app):
    return Trainer(app)


def room(app, trainer, routes: list[str], reasons: list[str] | None = None) -> tuple[str, list[Learner]]:
    code = trainer.start()
    learners = [Learner(app, code) for _ in routes]
    for learner, route, reason in zip(learners, routes, reasons or [""] * len(routes), strict=True):
        assert learner.answer(route, reason).status_code == 302
    return code, learners


def rows(app, model) -> list:
    with app.extensions["db"].reading() as tx:
        return list(tx.scalars(select(model)))


def test_a_room_answers_and_the_projector_shows_answers_then_spread_then_the_rules_route(app, trainer):
    code = trainer.start()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    first = plain(trainer.projector(code))
    assert "Repeat visits to the clinic" in first and code in first and "0 of 0 answered" in first
    learners = [Learner(app, code, typed=f" {code[:3].lower()} {code[3:]} "), Learner(app, code), Learner(app, code)]
    assert "0 of 3 answered" in plain(trainer.client.get(f"/training/sessions/{code}/live").text)
    for learner, route, reason in zip(learners, ["early_help", "child_in_need", "child_in_need"],
                                      ["Not enough known yet", "", "Repeat visits add up"], strict=True):
        assert "Which route would you choose now?" in learner.page()
        assert learner.answer(route, reason).status_code == 302
        assert "Your answer is in" in learner.page()
    assert "3 of 3 answered" in plain(trainer.client.get(f"/training/sessions/{code}/live").text)
    assert "3 of 3 answered" in plain(trainer.projector(code))

    trainer.next(code)
    spread = plain(trainer.projector(code))
    assert "What the room chose" in spread and "3 of 3 answered" in spread
    assert "Universal 0 " in spread and "Early help 1 " in spread and "Child in need 2 " in spread
    assert "Your answer is in" in learners[0].page()

    trainer.next(code)
    revealed = plain(trainer.projector(code))
    assert "the rules recommend Child in need" in revealed and "1 of 3 chose a lower route than the rules" in revealed
    assert "Not enough known yet" in revealed and "Repeat visits add up" in revealed
    assert "The rules recommend: Child in need" in learners[1].page()

    trainer.next(code)
    assert app.extensions["vignettes"][CASE].stages[0].learning_points[0].text in plain(trainer.projector(code))
    trainer.next(code)
    assert "Seen alone at last" in plain(trainer.projector(code))
    assert "0 of 3 answered" in plain(trainer.projector(code))
    assert "Which route would you choose now?" in learners[0].page()


def test_the_projector_never_shows_more_than_250_words(app, trainer):
    """1280 x 720 read from the back of a room: every screen of every case, the room's longest reasons included."""
    reason = "x" * 40 + " " + "word " * 20
    for vignette in app.extensions["vignettes"].values():
        code = trainer.start(vignette.id)
        learners = [Learner(app, code) for _ in range(5)]
        for stage in vignette.stages:
            for learner, route in zip(learners, LADDER, strict=True):
                learner.answer(route, reason[:150], keep=True)
            for _ in range(4):
                page = trainer.projector(code)
                assert words_on_screen(page) <= 250, (vignette.id, stage.number, words_on_screen(page))
                trainer.next(code)
        assert words_on_screen(trainer.projector(code)) <= 250, (vignette.id, "end")
        assert trainer.close(code).status_code == 302


def test_nothing_but_route_reason_and_stage_is_stored_about_a_learner_and_it_goes_when_the_session_closes(
        app, trainer):
    with app.extensions["db"].reading() as tx:
        columns = {table: {c["name"] for c in inspect(tx.get_bind()).get_columns(table)}
                   for table in ("training_learners", "training_answers")}
    assert columns == {"training_learners": {"id", "session_id", "learner"},
                       "training_answers": {"id", "session_id", "learner", "stage", "route", "reason"}}
    code, learners = room(app, trainer, ["early_help", "child_in_need", "section_47"], ["Too soon", "", ""])
    with learners[0].client.session_transaction() as cookie:
        assert set(cookie["learner"]) == {"code", "id"} and re.fullmatch(r"[0-9a-f]{32}", cookie["learner"]["id"])
        learner_id = cookie["learner"]["id"]
    answers = rows(app, TrainingAnswer)
    assert sorted((a.stage, a.route, a.reason) for a in answers) == [
        (1, "child_in_need", ""), (1, "early_help", "Too soon"), (1, "section_47", "")]
    assert learner_id in {a.learner for a in answers} and len(rows(app, TrainingLearner)) == 3

    trainer.next(code, 4)  # stage 2
    learners[0].answer("section_47")
    closed = trainer.close(code)
    assert closed.status_code == 302 and closed.location == f"/training/agreement#case-{CASE}"
    assert rows(app, TrainingAnswer) == rows(app, TrainingLearner) == rows(app, TrainingSession) == []
    tallies = {(t.vignette_id, t.stage, t.rules_route): (t.routes, t.sessions, t.learners)
               for t in rows(app, TrainingTally)}
    assert tallies == {(CASE, 1, "child_in_need"): ({"early_help": 1, "child_in_need": 1, "section_47": 1}, 1, 3),
                       (CASE, 2, "section_47"): ({"section_47": 1}, 1, 1)}
    assert "There is no training session with this code" in learners[0].page()


def test_a_second_session_adds_to_the_counts(app, trainer):
    for routes in (["early_help", "child_in_need"], ["child_in_need", "child_in_need", "universal"]):
        code, _ = room(app, trainer, routes)
        trainer.close(code)
    (first,) = [t for t in rows(app, TrainingTally) if t.stage == 1]
    assert (first.routes, first.sessions, first.learners) == (
        {"early_help": 1, "child_in_need": 3, "universal": 1}, 2, 5)


def test_agreement_is_suppressed_below_5_learners_and_matches_the_package_from_5(app, trainer):
    code, _ = room(app, trainer, ["early_help", "child_in_need", "child_in_need", "section_47"])
    trainer.next(code, 4)
    trainer.close(code)
    page = plain(trainer.client.get("/training/agreement").text)
    assert "Agreement across the stages is not shown: fewer than 5 learners answered" in page
    assert "Not shown: fewer than 5 learners" in page and "Krippendorff" not in page

    code, learners = room(app, trainer, ["child_in_need"])
    trainer.next(code, 4)
    for learner, route in zip([*learners, *(Learner(app, code) for _ in range(3))],
                              ["section_47", "section_47", "child_in_need", "section_47"], strict=True):
        learner.answer(route)
    trainer.next(code, 4)
    ended = plain(trainer.projector(code))
    assert "How consistently the room read the case" in ended
    trainer.close(code)
    stage_1 = [0, 1, 3, 1, 0]  # universal .. immediate protection, both sessions
    stage_2 = [0, 0, 1, 3, 0]
    expected = krippendorff.alpha(value_counts=[stage_1, stage_2], level_of_measurement="ordinal")
    page = plain(trainer.client.get("/training/agreement").text)
    assert f"(Krippendorff's alpha, ordinal): {expected:.2f}" in page
    assert "Early help: 1; Child in need: 3; Child protection: 1" in page
    assert "80%" in page and "5 (2)" in page  # 4 of 5 at or above child in need; 5 learners from 2 sessions
    assert "Not shown: fewer than 5 learners" in page  # stage 2: 4 learners


def test_the_dashboard_shows_the_same_agreement(app, trainer):
    code, _ = room(app, trainer, ["early_help"] * 5)
    trainer.close(code)
    board = plain(signed_in_client(app, "demo-board").get("/dashboard").text)
    assert "How consistently practitioners read the same case" in board
    assert "Chloe, 17" in board and "Early help: 5" in board and "0%" in board
    assert "cannot be measured: it needs two or more stages each answered by two or more learners" in board


def test_a_reason_gets_the_wording_check_and_can_be_kept(app, trainer):
    code = trainer.start()
    learner = Learner(app, code)
    checked = learner.answer("early_help", "She is sexually active with him")
    assert checked.status_code == 200 and "Check the wording of your reason" in plain(checked.text)
    assert rows(app, TrainingAnswer) == []
    assert learner.answer("early_help", "She is sexually active with him", keep=True).status_code == 302
    assert [a.reason for a in rows(app, TrainingAnswer)] == ["She is sexually active with him"]


def test_bad_input_is_a_message_beside_the_field_and_nothing_is_saved(app, trainer):
    code = trainer.start()
    learner = Learner(app, code)
    missing = learner.answer(None)
    assert missing.status_code == 400 and errors_in(missing.text) == ["Select the route your group chose"]
    too_long = learner.answer("universal", "x" * 151)
    assert too_long.status_code == 400 and errors_in(too_long.text) == ["The reason must be 150 characters or fewer"]
    unknown = learner.answer("not_a_route")
    assert unknown.status_code == 400
    assert rows(app, TrainingAnswer) == []
    client = app.test_client()
    token = token_of(client, "/join")
    for typed, message in (("", "Enter the code shown at the front of the room"),
                           ("ZZZZZZ", "There is no training session with this code")):
        response = client.post("/join", data={"csrf_token": token, "code": typed})
        assert response.status_code == 400 and errors_in(response.text)[0].startswith(message)
    assert client.get("/join/NOPE99").status_code == 404


def test_answers_after_the_room_has_moved_on_are_not_taken(app, trainer):
    code = trainer.start()
    learner = Learner(app, code)
    trainer.next(code)
    assert learner.answer("universal").status_code == 302
    assert rows(app, TrainingAnswer) == [] and "The room has moved on" in learner.page()


def test_a_browser_that_has_not_joined_is_asked_to_join_first(app, trainer):
    code = trainer.start()
    stranger = app.test_client()
    assert "Join the session" in plain(stranger.get(f"/join/{code}").text)
    token = token_of(stranger, "/join")
    assert stranger.post(f"/join/{code}", data={"csrf_token": token, "route": "universal"}).location == f"/join/{code}"
    assert rows(app, TrainingAnswer) == []
    assert stranger.post(f"/join/{code}/in", data={"csrf_token": token}).location == f"/join/{code}"
    assert len(rows(app, TrainingLearner)) == 1


def test_several_sessions_run_at_once_and_each_trainer_runs_only_their_own(app, trainer):
    first, second = trainer.start(), trainer.start("julia")
    assert first != second
    Learner(app, first).answer("universal")
    Learner(app, second).answer("section_47")
    Learner(app, second).answer("section_47")
    assert "1 of 1 answered" in plain(trainer.projector(first))
    assert "2 of 2 answered" in plain(trainer.projector(second))
    lead = Trainer(app, "demo-lead")
    assert lead.client.get(f"/training/sessions/{first}").status_code == 404
    assert lead.client.post(f"/training/sessions/{first}/close", data={"csrf_token": lead.token}).status_code == 404
    with app.extensions["db"].reading() as tx:
        assert tx.scalar(select(func.count()).select_from(TrainingSession)) == 2


def test_the_qr_code_is_an_svg_drawn_by_the_server(app, trainer):
    code = trainer.start()
    qr = trainer.client.get(f"/training/sessions/{code}/join-code.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and qr.text.startswith("<svg")
    assert f"Join code {code}" in qr.text
    assert f'src="/training/sessions/{code}/join-code.svg"' in trainer.projector(code)


def test_pages_have_no_inline_script_and_load_the_live_updates(app, trainer):
    code = trainer.start()
    learner = Learner(app, code)
    for page in (trainer.projector(code), learner.client.get(f"/join/{code}").text):
        assert not re.search(r"<script(?![^>]*\bsrc=)", page) and " style=" not in page
        assert '<script type="module" src="/assets/js/training-live.js"></script>' in page
    assert learner.client.get("/assets/js/training-live.js").status_code == 200

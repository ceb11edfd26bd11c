"""The training pages in Welsh (ADR 0028, issue 35): a trainer's library, a case's stage and its reveal, the
summary and the facilitator notes, a live session's projector from start to end, and a learner joining and
answering without an account, each with `<html lang="cy">`, the pages' own words in Welsh, the vignette's own text
in Welsh, and none of the English left; the same pages in English are unchanged."""

from __future__ import annotations

import html
import re

import pytest

from tests.web.conftest import heading_of as heading
from tests.web.conftest import lang_of as lang
from tests.web.conftest import signed_in_client
from tests.web.conftest import words_of as words

CASE = "older_teen"  # two stages: the rules say child in need, then section 47; its Welsh is in its `cy:` section
WELSH_TITLE = 'Chloe, 17: "dim ond ei chariad hi yw e"'
WELSH_STAGE = "Ymweliadau dro ar ôl tro â'r clinig"
WELSH_NARRATIVE = "Dyma ei phedwerydd ymweliad â'r clinig iechyd rhywiol eleni"





def title(page: str) -> str:
    return words(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def token(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def welsh(page: str, *english: str) -> str:
    """The page's words, having checked it is Welsh and shows none of `english`."""
    shown = words(page)
    assert lang(page) == "cy"
    left = [phrase for phrase in english if phrase in shown]
    assert not left, f"English left on a Welsh page: {left}"
    return shown


class Trainer:
    def __init__(self, app, language: str):
        self.client = signed_in_client(app, "demo-trainer")
        assert self.client.get(f"/language/{language}?next=/training/").status_code == 302
        self.token = token(self.client, f"/training/{CASE}")

    def post(self, url: str, **data: str):
        return self.client.post(url, data={"csrf_token": self.token, **data})

    def get(self, url: str) -> str:
        found = self.client.get(url)
        assert found.status_code == 200, url
        return found.text


class Learner:
    """Someone in the room on their own phone, no account; their browser asks for `language`."""

    def __init__(self, app, language: str):
        self.client = app.test_client()
        self.client.set_cookie("language", language)
        self.token = token(self.client, "/join")

    def join(self, code: str) -> None:
        assert self.client.post("/join", data={"csrf_token": self.token, "code": code}).location == f"/join/{code}"

    def answer(self, code: str, route: str, reason: str = ""):
        return self.client.post(f"/join/{code}", data={"csrf_token": self.token, "route": route, "reason": reason})

    def page(self, code: str) -> str:
        return self.client.get(f"/join/{code}").text


@pytest.fixture
def trainer(app):
    return Trainer(app, "cy")


def test_the_library_and_a_case_introduction_in_welsh(trainer):
    library = trainer.get("/training/")
    assert heading(library) == "Achosion hyfforddi" and title(library).startswith("Achosion hyfforddi – ")
    shown = welsh(library, "Training cases", "Staged case studies", "Facilitator notes", "give the answers away",
                  "stages.", "How consistently practitioners")
    assert WELSH_TITLE in shown and "2 gam." in shown and "3 cham." in shown  # a number mutates its noun
    assert "Nodiadau'r hwylusydd ar gyfer " + WELSH_TITLE in shown  # the link's hidden words too
    assert "Mae dysgwyr yn ymuno yn http://localhost/join gyda'r cod" in shown

    intro = trainer.get(f"/training/{CASE}")
    assert heading(intro) == WELSH_TITLE
    shown = welsh(intro, "How it works", "Start the case", "Start a group session", "With the whole room",
                  "stages in all")
    assert "(2 gam i gyd)" in shown and "Dechrau'r achos" in shown and "Dechrau sesiwn grŵp" in shown


def test_a_stage_its_errors_its_reveal_and_the_summary_in_welsh(trainer):
    assert trainer.post(f"/training/{CASE}/start").status_code == 302
    stage = trainer.get(f"/training/{CASE}/stages/1")
    assert heading(stage) == WELSH_STAGE
    shown = welsh(stage, "Which route would your group choose", "Agree as a group", "Why? (optional)",
                  "Reveal what the rules recommend", ": stage 1 of 2")
    assert f"{WELSH_TITLE}: cam 1 o 2" in shown and WELSH_NARRATIVE in shown
    assert "Pa lwybr fyddai eich grŵp yn ei ddewis nawr?" in shown and "hyd at 200 nod" in shown
    assert "Plentyn mewn angen" in shown  # the rule set's routes, in Welsh

    refused = trainer.post(f"/training/{CASE}/stages/1", reason="x" * 201)
    assert refused.status_code == 400 and title(refused.text).startswith("Gwall: ")
    shown = welsh(refused.text, "Select the route", "characters or fewer", "Error:")
    assert "Dewiswch y llwybr a ddewisodd eich grŵp" in shown and "Ni chaiff y rheswm fod yn fwy na 200 nod" in shown

    assert trainer.post(f"/training/{CASE}/stages/1", route="universal", reason="dim digon").status_code == 302
    reveal = trainer.get(f"/training/{CASE}/stages/1/reveal")
    assert heading(reveal) == f"Beth mae'r rheolau'n ei argymell: {WELSH_STAGE}"
    shown = welsh(reveal, "What the rules recommend", "Your group's answer", "Your group chose",
                  "Compared with the rules", "Below the rules' route", "Why: the rules that fired", "that fired",
                  "Learning points", "Continue to stage", "Risk level", "Source:", "Sets at least")
    assert "Lefel risg: Ambr" in shown and "Nid atgyfeiriad amddiffyn plant yw hwn" in shown
    assert "Yn is na llwybr y rheolau" in shown and "Dewisodd eich grŵp lwybr is na'r rheolau." in shown
    assert re.search(r"Y \d+ rheol a gafodd eu sbarduno", shown) and "Ymlaen i gam 2" in shown

    second = trainer.get(f"/training/{CASE}/stages/2")
    assert f"Yn gynharach yn yr achos Cam 1: {WELSH_STAGE}" in welsh(second, "Earlier in the case", "Stage 1:")
    assert trainer.post(f"/training/{CASE}/stages/2", route="immediate_protection").status_code == 302
    summary = trainer.get(f"/training/{CASE}/summary")
    assert heading(summary) == "Crynodeb eich grŵp"
    shown = welsh(summary, "Your group's summary", "Over 2 stages", "Stage by stage", "Questions for discussion",
                  "Run this case again", "Back to the training cases", "once", "no times")
    assert ("Dros 2 gam, dewisodd eich grŵp yr un llwybr â'r rheolau dim un waith, llwybr is unwaith a llwybr uwch "
            "unwaith.") in shown
    assert "Cwestiynau i'w trafod" in shown and "Rhedeg yr achos hwn eto" in shown


def test_the_facilitator_notes_in_welsh(trainer):
    notes = trainer.get(f"/training/{CASE}/notes")
    assert heading(notes) == WELSH_TITLE and title(notes).startswith(f"Nodiadau'r hwylusydd: {WELSH_TITLE} – ")
    shown = welsh(notes, "For the facilitator", "What the group is told", "Expected route",
                  "Rules expected to fire", "Learning points for", "print command", "Training material printed")
    assert f"Cam 1: {WELSH_STAGE}" in shown and "Llwybr disgwyliedig" in shown and "I'r hwylusydd" in shown


def test_a_live_session_in_welsh_on_the_projector_and_a_learners_phone(app, trainer):
    learner = Learner(app, "cy")
    join = learner.client.get("/join").text
    assert heading(join) == "Ymuno â sesiwn hyfforddi"
    assert "Rhowch y cod sydd i'w weld ym mlaen yr ystafell." in welsh(join, "Join a training session",
                                                                        "You do not need an account")
    refused = learner.client.post("/join", data={"csrf_token": learner.token, "code": ""})
    assert refused.status_code == 400 and title(refused.text).startswith("Gwall: ")
    assert "Rhowch y cod sydd i'w weld ym mlaen yr ystafell" in welsh(refused.text, "Enter the code", "Error:")

    code = trainer.post(f"/training/{CASE}/group").location.rsplit("/", 1)[1]
    confirm = learner.page(code)
    assert heading(confirm) == WELSH_TITLE
    shown = welsh(confirm, "Join the session", "Training session", "Nothing about you is kept")
    assert f"Sesiwn hyfforddi {code}" in shown and "Ymuno â'r sesiwn" in shown

    learner.join(code)
    asked = learner.page(code)
    assert heading(asked) == WELSH_STAGE
    shown = welsh(asked, "Which route would you choose", "Send my answer", "A few words", ": stage 1 of 2")
    assert WELSH_NARRATIVE in shown and "Pa lwybr fyddech chi'n ei ddewis nawr?" in shown and "150 nod" in shown

    projector = trainer.get(f"/training/sessions/{code}")
    assert heading(projector) == WELSH_STAGE and f"Sesiwn grŵp {code}" in title(projector)
    shown = welsh(projector, "Join at", "with code", "Show the answers", "Refresh", "answered", "of 2.")
    assert f"{WELSH_TITLE}: cam 1 o 2. Ymunwch yn http://localhost/join gyda'r cod {code}" in shown
    assert "0 o 1 wedi ateb" in shown and WELSH_NARRATIVE in shown
    alt = html.unescape(re.search(r'<img class="app-projector__qr"[^>]* alt="([^"]+)"', projector).group(1))
    assert alt == f"Cod QR sy'n agor y dudalen ymuno ar gyfer y cod {code}"

    assert learner.answer(code, "universal", "dim ond ymweliadau").status_code == 302
    answered = learner.page(code)
    assert heading(answered) == "Mae eich ateb wedi cyrraedd"
    assert "Dewisoch chi: Cyffredinol" in welsh(answered, "Your answer is in", "You chose", "Look at the screen")
    assert "1 o 1 wedi ateb" in words(trainer.client.get(f"/training/sessions/{code}/live").text)

    assert trainer.post(f"/training/sessions/{code}/next").status_code == 302
    spread = trainer.get(f"/training/sessions/{code}")
    assert heading(spread) == f"Beth ddewisodd yr ystafell: {WELSH_STAGE}"
    assert "Llwybr Dysgwyr Cyfran" in welsh(spread, "What the room chose", "Reveal the rules' route", "Learners")

    assert trainer.post(f"/training/sessions/{code}/next").status_code == 302
    revealed = trainer.get(f"/training/sessions/{code}")
    shown = welsh(revealed, "the rules recommend", "chose a lower route", "The room's reasons", "Learning points")
    assert "Dewisodd 1 o 1 lwybr is na'r rheolau." in shown and "Cyffredinol: dim ond ymweliadau" in shown
    assert "Mae'r rheolau'n argymell: Plentyn mewn angen" in words(learner.page(code))

    assert trainer.post(f"/training/sessions/{code}/next").status_code == 302
    learning = trainer.get(f"/training/sessions/{code}")
    assert heading(learning) == "Pwyntiau dysgu"
    assert "Y cam nesaf" in welsh(learning, "the rules recommend", "Next stage", "Learning points")

    assert trainer.post(f"/training/sessions/{code}/next").status_code == 302
    assert learner.answer(code, "section_47").status_code == 302
    for _ in range(4):
        assert trainer.post(f"/training/sessions/{code}/next").status_code == 302
    ended = trainer.get(f"/training/sessions/{code}")
    assert heading(ended) == "Pa mor gyson y darllenodd yr ystafell yr achos"
    shown = welsh(ended, "How consistently", "is not shown", "Stage by stage", "The rules' route",
                  "fewer than", "Close the session", "Closing the session")
    assert "Nid yw'r cytundeb ar draws y camau yn cael ei ddangos: atebodd llai na 5 dysgwr." in shown
    assert "Heb ei ddangos: llai na 5 dysgwr" in shown and "Cau'r sesiwn" in shown
    over = learner.page(code)
    assert heading(over) == "Mae'r achos wedi dod i ben"
    assert "Diolch." in welsh(over, "The case is over", "Thank you", "Check for the next stage")

    assert trainer.post(f"/training/sessions/{code}/close").status_code == 302
    agreement = trainer.get("/training/agreement")
    assert heading(agreement) == "Pa mor gyson mae ymarferwyr yn darllen yr un achos"
    shown = welsh(agreement, "From group training sessions", "Figures from fewer", "session.", "Learners (sessions)")
    assert f"{WELSH_TITLE} 1 sesiwn." in shown and "llai na 5 (1)" in shown


def test_the_same_pages_in_english_are_unchanged(app):
    trainer = Trainer(app, "en")
    library = trainer.get("/training/")
    assert lang(library) == "en" and heading(library) == "Training cases"
    shown = words(library)
    assert "2 stages. Facilitator notes for Chloe, 17: \"it's just her boyfriend\" (these give the answers away)." \
        in shown
    assert "Learners join at http://localhost/join with the code it shows." in shown

    assert trainer.post(f"/training/{CASE}/start").status_code == 302
    assert trainer.post(f"/training/{CASE}/stages/1", route="universal").status_code == 302
    reveal = words(trainer.get(f"/training/{CASE}/stages/1/reveal"))
    assert "Your group chose" in reveal and "Below the rules' route" in reveal and "None given" in reveal
    assert re.search(r"The \d+ rules that fired, with the answers and sources", reveal)
    assert "Continue to stage 2" in reveal and "Ymlaen" not in reveal

    learner = Learner(app, "en")
    code = trainer.post(f"/training/{CASE}/group").location.rsplit("/", 1)[1]
    learner.join(code)
    projector = trainer.get(f"/training/sessions/{code}")
    assert lang(projector) == "en"
    assert ": stage 1 of 2. Join at http://localhost/join with code " + code in words(projector)
    assert "0 of 1 answered" in words(projector) and "Show the answers" in words(projector)
    asked = learner.page(code)
    assert lang(asked) == "en" and "Which route would you choose now?" in words(asked)
    assert "A few words, up to 150 characters." in words(asked) and "Chloe, 17: \"it's just her boyfriend\"" in \
        words(asked)

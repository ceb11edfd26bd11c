"""The victim-blaming language list: the default entries, the pattern syntax, located errors and the CLI."""

import json

import pytest
from click.testing import CliRunner

import screening
from screening.cli import main
from screening.language import LanguageEntry, PatternError, check_language, compile_phrase
from tests.conftest import DEFAULT, TINY

# (sentence, entry id, the text found exactly as written), or (sentence, [(id, text), ...]) for several
FLAGGED = [
    ("She consented to it.", "consent", "She consented"),
    ("Mum says she gave consent.", "consent", "gave consent"),
    ("She consents to the relationship.", "consent", "She consents"),
    ("She goes with men for money.", "exchanging_sex", "goes with men for money"),
    ("She wanted to go with them.", "consent", "wanted to go with them"),
    ("She has been sexually active since she was 11 or 12.", "sexually_active", "sexually active"),
    ("SHE IS SEXUALLY ACTIVE", "sexually_active", "SEXUALLY ACTIVE"),
    ("Mum thinks she is sexually-active!", "sexually_active", "sexually-active"),
    ("She is sexually experienced for a 12-year-old.", "sexually_active", "sexually experienced"),
    ("She is known to be promiscuous.", "promiscuous", "promiscuous"),
    ("She keeps putting herself at risk by going to the flat.", "putting_self_at_risk",
     "putting herself at risk"),
    ("He puts himself in danger every weekend.", "putting_self_at_risk", "puts himself in danger"),
    ("She is putting herself at serious risk of harm.", "putting_self_at_risk",
     "putting herself at serious risk"),
    ("He keeps putting himself in harm’s way.", "putting_self_at_risk", "putting himself in harm’s way"),
    ("They placed themselves in dangerous situations.", "putting_self_at_risk",
     "placed themselves in dangerous situations"),
    ("She makes herself available to them.", "makes_self_available", "makes herself available"),
    ("She is in a relationship with a 24-year-old man.", "in_a_relationship", "in a relationship with"),
    ("She is in a sexual relationship with her uncle.", "in_a_relationship", "in a sexual relationship with"),
    ("She is dating an older man.", "in_a_relationship", "dating an older man"),
    ("Her 24-year-old boyfriend collects her from school.", "boyfriend_adult", "24-year-old boyfriend"),
    ("Her boyfriend is 19.", "boyfriend_adult", "boyfriend is 19"),
    ("Her boyfriend is in his twenties.", "boyfriend_adult", "boyfriend is in his twenties"),
    ("The boy has an older girlfriend.", "older_boyfriend", "older girlfriend"),
    ("She has an older boyfriend who drives.", "older_boyfriend", "older boyfriend"),
    ("She has been hanging around with older men.", "associating_with", "hanging around with older men"),
    ("She is associating with known offenders.", "associating_with", "associating with known offenders"),
    ("She spends a lot of time with a group of older men at the takeaway.", "associating_with",
     "spends a lot of time with a group of older men"),
    ("She said it was consensual.", "consent", "consensual"),
    ("She consented to sex with him.", "consent", "She consented"),
    ("She agreed to have sex.", "consent", "agreed to have sex"),
    ("It is her lifestyle choice.", "lifestyle_choice", "lifestyle choice"),
    ("She chose this lifestyle.", "lifestyle_choice", "chose this lifestyle"),
    ("She is making her own choices.", "own_choices", "making her own choices"),
    ("She went of her own free will.", "own_choices", "of her own free will"),
    ("She is making risky choices.", "risky_choices", "risky choices"),
    ("She makes bad decisions.", "risky_choices", "bad decisions"),
    ("She is engaging in risky behaviour.", "risky_behaviour", "risky behaviour"),
    ("She was prostituting herself.", "prostitution", "prostituting"),
    ("She is a child prostitute.", "prostitution", "child prostitute"),
    ("She is not a prostitute.", "prostitution", "prostitute"),  # wrong for any child, even negated
    ("She is a sex worker.", "sex_worker", "sex worker"),
    ("He is a rent boy.", "sex_worker", "rent boy"),
    ("She is selling sex for drugs.", "selling_sex", "selling sex"),
    ("She exchanges sex for a place to stay.", "exchanging_sex", "exchanges sex for"),
    ("She has a sugar daddy.", "exchanging_sex", "sugar daddy"),
    ("She was offered drugs in return for sex.", "drugs_for_sex", "offered drugs in return for sex"),
    ("She was given cannabis in exchange for sexual favours.", "drugs_for_sex",
     "given cannabis in exchange for sexual favours"),
    ("She sent explicit pictures to a man she met online.", "explicit_images", "sent explicit pictures"),
    ("She has been sending nudes to a man on Instagram.", "explicit_images", "sending nudes"),
    ("The boy sent nude images to a man.", "explicit_images", "sent nude images"),
    ("She has been contacting adult men online.", "contacting_adults_online", "contacting adult men"),
    ("She is talking to older men on Snapchat.", "contacting_adults_online", "talking to older men"),
    ("She is very streetwise.", "streetwise", "streetwise"),
    ("He is street-wise.", "streetwise", "street-wise"),
    ("The police said she was a willing participant.", "wilful_willing", "willing participant"),
    ("She went with them willingly.", "wilful_willing", "went with them willingly"),
    ("She knows exactly what she's doing.", "knows_what_doing", "knows exactly what she's doing"),
    ("She says she is aware of the risks.", "knows_what_doing", "is aware of the risks"),
    ("She was asking for it.", "asking_for_it", "was asking for it"),
    ("She brought it on herself.", "asking_for_it", "brought it on herself"),
    ("She liked the attention.", "liked_attention", "liked the attention"),
    ("She has been sleeping around.", "sleeping_around", "sleeping around"),
    ("She is clipping men at the station.", "clipping", "clipping men"),
    ("This is a CSE lifestyle.", "cse_lifestyle", "CSE lifestyle"),
    ("She is entrenched in CSE.", "cse_lifestyle", "entrenched in CSE"),
    ("She absconded from the children's home.", "absconding", "absconded"),
    ("She chose to go missing.", "absconding", "chose to go missing"),
    ("She refuses to engage with services.", "non_compliant", "refuses to engage"),
    ("The child is non-compliant with the plan.", "non_compliant", "non-compliant"),
    ("She is manipulative.", "manipulative", "manipulative"),
    ("She is attention seeking.", "attention_seeking", "attention seeking"),
    ("She does it for attention.", "attention_seeking", "does it for attention"),
    ("She is a 15-year-old young woman.", "adultification", "15-year-old young woman"),
    ("She is mature beyond her years.", "adultification", "mature beyond her years"),
    ("She chose to get pregnant.", "pregnancy_choice", "chose to get pregnant"),
    ("She dresses provocatively.", "provocative_dress", "dresses provocatively"),
    ("She is not credible.", "not_credible", "not credible"),
    ("She is making this up.", "not_credible", "making this up"),
    ("She brought younger girls to the party.", "recruiting_others", "brought younger girls"),
    ("She has had sex with several men.", "sexual_activity_with", "has had sex with"),
    ("She had sex with them.", "sexual_activity_with", "had sex with"),
    ("She told me she had sex with them.", "sexual_activity_with", "had sex with"),  # the child as the one acting
    ("She was engaging in sexual activity with a 30-year-old man.", "sexual_activity_with",
     "engaging in sexual activity with"),
    ("She is promiscuous and sexually active.",
     [("promiscuous", "promiscuous"), ("sexually_active", "sexually active")]),
    ("She is not. Sexually active is what mum says.", "sexually_active", "Sexually active"),  # a new sentence
    ("He is a drug runner for the olders.", "criminal_labels", "drug runner"),
    ("Police describe her as a dealer.", "criminal_labels", "a dealer"),
    ("He is a gang member.", "criminal_labels", "is a gang member"),
    ("He has been working for the gang since May.", "working_for_exploiters", "working for the gang"),
    ("She joined the county line last year.", "working_for_exploiters", "joined the county line"),
]

NOT_FLAGGED = [
    "She did not consent.",
    "He has not given his consent to the police interview.",
    "She is not sexually active.",
    "There is no suggestion that she is sexually active.",
    "There is no suggestion she is promiscuous.",
    "She did not put herself at risk; she was targeted.",
    "He is not in a relationship with her; he is exploiting her.",
    "He is not her boyfriend, he is a 25-year-old man who is grooming her.",
    "She is in a relationship with a boy her own age.",
    "She has a good relationship with her social worker.",
    "Her boyfriend, who is 15, goes to the same school.",
    "Mum's boyfriend is 35.",
    "She has been with her boyfriend for 18 months.",
    "The partner agencies met on Monday.",
    "She is a young woman who is well liked.",
    "She consented to the referral being made.",
    "She could not consent to sex.",
    "It was not consensual.",
    "The sex was non-consensual.",
    "Whether she was able to consent to sexual activity is unclear.",
    "She is under the age of consent.",
    "He was convicted of wilful neglect.",
    "She was not a willing participant.",
    "She is willing to talk to the school nurse.",
    "He is selling himself short.",
    "He sent her explicit pictures.",
    "He pressured her to send nude photos.",
    "Boys at school shared nude images of her.",
    "Older men have been contacting her online.",
    "She is not streetwise at all.",
    "She doesn't know what she is doing.",
    "Mum is aware of the risks.",
    "She asked for it back.",
    "No child is ever asking for it.",
    "Her hair clipping was found in the car.",
    "Mum refuses to engage with services.",
    "Parental non-engagement has been a concern for years.",
    "She is not engaging in sexual activity.",
    "He is very manipulative towards her.",
    "She is being manipulated by him.",
    "This was an unplanned pregnancy.",
    "We are supporting her to make her own choices about college.",
    "She spends time with her grandmother.",
    "The men brought other girls to the flat.",
    "Her account is credible.",
    "There is nothing to suggest she made it up.",
    "The school made a poor decision.",
    "She was dressed inappropriately for the weather.",
    "She is being sexually exploited by a 25-year-old man.",
    "She went missing on Friday and was found at an address of concern.",
    "The concern is about sexual activity with adults.",
    "She is 14 and was raped by a 30-year-old man.",
    "He was charged with sexual activity with a child.",
    "The men made her have sex with them.",  # the men are the ones acting
    "Two men forced him to have sex with them.",
    "She was forced to have sex with several men.",
    "He pressured her into having sex with his friends.",
    "Someone has pressured, tricked or paid the child to send sexual images.",
    "We followed the UKCIS guidance on sharing nudes and semi-nudes.",
    "She has been asked, or pressured, to bring other children to adults.",
    "A man got him to send an image of himself.",  # the man is the one acting
    "They got her to send nudes and then shared them.",
    "She owes money to a dealer.",
    "Adult dealers groomed him and made him work for the gang.",
    "He was forced to join the county line.",
    "She is a fast runner and plays for the county.",
    "He is not a dealer; he is being exploited.",
    "",
]


@pytest.fixture(scope="module")
def language():
    return screening.load_ruleset(DEFAULT).language


def expected(row) -> list[tuple[str, str]]:
    return row[1] if len(row) == 2 else [(row[1], row[2])]


@pytest.mark.parametrize("row", FLAGGED, ids=[row[0][:50] for row in FLAGGED])
def test_flagged(language, row):
    sentence = row[0]
    findings = check_language(language, sentence)
    assert [(f.id, f.text) for f in findings] == expected(row)
    for f in findings:
        assert sentence[f.start:f.end] == f.text
        assert f.why and 1 <= len(f.suggestions) <= 3


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_not_flagged(language, sentence):
    assert check_language(language, sentence) == []


def test_the_tables_are_big_enough_and_exercise_every_entry(language):
    assert len(FLAGGED) >= 40 and len(NOT_FLAGGED) >= 20
    assert len(language) >= 25
    assert {id_ for row in FLAGGED for id_, _ in expected(row)} == {e.id for e in language}


def test_every_default_entry_explains_and_suggests(language):
    for entry in language:
        assert entry.why.strip() and entry.reference.strip(), entry.id
        assert 1 <= len(entry.suggestions) <= 3, entry.id


def test_spans_point_into_the_original_text_of_a_longer_note(language):
    note = ("Seen at A&E on 3 May.\n\nShe is 13. Staff say she is sexually active and that she is\n"
            "putting herself at risk; her 'boyfriend' is 22.")
    findings = check_language(language, note)
    assert [(f.id, note[f.start:f.end]) for f in findings] == [
        ("sexually_active", "sexually active"),
        ("putting_self_at_risk", "putting herself at risk"),
        ("boyfriend_adult", "boyfriend' is 22"),
    ]


def test_wording_in_double_quotes_is_marked_as_quoted(language):
    note = 'She said “I am his girlfriend”. Mum said "she is sexually active". She is sexually active.'
    findings = check_language(language, note)
    assert [(f.text, f.quoted) for f in findings] == [("sexually active", True), ("sexually active", False)]
    first = findings[0]
    assert first.to_dict() == {"id": "sexually_active", "text": "sexually active", "start": first.start,
                               "end": first.end, "why": first.why, "suggestions": list(first.suggestions),
                               "quoted": True}


# -- the pattern syntax -----------------------------------------------------------------------------------
def entry(*patterns, unless=()):
    return LanguageEntry.of("test", patterns, "why", ["better"], unless=unless)


@pytest.mark.parametrize(("pattern", "text", "found"), [
    ("groom*", "He was grooming her", "grooming"),
    ("groom*", "grooms", "grooms"),
    ("groom", "grooming", None),                                    # whole words only
    ("(boyfriend|girlfriend) is", "Her girlfriend is 30", "girlfriend is"),
    ("in a (sexual|) relationship", "in a relationship", "in a relationship"),
    ("in a (sexual|) relationship", "in a sexual relationship", "in a sexual relationship"),
    ("put* herself ... risk", "putting herself at serious risk", "putting herself at serious risk"),
    ("put* herself ... risk", "putting herself in a lot of obvious risk", None),   # 5 words in between
    ("put* herself ...5 risk", "putting herself in a lot of obvious risk",
     "putting herself in a lot of obvious risk"),
    ("put* herself ... risk", "putting herself. At risk", None),   # never across a sentence end
    ("aged {18+}", "aged 18", "aged 18"),
    ("aged {18+}", "aged 17", None),
    ("aged {18+}", "aged 104", "aged 104"),
    ("aged {10-17}", "aged 9", None),
    ("aged {10-17}", "aged 12", "aged 12"),
    ("street-wise", "street wise", "street wise"),
    ("she's", "Shes", "Shes"),
    ("she's", "she’s", "she’s"),
    ("sexually active", "sexually,\nactive", "sexually,\nactive"),
    ("sexually active", "sexually\n\nactive", None),                # a blank line ends a sentence
    ("put* herself … risk", "putting herself at serious risk",
     "putting herself at serious risk"),                            # a typed '…' is '...'
])
def test_pattern_syntax(pattern, text, found):
    findings = check_language([entry(pattern)], text)
    assert (findings[0].text if findings else None) == found


def test_unless_suppresses_only_overlapping_matches():
    e = entry("sexual* active", unless=["not ...3 sexual* active"])
    assert check_language([e], "She is not sexually active.") == []
    found = check_language([e], "Not at school today, and sexually active.")
    assert [f.text for f in found] == ["sexually active"]
    text = "She is not sexually active. Her sister is sexually active."
    assert [f.start for f in check_language([e], text)] == [text.rindex("sexually active")]


def test_unless_finds_a_match_that_a_shorter_one_would_hide():
    e = entry("false allegation*", unless=["no ...4 (made|false)"])
    assert check_language([e], "There is no evidence she made a false allegation.") == []


@pytest.mark.parametrize(("pattern", "message"), [
    ("", "the pattern is empty"),
    ("a* b", "'a*' is too short to end with '*'"),
    ("sex*work", "unexpected '*' at character 4"),
    ("(a|(b))", "brackets cannot go inside brackets"),
    ("a | b", "'|' outside brackets"),
    ("(a b", "a '(' is never closed"),
    ("... a", "cannot start or end with '...'"),
    ("a ...", "cannot start or end with '...'"),
    ("(a|) b", "nor start with optional brackets"),
    ("a ... ... b", "two '...' in a row"),
    ("a (b ... c)", "'...' cannot go inside brackets"),
    ("a ...11 b", "'...11' allows 11 words in between"),
    ("(a|)", "needs at least one word that must be there"),
    ("a ()", "empty brackets"),
    ("knows, what", "unexpected ',' at character 6"),
    ("aged {30-20}", "is not a usable number range"),
])
def test_bad_patterns_are_explained(pattern, message):
    with pytest.raises(PatternError) as caught:
        compile_phrase(pattern)
    assert message in str(caught.value)
    assert caught.value.hint


# -- the rule set -----------------------------------------------------------------------------------------
TINY_TEXT = (TINY / "ruleset.yaml").read_text()
LANGUAGE = """language:
  - id: streetwise
    patterns:
      - streetwise
    why: It suggests the child can protect herself.
    suggestions: [She is vulnerable to exploitation.]
  - id: consent
    patterns:
      - consensual
      - (consent*|agree* to sex
    why: Children cannot consent to their own abuse.
    suggestions: [She may have been groomed or coerced.]
    reference: DfE 2017
"""


def load_with(language: str) -> screening.RuleSet:
    return screening.load_ruleset_texts({"tiny/ruleset.yaml": TINY_TEXT, "tiny/language.yaml": language})


def test_a_rule_set_without_a_language_list_has_none(tiny):
    assert tiny.language == ()


def test_patterns_are_compiled_once_when_the_rule_set_loads():
    rs = load_with(LANGUAGE.replace("(consent*|agree* to sex", "(consent*|agree*) to sex"))
    assert [e.id for e in rs.language] == ["streetwise", "consent"]
    assert [p.source for p in rs.language[1].patterns] == ["consensual", "(consent*|agree*) to sex"]
    assert rs.language[1].patterns[1].regex.search("agreed to sex")


def test_a_bad_pattern_is_located_with_a_hint():
    with pytest.raises(screening.RuleSetInvalid) as caught:
        load_with(LANGUAGE)
    [error] = caught.value.errors
    line = LANGUAGE.splitlines().index("      - (consent*|agree* to sex") + 1
    assert (error.location.file, error.location.line, error.location.col) == ("tiny/language.yaml", line, 9)
    assert error.item_id == "consent" and error.yaml_path == "language.1.patterns.1"
    assert "a '(' is never closed" in error.message and error.hint


def test_duplicate_ids_and_unknown_keys_are_errors():
    text = LANGUAGE.replace("(consent*|agree* to sex", "consent*").replace("id: consent", "id: streetwise")
    text = text.replace("    reference: DfE 2017", "    referense: DfE 2017")
    with pytest.raises(screening.RuleSetInvalid) as caught:
        load_with(text)
    messages = [e.message for e in caught.value.errors]
    assert any("unknown key 'referense'" in m for m in messages)
    with pytest.raises(screening.RuleSetInvalid) as caught:
        load_with(text.replace("referense", "reference"))
    assert [e.message for e in caught.value.errors] == ["duplicate id 'streetwise'"]


# -- the command line -------------------------------------------------------------------------------------
def test_cli_prints_findings_as_json():
    text = "She is streetwise and has been sexually active since she was 12."
    result = CliRunner().invoke(main, ["check-language", "--rules", str(DEFAULT), text])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(d["id"], d["text"], text[d["start"]:d["end"]]) for d in data] == [
        ("streetwise", "streetwise", "streetwise"), ("sexually_active", "sexually active", "sexually active")]
    assert set(data[0]) == {"id", "text", "start", "end", "why", "suggestions", "quoted"}


def test_cli_reads_standard_input_and_exits_0_when_nothing_is_found():
    note = "Line one.\nShe is not sexually active, but she is a willing participant.\n"
    result = CliRunner().invoke(main, ["check-language", "--rules", str(DEFAULT), "-"], input=note)
    assert result.exit_code == 0, result.output
    assert [d["text"] for d in json.loads(result.output)] == ["willing participant"]
    clean = CliRunner().invoke(main, ["check-language", "--rules", str(DEFAULT), "-"], input="Safe at home.")
    assert clean.exit_code == 0 and json.loads(clean.output) == []

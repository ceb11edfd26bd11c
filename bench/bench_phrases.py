"""Bench (not a test): how well the indicators' `phrases` suggest signs from a practitioner's own words.

Run: .venv/bin/python bench/bench_phrases.py [RULES] [-v]

Holds short concern texts written for this bench (varied agencies and writing styles; boys and girls aged 11-17;
online and offline; criminal and sexual exploitation; some with negations such as "no sign of drugs" or "she
denies...", and some with no sign of exploitation at all). Each text is labelled, by its meaning, with the set of
indicator ids it truly describes. The bench loads the rule set (rules/default unless given), runs
`screening.suggestions.suggest(rs, [text])` on each text on its own and compares the suggested signs with the
labels. It prints, per theme, the true positives (suggested and labelled), false positives (suggested, not
labelled) and false negatives (labelled, not suggested), with precision and recall, then the overall micro
precision and recall over every text, and the number of texts. With -v it also lists, text by text, what was
wrongly suggested and what was missed, with the words that matched.

Labels are what a careful practitioner would tick after reading the text, not what the phrases happen to catch:
the labels came first and phrases are never tuned to a single text, so the numbers are an honest, if small, sample.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import screening  # noqa: E402
from screening.suggestions import suggest  # noqa: E402

# (text, indicator ids it describes)
CASES: list[tuple[str, set[str]]] = [
    # -- associates, cars, school gate
    ("Chloe (14) has been seen getting into a silver car outside the school gates at 3pm. The driver looks about 25. "
     "She says he is her boyfriend.",
     {"collected_from_school_by_adults", "cars_unknown_adults", "older_associate_controlling"}),
    ("Year 10 girl attended the drop-in asking for the morning after pill for the third time this term. "
     "Says her boyfriend is 19.",
     {"emergency_contraception_repeat", "sexual_activity_with_adult", "sexual_activity_concern",
      "older_associate_controlling"}),
    ("Dad found messages on his daughter's Instagram from a man in his forties telling her she is mature for her "
     "age and to keep their chats secret.",
     {"online_contact_unknown_adults", "older_associate_controlling", "asked_to_keep_contact_secret"}),
    ("Megan is 17 and has moved in with her 29-year-old boyfriend. She says she is happy and there are no signs he "
     "controls her.",
     {"age_gap_relationship"}),
    ("Concerns that a PE teacher has been messaging a Year 11 boy on WhatsApp late at night and giving him lifts "
     "home.",
     {"position_of_trust_concern"}),
    ("Different men keep ringing the house phone asking for Tia, and a car with no plates waits at the end of the "
     "road most evenings.",
     {"unknown_adults_contacting"}),
    ("Since starting college Callum has dropped his old friends and now hangs around with men in their twenties "
     "who nobody in the family has met.",
     {"older_friendship_group"}),
    ("Officers found a 14 year old boy in the flat of a 52 year old man who had given him cannabis and alcohol. "
     "The man has previous convictions for sexual offences against children.",
     {"adults_known_risk", "drugs_alcohol_from_adults"}),
    ("She does not have any new phones or gifts and has not been missing, but staff saw her getting into a car "
     "with an older man after school.",
     {"collected_from_school_by_adults", "cars_unknown_adults"}),
    ("Neighbours report that 13 year old Kai is being picked up late at night by different cars with men inside.",
     {"cars_unknown_adults"}),
    # -- missing
    ("Amira (13) went MFH from her foster placement on Friday and was found by police on Sunday at a flat in "
     "Rochdale with three adult men.",
     {"looked_after", "found_with_adults_after_missing", "missing_from_placement"}),
    ("Hotel staff called police after a 15 year old girl was booked into a room by a man in his 40s who paid cash. "
     "She had been reported missing from home the night before.",
     {"hotels_taxis_takeaways", "found_with_adults_after_missing"}),
    ("Comes home in the early hours most weekends and won't say where she has been. Last Saturday she came back "
     "drunk, with ripped clothes and a new phone.",
     {"late_or_overnight_unexplained", "returns_changed_after_missing", "phone_new_or_multiple"}),
    ("No evidence of drug use and he has never been in trouble with the police. Mum is worried because he has "
     "been going out late and won't say where.",
     {"late_or_overnight_unexplained"}),
    ("Staff at Kayla's children's home reported her absent from the placement again last week; they cannot say how "
     "many times it has happened this year.",
     {"looked_after", "missing_from_placement"}),
    ("Tom (13), who is in foster care, ran away from his foster carers on Saturday night and was brought back by "
     "police the next day.",
     {"looked_after", "missing_from_placement"}),
    ("The foster carer says Leon (15) went missing from the placement three times last month and comes back "
     "smelling of cannabis.",
     {"looked_after", "missing_from_placement", "returns_changed_after_missing"}),
    # -- gifts, money, phones, debt
    ("Kyle (16) has new designer trainers and a Canada Goose jacket and always seems to have cash. He says an older "
     "mate sorted it. Mum has no idea where the money comes from.",
     {"gifts_unexplained", "money_unexplained"}),
    ("Mum says Ellie is on her phone until 3am, has two Snapchat accounts and hides the screen whenever anyone "
     "comes in. She has a second phone mum didn't buy.",
     {"secretive_phone_internet", "phone_new_or_multiple"}),
    ("He says he lost a package and now owes the olders £2,000. He is terrified of what they will do to him and "
     "his mum.",
     {"debt_or_owing", "child_expressed_fear", "drug_running", "associates_in_drug_supply"}),
    ("Shannon (15) told her key worker she has sex with a man in exchange for somewhere to stay and weed.",
     {"sexual_exchange", "sexual_activity_with_adult", "sexual_activity_concern", "drugs_alcohol_from_adults",
      "disclosure_sexual_abuse"}),
    # -- online
    ("Mason, 12, told his mum someone he met on Fortnite has been messaging him on Snapchat, saying he is 14 and "
     "asking him to send pictures of himself without his top on. Mum thinks it is an adult.",
     {"online_contact_unknown_adults", "images_coerced_or_shared", "asked_for_photos"}),
    ("Boy aged 16 came to reception very distressed. He sent a nude to a girl on Instagram and she is now "
     "threatening to send it to all his followers unless he pays £500.",
     {"image_threats_blackmail", "images_coerced_or_shared"}),
    ("Jacob (13) has been talking to someone on Discord who says he is 15. They have arranged to meet at the "
     "shopping centre on Saturday. Jacob's mum found the messages.",
     {"online_meeting_arranged"}),
    ("Nudes of a Year 9 girl are being shared around the school on Snapchat. She says her ex-boyfriend pressured "
     "her into sending them.",
     {"images_coerced_or_shared"}),
    ("He was added by a 'girl' on Snapchat who sent him explicit photos and asked for his in return; now an "
     "account is demanding money or they will post them.",
     {"image_threats_blackmail", "images_coerced_or_shared"}),
    ("Lily (12) has been chatting on Roblox with someone who says he is nearly 18. He told her not to tell her mum "
     "about him and keeps asking for selfies in her school uniform.",
     {"online_contact_unknown_adults", "asked_to_keep_contact_secret", "asked_for_photos",
      "older_associate_controlling"}),
    ("A man she met on TikTok sends her gift cards and told her to delete their messages so her dad won't see them.",
     {"online_contact_unknown_adults", "gifts_unexplained", "asked_to_keep_contact_secret"}),
    ("Ellie (14) has been told by a 24-year-old man she met on Snapchat that their chats are 'our secret', and he "
     "wants photos of her in her bedroom.",
     {"online_contact_unknown_adults", "asked_to_keep_contact_secret", "asked_for_photos",
      "older_associate_controlling"}),
    ("He plays Fortnite with friends from his class. No one has asked him for photos or to keep anything secret.",
     set()),
    ("Aisha, 13, has been getting messages on Instagram from an older man who tells her she is special and says "
     "their friendship must stay between the two of them.",
     {"online_contact_unknown_adults", "asked_to_keep_contact_secret", "older_associate_controlling"}),
    ("A youth worker saw a Year 9 boy's phone: a user he has never met asked him to send a video of himself every "
     "morning.",
     {"online_contact_unknown_adults", "asked_for_photos"}),
    # -- sexual health
    ("GP: 14 yo diagnosed with chlamydia, her second STI this year. She will not say who her partner is.",
     {"sti_diagnosis", "sexual_activity_concern"}),
    ("Sexual health nurse: 15 year old attended for a termination, accompanied by a man in his thirties who said "
     "he was her cousin and answered all the questions for her.",
     {"pregnancy_or_termination", "accompanied_by_controlling_person", "sexual_activity_concern"}),
    ("Staff in the transition group noticed Ben (11) using very sexualised language and trying to touch younger "
     "children in the toilets.",
     {"harmful_sexual_behaviour", "sexually_harmed_another_child"}),  # touching younger children: both signs
    ("Mum says her 13 year old daughter is sleeping with boys from the estate.",
     {"sexual_activity_concern"}),
    ("She denies being sexually active and says she has never had a boyfriend. No STI or pregnancy concerns. "
     "Referred because she has become withdrawn and is not sleeping.",
     {"mood_behaviour_change", "change_in_appearance"}),
    # -- physical health, violence
    ("15 y/o boy, stab wound to the leg. He refused to say who did it and told staff he carries a knife for "
     "protection.",
     {"serious_violence_or_weapon", "assaulted_or_injured_now"}),
    ("Bruises on her inner thighs and a bite mark on her neck which she says happened playing football.",
     {"injuries_suggesting_assault", "injuries_unexplained"}),
    ("15 year old attending with recurrent UTIs and lower abdominal pain, third time in 2 months, no clear cause "
     "found. Quiet and would not make eye contact.",
     {"recurrent_genital_or_throat_symptoms"}),
    ("Teacher notes she has lost a lot of weight, looks tired all the time and has stopped eating lunch.",
     {"change_in_appearance", "eating_difficulties"}),
    ("Told her youth worker that a lad from the estate slapped her and threatened to do worse if she didn't go "
     "back to the flat.",
     {"disclosure_other_harm"}),
    # -- substances, criminal exploitation
    ("Jayden, 15, was stopped in Hastings with 20 wraps of crack cocaine and £400 cash. He lives in Croydon and "
     "could not say why he was there. Believed to be running a county line.",
     {"drug_running", "moved_between_towns"}),
    ("14 year old boy brought in by ambulance at 2am, heavily intoxicated, found in a stairwell of a block of "
     "flats with two adult men who left before police arrived.",
     {"intoxicated_when_found"}),
    ("Smoking cannabis every day and drinking vodka before school. Says older boys give it to her for free.",
     {"substance_use_concern", "drugs_alcohol_from_adults"}),
    ("Ryan (15) is associating with a local gang linked to the Tiverton estate and has a drill video on YouTube. "
     "Older members are known drug dealers.",
     {"gang_association", "associates_in_drug_supply"}),
    ("Older dealers have been recruiting boys from the youth club to sell weed, offering them trainers and cash.",
     {"associates_in_drug_supply", "drug_running"}),
    ("Kieran says he is not carrying drugs for anyone and there is no evidence of county lines involvement, "
     "though he was found in Margate with no explanation.",
     {"moved_between_towns"}),
    # -- peers and places
    ("Officers attended a house party in a flat on the Northfield estate where girls aged 13-15 were being given "
     "vodka and cannabis by men in their 20s. Ellie (14) was among them.",
     {"parties_with_adults", "drugs_alcohol_from_adults"}),
    ("Staff at the chicken shop on the high street give Leah (14) free food and know her by name. She has been seen "
     "leaving in a taxi with the manager late at night.",
     {"hotels_taxis_takeaways"}),
    ("Her best friend was identified as a CSE victim last year and they are still very close; her older sister is "
     "also known to the exploitation team.",
     {"peers_exploited"}),
    ("Police found Jade (15) in Blackpool with older girls; she has no links there. She told officers she had been "
     "asked to bring her friends from school to a party at a flat.",
     {"moved_between_towns", "recruiting_other_children"}),
    ("She has been seen regularly at the bus station and at the house on Elm Street which police have linked to the "
     "exploitation of other children.",
     {"hotspots"}),
    # -- trafficking and forced work
    ("Jayden (14) sleeps in the storeroom of the car wash where he works. The owner keeps his passport and told him "
     "he must work until the cost of bringing him from Albania is paid off.",
     {"lives_where_works", "documents_held_by_others", "working_off_debt", "moved_by_others"}),
    ("She works in a nail bar for no wages; the boss takes what customers pay her and she is never allowed out on "
     "her own.",
     {"made_to_work_unpaid", "not_free_to_leave"}),
    ("Police found a 16-year-old boy locked inside a flat above the restaurant where he works. He said men brought "
     "him to the UK in a lorry.",
     {"not_free_to_leave", "lives_where_works", "moved_by_others"}),
    ("Police stopped a van carrying four teenagers from Vietnam; the driver had all their passports.",
     {"documents_held_by_others", "moved_by_others"}),
    ("A 16-year-old girl from Romania told the sexual health nurse she lives in the house where she works as a "
     "cleaner, is paid nothing, and that the family she works for has her ID card.",
     {"lives_where_works", "made_to_work_unpaid", "documents_held_by_others"}),
    ("He told his social worker he has to keep working at the farm until he pays back the money for the boat.",
     {"working_off_debt", "moved_by_others"}),
    ("Our pupil's dad has taken her passport so that she cannot travel abroad with her mum during the custody "
     "dispute.",
     set()),
    # -- immediate danger
    ("Call from Aisha (16) at 11pm saying men are outside her house and have said they will kill her if she talks "
     "to the police.",
     {"threats_to_kill_or_harm_now", "disclosure_other_harm"}),
    ("Mum rang to say Lily is in a car with the man we believe has been abusing her and they are heading towards "
     "the motorway now.",
     {"with_abuser_now"}),
    ("Kacey (12) has been missing since yesterday afternoon, her phone is switched off and she was last seen with "
     "two older men. We are very worried for her safety.",
     {"missing_now_high_risk"}),
    ("15 year old girl arrived at A&E this morning saying she was raped last night at a party; she thinks her drink "
     "was spiked.",
     {"assaulted_or_injured_now", "disclosure_sexual_abuse"}),
    # -- disclosures
    ("Ruby (15) told her teacher that a man she met at the park raped her last summer. She said she was too scared "
     "to tell anyone because he said he would hurt her little brother.",
     {"disclosure_sexual_abuse", "child_expressed_fear", "disclosure_other_harm", "sexual_activity_with_adult"}),
    ("Last month Jess said her uncle's friend had touched her, but she has now retracted this and says she made it "
     "up.",
     {"disclosure_withdrawn", "disclosure_sexual_abuse"}),
    ("Police NFA'd Kayleigh's allegation of rape because she would not give a statement.",
     {"no_police_action_after_disclosure", "disclosure_sexual_abuse"}),
    ("An anonymous caller told the MASH that 16 year old Danny is being sexually exploited by a group of men who "
     "hang around the bookies.",
     {"third_party_report"}),
    # -- emotional
    ("Seen in A&E after taking 20 paracetamol. Has been self-harming by cutting her arms for months and says she "
     "wants to die.",
     {"overdose_or_suicide_attempt", "self_harm"}),
    ("He's become really secretive and snappy, barely speaks to his mum, and spends all his time in his room.",
     {"mood_behaviour_change"}),
    ("Says she is scared of the men at the park and is frightened of what will happen if she tells anyone.",
     {"child_expressed_fear"}),
    # -- education
    ("Permanently excluded in Year 10 and now on a part-time timetable at the PRU; often leaves after registration "
     "and nobody knows where he goes.",
     {"excluded_or_missing_education", "school_absence_unexplained"}),
    ("Was a top set student but her grades have dropped sharply this term and she can't concentrate in class.",
     {"fall_in_attainment"}),
    ("Attendance has dropped to 60% and she is often seen leaving the site at lunchtime.",
     {"school_absence_unexplained", "fall_in_attainment"}),
    # -- family
    ("Lives with mum and mum's partner. Police have attended the address for DV several times this year. Mum drinks "
     "heavily and often doesn't know where Tyler (13) is.",
     {"domestic_abuse_home", "parental_substance_or_mental_health", "adolescent_neglect"}),
    ("Mum's new partner is a registered sex offender and has moved into the family home with 12 year old Sophie.",
     {"household_member_sexual_risk"}),
    ("Dad has not responded to any of our letters or calls, missed the last two core group meetings and says there "
     "is nothing wrong with his son.",
     {"parents_not_engaging"}),
    ("The flat has no food, he is wearing the same clothes all week and nobody at home notices when he doesn't come "
     "back at night.",
     {"adolescent_neglect", "late_or_overnight_unexplained"}),
    ("Mum has severe depression and is often in bed all day, so Jordan (12) looks after himself and his younger "
     "siblings.",
     {"parental_substance_or_mental_health", "adolescent_neglect"}),
    ("No concerns about attendance. He has not gone missing and there is no sign of drugs, but he has become very "
     "withdrawn and angry in lessons since his dad left.",
     {"mood_behaviour_change", "family_breakdown_conflict"}),
    # -- vulnerabilities
    ("Zak is 16, has a learning disability and autism, and lives in a residential children's home. Staff say older "
     "lads from outside the home have started calling for him.",
     {"learning_disability", "disability_or_communication_needs", "looked_after", "unknown_adults_contacting"}),
    ("Care leaver aged 17 living in supported accommodation; she has been sofa surfing at different friends' flats "
     "for two weeks.",
     {"care_leaver", "unsuitable_accommodation"}),
    ("She was sexually abused by her stepfather when she was 8. Her nan, who she was very close to, died in March.",
     {"previous_abuse", "bereavement_or_loss"}),
    ("Alex (14) is transgender, bullied at school, has no friends and says there is no one he can talk to at home.",
     {"identity_unsupported", "low_self_esteem_isolation", "no_trusted_adult"}),
    # -- no sign of exploitation (some with negations)
    ("Year 8 pupil referred by form tutor for support with reading. Settled well, good attendance, lots of friends, "
     "parents supportive.",
     set()),
    ("Mum phoned the school worried that her 12 year old is spending too long on his Xbox. No contact with "
     "strangers online, he only plays with friends from class.",
     set()),
    ("Routine school nurse review of a 15 y/o with asthma. Attends regularly, lives with both parents, no "
     "safeguarding concerns raised.",
     set()),
    ("Youth worker notes that Priya (16) has got a Saturday job at a hairdresser and is saving for driving lessons. "
     "She's doing well at college.",
     set()),
    ("A&E: 13 year old girl with a broken wrist after falling off a trampoline at a friend's birthday party, seen "
     "with mum, explanation consistent with the injury.",
     set()),
    ("Denies any sexual activity. Denies self-harm. Attended with a friend's mum for a sore throat.",
     set()),
    ("There is nothing to suggest she has been drinking or using drugs. Her mum says she hasn't been going missing.",
     set()),
]


def run(rules: Path, verbose: bool) -> None:
    rs = screening.load_ruleset(rules)
    theme_of = {i.id: i.theme for i in rs.indicators}
    unknown = {i for _, labels in CASES for i in labels} - theme_of.keys()
    if unknown:
        raise SystemExit(f"labels that are not indicators of {rules}: {sorted(unknown)}")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for n, (text, labels) in enumerate(CASES, 1):
        found = {s.indicator: s.words for s in suggest(rs, [text])}
        for i in labels & found.keys():
            tp[theme_of[i]] += 1
        for i in found.keys() - labels:
            fp[theme_of[i]] += 1
        for i in labels - found.keys():
            fn[theme_of[i]] += 1
        if verbose and found.keys() != labels:
            print(f"#{n} {text}")
            for i in sorted(found.keys() - labels):
                print(f"    FP {i}: {', '.join(found[i])}")
            for i in sorted(labels - found.keys()):
                print(f"    FN {i}")
    print(f"{'theme':<18}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for theme in rs.themes:
        print(f"{theme.id:<18}{tp[theme.id]:>5}{fp[theme.id]:>5}{fn[theme.id]:>5}"
              f"{_ratio(tp[theme.id], fp[theme.id]):>11}{_ratio(tp[theme.id], fn[theme.id]):>8}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'overall (micro)':<18}{all_tp:>5}{all_fp:>5}{all_fn:>5}"
          f"{_ratio(all_tp, all_fp):>11}{_ratio(all_tp, all_fn):>8}")
    print(f"texts: {len(CASES)}; indicators with phrases: {sum(1 for i in rs.indicators if i.phrases)}"
          f" of {len(rs.indicators)}")


def _ratio(hits: int, misses: int) -> str:
    return f"{hits / (hits + misses):.2f}" if hits + misses else "-"


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    run(Path(args[0]) if args else ROOT / "rules" / "default", "-v" in sys.argv[1:])

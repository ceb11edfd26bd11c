"""The anchor for bench_engine.py: a CSE-shaped set of 26 rules over 48 tri-state indicators and 6 counts, written
twice, once for the general-purpose `rule-engine` package and once as plain hand-written Python (the CPython floor).
Both return the highest route of the rules that hold; `agree()` checks that they do on the cases given.
"""

from __future__ import annotations

import ast
import json
import random

import rule_engine

SIGNS = tuple(f"s{n:02d}" for n in range(1, 49))
COUNTS = ("age", "missing", "ae_visits", "earlier_concerns", "agencies", "clinic_visits")
ROUTES = ("early_help", "child_in_need", "section_47", "immediate_protection")


def _any(*signs: int) -> str:
    return "(" + " or ".join(f's{n:02d} == "yes"' for n in signs) + ")"


# (route, condition) in rule-engine's language
RULES: tuple[tuple[int, str], ...] = (
    (3, _any(1, 2, 3, 4)),
    (3, _any(5, 6)),
    (2, _any(7, 8)),
    (2, 's09 == "yes"'),
    (2, f"age < 13 and {_any(10, 11, 12, 13)}"),
    (2, f"age < 16 and {_any(14, 15, 16)}"),
    (2, f"age < 16 and ({_any(17, 18)} or (s19 == \"yes\" and s20 == \"yes\"))"),
    (2, f"{_any(21, 22, 23)} and {_any(24, 25, 26, 27)}"),
    (2, f"{_any(28, 29)} and {_any(30, 31, 32)}"),
    (2, f"({_any(1, 2, 3)} and {_any(21, 22)}) or ({_any(33, 34)} and {_any(35, 36)})"),
    (1, _any(33, 34, 35, 36, 37, 38)),
    (1, f"{_any(39, 40)} or {_any(41, 42)}"),
    (2, f"missing >= 3 and {_any(24, 25, 26)}"),
    (1, "missing >= 2"),
    (2, "missing >= 5"),
    (1, f"ae_visits >= 2 and {_any(27, 28)}"),
    (2, "ae_visits >= 3 and clinic_visits >= 2"),
    (2, f"earlier_concerns >= 2 and agencies >= 2 and {_any(1, 7, 13, 19, 25, 31)}"),
    (1, "earlier_concerns >= 1"),
    (2, f"agencies >= 3 and {_any(29, 30, 31)}"),
    (1, "clinic_visits >= 3 and age < 16"),
    (2, "age < 13 and clinic_visits >= 1"),
    (2, f"{_any(34, 35)} and {_any(36, 37, 38)}"),
    (1, _any(39, 40, 41, 42)),
    (0, _any(43, 44, 45)),
    (1, f"{_any(46, 47, 48)} and missing >= 1"),
)


def rule_engine_rules() -> list[tuple[int, rule_engine.Rule]]:
    return [(route, rule_engine.Rule(text)) for route, text in RULES]


def by_rule_engine(rules: list[tuple[int, rule_engine.Rule]], case: dict) -> str:
    return ROUTES[max((route for route, rule in rules if rule.matches(case)), default=0)]


def hand_written(c: dict) -> str:
    """The same 26 rules as plain Python: about the fastest this can be done in CPython."""
    y = {k for k, v in c.items() if v == "yes"}
    age, missing, ae, earlier, agencies, clinic = (c[k] for k in COUNTS)
    fired = [
        3 if "s01" in y or "s02" in y or "s03" in y or "s04" in y else 0,
        3 if "s05" in y or "s06" in y else 0,
        2 if "s07" in y or "s08" in y else 0,
        2 if "s09" in y else 0,
        2 if age < 13 and ("s10" in y or "s11" in y or "s12" in y or "s13" in y) else 0,
        2 if age < 16 and ("s14" in y or "s15" in y or "s16" in y) else 0,
        2 if age < 16 and ("s17" in y or "s18" in y or ("s19" in y and "s20" in y)) else 0,
        2 if ("s21" in y or "s22" in y or "s23" in y) and ("s24" in y or "s25" in y or "s26" in y or "s27" in y) else 0,
        2 if ("s28" in y or "s29" in y) and ("s30" in y or "s31" in y or "s32" in y) else 0,
        2 if (("s01" in y or "s02" in y or "s03" in y) and ("s21" in y or "s22" in y))
        or (("s33" in y or "s34" in y) and ("s35" in y or "s36" in y)) else 0,
        1 if "s33" in y or "s34" in y or "s35" in y or "s36" in y or "s37" in y or "s38" in y else 0,
        1 if "s39" in y or "s40" in y or "s41" in y or "s42" in y else 0,
        2 if missing >= 3 and ("s24" in y or "s25" in y or "s26" in y) else 0,
        1 if missing >= 2 else 0,
        2 if missing >= 5 else 0,
        1 if ae >= 2 and ("s27" in y or "s28" in y) else 0,
        2 if ae >= 3 and clinic >= 2 else 0,
        2 if earlier >= 2 and agencies >= 2 and ("s01" in y or "s07" in y or "s13" in y or "s19" in y
                                                 or "s25" in y or "s31" in y) else 0,
        1 if earlier >= 1 else 0,
        2 if agencies >= 3 and ("s29" in y or "s30" in y or "s31" in y) else 0,
        1 if clinic >= 3 and age < 16 else 0,
        2 if age < 13 and clinic >= 1 else 0,
        2 if ("s34" in y or "s35" in y) and ("s36" in y or "s37" in y or "s38" in y) else 0,
        1 if "s39" in y or "s40" in y or "s41" in y or "s42" in y else 0,
        0 if "s43" in y or "s44" in y or "s45" in y else 0,
        1 if ("s46" in y or "s47" in y or "s48" in y) and missing >= 1 else 0,
    ]
    return ROUTES[max(fired)]


def cases(n: int, rng: random.Random) -> list[dict]:
    """Answers shaped like the default rule set's benchmark cases: 0-15 % of signs yes, a tenth not known."""
    out = []
    for _ in range(n):
        share = rng.uniform(0, 0.15)
        case: dict = {s: rng.choices(["no", "yes", "not_known"], weights=[0.9 - share, share, 0.1])[0] for s in SIGNS}
        case.update({k: rng.randint(8 if k == "age" else 0, 17 if k == "age" else 6) for k in COUNTS})
        out.append(case)
    return out


def agree(rules: list[tuple[int, rule_engine.Rule]], checked: list[dict]) -> bool:
    return all(by_rule_engine(rules, c) == hand_written(c) for c in checked)


def _condition(node: ast.expr) -> dict:
    """One of the anchor's conditions (Python-shaped: and, or, ==, >=, <) as this project's rule language."""
    if isinstance(node, ast.BoolOp):
        return {"any" if isinstance(node.op, ast.Or) else "all": [_condition(v) for v in node.values]}
    assert isinstance(node, ast.Compare) and len(node.ops) == 1, ast.dump(node)
    name, value = node.left.id, node.comparators[0].value  # type: ignore[attr-defined]
    op = {ast.Eq: "is", ast.GtE: "at_least", ast.Lt: "below"}[type(node.ops[0])]
    return {"fact": name, op: value}


def ruleset_texts() -> dict[str, str]:
    """The anchor's 26 rules as a rule set for this project's engine (JSON is YAML), to time it like for like."""
    signs = [{"id": s, "theme": "signs", "level": "amber", "text": f"Sign {s}", "guidance": "-", "reference": "-"}
             for s in SIGNS]
    counts = [{"id": k, "section": "about", "type": "age" if k == "age" else "count", "label": k.replace("_", " "),
               "max": 30} for k in COUNTS]
    counts[0].pop("max")
    rules = [{"id": f"rule_{n:02d}", "description": f"Anchor rule {n}",
              "when": _condition(ast.parse(text, mode="eval").body),
              "then": {"route": ROUTES[route]} if route else {"actions": ["consult_safeguarding_lead"]},
              "source": "local", "reference": "bench/anchor.py"} for n, (route, text) in enumerate(RULES, 1)]
    ruleset = {
        "meta": {"id": "anchor", "title": "The anchor's rules", "version": "1", "effective": "2026-01-01",
                 "owner": "bench", "description": "bench/anchor.py", "non_monotone": "warn"},
        "levels": [{"id": lv, "label": lv, "description": lv} for lv in ("green", "amber", "red")],
        "routes": [{"id": r, "label": r, "description": r, "referrer_expects": "-", "timescale": "-",
                    "child_protection": n >= 2, **({"strategy_meeting": {"within": "24 hours"}} if n >= 2 else {})}
                   for n, r in enumerate(ROUTES)],
        "sections": [{"id": "about", "title": "About"}], "themes": [{"id": "signs", "title": "Signs"}],
        "questions": counts, "indicators": signs,
        "actions": [{"id": "consult_safeguarding_lead", "who": "You", "what": "Ask your lead", "within": "1 day"}],
        "rules": rules,
        "strategy_meeting": {"chair": "-", "invitees": [{"role": "Police", "why": "-"}], "views_to_gather": ["-"],
                             "record": ["-"], "action_fields": ["action"]},
        "escalation": [{"stage": "1", "who": "-", "what": "-"}],
    }
    return {"anchor.yaml": json.dumps(ruleset)}

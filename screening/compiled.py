"""A rule set's conditions compiled once into Python functions.

conditions.py says what a condition means; this module writes each rule's condition out as Python source, once per
rule set, so that an evaluation runs straight-line code instead of walking a tree of objects. Truth values are small
ints so that Kleene's three-valued logic is min and max: 0 false, 1 not known, 2 true.

Nothing from a rule file is pasted into the source: fact ids, option sets and fractional thresholds reach the code as
named constants; only ints (checked to be ints) are written as literals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import partial
from typing import Any

from .conditions import All, AnyOf, Compared, Condition, Facts, Leaf, Not, Tally, Truth

FALSE, NOT_KNOWN, TRUE = 0, 1, 2
_CODE = {True: TRUE, None: NOT_KNOWN, False: FALSE}
_TRISTATE = {"yes": TRUE, "no": FALSE, None: NOT_KNOWN}
_SYMBOLS = {"at_least": ">=", "at_most": "<=", "below": "<", "above": ">"}
_ARGS = "v, yes, known, when"  # every compiled function reads (values, yes ids, known ids, recency)

Values = Mapping[str, object]
TruthFn = Callable[[Values, Set[str], Set[str], Mapping[str, str]], int]
FactsFn = Callable[[Values, Set[str], Set[str], Mapping[str, str]], "list[str] | tuple[str, ...]"]


@dataclass(frozen=True)
class Program:
    """The compiled conditions of one rule set, each function taking (values, yes, known, when).

    `classify` gives the rules that fired (place, and whether it fired only on 'not known'), those left
    undecided, and the highest route and level rank the fired ones ask for; `truth_of[n]` gives rule n's truth;
    `evidence[n]` the fact ids that made rule n true (a tuple when they never depend on the answers);
    `unknowns[n]` the not-known fact ids that leave it undecided; `invitees[n]` the truth of the strategy
    meeting's n-th invitee condition (None: always invited); `readers` maps a fact id to the rules reading it."""

    classify: Callable[..., tuple[list[tuple[int, bool]], list[int], int, int]]
    truth_of: Sequence[TruthFn]
    evidence: Sequence[tuple[str, ...] | FactsFn]
    unknowns: Sequence[FactsFn]
    invitees: tuple[TruthFn | None, ...]
    readers: Mapping[str, tuple[int, ...]]
    source: str  # the generated Python, for reading and for tracebacks


@dataclass(frozen=True)
class RuleShape:
    """What the compiler needs of a rule: its condition and what it asks for."""

    when: Condition
    route_rank: int  # of the route it asks for, 0 (the lowest) when it asks for none
    level_rank: int
    fires_on_unknown: bool


def compile_conditions(rules: tuple[RuleShape, ...], invitees: tuple[Condition | None, ...],
                       tristates: Set[str], all_facts: Set[str]) -> Program:
    """Compile the rules (in order) and the invitees' conditions of one rule set, whose facts are `all_facts`
    (those answered yes, no or not known: `tristates`). Every function is written now; `classify` and the
    invitees' are compiled now too, each rule's own functions when first called (compiling Python costs about as
    much per function, however small, as reading a rule file)."""
    writer = _Writer(frozenset(tristates), frozenset(all_facts))
    space = writer.namespace
    classify = writer.function("classify", partial(_classify, writer, rules), statements=True)
    sources = [classify]
    truth_of: list[Any] = []
    unknowns: list[Any] = []
    evidence: list[Any] = []
    for n, condition in enumerate(r.when for r in rules):
        for name, write, slots in (("truth", writer.truth, truth_of), ("unknowns", writer.unknowns, unknowns),
                                   ("evidence", writer.evidence, evidence)):
            static = _static_evidence(condition) if name == "evidence" else None
            if static is not None:
                slots.append(static)
                continue
            source = writer.function(f"{name}_{n}", partial(write, condition))
            sources.append(source)
            slots.append(_on_first_call(slots, n, f"{name}_{n}", source, space))
    invited = []
    for n, when in enumerate(invitees):
        source = writer.function(f"invitee_{n}", partial(writer.truth, when)) if when else ""
        sources.append(source)
        invited.append(_define(f"invitee_{n}", source, space) if when else None)
    readers: dict[str, list[int]] = {}
    for n, rule in enumerate(rules):
        for fact_id in rule.when.fact_ids():
            readers.setdefault(fact_id, []).append(n)
    return Program(_define("classify", classify, space), truth_of, evidence, unknowns, tuple(invited),
                   {k: tuple(v) for k, v in readers.items()}, "\n".join(sources))


def _classify(writer: _Writer, rules: tuple[RuleShape, ...]) -> str:
    """Statements that sort the rules into fired (with whether only 'not known' answers fired it) and undecided,
    keeping the highest route and level rank asked for."""
    lines = ["    fired = []", "    undecided = []", "    route = level = 0"]
    for n, rule in enumerate(rules):
        raises = []
        if rule.route_rank > 0:
            raises.append(f"        route = {_int(rule.route_rank)} if route < {_int(rule.route_rank)} else route")
        if rule.level_rank > 0:
            raises.append(f"        level = {_int(rule.level_rank)} if level < {_int(rule.level_rank)} else level")
        lines += [f"    t = {writer.truth(rule.when)}", "    if t == 2:", f"        fired.append(({n}, False))",
                  *raises, "    elif t == 1:"]
        lines += [f"        fired.append(({n}, True))", *raises] if rule.fires_on_unknown \
            else [f"        undecided.append({n})"]
    return "\n".join([*lines, "    return fired, undecided, route, level"])


def _define(name: str, source: str, namespace: dict[str, Any]) -> Any:
    """Compile one written function into `namespace` and return it."""
    code = compile(source, f"<compiled rule set: {name}>", "exec")
    exec(code, namespace)  # nosec B102 - source written by _Writer from a checked rule set; see module docstring
    return namespace[name]


def _on_first_call(slots: list[Any], n: int, name: str, source: str, namespace: dict[str, Any]
                   ) -> Callable[..., Any]:
    """A stand-in that compiles the function on its first call and puts it in its place. Two threads may both
    compile it: each gets a function that does the same."""
    def first_call(*args: Any) -> Any:
        slots[n] = found = _define(name, source, namespace)
        return found(*args)
    return first_call


def _static_evidence(condition: Condition) -> tuple[str, ...] | None:
    """The evidence of a condition that uses no 'any' and no count or score: the same whatever the answers
    (each fact once)."""
    if isinstance(condition, Leaf):
        return (condition.fact,)
    if isinstance(condition, Compared):
        return tuple(dict.fromkeys((condition.fact, condition.other)))
    if isinstance(condition, Not):
        return tuple(sorted(condition.part.fact_ids()))
    if isinstance(condition, All):
        parts = [_static_evidence(p) for p in condition.parts]
        return None if any(p is None for p in parts) else tuple(dict.fromkeys(f for p in parts for f in p or ()))
    return None


def _sums(tally: Tally, members: frozenset[str], yes: Set[str], unknown: Set[str],
          when: Mapping[str, str]) -> tuple[float, float]:
    """A score, or a count filtered by recency: the weight of the indicators present and the most that those not
    known could add, summed in the tally's own order (as Tally.weigh does, to the last bit)."""
    weights, order = tally.weights, tally.order_of
    present = 0.0
    for fact in sorted(members & yes, key=order):
        recent, earlier, both = weights[fact]
        at = when.get(fact)
        present += earlier if at == "earlier" else both if at == "both" else recent
    return present, sum([max(weights[fact]) for fact in sorted(members & unknown, key=order)], 0.0)


def _whole_sums(weights: Mapping[str, tuple[float, float, float]], most: Mapping[str, float],
                members: frozenset[str], yes: Set[str], unknown: Set[str],
                when: Mapping[str, str]) -> tuple[float, float]:
    """`_sums` for a tally whose weights are all whole numbers: any order gives the same sums to the last bit, so
    nothing is sorted (the gap search weighs a score once for every not-known sign)."""
    present = 0.0
    for fact in members & yes:
        recent, earlier, both = weights[fact]
        at = when.get(fact)
        present += earlier if at == "earlier" else both if at == "both" else recent
    return present, float(sum([most[fact] for fact in members & unknown]))


def _weigher(tally: Tally) -> Callable[[Set[str], Set[str], Mapping[str, str]], tuple[float, float]]:
    members = frozenset(tally.weights)
    if all(float(w).is_integer() for weights in tally.weights.values() for w in weights):
        return partial(_whole_sums, dict(tally.weights), {f: max(w) for f, w in tally.weights.items()}, members)
    return partial(_sums, tally, members)


def _facts(v: Values, yes: Set[str], known: Set[str], when: Mapping[str, str]) -> Facts:
    return Facts(v, when, yes, known)


def _called(condition: Condition, v: Values, yes: Set[str], known: Set[str], when: Mapping[str, str]) -> int:
    """Any other condition (none today): asked of the condition itself."""
    truth: Truth = condition.truth(_facts(v, yes, known, when))
    return _CODE[truth]


class _Writer:
    """Writes Python expressions for conditions; constants go into `namespace` under generated names."""

    def __init__(self, tristates: frozenset[str], all_facts: frozenset[str]):
        self.tristates = tristates
        self.namespace: dict[str, Any] = {"_T": _TRISTATE, "_min": min, "_max": max, "_len": len,
                                               "_sorted": sorted, "_facts": _facts}
        self.reads: dict[str, str] = {}  # fact id -> its local name, in the function being written
        self.sums: dict[tuple[object, ...], tuple[Tally, str]] = {}  # weights -> a tally weighed by them, its local
        self.needs_unknown = False
        self.locals = 0
        self.all_facts = all_facts

    def function(self, name: str, body: Callable[[], str], statements: bool = False) -> str:
        """Source of `def name(v, yes, known, when)` returning `body()` (or running it, when it is `statements`),
        after reading the facts it uses."""
        self.reads, self.sums, self.locals, self.needs_unknown = {}, {}, 0, False
        written = body()
        lines = [f"def {name}({_ARGS}):"]
        if self.needs_unknown:
            lines.append(f"    unknown = {self.constant(self.all_facts)} - known")
        for fact_id, local in self.reads.items():
            read = f"v.get({self.constant(fact_id)})"
            lines.append(f"    {local} = _T[{read}]" if fact_id in self.tristates else f"    {local} = {read}")
        for tally, local in self.sums.values():
            weigh = self.constant(_weigher(tally))
            lines.append(f"    {local} = {weigh}(yes, unknown, when)")
        return "\n".join([*lines, written if statements else f"    return {written}", ""])

    def constant(self, value: object) -> str:
        name = f"_k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def fact(self, fact_id: str) -> str:
        return self.reads.setdefault(fact_id, f"f{len(self.reads)}")

    def unknown(self, fact_id: str) -> str:
        """An expression: is this fact not known?"""
        return f"{self.fact(fact_id)} {'== 1' if fact_id in self.tristates else 'is None'}"

    # -- truth ------------------------------------------------------------------------------------------------
    def truth(self, c: Condition) -> str:
        if isinstance(c, Leaf):
            return self._leaf(c)
        if isinstance(c, Compared) and c.op in _SYMBOLS:
            a, b = self.fact(c.fact), self.fact(c.other)
            return f"(1 if {a} is None or {b} is None else 2 if {a} {_SYMBOLS[c.op]} {b} + {_int(c.plus)} else 0)"
        if isinstance(c, Tally):
            return self._tally(c)
        if isinstance(c, All | AnyOf):
            parts = [self.truth(p) for p in c.parts]
            joined = ", ".join(parts)
            return parts[0] if len(parts) == 1 else f"{'_min' if isinstance(c, All) else '_max'}({joined})"
        if isinstance(c, Not):
            return f"(2 - {self.truth(c.part)})"
        return f"{self.constant(partial(_called, c))}({_ARGS})"

    def _leaf(self, c: Leaf) -> str:
        tristate = c.fact in self.tristates
        if c.op == "not_known":
            return f"(2 if {self.unknown(c.fact)} else 0)"
        if c.on_unknown is None and tristate and c.op == "is" and c.operand in ("yes", "no"):
            x = self.fact(c.fact)
            return x if c.operand == "yes" else f"(2 - {x})"
        if c.on_unknown is None and not tristate:
            x = self.fact(c.fact)
            if c.op in _SYMBOLS:
                return f"(1 if {x} is None else 2 if {x} {_SYMBOLS[c.op]} {_int(c.operand)} else 0)"
            if c.op in ("in", "includes_any"):
                test = f"{x} {'in' if c.op == 'in' else '&'} {self.constant(c.operand)}"
                return f"(1 if {x} is None else 2 if {test} else 0)"
        return f"{self.constant(partial(_called, c))}({_ARGS})"

    def _tally(self, c: Tally) -> str:
        """A count: set sizes. A score (or a count by recency): weighed once per function for all tallies with the
        same weights, in the function's first lines."""
        least, ids = self.constant(c.at_least), c.unit_ids
        self.needs_unknown = True
        if ids is not None and c.at_most is None:
            members, k = self.constant(ids), f"k{self.locals}"
            self.locals += 1
            return (f"(2 if ({k} := _len({members} & yes)) >= {least} else "
                    f"1 if {k} + _len({members} & unknown) >= {least} else 0)")
        _, local = self.sums.setdefault(tuple(c.weights.items()), (c, f"w{len(self.sums)}"))
        if c.at_most is None:
            return f"(2 if {local}[0] >= {least} else 1 if {local}[0] + {local}[1] >= {least} else 0)"
        return f"{self.constant(_CODE.__getitem__)}({self.constant(c.classify)}(*{local}))"

    # -- evidence and unknowns ----------------------------------------------------------------------------------
    def evidence(self, c: Condition) -> str:
        """The fact ids that made `c` true (only asked when it is)."""
        static = _static_evidence(c)
        if static is not None:
            return self.constant(static)
        if isinstance(c, Tally):
            return f"_sorted({self.constant(frozenset(c.weights))} & yes, key={self.constant(c.order_of)})"
        if isinstance(c, All):
            return "[" + "".join(f"*{self.evidence(p)}, " for p in c.parts) + "]"
        if isinstance(c, AnyOf) and all(self._is_yes(p) for p in c.parts):  # "any of these signs": the ones seen
            order = {p.fact: n for n, p in reversed(list(enumerate(c.parts)))}  # type: ignore[attr-defined]
            return f"_sorted({self.constant(frozenset(order))} & yes, key={self.constant(order.__getitem__)})"
        if isinstance(c, AnyOf):
            return "[" + "".join(f"*({self.evidence(p)} if {self.truth(p)} == 2 else ()), " for p in c.parts) + "]"
        return f"{self.constant(c.evidence)}(_facts({_ARGS}))"

    def _is_yes(self, c: Condition) -> bool:
        """A test that a sign is answered yes."""
        return (isinstance(c, Leaf) and c.op == "is" and c.operand == "yes" and c.on_unknown is None
                and c.fact in self.tristates)

    def unknowns(self, c: Condition) -> str:
        """The not-known fact ids that leave `c` undecided (only asked when it is)."""
        if isinstance(c, Leaf):
            if c.on_unknown is not None:
                return "()"
            return f"(({self.constant(c.fact)},) if {self.unknown(c.fact)} else ())"
        if isinstance(c, Compared):
            return "(" + "".join(f"*(({self.constant(f)},) if {self.unknown(f)} else ()), "
                                 for f in (c.fact, c.other)) + ")"
        if isinstance(c, Tally):
            members, order = self.constant(frozenset(c.weights)), self.constant(c.order_of)
            return f"(_sorted({members} - known, key={order}) if {self.truth(c)} == 1 else ())"
        if isinstance(c, All | AnyOf):
            return "[" + "".join(f"*({self.unknowns(p)} if {self.truth(p)} == 1 else ()), " for p in c.parts) + "]"
        if isinstance(c, Not):
            return self.unknowns(c.part)
        return f"{self.constant(c.unknowns)}(_facts({_ARGS}))"


def _int(value: object) -> str:
    """A whole number as a literal; anything else is refused (it would not be safe to paste)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, not {value!r}")
    return str(value)

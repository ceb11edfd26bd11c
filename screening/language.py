"""Challenge victim-blaming language: a small phrase-pattern syntax, compiled once, matched over free text.

Text is read as a sequence of words: case, apostrophes and punctuation between words are ignored, and
matches never cross a sentence end (. ! ? ; or a blank line). A pattern is a line of words in which

- ``word*`` matches any ending (``groom*``: groom, grooms, groomed, grooming);
- ``(a|b c|)`` matches one of the alternatives (each one or more words); an empty one makes it optional;
- ``...`` allows up to 3 words in between, ``...N`` up to N (1-10);
- ``{18+}`` matches a whole number of 18 or more, ``{10-17}`` a whole number in that range.

An entry's ``unless`` patterns suppress a finding when they match any run of words overlapping it (for a
negation such as ``not ...3 sexual* active``). Pure Python: only the standard library.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import ScreeningError

DEFAULT_GAP, MAX_GAP, MAX_NUMBER = 3, 10, 999
MIN_STEM = 3  # letters before a trailing '*'
SYNTAX_HINT = ("use words, '*' at the end of a word, (a|b) for alternatives, '...' for words in between and "
               "{18+} or {10-17} for numbers; leave out punctuation, which is ignored when matching")

_APOSTROPHES = re.compile(r"['’‘`]")
_WORD = re.compile(r"[^\W_]+(?:['’‘`][^\W_]+)*")
_BREAK = re.compile(r"[.!?;]|\n\s*\n")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_LEX = re.compile(r"""
    (?P<space>\s+)
  | (?P<gap>\.\.\.(?P<n>\d+)?)
  | (?P<num>\{\s*(?P<lo>\d+)\s*(?:(?P<plus>\+)|-\s*(?P<hi>\d+))\s*\})
  | (?P<open>\() | (?P<bar>\|) | (?P<close>\))
  | (?P<word>[^\W_]+(?:['’‘`-][^\W_]+)*\*?)
  | (?P<bad>.)
""", re.VERBOSE)
# Stands for a sentence end in the normalised text; no pattern can match it (not a password: hence nosec).
_BREAK_TOKEN = "#"  # nosec B105


class PatternError(ScreeningError, ValueError):
    """A pattern a rule author wrote that cannot be compiled; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str = SYNTAX_HINT):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Phrase:
    """One compiled pattern: the text as its author wrote it and the expression it became."""

    source: str
    regex: re.Pattern[str]
    max_words: int  # the longest run of words it can match


@dataclass(frozen=True)
class LanguageEntry:
    """One entry of the language list: what it catches, why the wording harms, and better words."""

    id: str
    patterns: tuple[Phrase, ...]
    why: str
    suggestions: tuple[str, ...]
    reference: str = ""
    unless: tuple[Phrase, ...] = ()

    @classmethod
    def of(cls, id: str, patterns: Iterable[str], why: str, suggestions: Iterable[str], reference: str = "",
           unless: Iterable[str] = ()) -> LanguageEntry:
        """Build an entry from pattern texts (raises PatternError)."""
        return cls(id, tuple(map(compile_phrase, patterns)), why, tuple(suggestions), reference,
                   tuple(map(compile_phrase, unless)))


@dataclass(frozen=True)
class LanguageFinding:
    """Wording found in a text: `text` is exactly as written, at text[start:end]."""

    id: str
    text: str
    start: int
    end: int
    why: str
    suggestions: tuple[str, ...]
    quoted: bool = False  # inside double quotation marks: perhaps someone's own words, to be kept as said

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end, "why": self.why,
                "suggestions": list(self.suggestions), "quoted": self.quoted}


# -- compiling patterns -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Element:
    regex: str  # without surrounding spaces
    words: int = 1  # the most words it can match
    optional: bool = False
    gap: bool = False


def compile_phrase(source: str) -> Phrase:
    """Compile one author-written pattern (raises PatternError)."""
    if not isinstance(source, str) or not source.strip():
        raise PatternError("the pattern is empty")
    elements = _parse(source.replace("…", "...").casefold())
    _check_ends(elements)
    regex = re.compile(r"(?<!\S)" + _join(elements) + r"(?!\S)")
    return Phrase(source, regex, sum(e.words for e in elements))


def _lex(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    for match in _LEX.finditer(text):
        kind = match.lastgroup or "bad"
        star_inside = kind == "word" and match.group().endswith("*") and _word_follows(text, match.end())
        if kind == "bad" or star_inside:
            where = match.start() + 1 + (len(match.group()) - 1 if kind == "word" else 0)
            shown = "*" if kind == "word" else match.group()
            raise PatternError(f"unexpected '{shown}' at character {where} of the pattern")
        if kind != "space":
            yield kind, match


def _word_follows(text: str, at: int) -> bool:
    return at < len(text) and bool(re.match(r"[^\W_]", text[at]))


def _parse(text: str) -> list[_Element]:
    parser = _Parser()
    for kind, match in _lex(text):
        getattr(parser, kind)(match)
    if parser.group is not None:
        raise PatternError("a '(' is never closed", "close the alternatives with ')'")
    return parser.elements


class _Parser:
    """Turns lexed pieces into elements: words, numbers, bracketed alternatives and gaps."""

    def __init__(self) -> None:
        self.elements: list[_Element] = []
        self.group: list[list[_Element]] | None = None  # the alternatives of an open '('

    def open(self, match: re.Match[str]) -> None:
        if self.group is not None:
            raise PatternError("brackets cannot go inside brackets", "write alternatives in full: (a b|a c)")
        self.group = [[]]

    def bar(self, match: re.Match[str]) -> None:
        self._in_group(match).append([])

    def close(self, match: re.Match[str]) -> None:
        self.elements.append(_group(self._in_group(match)))
        self.group = None

    def gap(self, match: re.Match[str]) -> None:
        if self.group is not None:
            raise PatternError("'...' cannot go inside brackets", "put '...' between words or brackets")
        self.elements.append(_gap(match.group("n")))

    def word(self, match: re.Match[str]) -> None:
        self._add(_word(match))

    def num(self, match: re.Match[str]) -> None:
        self._add(_number(match))

    def _add(self, element: _Element) -> None:
        (self.elements if self.group is None else self.group[-1]).append(element)

    def _in_group(self, match: re.Match[str]) -> list[list[_Element]]:
        if self.group is None:
            raise PatternError(f"'{match.group()}' outside brackets", "alternatives go in brackets: (a|b)")
        return self.group


def _word(match: re.Match[str]) -> _Element:
    word = match.group()
    parts = _APOSTROPHES.sub("", word.rstrip("*")).split("-")  # a hyphen stands between two words
    if word.endswith("*") and len(parts[-1]) < MIN_STEM:
        raise PatternError(f"'{word}' is too short to end with '*'",
                           f"put '*' after at least {MIN_STEM} letters, or list the words: (is|isnt)")
    regex = " ".join(map(re.escape, parts)) + (r"\w*" if word.endswith("*") else "")
    return _Element(regex, len(parts))


def _number(match: re.Match[str]) -> _Element:
    """{N-M}: the numbers N to M; {N+}: N up to the last number of its length, then any longer number."""
    lo = int(match.group("lo"))
    digits = len(str(lo))
    hi = int(match.group("hi")) if match.group("hi") else 10 ** digits - 1
    if lo > hi or hi > MAX_NUMBER:
        raise PatternError(f"'{match.group()}' is not a usable number range",
                           f"write {{N+}} or {{N-M}} with N no more than M and both at most {MAX_NUMBER}")
    numbers = [str(n) for n in range(lo, hi + 1)]
    if match.group("plus"):
        numbers.append(rf"[1-9]\d{{{digits},}}")
    return _Element("(?:" + "|".join(numbers) + ")")


def _group(alternatives: list[list[_Element]]) -> _Element:
    filled = [words for words in alternatives if words]
    if not filled:
        raise PatternError("empty brackets", "put at least one word in the brackets: (a|b)")
    regex = "(?:" + "|".join(" ".join(e.regex for e in words) for words in filled) + ")"
    most = max(sum(e.words for e in words) for words in filled)
    return _Element(regex, most, optional=len(filled) < len(alternatives))


def _gap(digits: str | None) -> _Element:
    n = int(digits) if digits else DEFAULT_GAP
    if not 1 <= n <= MAX_GAP:
        raise PatternError(f"'...{digits}' allows {n} words in between", f"use a number from 1 to {MAX_GAP}")
    return _Element(rf"(?: \w+){{0,{n}}}?", n, gap=True)


def _check_ends(elements: list[_Element]) -> None:
    if not any(not e.gap and not e.optional for e in elements):
        raise PatternError("the pattern needs at least one word that must be there")
    if elements[0].gap or elements[-1].gap or elements[0].optional:
        raise PatternError("a pattern cannot start or end with '...', nor start with optional brackets",
                           "'...' and optional brackets (a|) go between words")
    if any(a.gap and b.gap for a, b in zip(elements, elements[1:], strict=False)):
        raise PatternError("two '...' in a row", "write one '...N' with the total number of words")


def _join(elements: list[_Element]) -> str:
    regex = elements[0].regex
    for element in elements[1:]:
        if element.gap:
            regex += element.regex
        elif element.optional:
            regex += f"(?: {element.regex})?"
        else:
            regex += f" {element.regex}"
    return regex


# -- matching text ----------------------------------------------------------------------------------------
Span = tuple[int, int]  # first and last token index


@dataclass(frozen=True)
class _Text:
    """A text as normalised words (with sentence-break markers) and the way back to the original."""

    original: str
    normal: str
    starts: tuple[int, ...]  # where each normalised token starts and ends in `normal`
    ends: tuple[int, ...]
    spans: tuple[tuple[int, int] | None, ...]  # each token's span in `original`; None for a sentence break
    quoted: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> _Text:
        tokens: list[str] = []
        spans: list[tuple[int, int] | None] = []
        last_end = 0
        for match in _WORD.finditer(text):
            if spans and _BREAK.search(text, last_end, match.start()):
                tokens.append(_BREAK_TOKEN)
                spans.append(None)
            tokens.append(_APOSTROPHES.sub("", match.group().casefold()))
            spans.append(match.span())
            last_end = match.end()
        starts, at = [], 0
        for token in tokens:
            starts.append(at)
            at += len(token) + 1
        ends = tuple(start + len(token) for start, token in zip(starts, tokens, strict=True))
        quoted = tuple(m.span() for m in _QUOTED.finditer(text))
        return cls(text, " ".join(tokens), tuple(starts), ends, tuple(spans), quoted)

    def find(self, phrases: tuple[Phrase, ...]) -> list[Span]:
        """Token spans of the (leftmost, non-overlapping) matches of each phrase."""
        return [(self._token(m.start()), self._token(m.end() - 1))
                for phrase in phrases for m in phrase.regex.finditer(self.normal)]

    def _token(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def touches(self, phrase: Phrase, span: Span) -> bool:
        """Whether `phrase` matches any run of words that overlaps `span`."""
        first, last = span
        for start in range(max(0, first - phrase.max_words + 1), last + 1):
            for end in range(max(first, start), min(len(self.starts), start + phrase.max_words)):
                if phrase.regex.fullmatch(self.normal, self.starts[start], self.ends[end]):
                    return True
        return False

    def negated(self, first: int) -> bool:
        """Whether a negation reaches the word at `first` from the words before it in its sentence."""
        tokens = self.normal.split(" ")
        for before in range(first - 1, max(-1, first - NEGATION_REACH - 1), -1):
            token = tokens[before]
            if token == _BREAK_TOKEN or token in NEGATION_STOPS:
                return False
            if token in NEGATIONS:
                return True
        return False

    def match(self, span: Span) -> PhraseMatch:
        start, end = self.spans[span[0]][0], self.spans[span[1]][1]  # type: ignore[index]
        return PhraseMatch(self.original[start:end], start, end)

    def finding(self, entry: LanguageEntry, span: Span) -> LanguageFinding:
        start, end = self.spans[span[0]][0], self.spans[span[1]][1]  # type: ignore[index]
        quoted = any(q_start <= start and end <= q_end for q_start, q_end in self.quoted)
        text = self.original[start:end]
        return LanguageFinding(entry.id, text, start, end, entry.why, entry.suggestions, quoted)


def check_language(entries: Iterable[LanguageEntry], text: str) -> list[LanguageFinding]:
    """Every piece of listed wording in `text`, in order of position.

    Where findings overlap, the one starting first (then the longest, then the earlier entry) is kept, so
    each stretch of text carries at most one finding.
    """
    doc = _Text.of(text)
    found = [(span, order, entry) for order, entry in enumerate(entries) for span in _entry_spans(doc, entry)]
    kept: list[tuple[Span, int, LanguageEntry]] = []
    for span, order, entry in sorted(found, key=lambda f: (f[0][0], -f[0][1], f[1])):
        if not any(_overlaps(k[0], span) for k in kept):
            kept.append((span, order, entry))
    return [doc.finding(entry, span) for span, _, entry in kept]


def _entry_spans(doc: _Text, entry: LanguageEntry) -> list[Span]:
    return [span for span in doc.find(entry.patterns) if not any(doc.touches(u, span) for u in entry.unless)]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# -- phrases that suggest something (signs from a practitioner's words) -----------------------------------------
NEGATIONS = frozenset({"no", "not", "never", "none", "nor", "without", "deny", "denies", "denied", "denying",
                       "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "hasnt", "havent", "hadnt",
                       "cant", "cannot", "couldnt", "wont", "wouldnt", "nothing", "unlikely", "ruled"})
NEGATION_REACH = 4  # words before a match that a negation reaches ("no sign of any drug use")
NEGATION_STOPS = frozenset({"but", "however", "although", "though", "yet", "and", "except", "whereas", "while"})


@dataclass(frozen=True)
class PhraseMatch:
    """Where a phrase matched: `text` exactly as written, at text[start:end]."""

    text: str
    start: int
    end: int


def phrase_matches(groups: Iterable[tuple[str, tuple[Phrase, ...]]], text: str) -> dict[str, list[PhraseMatch]]:
    """For each (key, phrases), the places any phrase matches `text`, leaving out a match a negation reaches ("no
    sign of drugs", "she denies meeting him", "hasn't gone missing"): up to NEGATION_REACH words before it in the
    same sentence, unless a word such as 'but' or 'and' comes between. Keys with no match are left out."""
    doc = _Text.of(text)
    found: dict[str, list[PhraseMatch]] = {}
    for key, phrases in groups:
        kept = [doc.match(span) for span in doc.find(phrases) if not doc.negated(span[0])]
        if kept:
            found[key] = kept
    return found

"""The rules as decision tables, one per route: when each rule applies, in words, its minimum route and level,
whether it asks for a strategy meeting, and where it comes from; as CSV and as a spreadsheet (XLSX) whose
thresholds, minimum routes and levels can be changed offline and read back into the rules.yaml text, every other
line kept as written. Pure Python: no web or database import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from ..model import RuleSet
from ..ruleset import roundtrip
from .changes import OPERATIONS, fact_words
from .impact_words import first_sentence

NO_ROUTE = "Rules that set no route of their own (a level, a meeting or steps)"
COLUMNS = ("Rule", "When it applies", "Minimum route", "Minimum level", "Strategy meeting", "Reference")
KEY = "Key (do not change)"
THRESHOLD_COLUMNS = ("Rule", "What is compared", "Value", KEY, "Place")
MAX_UPLOAD_ROWS = 5_000


@dataclass(frozen=True)
class Row:
    key: str  # the rule's id: only in the spreadsheet's last column, to read it back
    rule: str
    when: str
    route: str
    level: str
    strategy: str
    reference: str
    thresholds: tuple[tuple[str, int], ...]  # (what is compared, value), in the order the rule writes them

    def cells(self) -> tuple[str, ...]:
        return self.rule, self.when, self.route, self.level, self.strategy, self.reference


def threshold_label(rs: RuleSet, node: Mapping[str, Any], key: str) -> str:
    """What a threshold compares, in words ("Missing episodes, last 90 days: at least")."""
    if "fact" in node:
        return f"{fact_words(rs, str(node['fact']))}: {OPERATIONS[key]}"
    return f"How many of its signs are present: {OPERATIONS[key]}"


def rules_text(rs: RuleSet) -> str:
    return next(text for name, text in rs.sources if name.rsplit("/", 1)[-1] == "rules.yaml")


def tables(rs: RuleSet, query: str = "") -> list[tuple[str, list[Row]]]:
    """(route label, rows) for each route, highest first, then the rules that set no route; only rows whose
    words contain every word of `query`."""
    words = query.lower().split()
    numbers = {str(item["id"]): roundtrip.number_nodes(item["when"])
               for item in roundtrip.load(rules_text(rs))["rules"]}
    pairs = [(rule, _row(rs, rule, numbers.get(rule.id, []))) for rule in rs.rules]
    pairs = [(rule, row) for rule, row in pairs if all(w in " ".join(row.cells()).lower() for w in words)]
    by_route = [(route.label, [row for rule, row in pairs if rule.then.route == route.id])
                for route in reversed(rs.routes)]
    rest = [row for rule, row in pairs if not rule.then.route]
    return [(label, found) for label, found in [*by_route, (NO_ROUTE, rest)] if found]


def _row(rs: RuleSet, rule: Any, numbers: list[tuple[Any, str]]) -> Row:
    then = rule.then
    route = rs.route_by_id.get(then.route or "")
    within = then.strategy_within or (route.strategy_within if route else None)
    strategy = ("Yes" + (f", within {within}" if within else "")) if then.strategy_meeting else "No"
    return Row(rule.id, first_sentence(rule.description), rule.when.describe(), route.label if route else "",
               rs.level_by_id[then.level].label if then.level else "", strategy, rule.reference,
               tuple((threshold_label(rs, node, key), int(node[key])) for node, key in numbers))


def to_csv(rs: RuleSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("Route", *COLUMNS))
    for label, rows in tables(rs):
        writer.writerows((label, *row.cells()) for row in rows)
    return out.getvalue()


def to_xlsx(rs: RuleSet) -> bytes:
    """A workbook: one sheet of rules by route, and one of thresholds (the numbers a partnership can change)."""
    book = Workbook()
    sheet = book.create_sheet("Rules", 0)
    book.remove(book.worksheets[1])  # the empty sheet every new workbook starts with
    sheet.append(("Route", *COLUMNS, KEY))
    thresholds = book.create_sheet("Thresholds")
    thresholds.append(THRESHOLD_COLUMNS)
    for label, rows in tables(rs):
        for row in rows:
            sheet.append((label, *row.cells(), row.key))
            for place, (what, value) in enumerate(row.thresholds, 1):
                thresholds.append((row.rule, what, value, row.key, place))
    for ws in (sheet, thresholds):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class SpreadsheetProblem(ValueError):
    """The uploaded spreadsheet cannot be read back: each problem in words, with its sheet and row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def from_xlsx(data: bytes, rs: RuleSet) -> str:
    """rules.yaml with the thresholds, minimum routes and levels of an uploaded workbook (as `to_xlsx` wrote it)
    written in; every other line as it was. Raises SpreadsheetProblem."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SpreadsheetProblem(["The file is not a spreadsheet saved as .xlsx"]) from exc
    if "Rules" not in book.sheetnames or "Thresholds" not in book.sheetnames:
        raise SpreadsheetProblem(["The spreadsheet needs the sheets “Rules” and “Thresholds” as downloaded"])
    problems: list[str] = []
    wanted: dict[str, dict[str, Any]] = {}
    for number, key, route, level in _rule_rows(book["Rules"], rs, problems):
        wanted.setdefault(key, {}).update(route=route, level=level, row=number)
    for number, key, place, value in _threshold_rows(book["Thresholds"], problems):
        wanted.setdefault(key, {}).setdefault("numbers", {})[place] = (value, number)
    known = {r.id for r in rs.rules}
    for key, change in wanted.items():
        if key not in known:
            problems.append(f"Row {change.get('row', '?')}: the key “{key}” is not one of the rules; "
                            "copy it back from a fresh download")
    text = roundtrip.change_items(rules_text(rs), "rules", {key: partial(_apply, change=change, problems=problems)
                                                            for key, change in wanted.items() if key in known})
    if problems:
        raise SpreadsheetProblem(problems)
    return text


def _apply(item: Any, *, change: Mapping[str, Any], problems: list[str]) -> None:
    nodes = roundtrip.number_nodes(item["when"])
    for place, (value, row) in change.get("numbers", {}).items():
        if not 1 <= place <= len(nodes):
            problems.append(f"Thresholds, row {row}: the place {place} is not one of this rule's thresholds")
            continue
        node, key = nodes[place - 1]
        node[key] = value
    for part in ("route", "level"):
        if part in change and item["then"].get(part, "") != change[part]:
            if change[part]:
                item["then"][part] = change[part]
            else:
                item["then"].pop(part, None)


def _rule_rows(sheet: Any, rs: RuleSet, problems: list[str]) -> Iterator[tuple[int, str, str, str]]:
    routes = {r.label: r.id for r in rs.routes}
    levels = {lv.label: lv.id for lv in rs.levels}
    for number, cells in _rows(sheet, len(COLUMNS) + 2, problems):
        route, level, key = _text(cells[3]), _text(cells[4]), _text(cells[-1])
        if not key:
            continue
        if route and route not in routes:
            problems.append(f"Rules, row {number}: “{route}” is not one of the routes; choose one as written")
        elif level and level not in levels:
            problems.append(f"Rules, row {number}: “{level}” is not one of the levels; choose one as written")
        else:
            yield number, key, routes.get(route, ""), levels.get(level, "")


def _threshold_rows(sheet: Any, problems: list[str]) -> Iterator[tuple[int, str, int, int]]:
    for number, cells in _rows(sheet, len(THRESHOLD_COLUMNS), problems):
        value, key, place = cells[2], _text(cells[3]), cells[4]
        if not key:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9999:
            problems.append(f"Thresholds, row {number}: enter a whole number from 0 to 9999 as the value")
        elif not isinstance(place, int) or isinstance(place, bool):
            problems.append(f"Thresholds, row {number}: the place must stay as downloaded")
        else:
            yield number, key, place, value


def _rows(sheet: Any, width: int, problems: list[str]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), 2):
        if number > MAX_UPLOAD_ROWS:
            problems.append(f"The sheet “{sheet.title}” has more than {MAX_UPLOAD_ROWS:,} rows")
            return
        yield number, tuple(cells) + (None,) * (width - len(cells))


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())

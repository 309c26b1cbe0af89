"""Dates and date ranges as résumés write them: "Jan 2020 – Present", "2019-03", "03/2019",
"2018 — 2020", "Summer 2017", "Q3 2019", "Mar – Jun 2021".

Counting convention (the CLI summary says "months inclusive"): months are inclusive, so
Jan 2020 – Mar 2020 is 3 months. A bare year starts in January; a bare end year ends in January
of that year ("2018 – 2020" is 25 months, i.e. "about two years") unless it equals the start
year, when it ends in December. "Present" ends in the current month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 1}
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TOKEN = re.compile(
    rf"""
    (?P<present>\b(?:present|current(?:ly)?|now|today|ongoing|to\ date|heute|aktuell)\b)
    | \b(?P<mname>{MONTH_NAME})\.?,?\s+(?:'|’)?(?P<myear>{_YEAR})\b
    | \b(?P<season>spring|summer|fall|autumn|winter)\s+(?P<syear>{_YEAR})\b
    | \bq(?P<quarter>[1-4])\s+(?P<qyear>{_YEAR})\b
    | \b(?P<iyear>{_YEAR})[-/.](?P<imonth>0?[1-9]|1[0-2])\b(?![-/.]\d)
    | (?<![\d/.-])(?P<nmonth>0?[1-9]|1[0-2])[/.-](?P<nyear>{_YEAR})\b
    | (?<![\d/.-])(?P<year>{_YEAR})\b(?![-/.]\d)
    | \b(?P<bare>{MONTH_NAME})\b\.?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = re.compile(r"\s*(?:[-–—−~]+|to|until|till|bis|→|->|/)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class YearMonth:
    """A calendar month."""

    year: int
    month: int

    @property
    def index(self) -> int:
        """Months since year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    def to_date(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    @classmethod
    def from_date(cls, day: dt.date) -> YearMonth:
        """The month a date falls in."""
        return cls(day.year, day.month)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A span of months found in text, with where it was found."""

    start: YearMonth
    end: YearMonth
    current: bool
    span: tuple[int, int]

    @property
    def months(self) -> int:
        """Inclusive length in months (at least 1)."""
        return max(1, self.end.index - self.start.index + 1)

    def month_set(self) -> set[int]:
        """Every month index the range covers, for interval unions."""
        return set(range(self.start.index, self.start.index + self.months))


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "present", "month", "season", "year", "bare"
    value: YearMonth | None
    bare_month: int | None
    start: int
    end: int


def _token(match: re.Match[str]) -> _Token:
    g = match.groupdict()
    s, e = match.span()
    if g["present"]:
        return _Token("present", None, None, s, e)
    if g["mname"]:
        return _Token(
            "month", YearMonth(int(g["myear"]), _MONTHS[g["mname"][:3].lower()]), None, s, e
        )
    if g["season"]:
        month = _SEASONS[g["season"].lower()]
        return _Token("season", YearMonth(int(g["syear"]), month), None, s, e)
    if g["quarter"]:
        month = 3 * int(g["quarter"]) - 2
        return _Token("month", YearMonth(int(g["qyear"]), month), None, s, e)
    if g["iyear"]:
        return _Token("month", YearMonth(int(g["iyear"]), int(g["imonth"])), None, s, e)
    if g["nyear"]:
        return _Token("month", YearMonth(int(g["nyear"]), int(g["nmonth"])), None, s, e)
    if g["year"]:
        return _Token("year", YearMonth(int(g["year"]), 1), None, s, e)
    return _Token("bare", None, _MONTHS[g["bare"][:3].lower()], s, e)


def find_date_ranges(text: str, today: dt.date) -> list[DateRange]:
    """Every "start – end" range in the text (and "since X"/"X – present"), left to right."""
    tokens = [_token(m) for m in _TOKEN.finditer(text)]
    now = YearMonth.from_date(today)
    ranges: list[DateRange] = []
    i = 0
    while i < len(tokens) - 1:
        first, second = tokens[i], tokens[i + 1]
        between = text[first.end : second.start]
        if first.kind != "present" and second.kind != "bare" and _SEPARATOR.fullmatch(between):
            current = second.kind == "present"
            end = now if second.value is None else second.value
            if first.kind == "bare":
                assert first.bare_month is not None
                start = YearMonth(end.year, first.bare_month)
            else:
                assert first.value is not None
                start = first.value
            if second.kind == "year" and end.year > start.year:
                end = YearMonth(end.year, 1)
            elif second.kind == "year":
                end = YearMonth(end.year, 12)
            if end.index >= start.index:
                ranges.append(DateRange(start, end, current, (first.start, second.end)))
                i += 2
                continue
        i += 1
    if not ranges:
        since = re.search(r"\bsince\s+", text, re.IGNORECASE)
        for token in tokens:
            if since and token.start == since.end() and token.value is not None:
                ranges.append(DateRange(token.value, now, True, (since.start(), token.end)))
    return ranges


def find_single_date(text: str) -> DateRange | None:
    """A lone date standing for a short role: a season is 3 months, a month 1, a year 12."""
    for match in _TOKEN.finditer(text):
        token = _token(match)
        if token.value is None:
            continue
        length = {"season": 3, "month": 1, "year": 12}[token.kind]
        start = token.value
        end_index = start.index + length - 1
        end = YearMonth(end_index // 12, end_index % 12 + 1)
        return DateRange(start, end, False, (token.start, token.end))
    return None


def find_years(text: str) -> list[int]:
    """Four-digit years mentioned in the text, for education lines."""
    return [int(y) for y in re.findall(rf"(?<!\d){_YEAR}(?!\d)", text)]


def union_months(ranges: list[DateRange]) -> int:
    """Months covered by any range: overlapping roles are not double-counted."""
    covered: set[int] = set()
    for date_range in ranges:
        covered |= date_range.month_set()
    return len(covered)

"""Dates as Ofsted letters write them.

Every accepted shape is one entry in ``DATE_PATTERNS`` (a name and a regular expression).
``find_date`` returns the earliest (then longest) match of any of them; a new shape is handled
by adding an entry, not by changing the search.

Shapes handled: "2 February 2022", "2 and 3 February 2022", "2, 3 and 4 February 2022",
"22/23 September 2020", "2-3 February 2022" (hyphen, en or em dash), "2 to 3 February 2022",
"28 February to 1 March 2022", "30 December 2021 to 2 January 2022", ordinals ("2nd"),
abbreviated months ("Feb", "Sept"), and any of these without the year ("22/23 September"),
in which case the caller supplies the year (and should say so in a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# Between the two ends of a range: "-", "–", "—", "/", "&", "to", "and", "until", "through".
RANGE_SEP = r"\s*(?:[-\u2013\u2014/&]|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*"
LIST_SEP = r"(?:\s*,\s*(?:and\s+)?|" + RANGE_SEP + r")"
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"


def _month(group: str) -> str:
    return (
        rf"(?P<{group}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
        rf"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
    )


@dataclass(frozen=True)
class DatePattern:
    name: str
    regex: re.Pattern


# Order does not matter for the search (earliest, then longest match wins), but the names
# appear in results so a test or a warning can say which shape was recognised.
DATE_PATTERNS = [
    DatePattern(
        "range_across_years",
        re.compile(
            rf"\b{WEEKDAY}(?P<d1>{DAY})\s+{_month('m1')},?\s+(?P<y1>{YEAR}){RANGE_SEP}"
            rf"{WEEKDAY}(?P<d2>{DAY})\s+{_month('m2')},?\s+(?P<y2>{YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    DatePattern(
        "range_across_months",
        re.compile(
            rf"\b{WEEKDAY}(?P<d1>{DAY})\s+{_month('m1')}{RANGE_SEP}"
            rf"{WEEKDAY}(?P<d2>{DAY})\s+{_month('m2')}(?:,?\s+(?P<y2>{YEAR}))?\b",
            re.IGNORECASE,
        ),
    ),
    DatePattern(
        # One day or a list/range of days in one month: "2 and 3 February 2022", "22/23
        # September", "2–3 February", "4, 5 and 6 March 2019", "9 March 2022".
        "days_in_one_month",
        re.compile(
            rf"\b{WEEKDAY}(?P<days>{DAY}(?:{LIST_SEP}{DAY})*)\s+{_month('m')}"
            rf"(?:,?\s+(?P<y>{YEAR}))?\b",
            re.IGNORECASE,
        ),
    ),
    DatePattern(
        "numeric_dd_mm_yyyy",
        re.compile(r"\b(?P<nd>3[01]|[12]\d|0?[1-9])[/.](?P<nm>1[0-2]|0?[1-9])[/.](?P<ny>(?:19|20)\d\d)\b"),
    ),
]


@dataclass(frozen=True)
class DateMatch:
    """A date or a date range as found in the text; a year may be missing."""

    pattern: str
    text: str
    pos: int
    end: int
    start_day: int
    start_month: int
    start_year: int | None
    end_day: int
    end_month: int
    end_year: int | None

    @property
    def has_year(self) -> bool:
        return self.end_year is not None

    def resolve(self, default_year: int | None = None) -> tuple[date, date]:
        """Return (start, end). Raises ValueError if impossible or if the year is missing."""
        end_year = self.end_year if self.end_year is not None else default_year
        if end_year is None:
            raise ValueError(f"no year in {self.text!r}")
        start_year = self.start_year
        if start_year is None:
            # "30 December to 2 January 2022": the start is in the year before.
            later = (self.start_month, self.start_day) > (self.end_month, self.end_day)
            start_year = end_year - 1 if later else end_year
        start = date(start_year, self.start_month, self.start_day)
        end = date(end_year, self.end_month, self.end_day)
        if end < start:
            raise ValueError(f"{self.text!r} ends before it starts")
        return start, end


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _month_number(text: str) -> int:
    return MONTHS[text[:3].lower()]


def _to_match(pattern: DatePattern, m: re.Match) -> DateMatch:
    groups = m.groupdict()
    if groups.get("nd"):
        day, month, year = int(groups["nd"]), int(groups["nm"]), int(groups["ny"])
        values = (day, month, year, day, month, year)
    elif groups.get("days"):
        days = [int(d) for d in re.findall(r"\d+", groups["days"])]
        month = _month_number(groups["m"])
        year = int(groups["y"]) if groups.get("y") else None
        values = (min(days), month, year, max(days), month, year)
    else:
        y1 = groups.get("y1")
        y2 = groups.get("y2")
        values = (
            _day(groups["d1"]),
            _month_number(groups["m1"]),
            int(y1) if y1 else None,
            _day(groups["d2"]),
            _month_number(groups["m2"]),
            int(y2) if y2 else None,
        )
    return DateMatch(pattern.name, m.group().strip(), m.start(), m.end(), *values)


def find_dates(text: str) -> list[DateMatch]:
    """All non-overlapping date expressions, left to right (longest wins at a position)."""
    candidates = []
    for pattern in DATE_PATTERNS:
        for m in pattern.regex.finditer(text):
            candidates.append(_to_match(pattern, m))
    candidates.sort(key=lambda c: (c.pos, -(c.end - c.pos)))
    result: list[DateMatch] = []
    for candidate in candidates:
        if result and candidate.pos < result[-1].end:
            continue
        result.append(candidate)
    return result


def find_date(text: str, *, at_start: bool = False) -> DateMatch | None:
    """The first date expression in ``text`` (with ``at_start``: only one that opens it)."""
    found = find_dates(text)
    if not found:
        return None
    first = found[0]
    if at_start and text[: first.pos].strip(" ,:(") != "":
        return None
    return first


STANDALONE_DATE = re.compile(r"^(?:Date(?:d)?\s*:?\s*)?(?P<rest>.+?)\.?$", re.IGNORECASE)


def parse_standalone_date(line: str) -> date | None:
    """A line that is only a single full date (letter dates): "9 March 2022", "Date: 9/3/2022"."""
    m = STANDALONE_DATE.match(line.strip())
    if not m:
        return None
    rest = m.group("rest")
    found = find_date(rest)
    if found is None or found.pos != 0 or found.end != len(rest) or not found.has_year:
        return None
    if (found.start_day, found.start_month) != (found.end_day, found.end_month):
        return None
    try:
        return found.resolve()[0]
    except ValueError:
        return None

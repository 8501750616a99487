"""Dates as news text writes them ("Oct. 15, 2014", "15 October 2014", "2014-10-15") -> ISO dates."""

from __future__ import annotations

import re
from datetime import date as Date

from .lexicon import MONTH_ABBREVIATIONS, MONTHS

_MONTHS = "|".join(MONTHS)
_MON_ABBR = "|".join(MONTH_ABBREVIATIONS)
MONTH = rf"(?:{_MONTHS}|(?:{_MON_ABBR})\.?)"  # a month name or abbreviation, as a regex
DATE_PATTERN = re.compile(
    rf"\b(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH})\s+(?P<year2>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)


def parse_date(value: object) -> str | None:
    """Normalise a date given in any common form to YYYY-MM-DD, or None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = DATE_PATTERN.search(text)
    if match:
        return date_from_match(match)
    try:
        from dateutil import parser as dateparser

        parsed = dateparser.parse(text, default=None, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date().isoformat() if parsed else None


def date_from_match(match: re.Match[str]) -> str | None:
    if match.group("iso"):
        try:
            return Date.fromisoformat(match.group("iso")).isoformat()
        except ValueError:
            return None
    month = (match.group("month") or match.group("month2")).rstrip(".").lower()[:3]
    day = int(match.group("day") or match.group("day2"))
    year = int(match.group("year") or match.group("year2"))
    month_number = [m[:3] for m in MONTHS].index(month) + 1
    try:
        return Date(year, month_number, day).isoformat()
    except ValueError:
        return None


def to_date(value: object) -> Date | None:
    """`parse_date` as a `datetime.date`: for comparing and sorting dates."""
    iso = parse_date(value)
    return Date.fromisoformat(iso) if iso else None

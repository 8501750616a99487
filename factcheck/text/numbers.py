"""Numbers written in words, rewritten in digits, as news copy writes them.

A reader writes "two and a half billion dollars", "fifty-two-year-old" or "Eighty engineers"
where the article has "$2.5 billion", "52" and "80 engineers". The stance model, trained mostly
on digits, reads such a pair as unrelated; the slot rules need both sides in one form too. So
both texts of a pair are read through `digits` first: scale words stay words ("2.5 billion"),
as in news copy, and "one" alone stays a word ("one of the officers"). Pure function.
"""

from __future__ import annotations

import re

from .lexicon import MONTHS, NUMBER_WORDS

_UNITS = {word: value for word, value in NUMBER_WORDS.items() if word not in ("hundred", "dozen")} | {"one": 1}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD = re.compile(r"[A-Za-z]+")
_HALF = re.compile(r" and a half\b", re.IGNORECASE)
_SCALE = re.compile(r" (thousand|million|billion|trillion)\b", re.IGNORECASE)
_DOLLARS = re.compile(r" (?:US |U\.S\. )?dollars\b", re.IGNORECASE)
_CENTS = re.compile(r" cents?\b", re.IGNORECASE)
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# "one point four billion": the digits after the point, each a word
_POINT = re.compile(r" point((?: (?:" + "|".join(_DIGIT_WORDS) + r"))+)\b", re.IGNORECASE)
# "a million", "a hundred": the article is the number one ("half a million" stays as it is)
_A_SCALE = re.compile(r"(?<![Hh]alf )\b[Aa]n? (hundred|thousand|million|billion|trillion)\b")


_ORDINAL_UNITS = dict(
    zip("first second third fourth fifth sixth seventh eighth ninth".split(), range(1, 10), strict=True)
) | dict(
    zip(
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(),
        range(10, 20),
        strict=True,
    )
)
_ORDINALS = (
    _ORDINAL_UNITS
    | {"twentieth": 20, "thirtieth": 30}
    | {
        f"{tens}{joiner}{unit}": base + n
        for tens, base in (("twenty", 20), ("thirty", 30))
        for unit, n in _ORDINAL_UNITS.items()
        if n < 10
        for joiner in ("-", " ")
    }
)
_MONTH = "|".join(m.capitalize() for m in MONTHS)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)|(?P<word>" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
# "the twenty-fifth of January", "the 25th of January", "January twenty-fifth" -> "January 25"
_DAY_OF_MONTH = re.compile(rf"\b(?:[Tt]he )?(?i:{_DAY}) of (?P<month>{_MONTH})\b")  # a month only as a name: "May", not "may"
_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH}) (?:the )?(?i:{_DAY})\b")


def _date(match: re.Match[str]) -> str:
    day = match["day"] or str(_ORDINALS[match["word"].lower()])
    return f"{match['month']} {day}"


# a share said as a fraction, as the article may give it in percent: "one in four" / "26 per cent"
_FRACTIONS = {
    "one in two": 50,
    "one in three": 33,
    "one in four": 25,
    "one in five": 20,
    "one in ten": 10,
    "half of": 50,
    "a third of": 33,
    "one third of": 33,
    "one-third of": 33,
    "a quarter of": 25,
    "one quarter of": 25,
    "one-quarter of": 25,
    "one-half of": 50,
    "two thirds of": 67,
    "two-thirds of": 67,
    "three quarters of": 75,
    "three-quarters of": 75,
}
_SHARE = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_PER_CENT = re.compile(r"(?<=\d)[ -]per[ -]cent\b", re.IGNORECASE)


def _share(match: re.Match[str]) -> str:
    words = match.group(1).lower()
    of = " of" if words.endswith(" of") else ""
    return f"{_FRACTIONS[words]}%{of}"


def digits(text: str) -> str:
    """`text` with every number written in words written in digits ("forty-two" -> "42"), and
    a day of the month as a date is written ("the twenty-fifth of January" -> "January 25")."""
    text = _MONTH_DAY.sub(_date, _DAY_OF_MONTH.sub(_date, text))
    text = _A_SCALE.sub(r"one \1", text)
    text = _PER_CENT.sub(" percent", _SHARE.sub(_share, text))
    if not any(word.lower() in _UNITS for word in _WORD.findall(text)):
        return text
    words = list(_WORD.finditer(text))
    out: list[str] = []
    done = 0  # text before this offset is written out
    i = 0
    while i < len(words):
        found = _number_at(text, words, i)
        if found is None:
            i += 1
            continue
        start, end, replacement, i = found
        out.append(text[done:start])
        out.append(replacement)
        done = end
    out.append(text[done:])
    return "".join(out)


def _number_at(text: str, words: list[re.Match[str]], i: int) -> tuple[int, int, str, int] | None:
    """The number in words starting at word `i`: (start, end, digits, next word index), or None."""
    first = words[i].group().lower()
    if first not in _UNITS:
        return None
    value, last, j = float(_UNITS[first]), _UNITS[first], i + 1
    while j < len(words) and text[words[j - 1].end() : words[j].start()] in (" ", "-"):
        word = words[j].group().lower()
        if word == "and" and last == 100 and j + 1 < len(words) and words[j + 1].group().lower() in _UNITS:
            j += 1  # "three hundred and fifty"; never "two and a half" or "five and six"
            word = words[j].group().lower()
        if word == "hundred" and last < 100:
            value, last = value * 100, 100
        elif word in _UNITS and _UNITS[word] < 10 and (last == 100 or (last >= 20 and last % 10 == 0)):
            value, last = value + _UNITS[word], _UNITS[word]
        elif word in _UNITS and 10 <= _UNITS[word] <= 90 and last == 100:
            value, last = value + _UNITS[word], _UNITS[word]
        else:
            if words[j - 1].group().lower() == "and":
                j -= 1
            break
        j += 1
    end = words[j - 1].end()
    point = _POINT.match(text, end) if value == int(value) else None
    if point:
        value = float(f"{value:.0f}." + "".join(str(_DIGIT_WORDS.index(w.lower())) for w in point.group(1).split()))
        end = point.end()
    half = None if point else _HALF.match(text, end)
    if half:
        value, end = value + 0.5, half.end()
    scale = _SCALE.match(text, end)
    if scale:
        end = scale.end()
    if j == i + 1 and first == "one" and not half and not scale and not point:
        return None  # "one of the officers", "one day": a word, not a figure
    written = _written(value, scale.group(1).lower() if scale else None)
    dollars = _DOLLARS.match(text, end)
    if dollars:
        written, end = "$" + written, dollars.end()
    j = _next_word(words, j, end)
    if dollars and not scale and value == int(value) and (cents := _cents(text, words, j, end)):
        written, end = f"{written}.{cents[0]:02d}", cents[1]
        j = _next_word(words, j, end)
    return words[i].start(), end, written, j


def _next_word(words: list[re.Match[str]], j: int, end: int) -> int:
    """The index of the first word, from `j` on, that starts at or after offset `end`."""
    while j < len(words) and words[j].start() < end:
        j += 1
    return j


def _cents(text: str, words: list[re.Match[str]], j: int, end: int) -> tuple[int, int] | None:
    """ "nine dollars forty-nine": the cents right after an amount in dollars that ends at
    `end` (word `j` is the next), as (cents, end)."""
    if j >= len(words) or text[end : words[j].start()] != " ":
        return None
    found = _number_at(text, words, j)
    if found is None or not found[2].isdigit() or not 0 < int(found[2]) < 100:  # "$4" is no cents
        return None
    word = _CENTS.match(text, found[1])
    return int(found[2]), word.end() if word else found[1]


def _written(value: float, scale: str | None) -> str:
    if scale in ("million", "billion", "trillion"):
        return f"{value:g} {scale}"
    if scale == "thousand":
        value *= _SCALES["thousand"]
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"

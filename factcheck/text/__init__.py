"""Text helpers every stage shares, kept low in the house so that no stage reaches sideways for them.

lexicon.py    month and weekday names, number words, antonyms: the one word list
dates.py      dates as news text writes them -> ISO dates (`parse_date`, `to_date`)
alignment.py  tokens of a statement, how much of a claim a sentence restates (`overlap`) and
              the slot where two statements conflict (`find_conflict`); pure functions
claim_parts.py a claim split into the atomic statements a reader checks one by one
context.py    a sentence as a reader of its article knows it (names in full, the sentence
              before a pronoun)
"""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Whitespace folded to one space, trimmed, lowercased: what two copies of a text share."""
    return _SPACE.sub(" ", text).strip().lower()


def content_hash(text: str) -> str:
    """Hash of whitespace- and case-normalised text: equal for copies that differ only in layout."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:16]

"""Who asserted a reported statement: "Kim Yo Jong said ...", "..., she said.", "according to X".

Pure functions over one sentence; no model. Precision over recall: when the speaker is unclear
the sentence is treated as the outlet's own statement (`attribute` returns None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPEECH_VERBS = (
    "said says say stated states told tells declared declares announced announces added adds claimed claims "
    "insisted insists warned warns noted notes confirmed confirms denied denies deny disputed disputes "
    "emphasized emphasised stressed wrote writes argued argues acknowledged acknowledges explained explains "
    "maintained maintains asserted asserts rebutted refuted"
).split()
DENIAL_VERBS = frozenset("denied denies deny disputed disputes rebutted refuted".split())
PRONOUNS = frozenset("he she they it we i".split())

_VERB = "|".join(SPEECH_VERBS)
_QUOTE_CLOSE = "\"”’'"
# "..." she said.  /  ..., Mayor Helen Quist said.  /  ..., said the anonymous official.
_TRAILING = re.compile(
    rf"[,{_QUOTE_CLOSE}]\s*(?P<speaker>[^,.;:“”\"]{{1,60}}?)\s+(?P<verb>{_VERB})\b[^,;]{{0,60}}[.!?]?[{_QUOTE_CLOSE}]?\s*$"
)
_TRAILING_INVERTED = re.compile(rf"[,{_QUOTE_CLOSE}]\s*(?P<verb>{_VERB})\s+(?P<speaker>[^,.;:“”\"]{{2,60}}?)[.!?]?\s*$")
_ACCORDING = re.compile(r"\baccording to (?:the )?(?P<speaker>[^,.;]{2,80}?)(?:[,.;]|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?P<speaker>(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*)[’']s? statement\b")
_SPEECH = re.compile(rf"\b(?P<verb>{_VERB})\b")
# capitalised words, initials, honorifics and name particles, read backwards from the verb
_NAME_WORD = re.compile(r"^(?:[A-Z][\w’'.-]*|[A-Z]\.|de|van|von|bin|al|of)$")
_DETERMINERS = frozenset("the a an one two some several".split())
_ORGANISATION_END = frozenset("agency ministry service news times post council company department office committee party".split())
_NOT_A_SPEAKER = frozenset("it this that there which who what these those".split())


@dataclass(frozen=True)
class Attribution:
    """The speaker of a reported statement and the reporting verb."""

    speaker: str
    verb: str
    denial: bool = False  # a reported denial: the speaker denies, the outlet only reports it
    pronoun: bool = False  # "she said": the speaker is named elsewhere in the article

    def to_dict(self) -> dict:
        return {"speaker": self.speaker, "verb": self.verb, "denial": self.denial, "pronoun": self.pronoun}


def attribute(sentence: str) -> Attribution | None:
    """The speaker a sentence reports, or None when it is the outlet's own statement."""
    text = " ".join(sentence.split())
    for pattern in (_TRAILING, _TRAILING_INVERTED):
        match = pattern.search(text)
        if match:
            found = _make(_clean(match.group("speaker")), match.group("verb"))
            if found:
                return found
    match = _ACCORDING.search(text)
    if match:
        found = _make(_clean(match.group("speaker")), "according to")
        if found:
            return found
    for match in _SPEECH.finditer(text):
        speaker = _speaker_before(text[: match.start()])
        if speaker:
            return _make(speaker, match.group("verb"))
    match = _POSSESSIVE.search(text)
    if match:
        return _make(_clean(match.group("speaker")), "statement")
    return None


def _make(speaker: str | None, verb: str) -> Attribution | None:
    if not speaker:
        return None
    words = speaker.split()
    lower = speaker.lower()
    if lower in _NOT_A_SPEAKER or len(words) > 8:
        return None
    if lower not in PRONOUNS and not (any(w[:1].isupper() for w in words) or words[0].lower() in _DETERMINERS):
        return None  # "the need to rebuild trust and" is not a speaker
    return Attribution(speaker=speaker, verb=verb.lower(), denial=verb.lower() in DENIAL_VERBS, pronoun=lower in PRONOUNS)


def _clean(speaker: str) -> str | None:
    speaker = speaker.strip(" ,\"”“’'")
    speaker = re.sub(r"^(?:the|and|but|as)\s+(?=[A-Z])", "", speaker)
    if not speaker or any(w.lower() in ("is", "was", "were", "are", "to", "that", "has", "had") for w in speaker.split()):
        return None
    return speaker


def _speaker_before(before: str) -> str | None:
    """The subject right before a speech verb: a name (with an appositive) or a short noun phrase."""
    before = before.rstrip()
    before = re.sub(r"\s+(?:also|later|then|previously|again|has|had|have|had also|has also)$", "", before)
    if before.endswith(","):
        # "Dr. A. J. Porter, Northvale's chief executive, denied" / "The spokesperson, Priya Raman, said"
        pieces = [p.strip() for p in before[:-1].split(",")]
        if len(pieces) >= 2:
            return _trailing_name(pieces[-1], whole=True) or _trailing_name(pieces[-2])
        return None
    name = _trailing_name(before)
    if name:
        return name
    words = before.split()
    for back in range(1, min(6, len(words)) + 1):  # "a government spokesperson", "the anonymous official"
        if words[-back].lower() in _DETERMINERS:
            phrase = words[-back:]
            if any(w.lower() in ("and", "to", "of", "that", "with") for w in phrase[1:]) or any(w.endswith(",") for w in phrase):
                return None
            return " ".join(phrase)
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return words[0]
    return None


def _trailing_name(text: str, *, whole: bool = False) -> str | None:
    """The run of capitalised words that ends `text` (the whole of it when `whole`)."""
    words = text.split()
    taken: list[str] = []
    for word in reversed(words):
        if _NAME_WORD.match(word) and not (word in ("of", "de", "van", "von", "bin", "al") and not taken):
            if word.lower().strip(".") in _ORGANISATION_END and taken:
                break  # "Korean Central News Agency Kim Yo Jong": the speaker is after the agency
            taken.append(word)
        else:
            break
    if not taken or (whole and len(taken) != len(words)):
        return None
    taken.reverse()
    while taken and taken[0] in ("of", "de", "van", "von", "bin", "al"):
        taken.pop(0)
    if len(words) == len(taken) and len(words) == 1 and words[0].lower() in PRONOUNS:
        return words[0]
    first = taken[0].lower() if taken else ""
    if not taken or first in _NOT_A_SPEAKER or first in ("in", "on", "at", "after", "before", "despite", "however", "meanwhile"):
        return None
    return " ".join(taken)

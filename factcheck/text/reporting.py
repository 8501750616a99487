"""What a sentence states, without who reported it: "Engineers were moved, according to the
report" states "Engineers were moved".

The stance model reads a reporting frame as a reason for "neutral" (it was trained on hedged
pairs: "unconfirmed reports suggest that ..."), so "Ottawa reportedly blocked the deal" did not
support "Ottawa blocked the deal". How much a report counts against a plain statement is the
aggregate's business (`aggregate.hedge`, which reads the sentence as written); the stance reads
the statement. Only frames that report: "reportedly", "allegedly", "according to X", "X reported
that", a trailing "X said". Words that doubt or deny ("unconfirmed", "it is unclear whether",
"denied that") stay, because they change what the sentence says.
"""

from __future__ import annotations

import re

_SPEAKER = r"(?:[A-Z][\w.’'&-]*(?:\s+(?:of\s+)?[A-Z][\w.’'&-]*){0,4}|(?:the|a|an|one|his|her|their)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+|he|she|they|it)"
_REPORT_VERBS = r"(?:said|says|reported|reports|wrote|writes|added|adds|told\s+[\w ]{1,30}?)"
_ADVERB = re.compile(r"\s*\b(?:reportedly|allegedly|apparently|purportedly)\b,?", re.IGNORECASE)
# ", according to the report." / "According to Benzinga, ..." (a clause of its own, not "according to plan")
_ACCORDING_TAIL = re.compile(r",\s*according to [^,;]{2,80}?\s*(?=[.!?]?\s*$)", re.IGNORECASE)
_ACCORDING_HEAD = re.compile(r"^According to [^,;]{2,80}?,\s*")
# "TechCrunch reports that ...", "The Journal reported that ..." at the start of the sentence
_REPORTS_THAT = re.compile(rf"^{_SPEAKER}\s+(?:has\s+|had\s+)?{_REPORT_VERBS}\s+that\s+")
# "..., the Journal said." / "..., a security source said on Wednesday."
_SAID_TAIL = re.compile(rf",\s*{_SPEAKER}\s+{_REPORT_VERBS}(?:\s+on\s+\w+)?\s*(?=[.!?]?\s*$)")


def unreported(sentence: str) -> str:
    """The sentence without the frame that reports it; the sentence itself when there is none,
    or when too little would be left to state anything."""
    text = _ADVERB.sub("", sentence)
    text = _ACCORDING_TAIL.sub("", text)
    text = _ACCORDING_HEAD.sub("", text)
    text = _REPORTS_THAT.sub("", text)
    text = _SAID_TAIL.sub("", text)
    text = text.strip()
    if text == sentence.strip() or len(text.split()) < 4:
        return sentence
    return text[:1].upper() + text[1:]

"""What a sentence states, without who reported it: "Engineers were moved, according to the
report" states "Engineers were moved".

The stance model reads a reporting frame as a reason for "neutral" (it was trained on hedged
pairs: "unconfirmed reports suggest that ..."), so "Ottawa reportedly blocked the deal" did not
support "Ottawa blocked the deal". How much a report counts against a plain statement is the
aggregate's business (`hedge` below, which reads the sentence as written); the stance reads
the statement. Only frames that report: "reportedly", "allegedly", "according to X", "X reported
that", a trailing "X said". Words that doubt or deny ("unconfirmed", "it is unclear whether",
"denied that") stay, because they change what the sentence says.
"""

from __future__ import annotations

import re

from .alignment import STOPWORDS, lemma

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
# "The insider said the deal was nearly done": a claim's own frame, "that" left out ("said no
# to an offer" is a verb, not a frame; "said it was fake" needs its speaker to mean anything)
_SAID_HEAD = re.compile(
    rf"^(?:{_SPEAKER}|(?:The|A|An|One|His|Her|Their)\s+(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+)\s+(?:has\s+|had\s+)?"
    r"(?:said|says)\s+(?!(?:no|yes|so|sorry|it|he|she|they|this|that|these|those|his|her|its|their)\b)"
)


def unreported(sentence: str, *, loose: bool = False) -> str:
    """The sentence without the frame that reports it; the sentence itself when there is none,
    or when too little would be left to state anything. `loose` also takes a leading "X said"
    without "that", as claims are written."""
    text = _ADVERB.sub("", sentence)
    text = _ACCORDING_TAIL.sub("", text)
    text = _ACCORDING_HEAD.sub("", text)
    text = _REPORTS_THAT.sub("", text)
    if loose and text == sentence:
        text = _SAID_HEAD.sub("", text)
    text = _SAID_TAIL.sub("", text)
    text = text.strip()
    if text == sentence.strip() or len(text.split()) < 4:
        return sentence
    return text[:1].upper() + text[1:]


_PLANNED = re.compile(
    r"\b(?:will|would|could|might|may|plans? to|planned to|planning to|is to|are to|"
    r"expected to|set to|hopes? to|intends? to|threatened to|if)\b"
)
_REPORTED = re.compile(
    r"\b(?:reportedly|allegedly|alleged|rumou?red|unconfirmed|it is unclear|"
    r"there were cases|it is possible|claimed|claims that)\b",
    re.IGNORECASE,
)
_HEDGE_REACH = 4  # words after a reporting cue (or "if") that it governs
_AUXILIARIES = frozenset("be been being have has had not also still soon then now only probably likely to".split())
_WORDS = re.compile(r"[A-Za-z]+")


def hedge(claim: str, evidence: str) -> str | None:
    """ "planned" or "reported" when the evidence states the claim's event as a plan, a
    hypothetical or an unconfirmed report and the claim does not: it is not the event itself.

    A plan counts only where it governs the claim's words ("will be *released* on Monday"), not a
    plan elsewhere in the sentence ("the new minister indicated plans to advise the president").
    """
    claim_words = {lemma(w) for w in _WORDS.findall(claim)} - STOPWORDS
    if evidence.rstrip(" \"'”’").endswith("?") and not claim.rstrip(" \"'”’").endswith("?"):
        return "reported"  # a question asserts nothing: "Michael Brown shooting audio caught on tape?"
    for kind, pattern in (("planned", _PLANNED), ("reported", _REPORTED)):
        if pattern.search(claim):
            continue
        for match in pattern.finditer(evidence):
            # a cue governs the words of its own clause ("will be around $2,000, the Society said"),
            # and a modal or a plan only its verb ("would know that IBM ..." is not IBM's plan)
            clause = re.split(r"[,;:.!?](?:\s|$)", evidence[match.end() :], maxsplit=1)[0]
            following = _WORDS.findall(clause)
            if kind == "planned" and match.group() != "if":
                following = [w for w in following if w.lower() not in _AUXILIARIES][:1]
            if any(lemma(w) in claim_words for w in following[:_HEDGE_REACH]):
                return kind
    return None


# "The Pentagon confirmed that ...", "When the Journal reported the talks, Microsoft confirmed
# them": a claim about what someone confirmed or admitted. Its speaker is the clause's words
# before the verb.
_CONFIRMED = re.compile(
    r"(?:^|[,;:]\s*)(?P<speaker>[^,;:]{2,80}?)\s+(?:has\s+|had\s+|have\s+)?(?:officially\s+)?"
    r"(?P<verb>confirmed|confirms|admitted|admits|acknowledged|acknowledges)\b"
)
_NOT_AFFIRMED = re.compile(r"\b(?:not|never|unable|refused|declined|neither|nor|no)\b|n't\b", re.IGNORECASE)
# what a speaker does when it states something: the evidence must have one for the speaker
_STATES = frozenset(
    "confirm say said tell told announce acknowledge admit state statement add according spokesman spokeswoman "
    "spokesperson".split()
)


def unattributed_confirmation(claim: str, evidence: str) -> bool:
    """Whether the claim says that someone confirmed (admitted, acknowledged) something and the
    evidence does not have that speaker saying anything: "Iraqi officials said he was injured"
    does not corroborate "The Pentagon confirmed that he had been wounded", however well it
    states the wound. A confirmation by a named party is the claim's fact, and in rumours it is
    the part most often untrue."""
    match = _CONFIRMED.search(claim)
    if match is None or _NOT_AFFIRMED.search(match.group("speaker")):
        return False
    speaker = [lemma(w) for w in _WORDS.findall(match.group("speaker"))]
    speaker = [w for w in speaker if w not in STOPWORDS]
    if not speaker:
        return False
    said = {lemma(w) for w in _WORDS.findall(evidence)}
    # the speaker's head word ("Turkish border *officials*", "the YPJ women's *militia*")
    return not (speaker[-1] in said and said & _STATES)

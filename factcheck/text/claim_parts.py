"""Split a claim into the atomic statements a reader would check one by one.

"Two days after the vote, protesters occupied Fernlow, a port of 90,000 people" makes two
statements that no single sentence of the articles may hold together: "protesters occupied
Fernlow two days after the vote" and "Fernlow is a port of 90,000 people". Each part is verified
on its own and the claim's verdict combines them (`aggregate.combine_parts`).

Pure functions over the claim's text; punctuation and a few function words decide, no parser.
The whole claim is always checked too, so a split that goes wrong costs little.
"""

from __future__ import annotations

import re

_HEAD = r"(?P<head>(?:[Tt]he\s+|[Aa]n?\s+)?(?:[\w'’.-]+\s+){0,3}[\w'’.-]+)"
# "X, who/which resigned on May 2, said ..." -> "X resigned on May 2"
_RELATIVE = re.compile(_HEAD + r",\s+(?P<pron>who|which)\s+(?P<body>[^,;]+?)(?P<end>,\s*|$)")
# "Fernlow, a port of 90,000 people," -> "Fernlow is a port of 90,000 people"
_APPOSITIVE = re.compile(r"(?P<head>(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*),\s+(?P<body>(?:a|an|the)\s+[^,;]+?)(?P<end>,\s*|$)")
# a fronted time or place phrase: "Two days after the vote, ...", "On Monday, ...", "In May, ..."
_FRONTED = re.compile(
    r"^(?P<front>(?:on|in|at|after|before|during|since|by|two|three|four|five|several|last|earlier|later|"
    r"\w+\s+days?|\w+\s+weeks?)\b[^,]{0,40}),\s+(?P<rest>.+)$",  # a phrase, not a clause of its own
    re.IGNORECASE,
)
_VERB = (
    r"[a-z]+(?:ed|ied)|said|says|told|took|went|gave|made|left|met|sent|won|lost|fled|held|kept|"
    r"began|became|saw|called|has|have|had|is|was|were|are|will|would|"
    # irregular past forms: "Morin sat in the front row and posted a selfie"
    r"sat|stood|ran|put|got|found|thought|brought|built|bought|sold|paid|spent|struck|wrote|led|"
    r"fell|rose|hit|cut|grew|drew|drove|flew|knew|threw|wore|chose|spoke|broke|stole|heard|"
    r"felt|hid|ate|shut|quit|sought|taught|caught|fought"
)
# coordinated predicates: "... rejected the plan and called for new talks"
_AND_VERB = re.compile(r",?\s+and\s+(?:then\s+|also\s+)?(?P<verb>" + _VERB + r")\b")
# coordinated clauses, each with its own subject: "... on Windows Phone, and it isn't sold", "..., while Microsoft said ..."
_AND_CLAUSE = re.compile(
    r",\s+(?:and|but|while|whereas)\s+(?P<clause>(?:the|a|an|it|he|she|they|its|his|her|their|this|these|those|[A-Z][\w'’.-]*)\s+\S+\s+\S.*)$"
)
# a trailing adjunct that sets the scene rather than states the fact: "... in early trading as the
# report circulated", "... to Venezuela and Mexico ahead of an OPEC meeting", ", citing ..."
_TRAILING = re.compile(
    r"(?:,\s+|\s+)(?:as\s+(?:the|a|an|his|her|its|their|it|he|she|they|investors|analysts|[A-Z]\w+)\b|"
    r"ahead\s+of|amid|in\s+the\s+wake\s+of|following|despite|in\s+a\s+bid\s+to|citing)\b.*$"
    # a participle that adds what else the subject did: "..., urging people to share it",
    # "..., saying he could not face his friends" (often told in the article's next sentence)
    r"|,\s+(?!(?:including|according|excluding|regarding|concerning|during|nothing|something|anything|everything)\b)[a-z]+ing\s.*$"
)
_HAS_VERB = re.compile(r"\s(?:" + _VERB + r")\b")
_SUBJECT = re.compile(r"^(?P<subject>[^,]+?)\s+(?P<verb>" + _VERB + r"|did|does|do|can|could|may|might)\b")
_NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d{3})")
_HELD = "\u2063"  # an invisible separator standing in for a thousands comma while splitting
_MIN_WORDS = 3


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;")
    if text and text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:] if text else text


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def claim_parts(claim: str) -> list[str]:
    """The atomic statements of `claim`, or `[]` when it is one statement already.

    Parts: the main clause with relative clauses and appositives taken out, each relative clause
    and appositive as a statement about its head ("X resigned ...", "X is a ..."), and each of
    two coordinated predicates with the shared subject. A fronted time phrase stays with the
    main clause (it dates the event) and the main clause is also checked without it.
    """
    text = _NUMBER_COMMA.sub(_HELD, " ".join(claim.split()).rstrip(".!? "))
    parts: list[str] = []
    main = text
    for match in list(_RELATIVE.finditer(text)):
        parts.append(f"{match['head']} {match['body']}")
        main = main.replace(match.group(0), match["head"] + (" " if match["end"] else ""), 1)
    for match in list(_APPOSITIVE.finditer(main)):
        body = match["body"]
        if _SUBJECT.match(body) and not re.match(r"(?:a|an|the)\s+\w+\s+(?:of|in|for|with|from)\b", body):
            continue  # "the ministry said ..." is a clause, not an appositive
        parts.append(f"{match['head']} is {body}")
        main = main.replace(match.group(0), match["head"] + (" " if match["end"] else ""), 1)
    fronted = _FRONTED.match(main)
    if fronted and _SUBJECT.match(fronted["front"]):
        fronted = None  # "In April Sony reported ..., while ...": a clause, not a time phrase
    core = fronted["rest"] if fronted else main
    coordinated = _AND_VERB.search(core)
    subject = _SUBJECT.match(core)
    if coordinated and subject and coordinated.start() >= subject.end():
        first = core[: coordinated.start()]
        second = f"{subject['subject']} {core[coordinated.start('verb') :]}"
        if fronted:
            first = f"{fronted['front']}, {first}"
        parts[:0] = [first, second]
    elif (clause := _AND_CLAUSE.search(core)) and _words(core[: clause.start()]) >= _MIN_WORDS:
        first = core[: clause.start()]
        parts[:0] = [f"{fronted['front']}, {first}" if fronted else first, clause["clause"]]
    elif main != text or fronted:
        parts.insert(0, main)
        if fronted and _words(fronted["rest"]) >= _MIN_WORDS:
            parts.insert(1, fronted["rest"])
    if trailing := _TRAILING.search(core):
        scene_free = core[: trailing.start()]
        if _words(scene_free) >= _MIN_WORDS and _HAS_VERB.search(scene_free):
            parts.append(f"{fronted['front']}, {scene_free}" if fronted else scene_free)
    whole = _clean(text.replace(_HELD, ","))
    unique: list[str] = []
    for part in (_clean(p.replace(_HELD, ",")) for p in parts):
        if _words(part) >= _MIN_WORDS and part not in unique and part != whole:
            unique.append(part)
    return unique

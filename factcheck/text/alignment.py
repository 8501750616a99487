"""Slot alignment: where a claim and a closely matching sentence disagree, and how.

Most conflicts between news reports of one story are a changed slot in an otherwise shared
statement: a number (1,200 vs 2,100 workers), a date (March 3 vs March 5), a negation
("confirmed" vs "did not confirm"), an antonymous predicate (accepted vs rejected), or another
entity or place in the same role. `find_conflict` aligns the two token sequences and names the
first such mismatch. Pure functions; no model.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from .lexicon import (
    ANTONYM_PAIRS,
    COLOURS,
    COMPASS,
    DEPARTMENTS,
    FIELDS,
    IRREGULAR_LEMMAS,
    MONTHS,
    MOVES_DOWN,
    MOVES_UP,
    NATIONALITIES,
    NUMBER_WORDS,
    SEASONS,
    SIDES,
    WEEKDAYS,
)

NEGATION_CUES = frozenset(
    "not no never none nobody nothing neither nor cannot n't didn't doesn't don't isn't wasn't "
    "aren't weren't won't wouldn't hasn't haven't hadn't couldn't shouldn't".split()
)

STOPWORDS = frozenset(
    "a an the of to in on at for from by with and or but as is are was were be been being has have had do does did "
    "that this these those it its their his her they he she we you i our your which who whom whose what when where "
    "will would should could may might can shall than then also about into over after before up out so such there "
    "said says say told according".split()
)

_MONTH_OF = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_OF.update({m[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_OF["sept"] = 9
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_HEDGES = {
    "about",
    "around",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "some",
    "over",
    "more",
    "than",
    "up",
    "at",
    "least",
    "under",
    "estimated",
}
_NOT_NEGATING_AFTER_NO = {"matter", "doubt", "sooner", "less"}
# what a denial denies ("denied that ...", "denied reports"); "were denied" is a refusal, not a denial
_DENIED = {"that", "reports", "report", "claims", "rumors", "rumours", "having", "any", "it", "this"}
# negation said another way: the cue word, and the word that must follow it (None: any)
_NEGATING_PHRASES = {
    "rather": {"than"},
    "instead": {"of"},
    "failed": {"to"},
    "fails": {"to"},
    "refused": {"to"},
    "refuses": {"to"},
    "unable": {"to"},  # "was unable to confirm" says what "isn't able to confirm" says
    "declined": {"to"},
    "declines": {"to"},
    "deny": _DENIED,
    "denies": _DENIED,
    "denied": _DENIED,
    "denying": _DENIED,
    "dismissed": {"reports", "claims", "rumors", "rumours", "suggestions", "speculation"},
}
_NEGATED_PARTICIPLES = {"unconfirmed": "confirm", "unverified": "verify"}
_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "into", "outside", "inside", "across"}

# "U.S.", "U.K.": one word, the same as "US", "UK"
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?|(?:[A-Z]\.){2,}|[A-Za-z]+(?:[’'][a-z]+)?|n[’']t")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    norm: str  # lowercased, lemmatised lightly
    kind: str  # "number", "year", "month", "weekday", "negation", "proper", "word"
    value: float | None = None
    start: int = field(default=0, compare=False)  # character offsets in the tokenized text
    end: int = field(default=0, compare=False)


def _plain(word: str) -> str:
    """The word in lower case, without a possessive or dots: "IBM's" is IBM, "U.S." US."""
    return word.lower().replace("’", "'").removesuffix("'s").replace(".", "")


def lemma(word: str) -> str:
    """Crude lemmatiser, enough to match antonym and content words across inflections."""
    w = _plain(word)
    if w in IRREGULAR_LEMMAS:
        return IRREGULAR_LEMMAS[w]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            break  # "pass", "dangerous", "crisis" are not plurals
        if suffix == "es" and not w[:-2].endswith(("s", "x", "z", "ch", "sh")):
            continue  # "pipelines" loses only its "s": "-es" is a suffix after a hiss ("taxes", "watches")
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "sl":
                stem = stem[:-1]  # stopped -> stop
            if suffix in ("ed", "es", "ing") and stem + "e" in _LEMMA_E:
                stem += "e"
            return _american(stem)
    return _american(w)


_BRITISH_ENDINGS = (("isation", "ization"), ("ence", "ense"), ("tre", "ter"), ("amme", "am"))
_DOUBLED_L = {"cancell", "travell", "labell", "modell", "fuell", "signall", "levell", "channell", "counsell", "diall"}
_BRITISH = {"defence", "offence", "licence", "pretence", "centre", "theatre", "metre", "litre", "fibre", "programme"}


def _american(word: str) -> str:
    """One spelling for British and American outlets: "honour" / "honor", "defence" / "defense"."""
    if word.endswith("our") and len(word) >= 6 and word not in ("devour", "detour", "contour"):
        return word[:-3] + "or"  # honour, rumour, labour, favour, behaviour, neighbour
    if word in _DOUBLED_L:  # "cancelled" / "canceled", "travelling" / "traveling"
        return word[:-1]
    if word in _BRITISH or word.endswith("isation"):
        for ending, american in _BRITISH_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)] + american
    return word


_LEMMA_E = {w for pair in ANTONYM_PAIRS for w in pair if w.endswith("e")} | {
    "declare",
    "issue",
    "produce",
    "reduce",
    "close",
    "raise",
    "refuse",
    "decline",
    "release",
    "increase",
    "decrease",
    "approve",
    "resume",
    "lose",
    "welcome",
    "dismiss",
    "rise",
    "arrive",
    "leave",
    "continue",
    "cause",
    "force",
}

# keyed by lemma, the form tokens carry ("dangerous" -> "dangerou" on both sides of a pair)
ANTONYMS: dict[str, set[str]] = {}
for _a, _b in ANTONYM_PAIRS:
    ANTONYMS.setdefault(lemma(_a), set()).add(lemma(_b))
    ANTONYMS.setdefault(lemma(_b), set()).add(lemma(_a))


# an amount restated in another currency: "$10 million (£6.2m)" gives one amount, not two
_CONVERSION = re.compile(
    r"\(\s*(?:about |around |roughly |approximately |some |nearly |almost )?(?:US|AU|C)?[£$€¥]\s?\d[\d,.]*\s*"
    r"(?:m|bn|k|million|billion|thousand|trillion)?\s*\)"
)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    conversions = [m.span() for m in _CONVERSION.finditer(text)]
    matches = [m for m in _TOKEN.finditer(text) if not any(a <= m.start() < b for a, b in conversions)]
    raw = [m.group() for m in matches]
    headline = _is_title_case(raw)
    for i, (word, match) in enumerate(zip(raw, matches, strict=True)):
        at = {"start": match.start(), "end": match.end()}
        lower = _plain(word)  # "Friday's" is Friday
        if word[0].isdigit():
            number = float(word.rstrip("%").replace(",", ""))
            if word.isdigit() and len(word) == 4 and 1900 <= number <= 2100:
                tokens.append(Token(word, word, "year", number, **at))
                continue
            nxt = raw[i + 1].lower() if i + 1 < len(raw) else ""
            if nxt in _SCALES:
                number *= _SCALES[nxt]
            tokens.append(Token(word, f"#{number:g}", "number", number, **at))
        elif lower in _SCALES and tokens and tokens[-1].kind == "number":
            previous = tokens[-1]
            if not previous.text[0].isdigit():  # "three hundred thousand": digits took their scale above
                value = (previous.value or 1.0) * _SCALES[lower]
                previous = replace(previous, norm=f"#{value:g}", value=value)
            tokens[-1] = replace(previous, end=match.end())  # folded into the number before it
            continue
        elif lower in _MONTH_OF and word[0].isupper() and lower not in ("may", "march"):
            tokens.append(Token(word, f"month:{_MONTH_OF[lower]}", "month", _MONTH_OF[lower], **at))
        elif (
            lower in ("may", "march")
            and word[0].isupper()
            and i > 0
            and (_is_day(raw, i + 1) or _is_day(raw, i - 1) or raw[i - 1].lower() in _BEFORE_MONTH or _is_year(raw, i + 1))
        ):
            tokens.append(Token(word, f"month:{_MONTH_OF[lower]}", "month", _MONTH_OF[lower], **at))
        elif lower in WEEKDAYS:
            tokens.append(Token(word, lower, "weekday", **at))
        elif lower == "no" and i + 1 < len(raw) and raw[i + 1].lower() in _NOT_NEGATING_AFTER_NO:
            tokens.append(Token(word, lower, "word", **at))  # "no matter what", "no doubt"
        elif lower in _NEGATED_PARTICIPLES:  # "unconfirmed reports": not confirmed
            tokens.append(Token(word, "not", "negation", **at))
            tokens.append(Token(word, _NEGATED_PARTICIPLES[lower], "word", **at))
        elif lower in ("comment", "comments", "commented", "commenting") and any(t.kind == "negation" for t in tokens[-2:]):
            tokens.append(Token(word, "confirm", "word", **at))  # "declined to comment", "does not comment": no confirmation
        elif lower == "nor" and any(t.norm == "neither" for t in tokens):
            tokens.append(Token(word, lower, "word", **at))  # "neither a yes nor a no" negates once
        elif lower == "neither":
            tokens.append(Token(word, "neither", "negation", **at))
        elif lower in NEGATION_CUES or lower.endswith("n't"):
            tokens.append(Token(word, "not", "negation", **at))
        elif lower in _NEGATING_PHRASES and (
            _NEGATING_PHRASES[lower] is None or (i + 1 < len(raw) and raw[i + 1].lower() in _NEGATING_PHRASES[lower])
        ):
            tokens.append(Token(word, "not", "negation", **at))  # "rather than", "denied that", "failed to"
        elif lower in ("denied", "refused") and i + 1 < len(raw) and lemma(raw[i + 1]) in ANTONYMS:
            tokens.append(Token(word, "not", "negation", **at))  # "was denied release": not released
        elif (lower in NUMBER_WORDS or lower == "one") and _number_word_follows(tokens, lower, text, match.start()):
            # "forty-two", "forty two", "three hundred": one number written in words
            previous, value = tokens[-1], float(NUMBER_WORDS.get(lower, 1))
            total = (previous.value or 0.0) * value if value == 100 else (previous.value or 0.0) + value
            tokens[-1] = replace(previous, norm=f"#{total:g}", value=total, end=match.end())
        elif lower in NUMBER_WORDS:
            tokens.append(Token(word, f"#{NUMBER_WORDS[lower]:g}", "number", float(NUMBER_WORDS[lower]), **at))
        elif word[0].isupper() and i > 0 and lower not in STOPWORDS and not headline:
            tokens.append(Token(word, lower, "proper", **at))
        else:
            tokens.append(Token(word, lemma(word), "word", **at))
    return _phrasal(tokens)


# a verb and its particle read as one verb, so the opposites and negations of the lexicon apply:
# "turned down the offer" refuses it, "said no to" it too, "went up" rises
_PHRASAL = {
    ("turn", "down"): "refuse",
    ("say", "no"): "refuse",
    ("said", "no"): "refuse",
    ("go", "up"): "rise",
    ("go", "down"): "fall",
    ("shut", "down"): "close",
    ("step", "down"): "resign",
    ("call", "off"): "cancel",
}


def _phrasal(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    skip = False
    for k, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        verb = _PHRASAL.get((token.norm, following.text.lower())) if following is not None and token.kind == "word" else None
        if verb and following is not None:
            out.append(replace(token, norm=verb, end=following.end))
            skip = True
        else:
            out.append(token)
    return out


_TENS = frozenset(v for v in NUMBER_WORDS.values() if v % 10 == 0 and 20 <= v <= 90)


def _number_word_follows(tokens: list[Token], word: str, text: str, start: int) -> bool:
    """Whether number word `word` at `start` continues the one just before it: "forty-two", "three hundred"."""
    if (
        not tokens
        or tokens[-1].kind != "number"
        or tokens[-1].text[0].isdigit()
        or text[tokens[-1].end : start] not in ("-", " ")
    ):
        return False
    previous, value = tokens[-1].value or 0.0, NUMBER_WORDS.get(word, 1)
    if value == 100:
        return previous < 10  # "three hundred"
    return previous in _TENS and tokens[-1].text.lower() in NUMBER_WORDS and value < 10  # "forty-two"


def _is_title_case(raw: list[str]) -> bool:
    """A headline in Title Case: nearly every longer word capitalised."""
    words = [w for w in raw if w[0].isalpha() and len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# "in May", "since March", "early May": a month, not the modal or the verb
_BEFORE_MONTH = frozenset("in since until till by early late mid last next from through during of before after".split())


def _is_year(raw: list[str], i: int) -> bool:
    return i < len(raw) and raw[i].isdigit() and len(raw[i]) == 4


def _is_day(raw: list[str], i: int) -> bool:
    return 0 <= i < len(raw) and raw[i].isdigit() and 1 <= int(raw[i]) <= 31


def content_words(tokens: list[Token]) -> set[str]:
    return {t.norm for t in tokens if t.kind != "negation" and t.norm not in STOPWORDS}


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content that the evidence also has (0..1).

    Names weigh half: "President Lee" is still the person of "President Lee Jae Myung", while a
    missing predicate ("silent" vs "rejects") or object changes the statement.
    """
    weights: dict[str, float] = {}
    for t in tokenize(claim):
        if t.kind != "negation" and t.norm not in STOPWORDS:
            weights[t.norm] = 0.5 if t.kind == "proper" else 1.0
    total = sum(weights.values())
    if not total:
        return 0.0
    found = content_words(tokenize(evidence))
    return sum(w for norm, w in weights.items() if norm in found) / total


# Words by which a report calls what it relays untrue: "dismissed as a hoax", "denies it will",
# "the story is fake", "no evidence that". A claim that states what such a sentence debunks is
# disputed by it, however little else of the claim's wording the sentence repeats.
_DEBUNKING = re.compile(
    r"\b(?:hoax(?:es)?|fake|fabricated|false|untrue|not true|no truth|debunk\w*|satir(?:e|ical)|"
    r"den(?:y|ies|ied|ying) (?:that|it|this|any|having|(?:the )?(?:reports?|claims?|rumou?rs?|story|allegations?))|dismiss(?:ed|es)? (?:reports?|claims?|rumou?rs?|speculation)|"
    r"reject(?:ed|s)? (?:reports?|claims?|rumou?rs?)|refut(?:ed|es)|no evidence|baseless|unfounded|"
    r"made up|not real|isn't real|never happened)\b",
    re.IGNORECASE,
)
DEBUNK_OVERLAP = 0.3  # share of the claim's content a debunking sentence must name


def debunks(claim: str, evidence: str) -> bool:
    """Whether `evidence` calls untrue (a hoax, denied, fake ...) something the claim states.

    Only for a claim that is itself affirmative and has no such word: denying "there are no
    fighters at the border" agrees with it.
    """
    if _DEBUNKING.search(claim) or not _DEBUNKING.search(evidence):
        return False
    if any(t.kind == "negation" for t in tokenize(claim)):
        return False
    return overlap(claim, evidence) >= DEBUNK_OVERLAP


@dataclass(frozen=True)
class Conflict:
    type: str  # number, date, place, negation, antonym, entity
    claim_span: str
    evidence_span: str

    @property
    def detail(self) -> str:
        return f"{self.type}: '{self.claim_span}' vs '{self.evidence_span}'"


def find_conflict(claim: str, evidence: str, *, min_overlap: float = 0.5) -> Conflict | None:
    """The first slot on which two closely matching statements disagree, or None.

    Sentences that share less than `min_overlap` of the claim's content words are not the same
    statement, so nothing is compared.
    """
    a, b = tokenize(claim), tokenize(evidence)
    ca, cb = content_words(a), content_words(b)
    if not ca:
        return None
    shared = len(ca & cb) / len(ca)
    if shared < min_overlap:
        if shared >= DIRECTION_OVERLAP:
            return (
                _direction_conflict(a, b) or _modifier_swap(a, b) or _name_swap(a, b) or _figure_conflict(claim, a, evidence, b)
            )
        return None
    a_core, b_core = _matched_core(a, b)
    return (
        _modifier_swap(a, b)
        or _name_swap(a, b)
        or _aligned_conflict(a, b, names=shared >= NAME_SWAP_OVERLAP)
        or _number_conflict(a, b)
        or _date_conflict(a, b, framed=shared >= NAME_SWAP_OVERLAP)
        or (None if _last_since(a, b) or _last_since(b, a) else _polarity_conflict(a_core, b_core))
    )


def _moves(tokens: list[Token], verbs: frozenset[str], particle: str) -> list[Token]:
    """The words saying a figure moved one way; a bare "up" or "down" only as a figure's move:
    "was up 2%", "trading down around 0.5%", "closed up", never "set up" or "stepped down"."""
    return [
        t
        for i, t in enumerate(tokens)
        if t.norm in verbs
        or (
            t.norm == particle
            and (
                (i > 0 and tokens[i - 1].text.lower() in _MOVED)
                or (i + 1 < len(tokens) and (tokens[i + 1].kind == "number" or tokens[i + 1].norm in _HEDGES))
            )
        )
    ]


_MOVED = frozenset("is are was were been be trading traded trade closed close ended end finished opened".split())


_MODIFIER_CLASS = {word: cls for cls in (NATIONALITIES, DEPARTMENTS) for word in cls}
# these count only in lower case: "White House" / "Blue House" are names, "Gold Coast" a place
_LOWER_MODIFIER_CLASS = {word: cls for cls in (SIDES, FIELDS, COMPASS, SEASONS, COLOURS) for word in cls}


def _modifier_class(token: Token) -> frozenset[str] | None:
    word = token.text.lower()
    return _MODIFIER_CLASS.get(word) or (_LOWER_MODIFIER_CLASS.get(word) if token.text.islower() else None)


def _modifier_swap(a: list[Token], b: list[Token]) -> Conflict | None:
    """ "a Japanese computer maker" / "Chinese computer maker Lenovo", "Apple's marketing
    department" / "an unnamed engineering department": two of a closed set of modifiers
    (nationalities, departments; sides, fields of study, compass points, seasons, colours in
    lower case) before the same noun, where the evidence never uses the
    claim's."""
    words_b = {t.text.lower() for t in b}
    for i, t in enumerate(a[:-1]):
        word = t.text.lower()
        kind = _modifier_class(t)
        head = a[i + 1].norm
        if kind is None or word in words_b or head in STOPWORDS:
            continue
        for j, u in enumerate(b[:-1]):
            if _modifier_class(u) is kind and b[j + 1].norm == head:
                return Conflict("entity", f"{t.text} {a[i + 1].text}", f"{u.text} {b[j + 1].text}")
    return None


def _name_swap(a: list[Token], b: list[Token]) -> Conflict | None:
    """ "stopped at the Peace Bridge" / "stopped at the Rainbow Bridge", "San Quentin State
    Prison" / "California State Prison": two names that end on the same word, where neither
    sentence uses the other's first part. A spelling variant ("Harpal Singh" / "Harper Singh")
    is one name. Looser than the frame test, so not a precise conflict: the model may overrule it."""
    norms_a, norms_b = {t.norm for t in a}, {t.norm for t in b}
    for i in range(len(a) - 1):
        x, head = a[i], a[i + 1]
        if (
            x.kind != "proper"
            or head.kind != "proper"
            or x.norm in norms_b
            or head.norm not in norms_b
            or head.start - x.end != 1
        ):
            continue  # one name: two capitalised words a space apart ("Rampur; Kishore" is two)
        for j in range(len(b) - 1):
            y = b[j]
            if (
                b[j + 1].norm == head.norm
                and b[j + 1].kind == "proper"
                and b[j + 1].start - y.end == 1
                and y.kind == "proper"
                and y.norm not in norms_a
                and difflib.SequenceMatcher(a=x.norm, b=y.norm).ratio() < 0.6
            ):
                before = a[i - 1].norm if i > 0 else ""
                kind = "place" if before in _PLACE_PREPOSITIONS or before == "the" else "entity"
                return Conflict(kind, f"{x.text} {head.text}", f"{y.text} {b[j + 1].text}")
    return None


def _is_name(token: Token) -> bool:
    """A capitalised word that names something: not a function word, not a day or a month."""
    return token.text[0].isupper() and token.norm not in STOPWORDS and token.kind in ("word", "proper")


def _share_a_name(a: list[Token], b: list[Token]) -> bool:
    """Whether two statements name the same company, person or place."""
    return bool({t.norm for t in a if _is_name(t)} & {t.norm for t in b if _is_name(t)})


def _numbers_in(tokens: list[Token]) -> set[float | None]:
    return {t.value for t in tokens if t.kind == "number"}


def _direction_conflict(a: list[Token], b: list[Token]) -> Conflict | None:
    """ "Microsoft stock moved higher" / "shares of Microsoft traded slightly lower": statements
    that share less wording but say which way the same thing moved. Only when each says one
    direction and the two name the same company, person or place. Looser than the frame test,
    so it is not a precise conflict: the model may overrule it."""
    if not _share_a_name(a, b):
        return None
    ups_a, downs_a = _moves(a, MOVES_UP, "up"), _moves(a, MOVES_DOWN, "down")
    ups_b, downs_b = _moves(b, MOVES_UP, "up"), _moves(b, MOVES_DOWN, "down")
    if ups_a and not downs_a and downs_b and not ups_b:
        return Conflict("direction", ups_a[0].text, downs_b[0].text)
    if downs_a and not ups_a and ups_b and not downs_b:
        return Conflict("direction", downs_a[0].text, ups_b[0].text)
    return None


_CURRENCY_WORDS = frozenset("dollar euro pound yen yuan".split())
_PERCENT_WORDS = frozenset("percent pct".split())
# a figure said as a bound: "more than $2 billion" allows $2.5 billion, "nearly 2,000" allows 1,950
_AT_LEAST = frozenset("more over least above exceed exceeding upwards".split())
_AT_MOST = frozenset("less fewer under below nearly almost".split())
FIGURE_WINDOW = 4  # content words either side of a figure that say what it measures


def _figures(text: str, tokens: list[Token]) -> list[tuple[float, str, str, int]]:
    """(value, unit, bound, index) of each number that measures something: money ("$3 billion",
    "3 billion dollars"), a percentage, or a count of the content word after it ("12,000 seats").
    bound: "min" / "max" when the figure is said as a bound, "~" when hedged, "" when exact."""
    out = []
    for i, t in enumerate(tokens):
        if t.kind != "number" or t.value is None:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.start > 0 and text[t.start - 1] in "$£€¥":
            unit = "money"
        elif t.text.endswith("%") or (following is not None and following.norm in _PERCENT_WORDS):
            unit = "percent"
        elif following is not None and following.norm in _CURRENCY_WORDS:
            unit = "money"
        elif following is not None and following.kind in ("word", "proper") and following.norm not in STOPWORDS:
            unit = following.norm
        else:
            continue
        before = {u.norm for u in tokens[max(0, i - 2) : i]}
        bound = "min" if before & _AT_LEAST else "max" if before & _AT_MOST else "~" if before & _HEDGES else ""
        out.append((t.value, unit, bound, i))
    return out


def _figure_agrees(claimed: float, claimed_bound: str, stated: float, stated_bound: str) -> bool:
    """Whether two figures can both hold: within a bound either states ("more than 2" allows
    2.5), or equal (within 10% where either is hedged)."""
    for value, bound, other in ((claimed, claimed_bound, stated), (stated, stated_bound, claimed)):
        if (bound == "min" and other >= value) or (bound == "max" and other <= value):
            return True
    return _numbers_agree([claimed], [stated], hedged=bool(claimed_bound or stated_bound))


def _around(tokens: list[Token], i: int) -> set[str]:
    """The content words within FIGURE_WINDOW of token i: what a figure or a date is about."""
    near = tokens[max(0, i - FIGURE_WINDOW) : i] + tokens[i + 1 : i + 1 + FIGURE_WINDOW]
    return {t.norm for t in near if t.kind in ("word", "proper") and t.norm not in STOPWORDS}


def _figure_conflict(claim: str, a: list[Token], evidence: str, b: list[Token]) -> Conflict | None:
    """ "Apple paid $3.2 billion for Beats" / "Apple bought Beats Music and Beats Electronics for
    $3 billion": statements in looser wording that give the same kind of figure (money, a
    percentage, a count of the same thing) for the same measure, with values that cannot both
    hold. Only when the two name the same company, person or place and the words around the two
    figures share one. Looser than the frame test, so not a precise conflict: the model may
    overrule it."""
    if not _share_a_name(a, b):
        return None
    figures_b = _figures(evidence, b)
    if not figures_b:
        return None

    when_a, when_b = {t.norm for t in a if t.kind in _WHEN}, {t.norm for t in b if t.kind in _WHEN}
    if when_a and when_b and not when_a & when_b:
        return None  # "ended Friday's session up 2%" / "rose 3% on Monday": two moments, two figures
    figures_a = _figures(claim, a)
    stated_a, stated_b = _numbers_in(a), _numbers_in(b)
    for value, unit, bound, i in figures_a:
        same_unit = [f for f in figures_b if f[1] == unit]
        if value in stated_b or not same_unit or any(_figure_agrees(value, bound, v, bd) for v, _, bd, _ in same_unit):
            continue  # the evidence states the claim's figure ("Kishore, 25, and 23-year-old bride Indira")
        words = _around(a, i) - {unit}
        for v, _, _, j in same_unit:
            if (
                max(value, v) <= FIGURE_RATIO * min(value, v)  # "$10 a month" does not measure "$3 billion"
                and v not in stated_a  # v is the claim's other figure: "open at $15, end near 18"
                and not {t.norm for t in b[max(0, j - FIGURE_WINDOW) : j + FIGURE_WINDOW]}
                & _MODALS  # "taking in two more teams would"
                and words & (_around(b, j) - {unit})
            ):
                return Conflict("figure", a[i].text, b[j].text)
    return None


FIGURE_RATIO = 2.0  # two values further apart than this measure different things (or moments)
_WHEN = ("year", "month", "weekday")
_MODALS = frozenset("would could might may if".split())


def _matched_core(a: list[Token], b: list[Token]) -> tuple[list[Token], list[Token]]:
    """The stretch of each sentence between its first and last token shared with the other.

    A negation in a clause the other sentence does not have ("..., and officials would not say
    when") is not a negation of the shared statement.
    """
    matcher = difflib.SequenceMatcher(a=[t.norm for t in a], b=[t.norm for t in b], autojunk=False)
    # only blocks that share a content word anchor the statement: a shared "and" does not
    blocks = [m for m in matcher.get_matching_blocks() if m.size and any(t.norm not in STOPWORDS for t in a[m.a : m.a + m.size])]
    if not blocks:
        return a, b
    first, last = blocks[0], blocks[-1]
    start_a, start_b = _negated_start(a, first.a), _negated_start(b, first.b)
    return a[start_a : last.a + last.size], b[start_b : last.b + last.size]


_AUXILIARIES = frozenset("do does did has have had is are was were will would could can should may might be been".split())


# adverbs that sit inside a negated verb group: "has not yet confirmed", "did not officially deny",
# and "be able to": "would not be able to face" says what "could not face" says
_NEGATION_ADVERBS = frozenset("yet still ever even officially publicly independently formally immediately able to".split())
_NEGATED_VERB_GROUP = _AUXILIARIES | _NEGATION_ADVERBS


def _negated_start(tokens: list[Token], start: int) -> int:
    """Move the core's start back over a negated auxiliary just before it ("did not | stop")."""
    i = start
    while i > 0 and start - i < 4 and (tokens[i - 1].kind == "negation" or tokens[i - 1].norm in _NEGATED_VERB_GROUP):
        i -= 1
    return i if any(t.kind == "negation" for t in tokens[i:start]) else start


DIRECTION_OVERLAP = 0.3  # which way a figure moved is compared at this overlap (the subject must match)
NAME_SWAP_OVERLAP = 0.6  # a swapped name is a conflict only between otherwise near-identical statements


def _aligned_conflict(a: list[Token], b: list[Token], *, names: bool) -> Conflict | None:
    """Replacements in the token alignment: which slot changed between the two statements."""
    matcher = difflib.SequenceMatcher(a=[t.norm for t in a], b=[t.norm for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        left, right = a[i1:i2], b[j1:j2]
        kinds_l, kinds_r = {t.kind for t in left}, {t.kind for t in right}
        only_numbers = all(t.kind == "number" or t.norm in _HEDGES for t in left + right)
        if "number" in kinds_l and "number" in kinds_r and only_numbers:
            nl = [t.value for t in left if t.kind == "number"]
            nr = [t.value for t in right if t.kind == "number"]
            # "about 8 percent" / "8.1 percent", "nearly 2,000" / "about 1,950": the hedge may be
            # before the changed stretch or inside it
            hedged = any(t.norm in _HEDGES for t in a[max(0, i1 - 2) : i2] + b[max(0, j1 - 2) : j2])
            if not _numbers_agree(nl, nr, hedged=hedged):
                return Conflict("number", _span(left, {"number"}), _span(right, {"number"}))
        date_kinds = {"year", "month", "weekday"}
        if kinds_l & date_kinds and kinds_r & date_kinds and (names or _date_the_same(a, b)):
            return Conflict("date", _span(left, date_kinds | {"number"}), _span(right, date_kinds | {"number"}))
        opposite_r = {w for t in right for w in ANTONYMS.get(t.norm, ())}
        negated = any(t.kind == "negation" for t in a[max(0, i1 - 2) : i2] + b[max(0, j1 - 2) : j2])
        if {t.norm for t in left} & opposite_r and not negated:  # "held" / "did not release": the polarity count decides
            # name the two opposite words, not the whole replaced stretch ("silent" / "Rejects")
            words_l = [t for t in left if t.norm in opposite_r]
            opposite_l = {w for t in words_l for w in ANTONYMS.get(t.norm, ())}
            words_r = [t for t in right if t.norm in opposite_l]
            return Conflict("antonym", " ".join(t.text for t in words_l), " ".join(t.text for t in words_r))
        # the names in the slot: where one sentence ends ("... stationed in Japan.") and the
        # other goes on ("... stationed in South Korea, has been holding drills"), the replaced
        # stretch runs on past the name, so compare the names that open each side
        names_l, names_r = _leading_names(left), _leading_names(right)
        names_only = (
            0 < len(names_l) <= 3
            and 0 < len(names_r) <= 3
            and (len(names_l) == len(left) or i2 == len(a))  # all names, or the sentence's tail
            and (len(names_r) == len(right) or j2 == len(b))
        )
        if (
            names
            and names_only
            and not ({t.norm for t in names_l} & {t.norm for t in names_r})
            and not {t.norm for t in names_l} & {t.norm for t in b}
            and not {t.norm for t in names_r} & {t.norm for t in a}
        ):
            before = a[i1 - 1].norm if i1 > 0 else ""
            kind = "place" if before in _PLACE_PREPOSITIONS else "entity"
            return Conflict(kind, " ".join(t.text for t in names_l), " ".join(t.text for t in names_r))
    return None


def _leading_names(tokens: list[Token]) -> list[Token]:
    names = []
    for t in tokens:
        if t.kind != "proper":
            break
        names.append(t)
    return names


def _span(tokens: list[Token], kinds: set[str]) -> str:
    return " ".join(t.text.rstrip(",") for t in tokens if t.kind in kinds)


def _numbers_agree(left: list[float | None], right: list[float | None], *, hedged: bool) -> bool:
    for x in left:
        for y in right:
            if x is None or y is None:
                continue
            if x == y or (hedged and abs(x - y) <= 0.1 * max(abs(x), abs(y))):
                return True
    return False


def _number_conflict(a: list[Token], b: list[Token]) -> Conflict | None:
    """Numbers counting the same thing (the same next word) with different values."""

    def counted(tokens: list[Token]) -> dict[str, list[tuple[float, str, bool]]]:
        out: dict[str, list[tuple[float, str, bool]]] = {}
        for i, t in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            # what a number counts is the content word after it: "2% in trading" / "$159 in trading" count nothing
            if (
                t.kind == "number"
                and following is not None
                and following.kind in ("word", "proper")
                and following.norm not in STOPWORDS
            ):
                out.setdefault(tokens[i + 1].norm, []).append((t.value, f"{t.text} {tokens[i + 1].text}", _hedged(tokens, i)))
        return out

    ca, cb = counted(a), counted(b)
    stated_b = _numbers_in(b)
    for noun, values in ca.items():
        if noun in cb and not stated_b & {v for v, _, _ in values}:  # "Lynd, 25, and 23-year-old Indra" states 25
            left, right = [v for v, _, _ in values], [v for v, _, _ in cb[noun]]
            # "about 1,200 dockworkers" / "1,210 dockworkers" agree; "27 years old" / "26-year-old" do not
            hedged = any(h for _, _, h in values + cb[noun])
            if not _numbers_agree(left, right, hedged=hedged):
                return Conflict("number", values[0][1], cb[noun][0][1])
    # the same count of the other sex: "parents of seven sons" / "... seven daughters"
    for noun, values in ca.items():
        for other, other_values in cb.items():
            if noun in cb or {_SEX.get(noun), _SEX.get(other)} != {"m", "f"}:
                continue  # the claim's noun is counted in the evidence too, or not a swap of sex
            if _numbers_agree([v for v, _, _ in values], [v for v, _, _ in other_values], hedged=False):
                return Conflict("antonym", values[0][1], other_values[0][1])
    return None


# Counted role nouns by sex (lemmas and plurals): a different count is a number conflict, the
# same count of the other sex an opposite. Not a general antonym: "men and women" name two groups.
_SEX = {w: "m" for w in "boy boys son sons man men male males brother brothers father fathers husband husbands".split()}
_SEX.update(
    {w: "f" for w in "girl girls daughter daughters woman women female females sister sisters mother mothers wife wives".split()}
)


def _date_conflict(a: list[Token], b: list[Token], *, framed: bool = True) -> Conflict | None:
    """Both give a full or partial date for the statement and the dates cannot be the same day.

    Unless the two statements match closely (`framed`), the dates must date the same thing: the
    words around them share one ("signed off on the plan in December" is not "could lose their
    jobs before the end of January")."""
    if not (framed or _date_the_same(a, b)):
        return None

    def dates(tokens: list[Token]) -> list[tuple[int | None, int | None, str]]:
        found = []
        for i, t in enumerate(tokens):
            if t.kind == "month":
                day = tokens[i + 1].value if i + 1 < len(tokens) and tokens[i + 1].kind == "number" else None
                found.append(
                    (int(t.value), int(day) if day and day <= 31 else None, f"{t.text} {int(day) if day else ''}".strip())
                )
        return found

    da, db = dates(a), dates(b)
    if da and db and not any(_same_day(x, y) for x in da for y in db):
        return Conflict("date", da[0][2], db[0][2])
    wa = {t.norm for t in a if t.kind == "weekday"}
    wb = {t.norm for t in b if t.kind == "weekday"}
    if wa and wb and not wa & wb:
        return Conflict("date", sorted(wa)[0].title(), sorted(wb)[0].title())
    ya = {t.value for t in a if t.kind == "year"}
    yb = {t.value for t in b if t.kind == "year"}
    if ya and yb and not ya & yb and len(ya) == len(yb) == 1:
        return Conflict("date", f"{int(next(iter(ya)))}", f"{int(next(iter(yb)))}")
    return None


def _date_the_same(a: list[Token], b: list[Token]) -> bool:
    """Whether the words around the dates of two statements share one: the dates date the same thing."""
    near_a = set().union(*(_around(a, i) for i, t in enumerate(a) if t.kind in _WHEN))
    near_b = set().union(*(_around(b, i) for i, t in enumerate(b) if t.kind in _WHEN))
    return bool(near_a & near_b)


def _same_day(x: tuple, y: tuple) -> bool:
    return x[0] == y[0] and (x[1] is None or y[1] is None or x[1] == y[1])


def _polarity_conflict(a: list[Token], b: list[Token]) -> Conflict | None:
    """Negations and antonym swaps flip meaning; an odd number of flips is a conflict.

    `a` and `b` are the matched cores. A negation counts only where it sits in a short gap
    between shared content ("did not confirm"), not in a clause only one sentence has.
    """
    neg_a, neg_b = _local_negations(a, b)
    words_a = {t.norm for t in a}
    words_b = {t.norm for t in b}
    swaps = [(w, v) for w in words_a - words_b for v in ANTONYMS.get(w, ()) if v in words_b and v not in words_a]
    for side, found, words in ((a, neg_a, {w for w, _ in swaps}), (b, neg_b, {v for _, v in swaps})):
        # a negated opposite says the same: "held" / "was denied release", however far from the
        # shared words the negation stands
        for i, t in enumerate(side):
            if t.norm in words:
                found.extend(n for n in side[max(0, i - 2) : i] if n.kind == "negation" and all(n is not f for f in found))
    negated = (len(neg_a) - len(neg_b)) % 2
    if negated and not swaps and any(t.kind == "negation" for t in a) and any(t.kind == "negation" for t in b):
        negated = 0  # both negate, in another order: "nobody had told her family" / "her family had not been told"
    flips = negated + len(swaps)
    if flips % 2 == 0:
        return None
    if swaps:
        return Conflict("antonym", swaps[0][0], swaps[0][1])
    cue_a = neg_a[0].text if neg_a else "(affirmative)"
    cue_b = neg_b[0].text if neg_b else "(affirmative)"
    return Conflict("negation", cue_a, cue_b)


def _last_since(a: list[Token], b: list[Token]) -> bool:
    """ "was last seen on May 3" says what "has not been seen since May 3" says."""
    negations = sum(t.kind == "negation" for t in b) - sum(t.kind == "negation" for t in a)
    return negations == 1 and any(t.norm == "last" for t in a) and any(t.norm == "since" for t in b)


MAX_NEGATION_GAP = 4  # tokens between shared content within which a negation negates it


def _local_negations(a: list[Token], b: list[Token]) -> tuple[list[Token], list[Token]]:
    matcher = difflib.SequenceMatcher(a=[t.norm for t in a], b=[t.norm for t in b], autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size and any(t.norm not in STOPWORDS for t in a[m.a : m.a + m.size])]
    found_a: list[Token] = []
    found_b: list[Token] = []
    for side, found, key in ((a, found_a, "a"), (b, found_b, "b")):
        if blocks and getattr(blocks[0], key) <= MAX_NEGATION_GAP:  # "did not | stop ..." at the start
            found.extend(t for t in side[: getattr(blocks[0], key)] if t.kind == "negation")
        for m in blocks:  # a negation shared by both sentences cancels out, count it on both sides
            start = getattr(m, key)
            found.extend(t for t in side[start : start + m.size] if t.kind == "negation")
        for left, right in zip(blocks, blocks[1:]):
            gap = side[getattr(left, key) + left.size : getattr(right, key)]
            if len(gap) <= MAX_NEGATION_GAP:
                found.extend(t for t in gap if t.kind == "negation")
            else:  # a long aside, then the negated verb group: "the uniform, launched in May, does not | include"
                found.extend(
                    t for t in side[_negated_start(side, getattr(right, key)) : getattr(right, key)] if t.kind == "negation"
                )
    return found_a, found_b


_SPECIFIC_KINDS = ("number", "year", "month", "weekday")


def specifics_stated(claim: str, evidence: str) -> bool:
    """Whether every number and date the claim gives is also in the evidence.

    Evidence that does not state a claim's figure cannot corroborate it, however close its
    wording: "an order covering about 4,800 people" says nothing for "8,400 residents".
    """
    ev, cl = tokenize(evidence), tokenize(claim)
    stated = {t.norm for t in ev if t.kind in _SPECIFIC_KINDS}
    numbers = [(t.value, _hedged(ev, i)) for i, t in enumerate(ev) if t.kind == "number"]
    for i, t in enumerate(cl):
        if t.kind not in _SPECIFIC_KINDS or t.norm in stated:
            continue
        # an approximate figure is stated by a close one: "about 8 percent" by "8.1 percent"
        hedged = _hedged(cl, i)
        if t.kind != "number" or not any(_numbers_agree([t.value], [v], hedged=hedged or h) for v, h in numbers):
            return False
    return True


def _hedged(tokens: list[Token], i: int) -> bool:
    """Whether the number at `i` is given as approximate ("about 300", "more than 300,000")."""
    return any(t.norm in _HEDGES and t.norm not in ("up", "at") for t in tokens[max(0, i - 2) : i])


# --------------------------------------------------------------------------- where the difference is


@dataclass(frozen=True)
class Span:
    """Differing words of a conflict in one sentence: character offsets and the conflict type."""

    start: int
    end: int
    role: str  # number, date, place, entity, negation, antonym

    def to_dict(self, text: str) -> dict:
        return {"start": self.start, "end": self.end, "role": self.role, "text": text[self.start : self.end]}


# which token kinds show a conflict of each type; None: every token the conflict names
_SPAN_KINDS: dict[str, set[str] | None] = {
    "number": {"number"},
    "date": {"year", "month", "weekday", "number"},
    "place": {"proper"},
    "entity": {"proper"},
    "antonym": None,
    "negation": None,
}


def conflict_spans(claim: str, evidence: str) -> tuple[Conflict, list[Span], list[Span]] | None:
    """The conflict `find_conflict` names and where its differing words sit in each sentence.

    "About 120 homes" vs "About 210 homes" gives the spans of "120" and "210"; for a negation,
    the cue and the word it negates ("did not confirm") against the affirmed word ("confirmed").
    """
    conflict = find_conflict(claim, evidence)
    if conflict is None:
        return None
    a, b = tokenize(claim), tokenize(evidence)
    shared_a, shared_b = _shared_positions(a, b)
    kinds = _SPAN_KINDS.get(conflict.type)
    left = _locate(conflict.claim_span, a, shared_a, kinds)
    right = _locate(conflict.evidence_span, b, shared_b, kinds)
    if conflict.type == "antonym":  # of a replaced stretch ("rising on Thursday"), the opposite words
        left_words, right_words = {a[i].norm for i in left}, {b[i].norm for i in right}
        left, right = _opposites(a, left, right_words) or left, _opposites(b, right, left_words) or right
    elif conflict.type == "date":  # the rest of the date: "Monday, March 3" vs "Wednesday, March 5"
        left, right = _rest_of_date(a, left, shared_a), _rest_of_date(b, right, shared_b)
    elif conflict.type == "negation":
        left, right = _negated(a, left), _negated(b, right)
        if not left and right:
            left = _affirmed(a, b[right[-1]])
        elif not right and left:
            right = _affirmed(b, a[left[-1]])
    return conflict, _merge(a, left, conflict.type), _merge(b, right, conflict.type)


def _shared_positions(a: list[Token], b: list[Token]) -> tuple[set[int], set[int]]:
    """Token positions in the blocks both sentences share: where the difference is not."""
    matcher = difflib.SequenceMatcher(a=[t.norm for t in a], b=[t.norm for t in b], autojunk=False)
    shared_a: set[int] = set()
    shared_b: set[int] = set()
    for m in matcher.get_matching_blocks():
        shared_a.update(range(m.a, m.a + m.size))
        shared_b.update(range(m.b, m.b + m.size))
    return shared_a, shared_b


def _locate(span: str, tokens: list[Token], shared: set[int], kinds: set[str] | None) -> list[int]:
    """Positions of the tokens a conflict's span text names, preferring tokens the other sentence lacks."""
    found: list[int] = []
    after = 0
    for word in span.split():
        word = word.lower()
        candidates = [
            i for i, t in enumerate(tokens) if (kinds is None or t.kind in kinds) and word in (t.text.lower().rstrip(","), t.norm)
        ]
        ranked = (
            [i for i in candidates if i >= after and i not in shared]
            or [i for i in candidates if i >= after]
            or [i for i in candidates if i not in shared]
            or candidates
        )
        if ranked:
            found.append(ranked[0])
            after = ranked[0] + 1
    return sorted(set(found))


def _opposites(tokens: list[Token], positions: list[int], other_words: set[str]) -> list[int]:
    """The words at `positions` whose opposite is among the other side's words: "Rejects" of
    "Rejects South Korea's" against "silent on" ("South" is opposite to a "North" elsewhere)."""
    return [i for i in positions if ANTONYMS.get(tokens[i].norm, set()) & other_words]


def _rest_of_date(tokens: list[Token], positions: list[int], shared: set[int]) -> list[int]:
    found = set(positions)
    grown = True
    while grown:
        near = {
            i
            for i, t in enumerate(tokens)
            if i not in found
            and i not in shared
            and t.kind in ("year", "month", "weekday", "number")
            and any(abs(i - j) <= 2 for j in found)
        }
        grown = bool(near)
        found |= near
    return sorted(found)


def _negated(tokens: list[Token], cues: list[int]) -> list[int]:
    """A negation cue and the word it negates: "not" in "did not confirm" -> "not confirm"."""
    if not cues:
        return cues
    last = cues[-1]
    for i in range(last + 1, min(last + 4, len(tokens))):
        if tokens[i].kind != "negation" and tokens[i].norm not in STOPWORDS and tokens[i].norm not in _AUXILIARIES:
            return list(range(cues[0], i + 1)) if i - last <= 1 else cues + [i]
    return cues


def _affirmed(tokens: list[Token], negated: Token) -> list[int]:
    """In the affirmative sentence, the word the other sentence negates ("confirmed")."""
    return [i for i, t in enumerate(tokens) if t.norm == negated.norm and t.kind != "negation"][:1]


def _merge(tokens: list[Token], positions: list[int], role: str) -> list[Span]:
    """One span per run of neighbouring tokens ("March 5", "South Korea", "not confirm")."""
    spans: list[Span] = []
    previous = None
    for i in sorted(positions):
        if previous is not None and i == previous + 1 and spans:
            spans[-1] = Span(spans[-1].start, tokens[i].end, role)
        else:
            spans.append(Span(tokens[i].start, tokens[i].end, role))
        previous = i
    return spans

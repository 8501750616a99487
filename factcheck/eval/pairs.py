"""Training pairs for the stance model, made from real news sentences in the FactCC manner.

From a real sentence we make a *refuting* claim (negation, antonym swap, changed number or date,
an entity swapped for another of the same kind, an explicit denial), a *supporting* claim
(a sub-clause, a synonym paraphrase, a near-duplicate) and a *neutral* pair (another sentence of
the same story, a hedged report of the claim, or a sentence of another story). Pure functions:
the same seed gives the same pairs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence

from ..text.lexicon import ANTONYM_FORMS, MONTHS, WEEKDAYS
from .datasets import LabeledPair

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split body text into sentences on paragraph breaks and sentence-final punctuation."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        sentences.extend(part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip())
    return sentences


# -- word lists ------------------------------------------------------------------------------
_ANTONYMS: dict[str, str] = {}
for _a, _b in ANTONYM_FORMS:
    _ANTONYMS.setdefault(_a, _b)
    _ANTONYMS.setdefault(_b, _a)

_SYNONYM_PAIRS = [
    ("said", "stated"),
    ("says", "states"),
    ("told", "informed"),
    ("big", "large"),
    ("buy", "purchase"),
    ("bought", "purchased"),
    ("killed", "slain"),
    ("died", "passed away"),
    ("car", "vehicle"),
    ("begin", "start"),
    ("began", "started"),
    ("show", "reveal"),
    ("showed", "revealed"),
    ("shows", "reveals"),
    ("help", "assist"),
    ("helped", "assisted"),
    ("children", "kids"),
    ("photo", "picture"),
    ("photos", "pictures"),
    ("film", "movie"),
    ("quickly", "rapidly"),
    ("near", "close to"),
    ("about", "around"),
    ("almost", "nearly"),
    ("attempt", "try"),
    ("attempted", "tried"),
    ("enough", "sufficient"),
    ("huge", "enormous"),
    ("ended", "finished"),
    ("reported", "said"),
    ("announced", "declared"),
    ("people", "individuals"),
    ("officials", "authorities"),
    ("hospital", "medical center"),
    ("police", "law enforcement"),
    ("claimed", "alleged"),
    ("whole", "entire"),
    ("attack", "assault"),
    ("attacked", "assaulted"),
    ("many", "numerous"),
]
_SYNONYMS: dict[str, str] = {}
for _a, _b in _SYNONYM_PAIRS:
    _SYNONYMS.setdefault(_a, _b)
    _SYNONYMS.setdefault(_b, _a)

_NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
]
_MONTHS = [name.capitalize() for name in MONTHS]
_WEEKDAYS = [name.capitalize() for name in WEEKDAYS]

_AUX = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|can|could|should|may|might|"
    r"must|does|do|did)\b(?! not\b)(?!n't)"
)
_NEGATED = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|could|should|may|might|"
    r"must|does|do|did) not\b|\b(is|are|was|were|has|have|had|would|could|"
    r"should|does|do|did)n't\b|\bcannot\b|\bcan't\b|\bwon't\b|\bnever\b"
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_ENTITY = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b")
_ATTRIBUTION = re.compile(
    r",?\s+(?:he|she|they|it|officials|police|[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s+"
    r"(?:said|says|told [\w ]{1,30}|reported|added|wrote|explained)\s*\.?$"
)
_WORD = re.compile(r"[A-Za-z]+")

_DENIALS = [
    "Reports that {s} are false.",
    "There is no truth to claims that {s}.",
    "Officials denied that {s}.",
    "It is not true that {s}.",
    "The claim that {s} has been debunked.",
    "Contrary to rumours, it is false that {s}.",
]
_CONFIRMATIONS = [
    "Officials confirmed that {s}.",
    "It has been confirmed that {s}.",
    "Witnesses said that {s}.",
    "A spokesman said that {s}.",
    "Police said that {s}.",
]
_HEDGES = [
    "It is not yet clear whether {s}.",
    "Unconfirmed reports suggest that {s}.",
    "Officials are investigating claims that {s}.",
    "Some have speculated that {s}.",
    "It remains unknown if {s}.",
    "Rumours are circulating online that {s}.",
]


def _match_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _swap_word(sentence: str, table: dict[str, str], rng: random.Random) -> str | None:
    hits = [m for m in _WORD.finditer(sentence) if m.group(0).lower() in table]
    if not hits:
        return None
    m = rng.choice(hits)
    new = _match_case(table[m.group(0).lower()], m.group(0))
    return sentence[: m.start()] + new + sentence[m.end() :]


def negate(sentence: str, rng: random.Random) -> str | None:
    """Negate the first auxiliary, or remove an existing negation."""
    negated = _NEGATED.search(sentence)
    if negated:
        text = negated.group(0)
        repl = {"cannot": "can", "can't": "can", "won't": "will", "never": "always"}.get(
            text.lower(), re.sub(r"( not|n't)$", "", text)
        )
        return sentence[: negated.start()] + _match_case(repl, text) + sentence[negated.end() :]
    m = _AUX.search(sentence)
    if not m:
        return None
    word = m.group(0)
    new = "cannot" if word.lower() == "can" else f"{word} not"
    return sentence[: m.start()] + _match_case(new, word) + sentence[m.end() :]


def swap_antonym(sentence: str, rng: random.Random) -> str | None:
    """Replace one word by its antonym (accepted -> rejected)."""
    return _swap_word(sentence, _ANTONYMS, rng)


def change_number(sentence: str, rng: random.Random) -> str | None:
    """Change one number (not a year) to a clearly different value."""
    hits = [m for m in _NUMBER.finditer(sentence) if not _YEAR.fullmatch(m.group(0))]
    if not hits:
        words = [m for m in _WORD.finditer(sentence) if m.group(0).lower() in _NUMBER_WORDS]
        if not words:
            return None
        m = rng.choice(words)
        options = [w for w in _NUMBER_WORDS if w != m.group(0).lower()]
        return sentence[: m.start()] + _match_case(rng.choice(options), m.group(0)) + sentence[m.end() :]
    m = rng.choice(hits)
    raw = m.group(0).replace(",", "")
    value = float(raw)
    factor = rng.choice([0.1, 0.25, 0.5, 2.0, 3.0, 5.0, 10.0])
    new_value = value * factor if value not in (0.0, 1.0) else value + rng.randint(2, 9)
    if "." in raw:
        new = f"{new_value:.{len(raw.split('.')[1])}f}"
    else:
        new_int = int(round(new_value))
        if new_int == int(value):
            new_int += rng.randint(2, 9)
        new = f"{new_int:,}" if "," in m.group(0) else str(new_int)
    return sentence[: m.start()] + new + sentence[m.end() :]


def change_date(sentence: str, rng: random.Random) -> str | None:
    """Move a year, month or weekday to another one."""
    options: list[Callable[[], str | None]] = []
    year = _YEAR.search(sentence)
    if year:

        def _year() -> str:
            shift = rng.choice([-5, -3, -2, -1, 1, 2, 3, 5])
            return sentence[: year.start()] + str(int(year.group(0)) + shift) + sentence[year.end() :]

        options.append(_year)
    for names in (_MONTHS, _WEEKDAYS):
        found = re.search(r"\b(" + "|".join(names) + r")\b", sentence)
        if found:

            def _name(found: re.Match[str] = found, names: list[str] = names) -> str:
                other = rng.choice([n for n in names if n != found.group(0)])
                return sentence[: found.start()] + other + sentence[found.end() :]

            options.append(_name)
    return rng.choice(options)() if options else None


def find_entities(sentence: str) -> list[str]:
    """Capitalised spans not at the start of the sentence (a cheap stand-in for NER)."""
    skip = set(_MONTHS) | set(_WEEKDAYS) | {"The", "A", "An", "He", "She", "It", "They", "But", "I"}
    return [m.group(1) for m in _ENTITY.finditer(sentence) if m.group(1).split()[0] not in skip]


def swap_entity(sentence: str, pool: Sequence[str], rng: random.Random) -> str | None:
    """Replace an entity by another of the same length (in words) from a pool of entities."""
    entities = find_entities(sentence)
    if not entities or not pool:
        return None
    target = rng.choice(entities)
    size = len(target.split())
    for _ in range(20):
        other = rng.choice(pool)
        if len(other.split()) == size and other != target and other not in sentence:
            return sentence.replace(target, other, 1)
    return None


_SUBORDINATE = {
    "if",
    "when",
    "while",
    "although",
    "though",
    "because",
    "since",
    "as",
    "after",
    "before",
    "toward",
    "towards",
    "in",
    "on",
    "at",
    "according",
    "despite",
    "unless",
    "until",
    "whether",
    "for",
    "with",
    "by",
    "from",
    "during",
    "like",
    "unlike",
}


def sub_clause(sentence: str, rng: random.Random) -> str | None:
    """A shorter statement the sentence entails: drop the attribution or keep the main clause."""
    stripped = _ATTRIBUTION.sub("", sentence)
    if stripped != sentence and len(stripped.split()) >= 5:
        return stripped.rstrip(",;: ") + "."
    parts = re.split(r",\s+(?:and|but|while|which|who|after|as)?\s*|;\s+", sentence)
    first = parts[0]
    if (
        len(parts) >= 2
        and len(first.split()) >= 6
        and first.split()[0].lower() not in _SUBORDINATE
        and (_AUX.search(first) or re.search(r"\b\w+(?:ed|es)\b", first))
    ):
        return first.rstrip(".,;: ") + "."
    return None


def paraphrase(sentence: str, rng: random.Random) -> str | None:
    """Swap up to two words for synonyms."""
    first = _swap_word(sentence, _SYNONYMS, rng)
    if first is None:
        return None
    second = _swap_word(first, _SYNONYMS, rng)
    return second or first


def near_duplicate(sentence: str, rng: random.Random) -> str | None:
    """A lightly edited copy: drop a parenthesis, a leading connective or trailing attribution."""
    edited = re.sub(r"\s*\([^)]*\)", "", sentence)
    edited = re.sub(r"^(However|Meanwhile|Also|But|And|Still|Now|In addition),\s+", "", edited)
    edited = _ATTRIBUTION.sub(".", edited) if edited == sentence else edited
    edited = edited.replace(" percent", "%") if edited == sentence else edited
    return edited[:1].upper() + edited[1:] if edited != sentence and len(edited.split()) >= 5 else None


_LOWER_STARTS = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "it",
    "he",
    "she",
    "they",
    "we",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "its",
    "some",
    "many",
    "most",
    "one",
    "two",
    "per",
    "for",
    "by",
    "from",
    "after",
    "before",
    "during",
    "when",
    "if",
    "while",
    "as",
    "to",
    "with",
    "no",
    "all",
    "more",
    "several",
    "only",
    "about",
    "under",
    "over",
    "our",
    "my",
    "your",
}


def _as_clause(sentence: str) -> str:
    """The sentence as a clause to embed after "that": no connective, no final stop."""
    clause = re.sub(r"^(?:And|But|So|Also|However|Meanwhile|Still|Now),?\s+", "", sentence)
    clause = clause.rstrip(" .!?")
    first = clause.split()[0] if clause.split() else ""
    if first.lower() in _LOWER_STARTS:
        clause = clause[:1].lower() + clause[1:]
    return clause


def wrap_denial(sentence: str, rng: random.Random) -> str:
    """An evidence sentence that explicitly denies the claim."""
    return rng.choice(_DENIALS).format(s=_as_clause(sentence))


def wrap_confirmation(sentence: str, rng: random.Random) -> str:
    """An evidence sentence that reports the claim as fact, with an attribution."""
    return rng.choice(_CONFIRMATIONS).format(s=_as_clause(sentence))


def wrap_hedge(sentence: str, rng: random.Random) -> str:
    """An evidence sentence that reports the claim without taking a position."""
    return rng.choice(_HEDGES).format(s=_as_clause(sentence))


# News verbs whose tense a headline changes ("rejected" -> "Rejects"): base, past.
_NEWS_VERBS = [
    ("reject", "rejected"),
    ("accept", "accepted"),
    ("say", "said"),
    ("announce", "announced"),
    ("confirm", "confirmed"),
    ("deny", "denied"),
    ("kill", "killed"),
    ("launch", "launched"),
    ("approve", "approved"),
    ("refuse", "refused"),
    ("agree", "agreed"),
    ("offer", "offered"),
    ("warn", "warned"),
    ("claim", "claimed"),
    ("dismiss", "dismissed"),
    ("win", "won"),
    ("lose", "lost"),
    ("die", "died"),
    ("arrest", "arrested"),
    ("find", "found"),
    ("order", "ordered"),
    ("ban", "banned"),
    ("release", "released"),
    ("plan", "planned"),
    ("call", "called"),
    ("attack", "attacked"),
    ("sign", "signed"),
    ("report", "reported"),
    ("reveal", "revealed"),
    ("show", "showed"),
    ("raise", "raised"),
    ("cut", "cut"),
    ("hit", "hit"),
    ("open", "opened"),
    ("close", "closed"),
    ("end", "ended"),
    ("start", "started"),
    ("buy", "bought"),
    ("sell", "sold"),
    ("leave", "left"),
    ("join", "joined"),
    ("send", "sent"),
    ("seize", "seized"),
    ("capture", "captured"),
    ("free", "freed"),
    ("propose", "proposed"),
    ("threaten", "threatened"),
    ("vow", "vowed"),
    ("urge", "urged"),
    ("criticize", "criticized"),
    ("praise", "praised"),
    ("test", "tested"),
    ("fire", "fired"),
    ("hire", "hired"),
    ("build", "built"),
    ("destroy", "destroyed"),
]


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


_TENSE: dict[str, str] = {}
for _base, _past in _NEWS_VERBS:
    if _past != _base:
        _TENSE.setdefault(_past, _third_person(_base))
        _TENSE.setdefault(_third_person(_base), _past)
_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "by",
    "with",
    "from",
    "as",
    "is",
    "are",
    "was",
    "were",
}


def restyle(sentence: str, rng: random.Random) -> str:
    """The same statement in another surface form: tense shift and/or headline Title Case."""
    text = re.sub(r"\b(?:has|have|had) (\w+ed)\b", r"\1", sentence)
    shifted = _swap_word(text, _TENSE, rng)
    text = shifted or text
    if rng.random() < 0.5 or shifted is None:
        words = text.rstrip(" .").split(" ")
        text = " ".join(
            w if (i and w.lower() in _SMALL_WORDS) or not w[:1].isalpha() else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return text


# Surface edits that keep the statement: the model must not read them as a changed fact. The
# generated refutes swap a name, a number or a date for another; these change only its form.
_SMALL_NUMBERS = {str(n): w for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:, (\d{4})\b)?")
_DAY_MONTH = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r")\b")
_PERCENT = re.compile(r"(\d) ?(?:percent|per cent|%)")


def names_used_alone(sentences: Sequence[str], common: set[str]) -> set[str]:
    """Capitalised words a story uses on their own inside a sentence ("..., Durani said") that
    are never a common word (`common`: the lower-case words of the corpus): a person named in
    full once and by surname after, not "Yard" of "Scotland Yard"."""
    alone = set()
    for sentence in sentences:
        words = sentence.split()
        for i in range(1, len(words)):
            word = words[i].strip(".,;:!?\"'()“”‘’")
            before, after = words[i - 1], words[i + 1] if i + 1 < len(words) else ""
            if (
                re.fullmatch(r"[A-Z][a-z]{2,}", word)
                and word.lower() not in common
                and not before[:1].isupper()
                and not before.endswith((".", "!", "?", ":", '"', "“"))
                and not after[:1].isupper()
            ):
                alone.add(word)
    return alone


def shorten_name(sentence: str, alone: set[str], rng: random.Random) -> str | None:
    """ "Pawan Durani tweeted" -> "Durani tweeted": a full name cut to its last word where the
    story also uses that word alone (a title such as "President" goes with the rest)."""
    options = [
        (entity, entity.split()[-1])
        for entity in find_entities(sentence)
        if len(entity.split()) >= 2 and entity.split()[-1] in alone and not any(w in alone for w in entity.split()[:-1])
    ]
    if not options:
        return None
    entity, kept = rng.choice(options)
    return sentence.replace(entity, kept, 1)


def reformat(sentence: str, rng: random.Random) -> str | None:
    """The same date, number or percentage written another way: "October 13, 2014" / "13
    October 2014", "3" / "three", "10 percent" / "10%"."""
    options: list[Callable[[], str]] = []
    month_day = _MONTH_DAY.search(sentence)
    if month_day:
        month, day, year = month_day.group(1), month_day.group(2), month_day.group(3)
        swapped = f"{day} {month}" + (f" {year}" if year else "")
        options.append(lambda: sentence[: month_day.start()] + swapped + sentence[month_day.end() :])
    day_month = _DAY_MONTH.search(sentence)
    if day_month:
        options.append(
            lambda: sentence[: day_month.start()] + f"{day_month.group(2)} {day_month.group(1)}" + sentence[day_month.end() :]
        )
    small = [m for m in re.finditer(r"(?<![\w.,$£€])(\d{1,2})(?![\w.,%])", sentence) if m.group(1) in _SMALL_NUMBERS]
    small = [m for m in small if not re.match(r"\s*(?:" + "|".join(_MONTHS) + r")\b", sentence[m.end() :])]
    small = [m for m in small if not re.search(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s*$", sentence[: m.start()])]
    if small:
        m = rng.choice(small)
        options.append(lambda: sentence[: m.start()] + _SMALL_NUMBERS[m.group(1)] + sentence[m.end() :])
    percent = _PERCENT.search(sentence)
    if percent:
        form = rng.choice([" percent", " per cent", "%"])
        options.append(lambda: sentence[: percent.start()] + percent.group(1) + form + sentence[percent.end() :])
    edited = [text for text in (option() for option in options) if text != sentence]
    return rng.choice(edited) if edited else None


def restatement_pairs(
    stories: Iterable[tuple[str, Sequence[str]]], *, seed: int = 0, max_pairs: int | None = None
) -> list[LabeledPair]:
    """Supports pairs where one side is the other with a name shortened or a date or number
    written another way (`shorten_name`, `reformat`); either side may be the edited one."""
    rng = random.Random(seed)
    stories = list(stories)
    common = {w for _, sentences in stories for s in sentences for w in re.findall(r"\b[a-z]+\b", s)}
    pairs: list[LabeledPair] = []
    for story_id, sentences in stories:
        alone = names_used_alone(sentences, common)
        for sentence in (s for s in sentences if usable_sentence(s)):
            for kind, edit in (("partial_name", lambda s: shorten_name(s, alone, rng)), ("reformat", lambda s: reformat(s, rng))):
                edited = edit(sentence)
                if not edited:
                    continue
                if rng.random() < 0.6:  # the edited side as the claim, maybe only its main clause
                    claim, evidence = (sub_clause(edited, rng) or edited) if rng.random() < 0.3 else edited, sentence
                else:
                    claim, evidence = sentence, edited
                if rng.random() < 0.15:
                    claim = restyle(claim, rng)  # the form must not decide the label
                if claim != evidence:
                    pairs.append(LabeledPair(claim, evidence, "supports", "train", f"gen:{story_id}", kind))
    rng.shuffle(pairs)
    return pairs[:max_pairs] if max_pairs is not None else pairs


_REFUTERS = ("negate", "antonym", "number", "date", "entity", "denial")
_SUPPORTERS = ("sub_clause", "paraphrase", "near_duplicate")


def change_fact(kind: str, sentence: str, pool: Sequence[str], rng: random.Random) -> str | None:
    """`sentence` with one fact changed by `kind` (negate, antonym, number, date, or entity from
    `pool`), or None when it has no such slot."""
    if kind == "entity":
        return swap_entity(sentence, pool, rng)
    return {"negate": negate, "antonym": swap_antonym, "number": change_number, "date": change_date}[kind](sentence, rng)


def usable_sentence(sentence: str) -> bool:
    words = len(sentence.split())
    return 6 <= words <= 60 and not sentence.endswith("?") and sentence[:1].isalnum()


def generate_pairs(
    stories: Iterable[tuple[str, Sequence[str]]], *, seed: int = 0, max_pairs: int | None = None, split: str = "train"
) -> list[LabeledPair]:
    """Make supports/refutes/neutral pairs from (story id, sentences) of real text.

    Each usable sentence yields up to one refuting, one supporting and one neutral pair;
    `group` is `gen:<story id>` so a story never straddles two splits.
    """
    rng = random.Random(seed)
    stories = [(sid, [s for s in sents if s.strip()]) for sid, sents in stories]
    pool = sorted({e for _, sents in stories for s in sents for e in find_entities(s)})
    pairs: list[LabeledPair] = []

    def add(claim: str | None, evidence: str, label: str, kind: str, group: str) -> None:
        if claim and claim.strip() and claim != evidence:
            pairs.append(LabeledPair(claim, evidence, label, split, group, kind))

    for story_id, sentences in stories:
        group = f"gen:{story_id}"
        usable = [s for s in sentences if usable_sentence(s)]
        for index, sentence in enumerate(usable):
            # refuting claim
            for kind in rng.sample(_REFUTERS, len(_REFUTERS)):
                if kind == "denial":
                    if rng.random() < 0.35:
                        add(sentence, wrap_denial(sentence, rng), "refutes", kind, group)
                        break
                    continue
                changed = change_fact(kind, sentence, pool, rng)
                if changed and changed != sentence:
                    if rng.random() < 0.25:
                        changed = restyle(changed, rng)  # the form must not decide the label
                    # the changed statement may play claim or evidence: contradiction is symmetric
                    if rng.random() < 0.7:
                        add(changed, sentence, "refutes", kind, group)
                    else:
                        add(sentence, changed, "refutes", kind, group)
                    break
            # supporting claims: up to two different kinds, or a confirmation
            made = 0
            for kind in rng.sample(_SUPPORTERS, len(_SUPPORTERS)):
                claim = {"sub_clause": sub_clause, "paraphrase": paraphrase, "near_duplicate": near_duplicate}[kind](
                    sentence, rng
                )
                if claim:
                    add(claim, sentence, "supports", kind, group)
                    if kind == "sub_clause" and rng.random() < 0.6:
                        # entailment is directional: the part does not carry the whole
                        add(sentence, claim, "neutral", "reverse_sub_clause", group)
                    made += 1
                    if made == 2:
                        break
            if rng.random() < (0.3 if made == 0 else 0.1):
                add(sentence, wrap_confirmation(sentence, rng), "supports", "confirmation", group)
            if rng.random() < 0.3:
                # headline style of the same statement, as claim or as evidence
                styled = restyle(sub_clause(sentence, rng) or sentence, rng)
                if rng.random() < 0.5:
                    add(styled, sentence, "supports", "restyle", group)
                else:
                    add(sentence, styled, "supports", "restyle", group)
            # neutral pair: another fact of the same story, a hedge, or another story
            roll = rng.random()
            if roll < 0.12:
                add(sentence, wrap_hedge(sentence, rng), "neutral", "hedge", group)
            elif roll < 0.25 or len(usable) < 2:
                other_story = rng.choice(stories)[1]
                if other_story:
                    add(sentence, rng.choice(other_story), "neutral", "other_story", group)
            else:
                others = [s for j, s in enumerate(usable) if j != index]
                words = set(sentence.lower().split())
                if rng.random() < 0.5:
                    # the hardest neighbour: most words in common but a different fact
                    other = max(others, key=lambda s: len(words & set(s.lower().split())))
                else:
                    other = rng.choice(others)
                add(sentence, other, "neutral", "same_story", group)
    rng.shuffle(pairs)
    if max_pairs is not None:
        pairs = pairs[:max_pairs]
    return pairs

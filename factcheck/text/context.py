"""Evidence in its article's context: what a reader of the article knows when reading one sentence.

A sentence is judged with what it needs from its article: a partial name made full ("Okafor"
-> "Ngozi Okafor" when the article has named "Finance Minister Ngozi Okafor"), and the previous
sentence when this one opens on a pronoun ("He resigned on May 2."). The report still quotes the
sentence itself; only the stance step reads the context. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words that come before a name without being part of it ("Finance Minister Ngozi Okafor").
_TITLES = frozenset(
    """
mr mrs ms miss dr prof sir dame lord lady president vice prime minister secretary general gen
finance foreign defence defense interior justice health chief executive director spokesman
spokeswoman spokesperson senator sen rep representative governor gov mayor judge justice king queen
prince princess pope sheriff officer captain capt lt sgt col colonel commander major lieutenant
sergeant detective agent ambassador chancellor premier leader chairman chairwoman chair founder
ceo cfo coach professor pastor reverend rev father sister brother saint st state supreme deputy
former late acting first lady actor actress singer rapper star
""".split()
)
_NAME_TOKEN = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.")
_NAME_RUN = re.compile(
    r"(?:(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.)\s+){1,4}"
    r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
)
_OPENS_ON_REFERENCE = re.compile(
    r"^(?:he|she|they|it|his|her|their|its|this|that|these|those|the (?:group|company|man|woman|"
    r"agency|ministry|government|official|officials|statement|report|move|decision|police)|"
    r"but|however|also|still)\b",
    re.IGNORECASE,
)


def full_names(sentences: Sequence[str]) -> dict[str, str]:
    """Surname -> full name for every person-like name the article gives in full.

    A name is a run of two or more capitalised words with leading titles removed; its last word
    maps to it when the article gives that last word only one full form.
    """
    found: dict[str, set[str]] = {}
    for sentence in sentences:
        for match in _NAME_RUN.finditer(sentence):
            words = match.group(0).split()
            while words and words[0].lower().rstrip(".") in _TITLES:
                words = words[1:]
            if len(words) >= 2 and not any(w.lower() in _TITLES for w in words):
                found.setdefault(words[-1], set()).add(" ".join(words))
    names = {}
    for surname, forms in found.items():
        longest = max(forms, key=len)
        if all(longest.endswith(form) for form in forms):  # "Jae Myung" and "Lee Jae Myung" agree
            names[surname] = longest
    return names


def expand_names(sentence: str, names: dict[str, str]) -> str:
    """`sentence` with each partial mention of a full name replaced by the full name."""
    if not names:
        return sentence

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        full = names.get(word)
        if full is None:
            return word
        start = match.start()
        before = sentence[max(0, start - len(full)) : start]
        if (before + word).lower().endswith(full.lower()):  # already in full ("the three Afghan National Army")
            return word
        return full

    return re.sub(r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*\b", replace, sentence)


_OPENS_ON_PERSON = re.compile(r"^(?:(he|she)|(his|her))\b", re.IGNORECASE)


def _person_named(sentence: str, names: dict[str, str]) -> str | None:
    """The first person the article names in full that `sentence` mentions (its subject, mostly)."""
    expanded = expand_names(sentence, names)
    found = [(expanded.find(full), full) for full in set(names.values()) if full in expanded]
    return min(found)[1] if found else None


def in_context(sentences: Sequence[str], position: int, names: dict[str, str] | None = None) -> str:
    """The text the stance step reads for `sentences[position]` of one article.

    A sentence that opens on "he", "she", "his" or "her" gets the person the sentence before
    names in its place ("He denied it." -> "Ngozi Okafor denied it."): one sentence, as the stance
    model was trained to read. Any other opening reference gets the sentence before it.
    """
    if names is None:
        names = full_names(sentences)
    sentence = sentences[position]
    text = expand_names(sentence, names)
    if position == 0:
        return text
    stripped = sentence.lstrip("\"'“ ")
    pronoun = _OPENS_ON_PERSON.match(stripped)
    person = _person_named(sentences[position - 1], names) if pronoun else None
    if pronoun and person:
        lead = sentence[: len(sentence) - len(stripped)]
        name = person if pronoun.group(1) else f"{person}'s"
        return lead + name + expand_names(stripped[pronoun.end() :], names)
    if _OPENS_ON_REFERENCE.match(stripped):
        text = f"{expand_names(sentences[position - 1], names)} {text}"
    return text

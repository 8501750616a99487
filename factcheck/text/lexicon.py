"""The one word list: month and weekday names, number words, antonyms.

Shared by ingest (dates), the slot aligner (text/alignment.py) and the training-pair generator
(eval/pairs.py), so they read a month or a number word the same way.
"""

from __future__ import annotations

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
)
# abbreviations a date may use, in the order the date patterns try them ("may" is never abbreviated)
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

# Antonymous predicates and modifiers, as lemmas: what the slot aligner calls an antonym conflict.
ANTONYM_PAIRS = [
    ("accept", "reject"), ("accept", "refuse"), ("accept", "decline"), ("agree", "refuse"), ("agree", "disagree"),
    ("approve", "reject"), ("approve", "veto"), ("confirm", "deny"), ("admit", "deny"), ("support", "oppose"),
    ("allow", "ban"), ("allow", "forbid"), ("allow", "prohibit"), ("permit", "ban"), ("lift", "impose"),
    ("increase", "decrease"), ("increase", "reduce"), ("rise", "fall"), ("rise", "drop"), ("rise", "decline"),
    ("grow", "shrink"), ("gain", "lose"), ("win", "lose"), ("open", "close"), ("start", "stop"), ("begin", "end"),
    ("resume", "suspend"), ("resume", "halt"), ("join", "leave"), ("arrive", "depart"), ("enter", "exit"),
    ("expand", "cut"), ("raise", "lower"), ("raise", "cut"), ("higher", "lower"), ("more", "less"), ("more", "fewer"),
    ("most", "least"), ("above", "below"), ("before", "after"), ("up", "down"), ("rising", "falling"),
    ("success", "failure"), ("succeed", "fail"), ("alive", "dead"), ("survive", "die"), ("guilty", "innocent"),
    ("legal", "illegal"), ("true", "false"), ("safe", "unsafe"), ("full", "empty"), ("first", "last"),
    ("acquit", "convict"), ("release", "detain"), ("release", "arrest"), ("hire", "fire"), ("buy", "sell"),
    ("import", "export"), ("attack", "defend"), ("peace", "war"), ("ally", "enemy"), ("friend", "enemy"),
    ("include", "exclude"), ("present", "absent"), ("public", "private"), ("strengthen", "weaken"),
    ("welcome", "reject"), ("welcome", "dismiss"), ("praise", "criticize"), ("praise", "condemn"),
    ("easy", "difficult"), ("strong", "weak"), ("large", "small"), ("increase", "fall"), ("majority", "minority"),
    # a reaction reported as silence vs as an answer ("silent on the offer" / "rejects the offer")
    ("silent", "reject"), ("silent", "dismiss"), ("silent", "respond"), ("silent", "accept"),
    ("acknowledge", "deny"), ("release", "hold"), ("free", "hold"), ("free", "capture"),
    ("huge", "small"), ("huge", "tiny"), ("massive", "small"), ("win", "defeat"),
    # the training-pair generator's opposites (ANTONYM_FORMS), as lemmas: one list for both
    ("large", "small"), ("big", "small"), ("positive", "negative"), ("successful", "unsuccessful"),
    ("victory", "defeat"), ("safe", "dangerous"), ("cheap", "expensive"),
    ("able", "unable"), ("possible", "impossible"), ("likely", "unlikely"),
    ("real", "fake"), ("genuine", "fake"), ("expand", "reduce"), ("add", "remove"), ("join", "leave"),
    ("enter", "leave"), ("always", "never"), ("want", "refuse"), ("pass", "fail"), ("healthy", "sick"),
    ("find", "lose"), ("survive", "die"),
]

# Opposites the generator may swap to make a training conflict but the slot rules do not call a
# conflict: in news they mostly name other people or things ("the young and the old", "men and
# women") rather than contradict. Every other pair of ANTONYM_FORMS is in ANTONYM_PAIRS (tested).
GENERATOR_ONLY = frozenset(frozenset(pair) for pair in [
    ("male", "female"), ("man", "woman"), ("boy", "girl"), ("new", "old"), ("young", "old"),
    ("early", "late"), ("inside", "outside"), ("all", "none"), ("everyone", "no one"),
    ("rich", "poor"), ("happy", "sad"), ("love", "hate"),
    # compass points mostly name places ("North Korea", "anti-North" against "South Korea")
    ("north", "south"), ("east", "west"),
])

# Irregular forms the lemmatiser cannot derive by suffix ("rose" / "fell", "won" / "lost").
IRREGULAR_LEMMAS = {
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "won": "win", "lost": "lose",
    "began": "begin", "begun": "begin", "left": "leave", "held": "hold", "kept": "keep", "sold": "sell",
    "bought": "buy", "found": "find", "grew": "grow", "grown": "grow", "shrank": "shrink",
    "fought": "fight", "caught": "catch", "led": "lead", "met": "meet", "sent": "send", "fled": "flee",
    "freed": "free", "larger": "large", "largest": "large", "bigger": "big", "biggest": "big",
    "smaller": "small", "smallest": "small", "men": "man", "women": "woman", "died": "die",
    "loved": "love", "hated": "hate", "ended": "end", "captured": "capture", "removed": "remove",
    "added": "add", "reduced": "reduce", "survived": "survive",
}

# The inflected pairs the training-pair generator swaps into sentences; one direction each, both
# used. Every pair is also in ANTONYM_PAIRS (as lemmas) or in GENERATOR_ONLY
# (tests/test_conflicts.py checks it), so the generator and the rules agree on what an opposite is.
ANTONYM_FORMS = [
    ("accept", "reject"), ("accepted", "rejected"), ("accepts", "rejects"),
    ("approve", "reject"), ("approved", "rejected"), ("approves", "rejects"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
    ("rise", "fall"), ("rose", "fell"), ("rises", "falls"), ("rising", "falling"),
    ("higher", "lower"), ("more", "fewer"), ("most", "least"), ("larger", "smaller"),
    ("largest", "smallest"), ("biggest", "smallest"), ("win", "lose"), ("won", "lost"),
    ("wins", "loses"), ("winning", "losing"), ("before", "after"), ("guilty", "innocent"),
    ("alive", "dead"), ("confirmed", "denied"), ("confirms", "denies"), ("confirm", "deny"),
    ("true", "false"), ("legal", "illegal"), ("allowed", "banned"), ("opened", "closed"),
    ("open", "closed"), ("first", "last"), ("male", "female"), ("men", "women"),
    ("man", "woman"), ("boy", "girl"), ("positive", "negative"), ("success", "failure"),
    ("successful", "unsuccessful"), ("agreed", "refused"), ("supports", "opposes"),
    ("supported", "opposed"), ("support", "oppose"), ("victory", "defeat"), ("strong", "weak"),
    ("safe", "dangerous"), ("cheap", "expensive"), ("early", "late"), ("north", "south"),
    ("east", "west"), ("gained", "lost"), ("able", "unable"), ("possible", "impossible"),
    ("likely", "unlikely"), ("real", "fake"), ("genuine", "fake"), ("survived", "died"),
    ("released", "detained"), ("freed", "captured"), ("arrested", "released"),
    ("raised", "lowered"), ("expanded", "reduced"), ("added", "removed"), ("hired", "fired"),
    ("joined", "left"), ("entered", "left"), ("started", "stopped"), ("began", "ended"),
    ("up", "down"), ("above", "below"), ("inside", "outside"), ("always", "never"),
    ("all", "none"), ("everyone", "no one"), ("new", "old"), ("young", "old"),
    ("rich", "poor"), ("happy", "sad"), ("love", "hate"), ("loved", "hated"),
    ("friend", "enemy"), ("ally", "enemy"), ("peace", "war"), ("wanted", "refused"),
    ("found", "lost"), ("passed", "failed"), ("pass", "fail"), ("healthy", "sick"),
]

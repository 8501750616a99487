"""Numbers written in words read as the digits news copy uses."""

import pytest

from factcheck.text.alignment import find_conflict, specifics_stated
from factcheck.text.numbers import digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eighty engineers were deployed.", "80 engineers were deployed."),
        ("It paid two and a half billion dollars.", "It paid $2.5 billion."),
        ("up to twelve and a half million barrels", "up to 12.5 million barrels"),
        ("a fifty-two-year-old man", "a 52-year-old man"),
        ("roughly two thousand dollars", "roughly $2,000"),
        ("more than three hundred thousand people", "more than 300,000 people"),
        ("three hundred and fifty people", "350 people"),
        ("twenty one hundred", "2,100"),
        ("one million", "1 million"),
        ("Bart was buried on the twenty-fifth of January.", "Bart was buried on January 25."),
        ("on January 15th", "on January 15"),
        ("May the first", "May 1"),
        ("roughly a million subscribers", "roughly 1 million subscribers"),
        ("a hundred people", "100 people"),
        ("for one point four billion dollars", "for $1.4 billion"),
        ("two point five percent", "2.5 percent"),
        ("ended at nine dollars forty-nine, a rise", "ended at $9.49, a rise"),
        ("ten dollars twenty cents", "$10.20"),
        # a share as a fraction, as the article may give it in percent
        ("roughly one in four of its staff", "roughly 25% of its staff"),
        ("about one-third of what OPEC produces", "about 33% of what OPEC produces"),
        ("Half of the residents left.", "50% of the residents left."),
        ("26 per cent of its workforce", "26 percent of its workforce"),
    ],
)
def test_number_words_become_digits(text, expected):
    assert digits(text) == expected


def test_words_that_are_not_figures_stay_words():
    for text in (
        "One of the officers left.",
        "five and six",
        "It happened often.",
        "no number here",
        "the first time they may first ask",
        "half a million people",
        "He scored one point in the game.",
        "a man and a woman",
    ):
        assert digits(text) == text.replace("five and six", "5 and 6")


def test_a_number_counts_the_content_word_after_it_not_a_preposition():
    # "2% in trading" and "$159.00 in trading" do not count the same thing
    claim = "IBM shares rose 2% in early trading in New York."
    evidence = "IBM shares rose 2%, or US$3.13, to US$159.00 in early morning trading in New York."
    assert find_conflict(claim, evidence) is None
    assert find_conflict("The fire killed 12 people.", "The fire killed 40 people, officials said.") is not None
    assert specifics_stated(digits("The owner paid two thousand dollars."), "The owner paid $2,000 for the surgery.")


def test_a_share_said_as_a_fraction_is_stated_by_its_percentage():
    claim = digits("Roughly one in four of Dalco's 430,000 employees would lose their jobs.")
    assert specifics_stated(claim, digits("Dalco could lay off 26 per cent of its workforce of 430,000."))
    assert not specifics_stated(claim, digits("Dalco could lay off 60 per cent of its workforce of 430,000."))

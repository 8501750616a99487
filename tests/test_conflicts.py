import pytest

from factcheck.stance import RulesStance
from factcheck.text.alignment import debunks, find_conflict, overlap, specifics_stated
from factcheck.text.numbers import digits

CONFLICTS = [
    ("North Korea accepted the offer.", "North Korea rejected the offer.", "antonym"),
    ("About 1,200 dockworkers walked out on Monday.", "About 2,100 dockworkers walked out on Monday.", "number"),
    ("The strike began on Monday, March 3.", "The strike began on Wednesday, March 5.", "date"),
    ("The company confirmed talks with the union.", "The company did not confirm talks with the union.", "negation"),
    ("Talks were held in Harlow.", "Talks were held in Denby.", "place"),
    ("The dam was built in 1972.", "The dam, built in 1962, holds water.", "date"),
    (
        "The US has about 18,500 troops in South Korea.",
        "The US, which has about 28,500 troops stationed in South Korea, holds drills.",
        "number",
    ),
    ("The water level was rising on Thursday.", "By Thursday the water level was falling.", "antonym"),
    (
        "Spokesperson Priya Raman said engineers were monitoring the dam.",
        "Spokesperson Colin Hadley said engineers were monitoring the dam.",
        "entity",
    ),
    # one sentence ends on the place, the other goes on after it
    (
        "The ferry has about 40 crew based in Harlow.",
        "The ferry, which has about 40 crew based in North Denby, sails daily.",
        "place",
    ),
    # the negation sits before the first word the two share: "did not | stop the sirens"
    (
        "The county did not stop the flood sirens.",
        "Its steps included stopping the flood sirens and closing two bridges.",
        "negation",
    ),
    # which way a figure moved, said with other verbs
    ("Ticket sales went up 8 percent in 2013.", "The club said ticket sales fell 8% in 2013.", "antonym"),
    ("Shares of Dalco gained 3% on Monday.", "Shares of Dalco slipped 3% on Monday after the report.", "antonym"),
    ("The mayor said the fee was too high.", "The mayor said the fee was too low.", "antonym"),
    # a verb and its particle are one verb: "turned down" refuses, "said no to" too
    ("Dalco accepted the offer from Lynd in 2010.", "Dalco turned down the offer from Lynd in 2010.", "antonym"),
    ("Dalco said no to the offer from Lynd in 2010.", "Dalco accepted the offer from Lynd in 2010.", "antonym"),
    # two of a closed set (nationalities, departments) before the same noun
    ("The buyer is a Japanese computer maker.", "Chinese computer maker Lynd could make an offer for Dalco.", "entity"),
    ("Dalco's marketing department leaked the plan.", "Dalco's engineering department leaked the plan.", "entity"),
    # ... and, in lower case, sides, fields of study, compass points, seasons and colours
    ("Dana Holt lost her left eye in the crash.", "Dana Holt lost her right eye in the crash on Monday.", "entity"),
    ("Dana Holt gave up a medical degree to run.", "Dana Holt gave up a law degree in Lyon to run for mayor.", "entity"),
    ("Troops massed on the northern border.", "Troops massed on the southern border, officials said.", "entity"),
    # "in May" is the month, with no day next to it
    ("Dalco bought the Lynd mill in May.", "Dalco made its purchase of the Lynd mill in August.", "date"),
    # an age is exact unless the sentence hedges it
    (
        "Dana Holt, the mayor's aide, is 27 years old.",
        "The 26-year-old Dana Holt, the mayor's aide, resigned.",
        "number",
    ),
    # "unconfirmed" is not confirmed, "declined to comment" confirms nothing
    (
        "The ministry confirmed the closure of the mill.",
        "The ministry declined to comment on the closure of the mill.",
        "negation",
    ),
    ("Dalco confirmed the closure of its mills.", "Dalco has not confirmed the closure of its mills.", "negation"),
]
AGREEMENTS = [
    (
        "The US has about 28,500 troops stationed in South Korea.",
        "The US, which has about 28,500 troops stationed in South Korea, holds drills.",
    ),
    ("The dam was built in 1962.", "The dam, built in 1962, holds water."),
    (
        "The evacuation order was issued on Tuesday, March 3.",
        "Residents remain under the evacuation order that was issued on Tuesday, March 3, however, and officials would not say when people could go home.",
    ),
    (
        "About 120 homes in Castor Ford were flooded.",
        "Some 4,800 people from Millbrook and Castor Ford have now been out of their homes for three nights.",
    ),
    ("Some 4,800 people were evacuated.", "About 4,800 people were evacuated from Millbrook."),
    ("Shares of Dalco rose 3% on Monday.", "Shares of Dalco went up 3% on Monday after the report."),
    ("Mayor Tessa May said the mill may close.", "Mayor Tessa May said in August that the mill may close."),
    ("A Chinese computer maker could bid.", "Chinese computer maker Lynd could bid, a Japanese rival said."),
    ("American and British officials met.", "British and French officials met."),
    # dates of two different things: "signed off" in December, "laid off" by January
    ("Dalco's board signed off on the plan in December.", "Dalco's plan will see workers laid off before the end of January."),
    # both negate, in another order
    (
        "Dana Holt was angry that nobody had told her family about the fire.",
        "Dana Holt, the mayor's aide, was angry that she and her family had not been told of the fire.",
    ),
    # "unable to confirm" says what "isn't able to confirm" says
    ("Dalco said it was unable to confirm the reports.", "Dalco said it isn't able to confirm the reports."),
]


@pytest.mark.parametrize("claim, evidence, kind", CONFLICTS)
def test_conflicts_are_found_and_named(claim, evidence, kind):
    conflict = find_conflict(claim, evidence)
    assert conflict is not None and conflict.type == kind


@pytest.mark.parametrize("claim, evidence", AGREEMENTS)
def test_no_conflict_where_statements_agree(claim, evidence):
    assert find_conflict(claim, evidence) is None


def test_which_way_a_figure_moved_is_compared_at_a_lower_overlap_for_the_same_name():
    # little shared wording, the same name, one direction each: a conflict the model may overrule
    claim = "Dalco shares moved higher before the market opened."
    conflict = find_conflict(claim, "Dalco shares slipped in premarket trading.")
    assert conflict is not None and conflict.type == "direction"
    assert find_conflict(claim, "Other shares slipped in premarket trading.") is None  # no name in common
    assert (
        find_conflict("Dalco stock moved higher before the open on Monday.", "Lynd stock slipped in trading on Monday.") is None
    )  # a day is no name
    assert find_conflict(claim, "Dalco shares were trading down around 0.5% in premarket trading.").type == "direction"
    assert find_conflict(claim, "Dalco set up a premarket trading desk for its shares.") is None  # "set up" moves nothing
    # both directions in the evidence: which one is the claim's is not known
    assert find_conflict(claim, "Dalco shares rose, then fell back in premarket trading.") is None


def test_a_figure_is_compared_in_looser_wording_when_it_measures_the_same_thing():
    # little shared wording, the same name, the same kind of figure near the same words
    claim = "Dalco paid 3.2 billion dollars for Lynd."
    conflict = find_conflict(claim, "Earlier this year, Dalco bought Lynd Mills and Lynd Foods for $3 billion.")
    assert conflict is not None and (conflict.type, conflict.claim_span, conflict.evidence_span) == ("figure", "3.2", "3")
    assert (
        find_conflict(
            "Lynd has raised seventy-seven million dollars from investors.",
            "Lynd was founded in 2010 and has raised about $67 million.",
        ).type
        == "figure"
    )
    # the evidence states the claim's figure, and another figure for someone else
    assert (
        find_conflict(
            digits("Tomas Lynd, the twenty-five-year-old groom, collapsed at the wedding."),
            "Tomas Lynd, 25, and 23-year-old bride Indra were about to wed when he fell ill.",
        )
        is None
    )
    # a bound, a figure of another size, another moment, the claim's other figure, a hypothetical
    assert (
        find_conflict(
            "Dalco agreed to pay $2.5 billion for Lynd.", "Dalco is in talks to buy Lynd in a deal worth more than $2 billion."
        )
        is None
    )
    assert (
        find_conflict("A Lynd subscription costs ten dollars a month.", "Lynd was part of the $3 billion purchase Dalco made.")
        is None
    )
    assert (
        find_conflict(
            "Dalco stock ended Friday's session up about two percent.", "Dalco shares rose more than 3 percent on Monday."
        )
        is None
    )
    assert (
        find_conflict(
            "Dalco would open at fifteen dollars a share and end near eighteen.", "Dalco hopes to buy Lynd for about $18 a share."
        )
        is None
    )
    assert (
        find_conflict(
            "Four more teams would give the Dalco league thirty-four clubs, nine of them in Lynd.",
            "With sixteen teams in the east, taking in two more teams would make sense for the Dalco league.",
        )
        is None
    )


def test_possessives_and_plurals_read_as_their_word():
    from factcheck.text.alignment import lemma, tokenize

    assert [t.norm for t in tokenize("IBM's board met. The board of IBM’s rival met.") if t.text.startswith("IBM")] == [
        "ibm",
        "ibm",
    ]
    assert [t.kind for t in tokenize("Shares ended Friday's session higher.") if t.text.startswith("Friday")] == ["weekday"]
    assert [lemma(w) for w in ("pipelines", "sales", "taxes", "watches", "closes")] == [
        "pipeline",
        "sale",
        "tax",
        "watch",
        "close",
    ]


def test_initials_with_dots_are_one_word():
    from factcheck.text.alignment import tokenize

    assert [t.norm for t in tokenize("The U.S. and the U.K. agreed.")][1::3] == ["us", "uk"]
    claim = "US crude climbed $1.84 on the day to about $79 a barrel."
    conflict = find_conflict(claim, "U.S. crude rose $1.37 to $78.56 a barrel, rebounding off a low hit in the previous session.")
    assert conflict is not None and conflict.type == "figure"


def test_british_and_american_outlets_spell_one_word():
    from factcheck.text.alignment import lemma

    assert [lemma(w) for w in ("honour", "rumours", "defence", "centre", "organisation")] == [
        lemma(w) for w in ("honor", "rumors", "defense", "center", "organization")
    ]
    assert [lemma(w) for w in ("four", "hour", "detour")] == ["four", "hour", "detour"]


def test_unrelated_sentences_are_not_compared():
    assert find_conflict("Tomato prices rose 12 percent.", "The dam was built in 1962.") is None
    assert overlap("Tomato prices rose.", "The dam was built.") == 0.0


def test_rules_stance_labels():
    model = RulesStance()
    refute, support, neutral = model.classify_batch(
        [
            ("The union accepted the offer.", "The union rejected the offer."),
            ("The union accepted the offer on Monday.", "On Monday the union accepted the offer, officials said."),
            ("The union accepted the offer.", "Tomato prices rose sharply last year."),
        ]
    )
    assert (refute.label, refute.conflict_type) == ("refutes", "antonym")
    assert support.label == "supports" and neutral.label == "neutral"
    for result in (refute, support, neutral):
        assert abs(sum(result.probabilities.values()) - 1) < 1e-6


def test_support_needs_the_claims_numbers_and_dates():
    assert specifics_stated("About 4,800 people were evacuated on Tuesday.", "Some 4,800 people left their homes on Tuesday.")
    assert not specifics_stated("About 9,000 people were evacuated.", "Thousands of people were evacuated from the valley.")
    assert not specifics_stated("The dam was built in 1962.", "The dam was built to protect the valley.")
    rules = RulesStance()
    [number] = rules.classify_batch(
        [
            (
                "About 9,000 people were evacuated from the valley.",
                "Thousands of people were evacuated from the valley as the river rose.",
            )
        ]
    )
    assert number.label == "neutral"


def test_one_lexicon_of_opposites_for_the_rules_and_the_training_generator():
    from factcheck.text.alignment import ANTONYMS, lemma
    from factcheck.text.lexicon import ANTONYM_FORMS, GENERATOR_ONLY

    for a, b in ANTONYM_FORMS:
        if frozenset((a, b)) in GENERATOR_ONLY or frozenset((lemma(a), lemma(b))) in GENERATOR_ONLY:
            continue
        assert lemma(b) in ANTONYMS.get(lemma(a), ()), (a, b)


def test_irregular_and_suffixed_opposites_are_conflicts():
    from factcheck.text.alignment import find_conflict

    for claim, evidence in [
        ("Prices rose sharply in May.", "Prices fell sharply in May."),
        ("The road is dangerous.", "The road is safe."),
        ("The hostages were released on Friday.", "The hostages are still being held on Friday."),
        ("Edible crabs are rarely seen in British waters.", "Edible crabs are commonly found in British waters."),
        ("The two armies held their spring exercise as planned.", "The two armies cancelled their spring exercise."),
    ]:
        conflict = find_conflict(claim, evidence)
        assert conflict is not None and conflict.type == "antonym", (claim, evidence)


@pytest.mark.parametrize(
    ("text", "value"),
    [("Forty-two people", 42), ("forty two people", 42), ("three hundred thousand staff", 300_000), ("two million", 2e6)],
)
def test_numbers_written_in_words_are_one_number(text, value):
    from factcheck.text.alignment import tokenize

    assert [t.value for t in tokenize(text) if t.kind == "number"] == [value]


def test_an_approximate_figure_is_stated_by_a_close_one_and_not_by_a_far_one():
    assert specifics_stated("Shares were up about 8 percent.", "Shares rose 8.1 percent on Monday.")
    assert specifics_stated("It employs more than 300,000 people.", "It has about 302,000 employees.")
    assert specifics_stated("It employs some three hundred thousand people.", "It has 300,000 employees.")
    assert not specifics_stated("Shares rose 8 percent.", "Shares rose 8.1 percent.")  # exact against exact
    assert not specifics_stated("About 40 people were hurt.", "Sixty people were hurt.")
    assert find_conflict("Nearly 2,000 homes lost power.", "About 1,950 homes lost power.") is None
    assert find_conflict("Around 40 people were hurt.", "Forty-two people were hurt.") is None
    assert find_conflict("Around 40 people were hurt.", "Sixty people were hurt.").type == "number"


def test_a_negation_with_an_adverb_in_the_verb_group_is_a_conflict():
    claim = "The ministry confirmed the minister had resigned."
    assert find_conflict(claim, "Officials have not yet confirmed whether the minister resigned.").type == "negation"
    assert find_conflict("The company denied the report.", "The company has not officially denied the report.").type == "negation"
    assert find_conflict(claim, "The ministry confirmed on Friday that the minister had resigned.") is None


def test_negations_said_in_two_words_count_once():
    # "neither ... nor" is one negation, not two that cancel
    assert find_conflict("He gave them neither a yes nor a no.", "He would not give them a yes or a no.") is None
    assert (
        find_conflict("Neither the company nor the union commented.", "The company and the union commented.").type == "negation"
    )
    # "be able to" stays inside the negated verb group
    assert find_conflict("He said he could not face his friends.", "He said he would not be able to face his friends.") is None
    assert (
        find_conflict("He said he could face his friends.", "He said he would not be able to face his friends.").type
        == "negation"
    )


def test_two_names_ending_on_the_same_word_are_two_places_or_entities():
    conflict = find_conflict(
        "The men were stopped at the Peace Bridge in Buffalo.", "The men were stopped at the Rainbow Bridge."
    )
    assert (conflict.type, conflict.claim_span, conflict.evidence_span) == ("place", "Peace Bridge", "Rainbow Bridge")
    prison = find_conflict(
        "Manson is serving his sentence at San Quentin State Prison.",
        "Manson is held in California State Prison, where he is now serving a life term.",
    )
    assert prison.type == "entity"
    # a spelling variant is one name; two names that only stand side by side are not one name
    assert find_conflict("Harpal Singh married the bride.", "Harper Singh married the bride.") is None
    assert find_conflict("The bride is from Rampur; Kishore lives in Moradabad.", "Jugal Kishore lives in Moradabad.") is None
    assert find_conflict("Path ranks in the US App Store.", "Path ranks among Messages app users.") is None


def test_a_negated_opposite_says_the_same():
    # "held" / "denied release", "did not release": an opposite under a negation agrees
    assert find_conflict("The rebels held the two men for a week.", "The rebels did not release the two men for a week.") is None
    claim = "Manson, held at Corcoran, was turned down for parole in 2012 and will not be eligible until 2027."
    evidence = "Manson applied for parole in 2012 but was denied release and is not eligible to apply until 2027."
    assert find_conflict(claim, evidence) is None
    assert (
        find_conflict("The rebels held the two men for a week.", "The rebels released the two men after a week.").type
        == "antonym"
    )
    assert find_conflict("The two men were released on bail.", "The two men were denied release on bail.").type == "negation"


def test_the_same_count_of_the_other_sex_is_an_opposite_unless_both_are_counted():
    conflict = find_conflict(
        "The couple are the parents of seven daughters.", "The couple, parents of seven boys, wrote in 1993."
    )
    assert (conflict.type, conflict.claim_span, conflict.evidence_span) == ("antonym", "seven daughters", "seven boys")
    assert find_conflict("Two women were injured.", "Two men and two women were injured.") is None
    assert find_conflict("The couple have three sons.", "The couple have three sons and two daughters.") is None


def test_a_negated_verb_after_a_long_aside_is_a_conflict_and_a_negated_aside_is_not():
    claim = "The airline's new cabin crew uniform includes a veil."
    evidence = "The new cabin crew uniform, launched last month after a long review, does not include a veil."
    assert find_conflict(claim, evidence).type == "negation"
    aside = "The new uniform, which the minister did not comment on at the launch, includes a veil."
    assert find_conflict("The new uniform includes a veil.", aside) is None


def test_an_amount_restated_in_another_currency_is_one_amount():
    claim = "Washington has put a $10 million bounty on the militant leader."
    assert find_conflict(claim, "The militant leader has a $10 million (£6.2m) bounty on his head.") is None
    assert specifics_stated(claim, "The militant leader has a $10 million (£6.2m) bounty on his head.")
    conflict = find_conflict(claim, "The militant leader has a $25 million (£15.5m) bounty on his head.")
    assert conflict is not None and conflict.type == "number"


def test_a_report_calling_the_claim_untrue_debunks_it():
    claim = "Comcast will cut off customers who use Tor."
    assert debunks(claim, "Comcast denies it will cut off customers who use Tor.")
    assert debunks(claim, "The report that Comcast cuts off Tor customers is a hoax.")
    # a request that "was denied" is not a denial of a report
    assert not debunks("The request was approved.", "Their request was denied in 1993.")
    # denying a negative claim agrees with it; a claim that itself says "hoax" is not debunked by one
    assert not debunks("There are no fighters at the border.", "Officials denied that fighters are at the border.")
    assert not debunks("The video is a hoax.", "Experts said the video is a hoax.")
    # the denial must be about the claim's matter
    assert not debunks(claim, "The minister denied that she will resign.")


def test_hybrid_reads_a_denial_as_a_conflict_when_the_model_leans_that_way():
    from factcheck.models import StanceResult
    from factcheck.stance import HybridStance

    class Leaning:
        def __init__(self, refutes: float, supports: float) -> None:
            self.p = {"supports": supports, "refutes": refutes, "neutral": 1 - supports - refutes}

        def classify_batch(self, pairs):
            return [StanceResult("neutral", dict(self.p)) for _ in pairs]

    hybrid = HybridStance()
    pair = [
        ("A giant crab was photographed off the coast of Kent.", "The photo of a giant crab off Kent is a hoax, experts say.")
    ]
    assert RulesStance().classify_batch(pair)[0].label != "refutes"  # no slot rule reads it
    hybrid.model = Leaning(refutes=0.55, supports=0.2)
    [result] = hybrid.classify_batch(pair)
    assert (result.label, result.conflict_type) == ("refutes", "denial")
    hybrid.model = Leaning(refutes=0.4, supports=0.2)  # the model does not lean that way enough
    assert hybrid.classify_batch(pair)[0].label != "refutes"

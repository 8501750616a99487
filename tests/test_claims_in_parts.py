"""Claims in parts, evidence in context, negation said other ways, and how verdicts combine."""

from factcheck.aggregate import aggregate_verdict, combine_parts
from factcheck.config import AggregateSettings
from factcheck.models import Claim, Evidence, Verdict
from factcheck.text.alignment import find_conflict
from factcheck.text.claim_parts import claim_parts
from factcheck.text.context import expand_names, full_names, in_context
from factcheck.text.reporting import hedge


def test_a_claim_of_several_statements_splits_into_them():
    parts = claim_parts("Two days after the vote, protesters occupied Fernlow, a port of 90,000 people.")
    assert "Fernlow is a port of 90,000 people." in parts  # the thousands comma is not a clause break
    assert "Two days after the vote, protesters occupied Fernlow." in parts
    assert "Protesters occupied Fernlow." in parts


def test_relative_clauses_and_coordinated_predicates():
    assert claim_parts("Minister Okafor, who resigned on May 2, said the budget was balanced.") == [
        "Minister Okafor said the budget was balanced.",
        "Minister Okafor resigned on May 2.",
    ]
    assert claim_parts("The ministry rejected the plan and called for new talks.") == [
        "The ministry rejected the plan.",
        "The ministry called for new talks.",
    ]
    # two clauses, each with its own subject
    assert claim_parts("The mayor sat in the front row and posted a photo of the crowd.") == [
        "The mayor sat in the front row.",
        "The mayor posted a photo of the crowd.",
    ]  # an irregular past form is a verb too
    # a trailing scene-setting adjunct: the fact is also checked without it
    assert claim_parts("Dalco shares gained about 2 percent in early trading as the report circulated.") == [
        "Dalco shares gained about 2 percent in early trading."
    ]
    assert claim_parts("The firm cut 500 jobs, citing weak demand.") == ["The firm cut 500 jobs."]
    # a trailing participle adds what else the subject did; "including" lists, it adds nothing
    assert claim_parts("Durani tweeted her picture on 13 October, urging people to share it.") == [
        "Durani tweeted her picture on 13 October."
    ]
    assert claim_parts("The firm cut jobs in three countries, including France.") == []
    assert claim_parts("He left as a hero.") == []
    assert claim_parts("Police arrived at noon, and the crowd dispersed.") == ["Police arrived at noon.", "The crowd dispersed."]
    assert claim_parts("He bought apples, pears, and plums.") == []  # a list, not a clause
    # a clause that opens on a time word is not a fronted time phrase
    assert claim_parts("In April Sony reported five million consoles, while Microsoft said it had shipped seven million.") == [
        "In April Sony reported five million consoles.",
        "Microsoft said it had shipped seven million.",
    ]


def test_one_statement_stays_whole():
    for claim in (
        "Eighty engineers were deployed to the plant.",
        "The US has about 28,500 troops stationed in South Korea.",
        "Kim Yo Jong said North Korea has no interest in talks with Seoul.",
    ):
        assert claim_parts(claim) == []


def test_partial_names_read_in_full_and_pronouns_with_the_sentence_before():
    article = [
        "Finance Minister Ngozi Okafor presented the budget on Monday.",
        "Okafor, who resigned on May 2, defended it.",
        "She said the deficit would fall.",
    ]
    names = full_names(article)
    assert names == {"Okafor": "Ngozi Okafor"}
    assert expand_names(article[1], names).startswith("Ngozi Okafor, who resigned")
    assert expand_names(article[0], names) == article[0]  # already in full
    assert in_context(article, 2, names) == "Ngozi Okafor said the deficit would fall."
    assert in_context([*article[:2], "Her deputy said it would."], 2, names) == "Ngozi Okafor's deputy said it would."
    assert in_context([*article[:2], "It passed."], 2, names) == "Ngozi Okafor, who resigned on May 2, defended it. It passed."
    assert in_context(article, 0, names) == article[0]
    # a name a sentence opened with is already in full where another sentence writes it in lower case
    names = full_names(["Three Afghan National Army officers vanished.", "The three Afghan National Army officers were found."])
    assert (
        expand_names("The three Afghan National Army officers were found.", names)
        == "The three Afghan National Army officers were found."
    )


def test_negation_said_other_ways_is_a_conflict():
    for claim, evidence in [
        ("The minister resigned.", "The minister denied that she resigned."),
        ("Police stopped the protest.", "Police failed to stop the protest."),
        ("The company no longer sells cars.", "The company sells cars."),
    ]:
        conflict = find_conflict(claim, evidence)
        assert conflict is not None and conflict.type == "negation", (claim, evidence)


def test_no_conflict_where_the_frame_differs_or_the_words_agree():
    # the same fact said another way
    assert find_conflict("He was last seen in public on May 3.", "He has not been seen in public since May 3.") is None
    # a list that includes the claim's place is not a swapped place
    assert (
        find_conflict("The bank has a branch in Lyon.", "The bank opened in Lyon, with branches also in Porto and Gent.") is None
    )
    # a swapped place in the same frame still is
    conflict = find_conflict(
        "The US has about 28,500 troops stationed in Japan.",
        "The US has about 28,500 troops stationed in South Korea, has been holding drills.",
    )
    assert conflict is not None and conflict.type == "place"


def _evidence(source: str, stance: str, p: float, sentence: str = "A statement.") -> Evidence:
    rest = (1 - p) / 2
    probabilities = {s: (p if s == stance else rest) for s in ("supports", "refutes", "neutral")}
    return Evidence(
        sentence=sentence,
        sentence_id=f"{source}:1",
        article=source,
        title=None,
        source=source,
        date=None,
        location=f"{source}.txt:1",
        similarity=0.9,
        stance=stance,
        probabilities=probabilities,
        conflict_type="number" if stance == "refutes" else None,
    )


def test_three_outlets_that_conflict_outweigh_one_quote():
    claim = Claim(id="c1", text="The dam holds 400 million litres.")
    evidence = [_evidence("A", "supports", 0.6), *(_evidence(s, "refutes", 0.9) for s in "BCD")]
    verdict = aggregate_verdict(claim, evidence, settings=AggregateSettings())
    assert verdict.verdict == "contradicted"
    even = aggregate_verdict(claim, evidence[:2], settings=AggregateSettings())
    assert even.verdict == "disputed"


def test_a_planned_event_is_not_the_event():
    assert hedge("The hostages were released.", "The hostages will be released on Monday.") == "planned"
    assert hedge("The hostages will be released.", "The hostages will be released on Monday.") is None
    # a plan governs its own clause, not the words after it ("..., the Humane Society said")
    assert hedge("The Humane Society put the cost at $2,000.", "The cost will be around $2,000, the Humane Society said.") is None
    assert hedge("The plant laid off 1,000 workers.", "The plant will lay off 1,000 workers.") == "planned"
    # a modal governs its verb: a counterfactual about knowing is not a plan of the charge
    assert (
        hedge("IBM took a $600 million charge.", "Had anyone asked, they would know that IBM took a $600 million charge.") is None
    )
    claim = Claim(id="c1", text="The hostages were released.")
    planned = _evidence("A", "supports", 0.6, "The hostages will be released on Monday.")
    verdict = aggregate_verdict(claim, [planned], settings=AggregateSettings())
    assert verdict.verdict == "unverified" and verdict.evidence[0].hedge == "planned"


def test_a_claim_is_supported_when_every_part_is_and_contradicted_by_any_part():
    claim = Claim(id="c1", text="Protesters occupied Fernlow, a port of 90,000 people.")

    def verdict(text: str, label: str) -> Verdict:
        return Verdict(Claim(id="p", text=text), label, 0.8, [], label)

    unverified = verdict(claim.text, "unverified")
    whole = Verdict(claim, "unverified", 0.5, [], "")
    both = combine_parts(
        whole, [verdict("Protesters occupied Fernlow.", "supported"), verdict("Fernlow is a port of 90,000 people.", "supported")]
    )
    assert both.verdict == "supported"
    one = combine_parts(
        whole,
        [verdict("Protesters occupied Fernlow.", "supported"), verdict("Fernlow is a port of 90,000 people.", "unverified")],
    )
    assert one.verdict == "unverified"
    wrong = combine_parts(
        whole,
        [verdict("Protesters occupied Fernlow.", "supported"), verdict("Fernlow is a port of 90,000 people.", "contradicted")],
    )
    assert wrong.verdict == "contradicted" and "90,000" in wrong.rationale
    assert combine_parts(unverified, []) is unverified


def test_the_report_says_which_part_evidence_speaks_to_and_marks_a_plan():
    from factcheck.report import render_markdown, report_json

    claim = Claim(id="c1", text="Protesters occupied Fernlow, a port of 90,000 people.")
    part = _evidence("A", "supports", 0.9, "Fernlow, a port of 90,000 people, was occupied.")
    part.part = "Fernlow is a port of 90,000 people."
    plan = _evidence("B", "supports", 0.9, "Protesters will occupy Fernlow <b>soon</b>.")
    plan.hedge = "planned"
    markdown = render_markdown([Verdict(claim, "supported", 0.8, [part, plan], "every part corroborated")])
    assert "speaks to the part: “Fernlow is a port of 90,000 people.”" in markdown
    assert "states a plan or a hypothetical" in markdown and "<b>" not in markdown
    data = report_json([Verdict(claim, "supported", 0.8, [part, plan], "")])
    evidence = data["claims"][0]["evidence"]
    assert evidence[0]["part"] == "Fernlow is a port of 90,000 people." and evidence[1]["hedge"] == "planned"


def test_a_statement_without_the_frame_that_reports_it():
    from factcheck.text.reporting import unreported

    assert unreported("Engineers were moved to other divisions at Dalco, according to the report.") == (
        "Engineers were moved to other divisions at Dalco."
    )
    assert (
        unreported("The Lynd government reportedly stopped the takeover of Dalco.")
        == "The Lynd government stopped the takeover of Dalco."
    )
    assert unreported("According to Benzinga, Dalco would offer $18 a share.") == "Dalco would offer $18 a share."
    assert (
        unreported("TechCrunch reports that Dalco plans to close the streaming service.")
        == "Dalco plans to close the streaming service."
    )
    assert unreported("The fire is now under control, a security source said on Wednesday.") == "The fire is now under control."
    # doubt and denial stay: they change what the sentence says
    assert unreported("It is unclear whether the deal will go ahead.") == "It is unclear whether the deal will go ahead."
    assert unreported("Dalco denied that it plans to close the mill.") == "Dalco denied that it plans to close the mill."
    assert unreported("Things went according to plan.") == "Things went according to plan."
    # a claim's own "X said ..." frame, "that" left out, only where asked for (`loose`)
    said = "The insider said the takeover of Dalco was almost done."
    assert unreported(said) == said
    assert unreported(said, loose=True) == "The takeover of Dalco was almost done."
    assert unreported("Mayor Dana Holt says the city has no interest in talks.", loose=True) == (
        "The city has no interest in talks."
    )
    # a verb, not a frame; and a pronoun needs its speaker
    for kept in ("Dalco's founder said no to a job offer from Valve in 2010.", "The mayor said it was a hoax from the start."):
        assert unreported(kept, loose=True) == kept


def test_the_rules_do_not_read_a_report_a_question_or_a_plan_as_the_event():
    from factcheck.stance import RulesStance

    claim = "Audio of the shooting was recorded by a neighbour."
    alleged, asked, plain = RulesStance().classify_batch(
        [
            (claim, "Alleged audio of the shooting was recorded by a neighbour."),
            (claim, "Audio of the shooting was recorded by a neighbour?"),
            (claim, "Audio of the shooting was recorded by a neighbour, police said."),
        ]
    )
    assert (alleged.label, asked.label, plain.label) == ("neutral", "neutral", "supports")
    assert hedge(claim, "Was the shooting recorded by a neighbour?") == "reported"


def test_a_confirmation_needs_its_speaker_saying_it():
    from factcheck.text.reporting import unattributed_confirmation

    claim = "The Lynd ministry confirmed that the Dalco mill had closed."
    # others stating the fact do not make it the ministry's confirmation
    assert unattributed_confirmation(claim, "Local officials said the Dalco mill had closed.")
    assert unattributed_confirmation(claim, "The Dalco mill, which the ministry owns, had closed.")  # no one says it
    # the speaker, by its head word, saying it
    assert not unattributed_confirmation(claim, "A ministry spokesman said the Dalco mill had closed on Monday.")
    assert not unattributed_confirmation(claim, "The Lynd ministry confirmed the closure of the Dalco mill.")
    # a clause before it, and the other verbs of the family
    assert unattributed_confirmation("When the Post reported the talks, Dalco admitted them.", "The Post reported the talks.")
    # nothing to check where the claim confirms nothing, or says someone could not
    assert not unattributed_confirmation("The Dalco mill had closed.", "Officials said the mill had closed.")
    assert not unattributed_confirmation("Dalco was unable to confirm the reports.", "The reports spread.")
    assert not unattributed_confirmation("Dalco's founder would neither confirm nor deny the report.", "x")


def test_the_stance_backends_do_not_read_a_report_by_others_as_a_confirmation():
    from factcheck.models import StanceResult
    from factcheck.stance import HybridStance, RulesStance

    claim = "The Lynd ministry confirmed that the Dalco mill had closed."
    others = "Local officials said that the Dalco mill had closed."
    assert RulesStance().classify_batch([(claim, others)])[0].label == "neutral"
    assert RulesStance().classify_batch([("The Dalco mill had closed.", others)])[0].label == "supports"

    class Agreeing:
        def classify_batch(self, pairs):
            return [StanceResult("supports", {"supports": 0.9, "refutes": 0.05, "neutral": 0.05}) for _ in pairs]

    hybrid = HybridStance()
    hybrid.model = Agreeing()
    said = "A ministry spokesman said the Dalco mill had closed."
    assert [r.label for r in hybrid.classify_batch([(claim, others), (claim, said)])] == ["neutral", "supports"]

"""Where two conflicting statements differ: the spans `conflicts.conflict_spans` finds, and how
every report marks them (bold in Markdown, <mark> in HTML, `spans` in the JSON)."""

import pytest

from factcheck.text.alignment import conflict_spans

MARKED = [
    # (claim, evidence, type, words marked in the claim, words marked in the evidence)
    (
        "About 1,200 dockworkers walked out on Monday.",
        "About 2,100 dockworkers walked out on Monday.",
        "number",
        ["1,200"],
        ["2,100"],
    ),
    (
        "The US has about 28,500 troops in South Korea.",
        "The US, which has about 45,000 troops stationed in South Korea, holds drills.",
        "number",
        ["28,500"],
        ["45,000"],
    ),
    ("The fund holds 28 million dollars.", "The fund holds 45 million dollars.", "number", ["28 million"], ["45 million"]),
    (
        "The strike began on Monday, March 3.",
        "The strike began on Wednesday, March 5.",
        "date",
        ["Monday", "3"],
        ["Wednesday", "5"],
    ),
    ("The dam was built in 1972.", "The dam, built in 1962, holds water.", "date", ["1972"], ["1962"]),
    ("Talks were held in Harlow.", "Talks were held in Denby.", "place", ["Harlow"], ["Denby"]),
    (
        "The ferry has about 40 crew based in Harlow.",
        "The ferry, which has about 40 crew based in North Denby, sails daily.",
        "place",
        ["Harlow"],
        ["North Denby"],
    ),
    (
        "Spokesperson Priya Raman said engineers were monitoring the dam.",
        "Spokesperson Colin Hadley said engineers were monitoring the dam.",
        "entity",
        ["Priya Raman"],
        ["Colin Hadley"],
    ),
    (
        "The company confirmed talks with the union.",
        "The company did not confirm talks with the union.",
        "negation",
        ["confirmed"],
        ["not confirm"],
    ),
    (
        "The county didn't stop the flood sirens.",
        "Its steps included stopping the flood sirens and closing two bridges.",
        "negation",
        ["didn't stop"],
        ["stopping"],
    ),
    ("North Korea accepted the offer.", "North Korea rejected the offer.", "antonym", ["accepted"], ["rejected"]),
    ("The water level was rising on Thursday.", "By Thursday the water level was falling.", "antonym", ["rising"], ["falling"]),
    # "South" is the opposite of a "North" elsewhere in the claim, not of the replaced "silent on"
    (
        "North Ridge has remained silent on offers of water talks with South Ridge.",
        "North Ridge Rejects South Ridge’s Water Talks",
        "antonym",
        ["silent"],
        ["Rejects"],
    ),
]


@pytest.mark.parametrize("claim, evidence, kind, left, right", MARKED)
def test_the_differing_words_are_marked_in_both_sentences(claim, evidence, kind, left, right):
    conflict, claim_spans, evidence_spans = conflict_spans(claim, evidence)
    assert conflict.type == kind
    assert [claim[s.start : s.end] for s in claim_spans] == left
    assert [evidence[s.start : s.end] for s in evidence_spans] == right
    assert {s.role for s in claim_spans + evidence_spans} == {kind}


def test_no_spans_where_the_statements_agree():
    assert conflict_spans("About 4,800 people were evacuated.", "Some 4,800 people were evacuated from Millbrook.") is None

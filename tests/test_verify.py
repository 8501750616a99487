import json

from factcheck.index import load_index
from factcheck.models import Claim, Evidence, Verdict
from factcheck.pipeline import build_index, claims_from_article, claims_from_file, claims_from_index, verify_claims
from factcheck.report import escape, render_markdown, report_json

from conftest import CORPUS, ROOT


def _index(settings):
    build_index([CORPUS], index_dir=settings.index.dir, settings=settings)
    return load_index(settings.index.dir)


def test_claims_file_formats(tmp_path):
    txt = claims_from_file(ROOT / "examples" / "claims.txt")
    jsonl = claims_from_file(ROOT / "examples" / "claims.jsonl")
    assert [c.text for c in txt] == [c.text for c in jsonl]
    assert jsonl[0].id == "c1"


def test_article_claims_never_cite_their_own_article(hash_settings):
    index = _index(hash_settings)
    claims = claims_from_article(CORPUS / "03_lindmoor9.html")
    assert claims and all(c.article_id == claims[0].article_id for c in claims)
    verdicts = verify_claims(claims, index=index, settings=hash_settings)
    cited = {e.article for v in verdicts for e in v.evidence}
    assert claims[0].article_id not in cited and cited


def test_cross_reference_run_groups_syndicated_copies(hash_settings):
    index = _index(hash_settings)
    claims = claims_from_index(index)
    verdicts = verify_claims(claims, index=index, settings=hash_settings)
    assert len(verdicts) == len(claims) > 40
    groups = [e for v in verdicts for e in v.evidence if e.duplicates]
    assert groups, "the wire copy of article 01 should be grouped with it"
    assert any("Westbridge Tribune" in d or "Valley Wire" in d for e in groups for d in e.duplicates)


def test_verdict_labels_on_planted_conflicts(hash_settings):
    index = _index(hash_settings)
    claims = [
        Claim("number", "About 8,400 residents were evacuated from Millbrook and Castor Ford."),
        Claim("date", "The evacuation order was issued on Thursday, March 5."),
        Claim("true", "Gov. Ellen Marsh declared a state of emergency for Lindmoor County."),
        Claim("unrelated", "Tomato prices in Elvaston rose 12 percent last year."),
    ]
    verdicts = {v.claim.id: v for v in verify_claims(claims, index=index, settings=hash_settings)}
    assert verdicts["number"].verdict == "contradicted"
    assert {e.conflict_type for e in verdicts["number"].evidence if e.stance == "refutes"} == {"number"}
    assert verdicts["date"].verdict == "contradicted"
    assert verdicts["true"].verdict == "supported"
    assert verdicts["unrelated"].verdict == "unverified"


def test_report_escapes_quoted_text():
    evil = "<script>alert(1)</script> | col | *bold* [link](http://x)"
    evidence = Evidence(
        sentence=evil,
        sentence_id="a:1",
        article="a",
        title="T|",
        source="Out<let>",
        date=None,
        location="x.txt:3",
        similarity=0.8,
        stance="refutes",
        score=0.9,
        conflict_type="number",
        probabilities={"supports": 0.05, "refutes": 0.9, "neutral": 0.05},
    )
    verdict = Verdict(Claim("c1", "# heading | pipe"), "contradicted", 0.9, [evidence], "1 outlet(s) conflict")
    markdown = render_markdown([verdict])
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\\| col \\|" in markdown and "\\[link\\]" in markdown
    assert "\n# heading" not in markdown
    data = report_json([verdict])
    assert data["claims"][0]["evidence"][0]["sentence"] == evil  # JSON keeps the text as it was
    json.dumps(data)
    assert escape("a_b") == "a\\_b"


def test_a_claim_restated_inside_a_long_sentence_is_found_and_counts(hash_settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Ferry talks stall\n\nIn a statement read out at the harbour on Friday evening after a long and at times "
        "heated meeting with the port authority, the coast guard, dock owners, union leaders and two city "
        "councillors, Mayor Dana Holt said the ferry service to Carrow Island would resume next week, weeks ahead "
        "of the schedule published last month.\n",
        encoding="utf-8",
    )
    topical = [
        "Mayor Dana Holt visited Carrow Island.",
        "Mayor Dana Holt rode the Carrow Island ferry.",
        "The Carrow Island ferry service is under review, Mayor Dana Holt said.",
        "The ferry to Carrow Island is run by the city.",
        "Ferry tickets to Carrow Island cost four dollars.",
    ]
    (corpus / "b.txt").write_text("Island news\n\n" + " ".join(topical) + "\n", encoding="utf-8")
    claim = Claim("c", "Mayor Dana Holt said the ferry service to Carrow Island would resume next week.")
    verdicts = {}
    for weight in (0.0, 0.3):  # without the lexical share in the ranking, topical sentences crowd it out
        settings = hash_settings.with_overrides(
            index={"dir": str(tmp_path / f"index-{weight}")}, retrieve={"top_k": 2, "lexical_weight": weight}
        )
        build_index([corpus], index_dir=settings.index.dir, settings=settings)
        [verdicts[weight]] = verify_claims([claim], index=load_index(settings.index.dir), settings=settings)
    assert not any(e.sentence.startswith("In a statement") for e in verdicts[0.0].evidence)
    assert verdicts[0.0].verdict == "unverified"
    best = verdicts[0.3].evidence[0]
    assert best.sentence.startswith("In a statement read out at the harbour")
    assert best.coverage == 1.0 and best.similarity < verdicts[0.3].evidence[1].similarity
    assert best.stance == "supports" and verdicts[0.3].verdict == "supported"

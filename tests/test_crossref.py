"""The cross-reference report: clusters, conflicts with time labels, matrix, single-source claims,
attribution, --as-of, and the HTML page. Fixture articles: tests/fixtures/crossref (see the README there)."""

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from factcheck.crossref import Statement, cross_reference, time_relation
from factcheck.crossref.attribution import attribute
from factcheck.index import load_index
from factcheck.models import Claim, Evidence, Verdict
from factcheck.pipeline import build_index, claims_from_index, verify_claims
from factcheck.report.crossref import render_crossref_html, render_crossref_markdown

from conftest import CORPUS, FIXTURES, ROOT

XREF = FIXTURES / "crossref"
BLOG = "[d_undated_blog.txt]"


def _run_all(settings, corpus, *, as_of=None):
    build_index([corpus], index_dir=settings.index.dir, settings=settings)
    index = load_index(settings.index.dir)
    verdicts = verify_claims(claims_from_index(index, as_of=as_of), index=index, settings=settings, as_of=as_of)
    return verdicts, cross_reference(verdicts, settings=settings, as_of=as_of)


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    """The fixture articles cross-referenced once for the module (hash embedder, as `hash_settings`)."""
    from factcheck.config import Settings

    tmp = tmp_path_factory.mktemp("xref")
    settings = Settings().with_overrides(
        embedder={"backend": "hash", "model": ""},
        stance={"backend": "rules"},
        index={"dir": str(tmp / "index")},
        retrieve={"min_similarity": 0.2},
        aggregate={"relevance_floor": 0.2, "relevance_full": 0.5},
    )
    return _run_all(settings, XREF)


# --------------------------------------------------------------------------- attribution

ATTRIBUTIONS = [
    ("Kim Yo Jong said North Korea has no interest in talks with Seoul.", "Kim Yo Jong", "said", False),
    (
        "In a statement carried by the state Korean Central News Agency Kim Yo Jong, the powerful sister of leader "
        "Kim Jong Un, declared that Pyongyang has no interest in any meeting.",
        "Kim Yo Jong",
        "declared",
        False,
    ),
    (
        "Dr. A. J. Porter, Northvale's chief executive, denied that the company had ignored earlier warnings.",
        "Dr. A. J. Porter",
        "denied",
        True,
    ),
    ("The company's spokesperson, Priya Raman, said engineers were monitoring the structure.", "Priya Raman", "said", False),
    (
        "Engineers first discovered the cracks on Feb. 28, according to a county incident log.",
        "a county incident log",
        "according to",
        False,
    ),
    ('"We will not give up. We never have," she said.', "she", "said", False),
    ("The drills have been suspended since 2018, KCNA said on Wednesday.", "KCNA", "said", False),
    ("Kim Yo-jong’s statement also dismissed speculation that Kim might attend the summit.", "Kim Yo-jong", "statement", False),
    ("Mayor Helen Quist told reporters the town would rebuild.", "Mayor Helen Quist", "told", False),
]


@pytest.mark.parametrize("sentence, speaker, verb, denial", ATTRIBUTIONS)
def test_attribution_finds_speaker_and_verb(sentence, speaker, verb, denial):
    found = attribute(sentence)
    assert found is not None
    assert (found.speaker, found.verb, found.denial) == (speaker, verb, denial)


@pytest.mark.parametrize(
    "sentence",
    [
        "About 120 homes in Castor Ford were flooded when the Oswin burst its banks on Tuesday night.",
        "The US, which has about 28,500 troops stationed in South Korea, has been holding drills.",
        "Despite the delay, the need to rebuild trust and talks remain.",
    ],
)
def test_outlets_own_statements_have_no_speaker(sentence):
    assert attribute(sentence) is None


# --------------------------------------------------------------------------- time


def _statement(text, outlet, date):
    return Statement(id=outlet, text=text, outlet=outlet, date=date, location=f"{outlet}.txt:1", article=outlet)


@pytest.mark.parametrize(
    "date_a, date_b, kind, later_text, label",
    [
        ("2026-01-10", "2026-01-10", "number", "Seven people died.", "contradiction"),
        ("2026-01-10", "2026-01-12", "number", "Seven people have now died.", "superseded"),
        ("2026-01-10", "2026-01-12", "number", "Seven people died.", "contradiction"),  # no sign of an update
        ("2026-01-10", "2026-01-12", "antonym", "The council has now rejected it.", "contradiction"),
        ("2025-06-01", "2026-01-10", "antonym", "The council rejected it.", "changed over time"),
        (None, "2025-07-28", "antonym", "North Korea rejected the offer.", "date unknown"),
    ],
)
def test_time_relation(date_a, date_b, kind, later_text, label):
    a = _statement("Three people died.", "A", date_a)
    b = _statement(later_text, "B", date_b)
    found, note = time_relation(a, b, kind, days=30)
    assert found == label
    if label == "date unknown":
        assert "A" in note and "unknown" in note


# --------------------------------------------------------------------------- fixtures


def test_clusters_count_syndicated_copies_once(fixture_run):
    _, xref = fixture_run
    assert xref.outlets == ["Coastal Courier", "Harbor Ledger", "North Star Daily", BLOG]
    evacuation = next(c for c in xref.clusters if "evacuated 240 residents" in c.headline.text)
    assert evacuation.corroborating == ["North Star Daily", BLOG]
    assert evacuation.syndicated == ["Harbor Ledger"]  # its verbatim copy is not a second source
    assert evacuation.silent == ["Coastal Courier"]
    assert "unknown" in evacuation.time_note and BLOG in evacuation.time_note
    copy = evacuation.headline.copies
    assert [c["outlet"] for c in copy] == ["Harbor Ledger"]
    assert xref.unnamed_outlets == [BLOG]


def test_conflicts_are_labelled_by_time_and_attribution(fixture_run):
    _, xref = fixture_run
    by_text = {(c.claim.text[:20], c.evidence.text[:20]): c for c in xref.conflicts}
    assert len(by_text) == 3
    council = next(c for c in xref.conflicts if "council" in c.claim.text)
    assert (council.conflict_type, council.time) == ("antonym", "changed over time")
    toll = next(c for c in xref.conflicts if "died" in c.claim.text)
    assert (toll.conflict_type, toll.time) == ("number", "superseded")
    assert "Harbor Ledger" in toll.time_note
    blame = next(c for c in xref.conflicts if "blasting" in c.claim.text)
    assert blame.reported_denial and "Tomas Brandt" in blame.reported_denial
    assert not any(c.is_contradiction for c in xref.conflicts)
    scores = [c.score for c in xref.conflicts]
    assert scores == sorted(scores, reverse=True)


def test_agreement_matrix_is_symmetric_and_counts_once(fixture_run):
    _, xref = fixture_run
    m = xref.matrix
    for a in m:
        for b in m[a]:
            assert m[a][b] == m[b][a]
    assert m["North Star Daily"][BLOG] == {"corroborated": 1, "conflicting": 0, "conflicting_date_unknown": 0}
    assert m["Coastal Courier"][BLOG]["corroborated"] == 1
    # the copy is counted under the original, never as Harbor Ledger agreeing with anyone
    assert all(cell["corroborated"] == 0 for cell in m["Harbor Ledger"].values())
    # changes over time and a reported denial are not outlets contradicting each other
    assert all(cell["conflicting"] == 0 for row in m.values() for cell in row.values())


def test_single_source_claims(fixture_run):
    _, xref = fixture_run
    single = {s.text for s in xref.single_source}
    assert "A temporary ferry will carry supplies across Lake Orrin until the road reopens." in single
    assert not any("evacuated 240" in s or "3,100 vehicles" in s for s in single)


def test_as_of_counts_only_evidence_published_by_then(hash_settings):
    verdicts, xref = _run_all(hash_settings, XREF, as_of="2026-01-11")
    evidence = [e for v in verdicts for e in v.evidence]
    assert evidence and all(e.date and e.date <= "2026-01-11" for e in evidence)
    assert not any(c.time == "superseded" for c in xref.conflicts)  # the later toll is not known yet
    evacuation = next(v for v in verdicts if "evacuated 240" in v.claim.text and v.claim.source == "North Star Daily")
    assert not any(e.source == "Harbor Ledger" or e.source is None for e in evidence if e in evacuation.evidence)


def test_example_corpus(hash_settings):
    _, xref = _run_all(hash_settings, CORPUS)
    assert len(xref.outlets) == 7
    homes = next(c for c in xref.conflicts if "120 homes" in c.claim.text + c.evidence.text)
    assert homes.conflict_type == "number" and homes.time == "contradiction"
    assert {homes.claim.outlet, homes.evidence.outlet} == {"Lindmoor 9 News", "The Riverside Sentinel"}
    assert xref.matrix["Lindmoor 9 News"]["The Riverside Sentinel"]["conflicting"] >= 1
    # Westbridge Tribune's wire copy never stands beside Valley Wire Service as a second source
    for cluster in xref.clusters:
        assert not {"Valley Wire Service", "Westbridge Tribune"} <= set(cluster.corroborating) or all(
            "Westbridge Tribune" not in s.outlets[1:] for s in cluster.statements
        )
    wire = [s for s in xref.single_source if "Westbridge Tribune" in s.outlets[1:]]
    assert wire, "sentences only the wire and its copy carry are single-source"
    single = " ".join(s.text for s in xref.single_source)
    assert "rescue dog named Juno" in single and "14 firefighters" in single
    denial = [s for s in single_source_and_clustered(xref) if s.attribution and s.attribution.denial]
    assert any(s.attribution.speaker == "Dr. A. J. Porter" and s.outlet == "The Riverside Sentinel" for s in denial)


def single_source_and_clustered(xref):
    return xref.single_source + [s for c in xref.clusters for s in c.statements]


# --------------------------------------------------------------------------- rendering


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.tags, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "section":
            self.sections.append(dict(attrs).get("id"))

    def handle_data(self, data):
        self.text.append(data)


def test_html_and_markdown_escape_quoted_text():
    evil = "<script>alert(1)</script> | *bold* [x](http://e.example)"
    evidence = Evidence(
        sentence=evil,
        sentence_id="b:1",
        article="b",
        title=None,
        source="Out<let>",
        date="2026-01-02",
        location="b.txt:1",
        similarity=0.9,
        stance="refutes",
        score=0.9,
        conflict_type="number",
        probabilities={"supports": 0.05, "refutes": 0.9, "neutral": 0.05},
    )
    claim = Claim("a:1", "About 12 <b>homes</b> flooded.", article_id="a", source="A & B", date="2026-01-01", location="a.txt:1")
    verdicts = [Verdict(claim, "contradicted", 0.9, [evidence], "1 outlet(s) conflict")]
    from factcheck.config import Settings

    xref = cross_reference(verdicts, settings=Settings())
    assert len(xref.conflicts) == 1
    page = render_crossref_html(xref, verdicts)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>homes</b>" not in page
    parser = _Page()
    parser.feed(page)
    assert "script" not in parser.tags
    markdown = render_crossref_markdown(xref, verdicts)
    assert "<script>" not in markdown and "\\[x\\]" in markdown


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "factcheck.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_all_writes_markdown_json_and_html(tmp_path):
    index = str(tmp_path / "index")
    assert _cli("build-index", str(XREF), "--index", index, "--embedder", "hash").returncode == 0
    report, page = tmp_path / "r.md", tmp_path / "r.html"
    run = _cli(
        "verify",
        "--all",
        "--index",
        index,
        "--embedder",
        "hash",
        "--report",
        str(report),
        "--html",
        str(page),
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)  # --format json: the report JSON, alone on stdout
    assert {"clusters", "matrix", "conflicts", "single_source", "claims", "summary"} <= set(data)
    assert data == json.loads(report.with_suffix(".json").read_text())
    text = report.read_text()
    order = [
        "## Summary",
        "## Conflicts",
        "## Claims several outlets make",
        "## Source agreement matrix",
        "## Single-source claims",
    ]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    assert "changed over time" in text and "superseded" in text and "Tomas Brandt" in text
    parser = _Page()
    parser.feed(page.read_text())
    assert parser.sections[0] == "conflicts"
    assert set(parser.sections) >= {"conflicts", "summary", "clusters", "matrix", "single-source"}
    assert parser.tags.count("details") >= 3 and "script" not in parser.tags
    assert "http" not in page.read_text().replace("https://", "").split("<body>")[0]  # nothing loaded from a network


def test_html_for_typed_in_claims_shows_their_evidence(tmp_path):
    index = str(tmp_path / "index")
    assert _cli("build-index", str(XREF), "--index", index, "--embedder", "hash").returncode == 0
    page = tmp_path / "claims.html"
    run = _cli(
        "verify",
        "Seven people have died in the Brennock landslide.",
        "--index",
        index,
        "--embedder",
        "hash",
        "--report",
        str(tmp_path / "r.md"),
        "--html",
        str(page),
        "-q",
    )
    assert run.returncode == 0, run.stderr
    parser = _Page()
    parser.feed(page.read_text())
    assert parser.sections == ["claims"] and "details" in parser.tags
    assert "Brennock landslide" in "".join(parser.text)


def test_cli_as_of(tmp_path):
    index = str(tmp_path / "index")
    assert _cli("build-index", str(XREF), "--index", index, "--embedder", "hash").returncode == 0
    report = tmp_path / "r.md"
    run = _cli("verify", "--all", "--index", index, "--embedder", "hash", "--report", str(report), "--as-of", "2026-01-11", "-q")
    assert run.returncode == 0, run.stderr
    data = json.loads(report.with_suffix(".json").read_text())
    assert data["as_of"] == "2026-01-11"
    assert {c["claim_source"] for c in data["claims"]} == {"North Star Daily", "Coastal Courier"}
    assert "2 article(s) published later or with an unknown date left out" in report.read_text()
    bad = _cli("verify", "--all", "--index", index, "--embedder", "hash", "--as-of", "last week")
    assert bad.returncode == 1 and "--as-of takes a date" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "claim, evidence",
    [
        (
            "North Korea silent on South Korean offer for military peace talks",
            "North Korea Rejects South Korean President’s Peace Offer",
        ),
        (
            "North Korea has remained silent on offers of peace talks with South Korea.",
            "North Korea Rejects South Korea’s Peace Talks",
        ),
    ],
)
def test_silence_and_rejection_conflict_even_in_title_case(claim, evidence):
    from factcheck.text.alignment import find_conflict

    for a, b in ((claim, evidence), (evidence, claim)):
        found = find_conflict(a, b)
        assert found is not None and found.type == "antonym"

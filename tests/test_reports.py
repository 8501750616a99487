"""The reports a fact-checker reads and other tools take: the marked differences in Markdown, HTML
and JSON, ClaimReview JSON-LD, the charts, `--since`, hostile text in every new output, and the
HTML page in a real headless Chromium. Fixture articles: tests/fixtures/crossref."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest

from factcheck.config import Settings
from factcheck.crossref import cross_reference
from factcheck.models import VERDICTS, Claim, Evidence, Verdict
from factcheck.report.charts import render_charts
from factcheck.report.claimreview import BEST_RATING, RATING_SCALE, WORST_RATING, claimreview_jsonld, claimreview_text
from factcheck.report.crossref import crossref_json, render_crossref_html, render_crossref_markdown
from factcheck.report.markdown import differing_spans, escape_marked, render_markdown, report_json

from conftest import FIXTURES, ROOT

XREF = FIXTURES / "crossref"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "factcheck.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The fixture articles: an early report (--as-of 2026-01-11, two outlets), then the full
    cross-reference with --since, --html and --claimreview (hash embedder)."""
    tmp = tmp_path_factory.mktemp("reports")
    index = str(tmp / "index")
    assert _cli("build-index", str(XREF), "--index", index, "--embedder", "hash", "-q").returncode == 0
    common = ["--index", index, "--embedder", "hash", "-q"]
    old = _cli("verify", "--all", *common, "--as-of", "2026-01-11", "--report", str(tmp / "old.md"))
    assert old.returncode == 0, old.stderr
    new = _cli(
        "verify",
        "--all",
        *common,
        "--report",
        str(tmp / "new.md"),
        "--html",
        str(tmp / "new.html"),
        "--since",
        str(tmp / "old.json"),
        "--claimreview",
        str(tmp / "reviews.jsonld"),
        "--author",
        "Brennock Checkers",
    )
    assert new.returncode == 0, new.stderr
    return tmp


# --------------------------------------------------------------------------- marked differences


def test_markdown_html_and_json_mark_the_difference(runs):
    markdown = (runs / "new.md").read_text()
    conflicts = markdown.split("## Conflicts", 1)[1].split("## Claims several outlets make", 1)[0]
    bold = re.findall(r"\*\*([^*]+)\*\*", conflicts.split("\n", 3)[3])  # after the sentence explaining the bold
    assert bold, conflicts
    data = json.loads((runs / "new.json").read_text())
    marked = [c for c in data["conflicts"] if c["claim"]["spans"]]
    assert marked and all(c["evidence"]["spans"] for c in marked)
    for c in marked:
        for side in (c["claim"], c["evidence"]):
            for span in side["spans"]:
                assert side["text"][span["start"] : span["end"]] == span["text"]
                assert span["role"] == c["conflict_type"]
                assert span["text"] in bold  # the same words are bold in the Markdown
    page = (runs / "new.html").read_text()
    assert {f">{span['text']}</mark>" for c in marked for span in c["claim"]["spans"]} <= set(re.findall(r">[^<]*</mark>", page))
    evidence = [e for c in data["claims"] for e in c["evidence"] if e["stance"] == "refutes" and e["spans"]]
    assert evidence and all(e["claim_spans"] for e in evidence)


def test_the_example_conflict_reads_28500_against_45000():
    claim = "The US has about 28,500 troops stationed in South Korea."
    evidence = "The US, which has about 45,000 troops stationed in South Korea, holds drills."
    left, right = differing_spans(claim, evidence)
    assert escape_marked(claim, left) == "The US has about **28,500** troops stationed in South Korea."
    assert escape_marked(evidence, right) == "The US, which has about **45,000** troops stationed in South Korea, holds drills."
    assert differing_spans(evidence, claim) == (right, left)  # either way round


# --------------------------------------------------------------------------- ClaimReview

TYPES = {"Organization", "Person", "Claim", "Rating", "CreativeWork", "ClaimReview"}


def _is_date(value) -> bool:
    try:
        date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def _is_url(value) -> bool:
    parts = urlparse(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https", "file") and (parts.netloc or parts.scheme == "file") and parts.path)


def _is_thing(value, *types) -> bool:
    return isinstance(value, dict) and value.get("@type") in types and isinstance(value.get("name", ""), str)


def _work_or_url(value) -> bool:
    return _is_url(value) or (_is_thing(value, "CreativeWork") and bool(value.get("name")))


def check_claimreview(review: dict) -> None:
    """Every property Google's fact-check guidelines require or recommend, with its schema.org type.

    ClaimReview: claimReviewed (Text, required), reviewRating (Rating, required), url (URL, required),
    author (Organization or Person), datePublished (Date), itemReviewed (Claim). Claim: appearance
    and firstAppearance (URL or CreativeWork), author (Organization or Person), datePublished (Date).
    Rating: alternateName (Text, required), name (Text), ratingValue, bestRating, worstRating (Number).
    """
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert isinstance(review["claimReviewed"], str) and review["claimReviewed"].strip()
    assert _is_url(review["url"]) and urlparse(review["url"]).fragment.startswith("claim-")
    assert _is_thing(review["author"], "Organization", "Person") and review["author"]["name"]
    assert _is_date(review["datePublished"])
    rating = review["reviewRating"]
    assert _is_thing(rating, "Rating") and rating["alternateName"] in VERDICTS and rating["name"]
    for key in ("ratingValue", "bestRating", "worstRating"):
        assert isinstance(rating[key], (int, float)) and not isinstance(rating[key], bool), key
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert rating["alternateName"] not in review["claimReviewed"].split()  # the rating goes in reviewRating only
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert isinstance(claim["appearance"], list) and claim["appearance"] and all(_work_or_url(a) for a in claim["appearance"])
    assert _work_or_url(claim["firstAppearance"]) and claim["firstAppearance"] in claim["appearance"]
    first = claim["firstAppearance"]
    dated = [a["datePublished"] for a in claim["appearance"] if "datePublished" in a]
    assert all(_is_date(d) for d in dated)
    if dated:  # left out only where no article stating the claim has a date
        assert first["datePublished"] == min(dated) == claim["datePublished"] and _is_date(claim["datePublished"])
    else:
        assert "datePublished" not in claim
    if "publisher" in first:  # ... or names its outlet
        assert _is_thing(claim["author"], "Organization", "Person") and claim["author"] == first["publisher"]
    else:
        assert "author" not in claim
    for work in claim["appearance"]:
        assert "publisher" not in work or (_is_thing(work["publisher"], "Organization") and work["publisher"]["name"])
        assert "url" not in work or _is_url(work["url"])
    for value in _walk(review):  # nothing but schema.org types, nothing empty
        if isinstance(value, dict) and "@type" in value:
            assert value["@type"] in TYPES
        assert value not in ("", None, [], {})


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_claimreview_file_has_every_required_and_recommended_field(runs):
    reviews = json.loads((runs / "reviews.jsonld").read_text())
    data = json.loads((runs / "new.json").read_text())
    assert isinstance(reviews, list) and len(reviews) == len(data["claims"])  # one per claim
    for review in reviews:
        check_claimreview(review)
    complete = [r for r in reviews if {"author", "datePublished"} <= set(r["itemReviewed"])]
    assert len(complete) >= sum(1 for c in data["claims"] if c["claim_source"] and c["claim_date"]) > 0
    assert {r["author"]["name"] for r in reviews} == {"Brennock Checkers"}  # --author
    assert len({r["url"] for r in reviews}) == len(reviews)
    page = (runs / "new.html").resolve().as_uri()
    assert all(r["url"].startswith(page + "#claim-") for r in reviews)  # the HTML page, at the claim's entry
    html_ids = set(re.findall(r'<details id="([^"]+)"', (runs / "new.html").read_text()))
    checked = {r["url"].split("#", 1)[1] for r in reviews if r["reviewRating"]["alternateName"] != "unverified"}
    assert checked and checked <= html_ids
    scale = {r["reviewRating"]["alternateName"]: r["reviewRating"]["ratingValue"] for r in reviews}
    assert all(RATING_SCALE[name] == value for name, value in scale.items())  # one number per verdict
    assert {r["reviewRating"]["bestRating"] for r in reviews} == {BEST_RATING} and WORST_RATING == 1
    by_claim = {r["claimReviewed"]: r for r in reviews}
    verdicts = {c["claim"]: c["verdict"] for c in data["claims"]}
    assert all(by_claim[text]["reviewRating"]["alternateName"] == verdict for text, verdict in verdicts.items())


def test_claimreview_of_a_corroborated_claim_lists_every_article_stating_it(runs):
    reviews = json.loads((runs / "reviews.jsonld").read_text())
    corroborated = [r for r in reviews if len(r["itemReviewed"]["appearance"]) >= 2]
    assert corroborated
    for review in corroborated:
        works = review["itemReviewed"]["appearance"]
        assert len({w["identifier"] for w in works}) == len(works)
        assert [w.get("datePublished", "9999") for w in works] == sorted(w.get("datePublished", "9999") for w in works)
    urls = {w.get("url") for r in reviews for w in r["itemReviewed"]["appearance"]}
    assert "https://northstar.example/2026/01/10/brennock" in urls  # the article's own address, from its header


def test_format_claimreview_prints_json_ld_and_a_configured_author(tmp_path):
    index = str(tmp_path / "index")
    assert _cli("build-index", str(XREF), "--index", index, "--embedder", "hash", "-q").returncode == 0
    config = tmp_path / "site.toml"
    config.write_text(
        '[report]\nauthor = "Config Checkers"\nurl = "https://checks.example/brennock"\nauthor_url = "https://checks.example/"\n',
        encoding="utf-8",
    )
    run = _cli(
        "verify",
        "Seven people have died in the Brennock landslide.",
        "--index",
        index,
        "--embedder",
        "hash",
        "--config",
        str(config),
        "--report",
        str(tmp_path / "r.md"),
        "--format",
        "claimreview",
    )
    assert run.returncode == 0, run.stderr
    [review] = json.loads(run.stdout)
    assert review["author"] == {"@type": "Organization", "name": "Config Checkers", "url": "https://checks.example/"}
    assert review["url"].startswith("https://checks.example/brennock#claim-")
    assert review["reviewRating"]["alternateName"] in VERDICTS
    if review["reviewRating"]["alternateName"] == "supported":  # a typed-in claim appears where it is corroborated
        check_claimreview(review)


# --------------------------------------------------------------------------- charts


class _Dom(HTMLParser):
    """Tags, attributes and the section/figure ids of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.ids, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.ids += [value for name, value in attrs if name == "id"]

    def handle_data(self, data):
        self.text.append(data)


def _external(dom: _Dom) -> list[str]:
    """Anything the page would fetch: a src, href, srcset, action, poster or data that leaves the file."""
    fetched = []
    for tag, name, value in dom.attributes:
        if (
            name in ("src", "href", "xlink:href", "srcset", "action", "poster", "data", "background")
            and re.match(r"\s*(?:[a-z][a-z0-9+.-]*:|//)", value, re.I)
            and not value.startswith("#")
        ):
            fetched.append(f"<{tag} {name}={value}>")
    return fetched


def test_html_has_the_heatmap_and_timeline_inline_and_markdown_links_them(runs):
    page = (runs / "new.html").read_text()
    dom = _Dom()
    dom.feed(page)
    assert {"chart-agreement", "chart-timeline"} <= set(dom.ids)
    for chart in ("agreement", "timeline"):
        figure = page.split(f'id="chart-{chart}"', 1)[1].split("</figure>", 1)[0]
        assert "<svg" in figure and figure.count("<path") >= 5 and "<text" in figure
    assert "North Star Daily" in page.split('id="chart-agreement"', 1)[1].split("</figure>", 1)[0]  # labels are text
    assert "script" not in dom.tags and _external(dom) == [] and "http" not in page.split("<body>")[0]
    markdown = (runs / "new.md").read_text()
    for chart in ("agreement", "timeline"):
        assert f"](new-{chart}.svg)" in markdown
        root = ElementTree.parse(runs / f"new-{chart}.svg").getroot()  # a standalone SVG file an image viewer opens
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert markdown.index("new-timeline.svg") < markdown.index("## Claims several outlets make")
    assert markdown.index("## Source agreement matrix") < markdown.index("new-agreement.svg") < markdown.index("## Single-source")


def test_no_charts_without_data():
    verdicts = [Verdict(Claim("c", "Seven people died."), "unverified", 0.0, [], "no evidence")]
    xref = cross_reference(verdicts, settings=Settings())
    assert render_charts(xref) == {}
    assert "<svg" not in render_crossref_html(xref, verdicts)


# --------------------------------------------------------------------------- --since


def test_since_opens_the_report_with_what_changed(runs):
    markdown = (runs / "new.md").read_text()
    sections = re.findall(r"^## (.+)$", markdown, re.M)
    assert sections[0].startswith("What changed since ") and sections[1] == "Summary"
    data = json.loads((runs / "new.json").read_text())
    old = json.loads((runs / "old.json").read_text())
    changes = data["changes"]
    assert list(data)[0] == "changes" and changes["since"] == old["generated_at"]
    assert {a["source"] for a in changes["articles_added"]} == {"Harbor Ledger", None}  # and the undated blog
    assert changes["articles_removed"] == []
    assert changes["new_conflicts"] and changes["counts"]["new_conflicts"] == len(changes["new_conflicts"])
    old_outlets = {"North Star Daily", "Coastal Courier"}
    for conflict in changes["new_conflicts"]:  # a conflict is new because a newly added article takes part
        assert not {conflict["claim"]["outlet"], conflict["evidence"]["outlet"]} <= old_outlets
        assert "spans" in conflict["claim"]
    old_single = {(s["outlet"], s["text"]) for s in old["single_source"]}
    assert all((s["outlet"], s["text"]) not in old_single for s in changes["new_single_source"])
    for change in changes["changed_verdicts"]:
        assert change["before"] != change["after"] and change["outlet"] in old_outlets
    assert "### New conflicts" in markdown and "### Articles added" in markdown
    dom = _Dom()
    dom.feed((runs / "new.html").read_text())
    assert dom.ids.index("changes") < dom.ids.index("conflicts")


def test_since_against_the_same_articles_finds_nothing_new(runs, tmp_path):
    run = _cli(
        "verify",
        "--all",
        "--index",
        str(runs / "index"),
        "--embedder",
        "hash",
        "-q",
        "--since",
        str(runs / "new.json"),
        "--report",
        str(tmp_path / "again.md"),
    )
    assert run.returncode == 0, run.stderr
    changes = json.loads((tmp_path / "again.json").read_text())["changes"]
    assert changes["counts"] == dict.fromkeys(changes["counts"], 0)
    assert "- 0 new conflict(s); 0 from the previous report no longer found" in (tmp_path / "again.md").read_text()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no previous report at"),
        ("{not json", "is not JSON (line 1"),
        ('["a list"]', "is not a factcheck report"),
        ('{"claims": [], "summary": {}}', "is a report of checked claims, not a cross-reference"),
    ],
)
def test_since_with_a_missing_or_wrong_file_is_one_clear_line(runs, tmp_path, content, message):
    old = tmp_path / "old.json"
    if content is not None:
        old.write_text(content, encoding="utf-8")
    run = _cli(
        "verify",
        "--all",
        "--index",
        str(runs / "index"),
        "--embedder",
        "hash",
        "--since",
        str(old),
        "--report",
        str(tmp_path / "r.md"),
    )
    assert run.returncode == 1 and message in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and not (tmp_path / "r.md").exists()


def test_since_needs_all(runs, tmp_path):
    run = _cli("verify", "A claim.", "--index", str(runs / "index"), "--embedder", "hash", "--since", str(runs / "old.json"))
    assert run.returncode == 1 and "use it with --all" in run.stderr


# --------------------------------------------------------------------------- hostile text

HOSTILE = "<script>alert(1)</script> **bold** | pipe `tick` </mark> [x](http://e.example) $5 $"


def _hostile_run():
    claim = Claim(
        "a:1",
        f"About 120 homes flooded in Brennock {HOSTILE}.",
        article_id="a",
        source=f"Out{HOSTILE}",
        date="2026-01-01",
        location="a`|.txt:1",
    )
    evidence = Evidence(
        sentence=f"About 210 homes flooded in Brennock {HOSTILE}.",
        sentence_id="b:1",
        article="b",
        title=f"T {HOSTILE}",
        source="B </mark> **Ledger** | `x`",
        date="2026-01-03",
        location="b.txt:1",
        similarity=0.95,
        stance="refutes",
        score=0.9,
        conflict_type="number",
        probabilities={"supports": 0.05, "refutes": 0.9, "neutral": 0.05},
    )
    support = Evidence(
        sentence=claim.text,
        sentence_id="c:1",
        article="c",
        title=HOSTILE,
        source="C <b>Post</b>",
        date="2026-01-02",
        location="c.txt:1",
        similarity=0.99,
        stance="supports",
        score=0.9,
        probabilities={"supports": 0.9, "refutes": 0.05, "neutral": 0.05},
    )
    verdicts = [Verdict(claim, "disputed", 0.6, [evidence, support], f"1 outlet(s) conflict {HOSTILE}")]
    return verdicts, cross_reference(verdicts, settings=Settings())


def test_hostile_text_in_markdown_marks_and_changes(tmp_path):
    from factcheck.report.changes import Changes

    verdicts, xref = _hostile_run()
    assert xref.conflicts
    changes = Changes(
        since="2026-01-01T00:00:00+00:00",
        previous_report=f"old`{HOSTILE}.json",
        new_conflicts=list(xref.conflicts),
        changed_verdicts=[(verdicts[0], "supported")],
        new_single_source=[xref.conflicts[0].claim],
        articles_added=[{"id": "b", "path": "b`|.txt", "source": HOSTILE, "title": HOSTILE, "date": None}],
    )
    markdown = render_crossref_markdown(xref, verdicts, changes=changes, charts={"timeline": "r (1)-timeline.svg"})
    plain = render_markdown(verdicts)
    for text in (markdown, plain):
        outside_code = re.sub(r"`[^`\n]*`", "", text)
        assert "<script" not in outside_code and "</mark>" not in outside_code and "<b>" not in outside_code
        assert "`" not in outside_code  # every backtick in quoted text is escaped or inside a code span
        assert not re.search(r"(?<!\\)\]\(http", outside_code)  # no link from a quote
        assert "\\*\\*bold\\*\\*" in text and "pipe \\`tick\\`" in text
        assert "**120**" in text or "**210**" in text  # the marks still work around the escaped text
    assert "About **210** homes flooded in Brennock &lt;script&gt;" in markdown
    assert "](r%20%281%29-timeline.svg)" in markdown  # an odd report name still links its image
    for line in markdown.splitlines():
        assert line.count("**") % 2 == 0, line  # every bold closes on its line
    table = [line for line in plain.split("## Conflicts", 1)[1].split("## Claims", 1)[0].splitlines() if line.startswith("|")]
    assert table and {len(re.findall(r"(?<!\\)\|", line)) for line in table} == {6}


def test_hostile_text_in_html_marks_charts_and_changes():
    from factcheck.report.changes import Changes

    verdicts, xref = _hostile_run()
    changes = Changes(
        since="2026-01-01",
        previous_report=HOSTILE,
        new_conflicts=list(xref.conflicts),
        changed_verdicts=[(verdicts[0], "supported")],
        articles_added=[{"id": "b", "path": HOSTILE, "source": HOSTILE, "title": HOSTILE, "date": None}],
    )
    charts = render_charts(xref)  # "$5 $" is text, not mathtext: rendering does not fail on it
    assert set(charts) == {"agreement", "timeline"}
    for svg in charts.values():  # the standalone files: well-formed, the hostile names as text
        root = ElementTree.fromstring(svg)
        assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "foreignObject")]
        assert any("<script>" in (e.text or "") for e in root.iter())
    page = render_crossref_html(xref, verdicts, charts=charts, changes=changes)
    dom = _Dom()
    dom.feed(page)
    assert "script" not in dom.tags and _external(dom) == []
    assert "&lt;script&gt;" in page and "&lt;/mark&gt;" in page and "C &lt;b&gt;Post&lt;/b&gt;" in page
    assert page.count("<mark") == page.count("</mark>") > 0
    assert '<mark class="number">120</mark>' in page and '<mark class="number">210</mark>' in page
    assert "$5 $" in "".join(dom.text)  # in the chart labels too, as text


def test_hostile_text_in_json_and_json_ld():
    verdicts, xref = _hostile_run()
    data = crossref_json(xref, verdicts)
    conflict = data["conflicts"][0]
    assert conflict["claim"]["text"].endswith(f"{HOSTILE}.")  # the JSON keeps the text as it was
    assert [s["text"] for s in conflict["claim"]["spans"]] == ["120"]
    assert report_json(verdicts)["claims"][0]["evidence"][0]["spans"][0]["text"] == "210"
    reviews = claimreview_jsonld(
        verdicts, articles={}, author=f"Checkers {HOSTILE}", page_url="https://checks.example/r", date_published="2026-01-04"
    )
    text = claimreview_text(reviews)
    assert "<" not in text and ">" not in text and "&" not in text  # safe inside <script type="application/ld+json">
    assert json.loads(text) == reviews and reviews[0]["claimReviewed"].endswith(f"{HOSTILE}.")
    check_claimreview(reviews[0])
    assert [w["identifier"] for w in reviews[0]["itemReviewed"]["appearance"]] == ["a`|.txt", "c.txt"]


# --------------------------------------------------------------------------- a real browser


def test_html_report_in_headless_chromium(runs, tmp_path):
    """The page as a browser shows it: marks, both charts drawn, no script, nothing fetched.

    Runs wherever Chromium is installed; in CI (CI=true) a missing Chromium is a failure, since
    .ci/run installs it."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is not installed (.ci/run installs it with apt-get)")
        pytest.skip("chromium is not installed: apt-get install -y chromium to run this test")
    page = runs / "new.html"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom_run = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom_run.returncode == 0, dom_run.stderr[-2000:]
    dom = _Dom()
    dom.feed(dom_run.stdout)  # the DOM after the browser parsed the page
    assert dom.tags.count("mark") >= 4 and "script" not in dom.tags and _external(dom) == []
    assert {"changes", "conflicts", "chart-agreement", "chart-timeline", "matrix"} <= set(dom.ids)
    assert dom.tags.count("svg") == 2 and dom.tags.count("path") > 20
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1280,9000", "--hide-scrollbars", page.as_uri()],
        capture_output=True,
        timeout=180,
    )
    assert shot.is_file() and shot.stat().st_size > 50_000
    from PIL import Image

    pixels = Image.open(shot).convert("RGB")
    colours = pixels.getcolors(maxcolors=1 << 20) or []
    count = {
        name: sum(n for n, rgb in colours if test(*rgb))
        for name, test in {
            "mark": lambda r, g, b: r > 240 and 200 < g < 235 and 110 < b < 160,  # the <mark> background #ffe08a
            "heatmap green": lambda r, g, b: g > r + 60 and g > b + 40,  # agreeing cells
            "timeline red": lambda r, g, b: r > 150 and g < 80 and b < 70,  # contradiction lines and cells
        }.items()
    }
    assert all(n > 200 for n in count.values()), count  # drawn, not just present in the markup

"""The default verify path with the real models on the shared seed articles (issue 3's check).

True statements of the seed stories must come out supported, and the same statements with a
changed number, date, place or negation contradicted. The claims are ours (examples/seed-claims.txt);
the articles stay in ../shared/seeds.
"""

import json
import subprocess
import sys

import pytest

from conftest import NO_SEEDS, ROOT, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SEEDS.is_dir(), reason=NO_SEEDS)]

TRUE = [
    "Kim Yo Jong said North Korea has no interest in talks with Seoul.",
    "President Lee Jae Myung took office on June 4.",
    "The US has about 28,500 troops stationed in South Korea.",
    "South Korea stopped anti-North loudspeaker broadcasts.",
    "Kim Yo Jong's statement was carried by the Korean Central News Agency.",
]
CHANGED = {  # claim -> the conflict type that must be named
    "President Lee Jae Myung took office on July 4.": "date",
    "The US has about 18,500 troops stationed in South Korea.": "number",
    "South Korea did not stop anti-North loudspeaker broadcasts.": "negation",
    "The US has about 28,500 troops stationed in Japan.": "place",
}
UNRELATED = ["The price of rice in Tokyo rose by 5 percent."]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed-claims")
    cli = [sys.executable, "-m", "factcheck.cli"]
    built = subprocess.run(
        [*cli, "build-index", str(SEEDS), "--index", str(tmp / "index")], capture_output=True, text=True, cwd=ROOT
    )
    assert built.returncode == 0, built.stderr
    checked = subprocess.run(
        [
            *cli,
            "verify",
            "--index",
            str(tmp / "index"),
            "--claims-file",
            str(ROOT / "examples" / "seed-claims.txt"),
            "--report",
            str(tmp / "r.md"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stderr
    data = json.loads((tmp / "r.json").read_text())
    assert data["stance_model"] == "hybrid"
    return {c["claim"]: c for c in data["claims"]}


@pytest.mark.parametrize("claim", TRUE)
def test_true_statements_are_supported(verdicts, claim):
    assert verdicts[claim]["verdict"] == "supported", verdicts[claim]["rationale"]


@pytest.mark.parametrize("claim, kind", CHANGED.items())
def test_changed_statements_are_contradicted_with_the_type_named(verdicts, claim, kind):
    verdict = verdicts[claim]
    assert verdict["verdict"] == "contradicted", verdict["rationale"]
    assert kind in {e["conflict_type"] for e in verdict["evidence"] if e["stance"] == "refutes"}


@pytest.mark.parametrize("claim", UNRELATED)
def test_unrelated_statements_stay_unverified(verdicts, claim):
    assert verdicts[claim]["verdict"] == "unverified"

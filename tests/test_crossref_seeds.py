"""The cross-reference report with the real embedding model on the shared seed articles."""

import json
import subprocess
import sys

import pytest

from conftest import NO_SEEDS, ROOT, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SEEDS.is_dir(), reason=NO_SEEDS)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seeds")
    cli = [sys.executable, "-m", "factcheck.cli"]
    built = subprocess.run(
        [*cli, "build-index", str(SEEDS), "--index", str(tmp / "index")], capture_output=True, text=True, cwd=ROOT
    )
    assert built.returncode == 0, built.stderr
    checked = subprocess.run(
        [*cli, "verify", "--all", "--index", str(tmp / "index"), "--report", str(tmp / "r.md"), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stderr
    return json.loads((tmp / "r.json").read_text()), (tmp / "r.md").read_text()


def test_the_2025_rejection_is_one_cluster_across_three_outlets(report):
    data, _ = report
    rejection = [
        c
        for c in data["clusters"]
        if "reject" in " ".join(s["text"] for s in c["statements"]).lower() and len(c["corroborating"]) >= 3
    ]
    assert rejection, [c["corroborating"] for c in data["clusters"]]
    outlets = set(rejection[0]["corroborating"])
    assert "Clash Report" in outlets and len(outlets) == 3


def test_undated_silence_is_never_a_plain_contradiction_of_the_rejection(report):
    data, _ = report
    silent = [c for c in data["conflicts"] if "silent" in (c["claim"]["text"] + c["evidence"]["text"]).lower()]
    assert all(c["time"] != "contradiction" and c["time_note"] for c in silent)
    for cluster in data["clusters"]:  # nor a corroboration of it
        texts = " ".join(s["text"] for s in cluster["statements"]).lower()
        assert not ("silent" in texts and "reject" in texts)


def test_troop_figure_is_single_source(report):
    data, markdown = report
    assert any("28,500 troops" in s["text"] and s["outlet"] == "Press TV" for s in data["single_source"])
    single = markdown[markdown.index("## Single-source claims") :]
    assert "28,500 troops" in single.split("## Appendix")[0]


def test_silence_against_rejection_is_marked_in_both_statements(report):
    data, markdown = report
    conflicts = markdown.split("## Conflicts", 1)[1].split("## Claims several outlets make", 1)[0]
    assert "**silent**" in conflicts and "**Rejects**" in conflicts and "](r-timeline.svg)" in conflicts
    silent = [c for c in data["conflicts"] if "silent" in c["claim"]["text"] + c["evidence"]["text"]]
    assert silent
    for c in silent:
        marked = {s["text"].lower() for side in (c["claim"], c["evidence"]) for s in side["spans"]}
        assert marked == {"silent", "rejects"}, marked

"""Safety of what we write and load: no pickle, escaped reports, safe report names, no network."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.errors import IndexDamagedError
from factcheck.index.store import _sha256, current_version, load_index
from factcheck.pipeline import build_index, claims_from_texts, verify_claims
from factcheck.report import default_report_path, render_markdown, report_json, write_report

from conftest import CORPUS, ROOT

HOSTILE_NAME = "evil`<img src=x onerror=alert(1)>`|x.txt"
HOSTILE_TEXT = (
    "Harlow dam report\n\n"
    "The Harlow dam <script>alert(1)</script> released {n} cubic metres | per second on Tuesday, officials said.\n\n"
    "The [operator](javascript:alert(1)) said *all* {m} gates | were open by 9 a.m. on Tuesday.\n"
)


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_no_pickle_or_remote_code_in_the_package():
    banned = [
        "import pickle",
        "pickle.load",
        "allow_pickle=True",
        "read_pickle",
        "torch.load",
        "joblib",
        "trust_remote_code=True",
    ]
    for path in (ROOT / "factcheck").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for word in banned:
            assert word not in source, f"{path.name} uses {word}"
        # the builtins, not a method such as torch's model.eval()
        assert not re.search(r"(?<![.\w])(?:eval|exec)\(", source), f"{path.name} calls eval/exec"


class _Canary:
    def __reduce__(self):  # what a malicious pickle would run on load
        return (Path.touch, (Path(__file__).parent / "PICKLE_RAN",))


def test_pickled_vectors_are_refused_not_loaded(tmp_path, hash_settings):
    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    version = current_version(Path(hash_settings.index.dir))
    canary = Path(__file__).parent / "PICKLE_RAN"
    np.save(version / "vectors.npy", np.array([_Canary()], dtype=object), allow_pickle=True)
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["checksums"]["vectors.npy"] = _sha256(version / "vectors.npy")  # a forged, consistent index
    (version / "manifest.json").write_text(json.dumps(manifest))
    try:
        with pytest.raises(IndexDamagedError, match="is damaged"):
            load_index(hash_settings.index.dir)
        assert not canary.exists()
    finally:
        canary.unlink(missing_ok=True)


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/cron.d/evil",
        "..",
        ".",
        "",
        "a/b\\c:d",
        "`rm -rf`|<script>",
        "\x00\n\t",
        "x" * 500,
        "CON",
        "..hidden",
    ],
)
def test_report_file_names_are_sanitised(tmp_path, name):
    path = default_report_path(tmp_path / "reports", name)
    assert path.parent == tmp_path / "reports"
    assert re.fullmatch(r"\d{8}-\d{6}-[A-Za-z0-9][A-Za-z0-9._-]{0,59}\.md", path.name), path.name
    assert ".." not in path.name.split("-", 2)[2][:2]


def test_hostile_article_through_the_whole_pipeline_to_the_report(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / HOSTILE_NAME).write_text(HOSTILE_TEXT.format(n=412, m=40))
    for path in sorted(CORPUS.glob("*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    checked = tmp_path / "..`<b>`|check.txt"  # the --article file: its name becomes the report's name
    checked.write_text(HOSTILE_TEXT.format(n=512, m=20))
    monkeypatch.chdir(tmp_path)  # reports/ goes here
    runner = CliRunner()
    index = str(tmp_path / "index")
    built = runner.invoke(app, ["build-index", str(corpus), "--index", index, "--embedder", "hash", "-q"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(
        app, ["verify", "--article", str(checked), "--index", index, "--embedder", "hash", "--stance", "rules", "-q"]
    )
    assert result.exit_code == 0, result.output

    [report] = list((tmp_path / "reports").glob("*.md"))
    assert re.fullmatch(r"\d{8}-\d{6}-b-check\.md", report.name)
    markdown = report.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown  # the quote is shown, as text
    outside_code = re.sub(r"`[^`\n]*`", "", markdown)  # a code span shows its text literally
    for raw in ("<script", "<img", "<b>", "`"):
        assert raw not in outside_code, raw
    assert not re.search(r"(?<!\\)\]\(javascript", markdown)  # no link: its brackets are escaped
    assert not re.search(r"\bnan\b", outside_code)  # a missing outlet or date reads as unknown
    assert "unknown outlet" in markdown or "*unknown outlet*" in markdown
    conflicts = markdown.split("## Conflicts", 1)[1].split("## Claims", 1)[0]
    rows = [line for line in conflicts.splitlines() if line.startswith("|")]
    assert len(rows) >= 3 and "cubic metres \\| per second" in conflicts
    assert {_unescaped_pipes(line) for line in rows} == {6}  # a `|` in a quote never adds a column
    locations = re.findall(r"`([^`]*)`", markdown)
    assert any("evil'<img src=x onerror=alert(1)>'|x.txt:" in span for span in locations)  # inside a code span
    data = json.loads(report.with_suffix(".json").read_text())
    assert any("<script>" in e["sentence"] for c in data["claims"] for e in c["evidence"])  # JSON keeps the text


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection or resolve a name fails and is recorded."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:2] if name.startswith('socket.') else args[:1]}")
            raise OSError(f"network blocked by the test ({name})")

        return blocked

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_build_and_verify_make_no_network_calls(tmp_path, hash_settings, no_network):
    import urllib.request

    with pytest.raises(OSError):  # the block works
        urllib.request.urlopen("http://example.com", timeout=1)
    assert no_network
    no_network.clear()

    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    index = load_index(hash_settings.index.dir)
    verdicts = verify_claims(
        claims_from_texts(["The Harlow dam spillway was opened on Tuesday."]), index=index, settings=hash_settings
    )
    write_report(render_markdown(verdicts), report_json(verdicts), report_path=tmp_path / "r.md")
    assert no_network == []


@pytest.mark.slow
def test_real_model_loads_and_embeds_with_the_network_blocked(no_network):
    from factcheck.embed import load_embedder

    embedder = load_embedder("sentence-transformers", "packaged:all-MiniLM-L6-v2")
    vectors = embedder.embed_batch(["The Harlow dam spillway was opened on Tuesday."])
    assert vectors.shape == (1, embedder.dimension)
    assert no_network == []

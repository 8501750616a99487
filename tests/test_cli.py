import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

from conftest import CORPUS, FIXTURES, NO_DATASETS, ROOT

runner = CliRunner()
COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split()) > 20
    command_info = next(c for c in app.registered_commands if c.name == command)
    assert command_info.callback.__doc__


def test_top_level_help_is_instant_and_lists_commands():
    # no model or heavy library is imported just to print help
    code = "import sys; from factcheck.cli import app; print(any(m in sys.modules for m in ('torch', 'faiss', 'sentence_transformers')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    result = runner.invoke(app, ["--help"])
    for command in ("build-index", "verify"):
        assert command in result.output


def _run(*args):
    return subprocess.run([sys.executable, "-m", "factcheck.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_errors_are_one_clear_line(tmp_path):
    for args, message in [
        (["build-index", str(tmp_path / "missing")], "No such file"),
        (["verify", "--index", str(tmp_path / "none"), "A claim about the dam."], "No index"),
        (["verify", "--index", str(tmp_path / "none")], "Nothing to check"),
        (
            ["build-index", str(FIXTURES / "empty.txt"), "--index", str(tmp_path / "i"), "--embedder", "hash"],
            "No usable articles",
        ),
        (["build-index", str(CORPUS), "--embedder", "nonsense", "--index", str(tmp_path / "i")], "Unknown embedder backend"),
    ]:
        result = _run(*args)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout


def test_build_and_verify_with_the_cli(tmp_path):
    index = str(tmp_path / "index")
    built = _run("build-index", str(CORPUS), str(FIXTURES / "binary.bin"), "--index", index, "--embedder", "hash")
    assert built.returncode == 0, built.stderr
    assert "7 article(s)" in built.stdout
    report = tmp_path / "out" / "r.md"
    checked = _run(
        "verify",
        "--index",
        index,
        "--embedder",
        "hash",
        "--claims-file",
        str(ROOT / "examples" / "claims.jsonl"),
        "Tomato prices in Elvaston rose 12 percent last year.",
        "--report",
        str(report),
    )
    assert checked.returncode == 0, checked.stderr
    data = json.loads(report.with_suffix(".json").read_text())
    assert len(data["claims"]) == 13
    claim = data["claims"][0]
    assert set(claim) >= {"id", "claim", "verdict", "confidence", "evidence"}
    for e in claim["evidence"]:
        assert set(e) >= {"sentence", "article", "source", "date", "location", "similarity", "stance", "score", "conflict_type"}
    text = report.read_text()
    assert text.index("## Summary") < text.index("## Conflicts") < text.index("## Claims")


def test_html_without_lxml_html_clean_is_one_clear_line(tmp_path):
    # what `pip install torch; pip install factcheck` gave before lxml_html_clean was declared
    code = (
        "import sys; sys.modules['lxml_html_clean'] = sys.modules['lxml.html.clean'] = None\n"
        "from factcheck.cli import main\n"
        f"sys.argv = ['factcheck', 'build-index', {str(FIXTURES / 'page.html')!r}, '--index', {str(tmp_path / 'i')!r},"
        " '--embedder', 'hash']\nmain()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "pip install trafilatura lxml_html_clean" in " ".join(result.stderr.split()) and "Traceback" not in result.stderr


def test_eval_without_the_extra_says_how_to_install_it():
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from factcheck.cli import main; sys.argv = ['factcheck', 'eval', 'emergent', '--stance', 'rules']; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "pip install 'factcheck[eval]'" in result.stderr and "Traceback" not in result.stderr


def test_eval_command_scores_a_sample(tmp_path):
    from factcheck.eval.datasets import default_data_dir

    if default_data_dir() is None:
        pytest.skip(NO_DATASETS)
    out = tmp_path / "emergent.json"
    result = _run("eval", "emergent", "--stance", "rules", "--limit", "60", "--json", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["dataset"] == "emergent" and data["n"] == 60
    assert 0 <= data["accuracy"] <= 1 and set(data["per_class"]) == {"supports", "refutes", "neutral"}
    assert "macro-F1" in result.stdout


@pytest.mark.slow  # starts Ray
def test_ray_engine_through_the_cli(tmp_path):
    pytest.importorskip("ray")
    index = str(tmp_path / "index")
    built = _run("build-index", str(CORPUS), "--index", index, "--embedder", "hash", "--engine", "ray")
    assert built.returncode == 0, built.stderr
    assert "7 article(s)" in built.stdout
    assert _run("build-index", str(CORPUS), "--index", index, "--engine", "spark").returncode == 1

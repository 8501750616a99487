"""The package layout: data flows one way through the rooms, and `factcheck --help` stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "factcheck"
# the rooms in pipeline order (docs/ARCHITECTURE.md); a module may import its own room or an earlier one
ROOMS = [
    "errors",
    "models",
    "config",
    "files",
    "progress",
    "text",
    "backends",
    "bert",
    "ingest",
    "segment",
    "embed",
    "index",
    "engines",
    "retrieve",
    "stance",
    "aggregate",
    "crossref",
    "report",
    "pipeline",
    "eval",
    "cli",
]
# the stance work's v2 training corpus and the trainer call each other (lazily); untangle when it lands
KNOWN_CYCLES = {("factcheck.eval.corpus", "factcheck.eval.train")}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """factcheck modules `path` imports, anywhere in it (lazy imports count), except under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    package = _module(path) if path.name == "__init__.py" else _module(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{target}.{a.name}" for a in node.names} if node.module is None else {target}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("factcheck"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("factcheck")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    return {m: {r for r in map(resolve, _imports(p)) if r and r != m} for m, p in modules.items()}


def _room(module: str) -> int:
    parts = module.split(".")
    return -1 if len(parts) == 1 else ROOMS.index(parts[1])


def test_every_module_is_in_a_room():
    assert {m.split(".")[1] for m in _graph() if "." in m} <= set(ROOMS)


def test_no_module_imports_a_later_stage():
    later = sorted(f"{m} -> {d}" for m, deps in _graph().items() for d in deps if _room(d) > _room(m))
    assert later == []


def test_no_import_cycles():
    graph = _graph()
    cycles = set()

    def visit(start: str, node: str, path: tuple[str, ...]) -> None:
        for nxt in graph[node]:
            if nxt == start:
                cycles.add(tuple(sorted(path)))
            elif nxt > start and nxt not in path:
                visit(start, nxt, (*path, nxt))

    for module in sorted(graph):
        visit(module, module, (module,))
    assert cycles <= KNOWN_CYCLES


def test_help_imports_no_model_or_search_library():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from factcheck.cli import app\n"
        "for args in (['--help'], ['build-index', '--help'], ['verify', '--help'], ['eval', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'onnxruntime', 'onnx', 'tokenizers', 'faiss', 'sklearn', 'ray')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

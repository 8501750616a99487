"""A BERT graph on ONNX Runtime with the model's own fast tokenizer: inference without torch.

`BertSession(model_dir, graph=...)` runs the graph (bytes or a file, from graph.py) against the
weights in `model_dir/model.safetensors` and tokenizes with `model_dir/tokenizer.json` (the
`tokenizers` library that transformers' fast tokenizers are). `graph_for(model_dir, head=...)`
finds a model's graph: the `model.onnx` shipped beside its weights, else one written once into
the user cache (that needs the `onnx` package, once per model).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ModelError
from ..files import atomic_write, cache_dir
from .weights import HEADER_KEY, WEIGHTS_FILE, read_header

# the graph's inputs and metadata (graph.py, which imports onnx, so is not imported here)
WORD_VECTORS = "word_embeddings"
WORD_TABLE_KEY = "factcheck.word_embeddings"

log = logging.getLogger(__name__)

GRAPH_FILE = "model.onnx"
SCORES_PER_HEAD = 1 << 20  # rows x tokens^2 of one run: 48 MB of float32 scores for 12 heads
TOKENIZER_FILE = "tokenizer.json"


def graph_for(model_dir: str | Path, *, head: str) -> bytes:
    """The ONNX graph of the model in `model_dir`: its own `model.onnx` when it has one (the
    shipped stance model), else the one cached for these weights, written on first use."""
    model_dir = Path(model_dir)
    shipped = model_dir / GRAPH_FILE
    if shipped.is_file():
        return shipped.read_bytes()
    _, header_hash = read_header(model_dir / WEIGHTS_FILE)
    cached = cache_dir("onnx") / f"{model_dir.name}-{head}-{header_hash}.onnx"
    if cached.is_file():
        return cached.read_bytes()
    from .graph import build_graph

    log.info("writing the ONNX graph of %s to %s (once)", model_dir, cached)
    graph = build_graph(model_dir, head=head).SerializeToString()
    try:
        atomic_write(cached, graph)  # concurrent first runs write the same bytes; the last rename wins
    except OSError as exc:  # a read-only home costs this step on every run, not the run
        log.warning("could not cache the ONNX graph in %s: %s", cached.parent, exc)
    return graph


def _runtime() -> tuple[Any, Any]:
    try:
        import onnxruntime
        import tokenizers
    except ImportError as exc:
        raise MissingDependencyError(
            f"ONNX inference needs onnxruntime and tokenizers ({exc.name} is missing): run `pip install onnxruntime tokenizers`"
        ) from exc
    return onnxruntime, tokenizers


class BertSession:
    """One BERT graph on the CPU: tokenize a batch, run it, return the graph's one output."""

    def __init__(self, model_dir: str | Path, *, graph: bytes, max_length: int, threads: int | None = None) -> None:
        onnxruntime, tokenizers = _runtime()
        self.model_dir = Path(model_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 8)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # the arena keeps the largest batch's activations for good; small runs peak lower without it
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 3  # ONNX Runtime's own warnings are about its optimiser, not the user's data
        # idle worker threads sleep instead of spinning: one claim's small runs, and machines whose
        # cores are shared, finish sooner (verify: 1.45 -> 1.25 CPU-s at load 6 on 2 cores)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # the graph names its weights relative to their folder, which may be another package's
        options.add_session_config_entry("session.model_external_initializers_file_folder_path", str(self.model_dir))
        tensors, header = read_header(self.model_dir / WEIGHTS_FILE)
        rewrite = f"run `factcheck export-onnx --stance-model {self.model_dir} --output-dir {self.model_dir}`"
        try:
            self._session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a bad graph or weights
            raise ModelError(
                f"Could not load the ONNX graph of {self.model_dir} ({exc}); if its weights were rewritten since, {rewrite}"
            ) from exc
        metadata = self._session.get_modelmeta().custom_metadata_map
        if metadata.get(HEADER_KEY) != header or metadata.get(WORD_TABLE_KEY) not in tensors:
            raise ModelError(
                f"The ONNX graph of {self.model_dir} was written for other weights than {self.model_dir / WEIGHTS_FILE}: {rewrite}"
            )
        table = tensors[metadata[WORD_TABLE_KEY]]
        # mapped, not read: a batch touches only its tokens' rows of the 30k-row table
        self._words = np.memmap(
            self.model_dir / WEIGHTS_FILE,
            dtype=np.float16 if table.dtype == "F16" else np.float32,
            mode="r",
            offset=table.offset,
            shape=table.shape,
        )
        self.output = self._session.get_outputs()[0].name
        self.width = int(self._session.get_outputs()[0].shape[-1])
        self._tokenizer = _tokenizer(tokenizers, self.model_dir, max_length)

    def run(self, texts: Sequence[str] | Sequence[tuple[str, str]]) -> np.ndarray:
        """The graph's output for texts or (first, second) text pairs: (n, width) float32, in order.

        Runs them in groups of similar token length, each padded to its own longest, and small
        enough that a layer's attention scores (rows x tokens^2 per head) stay under
        `SCORES_PER_HEAD`: 64 sentences of 256 tokens would hold 200 MB of scores at once.
        """
        out = np.zeros((len(texts), self.width), dtype=np.float32)
        if not len(texts):
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end + 1 - start) * len(encodings[order[end]].ids) ** 2 <= SCORES_PER_HEAD:
                end += 1
            rows = order[start:end]
            out[rows] = self._run_padded([encodings[i] for i in rows])
            start = end
        return out

    def _run_padded(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)  # 0: [PAD], masked out below
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
            types[row, : len(e.ids)] = e.type_ids
        feed = {WORD_VECTORS: np.asarray(self._words[ids], dtype=np.float32), "attention_mask": mask, "token_type_ids": types}
        return self._session.run([self.output], feed)[0]


def _tokenizer(tokenizers: Any, model_dir: Path, max_length: int) -> Any:
    """The model's fast tokenizer, truncating (longest first, as transformers does); `run` pads."""
    path = model_dir / TOKENIZER_FILE
    if not path.is_file():
        raise ModelError(
            f"{model_dir} has no {TOKENIZER_FILE} (a fast tokenizer), which the ONNX runtime reads: "
            "save the model's tokenizer with transformers (`AutoTokenizer.from_pretrained(...).save_pretrained(dir)`)"
        )
    tokenizer = tokenizers.Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    return tokenizer

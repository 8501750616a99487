"""A BERT encoder as an ONNX graph, written from a model folder's config.json and safetensors header.

No torch: the graph is a few hundred ONNX nodes (standard ones, and ONNX Runtime's Attention
kernel), and its weights stay where training wrote them. Each initializer is *external data*
pointing at its bytes in `model.safetensors`, so the graph file itself is small (~32 KB) and one
set of weights serves both the torch and the ONNX Runtime paths. fp16 weights are cast to float32 inside the graph; ONNX Runtime folds
those casts once, at load. The word-embedding table is not in the graph: its rows come in as an
input, looked up in the weights file mapped into memory (session.py), so the largest table of
the model is read only where a batch's tokens need it.

Two heads:
    "mean"        sentence-transformers mean pooling over the attention mask, then L2 (embedder)
    "classifier"  the [CLS] pooler and the classification layer: raw logits (cross-encoder)

Writing a graph needs the `onnx` package; running one needs only onnxruntime (session.py).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError, ModelError
from .weights import HEADER_KEY, WEIGHTS_FILE, TensorInfo, read_header

OPSET = 17  # LayerNormalization is an ONNX op from 17
HEADS = ("mean", "classifier")
# input: float32 (batch, tokens, hidden), the token ids' rows of the word-embedding table; and
# the metadata naming that table in the weights file (session.py has the same two names)
WORD_VECTORS = "word_embeddings"
WORD_TABLE_KEY = "factcheck.word_embeddings"


def _onnx() -> Any:
    try:
        import onnx
    except ImportError as exc:
        raise MissingDependencyError("Writing an ONNX graph needs the onnx package: run `pip install onnx`") from exc
    return onnx


class _Builder:
    """Nodes and initializers of one graph; names are made unique by a counter."""

    def __init__(self, onnx: Any, tensors: dict[str, TensorInfo], prefix: str, location: str) -> None:
        self.onnx, self.tensors, self.prefix, self.location = onnx, tensors, prefix, location
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.count = 0

    def op(self, op_type: str, *inputs: str, **attributes: Any) -> str:
        self.count += 1
        output = f"{op_type.lower()}_{self.count}"
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), [output], name=output, **attributes))
        return output

    def constant(self, name: str, values: list[int] | float | int) -> str:
        """A small constant: a list is a 1-D int64 tensor, a float a float32 scalar, an int an int64 scalar."""
        if isinstance(values, list):
            tensor = self.onnx.helper.make_tensor(name, self.onnx.TensorProto.INT64, [len(values)], values)
        elif isinstance(values, float):
            tensor = self.onnx.helper.make_tensor(name, self.onnx.TensorProto.FLOAT, [], [values])
        else:
            tensor = self.onnx.helper.make_tensor(name, self.onnx.TensorProto.INT64, [], [values])
        self.initializers.append(tensor)
        return name

    def weight(self, name: str, *, cast: bool = True) -> str:
        """A model tensor as external data; float32 unless `cast` is False (then as stored)."""
        full = self.prefix + name
        info = self.tensors.get(full)
        if info is None:
            raise ModelError(f"The model weights have no tensor '{full}': is this a BERT-style model?")
        types = {"F32": self.onnx.TensorProto.FLOAT, "F16": self.onnx.TensorProto.FLOAT16, "BF16": self.onnx.TensorProto.BFLOAT16}
        if info.dtype not in types:
            raise ModelError(f"Tensor '{full}' is {info.dtype}; the ONNX export reads F32, F16 or BF16 weights")
        tensor = self.onnx.TensorProto()
        tensor.name = full
        tensor.data_type = types[info.dtype]
        tensor.dims.extend(info.shape)
        tensor.data_location = self.onnx.TensorProto.EXTERNAL
        for key, value in (("location", self.location), ("offset", str(info.offset)), ("length", str(info.length))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        self.initializers.append(tensor)
        if cast and info.dtype != "F32":
            return self.op("Cast", full, to=self.onnx.TensorProto.FLOAT)
        return full

    def linear(self, x: str, name: str) -> str:
        """x (rows, in) times the (out, in) weight, transposed by Gemm, plus the bias."""
        return self.op("Gemm", x, self.weight(f"{name}.weight"), self.weight(f"{name}.bias"), transB=1)

    def layer_norm(self, x: str, name: str, epsilon: float) -> str:
        return self.op(
            "LayerNormalization", x, self.weight(f"{name}.weight"), self.weight(f"{name}.bias"), axis=-1, epsilon=epsilon
        )


def _weights_prefix(tensors: dict[str, TensorInfo]) -> str:
    """'' for a bare BertModel (sentence-transformers), 'bert.' for a sequence classifier."""
    for prefix in ("", "bert."):
        if f"{prefix}embeddings.word_embeddings.weight" in tensors:
            return prefix
    raise ModelError("No BERT embeddings in the model weights (embeddings.word_embeddings.weight): not a BERT-style model")


def build_graph(model_dir: str | Path, *, head: str) -> Any:
    """The ONNX model (an `onnx.ModelProto`) of the BERT-style model in `model_dir`.

    Inputs `word_embeddings` (float32, batch x tokens x hidden: the rows of the word-embedding
    table for the token ids), `attention_mask` and `token_type_ids` (int64, batch x tokens);
    output `sentence_embedding` (head "mean") or `logits` (head "classifier"). Its initializers
    point into `model_dir/model.safetensors` (session.py names that folder when it loads it).
    """
    if head not in HEADS:
        raise ValueError(f"head is one of {HEADS}, not {head!r}")
    onnx = _onnx()
    model_dir = Path(model_dir)
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"Cannot read {model_dir / 'config.json'}: {exc}") from exc
    if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
        raise ModelError(
            f"The ONNX export handles BERT models with GELU (model_type 'bert'); {model_dir} has "
            f"model_type={config.get('model_type')!r}, hidden_act={config.get('hidden_act')!r}"
        )
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ModelError(f"The ONNX export handles absolute position embeddings only ({model_dir / 'config.json'})")
    tensors, header_hash = read_header(model_dir / WEIGHTS_FILE)
    prefix = _weights_prefix(tensors)
    words = prefix + "embeddings.word_embeddings.weight"
    if tensors[words].dtype not in ("F32", "F16"):
        raise ModelError(
            f"The word embeddings in {model_dir / WEIGHTS_FILE} are {tensors[words].dtype}; export them as F32 or F16"
        )
    g = _Builder(onnx, tensors, prefix, WEIGHTS_FILE)
    hidden, heads = int(config["hidden_size"]), int(config["num_attention_heads"])
    eps = float(config.get("layer_norm_eps", 1e-12))

    # embeddings: word + position + token type, then LayerNorm; kept as (batch*tokens, hidden) rows.
    # The word vectors come in as an input: session.py looks them up in the weights file mapped
    # into memory, so of the largest table (30k x hidden) only the rows a batch uses are read.
    shape = g.op("Shape", "attention_mask")  # [batch, tokens]
    tokens = g.op("Gather", shape, g.constant("one", 1), axis=0)
    positions = g.op("Range", g.constant("zero", 0), tokens, g.constant("step", 1))
    position = g.op("Gather", g.weight("embeddings.position_embeddings.weight"), positions)
    token_type = g.op("Gather", g.weight("embeddings.token_type_embeddings.weight"), "token_type_ids")
    x = g.op("Add", g.op("Add", WORD_VECTORS, position), token_type)
    x = g.layer_norm(x, "embeddings.LayerNorm", eps)
    x = g.op("Reshape", x, g.constant("rows_shape", [-1, hidden]))

    batch_shape = g.op("Concat", shape, g.constant("hidden_size", [hidden]), axis=0)  # [batch, tokens, hidden]
    mask = g.op("Cast", "attention_mask", to=onnx.TensorProto.FLOAT)
    keep = g.op("Cast", "attention_mask", to=onnx.TensorProto.INT32)
    sqrt2, half, one = g.constant("sqrt2", math.sqrt(2.0)), g.constant("half", 0.5), g.constant("one_float", 1.0)

    for layer in range(int(config["num_hidden_layers"])):
        name = f"encoder.layer.{layer}"
        # ONNX Runtime's Attention kernel: one (hidden, 3 x hidden) projection, and one score
        # buffer per layer where plain ops hold three (MatMul, Add, Softmax): a third the memory
        parts = [f"{name}.attention.self.{part}" for part in ("query", "key", "value")]
        projection = g.op("Concat", *(g.op("Transpose", g.weight(f"{p}.weight"), perm=[1, 0]) for p in parts), axis=1)
        projection_bias = g.op("Concat", *(g.weight(f"{p}.bias") for p in parts), axis=0)
        context = g.op(
            "Attention",
            g.op("Reshape", x, batch_shape),
            projection,
            projection_bias,
            keep,
            domain="com.microsoft",
            num_heads=heads,
            mask_filter_value=-3.4028234663852886e38,  # masked tokens get the lowest float, as in transformers
        )
        attended = g.linear(g.op("Reshape", context, "rows_shape"), f"{name}.attention.output.dense")
        x = g.layer_norm(g.op("Add", attended, x), f"{name}.attention.output.LayerNorm", eps)
        inner = g.linear(x, f"{name}.intermediate.dense")
        # exact GELU, in the form ONNX Runtime fuses into one Gelu kernel
        erf = g.op("Erf", g.op("Div", inner, sqrt2))
        inner = g.op("Mul", g.op("Mul", inner, g.op("Add", erf, one)), half)
        x = g.layer_norm(g.op("Add", g.linear(inner, f"{name}.output.dense"), x), f"{name}.output.LayerNorm", eps)

    states = g.op("Reshape", x, batch_shape)
    if head == "mean":
        token_axis = g.constant("token_axis", [1])
        weights = g.op("Unsqueeze", mask, g.constant("last_axis", [-1]))
        summed = g.op("ReduceSum", g.op("Mul", states, weights), token_axis, keepdims=0)
        counts = g.op("Max", g.op("ReduceSum", weights, token_axis, keepdims=0), g.constant("tiny", 1e-9))
        pooled = g.op("Div", summed, counts)
        length = g.op("ReduceL2", pooled, axes=[-1], keepdims=1)  # axes an attribute until opset 18
        norm = g.op("Max", length, g.constant("norm_floor", 1e-12))
        output, width = g.op("Div", pooled, norm), hidden
    else:
        first = g.op("Gather", states, g.constant("zero_index", [0]), axis=1)
        first = g.op("Reshape", first, "rows_shape")
        pooled = g.op("Tanh", g.linear(first, "pooler.dense"))
        g.prefix = ""  # the classification layer sits beside the encoder, not in it
        output = g.linear(pooled, "classifier")
        width = int(tensors["classifier.bias"].shape[0])
    name = "sentence_embedding" if head == "mean" else "logits"
    g.nodes.append(onnx.helper.make_node("Identity", [output], [name], name=name))

    ints = [onnx.helper.make_tensor_value_info(WORD_VECTORS, onnx.TensorProto.FLOAT, ["batch", "tokens", hidden])]
    ints += [
        onnx.helper.make_tensor_value_info(i, onnx.TensorProto.INT64, ["batch", "tokens"])
        for i in ("attention_mask", "token_type_ids")
    ]
    out = onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, ["batch", width])
    graph = onnx.helper.make_graph(g.nodes, f"bert-{head}", ints, [out], initializer=g.initializers)
    model = onnx.helper.make_model(
        graph,
        opset_imports=[onnx.helper.make_opsetid("", OPSET), onnx.helper.make_opsetid("com.microsoft", 1)],
        producer_name="factcheck",
    )
    model.ir_version = 8  # readable by onnxruntime >= 1.14
    onnx.helper.set_model_props(model, {HEADER_KEY: header_hash, WORD_TABLE_KEY: words, "factcheck.head": head})
    return model

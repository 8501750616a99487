"""Where each tensor of a safetensors file lies, read from its header: no torch, no numpy.

A safetensors file is 8 bytes (little-endian header length), a JSON header, then the raw
tensors. The ONNX graphs in graph.py point at these bytes as external data, so a model's
weights are stored once, in the file the training code wrote.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

WEIGHTS_FILE = "model.safetensors"
# a graph records the header hash of the weights it was written for (its metadata); a session
# refuses weights whose names, types, shapes or positions have changed since
HEADER_KEY = "factcheck.weights_header"


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: str  # safetensors' name: F32, F16, BF16, I64 ...
    shape: tuple[int, ...]
    offset: int  # from the start of the file
    length: int


def read_header(path: str | Path) -> tuple[dict[str, TensorInfo], str]:
    """The tensors of a safetensors file by name, and a hash of its header.

    The header holds every name, type, shape and position, so two files with the same header
    hash can be read by the same graph, whatever values training put in them.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            (size,) = struct.unpack("<Q", f.read(8))
            raw = f.read(size)
        header = json.loads(raw)
    except (OSError, struct.error, ValueError) as exc:
        raise ModelError(f"Cannot read the model weights at {path}: {exc}") from exc
    start = 8 + size
    tensors = {
        name: TensorInfo(
            name,
            spec["dtype"],
            tuple(spec["shape"]),
            start + spec["data_offsets"][0],
            spec["data_offsets"][1] - spec["data_offsets"][0],
        )
        for name, spec in header.items()
        if name != "__metadata__"
    }
    return tensors, hashlib.sha256(raw).hexdigest()[:16]

"""Learned stance backends: the shipped MiniLM cross-encoder and any local NLI model directory.

Both implement `classify_batch(pairs)` over (claim, evidence) pairs and return calibrated
probabilities. Models load lazily and only from local files (never the network).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..models import STANCES, StanceResult

LABELS: tuple[str, ...] = STANCES  # ("supports", "refutes", "neutral"): the model's output order
SHIPPED_MODEL_DIR = Path(__file__).resolve().parent.parent / "resources" / "stance-minilm"
CALIBRATION_FILE = "stance_calibration.json"
# Conflict types precise enough to overrule the model's "supports" (see CrossEncoderStance).
CERTAIN_CONFLICTS = ("number", "date", "negation", "antonym")


@dataclass(frozen=True)
class StanceCalibration:
    """How raw logits become calibrated probabilities and a label (fitted on dev splits)."""

    temperature: float = 1.0
    both_directions: bool = True  # also score (evidence, claim); contradiction is symmetric
    refute_threshold: float = 0.5  # refutes wins once its probability reaches this
    max_length: int = 256
    # cosine (base MiniLM embeddings) under which a body is "unrelated" to a headline, fitted on
    # FNC-1 *train* bodies (lead sentence vs own body / other bodies); used by factcheck.eval.evaluate
    related_threshold: float = 0.5
    # the `hybrid` backend's cascade for this model (stance/__init__.py HybridStance), chosen on
    # dev splits and dev probe claims
    hybrid_support: float = 0.4  # the model's supports probability at which it corroborates
    hybrid_refute: float = 0.7  # ... and its refutes probability at which it conflicts
    hybrid_overrule: float = 0.8  # supports probability that overrules a negation/place/entity rule

    @classmethod
    def load(cls, model_dir: Path) -> StanceCalibration:
        path = model_dir / CALIBRATION_FILE
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, model_dir: Path) -> None:
        (model_dir / CALIBRATION_FILE).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of logits / temperature."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def combine_directions(
    forward: np.ndarray, reverse: np.ndarray | None, calibration: StanceCalibration
) -> tuple[np.ndarray, list[str]]:
    """Calibrated probabilities (n, 3) in LABELS order and labels from forward/reverse logits.

    The reverse direction may only raise the refutes probability: a contradiction read either
    way is a contradiction, while entailment is directional. A refutes probability at or above
    `refute_threshold` wins over entailment.
    """
    probs = softmax(forward, calibration.temperature)
    if reverse is not None and calibration.both_directions:
        refutes = np.maximum(probs[:, 1], softmax(reverse, calibration.temperature)[:, 1])
        others = probs[:, [0, 2]]
        scale = (1.0 - refutes) / np.clip(others.sum(axis=1), 1e-12, None)
        probs = np.column_stack([others[:, 0] * scale, refutes, others[:, 1] * scale])
    labels = ["refutes" if row[1] >= calibration.refute_threshold else LABELS[int(np.argmax(row))] for row in probs]
    return probs, labels


def _find_conflict(claim: str, evidence: str) -> tuple[str | None, str]:
    """The lead's slot aligner when present (factcheck.text.alignment), else no conflict."""
    try:
        from ..text.alignment import find_conflict
    except ImportError:
        return None, ""
    found: Any = find_conflict(claim, evidence)
    if found is None:
        return None, ""
    if isinstance(found, tuple):
        return found[0], found[1]
    return getattr(found, "type", "other"), str(getattr(found, "detail", ""))


class SequenceClassifier:
    """A local Hugging Face sequence-classification model on torch: batched logits over text pairs."""

    def __init__(self, model_dir: str | Path, *, device: str | None = None, batch_size: int = 64, max_length: int = 256) -> None:
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").is_file():
            raise ModelError(
                f"No model at {self.model_dir} (config.json missing): point it at a local "
                "sentence-transformers CrossEncoder or Hugging Face classification model folder."
            )
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self._model: Any = None
        self._tokenizer: Any = None

    @property
    def config(self) -> dict[str, Any]:
        return json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))

    def _load(self) -> None:
        if self._model is not None:
            return
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ModelError(
                "The learned stance model on torch needs torch and transformers: pip install 'sentence-transformers' "
                '(it brings both), or run it on ONNX Runtime (stance.runtime = "onnx", the default).'
            ) from error
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(self.model_dir, local_files_only=True)
        except (OSError, ValueError) as error:
            raise ModelError(f"Could not load the model at {self.model_dir}: {error}") from error
        # fp16 weights are for shipping; CPU inference runs in float32
        model = model.to(device=device, dtype=torch.float16 if device.startswith("cuda") else torch.float32)
        model.eval()
        self.device, self._model, self._tokenizer = device, model, tokenizer

    def _run(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Logits of one batch."""
        import torch

        batch = self._tokenizer(
            [claim for claim, _ in pairs],
            [evidence for _, evidence in pairs],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        ).to(self.device)
        with torch.inference_mode():
            return self._model(**batch).logits.float().cpu().numpy()

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw logits (n, num_labels), in input order; batches are sorted by length."""
        self._load()
        out = np.zeros((len(pairs), len(self.config.get("id2label") or {}) or 3), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            out[index] = self._run([pairs[i] for i in index])
        return out


class OnnxSequenceClassifier(SequenceClassifier):
    """The same model on ONNX Runtime, no torch: its graph (factcheck/bert/) reads its own weights.

    The graph is the folder's `model.onnx` (`factcheck export-onnx` writes it; the shipped model
    has one), else one written once into the user cache. Logits match the torch path's to ~2e-6.
    """

    def __init__(
        self, model_dir: str | Path, *, batch_size: int = 64, max_length: int = 256, threads: int | None = None, **_: object
    ) -> None:
        super().__init__(model_dir, batch_size=batch_size, max_length=max_length)
        self.threads = threads

    def _load(self) -> None:
        if self._model is not None:
            return
        from ..bert.session import BertSession, graph_for

        graph = graph_for(self.model_dir, head="classifier")
        self._model = BertSession(self.model_dir, graph=graph, max_length=self.max_length, threads=self.threads)

    def _run(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self._model.run(pairs)


RUNTIMES = {"onnx": OnnxSequenceClassifier, "torch": SequenceClassifier}


class CrossEncoderStance:
    """The shipped stance model: MiniLM-L6 cross-encoder fine-tuned on news-derived pairs.

    Scores (claim, evidence) and (evidence, claim), lets a confident contradiction win, returns
    temperature-calibrated probabilities and, for refutes, the conflict type named by
    `factcheck.text.alignment` ("other" when it names none). With `conflict_override` (default), a
    certain slot mismatch (number, date, negation, antonym) between closely matching sentences
    makes the pair "refutes" whatever the model said (dev macro-F1 moved by -0.001..+0.002; it is
    there for claims whose one changed number or date the model reads as "neutral").
    `runtime`: "onnx" (ONNX Runtime, no torch; the default) or "torch".
    """

    name = "minilm-stance"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        device: str | None = None,
        batch_size: int = 64,
        conflict_override: bool = True,
        runtime: str = "onnx",
        **_: object,
    ) -> None:
        # "" or None: the model shipped in the package (the backend table passes "")
        self.model_dir = Path(model_dir) if model_dir else SHIPPED_MODEL_DIR
        if not (self.model_dir / "model.safetensors").is_file():
            raise ModelError(
                f"The stance model is missing from {self.model_dir}: reinstall factcheck, or "
                "train one with `factcheck train-stance --output-dir DIR` "
                "(`factcheck.eval.train.train_stance` from Python)."
            )
        if runtime not in RUNTIMES:
            raise ModelError(f"Unknown stance runtime '{runtime}'. Known: {', '.join(sorted(RUNTIMES))}")
        self.calibration = StanceCalibration.load(self.model_dir)
        self.conflict_override = conflict_override
        self.runtime = runtime
        self._classifier = RUNTIMES[runtime](
            self.model_dir, device=device, batch_size=batch_size, max_length=self.calibration.max_length
        )

    def raw_logits(self, pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray | None]:
        """Forward and (when enabled) reverse logits, uncalibrated."""
        forward = self._classifier.logits(pairs)
        reverse = None
        if self.calibration.both_directions:
            reverse = self._classifier.logits([(e, c) for c, e in pairs])
        return forward, reverse

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        from ..text.numbers import digits

        pairs = [(digits(claim), digits(evidence)) for claim, evidence in pairs]  # "two billion" reads as "2 billion"
        if not pairs:
            return []
        forward, reverse = self.raw_logits(pairs)
        probs, labels = combine_directions(forward, reverse, self.calibration)
        results = []
        for (claim, evidence), row, label in zip(pairs, probs, labels):
            conflict, _detail = _find_conflict(claim, evidence)
            if self.conflict_override and label != "refutes" and conflict in CERTAIN_CONFLICTS:
                # a certain slot mismatch between closely matching sentences: the model's
                # most likely label and refutes trade places, so refutes leads
                row = row.copy()
                top = LABELS.index(label)
                row[1], row[top] = row[top], row[1]
                label = "refutes"
            results.append(
                StanceResult(
                    label=label,  # type: ignore[arg-type]
                    probabilities={k: float(v) for k, v in zip(LABELS, row)},
                    conflict_type=(conflict or "other") if label == "refutes" else None,
                )
            )
        return results


def _nli_label(name: str) -> str | None:
    """Our class for an NLI label name (entailment, contradiction, neutral, not_entailment)."""
    name = name.lower()
    if "contradict" in name or name == "refutes":
        return "refutes"
    if name.startswith(("not", "non")) or "neutral" in name:
        return "neutral"  # not_entailment is refutes or neutral; neutral is the cautious reading
    if "entail" in name or name == "supports":
        return "supports"
    return None


class LocalNLIStance:
    """Any local NLI model folder (sentence-transformers CrossEncoder or HF classifier).

    The label order comes from the folder's config.json `id2label`: entailment -> supports,
    contradiction -> refutes, neutral -> neutral. The evidence is passed as the premise.
    """

    name = "local-nli"

    def __init__(
        self,
        model_dir: str | Path,
        *,
        device: str | None = None,
        batch_size: int = 32,
        max_length: int = 512,
        temperature: float = 1.0,
        **_: object,
    ) -> None:
        if not model_dir:
            raise ModelError(
                "The local-nli stance backend needs a model folder: set the stance model to a local NLI CrossEncoder directory."
            )
        self._classifier = SequenceClassifier(model_dir, device=device, batch_size=batch_size, max_length=max_length)
        id2label = self._classifier.config.get("id2label") or {}
        mapping = {int(i): _nli_label(str(name)) for i, name in id2label.items()}
        unknown = [id2label[str(i)] if str(i) in id2label else i for i, mapped in mapping.items() if mapped is None]
        if not mapping or unknown or "supports" not in mapping.values():
            raise ModelError(
                f"Cannot read NLI labels from {Path(model_dir) / 'config.json'} (id2label="
                f"{id2label}): it needs entailment/contradiction/neutral names; edit id2label."
            )
        self.columns = mapping
        self.temperature = temperature
        self.name = f"local-nli:{Path(model_dir).name}"

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        pairs = list(pairs)
        if not pairs:
            return []
        raw = softmax(self._classifier.logits([(e, c) for c, e in pairs]), self.temperature)
        results = []
        for (claim, evidence), row in zip(pairs, raw):
            probs = dict.fromkeys(LABELS, 0.0)
            for column, label in self.columns.items():
                probs[label] += float(row[column])
            label = max(LABELS, key=lambda k: probs[k])
            conflict = (_find_conflict(claim, evidence)[0] or "other") if label == "refutes" else None
            results.append(
                StanceResult(
                    label=label,
                    probabilities=probs,  # type: ignore[arg-type]
                    conflict_type=conflict,
                )
            )
        return results

"""The shipped stance model: offline loading, calibrated output, and a small end-to-end check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from factcheck.errors import ModelError
from factcheck.stance import RulesStance
from factcheck.stance.cross_encoder import (
    SHIPPED_MODEL_DIR,
    CrossEncoderStance,
    LocalNLIStance,
    StanceCalibration,
    combine_directions,
)

from conftest import NO_DATASETS

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def model() -> CrossEncoderStance:
    return CrossEncoderStance(device="cpu")


def test_shipped_model_is_compact_and_calibrated() -> None:
    files = list(SHIPPED_MODEL_DIR.iterdir())
    assert sum(f.stat().st_size for f in files) < 50 * 1024 * 1024
    config = json.loads((SHIPPED_MODEL_DIR / "config.json").read_text())
    assert config["id2label"] == {"0": "supports", "1": "refutes", "2": "neutral"}
    calibration = StanceCalibration.load(SHIPPED_MODEL_DIR)
    assert calibration.temperature > 0
    # the hybrid cascade's thresholds travel with the model they were chosen for
    shipped = json.loads((SHIPPED_MODEL_DIR / "stance_calibration.json").read_text())
    from factcheck.stance import HybridStance

    hybrid = HybridStance()
    assert hybrid.support_threshold == shipped["hybrid_support"] == calibration.hybrid_support
    assert hybrid.refute_threshold == shipped["hybrid_refute"] == calibration.hybrid_refute
    assert HybridStance(support_threshold=0.9).support_threshold == 0.9
    summary = json.loads((SHIPPED_MODEL_DIR / "training_summary.json").read_text())
    assert summary["calibration"]["ece_after"] < summary["calibration"]["ece_before"]


@pytest.mark.slow  # loads the shipped stance model (torch)
def test_end_to_end_stance(model: CrossEncoderStance) -> None:
    pairs = [
        ("The union accepted the offer.", "The union rejected the offer."),
        ("The union accepted the offer.", "The union agreed to accept the pay offer on Monday."),
        ("The union accepted the offer.", "Heavy rain is expected across the north this weekend."),
        ("The fire killed 12 people.", "The fire killed 40 people, officials said."),
        # a headline's tense and Title Case must not read as a conflict
        ("The union accepted the offer.", "The Union Accepts the Offer"),
    ]
    results = model.classify_batch(pairs)
    assert [r.label for r in results] == ["refutes", "supports", "neutral", "refutes", "supports"]
    for result in results:
        assert set(result.probabilities) == {"supports", "refutes", "neutral"}
        assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-6)
        assert result.probabilities[result.label] == max(result.probabilities.values())
    assert results[0].conflict_type is not None and results[1].conflict_type is None
    assert model.classify_batch([]) == []


@pytest.mark.slow  # loads the shipped stance model (torch)
def test_results_do_not_depend_on_batch_order(model: CrossEncoderStance) -> None:
    pairs = [("Prices rose in May.", "Prices fell in May."), ("A cat sat.", "A dog ran away.")]
    forward = model.classify_batch(pairs)
    backward = model.classify_batch(pairs[::-1])[::-1]
    for a, b in zip(forward, backward):
        assert a.label == b.label
        assert a.probabilities["refutes"] == pytest.approx(b.probabilities["refutes"], abs=1e-4)


def test_reverse_direction_only_raises_refutes() -> None:
    forward = np.array([[3.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    reverse = np.array([[0.0, 4.0, 0.0], [3.0, 0.0, 0.0]])
    probs, labels = combine_directions(forward, reverse, StanceCalibration(1.0, True, 0.5))
    assert labels == ["refutes", "neutral"]
    assert np.allclose(probs.sum(axis=1), 1.0)
    one_way, labels = combine_directions(forward, reverse, StanceCalibration(1.0, False, 0.5))
    assert labels == ["supports", "neutral"]


def test_missing_model_dir_is_actionable(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="train_stance"):
        CrossEncoderStance(tmp_path)
    with pytest.raises(ModelError, match="config.json"):
        LocalNLIStance(tmp_path)


@pytest.mark.slow  # loads the shipped stance model (torch)
def test_local_nli_reads_label_order_from_config(tmp_path: Path) -> None:
    """A CrossEncoder-style NLI folder with its own label order (here, the shipped weights)."""
    for f in SHIPPED_MODEL_DIR.iterdir():
        (tmp_path / f.name).symlink_to(f)
    (tmp_path / "config.json").unlink()
    config = json.loads((SHIPPED_MODEL_DIR / "config.json").read_text())
    config["id2label"] = {"0": "ENTAILMENT", "1": "CONTRADICTION", "2": "NEUTRAL"}
    (tmp_path / "config.json").write_text(json.dumps(config))
    nli = LocalNLIStance(tmp_path, device="cpu")
    assert nli.columns == {0: "supports", 1: "refutes", 2: "neutral"}
    (result,) = nli.classify_batch([("The union accepted the offer.", "The union rejected it.")])
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-6)
    config["id2label"] = {"0": "yes", "1": "no", "2": "maybe"}
    (tmp_path / "config.json").unlink()
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="id2label"):
        LocalNLIStance(tmp_path)


DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


@pytest.mark.slow  # loads the shipped stance model (torch)
@pytest.mark.skipif(not DATA.is_dir(), reason=NO_DATASETS)
def test_evaluate_dataset_on_samples(model: CrossEncoderStance, tmp_path: Path) -> None:
    """The eval harness on small deterministic samples, FNC-1 through the verify path."""
    from factcheck.eval.evaluate import evaluate_dataset

    report = evaluate_dataset("emergent", data_dir=DATA, stance_model=model, limit=16)
    assert report["dataset"] == "emergent" and report["split"] == "test" and report["n"] == 16
    assert set(report["per_class"]) == {"supports", "refutes", "neutral"}
    assert report["accuracy"] > 0.4  # three classes: chance is about 0.33
    cache = tmp_path / "retrieval.json"
    fnc = evaluate_dataset("fnc-1", data_dir=DATA, stance_model=model, limit=6, seed=1, retrieval_cache=cache)
    assert cache.is_file() and fnc["n"] == 6
    assert 0.0 <= fnc["fnc_score"]["percent"] <= 100.0
    assert sum(sum(row.values()) for row in fnc["confusion"].values()) == 6
    again = evaluate_dataset(
        "fnc-1", data_dir=DATA, stance_model=model, limit=6, seed=1, retrieval_cache=cache, aggregation="simple"
    )
    assert again["fnc_score"] == fnc["fnc_score"]


@pytest.mark.slow  # loads the shipped stance model (torch)
def test_hybrid_reads_paraphrase_and_keeps_named_conflicts() -> None:
    from factcheck.stance import HybridStance, load_stance_model

    hybrid = load_stance_model("hybrid")
    assert isinstance(hybrid, HybridStance)
    conflict, paraphrase, unstated, unrelated = hybrid.classify_batch(
        [
            ("The union accepted the offer.", "The union rejected the offer."),
            (
                "Mayor Dana Holt said the city has no interest in talks with the developer.",
                "In a statement read by her office, Mayor Dana Holt declared that Riverton has no interest in "
                "any meeting or negotiation with the developer, whatever it proposes.",
            ),
            (
                "About 9,000 people were evacuated from the valley.",
                "Thousands of people were evacuated from the valley as the river rose.",
            ),
            ("Prices of rice in Tokyo rose by 5 percent.", "The dam was built in 1962."),
        ]
    )
    assert (conflict.label, conflict.conflict_type) == ("refutes", "antonym")
    assert paraphrase.label == "supports"  # the rules alone leave it neutral
    assert (
        RulesStance()
        .classify_batch(
            [
                (
                    "Mayor Dana Holt said the city has no interest in talks with the developer.",
                    "In a statement read by her office, Mayor Dana Holt declared that Riverton "
                    "has no interest in any meeting or negotiation with the developer, whatever "
                    "it proposes.",
                )
            ]
        )[0]
        .label
        == "neutral"
    )
    assert unstated.label != "supports"  # no evidence for the figure 9,000
    assert unrelated.label == "neutral"
    for result in (conflict, paraphrase, unstated, unrelated):
        assert abs(sum(result.probabilities.values()) - 1.0) < 1e-6


def test_hybrid_reads_the_models_own_probabilities() -> None:
    # the hybrid names conflicts itself; a model that swapped its labels for a negation rule would
    # leave the rule nothing to be overruled by
    from factcheck.stance import HybridStance

    assert HybridStance().model.conflict_override is False
    assert CrossEncoderStance().conflict_override is True  # `minilm` alone keeps its override


@pytest.mark.slow  # loads the shipped stance model
def test_hybrid_reads_a_report_as_support_for_a_reported_claim() -> None:
    # the model reads "reportedly" as a reason for neutral; where the claim itself is a report,
    # the hybrid also reads both statements without their reporting frames
    from factcheck.stance import load_stance_model

    pair = (
        "Engineers who worked on Pulse Radio had reportedly been moved to other Dalco projects.",
        "Engineers from Pulse Radio have already been transferred to other projects at Dalco, according to the report.",
    )
    assert CrossEncoderStance().classify_batch([pair])[0].label != "supports"
    assert load_stance_model("hybrid").classify_batch([pair])[0].label == "supports"


@pytest.mark.slow  # loads the shipped stance model
def test_hybrid_reads_a_plain_statement_as_support_for_a_reported_claim() -> None:
    # a claim that only reports a fact is corroborated by an article that states the fact
    from factcheck.stance import load_stance_model

    pair = (
        "Inside Dalco the restructuring is reportedly called Project Slate.",
        "Dalco's restructuring is called Project Slate.",
    )
    assert RulesStance().classify_batch([pair])[0].label == "neutral"
    assert CrossEncoderStance().classify_batch([pair])[0].label != "supports"
    assert load_stance_model("hybrid").classify_batch([pair])[0].label == "supports"

"""Evaluation metrics on tiny examples computed by hand."""

import pytest

from factcheck.eval import metrics


def test_fnc_score_hand_computed() -> None:
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated", "agree"]
    predicted = ["agree", "discuss", "discuss", "unrelated", "agree", "unrelated"]
    # agree/agree 1.0; disagree->discuss 0.25 (related right); discuss/discuss 1.0;
    # unrelated/unrelated 0.25; unrelated->agree 0; agree->unrelated 0
    result = metrics.fnc_score(gold, predicted)
    assert result["score"] == pytest.approx(2.5)
    # best: four related pairs at 1.0, two unrelated at 0.25
    assert result["max"] == pytest.approx(4.5)
    assert result["percent"] == pytest.approx(100 * 2.5 / 4.5)


def test_fnc_score_perfect_and_all_unrelated() -> None:
    gold = ["agree", "unrelated", "discuss", "unrelated"]
    assert metrics.fnc_score(gold, gold)["percent"] == pytest.approx(100.0)
    assert metrics.fnc_score(gold, ["unrelated"] * 4)["score"] == pytest.approx(0.5)


def test_accuracy_macro_f1_per_class_confusion() -> None:
    gold = ["supports", "supports", "refutes", "neutral"]
    predicted = ["supports", "refutes", "refutes", "supports"]
    assert metrics.accuracy(gold, predicted) == pytest.approx(0.5)
    per = metrics.per_class(gold, predicted, ["supports", "refutes", "neutral"])
    assert per["supports"]["precision"] == pytest.approx(0.5)
    assert per["supports"]["recall"] == pytest.approx(0.5)
    assert per["refutes"]["precision"] == pytest.approx(0.5)
    assert per["refutes"]["recall"] == pytest.approx(1.0)
    assert per["refutes"]["f1"] == pytest.approx(2 / 3)
    assert per["neutral"]["f1"] == 0.0
    assert metrics.macro_f1(gold, predicted, ["supports", "refutes", "neutral"]) == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)
    matrix = metrics.confusion(gold, predicted, ["supports", "refutes", "neutral"])
    assert matrix["supports"] == {"supports": 1, "refutes": 1, "neutral": 0}
    assert matrix["neutral"]["supports"] == 1


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        metrics.accuracy(["supports"], [])
